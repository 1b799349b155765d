package tokenizer

import (
	"unicode"
	"unicode/utf8"
)

// AddedToken is an entry of tokenizer.json's added_tokens.
type AddedToken struct {
	ID         int    `json:"id"`
	Content    string `json:"content"`
	SingleWord bool   `json:"single_word"`
	LStrip     bool   `json:"lstrip"`
	RStrip     bool   `json:"rstrip"`
	Normalized bool   `json:"normalized"`
	Special    bool   `json:"special"`
}

// trie matches added tokens, leftmost first and longest at that position,
// as the Aho-Corasick automaton of tokenizers does (MatchKind::LeftmostLongest).
type trie struct {
	root  [256]int32 // child of the root per byte; 0: none
	nodes []trieNode
}

type trieNode struct {
	next map[byte]int32
	tok  int32 // index into the token list, -1: none
}

func newTrie() *trie {
	return &trie{nodes: []trieNode{{tok: -1}}}
}

func (t *trie) add(pattern string, tok int) {
	if pattern == "" {
		return
	}
	cur := int32(0)
	for i := 0; i < len(pattern); i++ {
		b := pattern[i]
		var nx int32
		if cur == 0 {
			nx = t.root[b]
		} else {
			nx = t.nodes[cur].next[b]
		}
		if nx == 0 {
			t.nodes = append(t.nodes, trieNode{tok: -1})
			nx = int32(len(t.nodes) - 1)
			if cur == 0 {
				t.root[b] = nx
			} else {
				if t.nodes[cur].next == nil {
					t.nodes[cur].next = map[byte]int32{}
				}
				t.nodes[cur].next[b] = nx
			}
		}
		cur = nx
	}
	t.nodes[cur].tok = int32(tok)
}

// longest returns the token index and end of the longest pattern starting at
// s[i], or -1.
func (t *trie) longest(s string, i int) (tok, end int) {
	tok, end = -1, -1
	cur := t.root[s[i]]
	for j := i + 1; cur != 0; j++ {
		if k := t.nodes[cur].tok; k >= 0 {
			tok, end = int(k), j
		}
		if j >= len(s) || t.nodes[cur].next == nil {
			break
		}
		cur = t.nodes[cur].next[s[j]]
	}
	return tok, end
}

// segment is a part of the input: an added token (id >= 0) or text.
type segment struct {
	text string
	id   int
}

// splitAdded splits s at the added tokens of t, with the single_word, lstrip
// and rstrip rules of tokenizers' AddedVocabulary::find_matches. skipSpecial
// leaves special tokens as text.
func splitAdded(dst []segment, s string, t *trie, toks []AddedToken, skipSpecial bool) []segment {
	if t == nil || len(t.nodes) == 1 {
		return append(dst, segment{s, -1})
	}
	startOffset := 0
	for i := 0; i < len(s); {
		k, e := t.longest(s, i)
		if k < 0 {
			i++
			continue
		}
		start, stop := i, e
		i = e
		tok := &toks[k]
		if skipSpecial && tok.Special {
			continue
		}
		if tok.SingleWord {
			startSpace := start == 0 || !endsWithWord(s[:start])
			stopSpace := stop == len(s) || !startsWithWord(s[stop:])
			if !startSpace || !stopSpace {
				continue
			}
		}
		if tok.LStrip {
			ns := start
			for ns > 0 {
				r, w := utf8.DecodeLastRuneInString(s[:ns])
				if !unicode.IsSpace(r) {
					break
				}
				ns -= w
			}
			start = max(ns, startOffset)
		}
		if tok.RStrip {
			for stop < len(s) {
				r, w := utf8.DecodeRuneInString(s[stop:])
				if !unicode.IsSpace(r) {
					break
				}
				stop += w
			}
		}
		if startOffset < start {
			dst = append(dst, segment{s[startOffset:start], -1})
		}
		dst = append(dst, segment{s[start:stop], tok.ID})
		startOffset = stop
	}
	if startOffset < len(s) {
		dst = append(dst, segment{s[startOffset:], -1})
	}
	return dst
}

func isWordChar(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_' }

func endsWithWord(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return s != "" && isWordChar(r)
}

func startsWithWord(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return s != "" && isWordChar(r)
}
