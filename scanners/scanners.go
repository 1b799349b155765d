// Package scanners is SecureCodeRL's security scanning layer: it turns a
// model-written Python program into Bandit-style findings, from which the
// reward package computes the security reward (see CWE and Weight).
//
// Three scanners share one interface (Scanner) and one Finding type:
//
//   - "bandit": the real Bandit 1.6.2 (Debian) run in long-lived python
//     worker processes, with a per-file CLI fallback (package
//     scanners/bandit);
//   - "native": a pure-Go + tree-sitter reimplementation of the Bandit
//     rules with upstream (1.7.5+/1.8) definitions, about two orders of
//     magnitude faster (package scanners/native);
//   - "regex": the study's line-based heuristic, without its input()
//     false positive (package scanners/regex).
//
// Build one with New. The corpus under testdata/corpus, Agreement and
// Bench measure how the scanners agree with hand-written expectations and
// with each other, and how fast they are.
package scanners

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/securecoderl/securecoderl/scanners/bandit"
	"github.com/securecoderl/securecoderl/scanners/core"
	"github.com/securecoderl/securecoderl/scanners/native"
	"github.com/securecoderl/securecoderl/scanners/regex"
)

// Shared types, defined in scanners/core so the implementations can use
// them without an import cycle.
type (
	// Finding is one issue, shaped after a Bandit issue.
	Finding = core.Finding
	// Level is a severity or confidence rank.
	Level = core.Level
	// Source is one program to scan.
	Source = core.Source
	// Report is the result for one Source.
	Report = core.Report
	// Scanner scans sources.
	Scanner = core.Scanner
	// Options configures New.
	Options = core.Options
	// Rule is one row of the test id → CWE → weight table.
	Rule = core.Rule
)

// Severity and confidence ranks.
const (
	Undefined = core.Undefined
	Low       = core.Low
	Medium    = core.Medium
	High      = core.High
)

// CWE returns the CWE id for a Bandit test id (0 when unknown).
func CWE(testID string) int { return core.CWE(testID) }

// Weight returns the reward weight in [0.2, 1.0] of a Bandit test id.
func Weight(testID string) float64 { return core.Weight(testID) }

// Rules returns the rule table sorted by test id.
func Rules() []Rule { return core.Rules() }

// Names lists the scanners New can build.
func Names() []string { return []string{"bandit", "native", "regex"} }

// New builds the named scanner ("bandit", "native" or "regex"). Scanners
// that hold resources (bandit's worker processes, native's parser pool)
// implement io.Closer; release them with Close.
func New(name string, opts Options) (Scanner, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "bandit":
		return bandit.New(opts), nil
	case "native":
		return native.New(opts)
	case "regex":
		return regex.New(opts), nil
	}
	names := Names()
	sort.Strings(names)
	return nil, fmt.Errorf("scanners: unknown scanner %q (valid: %s)", name, strings.Join(names, ", "))
}

// Close releases a scanner's resources if it holds any.
func Close(s Scanner) error {
	if c, ok := s.(io.Closer); ok {
		return c.Close()
	}
	return nil
}
