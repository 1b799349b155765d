package apps

import (
	"fmt"
	"regexp"
	"strings"
)

// Extractor names a way of turning a raw completion into a program.
type Extractor string

const (
	// ExtractorRaw uses the completion unchanged.
	ExtractorRaw Extractor = "raw"
	// ExtractorFenced takes the first ```python (or untagged ```) fenced
	// block if there is one, else the whole text.
	ExtractorFenced Extractor = "fenced"
	// ExtractorStub completes a "def NAME():" stub prompt: when the
	// completion continues the function body (its first code line is
	// indented) or does not define NAME, the stub from the prompt is
	// prepended; comment lines before the completion's own "def NAME():"
	// are dropped; and NAME() is appended when the program never calls it
	// (unless NAME needs arguments, or top-level code already reads stdin).
	ExtractorStub Extractor = "stub"
	// ExtractorAuto strips code fences, then cuts the text, after the
	// first real code, where the model starts repeating the prompt
	// template (a "# Task:" line followed by a "def NAME():" stub with a
	// docstring, a "# Write a Python program to solve this:" line, or an
	// "### Instruction:"/"### Response:" header), then applies the stub
	// logic, cutting on the way a tail that only repeats code written
	// before it (starting with a repeated def/class, a repeated
	// `if __name__ == "__main__":` block or a repeated NAME() call; the
	// last repeat may be truncated). Each cut is recorded in Notes.
	ExtractorAuto Extractor = "auto"
)

// Extractors returns the known extractors.
func Extractors() []Extractor {
	return []Extractor{ExtractorRaw, ExtractorFenced, ExtractorStub, ExtractorAuto}
}

// ParseExtractor returns the extractor with the given name; the error lists
// the valid names.
func ParseExtractor(name string) (Extractor, error) {
	var names []string
	for _, e := range Extractors() {
		if string(e) == name {
			return e, nil
		}
		names = append(names, string(e))
	}
	return "", fmt.Errorf("apps: unknown extractor %q (valid: %s)", name, strings.Join(names, ", "))
}

// Extraction is a program extracted from a completion, with the raw text
// and a note for every change made to it.
type Extraction struct {
	Raw       string   `json:"raw"`
	Program   string   `json:"program"`
	Extractor string   `json:"extractor"`
	Notes     []string `json:"notes,omitempty"`
}

// Extract turns completion, generated for prompt (the full prompt as sent,
// or just the stub; only its "def NAME():" stub matters), into a program.
func (e Extractor) Extract(prompt, completion string) (Extraction, error) {
	x := Extraction{Raw: completion, Extractor: string(e)}
	switch e {
	case ExtractorRaw:
		x.Program = completion
	case ExtractorFenced:
		x.Program = extractFenced(completion, &x.Notes)
	case ExtractorStub:
		x.Program = applyStub(prompt, completion, false, &x.Notes)
	case ExtractorAuto:
		text := extractFenced(completion, &x.Notes)
		text = cutTemplateRepeats(text, &x.Notes)
		x.Program = applyStub(prompt, text, true, &x.Notes)
	default:
		_, err := ParseExtractor(string(e))
		return x, err
	}
	return x, nil
}

var fenceLineRE = regexp.MustCompile("^[ \t]*```[ \t]*([^` \t\r\n]*)")

type fencedBlock struct {
	lang    string
	content string
	closed  bool
}

// extractFenced returns the first python/untagged fenced block of text, or
// text itself when there is none.
func extractFenced(text string, notes *[]string) string {
	lines := strings.SplitAfter(text, "\n")
	var blocks []fencedBlock
	for i := 0; i < len(lines); i++ {
		m := fenceLineRE.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		b := fencedBlock{lang: strings.ToLower(m[1])}
		var body strings.Builder
		j := i + 1
		for ; j < len(lines); j++ {
			if t := strings.TrimSpace(lines[j]); strings.HasPrefix(t, "```") && strings.Trim(t, "`") == "" {
				b.closed = true
				break
			}
			body.WriteString(lines[j])
		}
		b.content = body.String()
		blocks = append(blocks, b)
		i = j
	}
	if len(blocks) == 0 {
		return text
	}
	for k, b := range blocks {
		switch b.lang {
		case "python", "py", "python3", "py3", "":
			tag := "```" + b.lang
			*notes = append(*notes, fmt.Sprintf("fenced: took %s block %d of %d", tag, k+1, len(blocks)))
			if !b.closed {
				*notes = append(*notes, "fenced: the block is not closed (truncated completion?)")
			}
			return b.content
		}
	}
	*notes = append(*notes, fmt.Sprintf("fenced: none of the %d fenced blocks is python or untagged; kept the whole text", len(blocks)))
	return text
}

var (
	writeMarkerRE = regexp.MustCompile(`^#[ \t]*Write a Python program to solve this:?[ \t]*$`)
	instrMarkerRE = regexp.MustCompile(`^###[ \t]*(?:Instruction|Response)[ \t]*:`)
	taskMarkerRE  = regexp.MustCompile(`^#[ \t]*Task:`)
	docStartRE    = regexp.MustCompile(`^[ \t]+[rRuU]?(?:"""|''')`)
)

// cutTemplateRepeats cuts text at the first line, after some real code,
// where the model starts over with the prompt template.
func cutTemplateRepeats(text string, notes *[]string) string {
	sc := scanPython(text)
	stmt := 0
	seenCode := false
	for k, ln := range sc.lines {
		for stmt < len(sc.stmts) && sc.stmts[stmt].firstLine < k {
			if !sc.isStubOnly(sc.stmts[stmt]) {
				seenCode = true
			}
			stmt++
		}
		if !seenCode || !ln.comment || ln.indent != 0 {
			continue
		}
		line := text[ln.start:ln.end]
		what := ""
		switch {
		case writeMarkerRE.MatchString(line):
			what = "a repeated \"# Write a Python program to solve this:\" line"
		case instrMarkerRE.MatchString(line):
			what = "a repeated instruction/response header"
		case taskMarkerRE.MatchString(line) && followedByStub(text, sc, k):
			what = "a repeated \"# Task:\" prompt"
		default:
			continue
		}
		*notes = append(*notes, fmt.Sprintf("auto: cut %d bytes from line %d (%s)", len(text)-ln.start, k+1, what))
		return strings.TrimRight(text[:ln.start], " \t\r\n") + "\n"
	}
	return text
}

// followedByStub reports whether line k is followed (after blank lines) by
// a zero-argument def whose body starts with a docstring.
func followedByStub(text string, sc *pyScan, k int) bool {
	var next []string
	for _, ln := range sc.lines[k+1:] {
		if ln.blank {
			continue
		}
		next = append(next, text[ln.start:ln.end])
		if len(next) == 2 {
			break
		}
	}
	return len(next) == 2 && zeroArgDefRE.MatchString(next[0]) && docStartRE.MatchString(next[1])
}

// findStub returns the first zero-argument "def NAME():" definition in the
// prompt.
func findStub(prompt string) (name, stub string) {
	m := zeroArgDefRE.FindStringSubmatchIndex(prompt)
	if m == nil {
		return "", ""
	}
	name = prompt[m[2]:m[3]]
	return name, findZeroArgStub(prompt[m[0]:], name)
}

// applyStub is the stub logic shared by ExtractorStub and ExtractorAuto.
func applyStub(prompt, text string, cutRepeats bool, notes *[]string) string {
	name, stub := findStub(prompt)
	if name == "" {
		if scanPython(text).firstCodeIndented() {
			*notes = append(*notes, "stub: the completion starts indented but the prompt has no \"def NAME():\" stub; left unchanged")
		}
		return text
	}
	sc := scanPython(text)
	defs := sc.defs(name)
	prog := text
	switch {
	case strings.TrimSpace(text) == "":
		*notes = append(*notes, "stub: empty completion; the program is the stub")
		prog = stub
	case sc.firstCodeIndented():
		*notes = append(*notes, "stub: the completion continues the function body; prepended the stub")
		prog = stub + text
	case len(defs) == 0:
		*notes = append(*notes, fmt.Sprintf("stub: the completion does not define %s; prepended the stub", name))
		prog = stub + "\n" + text
	case sc.stmts[0].start == defs[0].start && defs[0].start > 0:
		// only comments and blank lines before the completion's own stub
		// (e.g. the "# Task:" line of the echoed prompt)
		*notes = append(*notes, fmt.Sprintf("stub: dropped %d line(s) of comments before def %s()", sc.stmts[0].firstLine, name))
		prog = text[defs[0].start:]
	}
	if cutRepeats {
		prog = cutRepeatedTail(prog, name, notes)
	}
	return ensureCall(prog, name, notes)
}

// cutRepeatedTail drops the tail of prog when it only repeats top-level
// definitions and statements written before it (the last one possibly
// truncated), starting with a repeated def or class, a repeated
// `if __name__ == "__main__":` block or a repeated call of the stub
// function name (running a stdin solution twice is never right).
func cutRepeatedTail(prog, name string, notes *[]string) string {
	sc := scanPython(prog)
	n := len(sc.stmts)
	if n < 2 {
		return prog
	}
	norm := make([]string, n)
	for i, st := range sc.stmts {
		norm[i] = normalizeStmt(sc.text(st))
	}
	var callRE *regexp.Regexp // a bare call of the stub function
	if name != "" {
		callRE = regexp.MustCompile(`^` + regexp.QuoteMeta(name) + `[ \t]*\([ \t]*\)$`)
	}
	repeats := func(m, k int) bool { // statement m repeats one before k
		for j := 0; j < k; j++ {
			if norm[j] == norm[m] || m == n-1 && strings.HasPrefix(norm[j], norm[m]) {
				return true
			}
		}
		return false
	}
	for k := 1; k < n; k++ {
		if !repeatStarter(sc.stmts[k], norm[k], callRE) {
			continue
		}
		ok := true
		for m := k; m < n && ok; m++ {
			ok = repeats(m, k)
		}
		if !ok {
			continue
		}
		cut := sc.stmts[k-1].end
		*notes = append(*notes, fmt.Sprintf("auto: cut %d repeated statement(s) from line %d (%d bytes): they only repeat earlier code", n-k, sc.stmts[k].firstLine+1, len(prog)-cut))
		return strings.TrimRight(prog[:cut], " \t\r\n") + "\n"
	}
	return prog
}

var mainGuardRE = regexp.MustCompile(`^if[ \t(]+__name__[ \t]*==[ \t]*['"]__main__['"]`)

// repeatStarter reports whether a repeated statement can start a junk tail.
func repeatStarter(st pyStmt, norm string, callRE *regexp.Regexp) bool {
	return st.kind == "def" || st.kind == "class" || mainGuardRE.MatchString(norm) ||
		callRE != nil && callRE.MatchString(norm)
}

func normalizeStmt(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// ensureCall appends "NAME()" to prog unless running prog already calls it,
// the last definition needs arguments, or top-level code reads stdin.
func ensureCall(prog, name string, notes *[]string) string {
	sc := scanPython(prog)
	if sc.unterminated {
		*notes = append(*notes, "the program ends inside a string or bracket (truncated completion?)")
	}
	if sc.calls(name) {
		return prog
	}
	defs := sc.defs(name)
	if len(defs) == 0 {
		*notes = append(*notes, fmt.Sprintf("stub: no top-level def %s(); call not appended", name))
		return prog
	}
	last := defs[len(defs)-1]
	if requiresArgs(last.params) {
		*notes = append(*notes, fmt.Sprintf("stub: the last def %s(%s) needs arguments; call not appended", name, strings.TrimSpace(last.params)))
		return prog
	}
	if sc.topLevelReadsStdin(name) {
		*notes = append(*notes, fmt.Sprintf("stub: %s() is never called but top-level code reads stdin; call not appended", name))
		return prog
	}
	*notes = append(*notes, fmt.Sprintf("stub: appended the call %s()", name))
	return strings.TrimRight(prog, " \t\r\n") + "\n\n" + name + "()\n"
}
