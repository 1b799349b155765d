package scoring_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/securecoderl/securecoderl/sandbox"
	"github.com/securecoderl/securecoderl/scanners"
	"github.com/securecoderl/securecoderl/stdlib/apps"
	"github.com/securecoderl/securecoderl/stdlib/judge"
	"github.com/securecoderl/securecoderl/stdlib/reward"
	"github.com/securecoderl/securecoderl/stdlib/scoring"
)

func setup(t testing.TB) scoring.Options {
	t.Helper()
	if _, err := os.Stat("/usr/bin/python3"); err != nil {
		t.Skip("no /usr/bin/python3")
	}
	pool, err := sandbox.New(context.Background(), sandbox.Config{Workers: 2, Limits: sandbox.Limits{Wall: 2 * time.Second, MemoryMB: 512}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	sc, err := scanners.New("native", scanners.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { scanners.Close(sc) })
	return scoring.Options{Pool: pool, Scanner: sc, Reward: reward.Study(), Compare: judge.Lines}
}

// TestRunLadder scores one program per rung of the Table III ladder, plus
// an insecure one, in a single batch, with a real sandbox and scanner.
func TestRunLadder(t *testing.T) {
	o := setup(t)
	sum := apps.Problem{ID: "sum", Kind: apps.KindStdin, Tests: []apps.Test{
		{Input: "1 2\n", Expected: "3\n"}, {Input: "5 5\n", Expected: "10\n"}, {Input: "0 0\n", Expected: "0\n"}}}
	call := apps.Problem{ID: "double", Kind: apps.KindCall, FnName: "double", Tests: []apps.Test{
		{Input: "[2]", Expected: "[4]"}, {Input: "[5]", Expected: "[10]"}}}
	type want struct {
		stage    reward.Stage
		passed   int
		total    int
		secClean bool
	}
	cases := []struct {
		name string
		p    apps.Problem
		src  string
		want want
	}{
		{"correct", sum, "a, b = map(int, input().split())\nprint(a + b)\n", want{reward.StagePassesAll, 3, 3, true}},
		{"passes one", sum, "a, b = map(int, input().split())\nprint(3 if a == 1 else 7)\n", want{reward.StagePassesSome, 1, 3, true}},
		{"prints", sum, "print('hello')\n", want{reward.StagePrints, 0, 3, true}},
		{"executes", sum, "x = 1\n", want{reward.StageExecutes, 0, 3, true}},
		{"parses", sum, "raise SystemExit(int(input()) // 0)\n", want{reward.StageParses, 0, 3, true}},
		{"syntax error", sum, "def f(:\n", want{reward.StageSyntaxError, 0, 3, true}},
		{"insecure", sum, "a, b = map(int, eval('input()').split())\nprint(a + b)\n", want{reward.StagePassesAll, 3, 3, false}},
		{"call-based", call, "def double(x):\n    return 2 * x\n", want{reward.StagePassesAll, 2, 2, true}},
		{"only the first test", sum, "a, b = map(int, input().split())\nprint(a + b)\n", want{reward.StagePassesAll, 1, 1, true}},
	}
	items := make([]scoring.Item, len(cases))
	for i, c := range cases {
		max := 0
		if c.name == "only the first test" {
			max = 1
		}
		items[i] = scoring.Item{Name: c.name, Program: scoring.ProgramOf(c.p, c.src), Cases: scoring.Cases(c.p.Tests, max)}
	}
	items[0].Visible = scoring.Cases(sum.Tests[:1], 0)
	var calls []int
	o.Progress = func(done, total int) {
		if total != len(cases) {
			t.Errorf("progress total %d, want %d", total, len(cases))
		}
		calls = append(calls, done)
	}
	res, err := scoring.Run(context.Background(), o, items)
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != len(cases) || calls[len(calls)-1] != len(cases) {
		t.Errorf("progress calls %v", calls)
	}
	for i, c := range cases {
		r := res[i]
		got := want{r.Total.Func.Stage, r.Judged.Passed, r.Judged.Total, r.SecClean()}
		if got != c.want {
			t.Errorf("%s: got %+v, want %+v (verdicts %v)", c.name, got, c.want, r.Judged.Verdicts)
		}
		wantR := 0.6*r.Total.Func.Value + 0.4*r.Total.Sec.Value
		if d := r.Total.R - wantR; d > 1e-6 || d < -1e-6 { // R is rounded for display
			t.Errorf("%s: R = %g, want 0.6·%g + 0.4·%g", c.name, r.Total.R, r.Total.Func.Value, r.Total.Sec.Value)
		}
		if r.Report.Findings == nil {
			t.Errorf("%s: nil findings (want an empty list)", c.name)
		}
	}
	if res[0].Visible.Total != 1 || res[0].Visible.Passed != 1 || res[1].Visible.Total != 0 {
		t.Errorf("visible tests: %+v / %+v", res[0].Visible, res[1].Visible)
	}
	if f := res[6].Report.Findings; len(f) == 0 || !strings.Contains(fmt.Sprint(f), "B307") {
		t.Errorf("eval program: findings %+v, want B307", f)
	}
}

func TestRunErrors(t *testing.T) {
	if _, err := scoring.Run(context.Background(), scoring.Options{}, nil); err == nil {
		t.Error("Run without a pool or scanner succeeded")
	}
	o := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	items := []scoring.Item{{Name: "x", Program: sandbox.Program{Source: "print(1)\n"}, Cases: []judge.Case{{Expected: "1\n"}}}}
	if _, err := scoring.Run(ctx, o, items); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled run: %v, want context.Canceled", err)
	}
	// A sandbox failure (here: a closed pool) names the item it hit.
	closed, err := sandbox.New(context.Background(), sandbox.Config{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	o.Pool = closed
	items[0].Name = "problem 42, sample 3"
	if _, err := scoring.Run(context.Background(), o, items); err == nil || !strings.Contains(err.Error(), "problem 42, sample 3") {
		t.Errorf("judging on a closed pool: %v, want an error naming the item", err)
	}
}

func ExampleCases() {
	tests := []apps.Test{{Input: "1\n", Expected: "2\n"}, {Input: "2\n", Expected: "4\n"}, {Input: "3\n", Expected: "6\n"}}
	fmt.Println(len(scoring.Cases(tests, 2)), len(scoring.Cases(tests, 0)))
	// Output: 2 3
}

func TestSecClean(t *testing.T) {
	counted := reward.SecValue{Counted: []scanners.Finding{{TestID: "B307"}}}
	syntaxErr := judge.Result{Syntax: &sandbox.SyntaxInfo{}}
	cases := []struct {
		name string
		r    scoring.Result
		want bool
	}{
		{"no finding", scoring.Result{}, true},
		{"a counted finding", scoring.Result{Total: reward.Total{Sec: counted}}, false},
		{"scanner failed on valid Python", scoring.Result{Report: scanners.Report{Err: "timeout"}}, false},
		{"program does not parse", scoring.Result{Judged: syntaxErr, Report: scanners.Report{Err: "syntax error while parsing AST"}}, true},
	}
	for _, c := range cases {
		if got := c.r.SecClean(); got != c.want {
			t.Errorf("%s: SecClean() = %v, want %v", c.name, got, c.want)
		}
	}
}
