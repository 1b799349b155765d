package sandbox_test

import (
	"context"
	"fmt"
	"time"

	"github.com/securecoderl/securecoderl/sandbox"
)

// Runs a program on two tests through the fork server (needs /usr/bin/python3).
func Example() {
	ctx := context.Background()
	pool, err := sandbox.New(ctx, sandbox.Config{Workers: 2, Limits: sandbox.Limits{Wall: 2 * time.Second}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer pool.Close()
	prog := sandbox.Program{Source: "a, b = map(int, input().split())\nprint(a + b)\n"}
	tests := []sandbox.Test{
		{Input: "1 2\n", Expected: "3\n", HasExpected: true},
		{Input: "40 2\n", Expected: "42\n", HasExpected: true},
	}
	b, err := pool.RunTests(ctx, prog, tests, sandbox.BatchOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("passed %d of %d\n", b.Passed, b.Total)
	// Output: passed 2 of 2
}
