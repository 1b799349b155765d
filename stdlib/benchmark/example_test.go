package benchmark_test

import (
	"context"
	"fmt"
	"log"

	"github.com/securecoderl/securecoderl/sandbox"
	"github.com/securecoderl/securecoderl/scanners"
	"github.com/securecoderl/securecoderl/stdlib/benchmark"
	"github.com/securecoderl/securecoderl/stdlib/judge"
)

// Notebook 03 in a few calls: score the first 40 shared DeepSeek
// completions (it needs the shared data, /usr/bin/python3 and Bandit) and
// print the Table I row. With display.Table(benchmark.TableITable(rows))
// the row is shown as the notebook shows it. Prints:
//
//	40 completions, 34 with examples
//	this project: [100 20.6 11.8 100 0.715…]
//	the study:    [100 25 12.5 95 0.504…]
func ExampleScore() {
	path, err := benchmark.GenerationsFile("") // the shared file
	if err != nil {
		log.Fatal(err)
	}
	comps, err := benchmark.ReadCompletions(path, 40)
	if err != nil {
		log.Fatal(err)
	}
	rows, err := benchmark.Score(context.Background(), comps, benchmark.Options{Workers: 2})
	if err != nil {
		log.Fatal(err)
	}
	s := benchmark.Summarize(rows)
	fmt.Printf("%d completions, %d with examples\n", s.N, s.WithTests)
	ours, study, _ := benchmark.TableI(rows)
	fmt.Println("this project:", ours.Values())
	fmt.Println("the study:   ", study.Values())
}

// The security comparison on two scored programs (typed in here; Score
// produces them): the study flagged a program whose only Bandit finding is
// LOW, which the project's R_sec does not count.
func ExampleCompare() {
	low := []scanners.Finding{{TestID: "B101", Name: "assert_used", Severity: "LOW"}}
	rows := []benchmark.Scored{
		{Completion: benchmark.Completion{ID: "p1", Compiles: true}, Scans: map[string][]scanners.Finding{}},
		{Completion: benchmark.Completion{ID: "p2", Compiles: true, HasSecurityIssues: true, RSec: 0.7},
			Scans: map[string][]scanners.Finding{benchmark.ScanBandit: low}},
	}
	a := benchmark.Compare(rows)
	fmt.Printf("compiles agree %d/%d, security agree %d/%d\n", a.CompilesAgree, a.N, a.SecurityAgree, a.N)
	for _, d := range a.Disagreements {
		fmt.Printf("%s %s: ours %v, study %v\n%s\n", d.ID, d.Field, d.Ours, d.Study, d.Why)
	}
	// Output:
	// compiles agree 2/2, security agree 1/2
	// p2 has_security_issues: ours false, study true
	// The study flags every Bandit finding, and this program's only ones are LOW severity (B101 assert_used (LOW) ×1), which it penalised with R_sec 0.7; the project's R_sec counts MEDIUM and HIGH only.
}

// The failure taxonomy laid out for display.Table: every judged program
// that does not pass all its tests, by what its first failing test did.
func ExampleFailureTable() {
	failing := func(b sandbox.Verdict) benchmark.Scored {
		return benchmark.Scored{Result: judge.Result{Total: 2, Bucket: b}}
	}
	rows := []benchmark.Scored{failing(sandbox.NoOutput), failing(sandbox.WrongOutput), failing(sandbox.NoOutput),
		{Result: judge.Result{Total: 2, Passed: 2, AllPassed: true}}}
	title, header, cells := benchmark.FailureTable(rows)
	fmt.Println(title)
	fmt.Println(header)
	for _, c := range cells {
		fmt.Println(c...)
	}
	// Output:
	// Table II — failure taxonomy (share of the failing programs)
	// [failure programs share %]
	// no_output 2 66.7
	// wrong_output 1 33.3
	// all failing programs 3 100
}
