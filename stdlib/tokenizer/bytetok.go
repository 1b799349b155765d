package tokenizer

import (
	"encoding/json"
	"os"
)

// ByteTokenizer is the tokenizer of SecureCodeRL's own small models: ids 0 to
// 255 are the bytes, then come the special tokens <|bos|> (256), <|eos|>
// (257), <|pad|> (258) and any extra ones. It has no FIM tokens. Encode with
// addSpecial prepends <|bos|>.
//
// Its tokenizer.json (see JSON) is a byte-level BPE without merges that Load
// (and Hugging Face tokenizers) read back into an equivalent tokenizer.
type ByteTokenizer struct {
	specials []string
	added    []AddedToken
	trie     *trie
	byName   map[string]int
}

// The special tokens of ByteTokenizer.
const (
	ByteBOS = "<|bos|>"
	ByteEOS = "<|eos|>"
	BytePAD = "<|pad|>"
)

var _ Tokenizer = (*ByteTokenizer)(nil)

// NewByteTokenizer returns the byte tokenizer, with extra special tokens
// after <|pad|> (ids 259 and up).
func NewByteTokenizer(extraSpecial ...string) *ByteTokenizer {
	b := &ByteTokenizer{trie: newTrie(), byName: map[string]int{}}
	for _, s := range append([]string{ByteBOS, ByteEOS, BytePAD}, extraSpecial...) {
		if _, dup := b.byName[s]; dup || s == "" {
			continue
		}
		id := 256 + len(b.specials)
		b.specials = append(b.specials, s)
		b.byName[s] = id
		b.trie.add(s, len(b.added))
		b.added = append(b.added, AddedToken{ID: id, Content: s, Special: true})
	}
	return b
}

// Encode implements Tokenizer.
func (b *ByteTokenizer) Encode(text string, addSpecial bool) []int {
	ids := make([]int, 0, len(text)+1)
	if addSpecial {
		ids = append(ids, 256)
	}
	for _, sg := range splitAdded(nil, text, b.trie, b.added, false) {
		if sg.id >= 0 {
			ids = append(ids, sg.id)
			continue
		}
		for i := 0; i < len(sg.text); i++ {
			ids = append(ids, int(sg.text[i]))
		}
	}
	return ids
}

// EncodeOrdinary is Encode for untrusted text: special tokens written in it
// are encoded as their bytes.
func (b *ByteTokenizer) EncodeOrdinary(text string, addSpecial bool) []int {
	ids := make([]int, 0, len(text)+1)
	if addSpecial {
		ids = append(ids, 256)
	}
	for i := 0; i < len(text); i++ {
		ids = append(ids, int(text[i]))
	}
	return ids
}

// Decode implements Tokenizer.
func (b *ByteTokenizer) Decode(ids []int, skipSpecial bool) string {
	buf := make([]byte, 0, len(ids))
	for _, id := range ids {
		switch {
		case id >= 0 && id < 256:
			buf = append(buf, byte(id))
		case id >= 256 && id < 256+len(b.specials) && !skipSpecial:
			buf = append(buf, b.specials[id-256]...)
		}
	}
	return string(buf)
}

// TokenToID implements Tokenizer: bytes are named by their byte-level
// characters, as in the tokenizer.json ("Ġ" is the space).
func (b *ByteTokenizer) TokenToID(token string) (int, bool) {
	if id, ok := b.byName[token]; ok {
		return id, true
	}
	if bs, ok := byteLevelDecode(token); ok && len(bs) == 1 {
		return int(bs[0]), true
	}
	return 0, false
}

// IDToToken implements Tokenizer.
func (b *ByteTokenizer) IDToToken(id int) (string, bool) {
	switch {
	case id >= 0 && id < 256:
		return byteToString[id], true
	case id >= 256 && id < 256+len(b.specials):
		return b.specials[id-256], true
	}
	return "", false
}

// VocabSize implements Tokenizer.
func (b *ByteTokenizer) VocabSize() int { return 256 + len(b.specials) }

// BOS implements Tokenizer.
func (b *ByteTokenizer) BOS() int { return 256 }

// EOS implements Tokenizer.
func (b *ByteTokenizer) EOS() int { return 257 }

// PAD implements Tokenizer.
func (b *ByteTokenizer) PAD() int { return 258 }

// JSON returns the tokenizer as a Hugging Face tokenizer.json.
func (b *ByteTokenizer) JSON() ([]byte, error) {
	type obj = map[string]any
	byteLevel := obj{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false}
	vocab := make(obj, 256)
	for i := range 256 {
		vocab[byteToString[i]] = i
	}
	seq := obj{"Sequence": obj{"id": "A", "type_id": 0}}
	f := obj{
		"version":    "1.0",
		"truncation": nil,
		"padding": obj{"strategy": "BatchLongest", "direction": "Right", "pad_to_multiple_of": nil,
			"pad_id": 258, "pad_type_id": 0, "pad_token": BytePAD},
		"added_tokens":  b.added,
		"normalizer":    nil,
		"pre_tokenizer": byteLevel,
		"post_processor": obj{
			"type":   "TemplateProcessing",
			"single": []any{obj{"SpecialToken": obj{"id": ByteBOS, "type_id": 0}}, seq},
			"pair": []any{obj{"SpecialToken": obj{"id": ByteBOS, "type_id": 0}}, seq,
				obj{"Sequence": obj{"id": "B", "type_id": 1}}},
			"special_tokens": obj{ByteBOS: obj{"id": ByteBOS, "ids": []int{256}, "tokens": []string{ByteBOS}}},
		},
		"decoder": byteLevel,
		"model": obj{"type": "BPE", "dropout": nil, "unk_token": nil, "continuing_subword_prefix": nil,
			"end_of_word_suffix": nil, "fuse_unk": false, "byte_fallback": false, "ignore_merges": false,
			"vocab": vocab, "merges": []any{}},
	}
	return json.MarshalIndent(f, "", "  ")
}

// Save writes the tokenizer.json to path.
func (b *ByteTokenizer) Save(path string) error {
	data, err := b.JSON()
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
