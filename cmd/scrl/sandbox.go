package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sort"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/securecoderl/securecoderl/sandbox"
	"github.com/securecoderl/securecoderl/stdlib/apps"
	"github.com/securecoderl/securecoderl/stdlib/judge"
	"github.com/securecoderl/securecoderl/stdlib/scoring"
)

// sandboxFlags are shared by every command that runs programs.
type sandboxFlags struct {
	python   string
	mode     string
	workers  int
	timeout  time.Duration
	memoryMB int
	outputMB int
}

func (s *sandboxFlags) register(fs interface {
	StringVar(*string, string, string, string)
	IntVar(*int, string, int, string)
	DurationVar(*time.Duration, string, time.Duration, string)
}) {
	fs.StringVar(&s.python, "python", "/usr/bin/python3", "absolute path of the Python interpreter")
	fs.StringVar(&s.mode, "mode", "forkserver", "execution path: forkserver or fresh (one interpreter per test)")
	fs.IntVar(&s.workers, "workers", runtime.NumCPU(), "concurrent runs")
	fs.DurationVar(&s.timeout, "timeout", 4*time.Second, "wall-clock limit per test (CPU limit too)")
	fs.IntVar(&s.memoryMB, "memory", 1024, "address-space limit per run, MiB")
	fs.IntVar(&s.outputMB, "output", 16, "stdout and file-size limit per run, MiB")
}

func (s *sandboxFlags) config() sandbox.Config {
	return sandbox.Config{Python: s.python, Mode: sandbox.Mode(s.mode), Workers: s.workers,
		Limits: sandbox.Limits{Wall: s.timeout, MemoryMB: s.memoryMB, OutputMB: s.outputMB}}
}

func (s *sandboxFlags) pool(ctx context.Context) (*sandbox.Pool, error) {
	if s.mode != string(sandbox.ModeForkServer) && s.mode != string(sandbox.ModeFresh) {
		return nil, usagef("--mode %q: want forkserver or fresh", s.mode)
	}
	if s.timeout <= 0 {
		return nil, usagef("--timeout must be positive")
	}
	return sandbox.New(ctx, s.config())
}

func runExec(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "exec", "exec [--timeout 2s] [--memory 512] [--stdin FILE] [--expect FILE] [--compare lines] [--fn NAME] PROGRAM.py")
	var sf sandboxFlags
	sf.register(fs)
	stdinFile := fs.String("stdin", "", "file to feed on stdin (default: empty)")
	expectFile := fs.String("expect", "", "expected output; sets verdict passed / wrong_output")
	compare := fs.String("compare", "lines", "comparison preset: exact, strip, lines, float, apps")
	fn := fs.String("fn", "", "call-based: call this function with the JSON argument list on stdin")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want exactly one PROGRAM.py, got %d arguments", len(pos))
	}
	preset, err := judge.ParsePreset(*compare)
	if err != nil {
		return usageError{err.Error()}
	}
	src, err := os.ReadFile(pos[0])
	if err != nil {
		return fmt.Errorf("read program: %w", err)
	}
	var stdin string
	if *stdinFile != "" {
		b, err := os.ReadFile(*stdinFile)
		if err != nil {
			return fmt.Errorf("read --stdin: %w", err)
		}
		stdin = string(b)
	}
	var want *string
	if *expectFile != "" {
		b, err := os.ReadFile(*expectFile)
		if err != nil {
			return fmt.Errorf("read --expect: %w", err)
		}
		s := string(b)
		want = &s
	}
	sf.workers = 1
	pool, err := sf.pool(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	cmp := preset.Comparator()
	if *fn != "" {
		cmp = judge.CompareCall
	}
	res, err := pool.Exec(ctx, sandbox.Program{Source: string(src), FnName: *fn}, stdin, want, cmp)
	if err != nil {
		return err
	}
	return writeJSON(e.stdout, res)
}

func runSandbox(ctx context.Context, e *env, args []string) error {
	return subcommand(ctx, e, "sandbox", args, map[string]func(context.Context, *env, []string) error{
		"doctor": sandboxDoctor,
	})
}

func sandboxDoctor(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "sandbox doctor", "sandbox doctor [--python PATH] [--json]")
	var sf sandboxFlags
	sf.register(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	sf.workers = 1
	pool, err := sf.pool(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	// Prove it: a real run through the pool.
	want := "ok\n"
	res, runErr := pool.Exec(ctx, sandbox.Program{Source: "print('ok')\n"}, "", &want, nil)
	iso := pool.Isolation()
	if *asJSON {
		out := map[string]any{"mode": pool.Mode(), "fallback": pool.Fallback(), "isolation": iso, "features": iso.Features(), "limits": pool.Limits(),
			"self_test": res.Verdict}
		if runErr != nil {
			out["self_test_error"] = runErr.Error()
		}
		return writeJSON(e.stdout, out)
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "execution path\t%s\n", pool.Mode())
	if pool.Fallback() != "" {
		fmt.Fprintf(w, "fork server unavailable\t%s\n", pool.Fallback())
	}
	for _, f := range iso.Features() {
		mark := "yes"
		if !f.Active {
			mark = "NO"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", f.Name, mark, f.Detail)
	}
	fmt.Fprintf(w, "self test\t%s\t%.1f ms wall\n", res.Verdict, res.WallMS)
	if err := w.Flush(); err != nil {
		return err
	}
	if runErr != nil {
		return fmt.Errorf("self test failed: %w", runErr)
	}
	return nil
}

// solutionJob is one reference solution of one problem.
type solutionJob struct {
	problem  int
	solution int
}

// judgeSolutions judges reference solutions of problems concurrently in a pool.
func judgeSolutions(ctx context.Context, pool *sandbox.Pool, ps []apps.Problem, preset judge.Preset, maxPerProblem int, progress func(done, total int)) ([][]judge.Result, error) {
	one := func(p apps.Problem, src string) (judge.Result, error) {
		return judge.Judge(ctx, pool, judge.Task{Program: scoring.ProgramOf(p, src), Cases: scoring.Cases(p.Tests, 0), Compare: preset})
	}
	return forEachSolution(ctx, 2*pool.Workers(), ps, maxPerProblem, one, progress)
}

// forEachSolution judges reference solutions with `parallel` goroutines.
func forEachSolution(ctx context.Context, parallel int, ps []apps.Problem, maxPerProblem int, judgeOne func(apps.Problem, string) (judge.Result, error), progress func(done, total int)) ([][]judge.Result, error) {
	var jobs []solutionJob
	out := make([][]judge.Result, len(ps))
	for i, p := range ps {
		n := len(p.Solutions)
		if maxPerProblem > 0 && n > maxPerProblem {
			n = maxPerProblem
		}
		out[i] = make([]judge.Result, n)
		for j := 0; j < n; j++ {
			jobs = append(jobs, solutionJob{i, j})
		}
	}
	var (
		mu    sync.Mutex
		first error
		done  int
		wg    sync.WaitGroup
	)
	ch := make(chan solutionJob)
	for w := 0; w < parallel; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				p := ps[j.problem]
				r, err := judgeOne(p, p.Solutions[j.solution])
				mu.Lock()
				if err != nil && first == nil {
					first = fmt.Errorf("problem %s solution %d: %w", p.ID, j.solution, err)
				}
				out[j.problem][j.solution] = r
				done++
				if progress != nil {
					progress(done, len(jobs))
				}
				mu.Unlock()
			}
		}()
	}
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		ch <- j
	}
	close(ch)
	wg.Wait()
	if first == nil && ctx.Err() != nil {
		first = ctx.Err()
	}
	return out, first
}

func runJudge(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "judge", "judge [--data PATH] --solutions [--compare lines] [--kind stdin|call|all] [--json]")
	var d dataFlags
	d.register("judge", fs)
	var sf sandboxFlags
	sf.register(fs)
	solutions := fs.Bool("solutions", false, "judge every reference solution of every problem (required for now)")
	compare := fs.String("compare", "lines", "comparison preset: exact, strip, lines, float, apps")
	kind := fs.String("kind", "all", "problems to judge: stdin, call or all")
	maxSol := fs.Int("max-solutions", 0, "judge at most this many solutions per problem (0 = all)")
	asJSON := fs.Bool("json", false, "print JSON")
	outFile := fs.String("out", "", "also write the JSON report to this file")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if !*solutions {
		return usagef("nothing to judge: pass --solutions (model completions are scored by 'scrl score')")
	}
	preset, err := judge.ParsePreset(*compare)
	if err != nil {
		return usageError{err.Error()}
	}
	ps, _, err := d.load(ctx, e)
	if err != nil {
		return err
	}
	switch *kind {
	case "all":
	case "stdin", "call":
		ps = apps.FilterKind(ps, apps.Kind(*kind))
	default:
		return usagef("--kind %q: want stdin, call or all", *kind)
	}
	pool, err := sf.pool(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	bar := newProgress(e.stderr, "judge")
	start := time.Now()
	results, err := judgeSolutions(ctx, pool, ps, preset, *maxSol, bar.update)
	bar.finish()
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	type problemRow struct {
		ID         string         `json:"id"`
		Kind       apps.Kind      `json:"kind"`
		Difficulty string         `json:"difficulty"`
		Tests      int            `json:"tests"`
		Solutions  int            `json:"solutions"`
		AllPassed  int            `json:"solutions_all_passed"`
		PassCounts []int          `json:"pass_counts"`
		Buckets    map[string]int `json:"buckets"`
	}
	var rows []problemRow
	buckets := map[string]int{}
	programs, allPassed, runs := 0, 0, 0
	for i, p := range ps {
		row := problemRow{ID: p.ID, Kind: p.Kind, Difficulty: p.Difficulty, Tests: len(p.Tests), Solutions: len(results[i]), Buckets: map[string]int{}}
		for _, r := range results[i] {
			row.PassCounts = append(row.PassCounts, r.Passed)
			row.Buckets[string(r.Bucket)]++
			buckets[string(r.Bucket)]++
			programs++
			runs += len(r.Runs)
			if r.AllPassed {
				row.AllPassed++
				allPassed++
			}
		}
		rows = append(rows, row)
	}
	summary := map[string]any{"problems": len(ps), "programs": programs, "programs_all_passed": allPassed,
		"pass_rate": ratio(allPassed, programs), "test_runs": runs, "buckets": buckets, "compare": preset,
		"mode": pool.Mode(), "workers": pool.Workers(), "seconds": elapsed.Seconds(), "tests_per_second": float64(runs) / elapsed.Seconds()}
	report := map[string]any{"problems": rows, "summary": summary}
	if *outFile != "" {
		if err := writeJSONFile(*outFile, report); err != nil {
			return err
		}
	}
	if *asJSON {
		return writeJSON(e.stdout, report)
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "problem\tkind\tdifficulty\ttests\tsolutions\tall tests passed")
	for _, r := range rows {
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%d\t%d\n", r.ID, r.Kind, r.Difficulty, r.Tests, r.Solutions, r.AllPassed)
	}
	w.Flush()
	fmt.Fprintf(e.stdout, "\n%d programs on %d problems: %d pass all their tests (%.1f%%); %d test runs in %.1fs (%.0f tests/s, %s, %d workers)\n",
		programs, len(ps), allPassed, 100*ratio(allPassed, programs), runs, elapsed.Seconds(), float64(runs)/elapsed.Seconds(), pool.Mode(), pool.Workers())
	keys := make([]string, 0, len(buckets))
	for k := range buckets {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(e.stdout, "  %-14s %d\n", k, buckets[k])
	}
	return nil
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func sortStrings(s []string) { sort.Strings(s) }
