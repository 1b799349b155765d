package reward_test

import (
	"fmt"

	"github.com/securecoderl/securecoderl/sandbox"
	"github.com/securecoderl/securecoderl/scanners/core"
	"github.com/securecoderl/securecoderl/stdlib/judge"
	"github.com/securecoderl/securecoderl/stdlib/reward"
)

// A program that prints on every test but passes only one of four.
func ExamplePartialCredit() {
	r := judge.Result{
		Verdicts: []sandbox.Verdict{sandbox.Passed, sandbox.WrongOutput, sandbox.WrongOutput, sandbox.WrongOutput},
		Printed:  []bool{true, true, true, true},
		Passed:   1, Total: 4,
	}
	v := reward.PartialCredit{}.Score(r)
	fmt.Printf("%.1f %s\n", v.Value, v.Stage)
	// Output: 0.7 passes_some
}

// The study's eval shortcut: every test passes, but Bandit flags eval.
func ExampleCombined() {
	r := judge.Result{Verdicts: []sandbox.Verdict{sandbox.Passed, sandbox.Passed}, Printed: []bool{true, true}, Passed: 2, Total: 2, AllPassed: true}
	eval := core.Finding{TestID: "B307", Severity: core.Medium, Confidence: core.High, Line: 1}
	t := reward.Study().Score(r, []core.Finding{eval})
	fmt.Printf("R_func %.1f, R_sec %.3f, R %.3f\n", t.Func.Value, t.Sec.Value, t.R)
	// Output: R_func 1.0, R_sec 0.819, R 0.927
}
