package repl_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/securecoderl/securecoderl/kernel/repl"
)

// Evaluates Go that calls the curated packages, then a line that panics.
func ExampleInterpreter_Eval() {
	it, err := repl.New(repl.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	imports := `import (
	"github.com/securecoderl/securecoderl/stdlib/judge"
	"github.com/securecoderl/securecoderl/stdlib/reward"
)`
	if _, err := it.Eval(ctx, imports); err != nil {
		fmt.Println(err)
		return
	}
	v, err := it.Eval(ctx, `reward.PartialCredit{}.Score(judge.Result{Passed: 2, Total: 2}).Value`)
	fmt.Println(v, err)

	_, err = it.Eval(ctx, `var m map[string]int`)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = it.Eval(ctx, `m["x"] = 1`)
	var pe *repl.PanicError
	fmt.Println(errors.As(err, &pe), err)
	// Output:
	// 1 <nil>
	// true panic: assignment to entry in nil map
}

// A REPL session: values of expressions are printed, declarations and
// multi-line input work, and a panic is only reported.
func ExampleInterpreter_Loop() {
	it, err := repl.New(repl.Options{Stdout: os.Stdout, Stderr: os.Stdout})
	if err != nil {
		fmt.Println(err)
		return
	}
	session := `ps, err := apps.Default()
len(ps) > 0
func double(x float64) float64 {
	return 2 * x
}
double(reward.PartialCredit{}.Score(judge.Result{Verdicts: []sandbox.Verdict{sandbox.NoOutput}, Total: 1}).Value)
panic("oops")
strings.ToUpper("still alive")
:quit
`
	if err := it.Loop(context.Background(), strings.NewReader(session), repl.LoopOptions{}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// true
	// 0.8
	// 1:28: panic: main(...)
	// error: line 7: panic: oops
	// "STILL ALIVE"
}

// Runs a script file, as `scrl run` does.
func ExampleRun() {
	dir, err := os.MkdirTemp("", "repl-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "hello.go")
	src := `package main

import (
	"fmt"
	"os"

	"github.com/securecoderl/securecoderl/stdlib/judge"
)

func main() {
	fmt.Println("hello", os.Args[1], judge.Compare(judge.Strip, "3\n\n", "3"))
}
`
	if err := os.WriteFile(script, []byte(src), 0o644); err != nil {
		fmt.Println(err)
		return
	}
	err = repl.Run(context.Background(), script, repl.Options{Args: []string{script, "world"}})
	fmt.Println(err)
	// Output:
	// hello world true
	// <nil>
}

func ExamplePackages() {
	for _, p := range repl.Packages() {
		fmt.Println(p)
	}
	// Output:
	// github.com/securecoderl/securecoderl/sandbox
	// github.com/securecoderl/securecoderl/scanners
	// github.com/securecoderl/securecoderl/scanners/core
	// github.com/securecoderl/securecoderl/stdlib/apps
	// github.com/securecoderl/securecoderl/stdlib/apps/synth
	// github.com/securecoderl/securecoderl/stdlib/benchmark
	// github.com/securecoderl/securecoderl/stdlib/display
	// github.com/securecoderl/securecoderl/stdlib/judge
	// github.com/securecoderl/securecoderl/stdlib/reward
	// github.com/securecoderl/securecoderl/stdlib/scoring
	// github.com/securecoderl/securecoderl/stdlib/study
}

func ExampleIncomplete() {
	it, _ := repl.New(repl.Options{})
	for _, src := range []string{"func f() {\n", "x := `a\n", "1 +\n", "1 + )\n"} {
		_, err := it.Eval(context.Background(), src)
		fmt.Println(repl.Incomplete(err, src))
	}
	// Output:
	// true
	// true
	// true
	// false
}

func ExampleFormat() {
	fmt.Println(repl.Format("a\tb"), repl.Format(0.5), repl.Format([]int{1, 2}))
	// Output: "a\tb" 0.5 [1 2]
}
