package tokenizer_test

import (
	"fmt"
	"log"

	"github.com/securecoderl/securecoderl/stdlib/tokenizer"
)

func ExampleLoad() {
	// A tokenizer.json (here a tiny SentencePiece-like BPE); Load also reads
	// tokenizer_config.json and generation_config.json beside it.
	tok, err := tokenizer.Load("testdata/tiny/spm_like.json")
	if err != nil {
		log.Fatal(err)
	}
	ids := tok.Encode("hello world", true)
	fmt.Println(ids)
	fmt.Println(tok.Tokens(ids))
	fmt.Printf("%q\n", tok.Decode(ids, true))
	fmt.Println(tok.BOS(), tok.EOS(), tok.VocabSize())
	// Output:
	// [1 269 271 263 272 262 273]
	// [<s> ▁hello ▁w o r l d]
	// "hello world"
	// 1 2 274
}

func ExampleByteTokenizer() {
	tok := tokenizer.NewByteTokenizer()
	ids := tok.Encode("hi<|eos|>", true)
	fmt.Println(ids)
	fmt.Printf("%q %q\n", tok.Decode(ids, false), tok.Decode(ids, true))
	fmt.Println(tok.VocabSize(), tok.BOS(), tok.EOS(), tok.PAD())
	// Output:
	// [256 104 105 257]
	// "<|bos|>hi<|eos|>" "hi"
	// 259 256 257 258
}

func ExampleFromJSON() {
	// The byte tokenizer's tokenizer.json reads back as an equivalent
	// tokenizer (Hugging Face tokenizers reads it too).
	data, err := tokenizer.NewByteTokenizer().JSON()
	if err != nil {
		log.Fatal(err)
	}
	tok, err := tokenizer.FromJSON(data)
	if err != nil {
		log.Fatal(err)
	}
	var t tokenizer.Tokenizer = tok
	fmt.Println(t.Encode("é!", true))
	fmt.Println(tok.Tokens(t.Encode("a b", false)))
	// Output:
	// [256 195 169 33]
	// [a Ġ b]
}

func ExampleHF_EncodeOrdinary() {
	data, err := tokenizer.NewByteTokenizer().JSON()
	if err != nil {
		log.Fatal(err)
	}
	tok, err := tokenizer.FromJSON(data)
	if err != nil {
		log.Fatal(err)
	}
	// Untrusted text cannot smuggle in special tokens.
	fmt.Println(tok.Encode("<|eos|>", false))
	fmt.Println(tok.EncodeOrdinary("<|eos|>", false))
	// Output:
	// [257]
	// [60 124 101 111 115 124 62]
}
