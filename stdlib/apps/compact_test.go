package apps

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

const compactSample = `Vasya loves long stories. He walked to the market one day and saw many apples. Some were red. Some were green. He wondered how many there were in all, and whether his friend Petya would help him count them before the market closed.

-----Input-----

The first line contains n (1 <= n <= 100). The second line contains n integers.

-----Output-----

Print the sum.

-----Examples-----
Input
3
1 2 3

Output
6

Input
1
5

Output
5

-----Note-----

In the first example 1 + 2 + 3 = 6, a long explanation follows here with many words in it.
`

func TestCompactStatement(t *testing.T) {
	for _, tc := range []struct {
		name     string
		budget   int
		wantCut  bool
		examples int
		dropped  int
		over     bool
	}{
		{"fits", 10000, false, 2, 0, false},
		{"no budget", 0, false, 2, 0, false},
		{"note dropped only", len(compactSample) - 50, false, 2, 1, false},
		{"story shortened", 300, true, 2, 1, false},
		{"one example", 200, true, 1, 1, false},
		{"over budget", 60, true, 1, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, c := CompactStatement(compactSample, tc.budget)
			if !c.HasInput || !c.HasOutput || !c.KeptInput || !c.KeptOutput {
				t.Fatalf("input/output not kept: %+v\n%s", c, out)
			}
			for _, want := range []string{"The first line contains n (1 <= n <= 100). The second line contains n integers.", "Print the sum."} {
				if !strings.Contains(out, want) {
					t.Errorf("lost %q:\n%s", want, out)
				}
			}
			if c.StoryCut != tc.wantCut || c.Examples != tc.examples || len(c.Dropped) != tc.dropped || c.OverBudget != tc.over {
				t.Errorf("%+v\n%s", c, out)
			}
			if tc.budget > 0 && !c.OverBudget && len(out) > tc.budget {
				t.Errorf("%d bytes over a budget of %d", len(out), tc.budget)
			}
			if c.StoryCut && !strings.Contains(out, "…") {
				t.Errorf("a shortened story is not marked:\n%s", out)
			}
			if got := StatementExamples(out); len(got) != tc.examples || got[0].Expected != "6\n" {
				t.Errorf("examples after compaction: %+v", got)
			}
		})
	}
}

func TestCompactPlainHeaders(t *testing.T) {
	s := "A long story. " + strings.Repeat("Words and more words. ", 30) + "\nInput\nOne integer n.\nOutput\nPrint n squared.\nExamples\nInput\n3\nOutput\n9\n"
	out, c := CompactStatement(s, 200)
	// (StatementExamples reads plain "Input"/"Output" spec headers as an example too.)
	if !c.KeptInput || !c.KeptOutput || c.Examples != c.ExamplesIn || !c.StoryCut || !strings.Contains(out, "Print n squared.") || len(out) > 200 {
		t.Fatalf("%+v\n%s", c, out)
	}
}

// TestCompactSharedAPPS measures, on the shared APPS files, the share of
// prompts that keep their Input and Output sections: with the old blind
// 256-byte cut and with compaction to the default prompt budget.
func TestCompactSharedAPPS(t *testing.T) {
	dir := sharedData(t)
	var ps []Problem
	for _, f := range []string{"apps_train_codechain150.jsonl", "apps_stdin_mapcoder_teamcoder.jsonl"} {
		got, _, err := LoadFile(context.Background(), filepath.Join(dir, "apps", f), Options{})
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, got...)
	}
	has, keptCut, keptCompact, cut, over := 0, 0, 0, 0, 0
	for _, p := range ps {
		_, c := CompactStatement(p.Statement, 1200)
		if !c.HasInput || !c.HasOutput {
			continue
		}
		has++
		if c.KeptInput && c.KeptOutput {
			keptCompact++
		}
		if c.StoryCut {
			cut++
		}
		if c.OverBudget {
			over++
		}
		blind := p.Statement
		if len(blind) > 256 {
			blind = blind[:256]
		}
		if _, b := CompactStatement(blind, 0); b.KeptInput && b.KeptOutput && strings.Contains(blind, "utput") {
			keptCut++
		}
	}
	t.Logf("%d APPS statements, %d with Input and Output sections: both kept by a blind 256-byte cut %d, by compaction to 1200 bytes %d (%d stories shortened, %d over budget)",
		len(ps), has, keptCut, keptCompact, cut, over)
	if keptCompact != has || has < len(ps)*9/10 {
		t.Errorf("compaction kept Input and Output in %d of %d (statements %d)", keptCompact, has, len(ps))
	}
}
