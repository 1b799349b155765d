package native

import "fmt"

// kernGo is the portable kernel: the same product as the assembly ones.
func kernGo(rows int, x []float32, xo, ldx int, p []float32, po, k int, out []float32, oo, ldo int, acc bool) {
	for r := 0; r < rows; r++ {
		var s [16]float32
		xr := x[xo+r*ldx:]
		for j := 0; j < k; j++ {
			v := xr[j]
			pj := p[po+j*16 : po+j*16+16]
			for c := range s {
				s[c] += v * pj[c]
			}
		}
		o := out[oo+r*ldo : oo+r*ldo+16]
		for c := range s {
			if acc {
				o[c] += s[c]
			} else {
				o[c] = s[c]
			}
		}
	}
}

// Packed is a weight packed for the kernels: y = x·W for W [K, N] (N a
// multiple of 16), stored as N/16 contiguous panels of K×16.
type Packed struct {
	K, N int
	p    []float32
}

// PackHF packs Hugging Face–layout weights [out_i, in] stacked along the
// output axis (e.g. q|k|v): y = x·[W_0; W_1; …]ᵀ. Every out_i must be a
// multiple of 16 and every block the same in.
func PackHF(in int, blocks ...[]float32) (Packed, error) {
	n := 0
	for i, b := range blocks {
		if len(b)%in != 0 {
			return Packed{}, fmt.Errorf("native: block %d has %d values, not a multiple of in=%d", i, len(b), in)
		}
		if (len(b)/in)%16 != 0 {
			return Packed{}, fmt.Errorf("native: block %d has %d outputs, not a multiple of 16", i, len(b)/in)
		}
		n += len(b) / in
	}
	P := Packed{K: in, N: n, p: make([]float32, in*n)}
	col := 0
	for _, b := range blocks {
		out := len(b) / in
		for o := 0; o < out; o++ {
			c := col + o
			panel := P.p[(c/16)*in*16:]
			for k := 0; k < in; k++ {
				panel[k*16+c%16] = b[o*in+k]
			}
		}
		col += out
	}
	return P, nil
}

// Mul computes out[r, :N] (+)= x[r, :K]·W for r < rows, x rows ldx apart and
// out rows ldo apart.
func (P Packed) Mul(x []float32, ldx, rows int, out []float32, ldo int, acc bool) {
	panelMul(x, 0, ldx, rows, P.p, P.K, P.N/16, P.K*16, out, 0, ldo, acc)
}

// panelMul runs the kernels over panels of one packed matrix: panels
// consecutive panels pstride floats apart, each k×16; x rows from xo, out
// from oo.
func panelMul(x []float32, xo, ldx, rows int, p []float32, k, panels, pstride int, out []float32, oo, ldo int, acc bool) {
	if rows == 0 || panels == 0 {
		return
	}
	if k > 0 && (xo+(rows-1)*ldx+k > len(x) || (panels-1)*pstride+k*16 > len(p)) {
		panic(fmt.Sprintf("native: product reads past its inputs (rows %d, k %d, panels %d)", rows, k, panels))
	}
	if oo+(rows-1)*ldo+panels*16 > len(out) {
		panic(fmt.Sprintf("native: product writes past its output (rows %d, ldo %d, panels %d, len %d)", rows, ldo, panels, len(out)))
	}
	for n := 0; n < panels; n++ {
		r := 0
		for ; r+6 <= rows; r += 6 {
			kern6(x, xo+r*ldx, ldx, p, n*pstride, k, out, oo+r*ldo+n*16, ldo, acc)
		}
		for ; r < rows; r += 4 {
			kern(min(4, rows-r), x, xo+r*ldx, ldx, p, n*pstride, k, out, oo+r*ldo+n*16, ldo, acc)
		}
	}
}
