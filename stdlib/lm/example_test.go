package lm_test

import (
	"fmt"
	"os"

	"github.com/securecoderl/securecoderl/stdlib/lm"
)

// Build a random tiny model, save it in Hugging Face layout, load it back
// and compute the logits of a left-padded batch.
func Example() {
	cfg, _ := lm.Preset("tiny")
	m, err := lm.NewRandom(cfg, lm.RandomOptions{Seed: 1})
	if err != nil {
		panic(err)
	}
	dir, _ := os.MkdirTemp("", "tiny")
	defer os.RemoveAll(dir)
	if err := m.Save(dir, lm.SaveOptions{DType: "bfloat16"}); err != nil {
		panic(err)
	}
	m, err = lm.Load(dir, lm.LoadOptions{})
	if err != nil {
		panic(err)
	}
	r, err := lm.NewRunner(m, nil)
	if err != nil {
		panic(err)
	}
	defer r.Close()
	batch := lm.PadLeft([][]int{{lm.ByteBOS, 'h', 'i'}, {lm.ByteBOS}}, lm.BytePAD, 0)
	logits, err := r.Logits(batch)
	if err != nil {
		panic(err)
	}
	fmt.Println(m.NumParams(), "parameters;", len(logits), "logits =", batch.B, "×", batch.T, "×", cfg.VocabSize)
	// Output: 262720 parameters; 3072 logits = 2 × 3 × 512
}

// A preset's architecture, without weights.
func ExamplePreset() {
	c, _ := lm.Preset("deepseek-coder-1.3b")
	fmt.Printf("%d layers, hidden %d, %d heads of %d, rope theta %g ×%g, %.2fB parameters\n",
		c.NumHiddenLayers, c.HiddenSize, c.NumAttentionHeads, c.HeadDim(), c.RopeTheta, c.RopeFactor(), float64(c.ParamCount())/1e9)
	// Output: 24 layers, hidden 2048, 16 heads of 128, rope theta 100000 ×4, 1.35B parameters
}
