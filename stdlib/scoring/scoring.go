// Package scoring is the one pipeline that turns programs into rewards:
// each program is judged against its tests in the sandbox while the whole
// batch is scanned for security findings concurrently, and the combined
// reward R = α·R_func + β·R_sec is computed from both. `scrl score`, PPO
// rollouts (stdlib/rl) and held-out evaluation all call Run, so a program
// gets the same verdicts and reward wherever it is scored.
package scoring

import (
	"context"
	"fmt"
	"sync"

	"github.com/securecoderl/securecoderl/sandbox"
	"github.com/securecoderl/securecoderl/scanners"
	"github.com/securecoderl/securecoderl/stdlib/apps"
	"github.com/securecoderl/securecoderl/stdlib/judge"
	"github.com/securecoderl/securecoderl/stdlib/reward"
)

// Item is one program to score.
type Item struct {
	Name    string          // names the program in scanner reports and errors
	Program sandbox.Program // what runs
	Cases   []judge.Case    // the tests the reward is computed on
	// Visible are optional extra tests judged separately (e.g. the
	// statement's examples, for best-of-k selection); they do not enter the
	// reward.
	Visible []judge.Case
}

// Result is one scored program.
type Result struct {
	Judged  judge.Result    // on Cases
	Visible judge.Result    // on Visible (zero when there were none)
	Report  scanners.Report // the scanner's findings (Findings never nil)
	Total   reward.Total    // R_func, R_sec and R with their explanations
}

// SecClean says the program is security-clean: nothing at or above the
// reward's severity threshold, and the scan did not fail on a program that
// parses. (A program that does not parse cannot be scanned — scanners report
// that as an error, as Bandit does — and has no findings: it counts as
// clean, as in the study. A scanner failing on valid Python is not clean,
// even though R_sec treats it as finding-free.)
func (r Result) SecClean() bool {
	if len(r.Total.Sec.Counted) > 0 {
		return false
	}
	return r.Report.Err == "" || r.Judged.Syntax != nil
}

// Options configures Run.
type Options struct {
	Pool    sandbox.Tester // a local pool, or remote sandboxes (sandbox.Remote)
	Scanner scanners.Scanner
	Reward  reward.Combined
	Compare judge.Preset
	// Limits replace the pool's limits for the runs (zero fields: the
	// pool's), e.g. a service's per-request timeout.
	Limits sandbox.Limits
	// Parallel is how many programs are judged at once (0: twice the pool's
	// workers, which keeps every worker busy while results are compared).
	Parallel int
	// Progress, if set, is called after each program is judged (serially).
	Progress func(done, total int)
}

// Run scores items (results in item order). Scanning the batch runs
// concurrently with judging. The first judging error (a sandbox failure, not
// a failing program, named by its item) or scanner error cancels the rest
// and is returned; so is the context's error if it ends first.
func Run(ctx context.Context, o Options, items []Item) ([]Result, error) {
	if o.Pool == nil || o.Scanner == nil {
		return nil, fmt.Errorf("scoring: a sandbox pool and a scanner are required")
	}
	// The first error (a judging or scanning failure) cancels the rest of
	// the batch, and is what Run returns.
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
	out := make([]Result, len(items))
	var reps []scanners.Report
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		srcs := make([]scanners.Source, len(items))
		for i, it := range items {
			srcs[i] = scanners.Source{Name: it.Name, Code: it.Program.Source}
		}
		var err error
		if reps, err = o.Scanner.Scan(ctx, srcs); err != nil {
			fail(fmt.Errorf("scan: %w", err))
		}
	}()
	parallel := o.Parallel
	if parallel <= 0 {
		parallel = 2 * o.Pool.Workers()
	}
	done := 0
	sem := make(chan struct{}, parallel)
	var jwg sync.WaitGroup
loop:
	for i := range items {
		select {
		case <-ctx.Done():
			break loop
		case sem <- struct{}{}:
		}
		jwg.Add(1)
		go func(i int) {
			defer jwg.Done()
			defer func() { <-sem }()
			it := items[i]
			jr, err := judge.Judge(ctx, o.Pool, judge.Task{Program: it.Program, Cases: it.Cases, Compare: o.Compare, Limits: o.Limits})
			var vr judge.Result
			if err == nil && len(it.Visible) > 0 {
				vr, err = judge.Judge(ctx, o.Pool, judge.Task{Program: it.Program, Cases: it.Visible, Compare: o.Compare, Limits: o.Limits})
			}
			if err != nil {
				fail(fmt.Errorf("%s: %w", it.Name, err))
				return
			}
			mu.Lock()
			defer mu.Unlock()
			out[i].Judged, out[i].Visible = jr, vr
			done++
			if o.Progress != nil {
				o.Progress(done, len(items))
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
	if len(reps) != len(items) {
		return nil, fmt.Errorf("scan: %d reports for %d programs", len(reps), len(items))
	}
	for i := range out {
		r := &out[i]
		r.Report = reps[i]
		if r.Report.Findings == nil {
			r.Report.Findings = []scanners.Finding{}
		}
		r.Total = o.Reward.Score(r.Judged, r.Report.Findings)
	}
	return out, nil
}

// ProgramOf is how a problem's program runs: call-based problems (FnName
// set) get the APPS checker's import prelude and are called by name.
func ProgramOf(p apps.Problem, src string) sandbox.Program {
	prog := sandbox.Program{Source: src, FnName: p.FnName}
	if p.FnName != "" {
		prog.Prelude = sandbox.APPSCallPrelude
	}
	return prog
}

// Cases converts tests to judge cases, keeping the first max (0: all), so
// every program for a problem sees the same tests.
func Cases(tests []apps.Test, max int) []judge.Case {
	if max > 0 && len(tests) > max {
		tests = tests[:max]
	}
	cs := make([]judge.Case, len(tests))
	for i, t := range tests {
		cs[i] = judge.Case{Input: t.Input, Expected: t.Expected}
	}
	return cs
}
