package apps

import (
	"regexp"
	"strings"
)

// Compaction says what CompactStatement kept of a statement.
type Compaction struct {
	// Original and Result are the lengths in bytes.
	Original, Result int
	// HasInput and HasOutput: the statement has an Input / Output section
	// (a "-----Input-----" header, or a line that is just "Input" or
	// "Input:" before the examples); KeptInput and KeptOutput: the result
	// holds them whole.
	HasInput, HasOutput   bool
	KeptInput, KeptOutput bool
	// Examples is the number of worked examples kept of ExamplesIn.
	Examples, ExamplesIn int
	// StoryCut: the story (the text before the first section) was
	// shortened; Dropped lists the other sections left out (Note, …).
	StoryCut bool
	Dropped  []string
	// OverBudget: even the Input and Output sections with one example do
	// not fit; they are kept whole anyway.
	OverBudget bool
}

// section is a part of a statement: the story (Name ""), or a header line
// and its body.
type section struct {
	Name string // lower-case header name: "input", "output", "examples", "note", …
	Text string // the header line(s) and body, as in the statement
}

var plainHeader = regexp.MustCompile(`(?i)^\s*(input|output|examples?|notes?|constraints|interaction|scoring)\s*:?\s*$`)

// splitSections cuts a statement at its section headers: dashed
// ("-----Input-----") or, when it has none, plain header lines ("Input",
// "Output:", …).
func splitSections(statement string) []section {
	lines := strings.SplitAfter(statement, "\n")
	dashed := false
	for _, l := range lines {
		if sectionHeader.MatchString(strings.TrimRight(l, "\r\n")) {
			dashed = true
			break
		}
	}
	var out []section
	cur := section{}
	for _, l := range lines {
		bare := strings.TrimRight(l, "\r\n")
		name := ""
		if dashed {
			if m := sectionHeader.FindStringSubmatch(bare); m != nil {
				name = strings.ToLower(strings.TrimSpace(m[1]))
			}
		} else if m := plainHeader.FindStringSubmatch(bare); m != nil {
			name = strings.ToLower(m[1])
			// Plain "Input"/"Output" lines also open worked examples; once
			// both sections were seen, later ones belong to the examples.
			if seen(out, cur, "input") && seen(out, cur, "output") && (name == "input" || name == "output") {
				name = ""
			}
		}
		if name != "" {
			out = append(out, cur)
			cur = section{Name: name}
		}
		cur.Text += l
	}
	return append(out, cur)
}

func seen(done []section, cur section, name string) bool {
	if cur.Name == name {
		return true
	}
	for _, s := range done {
		if s.Name == name {
			return true
		}
	}
	return false
}

func isExamples(name string) bool {
	return strings.HasPrefix(name, "example") || strings.HasPrefix(name, "sample")
}

// CompactStatement fits a statement into budget bytes without hiding the
// task's specification: the Input, Output and Examples sections are kept
// whole, other sections (Note, Scoring, …) are dropped first, then the
// story is shortened at a sentence or line boundary (ending "…"), then
// examples after the first are dropped. Input and Output are never cut:
// when they alone exceed the budget the result is over it (Compaction
// says so). A statement within budget, or budget <= 0, is returned as is.
func CompactStatement(statement string, budget int) (string, Compaction) {
	secs := splitSections(statement)
	c := Compaction{Original: len(statement)}
	for _, s := range secs {
		switch {
		case s.Name == "input":
			c.HasInput = true
		case s.Name == "output":
			c.HasOutput = true
		case isExamples(s.Name):
			c.ExamplesIn += len(StatementExamples(s.Text))
		}
	}
	c.ExamplesIn = max(c.ExamplesIn, len(StatementExamples(statement)))
	done := func(text string) (string, Compaction) {
		c.Result = len(text)
		for _, s := range splitSections(text) {
			switch s.Name {
			case "input":
				c.KeptInput = c.HasInput
			case "output":
				c.KeptOutput = c.HasOutput
			}
		}
		c.Examples = len(StatementExamples(text))
		return text, c
	}
	if budget <= 0 || len(statement) <= budget {
		return done(statement)
	}
	// Keep the specification; drop the rest.
	var story string
	var kept []section
	for i, s := range secs {
		switch {
		case i == 0 && s.Name == "":
			story = s.Text
		case s.Name == "input" || s.Name == "output" || isExamples(s.Name):
			kept = append(kept, s)
		default:
			c.Dropped = append(c.Dropped, s.Name)
		}
	}
	spec := ""
	for _, s := range kept {
		spec += s.Text
	}
	if len(story)+len(spec) <= budget {
		return done(strings.TrimRight(story+spec, "\n") + "\n")
	}
	// Shorten the story to what is left.
	room := budget - len(spec) - len("…\n\n")
	if room < 0 {
		// Only the first example.
		for i, s := range kept {
			if isExamples(s.Name) {
				kept[i].Text = firstExample(s.Text)
			}
		}
		spec = ""
		for _, s := range kept {
			spec += s.Text
		}
		room = budget - len(spec) - len("…\n\n")
	}
	short := shortenStory(story, room)
	c.StoryCut = short != strings.TrimRight(story, "\n")
	text := short
	if c.StoryCut {
		text += "…"
	}
	text = strings.TrimRight(text, "\n") + "\n\n" + spec
	if len(text) > budget {
		c.OverBudget = true
	}
	return done(strings.TrimRight(text, "\n") + "\n")
}

// shortenStory keeps the longest prefix of story within room bytes that
// ends at a sentence end or a line break (a word boundary as a last
// resort); room < 1 keeps nothing.
func shortenStory(story string, room int) string {
	story = strings.TrimRight(story, " \n")
	if room <= 0 {
		return ""
	}
	if len(story) <= room {
		return story
	}
	cut := story[:room]
	best := -1
	for i := len(cut) - 1; i > 0; i-- {
		if cut[i] == '\n' || (cut[i] == ' ' && strings.ContainsRune(".!?", rune(cut[i-1]))) {
			best = i
			break
		}
	}
	if best < room/3 {
		if i := strings.LastIndexByte(cut, ' '); i > 0 {
			best = i
		}
	}
	if best <= 0 {
		return ""
	}
	return strings.TrimRight(cut[:best], " \n")
}

// firstExample keeps an Examples section up to the end of its first
// output block.
func firstExample(text string) string {
	lines := strings.SplitAfter(text, "\n")
	inputs := 0
	for i, l := range lines {
		if exampleInput.MatchString(strings.TrimRight(l, "\r\n")) {
			inputs++
			if inputs == 2 {
				return strings.Join(lines[:i], "")
			}
		}
	}
	return text
}
