package tokenizer

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// PatternDigits is the pre-tokenizer split of the tokenizers TrainBPE
// writes by default: Qwen's pattern (cl100k's with single digits), so
// numbers are read digit by digit and a model can copy any number it has
// not seen whole.
const PatternDigits = patQwen

// TrainOptions configures TrainBPE.
type TrainOptions struct {
	// VocabSize is the size of the vocabulary: the 256 byte tokens, the
	// special tokens, then the merges.
	VocabSize int
	// Specials are the special tokens, with ids 256, 257, … in order
	// (default <|bos|>, <|eos|>, <|pad|>: the ids of ByteTokenizer, so a
	// model's BOS, EOS and PAD do not depend on the vocabulary). The first
	// is prepended by Encode(text, true).
	Specials []string
	// Pattern is the Split pre-tokenizer's regex (default PatternDigits).
	Pattern string
	// MinFrequency stops training before VocabSize when the best pair is
	// rarer (default 2).
	MinFrequency int
}

// TrainStats describes a training run.
type TrainStats struct {
	Words       int `json:"words"`        // pre-tokenized words seen
	UniqueWords int `json:"unique_words"` // distinct ones
	Bytes       int `json:"bytes"`
	Merges      int `json:"merges"`
	// Tokens is the number of tokens of the training texts after the
	// merges: Bytes / Tokens is the compression.
	Tokens int `json:"tokens"`
}

// TrainBPE learns a byte-level BPE from texts (the classic algorithm:
// repeatedly merge the most frequent adjacent pair within pre-tokenized
// words; ties go to the lexicographically smallest pair) and returns it as a
// Hugging Face tokenizer.json: Split(pattern) then ByteLevel pre-tokenizer,
// BPE model with merges in order, ByteLevel decoder, a template that
// prepends the first special token. Ids 0–255 are the bytes (id = byte
// value), then the specials, then one token per merge. The result loads
// with Load/FromJSON (and with Hugging Face tokenizers) and round-trips
// every text exactly.
func TrainBPE(ctx context.Context, texts []string, opts TrainOptions) ([]byte, TrainStats, error) {
	var st TrainStats
	if len(opts.Specials) == 0 {
		opts.Specials = []string{ByteBOS, ByteEOS, BytePAD}
	}
	if opts.Pattern == "" {
		opts.Pattern = PatternDigits
	}
	if opts.MinFrequency <= 0 {
		opts.MinFrequency = 2
	}
	base := 256 + len(opts.Specials)
	if opts.VocabSize < base {
		return nil, st, fmt.Errorf("tokenizer: vocabulary of %d is smaller than the %d byte and special tokens", opts.VocabSize, base)
	}
	m, err := newRegexMatcher(opts.Pattern)
	if err != nil {
		return nil, st, err
	}
	counts := map[string]int{}
	for i, t := range texts {
		if i%1024 == 0 && ctx.Err() != nil {
			return nil, st, ctx.Err()
		}
		st.Bytes += len(t)
		m.find(t, func(a, b int) {
			counts[t[a:b]]++
			st.Words++
		})
	}
	st.UniqueWords = len(counts)

	// Words as symbol sequences; pair counts and the words holding each pair.
	type word struct {
		syms []int32
		n    int
	}
	uniq := make([]string, 0, len(counts))
	for w := range counts {
		uniq = append(uniq, w)
	}
	slices.Sort(uniq)
	words := make([]word, len(uniq))
	for i, w := range uniq {
		syms := make([]int32, len(w))
		for j := 0; j < len(w); j++ {
			syms[j] = int32(w[j])
		}
		words[i] = word{syms, counts[w]}
	}
	type pair struct{ a, b int32 }
	pairCount := map[pair]int{}
	where := map[pair]map[int32]struct{}{}
	addPairs := func(wi int, sign int) {
		w := words[wi]
		for j := 0; j+1 < len(w.syms); j++ {
			p := pair{w.syms[j], w.syms[j+1]}
			pairCount[p] += sign * w.n
			if sign > 0 {
				if where[p] == nil {
					where[p] = map[int32]struct{}{}
				}
				where[p][int32(wi)] = struct{}{}
			}
		}
	}
	for i := range words {
		addPairs(i, 1)
	}
	// Token texts (bytes) by id; specials have no bytes.
	tokBytes := make([]string, base, opts.VocabSize)
	for i := range 256 {
		tokBytes[i] = string([]byte{byte(i)})
	}
	var merges [][2]int32
	for len(tokBytes) < opts.VocabSize {
		if len(merges)%64 == 0 && ctx.Err() != nil {
			return nil, st, ctx.Err()
		}
		best, bestN := pair{}, 0
		for p, n := range pairCount {
			if n > bestN || n == bestN && n > 0 && pairLess(tokBytes, p.a, p.b, best.a, best.b) {
				best, bestN = p, n
			}
		}
		if bestN < opts.MinFrequency {
			break
		}
		id := int32(len(tokBytes))
		tokBytes = append(tokBytes, tokBytes[best.a]+tokBytes[best.b])
		merges = append(merges, [2]int32{best.a, best.b})
		ws := where[best]
		idxs := make([]int32, 0, len(ws))
		for wi := range ws {
			idxs = append(idxs, wi)
		}
		slices.Sort(idxs)
		for _, wi := range idxs {
			w := &words[wi]
			if !containsPair(w.syms, best.a, best.b) {
				continue
			}
			addPairs(int(wi), -1)
			out := w.syms[:0]
			for j := 0; j < len(w.syms); j++ {
				if j+1 < len(w.syms) && w.syms[j] == best.a && w.syms[j+1] == best.b {
					out = append(out, id)
					j++
				} else {
					out = append(out, w.syms[j])
				}
			}
			w.syms = out
			addPairs(int(wi), 1)
		}
		delete(pairCount, best)
		delete(where, best)
		for p, n := range pairCount {
			if n == 0 {
				delete(pairCount, p)
			}
		}
	}
	st.Merges = len(merges)
	for _, w := range words {
		st.Tokens += len(w.syms) * w.n
	}
	data, err := trainedJSON(tokBytes, merges, opts)
	return data, st, err
}

func containsPair(s []int32, a, b int32) bool {
	for j := 0; j+1 < len(s); j++ {
		if s[j] == a && s[j+1] == b {
			return true
		}
	}
	return false
}

// pairLess orders pairs by their tokens' bytes (deterministic ties).
func pairLess(tok []string, a1, b1, a2, b2 int32) bool {
	if c := cmp.Compare(tok[a1], tok[a2]); c != 0 {
		return c < 0
	}
	return tok[b1] < tok[b2]
}

// trainedJSON writes the tokenizer.json of a trained BPE.
func trainedJSON(tokBytes []string, merges [][2]int32, opts TrainOptions) ([]byte, error) {
	type obj = map[string]any
	level := func(s string) string { return byteLevelEncode(s) }
	vocab := make(obj, len(tokBytes))
	for i := range 256 {
		vocab[byteToString[i]] = i
	}
	base := 256 + len(opts.Specials)
	for i := base; i < len(tokBytes); i++ {
		vocab[level(tokBytes[i])] = i
	}
	ms := make([][2]string, len(merges))
	for i, m := range merges {
		ms[i] = [2]string{level(tokBytes[m[0]]), level(tokBytes[m[1]])}
	}
	added := make([]AddedToken, len(opts.Specials))
	for i, s := range opts.Specials {
		added[i] = AddedToken{ID: 256 + i, Content: s, Special: true}
	}
	bos := opts.Specials[0]
	seq := obj{"Sequence": obj{"id": "A", "type_id": 0}}
	f := obj{
		"version":      "1.0",
		"truncation":   nil,
		"padding":      nil,
		"added_tokens": added,
		"normalizer":   nil,
		"pre_tokenizer": obj{"type": "Sequence", "pretokenizers": []any{
			obj{"type": "Split", "pattern": obj{"Regex": opts.Pattern}, "behavior": "Isolated", "invert": false},
			obj{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false},
		}},
		"post_processor": obj{
			"type":   "TemplateProcessing",
			"single": []any{obj{"SpecialToken": obj{"id": bos, "type_id": 0}}, seq},
			"pair": []any{obj{"SpecialToken": obj{"id": bos, "type_id": 0}}, seq,
				obj{"Sequence": obj{"id": "B", "type_id": 1}}},
			"special_tokens": obj{bos: obj{"id": bos, "ids": []int{256}, "tokens": []string{bos}}},
		},
		"decoder": obj{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false},
		"model": obj{"type": "BPE", "dropout": nil, "unk_token": nil, "continuing_subword_prefix": nil,
			"end_of_word_suffix": nil, "fuse_unk": false, "byte_fallback": false, "ignore_merges": false,
			"vocab": vocab, "merges": ms},
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}
