package apps

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

const testStub = "\ndef fOo():\n    \"\"\"Read n and print 2n.\n\n-----Input-----\n\nn\n    \"\"\"\n"

func TestExtractors(t *testing.T) {
	stubOnly := "def fOo():\n    \"\"\"Read n and print 2n.\n\n-----Input-----\n\nn\n    \"\"\"\n"
	instrPrompt := TemplateInstruction.Format(testStub)
	taskPrompt := TemplateTask.Format(testStub)
	tests := []struct {
		name       string
		extractor  Extractor
		prompt     string
		completion string
		want       string // exact program, if not ""
		contains   []string
		absent     []string
		notes      []string // substrings of some note
		input      string   // run with this input ...
		output     string   // ... and expect this output
	}{
		{
			name: "raw keeps everything", extractor: ExtractorRaw, prompt: testStub,
			completion: "```python\nprint(1)\n```", want: "```python\nprint(1)\n```",
		},
		{
			name: "fenced python block", extractor: ExtractorFenced,
			completion: "Here you go:\n```python\nprint(1)\n```\nand also\n```\nprint(2)\n```\n",
			want:       "print(1)\n", notes: []string{"took ```python block 1 of 2"},
		},
		{
			name: "fenced skips other languages", extractor: ExtractorFenced,
			completion: "```bash\nls\n```\n```py\nprint(3)\n```\n", want: "print(3)\n",
		},
		{
			name: "fenced untagged and unterminated", extractor: ExtractorFenced,
			completion: "text\n```\nprint(4)\n", want: "print(4)\n", notes: []string{"not closed"},
		},
		{
			name: "fenced without python keeps text", extractor: ExtractorFenced,
			completion: "```cpp\nint main(){}\n```\n", want: "```cpp\nint main(){}\n```\n", notes: []string{"none of the 1 fenced blocks"},
		},
		{
			name: "fenced without fences", extractor: ExtractorFenced,
			completion: "print(5)\n", want: "print(5)\n",
		},
		{
			name: "stub: body continuation", extractor: ExtractorStub, prompt: testStub,
			completion: "    n = int(input())\n    print(2 * n)\n",
			want:       stubOnly + "    n = int(input())\n    print(2 * n)\n\nfOo()\n",
			notes:      []string{"continues the function body", "appended the call fOo()"},
			input:      "21\n", output: "42\n",
		},
		{
			name: "stub: body continuation after a comment line", extractor: ExtractorStub, prompt: taskPrompt,
			completion: "# read\n    n = int(input())\n    print(2 * n)\n",
			input:      "4\n", output: "8\n",
		},
		{
			name: "stub: redefinition already called", extractor: ExtractorStub, prompt: testStub,
			completion: "def fOo():\n    print(2 * int(input()))\n\nfOo()\n",
			want:       "def fOo():\n    print(2 * int(input()))\n\nfOo()\n",
			input:      "5\n", output: "10\n",
		},
		{
			name: "stub: redefinition not called", extractor: ExtractorStub, prompt: testStub,
			completion: "# Task: \n" + stubOnly + "\n# Write a Python program to solve this:\n\ndef fOo():\n    print(2 * int(input()))\n",
			notes:      []string{"dropped 1 line(s) of comments", "appended the call fOo()"},
			absent:     []string{"# Task:"},
			input:      "6\n", output: "12\n",
		},
		{
			name: "stub: top-level program reading stdin", extractor: ExtractorStub, prompt: testStub,
			completion: "n = int(input())\nprint(2 * n)\n",
			want:       stubOnly + "\nn = int(input())\nprint(2 * n)\n",
			notes:      []string{"does not define fOo; prepended the stub", "top-level code reads stdin; call not appended"},
			input:      "7\n", output: "14\n",
		},
		{
			name: "stub: last definition needs arguments", extractor: ExtractorStub, prompt: testStub,
			completion: "def fOo(n):\n    return 2 * n\n",
			notes:      []string{"needs arguments; call not appended"},
			absent:     []string{"fOo()\n"},
		},
		{
			name: "stub: called through main", extractor: ExtractorStub, prompt: testStub,
			completion: "def fOo():\n    print(2 * int(input()))\n\ndef main():\n    fOo()\n\nif __name__ == \"__main__\":\n    main()\n",
			absent:     []string{"\nfOo()\n"},
			input:      "8\n", output: "16\n",
		},
		{
			name: "stub: called only from an uncalled test", extractor: ExtractorStub, prompt: testStub,
			completion: "def fOo():\n    print(2 * int(input()))\n\ndef test():\n    assert fOo() is None\n",
			notes:      []string{"appended the call fOo()"},
			input:      "9\n", output: "18\n",
		},
		{
			name: "stub: call in a comment or string does not count", extractor: ExtractorStub, prompt: testStub,
			completion: "def fOo():\n    print(2 * int(input()))\n# fOo()\ns = 'fOo()'\n",
			notes:      []string{"appended the call fOo()"},
			input:      "10\n", output: "20\n",
		},
		{
			name: "stub: prompt without a stub", extractor: ExtractorStub, prompt: "Write a program.",
			completion: "print(1)\n", want: "print(1)\n",
		},
		{
			name: "stub: empty completion", extractor: ExtractorStub, prompt: testStub,
			completion: "", notes: []string{"empty completion"}, contains: []string{"def fOo():", "\nfOo()\n"},
			input: "1\n", output: "",
		},
		{
			name: "auto: instruction prompt and fenced body", extractor: ExtractorAuto, prompt: instrPrompt,
			completion: "Sure.\n```python\n    n = int(input())\n    print(2 * n)\n```\n### Instruction:\nmore",
			notes:      []string{"took ```python block", "continues the function body", "appended the call"},
			input:      "11\n", output: "22\n",
		},
		{
			name: "auto: repeated template marker", extractor: ExtractorAuto, prompt: taskPrompt,
			completion: taskPrompt + "n = int(input())\nprint(2 * n)\n\n# Write a Python program to solve this:\n\nn = int(input())\nprint(2 * n)\n",
			notes:      []string{"repeated \"# Write a Python program to solve this:\" line"},
			input:      "12\n", output: "24\n",
		},
		{
			name: "auto: repeated prompt after code", extractor: ExtractorAuto, prompt: taskPrompt,
			completion: taskPrompt + "print(2 * int(input()))\n\n# Task: \ndef bAr():\n    \"\"\"Another task.\n    \"\"\"\n\nprint(input())\n",
			notes:      []string{"repeated \"# Task:\" prompt"}, absent: []string{"bAr"},
			input: "13\n", output: "26\n",
		},
		{
			name: "auto: '# Task:' comment that is not a prompt", extractor: ExtractorAuto, prompt: testStub,
			completion: "def fOo():\n    n = int(input())\n    # Task: double it\n    print(2 * n)\n# Task: done\nfOo()\n",
			contains:   []string{"# Task: done"},
			input:      "14\n", output: "28\n",
		},
		{
			name: "auto: repeated definitions, the last truncated", extractor: ExtractorAuto, prompt: taskPrompt,
			completion: taskPrompt + "# Solution:\ndef fOo():\n    print(2 * int(input()))\n\n# Solution:\ndef fOo():\n    print(2 * int(input()))\n\n# Solution:\ndef fOo():\n    print(2 * int(in",
			notes:      []string{"cut 2 repeated statement(s)", "appended the call fOo()"},
			input:      "15\n", output: "30\n",
		},
		{
			name: "auto: repeated definition and call", extractor: ExtractorAuto, prompt: testStub,
			completion: "def fOo():\n    print(2 * int(input()))\n\nfOo()\n\ndef fOo():\n    print(2 * int(input()))\n\nfOo()\n",
			want:       "def fOo():\n    print(2 * int(input()))\n\nfOo()\n",
			input:      "16\n", output: "32\n",
		},
		{
			name: "auto: repeated main guard", extractor: ExtractorAuto, prompt: testStub,
			completion: "def fOo():\n    print(2 * int(input()))\n\n# Run:\nif __name__ == '__main__':\n    fOo()\n\n# Run:\nif __name__ == '__main__':\n    fOo()\n",
			want:       "def fOo():\n    print(2 * int(input()))\n\n# Run:\nif __name__ == '__main__':\n    fOo()\n",
			notes:      []string{"cut 1 repeated statement(s)"},
			input:      "18\n", output: "36\n",
		},
		{
			name: "auto: repeated call of the stub function", extractor: ExtractorAuto, prompt: testStub,
			completion: "def fOo():\n    print(2 * int(input()))\nfOo()\nfOo()\n",
			want:       "def fOo():\n    print(2 * int(input()))\nfOo()\n",
			input:      "19\n", output: "38\n",
		},
		{
			name: "auto: repeated plain statements are kept", extractor: ExtractorAuto, prompt: "",
			completion: "a = input()\na = input()\nprint(a)\n", want: "a = input()\na = input()\nprint(a)\n",
			input: "x\ny\n", output: "y\n",
		},
		{
			name: "auto: different redefinitions are kept", extractor: ExtractorAuto, prompt: testStub,
			completion: "def fOo():\n    print(1)\n\ndef fOo():\n    print(2 * int(input()))\n",
			contains:   []string{"print(1)", "\nfOo()\n"},
			input:      "17\n", output: "34\n",
		},
		{
			name: "auto: truncated program is flagged", extractor: ExtractorAuto, prompt: testStub,
			completion: "def fOo():\n    print(2 * int(input()\n",
			notes:      []string{"ends inside a string or bracket"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, err := tt.extractor.Extract(tt.prompt, tt.completion)
			if err != nil {
				t.Fatal(err)
			}
			if x.Raw != tt.completion || x.Extractor != string(tt.extractor) {
				t.Errorf("raw/extractor not kept: %+v", x)
			}
			if tt.want != "" && x.Program != tt.want {
				t.Errorf("program:\n%s\nwant:\n%s", x.Program, tt.want)
			}
			for _, s := range tt.contains {
				if !strings.Contains(x.Program, s) {
					t.Errorf("program lacks %q:\n%s", s, x.Program)
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(x.Program, s) {
					t.Errorf("program contains %q:\n%s", s, x.Program)
				}
			}
			for _, n := range tt.notes {
				if !strings.Contains(strings.Join(x.Notes, "\n"), n) {
					t.Errorf("no note contains %q; notes: %q", n, x.Notes)
				}
			}
			if tt.input != "" {
				needPython(t)
				out, stderr, err := runPython(t, x.Program, tt.input)
				if err != nil || !MatchOutput(tt.output, out) {
					t.Errorf("running the program: got %q, want %q (%v)\n%s\nprogram:\n%s", out, tt.output, err, stderr, x.Program)
				}
			}
		})
	}
}

func TestParseExtractor(t *testing.T) {
	for _, e := range Extractors() {
		got, err := ParseExtractor(string(e))
		if err != nil || got != e {
			t.Errorf("ParseExtractor(%q) = %q, %v", e, got, err)
		}
	}
	_, err := ParseExtractor("magic")
	if err == nil || !strings.Contains(err.Error(), "raw, fenced, stub, auto") {
		t.Fatalf("err = %v", err)
	}
	if _, err := Extractor("magic").Extract("", ""); err == nil {
		t.Fatal("unknown extractor extracted")
	}
}

type completionFixture struct {
	PromptID      string `json:"prompt_id"`
	Prompt        string `json:"prompt"`
	Completion    string `json:"completion"`
	ExampleInput  string `json:"example_input"`
	ExampleOutput string `json:"example_output"`
	Note          string `json:"note"`
}

func readCompletions(t *testing.T, path string) []completionFixture {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []completionFixture
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var c completionFixture
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestAutoOnRealCompletions uses five completions copied from the study's
// released DeepSeek-Coder-6.7B generations (testdata/completions.jsonl).
func TestAutoOnRealCompletions(t *testing.T) {
	type expect struct {
		notes     []string
		noNotes   []string
		defs      int  // occurrences of "def NAME("
		rawFails  bool // the raw completion crashes on the example input
		runs      bool // the extracted program exits 0 on the example input
		endsCalls bool // the program ends with "NAME()\n"
	}
	want := map[string]expect{
		// correct solution in a function that is written twice and never called
		"apps_plus_4974": {notes: []string{"cut 1 repeated statement(s)", "appended the call gaQnI()"}, defs: 2, runs: true, endsCalls: true},
		// redefined and called at top level: only the echoed "# Task:" line goes
		"apps_plus_4396": {notes: []string{"dropped 1 line(s) of comments"}, noNotes: []string{"appended"}, defs: 2, runs: true},
		// top-level program after the echoed stub: no call appended
		"apps_plus_3541": {notes: []string{"top-level code reads stdin; call not appended"}, defs: 1, runs: true},
		// program followed by a repetition of the whole prompt and program
		"apps_plus_3706": {notes: []string{"repeated \"# Task:\" prompt"}, defs: 1, rawFails: true, runs: true},
		// definition + call written twice: the second call hits EOF
		"apps_plus_3146": {notes: []string{"cut 2 repeated statement(s)"}, noNotes: []string{"appended"}, defs: 2, rawFails: true, runs: true, endsCalls: true},
	}
	cs := readCompletions(t, "testdata/completions.jsonl")
	if len(cs) != len(want) {
		t.Fatalf("%d fixtures, want %d", len(cs), len(want))
	}
	for _, c := range cs {
		t.Run(c.PromptID, func(t *testing.T) {
			w, ok := want[c.PromptID]
			if !ok {
				t.Fatalf("no expectation for %s", c.PromptID)
			}
			name, _ := findStub(c.Prompt)
			if name == "" {
				t.Fatal("no stub in the prompt")
			}
			x, err := ExtractorAuto.Extract(c.Prompt, c.Completion)
			if err != nil {
				t.Fatal(err)
			}
			notes := strings.Join(x.Notes, "\n")
			for _, n := range w.notes {
				if !strings.Contains(notes, n) {
					t.Errorf("no note contains %q; notes: %q", n, x.Notes)
				}
			}
			for _, n := range w.noNotes {
				if strings.Contains(notes, n) {
					t.Errorf("unexpected note %q; notes: %q", n, x.Notes)
				}
			}
			if got := strings.Count(x.Program, "def "+name+"("); got != w.defs {
				t.Errorf("%d definitions of %s, want %d:\n%s", got, name, w.defs, x.Program)
			}
			if !strings.HasPrefix(x.Program, "def "+name+"():") {
				t.Errorf("program does not start at the stub:\n%.200s", x.Program)
			}
			if w.endsCalls != strings.HasSuffix(x.Program, "\n"+name+"()\n") {
				t.Errorf("ends with the call: %v, want %v", !w.endsCalls, w.endsCalls)
			}
			if c.ExampleInput == "" {
				return
			}
			needPython(t)
			out, stderr, err := runPython(t, x.Program, c.ExampleInput)
			if w.runs && err != nil {
				t.Errorf("extracted program fails: %v\n%s", err, stderr)
			}
			if c.ExampleOutput != "" && !MatchOutput(c.ExampleOutput, out) {
				t.Errorf("output %q, want %q", out, c.ExampleOutput)
			}
			if w.rawFails {
				if _, _, err := runPython(t, c.Completion, c.ExampleInput); err == nil {
					t.Errorf("the raw completion was expected to fail")
				}
			}
		})
	}
}
