package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/securecoderl/securecoderl/kernel/repl"
)

// runRepl is `scrl repl`: Go line by line in the yaegi interpreter.
func runRepl(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "repl", "repl [--no-preamble]\n\nGo evaluated line by line (yaegi) with the standard library and the curated\npackages preloaded; :help lists the commands, :quit or Ctrl-D leaves.")
	noPre := fs.Bool("no-preamble", false, "do not import the curated and common packages at start")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("repl takes no arguments (run a file with 'scrl run FILE.go')")
	}
	it, err := repl.New(repl.Options{Stdin: e.stdin, Stdout: e.stdout, Stderr: e.stderr})
	if err != nil {
		return err
	}
	tty := replIsTerminal(e.stdin)
	if tty {
		fmt.Fprintf(e.stdout, "scrl repl: Go (yaegi) with %s preloaded; :help, :quit\n", strings.Join(replShortNames(repl.Packages()), ", "))
	}
	// Ctrl-C stops the line being evaluated (or drops the input being typed),
	// not the REPL; SIGTERM ends it.
	loopCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	go func() {
		for {
			select {
			case s := <-sig:
				if s == syscall.SIGTERM {
					cancel()
					return
				}
				it.Interrupt()
			case <-loopCtx.Done():
				return
			}
		}
	}()
	return it.Loop(loopCtx, e.stdin, repl.LoopOptions{Prompt: tty, NoPreamble: *noPre})
}

// runScript is `scrl run SCRIPT.go [args]`.
func runScript(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "run", "run SCRIPT.go [args...]\n\nRuns a Go main package file in the yaegi interpreter, with the standard library\nand the curated packages preloaded; args after the file go to the script (os.Args).")
	if err := fs.Parse(args); err != nil { // stops at the script: its flags are its own
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return usagef("missing SCRIPT.go")
	}
	file := rest[0]
	if !strings.HasSuffix(file, ".go") {
		return usagef("%s: want a .go file", file)
	}
	if _, err := os.Stat(file); err != nil {
		return usagef("%s: no such file", file)
	}
	return repl.Run(ctx, file, repl.Options{Stdin: e.stdin, Stdout: e.stdout, Stderr: e.stderr, Args: rest})
}

func replShortNames(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = strings.TrimPrefix(p, "github.com/securecoderl/securecoderl/")
	}
	return out
}

// replIsTerminal reports whether r is a character device (an interactive stdin).
func replIsTerminal(r any) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
