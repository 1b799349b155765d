package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func runCLIStdin(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), &env{stdout: &out, stderr: &errb, stdin: strings.NewReader(stdin)}, args)
	return code, out.String(), errb.String()
}

func TestReplCLI(t *testing.T) {
	code, out, errOut := runCLIStdin(t, "ps, _ := apps.Default()\nlen(ps) > 20\npanic(\"boom\")\nreward.PartialCredit{}.Score(judge.Result{Passed: 1, Total: 2}).Value\n:quit\n", "repl")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if out != "true\n0.8\n" || !strings.Contains(errOut, "error: line 3: panic: boom") {
		t.Fatalf("stdout %q stderr %q", out, errOut)
	}
}

// The study's Table III through `scrl run`, with the real sandbox.
func TestRunTable3(t *testing.T) {
	needPython(t)
	script := filepath.Join("..", "..", "notebooks", "scripts", "table3.go")
	code, out, errOut := runCLI(t, "run", script)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// The same rows as notebook 02 (both come from study.Ladder).
	want := [][]string{ // stage, program, k/T, R_func Table III, released code, binary
		{"syntax_error", "missing parenthesis", "0/3", "0", "0", "0"},
		{"parses", "crashes (NameError)", "0/3", "0.2", "0.2", "0"},
		{"executes", "computes, never prints", "0/3", "0.4", "0.4", "0"},
		{"prints", "prints a product", "0/3", "0.6", "0.6", "0"},
		{"passes_some", "wrong when a ≥ 10", "2/3", "0.867", "0.867", "0"},
		{"passes_all", "correct", "3/3", "1", "1", "1"},
		{"parses", "prints the sum, then exits 1", "0/3", "0.2", "0.4", "0"},
	}
	for _, w := range want {
		re := regexp.MustCompile(`(?m)^` + w[0] + ` +` + regexp.QuoteMeta(w[1]) + ` +.+ ` + regexp.QuoteMeta(w[2]) + ` +` + regexp.QuoteMeta(w[3]) + ` +` + regexp.QuoteMeta(w[4]) + ` +` + regexp.QuoteMeta(w[5]) + `\s*$`)
		if !re.MatchString(out) {
			t.Errorf("no row %v in:\n%s", w, out)
		}
	}

	code, out, errOut = runCLI(t, "run", script, "-json")
	if code != 0 {
		t.Fatalf("-json: exit %d: %s", code, errOut)
	}
	var rows []struct {
		Stage   string  `json:"stage"`
		Partial float64 `json:"r_func_partial"`
		Seed    float64 `json:"r_func_seed"`
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("-json: %v\n%s", err, out)
	}
	wantVals := [][2]float64{{0, 0}, {0.2, 0.2}, {0.4, 0.4}, {0.6, 0.6}, {0.6 + 0.4*2/3.0, 0.6 + 0.4*2/3.0}, {1, 1}, {0.2, 0.4}}
	if len(rows) != len(wantVals) {
		t.Fatalf("%d rows, want %d", len(rows), len(wantVals))
	}
	for i, r := range rows {
		if r.Stage != want[i][0] || !near(r.Partial, wantVals[i][0]) || !near(r.Seed, wantVals[i][1]) {
			t.Errorf("row %d: %+v, want %s %v", i, r, want[i][0], wantVals[i])
		}
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func TestRunScriptErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	panics := write("panics.go", "package main\n\nfunc main() {\n\tpanic(\"boom\")\n}\n")
	exits := write("exits.go", "package main\n\nimport \"os\"\n\nfunc main() {\n\tos.Exit(4)\n}\n")
	broken := write("broken.go", "package main\n\nfunc main() {\n\tundefinedName()\n}\n")
	args := write("args.go", "package main\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc main() {\n\tfmt.Println(os.Args[1:])\n}\n")
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"run"}, 2, "missing SCRIPT.go"},
		{[]string{"run", filepath.Join(dir, "nosuch.go")}, 2, "no such file"},
		{[]string{"run", "notgo.txt"}, 2, "want a .go file"},
		{[]string{"run", panics}, 1, "scrl run: panic: boom"},
		{[]string{"run", exits}, 1, "scrl run: exit status 4"},
		{[]string{"run", broken}, 1, "undefined: undefinedName"},
		{[]string{"repl", "extra"}, 2, "no arguments"},
	}
	for _, c := range cases {
		code, _, errOut := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errOut, c.code, c.msg)
		}
	}
	code, out, errOut := runCLI(t, "run", args, "-x", "y")
	if code != 0 || out != "[-x y]\n" {
		t.Errorf("args: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// The scripts are //go:build ignore files, so `go vet ./...` skips them:
// vet each one by name (which also type-checks it as a compiled program).
func TestScriptsVet(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go vet")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not in PATH")
	}
	scripts, err := filepath.Glob(filepath.Join("..", "..", "notebooks", "scripts", "*.go"))
	if err != nil || len(scripts) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	for _, s := range scripts {
		if out, err := exec.Command(goBin, "vet", s).CombinedOutput(); err != nil {
			t.Errorf("go vet %s: %v\n%s", s, err, out)
		}
	}
}
