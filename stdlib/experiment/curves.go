package experiment

import (
	"fmt"
	"math"

	"github.com/securecoderl/securecoderl/stdlib/display"
	"github.com/securecoderl/securecoderl/stdlib/rl"
)

// Curve is a training metric of one policy per step: its mean over seeds
// and the band between the lowest and the highest seed (each seed's
// series smoothed first).
func (e *Experiment) Curve(policy, metric string, smooth int) (display.Band, error) {
	var runs [][]float64
	steps := math.MaxInt
	for _, seed := range e.cfg.Seeds {
		rows, err := rl.ReadMetrics(e.RunDir(policy, seed))
		if err != nil {
			return display.Band{}, fmt.Errorf("curve %s of %s seed %d: %w", metric, policy, seed, err)
		}
		ys := rl.Smooth(rl.Series(rows, metric), max(1, smooth))
		runs = append(runs, ys)
		steps = min(steps, len(ys))
	}
	if steps == 0 || steps == math.MaxInt {
		return display.Band{}, fmt.Errorf("curve %s of %s: no steps logged", metric, policy)
	}
	b := display.Band{Name: policy}
	for t := 0; t < steps; t++ {
		lo, hi, sum := math.Inf(1), math.Inf(-1), 0.0
		for _, ys := range runs {
			lo, hi, sum = math.Min(lo, ys[t]), math.Max(hi, ys[t]), sum+ys[t]
		}
		b.X = append(b.X, float64(t+1))
		b.Mean, b.Lo, b.Hi = append(b.Mean, sum/float64(len(runs))), append(b.Lo, lo), append(b.Hi, hi)
	}
	return b, nil
}

// Curves returns Curve for each policy.
func (e *Experiment) Curves(policies []string, metric string, smooth int) ([]display.Band, error) {
	var out []display.Band
	for _, p := range policies {
		b, err := e.Curve(p, metric, smooth)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}
