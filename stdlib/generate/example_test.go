package generate_test

import (
	"context"
	"fmt"

	"github.com/securecoderl/securecoderl/stdlib/generate"
	"github.com/securecoderl/securecoderl/stdlib/lm"
	"github.com/securecoderl/securecoderl/stdlib/tokenizer"
)

// Sample two completions per prompt with temperature and nucleus sampling.
func Example() {
	cfg, _ := lm.Preset("tiny")
	m, _ := lm.NewRandom(cfg, lm.RandomOptions{Seed: 1})
	r, err := lm.NewRunner(m, nil)
	if err != nil {
		panic(err)
	}
	defer r.Close()
	g := generate.New(r, tokenizer.NewByteTokenizer())
	samples, err := g.Generate(context.Background(), []string{"def f(x):", "print("}, generate.Options{
		N: 2, MaxNewTokens: 8, Temperature: 0.7, TopP: 0.95, Seed: 1,
		EOS: []int{lm.ByteEOS}, PadID: lm.BytePAD, AddSpecial: true, Stop: []string{"\n\n"},
	})
	if err != nil {
		panic(err)
	}
	for _, s := range samples {
		fmt.Printf("prompt %d sample %d: %d tokens, %d sampling and %d raw log-probs\n",
			s.Prompt, s.Index, len(s.Tokens), len(s.LogProbs), len(s.RawLogProbs))
	}
	// Output:
	// prompt 0 sample 0: 8 tokens, 8 sampling and 8 raw log-probs
	// prompt 0 sample 1: 8 tokens, 8 sampling and 8 raw log-probs
	// prompt 1 sample 0: 8 tokens, 8 sampling and 8 raw log-probs
	// prompt 1 sample 1: 8 tokens, 8 sampling and 8 raw log-probs
}
