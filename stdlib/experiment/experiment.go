// Package experiment runs the study's ablations as arms × seeds: one SFT
// policy per seed, PPO arms trained from it (resumable; a finished run is
// reused), evaluations cached by the policy's weights, paired comparisons
// between arms over problems and seeds (rl.Compare), and training curves
// as a mean with a band over seeds. Notebooks 04 and 05 are a few calls
// over it.
//
// Layout under Config.Dir: sft/seed-S, ARM/seed-S (run directories, see
// stdlib/rl), and RUN/eval/SPLIT-seed-S.json (evaluation caches). Training
// reads only the train split; tuning evaluates on "valid"; the held-out
// splits ("heldout": the synthetic family's test and test-unseen-family)
// are for the final tables.
package experiment

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/securecoderl/securecoderl/stdlib/apps"
	"github.com/securecoderl/securecoderl/stdlib/evaluation"
	"github.com/securecoderl/securecoderl/stdlib/rl"
)

// Arm is one trained policy of the experiment: a PPO variant (where it
// starts, its default reward), optionally another reward and algorithm.
type Arm struct {
	Name    string `json:"name"`
	Variant string `json:"variant"`
	// Reward replaces the variant's reward when set.
	Reward    *rl.RewardConfig `json:"reward,omitempty"`
	Algorithm string           `json:"algorithm,omitempty"` // "" = ppo
	// Init is the arm whose runs this one continues ("" = SFT), as
	// ppo-continue continues ppo-simple.
	Init        string `json:"init,omitempty"`
	Description string `json:"description"`
}

// Policies that are not arms: the base model and the SFT policy.
const (
	Base = "base"
	SFT  = "sft"
)

// Arms returns the named arms: the study's variants (ppo-simple,
// ppo-fresh, ppo-continue) and the reward ablations (binary, fraction,
// partial, seed, guarded, each with α 0.6 and β 0.4, and partial-nosec
// with β 0), plus grpo (GRPO on partial credit).
func Arms() []Arm {
	r := func(f string, beta float64) *rl.RewardConfig {
		return &rl.RewardConfig{Func: f, Alpha: 0.6, Beta: beta}
	}
	return []Arm{
		{Name: "ppo-simple", Variant: "ppo-simple", Description: "SFT init, reward 1 when the program parses (the study's PPO-simple)"},
		{Name: "ppo-fresh", Variant: "ppo-fresh", Description: "SFT init, partial credit + security (the study's PPO-fresh)"},
		{Name: "ppo-continue", Variant: "ppo-continue", Init: "ppo-simple", Description: "continues ppo-simple on PPO-fresh's reward"},
		{Name: "partial", Variant: "ppo-fresh", Reward: r("partial", 0.4), Description: "partial credit (Table III) + security, α 0.6 β 0.4"},
		{Name: "binary", Variant: "ppo-fresh", Reward: r("binary", 0.4), Description: "1 when every test passes + security"},
		{Name: "fraction", Variant: "ppo-fresh", Reward: r("fraction", 0.4), Description: "share of tests passed (k/T) + security"},
		{Name: "seed", Variant: "ppo-fresh", Reward: r("seed", 0.4), Description: "the study's released partial-credit variant + security"},
		{Name: "guarded", Variant: "ppo-fresh", Reward: r("guarded", 0.4), Description: "partial credit that pays a constant printer as a program that parses + security"},
		{Name: "partial-nosec", Variant: "ppo-fresh", Reward: r("partial", 0), Description: "partial credit, β = 0 (no security term)"},
		{Name: "grpo", Variant: "ppo-fresh", Reward: r("partial", 0.4), Algorithm: rl.AlgoGRPO, Description: "GRPO on partial credit + security"},
	}
}

// ArmByName returns a named arm.
func ArmByName(name string) (Arm, error) {
	var names []string
	for _, a := range Arms() {
		if a.Name == name {
			return a, nil
		}
		names = append(names, a.Name)
	}
	return Arm{}, fmt.Errorf("unknown arm %q (valid: %s)", name, strings.Join(names, ", "))
}

// ArmsByName returns named arms, in order.
func ArmsByName(names ...string) ([]Arm, error) {
	var out []Arm
	for _, n := range names {
		a, err := ArmByName(n)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// Config configures an experiment.
type Config struct {
	Dir   string   // runs and caches
	Base  string   // base model directory
	Data  []string // problem sources (rl.LoadSplits)
	Seeds []uint64 // one run per arm per seed; evaluations sample with the same seed
	// SFTSeed, when not 0, trains one SFT policy (with this seed) that
	// every seed's arms start from, so seeds vary the RL runs only; 0
	// trains one SFT policy per seed.
	SFTSeed uint64
	// SFT and PPO adjust the runs' configurations (steps, batch sizes…)
	// after the defaults and the arm are applied; nil keeps the defaults.
	SFT func(*rl.SFTConfig)
	PPO func(*rl.PPOConfig)
	// Eval is the evaluation template (policy and seed are set per run).
	Eval rl.EvalConfig
	// EvalLimit evaluates a stratified sample of this many problems of a
	// split, or of "heldout" as a whole (allotted to its splits in
	// proportion to their sizes; 0: all).
	EvalLimit int
	// EvalLimits, when set, samples each split on its own instead: the
	// named splits' sample sizes (0: the whole split; a split not named is
	// taken whole), so a small split (the synthetic test split with all
	// its tempting problems) can be read whole beside a sample of a large
	// one. See ParseLimits.
	EvalLimits map[string]int
	// Progress, when set, is told about long work: label, done, total.
	Progress func(label string, done, total int)
}

// Experiment is a configured set of arms × seeds.
type Experiment struct {
	cfg Config
}

// New checks a configuration.
func New(cfg Config) (*Experiment, error) {
	if cfg.Dir == "" || cfg.Base == "" || len(cfg.Data) == 0 {
		return nil, fmt.Errorf("experiment: Dir, Base and Data are required")
	}
	if err := CheckSeeds(cfg.Seeds); err != nil {
		return nil, err
	}
	if cfg.Eval.N == 0 {
		cfg.Eval = rl.DefaultEvalConfig()
	}
	return &Experiment{cfg: cfg}, nil
}

// CheckSeeds rejects an empty or repeated seed list.
func CheckSeeds(seeds []uint64) error {
	if len(seeds) == 0 {
		return fmt.Errorf("experiment: no seeds (give at least one; 3 or more to see the spread between runs)")
	}
	seen := map[uint64]bool{}
	for _, s := range seeds {
		if seen[s] {
			return fmt.Errorf("experiment: seed %d listed twice in %v: each seed is one independent run", s, seeds)
		}
		seen[s] = true
	}
	return nil
}

// Seeds returns the seeds.
func (e *Experiment) Seeds() []uint64 { return e.cfg.Seeds }

// RunDir is the run directory of a policy ("sft" or an arm) for a seed.
func (e *Experiment) RunDir(policy string, seed uint64) string {
	if policy == SFT && e.cfg.SFTSeed != 0 {
		seed = e.cfg.SFTSeed
	}
	return filepath.Join(e.cfg.Dir, policy, fmt.Sprintf("seed-%d", seed))
}

func (e *Experiment) progress(label string, done, total int) {
	if e.cfg.Progress != nil {
		e.cfg.Progress(label, done, total)
	}
}

// TrainSFT fine-tunes the base model once per seed, or once with SFTSeed
// (resuming an unfinished
// run, reusing a finished one).
func (e *Experiment) TrainSFT(ctx context.Context) ([]*rl.SFTResult, error) {
	var out []*rl.SFTResult
	seeds := e.cfg.Seeds
	if e.cfg.SFTSeed != 0 {
		seeds = []uint64{e.cfg.SFTSeed}
	}
	for _, seed := range seeds {
		c := rl.DefaultSFTConfig()
		c.Model, c.Out, c.Data, c.Seed, c.Resume = e.cfg.Base, e.RunDir(SFT, seed), e.cfg.Data, seed, true
		if e.cfg.SFT != nil {
			e.cfg.SFT(&c)
		}
		label := fmt.Sprintf("SFT seed %d", seed)
		res, err := rl.RunSFT(ctx, c, func(p rl.SFTProgress) { e.progress(label, p.Step, c.Steps) })
		if err != nil {
			return nil, fmt.Errorf("%s: %w", label, err)
		}
		e.progress(label, c.Steps, c.Steps)
		out = append(out, res)
	}
	return out, nil
}

// PPOConfig is the configuration of an arm's run for a seed.
func (e *Experiment) PPOConfig(arm Arm, seed uint64) (rl.PPOConfig, error) {
	c, err := rl.DefaultPPOConfig(arm.Variant)
	if err != nil {
		return c, fmt.Errorf("arm %s: %w", arm.Name, err)
	}
	if arm.Reward != nil {
		c.Scoring.Reward = *arm.Reward
	}
	if arm.Algorithm != "" {
		c.Algorithm = arm.Algorithm
	}
	if c.Algorithm == rl.AlgoGRPO && c.SamplesPerPrompt < 4 {
		// A group of 2 gives half its batches zero advantage on a binary
		// reward; 4 per prompt, the same rollouts per step.
		c.PromptsPerStep, c.SamplesPerPrompt = max(1, c.PromptsPerStep*c.SamplesPerPrompt/4), 4
	}
	init := e.RunDir(SFT, seed)
	if arm.Init != "" {
		init = e.RunDir(arm.Init, seed)
	}
	c.Variant, c.Init, c.Model, c.Out, c.Data, c.Seed, c.Resume = arm.Name, init, e.cfg.Base, e.RunDir(arm.Name, seed), e.cfg.Data, seed, true
	if e.cfg.PPO != nil {
		e.cfg.PPO(&c)
	}
	return c, nil
}

// Train trains every arm for every seed, an arm after the arm it
// continues (which must be among arms or already trained).
func (e *Experiment) Train(ctx context.Context, arms ...Arm) error {
	done := map[string]bool{}
	pending := slices.Clone(arms)
	for len(pending) > 0 {
		progressed := false
		for i := 0; i < len(pending); i++ {
			a := pending[i]
			if a.Init != "" && !done[a.Init] && !e.trained(a.Init) {
				if !slices.ContainsFunc(pending, func(p Arm) bool { return p.Name == a.Init }) {
					return fmt.Errorf("arm %s continues %s, which is neither trained nor among the arms", a.Name, a.Init)
				}
				continue
			}
			for _, seed := range e.cfg.Seeds {
				c, err := e.PPOConfig(a, seed)
				if err != nil {
					return err
				}
				label := fmt.Sprintf("%s seed %d", a.Name, seed)
				err = rl.RunPPO(ctx, c, func(p rl.PPOProgress) {
					if p.Phase == "done" {
						e.progress(label, p.Step, c.Steps)
					}
				})
				if err != nil {
					return fmt.Errorf("%s: %w", label, err)
				}
				e.progress(label, c.Steps, c.Steps)
			}
			done[a.Name] = true
			pending = slices.Delete(pending, i, i+1)
			i--
			progressed = true
		}
		if !progressed {
			return fmt.Errorf("arms %v continue each other in a cycle", pending)
		}
	}
	return nil
}

// trained says whether every seed of a policy has a finished run.
func (e *Experiment) trained(policy string) bool {
	for _, s := range e.cfg.Seeds {
		if _, err := os.Stat(filepath.Join(e.RunDir(policy, s), rl.AdapterDir)); err != nil {
			return false
		}
	}
	return true
}

// Problems returns the problems of a split for evaluation: "valid" (for
// tuning), "heldout" (the final tables: test and test-unseen-family), or
// any rl.SplitProblems name, limited to Config.EvalLimit.
func (e *Experiment) Problems(ctx context.Context, split string) ([]apps.Problem, error) {
	if len(e.cfg.EvalLimits) > 0 {
		return e.problemsEach(ctx, split)
	}
	if split == "heldout" {
		return rl.HeldoutProblems(ctx, e.cfg.Data, 0.2, 1, e.cfg.EvalLimit)
	}
	return rl.SplitProblems(ctx, e.cfg.Data, 0.2, 1, strings.Split(split, ","), e.cfg.EvalLimit)
}

// problemsEach samples each split of split (a list, or "heldout") by its
// own Config.EvalLimits entry.
func (e *Experiment) problemsEach(ctx context.Context, split string) ([]apps.Problem, error) {
	var names []string
	if split == "heldout" {
		splits, err := rl.LoadSplits(ctx, e.cfg.Data, 0.2, 1)
		if err != nil {
			return nil, err
		}
		names = rl.HeldoutSplitNames(splits)
	} else {
		names = strings.Split(split, ",")
	}
	for n := range e.cfg.EvalLimits {
		if !slices.Contains(names, n) && split == "heldout" {
			return nil, fmt.Errorf("evaluation limits: %q is not a held-out split (held-out: %s)", n, strings.Join(names, ", "))
		}
	}
	var out []apps.Problem
	for _, n := range names {
		ps, err := rl.SplitProblems(ctx, e.cfg.Data, 0.2, 1, []string{n}, e.cfg.EvalLimits[n])
		if err != nil {
			return nil, err
		}
		out = append(out, ps...)
	}
	return out, nil
}

// ParseLimits reads per-split sample sizes, "split=N,…" (N >= 0; 0: the
// whole split); "" is no limits.
func ParseLimits(s string) (map[string]int, error) {
	out := map[string]int{}
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		name, num, ok := strings.Cut(f, "=")
		n, err := strconv.Atoi(strings.TrimSpace(num))
		if !ok || strings.TrimSpace(name) == "" || err != nil || n < 0 {
			return nil, fmt.Errorf("evaluation limits %q: %q is not split=N with N >= 0", s, f)
		}
		name = strings.TrimSpace(name)
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("evaluation limits %q: split %q given twice", s, name)
		}
		out[name] = n
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// ErrNotTrained is returned when a policy has no finished run.
var ErrNotTrained = errors.New("not trained")

// Evaluate evaluates a policy ("base", "sft" or an arm) once per seed on
// the problems of split (the sampling seed is the run's seed, so every
// policy of a seed samples with the same seed), cached by the policy's
// weights.
func (e *Experiment) Evaluate(ctx context.Context, policy, split string, problems []apps.Problem) ([]*rl.EvalResult, error) {
	var out []*rl.EvalResult
	for _, seed := range e.cfg.Seeds {
		c := e.cfg.Eval
		c.Name, c.Seed = policy, seed
		dir := e.RunDir(policy, seed)
		var spec rl.PolicySpec
		var err error
		if policy == Base {
			dir = filepath.Join(e.cfg.Dir, Base, fmt.Sprintf("seed-%d", seed))
			spec, err = rl.ResolvePolicy(e.cfg.Base, "")
		} else {
			if _, serr := os.Stat(dir); serr != nil {
				return nil, fmt.Errorf("evaluate %s seed %d: %s: %w", policy, seed, dir, ErrNotTrained)
			}
			spec, err = rl.ResolvePolicy(e.cfg.Base, dir)
		}
		if err != nil {
			return nil, fmt.Errorf("evaluate %s seed %d: %w", policy, seed, err)
		}
		c.Policy = spec
		label := fmt.Sprintf("eval %s seed %d (%s)", policy, seed, split)
		c.Progress = func(done, total int) { e.progress(label, done, total) }
		res, err := rl.EvaluateCached(ctx, c, problems, filepath.Join(dir, "eval", fmt.Sprintf("%s-seed-%d.json", strings.ReplaceAll(split, ",", "+"), seed)))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", label, err)
		}
		out = append(out, res)
	}
	return out, nil
}

// Compare evaluates (or reads the cached evaluations of) policies a and b
// on split and returns their paired comparison over problems and seeds.
func (e *Experiment) Compare(ctx context.Context, a, b, split string, problems []apps.Problem) (*rl.Comparison, error) {
	ra, err := e.Evaluate(ctx, a, split, problems)
	if err != nil {
		return nil, err
	}
	rb, err := e.Evaluate(ctx, b, split, problems)
	if err != nil {
		return nil, err
	}
	c, err := rl.Compare(ra, rb, evaluation.Options{})
	if err != nil {
		return nil, fmt.Errorf("compare %s with %s on %s: %w", a, b, split, err)
	}
	c.NameA, c.NameB = a, b
	return c, nil
}

// CompareResults is rl.Compare of evaluations already made (e.g. a
// best-of-k pick, BestOfK), named a and b.
func CompareResults(a string, ra []*rl.EvalResult, b string, rb []*rl.EvalResult) (*rl.Comparison, error) {
	c, err := rl.Compare(ra, rb, evaluation.Options{})
	if err != nil {
		return nil, fmt.Errorf("compare %s with %s: %w", a, b, err)
	}
	c.NameA, c.NameB = a, b
	return c, nil
}
