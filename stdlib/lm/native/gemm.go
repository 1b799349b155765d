package native

import (
	"fmt"
	"runtime"
	"sync"
)

// The training pass's products beyond y = x·W: a weight's transpose
// (dx = dy·Wᵀ), products of two activations (attention) and the
// weight-gradient form aᵀ·b. All run on the panel kernels, packing the
// right operand first.

// T returns the transposed pack: y = x·Wᵀ for the W P packs. P.K must be a
// multiple of 16 (the transpose's panels are P.K wide).
func (P Packed) T() Packed {
	if P.K%16 != 0 {
		panic(fmt.Sprintf("native: transposing a pack of K=%d (not a multiple of 16)", P.K))
	}
	out := Packed{K: P.N, N: P.K, p: make([]float32, P.K*P.N)}
	for n := 0; n < P.N; n++ {
		src := P.p[(n/16)*P.K*16+n%16:]
		dst := out.p[n*16:] // row n of Wᵀ's panels: element (n, k) in panel k/16
		for k := 0; k < P.K; k++ {
			dst[(k/16)*P.N*16+k%16] = src[k*16]
		}
	}
	return out
}

// PackRows packs a row-major matrix m [k × n] (n a multiple of 16), each
// entry times scale, for y = x·m.
func PackRows(k, n int, m []float32, scale float32) Packed {
	if n%16 != 0 || len(m) != k*n {
		panic(fmt.Sprintf("native: PackRows of %d values as %d×%d", len(m), k, n))
	}
	P := Packed{K: k, N: n, p: make([]float32, k*n)}
	packRows(P.p, m, 0, n, k, n, k)
	if scale != 1 {
		for i := range P.p {
			P.p[i] *= scale
		}
	}
	return P
}

// packRows packs the [k × n] matrix at src[off:] (rows lds apart; n a
// multiple of 16) into n/16 panels of [kp × 16] (rows k..kp zero) at dst.
func packRows(dst, src []float32, off, lds, k, n, kp int) {
	for c := 0; c < n; c += 16 {
		panel := dst[(c/16)*kp*16 : (c/16+1)*kp*16]
		for r := 0; r < k; r++ {
			copy(panel[r*16:r*16+16], src[off+r*lds+c:off+r*lds+c+16])
		}
		clear(panel[k*16:])
	}
}

// packCols packs the transpose of the [n × d] matrix at src[off:] (rows lds
// apart): the [d × np] matrix whose column j is row j of src (columns
// n..np zero; np a multiple of 16), as np/16 panels of [d × 16]. For
// scores q·Kᵀ with K's rows the keys.
func packCols(dst, src []float32, off, lds, n, d, np int) {
	clear(dst[:np*d])
	for j := 0; j < n; j++ {
		panel := dst[(j/16)*d*16+j%16:]
		row := src[off+j*lds : off+j*lds+d]
		for c, v := range row {
			panel[c*16] = v
		}
	}
}

// transpose writes the transpose of the [r × c] matrix at src[off:] (rows
// lds apart) to dst [c × r] (rows ldd apart).
func transpose(dst []float32, ldd int, src []float32, off, lds, r, c int) {
	const blk = 16
	for i0 := 0; i0 < r; i0 += blk {
		for j0 := 0; j0 < c; j0 += blk {
			for i := i0; i < min(r, i0+blk); i++ {
				row := src[off+i*lds:]
				for j := j0; j < min(c, j0+blk); j++ {
					dst[j*ldd+i] = row[j]
				}
			}
		}
	}
}

// mulTN returns aᵀ·b [m × n] for a [k × m] (at a[ao:], rows lda apart) and
// b [k × n] (at b[bo:], rows ldb apart; n a multiple of 16): a weight's
// gradient summed over k token rows.
func mulTN(a []float32, ao, lda, k, m int, b []float32, bo, ldb, n int) []float32 {
	at := make([]float32, m*k)
	transpose(at, k, a, ao, lda, k, m)
	bp := make([]float32, k*n)
	packRows(bp, b, bo, ldb, k, n, k)
	out := make([]float32, m*n)
	if k == 0 {
		return out
	}
	panelMul(at, 0, k, m, bp, k, n/16, k*16, out, 0, n, false)
	return out
}

// block is kern with its bounds checked and up to six rows: rows rows of
// x[xo:] (ldx apart) times the k×16 panel at p[po:], into out[oo:] (ldo
// apart).
func block(rows int, x []float32, xo, ldx int, p []float32, po, k int, out []float32, oo, ldo int, acc bool) {
	if rows <= 0 || rows > 6 || k < 0 || (k > 0 && (xo < 0 || po < 0 || xo+(rows-1)*ldx+k > len(x) || po+k*16 > len(p))) || oo < 0 || oo+(rows-1)*ldo+16 > len(out) {
		panic(fmt.Sprintf("native: block of %d rows × %d out of range", rows, k))
	}
	switch {
	case rows == 6:
		kern6(x, xo, ldx, p, po, k, out, oo, ldo, acc)
	case rows == 5:
		kern(4, x, xo, ldx, p, po, k, out, oo, ldo, acc)
		kern(1, x, xo+4*ldx, ldx, p, po, k, out, oo+4*ldo, ldo, acc)
	default:
		kern(rows, x, xo, ldx, p, po, k, out, oo, ldo, acc)
	}
}

// Causal attention over one head: n queries at slots start..start+n-1
// against keys and values at slots from start on, six queries at a time,
// skipping the panels the causal mask zeroes. Rows of the score matrix p
// are ld apart, column = slot.

// causalScores writes p[i, j] = x_i·k_j for the n rows of x (from xo, ldx
// apart; d wide) and the key panels kp (slot-major panels of [d][16]), for
// every panel up to the last slot of each block of queries; columns past a
// query's slot are scratch (causalSoftmax clears them).
func causalScores(x []float32, xo, ldx, n, start int, kp []float32, d int, p []float32, ld int) {
	for i := 0; i < n; i += 6 {
		rows := min(6, n-i)
		for pn := start / 16; pn*16 < start+i+rows; pn++ {
			block(rows, x, xo+i*ldx, ldx, kp, pn*d*16, d, p, i*ld+pn*16, ld, false)
		}
	}
}

// causalSoftmax turns each row's scores over slots [start, start+i] into
// probabilities and zeroes the rest of the row up to ld.
func causalSoftmax(p []float32, n, start, ld int) {
	for i := 0; i < n; i++ {
		row := p[i*ld+start : i*ld+start+i+1]
		scale(row, 1/expSub(row, maxOf(row)))
		clear(p[i*ld+start+i+1 : (i+1)*ld])
	}
}

// causalMul writes out_i = Σ_j p[i, j]·v_j over slots j in [start,
// start+i] for the n rows of p (zero past each row's slot) and the value
// panels vp (d/16 panels vstride floats apart, each [slots][16]), into out
// rows from oo, ldo apart.
func causalMul(p []float32, ld, n, start int, vp []float32, vstride, d int, out []float32, oo, ldo int) {
	for pn := 0; pn < d/16; pn++ {
		for i := 0; i < n; i += 6 {
			rows := min(6, n-i)
			block(rows, p, i*ld+start, ld, vp, pn*vstride+start*16, i+rows, out, oo+i*ldo+pn*16, ldo, false)
		}
	}
}

// parMul is P.Mul split by rows over the cores for products of many rows
// (a training pass's thousand token rows; decoding splits its batch
// instead).
func parMul(P Packed, x []float32, ldx, rows int, out []float32, ldo int, acc bool) {
	parts := min(runtime.GOMAXPROCS(0), rows/128)
	if parts <= 1 {
		P.Mul(x, ldx, rows, out, ldo, acc)
		return
	}
	per := (rows/parts + 5) / 6 * 6
	var wg sync.WaitGroup
	for lo := 0; lo < rows; lo += per {
		n := min(per, rows-lo)
		wg.Go(func() { P.Mul(x[lo*ldx:], ldx, n, out[lo*ldo:], ldo, acc) })
	}
	wg.Wait()
}
