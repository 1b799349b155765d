package benchmark

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/securecoderl/securecoderl/sandbox"
	"github.com/securecoderl/securecoderl/scanners"
	"github.com/securecoderl/securecoderl/scanners/bandit"
	"github.com/securecoderl/securecoderl/stdlib/judge"
)

func finding(id, name, sev string) scanners.Finding {
	return scanners.Finding{TestID: id, Name: name, Severity: scanners.Level(sev)}
}

var (
	assertLow = finding("B101", "assert_used", "LOW")
	inputHigh = finding("B322", "blacklist", "HIGH")
	evalMed   = finding("B307", "blacklist", "MEDIUM")
)

// row is a scored completion with the given verdicts and the same findings
// under every scan variant but B322's (which adds extra).
func row(id string, res judge.Result, study Completion, fs []scanners.Finding, extraB322 ...scanners.Finding) Scored {
	study.ID = id
	return Scored{Completion: study, Result: res, Scans: map[string][]scanners.Finding{
		ScanBandit: fs, ScanBanditB322: append(append([]scanners.Finding(nil), fs...), extraB322...),
		ScanBanditStrfix: fs, ScanNative: fs,
	}}
}

func TestPct(t *testing.T) {
	tests := []struct {
		a, b int
		want float64
	}{{1, 3, 33.3}, {2, 3, 66.7}, {0, 5, 0}, {5, 5, 100}, {3, 0, 0}, {1, 8, 12.5}}
	for _, tt := range tests {
		if got := Pct(tt.a, tt.b); got != tt.want {
			t.Errorf("Pct(%d, %d) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestCleanAndCountIDs(t *testing.T) {
	tests := []struct {
		name     string
		fs       []scanners.Finding
		level    scanners.Level
		clean    bool
		countIDs string
		hasB322  bool
	}{
		{"none", nil, Medium, true, "", false},
		{"low under medium", []scanners.Finding{assertLow, assertLow}, Medium, true, "", false},
		{"low at low", []scanners.Finding{assertLow, assertLow}, Low, false, "B101 assert_used (LOW) ×2", false},
		{"mixed", []scanners.Finding{assertLow, inputHigh, evalMed, inputHigh}, Medium, false, "B322 blacklist (HIGH) ×2, B307 blacklist (MEDIUM) ×1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.fs, tt.level); got != tt.clean {
				t.Errorf("Clean = %v, want %v", got, tt.clean)
			}
			if got := CountIDs(tt.fs, tt.level); got != tt.countIDs {
				t.Errorf("CountIDs = %q, want %q", got, tt.countIDs)
			}
			if got := HasID(tt.fs, "B322"); got != tt.hasB322 {
				t.Errorf("HasID = %v, want %v", got, tt.hasB322)
			}
		})
	}
}

func TestStageOf(t *testing.T) {
	tests := []struct {
		name string
		res  judge.Result
		want string
	}{
		{"syntax error", judge.Result{Syntax: &sandbox.SyntaxInfo{Type: "SyntaxError"}, Total: 2, Verdicts: []sandbox.Verdict{sandbox.SyntaxError, sandbox.SyntaxError}, Printed: []bool{false, false}}, "syntax_error"},
		{"no examples", judge.Result{}, NoTests},
		{"all pass", judge.Result{Total: 1, Passed: 1, AllPassed: true, Verdicts: []sandbox.Verdict{sandbox.Passed}, Printed: []bool{true}}, "passes_all"},
		{"no output", judge.Result{Total: 1, Verdicts: []sandbox.Verdict{sandbox.NoOutput}, Printed: []bool{false}, Bucket: sandbox.NoOutput}, "executes"},
	}
	for _, tt := range tests {
		if got := StageOf(Scored{Result: tt.res}); got != tt.want {
			t.Errorf("%s: StageOf = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestFailuresOrder(t *testing.T) {
	fail := func(b sandbox.Verdict) Scored {
		return Scored{Result: judge.Result{Total: 1, Bucket: b}}
	}
	rows := []Scored{fail(sandbox.WrongOutput), fail(sandbox.NoOutput), fail(sandbox.RuntimeError), fail(sandbox.NoOutput),
		{Result: judge.Result{Total: 1, Passed: 1, AllPassed: true}}, {Result: judge.Result{}}}
	shares, failing := Failures(rows)
	want := []Share{{"no_output", 2, 50}, {"runtime_error", 1, 25}, {"wrong_output", 1, 25}}
	if failing != 4 || !reflect.DeepEqual(shares, want) {
		t.Errorf("Failures = %v, %d; want %v, 4", shares, failing, want)
	}
	_, _, cells := FailureTable(rows)
	if last := cells[len(cells)-1]; last[0] != "all failing programs" || last[1] != 4 || last[2] != 100.0 {
		t.Errorf("total row %v", last)
	}
}

func TestExplain(t *testing.T) {
	outside := &sandbox.SyntaxInfo{Type: "SyntaxError", Message: "'return' outside function", Line: 2}
	tests := []struct {
		name     string
		r        Scored
		compile  string // a substring of ExplainCompile, "" for none
		security string // a substring of ExplainSecurity, "" for none
	}{
		{"agree", row("a", judge.Result{}, Completion{Compiles: true}, nil), "", ""},
		{"return outside function", Scored{Program: "x = 1\nreturn x\n", Completion: Completion{Compiles: true},
			Result: judge.Result{Syntax: outside}}, "line 2 (`return x`) sits at module level", ""},
		{"study rejects", Scored{Notes: []string{"fenced: stripped"}}, "the extractor changed it: fenced: stripped", ""},
		{"low only", row("b", judge.Result{}, Completion{Compiles: true, HasSecurityIssues: true, RSec: 0.7}, []scanners.Finding{assertLow}, inputHigh),
			"", "only ones are LOW severity (B101 assert_used (LOW) ×1), which it penalised with R_sec 0.7; the project's R_sec counts MEDIUM and HIGH only. (It also calls input()"},
		{"nothing found", row("c", judge.Result{}, Completion{Compiles: true, HasSecurityIssues: true}, nil), "", "cannot be reproduced"},
		{"study missed", row("d", judge.Result{}, Completion{Compiles: true}, []scanners.Finding{evalMed}), "", "Bandit reports B307 blacklist (MEDIUM) ×1 here"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.r.Scans == nil {
				tt.r.Scans = map[string][]scanners.Finding{}
			}
			for _, c := range []struct{ got, want string }{{ExplainCompile(tt.r), tt.compile}, {ExplainSecurity(tt.r), tt.security}} {
				if (c.want == "") != (c.got == "") || !strings.Contains(c.got, c.want) {
					t.Errorf("got %q, want it to contain %q", c.got, c.want)
				}
			}
		})
	}
}

func TestCompareAndVariantCauses(t *testing.T) {
	ok := judge.Result{Total: 1, Passed: 1, AllPassed: true, Verdicts: []sandbox.Verdict{sandbox.Passed}, Printed: []bool{true}}
	rows := []Scored{
		row("clean", ok, Completion{Compiles: true}, nil, inputHigh),
		row("low", ok, Completion{Compiles: true, HasSecurityIssues: true}, []scanners.Finding{assertLow}, inputHigh),
		row("eval", ok, Completion{Compiles: false}, []scanners.Finding{evalMed}),
	}
	a := Compare(rows)
	if a.N != 3 || a.CompilesAgree != 2 || a.SecurityAgree != 1 || len(a.Disagreements) != 3 {
		t.Fatalf("Compare = %+v", a)
	}
	if d := a.Disagreements[0]; d.ID != "low" || d.Field != "has_security_issues" || d.Ours || !d.Study {
		t.Errorf("first disagreement %+v", d)
	}
	if d := a.Disagreements[1]; d.ID != "eval" || d.Field != "compiles" || !d.Ours || d.Study {
		t.Errorf("second disagreement %+v", d)
	}
	got := VariantCauses(rows)
	// B322 flags "clean" and "eval", which the study calls clean (it flags
	// "low" too, as the study does): 2 disagreements. The string-literal
	// fix and the native scanner see Bandit's findings: "low" (LOW only)
	// and "eval" (MEDIUM, study clean) disagree. At LOW only "eval" does.
	want := []int{2, 2, 1, 2}
	for i, c := range got {
		if c.Disagreements != want[i] {
			t.Errorf("%s: %d disagreements, want %d (%s)", c.Variant, c.Disagreements, want[i], c.Cause)
		}
	}
	if !strings.Contains(got[0].Cause, "2 programs call input(), and 1 of them are clean in the study's data.") {
		t.Errorf("B322 cause %q", got[0].Cause)
	}
	if !strings.Contains(got[2].Cause, "still differs on 1 program(s)") {
		t.Errorf("LOW cause %q", got[2].Cause)
	}
}

func TestByAppendedAndTableI(t *testing.T) {
	pass := judge.Result{Total: 2, Passed: 2, AllPassed: true, Verdicts: []sandbox.Verdict{sandbox.Passed, sandbox.Passed}, Printed: []bool{true, true}}
	none := judge.Result{Total: 2, Verdicts: []sandbox.Verdict{sandbox.NoOutput, sandbox.NoOutput}, Printed: []bool{false, false}, Bucket: sandbox.NoOutput}
	rows := []Scored{
		row("a", pass, Completion{Compiles: true, TestsPassed: 0, TestsTotal: 3, Reward: 0.5}, nil),
		row("b", none, Completion{Compiles: true, TestsPassed: 3, TestsTotal: 3, Reward: 1}, []scanners.Finding{evalMed}),
		row("c", judge.Result{}, Completion{Compiles: false, HasSecurityIssues: true, Reward: 0}, nil),
	}
	rows[1].Appended = true
	if got, want := ByAppended(rows), []AppendedGroup{{true, 1, 1, 0}, {false, 2, 0, 1}}; !reflect.DeepEqual(got, want) {
		t.Errorf("ByAppended = %+v, want %+v", got, want)
	}
	ours, study, tested := TableI(rows)
	if tested != 2 || ours.Syntax != 100 || ours.AnyPass != 50 || ours.AllPass != 50 || ours.SecClean != 66.7 {
		t.Errorf("ours %+v, tested %d", ours, tested)
	}
	if study != (TableIRow{66.7, 33.3, 33.3, 66.7, 0.5}) {
		t.Errorf("study %+v", study)
	}
	if ours.MeanR <= 0 || ours.MeanR > 1 {
		t.Errorf("mean R %v", ours.MeanR)
	}
}

func TestReadCompletionsErrors(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.jsonl")
	os.WriteFile(good, []byte(`{"prompt_id":"p1","compiles":true}`+"\n\n"+`{"prompt_id":"p2","tests_passed":2}`+"\n"), 0o644)
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte(`{"prompt_id":"p1"}`+"\n"+`{"prompt_id":`+"\n"), 0o644)
	tests := []struct {
		path    string
		n       int
		ids     []string
		wantErr string
	}{
		{good, 0, []string{"p1", "p2"}, ""},
		{good, 1, []string{"p1"}, ""},
		{bad, 0, nil, "bad.jsonl: line 2:"},
		{filepath.Join(dir, "missing.jsonl"), 0, nil, "missing.jsonl"},
	}
	for _, tt := range tests {
		cs, err := ReadCompletions(tt.path, tt.n)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%s: error %v, want %q", tt.path, err, tt.wantErr)
			}
			continue
		}
		var ids []string
		for _, c := range cs {
			ids = append(ids, c.ID)
		}
		if err != nil || !reflect.DeepEqual(ids, tt.ids) {
			t.Errorf("%s n=%d: %v, %v; want %v", tt.path, tt.n, ids, err, tt.ids)
		}
	}
	if p, err := GenerationsFile(good); p != good || err != nil {
		t.Errorf("GenerationsFile(%q) = %q, %v", good, p, err)
	}
}

// sharedGenerations is the shared DeepSeek file, or skips the test.
func sharedGenerations(t *testing.T) string {
	t.Helper()
	path := filepath.Join("..", "..", "..", "shared", "data", filepath.FromSlash(SharedGenerations))
	if env := os.Getenv("SCRL_DATA_DIR"); env != "" {
		path = filepath.Join(env, filepath.FromSlash(SharedGenerations))
	}
	if _, err := os.Stat(path); err != nil {
		t.Skip("shared data not present:", path)
	}
	return path
}

func TestReadSharedGenerations(t *testing.T) {
	cs, err := ReadCompletions(sharedGenerations(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 398 {
		t.Fatalf("%d completions, want 398", len(cs))
	}
	for _, c := range cs {
		if c.ID == "" || c.Prompt == "" || c.Model != "deepseek" {
			t.Fatalf("completion %+v", c)
		}
	}
}

// TestScoreSharedSmoke scores the first 40 shared completions, as notebook
// 03 does with --smoke, and checks the numbers its tables show.
func TestScoreSharedSmoke(t *testing.T) {
	path := sharedGenerations(t)
	if _, err := os.Stat("/usr/bin/python3"); err != nil {
		t.Skip("/usr/bin/python3 not installed")
	}
	if !bandit.Available(scanners.Options{}) {
		t.Skip("Bandit not installed (make setup)")
	}
	cs, err := ReadCompletions(path, 40)
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	rows, err := Score(context.Background(), cs, Options{Workers: 2, Progress: func(done int) { calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 40 {
		t.Errorf("progress called %d times", calls)
	}
	if s := Summarize(rows); s != (Summary{N: 40, Model: "deepseek", WithTests: 34}) {
		t.Errorf("Summarize = %+v", s)
	}
	var stages []int
	for _, s := range Stages(rows) {
		stages = append(stages, s.N)
	}
	if want := []int{0, 2, 10, 15, 3, 4, 6}; !reflect.DeepEqual(stages, want) {
		t.Errorf("stages %v, want %v", stages, want)
	}
	sec := Security(rows)
	if sec[0].Clean != 40 || sec[0].Agree != 38 || sec[1].Clean != 19 || sec[3].Agree != 40 {
		t.Errorf("security %+v", sec)
	}
	ours, study, tested := TableI(rows)
	if tested != 34 || ours.AnyPass != 20.6 || ours.AllPass != 11.8 || study.AnyPass != 25 || study.SecClean != 95 {
		t.Errorf("Table I: ours %+v, study %+v, tested %d", ours, study, tested)
	}
	if a := Compare(rows); len(a.Disagreements) != 2 || a.Disagreements[0].ID != "apps_plus_418" {
		t.Errorf("disagreements %+v", a.Disagreements)
	}
}
