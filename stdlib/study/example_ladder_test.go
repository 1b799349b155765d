package study_test

import (
	"context"
	"fmt"
	"log"

	"github.com/securecoderl/securecoderl/sandbox"
	"github.com/securecoderl/securecoderl/stdlib/study"
)

// Table III measured in the sandbox (it needs /usr/bin/python3) and laid
// out for display.Table, as notebook 02 shows it. Prints:
//
//	syntax_error missing parenthesis            0/3 0.000 0.000 0
//	parses       crashes (NameError)            0/3 0.200 0.200 0
//	executes     computes, never prints         0/3 0.400 0.400 0
//	prints       prints a product               0/3 0.600 0.600 0
//	passes_some  wrong when a ≥ 10              2/3 0.867 0.867 0
//	passes_all   correct                        3/3 1.000 1.000 1
//	parses       prints the sum, then exits 1   0/3 0.200 0.400 0
func ExampleTableIIIRows() {
	pool, err := sandbox.New(context.Background(), sandbox.Config{Workers: 2})
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	measured, err := study.TableIII(context.Background(), pool)
	if err != nil {
		log.Fatal(err)
	}
	_, rows := study.TableIIIRows(measured)
	for _, r := range rows {
		fmt.Printf("%-12s %-30s %s %.3f %.3f %v\n", r[0], r[1], r[3], r[4], r[5], r[6])
	}
}

// Figure 2's series from its points (Figure2Points of the measured
// ladder; here typed in).
func ExampleFigure2Bars() {
	points := []study.LadderPoint{
		{Stage: "syntax_error"}, {Stage: "parses", Partial: 0.2, Seed: 0.2},
		{Stage: "passes_all", Partial: 1, Seed: 1, Binary: 1},
	}
	labels, series, values := study.Figure2Bars(points)
	fmt.Println(labels)
	for i, s := range series {
		fmt.Println(s, values[i])
	}
	// Output:
	// [syntax_error parses passes_all]
	// partial credit (Table III) [0 0.2 1]
	// released code [0 0.2 1]
	// binary [0 0 1]
}

func ExampleQualitative() {
	for _, ex := range study.Qualitative() {
		fmt.Printf("%s: %q\n", ex.Name, ex.Source)
	}
	fmt.Println(len(study.ExprTests()), "tests")
	// Output:
	// missing print: "s = input()\ntotal = sum(int(x) for x in s.split('+'))\n"
	// wrong-format output: "s = input()\nprint('Sum:', sum(int(x) for x in s.split('+')))\n"
	// eval shortcut: "print(eval(input()))\n"
	// 3 tests
}

func ExampleFindingList() {
	fmt.Println(study.FindingList(nil))
	// Output: none
}
