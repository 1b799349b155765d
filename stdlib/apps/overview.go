package apps

// An overview of problem files (notebook 01): what was loaded from each
// file, its synthetic splits and tiers, its problems by kind and
// difficulty, its tests, and one problem in full. The Rows functions
// return a table's header and rows, ready for display.Table.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/securecoderl/securecoderl/stdlib/apps/synth"
)

// EmbeddedSetName is the name LoadSets gives the embedded problem set.
const EmbeddedSetName = "embedded set"

// Set is one loaded problem file.
type Set struct {
	// Name is the file's base name, the synthetic source in its canonical
	// form ("synth:n=2400:seed=1"), or EmbeddedSetName for source "".
	Name     string
	Problems []Problem
	Report   LoadReport
}

// OverviewSources lists the problem files an overview reads, for Load:
// source itself when set ("embedded" for the embedded set, which Load
// reads from ""); else the default synthetic set and every *.jsonl file
// in sharedDir/apps, by name (only the first when firstOnly); else, when
// sharedDir is "" or has no such file, the synthetic and the embedded set.
func OverviewSources(source, sharedDir string, firstOnly bool) ([]string, error) {
	switch source {
	case "embedded":
		return []string{""}, nil
	case "":
	default:
		return []string{source}, nil
	}
	fallback := []string{SynthPrefix, ""}
	if sharedDir == "" {
		return fallback, nil
	}
	dir := filepath.Join(sharedDir, "apps")
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fallback, nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("apps: shared problem files: %w", err)
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".jsonl") {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	if len(files) == 0 {
		return fallback, nil
	}
	if firstOnly {
		files = files[:1]
	}
	return append([]string{SynthPrefix}, files...), nil
}

// LoadSets loads every source with Load and names it (see Set.Name).
func LoadSets(ctx context.Context, sources []string, opts Options) ([]Set, error) {
	var sets []Set
	for _, src := range sources {
		name := filepath.Base(src)
		if src == "" {
			name = EmbeddedSetName
		}
		ps, rep, err := Load(ctx, src, opts)
		if err != nil {
			return nil, fmt.Errorf("apps: load %s: %w", name, err)
		}
		if IsSynthSource(src) {
			name = rep.Source
		}
		sets = append(sets, Set{Name: name, Problems: ps, Report: rep})
	}
	return sets, nil
}

// Difficulties are the difficulty levels, easiest first, and "unknown"
// for problems without one.
func Difficulties() []string {
	return []string{DifficultyIntroductory, DifficultyInterview, DifficultyCompetition, "unknown"}
}

// DifficultyOf is p's difficulty, "unknown" when it has none.
func DifficultyOf(p Problem) string {
	if p.Difficulty == "" {
		return "unknown"
	}
	return p.Difficulty
}

// Truncate shortens s, without its trailing newlines, to n runes and an
// ellipsis.
func Truncate(s string, n int) string {
	s = strings.TrimRight(s, "\n")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// FileRows describes what was loaded: one row per set with its SHA-256
// (first 16 hex digits), schema, format, records, problems, skipped
// records and duplicate IDs.
func FileRows(sets []Set) (header []string, rows [][]any) {
	header = []string{"file", "sha256", "schema", "format", "records", "problems", "skipped", "duplicate ids"}
	for _, s := range sets {
		r := s.Report
		sha := r.SHA256
		if len(sha) > 16 {
			sha = sha[:16]
		}
		rows = append(rows, []any{s.Name, sha, string(r.Schema), r.Format, r.Records, r.Loaded, r.Skipped, len(r.Duplicates)})
	}
	return header, rows
}

// SkipNotes lists each set's skipped records, "NAME: skipped SKIP", at
// most max a set and then how many more there are.
func SkipNotes(sets []Set, max int) []string {
	var notes []string
	for _, s := range sets {
		for i, sk := range s.Report.Skips {
			if i == max {
				notes = append(notes, fmt.Sprintf("%s: … and %d more skipped records", s.Name, len(s.Report.Skips)-max))
				break
			}
			notes = append(notes, fmt.Sprintf("%s: skipped %s", s.Name, sk))
		}
	}
	return notes
}

// SplitRows lays out a synthetic set by split and tier, with a title
// counting its problems, families, tempting problems and insecure
// references. A set without families (APPS) has no rows.
func SplitRows(s Set) (title string, header []string, rows [][]any) {
	st := Stats(s.Problems)
	if st.Families == 0 {
		return "", nil, nil
	}
	for _, sp := range synth.Splits() {
		t := st.TiersBySplit[sp]
		rows = append(rows, []any{sp, st.BySplit[sp], t[1], t[2], t[3]})
	}
	title = fmt.Sprintf("%s: %d problems of %d families (%d tempting, %d insecure references)", s.Name, st.Problems, st.Families, st.Tempting, st.Insecure)
	return title, []string{"split", "problems", "tier 1", "tier 2", "tier 3"}, rows
}

// KindRows counts each set's stdin and call problems per difficulty (the
// "unknown" row only when there are some) and in all.
func KindRows(sets []Set) (header []string, rows [][]any) {
	header = []string{"file", "difficulty", "stdin", "call", "total"}
	for _, s := range sets {
		byKind := kindsByDifficulty(s.Problems)
		var stdin, call int
		for _, d := range Difficulties() {
			k := byKind[d]
			n := k[KindStdin] + k[KindCall]
			if n == 0 && d == "unknown" {
				continue
			}
			rows = append(rows, []any{s.Name, d, k[KindStdin], k[KindCall], n})
			stdin += k[KindStdin]
			call += k[KindCall]
		}
		rows = append(rows, []any{s.Name, "all", stdin, call, stdin + call})
	}
	return header, rows
}

// DifficultySeries counts each set's stdin and call problems at the
// three known difficulties, for a grouped bar chart: labels are the
// difficulties, names the sets, values[set][difficulty].
func DifficultySeries(sets []Set) (labels, names []string, values [][]float64) {
	labels = Difficulties()[:3]
	for _, s := range sets {
		byKind := kindsByDifficulty(s.Problems)
		row := make([]float64, len(labels))
		for i, d := range labels {
			row[i] = float64(byKind[d][KindStdin] + byKind[d][KindCall])
		}
		names = append(names, s.Name)
		values = append(values, row)
	}
	return labels, names, values
}

func kindsByDifficulty(ps []Problem) map[string]map[Kind]int {
	out := map[string]map[Kind]int{}
	for _, p := range ps {
		d := DifficultyOf(p)
		if out[d] == nil {
			out[d] = map[Kind]int{}
		}
		out[d][p.Kind]++
	}
	return out
}

// TestCounts is the number of tests of each problem, for a histogram.
func TestCounts(ps []Problem) []int {
	counts := make([]int, len(ps))
	for i, p := range ps {
		counts[i] = len(p.Tests)
	}
	return counts
}

// TestRows describes each set's tests (in all and per problem: min,
// median, max; problems without any), the worked examples
// StatementExamples finds in the statements, and the reference solutions.
func TestRows(sets []Set) (header []string, rows [][]any) {
	header = []string{"file", "problems", "tests", "min", "median", "max", "problems without tests",
		"statements with examples", "examples", "problems with solutions", "solutions"}
	for _, s := range sets {
		st := Stats(s.Problems)
		none, withExamples, examples := 0, 0, 0
		for _, p := range s.Problems {
			if len(p.Tests) == 0 {
				none++
			}
			if ex := StatementExamples(p.Statement); len(ex) > 0 {
				withExamples++
				examples += len(ex)
			}
		}
		rows = append(rows, []any{s.Name, st.Problems, st.Tests, st.TestsPerProblem.Min, st.TestsPerProblem.Median, st.TestsPerProblem.Max,
			none, withExamples, examples, st.WithSolutions, st.Solutions})
	}
	return header, rows
}

// Pick finds the problem with ID id in sets, and the name of its set;
// with id "", the first stdin problem with tests and a reference
// solution, else the first stdin problem with tests.
func Pick(sets []Set, id string) (Problem, string, error) {
	for pass := 0; pass < 2; pass++ {
		for _, s := range sets {
			for _, p := range s.Problems {
				auto := p.Kind == KindStdin && len(p.Tests) > 0 && (pass == 1 || len(p.Solutions) > 0)
				if (id != "" && p.ID == id) || (id == "" && auto) {
					return p, s.Name, nil
				}
			}
		}
	}
	names := make([]string, len(sets))
	for i, s := range sets {
		names[i] = s.Name
	}
	if id == "" {
		return Problem{}, "", fmt.Errorf("apps: no stdin problem with tests in %s", strings.Join(names, ", "))
	}
	return Problem{}, "", fmt.Errorf("apps: no problem %q in %s", id, strings.Join(names, ", "))
}

// ProblemRows describes p, from the set named from: one field a row.
func ProblemRows(p Problem, from string) (header []string, rows [][]any) {
	return []string{"field", "value"}, [][]any{
		{"file", from}, {"index", p.Index}, {"difficulty", DifficultyOf(p)}, {"kind", string(p.Kind)},
		{"tests", len(p.Tests)}, {"statement examples", len(StatementExamples(p.Statement))},
		{"reference solutions", len(p.Solutions)}, {"url", p.URL},
	}
}

// TestSampleRows lists p's first max tests, input and expected output
// truncated to 120 and 80 runes.
func TestSampleRows(p Problem, max int) (header []string, rows [][]any) {
	for i, t := range p.Tests[:min(max, len(p.Tests))] {
		rows = append(rows, []any{i + 1, Truncate(t.Input, 120), Truncate(t.Expected, 80)})
	}
	return []string{"#", "input", "expected output"}, rows
}
