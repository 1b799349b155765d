package scanners_test

import (
	"context"
	"fmt"

	"github.com/securecoderl/securecoderl/scanners"
)

func ExampleNew() {
	s, err := scanners.New("native", scanners.Options{})
	if err != nil {
		panic(err)
	}
	defer scanners.Close(s)
	reports, err := s.Scan(context.Background(), []scanners.Source{{
		Name: "sample.py",
		Code: "import subprocess as sp\nsp.call(cmd, shell=True)\n",
	}})
	if err != nil {
		panic(err)
	}
	for _, f := range reports[0].Findings {
		fmt.Println(f.TestID, f.Name, f.Line, f.Severity, f.Confidence, "CWE", f.CWE)
	}
	// Output:
	// B404 blacklist 1 LOW HIGH CWE 78
	// B602 subprocess_popen_with_shell_equals_true 2 HIGH HIGH CWE 78
}

func ExampleWeight() {
	for _, id := range []string{"B307", "B608", "B110"} {
		fmt.Println(id, scanners.CWE(id), scanners.Weight(id))
	}
	// Output:
	// B307 94 1
	// B608 89 0.9
	// B110 703 0.2
}

func ExampleNew_unknown() {
	_, err := scanners.New("semgrep", scanners.Options{})
	fmt.Println(err)
	// Output: scanners: unknown scanner "semgrep" (valid: bandit, native, regex)
}

func ExampleAgreement() {
	corpus, err := scanners.EmbeddedCorpus()
	if err != nil {
		panic(err)
	}
	nat, _ := scanners.New("native", scanners.Options{})
	bnd, _ := scanners.New("bandit", scanners.Options{})
	defer scanners.Close(bnd)
	rep, err := scanners.Agreement(context.Background(), corpus, nat, bnd, nil)
	if err != nil {
		panic(err)
	}
	fmt.Printf("native precision %.2f, agreement %.3f\n", rep.Native.Precision, rep.Rate)
}

func ExampleBench() {
	corpus, _ := scanners.EmbeddedCorpus()
	r := scanners.Bench(context.Background(), corpus.Sources)
	fmt.Printf("native %.0f files/s, bandit worker %.0f files/s, CLI %.1f files/s\n",
		r.NativeSerial.FilesPerSec, r.Worker.FilesPerSec, r.CLI.FilesPerSec)
}
