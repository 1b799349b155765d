package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/securecoderl/securecoderl/stdlib/apps"
	"github.com/securecoderl/securecoderl/stdlib/evaluation"
	"github.com/securecoderl/securecoderl/stdlib/experiment"
	"github.com/securecoderl/securecoderl/stdlib/rl"
)

// evalCompare evaluates two policies on the same problems with the same
// sampling seeds and prints the paired differences (rl.Compare).
func evalCompare(ctx context.Context, e *env, args []string) error {
	def := rl.DefaultEvalConfig()
	fs := newFlags(e, "eval compare", "eval compare --a RUN[,RUN…] --b RUN[,RUN…] [--data PROBLEMS] [--heldout | --split valid] [--seeds 1,2,3] [--json]")
	aRuns := fs.String("a", "", "policy A: a run directory, or one per training seed (comma-separated); \"base\" is the base model")
	bRuns := fs.String("b", "", "policy B, as --a (run i of B pairs with run i of A)")
	model := fs.String("model", "", "base model directory (default: each run's base model; required for \"base\")")
	data := fs.String("data", defaultData(), "comma-separated problem sources")
	heldout := fs.Bool("heldout", false, "the held-out problems (synthetic: test and test-unseen-family); read them only for final tables")
	splitNames := fs.String("split", "", "evaluate these splits instead (valid for tuning)")
	fraction := fs.Float64("heldout-fraction", 0.2, "held-out fraction of an APPS file")
	splitSeed := fs.Uint64("split-seed", 1, "split seed")
	limit := fs.Int("limit", 0, "a stratified sample of this many problems (0: all)")
	seedList := fs.String("seeds", "", "sampling seeds, one per pair (default 1, 2, … one per run; a single run is evaluated under every seed)")
	n := fs.Int("n", 1, "samples per problem")
	temp := fs.Float64("temperature", -1, "sampling temperature (default 0.2 for n=1, 0.8 otherwise)")
	maxNew := fs.Int("max-new-tokens", def.MaxNewTokens, "tokens per completion at most")
	timeout := fs.Duration("timeout", time.Duration(def.Scoring.TimeoutMS)*time.Millisecond, "wall-clock limit per test")
	maxTests := fs.Int("max-tests", 0, "tests judged per problem (0: all)")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	as, bs := splitList(*aRuns), splitList(*bRuns)
	if len(as) == 0 || len(bs) == 0 {
		return usagef("--a RUN and --b RUN are required")
	}
	var seeds []uint64
	if *seedList != "" {
		var err error
		if seeds, err = experiment.ParseSeeds(*seedList); err != nil {
			return usagef("--seeds: %v", err)
		}
	}
	pairs := max(len(as), len(bs), len(seeds))
	for _, l := range []struct {
		name string
		n    int
	}{{"--a", len(as)}, {"--b", len(bs)}, {"--seeds", len(seeds)}} {
		if l.n > 1 && l.n != pairs {
			return usagef("%s lists %d entries but another list has %d: give one entry, or one per pair", l.name, l.n, pairs)
		}
	}
	if len(seeds) == 0 {
		for i := range pairs {
			seeds = append(seeds, uint64(i+1))
		}
	} else if len(seeds) == 1 {
		for len(seeds) < pairs {
			seeds = append(seeds, seeds[0]+uint64(len(seeds)))
		}
	}
	at := func(xs []string, i int) string {
		if len(xs) == 1 {
			return xs[0]
		}
		return xs[i]
	}
	if *n <= 0 {
		return usagef("--n must be positive")
	}
	files := dataList(*data)
	var problems []apps.Problem
	var err error
	label := "all"
	switch {
	case *splitNames != "" && *heldout:
		return usagef("--heldout and --split are exclusive")
	case *splitNames != "":
		label = strings.ReplaceAll(*splitNames, ",", "+")
		problems, err = rl.SplitProblems(ctx, files, *fraction, *splitSeed, splitList(*splitNames), *limit)
	case *heldout:
		label = "heldout"
		problems, err = rl.HeldoutProblems(ctx, files, *fraction, *splitSeed, *limit)
	default:
		return usagef("choose the problems: --split valid (tuning) or --heldout (final tables)")
	}
	if err != nil {
		return err
	}
	if len(problems) == 0 {
		return fmt.Errorf("no problems with tests to compare on")
	}
	c := def
	c.N, c.MaxNewTokens = *n, *maxNew
	c.Temperature = *temp
	if c.Temperature < 0 {
		c.Temperature = 0.2
		if *n > 1 {
			c.Temperature = 0.8
		}
	}
	c.Scoring.TimeoutMS, c.Scoring.MaxTests = int(timeout.Milliseconds()), *maxTests
	c.K = []int{1, *n}
	evalOne := func(run string, seed uint64) (*rl.EvalResult, error) {
		adapter, cacheDir := run, filepath.Join(run, "eval")
		if run == "base" {
			if *model == "" {
				return nil, usagef("\"base\" needs --model DIR")
			}
			if st, err := os.Stat(*model); err != nil || !st.IsDir() {
				return nil, fmt.Errorf("--model %s: not a directory", *model)
			}
			// The base model's evaluations are cached outside its directory
			// (the shipped model stays as shipped).
			uc, err := os.UserCacheDir()
			if err != nil {
				uc = os.TempDir()
			}
			abs, _ := filepath.Abs(*model)
			adapter, cacheDir = "", filepath.Join(uc, "scrl", "eval", strings.NewReplacer("/", "_", ":", "_").Replace(abs))
		}
		spec, err := rl.ResolvePolicy(*model, adapter)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", run, err)
		}
		cc := c
		cc.Policy, cc.Seed, cc.Name = spec, seed, run
		bar := newProgress(e.stderr, fmt.Sprintf("eval %s seed %d", filepath.Base(run), seed))
		cc.Progress = func(done, total int) { bar.update(done, total) }
		defer bar.finish()
		path := filepath.Join(cacheDir, fmt.Sprintf("compare-%s-n%d-t%g-seed%d.json", label, *n, c.Temperature, seed))
		return rl.EvaluateCached(ctx, cc, problems, path)
	}
	var ra, rb []*rl.EvalResult
	for i := range pairs {
		x, err := evalOne(at(as, i), seeds[i])
		if err != nil {
			return err
		}
		y, err := evalOne(at(bs, i), seeds[i])
		if err != nil {
			return err
		}
		ra, rb = append(ra, x), append(rb, y)
	}
	cmp, err := rl.Compare(ra, rb, evaluation.Options{})
	if err != nil {
		return err
	}
	cmp.NameA, cmp.NameB = *aRuns, *bRuns
	if *asJSON {
		return writeJSON(e.stdout, cmp)
	}
	printComparison(e.stdout, cmp)
	return nil
}

// printComparison prints a paired comparison, one line per endpoint.
func printComparison(w interface{ Write([]byte) (int, error) }, c *rl.Comparison) {
	fmt.Fprintf(w, "A = %s\nB = %s\n%d problems × %d samples × %d seeds, paired by problem and seed; 95%% bootstrap intervals over problems and seeds\n",
		c.NameA, c.NameB, c.Problems, c.N, c.Seeds)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "split\tendpoint\tproblems\tA\tB\tA − B [95% CI]\tP(A > B)")
	for _, s := range c.Splits {
		for _, ep := range s.Endpoints {
			f := "%.3f"
			if ep.Percent {
				f = "%.1f"
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t"+f+"\t"+f+"\t"+f+" ["+f+", "+f+"]\t%.3f\n", s.Split, ep.Name, ep.Units, ep.A, ep.B,
				ep.Diff.Mean, ep.Diff.Lo, ep.Diff.Hi, ep.PAGreater)
		}
	}
	tw.Flush()
	for _, d := range c.Differences {
		fmt.Fprintf(w, "note: the evaluations differ in %s\n", d)
	}
}
