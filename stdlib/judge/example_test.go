package judge_test

import (
	"fmt"

	"github.com/securecoderl/securecoderl/stdlib/judge"
)

func ExampleCompare() {
	got, want := "1 2 \n3\n\n", "1 2\n3\n"
	fmt.Println(judge.Compare(judge.Exact, got, want), judge.Compare(judge.Lines, got, want))
	fmt.Println(judge.Compare(judge.Float, "0.3333333\n", "0.33333333\n"))
	// Output:
	// false true
	// true
}

func ExampleCompareCall() {
	// APPS wraps call-based expected values in a list.
	fmt.Println(judge.CompareCall("[1, 2]", "[[1, 2]]"))
	// Output: true
}
