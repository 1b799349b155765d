package native

import "strings"

// tnode is one tree-sitter node copied out of C memory, so that the rules
// run in pure Go without further cgo calls.
type tnode struct {
	kind   uint16
	field  uint16
	parent int32
	first  int32 // first child, -1 if none
	next   int32 // next sibling, -1 if none
	start  uint32
	end    uint32
	row    uint32 // 0-based start row
	col    uint32 // start column in bytes
	erow   uint32 // 0-based end row
}

// tree is a flattened syntax tree in pre-order: iterating nodes in index
// order visits them in source order, parents before children.
type tree struct {
	n   []tnode
	src []byte
	sym *symbols
}

func (t *tree) kind(i int32) uint16 { return t.n[i].kind }

func (t *tree) parent(i int32) int32 { return t.n[i].parent }

func (t *tree) text(i int32) string { return string(t.src[t.n[i].start:t.n[i].end]) }

// named returns the named children of i, comments excluded.
func (t *tree) named(i int32) []int32 {
	var out []int32
	for c := t.n[i].first; c >= 0; c = t.n[c].next {
		k := t.n[c].kind
		if k != t.sym.comment && t.sym.isNamed(k) {
			out = append(out, c)
		}
	}
	return out
}

// field returns the first child of i with the given field, or -1.
func (t *tree) field(i int32, f uint16) int32 {
	if i < 0 || f == 0 {
		return -1
	}
	for c := t.n[i].first; c >= 0; c = t.n[c].next {
		if t.n[c].field == f {
			return c
		}
	}
	return -1
}

// fields returns all children of i with the given field.
func (t *tree) fields(i int32, f uint16) []int32 {
	var out []int32
	for c := t.n[i].first; c >= 0; c = t.n[c].next {
		if t.n[c].field == f {
			out = append(out, c)
		}
	}
	return out
}

// hasChild reports whether i has a child of kind k.
func (t *tree) childOfKind(i int32, k uint16) int32 {
	for c := t.n[i].first; c >= 0; c = t.n[c].next {
		if t.n[c].kind == k {
			return c
		}
	}
	return -1
}

// unparen strips parentheses, which Python's AST does not keep.
func (t *tree) unparen(i int32) int32 {
	for i >= 0 && t.n[i].kind == t.sym.parenthesized {
		var inner int32 = -1
		for c := t.n[i].first; c >= 0; c = t.n[c].next {
			k := t.n[c].kind
			if k != t.sym.comment && t.sym.isNamed(k) {
				inner = c
				break
			}
		}
		if inner < 0 {
			return i
		}
		i = inner
	}
	return i
}

// astParent returns the node that is i's parent in Python's AST:
// parentheses are skipped and a positional argument's parent is the call.
func (t *tree) astParent(i int32) int32 {
	p := t.n[i].parent
	for p >= 0 && t.n[p].kind == t.sym.parenthesized {
		p = t.n[p].parent
	}
	if p >= 0 && t.n[p].kind == t.sym.argumentList {
		if gp := t.n[p].parent; gp >= 0 {
			return gp
		}
	}
	return p
}

// dotted renders a dotted_name (or identifier) as Python would name it.
func (t *tree) dotted(i int32) string {
	if t.n[i].kind == t.sym.identifier {
		return t.text(i)
	}
	var parts []string
	for c := t.n[i].first; c >= 0; c = t.n[c].next {
		if t.n[c].kind == t.sym.identifier {
			parts = append(parts, t.text(c))
		}
	}
	return strings.Join(parts, ".")
}
