package apps

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestMatchOutput(t *testing.T) {
	tests := []struct {
		expected, got string
		want          bool
	}{
		{"3\n", "3\n", true},
		{"3\n", "3", true},
		{"3", "3\n\n\n", true},
		{"1 2 \n3\n", "1 2\n3   \n", true},
		{"a\r\nb\r\n", "a\nb\n", true},
		{"1\n2\n", "1\n3\n", false},
		{"1\n2\n", "1\n", false},
		{"1\n\n2\n", "1\n2\n", false},
		{" 1\n", "1\n", false},
		{"", "", true},
		{"", "\n", true},
	}
	for _, tt := range tests {
		if got := MatchOutput(tt.expected, tt.got); got != tt.want {
			t.Errorf("MatchOutput(%q, %q) = %v, want %v", tt.expected, tt.got, got, tt.want)
		}
	}
}

func TestNormalizeDifficulty(t *testing.T) {
	for in, want := range map[string]string{
		"introductory": "introductory", " Introductory ": "introductory", "intro": "introductory",
		"INTERVIEW": "interview", "competition": "competition", "comp": "competition",
		"Hard": "Hard", " easy ": "easy", "": "",
	} {
		if got := NormalizeDifficulty(in); got != want {
			t.Errorf("NormalizeDifficulty(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTemplates(t *testing.T) {
	stub := "\ndef f():\n    \"\"\"Do it.\n    \"\"\"\n"
	tests := []struct {
		name string
		tmpl Template
		want string
	}{
		{"instruction", TemplateInstruction, "### Instruction:\nComplete the following code:\n\n" + stub + "\n\n### Response:\n"},
		{"instruction_sft", TemplateInstructionSFT, "### Instruction:\nComplete the following Python code:\n\n" + stub + "\n\n### Response:\n"},
		{"plain", TemplatePlain, stub},
		{"task", TemplateTask, "# Task: " + stub + "\n# Write a Python program to solve this:\n\n"},
	}
	for _, tt := range tests {
		got, err := TemplateByName(tt.name)
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.tmpl || got.Format(stub) != tt.want || tt.tmpl.Format(stub) != tt.want {
			t.Errorf("%s: %q", tt.name, got.Format(stub))
		}
	}
	if len(Templates()) != len(tests) {
		t.Errorf("%d templates", len(Templates()))
	}
	_, err := TemplateByName("chatml")
	if err == nil || !strings.Contains(err.Error(), `"chatml"`) || !strings.Contains(err.Error(), "instruction, instruction_sft, plain, task") {
		t.Fatalf("err = %v", err)
	}
}

func TestStats(t *testing.T) {
	ps, _, err := LoadFile(context.Background(), "testdata/apps_rows.jsonl", Options{})
	if err != nil {
		t.Fatal(err)
	}
	ps = append(ps, Problem{ID: "x", Kind: KindStdin, Tests: make([]Test, 5)})
	got := Stats(ps)
	want := Summary{
		Problems:        5,
		ByKind:          map[string]int{"stdin": 4, "call": 1},
		ByDifficulty:    map[string]int{"introductory": 2, "interview": 1, "competition": 1, "unknown": 1},
		Tests:           2 + 2 + 2 + 1 + 5,
		TestsPerProblem: Distribution{Min: 1, Median: 2, Max: 5},
		WithSolutions:   2,
		Solutions:       2,
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Stats = %+v\nwant %+v", got, want)
	}
	b, err := json.Marshal(got)
	if err != nil || !strings.Contains(string(b), `"tests_per_problem":{"min":1,"median":2,"max":5}`) {
		t.Fatalf("json: %s %v", b, err)
	}
	if d := distribution([]int{4, 1, 3, 2}); d != (Distribution{Min: 1, Median: 2.5, Max: 4}) {
		t.Errorf("even median: %+v", d)
	}
	if s := Stats(nil); s.Problems != 0 || s.TestsPerProblem != (Distribution{}) {
		t.Errorf("empty: %+v", s)
	}
}

func TestMakeStub(t *testing.T) {
	got := MakeStub("vQzwx", "Andryusha likes socks.\n\n-----Input-----\n\nn")
	want := "\ndef vQzwx():\n    \"\"\"Andryusha likes socks.\n\n-----Input-----\n\nn\n    \"\"\"\n"
	if got != want {
		t.Fatalf("MakeStub = %q, want %q", got, want)
	}
	if StubName(Problem{Stub: got}) != "vQzwx" {
		t.Error("StubName does not read MakeStub's output")
	}
	needPython(t)
	// Statements that would break a naive docstring still compile.
	for _, stmt := range []string{
		`Use """triple quotes""" here`,
		`LaTeX: $1 \le n \le 10^5$, \underline{x}, \x1, \N, \U0001, \ at the end \`,
		`ends with a quote"`,
		`already escaped \\ and \n and \"`,
	} {
		prog := MakeStub("f", stmt) + "print(f.__doc__ is not None)\n"
		out, stderr, err := runPython(t, prog, "")
		if err != nil || strings.TrimSpace(out) != "True" {
			t.Errorf("statement %q: %v %s", stmt, err, stderr)
		}
	}
}

func TestRunnableCanonical(t *testing.T) {
	ps, _, err := LoadFile(context.Background(), "testdata/apps_plus_data.json", Options{})
	if err != nil {
		t.Fatal(err)
	}
	apps, _, err := LoadFile(context.Background(), "testdata/apps_rows.jsonl", Options{})
	if err != nil {
		t.Fatal(err)
	}
	// APPS+ stub body: call appended once.
	prog, err := RunnableCanonical(ps[0])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(prog, "\naBcDe()\n") || strings.Count(prog, "aBcDe()") != 2 {
		t.Errorf("stub solution: %q", prog)
	}
	// Indented body only: the stub is prepended.
	prog2, err := RunnableCanonical(ps[2])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(prog2, "def sQuArE():") || !strings.HasSuffix(prog2, "\nsQuArE()\n") {
		t.Errorf("body-only solution: %q", prog2)
	}
	// A plain program is unchanged.
	if prog3, err := RunnableCanonical(ps[3]); err != nil || prog3 != ps[3].Solutions[0] {
		t.Errorf("plain program: %q %v", prog3, err)
	}
	if prog4, err := RunnableCanonical(apps[0]); err != nil || prog4 != apps[0].Solutions[0] {
		t.Errorf("APPS program: %q %v", prog4, err)
	}
	// Already called: not called twice.
	p := Problem{ID: "c", Kind: KindStdin, Stub: "def g():\n    pass\n", Solutions: []string{"def g():\n    print(1)\ng()\n"}}
	if prog5, _ := RunnableCanonical(p); prog5 != p.Solutions[0] {
		t.Errorf("already called: %q", prog5)
	}
	// A lone uncalled zero-argument function is treated as a stub body.
	p = Problem{ID: "d", Kind: KindStdin, Solutions: []string{"import sys\ndef h():\n    print(2)\n"}}
	if prog6, _ := RunnableCanonical(p); !strings.HasSuffix(prog6, "\nh()\n") {
		t.Errorf("lone function: %q", prog6)
	}
	// Errors.
	if _, err := RunnableCanonical(ps[1]); err == nil {
		t.Error("call-based problem accepted")
	}
	if _, err := RunnableCanonical(apps[2]); !errors.Is(err, ErrNoCanonical) {
		t.Errorf("no solution: err = %v", err)
	}

	needPython(t)
	for _, p := range []Problem{ps[0], ps[2], ps[3], apps[0]} {
		prog, _ := RunnableCanonical(p)
		for i, tc := range p.Tests {
			out, stderr, err := runPython(t, prog, tc.Input)
			if err != nil || !MatchOutput(tc.Expected, out) {
				t.Errorf("problem %s test %d: got %q (%v %s), want %q", p.ID, i, out, err, stderr, tc.Expected)
			}
		}
	}
}

func TestStatsTiersBySplit(t *testing.T) {
	ps := []Problem{
		{ID: "a", Split: "train", Tier: 1, Family: "f"},
		{ID: "b", Split: "train", Tier: 3, Family: "g"},
		{ID: "c", Split: "train", Tier: 3, Family: "g"},
		{ID: "d", Split: "test", Tier: 2, Family: "h"},
		{ID: "e"}, // an APPS problem: no split, no tier
	}
	st := Stats(ps)
	want := map[string]map[int]int{"train": {1: 1, 3: 2}, "test": {2: 1}}
	if !reflect.DeepEqual(st.TiersBySplit, want) || st.BySplit["train"] != 3 || st.Families != 3 {
		t.Fatalf("TiersBySplit %v BySplit %v Families %d; want %v", st.TiersBySplit, st.BySplit, st.Families, want)
	}
	if Stats(ps[4:]).TiersBySplit != nil {
		t.Fatal("an APPS set has no tiers by split")
	}
}
