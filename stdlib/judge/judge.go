package judge

import (
	"context"
	"fmt"
	"strings"

	"github.com/securecoderl/securecoderl/sandbox"
)

// NoTests is the bucket of a program judged on no tests at all (e.g. a
// statement without worked examples): it is neither a pass nor a failure.
const NoTests sandbox.Verdict = "no_tests"

// Case is one test of a problem.
type Case struct {
	Input    string `json:"input"`
	Expected string `json:"expected"`
}

// Task is what is judged: a program, its tests and how to compare.
type Task struct {
	Program sandbox.Program
	Cases   []Case
	Compare Preset // for stdin problems; call-based ones use CompareCall
	// StopOnFailure stops at the first failing test (faster; k counts only
	// the tests before it).
	StopOnFailure bool
	// Limits replace the pool's limits for these runs (zero fields: the
	// pool's; see sandbox.Pool.RunWith).
	Limits sandbox.Limits
}

// Result is a judged program.
type Result struct {
	Verdicts     []sandbox.Verdict   `json:"verdicts"`
	Printed      []bool              `json:"printed"` // per test: stdout was not empty (whatever the exit)
	Passed       int                 `json:"passed"`  // k
	Total        int                 `json:"total"`   // T
	AllPassed    bool                `json:"all_passed"`
	FirstFailure *Failure            `json:"first_failure,omitempty"`
	Bucket       sandbox.Verdict     `json:"bucket"` // failure-taxonomy bucket
	Syntax       *sandbox.SyntaxInfo `json:"syntax,omitempty"`
	// ConstantOutput: the program printed the same output (up to trailing
	// white space) on at least two tests that expect different outputs,
	// ending cleanly on each: it ignores its input or prints a constant.
	ConstantOutput bool             `json:"constant_output,omitempty"`
	Runs           []sandbox.Result `json:"-"`
}

// Failure describes the first test that did not pass.
type Failure struct {
	Test     int             `json:"test"`
	Verdict  sandbox.Verdict `json:"verdict"`
	Input    string          `json:"input"`
	Expected string          `json:"expected"`
	Got      string          `json:"got"`
	Stderr   string          `json:"stderr,omitempty"`
}

// Judge runs a program on every case and judges it.
//
// The program's bucket is "passed" when all tests pass, "syntax_error" when it
// does not compile, otherwise the verdict of its first failing test (the
// study's Table II taxonomy counts each program once).
//
// The sandbox is a local *sandbox.Pool or remote `scrl serve` endpoints
// (sandbox.Remote): the verdicts are the same.
func Judge(ctx context.Context, pool sandbox.Tester, t Task) (Result, error) {
	cmp := t.Compare.Comparator()
	if t.Program.FnName != "" {
		cmp = CompareCall
	}
	tests := make([]sandbox.Test, len(t.Cases))
	for i, c := range t.Cases {
		tests[i] = sandbox.Test{Input: c.Input, Expected: c.Expected, HasExpected: true}
	}
	b, err := pool.RunTests(ctx, t.Program, tests, sandbox.BatchOptions{StopOnFailure: t.StopOnFailure, Compare: cmp, Limits: t.Limits})
	if err != nil {
		return Result{}, fmt.Errorf("judge: %w", err)
	}
	return FromBatch(b, t.Cases), nil
}

// FromBatch judges a batch the sandbox already ran.
func FromBatch(b sandbox.Batch, cases []Case) Result {
	r := Result{Total: len(cases), Passed: b.Passed, Syntax: b.Syntax, Runs: b.Results}
	for i, res := range b.Results {
		r.Verdicts = append(r.Verdicts, res.Verdict)
		r.Printed = append(r.Printed, res.Stdout != "")
		if res.Verdict != sandbox.Passed && r.FirstFailure == nil {
			f := &Failure{Test: i, Verdict: res.Verdict, Got: clip(res.Stdout), Stderr: clip(res.Stderr)}
			if i < len(cases) {
				f.Input, f.Expected = clip(cases[i].Input), clip(cases[i].Expected)
			}
			r.FirstFailure = f
		}
	}
	r.AllPassed = r.Total > 0 && r.Passed == r.Total
	r.ConstantOutput = constantOutput(b.Results, cases)
	switch {
	case b.Syntax != nil:
		r.Bucket = sandbox.SyntaxError
	case r.AllPassed:
		r.Bucket = sandbox.Passed
	case r.FirstFailure != nil:
		r.Bucket = r.FirstFailure.Verdict
	default:
		r.Bucket = NoTests
	}
	return r
}

// constantOutput: every clean run printed the same text, and the runs
// cover at least two different expected outputs.
func constantOutput(runs []sandbox.Result, cases []Case) bool {
	var out string
	expected := map[string]bool{}
	n := 0
	for i, res := range runs {
		if i >= len(cases) || res.Verdict == sandbox.SyntaxError {
			return false
		}
		if res.ExitCode != 0 || res.Signal != "" || res.Verdict == sandbox.Timeout || res.Verdict == sandbox.RuntimeError {
			continue
		}
		got := strings.TrimRight(res.Stdout, " \t\r\n")
		if n > 0 && got != out {
			return false
		}
		out = got
		n++
		expected[strings.TrimRight(cases[i].Expected, " \t\r\n")] = true
	}
	return n >= 2 && len(expected) >= 2
}

func clip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}
