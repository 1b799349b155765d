package rl

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/securecoderl/securecoderl/stdlib/lm"
	"github.com/securecoderl/securecoderl/stdlib/lm/native"
	"github.com/securecoderl/securecoderl/stdlib/lora"
)

// TestNativeGradients checks the native training pass against the step
// graph: the same loss, weight, metrics and gradients (adapter factors and
// value head) on micro-batches with rows of different lengths and an
// all-padding row, at first scored positions 0 and past the shortest
// prompt: PPO with a value head and every projection adapted at a rank the
// kernels pad (6); GRPO without a value head, two projections of one
// layer adapted at rank 16.
func TestNativeGradients(t *testing.T) {
	for _, tc := range []struct {
		name string
		lora lora.Config
		head bool
		obj  Objective
	}{
		{"ppo", lora.Config{R: 6, Alpha: 12, TargetModules: lm.Modules}, true, PPOObjective{ClipEps: 0.2, VFCoef: 0.5, EntCoef: 0.01}},
		{"grpo", lora.Config{R: 16, Alpha: 16, TargetModules: []string{"v_proj", "up_proj"}, Layers: []int{1}}, false, GRPOObjective{ClipEps: 0.2, KLCoef: 0.04}},
	} {
		t.Run(tc.name, func(t *testing.T) { testNativeGradients(t, tc.lora, tc.head, tc.obj) })
	}
}

func testNativeGradients(t *testing.T, lc lora.Config, withHead bool, obj Objective) {
	m := tinyModel(t)
	a, err := lora.New(m.Config, lc, 3)
	if err != nil {
		t.Fatal(err)
	}
	randomizeB(a, 5, 0.05)
	rng := rand.New(rand.NewPCG(11, 12))
	var head *ValueHead
	if withHead {
		head = randomHead(m.Config.HiddenSize, rng, 0.3, 0.1)
	}
	tr, err := NewTrainer(m, a, head, TrainerConfig{Optim: OptimConfig{LR: 1e-3}, Objective: obj, Temperature: 0.7, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if !tr.NativeTraining() {
		t.Skip("the native training pass cannot run here")
	}
	prompts := [][]int{append([]int{lm.ByteBOS}, randIDs(rng, 40)...), append([]int{lm.ByteBOS}, randIDs(rng, 35)...), {lm.ByteBOS, 'x'}}
	comps := [][]int{randIDs(rng, 30), randIDs(rng, 9), randIDs(rng, 50)}
	b := padRows(lora.CompletionBatch(prompts, comps, lm.BytePAD), 4)
	b.Extra = map[string][]float32{}
	for _, name := range tr.extra {
		x := make([]float32, b.B*b.T)
		for i := range x {
			if b.LossMask[i] != 0 {
				x[i] = float32(rng.NormFloat64())
				if strings.HasSuffix(name, "logprobs") {
					x[i] = -2 + 0.3*x[i]
				}
			}
		}
		b.Extra[name] = x
	}
	for _, from := range []int{0, headFrom(b)} {
		ls, ws, ms, rng1, g, err := tr.callFrom(true, tr.rng, b, from)
		if err != nil {
			t.Fatal(err)
		}
		rng1.FinalizeAll()
		nat := tr.nat
		tr.nat = nil
		gls, gws, gms, rng2, gg, err := tr.callFrom(true, tr.rng, b, from)
		tr.nat = nat
		if err != nil {
			t.Fatal(err)
		}
		rng2.FinalizeAll()
		close := func(what string, x, y float64) {
			t.Helper()
			if math.Abs(x-y) > 1e-4*math.Max(1, math.Abs(y)) {
				t.Errorf("from %d: %s native %.7g, graph %.7g", from, what, x, y)
			}
		}
		close("loss", ls, gls)
		close("weight", ws, gws)
		for i, name := range tr.metrics {
			close(name, ms[i], gms[i])
		}
		if len(g) != len(gg) {
			t.Fatalf("%d gradients, graph %d", len(g), len(gg))
		}
		for i := range g {
			x, y := flat(t, g[i]), flat(t, gg[i])
			var scale float64
			for _, v := range y {
				scale = math.Max(scale, math.Abs(float64(v)))
			}
			if scale == 0 {
				t.Fatalf("%s: the graph's gradient is zero", tr.names[i])
			}
			for j := range y {
				if d := math.Abs(float64(x[j] - y[j])); d > 2e-3*scale {
					t.Fatalf("from %d %s[%d]: native %g, graph %g (scale %g)", from, tr.names[i], j, x[j], y[j], scale)
				}
			}
		}
	}
}

// BenchmarkTrainerGradients times one PPO gradient micro-batch on the
// bundled model at notebook-04's shape (4 rows of a 200-token prompt and
// 40–100 completion tokens, every projection adapted at rank 16, value
// head), on the native training pass and on the step graph: compare the
// two sub-benchmarks of one run.
func BenchmarkTrainerGradients(b *testing.B) {
	m, err := lm.Load("../../models/scrl-base", lm.LoadOptions{})
	if err != nil {
		b.Skip(err)
	}
	a, err := lora.New(m.Config, lora.Config{R: 16, Alpha: 32, TargetModules: lm.Modules}, 1)
	if err != nil {
		b.Fatal(err)
	}
	randomizeB(a, 2, 0.02)
	tr, err := NewTrainer(m, a, NewValueHead(m.Config.HiddenSize), TrainerConfig{Optim: OptimConfig{LR: 1e-4},
		Objective: PPOObjective{ClipEps: 0.2, VFCoef: 0.5}, Temperature: 0.7, Workers: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer tr.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	var prompts, comps [][]int
	for _, n := range []int{40, 60, 80, 100} {
		prompts, comps = append(prompts, randIDs(rng, 200)), append(comps, randIDs(rng, n))
	}
	batch := lora.CompletionBatch(prompts, comps, lm.BytePAD)
	batch = padRows(batch.Padded(bucketLen(batch.T), lm.BytePAD), 4)
	batch.Extra = map[string][]float32{}
	for _, name := range tr.extra {
		batch.Extra[name] = make([]float32, batch.B*batch.T)
	}
	nat := tr.nat
	for _, path := range []string{"native", "graph"} {
		b.Run(path, func(b *testing.B) {
			tr.nat = nil
			if path == "native" {
				if nat == nil {
					b.Skip("no native training pass here")
				}
				tr.nat = nat
			}
			run := func() {
				_, _, _, rng, grads, err := tr.call(true, tr.rng, batch)
				if err != nil {
					b.Fatal(err)
				}
				rng.FinalizeAll()
				freeAll(grads)
			}
			run() // compile
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				run()
			}
		})
	}
	tr.nat = nat
}

// TestNativeTrainingApplies checks where the native pass is used: an
// adapter without dropout (PPO, GRPO), not an adapter with dropout (SFT's
// default) nor full fine-tuning.
func TestNativeTrainingApplies(t *testing.T) {
	m := tinyModel(t)
	for _, tc := range []struct {
		name    string
		dropout float64
		full    bool
		want    bool
	}{{"adapter", 0, false, true}, {"dropout", 0.05, false, false}, {"full", 0, true, false}} {
		a, err := lora.New(m.Config, lora.Config{R: 4, Alpha: 8, Dropout: tc.dropout, TargetModules: []string{"q_proj"}}, 1)
		if err != nil {
			t.Fatal(err)
		}
		if tc.full {
			a = nil
		}
		tr, err := NewTrainer(m, a, nil, TrainerConfig{Optim: OptimConfig{LR: 1e-3}, Full: tc.full, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		want := tc.want && native.Fast()
		if got := tr.NativeTraining(); got != want {
			t.Errorf("%s: NativeTraining %v, want %v", tc.name, got, want)
		}
		tr.Close()
	}
}
