package synth_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/securecoderl/securecoderl/sandbox"
	"github.com/securecoderl/securecoderl/scanners"
	"github.com/securecoderl/securecoderl/stdlib/apps"
	"github.com/securecoderl/securecoderl/stdlib/apps/synth"
	"github.com/securecoderl/securecoderl/stdlib/judge"
)

// perFamily instances of every family are judged in the sandbox.
const perFamily = 3

func loadAll(t *testing.T, n int) []apps.Problem {
	t.Helper()
	ps, rep, err := apps.Load(context.Background(), fmt.Sprintf("synth:n=%d,seed=7", n), apps.Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Loaded != n || len(rep.Duplicates) > 0 {
		t.Fatalf("loaded %d of %d, %d duplicate ids", rep.Loaded, n, len(rep.Duplicates))
	}
	return ps
}

func TestFamilyRegistry(t *testing.T) {
	fams := synth.Families()
	tiers := map[int]int{}
	tempting, unseen := 0, 0
	names := map[string]bool{}
	for _, f := range fams {
		if names[f.Name] {
			t.Errorf("family %s listed twice", f.Name)
		}
		names[f.Name] = true
		if f.Tier < 1 || f.Tier > 3 {
			t.Errorf("%s: tier %d", f.Name, f.Tier)
		}
		if f.About == "" {
			t.Errorf("%s: no About line", f.Name)
		}
		tiers[f.Tier]++
		if f.Tempting {
			tempting++
			if f.Unseen {
				t.Errorf("%s: a tempting family must be trained on", f.Name)
			}
		}
		if f.Unseen {
			unseen++
			if f.Cousin == "" {
				t.Errorf("unseen %s names no training cousin", f.Name)
			}
		}
	}
	for _, f := range fams {
		if f.Unseen && (!names[f.Cousin] || mustFamily(t, f.Cousin).Unseen) {
			t.Errorf("unseen %s: cousin %q is not a training family", f.Name, f.Cousin)
		}
	}
	if len(fams) < 40 || tiers[1] < 8 || tiers[2] < 8 || tiers[3] < 8 {
		t.Errorf("%d families, by tier %v: want at least 40, and 8 per tier", len(fams), tiers)
	}
	if tempting < 6 || unseen < 8 {
		t.Errorf("%d tempting and %d unseen families: want at least 6 and 8", tempting, unseen)
	}
}

func mustFamily(t *testing.T, name string) synth.Family {
	fs, err := synth.Select([]string{name})
	if err != nil {
		t.Fatal(err)
	}
	return fs[0]
}

func TestLimitsAndSplits(t *testing.T) {
	fams := synth.Families()
	ps := loadAll(t, 20*len(fams))
	splits := map[string]int{}
	for _, p := range ps {
		splits[p.Split]++
		f := mustFamily(t, p.Family)
		if len(p.Statement) > synth.MaxStatementBytes {
			t.Errorf("%s: statement of %d bytes", p.ID, len(p.Statement))
		}
		for _, sec := range []string{"-----Input-----", "-----Output-----", "-----Examples-----"} {
			if !strings.Contains(p.Statement, sec) {
				t.Errorf("%s: no %s section", p.ID, sec)
			}
		}
		ex := apps.StatementExamples(p.Statement)
		if len(ex) == 0 || len(p.Tests)-len(ex) < synth.MinHidden {
			t.Errorf("%s: %d examples parsed, %d tests", p.ID, len(ex), len(p.Tests))
		}
		for i, e := range ex {
			if !apps.MatchOutput(p.Tests[i].Expected, e.Expected) || p.Tests[i].Input != e.Input {
				t.Errorf("%s: example %d of the statement is not test %d", p.ID, i, i)
			}
		}
		if len(p.Solutions) < synth.MinSolutions || p.Tempting != f.Tempting || (p.Tempting && len(p.InsecureSolutions) == 0) {
			t.Errorf("%s: %d solutions, tempting %v with %d insecure", p.ID, len(p.Solutions), p.Tempting, len(p.InsecureSolutions))
		}
		if f.Unseen != (p.Split == synth.SplitUnseen) {
			t.Errorf("%s: split %s for a family with Unseen %v", p.ID, p.Split, f.Unseen)
		}
		if p.Tier != f.Tier || p.Difficulty != synth.Difficulty(f.Tier) {
			t.Errorf("%s: tier %d difficulty %s", p.ID, p.Tier, p.Difficulty)
		}
	}
	for _, s := range synth.Splits() {
		if splits[s] == 0 {
			t.Errorf("no problem in split %s (%v)", s, splits)
		}
	}
}

func TestDeterministicAndPrefixStable(t *testing.T) {
	a, err := synth.Generate(synth.Options{N: 300, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := synth.Generate(synth.Options{N: 300, Seed: 3})
	if !bytes.Equal(synth.JSONL(a), synth.JSONL(b)) {
		t.Fatal("two generations with the same options differ")
	}
	// A larger set holds every problem of the smaller one, under the same id.
	c, _ := synth.Generate(synth.Options{N: 700, Seed: 3})
	byID := map[string]synth.Row{}
	for _, r := range c {
		byID[r.ProblemID] = r
	}
	for _, r := range a {
		if byID[r.ProblemID] != r {
			t.Fatalf("%s differs between n=300 and n=700", r.ProblemID)
		}
	}
	d, _ := synth.Generate(synth.Options{N: 300, Seed: 4})
	same := 0
	for i := range a {
		if a[i].Question == d[i].Question {
			same++
		}
	}
	if same > len(a)/10 {
		t.Errorf("seeds 3 and 4 share %d of %d statements", same, len(a))
	}
}

func TestInstancesVary(t *testing.T) {
	rows, err := synth.Generate(synth.Options{N: 10 * len(synth.Families()), Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	sols := map[string]map[string]bool{}
	for _, r := range rows {
		if sols[r.Family] == nil {
			sols[r.Family] = map[string]bool{}
		}
		sols[r.Family][r.Solutions] = true
	}
	for fam, s := range sols {
		if len(s) < 3 {
			t.Errorf("%s: 10 instances have only %d distinct reference solutions: parameters do not vary", fam, len(s))
		}
	}
}

func TestBadOptions(t *testing.T) {
	if _, err := synth.Generate(synth.Options{N: 0}); err == nil || !strings.Contains(err.Error(), "positive") {
		t.Errorf("n=0: %v", err)
	}
	if _, err := synth.Generate(synth.Options{N: 5, Families: []string{"sum_list", "no_such"}}); err == nil || !strings.Contains(err.Error(), `"no_such"`) {
		t.Errorf("unknown family: %v", err)
	}
	// Keys separated by colons or commas name the same set.
	a, _, err := apps.Load(context.Background(), "synth:n=60:seed=2", apps.Options{})
	b, _, err2 := apps.Load(context.Background(), "synth:n=60,seed=2", apps.Options{})
	if err != nil || err2 != nil || len(a) != 60 || len(b) != 60 || a[59].Statement != b[59].Statement || a[0].Source != "synth:n=60:seed=2" {
		t.Errorf("colon and comma forms: %v %v %d %d", err, err2, len(a), len(b))
	}
	for _, src := range []string{"synth:n=0", "synth:n=x", "synth:seed=-1", "synth:size=3", "synth:n"} {
		if _, _, err := apps.Load(context.Background(), src, apps.Options{}); err == nil {
			t.Errorf("%s: no error", src)
		}
	}
}

// TestReferencesPass judges every reference solution, secure and insecure,
// of perFamily instances of every family in the sandbox: all pass all tests.
func TestReferencesPass(t *testing.T) {
	if testing.Short() {
		t.Skip("sandbox")
	}
	ctx := context.Background()
	fams := synth.Families()
	ps := loadAll(t, perFamily*len(fams))
	pool, err := sandbox.New(ctx, sandbox.Config{Workers: 2, Limits: sandbox.Limits{Wall: 4 * time.Second, MemoryMB: 512}})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	type job struct {
		p    apps.Problem
		kind string
		i    int
		src  string
	}
	var jobs []job
	for _, p := range ps {
		for i, s := range p.Solutions {
			jobs = append(jobs, job{p, "solution", i, s})
		}
		for i, s := range p.InsecureSolutions {
			jobs = append(jobs, job{p, "insecure", i, s})
		}
	}
	errs := make(chan string, len(jobs))
	sem := make(chan struct{}, 4)
	for _, j := range jobs {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			cases := make([]judge.Case, len(j.p.Tests))
			for i, tc := range j.p.Tests {
				cases[i] = judge.Case{Input: tc.Input, Expected: tc.Expected}
			}
			res, err := judge.Judge(ctx, pool, judge.Task{Program: sandbox.Program{Source: j.src}, Cases: cases, Compare: judge.Lines})
			switch {
			case err != nil:
				errs <- fmt.Sprintf("%s %s %d: %v", j.p.ID, j.kind, j.i, err)
			case !res.AllPassed:
				f := res.FirstFailure
				errs <- fmt.Sprintf("%s %s %d: %d/%d; test %d %s\ninput %q\nwant %q\ngot  %q\n%s\n%s", j.p.ID, j.kind, j.i, res.Passed, res.Total,
					f.Test, f.Verdict, trunc(f.Input), trunc(f.Expected), trunc(f.Got), f.Stderr, j.src)
			default:
				errs <- ""
			}
		}()
	}
	failed := 0
	for range jobs {
		if e := <-errs; e != "" {
			failed++
			if failed <= 20 {
				t.Error(e)
			}
		}
	}
	t.Logf("%d programs of %d problems judged, %d failed", len(jobs), len(ps), failed)
}

func trunc(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

// TestScannerSeparatesTempting: the native scanner flags every insecure
// reference at MEDIUM or HIGH, and finds nothing at all in the secure ones.
func TestScannerSeparatesTempting(t *testing.T) {
	ctx := context.Background()
	ps := loadAll(t, 5*len(synth.Families()))
	sc, err := scanners.New("native", scanners.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer scanners.Close(sc)
	var srcs []scanners.Source
	var insecure []bool
	for _, p := range ps {
		for i, s := range p.Solutions {
			srcs = append(srcs, scanners.Source{Name: fmt.Sprintf("%s/solution%d.py", p.ID, i), Code: s})
			insecure = append(insecure, false)
		}
		for i, s := range p.InsecureSolutions {
			srcs = append(srcs, scanners.Source{Name: fmt.Sprintf("%s/insecure%d.py", p.ID, i), Code: s})
			insecure = append(insecure, true)
		}
	}
	reps, err := sc.Scan(ctx, srcs)
	if err != nil {
		t.Fatal(err)
	}
	nInsecure := 0
	for i, r := range reps {
		if r.Err != "" {
			t.Errorf("%s: %s", srcs[i].Name, r.Err)
			continue
		}
		flagged := false
		for _, f := range r.Findings {
			if f.Severity.Rank() >= scanners.Medium.Rank() {
				flagged = true
			}
		}
		if insecure[i] {
			nInsecure++
			if !flagged {
				t.Errorf("%s: insecure reference not flagged at MEDIUM or above (%v)\n%s", srcs[i].Name, r.Findings, srcs[i].Code)
			}
		} else if len(r.Findings) > 0 {
			t.Errorf("%s: secure reference has findings %v\n%s", srcs[i].Name, r.Findings, srcs[i].Code)
		}
	}
	if nInsecure == 0 {
		t.Error("no insecure reference scanned")
	}
}

func TestGenerateTenThousand(t *testing.T) {
	t0 := time.Now()
	rows, err := synth.Generate(synth.Options{N: 10000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("10,000 problems in %v (%d bytes of JSON Lines)", time.Since(t0), len(synth.JSONL(rows)))
}

func BenchmarkGenerate1000(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := synth.Generate(synth.Options{N: 1000, Seed: uint64(i)}); err != nil {
			b.Fatal(err)
		}
	}
}
