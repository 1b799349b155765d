package optim_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/securecoderl/securecoderl/stdlib/optim"
)

func backend(t testing.TB) compute.Backend {
	t.Helper()
	be, err := gobackend.New("")
	if err != nil {
		t.Fatal(err)
	}
	return be
}

// reference is AdamW written out in float64, step by step, as
// torch.optim.AdamW does it after torch.nn.utils.clip_grad_norm_.
type reference struct {
	cfg   optim.Config
	decay []bool
	m, v  [][]float64
	step  int
}

func (r *reference) apply(params, grads [][]float64, weightSum, lr float64) (norm float64) {
	if r.m == nil {
		for _, p := range params {
			r.m = append(r.m, make([]float64, len(p)))
			r.v = append(r.v, make([]float64, len(p)))
		}
	}
	r.step++
	var sq float64
	for _, g := range grads {
		for _, x := range g {
			sq += (x / weightSum) * (x / weightSum)
		}
	}
	norm = math.Sqrt(sq)
	clip := 1.0
	if r.cfg.MaxGradNorm > 0 {
		clip = math.Min(1, r.cfg.MaxGradNorm/(norm+1e-6))
	}
	bc1 := 1 - math.Pow(r.cfg.Beta1, float64(r.step))
	bc2 := 1 - math.Pow(r.cfg.Beta2, float64(r.step))
	for i, p := range params {
		for j := range p {
			g := grads[i][j] / weightSum * clip
			r.m[i][j] = r.cfg.Beta1*r.m[i][j] + (1-r.cfg.Beta1)*g
			r.v[i][j] = r.cfg.Beta2*r.v[i][j] + (1-r.cfg.Beta2)*g*g
			upd := r.m[i][j] / bc1 / (math.Sqrt(r.v[i][j]/bc2) + r.cfg.Eps)
			if r.decay[i] {
				upd += r.cfg.WeightDecay * p[j]
			}
			p[j] -= lr * upd
		}
	}
	return norm
}

func toTensors(xs [][]float64) []*tensors.Tensor {
	var out []*tensors.Tensor
	for _, x := range xs {
		f := make([]float32, len(x))
		for i, v := range x {
			f[i] = float32(v)
		}
		out = append(out, tensors.FromFlatDataAndDimensions(f, len(f)))
	}
	return out
}

func TestAdamWMatchesReference(t *testing.T) {
	be := backend(t)
	cases := []struct {
		name     string
		cfg      optim.Config
		decay    []bool
		gradMult float64 // scales the gradients: large ones get clipped
	}{
		{"no clipping, no decay", optim.Config{}, []bool{true, true}, 1},
		{"clipped", optim.Config{MaxGradNorm: 0.5}, []bool{true, true}, 10},
		{"decay on the matrix only", optim.Config{WeightDecay: 0.1, MaxGradNorm: 1}, []bool{true, false}, 1},
		{"custom betas", optim.Config{Beta1: 0.8, Beta2: 0.99, Eps: 1e-6, MaxGradNorm: 100}, []bool{true, true}, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			params := [][]float64{{0.5, -0.25, 1, 2}, {0.1, -0.3}}
			want := [][]float64{append([]float64(nil), params[0]...), append([]float64(nil), params[1]...)}
			ref := &reference{cfg: tc.cfg.WithDefaults(), decay: tc.decay}
			cur := toTensors(params)
			o, err := optim.NewAdamW(be, cur, tc.decay, tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer o.Close()
			for step := 1; step <= 4; step++ {
				// Two micro-batches, accumulated; a loss sum normalised by weight 3.
				g1 := [][]float64{{0.3, -0.1, 0.2, 0.05 * float64(step)}, {-0.4, 0.2}}
				g2 := [][]float64{{0.1, 0.1, -0.3, 0.2}, {0.05, 0.1 * float64(step)}}
				sum := make([][]float64, 2)
				for i := range g1 {
					for j := range g1[i] {
						g1[i][j] *= tc.gradMult
						g2[i][j] *= tc.gradMult
						sum[i] = append(sum[i], g1[i][j]+g2[i][j])
					}
				}
				acc, err := o.Accumulate(nil, toTensors(g1))
				if err != nil {
					t.Fatal(err)
				}
				if acc, err = o.Accumulate(acc, toTensors(g2)); err != nil {
					t.Fatal(err)
				}
				var norm float64
				cur, norm, err = o.Apply(cur, nil, acc, 3, 0.01)
				if err != nil {
					t.Fatal(err)
				}
				wantNorm := ref.apply(want, sum, 3, 0.01)
				if math.Abs(norm-wantNorm) > 1e-5*math.Max(1, wantNorm) {
					t.Errorf("step %d: norm %g, want %g", step, norm, wantNorm)
				}
				for i := range cur {
					got := tensors.MustCopyFlatData[float32](cur[i])
					for j := range got {
						if math.Abs(float64(got[j])-want[i][j]) > 1e-5 {
							t.Errorf("step %d: param %d[%d] = %g, want %g", step, i, j, got[j], want[i][j])
						}
					}
				}
			}
			if o.Steps() != 4 {
				t.Errorf("Steps() = %d, want 4", o.Steps())
			}
		})
	}
}

// TestAdamWRestore: a second optimiser restored from the first one's
// moments and step takes the same next step.
func TestAdamWRestore(t *testing.T) {
	be := backend(t)
	cfg := optim.Config{WeightDecay: 0.01, MaxGradNorm: 1}
	p := [][]float64{{1, 2, 3}}
	a, err := optim.NewAdamW(be, toTensors(p), nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	cur := toTensors(p)
	for i := 0; i < 3; i++ {
		if cur, _, err = a.Apply(cur, nil, toTensors([][]float64{{0.1 * float64(i+1), -0.2, 0.3}}), 1, 0.1); err != nil {
			t.Fatal(err)
		}
	}
	ms, vs := a.Moments()
	m := [][]float32{tensors.MustCopyFlatData[float32](ms[0])}
	v := [][]float32{tensors.MustCopyFlatData[float32](vs[0])}
	vals := tensors.MustCopyFlatData[float32](cur[0])
	b, err := optim.NewAdamW(be, cur, nil, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Restore(a.Steps(), m, v); err != nil {
		t.Fatal(err)
	}
	if err := b.Restore(1, [][]float32{{1}}, v); err == nil {
		t.Error("Restore accepted moments of the wrong size")
	}
	g := [][]float64{{0.5, 0.5, -0.5}}
	outA, _, err := a.Apply(cur, nil, toTensors(g), 1, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	outB, _, err := b.Apply([]*tensors.Tensor{tensors.FromFlatDataAndDimensions(vals, 3)}, nil, toTensors(g), 1, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	xa, xb := tensors.MustCopyFlatData[float32](outA[0]), tensors.MustCopyFlatData[float32](outB[0])
	for i := range xa {
		if xa[i] != xb[i] {
			t.Fatalf("restored optimiser diverges: %v vs %v", xa, xb)
		}
	}
}

func TestAdamWErrors(t *testing.T) {
	be := backend(t)
	p := toTensors([][]float64{{1, 2}})
	if _, err := optim.NewAdamW(be, p, []bool{true, false}, optim.Config{}); err == nil {
		t.Error("NewAdamW accepted 2 decay flags for 1 parameter")
	}
	o, err := optim.NewAdamW(be, p, nil, optim.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if _, _, err := o.Apply(p, nil, toTensors([][]float64{{1, 1}}), 0, 0.1); err == nil {
		t.Error("Apply accepted a zero weight sum")
	}
	if o.Steps() != 0 {
		t.Errorf("a refused step counted: Steps() = %d", o.Steps())
	}
}

// ExampleAdamW minimises (x-3)² with AdamW, one parameter tensor.
func ExampleAdamW() {
	be, err := gobackend.New("")
	if err != nil {
		panic(err)
	}
	x := []*tensors.Tensor{tensors.FromFlatDataAndDimensions([]float32{0}, 1)}
	o, err := optim.NewAdamW(be, x, nil, optim.Config{MaxGradNorm: 10})
	if err != nil {
		panic(err)
	}
	defer o.Close()
	for i := 0; i < 300; i++ {
		v := tensors.MustCopyFlatData[float32](x[0])[0]
		grad := []*tensors.Tensor{tensors.FromFlatDataAndDimensions([]float32{2 * (v - 3)}, 1)}
		if x, _, err = o.Apply(x, nil, grad, 1, 0.05); err != nil {
			panic(err)
		}
	}
	fmt.Printf("x = %.2f after %d steps\n", tensors.MustCopyFlatData[float32](x[0])[0], o.Steps())
	// Output: x = 3.00 after 300 steps
}
