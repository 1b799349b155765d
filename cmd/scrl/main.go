// Command scrl is SecureCodeRL's command-line tool: datasets, sandboxed
// execution and judging, the sandbox as an HTTP service, scanning and
// scoring, the Jupyter kernel, the REPL and scripts, the notebook runner,
// models, generation, training, evaluation and benchmarks.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
)

// command is one subcommand (or a group of them).
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env carries the process's streams, so commands are testable.
type env struct {
	stdout, stderr io.Writer
	stdin          io.Reader
}

// usageError marks bad input: exit code 2 and a one-line reason.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

func commands() []command {
	return []command{
		{"apps", "APPS / APPS+ datasets: stats, show, split", runApps},
		{"exec", "run one Python program in the sandbox", runExec},
		{"judge", "run programs against problem tests", runJudge},
		{"sandbox", "sandbox tools: doctor", runSandbox},
		{"serve", "the sandbox as an HTTP service (SandboxFusion's /run_code)", runServe},
		{"scan", "security findings per Python file", runScan},
		{"score", "judge, scan and reward model completions", runScore},
		{"bench", "benchmarks: sandbox, scan", runBench},
		{"tokenize", "text to token ids and back (tokenizer.json or byte)", runTokenize},
		{"kernel", "Jupyter kernel: install, doctor", runKernel},
		{"notebooks", "run notebooks headlessly: run", runNotebooks},
		{"repl", "Go REPL (yaegi) with the curated packages preloaded", runRepl},
		{"run", "run a Go script (yaegi) with the curated packages preloaded", runScript},
		{"model", "Llama-family checkpoints: init, info", runModel},
		{"generate", "sample completions from a model (+ LoRA adapter)", runGenerate},
		{"train", "train models: pretrain, sft, ppo", runTrain},
		{"eval", "evaluate a policy on held-out problems: Table IV with CIs", runEval},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &env{stdout: os.Stdout, stderr: os.Stderr, stdin: os.Stdin}, os.Args[1:])
	stop()
	os.Exit(code)
}

func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(e.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, e, args[1:])
			return report(e, c.name, err)
		}
	}
	fmt.Fprintf(e.stderr, "scrl: unknown command %q (run 'scrl -h' for the list)\n", args[0])
	return 2
}

// exitStatus ends a command with a status and no message (scrl scan's 1
// when findings are left, as bandit).
type exitStatus struct{ code int }

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func report(e *env, name string, err error) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var es exitStatus
	if errors.As(err, &es) {
		return es.code
	}
	msg := strings.ReplaceAll(err.Error(), "\n", "; ")
	fmt.Fprintf(e.stderr, "scrl %s: %s\n", name, msg)
	var ue usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "scrl: SecureCodeRL workbench\n\nUsage: scrl COMMAND [flags] [args]\n\nCommands:")
	cs := commands()
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'scrl COMMAND -h' for a command's flags.")
}

// newFlags makes a FlagSet whose errors are returned, not printed twice.
func newFlags(e *env, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: scrl %s\n\nFlags:\n", usage)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags and positional arguments in any order.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// writeJSONFile writes v as indented JSON, atomically (temp file + rename).
func writeJSONFile(path string, v any) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := writeJSON(tmp, v); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
}

// subcommand dispatches a group such as "apps stats".
func subcommand(ctx context.Context, e *env, group string, args []string, subs map[string]func(context.Context, *env, []string) error) error {
	names := make([]string, 0, len(subs))
	for n := range subs {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintf(e.stderr, "Usage: scrl %s {%s} [flags]\n", group, strings.Join(names, "|"))
		if len(args) == 0 {
			return usagef("missing subcommand (one of %s)", strings.Join(names, ", "))
		}
		return flag.ErrHelp
	}
	f, ok := subs[args[0]]
	if !ok {
		return usagef("unknown subcommand %q (one of %s)", args[0], strings.Join(names, ", "))
	}
	return f(ctx, e, args[1:])
}
