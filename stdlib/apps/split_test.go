package apps

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// synthetic returns n problems with difficulties in the given proportions.
func synthetic(n int) []Problem {
	diffs := []string{DifficultyIntroductory, DifficultyIntroductory, DifficultyInterview, DifficultyInterview, DifficultyInterview, DifficultyCompetition}
	ps := make([]Problem, n)
	for i := range ps {
		ps[i] = Problem{ID: fmt.Sprintf("p%04d", i), Difficulty: diffs[i%len(diffs)], Kind: KindStdin, Index: i}
		if i%7 == 0 {
			ps[i].Kind = KindCall
		}
	}
	return ps
}

func shuffled(ps []Problem, seed uint64) []Problem {
	out := slices.Clone(ps)
	r := rand.New(rand.NewPCG(seed, 99))
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func TestSplitDeterministicAndOrderIndependent(t *testing.T) {
	ps := synthetic(1000)
	train, held := SplitIDs(ps, 0.2, 42)
	train2, held2 := SplitIDs(ps, 0.2, 42)
	if !reflect.DeepEqual(train, train2) || !reflect.DeepEqual(held, held2) {
		t.Fatal("same input, different split")
	}
	// Shuffled input: same sides.
	tr3, ho3 := SplitIDs(shuffled(ps, 1), 0.2, 42)
	if !reflect.DeepEqual(train, tr3) || !reflect.DeepEqual(held, ho3) {
		t.Fatal("split depends on the order of the problems")
	}
	// A subset: every problem keeps its side.
	side := map[string]bool{}
	for _, id := range held {
		side[id] = true
	}
	sub := ps[100:350]
	_, hoSub := Split(sub, 0.2, 42)
	for _, p := range sub {
		inHeld := slices.ContainsFunc(hoSub, func(q Problem) bool { return q.ID == p.ID })
		if inHeld != side[p.ID] {
			t.Fatalf("problem %s changed side when other problems were removed", p.ID)
		}
	}
	// The fraction is about right, and a different seed gives a different split.
	if f := float64(len(held)) / 1000; math.Abs(f-0.2) > 0.04 {
		t.Errorf("held-out fraction %.3f, want about 0.2", f)
	}
	_, other := SplitIDs(ps, 0.2, 43)
	if reflect.DeepEqual(held, other) {
		t.Error("seed does not change the split")
	}
	// Sorted, disjoint, complete.
	if !slices.IsSorted(train) || !slices.IsSorted(held) || len(train)+len(held) != 1000 {
		t.Errorf("train %d held %d", len(train), len(held))
	}
}

func TestSplitEdgeFractions(t *testing.T) {
	ps := synthetic(50)
	for _, tt := range []struct {
		f           float64
		train, held int
	}{{0, 50, 0}, {-1, 50, 0}, {math.NaN(), 50, 0}, {1, 0, 50}, {2, 0, 50}} {
		tr, ho := Split(ps, tt.f, 1)
		if len(tr) != tt.train || len(ho) != tt.held {
			t.Errorf("fraction %v: %d/%d, want %d/%d", tt.f, len(tr), len(ho), tt.train, tt.held)
		}
	}
}

func TestSplitUnitPinned(t *testing.T) {
	// The mapping must never change: published splits depend on it. The
	// expected values were computed independently with Python's hashlib.
	got := fmt.Sprintf("%.6f %.6f %.6f", SplitUnit("0", 0), SplitUnit("2361", 1), SplitUnit("apps_plus_2792", 12345))
	const want = "0.415318 0.922093 0.550059"
	if got != want {
		t.Fatalf("SplitUnit values %s, want %s", got, want)
	}
}

func TestStratifiedSample(t *testing.T) {
	ps := synthetic(600) // 200 introductory, 300 interview, 100 competition
	tests := []struct {
		n                     int
		intro, inter, compete int
	}{
		{60, 20, 30, 10},
		{7, 2, 4, 1}, // quotas 2.33, 3.5, 1.17: the extra one goes to the largest remainder
		{0, 0, 0, 0},
		{600, 200, 300, 100},
	}
	for _, tt := range tests {
		s, err := StratifiedSample(ps, tt.n, 7)
		if err != nil {
			t.Fatal(err)
		}
		st := Stats(s)
		if len(s) != tt.n || st.ByDifficulty[DifficultyIntroductory] != tt.intro || st.ByDifficulty[DifficultyInterview] != tt.inter || st.ByDifficulty[DifficultyCompetition] != tt.compete {
			t.Errorf("n=%d: %v", tt.n, st.ByDifficulty)
		}
		// Deterministic, independent of input order, input order kept.
		s2, _ := StratifiedSample(shuffled(ps, 3), tt.n, 7)
		if !reflect.DeepEqual(IDs(s), IDs(s2)) {
			t.Errorf("n=%d: sample depends on input order", tt.n)
		}
		if !slices.IsSortedFunc(s, func(a, b Problem) int { return a.Index - b.Index }) {
			t.Errorf("n=%d: sample does not keep the input order", tt.n)
		}
	}
	a, _ := StratifiedSample(ps, 60, 1)
	b, _ := StratifiedSample(ps, 60, 2)
	if reflect.DeepEqual(IDs(a), IDs(b)) {
		t.Error("seed does not change the sample")
	}
	for _, n := range []int{-1, 601} {
		if _, err := StratifiedSample(ps, n, 1); err == nil {
			t.Errorf("n=%d accepted", n)
		}
	}
}

func TestFilters(t *testing.T) {
	ps := synthetic(70)
	if got := len(FilterKind(ps, KindCall)); got != 10 {
		t.Errorf("FilterKind(call) = %d, want 10", got)
	}
	if got := len(FilterKind(ps, KindStdin)); got != 60 {
		t.Errorf("FilterKind(stdin) = %d, want 60", got)
	}
	if got := len(FilterDifficulty(ps, "Competition", "intro")); got != 35 {
		t.Errorf("FilterDifficulty = %d, want 35", got)
	}
	if got := FilterDifficulty(ps); len(got) != 0 {
		t.Errorf("no difficulties: %d", len(got))
	}
	ids := IDs(append(slices.Clone(ps[:3]), ps[0]))
	if !reflect.DeepEqual(ids, []string{"p0000", "p0001", "p0002"}) {
		t.Errorf("IDs = %v", ids)
	}
}
