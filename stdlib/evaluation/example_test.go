package evaluation_test

import (
	"fmt"

	"github.com/securecoderl/securecoderl/stdlib/evaluation"
)

func ExamplePassAtK() {
	// 5 samples, 1 correct: the chance that 2 random samples include it.
	p, _ := evaluation.PassAtK(5, 1, 2)
	fmt.Printf("%.2f\n", p)
	// Output: 0.40
}

// Two policies on the same five problems (one seed): A solves one more.
func ExamplePairedBootstrap() {
	a := [][]float64{{1, 1, 0, 1, 0}}
	b := [][]float64{{1, 0, 0, 1, 0}}
	p, _ := evaluation.PairedBootstrap(a, b, evaluation.Options{})
	fmt.Printf("A %.1f, B %.1f, A − B %+.1f\n", p.A, p.B, p.Diff.Mean)
	// Output: A 0.6, B 0.4, A − B +0.2
}
