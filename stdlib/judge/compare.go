// Package judge compares program outputs with expected outputs and turns the
// sandbox's per-test results into a judged program: k of T tests passed, the
// first failure and the failure-taxonomy bucket of the study's Table II.
package judge

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Preset names a comparison rule.
type Preset string

// The comparison presets.
const (
	// Exact: byte-for-byte.
	Exact Preset = "exact"
	// Strip: whole output stripped of leading/trailing whitespace (the study's
	// training and evaluation rule).
	Strip Preset = "strip"
	// Lines: per-line trailing whitespace and trailing blank lines ignored
	// (the study's benchmark rule and LiveCodeBench's). The default.
	Lines Preset = "lines"
	// Float: Lines, plus numeric tokens equal within 1e-6 absolute or relative.
	Float Preset = "float"
	// APPS: the original APPS checker's lenient cascade (see Compare).
	APPS Preset = "apps"
)

// Presets lists every preset.
var Presets = []Preset{Exact, Strip, Lines, Float, APPS}

// ParsePreset validates a preset name ("" means Lines).
func ParsePreset(s string) (Preset, error) {
	if s == "" {
		return Lines, nil
	}
	for _, p := range Presets {
		if string(p) == s {
			return p, nil
		}
	}
	names := make([]string, len(Presets))
	for i, p := range Presets {
		names[i] = string(p)
	}
	return "", fmt.Errorf("unknown comparison %q (valid: %s)", s, strings.Join(names, ", "))
}

// Comparator returns the comparison function of a preset for stdin/stdout
// problems.
func (p Preset) Comparator() func(got, want string) bool {
	return func(got, want string) bool { return Compare(p, got, want) }
}

// Compare applies a preset to stdin/stdout output.
//
// The APPS cascade accepts the output when any of these holds (as the
// original checker's sequence of attempts does): Lines equality; equality of
// the whitespace-separated tokens; equality of the tokens where numbers are
// compared with numpy.allclose's tolerances (rtol 1e-5, atol 1e-8); equality of
// the sets of stripped non-empty lines; equality of the lines as sets of
// tokens.
func Compare(p Preset, got, want string) bool {
	switch p {
	case Exact:
		return got == want
	case Strip:
		return strings.TrimSpace(got) == strings.TrimSpace(want)
	case Float:
		g, w := normLines(got), normLines(want)
		if len(g) != len(w) {
			return false
		}
		for i := range g {
			if !tokensEqual(strings.Fields(g[i]), strings.Fields(w[i]), 1e-6, 1e-6) {
				return false
			}
		}
		return true
	case APPS:
		if equalLines(got, want) {
			return true
		}
		gt, wt := strings.Fields(got), strings.Fields(want)
		if tokensEqual(gt, wt, 0, 0) || tokensEqual(gt, wt, 1e-5, 1e-8) {
			return true
		}
		if equalSets(lineSet(got), lineSet(want)) {
			return true
		}
		return equalSets(tokenLineSet(got), tokenLineSet(want))
	default: // Lines
		return equalLines(got, want)
	}
}

func normLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	ls := strings.Split(s, "\n")
	for i, l := range ls {
		ls[i] = strings.TrimRight(l, " \t\r\v\f")
	}
	for len(ls) > 0 && ls[len(ls)-1] == "" {
		ls = ls[:len(ls)-1]
	}
	return ls
}

func equalLines(a, b string) bool {
	x, y := normLines(a), normLines(b)
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

// tokensEqual compares token lists; with rtol/atol > 0, numeric tokens are
// compared as floats: |a-b| <= atol + rtol*|b| (numpy.isclose) or, for the
// Float preset (rtol == atol), within the tolerance absolute or relative.
func tokensEqual(g, w []string, rtol, atol float64) bool {
	if len(g) != len(w) {
		return false
	}
	for i := range g {
		if g[i] == w[i] {
			continue
		}
		if rtol == 0 && atol == 0 {
			return false
		}
		a, err1 := strconv.ParseFloat(g[i], 64)
		b, err2 := strconv.ParseFloat(w[i], 64)
		if err1 != nil || err2 != nil || math.IsNaN(a) || math.IsNaN(b) {
			return false
		}
		d := math.Abs(a - b)
		if rtol == atol {
			if d > atol && d > rtol*math.Abs(b) {
				return false
			}
		} else if d > atol+rtol*math.Abs(b) {
			return false
		}
	}
	return true
}

func lineSet(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return dedupe(out)
}

func tokenLineSet(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		f = dedupe(f)
		out = append(out, strings.Join(f, " "))
	}
	return dedupe(out)
}

func dedupe(xs []string) []string {
	sort.Strings(xs)
	out := xs[:0]
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}

func equalSets(a, b []string) bool {
	if len(a) != len(b) || len(a) == 0 {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// CompareCall compares a call-based problem's return value (JSON) with the
// expected one (JSON), as the APPS checker does: tuples are lists, numbers
// compare by value, and an expected value wrapped in a one-level list also
// matches its first element.
func CompareCall(got, want string) bool {
	var g, w any
	if json.Unmarshal([]byte(got), &g) != nil || json.Unmarshal([]byte(want), &w) != nil {
		return strings.TrimSpace(got) == strings.TrimSpace(want)
	}
	if jsonEqual(g, w) {
		return true
	}
	if wl, ok := w.([]any); ok && len(wl) > 0 {
		return jsonEqual(g, wl[0])
	}
	return false
}

func jsonEqual(a, b any) bool {
	switch x := a.(type) {
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if !jsonEqual(v, y[k]) {
				return false
			}
		}
		return true
	case float64:
		switch y := b.(type) {
		case float64:
			return x == y
		case bool: // Python: True == 1
			return (x == 1 && y) || (x == 0 && !y)
		}
		return false
	case bool:
		switch y := b.(type) {
		case bool:
			return x == y
		case float64:
			return (y == 1 && x) || (y == 0 && !x)
		}
		return false
	default:
		return a == b
	}
}
