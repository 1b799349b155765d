package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/securecoderl/securecoderl/kernel"
)

func runNotebooks(ctx context.Context, e *env, args []string) error {
	return subcommand(ctx, e, "notebooks", args, map[string]func(context.Context, *env, []string) error{
		"run": notebooksRun,
	})
}

// paramFlags collects repeated --param NAME=VALUE.
type paramFlags []kernel.Param

func (p *paramFlags) String() string {
	var s []string
	for _, x := range *p {
		s = append(s, x.Name+"="+x.Value)
	}
	return strings.Join(s, ",")
}

func (p *paramFlags) Set(v string) error {
	x, err := kernel.ParseParam(v)
	if err != nil {
		return err
	}
	*p = append(*p, x)
	return nil
}

func notebooksRun(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "notebooks run", "notebooks run [--smoke] [--param NAME=VALUE ...] [--out DIR] [--timeout 30m] [--kernel securecoderl] [--json] NOTEBOOK.ipynb...")
	smoke := fs.Bool("smoke", false, "set the notebook's smoke parameter to true (small, fast settings)")
	var params paramFlags
	fs.Var(&params, "param", "override a parameter of the cell tagged `parameters`: NAME=VALUE (repeatable; Go syntax, strings need no quotes)")
	out := fs.String("out", kernel.DefaultOutDir, "directory for the executed notebooks and their HTML exports")
	timeout := fs.Duration("timeout", 30*time.Minute, "limit per notebook")
	kname := fs.String("kernel", kernel.DefaultName, "kernelspec to run on (installed first when missing)")
	asJSON := fs.Bool("json", false, "print the results as JSON")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("want at least one NOTEBOOK.ipynb")
	}
	if *timeout <= 0 {
		return usagef("--timeout must be positive")
	}
	for _, f := range files {
		if filepath.Ext(f) != ".ipynb" {
			return usagef("%s: want a .ipynb file", f)
		}
		nb, err := kernel.ReadNotebook(f)
		if err != nil {
			return err
		}
		// Check the parameters before starting anything slow.
		if err := nb.SetParams(smokeParams(params, *smoke)); err != nil {
			return usagef("notebook %s: %v", f, err)
		}
	}
	repo, err := kernel.RepoRoot()
	if err != nil {
		return err
	}
	absOut, err := filepath.Abs(*out)
	if err != nil {
		return err
	}
	j, err := kernel.EnsureKernel(ctx, kernel.Jupyter{}, *kname, repo, filepath.Join(absOut, ".kernel"), e.stderr)
	if err != nil {
		return err
	}
	var results []kernel.Result
	var failed []error
	for _, f := range files {
		fmt.Fprintf(e.stderr, "notebooks: running %s\n", f)
		res, err := kernel.Run(ctx, f, kernel.RunOptions{Params: params, Smoke: *smoke, OutDir: *out, Timeout: *timeout, Kernel: *kname, Jupyter: j})
		results = append(results, res)
		if !*asJSON {
			status := "ok"
			if err != nil {
				status = "FAILED"
			}
			if _, serr := os.Stat(res.HTML); serr == nil {
				fmt.Fprintf(e.stdout, "%s: %s in %.1fs (%d code cells; outputs %s) -> %s, %s\n", f, status, res.Seconds, res.CodeCells, outputSummary(res.Outputs), res.Executed, res.HTML)
			} else {
				fmt.Fprintf(e.stdout, "%s: %s in %.1fs (no output written)\n", f, status, res.Seconds)
			}
			var ne *kernel.NotebookError
			if errors.As(err, &ne) {
				for _, ce := range ne.Errors {
					fmt.Fprintf(e.stdout, "  cell %d: %s\n", ce.Cell, ce.Text)
				}
			}
		}
		if err != nil {
			failed = append(failed, err)
			if ctx.Err() != nil {
				break
			}
		}
	}
	if *asJSON {
		if err := writeJSON(e.stdout, results); err != nil {
			return err
		}
	}
	switch len(failed) {
	case 0:
		return nil
	case 1:
		return failed[0]
	}
	return fmt.Errorf("%d notebooks failed; first: %w", len(failed), failed[0])
}

func smokeParams(p paramFlags, smoke bool) []kernel.Param {
	out := append([]kernel.Param(nil), p...)
	if smoke {
		out = append(out, kernel.Param{Name: "smoke", Value: "true"})
	}
	return out
}

func outputSummary(m map[string]int) string {
	var parts []string
	for _, k := range []string{"table", "png", "svg", "html", "markdown"} {
		if m[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", m[k], k))
		}
	}
	if len(parts) == 0 {
		return "text only"
	}
	return strings.Join(parts, ", ")
}
