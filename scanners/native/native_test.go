package native

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/securecoderl/securecoderl/scanners/core"
)

func ids(r core.Report) string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, fmt.Sprintf("%s@%d", f.TestID, f.Line))
	}
	return strings.Join(out, " ")
}

// idCase is a snippet and what ids gives for its findings.
type idCase struct{ name, code, want string }

// checkIDs scans each case with s and compares ids(r) with want.
func checkIDs(t *testing.T, s *Scanner, cases []idCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := s.ScanOne(core.Source{Name: tc.name, Code: tc.code})
			if r.Err != "" {
				t.Fatalf("error: %s", r.Err)
			}
			if got := ids(r); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRules(t *testing.T) {
	s, err := New(core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkIDs(t, s, []idCase{
		{"alias import", "import subprocess as sp\nsp.Popen(c, shell=True)\n", "B404@1 B602@2"},
		{"from import", "from os import system\nsystem(cmd)\n", "B605@2"},
		{"from import alias", "from os import system as run\nrun('ls')\n", "B605@2 B607@2"},
		{"no import no alias", "system('ls')\n", ""},
		{"dotted import", "import os.path\nos.system(x)\n", "B605@2"},
		{"attribute alias", "import xml.etree.ElementTree as ET\nET.fromstring(s)\n", "B405@1 B314@2"},
		{"eval", "eval(x)\n", "B307@1"},
		{"exec", "exec(x)\n", "B102@1"},
		{"method eval", "m.eval(x)\n", ""},
		{"parenthesized func", "import os\n(os.system)(x)\n", "B605@2"},
		{"shell kw line", "import subprocess\nsubprocess.run(\n  c,\n  shell=True)\n", "B404@1 B602@4"},
		{"shell False", "import subprocess\nsubprocess.run(['/bin/ls'], shell=False)\n", "B404@1 B603@2"},
		{"shell tuple truthy", "f(x, shell=())\n", "B604@1"},
		{"shell zero", "f(x, shell=0)\n", ""},
		{"password assign", "db_password = 'x'\n", "B105@1"},
		{"password chain", "a = password = 'x'\n", "B105@1"},
		{"password tuple", "user, password = 'a', 'b'\n", ""},
		{"password compare reversed", "if 'x' == password:\n    pass\n", "B105@1"},
		{"password annassign", "password: str = 'x'\n", "B105@1"},
		{"password fstring", "password = f'x{y}'\n", ""},
		{"docstring", "def f():\n    '''0.0.0.0 /tmp'''\n", ""},
		{"bytes", "x = b'0.0.0.0'\n", ""},
		{"concatenated", "x = '0.0.' '0.0'\n", "B104@1"},
		{"escape", "x = '/\\x74mp/a'\n", "B108@1"},
		{"sql execute", "c.execute('SELECT a FROM t WHERE b=%s' % b)\n", "B608@1"},
		{"sql replace", "q = 'SELECT a FROM t WHERE b=$B'.replace('$B', b)\n", "B608@1"},
		{"sql split literal", "q = 'SELECT * ' + 'FROM t WHERE ' + x\n", ""},
		{"yaml needs import yaml", "from yaml import load\nload(s)\n", ""},
		{"yaml", "import yaml\nyaml.load(s)\n", "B506@2"},
		{"hashlib usedforsecurity", "import hashlib\nhashlib.sha1(d, usedforsecurity=False)\n", ""},
		{"hashlib new kw", "import hashlib\nhashlib.new(name='MD5')\n", "B324@2"},
		{"chmod stat", "import os\nos.chmod(p, 0o777)\n", "B103@2"},
		{"chmod safe", "import os\nos.chmod(p, 0o600)\n", ""},
		{"__import__", "__import__('subprocess')\n", "B404@1"},
		{"importlib", "import importlib\nimportlib.import_module('pickle')\n", "B403@2"},
		{"one finding per import", "import subprocess, pickle\n", "B403@1"},
		{"relative import", "from . import pickle\n", "B403@1"},
		{"except tuple", "try:\n    f()\nexcept (A, B):\n    pass\n", ""},
		{"except star", "try:\n    f()\nexcept* Exception:\n    pass\n", "B110@3"},
		{"async def default", "async def f(password='x'):\n    pass\n", ""},
		{"posonly", "def f(a, /, password='x'):\n    pass\n", "B107@1"},
		{"comment in args", "f(x,  # note\n  password='p')\n", "B106@2"},
		{"assert", "assert x\n", "B101@1"},
		{"nested fstring string", "x = f\"{'0.0.0.0'}\"\n", "B104@1"},
	})
}

func TestFindingFields(t *testing.T) {
	s, _ := New(core.Options{})
	r := s.ScanOne(core.Source{Name: "a.py", Code: "import os\n\nos.system('rm -rf ' + d)\n"})
	if len(r.Findings) != 1 {
		t.Fatalf("findings: %+v", r.Findings)
	}
	f := r.Findings[0]
	want := core.Finding{TestID: "B605", Name: "start_process_with_a_shell", Severity: core.High, Confidence: core.High,
		CWE: 78, Line: 3, Col: 0, Scanner: "native",
		Message: "Starting a process with a shell, possible injection detected, security issue."}
	f.Snippet = ""
	if f != want {
		t.Errorf("got %+v\nwant %+v", f, want)
	}
	if !strings.Contains(r.Findings[0].Snippet, "3 os.system") {
		t.Errorf("snippet %q", r.Findings[0].Snippet)
	}
}

func TestSyntaxError(t *testing.T) {
	s, _ := New(core.Options{})
	reps, err := s.Scan(context.Background(), []core.Source{
		{Name: "bad.py", Code: "def f(:\n    eval(x)\n"},
		{Name: "py2.py", Code: "print 'hi'\n"},
		{Name: "good.py", Code: "eval(x)\n"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if reps[0].Err == "" || len(reps[0].Findings) != 0 {
		t.Errorf("bad.py: %+v", reps[0])
	}
	if reps[1].Err == "" {
		t.Errorf("py2.py: %+v", reps[1])
	}
	if reps[2].Err != "" || len(reps[2].Findings) != 1 {
		t.Errorf("good.py: %+v", reps[2])
	}
}

func TestNosec(t *testing.T) {
	code := "eval(x)  # nosec\neval(y)  # nosec B102\neval(z)\n"
	ignore, _ := New(core.Options{})
	if got := ids(ignore.ScanOne(core.Source{Code: code})); got != "B307@1 B307@2 B307@3" {
		t.Errorf("default (nosec ignored): %q", got)
	}
	honor, _ := New(core.Options{HonorNosec: true, Skip: []string{"B101"}})
	if got := ids(honor.ScanOne(core.Source{Code: code})); got != "B307@2 B307@3" {
		t.Errorf("HonorNosec: %q", got)
	}
}

func TestConcurrent(t *testing.T) {
	s, _ := New(core.Options{})
	defer s.Close()
	srcs := make([]core.Source, 64)
	for i := range srcs {
		srcs[i] = core.Source{Name: fmt.Sprint(i), Code: fmt.Sprintf("import pickle\npickle.loads(b%d)\n", i)}
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reps, err := s.Scan(context.Background(), srcs)
			if err != nil {
				t.Error(err)
				return
			}
			for _, r := range reps {
				if ids(r) != "B403@1 B301@2" {
					t.Errorf("%s: %q", r.Source, ids(r))
				}
			}
		}()
	}
	wg.Wait()
}

func TestCancel(t *testing.T) {
	s, _ := New(core.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Scan(ctx, []core.Source{{Code: "x=1"}, {Code: "y=2"}}); err == nil {
		t.Error("cancelled scan returned no error")
	}
}

func ExampleScanner_ScanOne() {
	s, _ := New(core.Options{})
	defer s.Close()
	r := s.ScanOne(core.Source{Name: "db.py", Code: "cur.execute(\"SELECT * FROM t WHERE id=%s\" % uid)\n"})
	for _, f := range r.Findings {
		fmt.Println(f.TestID, f.Name, f.Severity, f.Confidence)
	}
	// Output: B608 hardcoded_sql_expressions MEDIUM MEDIUM
}

func TestNosecSemantics(t *testing.T) {
	honor, err := New(core.Options{HonorNosec: true})
	if err != nil {
		t.Fatal(err)
	}
	ignore, _ := New(core.Options{})
	for _, tc := range []struct{ name, code, want string }{
		{"bare", "eval(x)  # nosec\n", ""},
		{"id", "eval(x)  # nosec B307\n", ""},
		{"other id", "eval(x)  # nosec B102\n", "B307@1"},
		{"blacklist entry name", "eval(x)  # nosec: eval\n", ""},
		{"plugin name", "import subprocess  # nosec\nsubprocess.Popen(c, shell=True)  # nosec subprocess_popen_with_shell_equals_true\n", ""},
		{"import name", "import subprocess  # nosec: import_subprocess\n", ""},
		// NOSEC_COMMENT_TESTS keeps the last repetition: "B307,B102" is B102
		{"comma without space", "eval(x)  # nosec B307,B102\n", "B307@1"},
		{"comma and space", "eval(x)  # nosec B102, B307\n", ""},
		{"unknown words are a bare nosec", "eval(x)  # nosec (reviewed)\n", ""},
		{"lower-case id is no id", "eval(x)  # nosec b102\n", ""},
		{"blacklist is B001", "eval(x)  # nosec blacklist\n", "B307@1"},
		{"comment before nosec", "eval(x)  # type: ignore # nosec\n", ""},
		{"nosec then other comment", "eval(x)  # nosec B102 # noqa\n", "B307@1"},
		{"noqa is not nosec", "eval(x)  # noqa\n", "B307@1"},
		{"in a string", "eval('# nosec')\n", "B307@1"},
		{"first line of a call", "eval(  # nosec\n    x)\n", ""},
		{"last line of a call", "eval(\n    x)  # nosec\n", ""},
		{"next statement", "eval(x)\n# nosec\n", "B307@1"},
		{"kwarg line", "import subprocess  # nosec\nsubprocess.Popen(c,\n    shell=True)  # nosec B602\n", ""},
		{"string parent range", "q = (\"SELECT * FROM t WHERE a=%s\"\n     % a)  # nosec B608\n", ""},
		{"f-string range", "q = f\"\"\"SELECT *\nFROM t WHERE a={a}\n\"\"\"  # nosec\n", ""},
		{"dict is the parent", "d = {\n  'password': 'x',\n}  # nosec\n", ""},
		{"function range", "def f(password='x'):\n    return 1  # nosec\n", ""},
		{"first nosec of the range wins", "def f(password='x'):\n    a = 1  # nosec B101\n    return 1  # nosec\n", "B107@1"},
		{"except handler range", "try:\n    f()\nexcept:\n    pass  # nosec\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := honor.ScanOne(core.Source{Code: tc.code})
			if r.Err != "" {
				t.Fatal(r.Err)
			}
			if got := ids(r); got != tc.want {
				t.Errorf("HonorNosec: got %q, want %q", got, tc.want)
			}
			// off by default: a reward must not be silenced
			all := ignore.ScanOne(core.Source{Code: tc.code})
			if len(all.Findings) == 0 {
				t.Errorf("default scan found nothing in %q", tc.code)
			}
		})
	}
}

// TestNosecExamples checks upstream's baseline examples: three of the six
// candidates of new_candidates-all.py carry "# nosec" ("Total lines
// skipped (#nosec): 3" in tests/functional/test_baseline.py), which are
// exactly the candidates of new_candidates-nosec.py.
func TestNosecExamples(t *testing.T) {
	dir := examplesDir(t)
	honor, _ := New(core.Options{HonorNosec: true})
	ignore, _ := New(core.Options{})
	for _, tc := range []struct {
		file           string
		honored, total int
	}{
		{"new_candidates-all.py", 3, 6},
		{"new_candidates-nosec.py", 0, 3},
		{"new_candidates-none.py", 0, 0},
	} {
		b, err := os.ReadFile(filepath.Join(dir, tc.file))
		if err != nil {
			t.Skipf("upstream examples not available: %v", err)
		}
		src := core.Source{Name: tc.file, Code: string(b)}
		if r := honor.ScanOne(src); r.Err != "" || len(r.Findings) != tc.honored {
			t.Errorf("%s with nosec: %q (err %q), want %d findings", tc.file, ids(r), r.Err, tc.honored)
		}
		if r := ignore.ScanOne(src); r.Err != "" || len(r.Findings) != tc.total {
			t.Errorf("%s ignoring nosec: %q (err %q), want %d findings", tc.file, ids(r), r.Err, tc.total)
		}
	}
}

func TestCheckTypedException(t *testing.T) {
	code := "try:\n    f()\nexcept ValueError:\n    pass\nfor i in x:\n    try:\n        f()\n    except (A, B):\n        continue\n"
	for _, tc := range []struct {
		typed bool
		want  string
	}{
		{false, ""},
		{true, "B110@3 B112@8"},
	} {
		s, _ := New(core.Options{Plugins: core.PluginConfig{CheckTypedException: tc.typed}})
		if got := ids(s.ScanOne(core.Source{Code: code})); got != tc.want {
			t.Errorf("check_typed_exception=%v: got %q, want %q", tc.typed, got, tc.want)
		}
	}
}

func TestSourceErrors(t *testing.T) {
	s, _ := New(core.Options{})
	for _, tc := range []struct{ name, code, wantErr, wantIDs string }{
		{"print statement", "x = 1\nprint 'hi'\n", "Python 2 print statement at line 2", ""},
		{"print chevron", "print >>sys.stderr, 'x'\n", "Python 2 print statement at line 1", ""},
		{"exec statement", "exec code in ns\n", "Python 2 exec statement at line 1", ""},
		{"except comma", "try:\n    f()\nexcept ValueError, e:\n    pass\n", `Python 2 "except X, e:" at line 3`, ""},
		{"except tuple comma", "try:\n    f()\nexcept (A, B), e:\n    pass\n", `Python 2 "except X, e:" at line 3`, ""},
		{"except tuple", "try:\n    f()\nexcept (A, B) as e:\n    pass\n", "", ""},
		{"diamond", "if a <> b:\n    pass\n", `Python 2 operator "<>" at line 1`, ""},
		{"octal", "import os\nos.chmod(p, 0777)\n", "Python 2 integer literal 0777 at line 2", ""},
		{"long", "x = 10L\n", "Python 2 integer literal 10L at line 1", ""},
		{"zero zero", "x = 00\n", "", ""},
		{"backquote", "x = `y`\n", "Python 2 backquote repr at line 1", ""},
		{"raise comma", "raise ValueError, 'm'\n", `Python 2 "raise E, V" at line 1`, ""},
		{"raise from", "raise ValueError('m') from e\n", "", ""},
		{"tuple parameter", "def f(a, (b, c)):\n    pass\n", "Python 2 tuple parameter at line 1", ""},
		{"ur prefix", "x = ur'a'\n", `Python 2 string prefix "ur'" at line 1`, ""},
		{"u prefix", "x = u'a'\n", "", ""},
		{"not UTF-8", "x = 1\ny = 'caf\xe9'\n", "source is not valid UTF-8 and declares no encoding (byte 0xE9 at line 2, column 8)", ""},
		{"declared latin-1", "# -*- coding: latin-1 -*-\ny = 'caf\xe9'\neval(y)\n", "", "B307@3"},
		{"declared utf-8", "# coding: utf-8\ny = 'caf\xe9'\n", "not valid UTF-8", ""},
		{"null byte", "x = 1\x00\n", "source code cannot contain null bytes (line 1, column 5)", ""},
		{"syntax error", "def f(:\n    eval(x)\n", "invalid syntax at line 1", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.ScanOne(core.Source{Name: tc.name, Code: tc.code})
			switch {
			case tc.wantErr == "" && r.Err != "":
				t.Errorf("unexpected error %q", r.Err)
			case tc.wantErr != "" && !strings.Contains(r.Err, tc.wantErr):
				t.Errorf("error %q, want it to contain %q", r.Err, tc.wantErr)
			case tc.wantErr != "" && !strings.HasPrefix(r.Err, "syntax error while parsing AST: "):
				t.Errorf("error %q lacks Bandit's prefix", r.Err)
			case tc.wantErr != "" && len(r.Findings) != 0:
				t.Errorf("findings with an error: %q", ids(r))
			}
			if got := ids(r); tc.wantErr == "" && got != tc.wantIDs {
				t.Errorf("got %q, want %q", got, tc.wantIDs)
			}
		})
	}
	// a bad source does not stop the others of the batch
	reps, err := s.Scan(context.Background(), []core.Source{
		{Name: "a", Code: "eval(a)\n"},
		{Name: "latin", Code: "s = 'caf\xe9'\n"},
		{Name: "py2", Code: "try:\n    f()\nexcept E, e:\n    pass\n"},
		{Name: "b", Code: "eval(b)\n"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range []string{"B307@1", "", "", "B307@1"} {
		if got := ids(reps[k]); got != want || (reps[k].Err != "") != (want == "") {
			t.Errorf("%s: %q (err %q)", reps[k].Source, got, reps[k].Err)
		}
	}
}
