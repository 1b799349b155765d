package native

/*
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>

// The tree-sitter C API (tree_sitter/api.h, ABI of go-tree-sitter v0.25),
// declared here rather than included: the library itself is compiled and
// linked by github.com/tree-sitter/go-tree-sitter.
typedef struct TSParser TSParser;
typedef struct TSTree TSTree;
typedef struct TSLanguage TSLanguage;
typedef struct { uint32_t row; uint32_t column; } TSPoint;
typedef struct { uint32_t context[4]; const void *id; const TSTree *tree; } TSNode;
typedef struct { const void *tree; const void *id; uint32_t context[3]; } TSTreeCursor;

TSParser *ts_parser_new(void);
void ts_parser_delete(TSParser *self);
bool ts_parser_set_language(TSParser *self, const TSLanguage *language);
TSTree *ts_parser_parse_string(TSParser *self, const TSTree *old_tree, const char *string, uint32_t length);
void ts_tree_delete(TSTree *self);
TSNode ts_tree_root_node(const TSTree *self);
bool ts_node_has_error(TSNode self);
uint32_t ts_node_descendant_count(TSNode self);
uint16_t ts_node_symbol(TSNode self);
bool ts_node_is_named(TSNode self);
bool ts_node_is_missing(TSNode self);
uint32_t ts_node_child_count(TSNode self);
uint32_t ts_node_start_byte(TSNode self);
uint32_t ts_node_end_byte(TSNode self);
TSPoint ts_node_start_point(TSNode self);
TSPoint ts_node_end_point(TSNode self);
TSTreeCursor ts_tree_cursor_new(TSNode node);
void ts_tree_cursor_delete(TSTreeCursor *self);
TSNode ts_tree_cursor_current_node(const TSTreeCursor *self);
uint16_t ts_tree_cursor_current_field_id(const TSTreeCursor *self);
bool ts_tree_cursor_goto_first_child(TSTreeCursor *self);
bool ts_tree_cursor_goto_next_sibling(TSTreeCursor *self);
bool ts_tree_cursor_goto_parent(TSTreeCursor *self);
void ts_set_allocator(void *(*new_malloc)(size_t), void *(*new_calloc)(size_t, size_t),
                      void *(*new_realloc)(void *, size_t), void (*new_free)(void *));

// scrl_node mirrors the Go type tnode.
typedef struct {
	uint16_t kind, field;
	int32_t parent, first, next;
	uint32_t start, end, row, col, erow;
} scrl_node;

// scrl_parse parses src and reports the node count and error flag.
static TSTree *scrl_parse(TSParser *p, const char *src, uint32_t len, uint32_t *count, int *has_error) {
	TSTree *t = ts_parser_parse_string(p, NULL, src, len);
	if (t == NULL) return NULL;
	TSNode root = ts_tree_root_node(t);
	*count = ts_node_descendant_count(root);
	*has_error = ts_node_has_error(root) ? 1 : 0;
	return t;
}

static int32_t scrl_add(TSTreeCursor *c, scrl_node *out, uint32_t *n, uint32_t cap, int32_t parent) {
	if (*n >= cap) return -1;
	TSNode node = ts_tree_cursor_current_node(c);
	TSPoint sp = ts_node_start_point(node), ep = ts_node_end_point(node);
	scrl_node *o = &out[*n];
	o->kind = ts_node_symbol(node);
	o->field = ts_tree_cursor_current_field_id(c);
	o->parent = parent;
	o->first = -1;
	o->next = -1;
	o->start = ts_node_start_byte(node);
	o->end = ts_node_end_byte(node);
	o->row = sp.row;
	o->col = sp.column;
	o->erow = ep.row;
	return (int32_t)(*n)++;
}

// scrl_flatten copies the named nodes of the tree (plus MISSING nodes and
// anything with children) in pre-order into out, deletes the tree and
// returns the number of nodes written (at most cap). Anonymous tokens
// (keywords, operators, punctuation) are skipped: the rules never need them.
static uint32_t scrl_flatten(TSTree *t, scrl_node *out, uint32_t cap) {
	uint32_t n = 0, sp = 0, scap = 64;
	int32_t *par = malloc(scap * sizeof(int32_t));
	int32_t *last = malloc(scap * sizeof(int32_t));
	TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(t));
	int32_t root = scrl_add(&c, out, &n, cap, -1);
	if (root < 0 || par == NULL || last == NULL) goto done;
	par[0] = root;
	last[0] = -1;
	sp = 1;
	if (!ts_tree_cursor_goto_first_child(&c)) goto done;
	for (;;) {
		TSNode node = ts_tree_cursor_current_node(&c);
		bool keep = ts_node_is_named(node) || ts_node_is_missing(node) || ts_node_child_count(node) > 0;
		int32_t idx = -1;
		if (keep) {
			idx = scrl_add(&c, out, &n, cap, par[sp - 1]);
			if (idx < 0) goto done;
			if (last[sp - 1] >= 0) out[last[sp - 1]].next = idx; else out[par[sp - 1]].first = idx;
			last[sp - 1] = idx;
			if (ts_tree_cursor_goto_first_child(&c)) {
				if (sp == scap) {
					scap *= 2;
					int32_t *np = realloc(par, scap * sizeof(int32_t));
					if (np == NULL) goto done;
					par = np;
					int32_t *nl = realloc(last, scap * sizeof(int32_t));
					if (nl == NULL) goto done;
					last = nl;
				}
				par[sp] = idx;
				last[sp] = -1;
				sp++;
				continue;
			}
		}
		while (!ts_tree_cursor_goto_next_sibling(&c)) {
			if (!ts_tree_cursor_goto_parent(&c)) goto done;
			sp--;
			if (sp == 0) goto done;
		}
	}
done:
	free(par);
	free(last);
	ts_tree_cursor_delete(&c);
	ts_tree_delete(t);
	return n;
}

static TSParser *scrl_new_parser(const void *lang) {
	TSParser *p = ts_parser_new();
	if (!ts_parser_set_language(p, (const TSLanguage *)lang)) {
		ts_parser_delete(p);
		return NULL;
	}
	return p;
}

// scrl_libc_allocator points tree-sitter's allocator back at libc.
static void scrl_libc_allocator(void) { ts_set_allocator(NULL, NULL, NULL, NULL); }
*/
import "C"

import (
	"errors"
	"unsafe"
)

// cparser is a tree-sitter parser driven directly through the C API, so
// that parsing and copying a tree costs two cgo calls in all.
type cparser struct {
	p   *C.TSParser
	buf []tnode // node buffer reused across sources
}

func newCParser(lang unsafe.Pointer) (*cparser, error) {
	p := C.scrl_new_parser(lang)
	if p == nil {
		return nil, errors.New("native: tree-sitter rejected the python grammar (ABI mismatch)")
	}
	return &cparser{p: p}, nil
}

func (c *cparser) close() { C.ts_parser_delete(c.p) }

// useLibcAllocator undoes go-tree-sitter's default of routing every
// tree-sitter allocation through Go callbacks (which themselves call
// C.malloc/free); tree-sitter then calls malloc/free directly. Both
// allocate from libc, so memory from either side stays compatible.
func useLibcAllocator() { C.scrl_libc_allocator() }

// layoutOK checks that tnode and scrl_node agree.
func layoutOK() bool {
	var n tnode
	return unsafe.Sizeof(n) == C.sizeof_scrl_node &&
		unsafe.Offsetof(n.parent) == unsafe.Offsetof(C.scrl_node{}.parent) &&
		unsafe.Offsetof(n.erow) == unsafe.Offsetof(C.scrl_node{}.erow)
}

// parse parses code and flattens the tree into t.n. ok is false when the
// parser gave up (it never does without a timeout or cancellation flag).
func (c *cparser) parse(code []byte, t *tree) (hasError, ok bool) {
	var src *C.char
	if len(code) > 0 {
		src = (*C.char)(unsafe.Pointer(&code[0]))
	}
	var count C.uint32_t
	var herr C.int
	tr := C.scrl_parse(c.p, src, C.uint32_t(len(code)), &count, &herr)
	if tr == nil {
		return false, false
	}
	if cap(t.n) < int(count) {
		t.n = make([]tnode, count)
	}
	t.n = t.n[:count]
	var n C.uint32_t
	if count > 0 {
		n = C.scrl_flatten(tr, (*C.scrl_node)(unsafe.Pointer(&t.n[0])), count)
	} else {
		C.ts_tree_delete(tr)
	}
	t.n = t.n[:n]
	return herr != 0, true
}
