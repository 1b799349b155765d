// Package repl evaluates Go with the yaegi interpreter, with the Go standard
// library and SecureCodeRL's curated packages (stdlib/apps, stdlib/judge,
// stdlib/reward, sandbox, scanners, …) preloaded as compiled symbols, so
// interpreted code calls them at native speed. It backs `scrl repl` and
// `scrl run SCRIPT.go`.
//
// Scripts are ordinary main packages: they import what they use, exactly as
// a compiled program would, and the same file also builds with `go run`.
// In the REPL the curated packages and a few standard ones (see Preamble) are
// imported already, multi-line input is collected until it parses, and
// :help, :quit, :packages and :stack are available.
//
// A panic in interpreted code comes back as a *PanicError, and os.Exit(n) as
// an *ExitError: neither ends the calling process, so a REPL survives every
// line. (A panic in a goroutine that interpreted code starts itself cannot be
// recovered, as in compiled Go.)
//
// The interpreter runs in yaegi's restricted mode: os.Exit and log.Fatal
// panic instead of exiting, the environment is a copy (Options.Env), and
// os/exec, syscall and unsafe are not available. When Options.Stdout or
// Options.Stderr is not an *os.File, os.Stdout and os.Stderr are io.Writer
// values writing to it, so that everything a script prints is captured.
package repl

import (
	"context"
	"errors"
	"fmt"
	"go/parser"
	"io"
	"os"
	"path"
	"reflect"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"

	"github.com/securecoderl/securecoderl/stdlib/symbols"
)

// Options configures an Interpreter.
type Options struct {
	// Standard streams of interpreted code (default: the process's).
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Args is os.Args as interpreted code sees it (default: ["scrl"]).
	Args []string
	// Env is the environment interpreted code sees, "KEY=value" entries
	// (default: a copy of the process environment).
	Env []string
}

// Interpreter is a yaegi interpreter with the curated packages loaded. Its
// methods must not be called concurrently, except Interrupt.
type Interpreter struct {
	in     *interp.Interpreter
	stdout io.Writer
	stderr io.Writer

	mu     sync.Mutex
	cancel context.CancelFunc // of the evaluation in progress
	idle   chan struct{}      // Interrupt while nothing runs (Loop clears its input)

	helper bool // showHelper is imported (Loop)
	// imported maps the names import declarations bound in this session
	// to their package paths.
	imported map[string]string
}

// PanicError is a panic recovered from interpreted code.
type PanicError struct {
	Value any    // the value passed to panic
	Stack []byte // the interpreter's Go stack when it was recovered
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// ExitError reports that interpreted code called os.Exit.
type ExitError struct{ Code int }

func (e *ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// Packages lists the import paths of the curated packages preloaded as
// compiled symbols (besides the standard library), sorted.
func Packages() []string {
	var ps []string
	for k := range symbols.Symbols {
		ps = append(ps, path.Dir(k))
	}
	sort.Strings(ps)
	return ps
}

// New returns an interpreter with the standard library and the curated
// packages loaded.
func New(opts Options) (*Interpreter, error) {
	if opts.Stdin == nil {
		opts.Stdin = os.Stdin
	}
	if opts.Stdout == nil {
		opts.Stdout = os.Stdout
	}
	if opts.Stderr == nil {
		opts.Stderr = os.Stderr
	}
	if opts.Args == nil {
		opts.Args = []string{"scrl"}
	}
	if opts.Env == nil {
		opts.Env = os.Environ()
	}
	in := interp.New(interp.Options{
		Stdin: opts.Stdin, Stdout: opts.Stdout, Stderr: opts.Stderr,
		Args: opts.Args, Env: opts.Env,
	})
	if err := in.Use(stdlib.Symbols); err != nil {
		return nil, fmt.Errorf("load standard library symbols: %w", err)
	}
	if err := in.Use(symbols.Symbols); err != nil {
		return nil, fmt.Errorf("load curated symbols: %w", err)
	}
	if err := in.Use(interp.Exports{showHelper + "/" + showHelper: {"Values": reflect.ValueOf(showValues)}}); err != nil {
		return nil, err
	}
	// yaegi redirects os.Stdout/os.Stderr only to *os.File streams; make any
	// other writer (a buffer, a notebook cell) receive them too.
	osSyms := map[string]reflect.Value{}
	if _, ok := opts.Stdout.(*os.File); !ok {
		w := opts.Stdout
		osSyms["Stdout"] = reflect.ValueOf(&w).Elem()
	}
	if _, ok := opts.Stderr.(*os.File); !ok {
		w := opts.Stderr
		osSyms["Stderr"] = reflect.ValueOf(&w).Elem()
	}
	if len(osSyms) > 0 {
		if err := in.Use(interp.Exports{"os/os": osSyms}); err != nil {
			return nil, err
		}
	}
	return &Interpreter{in: in, stdout: opts.Stdout, stderr: opts.Stderr, idle: make(chan struct{}, 1), imported: map[string]string{}}, nil
}

// Eval evaluates Go source in the interpreter's global scope: declarations,
// imports, statements or an expression, whose value it returns (the zero
// reflect.Value when there is none). Earlier evaluations stay in scope.
// Importing a package again under the name it already has (a preloaded
// package in the REPL, say) is accepted and does nothing. Cancelling ctx or
// calling Interrupt stops it.
func (it *Interpreter) Eval(ctx context.Context, src string) (reflect.Value, error) {
	src, left := it.dropImported(src)
	if !left {
		return reflect.Value{}, nil
	}
	ctx, cancel := it.begin(ctx)
	defer it.end(cancel)
	v, err := it.in.EvalWithContext(ctx, src)
	if err == nil {
		it.noteImports(src)
	}
	return v, convert(err)
}

// RunFile compiles the Go file at path (package main) and runs its init
// functions and main, like `go run path` (build constraints in the file are
// ignored, as for a file named on the go command line). A panic comes back as
// a *PanicError, os.Exit(n) as an *ExitError unless n is 0.
func (it *Interpreter) RunFile(ctx context.Context, file string) (err error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	ctx, cancel := it.begin(ctx)
	defer it.end(cancel)
	var prog *interp.Program
	func() {
		defer func() {
			if r := recover(); r != nil { // a yaegi bug must not take the caller down
				err = &PanicError{Value: r, Stack: debug.Stack()}
			}
		}()
		f, perr := parser.ParseFile(it.in.FileSet(), file, src, parser.ParseComments|parser.DeclarationErrors)
		if perr != nil {
			err = perr
			return
		}
		if f.Name.Name != "main" {
			err = fmt.Errorf("%s: package %s, want package main", file, f.Name.Name)
			return
		}
		prog, err = it.in.CompileAST(f)
	}()
	if err != nil {
		return err
	}
	_, err = it.in.ExecuteWithContext(ctx, prog)
	err = convert(err)
	var ee *ExitError
	if errors.As(err, &ee) && ee.Code == 0 {
		return nil
	}
	return err
}

// compile compiles src in incremental (REPL) mode.
func (it *Interpreter) compile(src string) (prog *interp.Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &PanicError{Value: r, Stack: debug.Stack()}
		}
	}()
	return it.in.Compile(src)
}

// execute runs a compiled program, cancellable like Eval.
func (it *Interpreter) execute(ctx context.Context, prog *interp.Program) (reflect.Value, error) {
	ctx, cancel := it.begin(ctx)
	defer it.end(cancel)
	v, err := it.in.ExecuteWithContext(ctx, prog)
	return v, convert(err)
}

// Run runs the Go file at path in a new interpreter (see RunFile).
func Run(ctx context.Context, file string, opts Options) error {
	it, err := New(opts)
	if err != nil {
		return err
	}
	return it.RunFile(ctx, file)
}

// Interrupt stops the evaluation in progress; when there is none, a Loop
// waiting for input drops the lines it has collected (like Ctrl-C in a
// shell).
func (it *Interpreter) Interrupt() {
	it.mu.Lock()
	defer it.mu.Unlock()
	if it.cancel != nil {
		it.cancel()
		return
	}
	select {
	case it.idle <- struct{}{}:
	default:
	}
}

func (it *Interpreter) begin(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	it.mu.Lock()
	it.cancel = cancel
	it.mu.Unlock()
	return ctx, cancel
}

func (it *Interpreter) end(cancel context.CancelFunc) {
	it.mu.Lock()
	it.cancel = nil
	it.mu.Unlock()
	cancel()
}

// convert maps yaegi's panic errors to *PanicError and *ExitError.
func convert(err error) error {
	var p interp.Panic
	if !errors.As(err, &p) {
		return err
	}
	if s, ok := p.Value.(string); ok && strings.HasPrefix(s, "os.Exit(") && strings.HasSuffix(s, ")") {
		if code, cerr := strconv.Atoi(s[len("os.Exit(") : len(s)-1]); cerr == nil {
			return &ExitError{Code: code}
		}
	}
	v := p.Value
	if rv, ok := v.(reflect.Value); ok { // a value of interpreted code
		v = nil
		if rv.IsValid() && rv.CanInterface() {
			v = rv.Interface()
		}
	}
	return &PanicError{Value: v, Stack: p.Stack}
}
