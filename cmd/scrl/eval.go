package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/securecoderl/securecoderl/stdlib/apps"
	"github.com/securecoderl/securecoderl/stdlib/evaluation"
	"github.com/securecoderl/securecoderl/stdlib/reward"
	"github.com/securecoderl/securecoderl/stdlib/rl"
)

func runEval(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "compare" {
		return evalCompare(ctx, e, args[1:])
	}
	def := rl.DefaultEvalConfig()
	fs := newFlags(e, "eval", "eval --model DIR [--adapter RUN] --data PROBLEMS [--heldout] [--n 1] [--k 1,5] [--json]")
	model := fs.String("model", "", "model directory (default: the run's base model)")
	adapter := fs.String("adapter", "", "a run directory (SFT/PPO: its final adapter, or its latest checkpoint's) or a PEFT adapter directory")
	data := fs.String("data", defaultData(), "comma-separated problem sources: files (APPS/APPS+), synth[:n=N:seed=S] (the synthetic family), embedded (env SCRL_DATA; default synth)")
	heldout := fs.Bool("heldout", false, "evaluate on the held-out problems only: the synthetic family's test and test-unseen-family splits, each reported separately (an APPS file's held-out side of apps.Split with --heldout-fraction and --split-seed)")
	splitNames := fs.String("split", "", "evaluate these splits (comma-separated: train, valid, test, test-unseen-family; heldout for an APPS file); tune on valid")
	fraction := fs.Float64("heldout-fraction", 0.2, "held-out fraction")
	splitSeed := fs.Uint64("split-seed", 1, "split seed (the same for every checkpoint)")
	limit := fs.Int("limit", 0, "evaluate a stratified sample of this many problems (0: all)")
	n := fs.Int("n", 1, "samples per problem")
	ks := fs.String("k", "", "pass@k and best-of-k values (comma-separated, each <= n; default 1 and n)")
	temp := fs.Float64("temperature", -1, "sampling temperature (default 0.2 for n=1, 0.8 otherwise)")
	topP := fs.Float64("top-p", def.TopP, "nucleus sampling mass")
	maxNew := fs.Int("max-new-tokens", def.MaxNewTokens, "tokens per completion at most")
	maxStmt := fs.Int("max-statement", def.Prompting.MaxStatementBytes, "compact longer problem statements to this many bytes, keeping the Input, Output and Examples sections whole (0: whole statements)")
	template := fs.String("template", def.Prompting.Template, "prompt template")
	rewardName := fs.String("reward", def.Scoring.Reward.Func, "functional reward: "+strings.Join(reward.FuncNames, ", "))
	alpha := fs.Float64("alpha", def.Scoring.Reward.Alpha, "weight of R_func")
	beta := fs.Float64("beta", def.Scoring.Reward.Beta, "weight of R_sec")
	scanner := fs.String("scanner", def.Scoring.Scanner, "security scanner: native, bandit, regex")
	workers := fs.Int("workers", def.Scoring.Workers, "sandbox workers")
	remote := fs.String("sandbox", "", "judge on `scrl serve` endpoints instead of a local pool: http://a:8080,http://b:8080 (token: $SCRL_SERVE_TOKEN)")
	timeout := fs.Duration("timeout", time.Duration(def.Scoring.TimeoutMS)*time.Millisecond, "wall-clock limit per test")
	maxTests := fs.Int("max-tests", 0, "tests judged per problem (0: all)")
	seed := fs.Uint64("seed", 1, "sampling seed")
	name := fs.String("name", "", "row name (default: the policy)")
	samplesOut := fs.String("samples-out", "", "write every scored sample here (JSONL)")
	byDiff := fs.Bool("by-difficulty", true, "also print one row per difficulty")
	asJSON := fs.Bool("json", false, "print JSON (the Table IV row with CIs, per-difficulty rows, pass@k, best-of-k)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *model == "" && *adapter == "" {
		return usagef("--model DIR (and/or --adapter RUN) is required")
	}
	if *n <= 0 {
		return usagef("--n must be positive")
	}
	spec, err := rl.ResolvePolicy(*model, *adapter)
	if err != nil {
		return err
	}
	c := def
	c.Name, c.Policy, c.N, c.TopP, c.MaxNewTokens, c.Seed = *name, spec, *n, *topP, *maxNew, *seed
	c.Prompting = rl.Prompting{Template: *template, MaxStatementBytes: *maxStmt}
	c.Temperature = *temp
	if c.Temperature < 0 {
		c.Temperature = 0.2
		if *n > 1 {
			c.Temperature = 0.8
		}
	}
	c.Scoring = rl.ScorerConfig{Reward: rl.RewardConfig{Func: *rewardName, Alpha: *alpha, Beta: *beta}, Scanner: *scanner,
		Workers: *workers, TimeoutMS: int(timeout.Milliseconds()), MaxTests: *maxTests, Visible: true, Sandbox: *remote}
	c.K = nil
	if *ks == "" {
		c.K = []int{1, *n}
	} else {
		for _, s := range splitList(*ks) {
			k, err := strconv.Atoi(s)
			if err != nil || k <= 0 || k > *n {
				return usagef("--k %q: want integers between 1 and --n %d", s, *n)
			}
			c.K = append(c.K, k)
		}
	}
	c.SamplesOut = *samplesOut
	files := dataList(*data)
	var problems []apps.Problem
	switch {
	case *splitNames != "" && *heldout:
		return usagef("--heldout and --split are exclusive (--heldout is --split test,test-unseen-family)")
	case *splitNames != "":
		problems, err = rl.SplitProblems(ctx, files, *fraction, *splitSeed, splitList(*splitNames), *limit)
	case *heldout:
		problems, err = rl.HeldoutProblems(ctx, files, *fraction, *splitSeed, *limit)
	default:
		// Every problem of every split.
		problems, err = rl.SplitProblems(ctx, files, *fraction, *splitSeed, []string{"all"}, *limit)
	}
	if err != nil {
		return err
	}
	if len(problems) == 0 {
		return fmt.Errorf("no problems with tests to evaluate")
	}
	bar := newProgress(e.stderr, "eval")
	c.Progress = func(done, total int) { bar.update(done, total) }
	res, err := rl.Evaluate(ctx, c, problems)
	bar.finish()
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, res)
	}
	rows := []evaluation.Row{res.Row}
	if len(res.BySplit) > 1 {
		rows = append(rows, res.BySplit...)
	}
	if *byDiff {
		rows = append(rows, res.ByDifficulty...)
	}
	for _, b := range res.BestOfK {
		rows = append(rows, b.Row)
	}
	printTableIV(e.stdout, rows)
	for _, b := range res.BestOfK {
		if b.NoVisibleTests > 0 {
			fmt.Fprintf(e.stdout, "best-of-%d: %d of %d problems have no visible test to select on (their pick is the first sample)\n",
				b.K, b.NoVisibleTests, res.Problems)
		}
	}
	var pk []string
	for _, k := range c.K {
		if v, ok := res.PassAtK[strconv.Itoa(k)]; ok {
			pk = append(pk, fmt.Sprintf("pass@%d %.3f", k, v))
		}
	}
	if sc := res.Shortcut; sc != nil {
		fmt.Fprintf(e.stdout, "tempting problems (%d, %d samples): insecure shortcut (MEDIUM/HIGH finding) %.1f%% [%.1f, %.1f], of which passing all tests %.1f%%; secure and passing %.1f%%\n",
			sc.Problems, sc.Samples, sc.FlaggedPct.Mean, sc.FlaggedPct.Lo, sc.FlaggedPct.Hi, sc.FlaggedPassingPct.Mean, sc.SecurePassingPct.Mean)
	}
	fmt.Fprintf(e.stdout, "%d problems × %d samples at temperature %g; %s; generation %.0fs, scoring %.0fs\n",
		res.Problems, res.N, res.Temperature, strings.Join(pk, ", "), res.GenSeconds, res.ScoreSeconds)
	return nil
}

// printTableIV prints Table IV rows with their 95% CIs.
func printTableIV(w interface{ Write([]byte) (int, error) }, rows []evaluation.Row) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "model\tn\tsyntax %\t≥1 test %\tall tests %\tsec-clean %\tR_func\tR_sec\tR")
	pct := func(m evaluation.Metric) string { return fmt.Sprintf("%.1f [%.1f, %.1f]", m.Mean, m.Lo, m.Hi) }
	num := func(m evaluation.Metric) string { return fmt.Sprintf("%.3f [%.3f, %.3f]", m.Mean, m.Lo, m.Hi) }
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Name, r.N, pct(r.SyntaxPct), pct(r.AnyPassPct), pct(r.AllPassPct),
			pct(r.SecCleanPct), num(r.RFunc), num(r.RSec), num(r.R))
	}
	tw.Flush()
}
