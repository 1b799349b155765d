package judge

import (
	"context"
	"testing"
	"time"

	"github.com/securecoderl/securecoderl/sandbox"
)

// TestConstantOutput runs real programs in the sandbox: a program that
// ignores its input (or prints a constant) is recognised, one that reads
// it is not.
func TestConstantOutput(t *testing.T) {
	ctx := context.Background()
	pool, err := sandbox.New(ctx, sandbox.Config{Workers: 2, Limits: sandbox.Limits{Wall: 2 * time.Second, MemoryMB: 512}})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	double := []Case{{"1\n", "2\n"}, {"2\n", "4\n"}, {"0\n", "0\n"}}
	same := []Case{{"1\n", "7\n"}, {"2\n", "7\n"}}
	for _, tc := range []struct {
		name   string
		src    string
		cases  []Case
		want   bool
		passed int
	}{
		{"reads and doubles", "print(2 * int(input()))", double, false, 3},
		{"prints a constant", "print(4)", double, true, 1},
		{"ignores the input, computes", "print(sum(range(3)))", double, true, 0},
		{"reads, prints a constant", "n = int(input())\nprint('0 ')", double, true, 1},
		{"prints nothing", "x = 1", double, true, 0},
		{"constant is right everywhere", "print(7)", same, false, 2},
		{"crashes", "raise SystemExit(input())", double, false, 0},
		{"one test only", "print(4)", double[:1], false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Judge(ctx, pool, Task{Program: sandbox.Program{Source: tc.src}, Cases: tc.cases, Compare: Lines})
			if err != nil {
				t.Fatal(err)
			}
			if r.ConstantOutput != tc.want || r.Passed != tc.passed {
				t.Errorf("constant output %v passed %d, want %v and %d (verdicts %v)", r.ConstantOutput, r.Passed, tc.want, tc.passed, r.Verdicts)
			}
		})
	}
}
