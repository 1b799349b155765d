package apps

import (
	"context"
	"os"
	"strings"
	"testing"
)

// FuzzParse checks that no input makes the loader panic, and that every
// record is accounted for.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"apps_rows.jsonl", "apps_rows.json", "apps_rows.jsonl.gz", "apps_plus_data.json"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, false)
	}
	f.Add([]byte(goodRow+"\n{\"problem_id\": 1}\n[]\n"), true)
	f.Add([]byte(`[{"inputs": [["a", "b"]], "outputs": [["c"]], "question": "q", "fn_name": "x"}]`), false)
	f.Fuzz(func(t *testing.T, data []byte, strict bool) {
		ps, rep, err := Parse(context.Background(), strings.NewReader(string(data)), "fuzz", Options{Strict: strict})
		if err != nil {
			return
		}
		if rep.Loaded != len(ps) || rep.Loaded+rep.Skipped != rep.Records || len(rep.Skips) != rep.Skipped {
			t.Fatalf("report does not add up: %d problems, %+v", len(ps), rep)
		}
		for _, p := range ps {
			if len(p.Tests) == 0 || p.ID == "" || (p.Kind != KindStdin && p.Kind != KindCall) {
				t.Fatalf("bad problem %+v", p)
			}
		}
	})
}

// FuzzExtract checks that no completion makes an extractor panic and that
// the raw text is always kept.
func FuzzExtract(f *testing.F) {
	f.Add(testStub, "    print(1)\n")
	f.Add(testStub, "```python\ndef fOo():\n    '''x\n")
	f.Add("def a():\n", "def a():\n    (\"\"\"\n\\\n")
	f.Add(TemplateTask.Format(testStub), TemplateTask.Format(testStub)+"# Task: \ndef b():\n    \"\"\"\n")
	f.Fuzz(func(t *testing.T, prompt, completion string) {
		for _, e := range Extractors() {
			x, err := e.Extract(prompt, completion)
			if err != nil || x.Raw != completion {
				t.Fatalf("%s: %v", e, err)
			}
		}
		StubName(Problem{Stub: prompt, StarterCode: completion})
		RunnableCanonical(Problem{ID: "f", Kind: KindStdin, Stub: prompt, Solutions: []string{completion}})
		MakeStub("f", completion)
	})
}
