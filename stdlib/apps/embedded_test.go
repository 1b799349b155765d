package apps

import (
	"fmt"
	"strings"
	"testing"
)

func TestDefaultSet(t *testing.T) {
	ps, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	st := Stats(ps)
	if st.Problems < 24 || st.ByKind[string(KindStdin)] != st.Problems {
		t.Fatalf("stats %+v", st)
	}
	if st.ByDifficulty[DifficultyIntroductory] < 10 || st.ByDifficulty[DifficultyInterview] < 10 || st.ByDifficulty[DifficultyCompetition] < 4 {
		t.Errorf("difficulties %v", st.ByDifficulty)
	}
	if st.WithSolutions != st.Problems || st.DuplicateIDs != 0 {
		t.Errorf("with solutions %d, duplicate ids %d", st.WithSolutions, st.DuplicateIDs)
	}
	for _, p := range ps {
		if n := len(p.Tests); n < 4 || n > 8 {
			t.Errorf("problem %s has %d tests", p.ID, n)
		}
		for _, sec := range []string{"-----Input-----", "-----Output-----", "-----Examples-----"} {
			if !strings.Contains(p.Statement, sec) {
				t.Errorf("problem %s: statement lacks %s", p.ID, sec)
			}
		}
		for i, tc := range p.Tests {
			if !strings.HasSuffix(tc.Expected, "\n") || !strings.HasSuffix(tc.Input, "\n") {
				t.Errorf("problem %s test %d: input/expected must end with a newline", p.ID, i)
			}
		}
		// The first example in the statement is the first test.
		ex := "Input\n" + p.Tests[0].Input + "\nOutput\n" + p.Tests[0].Expected
		if !strings.Contains(p.Statement, ex) {
			t.Errorf("problem %s: the statement's first example is not test 0", p.ID)
		}
	}
}

// TestDefaultSolutions runs every reference solution on every test.
func TestDefaultSolutions(t *testing.T) {
	needPython(t)
	ps, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		t.Run(p.ID, func(t *testing.T) {
			t.Parallel()
			for s, sol := range p.Solutions {
				for i, tc := range p.Tests {
					got, stderr, err := runPython(t, sol, tc.Input)
					if err != nil {
						t.Fatalf("solution %d, test %d: %v\n%s", s, i, err, stderr)
					}
					if !MatchOutput(tc.Expected, got) {
						t.Errorf("solution %d, test %d: got %q, want %q", s, i, trunc(got), trunc(tc.Expected))
					}
				}
			}
		})
	}
}

func trunc(s string) string {
	if len(s) > 200 {
		return s[:200] + fmt.Sprintf("... (%d bytes)", len(s))
	}
	return s
}
