package lora_test

import (
	"fmt"
	"os"

	"github.com/securecoderl/securecoderl/stdlib/lm"
	"github.com/securecoderl/securecoderl/stdlib/lora"
)

// Train the study's adapter (r=16, alpha=32, dropout 0.05 on q/k/v/o) on a
// completion, save it in PEFT format, load it back and merge it.
func Example() {
	cfg, _ := lm.Preset("tiny")
	base, _ := lm.NewRandom(cfg, lm.RandomOptions{Seed: 1})
	a, err := lora.New(cfg, lora.StudyConfig(), 1)
	if err != nil {
		panic(err)
	}
	tc := lora.DefaultTrainConfig()
	tc.LR = 1e-2
	tr, err := lora.NewTrainer(base, a, tc)
	if err != nil {
		panic(err)
	}
	defer tr.Close()
	// The loss covers the completion tokens only.
	b := lora.CompletionBatch([][]int{{lm.ByteBOS, 'Q', ':'}}, [][]int{{'4', '2', lm.ByteEOS}}, lm.BytePAD)
	first, _ := tr.Step(b)
	var last lora.StepStats
	for i := 0; i < 9; i++ {
		last, _ = tr.Step(b)
	}
	fmt.Println("loss went down:", last.Loss < first.Loss, "over", last.Step, "steps on", last.Weight, "tokens")

	dir, _ := os.MkdirTemp("", "adapter")
	defer os.RemoveAll(dir)
	if err := a.Save(dir); err != nil {
		panic(err)
	}
	back, err := lora.Load(dir, cfg)
	if err != nil {
		panic(err)
	}
	merged, err := lora.Merge(base, back)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(back.Targets), "adapted projections;", back.NumParams(), "adapter parameters; merged model has", merged.NumParams())
	// Output:
	// loss went down: true over 10 steps on 3 tokens
	// 16 adapted projections; 28672 adapter parameters; merged model has 262720
}
