package native

import (
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"
)

// litPart is a run of literal text of an f-string (an ast.Constant inside
// an ast.JoinedStr).
type litPart struct {
	value string
	node  int32 // node giving the position
}

// strLit is a Python string expression: a string node or a
// concatenated_string, evaluated the way Python's parser folds it.
type strLit struct {
	node    int32
	isBytes bool
	fstring bool      // an ast.JoinedStr rather than an ast.Constant
	value   string    // the constant's value (literal text only for f-strings)
	parts   []litPart // for f-strings: the Constant runs
}

// isStrNode reports whether i is a string expression node.
func (t *tree) isStrNode(i int32) bool {
	k := t.n[i].kind
	return k == t.sym.str || k == t.sym.concatStr
}

// evalStr evaluates the string expression at i (string or
// concatenated_string).
func (t *tree) evalStr(i int32) strLit {
	lit := strLit{node: i}
	var pieces []int32
	if t.n[i].kind == t.sym.concatStr {
		for c := t.n[i].first; c >= 0; c = t.n[c].next {
			if t.n[c].kind == t.sym.str {
				pieces = append(pieces, c)
			}
		}
	} else {
		pieces = []int32{i}
	}
	var run strings.Builder
	runNode := int32(-1)
	var all strings.Builder
	flush := func() {
		if runNode >= 0 {
			lit.parts = append(lit.parts, litPart{value: run.String(), node: runNode})
		}
		run.Reset()
		runNode = -1
	}
	for _, p := range pieces {
		start := t.n[p].first
		if start < 0 || t.n[start].kind != t.sym.strStart {
			continue
		}
		prefix := strings.ToLower(strings.TrimRight(t.text(start), `"'`))
		raw := strings.ContainsRune(prefix, 'r')
		if strings.ContainsRune(prefix, 'b') {
			lit.isBytes = true
		}
		isF := strings.ContainsRune(prefix, 'f')
		if isF {
			lit.fstring = true
			for c := t.n[start].next; c >= 0; c = t.n[c].next {
				switch t.n[c].kind {
				case t.sym.strContent:
					s := decodePy(t.text(c), raw, true)
					if runNode < 0 {
						runNode = c
					}
					run.WriteString(s)
					all.WriteString(s)
				case t.sym.interpolation:
					flush()
				}
			}
			continue
		}
		// plain piece: the text between string_start and string_end
		endNode := int32(-1)
		for c := t.n[start].next; c >= 0; c = t.n[c].next {
			if t.n[c].kind == t.sym.strEnd {
				endNode = c
			}
		}
		if endNode < 0 {
			continue
		}
		body := string(t.src[t.n[start].end:t.n[endNode].start])
		s := decodePy(body, raw, false)
		if runNode < 0 {
			runNode = p
		}
		run.WriteString(s)
		all.WriteString(s)
	}
	flush()
	lit.value = all.String()
	if !lit.fstring {
		lit.parts = nil
	}
	return lit
}

// plainStr returns the value of i (parentheses stripped) when it is a str
// constant: a non-f, non-bytes string literal.
func (t *tree) plainStr(i int32) (string, bool) {
	i = t.unparen(i)
	if i < 0 || !t.isStrNode(i) {
		return "", false
	}
	l := t.evalStr(i)
	if l.fstring || l.isBytes {
		return "", false
	}
	return l.value, true
}

// decodePy decodes the escape sequences of a Python string body.
func decodePy(s string, raw, fstring bool) string {
	if fstring {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "{{", "{"), "}}", "}")
	}
	if raw || !strings.ContainsRune(s, '\\') {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch e := s[i]; e {
		case '\n':
		case '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		case '\\', '\'', '"':
			b.WriteByte(e)
		case 'a':
			b.WriteByte('\a')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte('\v')
		case '0', '1', '2', '3', '4', '5', '6', '7':
			j := i
			for j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7' {
				j++
			}
			v, _ := strconv.ParseUint(s[i:j], 8, 32)
			b.WriteRune(rune(v))
			i = j - 1
		case 'x', 'u', 'U':
			n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
			if i+1+n <= len(s) {
				if v, err := strconv.ParseUint(s[i+1:i+1+n], 16, 32); err == nil && utf8.ValidRune(rune(v)) {
					b.WriteRune(rune(v))
					i += n
					continue
				}
			}
			b.WriteByte('\\')
			b.WriteByte(e)
		default:
			b.WriteByte('\\')
			b.WriteByte(e)
		}
	}
	return b.String()
}

// pyKind is the kind of a value produced by Bandit's _get_literal_value.
type pyKind int

const (
	pyNone  pyKind = iota // Python None: not a literal Bandit understands
	pyStr                 // str (also Name ids, attribute names, "True")
	pyBytes               // bytes
	pyInt                 // int
	pyFloat               // float or complex
	pySeq                 // list, tuple or set
	pyDict                // dict
	pyEllip               // Ellipsis
)

// pyVal is the result of Bandit's Context._get_literal_value.
type pyVal struct {
	kind pyKind
	s    string
	i    *big.Int
}

// literal emulates upstream Bandit's Context._get_literal_value.
func (t *tree) literal(i int32) pyVal {
	i = t.unparen(i)
	if i < 0 {
		return pyVal{}
	}
	sy := t.sym
	switch t.n[i].kind {
	case sy.str, sy.concatStr:
		l := t.evalStr(i)
		switch {
		case l.fstring:
			return pyVal{}
		case l.isBytes:
			return pyVal{kind: pyBytes, s: l.value}
		}
		return pyVal{kind: pyStr, s: l.value}
	case sy.integer:
		if v, ok := parsePyInt(t.text(i)); ok {
			return pyVal{kind: pyInt, i: v, s: v.String()}
		}
		return pyVal{kind: pyFloat, s: t.text(i)} // e.g. 1j
	case sy.float:
		return pyVal{kind: pyFloat, s: t.text(i)}
	case sy.true:
		return pyVal{kind: pyStr, s: "True"}
	case sy.false:
		return pyVal{kind: pyStr, s: "False"}
	case sy.none:
		return pyVal{kind: pyStr, s: "None"}
	case sy.identifier:
		return pyVal{kind: pyStr, s: t.text(i)}
	case sy.list, sy.tuple, sy.set:
		return pyVal{kind: pySeq}
	case sy.dictionary:
		return pyVal{kind: pyDict}
	}
	if t.text(i) == "..." {
		return pyVal{kind: pyEllip}
	}
	return pyVal{}
}

// argValue is Bandit's call_args element: an attribute's name, else the
// literal value.
func (t *tree) argValue(i int32) pyVal {
	u := t.unparen(i)
	if u >= 0 && t.n[u].kind == t.sym.attribute {
		if a := t.field(u, t.sym.fAttribute); a >= 0 {
			return pyVal{kind: pyStr, s: t.text(a)}
		}
	}
	return t.literal(i)
}

// parsePyInt parses a Python integer literal (0x, 0o, 0b, underscores).
func parsePyInt(s string) (*big.Int, bool) {
	s = strings.ReplaceAll(strings.ToLower(s), "_", "")
	if strings.HasSuffix(s, "j") || strings.HasSuffix(s, "l") {
		return nil, false
	}
	base := 10
	switch {
	case strings.HasPrefix(s, "0x"):
		base, s = 16, s[2:]
	case strings.HasPrefix(s, "0o"):
		base, s = 8, s[2:]
	case strings.HasPrefix(s, "0b"):
		base, s = 2, s[2:]
	}
	v, ok := new(big.Int).SetString(s, base)
	return v, ok
}

// qualAttr emulates bandit's _get_attr_qual_name: the dotted name of a
// Name/Attribute chain with import aliases applied, "" segments for
// anything else.
func (f *fileCtx) qualAttr(i int32) string {
	t := f.t
	i = t.unparen(i)
	if i < 0 {
		return ""
	}
	switch t.n[i].kind {
	case t.sym.identifier:
		id := t.text(i)
		if a, ok := f.aliases[id]; ok {
			return a
		}
		return id
	case t.sym.attribute:
		obj := t.field(i, t.sym.fObject)
		attr := t.field(i, t.sym.fAttribute)
		if attr < 0 {
			return ""
		}
		name := f.qualAttr(obj) + "." + t.text(attr)
		if a, ok := f.aliases[name]; ok {
			return a
		}
		return name
	}
	return ""
}

// calledName emulates bandit's get_called_name on a call node.
func (t *tree) calledName(call int32) string {
	fn := t.unparen(t.field(call, t.sym.fFunction))
	if fn < 0 {
		return ""
	}
	switch t.n[fn].kind {
	case t.sym.attribute:
		if a := t.field(fn, t.sym.fAttribute); a >= 0 {
			return t.text(a)
		}
	case t.sym.identifier:
		return t.text(fn)
	}
	return ""
}
