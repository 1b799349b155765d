package apps

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestOverviewSources(t *testing.T) {
	shared := t.TempDir()
	dir := filepath.Join(shared, "apps")
	for _, name := range []string{"b.jsonl", "a.jsonl", "notes.txt", "dir.jsonl/x"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	empty := t.TempDir()
	file := filepath.Join(empty, "a-file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	a, b := filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl")
	fallback := []string{SynthPrefix, ""}
	tests := []struct {
		name      string
		source    string
		sharedDir string
		firstOnly bool
		want      []string
	}{
		{"a named file", "x.jsonl", shared, false, []string{"x.jsonl"}},
		{"a synthetic source", "synth:n=10", shared, false, []string{"synth:n=10"}},
		{"the embedded set", "embedded", shared, false, []string{""}},
		{"every shared file, by name", "", shared, false, []string{SynthPrefix, a, b}},
		{"the first shared file", "", shared, true, []string{SynthPrefix, a}},
		{"no shared directory", "", "", false, fallback},
		{"no apps directory", "", empty, false, fallback},
		{"missing shared directory", "", filepath.Join(empty, "missing"), false, fallback},
		{"shared directory is a file", "", file, false, fallback},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := OverviewSources(tt.source, tt.sharedDir, tt.firstOnly)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// fixtureSets loads a small synthetic set, the embedded set and the APPS
// rows fixture.
func fixtureSets(t *testing.T) []Set {
	t.Helper()
	sets, err := LoadSets(context.Background(), []string{"synth:n=60:seed=3", "", "testdata/apps_rows.jsonl"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return sets
}

func TestLoadSets(t *testing.T) {
	sets := fixtureSets(t)
	want := []struct {
		name     string
		problems int
	}{{"synth:n=60:seed=3", 60}, {EmbeddedSetName, 25}, {"apps_rows.jsonl", 4}}
	for i, w := range want {
		if sets[i].Name != w.name || len(sets[i].Problems) != w.problems || sets[i].Report.Loaded != w.problems {
			t.Errorf("set %d: %s with %d problems, want %s with %d", i, sets[i].Name, len(sets[i].Problems), w.name, w.problems)
		}
	}
	_, err := LoadSets(context.Background(), []string{"testdata/missing.jsonl"}, Options{})
	if err == nil || !strings.Contains(err.Error(), "missing.jsonl") || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want an error naming it that wraps fs.ErrNotExist", err)
	}
}

func TestOverviewRows(t *testing.T) {
	sets := fixtureSets(t)
	tests := []struct {
		name string
		rows func() (header []string, rows [][]any)
		want [][]any
	}{
		{"files", func() ([]string, [][]any) { return FileRows(sets[2:]) },
			[][]any{{"apps_rows.jsonl", "8388541d057b73ed", "apps", "jsonl", 4, 4, 0, 0}}},
		{"kinds", func() ([]string, [][]any) { return KindRows(sets[2:]) }, [][]any{
			{"apps_rows.jsonl", "introductory", 1, 1, 2},
			{"apps_rows.jsonl", "interview", 1, 0, 1},
			{"apps_rows.jsonl", "competition", 1, 0, 1},
			{"apps_rows.jsonl", "all", 3, 1, 4},
		}},
		{"tests", func() ([]string, [][]any) { return TestRows(sets[1:]) }, [][]any{
			{EmbeddedSetName, 25, 144, 5, 6.0, 7, 0, 25, 47, 25, 25},
			{"apps_rows.jsonl", 4, 7, 1, 2.0, 2, 0, 0, 0, 2, 2},
		}},
		{"problem", func() ([]string, [][]any) { return ProblemRows(sets[2].Problems[0], "apps_rows.jsonl") }, [][]any{
			{"file", "apps_rows.jsonl"}, {"index", 0}, {"difficulty", "introductory"}, {"kind", "stdin"},
			{"tests", 2}, {"statement examples", 0}, {"reference solutions", 1}, {"url", "https://example.com/1"},
		}},
		{"test sample", func() ([]string, [][]any) { return TestSampleRows(sets[2].Problems[0], 1) }, [][]any{{1, "1 2", "3"}}},
		{"test sample beyond the tests", func() ([]string, [][]any) { return TestSampleRows(sets[2].Problems[0], 5) },
			[][]any{{1, "1 2", "3"}, {2, "10 -3", "7"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header, rows := tt.rows()
			if !reflect.DeepEqual(rows, tt.want) {
				t.Errorf("rows %v, want %v", rows, tt.want)
			}
			for i, r := range rows {
				if len(r) != len(header) {
					t.Errorf("row %d has %d cells for %d columns", i, len(r), len(header))
				}
			}
		})
	}
}

func TestDifficultySeries(t *testing.T) {
	labels, names, values := DifficultySeries(fixtureSets(t))
	if want := []string{"introductory", "interview", "competition"}; !reflect.DeepEqual(labels, want) {
		t.Errorf("labels %q, want %q", labels, want)
	}
	if want := []string{"synth:n=60:seed=3", EmbeddedSetName, "apps_rows.jsonl"}; !reflect.DeepEqual(names, want) {
		t.Errorf("names %q, want %q", names, want)
	}
	if want := [][]float64{{23, 21, 16}, {10, 10, 5}, {2, 1, 1}}; !reflect.DeepEqual(values, want) {
		t.Errorf("values %v, want %v", values, want)
	}
}

func TestSplitRows(t *testing.T) {
	sets := fixtureSets(t)
	title, header, rows := SplitRows(sets[0])
	if title != "synth:n=60:seed=3: 60 problems of 59 families (7 tempting, 10 insecure references)" {
		t.Errorf("title %q", title)
	}
	total := 0
	for _, r := range rows {
		if len(r) != len(header) {
			t.Fatalf("row %v for header %v", r, header)
		}
		total += r[1].(int)
		if tiers := r[2].(int) + r[3].(int) + r[4].(int); tiers != r[1].(int) {
			t.Errorf("split %s: tiers add up to %d, not %d", r[0], tiers, r[1])
		}
	}
	if len(rows) != 4 || total != 60 {
		t.Errorf("%d splits with %d problems, want 4 with 60", len(rows), total)
	}
	if title, _, rows := SplitRows(sets[2]); title != "" || rows != nil {
		t.Errorf("APPS set: %q, %v; want no rows", title, rows)
	}
}

func TestSkipNotes(t *testing.T) {
	skips := func(n int) []Skip {
		var out []Skip
		for i := range n {
			out = append(out, Skip{Source: "f.jsonl", Index: i, Reason: "bad"})
		}
		return out
	}
	tests := []struct {
		skips int
		max   int
		want  []string
	}{
		{0, 5, nil},
		{2, 5, []string{"f: skipped f.jsonl: record 0: bad", "f: skipped f.jsonl: record 1: bad"}},
		{3, 1, []string{"f: skipped f.jsonl: record 0: bad", "f: … and 2 more skipped records"}},
	}
	for _, tt := range tests {
		got := SkipNotes([]Set{{Name: "f", Report: LoadReport{Skips: skips(tt.skips)}}}, tt.max)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%d skips, max %d: %q, want %q", tt.skips, tt.max, got, tt.want)
		}
	}
}

func TestPick(t *testing.T) {
	sets := fixtureSets(t)
	noSolutions := []Set{{Name: "bare", Problems: []Problem{
		{ID: "c", Kind: KindCall, Tests: []Test{{}}},
		{ID: "s", Kind: KindStdin},
		{ID: "t", Kind: KindStdin, Tests: []Test{{}}},
	}}}
	tests := []struct {
		name     string
		sets     []Set
		id       string
		wantID   string
		wantFrom string
		wantErr  string
	}{
		{"first with tests and a solution", sets, "", "sum_list-0000", "synth:n=60:seed=3", ""},
		{"by id, in a later set", sets, "abc-4", "abc-4", "apps_rows.jsonl", ""},
		{"a call problem by id", sets, "2", "2", "apps_rows.jsonl", ""},
		{"no solution anywhere", noSolutions, "", "t", "bare", ""},
		{"unknown id", sets, "nope", "", "", `no problem "nope" in synth:n=60:seed=3, embedded set, apps_rows.jsonl`},
		{"nothing to pick", []Set{{Name: "e"}}, "", "", "", "no stdin problem with tests in e"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, from, err := Pick(tt.sets, tt.id)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || p.ID != tt.wantID || from != tt.wantFrom {
				t.Errorf("got %s from %s (%v), want %s from %s", p.ID, from, err, tt.wantID, tt.wantFrom)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"short\n\n", 10, "short"},
		{"exactly", 7, "exactly"},
		{"a longer line", 8, "a longer…"},
		{"héllo wörld", 5, "héllo…"},
		{"", 3, ""},
	}
	for _, tt := range tests {
		if got := Truncate(tt.s, tt.n); got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

// TestOverviewShared checks the overview of the shared APPS files (the
// tables of notebook 01); skipped when the shared data is absent.
func TestOverviewShared(t *testing.T) {
	shared := sharedData(t)
	sources, err := OverviewSources("", shared, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(sources) < 3 || sources[0] != SynthPrefix {
		t.Fatalf("sources %q: want synth and the shared files", sources)
	}
	sets, err := LoadSets(context.Background(), sources, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, files := FileRows(sets)
	_, tests := TestRows(sets)
	for i, s := range sets {
		switch s.Name {
		case "synth:n=2400:seed=1":
			if files[i][5] != 2400 || tests[i][2] != 30273 {
				t.Errorf("synth: %v problems, %v tests; want 2400, 30273", files[i][5], tests[i][2])
			}
		case "apps_train_codechain150.jsonl":
			if !strings.HasPrefix(s.Report.SHA256, "a4649ac7eadcce14") {
				t.Skipf("unexpected file version, sha256 %s", s.Report.SHA256)
			}
			if files[i][5] != 150 || tests[i][2] != 959 || tests[i][10] != 2312 {
				t.Errorf("codechain150: %v problems, %v tests, %v solutions; want 150, 959, 2312", files[i][5], tests[i][2], tests[i][10])
			}
		case "apps_stdin_mapcoder_teamcoder.jsonl":
			if files[i][5] != 283 || files[i][7] != 12 {
				t.Errorf("mapcoder: %v problems, %v duplicate ids; want 283, 12", files[i][5], files[i][7])
			}
		}
	}
	if p, from, err := Pick(sets, ""); err != nil || p.ID != "sum_list-0000" || from != "synth:n=2400:seed=1" {
		t.Errorf("Pick: %s from %s (%v), want sum_list-0000 from the synthetic set", p.ID, from, err)
	}
}
