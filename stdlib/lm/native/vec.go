package native

import "math"

// Portable versions of the vector helpers (vec_simd.go has the AVX2 ones).

func expSubGo(x []float32, m float32) float32 {
	var s float32
	for i, v := range x {
		e := exp32(v - m)
		x[i] = e
		s += e
	}
	return s
}

func siluMulGo(a, g, u []float32) {
	for i := range a {
		a[i] = g[i] / (1 + exp32(-g[i])) * u[i]
	}
}

func maxGo(x []float32) float32 {
	m := float32(math.Inf(-1))
	for _, v := range x {
		m = max(m, v)
	}
	return m
}

func scaleGo(x []float32, s float32) {
	for i := range x {
		x[i] *= s
	}
}

// exp32 is e^x in float32 (Cephes' expf: range reduction by ln 2 and a
// degree-6 polynomial, relative error about 1e-7).
func exp32(x float32) float32 {
	if x < -87.33 {
		return 0
	}
	if x > 88.3 {
		return float32(math.Inf(1))
	}
	n := float32(math.Floor(float64(x*1.44269504088896341 + 0.5)))
	r := x - n*0.693359375 + n*2.12194440e-4
	p := float32(1.9875691500e-4)
	p = p*r + 1.3981999507e-3
	p = p*r + 8.3334519073e-3
	p = p*r + 4.1665795894e-2
	p = p*r + 1.6666665459e-1
	p = p*r + 5.0000001201e-1
	p = p*r*r + r + 1
	return p * math.Float32frombits(uint32(int32(n)+127)<<23)
}

// ExpScaled sets dst[i] = e^(s·(x[i]-m)) and returns their sum, summed in
// float64 over short float32 runs (relative error about 1e-7): a sampling
// step's normaliser over the vocabulary, given m = Max(x) and s the inverse
// temperature. dst may be x, or nil to only sum.
func ExpScaled(dst, x []float32, m, s float32) float64 {
	if dst != nil && len(dst) < len(x) {
		panic("native.ExpScaled: dst shorter than x")
	}
	var buf [64]float32
	var sum float64
	for lo := 0; lo < len(x); lo += len(buf) {
		hi := min(len(x), lo+len(buf))
		b := buf[:hi-lo]
		copy(b, x[lo:hi])
		scaleShift(b, m, s)
		sum += float64(expSub(b, 0))
		if dst != nil {
			copy(dst[lo:hi], b)
		}
	}
	return sum
}

// Max returns the largest element of x (-Inf for none).
func Max(x []float32) float32 { return maxOf(x) }

func scaleShiftGo(x []float32, m, s float32) {
	for i := range x {
		x[i] = (x[i] - m) * s
	}
}

// siluBackGo writes the gradients of g and u through a = silu(g)·u given
// da: silu(g) = g·σ(g), silu'(g) = σ(g)·(1 + g·(1 − σ(g))).
func siluBackGo(dg, du, g, u, da []float32) {
	for i, x := range g {
		sg := 1 / (1 + exp32(-x))
		dg[i] = da[i] * u[i] * sg * (1 + x*(1-sg))
		du[i] = da[i] * x * sg
	}
}
