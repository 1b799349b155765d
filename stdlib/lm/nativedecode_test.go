package lm

import (
	"math"
	"testing"
)

// TestNativeDecodeMatchesGraph: the native decoder (Runner.Native) gives
// the graph's logits, up to float rounding, through left padding, cache
// growth and compaction (with a repeated row), for GQA, linear RoPE
// scaling and an untied head (the tiny preset), and for a tied head.
func TestNativeDecodeMatchesGraph(t *testing.T) {
	for _, tied := range []bool{false, true} {
		cfg, vals := tinyValues(t)
		if tied {
			cfg.TieWordEmbeddings = true
			delete(vals, "lm_head.weight")
		}
		m, err := NewModel(cfg, vals)
		if err != nil {
			t.Fatal(err)
		}
		nat, err := NewRunner(m, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer nat.Close()
		if !nat.Native {
			t.Skip("the native decoder cannot run here (needs the pure-Go backend and an AVX2/FMA CPU)")
		}
		graph, err := NewRunner(m, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer graph.Close()
		graph.Native = false
		prompts := [][]int{{ByteBOS, 'a', 'b', 'c'}, {ByteBOS, 'x'}, {ByteBOS, 'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o'}, {ByteBOS, 'q', 'r'}, {ByteBOS, 'z', 'z', 'z', 'z'}}
		pb := PadLeft(prompts, BytePAD, 0)
		la, sa, err := nat.Prefill(pb, pb.T+3)
		if err != nil {
			t.Fatal(err)
		}
		defer sa.Free()
		lb, sb, err := graph.Prefill(pb, pb.T+3)
		if err != nil {
			t.Fatal(err)
		}
		defer sb.Free()
		if sa.nat == nil || sb.nat != nil {
			t.Fatal("want one native state and one graph state")
		}
		v := cfg.VocabSize
		compare := func(step int, a, b []float32) {
			t.Helper()
			if len(a) != len(b) {
				t.Fatalf("step %d: %d vs %d logits", step, len(a), len(b))
			}
			for i := range a {
				if d := math.Abs(float64(a[i] - b[i])); d > 2e-4*math.Max(1, math.Abs(float64(b[i]))) {
					t.Fatalf("tied=%v step %d row %d id %d: native %g, graph %g", tied, step, i/v, i%v, a[i], b[i])
				}
			}
		}
		compare(0, la, lb)
		for step := 1; step <= 40; step++ {
			if step == 12 {
				rows := []int{0, 2, 4, 4}
				if err := nat.Compact(sa, rows); err != nil {
					t.Fatal(err)
				}
				if err := graph.Compact(sb, rows); err != nil {
					t.Fatal(err)
				}
			}
			if sa.Next >= sa.C {
				for _, s := range []struct {
					r *Runner
					s *KVState
				}{{nat, sa}, {graph, sb}} {
					if err := s.r.Grow(s.s, s.s.C+5); err != nil {
						t.Fatal(err)
					}
				}
			}
			ids := make([]int32, sa.B)
			for i := range ids {
				ids[i] = int32('a' + (step*7+i*3)%26)
			}
			if la, err = nat.Decode(sa, ids); err != nil {
				t.Fatal(err)
			}
			if lb, err = graph.Decode(sb, ids); err != nil {
				t.Fatal(err)
			}
			compare(step, la, lb)
		}
	}
}
