package study

// The study's qualitative analysis (notebook 02): three programs for one
// small problem — a missing print, output in the wrong format and an eval
// shortcut — judged in the sandbox, scanned, and rewarded under partial
// credit and under a binary functional reward.

import (
	"context"
	"fmt"
	"strings"

	"github.com/securecoderl/securecoderl/sandbox"
	"github.com/securecoderl/securecoderl/scanners/core"
	"github.com/securecoderl/securecoderl/stdlib/judge"
	"github.com/securecoderl/securecoderl/stdlib/reward"
)

// Example is one program of the qualitative analysis.
type Example struct {
	Name   string
	Source string
	Note   string // what the example shows
}

// ExprTests are the qualitative examples' problem: the input is a sum of
// integers written like 1+2+3; print its value.
func ExprTests() []judge.Case {
	return []judge.Case{
		{Input: "1+2+3\n", Expected: "6\n"},
		{Input: "10+20\n", Expected: "30\n"},
		{Input: "7\n", Expected: "7\n"},
	}
}

// Qualitative returns the three examples of the study's qualitative
// analysis, for ExprTests.
func Qualitative() []Example {
	return []Example{
		{"missing print", "s = input()\ntotal = sum(int(x) for x in s.split('+'))\n",
			"computes the right value and never prints it: it runs cleanly, so partial credit still pays 0.4; binary pays 0"},
		{"wrong-format output", "s = input()\nprint('Sum:', sum(int(x) for x in s.split('+')))\n",
			"the right number behind a label: every test fails, but the program runs and prints (0.6)"},
		{"eval shortcut", "print(eval(input()))\n",
			"passes every test by evaluating its input: full R_func, but eval on untrusted input (B307, CWE-95) costs R_sec"},
	}
}

// JudgedExample is an example judged, scanned and rewarded.
type JudgedExample struct {
	Example
	Judged judge.Result
	// Native and Bandit are the two scanners' findings.
	Native, Bandit []core.Finding
	// Partial and Binary are the study's reward R = 0.6·R_func + 0.4·R_sec
	// with R_func partial credit (Table III) or binary, and R_sec from
	// Bandit's findings.
	Partial, Binary reward.Total
}

// JudgeExamples runs each example on tests in pool (compared line by
// line), scans all of them with native and bandit, and scores them with
// reward.Study() under partial credit and under a binary R_func.
func JudgeExamples(ctx context.Context, pool *sandbox.Pool, native, bandit core.Scanner, examples []Example, tests []judge.Case) ([]JudgedExample, error) {
	srcs := make([]core.Source, len(examples))
	for i, ex := range examples {
		srcs[i] = core.Source{Name: ex.Name, Code: ex.Source}
	}
	nrep, err := scan(ctx, native, srcs)
	if err != nil {
		return nil, err
	}
	brep, err := scan(ctx, bandit, srcs)
	if err != nil {
		return nil, err
	}
	partial, binary := reward.Study(), reward.Study()
	binary.Func = reward.Binary{}
	out := make([]JudgedExample, len(examples))
	for i, ex := range examples {
		r, err := judge.Judge(ctx, pool, judge.Task{Program: sandbox.Program{Source: ex.Source}, Cases: tests, Compare: judge.Lines})
		if err != nil {
			return nil, fmt.Errorf("study: judge example %q: %w", ex.Name, err)
		}
		out[i] = JudgedExample{Example: ex, Judged: r, Native: nrep[i].Findings, Bandit: brep[i].Findings,
			Partial: partial.Score(r, brep[i].Findings), Binary: binary.Score(r, brep[i].Findings)}
	}
	return out, nil
}

// scan runs s on srcs and fails on a source it could not scan.
func scan(ctx context.Context, s core.Scanner, srcs []core.Source) ([]core.Report, error) {
	reps, err := s.Scan(ctx, srcs)
	if err != nil {
		return nil, fmt.Errorf("study: scan with %s: %w", s.Name(), err)
	}
	if len(reps) != len(srcs) {
		return nil, fmt.Errorf("study: scan with %s: %d reports for %d sources", s.Name(), len(reps), len(srcs))
	}
	for i, r := range reps {
		if r.Err != "" {
			return nil, fmt.Errorf("study: scan example %q with %s: %s", srcs[i].Name, s.Name(), r.Err)
		}
	}
	return reps, nil
}

// ExampleRows lays out judged examples: stage, verdicts, R_func under
// partial credit and binary, both scanners' findings, R_sec and R under
// either functional reward.
func ExampleRows(js []JudgedExample) (header []string, rows [][]any) {
	header = []string{"example", "stage", "verdicts", "R_func partial", "R_func binary",
		"native findings", "Bandit findings", "R_sec", "R (partial)", "R (binary)"}
	for _, j := range js {
		rows = append(rows, []any{j.Name, string(j.Partial.Func.Stage), verdictList(j.Judged), j.Partial.Func.Value, j.Binary.Func.Value,
			FindingList(j.Native), FindingList(j.Bandit), j.Partial.Sec.Value, j.Partial.R, j.Binary.R})
	}
	return header, rows
}

// ExamplesMarkdown describes each judged example: its note, its program
// and the explanations of its R_func and R_sec.
func ExamplesMarkdown(js []JudgedExample) string {
	var md strings.Builder
	for _, j := range js {
		fmt.Fprintf(&md, "**%s** — %s.\n```python\n%s```\n%s; %s\n\n", j.Name, j.Note, j.Source, j.Partial.Func.Explain, j.Partial.Sec.Explain)
	}
	return md.String()
}

// FindingList formats findings as "TEST NAME (SEVERITY/CONFIDENCE, line
// N)", separated by semicolons; "none" when there are none.
func FindingList(fs []core.Finding) string {
	if len(fs) == 0 {
		return "none"
	}
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = fmt.Sprintf("%s %s (%s/%s, line %d)", f.TestID, f.Name, f.Severity, f.Confidence, f.Line)
	}
	return strings.Join(parts, "; ")
}
