package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/securecoderl/securecoderl/sandbox"
	"github.com/securecoderl/securecoderl/scanners"
	"github.com/securecoderl/securecoderl/stdlib/apps"
	"github.com/securecoderl/securecoderl/stdlib/judge"
	"github.com/securecoderl/securecoderl/stdlib/scoring"
)

func runBench(ctx context.Context, e *env, args []string) error {
	return subcommand(ctx, e, "bench", args, map[string]func(context.Context, *env, []string) error{
		"sandbox": benchSandbox,
		"scan":    benchScan,
		"model":   benchModel,
		"ppo":     benchPPO,
		"serve":   benchServe,
	})
}

// benchSandbox runs one workload (reference solutions × tests) through the
// fork server and through the fresh-interpreter baseline in one run.
func benchSandbox(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "bench sandbox", "bench sandbox [--data PATH] [--max-solutions N] [--problems N] [--json]")
	var d dataFlags
	d.register("bench", fs)
	var sf sandboxFlags
	sf.register(fs)
	maxSol := fs.Int("max-solutions", 0, "at most this many reference solutions per problem (0 = all)")
	maxProb := fs.Int("problems", 0, "use the first N stdin problems (0 = all)")
	compare := fs.String("compare", "lines", "comparison preset")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of this process to a file")
	withPlain := fs.Bool("plain", true, "also run the unisolated plain harness (python3 -I -S per test) as a reference")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	preset, err := judge.ParsePreset(*compare)
	if err != nil {
		return usageError{err.Error()}
	}
	ps, _, err := d.load(ctx, e)
	if err != nil {
		return err
	}
	ps = apps.FilterKind(ps, apps.KindStdin)
	if *maxProb > 0 && len(ps) > *maxProb {
		ps = ps[:*maxProb]
	}
	type pathResult struct {
		Mode        sandbox.Mode `json:"mode"`
		Programs    int          `json:"programs"`
		TestRuns    int          `json:"test_runs"`
		AllPassed   int          `json:"programs_all_passed"`
		Seconds     float64      `json:"seconds"`
		TestsPerSec float64      `json:"tests_per_second"`
		MeanWallMS  float64      `json:"mean_wall_ms"` // per run, as the sandbox measured it
		MeanCPUMS   float64      `json:"mean_cpu_ms"`  // the program's own CPU time per run
		// TotalCPUMSPerTest is all CPU this path used (this process, the
		// interpreters, zygotes and their children) per test run: a cost
		// that, unlike tests/s, barely moves when other work shares the
		// machine.
		TotalCPUMSPerTest float64 `json:"total_cpu_ms_per_test"`
		verdicts          [][][]sandbox.Verdict
	}
	collect := func(mode sandbox.Mode, res [][]judge.Result, took time.Duration, cpu time.Duration) pathResult {
		pr := pathResult{Mode: mode, Seconds: took.Seconds()}
		for _, rs := range res {
			var pv [][]sandbox.Verdict
			for _, r := range rs {
				pr.Programs++
				pr.TestRuns += len(r.Verdicts)
				if r.AllPassed {
					pr.AllPassed++
				}
				pv = append(pv, r.Verdicts)
				for _, run := range r.Runs {
					pr.MeanWallMS += run.WallMS
					pr.MeanCPUMS += run.CPUMS
				}
			}
			pr.verdicts = append(pr.verdicts, pv)
		}
		pr.TestsPerSec = float64(pr.TestRuns) / pr.Seconds
		if pr.TestRuns > 0 {
			pr.MeanWallMS /= float64(pr.TestRuns)
			pr.MeanCPUMS /= float64(pr.TestRuns)
			pr.TotalCPUMSPerTest = float64(cpu.Microseconds()) / 1000 / float64(pr.TestRuns)
		}
		return pr
	}
	runPath := func(mode sandbox.Mode) (pathResult, error) {
		cfg := sf
		cfg.mode = string(mode)
		cpu0 := cpuUsed()
		pool, err := cfg.pool(ctx)
		if err != nil {
			return pathResult{}, err
		}
		if pool.Mode() != mode {
			pool.Close()
			return pathResult{}, fmt.Errorf("%s path unavailable: %s", mode, pool.Fallback())
		}
		bar := newProgress(e.stderr, string(mode))
		start := time.Now()
		res, err := judgeSolutions(ctx, pool, ps, preset, *maxSol, bar.update)
		took := time.Since(start)
		bar.finish()
		pool.Close() // reaps the zygotes, so their CPU (and their children's) is counted
		if err != nil {
			return pathResult{}, err
		}
		return collect(mode, res, took, cpuUsed()-cpu0), nil
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	fast, err := runPath(sandbox.ModeForkServer)
	if err != nil {
		return err
	}
	base, err := runPath(sandbox.ModeFresh)
	if err != nil {
		return err
	}
	var plain *pathResult
	if *withPlain {
		// The unisolated reference harness: python3 -I -S per test.
		tmp, err := os.MkdirTemp("", "scrl-plain-*")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		h := sandbox.PlainHarness{Python: sf.python, Timeout: sf.timeout, Dir: tmp}
		cmp := preset.Comparator()
		one := func(p apps.Problem, src string) (judge.Result, error) {
			var b sandbox.Batch
			b.Total = len(p.Tests)
			for _, t := range p.Tests {
				want := t.Expected
				r, err := h.Run(ctx, src, t.Input, &want, cmp)
				if err != nil {
					return judge.Result{}, err
				}
				if r.Verdict == sandbox.Passed {
					b.Passed++
				}
				b.Results = append(b.Results, r)
			}
			return judge.FromBatch(b, scoring.Cases(p.Tests, 0)), nil
		}
		bar := newProgress(e.stderr, "plain")
		cpu0 := cpuUsed()
		start := time.Now()
		res, err := forEachSolution(ctx, sf.workers, ps, *maxSol, one, bar.update)
		took := time.Since(start)
		bar.finish()
		if err != nil {
			return err
		}
		pr := collect("plain", res, took, cpuUsed()-cpu0)
		plain = &pr
	}
	type mismatch struct {
		Problem  string          `json:"problem"`
		Solution int             `json:"solution"`
		Test     int             `json:"test"`
		Fork     sandbox.Verdict `json:"forkserver"`
		Other    sandbox.Verdict `json:"other"`
		Path     sandbox.Mode    `json:"other_path"`
	}
	var mm []mismatch
	compared := 0
	diff := func(other pathResult) {
		for i := range fast.verdicts {
			for j := range fast.verdicts[i] {
				a, b := fast.verdicts[i][j], other.verdicts[i][j]
				for k := 0; k < len(a) && k < len(b); k++ {
					compared++
					if a[k] != b[k] {
						mm = append(mm, mismatch{ps[i].ID, j, k, a[k], b[k], other.Mode})
					}
				}
			}
		}
	}
	diff(base)
	if plain != nil {
		diff(*plain)
	}
	speedup := fast.TestsPerSec / base.TestsPerSec
	var speedupPlain float64
	if plain != nil {
		speedupPlain = fast.TestsPerSec / plain.TestsPerSec
	}
	if *asJSON {
		return writeJSON(e.stdout, map[string]any{"forkserver": fast, "fresh": base, "plain": plain, "speedup": speedup, "speedup_vs_plain": speedupPlain,
			"cpu_ratio_fresh":   base.TotalCPUMSPerTest / fast.TotalCPUMSPerTest,
			"verdicts_compared": compared, "verdict_mismatches": mm, "identical": len(mm) == 0, "workers": sf.workers, "timeout": sf.timeout.String()})
	}
	fmt.Fprintf(e.stdout, "workload: %d stdin problems, %d reference programs, %d test runs (%s comparison, %s timeout, %d workers)\n",
		len(ps), fast.Programs, fast.TestRuns, preset, sf.timeout, sf.workers)
	paths := []pathResult{fast, base}
	if plain != nil {
		paths = append(paths, *plain)
	}
	for _, p := range paths {
		fmt.Fprintf(e.stdout, "  %-11s %7.1f tests/s  %6.1fs  %d/%d programs pass all tests (%.1f%%)  per run: %.1f ms wall, %.1f ms program CPU, %.1f ms CPU in all\n",
			p.Mode, p.TestsPerSec, p.Seconds, p.AllPassed, p.Programs, 100*ratio(p.AllPassed, p.Programs), p.MeanWallMS, p.MeanCPUMS, p.TotalCPUMSPerTest)
	}
	fmt.Fprintf(e.stdout, "CPU per test: fresh / forkserver = %.1fx", base.TotalCPUMSPerTest/fast.TotalCPUMSPerTest)
	if plain != nil {
		fmt.Fprintf(e.stdout, ", plain / forkserver = %.1fx", plain.TotalCPUMSPerTest/fast.TotalCPUMSPerTest)
	}
	fmt.Fprintln(e.stdout)
	fmt.Fprintf(e.stdout, "speed-up: %.1fx over fresh (same isolation)", speedup)
	if plain != nil {
		fmt.Fprintf(e.stdout, ", %.1fx over the plain harness (no isolation)", speedupPlain)
	}
	fmt.Fprintln(e.stdout)
	if len(mm) == 0 {
		fmt.Fprintf(e.stdout, "verdicts: identical on all %d test runs\n", compared)
	} else {
		fmt.Fprintf(e.stdout, "verdicts: %d of %d differ\n", len(mm), compared)
		for i, m := range mm {
			if i == 10 {
				break
			}
			fmt.Fprintf(e.stdout, "  problem %s solution %d test %d: forkserver %s, %s %s\n", m.Problem, m.Solution, m.Test, m.Fork, m.Path, m.Other)
		}
	}
	return nil
}

// benchScan measures files/s of the native scanner, the Bandit worker and
// one Bandit CLI call per file on the labelled corpus, in one run.
func benchScan(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "bench scan", "bench scan [--corpus DIR] [--json]")
	dir := fs.String("corpus", "", "directory of .py files (default: the embedded labelled corpus)")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	var corpus *scanners.Corpus
	var err error
	if *dir == "" {
		corpus, err = scanners.EmbeddedCorpus()
	} else {
		corpus, err = scanners.LoadCorpus(*dir)
	}
	if err != nil {
		return err
	}
	res := scanners.Bench(ctx, corpus.Sources)
	native, err := scanners.New("native", scanners.Options{})
	if err != nil {
		return err
	}
	defer scanners.Close(native)
	bandit, err := scanners.New("bandit", scanners.Options{})
	if err != nil {
		return err
	}
	defer scanners.Close(bandit)
	fixed, err := scanners.New("bandit", scanners.Options{FixStrDispatch: true})
	if err != nil {
		return err
	}
	defer scanners.Close(fixed)
	agr, err := scanners.Agreement(ctx, corpus, native, bandit, fixed)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, map[string]any{"bench": res, "agreement": agr})
	}
	fmt.Fprintf(e.stdout, "corpus: %d files\n", res.Corpus)
	for _, r := range []struct {
		name string
		st   scanners.BenchStat
	}{{"native (1 goroutine)", res.NativeSerial}, {"native (all cores)", res.Native}, {"bandit worker", res.Worker}, {"bandit CLI", res.CLI}} {
		fmt.Fprintf(e.stdout, "  %-22s %10.1f files/s\n", r.name, r.st.FilesPerSec)
	}
	fmt.Fprintf(e.stdout, "native vs one bandit worker: %.1fx on one goroutine, %.1fx as it runs by default (all cores); vs one bandit CLI call per file: %.0fx\n\n",
		res.SpeedupVsWorker, res.SpeedupParallelVsWorker, res.SpeedupVsCLI)
	fmt.Fprintln(e.stdout, agr.String())
	return nil
}

// cpuUsed is the CPU time of this process and of its reaped children.
func cpuUsed() time.Duration {
	var self, kids syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &kids)
	tv := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return tv(self.Utime) + tv(self.Stime) + tv(kids.Utime) + tv(kids.Stime)
}
