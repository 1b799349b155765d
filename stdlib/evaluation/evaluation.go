// Package evaluation computes the study's evaluation metrics over judged
// samples: Syntax %, ≥1-test-pass %, all-tests-pass %, Security-clean %,
// mean R_func, R_sec and R, each with a bootstrap 95% confidence interval;
// the unbiased pass@k estimator; best-of-k with test-based selection; and
// the same stratified by difficulty.
//
// Everything is deterministic for a given seed.
package evaluation

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// Sample is one judged, scanned and rewarded program for one problem.
type Sample struct {
	ProblemID  string  `json:"problem_id"`
	Difficulty string  `json:"difficulty,omitempty"`
	Syntax     bool    `json:"syntax_ok"` // parses
	Passed     int     `json:"passed"`    // k tests passed
	Total      int     `json:"total"`     // of T
	SecClean   bool    `json:"sec_clean"` // no finding at or above the threshold (scoring.Result.SecClean)
	RFunc      float64 `json:"r_func"`
	RSec       float64 `json:"r_sec"`
	R          float64 `json:"r"`
	// VisiblePassed of VisibleTotal tests the model could see (the
	// statement's examples) pass: what best-of-k may select on.
	VisiblePassed int `json:"visible_passed,omitempty"`
	VisibleTotal  int `json:"visible_total,omitempty"`
}

// AnyPass says whether at least one test passes.
func (s Sample) AnyPass() bool { return s.Passed > 0 }

// AllPass says whether every test passes (and there is at least one).
func (s Sample) AllPass() bool { return s.Total > 0 && s.Passed == s.Total }

// Metric is a mean with its bootstrap confidence interval.
type Metric struct {
	Mean float64 `json:"mean"`
	Lo   float64 `json:"lo"`
	Hi   float64 `json:"hi"`
}

func (m Metric) String() string { return fmt.Sprintf("%.3f [%.3f, %.3f]", m.Mean, m.Lo, m.Hi) }

// Percent scales a proportion metric to percent.
func (m Metric) Percent() Metric { return Metric{100 * m.Mean, 100 * m.Lo, 100 * m.Hi} }

// Row is one row of the study's Table IV.
type Row struct {
	Name        string  `json:"name"`
	N           int     `json:"n"`
	SyntaxPct   Metric  `json:"syntax_pct"`
	AnyPassPct  Metric  `json:"any_pass_pct"`
	AllPassPct  Metric  `json:"all_pass_pct"`
	SecCleanPct Metric  `json:"sec_clean_pct"`
	RFunc       Metric  `json:"r_func"`
	RSec        Metric  `json:"r_sec"`
	R           Metric  `json:"r"`
	Confidence  float64 `json:"confidence"`
}

// Options tune the bootstrap.
type Options struct {
	Iterations int     // resamples (default 2000)
	Confidence float64 // default 0.95
	Seed       uint64  // default 1
}

func (o Options) withDefaults() Options {
	if o.Iterations <= 0 {
		o.Iterations = 2000
	}
	if o.Confidence <= 0 || o.Confidence >= 1 {
		o.Confidence = 0.95
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	return o
}

// Bootstrap returns the mean of xs and its percentile bootstrap interval.
// An empty input gives NaNs.
func Bootstrap(xs []float64, o Options) Metric {
	o = o.withDefaults()
	if len(xs) == 0 {
		return Metric{math.NaN(), math.NaN(), math.NaN()}
	}
	mean := meanOf(xs)
	rng := rand.New(rand.NewPCG(o.Seed, 0x5eed))
	means := make([]float64, o.Iterations)
	for i := range means {
		var s float64
		for range xs {
			s += xs[rng.IntN(len(xs))]
		}
		means[i] = s / float64(len(xs))
	}
	sort.Float64s(means)
	a := (1 - o.Confidence) / 2
	return Metric{Mean: mean, Lo: quantile(means, a), Hi: quantile(means, 1-a)}
}

// ClusterBootstrap is Bootstrap for samples that come in clusters (several
// samples of one problem are not independent): cluster i has counts[i]
// samples whose values sum to sums[i]. Each resample draws clusters with
// replacement and takes Σ sums / Σ counts. With every count 1 it equals
// Bootstrap (the same draws).
func ClusterBootstrap(sums, counts []float64, o Options) Metric {
	o = o.withDefaults()
	if len(sums) == 0 || len(sums) != len(counts) {
		return Metric{math.NaN(), math.NaN(), math.NaN()}
	}
	var ts, tc float64
	for i := range sums {
		ts += sums[i]
		tc += counts[i]
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x5eed))
	means := make([]float64, o.Iterations)
	for i := range means {
		var s, c float64
		for range sums {
			j := rng.IntN(len(sums))
			s += sums[j]
			c += counts[j]
		}
		means[i] = s / c
	}
	sort.Float64s(means)
	a := (1 - o.Confidence) / 2
	return Metric{Mean: ts / tc, Lo: quantile(means, a), Hi: quantile(means, 1-a)}
}

func meanOf(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// quantile of sorted xs with linear interpolation.
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 1 {
		return xs[0]
	}
	pos := q * float64(len(xs)-1)
	i := int(math.Floor(pos))
	if i >= len(xs)-1 {
		return xs[len(xs)-1]
	}
	f := pos - float64(i)
	return xs[i]*(1-f) + xs[i+1]*f
}

func indicator(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Table computes a Table IV row over samples (one or more per problem; each
// sample counts once in the means). The confidence intervals resample
// problems, not samples (ClusterBootstrap): samples of one problem are
// correlated, and resampling them independently would make the intervals
// too narrow. Samples without a ProblemID are clusters of their own.
func Table(name string, samples []Sample, o Options) Row {
	o = o.withDefaults()
	cluster := make([]int, len(samples))
	index := map[string]int{}
	nc := 0
	for i, s := range samples {
		if s.ProblemID == "" {
			cluster[i], nc = nc, nc+1
			continue
		}
		c, ok := index[s.ProblemID]
		if !ok {
			c, nc = nc, nc+1
			index[s.ProblemID] = c
		}
		cluster[i] = c
	}
	// Each column gets its own stream so adding a column changes no other.
	boot := func(k uint64, f func(Sample) float64) Metric {
		sums, counts := make([]float64, nc), make([]float64, nc)
		for i, s := range samples {
			sums[cluster[i]] += f(s)
			counts[cluster[i]]++
		}
		oo := o
		oo.Seed = o.Seed*31 + k
		return ClusterBootstrap(sums, counts, oo)
	}
	return Row{
		Name: name, N: len(samples), Confidence: o.Confidence,
		SyntaxPct:   boot(1, func(s Sample) float64 { return indicator(s.Syntax) }).Percent(),
		AnyPassPct:  boot(2, func(s Sample) float64 { return indicator(s.AnyPass()) }).Percent(),
		AllPassPct:  boot(3, func(s Sample) float64 { return indicator(s.AllPass()) }).Percent(),
		SecCleanPct: boot(4, func(s Sample) float64 { return indicator(s.SecClean) }).Percent(),
		RFunc:       boot(5, func(s Sample) float64 { return s.RFunc }),
		RSec:        boot(6, func(s Sample) float64 { return s.RSec }),
		R:           boot(7, func(s Sample) float64 { return s.R }),
	}
}

// ByDifficulty computes one row per difficulty (sorted by name).
func ByDifficulty(name string, samples []Sample, o Options) []Row {
	groups := map[string][]Sample{}
	for _, s := range samples {
		groups[s.Difficulty] = append(groups[s.Difficulty], s)
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	rows := make([]Row, 0, len(keys))
	for _, k := range keys {
		rows = append(rows, Table(name+" / "+k, groups[k], o))
	}
	return rows
}

// PassAtK is the unbiased estimator of pass@k for a problem with n samples
// of which c pass: 1 − C(n−c, k) / C(n, k) (Chen et al., 2021), computed as
// a stable product.
func PassAtK(n, c, k int) (float64, error) {
	if n <= 0 || k <= 0 || c < 0 || c > n || k > n {
		return 0, fmt.Errorf("pass@k: need 0 ≤ c ≤ n and 1 ≤ k ≤ n (n=%d c=%d k=%d)", n, c, k)
	}
	if n-c < k {
		return 1, nil
	}
	prod := 1.0
	for i := n - c + 1; i <= n; i++ {
		prod *= 1 - float64(k)/float64(i)
	}
	return 1 - prod, nil
}

// MeanPassAtK averages PassAtK over problems: samples are grouped by
// ProblemID and a sample passes when it passes all tests.
func MeanPassAtK(samples []Sample, k int) (float64, error) {
	type nc struct{ n, c int }
	per := map[string]*nc{}
	var order []string
	for _, s := range samples {
		p := per[s.ProblemID]
		if p == nil {
			p = &nc{}
			per[s.ProblemID] = p
			order = append(order, s.ProblemID)
		}
		p.n++
		if s.AllPass() {
			p.c++
		}
	}
	if len(order) == 0 {
		return 0, fmt.Errorf("pass@k: no samples")
	}
	var sum float64
	for _, id := range order {
		v, err := PassAtK(per[id].n, per[id].c, k)
		if err != nil {
			return 0, fmt.Errorf("problem %s: %w", id, err)
		}
		sum += v
	}
	return sum / float64(len(order)), nil
}

// BestOfK picks, for each problem, the first k samples (in the given
// order) and keeps the one a selector scores highest — the inference-time
// baseline. With test-based selection the selector is the number of
// visible tests passed; ties keep the earliest sample. Problems with fewer
// than k samples use what they have.
func BestOfK(samples []Sample, k int, score func(Sample) float64) []Sample {
	seen := map[string]int{}
	best := map[string]int{}
	var order []string
	for i, s := range samples {
		if seen[s.ProblemID] >= k {
			continue
		}
		if seen[s.ProblemID] == 0 {
			order = append(order, s.ProblemID)
			best[s.ProblemID] = i
		} else if score(s) > score(samples[best[s.ProblemID]]) {
			best[s.ProblemID] = i
		}
		seen[s.ProblemID]++
	}
	out := make([]Sample, 0, len(order))
	for _, id := range order {
		out = append(out, samples[best[id]])
	}
	return out
}

// ByTestsPassed is the test-based selector for BestOfK.
func ByTestsPassed(s Sample) float64 { return float64(s.Passed) }

// ByVisibleTestsPassed selects on the tests the model could see (the
// statement's examples), not on the hidden tests it is scored on: the
// inference-time baseline that does not peek.
func ByVisibleTestsPassed(s Sample) float64 { return float64(s.VisiblePassed) }
