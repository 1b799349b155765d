package tokenizer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"strings"
	"sync"
	"unicode/utf8"
)

// bpe is the BPE model.
type bpe struct {
	vocab        map[string]int
	merges       map[uint64]int32 // (left id, right id) -> rank
	mergeID      []int32          // rank -> merged id
	unk          int              // -1: none
	fuseUnk      bool
	byteFallback bool
	ignoreMerges bool
	prefix       string // continuing_subword_prefix
	suffix       string // end_of_word_suffix
	fallback     [256]int

	// rawBytes: words arrive as raw bytes and stand for their byte-level
	// characters (the ByteLevel pre-tokenizer's mapping is done here).
	rawBytes bool
	byteIDs  [256]int // id of each byte's character, -1 if missing
	allBytes bool     // every byte has an id

	cache wordCache
}

type bpeJSON struct {
	Type                    string          `json:"type"`
	Vocab                   map[string]int  `json:"vocab"`
	Merges                  json.RawMessage `json:"merges"`
	UnkToken                *string         `json:"unk_token"`
	ContinuingSubwordPrefix *string         `json:"continuing_subword_prefix"`
	EndOfWordSuffix         *string         `json:"end_of_word_suffix"`
	FuseUnk                 bool            `json:"fuse_unk"`
	ByteFallback            bool            `json:"byte_fallback"`
	IgnoreMerges            bool            `json:"ignore_merges"`
	Dropout                 *float64        `json:"dropout"`
}

func buildBPE(c *bpeJSON) (*bpe, error) {
	if c.Type != "BPE" && c.Type != "" {
		return nil, fmt.Errorf("unsupported model %q (only BPE)", c.Type)
	}
	if c.Dropout != nil && *c.Dropout > 0 {
		return nil, fmt.Errorf("BPE dropout is not supported")
	}
	m := &bpe{vocab: c.Vocab, unk: -1, fuseUnk: c.FuseUnk, byteFallback: c.ByteFallback, ignoreMerges: c.IgnoreMerges}
	if m.vocab == nil {
		m.vocab = map[string]int{}
	}
	if c.UnkToken != nil {
		id, ok := m.vocab[*c.UnkToken]
		if !ok {
			return nil, fmt.Errorf("unk_token %q is not in the vocab", *c.UnkToken)
		}
		m.unk = id
	}
	if c.ContinuingSubwordPrefix != nil {
		m.prefix = *c.ContinuingSubwordPrefix
	}
	if c.EndOfWordSuffix != nil {
		m.suffix = *c.EndOfWordSuffix
	}
	for b := range 256 {
		m.fallback[b] = -1
		if id, ok := m.vocab[fmt.Sprintf("<0x%02X>", b)]; ok {
			m.fallback[b] = id
		}
	}
	pairs, err := parseMerges(c.Merges)
	if err != nil {
		return nil, err
	}
	// Resolve the ids (read-only lookups) on two goroutines, then fill the map.
	type resolved struct{ a, b, id int }
	res := make([]resolved, len(pairs))
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for part := range 2 {
		lo, hi := part*len(pairs)/2, (part+1)*len(pairs)/2
		wg.Go(func() {
			var buf []byte
			for rank := lo; rank < hi; rank++ {
				p := pairs[rank]
				a, okA := m.vocab[p[0]]
				b, okB := m.vocab[p[1]]
				if !okA || !okB {
					errs[part] = fmt.Errorf("merge %d (%q %q): token not in the vocab", rank, p[0], p[1])
					return
				}
				buf = append(append(buf[:0], p[0]...), strings.TrimPrefix(p[1], m.prefix)...)
				id, ok := m.vocab[string(buf)]
				if !ok {
					errs[part] = fmt.Errorf("merge %d (%q %q): %q is not in the vocab", rank, p[0], p[1], buf)
					return
				}
				res[rank] = resolved{a, b, id}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	m.merges = make(map[uint64]int32, len(pairs))
	m.mergeID = make([]int32, len(pairs))
	for rank, r := range res {
		// As in tokenizers, a repeated pair keeps its last rank.
		m.merges[pairKey(r.a, r.b)] = int32(rank)
		m.mergeID[rank] = int32(r.id)
	}
	m.cache.init()
	return m, nil
}

func pairKey(a, b int) uint64 { return uint64(uint32(a))<<32 | uint64(uint32(b)) }

// parseMerges reads ["a b", ...] or [["a", "b"], ...].
func parseMerges(raw json.RawMessage) ([][2]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	inner := bytes.TrimSpace(raw[1:])
	if len(inner) > 0 && inner[0] == '[' {
		var pairs [][]string
		if err := json.Unmarshal(raw, &pairs); err != nil {
			return nil, fmt.Errorf("merges: %w", err)
		}
		out := make([][2]string, len(pairs))
		for i, p := range pairs {
			if len(p) != 2 {
				return nil, fmt.Errorf("merge %d: want 2 tokens, have %d", i, len(p))
			}
			out[i] = [2]string{p[0], p[1]}
		}
		return out, nil
	}
	var strs []string
	if err := json.Unmarshal(raw, &strs); err != nil {
		return nil, fmt.Errorf("merges: %w", err)
	}
	out := make([][2]string, len(strs))
	for i, s := range strs {
		a, b, ok := strings.Cut(s, " ")
		if !ok {
			return nil, fmt.Errorf("merge %d (%q): no space", i, s)
		}
		out[i] = [2]string{a, b}
	}
	return out, nil
}

// setRawBytes switches the model to raw-byte words (see bpe.rawBytes).
func (m *bpe) setRawBytes() {
	m.rawBytes = true
	m.allBytes = true
	for b := range 256 {
		m.byteIDs[b] = -1
		if id, ok := m.vocab[byteToString[b]]; ok {
			m.byteIDs[b] = id
		} else {
			m.allBytes = false
		}
	}
}

// maxCached is the longest word (in bytes) the cache keeps.
const maxCached = 256

// encodeWord appends the ids of one pre-tokenized word. The cache is
// consulted before ignore_merges: both give the same ids.
func (m *bpe) encodeWord(dst []int, w string) []int {
	if w == "" {
		return dst
	}
	raw := m.rawBytes && m.allBytes
	if raw && len(w) == 1 {
		return append(dst, m.byteIDs[w[0]])
	}
	if len(w) <= maxCached {
		if ids, ok := m.cache.get(w); ok {
			return append(dst, ids...)
		}
	}
	n := len(dst)
	dst = m.encodeUncached(dst, w, raw)
	if len(w) <= maxCached {
		m.cache.put(w, dst[n:])
	}
	return dst
}

func (m *bpe) encodeUncached(dst []int, w string, raw bool) []int {
	ws := getWorkspace()
	defer putWorkspace(ws)
	if raw {
		if m.ignoreMerges {
			for i := 0; i < len(w); i++ {
				ws.chars = append(ws.chars, byteToString[w[i]]...)
			}
			if id, ok := m.vocab[string(ws.chars)]; ok {
				return append(dst, id)
			}
		}
		for i := 0; i < len(w); i++ {
			ws.ids = append(ws.ids, int32(m.byteIDs[w[i]]))
		}
	} else {
		chars := w // the word in vocabulary characters
		if m.rawBytes {
			chars = byteLevelEncode(w)
		}
		if m.ignoreMerges {
			if id, ok := m.vocab[chars]; ok {
				return append(dst, id)
			}
		}
		m.initialSymbols(ws, chars)
	}
	for _, id := range m.merge(ws) {
		dst = append(dst, int(id))
	}
	return dst
}

// initialSymbols splits a word into the ids of its characters, with the
// continuing_subword_prefix, end_of_word_suffix, byte fallback and unknown
// token handling of tokenizers' BPE::merge_word.
func (m *bpe) initialSymbols(ws *workspace, w string) {
	unk, unkPending := -1, false
	flushUnk := func() {
		if unkPending {
			ws.ids = append(ws.ids, int32(unk))
			unkPending = false
		}
	}
	for i := 0; i < len(w); {
		_, n := utf8.DecodeRuneInString(w[i:])
		s := w[i : i+n]
		if i > 0 && m.prefix != "" {
			s = m.prefix + s
		}
		if i+n == len(w) && m.suffix != "" {
			s += m.suffix
		}
		i += n
		if id, ok := m.vocab[s]; ok {
			flushUnk()
			ws.ids = append(ws.ids, int32(id))
			continue
		}
		if m.byteFallback {
			all := true
			for j := 0; j < len(s); j++ {
				if m.fallback[s[j]] < 0 {
					all = false
					break
				}
			}
			if all {
				// tokenizers pushes these without flushing a pending unknown
				// token first; so do we.
				for j := 0; j < len(s); j++ {
					ws.ids = append(ws.ids, int32(m.fallback[s[j]]))
				}
				continue
			}
		}
		if m.unk >= 0 {
			if unkPending && !m.fuseUnk {
				flushUnk()
			}
			unk, unkPending = m.unk, true
		}
	}
	flushUnk()
}

// workspace holds the buffers of one merge.
type workspace struct {
	chars      []byte
	ids        []int32
	prev, next []int32
	heap       []uint64 // rank<<32 | position
}

var workspaces = sync.Pool{New: func() any { return new(workspace) }}

func getWorkspace() *workspace { return workspaces.Get().(*workspace) }

func putWorkspace(ws *workspace) {
	ws.chars, ws.ids, ws.prev, ws.next, ws.heap = ws.chars[:0], ws.ids[:0], ws.prev[:0], ws.next[:0], ws.heap[:0]
	workspaces.Put(ws)
}

// merge applies the merges to ws.ids, lowest rank first and leftmost first
// among equal ranks, as tokenizers' Word::merge_all does.
func (m *bpe) merge(ws *workspace) []int32 {
	ids := ws.ids
	n := len(ids)
	if n < 2 {
		return ids
	}
	if n == 2 {
		if r, ok := m.merges[pairKey(int(ids[0]), int(ids[1]))]; ok {
			ids[0] = m.mergeID[r]
			return ids[:1]
		}
		return ids
	}
	for i := range n {
		ws.prev = append(ws.prev, int32(i-1))
		ws.next = append(ws.next, int32(i+1))
	}
	prev, next := ws.prev, ws.next
	next[n-1] = -1
	h := ws.heap
	for i := 0; i+1 < n; i++ {
		if r, ok := m.merges[pairKey(int(ids[i]), int(ids[i+1]))]; ok {
			h = heapPush(h, uint64(r)<<32|uint64(i))
		}
	}
	const dead = -2
	for len(h) > 0 {
		var top uint64
		top, h = heapPop(h)
		pos, rank := int32(top&0xffffffff), int32(top>>32)
		if prev[pos] == dead {
			continue
		}
		nx := next[pos]
		if nx < 0 {
			continue
		}
		if r, ok := m.merges[pairKey(int(ids[pos]), int(ids[nx]))]; !ok || r != rank {
			continue // stale
		}
		ids[pos] = m.mergeID[rank]
		// Unlink the right symbol.
		nn := next[nx]
		next[pos] = nn
		prev[nx] = dead
		if nn >= 0 {
			prev[nn] = pos
		}
		if p := prev[pos]; p >= 0 {
			if r, ok := m.merges[pairKey(int(ids[p]), int(ids[pos]))]; ok {
				h = heapPush(h, uint64(r)<<32|uint64(p))
			}
		}
		if nn >= 0 {
			if r, ok := m.merges[pairKey(int(ids[pos]), int(ids[nn]))]; ok {
				h = heapPush(h, uint64(r)<<32|uint64(pos))
			}
		}
	}
	ws.heap = h
	out := ids[:0]
	for i := int32(0); i >= 0; i = next[i] {
		out = append(out, ids[i])
	}
	return out
}

func heapPush(h []uint64, x uint64) []uint64 {
	h = append(h, x)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if h[p] <= x {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = x
	return h
}

func heapPop(h []uint64) (uint64, []uint64) {
	top := h[0]
	last := h[len(h)-1]
	h = h[:len(h)-1]
	n := len(h)
	if n == 0 {
		return top, h
	}
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		c := l
		if r := l + 1; r < n && h[r] < h[l] {
			c = r
		}
		if h[c] >= last {
			break
		}
		h[i] = h[c]
		i = c
	}
	h[i] = last
	return top, h
}

// wordCache maps words to their ids; sharded, each shard emptied when full.
type wordCache struct {
	seed   maphash.Seed
	shards [64]cacheShard
}

type cacheShard struct {
	mu sync.RWMutex
	m  map[string][]int
}

const cacheShardCap = 4096 // 262,144 words in all

func (c *wordCache) init() {
	c.seed = maphash.MakeSeed()
	for i := range c.shards {
		c.shards[i].m = make(map[string][]int)
	}
}

func (c *wordCache) shard(w string) *cacheShard {
	return &c.shards[maphash.String(c.seed, w)&63]
}

func (c *wordCache) get(w string) ([]int, bool) {
	s := c.shard(w)
	s.mu.RLock()
	ids, ok := s.m[w]
	s.mu.RUnlock()
	return ids, ok
}

func (c *wordCache) put(w string, ids []int) {
	s := c.shard(w)
	v := append([]int(nil), ids...)
	k := strings.Clone(w)
	s.mu.Lock()
	if len(s.m) >= cacheShardCap {
		clear(s.m)
	}
	s.m[k] = v
	s.mu.Unlock()
}
