package repl

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/scanner"
	"go/token"
	"io"
	"path"
	"reflect"
	"regexp"
	"strconv"
	"strings"
)

// preambleStd are the standard packages a REPL imports at start.
var preambleStd = []string{"context", "fmt", "os", "sort", "strings", "time"}

// Preamble returns what a REPL evaluates when it starts: an import of the
// standard packages most lines need and of every curated package (see
// Packages), so they are usable by name at once.
func Preamble() string {
	var b strings.Builder
	b.WriteString("import (\n")
	for _, p := range preambleStd {
		fmt.Fprintf(&b, "\t%q\n", p)
	}
	seen := map[string]bool{}
	for _, p := range Packages() {
		if name := path.Base(p); !seen[name] { // first one wins a name
			seen[name] = true
			fmt.Fprintf(&b, "\t%q\n", p)
		}
	}
	b.WriteString(")\n")
	return b.String()
}

func helpText() string {
	var names []string
	for _, p := range Packages() {
		names = append(names, path.Base(p))
	}
	return fmt.Sprintf(`Go, evaluated line by line (yaegi). Input that does not parse yet continues
on the next line. An expression's value is printed.

Imported already: %s,
  and SecureCodeRL's %s.
Other packages: import them, e.g. import "encoding/json".

  :help       this text
  :packages   the preloaded SecureCodeRL packages (compiled)
  :stack      Go stack of the last panic
  :quit       leave (also Ctrl-D)
Ctrl-C stops a running evaluation or drops the input being typed.
`, strings.Join(preambleStd, " "), strings.Join(names, " "))
}

// LoopOptions configures Loop.
type LoopOptions struct {
	// Prompt prints "scrl> " (and "....> " for continuation lines) on the
	// interpreter's stdout before reading a line: for terminals.
	Prompt bool
	// NoPreamble skips evaluating Preamble() (nothing is imported).
	NoPreamble bool
}

// Loop reads Go from r line by line and evaluates each complete input,
// printing values to the interpreter's stdout and errors (panics included)
// to its stderr, until :quit, end of input or ctx is done: it returns nil
// then. Interpreted code calling os.Exit ends it with an *ExitError; a
// failing preamble or a read error is returned too.
func (it *Interpreter) Loop(ctx context.Context, r io.Reader, opt LoopOptions) error {
	if !it.helper {
		if _, err := it.Eval(ctx, "import "+strconv.Quote(showHelper)); err == nil {
			it.helper = true
		}
	}
	if !opt.NoPreamble {
		if _, err := it.Eval(ctx, Preamble()); err != nil {
			return fmt.Errorf("preamble: %w", err)
		}
	}

	type line struct {
		text string
		eof  bool // end of input (err: why, if not io.EOF)
		err  error
	}
	lines := make(chan line)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		br := bufio.NewReader(r)
		for {
			s, err := br.ReadString('\n')
			if s != "" || err == nil {
				select {
				case lines <- line{text: strings.TrimSuffix(strings.TrimSuffix(s, "\n"), "\r")}:
				case <-stop:
					return
				}
			}
			if err != nil {
				if err == io.EOF {
					err = nil
				}
				select {
				case lines <- line{eof: true, err: err}:
				case <-stop:
				}
				return
			}
		}
	}()

	var src strings.Builder
	var lastStack []byte
	n, first := 0, 0 // lines read; the input line src starts on
	for {
		if opt.Prompt {
			if src.Len() == 0 {
				fmt.Fprint(it.stdout, "scrl> ")
			} else {
				fmt.Fprint(it.stdout, "....> ")
			}
		}
		var l line
		select {
		case <-ctx.Done():
			return nil
		case <-it.idle:
			if src.Len() > 0 || opt.Prompt {
				fmt.Fprintln(it.stderr, "(input dropped; :quit or Ctrl-D leaves)")
			}
			src.Reset()
			continue
		case l = <-lines:
			if !l.eof {
				n++
			}
		}
		if l.eof {
			if l.err != nil {
				return l.err
			}
			if src.Len() > 0 { // evaluate what is left, to show its error
				if _, exit := it.evalPrint(ctx, src.String(), first, &lastStack); exit != nil {
					return exit
				}
			}
			if opt.Prompt {
				fmt.Fprintln(it.stdout)
			}
			return nil
		}
		if src.Len() == 0 {
			cmd := strings.TrimSpace(l.text)
			if cmd == "" {
				continue
			}
			if strings.HasPrefix(cmd, ":") {
				switch cmd {
				case ":quit", ":q", ":exit":
					return nil
				case ":help", ":h", ":?":
					fmt.Fprint(it.stdout, helpText())
				case ":packages":
					fmt.Fprintln(it.stdout, strings.Join(Packages(), "\n"))
				case ":stack":
					if lastStack == nil {
						fmt.Fprintln(it.stderr, "no panic yet")
					} else {
						it.stderr.Write(lastStack)
					}
				default:
					fmt.Fprintf(it.stderr, "unknown command %s (:help lists them)\n", cmd)
				}
				continue
			}
		}
		if src.Len() == 0 {
			first = n
		}
		src.WriteString(l.text)
		src.WriteByte('\n')
		incomplete, exit := it.evalPrint(ctx, src.String(), first, &lastStack)
		if exit != nil {
			return exit
		}
		if incomplete {
			continue // read more
		}
		src.Reset()
	}
}

// evalPrint evaluates src, which starts on input line first, and prints its
// value or error (naming the input line); it reports whether src is
// incomplete (and so was not evaluated). An *ExitError is returned.
func (it *Interpreter) evalPrint(ctx context.Context, src string, first int, lastStack *[]byte) (incomplete bool, exit *ExitError) {
	vals, show, err := it.evalValues(ctx, src)
	if err != nil {
		if Incomplete(err, src) {
			return true, nil
		}
		if errors.As(err, &exit) {
			return false, exit
		}
		if errors.Is(err, context.Canceled) && ctx.Err() == nil {
			fmt.Fprintln(it.stderr, "interrupted")
			return false, nil
		}
		var pe *PanicError
		if errors.As(err, &pe) {
			*lastStack = pe.Stack
		}
		var sl scanner.ErrorList
		if errors.As(err, &sl) && len(sl) > 0 {
			err = sl[0] // the first syntax error is the useful one
		}
		msg := err.Error()
		if strings.HasSuffix(msg, ": constant definition loop") {
			msg = it.undefinedName(src, msg)
		}
		fmt.Fprintln(it.stderr, "error:", fixPos(msg, src, first))
		return false, nil
	}
	if show {
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = Format(v)
		}
		fmt.Fprintln(it.stdout, strings.Join(parts, ", "))
	}
	return false, nil
}

// showHelper is a compiled function interpreted code calls to see every
// result of a call: showHelper.Values(f()) (Go passes all of f's results to
// a variadic parameter).
const showHelper = "scrlreplshow"

func showValues(v ...any) []any { return v }

// evalValues evaluates src; when src is a single expression (not a call to
// one of fmt's print functions) it returns its values and show = true. A call
// returns all its results.
func (it *Interpreter) evalValues(ctx context.Context, src string) (vals []any, show bool, err error) {
	e, perr := parser.ParseExpr(src)
	if perr != nil || isPrintCall(e) {
		_, err := it.Eval(ctx, src)
		return nil, false, err
	}
	if _, isCall := ast.Unparen(e).(*ast.CallExpr); isCall && it.helper {
		var expr strings.Builder
		perr := printer.Fprint(&expr, token.NewFileSet(), e) // drops comments
		prog, cerr := it.compile(showHelper + ".Values(" + expr.String() + ")")
		if perr == nil && cerr == nil {
			v, err := it.execute(ctx, prog)
			if err != nil || !v.IsValid() {
				return nil, false, err
			}
			vs, _ := v.Interface().([]any)
			return vs, true, nil
		}
		// A call without results (or one the helper cannot take): run it
		// plainly, show nothing.
		_, err := it.Eval(ctx, src)
		return nil, false, err
	}
	v, err := it.Eval(ctx, src)
	if err != nil || !v.IsValid() || !v.CanInterface() {
		return nil, false, err
	}
	return []any{v.Interface()}, true, nil
}

// isPrintCall: fmt.Print…, fmt.Fprint… (their byte counts are noise).
func isPrintCall(e ast.Expr) bool {
	c, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "fmt" && (strings.HasPrefix(sel.Sel.Name, "Print") || strings.HasPrefix(sel.Sel.Name, "Fprint"))
}

// posRE matches the position yaegi puts before a message.
var posRE = regexp.MustCompile(`^(?:_\.go:)?(\d+):(\d+): `)

// undefinedName turns yaegi's "constant definition loop", its message for a
// top-level declaration that uses an undefined name ("y := nosuch"), into
// the compiler's "undefined: nosuch": src is compiled (not run) as the body
// of a function literal, where yaegi reports the name. msg is kept when
// that says nothing better.
func (it *Interpreter) undefinedName(src, msg string) string {
	_, err := it.compile("_ = func() {\n" + src + "\n}")
	if err == nil {
		return msg
	}
	// "2:6: undefined: y", or after the failed evaluation left the name
	// half-declared "panic: 2:6: CFG post-order panic: 1:33: incomplete type y"
	m := undefRE.FindStringSubmatch(err.Error())
	if m == nil {
		return msg
	}
	line, _ := strconv.Atoi(m[1])
	col, _ := strconv.Atoi(m[2])
	if line < 2 { // reported at the literal itself: the line, no column
		return fmt.Sprintf("1:0: undefined: %s", m[3])
	}
	// the literal's body starts on the wrapper's second line
	return fmt.Sprintf("%d:%d: undefined: %s", line-1, col+wrapOffset(src), m[3])
}

// undefRE finds the position and name in yaegi's messages for an undefined
// name.
var undefRE = regexp.MustCompile(`(\d+):(\d+): (?:undefined: |CFG post-order panic: \d+:\d+: incomplete type )(\w+)`)

// fixPos rewrites the position at the start of msg from yaegi's wrapped
// source (a statement is evaluated inside "package main; func main() {…}")
// to the user's input, where src starts on line first ("line L:C: msg");
// a message without a position is prefixed with the first line.
func fixPos(msg, src string, first int) string {
	m := posRE.FindStringSubmatch(msg)
	if m == nil {
		if first > 0 {
			return fmt.Sprintf("line %d: %s", first, msg)
		}
		return msg
	}
	line, _ := strconv.Atoi(m[1])
	col, _ := strconv.Atoi(m[2])
	if line == 1 {
		col -= wrapOffset(src)
	}
	if first > 0 {
		line += first - 1
	}
	if col < 1 {
		return fmt.Sprintf("line %d: %s", line, msg[len(m[0]):])
	}
	return fmt.Sprintf("line %d:%d: %s", line, col, msg[len(m[0]):])
}

// wrapOffset is how many bytes yaegi prepends to the first line of src.
func wrapOffset(src string) int {
	var s scanner.Scanner
	fset := token.NewFileSet()
	s.Init(fset.AddFile("", -1, len(src)), []byte(src), nil, 0)
	_, tok, _ := s.Scan()
	switch tok {
	case token.PACKAGE:
		return 0
	case token.CONST, token.FUNC, token.IMPORT, token.TYPE, token.VAR:
		return len("package main;")
	}
	return len("package main; func main() {")
}

// Incomplete reports whether err, from evaluating src, only says that the
// input ends too early (an open block, call or raw string), so a REPL should
// read another line. It is the rule of yaegi's own REPL.
func Incomplete(err error, src string) bool {
	var sl scanner.ErrorList
	if !errors.As(err, &sl) || len(sl) == 0 {
		return false
	}
	msg := sl[0].Msg
	switch {
	case strings.HasSuffix(msg, "found 'EOF'"):
		return true
	case msg == "raw string literal not terminated":
		return true
	case strings.HasPrefix(msg, "expected operand, found '}'") && !strings.HasSuffix(strings.TrimSpace(src), "}"):
		return true
	}
	return false
}

// Format renders a value for display: strings (of any string type without
// a String method) quoted, everything else with %v.
func Format(v any) string {
	if _, ok := v.(fmt.Stringer); !ok && v != nil && reflect.TypeOf(v).Kind() == reflect.String {
		return strconv.Quote(reflect.ValueOf(v).String())
	}
	return fmt.Sprintf("%v", v)
}
