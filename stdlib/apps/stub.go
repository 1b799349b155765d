package apps

import (
	"errors"
	"fmt"
	"strings"
)

// StubName returns the name of the zero-argument "def NAME():" stub of an
// APPS+ stdin problem (from p.Stub, else from p.StarterCode), or "" when
// the problem has none (APPS problems, call-based problems).
func StubName(p Problem) string {
	for _, src := range []string{p.Stub, p.StarterCode} {
		if m := zeroArgDefRE.FindStringSubmatch(src); m != nil {
			return m[1]
		}
	}
	return ""
}

// MakeStub builds a stub in the form the study prompted with:
//
//	"\ndef NAME():\n    \"\"\"" + statement + "\n    \"\"\"\n"
//
// The statement is embedded verbatim, except that a `"""` inside it and any
// backslash that would make the docstring a syntax error (\x, \u, \U, \N
// escapes that are malformed) are escaped, so the stub always compiles.
func MakeStub(name, statement string) string {
	return "\ndef " + name + "():\n    \"\"\"" + docstringSafe(statement) + "\n    \"\"\"\n"
}

// docstringSafe makes s safe to embed in a non-raw """ string.
func docstringSafe(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			n := s[i+1]
			if n == '\\' {
				b.WriteString(`\\`)
				i++
				continue
			}
			if badEscape(s[i+1:]) {
				b.WriteString(`\\`)
				continue
			}
		}
		if c == '\\' && i+1 == len(s) {
			b.WriteString(`\\`)
			continue
		}
		if c == '"' && strings.HasPrefix(s[i:], `"""`) {
			b.WriteString(`\"`)
			continue
		}
		b.WriteByte(c)
	}
	// A trailing quote would merge with the closing """ only if it were on
	// the same line; MakeStub always puts a newline first.
	return b.String()
}

// badEscape reports whether `\` followed by rest starts an escape that
// Python rejects in a str literal.
func badEscape(rest string) bool {
	hex := func(n int) bool {
		if len(rest) < 1+n {
			return true
		}
		for _, c := range rest[1 : 1+n] {
			if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
				return true
			}
		}
		return false
	}
	switch rest[0] {
	case 'x':
		return hex(2)
	case 'u':
		return hex(4)
	case 'U':
		return hex(8)
	case 'N':
		return !strings.HasPrefix(rest, "N{") || !strings.Contains(rest, "}")
	}
	return false
}

// ErrNoCanonical is returned (wrapped) by RunnableCanonical for a problem
// without a reference solution.
var ErrNoCanonical = errors.New("no canonical solution")

// RunnableCanonical returns the problem's first reference solution as a
// program that runs on standard input.
//
// For an APPS+ stdin problem the canonical solution is the body of the
// "def NAME():" stub: the result is the solution (prefixed with the stub
// when the solution is only the indented body) followed by "\nNAME()\n",
// unless the solution already calls NAME. A solution without a stub (plain
// APPS) is returned unchanged. Call-based problems are an error.
func RunnableCanonical(p Problem) (string, error) {
	if p.Kind != KindStdin {
		return "", fmt.Errorf("apps: problem %s is %s-based, not stdin", p.ID, p.Kind)
	}
	if len(p.Solutions) == 0 || strings.TrimSpace(p.Solutions[0]) == "" {
		return "", fmt.Errorf("apps: problem %s: %w", p.ID, ErrNoCanonical)
	}
	sol := p.Solutions[0]
	name := StubName(p)
	sc := scanPython(sol)
	if name == "" {
		// No declared stub: a solution that only defines one zero-argument
		// function and never calls it is an APPS+ stub body too.
		name = lonelyZeroArgDef(sc)
		if name == "" {
			return sol, nil
		}
	}
	switch {
	case len(sc.defs(name)) > 0:
	case sc.firstCodeIndented():
		stub := p.Stub
		if stub == "" {
			stub = MakeStub(name, p.Statement)
		}
		sol = strings.Trim(stub, "\n") + "\n" + sol
		sc = scanPython(sol)
	default:
		// A top-level program that does not use the stub.
		return sol, nil
	}
	if sc.calls(name) {
		return sol, nil
	}
	return strings.TrimRight(sol, " \t\r\n") + "\n" + name + "()\n", nil
}

// lonelyZeroArgDef returns the name of the only top-level function of a
// program whose other top-level statements are imports, when that function
// takes no arguments and is not called.
func lonelyZeroArgDef(sc *pyScan) string {
	name := ""
	for _, st := range sc.stmts {
		switch st.kind {
		case "def":
			if name != "" || requiresArgs(st.params) {
				return ""
			}
			name = st.name
		case "stmt":
			t := strings.TrimSpace(sc.text(st))
			if !strings.HasPrefix(t, "import ") && !strings.HasPrefix(t, "from ") {
				return ""
			}
		default:
			return ""
		}
	}
	if name == "" || sc.calls(name) {
		return ""
	}
	return name
}
