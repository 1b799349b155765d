package evaluation

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// Paired is the difference between two policies' means of one quantity,
// measured on the same problems with the same sampling seeds.
type Paired struct {
	A    float64 `json:"a"`    // policy A's mean
	B    float64 `json:"b"`    // policy B's mean
	Diff Metric  `json:"diff"` // A − B with its paired bootstrap interval
	// PAGreater is the share of bootstrap resamples in which A − B > 0
	// (near 1: A is better, near 0: B is better, near ½: undecided).
	PAGreater float64 `json:"p_a_greater"`
	Seeds     int     `json:"seeds"`
	Units     int     `json:"problems"` // problems per seed
}

// PairedBootstrap compares two policies on paired values: a[s][i] and
// b[s][i] are the two policies' values of one quantity on problem i under
// seed s (the same problem, the same sampling seed; with several samples
// per problem, their mean). Each resample draws seeds with replacement and,
// independently, problems with replacement (the same problems for every
// drawn seed: a problem's difficulty is shared across seeds), and takes the
// mean over the drawn (seed, problem) cells of a − b. With one seed this is
// the paired per-problem bootstrap. The interval is the percentile interval
// at o.Confidence.
//
// It returns an error when the shapes differ: a comparison of runs
// evaluated on different problems or with different seeds is not paired.
func PairedBootstrap(a, b [][]float64, o Options) (Paired, error) {
	o = o.withDefaults()
	if len(a) == 0 || len(a) != len(b) {
		return Paired{}, fmt.Errorf("paired bootstrap: %d seeds for A, %d for B (each seed of A pairs with the same seed of B)", len(a), len(b))
	}
	n := len(a[0])
	if n == 0 {
		return Paired{}, fmt.Errorf("paired bootstrap: no problems")
	}
	for s := range a {
		if len(a[s]) != n || len(b[s]) != n {
			return Paired{}, fmt.Errorf("paired bootstrap: seed %d has %d problems for A and %d for B (expected %d for both)", s, len(a[s]), len(b[s]), n)
		}
	}
	S := len(a)
	d := make([][]float64, S)
	var ma, mb float64
	for s := range a {
		d[s] = make([]float64, n)
		for i := range a[s] {
			d[s][i] = a[s][i] - b[s][i]
			ma += a[s][i]
			mb += b[s][i]
		}
	}
	cells := float64(S * n)
	ma, mb = ma/cells, mb/cells
	rng := rand.New(rand.NewPCG(o.Seed, 0x9a1d))
	means := make([]float64, o.Iterations)
	seeds := make([]int, S)
	greater := 0
	for it := range means {
		for k := range seeds {
			seeds[k] = rng.IntN(S)
			if S == 1 {
				seeds[k] = 0
			}
		}
		var sum float64
		for range n {
			i := rng.IntN(n)
			for _, s := range seeds {
				sum += d[s][i]
			}
		}
		means[it] = sum / cells
		if means[it] > 0 {
			greater++
		}
	}
	sort.Float64s(means)
	q := (1 - o.Confidence) / 2
	return Paired{A: ma, B: mb, Diff: Metric{Mean: ma - mb, Lo: quantile(means, q), Hi: quantile(means, 1-q)},
		PAGreater: float64(greater) / float64(o.Iterations), Seeds: S, Units: n}, nil
}

// Decided says whether the interval excludes 0.
func (p Paired) Decided() bool { return p.Diff.Lo > 0 || p.Diff.Hi < 0 }

// String prints the difference with its interval.
func (p Paired) String() string {
	if math.IsNaN(p.Diff.Mean) {
		return "n/a"
	}
	return fmt.Sprintf("%+.3f [%+.3f, %+.3f]", p.Diff.Mean, p.Diff.Lo, p.Diff.Hi)
}
