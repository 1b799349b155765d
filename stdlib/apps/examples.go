package apps

import (
	"regexp"
	"strings"
)

// exampleHeader matches the lines that open an example's input or output in
// APPS statements: "Input", "Sample Input", "Sample Input 1", "Example
// input:"… (case-insensitive, alone on their line).
var (
	exampleInput   = regexp.MustCompile(`(?i)^\s*(sample\s+|example\s+)?input(\s*\d+)?\s*:?\s*$`)
	exampleOutput  = regexp.MustCompile(`(?i)^\s*(sample\s+|example\s+)?output(\s*\d+)?\s*:?\s*$`)
	sectionHeader  = regexp.MustCompile(`^\s*-{3,}\s*([A-Za-z0-9 ]+?)\s*-{3,}\s*$`)
	docstringClose = regexp.MustCompile(`"""\s*$`)
)

// StatementExamples parses the worked examples of an APPS-style statement
// (the "-----Examples-----" section's Input/Output blocks, or "Sample
// Input"/"Sample Output" pairs anywhere) into stdin tests. It is how
// completions are scored when the hidden tests are not available. Inputs and
// outputs end with a newline; blocks are cut at the next header, so notes
// after the examples are not taken for output.
func StatementExamples(statement string) []Test {
	text := strings.ReplaceAll(statement, "\r\n", "\n")
	lines := strings.Split(text, "\n")
	start := 0
	for i, l := range lines {
		if m := sectionHeader.FindStringSubmatch(l); m != nil && strings.HasPrefix(strings.ToLower(m[1]), "example") {
			start = i + 1
			break
		}
	}
	var tests []Test
	var cur *Test
	mode := ""
	dashed := false
	var buf []string
	flush := func() {
		block := strings.TrimRight(strings.Join(buf, "\n"), " \t\n")
		block = strings.TrimLeft(block, "\n")
		if block != "" {
			block += "\n"
		}
		switch mode {
		case "in":
			cur = &Test{Input: block}
		case "out":
			if cur != nil {
				cur.Expected = block
				tests = append(tests, *cur)
				cur = nil
			}
		}
		buf = buf[:0]
	}
	for _, l := range lines[start:] {
		switch {
		case exampleInput.MatchString(l):
			flush()
			mode, dashed = "in", false
		case exampleOutput.MatchString(l):
			flush()
			mode, dashed = "out", false
		case dashedSample(l) != "":
			// AtCoder style: "-----Sample Input 1-----" ... "-----Sample Output 1-----";
			// an explanation may follow the output after a blank line.
			flush()
			mode = dashedSample(l)
			dashed = true
		case sectionHeader.MatchString(l) && mode != "":
			flush()
			mode = ""
		case dashed && mode == "out" && strings.TrimSpace(l) == "" && len(buf) > 0:
			flush()
			mode = ""
		default:
			if mode != "" {
				if docstringClose.MatchString(l) {
					buf = append(buf, docstringClose.ReplaceAllString(l, ""))
					flush()
					mode = ""
					continue
				}
				buf = append(buf, l)
			}
		}
	}
	flush()
	return tests
}

// dashedSample says whether l is a "-----Sample Input N-----" ("in") or
// "-----Sample Output N-----" ("out") header.
func dashedSample(l string) string {
	m := sectionHeader.FindStringSubmatch(l)
	if m == nil {
		return ""
	}
	switch h := strings.ToLower(strings.Join(strings.Fields(m[1]), " ")); {
	case strings.HasPrefix(h, "sample input"):
		return "in"
	case strings.HasPrefix(h, "sample output"):
		return "out"
	}
	return ""
}
