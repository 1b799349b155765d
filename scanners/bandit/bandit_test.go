package bandit

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/securecoderl/securecoderl/scanners/core"
)

func need(t testing.TB) {
	t.Helper()
	if !Available(core.Options{}) {
		t.Skipf("real Bandit not found (%s / %s): skipping", DefaultPython, DefaultCLI)
	}
}

func has(r core.Report, id string, line int) bool {
	for _, f := range r.Findings {
		if f.TestID == id && f.Line == line {
			return true
		}
	}
	return false
}

func hasNote(r core.Report, note string) bool {
	for _, n := range r.Notes {
		if n == note {
			return true
		}
	}
	return false
}

func TestWorker(t *testing.T) {
	need(t)
	s := New(core.Options{})
	defer s.Close()
	ctx := context.Background()
	reps, err := s.Scan(ctx, []core.Source{
		{Name: "a.py", Code: "import subprocess as sp\nsp.call(cmd, shell=True)\nx = input()\n"},
		{Name: "bad.py", Code: "def (:\n"},
		{Name: "b.py", Code: "import pickle\npickle.loads(b)\n"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		rep  int
		id   string
		line int
	}{{0, "B404", 1}, {0, "B602", 2}, {2, "B403", 1}, {2, "B301", 2}} {
		if !has(reps[tc.rep], tc.id, tc.line) {
			t.Errorf("report %d lacks %s@%d: %+v", tc.rep, tc.id, tc.line, reps[tc.rep].Findings)
		}
	}
	if has(reps[0], "B322", 3) {
		t.Error("B322 not skipped")
	}
	if !hasNote(reps[0], NoteB322Skipped) {
		t.Errorf("missing B322 note: %v", reps[0].Notes)
	}
	if reps[1].Err == "" || !strings.Contains(reps[1].Err, "syntax") {
		t.Errorf("bad.py: want syntax error, got %+v", reps[1])
	}
	f := reps[0].Findings[1]
	if f.Name != "subprocess_popen_with_shell_equals_true" || f.Severity != core.High || f.Confidence != core.High ||
		f.CWE != 78 || f.Col != 0 || f.Scanner != "bandit" || !strings.Contains(f.Snippet, "2 sp.call") {
		t.Errorf("finding fields: %+v", f)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("bandit %s on python %s, str defect %v, mode %s", info.Bandit, info.Python, info.StrDefect, info.Mode)
	if info.StrDefect && !hasNote(reps[0], NoteStrDefect) {
		t.Error("defect detected but not noted")
	}
}

func TestKeepB322AndFixStr(t *testing.T) {
	need(t)
	s := New(core.Options{KeepB322: true, FixStrDispatch: true})
	defer s.Close()
	reps, err := s.Scan(context.Background(), []core.Source{{Name: "a.py", Code: "x = input()\nHOST = '0.0.0.0'\n"}})
	if err != nil {
		t.Fatal(err)
	}
	if !has(reps[0], "B322", 1) || !has(reps[0], "B104", 2) {
		t.Errorf("want B322@1 and B104@2: %+v", reps[0].Findings)
	}
	if !hasNote(reps[0], NoteStrFixed) {
		t.Errorf("notes %v", reps[0].Notes)
	}
}

func TestDefectProbe(t *testing.T) {
	need(t)
	s := New(core.Options{})
	defer s.Close()
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(info.Bandit, "1.6") && strings.HasPrefix(info.Python, "3.") && !info.StrDefect {
		t.Errorf("bandit %s on python %s: expected the Str/Constant defect to be detected", info.Bandit, info.Python)
	}
}

func TestWorkerRestart(t *testing.T) {
	need(t)
	s := New(core.Options{})
	defer s.Close()
	ctx := context.Background()
	if _, err := s.Scan(ctx, []core.Source{{Name: "a.py", Code: "eval(x)\n"}}); err != nil {
		t.Fatal(err)
	}
	w := <-s.pool
	if w == nil {
		t.Fatal("no worker after a scan")
	}
	_ = w.cmd.Process.Kill() // the worker dies between scans
	<-w.done
	s.pool <- w
	reps, err := s.Scan(ctx, []core.Source{{Name: "b.py", Code: "eval(y)\n"}})
	if err != nil {
		t.Fatal(err)
	}
	if !has(reps[0], "B307", 1) {
		t.Errorf("after restart: %+v", reps[0])
	}
}

func TestWorkerCrashIsPerSource(t *testing.T) {
	need(t)
	s := New(core.Options{})
	defer s.Close()
	s.SetTimeout(time.Second)
	// a 20000-term sum: a very deep ast.BinOp chain that bandit's
	// recursive visitor (or Python's compiler) cannot handle
	deep := "x = " + strings.Repeat("a + ", 20000) + "a\n"
	reps, err := s.Scan(context.Background(), []core.Source{
		{Name: "deep.py", Code: deep},
		{Name: "ok.py", Code: "eval(x)\n"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if reps[0].Err == "" {
		t.Errorf("deep.py: want an error, got %+v", reps[0])
	}
	t.Logf("deep.py: %s", reps[0].Err)
	if reps[1].Err != "" || !has(reps[1], "B307", 1) {
		t.Errorf("ok.py after failure: %+v", reps[1])
	}
}

func TestCancelKillsWorker(t *testing.T) {
	need(t)
	s := New(core.Options{})
	defer s.Close()
	if _, err := s.Info(context.Background()); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("import os\nos.system(cmd + 'x')\n", 3000)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	srcs := []core.Source{{Name: "big.py", Code: big}, {Name: "big2.py", Code: big}}
	if _, err := s.Scan(ctx, srcs); err == nil {
		t.Fatal("want a context error")
	}
	w := <-s.pool
	s.pool <- w
	if w != nil && w.alive() {
		t.Error("worker still alive after cancellation")
	}
	// the scanner recovers
	reps, err := s.Scan(context.Background(), []core.Source{{Name: "a.py", Code: "eval(x)\n"}})
	if err != nil || !has(reps[0], "B307", 1) {
		t.Errorf("after cancel: %v %+v", err, reps)
	}
}

func TestCLIFallback(t *testing.T) {
	need(t)
	s := New(core.Options{Python: "/nonexistent/python3"})
	defer s.Close()
	reps, err := s.Scan(context.Background(), []core.Source{{Name: "a.py", Code: "import pickle\npickle.loads(b)\nx = input()\n"}})
	if err != nil {
		t.Fatal(err)
	}
	r := reps[0]
	if !has(r, "B301", 2) || has(r, "B322", 3) {
		t.Errorf("CLI findings: %+v", r.Findings)
	}
	fallback := false
	for _, n := range r.Notes {
		fallback = fallback || strings.HasPrefix(n, NoteCLIFallback)
	}
	if !fallback || r.Findings[0].Scanner != "bandit-cli" {
		t.Errorf("no fallback note: %+v", r)
	}
}

func TestConcurrentScans(t *testing.T) {
	need(t)
	s := New(core.Options{Workers: 2})
	defer s.Close()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reps, err := s.Scan(context.Background(), []core.Source{{Name: "a.py", Code: "eval(x)\n"}, {Name: "b.py", Code: "exec(y)\n"}})
			if err != nil {
				t.Error(err)
				return
			}
			if !has(reps[0], "B307", 1) || !has(reps[1], "B102", 1) {
				t.Errorf("mixed up reports: %+v", reps)
			}
		}()
	}
	wg.Wait()
}

func TestUnavailable(t *testing.T) {
	s := New(core.Options{Python: "/nonexistent/python3", BanditCLI: "/nonexistent/bandit"})
	reps, err := s.Scan(context.Background(), []core.Source{{Name: "a.py", Code: "eval(x)\n"}})
	if err != nil {
		t.Fatal(err)
	}
	if reps[0].Err == "" {
		t.Errorf("want an error report, got %+v", reps[0])
	}
}

func ExampleNew() {
	if _, err := os.Stat(DefaultCLI); err != nil {
		return
	}
	s := New(core.Options{})
	defer s.Close()
	reps, err := s.Scan(context.Background(), []core.Source{{Name: "x.py", Code: "import pickle\npickle.loads(data)\n"}})
	if err != nil {
		panic(err)
	}
	for _, f := range reps[0].Findings {
		println(f.TestID, f.Line)
	}
}
