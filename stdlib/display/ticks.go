package display

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
)

// niceTicks labels round values (1, 2 or 5 times a power of ten)
// five to eight times across the range, with unlabelled minor ticks between.
type niceTicks struct{}

// Ticks implements plot.Ticker.
func (niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return plot.DefaultTicks{}.Ticks(lo, hi)
	}
	step := niceStep((hi - lo) / 7)
	minor := step / 5
	var ts []plot.Tick
	const eps = 1e-9
	for i := math.Ceil(lo/minor - eps); i*minor <= hi+eps*step; i++ {
		v := i * minor
		t := plot.Tick{Value: v}
		if r := math.Abs(math.Remainder(v, step)); r < minor/2 {
			t.Label = Cell(v)
		}
		ts = append(ts, t)
	}
	return ts
}

// niceStep is the smallest of 1, 2 or 5 times a power of ten that is at
// least raw (> 0).
func niceStep(raw float64) float64 {
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, f := range []float64{1, 2, 5} {
		if f*mag >= raw*(1-1e-12) {
			return f * mag
		}
	}
	return 10 * mag
}

// intTicks is the ticker of integer axes (steps, counts, sizes): labels on
// whole numbers only, at a step of 1, 2 or 5 times a power of ten giving at
// most nine labels, with unlabelled ticks on the whole numbers between
// when there are few.
type intTicks struct{}

// Ticks implements plot.Ticker.
func (intTicks) Ticks(lo, hi float64) []plot.Tick {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) || hi-lo > 1e15 {
		return nil
	}
	first, last := math.Ceil(lo), math.Floor(hi)
	if last < first {
		return nil
	}
	step := 1.0
	if last-first > 8 {
		step = math.Max(1, niceStep((last-first)/8))
	}
	minor := 0.0 // unlabelled ticks: every integer for small steps, a fifth of the step otherwise
	switch {
	case step > 1 && step <= 5:
		minor = 1
	case step >= 10:
		minor = step / 5
	}
	var ts []plot.Tick
	if minor > 0 {
		for v := math.Ceil(first/minor) * minor; v <= last; v += minor {
			if math.Mod(v, step) != 0 {
				ts = append(ts, plot.Tick{Value: v})
			}
		}
	}
	for v := math.Ceil(first/step) * step; v <= last; v += step {
		ts = append(ts, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
	}
	return ts
}

// allIntegers reports whether every value is a whole number (and there is
// at least one).
func allIntegers(vss ...[]float64) bool {
	n := 0
	for _, vs := range vss {
		for _, v := range vs {
			if v != math.Trunc(v) || math.Abs(v) > 1e15 {
				return false
			}
			n++
		}
	}
	return n > 0
}
