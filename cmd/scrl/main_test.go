package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), &env{stdout: &out, stderr: &errb, stdin: strings.NewReader("")}, args)
	return code, out.String(), errb.String()
}

func sharedFile(t *testing.T, rel string) string {
	t.Helper()
	dir := os.Getenv("SCRL_DATA_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data")
	}
	p := filepath.Join(dir, rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared data %s not present", p)
	}
	return p
}

func needPython(t *testing.T) {
	if _, err := os.Stat("/usr/bin/python3"); err != nil {
		t.Skip("/usr/bin/python3 not installed")
	}
}

func TestAppsStatsShared(t *testing.T) {
	f := sharedFile(t, "apps/apps_train_codechain150.jsonl")
	code, out, errOut := runCLI(t, "apps", "stats", "--data", f, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Stats struct {
			Problems int            `json:"problems"`
			ByKind   map[string]int `json:"by_kind"`
		} `json:"stats"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Stats.Problems != 150 || got.Stats.ByKind["stdin"] != 138 || got.Stats.ByKind["call"] != 12 {
		t.Fatalf("stats %+v, want 150 problems, 138 stdin, 12 call", got.Stats)
	}
}

func TestAppsSplitDeterministic(t *testing.T) {
	f := sharedFile(t, "apps/apps_train_codechain150.jsonl")
	_, a, _ := runCLI(t, "apps", "split", "--data", f, "--heldout", "0.2", "--seed", "1", "--json")
	_, b, _ := runCLI(t, "apps", "split", "--data", f, "--heldout", "0.2", "--seed", "1", "--json")
	if a != b || !strings.Contains(a, `"heldout"`) {
		t.Fatalf("split not identical across runs:\n%s\n%s", a, b)
	}
	var s struct{ Train, Heldout []string }
	json.Unmarshal([]byte(a), &s)
	if len(s.Train)+len(s.Heldout) != 150 || len(s.Heldout) < 15 || len(s.Heldout) > 45 {
		t.Fatalf("split sizes %d/%d", len(s.Train), len(s.Heldout))
	}
}

func TestBadInput(t *testing.T) {
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"nosuch"}, 2, "unknown command"},
		{[]string{"apps"}, 2, "missing subcommand"},
		{[]string{"apps", "stats", "--bogus"}, 2, "bogus"},
		{[]string{"apps", "stats", "--data", "/nonexistent/file.jsonl"}, 1, "/nonexistent/file.jsonl"},
		{[]string{"apps", "show", "no-such-id"}, 1, "no-such-id"},
		{[]string{"apps", "split", "--heldout", "1.5"}, 2, "heldout"},
		{[]string{"exec"}, 2, "PROGRAM.py"},
		{[]string{"exec", "--python", "python3", "x.py"}, 1, ""},
		{[]string{"judge"}, 2, "--solutions"},
		{[]string{"judge", "--solutions", "--compare", "fuzzy"}, 2, "fuzzy"},
		{[]string{"eval", "compare", "--a", "x"}, 2, "--a RUN and --b RUN are required"},
		{[]string{"eval", "compare", "--a", "x,y", "--b", "p,q,r"}, 2, "--a lists 2 entries but another list has 3"},
		{[]string{"eval", "compare", "--a", "x", "--b", "y", "--seeds", "1,two"}, 2, `"two" is not a non-negative integer`},
		{[]string{"eval", "compare", "--a", "x", "--b", "y"}, 2, "--split valid (tuning) or --heldout (final tables)"},
		{[]string{"eval", "compare", "--a", "/nonexistent/run", "--b", "base", "--split", "valid", "--limit", "2"}, 1, "/nonexistent/run"},
		{[]string{"bench", "ppo"}, 2, "--init SFT_RUN is required"},
		{[]string{"train", "sft", "--model", "m", "--out", "/nonexistent/o", "--seeds", "1,1"}, 2, "seed 1 listed twice"},
		{[]string{"train", "ppo", "--init", "i", "--out", "/nonexistent/o", "--seeds", "1,x"}, 2, `"x" is not a non-negative integer`},
		{[]string{"bench", "ppo", "--init", "x", "--variant", "ppo-nope"}, 2, `unknown variant "ppo-nope"`},
	}
	for _, c := range cases {
		code, _, errOut := runCLI(t, c.args...)
		if code != c.code {
			t.Errorf("%v: exit %d, want %d (%s)", c.args, code, c.code, errOut)
		}
		if strings.Count(strings.TrimSpace(errOut), "\n") > 0 && c.code == 1 {
			t.Errorf("%v: want a one-line reason, got %q", c.args, errOut)
		}
		if !strings.Contains(errOut, c.msg) {
			t.Errorf("%v: stderr %q does not mention %q", c.args, errOut, c.msg)
		}
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"apps", "stats", "-h"}, {"exec", "-h"}, {"judge", "-h"}, {"bench", "sandbox", "-h"}, {"sandbox", "doctor", "-h"}} {
		if code, _, _ := runCLI(t, args...); code != 0 {
			t.Errorf("%v: exit %d", args, code)
		}
	}
}

func TestExecJSON(t *testing.T) {
	needPython(t)
	dir := t.TempDir()
	prog := filepath.Join(dir, "p.py")
	os.WriteFile(prog, []byte("print(int(input()) + 1)\n"), 0o644)
	in := filepath.Join(dir, "in.txt")
	os.WriteFile(in, []byte("41\n"), 0o644)
	exp := filepath.Join(dir, "exp.txt")
	os.WriteFile(exp, []byte("42\n"), 0o644)
	code, out, errOut := runCLI(t, "exec", "--timeout", "2s", "--memory", "512", "--stdin", in, "--expect", exp, prog)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"verdict", "exit_code", "signal", "stdout", "stderr", "wall_ms", "cpu_ms", "max_rss_kb"} {
		if _, ok := m[k]; !ok {
			t.Errorf("field %q missing from %s", k, out)
		}
	}
	if m["verdict"] != "passed" || m["stdout"] != "42\n" {
		t.Fatalf("got %s", out)
	}
}

func TestJudgeEmbedded(t *testing.T) {
	needPython(t)
	code, out, errOut := runCLI(t, "judge", "--solutions", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r struct {
		Summary struct {
			Programs  int `json:"programs"`
			AllPassed int `json:"programs_all_passed"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Summary.Programs < 20 || r.Summary.AllPassed != r.Summary.Programs {
		t.Fatalf("embedded reference solutions: %d of %d pass", r.Summary.AllPassed, r.Summary.Programs)
	}
}

func TestBenchSandboxSmall(t *testing.T) {
	needPython(t)
	code, out, errOut := runCLI(t, "bench", "sandbox", "--problems", "4", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r struct {
		Identical bool    `json:"identical"`
		Speedup   float64 `json:"speedup"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if !r.Identical || r.Speedup <= 0 {
		t.Fatalf("bench: %s", out)
	}
}

func TestScanFile(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "e.py")
	os.WriteFile(f, []byte("x = input()\nprint(eval(x))\n"), 0o644)
	for _, sc := range []string{"native", "regex", "bandit"} {
		if sc == "bandit" {
			if _, err := os.Stat("/usr/bin/bandit"); err != nil {
				continue
			}
		}
		code, out, errOut := runCLI(t, "scan", "--scanner", sc, "--json", f)
		if code != 1 { // findings: bandit's exit status 1
			t.Fatalf("%s: exit %d: %s", sc, code, errOut)
		}
		if !strings.Contains(out, `"B307"`) {
			t.Errorf("%s: no B307 for eval: %s", sc, out)
		}
		if sc == "bandit" && strings.Contains(out, `"B322"`) {
			t.Errorf("bandit: B322 must be skipped by default: %s", out)
		}
	}
	if code, _, _ := runCLI(t, "scan", "--scanner", "nope", f); code != 2 {
		t.Errorf("unknown scanner: exit %d, want 2", code)
	}
}

// scrl scan as bandit: formats, the exit status by --severity/--confidence,
// directories, # nosec only with --honor-nosec, per-file errors.
func TestScanFormatsAndExit(t *testing.T) {
	dir := t.TempDir()
	write := func(name, code string) string {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(code), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	low := write("low.py", "assert x\n")
	nosec := write("sub/nosec.py", "import subprocess\nsubprocess.call(c, shell=True)  # nosec\n")
	py2 := write("sub/py2.py", "print 'x'\n")
	write("sub/latin1.txt", "not python")
	write("sub/__pycache__/cached.py", "eval(x)\n")
	write("sub/.git/hook.py", "eval(x)\n")
	for _, c := range []struct {
		args     []string
		code     int
		contains []string
		lacks    []string
	}{
		{[]string{low}, 1, []string{"B101 assert_used", "1 findings"}, nil},
		{[]string{"--severity", "medium", low}, 0, []string{"0 findings at severity >= MEDIUM"}, []string{"B101"}},
		{[]string{"--confidence", "high", low}, 1, []string{"B101"}, nil},
		{[]string{nosec}, 1, []string{"B602"}, nil},
		{[]string{"--honor-nosec", nosec}, 1, []string{"B404"}, []string{"B602"}}, // the import line has no nosec
		{[]string{"--honor-nosec", "--severity", "medium", nosec}, 0, nil, []string{"B602"}},
		{[]string{filepath.Join(dir, "sub")}, 1, []string{"sub/py2.py: error: ", "Python 2 print statement", "B602"}, []string{"latin1.txt", "cached.py", "hook.py"}},
		{[]string{filepath.Join(dir, "missing.py"), low}, 1, []string{"missing.py: error: cannot read", "B101"}, nil},
		{[]string{"--format", "json", py2, low}, 1, []string{`"errors": [`, `"reason": "syntax error`, `"test_id": "B101"`, `"_totals"`}, nil},
		{[]string{"--format", "sarif", py2, low}, 1, []string{`"version": "2.1.0"`, `"ruleId": "B101"`, `"executionSuccessful": false`}, nil},
	} {
		code, out, errOut := runCLI(t, append([]string{"scan", "--scanner", "native"}, c.args...)...)
		if code != c.code {
			t.Errorf("scan %v: exit %d, want %d\n%s%s", c.args, code, c.code, out, errOut)
		}
		for _, w := range c.contains {
			if !strings.Contains(out, w) {
				t.Errorf("scan %v: output lacks %q:\n%s", c.args, w, out)
			}
		}
		for _, w := range c.lacks {
			if strings.Contains(out, w) {
				t.Errorf("scan %v: output has %q:\n%s", c.args, w, out)
			}
		}
	}
	for _, bad := range [][]string{{"--format", "xml", low}, {"--severity", "critical", low}, {"--confidence", "x", low}, {}} {
		if code, _, _ := runCLI(t, append([]string{"scan"}, bad...)...); code != 2 {
			t.Errorf("scan %v: exit %d, want 2", bad, code)
		}
	}
}

func TestScoreRealCompletions(t *testing.T) {
	needPython(t)
	f := sharedFile(t, "generations/deepseek-coder-6.7b-base_apps_plus_398.jsonl")
	out := filepath.Join(t.TempDir(), "scored.jsonl")
	code, stdout, errOut := runCLI(t, "score", "--completions", f, "--scanner", "native", "--out", out, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var s scoreSummary
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatal(err)
	}
	if s.Completions != 398 || s.SyntaxValidPct < 99 || s.SyntaxValidPct == 100 {
		t.Fatalf("summary %+v: want 398 completions, one syntax error (apps_plus_7016)", s)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 398 {
		t.Fatalf("%d scored lines, want 398", len(lines))
	}
	var row map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &row); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"verdicts", "passed", "total", "stage", "r_func", "findings", "r_sec", "r", "extraction"} {
		if _, ok := row[k]; !ok {
			t.Errorf("scored line lacks %q", k)
		}
	}
}

func TestScoreBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	os.WriteFile(bad, []byte("{\"prompt_id\": \"a\", \"completion\": \"print(1)\"}\n{not json\n"), 0o644)
	code, _, errOut := runCLI(t, "score", "--completions", bad)
	if code != 1 || !strings.Contains(errOut, "line 2") || !strings.Contains(errOut, "bad.jsonl") {
		t.Fatalf("exit %d, stderr %q: want the file and line named", code, errOut)
	}
	noid := filepath.Join(dir, "noid.jsonl")
	os.WriteFile(noid, []byte("{\"completion\": \"print(1)\"}\n"), 0o644)
	code, _, errOut = runCLI(t, "score", "--completions", noid)
	if code != 1 || !strings.Contains(errOut, "prompt_id") {
		t.Fatalf("exit %d, stderr %q: want the missing field named", code, errOut)
	}
}

func TestAppsSynthCLI(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "s.jsonl")
	code, stdout, errs := runCLI(t, "apps", "synth", "--n", "120", "--seed", "3", "--out", out, "--json")
	if code != 0 {
		t.Fatalf("apps synth: %d %s", code, errs)
	}
	var res struct {
		Source string `json:"source"`
		Stats  struct {
			Problems int            `json:"problems"`
			Families int            `json:"families"`
			BySplit  map[string]int `json:"by_split"`
		} `json:"stats"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil || res.Stats.Problems != 120 || res.Stats.Families < 40 || res.Source != "synth:n=120:seed=3" {
		t.Fatalf("apps synth: %+v %v\n%s", res, err, stdout)
	}
	// The file and the in-memory source are the same problems.
	_, s1, _ := runCLI(t, "apps", "stats", "--data", out, "--json")
	_, s2, _ := runCLI(t, "apps", "stats", "--data", "synth:n=120:seed=3", "--json")
	var st1, st2 map[string]any
	json.Unmarshal([]byte(s1), &st1)
	json.Unmarshal([]byte(s2), &st2)
	b1, _ := json.Marshal(st1["stats"])
	b2, _ := json.Marshal(st2["stats"])
	if string(b1) != string(b2) {
		t.Errorf("stats of the file and of the source differ:\n%s\n%s", b1, b2)
	}
	code, stdout, _ = runCLI(t, "apps", "synth", "--list")
	if code != 0 || !strings.Contains(stdout, "expr_eval") || !strings.Contains(stdout, "unseen (cousin") {
		t.Errorf("--list: %d\n%s", code, stdout)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"apps", "synth", "--n", "0", "--out", out}, 2, "--n must be positive"},
		{[]string{"apps", "synth", "--n", "5"}, 2, "--out"},
		{[]string{"apps", "synth", "--n", "5", "--families", "sum_list,nope", "--out", out}, 1, `unknown family "nope"`},
		{[]string{"apps", "synth", "--n", "5", "--out", filepath.Join(dir, "missing", "x.jsonl")}, 1, "--out"},
		{[]string{"apps", "stats", "--data", "synth:n=0"}, 1, "n must be a positive integer"},
	} {
		code, _, errs := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: code %d stderr %q (want %d, %q)", c.args, code, errs, c.code, c.want)
		}
	}
}
