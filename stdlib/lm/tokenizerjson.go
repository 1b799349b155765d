package lm

import (
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/securecoderl/securecoderl/stdlib/tokenizer"
)

// WriteByteTokenizer writes tokenizer.json (stdlib/tokenizer's
// ByteTokenizer: a Hugging Face byte-level BPE with the 256 byte tokens, id =
// byte value, no merges, and <|bos|> 256, <|eos|> 257, <|pad|> 258) and a
// tokenizer_config.json naming those tokens, for the byte vocabulary of the
// tiny and small presets.
func WriteByteTokenizer(dir string) error {
	if err := tokenizer.NewByteTokenizer().Save(filepath.Join(dir, "tokenizer.json")); err != nil {
		return err
	}
	return writeTokenizerConfig(dir)
}

// WriteTokenizer writes a tokenizer.json (such as tokenizer.TrainBPE's,
// whose <|bos|>, <|eos|> and <|pad|> are those of the byte tokenizer) and
// the tokenizer_config.json naming those tokens.
func WriteTokenizer(dir string, tokenizerJSON []byte) error {
	if err := os.WriteFile(filepath.Join(dir, "tokenizer.json"), tokenizerJSON, 0o644); err != nil {
		return err
	}
	return writeTokenizerConfig(dir)
}

func writeTokenizerConfig(dir string) error {
	tc := map[string]any{
		"tokenizer_class": "PreTrainedTokenizerFast",
		"bos_token":       tokenizer.ByteBOS, "eos_token": tokenizer.ByteEOS, "pad_token": tokenizer.BytePAD,
		"add_bos_token": true, "add_eos_token": false, "model_max_length": 1 << 20,
	}
	data, err := json.MarshalIndent(tc, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "tokenizer_config.json"), append(data, '\n'), 0o644)
}
