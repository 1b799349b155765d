package rl

import (
	"fmt"
	"strings"
	"testing"

	"github.com/securecoderl/securecoderl/stdlib/evaluation"
)

// evalOf builds an evaluation whose problem i passes when pass(i).
func evalOf(name string, seed uint64, problems int, pass func(i int) bool) *EvalResult {
	r := &EvalResult{Name: name, N: 1, Seed: seed, Temperature: 0.2}
	for i := 0; i < problems; i++ {
		s := EvalSample{Key: fmt.Sprintf("synth:p%02d", i), Split: []string{"test", "test-unseen-family"}[i%2], Tempting: i%4 == 0}
		s.Syntax, s.Total = true, 4
		if pass(i) {
			s.Passed, s.R, s.SecClean = 4, 1, true
		}
		r.Samples = append(r.Samples, s)
	}
	return r
}

func TestCompare(t *testing.T) {
	var a, b []*EvalResult
	for seed := uint64(1); seed <= 3; seed++ {
		a = append(a, evalOf("A", seed, 40, func(i int) bool { return i < 20 }))
		b = append(b, evalOf("B", seed, 40, func(i int) bool { return i < 10 }))
	}
	c, err := Compare(a, b, evaluation.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := c.Primary()
	if p.Name != "pass@1" || p.A != 50 || p.B != 25 || p.Diff.Mean != 25 || !p.Decided() || p.PAGreater != 1 {
		t.Errorf("primary endpoint %+v", p)
	}
	if c.Seeds != 3 || c.Problems != 40 {
		t.Errorf("seeds %d problems %d", c.Seeds, c.Problems)
	}
	var splits []string
	for _, s := range c.Splits {
		splits = append(splits, s.Split)
	}
	if strings.Join(splits, ",") != "all,test,test-unseen-family" {
		t.Errorf("splits %v", splits)
	}
	if sc, ok := c.Endpoint("test", "shortcut"); !ok || sc.Units != 10 {
		t.Errorf("shortcut endpoint on test: %+v %v (want the 10 tempting problems)", sc, ok)
	}
	if _, ok := c.Endpoint("test", "pass@2"); ok {
		t.Error("pass@2 with one sample per problem")
	}
}

func TestCompareErrors(t *testing.T) {
	all := func(int) bool { return true }
	for _, tc := range []struct {
		name string
		a, b []*EvalResult
		want string
	}{
		{"different problems", []*EvalResult{evalOf("A", 1, 10, all)}, []*EvalResult{evalOf("B", 1, 9, all)}, "not evaluated on the same problems"},
		{"different sampling seeds", []*EvalResult{evalOf("A", 1, 10, all)}, []*EvalResult{evalOf("B", 2, 10, all)}, "not paired"},
		{"seed counts", []*EvalResult{evalOf("A", 1, 10, all), evalOf("A", 2, 10, all)}, []*EvalResult{evalOf("B", 1, 10, all)}, "2 evaluations of A and 1 of B"},
		{"no samples", []*EvalResult{{Name: "A", N: 1}}, []*EvalResult{evalOf("B", 0, 10, all)}, "has no samples"},
		{"nothing", nil, nil, "at least one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Compare(tc.a, tc.b, evaluation.Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}
