package apps_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"strings"

	"github.com/securecoderl/securecoderl/stdlib/apps"
)

func ExampleLoad() {
	ctx := context.Background()
	// "" is the embedded default set; a path or an http(s) URL works the
	// same way (URLs are cached; set Options.SHA256 to pin the file).
	ps, rep, err := apps.Load(ctx, "testdata/apps_rows.jsonl", apps.Options{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rep.Format, rep.Schema, "loaded", rep.Loaded, "skipped", rep.Skipped)
	for _, p := range ps {
		fmt.Println(p.ID, p.Kind, p.Difficulty, len(p.Tests), "tests")
	}
	// Output:
	// jsonl apps loaded 4 skipped 0
	// 1 stdin introductory 2 tests
	// 2 call introductory 2 tests
	// 3 stdin interview 2 tests
	// abc-4 stdin competition 1 tests
}

func ExampleParse() {
	bad := `{"problem_id": 1, "question": "q", "input_output": "{\"inputs\": [\"1\"], \"outputs\": []}"}` + "\n"
	// Parse reads from any io.Reader; the name is used in skips and errors.
	_, rep, err := apps.Parse(context.Background(), strings.NewReader(bad), "example_bad.jsonl", apps.Options{})
	fmt.Println(err)
	for _, s := range rep.Skips {
		fmt.Println(s)
	}
	// Output:
	// apps: example_bad.jsonl: no problems loaded (1 records, 1 skipped)
	// example_bad.jsonl: record 0: field "input_output.outputs": has 0 entries but input_output.inputs has 1
}

func ExampleSplit() {
	ps, err := apps.Default()
	if err != nil {
		log.Fatal(err)
	}
	// A problem's side depends only on its ID and the seed.
	train, heldout := apps.Split(ps, 0.2, 2024)
	fmt.Println(len(train), len(heldout))
	fmt.Println(apps.IDs(heldout))
	// Output:
	// 19 6
	// [100003 100005 100007 100008 100015 100022]
}

func ExampleStratifiedSample() {
	ps, err := apps.Default()
	if err != nil {
		log.Fatal(err)
	}
	sample, err := apps.StratifiedSample(ps, 10, 1)
	if err != nil {
		log.Fatal(err)
	}
	st := apps.Stats(sample)
	fmt.Println(st.ByDifficulty)
	// Output:
	// map[competition:2 interview:4 introductory:4]
}

func ExampleExtractor_Extract() {
	prompt := apps.MakeStub("sOlVe", "Read n and print 2n.")
	completion := "    n = int(input())\n    print(2 * n)\n"
	x, err := apps.ExtractorAuto.Extract(prompt, completion)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(x.Program)
	for _, n := range x.Notes {
		fmt.Println("note:", n)
	}
	// Output:
	// def sOlVe():
	//     """Read n and print 2n.
	//     """
	//     n = int(input())
	//     print(2 * n)
	//
	// sOlVe()
	// note: stub: the completion continues the function body; prepended the stub
	// note: stub: appended the call sOlVe()
}

func ExampleTemplateByName() {
	t, err := apps.TemplateByName("instruction")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%q\n", t.Format("def f():"))
	_, err = apps.TemplateByName("nope")
	fmt.Println(err)
	// Output:
	// "### Instruction:\nComplete the following code:\n\ndef f():\n\n### Response:\n"
	// apps: unknown prompt template "nope" (valid: instruction, instruction_sft, plain, task)
}

func ExampleStats() {
	ps, err := apps.Default()
	if err != nil {
		log.Fatal(err)
	}
	b, _ := json.Marshal(apps.Stats(apps.FilterDifficulty(ps, "competition")))
	fmt.Println(string(b))
	// Output:
	// {"problems":5,"by_kind":{"stdin":5},"by_difficulty":{"competition":5},"tests":31,"tests_per_problem":{"min":6,"median":6,"max":7},"with_solutions":5,"solutions":5,"duplicate_ids":0}
}

func ExampleRunnableCanonical() {
	ps, _, err := apps.Load(context.Background(), "testdata/apps_plus_data.json", apps.Options{})
	if err != nil {
		log.Fatal(err)
	}
	prog, err := apps.RunnableCanonical(ps[2])
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(apps.StubName(ps[2]))
	fmt.Print(prog)
	// Output:
	// sQuArE
	// def sQuArE():
	//     """Print the square of n.
	//
	// -----Input-----
	//
	// One integer n.
	//
	// -----Output-----
	//
	// n squared.
	//     """
	//     n = int(input())
	//     print(n * n)
	// sQuArE()
}
