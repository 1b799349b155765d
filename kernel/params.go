package kernel

import (
	"fmt"
	"go/parser"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Param is one NAME=VALUE override of a notebook parameter.
type Param struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// ParseParam parses "NAME=VALUE".
func ParseParam(s string) (Param, error) {
	name, value, ok := strings.Cut(s, "=")
	name = strings.TrimSpace(name)
	if !ok || !identRE.MatchString(name) {
		return Param{}, fmt.Errorf("parameter %q: want NAME=VALUE with NAME a Go identifier", s)
	}
	return Param{Name: name, Value: value}, nil
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// assignRE matches one parameter assignment: "smoke = false",
// "var limit int = 40", "dataDir := \"\"" (inside or outside a var block).
var assignRE = regexp.MustCompile(`^(\s*(?:(?:var|const)\s+)?)([A-Za-z_][A-Za-z0-9_]*)(\s+[^=:\s/][^=:/]*?)?(\s*:?=\s*)(.*)$`)

// paramLine is one assignment found in a parameters cell.
type paramLine struct {
	line    int
	prefix  string // indentation, "var ", name, type and " = "
	value   string
	comment string // trailing whitespace and comment
}

// scanParams finds the assignments of a parameters cell, first one per name.
func scanParams(src string) (lines []string, found map[string]paramLine) {
	lines = strings.Split(src, "\n")
	found = map[string]paramLine{}
	for i, l := range lines {
		m := assignRE.FindStringSubmatch(l)
		if m == nil || strings.HasPrefix(m[5], "=") {
			continue
		}
		name := m[2]
		if _, dup := found[name]; dup || name == "var" || name == "const" {
			continue
		}
		value, comment := splitComment(m[5])
		if value == "" {
			continue
		}
		found[name] = paramLine{line: i, prefix: m[1] + m[2] + m[3] + m[4], value: value, comment: comment}
	}
	return lines, found
}

// ParamsOf lists the parameters assigned in a parameters cell's source and
// their current values (as Go source).
func ParamsOf(src string) map[string]string {
	_, found := scanParams(src)
	out := make(map[string]string, len(found))
	for k, p := range found {
		out[k] = p.value
	}
	return out
}

// RewriteParams sets the parameters in a parameters cell's Go source: each
// "NAME = VALUE" assignment (in a var block, a var declaration or a :=)
// gets the new value, formatted after the old one: a string parameter takes
// any text (quoted unless already a Go string literal), a bool true or
// false, an int or float a number of that kind; any other parameter takes a
// Go expression. Comments on the line are kept. A name not assigned in the
// cell is an error naming it and the parameters that exist.
func RewriteParams(src string, params []Param) (string, error) {
	lines, found := scanParams(src)
	for _, p := range params {
		pl, ok := found[p.Name]
		if !ok {
			names := make([]string, 0, len(found))
			for k := range found {
				names = append(names, k)
			}
			sort.Strings(names)
			return "", fmt.Errorf("parameter %q is not in the parameters cell (it sets: %s)", p.Name, strings.Join(names, ", "))
		}
		v, err := goValue(p.Name, pl.value, p.Value)
		if err != nil {
			return "", err
		}
		pl.value = v
		found[p.Name] = pl
		lines[pl.line] = pl.prefix + v + pl.comment
	}
	return strings.Join(lines, "\n"), nil
}

// splitComment separates a value from a trailing // or /* comment, minding
// string and rune literals.
func splitComment(s string) (value, comment string) {
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote == '`':
			if c == '`' {
				quote = 0
			}
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '`' || c == '\'':
			quote = c
		case c == '/' && i+1 < len(s) && (s[i+1] == '/' || s[i+1] == '*'):
			v := strings.TrimRight(s[:i], " \t")
			return v, s[len(v):]
		}
	}
	v := strings.TrimRight(s, " \t;")
	return v, s[len(v):]
}

// goValue formats v as a Go value of the kind of old.
func goValue(name, old, v string) (string, error) {
	switch {
	case strings.HasPrefix(old, `"`) || strings.HasPrefix(old, "`"):
		if len(v) >= 2 && (v[0] == '"' || v[0] == '`') {
			if _, err := strconv.Unquote(v); err == nil {
				return v, nil
			}
		}
		return strconv.Quote(v), nil
	case old == "true" || old == "false":
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			return "", fmt.Errorf("parameter %q: want true or false, got %q", name, v)
		}
		return strconv.FormatBool(b), nil
	case isInt(old):
		v = strings.TrimSpace(v)
		if !isInt(v) {
			return "", fmt.Errorf("parameter %q: want an integer, got %q", name, v)
		}
		return v, nil
	case isFloat(old):
		v = strings.TrimSpace(v)
		if !isFloat(v) && !isInt(v) {
			return "", fmt.Errorf("parameter %q: want a number, got %q", name, v)
		}
		return v, nil
	}
	v = strings.TrimSpace(v)
	if _, err := parser.ParseExpr(v); err != nil {
		return "", fmt.Errorf("parameter %q: %q is not a Go expression (the cell has %s)", name, v, old)
	}
	return v, nil
}

func isInt(s string) bool {
	_, err := strconv.ParseInt(s, 0, 64)
	return err == nil
}

func isFloat(s string) bool {
	if _, err := strconv.ParseFloat(s, 64); err != nil {
		return false
	}
	return strings.ContainsAny(s, ".eE") && !strings.HasPrefix(s, "0x")
}
