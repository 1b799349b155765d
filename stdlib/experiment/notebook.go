package experiment

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/securecoderl/securecoderl/kernel"
	"github.com/securecoderl/securecoderl/stdlib/apps"
	"github.com/securecoderl/securecoderl/stdlib/display"
	"github.com/securecoderl/securecoderl/stdlib/evaluation"
	"github.com/securecoderl/securecoderl/stdlib/rl"
)

// Params are a notebook's parameters (the cell `scrl notebooks run
// --param` rewrites).
type Params struct {
	Name       string // the notebook's runs directory name: out/runs/NAME[-data][-smoke]
	Smoke      bool   // minutes: tiny steps, few problems, short completions
	BaseModel  string // "" = models/scrl-base
	DataSet    string // "synth", "apps" (the shared APPS files) or a source such as synth:n=4800:seed=2
	RunsDir    string // "" = out/runs/NAME…
	Seeds      string // comma-separated seeds, e.g. "1,2,3"
	SFTSeed    uint64 // 0: one SFT per seed; otherwise one shared SFT policy
	SFTSteps   int
	PPOSteps   int
	Prompts    int    // PPO prompts per step (0: default)
	EvalLimit  int    // held-out problems, a stratified sample over the held-out splits (0: all)
	EvalLimits string // "split=N,…": sample each held-out split on its own instead (N 0: the whole split); see ParseLimits
	EvalTokens int    // new tokens per evaluated completion (0: default)
}

// ParseSeeds reads a comma-separated seed list.
func ParseSeeds(s string) ([]uint64, error) {
	var out []uint64
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		v, err := strconv.ParseUint(f, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("seeds %q: %q is not a non-negative integer", s, f)
		}
		out = append(out, v)
	}
	return out, CheckSeeds(out)
}

// FromParams builds the experiment a notebook's parameters describe.
func FromParams(p Params) (*Experiment, error) {
	seeds, err := ParseSeeds(p.Seeds)
	if err != nil {
		return nil, err
	}
	repo, err := kernel.RepoRoot()
	if err != nil {
		return nil, err
	}
	base := p.BaseModel
	if base == "" {
		base = filepath.Join(repo, "models", "scrl-base")
	}
	dir := p.RunsDir
	if dir == "" {
		name := p.Name
		if p.DataSet != "synth" {
			name += "-" + strings.NewReplacer(":", "-", ",", "-", "=", "").Replace(p.DataSet)
		}
		if p.Smoke {
			name += "-smoke"
		}
		dir = filepath.Join(repo, "out", "runs", name)
	}
	data := []string{p.DataSet}
	if p.DataSet == "apps" {
		data = nil
		for _, f := range []string{"apps/apps_train_codechain150.jsonl", "apps/apps_stdin_mapcoder_teamcoder.jsonl"} {
			path, ok := kernel.SharedFile(f)
			if !ok {
				return nil, fmt.Errorf("shared file %s not found (put the shared data at ../shared/data or set %s)", f, kernel.DataDirEnv)
			}
			data = append(data, path)
		}
	}
	limits, err := ParseLimits(p.EvalLimits)
	if err != nil {
		return nil, err
	}
	ev := rl.DefaultEvalConfig()
	if p.EvalTokens > 0 {
		ev.MaxNewTokens = p.EvalTokens
	}
	cfg := Config{Dir: dir, Base: base, Data: data, Seeds: seeds, SFTSeed: p.SFTSeed, Eval: ev, EvalLimit: p.EvalLimit, EvalLimits: limits,
		SFT: func(c *rl.SFTConfig) {
			c.Steps = p.SFTSteps
			if p.Smoke {
				c.Steps, c.Batch, c.EvalEvery, c.CkptEvery, c.HeldoutExamples, c.Warmup = 4, 4, 2, 2, 4, 1
			}
		},
		PPO: func(c *rl.PPOConfig) {
			c.Steps = p.PPOSteps
			if p.Prompts > 0 {
				c.PromptsPerStep = max(1, p.Prompts*2/c.SamplesPerPrompt)
			}
			if p.Smoke {
				c.Steps, c.MaxNewTokens, c.GenBatch, c.MiniBatch, c.MicroBatch = 2, 64, 4, 4, 4
				c.PromptsPerStep = max(1, 8/c.SamplesPerPrompt)
			}
		}}
	if p.Smoke {
		cfg.EvalLimit, cfg.EvalLimits, cfg.Eval.MaxNewTokens = 8, nil, 96
	}
	bars := map[string]*display.Progress{}
	cfg.Progress = func(label string, done, total int) {
		b := bars[label]
		if b == nil {
			b = display.NewProgress(label, total)
			bars[label] = b
		}
		b.Set(done)
		if done >= total {
			b.Done()
			delete(bars, label)
		}
	}
	return New(cfg)
}

// Must stops a notebook cell with err's message (the cell fails, and so
// does `scrl notebooks run`), or returns v.
func Must[T any](v T, err error) T {
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
	return v
}

// BestOfK evaluates a policy with k samples per problem (per seed, at the
// template's temperature for sampling, 0.8 when it is below) and returns,
// per seed, the evaluation of the pick among the k: the sample passing the
// most of the statement's example tests (tests a model could see; ties
// keep the earliest). The picks have one sample per problem, so they
// compare with any policy's pass@1 (Compare) at the cost of k samples.
func (e *Experiment) BestOfK(ctx context.Context, policy, split string, problems []apps.Problem, k int) (picks, all []*rl.EvalResult, err error) {
	if k < 2 {
		return nil, nil, fmt.Errorf("best-of-k: k = %d, want at least 2", k)
	}
	sampled := *e
	sampled.cfg.Eval.N, sampled.cfg.Eval.K = k, []int{1, k}
	if sampled.cfg.Eval.Temperature < 0.8 {
		sampled.cfg.Eval.Temperature = 0.8
	}
	all, err = sampled.Evaluate(ctx, policy, fmt.Sprintf("%s-n%d", split, k), problems)
	if err != nil {
		return nil, nil, err
	}
	for _, r := range all {
		pick := *r
		pick.Name, pick.N = fmt.Sprintf("%s best-of-%d", policy, k), 1
		pick.Samples = nil
		best := map[string]int{}
		for i, s := range r.Samples {
			j, ok := best[s.Key]
			if !ok || s.VisiblePassed > r.Samples[j].VisiblePassed {
				best[s.Key] = i
			}
		}
		for i, s := range r.Samples {
			if best[s.Key] == i {
				pick.Samples = append(pick.Samples, s)
			}
		}
		picks = append(picks, &pick)
	}
	return picks, all, nil
}

// ComparisonRows lays out paired comparisons as table rows: one per
// comparison and split, with each endpoint's A − B and its interval.
func ComparisonRows(cs []*rl.Comparison, endpoints ...string) (header []string, rows [][]any) {
	header = []string{"A", "B", "split", "problems × seeds"}
	for _, ep := range endpoints {
		header = append(header, ep+": A − B [95% CI]")
	}
	for _, c := range cs {
		for _, s := range c.Splits {
			row := []any{c.NameA, c.NameB, s.Split, ""}
			for _, name := range endpoints {
				cell := "–"
				for _, ep := range s.Endpoints {
					if ep.Name == name {
						f := "%+.3f [%+.3f, %+.3f]"
						if ep.Percent {
							f = "%+.1f [%+.1f, %+.1f]"
						}
						cell = fmt.Sprintf(f, ep.Diff.Mean, ep.Diff.Lo, ep.Diff.Hi)
						if ep.Decided() {
							cell += " *"
						}
						if row[3] == "" {
							row[3] = fmt.Sprintf("%d × %d", ep.Units, ep.Seeds) // of the first endpoint
						}
					}
				}
				row = append(row, cell)
			}
			rows = append(rows, row)
		}
	}
	return header, rows
}

// SettingsTable shows where an arm's training rollouts and the
// evaluation differ (new tokens, temperature, top-p, test timeout, tests
// per problem), so a table never hides it.
func (e *Experiment) SettingsTable(arm Arm) (header []string, rows [][]any, err error) {
	c, err := e.PPOConfig(arm, e.cfg.Seeds[0])
	if err != nil {
		return nil, nil, err
	}
	ev := e.cfg.Eval
	tests := func(n int) any {
		if n <= 0 {
			return "all"
		}
		return n
	}
	return []string{"setting", "training rollouts (" + arm.Name + ")", "evaluation"}, [][]any{
		{"new tokens at most", c.MaxNewTokens, ev.MaxNewTokens},
		{"temperature", c.Temperature, ev.Temperature},
		{"top-p", 1.0, ev.TopP},
		{"limit per test (ms)", c.Scoring.TimeoutMS, ev.Scoring.TimeoutMS},
		{"tests judged per problem", tests(c.Scoring.MaxTests), tests(ev.Scoring.MaxTests)},
	}, nil
}

// TableIV evaluates policies on split (cached) and returns one Table IV
// row per policy over all its seeds' samples (intervals resample problems).
func (e *Experiment) TableIV(ctx context.Context, policies []string, split string, problems []apps.Problem) ([]evaluation.Row, error) {
	var rows []evaluation.Row
	for _, p := range policies {
		rs, err := e.Evaluate(ctx, p, split, problems)
		if err != nil {
			return nil, err
		}
		var es []evaluation.Sample
		for _, r := range rs {
			for _, s := range r.Samples {
				es = append(es, s.EvalRecord())
			}
		}
		rows = append(rows, evaluation.Table(fmt.Sprintf("%s (%d seeds)", p, len(rs)), es, evaluation.Options{}))
	}
	return rows, nil
}

// ShowTableIV displays Table IV rows with their 95% intervals.
func ShowTableIV(title string, rows []evaluation.Row) error {
	ci := func(m evaluation.Metric, pct bool) string {
		if pct {
			return fmt.Sprintf("%.1f [%.1f, %.1f]", m.Mean, m.Lo, m.Hi)
		}
		return fmt.Sprintf("%.3f [%.3f, %.3f]", m.Mean, m.Lo, m.Hi)
	}
	var cells [][]any
	for _, r := range rows {
		cells = append(cells, []any{r.Name, r.N, ci(r.SyntaxPct, true), ci(r.AnyPassPct, true), ci(r.AllPassPct, true),
			ci(r.SecCleanPct, true), ci(r.RFunc, false), ci(r.RSec, false), ci(r.R, false)})
	}
	return display.Table(title, []string{"policy", "samples", "syntax %", "≥1 test %", "all tests %", "security-clean %", "R_func", "R_sec", "R"}, cells)
}

// Must2 is Must for two results.
func Must2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
	return a, b
}
