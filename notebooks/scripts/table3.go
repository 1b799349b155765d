//go:build ignore

// Table3 prints the study's Table III, the partial-credit reward ladder: for
// each stage a small real Python program reaches it, run through the sandbox
// and judged on two tests, with its functional reward under
// reward.PartialCredit (the paper's Table III) and reward.SeedPartialCredit
// (the study's released code). Notebook 02 shows the same table.
//
//	scrl run notebooks/scripts/table3.go [-json] [-python /usr/bin/python3]
//	go run notebooks/scripts/table3.go   # the same, compiled
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/securecoderl/securecoderl/sandbox"
	"github.com/securecoderl/securecoderl/stdlib/judge"
	"github.com/securecoderl/securecoderl/stdlib/reward"
)

// The task: read two integers, print their sum.
var cases = []judge.Case{
	{Input: "1 2\n", Expected: "3\n"},
	{Input: "40 2\n", Expected: "42\n"},
}

const read = "a, b = map(int, input().split())\n"

// One program per rung of the ladder, lowest first.
var programs = []struct{ Condition, Source string }{
	{"syntax error", "print(\n"},
	{"runtime error", read + "raise ValueError(a + b)\n"},
	{"runs silently", read},
	{"prints wrong output", read + "print(a - b)\n"},
	{"passes 1 of 2", read + "print(a + b if a < 10 else a * b)\n"},
	{"passes all", read + "print(a + b)\n"},
}

// Row is one line of Table III.
type Row struct {
	Stage     reward.Stage `json:"stage"`
	Condition string       `json:"condition"`
	Verdicts  []string     `json:"verdicts"`
	Partial   float64      `json:"r_func_partial"`
	Seed      float64      `json:"r_func_seed"`
	Program   string       `json:"program"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "table3:", err)
		os.Exit(1)
	}
}

func run() error {
	fs := flag.NewFlagSet("table3", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the rows as JSON")
	python := fs.String("python", "/usr/bin/python3", "Python interpreter for the sandbox")
	if err := fs.Parse(os.Args[1:]); err != nil {
		if err == flag.ErrHelp {
			return nil
		}
		return err
	}

	ctx := context.Background()
	pool, err := sandbox.New(ctx, sandbox.Config{Python: *python, Workers: 2, Limits: sandbox.Limits{Wall: 2 * time.Second}})
	if err != nil {
		return err
	}
	defer pool.Close()

	var rows []Row
	for _, p := range programs {
		res, err := judge.Judge(ctx, pool, judge.Task{Program: sandbox.Program{Source: p.Source}, Cases: cases, Compare: judge.Lines})
		if err != nil {
			return fmt.Errorf("%s: %w", p.Condition, err)
		}
		partial := reward.PartialCredit{}.Score(res)
		seed := reward.SeedPartialCredit{}.Score(res)
		verdicts := []string{}
		for _, v := range res.Verdicts {
			verdicts = append(verdicts, string(v))
		}
		if res.Syntax != nil {
			verdicts = []string{string(sandbox.SyntaxError)}
		}
		rows = append(rows, Row{Stage: partial.Stage, Condition: p.Condition, Verdicts: verdicts,
			Partial: partial.Value, Seed: seed.Value, Program: p.Source})
	}

	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	fmt.Println("Table III: partial-credit functional reward R_func (task: print a+b; 2 tests)")
	fmt.Println()
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "stage\tcondition\tverdicts\tR_func partial\tR_func seed")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.1f\t%.1f\n", r.Stage, r.Condition, strings.Join(r.Verdicts, ","), r.Partial, r.Seed)
	}
	return tw.Flush()
}
