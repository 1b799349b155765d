package apps_test

import (
	"context"
	"fmt"
	"log"

	"github.com/securecoderl/securecoderl/stdlib/apps"
)

// The overview of notebook 01 for any files: load them as sets, then lay
// out tables (here printed; display.Table renders them in a notebook).
func ExampleLoadSets() {
	sets, err := apps.LoadSets(context.Background(), []string{"testdata/apps_rows.jsonl", ""}, apps.Options{})
	if err != nil {
		log.Fatal(err)
	}
	header, rows := apps.KindRows(sets)
	fmt.Println(header)
	for _, r := range rows {
		fmt.Println(r)
	}
	// Output:
	// [file difficulty stdin call total]
	// [apps_rows.jsonl introductory 1 1 2]
	// [apps_rows.jsonl interview 1 0 1]
	// [apps_rows.jsonl competition 1 0 1]
	// [apps_rows.jsonl all 3 1 4]
	// [embedded set introductory 10 0 10]
	// [embedded set interview 10 0 10]
	// [embedded set competition 5 0 5]
	// [embedded set all 25 0 25]
}

func ExampleOverviewSources() {
	// No shared data directory: the synthetic set and the embedded one ("").
	sources, err := apps.OverviewSources("", "", false)
	fmt.Printf("%q %v\n", sources, err)
	// A named file is read alone.
	sources, err = apps.OverviewSources("problems.jsonl", "", false)
	fmt.Printf("%q %v\n", sources, err)
	// Output:
	// ["synth" ""] <nil>
	// ["problems.jsonl"] <nil>
}

func ExamplePick() {
	sets, err := apps.LoadSets(context.Background(), []string{"testdata/apps_rows.jsonl"}, apps.Options{})
	if err != nil {
		log.Fatal(err)
	}
	p, from, err := apps.Pick(sets, "") // the first stdin problem with tests and a solution
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.ID, "from", from)
	_, rows := apps.TestSampleRows(p, 5)
	for _, r := range rows {
		fmt.Println(r)
	}
	fmt.Println(apps.Truncate(p.Statement, 30))
	// Output:
	// 1 from apps_rows.jsonl
	// [1 1 2 3]
	// [2 10 -3 7]
	// Print the sum of two integers.…
}
