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
