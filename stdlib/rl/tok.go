package rl

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/securecoderl/securecoderl/stdlib/lm"
	"github.com/securecoderl/securecoderl/stdlib/tokenizer"
)

// Tokenizer is what training and evaluation need from a tokenizer:
// EncodeOrdinary for prompts and completions (special tokens written in
// model-written text stay text), Decode, and the special ids.
// stdlib/tokenizer's HF and ByteTokenizer satisfy it.
type Tokenizer interface {
	Encode(text string, addSpecial bool) []int
	EncodeOrdinary(text string, addSpecial bool) []int
	Decode(ids []int, skipSpecial bool) string
	BOS() int
	EOS() int
	PAD() int
}

// LoadTokenizer returns the tokenizer of a model directory: its
// tokenizer.json (with tokenizer_config.json and generation_config.json),
// or, for a model over the byte vocabulary without one, the byte
// tokenizer. A tokenizer without an EOS id is an error naming the
// directory (completions could never end).
func LoadTokenizer(dir string) (Tokenizer, error) {
	if _, err := os.Stat(filepath.Join(dir, "tokenizer.json")); err != nil {
		cfg, cerr := lm.LoadConfig(dir)
		if cerr == nil && cfg.VocabSize >= lm.ByteVocab && cfg.BOSTokenID != nil && *cfg.BOSTokenID == lm.ByteBOS {
			return tokenizer.NewByteTokenizer(), nil
		}
		return nil, fmt.Errorf("model %s has no tokenizer.json", dir)
	}
	t, err := tokenizer.Load(dir)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", dir, err)
	}
	if t.EOS() < 0 {
		return nil, fmt.Errorf("model %s: the tokenizer has no end-of-sequence token", dir)
	}
	return t, nil
}
