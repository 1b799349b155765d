//go:build amd64

package native

import "golang.org/x/sys/cpu"

// Fast reports whether the assembly kernels can run (AVX2 and FMA).
func Fast() bool { return cpu.X86.HasAVX2 && cpu.X86.HasFMA }

//go:noescape
func kern6x16(x *float32, ldx int, p *float32, k int, out *float32, ldo int, acc int)

//go:noescape
func kern4x16(x *float32, ldx int, p *float32, k int, out *float32, ldo int, acc int)

//go:noescape
func kern2x16(x *float32, ldx int, p *float32, k int, out *float32, ldo int, acc int)

//go:noescape
func kern1x16(x *float32, ldx int, p *float32, k int, out *float32, ldo int, acc int)

// kern6 computes six rows of one 16-column panel product (see kern).
func kern6(x []float32, xo, ldx int, p []float32, po, k int, out []float32, oo, ldo int, acc bool) {
	if !Fast() || k == 0 {
		kern(4, x, xo, ldx, p, po, k, out, oo, ldo, acc)
		kern(2, x, xo+4*ldx, ldx, p, po, k, out, oo+4*ldo, ldo, acc)
		return
	}
	a := 0
	if acc {
		a = 1
	}
	kern6x16(&x[xo], ldx, &p[po], k, &out[oo], ldo, a)
}

// kern computes rows (≤ 4) rows of one 16-column panel product; the caller
// has checked every index (see panelMul).
func kern(rows int, x []float32, xo, ldx int, p []float32, po, k int, out []float32, oo, ldo int, acc bool) {
	if !Fast() {
		kernGo(rows, x, xo, ldx, p, po, k, out, oo, ldo, acc)
		return
	}
	a := 0
	if acc {
		a = 1
	}
	var xp *float32
	if k > 0 {
		xp = &x[xo]
	} else {
		xp = &out[oo] // not read
	}
	pp := &out[oo]
	if k > 0 {
		pp = &p[po]
	}
	switch rows {
	case 4:
		kern4x16(xp, ldx, pp, k, &out[oo], ldo, a)
	case 2:
		kern2x16(xp, ldx, pp, k, &out[oo], ldo, a)
	case 1:
		kern1x16(xp, ldx, pp, k, &out[oo], ldo, a)
	case 3:
		kern2x16(xp, ldx, pp, k, &out[oo], ldo, a)
		if k > 0 {
			xp = &x[xo+2*ldx]
		}
		kern1x16(xp, ldx, pp, k, &out[oo+2*ldo], ldo, a)
	}
}
