package lora

import (
	"testing"

	"github.com/securecoderl/securecoderl/stdlib/lm"
)

// BenchmarkGradients times one gradient micro-batch of the study's adapter
// on the bundled model at PPO's shape (4 rows × 256 tokens: a 64-token
// prompt and 192 completion tokens), the unit the PPO optimisation phase
// repeats; compare builds with benchstat.
func BenchmarkGradients(b *testing.B) {
	m, err := lm.Load("../../models/scrl-base", lm.LoadOptions{})
	if err != nil {
		b.Skip(err)
	}
	a, err := New(m.Config, StudyConfig(), 1)
	if err != nil {
		b.Fatal(err)
	}
	tr, err := NewTrainer(m, a, DefaultTrainConfig())
	if err != nil {
		b.Fatal(err)
	}
	defer tr.Close()
	prompts, completions := make([][]int, 4), make([][]int, 4)
	for i := range prompts {
		prompts[i], completions[i] = make([]int, 64), make([]int, 192)
		for j := range prompts[i] {
			prompts[i][j] = 65 + (i+j)%26
		}
		for j := range completions[i] {
			completions[i][j] = 97 + (i*7+j)%26
		}
	}
	batch := CompletionBatch(prompts, completions, lm.BytePAD)
	run := func() {
		_, _, grads, err := tr.Gradients(batch)
		if err != nil {
			b.Fatal(err)
		}
		for _, g := range grads {
			g.FinalizeAll()
		}
	}
	run() // compile
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		run()
	}
}
