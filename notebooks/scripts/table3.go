//go:build ignore

// Table3 prints the study's Table III, the partial-credit reward ladder: for
// each stage a small real Python program reaches it (study.Ladder), run
// through the sandbox and judged on three tests, with its functional reward
// under reward.PartialCredit (the paper's Table III), reward.SeedPartialCredit
// (the study's released code) and reward.Binary. Notebook 02 shows the same
// table from the same programs.
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
	"github.com/securecoderl/securecoderl/stdlib/reward"
	"github.com/securecoderl/securecoderl/stdlib/study"
)

// Row is one line of Table III.
type Row struct {
	Stage    reward.Stage `json:"stage"`
	Program  string       `json:"program"`
	Verdicts []string     `json:"verdicts"`
	Passed   int          `json:"passed"`
	Total    int          `json:"total"`
	Partial  float64      `json:"r_func_partial"`
	Seed     float64      `json:"r_func_seed"`
	Binary   float64      `json:"r_func_binary"`
	Explain  string       `json:"explain"`
	Source   string       `json:"source"`
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
	measured, err := study.TableIII(ctx, pool)
	if err != nil {
		return err
	}
	var rows []Row
	for _, m := range measured {
		var vs []string
		for _, v := range m.Judged.Verdicts {
			vs = append(vs, string(v))
		}
		rows = append(rows, Row{Stage: m.Partial.Stage, Program: m.Rung.What, Verdicts: vs, Passed: m.Judged.Passed, Total: m.Judged.Total,
			Partial: m.Partial.Value, Seed: m.Seed.Value, Binary: m.Binary.Value, Explain: m.Partial.Explain, Source: m.Rung.Source})
	}
	if *asJSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	fmt.Println("Table III — partial-credit ladder, measured in the sandbox (task: print a+b; 3 tests)")
	fmt.Println()
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "stage\tprogram\tverdicts (3 tests)\tk/T\tR_func (Table III)\tR_func (released code)\tbinary")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d/%d\t%.3g\t%.3g\t%.3g\n", r.Stage, r.Program, strings.Join(r.Verdicts, ", "), r.Passed, r.Total, r.Partial, r.Seed, r.Binary)
	}
	return tw.Flush()
}
