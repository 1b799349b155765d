package reward

import (
	"math"
	"testing"

	"github.com/securecoderl/securecoderl/sandbox"
	"github.com/securecoderl/securecoderl/scanners/core"
	"github.com/securecoderl/securecoderl/stdlib/judge"
)

// judged builds a judge.Result from per-test verdicts (printed = stdout not
// empty; clean runs with wrong output or passing print, others as given).
func judged(vs []sandbox.Verdict, printed []bool) judge.Result {
	r := judge.Result{Verdicts: vs, Total: len(vs), Printed: printed}
	if printed == nil {
		for _, v := range vs {
			r.Printed = append(r.Printed, v == sandbox.WrongOutput || v == sandbox.Passed || v == sandbox.OK)
		}
	}
	for _, v := range vs {
		if v == sandbox.Passed {
			r.Passed++
		}
	}
	r.AllPassed = r.Total > 0 && r.Passed == r.Total
	return r
}

var (
	P  = sandbox.Passed
	W  = sandbox.WrongOutput
	N  = sandbox.NoOutput
	RE = sandbox.RuntimeError
	TO = sandbox.Timeout
)

func syntaxErr() judge.Result {
	r := judged([]sandbox.Verdict{sandbox.SyntaxError, sandbox.SyntaxError}, nil)
	r.Syntax = &sandbox.SyntaxInfo{Type: "SyntaxError", Message: "invalid syntax", Line: 1}
	return r
}

func TestFuncRewards(t *testing.T) {
	cases := []struct {
		name    string
		r       judge.Result
		partial float64
		stage   Stage
		seed    float64
		binary  float64
		frac    float64
		syntax  float64
	}{
		{"syntax error", syntaxErr(), 0, StageSyntaxError, 0, 0, 0, 0},
		{"crashes everywhere", judged([]sandbox.Verdict{RE, RE}, nil), 0.2, StageParses, 0.2, 0, 0, 1},
		{"crashes after printing", judged([]sandbox.Verdict{RE, RE}, []bool{true, false}), 0.2, StageParses, 0.4, 0, 0, 1},
		{"times out", judged([]sandbox.Verdict{TO}, nil), 0.2, StageParses, 0.2, 0, 0, 1},
		// The study's qualitative example 1: the answer is computed but never printed.
		{"missing print", judged([]sandbox.Verdict{N, N, N}, nil), 0.4, StageExecutes, 0.4, 0, 0, 1},
		// Example 2: prints, in the wrong format.
		{"wrong-format output", judged([]sandbox.Verdict{W, W, W}, nil), 0.6, StagePrints, 0.6, 0, 0, 1},
		{"passes 1 of 4", judged([]sandbox.Verdict{P, W, W, RE}, nil), 0.7, StagePassesSome, 0.7, 0, 0.25, 1},
		{"passes 3 of 4", judged([]sandbox.Verdict{P, P, P, W}, nil), 0.9, StagePassesSome, 0.9, 0, 0.75, 1},
		// Example 3 (eval shortcut) passes everything; its security term is tested below.
		{"passes all", judged([]sandbox.Verdict{P, P, P}, nil), 1, StagePassesAll, 1, 1, 1, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pv := PartialCredit{}.Score(c.r)
			if !near(pv.Value, c.partial) || pv.Stage != c.stage || pv.Explain == "" {
				t.Errorf("partial = %+v, want %v at %s", pv, c.partial, c.stage)
			}
			for _, f := range []struct {
				fn   Func
				want float64
			}{{SeedPartialCredit{}, c.seed}, {Binary{}, c.binary}, {PassFraction{}, c.frac}, {SyntaxOnly{}, c.syntax}} {
				if got := f.fn.Score(c.r); !near(got.Value, f.want) {
					t.Errorf("%s = %v (%s), want %v", f.fn.Name(), got.Value, got.Explain, f.want)
				}
			}
		})
	}
}

func TestAggregation(t *testing.T) {
	// One clean silent test, one crash: "executes" holds for Any, not for All.
	r := judged([]sandbox.Verdict{N, RE}, nil)
	if v := (PartialCredit{}).Score(r); v.Stage != StageExecutes {
		t.Fatalf("any: %+v", v)
	}
	if v := (PartialCredit{Executes: All}).Score(r); v.Stage != StageParses || v.Value != 0.2 {
		t.Fatalf("all: %+v", v)
	}
	r = judged([]sandbox.Verdict{W, N}, nil)
	if v := (PartialCredit{Prints: All}).Score(r); v.Stage != StageExecutes {
		t.Fatalf("prints all: %+v", v)
	}
}

func finding(id string, sev, conf core.Level) core.Finding {
	return core.Finding{TestID: id, Severity: sev, Confidence: conf, Line: 1}
}

func TestSecurity(t *testing.T) {
	eval := finding("B307", core.Medium, core.High)
	assertF := finding("B101", core.Low, core.High)
	wEval := core.Weight("B307")
	cases := []struct {
		name     string
		sec      Security
		findings []core.Finding
		want     float64
	}{
		{"clean", Security{}, nil, 1},
		{"low severity not counted", Security{}, []core.Finding{assertF}, 1},
		{"low counted with threshold LOW", Security{Threshold: core.Low}, []core.Finding{assertF}, math.Exp(-core.Weight("B101") / 5)},
		{"eval", Security{}, []core.Finding{eval}, math.Exp(-wEval / 5)},
		{"eval linear", Security{Form: Linear}, []core.Finding{eval}, 1 - wEval/5},
		{"medium confidence", Security{}, []core.Finding{finding("B307", core.Medium, core.Medium)}, math.Exp(-wEval * 0.75 / 5)},
		{"saturates", Security{}, []core.Finding{eval, eval, eval, eval, eval, eval, eval, eval, eval, eval}, math.Exp(-1)},
	}
	for _, c := range cases {
		if got := c.sec.Score(c.findings); !near(got.Value, c.want) || got.Explain == "" {
			t.Errorf("%s: R_sec %+v, want %v", c.name, got, c.want)
		}
	}
}

func TestCombinedEvalShortcut(t *testing.T) {
	// The study's example 3: `print(eval(input()))` passes every test but
	// carries a B307 finding.
	r := judged([]sandbox.Verdict{P, P}, nil)
	f := []core.Finding{finding("B307", core.Medium, core.High)}
	tot := Study().Score(r, f)
	want := 0.6*1 + 0.4*math.Exp(-core.Weight("B307")/5)
	if !near(tot.R, want) || tot.Func.Stage != StagePassesAll || len(tot.Sec.Counted) != 1 {
		t.Fatalf("combined %+v, want R=%v", tot, want)
	}
	// β = 0 ablation ignores security.
	if got := (Combined{Alpha: 1, Beta: 0, Func: Binary{}}).Score(r, f); got.R != 1 {
		t.Fatalf("beta=0: %+v", got)
	}
}

func TestFuncByName(t *testing.T) {
	for _, n := range FuncNames {
		f, err := FuncByName(n)
		if err != nil || f.Name() != n {
			t.Fatalf("%s: %v %v", n, f, err)
		}
	}
	if _, err := FuncByName("nope"); err == nil {
		t.Fatal("unknown reward accepted")
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestGuarded(t *testing.T) {
	constant := func(r judge.Result) judge.Result { r.ConstantOutput = true; return r }
	for _, c := range []struct {
		name  string
		r     judge.Result
		want  float64
		stage Stage
	}{
		{"reads its input, wrong format", judged([]sandbox.Verdict{W, W, W}, nil), 0.6, StagePrints},
		{"constant, matches no test", constant(judged([]sandbox.Verdict{W, W, W}, nil)), 0.2, StagePrints},
		{"constant, matches 1 of 4", constant(judged([]sandbox.Verdict{P, W, W, W}, nil)), 0.2, StagePassesSome},
		{"prints nothing on any input", constant(judged([]sandbox.Verdict{N, N, N}, nil)), 0.2, StageExecutes},
		{"constant crashes", constant(judged([]sandbox.Verdict{RE, RE}, nil)), 0.2, StageParses},
		{"reads, passes 3 of 4", judged([]sandbox.Verdict{P, P, P, W}, nil), 0.9, StagePassesSome},
		{"passes all", judged([]sandbox.Verdict{P, P, P}, nil), 1, StagePassesAll},
		{"syntax error", syntaxErr(), 0, StageSyntaxError},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := Guarded{}.Score(c.r)
			if !near(v.Value, c.want) || v.Stage != c.stage {
				t.Errorf("guarded = %+v, want %v at %s", v, c.want, c.stage)
			}
			if !c.r.ConstantOutput && v != (PartialCredit{}).Score(c.r) {
				t.Errorf("guarded %+v differs from partial credit on a program that reads its input", v)
			}
		})
	}
}
