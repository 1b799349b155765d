package apps

import (
	"strings"
)

// Kind says how a problem's tests are run.
type Kind string

const (
	// KindStdin problems read their input from standard input and are
	// judged on standard output.
	KindStdin Kind = "stdin"
	// KindCall problems are judged by calling FnName with JSON arguments and
	// comparing the JSON return value.
	KindCall Kind = "call"
)

// Normalised difficulty levels. Values outside this set are kept as they
// appear in the data (trimmed of surrounding space).
const (
	DifficultyIntroductory = "introductory"
	DifficultyInterview    = "interview"
	DifficultyCompetition  = "competition"
)

// Test is one test case.
//
// For stdin problems Input is the text fed to standard input and Expected the
// expected standard output (compare with [MatchOutput]). For call-based
// problems (Call true) Input is the compact raw JSON of the argument list and
// Expected the compact raw JSON of the expected return value, exactly as they
// appear in the data (APPS sometimes wraps return values in a one-element
// list; that is left to the judge).
type Test struct {
	Input    string `json:"input"`
	Expected string `json:"expected"`
	Call     bool   `json:"call,omitempty"`
}

// Problem is one APPS or APPS+ problem.
type Problem struct {
	// ID is the APPS problem_id as a string; for APPS+ the id, problem_id or
	// task_id field, or "apps_plus_<index>" when the record has none. IDs
	// are not guaranteed unique within a file (see LoadReport.Duplicates).
	ID string `json:"id"`
	// Statement is the problem text (APPS question; APPS+ question, or
	// prompt when there is no question).
	Statement string `json:"statement"`
	// Prompt is the APPS+ prompt field when the record has both question and
	// prompt; empty otherwise.
	Prompt string `json:"prompt,omitempty"`
	// Difficulty is introductory, interview or competition; other values
	// are kept as found, "" when the record has none.
	Difficulty  string `json:"difficulty"`
	StarterCode string `json:"starter_code,omitempty"`
	// URL is the APPS url field.
	URL  string `json:"url,omitempty"`
	Kind Kind   `json:"kind"`
	// FnName is the function called by call-based tests; empty for stdin
	// problems.
	FnName string `json:"fn_name,omitempty"`
	// Stub is the zero-argument "def NAME():" stub of an APPS+ stdin
	// problem (with its docstring), as found in the record or rebuilt from
	// its fn_name with MakeStub. Empty for APPS problems.
	Stub      string   `json:"stub,omitempty"`
	Tests     []Test   `json:"tests"`
	Solutions []string `json:"solutions,omitempty"`
	// Family, Tier, Split and Tempting are the fields of the synthetic
	// problem family (stdlib/apps/synth), read from any APPS row that has
	// them; empty for APPS. InsecureSolutions are a tempting problem's
	// insecure references (they pass every test, and a scanner flags them).
	Family            string   `json:"family,omitempty"`
	Tier              int      `json:"tier,omitempty"`
	Split             string   `json:"split,omitempty"`
	Tempting          bool     `json:"tempting,omitempty"`
	InsecureSolutions []string `json:"insecure_solutions,omitempty"`
	// Source is the file (or URL, or "embedded:default.jsonl") the problem
	// was read from, Index its record index there: the 0-based line number
	// for JSON Lines, the 0-based element index for a JSON array.
	Source string `json:"source"`
	Index  int    `json:"index"`
}

// NormalizeDifficulty maps the spellings found in APPS-like data
// ("Introductory", "intro", " interview ", "comp", ...) onto the three APPS
// levels. Unknown values are returned trimmed but otherwise unchanged.
func NormalizeDifficulty(s string) string {
	t := strings.TrimSpace(s)
	switch strings.ToLower(t) {
	case "introductory", "intro":
		return DifficultyIntroductory
	case "interview":
		return DifficultyInterview
	case "competition", "comp":
		return DifficultyCompetition
	}
	return t
}

// MatchOutput reports whether got matches the expected standard output the
// way the APPS judge compares them: line by line with trailing whitespace
// ignored, and trailing empty lines ignored ("\r\n" counts as "\n").
func MatchOutput(expected, got string) bool {
	e, g := outputLines(expected), outputLines(got)
	if len(e) != len(g) {
		return false
	}
	for i := range e {
		if e[i] != g[i] {
			return false
		}
	}
	return true
}

func outputLines(s string) []string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r\f\v")
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}
