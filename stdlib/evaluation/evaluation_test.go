package evaluation

import (
	"math"
	"testing"
)

func TestPassAtK(t *testing.T) {
	cases := []struct {
		n, c, k int
		want    float64
	}{
		{10, 0, 1, 0},
		{10, 10, 5, 1},
		{10, 3, 1, 0.3},
		{5, 1, 2, 0.4},     // 1 - C(4,2)/C(5,2) = 1 - 6/10
		{4, 2, 2, 5.0 / 6}, // 1 - C(2,2)/C(4,2) = 1 - 1/6
		{3, 1, 3, 1},
	}
	for _, c := range cases {
		got, err := PassAtK(c.n, c.c, c.k)
		if err != nil || math.Abs(got-c.want) > 1e-12 {
			t.Errorf("PassAtK(%d,%d,%d) = %v %v, want %v", c.n, c.c, c.k, got, err, c.want)
		}
	}
	for _, bad := range [][3]int{{0, 0, 1}, {3, 4, 1}, {3, 1, 4}, {3, 1, 0}} {
		if _, err := PassAtK(bad[0], bad[1], bad[2]); err == nil {
			t.Errorf("PassAtK%v accepted", bad)
		}
	}
}

func TestBootstrapDeterministicAndCovers(t *testing.T) {
	xs := make([]float64, 200)
	for i := range xs {
		xs[i] = float64(i % 2) // mean 0.5
	}
	a := Bootstrap(xs, Options{Seed: 7})
	b := Bootstrap(xs, Options{Seed: 7})
	if a != b {
		t.Fatalf("not deterministic: %v vs %v", a, b)
	}
	if a.Mean != 0.5 || !(a.Lo < 0.5 && a.Hi > 0.5) || a.Hi-a.Lo > 0.2 || a.Hi-a.Lo < 0.08 {
		t.Fatalf("interval %v: want about 0.5 ± 0.07", a)
	}
	if m := Bootstrap([]float64{1, 1, 1}, Options{}); m.Lo != 1 || m.Hi != 1 {
		t.Fatalf("constant data: %v", m)
	}
	if m := Bootstrap(nil, Options{}); !math.IsNaN(m.Mean) {
		t.Fatalf("empty: %v", m)
	}
}

func TestTableAndBestOfK(t *testing.T) {
	s := []Sample{
		{ProblemID: "a", Difficulty: "intro", Syntax: true, Passed: 0, Total: 2, SecClean: true, RFunc: 0.6, RSec: 1, R: 0.76},
		{ProblemID: "a", Difficulty: "intro", Syntax: true, Passed: 2, Total: 2, SecClean: false, RFunc: 1, RSec: 0.8, R: 0.92},
		{ProblemID: "b", Difficulty: "comp", Syntax: false, Passed: 0, Total: 3, SecClean: true, RFunc: 0, RSec: 1, R: 0.4},
		{ProblemID: "b", Difficulty: "comp", Syntax: true, Passed: 1, Total: 3, SecClean: true, RFunc: 0.733, RSec: 1, R: 0.84},
	}
	row := Table("x", s, Options{})
	if row.N != 4 || row.SyntaxPct.Mean != 75 || row.AllPassPct.Mean != 25 || row.AnyPassPct.Mean != 50 || row.SecCleanPct.Mean != 75 {
		t.Fatalf("row %+v", row)
	}
	if rows := ByDifficulty("x", s, Options{}); len(rows) != 2 || rows[0].N != 2 {
		t.Fatalf("by difficulty %+v", rows)
	}
	best := BestOfK(s, 2, ByTestsPassed)
	if len(best) != 2 || best[0].Passed != 2 || best[1].Passed != 1 {
		t.Fatalf("best-of-2 %+v", best)
	}
	if best1 := BestOfK(s, 1, ByTestsPassed); best1[0].Passed != 0 {
		t.Fatalf("best-of-1 must be the first sample: %+v", best1)
	}
	p1, _ := MeanPassAtK(s, 1)
	if math.Abs(p1-0.25) > 1e-12 { // a: 1/2, b: 0/2
		t.Fatalf("pass@1 %v", p1)
	}
}

// TestClusterBootstrap: with one sample per problem the interval is
// Bootstrap's; with several identical samples per problem the interval is
// as wide as for one sample per problem (the copies add no information),
// where resampling samples would have narrowed it.
func TestClusterBootstrap(t *testing.T) {
	xs := []float64{1, 0, 0, 1, 1, 0, 1, 1, 0, 0, 1, 0}
	ones := make([]float64, len(xs))
	for i := range ones {
		ones[i] = 1
	}
	o := Options{Seed: 3}
	if b, c := Bootstrap(xs, o), ClusterBootstrap(xs, ones, o); b != c {
		t.Fatalf("one sample per cluster: Bootstrap %v, ClusterBootstrap %v", b, c)
	}
	var single, copies []Sample
	for i, x := range xs {
		id := string(rune('a' + i))
		single = append(single, Sample{ProblemID: id, Syntax: x == 1})
		for k := 0; k < 4; k++ {
			copies = append(copies, Sample{ProblemID: id, Syntax: x == 1})
		}
	}
	r1, r4 := Table("one", single, o), Table("four", copies, o)
	if r1.SyntaxPct != r4.SyntaxPct {
		t.Fatalf("4 identical samples per problem changed the interval: %v vs %v", r1.SyntaxPct, r4.SyntaxPct)
	}
	for i := range copies {
		copies[i].ProblemID = ""
	}
	naive := Table("naive", copies, o)
	if w1, wn := r1.SyntaxPct.Hi-r1.SyntaxPct.Lo, naive.SyntaxPct.Hi-naive.SyntaxPct.Lo; wn >= w1 {
		t.Fatalf("resampling samples should narrow the interval (%v vs %v): the test is vacuous", wn, w1)
	}
}
