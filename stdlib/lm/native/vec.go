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
