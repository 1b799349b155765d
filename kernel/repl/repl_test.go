package repl

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/securecoderl/securecoderl/stdlib/apps"
)

// loop runs a REPL session on input and returns what it printed.
func loop(t *testing.T, input string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	it, err := New(Options{Stdout: &out, Stderr: &errb})
	if err != nil {
		t.Fatal(err)
	}
	err = it.Loop(context.Background(), strings.NewReader(input), LoopOptions{})
	return out.String(), errb.String(), err
}

func TestLoopCuratedPackages(t *testing.T) {
	ps, err := apps.Default()
	if err != nil {
		t.Fatal(err)
	}
	out, errOut, err := loop(t, `ps, err := apps.Default()
len(ps)
err
reward.PartialCredit{}.Score(judge.Result{Verdicts: []sandbox.Verdict{sandbox.Passed, sandbox.WrongOutput}, Printed: []bool{true, true}, Passed: 1, Total: 2}).Value
reward.SeedPartialCredit{}.Score(judge.Result{Verdicts: []sandbox.Verdict{sandbox.RuntimeError}, Printed: []bool{true}, Total: 1}).Stage
strings.Cut("k=v", "=")
len(scanners.Names()) > 0
core.High
`)
	if err != nil {
		t.Fatal(err)
	}
	want := strconv.Itoa(len(ps)) + "\n<nil>\n0.8\n\"parses\"\n\"k\", \"v\", true\ntrue\n\"HIGH\"\n"
	if out != want || errOut != "" {
		t.Fatalf("stdout:\n%s\nwant:\n%s\nstderr:\n%s", out, want, errOut)
	}
}

func TestLoopSurvivesPanics(t *testing.T) {
	out, errOut, err := loop(t, `x := 41
panic("boom")
var m map[string]int
m["a"] = 1
var s []int
s[3]
judge.Judge(nil, nil, judge.Task{})
undefinedName
x + 1
`)
	if err != nil {
		t.Fatal(err)
	}
	if out != "42\n" {
		t.Fatalf("stdout %q, want only the last value", out)
	}
	for _, want := range []string{"error: line 2: panic: boom", "error: line 4: panic: assignment to entry in nil map", "index out of range", "undefined: undefinedName"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}

func TestLoopMultiLineAndCommands(t *testing.T) {
	out, errOut, err := loop(t, `func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}
fib(
	20,
)
s := `+"`"+`raw
string`+"`"+`
len(s)
:packages
:nosuch
fmt.Println("printed")
func noResult() {}
noResult()
:quit
fib(1)
`)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"6765\n", "10\n", "github.com/securecoderl/securecoderl/stdlib/reward\n", "printed\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "printed\n9") || strings.HasSuffix(out, "1\n") {
		t.Errorf("printed a byte count or evaluated past :quit:\n%s", out)
	}
	if !strings.Contains(errOut, "unknown command :nosuch") {
		t.Errorf("stderr: %s", errOut)
	}
}

func TestLoopHelpAndErrorPositions(t *testing.T) {
	out, errOut, _ := loop(t, ":help\n  fmt.Println(undefinedName)\n")
	if !strings.Contains(out, ":quit") || !strings.Contains(out, "apps") {
		t.Errorf(":help printed %q", out)
	}
	if !strings.Contains(errOut, "error: line 2:15: undefined: undefinedName") {
		t.Errorf("position not mapped to the input: %q", errOut)
	}
}

func TestLoopExit(t *testing.T) {
	_, _, err := loop(t, "os.Exit(3)\n1\n")
	var ee *ExitError
	if !errors.As(err, &ee) || ee.Code != 3 {
		t.Fatalf("err %v, want exit status 3", err)
	}
}

func TestEvalErrors(t *testing.T) {
	it, err := New(Options{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	_, err = it.Eval(ctx, `panic(42)`)
	var pe *PanicError
	if !errors.As(err, &pe) || pe.Value != 42 || len(pe.Stack) == 0 {
		t.Fatalf("err %#v, want *PanicError 42", err)
	}
	v, err := it.Eval(ctx, `6 * 7`)
	if err != nil || v.Interface() != 42 {
		t.Fatalf("6*7 = %v, %v after a panic", v, err)
	}
	ctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = it.Eval(ctx, `for {}`)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Fatalf("endless loop: %v after %v", err, time.Since(start))
	}
}

func TestInterrupt(t *testing.T) {
	it, err := New(Options{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(100 * time.Millisecond)
		it.Interrupt()
	}()
	if _, err := it.Eval(context.Background(), `for {}`); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
}

func writeScript(t *testing.T, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "script.go")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunFile(t *testing.T) {
	script := writeScript(t, `//go:build ignore

package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/securecoderl/securecoderl/stdlib/judge"
)

func main() {
	fmt.Println("args:", strings.Join(os.Args[1:], " "))
	fmt.Fprintln(os.Stdout, "lines:", judge.Compare(judge.Lines, "1 \n", "1"))
	fmt.Fprintln(os.Stderr, "to stderr")
	switch os.Getenv("MODE") {
	case "panic":
		panic("boom")
	case "exit":
		os.Exit(3)
	case "exit0":
		os.Exit(0)
	}
}
`)
	run := func(mode string) (string, string, error) {
		var out, errb bytes.Buffer
		err := Run(context.Background(), script, Options{Stdout: &out, Stderr: &errb, Args: []string{script, "a", "-b"}, Env: []string{"MODE=" + mode}})
		return out.String(), errb.String(), err
	}
	out, errOut, err := run("")
	if err != nil || out != "args: a -b\nlines: true\n" || errOut != "to stderr\n" {
		t.Fatalf("got %q %q %v", out, errOut, err)
	}
	var pe *PanicError
	if _, _, err := run("panic"); !errors.As(err, &pe) || pe.Value != "boom" {
		t.Fatalf("panic: err %v", err)
	}
	var ee *ExitError
	if _, _, err := run("exit"); !errors.As(err, &ee) || ee.Code != 3 {
		t.Fatalf("os.Exit(3): err %v", err)
	}
	if _, _, err := run("exit0"); err != nil {
		t.Fatalf("os.Exit(0): err %v", err)
	}
}

func TestRunFileErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"package main\n\nfunc main() {\n\tx := \n}\n", "script.go:5:1: expected operand"},
		{"package main\n\nfunc main() {\n\tundefinedName()\n}\n", "script.go:4:2: undefined: undefinedName"},
		{"package lib\n", "want package main"},
		{"package main\n\nimport \"example.com/nosuch\"\n\nfunc main() {}\n", "nosuch"},
	} {
		err := Run(context.Background(), writeScript(t, tc.src), Options{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err %v, want %q", tc.src, err, tc.want)
		}
	}
}

// Importing a preloaded package is accepted silently; a new alias works.
func TestLoopImportPreloaded(t *testing.T) {
	out, errOut, err := loop(t, `import "github.com/securecoderl/securecoderl/stdlib/reward"
import (
	"strings"
	"github.com/securecoderl/securecoderl/stdlib/judge"
)
import rw "github.com/securecoderl/securecoderl/stdlib/reward"
len(reward.FuncNames) == len(rw.FuncNames)
strings.ToUpper(fmt.Sprint(len(judge.Task{}.Cases)) + "parses")
import "strings"; import "strconv"
strconv.Itoa(7)
`)
	if err != nil {
		t.Fatal(err)
	}
	if out != "true\n\"0PARSES\"\n\"7\"\n" || errOut != "" {
		t.Fatalf("stdout %q stderr %q", out, errOut)
	}
}

// Errors name the input line (and column when yaegi gives one); yaegi's
// "constant definition loop" for an undefined name in a declaration is
// reported as the undefined name.
func TestLoopErrorLines(t *testing.T) {
	_, errOut, _ := loop(t, `x := 1

y := nosuch + x
func f() int {
	return zz
}
var a []int
a[3] = 1
var w = nosuch2
`)
	for _, want := range []string{
		"error: line 3:6: undefined: nosuch\n",
		"error: line 5:9: undefined: zz\n",
		"error: line 8: panic: ",
		"error: line 9: undefined: nosuch2\n",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut, "constant definition loop") {
		t.Errorf("yaegi's message leaked:\n%s", errOut)
	}
}
