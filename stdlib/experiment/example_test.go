package experiment_test

import (
	"fmt"

	"github.com/securecoderl/securecoderl/stdlib/experiment"
)

// The arms are named in one place; an unknown name lists the valid ones.
func ExampleArmsByName() {
	arms, _ := experiment.ArmsByName("binary", "fraction", "partial")
	for _, a := range arms {
		fmt.Printf("%s: %s\n", a.Name, a.Description)
	}
	_, err := experiment.ArmByName("parital")
	fmt.Println(err != nil)
	// Output:
	// binary: 1 when every test passes + security
	// fraction: share of tests passed (k/T) + security
	// partial: partial credit (Table III) + security, α 0.6 β 0.4
	// true
}
