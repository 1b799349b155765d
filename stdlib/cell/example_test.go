package cell_test

import (
	"fmt"
	"strconv"

	"github.com/securecoderl/securecoderl/stdlib/cell"
)

func ExampleMust() {
	n := cell.Must(strconv.Atoi("42"))
	fmt.Println(n + 1)
	// Output: 43
}

func ExampleMust2() {
	q, r := cell.Must2(divmod(17, 5))
	fmt.Println(q, r)
	// Output: 3 2
}

func divmod(a, b int) (int, int, error) {
	if b == 0 {
		return 0, 0, fmt.Errorf("divmod %d by zero", a)
	}
	return a / b, a % b, nil
}
