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
