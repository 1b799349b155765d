package kernel

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestRepoRoot(t *testing.T) {
	r, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	if !isRepo(r) || !filepath.IsAbs(r) {
		t.Fatalf("RepoRoot() = %s", r)
	}
	t.Setenv(RepoEnv, t.TempDir())
	if _, err := RepoRoot(); err == nil || !strings.Contains(err.Error(), RepoEnv) {
		t.Fatalf("bad $%s: %v", RepoEnv, err)
	}
	t.Setenv(RepoEnv, r)
	if got, err := RepoRoot(); err != nil || got != r {
		t.Fatalf("$%s=%s: %s, %v", RepoEnv, r, got, err)
	}
}

func TestSharedDataDir(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(DataDirEnv, dir)
	if got, ok := SharedDataDir(); got != dir || !ok {
		t.Fatalf("SharedDataDir() = %s, %v", got, ok)
	}
	if _, ok := SharedFile("apps/none.jsonl"); ok {
		t.Fatal("SharedFile found a missing file")
	}
	t.Setenv(DataDirEnv, filepath.Join(dir, "missing"))
	if _, ok := SharedDataDir(); ok {
		t.Fatal("missing directory reported present")
	}
}

func TestNewSpec(t *testing.T) {
	g := GoEnv{Go: "/usr/local/go/bin/go", GoBin: "/home/u/go/bin", GoModCache: "/home/u/go/pkg/mod"}
	s := NewSpec("/src/scrl", "/home/u/go/bin/gonb", g)
	want := []string{"/home/u/go/bin/gonb", "--kernel", "{connection_file}", "-go_work=/src/scrl", "-raw_error=true"}
	if strings.Join(s.Argv, " ") != strings.Join(want, " ") {
		t.Errorf("argv %q", s.Argv)
	}
	if s.DisplayName != "SecureCodeRL (Go)" || s.Language != "go" || s.Repo() != "/src/scrl" || s.GoNB() != "/home/u/go/bin/gonb" {
		t.Errorf("spec %+v", s)
	}
	env := map[string]string{
		"GOTOOLCHAIN":  "go1.27.4",
		"GOEXPERIMENT": "simd",
		"GOPROXY":      "file:///home/u/go/pkg/mod/cache/download,https://proxy.golang.org",
		"PATH":         "/home/u/go/bin:/usr/local/go/bin:${PATH}",
		"SCRL_REPO":    "/src/scrl",
	}
	for k, v := range env {
		if s.Env[k] != v {
			t.Errorf("env %s = %q, want %q", k, s.Env[k], v)
		}
	}
}

func TestValidName(t *testing.T) {
	for _, n := range []string{"securecoderl", "scrl-2", "a_b.c"} {
		if err := validName(n); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
	for _, n := range []string{"", "..", "a/b", "a b"} {
		if err := validName(n); err == nil {
			t.Errorf("%q accepted", n)
		}
	}
}

func needGo(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go command not on PATH")
	}
}

// needJupyter skips the test when jupyter or nbconvert is not installed.
func needJupyter(t *testing.T) {
	t.Helper()
	if _, err := (Jupyter{}).Path(); err != nil {
		t.Skipf("jupyter not installed (%v): skipping the real-nbconvert test", err)
	}
}

func TestInstallPrefix(t *testing.T) {
	needGo(t)
	ctx := context.Background()
	prefix := t.TempDir()
	inst, err := Install(ctx, InstallOptions{Prefix: prefix, Name: "scrl-test", SkipTools: true})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(prefix, "share", "jupyter", "kernels", "scrl-test")
	if inst.Dir != dir || inst.JupyterPath != filepath.Join(prefix, "share", "jupyter") {
		t.Fatalf("installed in %s (path %s), want %s", inst.Dir, inst.JupyterPath, dir)
	}
	b, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	repo, _ := RepoRoot()
	argv := raw["argv"].([]any)
	env := raw["env"].(map[string]any)
	switch {
	case raw["display_name"] != "SecureCodeRL (Go)":
		t.Errorf("display_name %v", raw["display_name"])
	case raw["language"] != "go":
		t.Errorf("language %v", raw["language"])
	case len(argv) != 5 || filepath.Base(argv[0].(string)) != "gonb" || argv[1] != "--kernel" || argv[2] != "{connection_file}":
		t.Errorf("argv %v", argv)
	case argv[3] != "-go_work="+repo || argv[4] != "-raw_error=true":
		t.Errorf("argv flags %v, want -go_work=%s -raw_error=true", argv[3:], repo)
	case env["GOTOOLCHAIN"] != Toolchain || env["GOEXPERIMENT"] != "simd" || env["SCRL_REPO"] != repo:
		t.Errorf("env %v", env)
	case !strings.HasPrefix(env["GOPROXY"].(string), "file://") || !strings.HasSuffix(env["GOPROXY"].(string), "/cache/download,https://proxy.golang.org"):
		t.Errorf("GOPROXY %v", env["GOPROXY"])
	case !strings.HasSuffix(env["PATH"].(string), ":${PATH}") || !strings.Contains(env["PATH"].(string), filepath.Dir(argv[0].(string))):
		t.Errorf("PATH %v", env["PATH"])
	}
	spec, err := ReadSpec(dir)
	if err != nil || spec.Repo() != repo {
		t.Fatalf("ReadSpec: %+v %v", spec, err)
	}
	if _, err := Install(ctx, InstallOptions{Prefix: prefix, Name: "bad name", SkipTools: true}); err == nil {
		t.Error("invalid name accepted")
	}
	if _, err := Install(ctx, InstallOptions{Prefix: prefix, Repo: t.TempDir(), SkipTools: true}); err == nil || !strings.Contains(err.Error(), "no go.mod") {
		t.Errorf("install for a non-repository: %v", err)
	}
}

func TestDoctor(t *testing.T) {
	needGo(t)
	needJupyter(t)
	ctx := context.Background()
	prefix := t.TempDir()
	inst, err := Install(ctx, InstallOptions{Prefix: prefix, Name: "scrl-doctor", SkipTools: true})
	if err != nil {
		t.Fatal(err)
	}
	j := Jupyter{}.WithJupyterPath(inst.JupyterPath)
	byName := func(r Report) map[string]Check {
		m := map[string]Check{}
		for _, c := range r.Checks {
			m[c.Name] = c
		}
		return m
	}
	r := Doctor(ctx, DoctorOptions{Name: "scrl-doctor", Jupyter: j})
	checks := byName(r)
	for _, name := range []string{"go", "repository", "gonb", "goimports", "module cache", "jupyter", "nbconvert", "kernelspec"} {
		c, ok := checks[name]
		if !ok {
			t.Errorf("no %q check in %+v", name, r.Checks)
			continue
		}
		if !c.OK && c.Fix == "" {
			t.Errorf("check %s failed without a fix: %+v", name, c)
		}
	}
	ks := checks["kernelspec"]
	gonbOK := checks["gonb"].OK
	if gonbOK && (!ks.OK || !strings.Contains(ks.Detail, inst.Repo) || !strings.Contains(ks.Detail, inst.Dir)) {
		t.Errorf("kernelspec check %+v, want ok with %s and %s", ks, inst.Repo, inst.Dir)
	}
	if !strings.Contains(checks["nbconvert"].Detail, "nbconvert") {
		t.Errorf("nbconvert check %+v", checks["nbconvert"])
	}
	// A kernelspec Jupyter does not know: missing, with the install command.
	r = Doctor(ctx, DoctorOptions{Name: "scrl-absent", Jupyter: j})
	ks = byName(r)["kernelspec"]
	if r.OK || ks.OK || ks.Fix != "scrl kernel install --name scrl-absent" || !strings.Contains(ks.Detail, `no kernelspec "scrl-absent"`) {
		t.Errorf("absent kernelspec: %+v (report ok %v)", ks, r.OK)
	}
	// One for another checkout: reported with both paths.
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "go.mod"), []byte("module "+ModulePath+"\n"), 0o644)
	if _, err := Install(ctx, InstallOptions{Prefix: prefix, Name: "scrl-other", Repo: other, SkipTools: true}); err != nil {
		t.Fatal(err)
	}
	ks = byName(Doctor(ctx, DoctorOptions{Name: "scrl-other", Jupyter: j}))["kernelspec"]
	if gonbOK && (ks.OK || !strings.Contains(ks.Detail, "points at "+other)) {
		t.Errorf("kernelspec for another checkout: %+v", ks)
	}
}

func TestDoctorNoJupyter(t *testing.T) {
	needGo(t)
	r := Doctor(context.Background(), DoctorOptions{Jupyter: Jupyter{Bin: "/nonexistent/jupyter"}})
	for _, c := range r.Checks {
		if c.Name == "jupyter" {
			if c.OK || !strings.Contains(c.Fix, "apt-get install") {
				t.Errorf("jupyter check %+v", c)
			}
			return
		}
	}
	t.Fatal("no jupyter check")
}

func TestWithJupyterPath(t *testing.T) {
	t.Setenv("JUPYTER_PATH", "/sys")
	j := Jupyter{Env: []string{"A=1"}}.WithJupyterPath("/a")
	if strings.Join(j.Env, " ") != "A=1 JUPYTER_PATH=/a:/sys" {
		t.Fatalf("env %v", j.Env)
	}
	j = j.WithJupyterPath("/b")
	if strings.Join(j.Env, " ") != "A=1 JUPYTER_PATH=/b:/a:/sys" {
		t.Fatalf("env %v", j.Env)
	}
}

// GoNB's outputs, as nbconvert records them.
func TestErrorText(t *testing.T) {
	cases := []struct {
		name   string
		out    map[string]any
		stderr string
		want   string
	}{
		{"compile", map[string]any{"ename": "ERROR", "evalue": "# gonb_972413f5\n./main.go:11:6: undefined: undefinedThing\n",
			"traceback": []any{"# gonb_972413f5", "Cell[2]: Line 2\n\nfunc main() {\n\tflag.Parse()\nx := undefinedThing\n     ^\nfmt.Println(x)\n\n\nundefined: undefinedThing", ""}},
			"", "line 2: undefined: undefinedThing"},
		{"two compile errors", map[string]any{"ename": "ERROR", "evalue": "x",
			"traceback": []any{"Cell[3]: Line 1\n\nfoo\n\nundefined: a", "Cell[3]: Line 4\n\nbar\n\ndeclared and not used: b"}},
			"", "line 1: undefined: a; line 4: declared and not used: b"},
		{"compile without cell mapping", map[string]any{"ename": "ERROR", "evalue": "# gonb_1\n./main.go:3:1: syntax error: unexpected }\n", "traceback": []any{}},
			"", "syntax error: unexpected }"},
		{"panic", map[string]any{"ename": "ERROR", "evalue": "exit status 2", "traceback": []any{"exit status 2"}},
			"panic: assignment to entry in nil map\n\ngoroutine 1 [running]:\nmain.main()\n\t \x1b[7m[[ Cell [2] Line 3 ]]\x1b[0m /tmp/gonb_655a272b/main.go:11 +0x67\nexit status 2\n",
			"panic: assignment to entry in nil map (line 3); exit status 2"},
		{"log.Fatal", map[string]any{"ename": "ERROR", "evalue": "exit status 1"},
			"2026/11/25 03:54:52 load: no such file\nexit status 1\n", "2026/11/25 03:54:52 load: no such file; exit status 1"},
		{"python-style", map[string]any{"ename": "ValueError", "evalue": "bad", "traceback": []any{"\x1b[31mValueError\x1b[0m: bad"}},
			"", "ValueError:; bad"},
	}
	for _, c := range cases {
		if got := errorText(c.out, c.stderr); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestInspect(t *testing.T) {
	nb, err := ParseNotebook("x", []byte(`{"nbformat": 4, "cells": [
	 {"cell_type": "markdown", "source": "x"},
	 {"cell_type": "code", "outputs": [
	   {"output_type": "display_data", "data": {"text/html": "<div><table></table></div>"}},
	   {"output_type": "display_data", "data": {"image/png": "iVBOR"}},
	   {"output_type": "display_data", "data": {"text/html": ["<div><svg ", "/></div>"]}},
	   {"output_type": "stream", "name": "stdout", "text": "hi"}]},
	 {"cell_type": "code", "outputs": [
	   {"output_type": "error", "ename": "ERROR", "evalue": "exit status 2", "traceback": []},
	   {"output_type": "stream", "name": "stderr", "text": ["panic: boom\n", "exit status 2\n"]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	errs, counts := Inspect(nb)
	if len(errs) != 1 || errs[0].Cell != 3 || errs[0].Text != "panic: boom; exit status 2" {
		t.Errorf("errors %+v", errs)
	}
	if counts["table"] != 1 || counts["png"] != 1 || counts["svg"] != 1 || counts["stream"] != 2 {
		t.Errorf("counts %v", counts)
	}
}

// runTestKernel installs the project's kernelspec under a temporary prefix
// and returns a Jupyter that sees it. It needs jupyter and GoNB.
func runTestKernel(t *testing.T) (Jupyter, string) {
	t.Helper()
	needGo(t)
	needJupyter(t)
	ctx := context.Background()
	g, err := LookupGo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tl := range Tools() {
		if s := CheckTool(g.GoBin, tl); !s.OK {
			t.Skipf("%s %s not installed (run make setup or scrl kernel install)", tl.Name, tl.Version)
		}
	}
	name := "scrl-test"
	inst, err := Install(ctx, InstallOptions{Prefix: t.TempDir(), Name: name, SkipTools: true})
	if err != nil {
		t.Fatal(err)
	}
	return Jupyter{}.WithJupyterPath(inst.JupyterPath), name
}

func TestRunNotebooks(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real notebooks (-short)")
	}
	j, name := runTestKernel(t)
	ctx := context.Background()
	out := t.TempDir()
	cases := []struct {
		file   string
		params []Param
		smoke  bool
		err    string // regexp; "" for success
		stdout string // must appear in the executed notebook
	}{
		{"good.ipynb", []Param{{"n", "4"}, {"label", "x y"}}, true, "", `smoke=true n=4 label=x y`},
		{"compile_error.ipynb", nil, false, `^notebook compile_error\.ipynb: cell 4: line 2: undefined: undefinedThing$`, "before"},
		// The line comes from the stack trace, which GoNB may forward
		// after the cell is reported done when the machine is loaded.
		{"panic.ipynb", nil, true, `^notebook panic\.ipynb: cell 3: panic: assignment to entry in nil map( \(line 3\))?; exit status 2$`, ""},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			start := time.Now()
			res, err := Run(ctx, filepath.Join("testdata", c.file), RunOptions{Params: c.params, Smoke: c.smoke, OutDir: out, Kernel: name, Jupyter: j, Timeout: 5 * time.Minute})
			t.Logf("%s: %.1fs, %d code cells, outputs %v", c.file, time.Since(start).Seconds(), res.CodeCells, res.Outputs)
			if c.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				if res.Outputs["table"] < 1 || res.Outputs["png"] < 1 {
					t.Errorf("outputs %v, want a table and a PNG", res.Outputs)
				}
			} else {
				var ne *NotebookError
				if !errors.As(err, &ne) || !regexp.MustCompile(c.err).MatchString(err.Error()) {
					t.Fatalf("err %v, want %q", err, c.err)
				}
			}
			b, err := os.ReadFile(res.Executed)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), c.stdout) {
				t.Errorf("executed notebook lacks %q", c.stdout)
			}
			h, err := os.ReadFile(res.HTML)
			if err != nil || !strings.Contains(string(h), "<html") {
				t.Errorf("HTML export: %v", err)
			}
		})
	}
}

func TestRunErrors(t *testing.T) {
	ctx := context.Background()
	j := Jupyter{Bin: "/nonexistent/jupyter"}
	cases := []struct {
		name string
		path string
		opts RunOptions
		want string
	}{
		{"missing file", "testdata/none.ipynb", RunOptions{}, "no such file"},
		{"unknown parameter", "testdata/panic.ipynb", RunOptions{Params: []Param{{"n", "1"}}}, `notebook testdata/panic.ipynb: parameter "n" is not in the parameters cell (it sets: smoke)`},
		{"overwrite", "testdata/panic.ipynb", RunOptions{OutDir: "testdata"}, "would overwrite the notebook itself"},
		{"no jupyter", "testdata/panic.ipynb", RunOptions{OutDir: t.TempDir()}, "/nonexistent/jupyter: not found"},
	}
	for _, c := range cases {
		c.opts.Jupyter = j
		if _, err := Run(ctx, c.path, c.opts); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", c.name, err, c.want)
		}
	}
}

func TestStash(t *testing.T) {
	t.Setenv("GONB_TMP_DIR", t.TempDir())
	type rec struct {
		A int
		B []string
	}
	if err := Stash("scores", rec{A: 3, B: []string{"x"}}); err != nil {
		t.Fatal(err)
	}
	var got rec
	if err := Unstash("scores", &got); err != nil || got.A != 3 || len(got.B) != 1 {
		t.Fatalf("Unstash: %+v, %v", got, err)
	}
	if err := Unstash("absent", &got); !errors.Is(err, ErrNotStashed) {
		t.Fatalf("absent: %v", err)
	}
	if err := Stash("../x", 1); err == nil {
		t.Fatal("bad name accepted")
	}
	if err := Stash("ch", make(chan int)); err == nil {
		t.Fatal("unencodable value accepted")
	}
}

// The project's notebooks: an opening markdown cell saying what the
// notebook shows and how long it takes, a parameters cell with smoke, the
// project's kernel, and no stored outputs.
func TestProjectNotebooks(t *testing.T) {
	files, err := filepath.Glob("../notebooks/*.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 3 {
		t.Fatalf("notebooks: %v", files)
	}
	for _, f := range files {
		nb, err := ReadNotebook(f)
		if err != nil {
			t.Fatal(err)
		}
		cells := nb.Cells()
		if cells[0].Type != "markdown" || !strings.Contains(cells[0].Source, "Runtime") {
			t.Errorf("%s: the first cell should be markdown saying what it shows and its runtime", f)
		}
		i, ok := nb.ParametersCell()
		if !ok {
			t.Errorf("%s: no parameters cell", f)
			continue
		}
		if _, ok := ParamsOf(cells[i].Source)["smoke"]; !ok {
			t.Errorf("%s: the parameters cell does not set smoke", f)
		}
		if ks, _ := nb.metadata()["kernelspec"].(map[string]any); ks["name"] != DefaultName {
			t.Errorf("%s: kernelspec %v, want %s", f, ks, DefaultName)
		}
		for j, c := range nb.cells() {
			if outs, _ := c["outputs"].([]any); len(outs) > 0 {
				t.Errorf("%s: cell %d has stored outputs", f, j+1)
			}
		}
	}
}
