//go:build amd64 && goexperiment.simd

package native

import "simd/archsimd"

// expConsts are exp8's constants, broadcast once per loop (archsimd
// neither inlines exp8 into a loop nor hoists its broadcasts).
type expConsts struct {
	lo, hi, log2e, half, c1, c2, p0, p1, p2, p3, p4, p5, one archsimd.Float32x8
	bias                                                     archsimd.Int32x8
}

func newExpConsts() expConsts {
	b := archsimd.BroadcastFloat32x8
	return expConsts{b(-87.33), b(88.3), b(1.44269504088896341), b(0.5), b(-0.693359375), b(2.12194440e-4),
		b(1.9875691500e-4), b(1.3981999507e-3), b(8.3334519073e-3), b(4.1665795894e-2), b(1.6666665459e-1),
		b(5.0000001201e-1), b(1), archsimd.BroadcastInt32x8(127)}
}

// exp8 is exp32 on eight lanes (inputs clamped to exp32's finite range).
func (c *expConsts) exp8(x archsimd.Float32x8) archsimd.Float32x8 {
	x = x.Max(c.lo).Min(c.hi)
	n := x.MulAdd(c.log2e, c.half).Floor()
	r := n.MulAdd(c.c1, x)
	r = n.MulAdd(c.c2, r)
	p := c.p0.MulAdd(r, c.p1)
	p = p.MulAdd(r, c.p2)
	p = p.MulAdd(r, c.p3)
	p = p.MulAdd(r, c.p4)
	p = p.MulAdd(r, c.p5)
	p = p.Mul(r).MulAdd(r, r).Add(c.one)
	return p.Mul(n.ConvertToInt32().Add(c.bias).ShiftAllLeft(23).AsFloat32x8())
}

// expSub sets x[i] = e^(x[i]-m) and returns their sum.
func expSub(x []float32, m float32) float32 {
	if !Fast() {
		return expSubGo(x, m)
	}
	mv := archsimd.BroadcastFloat32x8(m)
	c := newExpConsts()
	var acc archsimd.Float32x8
	i := 0
	for ; i+8 <= len(x); i += 8 {
		e := c.exp8(archsimd.LoadFloat32x8(x[i:]).Sub(mv))
		e.Store(x[i:])
		acc = acc.Add(e)
	}
	var lanes [8]float32
	acc.StoreArray(&lanes)
	s := lanes[0] + lanes[1] + lanes[2] + lanes[3] + lanes[4] + lanes[5] + lanes[6] + lanes[7]
	return s + expSubGo(x[i:], m)
}

// siluMul sets a[i] = silu(g[i]) · u[i].
func siluMul(a, g, u []float32) {
	if !Fast() {
		siluMulGo(a, g, u)
		return
	}
	c := newExpConsts()
	i := 0
	for ; i+8 <= len(a); i += 8 {
		gv := archsimd.LoadFloat32x8(g[i:])
		d := c.exp8(gv.Neg()).Add(c.one)
		gv.Div(d).Mul(archsimd.LoadFloat32x8(u[i:])).Store(a[i:])
	}
	siluMulGo(a[i:], g[i:], u[i:])
}

// siluBack is siluBackGo on eight lanes at a time.
func siluBack(dg, du, g, u, da []float32) {
	if !Fast() {
		siluBackGo(dg, du, g, u, da)
		return
	}
	c := newExpConsts()
	i := 0
	for ; i+8 <= len(g); i += 8 {
		gv, dav := archsimd.LoadFloat32x8(g[i:]), archsimd.LoadFloat32x8(da[i:])
		sg := c.one.Div(c.exp8(gv.Neg()).Add(c.one))
		sl := gv.Mul(sg)
		dav.Mul(sl).Store(du[i:])
		// σ + silu·(1 − σ) = σ + silu − silu·σ
		dav.Mul(archsimd.LoadFloat32x8(u[i:])).Mul(sg.Add(sl).Sub(sl.Mul(sg))).Store(dg[i:])
	}
	siluBackGo(dg[i:], du[i:], g[i:], u[i:], da[i:])
}

// maxOf returns the largest element (-Inf for none).
func maxOf(x []float32) float32 {
	if !Fast() || len(x) < 8 {
		return maxGo(x)
	}
	m := archsimd.LoadFloat32x8(x)
	i := 8
	for ; i+8 <= len(x); i += 8 {
		m = m.Max(archsimd.LoadFloat32x8(x[i:]))
	}
	var lanes [8]float32
	m.StoreArray(&lanes)
	return max(maxGo(lanes[:]), maxGo(x[i:]))
}

// scale multiplies x by s.
func scale(x []float32, s float32) {
	if !Fast() {
		scaleGo(x, s)
		return
	}
	sv := archsimd.BroadcastFloat32x8(s)
	i := 0
	for ; i+8 <= len(x); i += 8 {
		archsimd.LoadFloat32x8(x[i:]).Mul(sv).Store(x[i:])
	}
	scaleGo(x[i:], s)
}

// scaleShift sets x[i] = (x[i]-m)·s.
func scaleShift(x []float32, m, s float32) {
	if !Fast() {
		scaleShiftGo(x, m, s)
		return
	}
	mv, sv := archsimd.BroadcastFloat32x8(m), archsimd.BroadcastFloat32x8(s)
	i := 0
	for ; i+8 <= len(x); i += 8 {
		archsimd.LoadFloat32x8(x[i:]).Sub(mv).Mul(sv).Store(x[i:])
	}
	scaleShiftGo(x[i:], m, s)
}
