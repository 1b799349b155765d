package lm

import (
	"math"
	"strings"
	"testing"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX's graph DSL reads best dot-imported.
	"github.com/gomlx/gomlx/core/tensors"
)

// TestAttentionVJP: attention with its own backward gives the values and
// the gradients (for every parameter) of attention differentiated by
// autodiff, on a padded batch with grouped KV heads.
func TestAttentionVJP(t *testing.T) {
	cfg, err := Preset("tiny")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.NumAttentionHeads == cfg.KVHeads() {
		cfg.NumKeyValueHeads = cfg.NumAttentionHeads / 2 // grouped queries, as the bundled model
	}
	m, err := NewRandom(cfg, RandomOptions{Seed: 3, Std: 0.2, NormJitter: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	be, err := Backend()
	if err != nil {
		t.Fatal(err)
	}
	n := len(m.Params())
	run := func(custom bool) [][]float32 {
		e, err := NewExec(be, func(g *Graph, in []*Node) []*Node {
			w, err := NewWeights(m.Config, in[:n])
			if err != nil {
				panic(err)
			}
			w.AttentionVJP = custom
			ids, mask, r := in[n], in[n+1], in[n+2]
			lp := w.TokenLogProbs(ids, mask, nil)
			loss := ReduceAllSum(Mul(lp, r))
			return append([]*Node{lp}, Gradient(loss, in[:n]...)...)
		})
		if err != nil {
			t.Fatal(err)
		}
		defer e.Finalize()
		b := PadRight([][]int{{1, 5, 9, 2, 7, 3, 3, 8, 4, 6}, {2, 4, 6}, {7, 7, 1, 9, 5, 2}}, BytePAD, 0)
		ids, mask := b.Tensors()
		rv := make([]float32, b.B*(b.T-1))
		for i := range rv {
			rv[i] = float32(i%7) - 3
		}
		args := []any{}
		for _, p := range m.Params() {
			args = append(args, p)
		}
		args = append(args, ids, mask, tensors.FromFlatDataAndDimensions(rv, b.B, b.T-1))
		out, err := e.Call(args...)
		if err != nil {
			t.Fatal(err)
		}
		var res [][]float32
		for _, o := range out {
			v, err := tensors.CopyFlatData[float32](o)
			if err != nil {
				t.Fatal(err)
			}
			res = append(res, v)
		}
		return res
	}
	want, got := run(false), run(true)
	for i := range want {
		var norm, diff float64
		for k := range want[i] {
			norm += float64(want[i][k]) * float64(want[i][k])
			diff += float64(want[i][k]-got[i][k]) * float64(want[i][k]-got[i][k])
		}
		what := "log-probs"
		if i > 0 {
			what = "gradient of " + m.Specs()[i-1].Name
		}
		if math.Sqrt(diff) > 1e-5*math.Max(1e-3, math.Sqrt(norm)) {
			t.Fatalf("%s: |Δ| %.3g, |x| %.3g", what, math.Sqrt(diff), math.Sqrt(norm))
		}
		if i > 0 && norm == 0 && strings.Contains(what, "proj") {
			t.Fatalf("%s is zero", what)
		}
	}
}
