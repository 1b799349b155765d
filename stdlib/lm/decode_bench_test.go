package lm

import (
	"fmt"
	"testing"
)

// BenchmarkDecodeStep times one generation step of the base model, on the
// graph and on the native decoder (Runner.Native), by rows and cache slots.
func BenchmarkDecodeStep(b *testing.B) {
	m, err := Load("../../models/scrl-base", LoadOptions{})
	if err != nil {
		b.Skip(err)
	}
	r, err := NewRunner(m, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	for _, path := range []string{"graph", "native"} {
		for _, bs := range []int{1, 2, 4, 8, 16} {
			for _, c := range []int{128, 256} {
				b.Run(fmt.Sprintf("%s/B%d/C%d", path, bs, c), func(b *testing.B) {
					r.Native = path == "native" && nativeOK(r.backend, m, nil)
					if path == "native" && !r.Native {
						b.Skip("the native decoder cannot run here")
					}
					seqs := make([][]int, bs)
					for i := range seqs {
						seqs[i] = make([]int, 64)
						for j := range seqs[i] {
							seqs[i][j] = 65 + (i+j)%26
						}
					}
					_, kv, err := r.Prefill(PadLeft(seqs, BytePAD, 0), c)
					if err != nil {
						b.Fatal(err)
					}
					defer kv.Free()
					ids := make([]int32, bs)
					for i := range ids {
						ids[i] = 66
					}
					if _, err := r.Decode(kv, ids); err != nil {
						b.Fatal(err)
					}
					b.ResetTimer()
					for i := 0; i < b.N; i++ {
						if kv.Next >= kv.C-1 {
							kv.Next = 64
						}
						if _, err := r.Decode(kv, ids); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}
