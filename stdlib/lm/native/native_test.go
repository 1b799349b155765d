package native

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

func randSlice(rng *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	return x
}

// TestPackedMul checks the packed product (assembly kernels where the CPU
// has them) against a plain loop over the HF-layout weights, for row counts
// that exercise every kernel and with accumulation.
func TestPackedMul(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ rows, in, out1, out2 int }{
		{1, 7, 16, 0}, {2, 32, 16, 32}, {6, 40, 16, 16}, {7, 3, 32, 0}, {11, 64, 16, 0}, {13, 256, 48, 0}, {3, 33, 48, 16}, {4, 256, 64, 0}, {5, 100, 16, 16}, {8, 688, 256, 0}, {16, 256, 512, 0},
	} {
		w1, w2 := randSlice(rng, tc.out1*tc.in), randSlice(rng, tc.out2*tc.in)
		blocks := [][]float32{w1}
		if tc.out2 > 0 {
			blocks = append(blocks, w2)
		}
		P, err := PackHF(tc.in, blocks...)
		if err != nil {
			t.Fatal(err)
		}
		n := tc.out1 + tc.out2
		ldx, ldo := tc.in+3, n+16
		x := randSlice(rng, tc.rows*ldx)
		for _, acc := range []bool{false, true} {
			out := randSlice(rng, tc.rows*ldo)
			want := append([]float32(nil), out...)
			for r := 0; r < tc.rows; r++ {
				for c := 0; c < n; c++ {
					w, o := w1, c
					if c >= tc.out1 {
						w, o = w2, c-tc.out1
					}
					var s float64
					for k := 0; k < tc.in; k++ {
						s += float64(x[r*ldx+k]) * float64(w[o*tc.in+k])
					}
					if acc {
						s += float64(want[r*ldo+c])
					}
					want[r*ldo+c] = float32(s)
				}
			}
			P.Mul(x, ldx, tc.rows, out, ldo, acc)
			for i := range out {
				if d := math.Abs(float64(out[i] - want[i])); d > 1e-3*(1+math.Abs(float64(want[i]))) {
					t.Fatalf("%+v acc=%v: out[%d] = %g, want %g", tc, acc, i, out[i], want[i])
				}
			}
		}
	}
}

func TestPackHFErrors(t *testing.T) {
	if _, err := PackHF(4, make([]float32, 4*8)); err == nil {
		t.Error("8 outputs: want an error (not a multiple of 16)")
	}
	if _, err := PackHF(4, make([]float32, 30)); err == nil {
		t.Error("30 values for in=4: want an error")
	}
}

func TestExp32(t *testing.T) {
	for x := -87.0; x <= 88; x += 0.01 {
		got, want := float64(exp32(float32(x))), math.Exp(float64(float32(x)))
		if math.Abs(got-want) > 3e-7*want {
			t.Fatalf("exp32(%g) = %g, want %g (rel %g)", x, got, want, math.Abs(got-want)/want)
		}
	}
	if exp32(-100) != 0 || !math.IsInf(float64(exp32(100)), 1) {
		t.Error("exp32 out of range")
	}
}

func BenchmarkPackedMul(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	P, _ := PackHF(256, randSlice(rng, 512*256))
	x, out := randSlice(rng, 16*256), make([]float32, 16*512)
	for b.Loop() {
		P.Mul(x, 256, 16, out, 512, false)
	}
	b.ReportMetric(2*16*256*512*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// TestVectorHelpers checks the AVX2 helpers against the portable loops,
// for lengths around the vector width.
func TestVectorHelpers(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	near := func(a, b float32) bool { return math.Abs(float64(a-b)) <= 1e-6*(1+math.Abs(float64(b))) }
	for _, n := range []int{0, 1, 7, 8, 9, 16, 31, 100, 688} {
		x := randSlice(rng, n)
		for i := range x {
			x[i] *= 10
		}
		if n > 0 {
			if got, want := maxOf(x), maxGo(x); got != want {
				t.Fatalf("n=%d: maxOf %g, want %g", n, got, want)
			}
		}
		a, b := append([]float32(nil), x...), append([]float32(nil), x...)
		sa, sb := expSub(a, 3), expSubGo(b, 3)
		if !near(sa, sb) {
			t.Fatalf("n=%d: expSub sum %g, want %g", n, sa, sb)
		}
		for i := range a {
			if !near(a[i], b[i]) {
				t.Fatalf("n=%d: expSub[%d] %g, want %g", n, i, a[i], b[i])
			}
		}
		u := randSlice(rng, n)
		a, b = make([]float32, n), make([]float32, n)
		siluMul(a, x, u)
		siluMulGo(b, x, u)
		for i := range a {
			if !near(a[i], b[i]) {
				t.Fatalf("n=%d: siluMul[%d] %g, want %g", n, i, a[i], b[i])
			}
		}
		da := randSlice(rng, n)
		dg, du, dg2, du2 := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
		siluBack(dg, du, x, u, da)
		siluBackGo(dg2, du2, x, u, da)
		for i := range dg {
			if !near(dg[i], dg2[i]) || !near(du[i], du2[i]) {
				t.Fatalf("n=%d: siluBack[%d] %g %g, want %g %g", n, i, dg[i], du[i], dg2[i], du2[i])
			}
		}
		a, b = append([]float32(nil), x...), append([]float32(nil), x...)
		scale(a, 0.3)
		scaleGo(b, 0.3)
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("n=%d: scale[%d] %g, want %g", n, i, a[i], b[i])
			}
		}
	}
}

// TestSoftmaxMasks: the left-padding fast path and the general masked path
// give the same probabilities, zero on invalid slots, summing to 1.
func TestSoftmaxMasks(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	x := randSlice(rng, 37)
	valid := make([]bool, 48)
	for i := range valid {
		valid[i] = i >= 5
	}
	pre := &rowCache{valid: valid}
	pre.setLo()
	if pre.lo != 5 {
		t.Fatalf("lo = %d, want 5", pre.lo)
	}
	gen := &rowCache{valid: valid, lo: -1}
	a, b := append([]float32(nil), x...), append([]float32(nil), x...)
	softmax(a, pre)
	softmax(b, gen)
	var sum float64
	for i := range a {
		if i < 5 && (a[i] != 0 || b[i] != 0) {
			t.Fatalf("slot %d is padding: %g, %g", i, a[i], b[i])
		}
		if math.Abs(float64(a[i]-b[i])) > 1e-6 {
			t.Fatalf("slot %d: %g vs %g", i, a[i], b[i])
		}
		sum += float64(a[i])
	}
	if math.Abs(sum-1) > 1e-5 {
		t.Fatalf("sum %g", sum)
	}
	hole := &rowCache{valid: append([]bool(nil), valid...)}
	hole.valid[20] = false
	hole.setLo()
	if hole.lo != -1 {
		t.Fatalf("a hole after the prefix: lo = %d, want -1", hole.lo)
	}
}

// TestExpScaled: the vector normaliser matches a float64 sum to about 1e-7
// over a vocabulary-sized row, and dst gets the terms.
func TestExpScaled(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{1, 63, 64, 65, 2048, 32256} {
		x := randSlice(rng, n)
		for i := range x {
			x[i] *= 4
		}
		m := Max(x)
		var want float64
		for _, v := range x {
			want += math.Exp(float64(v-m) / 0.7)
		}
		dst := make([]float32, n)
		got := ExpScaled(dst, x, m, 1/0.7)
		if math.Abs(got-want) > 1e-6*want {
			t.Fatalf("n=%d: sum %g, want %g", n, got, want)
		}
		for i, v := range x {
			if e := math.Exp(float64(v-m) / 0.7); math.Abs(float64(dst[i])-e) > 1e-5*(e+1e-30) { // the float32 argument rounds
				t.Fatalf("n=%d: dst[%d] = %g, want %g", n, i, dst[i], e)
			}
		}
		if s := ExpScaled(nil, x, m, 1/0.7); s != got {
			t.Fatalf("n=%d: sum without dst %g, with %g", n, s, got)
		}
	}
}

// BenchmarkKernels compares the 6-row and 4-row kernels on a training
// pass's projection (1080 token rows, 256 → 512).
func BenchmarkKernels(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	const rows, k, n = 1080, 256, 512
	P, _ := PackHF(k, randSlice(rng, n*k))
	x, out := randSlice(rng, rows*k), make([]float32, rows*n)
	for _, rowsPer := range []int{4, 6} {
		b.Run(fmt.Sprintf("%dx16", rowsPer), func(b *testing.B) {
			for b.Loop() {
				for c := 0; c < n/16; c++ {
					for r := 0; r < rows; r += rowsPer {
						if rowsPer == 6 {
							kern6(x, r*k, k, P.p, c*k*16, k, out, r*n+c*16, n, false)
						} else {
							kern(4, x, r*k, k, P.p, c*k*16, k, out, r*n+c*16, n, false)
						}
					}
				}
			}
			b.ReportMetric(2*rows*k*n*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
