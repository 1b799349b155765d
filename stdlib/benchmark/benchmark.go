// Package benchmark scores a model's released generations again with the
// project's pipeline and sets the result beside the scores the generations
// file records, as notebook 03 does for the study's 398 DeepSeek-Coder-6.7B
// completions on APPS+:
//
//   - [ReadCompletions] reads a generations JSONL file (one [Completion] a
//     line, with the study's recorded compiles, tests_passed,
//     has_security_issues, reward, …); [GenerationsFile] finds the shared
//     DeepSeek file.
//   - [Score] extracts every program with the auto extractor, judges it in
//     the sandbox on the worked examples of its statement
//     (apps.StatementExamples; the hidden APPS+ tests are not released) and
//     scans it with every [ScanVariant] alongside.
//   - The aggregates over the scored rows — [Stages], [Failures],
//     [Security], [Rules], [Compare], [VariantCauses], [ByAppended],
//     [TableI] — return typed values, and the *Table and *Bar functions lay
//     them out with a title in the shape display.Table, display.Bar and
//     display.NewBar/NewGroupedBar take, so a notebook cell is
//     display.Table(benchmark.StageTable(rows)).
//
// The public API has no generic functions or types, so a yaegi REPL can
// call all of it.
package benchmark

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/securecoderl/securecoderl/kernel"
	"github.com/securecoderl/securecoderl/sandbox"
	"github.com/securecoderl/securecoderl/scanners"
	"github.com/securecoderl/securecoderl/stdlib/apps"
	"github.com/securecoderl/securecoderl/stdlib/judge"
)

// SharedGenerations is the study's released DeepSeek-Coder-6.7B (base)
// generations file, relative to the shared data directory.
const SharedGenerations = "generations/deepseek-coder-6.7b-base_apps_plus_398.jsonl"

// Completion is one line of a generations file, with the study's scores.
type Completion struct {
	ID                string  `json:"prompt_id"`
	Prompt            string  `json:"prompt"`
	Completion        string  `json:"completion"`
	Model             string  `json:"model"`
	Reward            float64 `json:"reward"`
	RFunc             float64 `json:"rfunc"`
	RSec              float64 `json:"rsec"`
	Compiles          bool    `json:"compiles"`
	TestsPassed       int     `json:"tests_passed"`
	TestsTotal        int     `json:"tests_total"`
	HasSecurityIssues bool    `json:"has_security_issues"`
}

// GenerationsFile returns path, or when path is "" the shared
// SharedGenerations file (../shared/data or $SCRL_DATA_DIR), or an error
// saying where to put the shared data.
func GenerationsFile(path string) (string, error) {
	if path != "" {
		return path, nil
	}
	if p, ok := kernel.SharedFile(SharedGenerations); ok {
		return p, nil
	}
	return "", fmt.Errorf("shared file %s not found (put the shared data at ../shared/data or set %s)", SharedGenerations, kernel.DataDirEnv)
}

// ReadCompletions reads the first n completions of a generations JSONL file
// (n ≤ 0: all of them); blank lines are skipped. Errors name the file and
// line.
func ReadCompletions(path string, n int) ([]Completion, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Completion
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for line := 1; sc.Scan(); line++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var c Completion
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return nil, fmt.Errorf("%s: line %d: %w", path, line, err)
		}
		out = append(out, c)
		if n > 0 && len(out) == n {
			break
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// Scored is a completion after extraction, judging and scanning.
type Scored struct {
	Completion
	Program  string
	Notes    []string // the extractor's notes
	Appended bool     // the extractor appended the NAME() call
	Result   judge.Result
	Scans    map[string][]scanners.Finding // by ScanVariant name
	ScanErrs map[string]string             // by ScanVariant name, where the scan failed
}

// ScanVariant is one security scan of every program.
type ScanVariant struct {
	Name    string // the key of Scored.Scans
	Scanner string // for scanners.New
	Opts    scanners.Options
}

// The names of the scan variants, the keys of Scored.Scans.
const (
	ScanBandit       = "bandit"        // the project's default: Bandit, B322 dropped
	ScanBanditB322   = "bandit+B322"   // Bandit with B322 (input() flagged HIGH) kept
	ScanBanditStrfix = "bandit+strfix" // Bandit with the string-literal fix
	ScanNative       = "native"        // the native tree-sitter scanner
)

// ScanVariants are the security scans Score runs: the project's default,
// and the variants that explain the study's numbers.
func ScanVariants() []ScanVariant {
	return []ScanVariant{
		{ScanBandit, "bandit", scanners.Options{}},
		{ScanBanditB322, "bandit", scanners.Options{KeepB322: true}},
		{ScanBanditStrfix, "bandit", scanners.Options{FixStrDispatch: true}},
		{ScanNative, "native", scanners.Options{}},
	}
}

// Options configures Score.
type Options struct {
	Workers int           // sandbox workers (0: 2)
	Wall    time.Duration // wall-clock limit of one run (0: 4 s)
	// Progress, if set, is called with the number of programs judged so far
	// after each one (serially): display.Progress's Set fits.
	Progress func(done int)
}

// appendedNote starts the extractor's note when it appended the stub's call.
const appendedNote = "stub: appended the call"

// Extract is the first step of Score for one completion: the program (auto
// extractor), the extractor's notes, whether it appended the NAME() call,
// and the statement's worked examples as judge cases.
func Extract(c Completion) (Scored, []judge.Case, error) {
	x, err := apps.ExtractorAuto.Extract(c.Prompt, c.Completion)
	if err != nil {
		return Scored{}, nil, fmt.Errorf("%s: extract: %w", c.ID, err)
	}
	s := Scored{Completion: c, Program: x.Program, Notes: x.Notes, Scans: map[string][]scanners.Finding{}, ScanErrs: map[string]string{}}
	for _, n := range x.Notes {
		if strings.HasPrefix(n, appendedNote) {
			s.Appended = true
		}
	}
	var cases []judge.Case
	for _, t := range apps.StatementExamples(c.Prompt) {
		cases = append(cases, judge.Case{Input: t.Input, Expected: t.Expected})
	}
	return s, cases, nil
}

// Score extracts, judges (in a sandbox pool of its own, on the statement's
// examples, comparing lines) and scans with every ScanVariant each
// completion; the scans run while the programs are judged. Results are in
// the order of comps. The first judging or scanning error (naming the
// completion or the variant) cancels the rest and is returned.
func Score(ctx context.Context, comps []Completion, o Options) ([]Scored, error) {
	if o.Workers <= 0 {
		o.Workers = 2
	}
	if o.Wall <= 0 {
		o.Wall = 4 * time.Second
	}
	rows := make([]Scored, len(comps))
	cases := make([][]judge.Case, len(comps))
	for i, c := range comps {
		var err error
		if rows[i], cases[i], err = Extract(c); err != nil {
			return nil, err
		}
	}
	pool, err := sandbox.New(ctx, sandbox.Config{Workers: o.Workers, Limits: sandbox.Limits{Wall: o.Wall}})
	if err != nil {
		return nil, err
	}
	defer pool.Close()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	var first error
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if first == nil {
			first = err
			cancel()
		}
	}
	// The scans fill Scans and ScanErrs only; judging fills Result.
	scans := make([]map[string][]scanners.Finding, len(rows))
	scanErrs := make([]map[string]string, len(rows))
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := scanAll(ctx, rows, scans, scanErrs); err != nil {
			fail(err)
		}
	}()
	done := 0
	sem := make(chan struct{}, 2*pool.Workers())
	var jwg sync.WaitGroup
loop:
	for i := range rows {
		select {
		case <-ctx.Done():
			break loop
		case sem <- struct{}{}:
		}
		jwg.Add(1)
		go func(i int) {
			defer jwg.Done()
			defer func() { <-sem }()
			r, err := judge.Judge(ctx, pool, judge.Task{Program: sandbox.Program{Source: rows[i].Program}, Cases: cases[i], Compare: judge.Lines})
			if err != nil {
				fail(fmt.Errorf("%s: %w", rows[i].ID, err))
				return
			}
			mu.Lock()
			defer mu.Unlock()
			rows[i].Result = r
			done++
			if o.Progress != nil {
				o.Progress(done)
			}
		}(i)
	}
	jwg.Wait()
	wg.Wait()
	if first != nil {
		return nil, first
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i := range rows {
		rows[i].Scans, rows[i].ScanErrs = scans[i], scanErrs[i]
	}
	return rows, nil
}

// scanAll scans every program with each ScanVariant in turn.
func scanAll(ctx context.Context, rows []Scored, scans []map[string][]scanners.Finding, scanErrs []map[string]string) error {
	srcs := make([]scanners.Source, len(rows))
	for i, r := range rows {
		srcs[i] = scanners.Source{Name: r.ID, Code: r.Program}
		scans[i], scanErrs[i] = map[string][]scanners.Finding{}, map[string]string{}
	}
	for _, v := range ScanVariants() {
		sc, err := scanners.New(v.Scanner, v.Opts)
		if err != nil {
			return fmt.Errorf("scan %s: %w", v.Name, err)
		}
		reps, err := sc.Scan(ctx, srcs)
		scanners.Close(sc)
		if err != nil {
			return fmt.Errorf("scan %s: %w", v.Name, err)
		}
		if len(reps) != len(srcs) {
			return fmt.Errorf("scan %s: %d reports for %d programs", v.Name, len(reps), len(srcs))
		}
		for i, r := range reps {
			scans[i][v.Name] = r.Findings
			if r.Err != "" {
				scanErrs[i][v.Name] = r.Err
			}
		}
	}
	return nil
}

// Summary is what the scoring step reports.
type Summary struct {
	N          int    // completions scored
	Model      string // the first completion's model
	WithTests  int    // programs whose statement has worked examples to run
	ScanErrors int    // failed scans, over all variants
}

// Summarize counts the scored rows.
func Summarize(rows []Scored) Summary {
	s := Summary{N: len(rows)}
	if len(rows) > 0 {
		s.Model = rows[0].Model
	}
	for _, r := range rows {
		if r.Result.Total > 0 {
			s.WithTests++
		}
		s.ScanErrors += len(r.ScanErrs)
	}
	return s
}
