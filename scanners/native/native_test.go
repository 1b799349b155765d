package native

import (
	"context"
	"fmt"
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

func TestRules(t *testing.T) {
	s, err := New(core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tc := range []struct{ name, code, want string }{
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
	} {
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
