package native

import (
	"math"
	"math/rand/v2"
	"testing"
)

// tinyModel is a random model small enough for finite differences, with
// grouped-query attention (4 heads, 2 KV heads), untied head and RoPE
// scaling.
func tinyModel(t *testing.T, rng *rand.Rand) *Weights {
	t.Helper()
	cfg := Config{Hidden: 32, Layers: 2, Heads: 4, KVHeads: 2, HeadDim: 16, Intermediate: 48, Vocab: 32, Eps: 1e-5, RopeFactor: 2}
	for i := 0; i < cfg.HeadDim/2; i++ {
		cfg.InvFreq = append(cfg.InvFreq, float32(math.Pow(10000, -2*float64(i)/float64(cfg.HeadDim))))
	}
	sc := func(x []float32, s float32) []float32 {
		for i := range x {
			x[i] *= s
		}
		return x
	}
	norm := func() []float32 {
		x := randSlice(rng, cfg.Hidden)
		for i := range x {
			x[i] = 1 + 0.2*x[i]
		}
		return x
	}
	H, nq, nkv, I := cfg.Hidden, cfg.Heads*cfg.HeadDim, cfg.KVHeads*cfg.HeadDim, cfg.Intermediate
	var layers []LayerParams
	for l := 0; l < cfg.Layers; l++ {
		layers = append(layers, LayerParams{InputNorm: norm(), PostNorm: norm(),
			Q: sc(randSlice(rng, nq*H), 0.3), K: sc(randSlice(rng, nkv*H), 0.3), V: sc(randSlice(rng, nkv*H), 0.3),
			O: sc(randSlice(rng, H*nq), 0.2), Gate: sc(randSlice(rng, I*H), 0.2), Up: sc(randSlice(rng, I*H), 0.2),
			Down: sc(randSlice(rng, H*I), 0.2)})
	}
	w, err := NewWeights(cfg, randSlice(rng, cfg.Vocab*H), layers, norm(), randSlice(rng, cfg.Vocab*H))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// TestBackwardFiniteDifferences checks the training pass's adapter
// gradients against central differences of the loss Σ c·Hidden, on a
// batch with rows of different lengths (one of them empty; the longest
// spans three 16-key panels) and a first
// scored position past 0. Every projection is adapted.
func TestBackwardFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	w := tinyModel(t, rng)
	cfg := w.Config
	ad := &Adapter{R: 6, Scale: 2}
	for l := 0; l < cfg.Layers; l++ {
		var a, b [NumModules][]float32
		for m := 0; m < NumModules; m++ {
			in, out := cfg.moduleDims(m)
			a[m], b[m] = randSlice(rng, ad.R*in), randSlice(rng, out*ad.R)
			for i := range a[m] {
				a[m][i] *= 0.1
			}
			for i := range b[m] {
				b[m][i] *= 0.05
			}
		}
		ad.A, ad.B = append(ad.A, a), append(ad.B, b)
	}
	const B, T, from = 3, 41, 2
	lens := []int{41, 23, 0} // several key panels, a short row, an empty one
	ids, mask := make([]int32, B*T), make([]int32, B*T)
	for r, n := range lens {
		for j := 0; j < n; j++ {
			ids[r*T+j], mask[r*T+j] = int32(rng.IntN(cfg.Vocab)), 1
		}
	}
	tp, err := Forward(w, ad, B, T, ids, mask, from)
	if err != nil {
		t.Fatal(err)
	}
	c := randSlice(rng, len(tp.Hidden))
	loss := func() float64 {
		tp, err := Forward(w, ad, B, T, ids, mask, from)
		if err != nil {
			t.Fatal(err)
		}
		var s float64
		for i, h := range tp.Hidden {
			s += float64(c[i]) * float64(h)
		}
		return s
	}
	g, err := tp.Backward(c)
	if err != nil {
		t.Fatal(err)
	}
	const eps = 1e-2
	checked := 0
	for l := 0; l < cfg.Layers; l++ {
		for m := 0; m < NumModules; m++ {
			for _, f := range []struct {
				name      string
				val, grad []float32
			}{{"A", ad.A[l][m], g.A[l][m]}, {"B", ad.B[l][m], g.B[l][m]}} {
				if len(f.grad) != len(f.val) {
					t.Fatalf("layer %d module %d %s: %d gradient values for %d", l, m, f.name, len(f.grad), len(f.val))
				}
				var scale float64
				for _, v := range f.grad {
					scale = max(scale, math.Abs(float64(v)))
				}
				if scale == 0 {
					t.Fatalf("layer %d module %d %s: gradient is all zero", l, m, f.name)
				}
				for k := 0; k < 12; k++ {
					i := rng.IntN(len(f.val))
					v := f.val[i]
					f.val[i] = v + eps
					up := loss()
					f.val[i] = v - eps
					down := loss()
					f.val[i] = v
					fd := (up - down) / (2 * eps)
					if d := math.Abs(fd - float64(f.grad[i])); d > 2e-2*scale+2e-3 {
						t.Errorf("layer %d module %d %s[%d]: backward %.5g, finite difference %.5g (gradient scale %.3g)", l, m, f.name, i, f.grad[i], fd, scale)
					}
					checked++
				}
			}
		}
	}
	t.Logf("%d entries checked", checked)
}
