package apps

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
)

// FilterKind returns the problems of the given kind, in order.
func FilterKind(problems []Problem, kind Kind) []Problem {
	var out []Problem
	for _, p := range problems {
		if p.Kind == kind {
			out = append(out, p)
		}
	}
	return out
}

// FilterDifficulty returns the problems whose difficulty is one of
// difficulties (normalised with NormalizeDifficulty), in order.
func FilterDifficulty(problems []Problem, difficulties ...string) []Problem {
	want := map[string]bool{}
	for _, d := range difficulties {
		want[NormalizeDifficulty(d)] = true
	}
	var out []Problem
	for _, p := range problems {
		if want[NormalizeDifficulty(p.Difficulty)] {
			out = append(out, p)
		}
	}
	return out
}

// StratifiedSample draws n problems without replacement, stratified by
// difficulty with proportional allocation (largest remainder, ties to the
// alphabetically first difficulty). Within a stratum, problems are ordered
// by (ID, Source, Index) and shuffled with a PCG generator seeded from seed
// and the stratum name, so the sample depends only on the set of problems
// and the seed, not on their order. The sample keeps the input order.
func StratifiedSample(problems []Problem, n int, seed uint64) ([]Problem, error) {
	if n < 0 || n > len(problems) {
		return nil, fmt.Errorf("apps: stratified sample of %d from %d problems", n, len(problems))
	}
	strata := map[string][]int{}
	for i, p := range problems {
		d := NormalizeDifficulty(p.Difficulty)
		strata[d] = append(strata[d], i)
	}
	keys := make([]string, 0, len(strata))
	for k := range strata {
		keys = append(keys, k)
	}
	slices.Sort(keys)

	total := len(problems)
	quota := map[string]int{}
	type rem struct {
		key string
		r   int
	}
	var rems []rem
	given := 0
	for _, k := range keys {
		size := len(strata[k])
		quota[k] = n * size / total
		given += quota[k]
		rems = append(rems, rem{k, n * size % total})
	}
	slices.SortStableFunc(rems, func(a, b rem) int { return cmp.Compare(b.r, a.r) })
	for i := 0; given < n; i++ {
		quota[rems[i].key]++
		given++
	}

	chosen := make([]bool, len(problems))
	for _, k := range keys {
		idx := strata[k]
		slices.SortFunc(idx, func(a, b int) int { return compareProblems(problems[a], problems[b]) })
		h := fnv.New64a()
		h.Write([]byte(k))
		rng := rand.New(rand.NewPCG(seed, h.Sum64()))
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		for _, i := range idx[:quota[k]] {
			chosen[i] = true
		}
	}
	out := make([]Problem, 0, n)
	for i, p := range problems {
		if chosen[i] {
			out = append(out, p)
		}
	}
	return out, nil
}

func compareProblems(a, b Problem) int {
	return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Source, b.Source), cmp.Compare(a.Index, b.Index))
}

// SplitUnit maps (seed, id) to a number in [0, 1): the first 53 bits of
// SHA-256("securecoderl/apps/split\x00" + decimal seed + "\x00" + id).
func SplitUnit(id string, seed uint64) float64 {
	h := sha256.New()
	h.Write([]byte("securecoderl/apps/split\x00"))
	h.Write([]byte(strconv.FormatUint(seed, 10)))
	h.Write([]byte{0})
	h.Write([]byte(id))
	x := binary.BigEndian.Uint64(h.Sum(nil)[:8])
	return float64(x>>11) / (1 << 53)
}

// Split divides problems into train and held-out sets: a problem is held
// out when SplitUnit(ID, seed) < heldoutFraction. A problem's side depends
// only on its ID and the seed, never on the other problems or their order,
// so problems sharing an ID land on the same side. Both sets keep the input
// order. A fraction <= 0 (or NaN) holds nothing out, >= 1 holds out all.
func Split(problems []Problem, heldoutFraction float64, seed uint64) (train, heldout []Problem) {
	if math.IsNaN(heldoutFraction) {
		heldoutFraction = 0
	}
	for _, p := range problems {
		if SplitUnit(p.ID, seed) < heldoutFraction {
			heldout = append(heldout, p)
		} else {
			train = append(train, p)
		}
	}
	return train, heldout
}

// IDs returns the problems' distinct IDs, sorted.
func IDs(problems []Problem) []string {
	out := make([]string, 0, len(problems))
	for _, p := range problems {
		out = append(out, p.ID)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// SplitIDs is Split returning the sorted distinct IDs of each side.
func SplitIDs(problems []Problem, heldoutFraction float64, seed uint64) (train, heldout []string) {
	tr, ho := Split(problems, heldoutFraction, seed)
	return IDs(tr), IDs(ho)
}
