package native

import (
	"math/rand/v2"
	"testing"
)

func BenchmarkExpSub(b *testing.B) {
	x := randSlice(rand.New(rand.NewPCG(1, 1)), 256)
	y := make([]float32, 256)
	b.Run("simd", func(b *testing.B) {
		for b.Loop() {
			copy(y, x)
			expSub(y, 3)
		}
	})
	b.Run("go", func(b *testing.B) {
		for b.Loop() {
			copy(y, x)
			expSubGo(y, 3)
		}
	})
}
