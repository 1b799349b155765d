package sandbox

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const python = "/usr/bin/python3"

func needPython(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(python); err != nil {
		t.Skipf("%s not installed: the sandbox is tested with real Python only", python)
	}
}

func newPool(t testing.TB, mode Mode, lim Limits) *Pool {
	t.Helper()
	needPython(t)
	p, err := New(context.Background(), Config{Mode: mode, Workers: 2, Limits: lim, NoFallback: true})
	if err != nil {
		t.Fatalf("New(%s): %v", mode, err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

var modes = []Mode{ModeForkServer, ModeFresh}

func TestBasicVerdicts(t *testing.T) {
	cases := []struct {
		name, src, stdin, want string
		fn                     string
		verdict                Verdict
		prelude                string
	}{
		{"passed", "n = int(input())\nprint(n * 2)\n", "21\n", "42\n", "", Passed, ""},
		{"wrong output", "print(41)\n", "", "42\n", "", WrongOutput, ""},
		{"no output", "x = 1\n", "", "42\n", "", NoOutput, ""},
		{"runtime error", "print(1)\nraise ValueError('boom')\n", "", "1\n", "", RuntimeError, ""},
		{"syntax error", "def f(:\n    pass\n", "", "", "", SyntaxError, ""},
		{"exit code", "import sys\nprint(1)\nsys.exit(3)\n", "", "1\n", "", RuntimeError, ""},
		{"sys.exit(0) is clean", "import sys\nprint(42)\nsys.exit(0)\n", "", "42\n", "", Passed, ""},
		{"main guard", "def main():\n    print(input()[::-1])\nif __name__ == '__main__':\n    main()\n", "abc\n", "cba\n", "", Passed, ""},
		{"call-based", "def add(a, b):\n    return a + b\n", "[2, 3]", "5", "add", Passed, ""},
		{"call-based Solution", "class Solution:\n    def f(self, xs):\n        return sorted(xs)\n", "[[3, 1, 2]]", "[1, 2, 3]", "f", Passed, ""},
		{"call-based LeetCode with APPS prelude", "class Solution:\n    def f(self, xs: List[int]) -> int:\n        return Counter(xs).most_common(1)[0][0]\n", "[[1, 2, 2]]", "[2]", "f", Passed, APPSCallPrelude},
		{"call-based LeetCode without prelude", "class Solution:\n    def f(self, xs: List[int]) -> int:\n        return 1\n", "[[1]]", "[1]", "f", RuntimeError, ""},
		{"atexit handlers run", "import atexit, os\natexit.register(lambda: os.write(1, b'bye\\n'))\n", "", "bye\n", "", Passed, ""},
		{"threads are joined", "import threading\ndef main():\n    print(sum(range(10)))\nthreading.Thread(target=main).start()\n", "", "45\n", "", Passed, ""},
		{"stdin is a file with a size", "import os\ndata = os.read(0, os.fstat(0).st_size)\nprint(len(data))\n", "hello\n", "6\n", "", Passed, ""},
		{"std streams look normal", "import sys\nprint(sys.stdin.mode, sys.stdout.mode, sys.stdin.name)\n", "", "r w <stdin>\n", "", Passed, ""},
		{"closes stdout itself", "from sys import stdout\nprint(7)\nstdout.close()\n", "", "7\n", "", Passed, ""},
		{"atexit writes to the original stdout", "import atexit, io, sys\nbuf = io.StringIO()\nsys.stdout = buf\n@atexit.register\ndef w():\n    sys.__stdout__.write(buf.getvalue())\nprint(5)\n", "", "5\n", "", Passed, ""},
		{"hash seed fixed", "print(hash('abc') == hash('abc'))\n", "", "True\n", "", Passed, ""},
		{"memory bomb", "s = ' ' * (10**10)\n", "", "", "", MemoryLimit, ""},
	}
	for _, mode := range modes {
		p := newPool(t, mode, Limits{Wall: 2 * time.Second})
		for _, c := range cases {
			t.Run(string(mode)+"/"+c.name, func(t *testing.T) {
				want := c.want
				cmp := Comparator(nil)
				if c.fn != "" {
					cmp = func(got, want string) bool {
						return strings.TrimSpace(got) == strings.TrimSpace(want) || "["+strings.TrimSpace(got)+"]" == strings.TrimSpace(want)
					}
				}
				res, err := p.Exec(context.Background(), Program{Source: c.src, FnName: c.fn, Prelude: c.prelude}, c.stdin, &want, cmp)
				if err != nil {
					t.Fatal(err)
				}
				if res.Verdict != c.verdict {
					t.Fatalf("verdict %s, want %s (stdout %q stderr %q detail %q)", res.Verdict, c.verdict, res.Stdout, res.Stderr, res.Detail)
				}
			})
		}
	}
}

func TestSyntaxErrorDetails(t *testing.T) {
	for _, mode := range modes {
		p := newPool(t, mode, Limits{})
		b, err := p.RunTests(context.Background(), Program{Source: "x = 1\ny = (\n"}, []Test{{Input: ""}, {Input: "1"}}, BatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if b.Syntax == nil || b.Syntax.Line != 2 || b.Syntax.Message == "" {
			t.Fatalf("%s: syntax info %+v, want a message at line 2", mode, b.Syntax)
		}
		for _, r := range b.Results {
			if r.Verdict != SyntaxError {
				t.Fatalf("%s: verdict %s, want syntax_error", mode, r.Verdict)
			}
		}
	}
}

// sandboxProcs lists host processes owned by the pools' uids (other test
// binaries running at the same time have pools of their own).
func sandboxProcs(pools ...*Pool) []string {
	mine := map[uint32]bool{}
	for _, p := range pools {
		for _, u := range p.uids {
			mine[uint32(u)] = true
		}
	}
	var out []string
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		var st syscall.Stat_t
		if syscall.Stat("/proc/"+e.Name(), &st) == nil && mine[st.Uid] {
			status, _ := os.ReadFile("/proc/" + e.Name() + "/status")
			var keep []string
			for _, l := range strings.Split(string(status), "\n") {
				if strings.HasPrefix(l, "State") || strings.HasPrefix(l, "PPid") || strings.HasPrefix(l, "NSpid") || strings.HasPrefix(l, "Uid") {
					keep = append(keep, l)
				}
			}
			out = append(out, e.Name()+": "+strings.Join(keep, "; "))
		}
	}
	return out
}

func TestHostilePrograms(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the hostile suite needs root (uid drop and namespaces); run as root")
	}
	victimDir := t.TempDir()
	os.Chmod(victimDir, 0o777)
	victim := filepath.Join(victimDir, "victim.txt")
	if err := os.WriteFile(victim, []byte("keep me"), 0o666); err != nil {
		t.Fatal(err)
	}
	wall := 3 * time.Second
	cases := []struct {
		name    string
		src     string
		stdin   string
		allowed []Verdict
	}{
		{"fork bomb", "import os\nwhile True:\n    os.fork()\n", "", []Verdict{RuntimeError, Timeout}},
		{"memory bomb", "xs = []\nwhile True:\n    xs.append(bytearray(10**7))\n", "", []Verdict{MemoryLimit}},
		{"memory bomb, one block", "xs = bytearray(10**10)\n", "", []Verdict{MemoryLimit}},
		{"infinite loop", "while True:\n    pass\n", "", []Verdict{Timeout}},
		{"infinite loop with output", "import time\nwhile True:\n    print('x', flush=True)\n    time.sleep(0.001)\n", "", []Verdict{Timeout}},
		{"1 GB of output", "import sys\nb = 'x' * (1 << 20)\nfor _ in range(1024):\n    sys.stdout.write(b)\n", "", []Verdict{OutputLimit}},
		{"setsid child that sleeps", "import os, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(60)\nelse:\n    print('parent')\n", "", []Verdict{OK}},
		{"double-fork daemon", "import os, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n        time.sleep(60)\n    os._exit(0)\nprint('parent')\n", "", []Verdict{OK}},
		{"reads stdin forever", "import sys\nwhile True:\n    sys.stdin.read()\n", "abc", []Verdict{Timeout}},
		{"input() past EOF", "while True:\n    input()\n", "a\nb\n", []Verdict{RuntimeError}},
		{"writes a 1 GB file", "b = b'x' * (1 << 20)\nwith open('big.bin', 'wb') as f:\n    for _ in range(1024):\n        f.write(b)\n", "", []Verdict{OutputLimit}},
		{"opens a network connection", "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=1)\nprint('connected')\n", "", []Verdict{RuntimeError}},
		{"deletes files outside its directory", "import os\nos.remove(" + strconv.Quote(victim) + ")\nprint('deleted')\n", "", []Verdict{RuntimeError}},
		{"signals its parent", "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nprint('sent')\n", "", []Verdict{RuntimeError, OK}}, // fresh: PID 1 of its namespace, getppid() is 0
		{"kills everything it can", "import os, signal\nos.kill(-1, signal.SIGKILL)\nprint('sent')\n", "", []Verdict{RuntimeError}},
		{"raises its rlimits", "import resource\nresource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))\nprint('raised')\n", "", []Verdict{RuntimeError}},
		{"raises CPU limit", "import resource\nresource.setrlimit(resource.RLIMIT_CPU, (100, 100))\nwhile True:\n    pass\n", "", []Verdict{RuntimeError, Timeout}},
	}
	var pools []*Pool
	for _, mode := range modes {
		p := newPool(t, mode, Limits{Wall: wall, MemoryMB: 512, OutputMB: 8})
		pools = append(pools, p)
		for _, c := range cases {
			t.Run(string(mode)+"/"+c.name, func(t *testing.T) {
				start := time.Now()
				res, err := p.Exec(context.Background(), Program{Source: c.src}, c.stdin, nil, nil)
				if err != nil {
					t.Fatal(err)
				}
				if el := time.Since(start); el > wall+time.Second {
					t.Errorf("took %v, over timeout+1s", el)
				}
				ok := false
				for _, v := range c.allowed {
					ok = ok || res.Verdict == v
				}
				if !ok {
					t.Errorf("verdict %s, want one of %v (exit %d signal %s detail %q stderr %q)", res.Verdict, c.allowed, res.ExitCode, res.Signal, res.Detail, tail(res.Stderr))
				}
				if left := sandboxProcs(p); len(left) > 0 {
					t.Errorf("processes left behind: %v", left)
				}
			})
		}
		// The pool keeps serving.
		want := "ok\n"
		res, err := p.Exec(context.Background(), Program{Source: "print('ok')\n"}, "", &want, nil)
		if err != nil || res.Verdict != Passed {
			t.Fatalf("%s: pool stopped serving after the hostile suite: %v %+v", mode, err, res)
		}
	}
	if b, err := os.ReadFile(victim); err != nil || string(b) != "keep me" {
		t.Fatalf("file outside the run directories changed: %q %v", b, err)
	}
	// Closing the pools leaves no process and no run directory behind.
	var roots []string
	for _, p := range pools {
		for _, w := range p.all {
			switch w := w.(type) {
			case *zygote:
				roots = append(roots, w.root)
			case *freshWorker:
				roots = append(roots, w.root)
			}
		}
	}
	for _, p := range pools {
		if err := p.Close(); err != nil {
			t.Fatalf("close: %v", err)
		}
	}
	deadline := time.Now().Add(2 * time.Second)
	for len(sandboxProcs(pools...)) > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if left := sandboxProcs(pools...); len(left) > 0 {
		t.Fatalf("processes left after Close: %v", left)
	}
	for _, r := range roots {
		if _, err := os.Stat(r); r != "" && !os.IsNotExist(err) {
			t.Fatalf("run directory %s not removed (%v)", r, err)
		}
	}
}

func TestCancellation(t *testing.T) {
	for _, mode := range modes {
		p := newPool(t, mode, Limits{Wall: 30 * time.Second})
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		start := time.Now()
		_, err := p.Exec(ctx, Program{Source: "while True:\n    pass\n"}, "", nil, nil)
		cancel()
		if err == nil {
			t.Fatalf("%s: want a context error", mode)
		}
		if el := time.Since(start); el > 3*time.Second {
			t.Fatalf("%s: cancellation took %v", mode, el)
		}
		want := "ok\n"
		res, err := p.Exec(context.Background(), Program{Source: "print('ok')\n"}, "", &want, nil)
		if err != nil || res.Verdict != Passed {
			t.Fatalf("%s: pool broken after cancellation: %v %+v", mode, err, res)
		}
	}
}

func TestRunTestsBatch(t *testing.T) {
	p := newPool(t, ModeForkServer, Limits{})
	prog := Program{Source: "a, b = map(int, input().split())\nprint(a + b)\n"}
	tests := []Test{
		{Input: "1 2\n", Expected: "3\n", HasExpected: true},
		{Input: "2 2\n", Expected: "5\n", HasExpected: true},
		{Input: "5 5\n", Expected: "10\n", HasExpected: true},
	}
	b, err := p.RunTests(context.Background(), prog, tests, BatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if b.Passed != 2 || b.Total != 3 || len(b.Results) != 3 || b.Results[1].Verdict != WrongOutput {
		t.Fatalf("batch %+v", b)
	}
	b, err = p.RunTests(context.Background(), prog, tests, BatchOptions{StopOnFailure: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Results) != 2 || b.Passed != 1 {
		t.Fatalf("stop on failure ran %d tests, passed %d", len(b.Results), b.Passed)
	}
}

func TestRelativeInterpreterRejected(t *testing.T) {
	if _, err := New(context.Background(), Config{Python: "python3"}); err == nil {
		t.Fatal("a relative interpreter path must be refused")
	}
}

func tail(s string) string {
	if len(s) > 300 {
		return s[len(s)-300:]
	}
	return s
}

// TestPrivateTmp: a program that writes a hard-coded /tmp path sees its own
// file, the next program on the same worker does not, and nothing reaches
// the host's /tmp.
func TestPrivateTmp(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("a private /tmp needs root (mount namespaces)")
	}
	name := fmt.Sprintf("/tmp/scrl-private-tmp-test-%d", os.Getpid())
	write := "with open(" + strconv.Quote(name) + ", 'w') as f:\n    f.write('x')\nprint(open(" + strconv.Quote(name) + ").read())\n"
	check := "import os\nprint(os.path.exists(" + strconv.Quote(name) + "))\n"
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) {
			p := newPool(t, mode, Limits{Wall: 2 * time.Second})
			defer p.Close()
			for i := 0; i < 3; i++ { // every worker, more than once
				want := "x\n"
				if res, err := p.Exec(context.Background(), Program{Source: write}, "", &want, nil); err != nil || res.Verdict != Passed {
					t.Fatalf("write: %v %s %q", err, res.Verdict, res.Stderr)
				}
				want = "False\n"
				if res, err := p.Exec(context.Background(), Program{Source: check}, "", &want, nil); err != nil || res.Verdict != Passed {
					t.Fatalf("a later run sees the earlier run's /tmp file: %v %s %q", err, res.Verdict, res.Stdout)
				}
			}
			if _, err := os.Stat(name); !os.IsNotExist(err) {
				os.Remove(name)
				t.Fatalf("the program's /tmp file reached the host (%v)", err)
			}
		})
	}
}

// TestRunWithLimits: per-run limits replace the pool's for one run only —
// a shorter wall clock, a smaller address space — in both modes, and the
// next plain Run is back under the pool's.
func TestRunWithLimits(t *testing.T) {
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) {
			p := newPool(t, mode, Limits{Wall: 4 * time.Second, MemoryMB: 1024})
			ctx := context.Background()
			spin, err := p.Compile(ctx, Program{Source: "while True:\n    pass\n"})
			if err != nil {
				t.Fatal(err)
			}
			r, err := p.RunWith(ctx, spin, "", nil, nil, Limits{Wall: 300 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			if r.Verdict != Timeout || r.WallMS > 2000 {
				t.Fatalf("spin under a 300 ms limit: %s after %.0f ms (%s)", r.Verdict, r.WallMS, r.Detail)
			}
			if !strings.Contains(r.Detail, "300ms") {
				t.Errorf("detail %q does not name the run's limit", r.Detail)
			}
			big, err := p.Compile(ctx, Program{Source: "x = bytearray(300 * 1024 * 1024)\nprint(len(x))\n"})
			if err != nil {
				t.Fatal(err)
			}
			r, err = p.RunWith(ctx, big, "", nil, nil, Limits{MemoryMB: 128})
			if err != nil {
				t.Fatal(err)
			}
			if r.Verdict != MemoryLimit {
				t.Fatalf("300 MB under a 128 MiB limit: %s (%s)", r.Verdict, r.Detail)
			}
			r, err = p.Run(ctx, big, "", nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if r.Verdict != OK || strings.TrimSpace(r.Stdout) != "314572800" {
				t.Fatalf("300 MB under the pool's 1024 MiB: %s %q (%s)", r.Verdict, r.Stdout, r.Detail)
			}
		})
	}
}

// TestSweepStale: a pool removes the run roots of pools whose process is
// gone (killed before it could clean up), and only those.
func TestSweepStale(t *testing.T) {
	dir := t.TempDir()
	dead := exec.Command("/bin/true")
	if err := dead.Run(); err != nil {
		t.Skip("no /bin/true")
	}
	for name, owner := range map[string]string{"scrl-wdead": strconv.Itoa(dead.Process.Pid), "scrl-wlive": strconv.Itoa(os.Getpid()), "scrl-wnone": ""} {
		root := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Join(root, "run"), 0o755); err != nil {
			t.Fatal(err)
		}
		if owner != "" {
			os.WriteFile(filepath.Join(root, ownerFile), []byte(owner), 0o644)
		}
	}
	if n := sweepStale(dir); n != 1 {
		t.Errorf("swept %d roots, want 1", n)
	}
	for name, want := range map[string]bool{"scrl-wdead": false, "scrl-wlive": true, "scrl-wnone": true} {
		if _, err := os.Stat(filepath.Join(dir, name)); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", name, err == nil, want)
		}
	}
}
