package tokenizer

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// Tokenizer turns text into token ids and back.
type Tokenizer interface {
	// Encode returns the ids of text. Special tokens written in the text
	// (such as <|endoftext|>) are recognized as such. addSpecial adds what
	// the tokenizer adds around a sequence, such as a BOS token.
	Encode(text string, addSpecial bool) []int
	// Decode returns the text of ids; skipSpecial leaves special tokens out.
	// Unknown ids are skipped.
	Decode(ids []int, skipSpecial bool) string
	// TokenToID returns the id of a token (in its vocabulary form).
	TokenToID(token string) (int, bool)
	// IDToToken returns the vocabulary form of a token.
	IDToToken(id int) (string, bool)
	// VocabSize is one more than the largest id.
	VocabSize() int
	// BOS, EOS and PAD return the ids of these tokens, or -1.
	BOS() int
	EOS() int
	PAD() int
}

// HF is a tokenizer read from a Hugging Face tokenizer.json.
type HF struct {
	tokens     []string // id -> token; "" where unused
	special    []bool   // id -> special added token
	present    []bool   // id -> used
	byToken    map[string]int
	added      []AddedToken
	rawTrie    *trie // added tokens matched before normalization
	normTrie   *trie // added tokens matched after it
	hasNormTok bool

	normalizer normalizer
	pre        preTokenizer
	model      *bpe
	prefix     []int // post-processing with addSpecial
	suffix     []int
	decoder    decoder
	fastDecode [][]byte // per id, when the decoder is ByteLevel alone

	bos, eos, pad int
	eosIDs        []int
}

var _ Tokenizer = (*HF)(nil)

type fileJSON struct {
	AddedTokens   []AddedToken    `json:"added_tokens"`
	Normalizer    json.RawMessage `json:"normalizer"`
	PreTokenizer  json.RawMessage `json:"pre_tokenizer"`
	PostProcessor json.RawMessage `json:"post_processor"`
	Decoder       json.RawMessage `json:"decoder"`
	Model         bpeJSON         `json:"model"`
	Padding       *struct {
		PadID    *int   `json:"pad_id"`
		PadToken string `json:"pad_token"`
	} `json:"padding"`
}

// Load reads a tokenizer.json (or the one in a directory), and the
// tokenizer_config.json and generation_config.json beside it when present.
func Load(path string) (*HF, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		path = filepath.Join(path, "tokenizer.json")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	t, err := FromJSON(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	dir := filepath.Dir(path)
	tc, err := readConfig[tokenizerConfig](filepath.Join(dir, "tokenizer_config.json"))
	if err != nil {
		return nil, err
	}
	gc, err := readConfig[generationConfig](filepath.Join(dir, "generation_config.json"))
	if err != nil {
		return nil, err
	}
	if err := t.applyConfigs(tc, gc); err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	return t, nil
}

// FromJSON reads the contents of a tokenizer.json.
func FromJSON(data []byte) (*HF, error) {
	var f fileJSON
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("tokenizer.json: %w", err)
	}
	t := &HF{bos: -1, eos: -1, pad: -1}
	var err error
	if t.model, err = buildBPE(&f.Model); err != nil {
		return nil, err
	}
	if t.normalizer, err = buildNormalizer(f.Normalizer); err != nil {
		return nil, err
	}
	if t.pre, err = buildPreTokenizer(f.PreTokenizer); err != nil {
		return nil, err
	}
	if bl := lastByteLevel(t.pre); bl != nil {
		bl.lazy = true
		t.model.setRawBytes()
		t.pre = withoutIdentity(t.pre)
	}
	if t.decoder, err = buildDecoder(f.Decoder); err != nil {
		return nil, err
	}

	// The id table: model vocab, then added tokens over it.
	size := 0
	for _, id := range t.model.vocab {
		size = max(size, id+1)
	}
	for _, a := range f.AddedTokens {
		size = max(size, a.ID+1)
	}
	t.tokens = make([]string, size)
	t.special = make([]bool, size)
	t.present = make([]bool, size)
	for tok, id := range t.model.vocab {
		if id < 0 {
			return nil, fmt.Errorf("negative id %d for %q", id, tok)
		}
		t.tokens[id], t.present[id] = tok, true
	}
	t.byToken = make(map[string]int, len(f.AddedTokens))
	t.added = f.AddedTokens
	t.rawTrie, t.normTrie = newTrie(), newTrie()
	for i, a := range f.AddedTokens {
		if a.ID < 0 {
			return nil, fmt.Errorf("added token %q: negative id", a.Content)
		}
		t.tokens[a.ID], t.present[a.ID], t.special[a.ID] = a.Content, true, a.Special
		t.byToken[a.Content] = a.ID
		if a.Normalized {
			p := a.Content
			if t.normalizer != nil {
				p = t.normalizer.normalize(p)
			}
			t.normTrie.add(p, i)
			t.hasNormTok = true
		} else {
			t.rawTrie.add(a.Content, i)
		}
	}

	if t.prefix, t.suffix, err = buildPostProcessor(f.PostProcessor); err != nil {
		return nil, err
	}
	for _, id := range append(slices.Clone(t.prefix), t.suffix...) {
		if id < 0 || id >= size || !t.present[id] {
			return nil, fmt.Errorf("post_processor: id %d is not in the vocabulary", id)
		}
	}
	if _, ok := t.decoder.(decByteLevel); ok {
		t.fastDecode = make([][]byte, size)
		for id, tok := range t.tokens {
			if b, ok := byteLevelDecode(tok); ok {
				t.fastDecode[id] = b
			} else {
				t.fastDecode[id] = []byte(tok)
			}
		}
	}

	if f.Padding != nil && f.Padding.PadID != nil {
		t.pad = *f.Padding.PadID
	}
	t.guessSpecials()
	return t, nil
}

// Encode implements Tokenizer.
func (t *HF) Encode(text string, addSpecial bool) []int {
	return t.encode(text, addSpecial, false)
}

// EncodeOrdinary is Encode for untrusted text: special tokens written in it
// are encoded as their characters, not as special tokens (added tokens that
// are not special still match).
func (t *HF) EncodeOrdinary(text string, addSpecial bool) []int {
	return t.encode(text, addSpecial, true)
}

func (t *HF) encode(text string, addSpecial, ordinary bool) []int {
	ids := make([]int, 0, len(text)/3+len(t.prefix)+len(t.suffix)+1)
	if addSpecial {
		ids = append(ids, t.prefix...)
	}
	var segs, segs2 []segment
	emit := func(w string) { ids = t.model.encodeWord(ids, w) }
	segs = splitAdded(segs, text, t.rawTrie, t.added, ordinary)
	for _, sg := range segs {
		if sg.id >= 0 {
			ids = append(ids, sg.id)
			continue
		}
		s := sg.text
		if t.normalizer != nil {
			s = t.normalizer.normalize(s)
		}
		segs2 = segs2[:0]
		if t.hasNormTok {
			segs2 = splitAdded(segs2, s, t.normTrie, t.added, ordinary)
		} else {
			segs2 = append(segs2, segment{s, -1})
		}
		for _, sg2 := range segs2 {
			if sg2.id >= 0 {
				ids = append(ids, sg2.id)
				continue
			}
			if t.pre == nil {
				ids = t.model.encodeWord(ids, sg2.text)
				continue
			}
			t.pre.split(sg2.text, emit)
		}
	}
	if addSpecial {
		ids = append(ids, t.suffix...)
	}
	return ids
}

// Decode implements Tokenizer.
func (t *HF) Decode(ids []int, skipSpecial bool) string {
	if t.fastDecode != nil {
		n := 0
		for _, id := range ids {
			if id >= 0 && id < len(t.fastDecode) {
				n += len(t.fastDecode[id])
			}
		}
		buf := make([]byte, 0, n)
		for _, id := range ids {
			if id < 0 || id >= len(t.tokens) || !t.present[id] || skipSpecial && t.special[id] {
				continue
			}
			buf = append(buf, t.fastDecode[id]...)
		}
		return string(buf)
	}
	toks := make([]string, 0, len(ids))
	for _, id := range ids {
		if id < 0 || id >= len(t.tokens) || !t.present[id] || skipSpecial && t.special[id] {
			continue
		}
		toks = append(toks, t.tokens[id])
	}
	if t.decoder == nil {
		return joinSpace(toks)
	}
	return concat(t.decoder.decodeChain(toks))
}

// Tokens returns the vocabulary form of each id ("" for unknown ids).
func (t *HF) Tokens(ids []int) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i], _ = t.IDToToken(id)
	}
	return out
}

// TokenToID implements Tokenizer; added tokens come first, as in tokenizers.
func (t *HF) TokenToID(token string) (int, bool) {
	if id, ok := t.byToken[token]; ok {
		return id, true
	}
	id, ok := t.model.vocab[token]
	return id, ok
}

// IDToToken implements Tokenizer.
func (t *HF) IDToToken(id int) (string, bool) {
	if id < 0 || id >= len(t.tokens) || !t.present[id] {
		return "", false
	}
	return t.tokens[id], true
}

// IsSpecial reports whether id is a special added token.
func (t *HF) IsSpecial(id int) bool { return id >= 0 && id < len(t.special) && t.special[id] }

// VocabSize implements Tokenizer.
func (t *HF) VocabSize() int { return len(t.tokens) }

// BOS implements Tokenizer.
func (t *HF) BOS() int { return t.bos }

// EOS implements Tokenizer.
func (t *HF) EOS() int { return t.eos }

// PAD implements Tokenizer.
func (t *HF) PAD() int { return t.pad }

// EOSIDs returns every id that ends generation: EOS, and those
// generation_config.json lists.
func (t *HF) EOSIDs() []int { return slices.Clone(t.eosIDs) }

// SpecialPrefix and SpecialSuffix return what Encode(text, true) adds.
func (t *HF) SpecialPrefix() []int { return slices.Clone(t.prefix) }

// SpecialSuffix: see SpecialPrefix.
func (t *HF) SpecialSuffix() []int { return slices.Clone(t.suffix) }

// --- special tokens and configs ---------------------------------------------

// Names of BOS, EOS and PAD tokens, tried when no config names them.
var (
	bosNames = []string{"<|begin_of_text|>", "<｜begin▁of▁sentence｜>", "<|bos|>", "<s>", "<bos>", "<|startoftext|>"}
	eosNames = []string{"<|end_of_text|>", "<｜end▁of▁sentence｜>", "<|eos|>", "</s>", "<eos>", "<|endoftext|>"}
	padNames = []string{"<|pad|>", "<｜▁pad▁｜>", "<pad>", "<|finetune_right_pad_id|>"}
)

func (t *HF) guessSpecials() {
	find := func(names []string) int {
		for _, n := range names {
			if id, ok := t.byToken[n]; ok {
				return id
			}
		}
		return -1
	}
	if t.bos < 0 {
		if len(t.prefix) > 0 && t.IsSpecial(t.prefix[0]) {
			t.bos = t.prefix[0]
		} else {
			t.bos = find(bosNames)
		}
	}
	if t.eos < 0 {
		t.eos = find(eosNames)
	}
	if t.pad < 0 {
		t.pad = find(padNames)
	}
	t.eosIDs = nil
	if t.eos >= 0 {
		t.eosIDs = []int{t.eos}
	}
}

// tokenName is a token in a config: "<s>" or {"content": "<s>", ...}.
type tokenName string

func (n *tokenName) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*n = tokenName(s)
		return nil
	}
	var o struct {
		Content string `json:"content"`
	}
	if err := json.Unmarshal(b, &o); err != nil {
		return err
	}
	*n = tokenName(o.Content)
	return nil
}

type tokenizerConfig struct {
	BOS            *tokenName `json:"bos_token"`
	EOS            *tokenName `json:"eos_token"`
	PAD            *tokenName `json:"pad_token"`
	AddBOS         *bool      `json:"add_bos_token"`
	AddEOS         *bool      `json:"add_eos_token"`
	TokenizerClass string     `json:"tokenizer_class"`
}

// ids is an id or a list of them.
type ids []int

func (v *ids) UnmarshalJSON(b []byte) error {
	var one *int
	if err := json.Unmarshal(b, &one); err == nil {
		*v = nil
		if one != nil {
			*v = ids{*one}
		}
		return nil
	}
	var many []int
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*v = many
	return nil
}

type generationConfig struct {
	BOS ids `json:"bos_token_id"`
	EOS ids `json:"eos_token_id"`
	PAD ids `json:"pad_token_id"`
}

func readConfig[T any](path string) (*T, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &v, nil
}

// applyConfigs takes BOS, EOS and PAD from the configs and, as transformers
// does, replaces the post-processor by "[BOS] $A [EOS]" when
// tokenizer_config.json sets add_bos_token or add_eos_token
// (LlamaTokenizerFast and CodeLlamaTokenizerFast default add_bos_token to
// true).
func (t *HF) applyConfigs(tc *tokenizerConfig, gc *generationConfig) error {
	byName := func(n *tokenName, what string) (int, error) {
		if n == nil || *n == "" {
			return -1, nil
		}
		id, ok := t.TokenToID(string(*n))
		if !ok {
			return -1, fmt.Errorf("tokenizer_config.json: %s %q is not a token", what, string(*n))
		}
		return id, nil
	}
	bos, eos, pad := -1, -1, -1
	var err error
	if tc != nil {
		if bos, err = byName(tc.BOS, "bos_token"); err != nil {
			return err
		}
		if eos, err = byName(tc.EOS, "eos_token"); err != nil {
			return err
		}
		if pad, err = byName(tc.PAD, "pad_token"); err != nil {
			return err
		}
	}
	var genEOS []int
	if gc != nil {
		for _, list := range [][]int{gc.BOS, gc.EOS, gc.PAD} {
			for _, id := range list {
				if _, ok := t.IDToToken(id); !ok {
					return fmt.Errorf("generation_config.json: id %d is not in the vocabulary", id)
				}
			}
		}
		if bos < 0 && len(gc.BOS) > 0 {
			bos = gc.BOS[0]
		}
		if eos < 0 && len(gc.EOS) > 0 {
			eos = gc.EOS[0]
		}
		if pad < 0 && len(gc.PAD) > 0 {
			pad = gc.PAD[0]
		}
		genEOS = gc.EOS
	}
	if tc != nil {
		addBOS, addEOS := tc.AddBOS, tc.AddEOS
		switch tc.TokenizerClass {
		case "LlamaTokenizerFast", "LlamaTokenizer", "CodeLlamaTokenizerFast", "CodeLlamaTokenizer":
			if addBOS == nil {
				addBOS = new(true)
			}
		}
		if addBOS != nil || addEOS != nil {
			t.prefix, t.suffix = nil, nil
			if addBOS != nil && *addBOS {
				if bos < 0 {
					return errors.New("tokenizer_config.json: add_bos_token without a bos_token")
				}
				t.prefix = []int{bos}
			}
			if addEOS != nil && *addEOS {
				if eos < 0 {
					return errors.New("tokenizer_config.json: add_eos_token without an eos_token")
				}
				t.suffix = []int{eos}
			}
		}
	}
	if bos >= 0 {
		t.bos = bos
	}
	if eos >= 0 {
		t.eos = eos
	}
	if pad >= 0 {
		t.pad = pad
	}
	t.guessSpecials()
	for _, id := range genEOS {
		if !slices.Contains(t.eosIDs, id) {
			t.eosIDs = append(t.eosIDs, id)
		}
	}
	return nil
}
