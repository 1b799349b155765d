package apps

import (
	"regexp"
	"strings"
)

// This file holds a small, forgiving scanner for Python source. It knows
// just enough of the lexical structure (strings, comments, brackets, line
// continuations) to find the top-level statements of a program, the
// functions it defines and the calls it makes. It never fails: malformed or
// truncated source is scanned as far as it goes and flagged.

// pyLine is one physical line.
type pyLine struct {
	start, end int  // byte offsets; end excludes the '\n'
	logical    bool // starts a logical line (not inside a string, bracket or continuation)
	indent     int  // bytes of leading blanks
	blank      bool // only white space
	comment    bool // a logical line holding only a comment
}

// pyStmt is one top-level statement (a logical line at indentation 0 with
// its indented block, decorators and else/elif/except/finally clauses).
type pyStmt struct {
	firstLine, lastLine int // line indices, inclusive, trailing comments and blanks excluded
	start, end          int // byte offsets of the statement text
	kind                string
	name                string // def/class name
	params              string // def parameter list (source text)
}

type pyScan struct {
	src          string
	code         string // src with string contents and comments blanked (same length)
	lines        []pyLine
	stmts        []pyStmt
	unterminated bool // the source ends inside a string or bracket
}

var (
	defLineRE   = regexp.MustCompile(`^(?:async[ \t]+)?def[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]*\(`)
	classLineRE = regexp.MustCompile(`^class[ \t]+([A-Za-z_][A-Za-z0-9_]*)`)
	clauseRE    = regexp.MustCompile(`^(?:else|elif|except|finally)\b`)
)

func scanPython(src string) *pyScan {
	s := &pyScan{src: src}
	code := []byte(src)
	var (
		inStr   bool
		quote   byte
		triple  bool
		depth   int
		cont    bool // the current line ends with a backslash continuation
		lineBeg = 0
		logical = true
	)
	newline := func(i int) {
		s.lines = append(s.lines, pyLine{start: lineBeg, end: i, logical: logical})
		lineBeg, logical = i+1, !inStr && depth == 0 && !cont
		cont = false
	}
	for i := 0; i < len(src); {
		c := src[i]
		if inStr {
			switch {
			case c == '\\' && i+1 < len(src):
				code[i] = ' '
				if src[i+1] == '\n' {
					newline(i + 1)
				} else {
					code[i+1] = ' '
				}
				i += 2
			case c == quote && (!triple || strings.HasPrefix(src[i:], strings.Repeat(string(quote), 3))):
				inStr = false
				if triple {
					i += 3
				} else {
					i++
				}
			case c == '\n':
				if !triple {
					inStr = false // unterminated single-quoted string
				}
				newline(i)
				i++
			default:
				code[i] = ' '
				i++
			}
			continue
		}
		switch c {
		case '#':
			for i < len(src) && src[i] != '\n' {
				code[i] = ' '
				i++
			}
			continue
		case '"', '\'':
			inStr, quote = true, c
			triple = strings.HasPrefix(src[i:], strings.Repeat(string(c), 3))
			if triple {
				i += 3
			} else {
				i++
			}
			continue
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			if depth > 0 {
				depth--
			}
		case '\\':
			if i+1 < len(src) && src[i+1] == '\n' {
				cont = true
			}
		case '\n':
			newline(i)
		}
		i++
	}
	if lineBeg < len(src) {
		s.lines = append(s.lines, pyLine{start: lineBeg, end: len(src), logical: logical})
	}
	s.unterminated = inStr || depth > 0 || cont
	s.code = string(code)
	for k := range s.lines {
		ln := &s.lines[k]
		text := src[ln.start:ln.end]
		trimmed := strings.TrimLeft(text, " \t\f")
		ln.indent = len(text) - len(trimmed)
		ln.blank = strings.TrimSpace(text) == ""
		ln.comment = ln.logical && strings.HasPrefix(trimmed, "#")
	}
	s.statements()
	return s
}

// statements groups the lines into top-level statements.
func (s *pyScan) statements() {
	var cur *pyStmt
	flush := func() {
		if cur != nil {
			cur.end = s.lines[cur.lastLine].end
			s.stmts = append(s.stmts, *cur)
			cur = nil
		}
	}
	for k, ln := range s.lines {
		if !ln.logical || ln.blank || ln.comment || ln.indent > 0 {
			if cur != nil && !ln.blank && !ln.comment {
				cur.lastLine = k
			}
			continue
		}
		text := s.src[ln.start:ln.end]
		if cur != nil && clauseRE.MatchString(text) {
			cur.lastLine = k
			continue
		}
		if cur != nil && cur.kind == "decorator" {
			// a decorator belongs to the statement it decorates
			cur.lastLine = k
		} else {
			flush()
			cur = &pyStmt{firstLine: k, lastLine: k, start: ln.start, kind: "stmt"}
		}
		switch {
		case strings.HasPrefix(text, "@"):
			cur.kind = "decorator"
		case defLineRE.MatchString(text):
			m := defLineRE.FindStringSubmatchIndex(text)
			cur.kind, cur.name = "def", text[m[2]:m[3]]
			cur.params = s.params(ln.start + m[1] - 1)
		case classLineRE.MatchString(text):
			cur.kind, cur.name = "class", classLineRE.FindStringSubmatch(text)[1]
		default:
			cur.kind = "stmt"
		}
	}
	flush()
}

// params returns the parameter list of the def whose '(' is at open.
func (s *pyScan) params(open int) string {
	depth := 0
	for i := open; i < len(s.code); i++ {
		switch s.code[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
			if depth == 0 {
				return s.src[open+1 : i]
			}
		}
	}
	return s.src[open+1:]
}

func (s *pyScan) text(st pyStmt) string   { return s.src[st.start:st.end] }
func (s *pyScan) codeOf(st pyStmt) string { return s.code[st.start:st.end] }

// requiresArgs reports whether a parameter list has a parameter without a
// default value (other than *args/**kwargs).
func requiresArgs(params string) bool {
	code := scanPython(params).code
	depth, start := 0, 0
	var parts []string
	for i := 0; i < len(code); i++ {
		switch code[i] {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, code[start:i])
				start = i + 1
			}
		}
	}
	parts = append(parts, code[start:])
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" || p == "/" || strings.HasPrefix(p, "*") || strings.Contains(p, "=") {
			continue
		}
		return true
	}
	return false
}

// firstCodeIndented reports whether the first line holding code (not blank,
// not a comment) is indented.
func (s *pyScan) firstCodeIndented() bool {
	for _, ln := range s.lines {
		if ln.logical && !ln.blank && !ln.comment {
			return ln.indent > 0
		}
	}
	return false
}

// defs returns the top-level definitions of name, in order.
func (s *pyScan) defs(name string) []pyStmt {
	var out []pyStmt
	for _, st := range s.stmts {
		if st.kind == "def" && st.name == name {
			out = append(out, st)
		}
	}
	return out
}

// isStubOnly reports whether a def's body is only a docstring and/or pass.
func (s *pyScan) isStubOnly(st pyStmt) bool {
	if st.kind != "def" {
		return false
	}
	code := s.codeOf(st)
	i := strings.IndexByte(code, '\n')
	header := code
	if i >= 0 {
		header, code = code[:i], code[i+1:]
	} else {
		code = ""
	}
	// one-line "def f(): pass"
	if j := strings.LastIndex(header, ":"); j >= 0 {
		code = header[j+1:] + "\n" + code
	}
	for _, f := range strings.Fields(code) {
		switch {
		case f == "pass" || f == "...":
		case isBlankedString(f):
		default:
			return false
		}
	}
	return true
}

// isBlankedString reports whether f is a string literal with its contents
// blanked (only quote characters and optional prefix letters).
func isBlankedString(f string) bool {
	f = strings.TrimLeft(f, "rRuUbBfF")
	if f == "" {
		return false
	}
	for _, c := range f {
		if c != '"' && c != '\'' {
			return false
		}
	}
	return true
}

var identCallRE = regexp.MustCompile(`\b([A-Za-z_][A-Za-z0-9_]*)[ \t]*\(`)

// callsIn returns the names of the plain functions called in code (blanked
// source); method calls (x.f()) and definitions (def f() / class C()) do
// not count.
func callsIn(code string) map[string]bool {
	out := map[string]bool{}
	for _, m := range identCallRE.FindAllStringSubmatchIndex(code, -1) {
		name := code[m[2]:m[3]]
		if m[2] > 0 && code[m[2]-1] == '.' {
			continue
		}
		before := strings.TrimRight(code[:m[2]], " \t")
		if kw := lastWord(before); kw == "def" || kw == "class" {
			continue
		}
		out[name] = true
	}
	return out
}

// lastWord returns the identifier ending s, if any.
func lastWord(s string) string {
	i := len(s)
	for i > 0 && isIdentByte(s[i-1]) {
		i--
	}
	return s[i:]
}

func isIdentByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// reachableCode returns the blanked code that runs when the program runs:
// top-level statements other than definitions, plus the bodies of the
// functions and classes they (transitively) call, except the function
// named exclude.
func (s *pyScan) reachableCode(exclude string) string {
	var b strings.Builder
	bodies := map[string][]string{}
	for _, st := range s.stmts {
		switch st.kind {
		case "def", "class":
			bodies[st.name] = append(bodies[st.name], s.codeOf(st))
		default:
			b.WriteString(s.codeOf(st))
			b.WriteByte('\n')
		}
	}
	done := map[string]bool{exclude: true}
	for {
		added := false
		for name := range callsIn(b.String()) {
			if done[name] || bodies[name] == nil {
				continue
			}
			done[name] = true
			for _, body := range bodies[name] {
				// drop the header line so the definition itself does
				// not count as a call
				if i := strings.IndexByte(body, '\n'); i >= 0 {
					body = body[i+1:]
				} else {
					body = ""
				}
				b.WriteString(body)
				b.WriteByte('\n')
			}
			added = true
		}
		if !added {
			return b.String()
		}
	}
}

// calls reports whether running the program calls name.
func (s *pyScan) calls(name string) bool {
	return callsIn(s.reachableCode(name))[name]
}

var readsStdinRE = regexp.MustCompile(`\binput[ \t]*\(|\bstdin\.read(?:line|lines)?[ \t]*\(|\bopen[ \t]*\([ \t]*0\b|\bin[ \t]+(?:sys\.)?stdin\b|\bfileinput\b`)

// topLevelReadsStdin reports whether the code that runs at top level
// (excluding the function exclude) reads standard input.
func (s *pyScan) topLevelReadsStdin(exclude string) bool {
	return readsStdinRE.MatchString(s.reachableCode(exclude))
}
