package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/securecoderl/securecoderl/kernel"
)

// isolateJupyter points Jupyter's user directory and search path at
// temporary directories, so tests never touch the real ones.
func isolateJupyter(t *testing.T) string {
	t.Helper()
	data := t.TempDir()
	t.Setenv("JUPYTER_DATA_DIR", data)
	t.Setenv("JUPYTER_PATH", "")
	// jupyter also looks in Python's user base (~/.local/share/jupyter),
	// where `scrl kernel install --user` puts the real kernelspec.
	t.Setenv("PYTHONNOUSERSITE", "1")
	return data
}

func needJupyterCLI(t *testing.T) {
	t.Helper()
	if _, err := (kernel.Jupyter{}).Path(); err != nil {
		t.Skipf("jupyter not installed (%v): skipping", err)
	}
}

// needKernelTools skips unless GoNB and goimports are installed at their
// pinned versions (make setup), so tests never download them.
func needKernelTools(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go not on PATH")
	}
	g, err := kernel.LookupGo(context.Background())
	if err != nil {
		t.Skip(err)
	}
	for _, tl := range kernel.Tools() {
		if s := kernel.CheckTool(g.GoBin, tl); !s.OK {
			t.Skipf("%s %s not installed (make setup)", tl.Name, tl.Version)
		}
	}
}

func TestKernelInstallPrefix(t *testing.T) {
	isolateJupyter(t)
	prefix := t.TempDir()
	code, out, errOut := runCLI(t, "kernel", "install", "--prefix", prefix, "--name", "scrl-cli", "--skip-tools", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var inst kernel.Installed
	if err := json.Unmarshal([]byte(out), &inst); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(prefix, "share", "jupyter", "kernels", "scrl-cli")
	if inst.Dir != want {
		t.Fatalf("dir %s, want %s", inst.Dir, want)
	}
	b, err := os.ReadFile(filepath.Join(want, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var spec kernel.Spec
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	repo, _ := kernel.RepoRoot()
	if spec.DisplayName != "SecureCodeRL (Go)" || spec.Repo() != repo || spec.Env["GOTOOLCHAIN"] != kernel.Toolchain || !strings.Contains(strings.Join(spec.Argv, " "), "-raw_error=true") {
		t.Fatalf("kernel.json %s", b)
	}
	// Text output names the JUPYTER_PATH to use.
	code, out, _ = runCLI(t, "kernel", "install", "--prefix", prefix, "--skip-tools")
	if code != 0 || !strings.Contains(out, "JUPYTER_PATH="+filepath.Join(prefix, "share", "jupyter")) {
		t.Fatalf("exit %d, output %q", code, out)
	}
}

func TestKernelBadInput(t *testing.T) {
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"kernel"}, 2, "missing subcommand"},
		{[]string{"kernel", "nope"}, 2, "unknown subcommand"},
		{[]string{"kernel", "install", "--user", "--prefix", "/tmp/x"}, 2, "exclude each other"},
		{[]string{"kernel", "install", "--skip-tools", "--prefix", "/tmp/x", "--name", "a/b"}, 1, "kernel name"},
		{[]string{"kernel", "doctor", "extra"}, 2, "unexpected argument"},
		{[]string{"notebooks"}, 2, "missing subcommand"},
		{[]string{"notebooks", "run"}, 2, "NOTEBOOK.ipynb"},
		{[]string{"notebooks", "run", "x.txt"}, 2, "want a .ipynb file"},
		{[]string{"notebooks", "run", "--param", "novalue", "x.ipynb"}, 2, "NAME=VALUE"},
		{[]string{"notebooks", "run", "--timeout", "0s", "x.ipynb"}, 2, "--timeout"},
		{[]string{"notebooks", "run", "/nonexistent/x.ipynb"}, 1, "/nonexistent/x.ipynb"},
		{[]string{"notebooks", "run", "--param", "nope=1", "../../kernel/testdata/good.ipynb"}, 2, `parameter "nope" is not in the parameters cell (it sets: label, n, smoke)`},
		{[]string{"notebooks", "run", "--param", "n=abc", "../../kernel/testdata/good.ipynb"}, 2, `parameter "n": want an integer, got "abc"`},
	}
	for _, c := range cases {
		code, _, errOut := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.msg) {
			t.Errorf("%v: exit %d (want %d), stderr %q (want %q)", c.args, code, c.code, errOut, c.msg)
		}
	}
	for _, args := range [][]string{{"kernel", "install", "-h"}, {"kernel", "doctor", "-h"}, {"notebooks", "run", "-h"}} {
		if code, _, _ := runCLI(t, args...); code != 0 {
			t.Errorf("%v: exit %d", args, code)
		}
	}
}

func TestKernelDoctor(t *testing.T) {
	needJupyterCLI(t)
	needKernelTools(t)
	isolateJupyter(t)
	// Nothing installed yet: the kernelspec check fails with its fix.
	code, out, errOut := runCLI(t, "kernel", "doctor")
	if code != 1 || !strings.Contains(out, "kernelspec") || !strings.Contains(out, "scrl kernel install") || !strings.Contains(errOut, "kernelspec") {
		t.Fatalf("doctor without a kernelspec: exit %d\n%s\n%s", code, out, errOut)
	}
	prefix := t.TempDir()
	if code, _, errOut := runCLI(t, "kernel", "install", "--prefix", prefix, "--skip-tools"); code != 0 {
		t.Fatal(errOut)
	}
	t.Setenv("JUPYTER_PATH", filepath.Join(prefix, "share", "jupyter"))
	code, out, errOut = runCLI(t, "kernel", "doctor", "--json")
	var r kernel.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if code != 0 || !r.OK {
		t.Fatalf("doctor after install: exit %d, %s, missing %+v", code, errOut, r.Missing())
	}
	names := map[string]bool{}
	for _, c := range r.Checks {
		names[c.Name] = true
	}
	for _, n := range []string{"go", "repository", "gonb", "goimports", "module cache", "jupyter", "nbconvert", "kernelspec"} {
		if !names[n] {
			t.Errorf("doctor has no %q check", n)
		}
	}
}

func TestNotebooksRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real notebooks (-short)")
	}
	needJupyterCLI(t)
	needKernelTools(t)
	data := isolateJupyter(t)
	out := t.TempDir()
	// The kernelspec is missing: it is installed into the (temporary) user
	// directory first.
	code, stdout, errOut := runCLI(t, "notebooks", "run", "--param", "n=2", "--param", "label=cli", "--out", out, "../../kernel/testdata/good.ipynb")
	if code != 0 {
		t.Fatalf("good notebook: exit %d\n%s\n%s", code, stdout, errOut)
	}
	if _, err := os.Stat(filepath.Join(data, "kernels", kernel.DefaultName, "kernel.json")); err != nil {
		t.Fatalf("kernelspec not installed: %v (%s)", err, errOut)
	}
	b, err := os.ReadFile(filepath.Join(out, "good.ipynb"))
	if err != nil || !strings.Contains(string(b), "smoke=false n=2 label=cli") {
		t.Fatalf("executed notebook: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "good.html")); err != nil {
		t.Fatal(err)
	}
	// A failing notebook: exit 1, the cell and the error on one line.
	code, stdout, errOut = runCLI(t, "notebooks", "run", "--out", out, "--smoke", "../../kernel/testdata/panic.ipynb")
	// GoNB may forward the stack trace (which carries the line) after the
	// cell is reported done, under load: the line is best effort.
	want := regexp.MustCompile(`^scrl notebooks: notebook panic.ipynb: cell 3: panic: assignment to entry in nil map( \(line 3\))?; exit status 2\n$`)
	if code != 1 || !want.MatchString(errOut[strings.LastIndex(strings.TrimRight(errOut, "\n"), "\n")+1:]) {
		nb, _ := os.ReadFile(filepath.Join(out, "panic.ipynb"))
		t.Fatalf("panic notebook: exit %d, stderr %q, want last line %q\nexecuted notebook:\n%s", code, errOut, want, nb)
	}
	if !strings.Contains(stdout, "cell 3: panic") {
		t.Errorf("stdout %q", stdout)
	}
}
