// Package tokenizer reads Hugging Face tokenizer.json files for byte-level BPE
// tokenizers (Llama-3, DeepSeek V3 and DeepSeek Coder, Qwen 2/2.5/3, GPT-2
// style) and encodes and decodes text with them, id for id as the Hugging
// Face tokenizers library (Rust) does. It also provides ByteTokenizer, a
// 256-byte tokenizer with <|bos|>, <|eos|> and <|pad|> for small models, that
// serializes to a tokenizer.json this package (and Hugging Face) reads back.
//
// Both implement Tokenizer.
//
// # What is read
//
// A tokenizer.json is read with its pipeline:
//
//   - added tokens, matched in the raw text first (leftmost, longest), honoring
//     special, normalized, lstrip, rstrip and single_word;
//   - normalizers: Sequence, NFC, NFD, NFKC, NFKD, Lowercase, Strip,
//     StripAccents, Replace, Prepend;
//   - pre-tokenizers: Sequence, Split (regex or string patterns, every
//     behavior, invert), ByteLevel (add_prefix_space, use_regex), Digits
//     (individual_digits), Whitespace, WhitespaceSplit;
//   - the BPE model: vocab, merges in the "a b" and the ["a", "b"] forms,
//     ignore_merges, byte_fallback, unk_token, fuse_unk,
//     continuing_subword_prefix and end_of_word_suffix;
//   - post-processors (with addSpecial): TemplateProcessing,
//     RobertaProcessing, BertProcessing, ByteLevel, Sequence;
//   - decoders: ByteLevel, ByteFallback, Fuse, Strip, Replace, Sequence.
//
// Split patterns are regular expressions in Oniguruma syntax with lookaround
// (such as \s+(?!\S)), which Go's regexp cannot express. The patterns of the
// Llama-3/GPT-4, Qwen, DeepSeek V3 and GPT-2 families are matched by
// hand-written matchers (tested against the general engine); any other
// pattern runs on github.com/dlclark/regexp2, whose \s, \p{L}, \p{N} and
// friends mean what they mean in Oniguruma.
//
// Load also reads tokenizer_config.json and generation_config.json when they
// sit beside tokenizer.json: they name the BOS, EOS and PAD tokens, and, as
// in the transformers library, add_bos_token / add_eos_token (true by default
// for LlamaTokenizerFast) decide what Encode(text, true) adds.
//
// # Exactness
//
// Golden tests compare every id with the Rust library on a corpus of Python
// programs, APPS statements and Unicode and whitespace edge cases. Two
// deliberate differences: Decode returns the decoded bytes as they are, where
// Hugging Face replaces invalid UTF-8 with U+FFFD (so decoding a prefix of the
// ids can end in part of a character), and Encode accepts invalid UTF-8,
// encoding its bytes one to one, so Decode(Encode(s)) == s for any string
// when the tokenizer has no normalizer.
//
// Tokenizers are safe for concurrent use; BPE results are cached per
// pre-tokenized word.
package tokenizer
