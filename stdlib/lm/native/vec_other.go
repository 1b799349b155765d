//go:build !(amd64 && goexperiment.simd)

package native

func expSub(x []float32, m float32) float32 { return expSubGo(x, m) }
func siluMul(a, g, u []float32)             { siluMulGo(a, g, u) }
func siluBack(dg, du, g, u, da []float32)   { siluBackGo(dg, du, g, u, da) }
func maxOf(x []float32) float32             { return maxGo(x) }
func scale(x []float32, s float32)          { scaleGo(x, s) }
func scaleShift(x []float32, m, s float32)  { scaleShiftGo(x, m, s) }
