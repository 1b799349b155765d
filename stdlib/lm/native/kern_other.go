//go:build !amd64

package native

// Fast reports whether the assembly kernels can run: they are written for
// amd64 only.
func Fast() bool { return false }

func kern(rows int, x []float32, xo, ldx int, p []float32, po, k int, out []float32, oo, ldo int, acc bool) {
	kernGo(rows, x, xo, ldx, p, po, k, out, oo, ldo, acc)
}

func kern6(x []float32, xo, ldx int, p []float32, po, k int, out []float32, oo, ldo int, acc bool) {
	kernGo(6, x, xo, ldx, p, po, k, out, oo, ldo, acc)
}
