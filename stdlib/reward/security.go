package reward

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/securecoderl/securecoderl/scanners/core"
	"github.com/securecoderl/securecoderl/stdlib/judge"
)

// Form is the shape of R_sec as a function of the vulnerability score V.
type Form string

const (
	// Exp: R_sec = exp(−V) (the study's default).
	Exp Form = "exp"
	// Linear: R_sec = 1 − V.
	Linear Form = "linear"
)

// ConfidenceWeight weighs a finding by Bandit's confidence.
func ConfidenceWeight(c core.Level) float64 {
	switch c {
	case core.High:
		return 1.0
	case core.Medium:
		return 0.75
	case core.Low:
		return 0.5
	}
	return 0.5
}

// Security is the security reward:
//
//	V     = min(Σ w(f) / Scale, 1)   over findings at or above Threshold
//	w(f)  = CWE weight of f's test id × confidence weight (HIGH 1, MEDIUM 0.75, LOW 0.5)
//	R_sec = exp(−V)  or  1 − V
//
// with Scale 5 and Threshold MEDIUM by default (the study counted MEDIUM and
// HIGH severity only). The CWE weights are the documented table in
// scanners/core (scanners.Rules()).
type Security struct {
	Threshold core.Level // minimum severity counted; default Medium
	Form      Form       // default Exp
	Scale     float64    // default 5
}

// SecValue is a security reward with its parts.
type SecValue struct {
	Value   float64        `json:"value"`   // R_sec
	V       float64        `json:"v"`       // vulnerability score in [0,1]
	Counted []core.Finding `json:"counted"` // findings at or above the threshold
	Explain string         `json:"explain"`
}

// Score computes R_sec from findings.
func (s Security) Score(findings []core.Finding) SecValue {
	th, form, scale := s.Threshold, s.Form, s.Scale
	if th == "" {
		th = core.Medium
	}
	if form == "" {
		form = Exp
	}
	if scale <= 0 {
		scale = 5
	}
	var sum float64
	var counted []core.Finding
	var parts []string
	for _, f := range findings {
		if f.Severity.Rank() < th.Rank() {
			continue
		}
		w := core.Weight(f.TestID) * ConfidenceWeight(f.Confidence)
		sum += w
		counted = append(counted, f)
		parts = append(parts, fmt.Sprintf("%s@%d %.2f", f.TestID, f.Line, w))
	}
	v := math.Min(sum/scale, 1)
	r := math.Exp(-v)
	if form == Linear {
		r = 1 - v
	}
	explain := "no findings at or above " + string(th)
	if len(counted) > 0 {
		sort.Strings(parts)
		explain = fmt.Sprintf("V = min((%s)/%g, 1) = %.3f", strings.Join(parts, " + "), scale, v)
	}
	return SecValue{Value: round(r), V: round(v), Counted: counted, Explain: explain}
}

// Combined is R = α·R_func + β·R_sec. The study uses α = 0.6, β = 0.4;
// the ablations set β = 0.
type Combined struct {
	Alpha, Beta float64
	Func        Func
	Sec         Security
}

// Study returns the study's combination: partial credit, α 0.6, β 0.4.
func Study() Combined { return Combined{Alpha: 0.6, Beta: 0.4, Func: PartialCredit{}} }

// Total is a combined reward with its parts.
type Total struct {
	R    float64  `json:"r"`
	Func Value    `json:"func"`
	Sec  SecValue `json:"sec"`
}

// Score computes R for a judged program and its findings.
func (c Combined) Score(r judge.Result, findings []core.Finding) Total {
	f := c.Func
	if f == nil {
		f = PartialCredit{}
	}
	fv := f.Score(r)
	sv := c.Sec.Score(findings)
	return Total{R: round(c.Alpha*fv.Value + c.Beta*sv.Value), Func: fv, Sec: sv}
}
