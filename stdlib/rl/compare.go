package rl

import (
	"fmt"
	"slices"
	"sort"

	"github.com/securecoderl/securecoderl/stdlib/evaluation"
)

// Endpoint is one quantity of a paired comparison.
type Endpoint struct {
	Name string `json:"name"`
	// Percent: the values are shares shown in percent.
	Percent bool `json:"percent"`
	evaluation.Paired
}

// SplitComparison holds the endpoints on one held-out split (or "all").
type SplitComparison struct {
	Split     string     `json:"split"`
	Endpoints []Endpoint `json:"endpoints"`
}

// Comparison is policy A against policy B on the same problems with the
// same sampling seeds (one evaluation of each per seed).
type Comparison struct {
	A, B     string            `json:"-"`
	NameA    string            `json:"a"`
	NameB    string            `json:"b"`
	Seeds    int               `json:"seeds"`
	Problems int               `json:"problems"`
	N        int               `json:"n"` // samples per problem
	Splits   []SplitComparison `json:"splits"`
	// Differences lists what differs between the A and B evaluations'
	// settings other than the policy (none for a clean comparison).
	Differences []string `json:"differences,omitempty"`
}

// Primary is the primary endpoint (pass@1 on all hidden tests) over all
// problems.
func (c *Comparison) Primary() Endpoint { return c.Splits[0].Endpoints[0] }

// Endpoint returns the named endpoint on a split ("all" for every problem).
func (c *Comparison) Endpoint(split, name string) (Endpoint, bool) {
	for _, s := range c.Splits {
		if s.Split != split {
			continue
		}
		for _, e := range s.Endpoints {
			if e.Name == name {
				return e, true
			}
		}
	}
	return Endpoint{}, false
}

// perProblem groups samples by problem key.
func perProblem(samples []EvalSample) map[string][]EvalSample {
	by := map[string][]EvalSample{}
	for _, s := range samples {
		by[s.Key] = append(by[s.Key], s)
	}
	return by
}

type endpointDef struct {
	name     string
	percent  bool
	tempting bool // only the tempting problems
	value    func(ss []EvalSample) float64
}

func shareOf(ss []EvalSample, f func(EvalSample) bool) float64 {
	n := 0
	for _, s := range ss {
		if f(s) {
			n++
		}
	}
	return float64(n) / float64(len(ss))
}

func allPass(s EvalSample) bool { return s.Total > 0 && s.Passed == s.Total }

func endpointDefs(ks []int) []endpointDef {
	defs := []endpointDef{{name: "pass@1", percent: true, value: func(ss []EvalSample) float64 { return shareOf(ss, allPass) }}}
	for _, k := range ks {
		if k <= 1 {
			continue
		}
		defs = append(defs, endpointDef{name: fmt.Sprintf("pass@%d", k), percent: true, value: func(ss []EvalSample) float64 {
			c := 0
			for _, s := range ss {
				if allPass(s) {
					c++
				}
			}
			v, err := evaluation.PassAtK(len(ss), c, k)
			if err != nil {
				return 0
			}
			return v
		}})
	}
	return append(defs,
		endpointDef{name: "syntax", percent: true, value: func(ss []EvalSample) float64 { return shareOf(ss, func(s EvalSample) bool { return s.Syntax }) }},
		endpointDef{name: "≥1 test", percent: true, value: func(ss []EvalSample) float64 { return shareOf(ss, func(s EvalSample) bool { return s.Passed > 0 }) }},
		endpointDef{name: "security-clean", percent: true, value: func(ss []EvalSample) float64 { return shareOf(ss, func(s EvalSample) bool { return s.SecClean }) }},
		endpointDef{name: "R", value: func(ss []EvalSample) float64 {
			t := 0.0
			for _, s := range ss {
				t += s.R
			}
			return t / float64(len(ss))
		}},
		endpointDef{name: "shortcut", percent: true, tempting: true, value: func(ss []EvalSample) float64 {
			return shareOf(ss, func(s EvalSample) bool { return flagged(s.Findings) })
		}},
	)
}

// Compare compares policy A with policy B: a[i] and b[i] are their
// evaluations under the i-th seed (the same problems, the same sampling
// seed; for trained arms, the i-th training seed too). Every endpoint is a
// paired bootstrap over problems and seeds (evaluation.PairedBootstrap):
// pass@1 on all hidden tests first (the primary endpoint), pass@k for the
// k > 1 both evaluations allow, syntax %, ≥ 1 test %, security-clean %,
// mean R and, on tempting problems, the shortcut share (MEDIUM/HIGH
// finding). Endpoints are given over all problems and per split.
//
// It fails, naming the first difference, when a pair was evaluated on
// different problems, with different numbers of samples, or when the
// results carry no samples.
func Compare(a, b []*EvalResult, o evaluation.Options) (*Comparison, error) {
	if len(a) == 0 || len(b) == 0 {
		return nil, fmt.Errorf("compare: need at least one evaluation of each policy")
	}
	if len(a) != len(b) {
		return nil, fmt.Errorf("compare: %d evaluations of A and %d of B: give one of each per seed, in the same seed order", len(a), len(b))
	}
	c := &Comparison{NameA: a[0].Name, NameB: b[0].Name, Seeds: len(a), N: a[0].N}
	var keys []string
	split := map[string]string{}
	tempting := map[string]bool{}
	ks := []int{}
	for s := range a {
		for side, r := range map[string]*EvalResult{"A": a[s], "B": b[s]} {
			if len(r.Samples) == 0 {
				return nil, fmt.Errorf("compare: seed %d, %s (%s): the evaluation has no samples (evaluate it with rl.Evaluate or EvaluateCached)", s, side, r.Name)
			}
		}
		pa, pb := perProblem(a[s].Samples), perProblem(b[s].Samples)
		ka, kb := sortedKeys(pa), sortedKeys(pb)
		if s == 0 {
			keys = ka
		}
		for _, ks2 := range [][]string{ka, kb} {
			if !slices.Equal(ks2, keys) {
				return nil, fmt.Errorf("compare: seed %d: A (%s) and B (%s) were not evaluated on the same problems as seed 0 of A: %s",
					s, a[s].Name, b[s].Name, firstDiff(keys, ks2))
			}
		}
		if a[s].Seed != b[s].Seed {
			return nil, fmt.Errorf("compare: seed %d: A was sampled with seed %d, B with seed %d: not paired (evaluate both with the same seed)", s, a[s].Seed, b[s].Seed)
		}
		if a[s].N != b[s].N || a[s].N != c.N {
			return nil, fmt.Errorf("compare: seed %d: %d samples per problem for A, %d for B (seed 0: %d)", s, a[s].N, b[s].N, c.N)
		}
		for _, r := range []*EvalResult{a[s], b[s]} {
			for _, smp := range r.Samples {
				split[smp.Key] = smp.Split
				tempting[smp.Key] = smp.Tempting
			}
		}
	}
	for k := 2; k <= c.N; k *= 2 {
		ks = append(ks, k)
	}
	if c.N > 1 && !slices.Contains(ks, c.N) {
		ks = append(ks, c.N)
	}
	c.Problems = len(keys)
	c.Differences = settingDiffs(a[0], b[0])
	groups := []string{"all"}
	for _, k := range keys {
		if sp := split[k]; sp != "" && !slices.Contains(groups, sp) {
			groups = append(groups, sp)
		}
	}
	sort.Strings(groups[1:])
	if len(groups) == 2 {
		groups = groups[:1] // one split: "all" says it
	}
	defs := endpointDefs(ks)
	for _, g := range groups {
		sc := SplitComparison{Split: g}
		for _, d := range defs {
			var va, vb [][]float64
			for s := range a {
				pa, pb := perProblem(a[s].Samples), perProblem(b[s].Samples)
				var ra, rb []float64
				for _, k := range keys {
					if (g != "all" && split[k] != g) || (d.tempting && !tempting[k]) {
						continue
					}
					ra, rb = append(ra, d.value(pa[k])), append(rb, d.value(pb[k]))
				}
				va, vb = append(va, ra), append(vb, rb)
			}
			if len(va[0]) == 0 {
				continue // e.g. no tempting problem on this split
			}
			p, err := evaluation.PairedBootstrap(va, vb, o)
			if err != nil {
				return nil, fmt.Errorf("compare %s on %s: %w", d.name, g, err)
			}
			if d.percent {
				p.A, p.B, p.Diff = 100*p.A, 100*p.B, p.Diff.Percent()
			}
			sc.Endpoints = append(sc.Endpoints, Endpoint{Name: d.name, Percent: d.percent, Paired: p})
		}
		c.Splits = append(c.Splits, sc)
	}
	return c, nil
}

func sortedKeys(m map[string][]EvalSample) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func firstDiff(want, got []string) string {
	in := func(xs []string, x string) bool { _, ok := slices.BinarySearch(xs, x); return ok }
	for _, k := range want {
		if !in(got, k) {
			return fmt.Sprintf("%d vs %d problems; %s is missing", len(want), len(got), k)
		}
	}
	for _, k := range got {
		if !in(want, k) {
			return fmt.Sprintf("%d vs %d problems; %s is extra", len(want), len(got), k)
		}
	}
	return fmt.Sprintf("%d vs %d problems", len(want), len(got))
}

// settingDiffs lists the evaluation settings that differ between a and b
// besides the policy.
func settingDiffs(a, b *EvalResult) []string {
	var out []string
	add := func(name string, x, y any) {
		if x != y {
			out = append(out, fmt.Sprintf("%s %v vs %v", name, x, y))
		}
	}
	add("temperature", a.Temperature, b.Temperature)
	add("top-p", a.TopP, b.TopP)
	add("max new tokens", a.MaxNewTokens, b.MaxNewTokens)
	add("test timeout (ms)", a.TimeoutMS, b.TimeoutMS)
	add("tests per problem", a.MaxTests, b.MaxTests)
	return out
}
