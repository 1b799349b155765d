package study

import (
	"context"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/securecoderl/securecoderl/sandbox"
	"github.com/securecoderl/securecoderl/scanners"
	"github.com/securecoderl/securecoderl/scanners/bandit"
	"github.com/securecoderl/securecoderl/scanners/core"
	"github.com/securecoderl/securecoderl/stdlib/judge"
	"github.com/securecoderl/securecoderl/stdlib/reward"
)

// needPool starts a sandbox with two workers, skipping without
// /usr/bin/python3.
func needPool(t *testing.T) *sandbox.Pool {
	t.Helper()
	if _, err := os.Stat("/usr/bin/python3"); err != nil {
		t.Skip("/usr/bin/python3 not installed")
	}
	pool, err := sandbox.New(context.Background(), sandbox.Config{Workers: 2, Limits: sandbox.Limits{Wall: 2 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	return pool
}

// ladderRows are hand-made rows of Table III, one per stage.
func ladderRows() []LadderRow {
	var rows []LadderRow
	for i, g := range Ladder() {
		v := float64(i) / 10
		rows = append(rows, LadderRow{Rung: g,
			Judged:  judge.Result{Verdicts: []sandbox.Verdict{sandbox.Passed, sandbox.WrongOutput}, Passed: 1, Total: 2},
			Partial: reward.Value{Value: v, Stage: g.Want, Explain: "why " + g.What}, Seed: reward.Value{Value: v + 0.01}, Binary: reward.Value{Value: float64(i / 5)}})
	}
	return rows
}

func TestTableIIIRows(t *testing.T) {
	rows := ladderRows()
	header, cells := TableIIIRows(rows)
	if len(cells) != len(rows) {
		t.Fatalf("%d rows for %d rungs", len(cells), len(rows))
	}
	want := []any{"executes", "computes, never prints", "passed, wrong_output", "1/2", 0.2, 0.21000000000000002, 0.0, "why computes, never prints"}
	if !reflect.DeepEqual(cells[2], want) {
		t.Errorf("row 2 %#v, want %#v", cells[2], want)
	}
	for i, c := range cells {
		if len(c) != len(header) {
			t.Errorf("row %d: %d cells for %d columns", i, len(c), len(header))
		}
	}
}

func TestFigure2(t *testing.T) {
	tests := []struct {
		name   string
		rows   []LadderRow
		points int
	}{
		{"the six stages, not the released code's departure", ladderRows(), 6},
		{"fewer rungs", ladderRows()[:3], 3},
		{"none", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			points := Figure2Points(tt.rows)
			if len(points) != tt.points {
				t.Fatalf("%d points, want %d", len(points), tt.points)
			}
			labels, series, values := Figure2Bars(points)
			x, names, lines := Figure2Lines(points)
			if len(labels) != tt.points || len(series) != 3 || len(values) != 3 || len(x) != tt.points || len(names) != 2 || len(lines) != 2 {
				t.Fatalf("bars %d×%d, lines %d×%d", len(series), len(labels), len(names), len(x))
			}
			for i, p := range points {
				r := tt.rows[i]
				if labels[i] != string(r.Partial.Stage) || values[0][i] != r.Partial.Value || values[1][i] != r.Seed.Value ||
					values[2][i] != r.Binary.Value || x[i] != float64(i) || lines[0][i] != r.Partial.Value || lines[1][i] != r.Binary.Value {
					t.Errorf("point %d %+v: bars %s %v %v %v, line %v %v %v", i, p, labels[i], values[0][i], values[1][i], values[2][i], x[i], lines[0][i], lines[1][i])
				}
			}
		})
	}
}

func TestProgramsMarkdown(t *testing.T) {
	md := ProgramsMarkdown(Ladder()[:1])
	want := "**The programs**\n\n*syntax_error — missing parenthesis*\n```python\na, b = map(int, input().split()\nprint(a + b)\n```\n"
	if md != want {
		t.Errorf("got %q, want %q", md, want)
	}
}

// TestTableIIIMeasured lays out the measured ladder as notebook 02 shows it.
func TestTableIIIMeasured(t *testing.T) {
	rows, err := TableIII(context.Background(), needPool(t))
	if err != nil {
		t.Fatal(err)
	}
	_, cells := TableIIIRows(rows)
	want := []string{"syntax_error, syntax_error, syntax_error", "runtime_error, runtime_error, runtime_error", "no_output, no_output, no_output",
		"wrong_output, wrong_output, wrong_output", "passed, wrong_output, passed", "passed, passed, passed", "runtime_error, runtime_error, runtime_error"}
	if len(cells) != len(want) {
		t.Fatalf("%d rows, want %d", len(cells), len(want))
	}
	for i, c := range cells {
		if c[2] != want[i] {
			t.Errorf("%s: verdicts %q, want %q", c[1], c[2], want[i])
		}
	}
	points := Figure2Points(rows)
	values := []float64{0, 0.2, 0.4, 0.6, 0.6 + 0.4*2.0/3, 1}
	for i, p := range points {
		if d := p.Partial - values[i]; d > 1e-9 || d < -1e-9 {
			t.Errorf("stage %s: %v, want %v", p.Stage, p.Partial, values[i])
		}
	}
}

func TestFindingList(t *testing.T) {
	tests := []struct {
		fs   []core.Finding
		want string
	}{
		{nil, "none"},
		{[]core.Finding{{TestID: "B307", Name: "blacklist", Severity: core.Medium, Confidence: core.High, Line: 1}},
			"B307 blacklist (MEDIUM/HIGH, line 1)"},
		{[]core.Finding{{TestID: "B602", Name: "a", Severity: core.High, Confidence: core.High, Line: 2},
			{TestID: "B108", Name: "b", Severity: core.Medium, Confidence: core.Medium, Line: 3}},
			"B602 a (HIGH/HIGH, line 2); B108 b (MEDIUM/MEDIUM, line 3)"},
	}
	for _, tt := range tests {
		if got := FindingList(tt.fs); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

// TestJudgeExamples judges the qualitative examples live, as notebook 02.
func TestJudgeExamples(t *testing.T) {
	pool := needPool(t)
	if !bandit.Available(core.Options{}) {
		t.Skip("Bandit not installed (make setup)")
	}
	native, err := scanners.New("native", scanners.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer scanners.Close(native)
	b, err := scanners.New("bandit", scanners.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer scanners.Close(b)
	js, err := JudgeExamples(context.Background(), pool, native, b, Qualitative(), ExprTests())
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		stage           reward.Stage
		partial, binary float64
		insecure        bool
	}{
		{reward.StageExecutes, 0.4, 0, false},
		{reward.StagePrints, 0.6, 0, false},
		{reward.StagePassesAll, 1, 1, true},
	}
	for i, j := range js {
		w := want[i]
		if j.Partial.Func.Stage != w.stage || j.Partial.Func.Value != w.partial || j.Binary.Func.Value != w.binary {
			t.Errorf("%s: stage %s, R_func %v / %v; want %s, %v / %v", j.Name, j.Partial.Func.Stage, j.Partial.Func.Value, j.Binary.Func.Value, w.stage, w.partial, w.binary)
		}
		if insecure := len(j.Bandit) > 0; insecure != w.insecure || (len(j.Native) > 0) != w.insecure {
			t.Errorf("%s: Bandit %s, native %s; insecure want %v", j.Name, FindingList(j.Bandit), FindingList(j.Native), w.insecure)
		}
		if w.insecure && !(j.Partial.Sec.Value < 1 && j.Partial.R < 1 && j.Partial.R > 0.9) {
			t.Errorf("%s: R_sec %v, R %v; want the security term to cost a little", j.Name, j.Partial.Sec.Value, j.Partial.R)
		}
	}
	header, rows := ExampleRows(js)
	if len(rows) != 3 || len(rows[0]) != len(header) {
		t.Errorf("%d rows of %d cells for %d columns", len(rows), len(rows[0]), len(header))
	}
	if md := ExamplesMarkdown(js); !strings.Contains(md, "**eval shortcut** — passes every test") || strings.Count(md, "```python") != 3 {
		t.Errorf("markdown %q", md)
	}
}
