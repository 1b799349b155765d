package evaluation

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestPairedBootstrap(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	base := make([][]float64, 3)
	for s := range base {
		base[s] = make([]float64, 60)
		for i := range base[s] {
			base[s][i] = float64(rng.IntN(2)) // pass/fail, problem by problem
		}
	}
	shift := func(x [][]float64, d float64) [][]float64 {
		out := make([][]float64, len(x))
		for s := range x {
			out[s] = make([]float64, len(x[s]))
			for i, v := range x[s] {
				out[s][i] = v + d
			}
		}
		return out
	}
	for _, tc := range []struct {
		name            string
		a, b            [][]float64
		mean, lo, hi    float64
		pGreaterAtLeast float64
		pGreaterAtMost  float64
	}{
		{"identical policies", base, base, 0, 0, 0, 0, 0},
		// Every problem 0.1 better: the paired interval is the point 0.1,
		// although each policy's own interval is ±0.12 wide.
		{"uniform improvement", shift(base, 0.1), base, 0.1, 0.1, 0.1, 1, 1},
		{"uniform loss", shift(base, -0.05), base, -0.05, -0.05, -0.05, 0, 0},
		{"one seed", base[:1], shift(base[:1], 0.2), -0.2, -0.2, -0.2, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := PairedBootstrap(tc.a, tc.b, Options{})
			if err != nil {
				t.Fatal(err)
			}
			near := func(x, y float64) bool { return math.Abs(x-y) < 1e-9 }
			if !near(p.Diff.Mean, tc.mean) || !near(p.Diff.Lo, tc.lo) || !near(p.Diff.Hi, tc.hi) {
				t.Errorf("diff %v, want %v [%v, %v]", p.Diff, tc.mean, tc.lo, tc.hi)
			}
			if p.PAGreater < tc.pGreaterAtLeast || p.PAGreater > tc.pGreaterAtMost {
				t.Errorf("P(A>B) %v, want in [%v, %v]", p.PAGreater, tc.pGreaterAtLeast, tc.pGreaterAtMost)
			}
			if p.Seeds != len(tc.a) || p.Units != len(tc.a[0]) {
				t.Errorf("seeds %d problems %d", p.Seeds, p.Units)
			}
		})
	}
}

// A noisy difference: the interval covers the true mean and is narrower
// than the unpaired intervals' overlap would suggest.
func TestPairedBootstrapNoisy(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	a, b := make([][]float64, 3), make([][]float64, 3)
	for s := range a {
		for i := 0; i < 200; i++ {
			hard := float64(rng.IntN(2)) // shared problem difficulty
			a[s] = append(a[s], hard)
			v := hard
			if hard == 1 && rng.Float64() < 0.15 {
				v = 0 // B fails 15% of what A solves
			}
			b[s] = append(b[s], v)
		}
	}
	p, err := PairedBootstrap(a, b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Decided() || p.Diff.Lo <= 0 || p.PAGreater < 0.99 {
		t.Errorf("paired difference %v (P %v): want a decided positive difference", p, p.PAGreater)
	}
	ua, ub := Bootstrap(a[0], Options{}), Bootstrap(b[0], Options{})
	if ua.Lo > ub.Hi {
		t.Logf("unpaired intervals disjoint too: %v vs %v", ua, ub)
	}
	if w, uw := p.Diff.Hi-p.Diff.Lo, (ua.Hi-ua.Lo)+(ub.Hi-ub.Lo); w >= uw/2 {
		t.Errorf("paired interval width %.3f not narrower than half the unpaired widths' sum %.3f", w, uw)
	}
}

func TestPairedBootstrapErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b [][]float64
		want string
	}{
		{"seed counts differ", [][]float64{{1}, {1}}, [][]float64{{1}}, "2 seeds for A, 1 for B"},
		{"problem counts differ", [][]float64{{1, 0}}, [][]float64{{1}}, "seed 0 has 2 problems for A and 1 for B"},
		{"nothing", nil, nil, "0 seeds"},
		{"no problems", [][]float64{{}}, [][]float64{{}}, "no problems"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := PairedBootstrap(tc.a, tc.b, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
