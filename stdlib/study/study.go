// Package study holds the study's fixed experimental material so that
// notebooks, scripts and tests share one copy: the Table III reward ladder
// (one small real program per stage, and the tests it is judged on), the
// three programs of the qualitative analysis (Qualitative, JudgeExamples),
// and their layout as the tables and series of Table III and Figure 2
// (TableIIIRows, Figure2Points; notebook 02 is a few calls over them).
package study

import (
	"context"
	"fmt"

	"github.com/securecoderl/securecoderl/sandbox"
	"github.com/securecoderl/securecoderl/stdlib/judge"
	"github.com/securecoderl/securecoderl/stdlib/reward"
)

// Rung is a program meant to land on one stage of the ladder.
type Rung struct {
	Want   reward.Stage
	What   string
	Source string
}

// SumTests are the ladder's toy problem: read two integers, print their sum.
func SumTests() []judge.Case {
	return []judge.Case{
		{Input: "1 2\n", Expected: "3\n"},
		{Input: "40 2\n", Expected: "42\n"},
		{Input: "5 5\n", Expected: "10\n"},
	}
}

// Ladder returns one program per stage, lowest first, and a last one that
// shows where the study's released code departs from its Table III (a run
// that prints and then fails still earns the "prints" bonus there).
func Ladder() []Rung {
	return []Rung{
		{reward.StageSyntaxError, "missing parenthesis", "a, b = map(int, input().split()\nprint(a + b)\n"},
		{reward.StageParses, "crashes (NameError)", "a, b = map(int, input().split())\nprint(a + c)\n"},
		{reward.StageExecutes, "computes, never prints", "a, b = map(int, input().split())\nresult = a + b\n"},
		{reward.StagePrints, "prints a product", "a, b = map(int, input().split())\nprint(a * b)\n"},
		{reward.StagePassesSome, "wrong when a ≥ 10", "a, b = map(int, input().split())\nprint(a + b if a < 10 else a - b)\n"},
		{reward.StagePassesAll, "correct", "a, b = map(int, input().split())\nprint(a + b)\n"},
		{reward.StageParses, "prints the sum, then exits 1", "a, b = map(int, input().split())\nprint(a + b)\nraise SystemExit(1)\n"},
	}
}

// LadderRow is one row of Table III as measured.
type LadderRow struct {
	Rung    Rung
	Judged  judge.Result
	Partial reward.Value // Table III
	Seed    reward.Value // the study's released code
	Binary  reward.Value
}

// TableIII runs every rung through the sandbox on SumTests and scores it.
// It fails when a program lands on another stage than the one it was
// written for.
func TableIII(ctx context.Context, pool *sandbox.Pool) ([]LadderRow, error) {
	var rows []LadderRow
	for _, g := range Ladder() {
		r, err := judge.Judge(ctx, pool, judge.Task{Program: sandbox.Program{Source: g.Source}, Cases: SumTests(), Compare: judge.Lines})
		if err != nil {
			return nil, fmt.Errorf("table III: %q: %w", g.What, err)
		}
		row := LadderRow{Rung: g, Judged: r, Partial: reward.PartialCredit{}.Score(r), Seed: reward.SeedPartialCredit{}.Score(r), Binary: reward.Binary{}.Score(r)}
		if row.Partial.Stage != g.Want {
			return nil, fmt.Errorf("table III: %q landed on stage %s, want %s (%s)", g.What, row.Partial.Stage, g.Want, row.Partial.Explain)
		}
		rows = append(rows, row)
	}
	return rows, nil
}
