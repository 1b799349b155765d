// Package reward turns a judged program (sandbox verdicts + scanner
// findings) into the study's rewards: functional rewards (partial credit,
// the study's released variant, binary, pass fraction, syntax only), the
// security reward R_sec and their combination R = α·R_func + β·R_sec.
//
// Every reward is a pure function of its inputs and cheap to call.
package reward

import (
	"fmt"
	"strings"

	"github.com/securecoderl/securecoderl/sandbox"
	"github.com/securecoderl/securecoderl/stdlib/judge"
)

// Stage is how far up the ladder a program got.
type Stage string

// The stages of the ladder (Table III of the study), lowest first.
const (
	StageSyntaxError Stage = "syntax_error" // does not parse
	StageParses      Stage = "parses"       // parses, but does not run cleanly
	StageExecutes    Stage = "executes"     // runs without runtime error, prints nothing
	StagePrints      Stage = "prints"       // runs cleanly and prints, no test passes
	StagePassesSome  Stage = "passes_some"  // 1 ≤ k < T tests pass
	StagePassesAll   Stage = "passes_all"   // k = T
)

// Stages lists the stages in ladder order.
var Stages = []Stage{StageSyntaxError, StageParses, StageExecutes, StagePrints, StagePassesSome, StagePassesAll}

// Value is a functional reward with the stage reached and a one-line
// explanation.
type Value struct {
	Value   float64 `json:"value"`
	Stage   Stage   `json:"stage"`
	Explain string  `json:"explain"`
}

// Func is a functional reward.
type Func interface {
	Name() string
	Score(r judge.Result) Value
}

// Aggregation decides a stage over several tests.
type Aggregation string

const (
	// Any: the stage is reached when it is reached on at least one test.
	Any Aggregation = "any"
	// All: the stage is reached only when it is reached on every test.
	All Aggregation = "all"
)

// ranClean: the run ended without error (exit 0 within every limit).
func ranClean(v sandbox.Verdict) bool {
	switch v {
	case sandbox.NoOutput, sandbox.WrongOutput, sandbox.Passed, sandbox.OK:
		return true
	}
	return false
}

// printedClean: the run ended cleanly with something on stdout.
func printedClean(v sandbox.Verdict) bool {
	switch v {
	case sandbox.WrongOutput, sandbox.Passed, sandbox.OK:
		return true
	}
	return false
}

func holds(agg Aggregation, vs []sandbox.Verdict, f func(sandbox.Verdict) bool) bool {
	if len(vs) == 0 {
		return false
	}
	n := 0
	for _, v := range vs {
		if f(v) {
			n++
		}
	}
	if agg == All {
		return n == len(vs)
	}
	return n > 0
}

// PartialCredit is the study's Table III ladder:
//
//	0.0             syntax error
//	0.2             parses
//	0.4             executes without runtime error
//	0.6             produces stdout
//	0.6 + 0.4·k/T   k ≥ 1 of T tests pass (1.0 = all pass)
//
// "Executes" means a run ended cleanly (exit 0, no timeout or limit);
// "produces stdout" means a clean run printed something. Over several tests
// each is decided by Executes and Prints: Any (default: on at least one
// test) or All (on every test).
type PartialCredit struct {
	Executes Aggregation
	Prints   Aggregation
}

// Name implements Func.
func (p PartialCredit) Name() string { return "partial" }

// Score implements Func.
func (p PartialCredit) Score(r judge.Result) Value {
	ex, pr := p.Executes, p.Prints
	if ex == "" {
		ex = Any
	}
	if pr == "" {
		pr = Any
	}
	switch {
	case r.Syntax != nil:
		return Value{0, StageSyntaxError, "does not parse: " + r.Syntax.String()}
	case r.Total == 0:
		return Value{0.2, StageParses, "parses; no tests to run"}
	case r.Passed == r.Total:
		return Value{1, StagePassesAll, fmt.Sprintf("passes all %d tests", r.Total)}
	case r.Passed > 0:
		return Value{0.6 + 0.4*float64(r.Passed)/float64(r.Total), StagePassesSome, fmt.Sprintf("passes %d of %d tests", r.Passed, r.Total)}
	case holds(ex, r.Verdicts, ranClean) && holds(pr, r.Verdicts, printedClean):
		return Value{0.6, StagePrints, fmt.Sprintf("runs cleanly and prints (%s tests), but passes none of %d", pr, r.Total)}
	case holds(ex, r.Verdicts, ranClean):
		return Value{0.4, StageExecutes, fmt.Sprintf("runs cleanly (%s tests) but %s", ex, whyNoPrint(r))}
	default:
		return Value{0.2, StageParses, "parses but does not run cleanly: " + failureSummary(r)}
	}
}

func whyNoPrint(r judge.Result) string {
	for _, v := range r.Verdicts {
		if v == sandbox.NoOutput {
			return "prints nothing (missing print?)"
		}
	}
	return "does not print on the required tests"
}

func failureSummary(r judge.Result) string {
	counts := map[sandbox.Verdict]int{}
	for _, v := range r.Verdicts {
		counts[v]++
	}
	var parts []string
	for _, v := range sandbox.Verdicts {
		if counts[v] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[v], v))
		}
	}
	return strings.Join(parts, ", ")
}

// SeedPartialCredit is the reward in the study's released code, which
// differs from its Table III: 0.2 for valid syntax, +0.2 if any test exits
// cleanly, +0.2 if any test prints something (even a run that then fails),
// +0.4·k/T. Printing anything thus scores 0.6 with nothing correct, and a
// program passing all tests scores 1.0. Kept for faithful reproduction.
type SeedPartialCredit struct{}

// Name implements Func.
func (SeedPartialCredit) Name() string { return "seed" }

// Score implements Func.
func (SeedPartialCredit) Score(r judge.Result) Value {
	if r.Syntax != nil {
		return Value{0, StageSyntaxError, "does not parse: " + r.Syntax.String()}
	}
	v, stage, why := 0.2, StageParses, []string{"0.2 syntax"}
	if holds(Any, r.Verdicts, ranClean) {
		v += 0.2
		stage = StageExecutes
		why = append(why, "+0.2 a test exits cleanly")
	}
	printed := false
	for _, p := range r.Printed {
		printed = printed || p
	}
	if printed {
		v += 0.2
		if stage == StageExecutes {
			stage = StagePrints
		}
		why = append(why, "+0.2 a test prints")
	}
	if r.Total > 0 && r.Passed > 0 {
		v += 0.4 * float64(r.Passed) / float64(r.Total)
		stage = StagePassesSome
		if r.Passed == r.Total {
			stage = StagePassesAll
		}
		why = append(why, fmt.Sprintf("+0.4·%d/%d tests", r.Passed, r.Total))
	}
	return Value{round(v), stage, strings.Join(why, " ")}
}

// Binary is 1 when all tests pass, else 0.
type Binary struct{}

// Name implements Func.
func (Binary) Name() string { return "binary" }

// Score implements Func.
func (Binary) Score(r judge.Result) Value {
	st := stageOf(r)
	if r.Total > 0 && r.Passed == r.Total && r.Syntax == nil {
		return Value{1, st, fmt.Sprintf("passes all %d tests", r.Total)}
	}
	return Value{0, st, fmt.Sprintf("passes %d of %d tests", r.Passed, r.Total)}
}

// PassFraction is k/T.
type PassFraction struct{}

// Name implements Func.
func (PassFraction) Name() string { return "fraction" }

// Score implements Func.
func (PassFraction) Score(r judge.Result) Value {
	if r.Total == 0 || r.Syntax != nil {
		return Value{0, stageOf(r), "no test passes"}
	}
	return Value{float64(r.Passed) / float64(r.Total), stageOf(r), fmt.Sprintf("%d of %d tests pass", r.Passed, r.Total)}
}

// SyntaxOnly is 1 when the program parses (the reward of the study's
// "PPO-simple" variant).
type SyntaxOnly struct{}

// Name implements Func.
func (SyntaxOnly) Name() string { return "syntax" }

// Score implements Func.
func (SyntaxOnly) Score(r judge.Result) Value {
	if r.Syntax != nil {
		return Value{0, StageSyntaxError, "does not parse: " + r.Syntax.String()}
	}
	return Value{1, stageOf(r), "parses"}
}

// Guarded is PartialCredit that pays a program printing the same output
// whatever its input (judge.Result.ConstantOutput: the same text on tests
// that expect different ones) no more than a program that parses (0.2),
// unless it passes every test. The study's ladder pays 0.6 for any clean
// print and 0.6 + 0.4·k/T for a constant that happens to match k tests;
// comparing Guarded with PartialCredit measures how much of a policy's
// reward came from that.
type Guarded struct{ PartialCredit }

// Name implements Func.
func (Guarded) Name() string { return "guarded" }

// Score implements Func.
func (g Guarded) Score(r judge.Result) Value {
	v := g.PartialCredit.Score(r)
	if r.ConstantOutput && v.Stage != StagePassesAll && v.Value > 0.2 {
		return Value{0.2, v.Stage, "prints the same output on tests that expect different ones (ignores its input): paid as parses; " + v.Explain}
	}
	return v
}

// stageOf is the Table III stage with the default (Any) aggregation.
func stageOf(r judge.Result) Stage { return PartialCredit{}.Score(r).Stage }

// FuncNames lists the functional rewards by name.
var FuncNames = []string{"partial", "seed", "binary", "fraction", "guarded", "syntax"}

// FuncByName returns a functional reward by name.
func FuncByName(name string) (Func, error) {
	switch name {
	case "partial", "":
		return PartialCredit{}, nil
	case "seed":
		return SeedPartialCredit{}, nil
	case "binary":
		return Binary{}, nil
	case "fraction":
		return PassFraction{}, nil
	case "guarded":
		return Guarded{}, nil
	case "syntax":
		return SyntaxOnly{}, nil
	}
	return nil, fmt.Errorf("unknown reward %q (valid: %s)", name, strings.Join(FuncNames, ", "))
}

func round(v float64) float64 {
	return float64(int64(v*1e9+0.5)) / 1e9
}
