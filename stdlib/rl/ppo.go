package rl

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/securecoderl/securecoderl/stdlib/apps"
	"github.com/securecoderl/securecoderl/stdlib/generate"
	"github.com/securecoderl/securecoderl/stdlib/lm"
	"github.com/securecoderl/securecoderl/stdlib/lora"
	"github.com/securecoderl/securecoderl/stdlib/reward"
)

// Algorithms.
const (
	// AlgoPPO is PPO done properly: token-level clipped ratio, a value head,
	// GAE, a per-token KL penalty in the reward, a clipped value loss, an
	// entropy bonus, several epochs of minibatches, early stop on KL.
	AlgoPPO = "ppo"
	// AlgoStudy is the study's own variant: one ratio per sequence, a
	// batch-mean baseline, no value head (the KL penalty is folded into the
	// sequence reward).
	AlgoStudy = "study"
	// AlgoGRPO is GRPO: group-relative advantages over several completions
	// per prompt, no value head, KL to the reference in the loss.
	AlgoGRPO = "grpo"
)

// Algorithms lists the algorithm names.
var Algorithms = []string{AlgoPPO, AlgoStudy, AlgoGRPO}

// PPOConfig configures a PPO run.
type PPOConfig struct {
	Variant   string `json:"variant"`
	Algorithm string `json:"algorithm"`
	// Init is the run the policy starts from: an SFT run (ppo-simple,
	// ppo-fresh, the ablations) or a PPO run (ppo-continue). The reference
	// policy of the KL penalty is always the SFT policy: Init itself for an
	// SFT run, Init's own reference for a PPO run.
	Init  string `json:"init"`
	Model string `json:"model,omitempty"` // base model (default: Init's)
	Out   string `json:"out"`

	Data            []string     `json:"data"`
	HeldoutFraction float64      `json:"heldout_fraction"`
	SplitSeed       uint64       `json:"split_seed"`
	Prompting       Prompting    `json:"prompting"`
	Scoring         ScorerConfig `json:"scoring"`

	Seed             uint64  `json:"seed"`
	Steps            int     `json:"steps"`
	PromptsPerStep   int     `json:"prompts_per_step"`
	SamplesPerPrompt int     `json:"samples_per_prompt"` // GRPO's group size
	GenBatch         int     `json:"gen_batch"`          // sequences per generation batch (the pipeline unit)
	MaxNewTokens     int     `json:"max_new_tokens"`
	Temperature      float64 `json:"temperature"` // of the policy: sampling and training use softmax(logits/T)

	Epochs     int         `json:"epochs"`
	MiniBatch  int         `json:"mini_batch"`  // sequences per optimiser step
	MicroBatch int         `json:"micro_batch"` // sequences per forward/backward
	Optim      OptimConfig `json:"optim"`

	Gamma     float64      `json:"gamma"`
	Lambda    float64      `json:"lambda"`
	ClipEps   float64      `json:"clip_eps"`
	ClipValue float64      `json:"clip_value"`
	VFCoef    float64      `json:"vf_coef"`
	EntCoef   float64      `json:"ent_coef"`
	KL        KLController `json:"kl"`
	// WhitenRewards centres the scores on the batch mean and rescales the
	// rewards with the KL penalty already in them (PPO: the per-token rewards
	// jointly, keeping their mean, as TRL; the study's objective: the sequence
	// totals), so β keeps its weight relative to R. The rescale is to unit
	// standard deviation whatever the batch: when every score is equal (a
	// binary reward that nobody earns) only the KL term is left, and it is
	// scaled up like any other batch's rewards, which is why such a batch is
	// skipped instead (EqualScores: no optimiser step, no weight moves, the
	// metrics row says equal_scores). WhitenAdvantages standardises the
	// token advantages (PPO).
	WhitenRewards    bool    `json:"whiten_rewards"`
	WhitenAdvantages bool    `json:"whiten_advantages"`
	TargetKL         float64 `json:"target_kl"` // early stop when a minibatch's approx KL > 1.5·TargetKL (0: never)
	CkptEvery        int     `json:"ckpt_every"`

	// Scorer, when set, scores the rollouts instead of the sandbox and
	// scanner scorer that Scoring configures (a reward of your own, a remote
	// sandbox); Scoring is then only recorded.
	Scorer RolloutScorer `json:"-"`

	// GenWorkers is how many generation batches run at once (0: one per
	// CPU, at most 2). It changes speed, not results.
	GenWorkers int `json:"-"`

	Resume bool `json:"-"`
	StopAt int  `json:"-"`
}

// RolloutScorer scores a batch of completions, results in item order: R is
// the reward PPO maximises, the other fields are logged. *Scorer (the
// sandbox, the scanner and the study's reward) is the default.
type RolloutScorer interface {
	Score(ctx context.Context, items []ScoreItem) ([]Scored, error)
}

// ScorerFunc is a RolloutScorer from a function of one completion.
type ScorerFunc func(it ScoreItem) Scored

// Score scores each item with f.
func (f ScorerFunc) Score(ctx context.Context, items []ScoreItem) ([]Scored, error) {
	out := make([]Scored, len(items))
	for i, it := range items {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		out[i] = f(it)
	}
	return out, nil
}

// Variant is a named PPO configuration: where the policy starts and which
// reward it is trained on.
type Variant struct {
	Name        string       `json:"name"`
	InitKind    string       `json:"init_kind"` // "sft" or the variant whose run it continues
	Reward      RewardConfig `json:"reward"`
	Description string       `json:"description"`
}

// Variants are the study's configurations and the ablations.
var Variants = []Variant{
	{"ppo-simple", "sft", RewardConfig{Func: "syntax", Alpha: 1, Beta: 0}, "SFT init, reward 1 when the program parses (the study's PPO-simple)"},
	{"ppo-fresh", "sft", RewardConfig{Func: "partial", Alpha: 0.6, Beta: 0.4}, "SFT init, partial credit + security, α 0.6 β 0.4"},
	{"ppo-continue", "ppo-simple", RewardConfig{Func: "partial", Alpha: 0.6, Beta: 0.4}, "init from a ppo-simple run, partial credit + security"},
	{"ppo-binary", "sft", RewardConfig{Func: "binary", Alpha: 0.6, Beta: 0}, "ablation: all tests pass or nothing, no security term"},
	{"ppo-partial-nosec", "sft", RewardConfig{Func: "partial", Alpha: 0.6, Beta: 0}, "ablation: partial credit, β = 0"},
	{"ppo-binary-sec", "sft", RewardConfig{Func: "binary", Alpha: 0.6, Beta: 0.4}, "ablation: binary + security"},
}

// VariantByName returns a variant.
func VariantByName(name string) (Variant, error) {
	var names []string
	for _, v := range Variants {
		if v.Name == name {
			return v, nil
		}
		names = append(names, v.Name)
	}
	return Variant{}, fmt.Errorf("unknown variant %q (valid: %s)", name, strings.Join(names, ", "))
}

// DefaultPPOConfig returns the configuration of a variant.
func DefaultPPOConfig(variant string) (PPOConfig, error) {
	v, err := VariantByName(variant)
	if err != nil {
		return PPOConfig{}, err
	}
	return PPOConfig{
		Variant: v.Name, Algorithm: AlgoPPO, HeldoutFraction: 0.2, SplitSeed: 1, Prompting: DefaultPrompting(),
		Scoring: ScorerConfig{Reward: v.Reward, Scanner: "native", Workers: 2, TimeoutMS: 1000, MaxTests: 8},
		Seed:    1, Steps: 40, PromptsPerStep: 8, SamplesPerPrompt: 2, GenBatch: 8, MaxNewTokens: 192, Temperature: 0.7,
		Epochs: 2, MiniBatch: 8, MicroBatch: 4,
		// LR 2e-4 and λ = 1 from measured runs (ppo-fresh from the SFT
		// policy of notebook 04, 15 steps, train rewards only): at LR 1e-3
		// the KL to the SFT policy reached 4 nats (λ 0.95) and 11 nats
		// (λ 1) while the training reward fell 0.79 → 0.72 and 0.79 → 0.67;
		// at 2e-4 (λ 1) KL stayed at 0.3 and the reward 0.82 → 0.83.
		// λ = 1 gives every token of a completion its whole return (with
		// γ = 1 and λ = 0.95 the first token of a 100-token program gets
		// 0.95^99 ≈ 0.6% of the terminal reward while the value head is
		// still near 0); verl's default too.
		Optim: OptimConfig{LR: 2e-4, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0, MaxGradNorm: 1},
		Gamma: 1, Lambda: 1, ClipEps: 0.2, ClipValue: 0.2, VFCoef: 0.1, EntCoef: 0.001,
		KL:            KLController{Coef: 0.05, Target: 6, Horizon: 1000},
		WhitenRewards: true, WhitenAdvantages: true, TargetKL: 0.1, CkptEvery: 1,
	}, nil
}

// Rollout is one scored completion, as written to rollouts.jsonl.
type Rollout struct {
	Step       int     `json:"step"`
	Batch      int     `json:"batch"`      // generation batch within the step
	BatchSize  int     `json:"batch_size"` // rollouts in that batch
	Index      int     `json:"index"`      // rollout within the step
	Group      int     `json:"group"`      // prompt within the step
	Key        string  `json:"prompt_id"`  // file:problem id
	Difficulty string  `json:"difficulty"`
	Completion string  `json:"completion"`
	Tokens     []int   `json:"tokens"` // completion token ids (EOS included when emitted)
	Finish     string  `json:"finish_reason"`
	LogProb    float64 `json:"logprob"` // Σ log π(token) at sampling time
	Scored
}

// PPOState is the run state in a PPO checkpoint.
type PPOState struct {
	Step     int     `json:"step"`
	Data     Cursor  `json:"data"`
	KLCoef   float64 `json:"kl_coef"`
	Seconds  float64 `json:"seconds"`
	Rollouts int     `json:"rollouts"`
}

// PPOProgress is reported after every step.
type PPOProgress struct {
	Step, Steps int
	Reward      float64
	KL          float64
	Elapsed     time.Duration
	Phase       string // "generate", "optimise", "done"
}

// StepTimings splits a step's wall time.
type StepTimings struct {
	Generate  float64 `json:"generate_s"`
	Score     float64 `json:"score_s"`      // scorer busy time (overlaps generation)
	ScoreWait float64 `json:"score_wait_s"` // time the trainer waited for scores
	Forward   float64 `json:"forward_s"`    // old/ref log-probs and values
	Optimise  float64 `json:"optimise_s"`
	Step      float64 `json:"step_s"`
	// NativeTrain: the gradients ran on the native training pass
	// (Trainer.NativeTraining), not the step graph.
	NativeTrain bool `json:"native_train"`
}

type ppoRun struct {
	cfg      PPOConfig
	tr       *Trainer
	ref      *Forwarder
	gen      *generate.Generator
	scorer   RolloutScorer
	tok      Tokenizer
	problems []apps.Problem
	prompts  map[string]promptInfo
	rlog     *JSONLWriter
	reuse    map[int][]Rollout // logged batches of the step being resumed
}

type promptInfo struct {
	text string
	ids  []int
}

// RunPPO trains a policy with the configured algorithm. See the package
// documentation for the pipeline, the logs and resumption.
func RunPPO(ctx context.Context, cfg PPOConfig, progress func(PPOProgress)) error {
	if cfg.Out == "" || cfg.Init == "" {
		return fmt.Errorf("ppo: --init RUN and --out RUN are required")
	}
	if !slices.Contains(Algorithms, cfg.Algorithm) {
		return fmt.Errorf("ppo: unknown algorithm %q (valid: %s)", cfg.Algorithm, strings.Join(Algorithms, ", "))
	}
	if cfg.Steps <= 0 || cfg.PromptsPerStep <= 0 || cfg.SamplesPerPrompt <= 0 || cfg.GenBatch <= 0 ||
		cfg.MiniBatch <= 0 || cfg.MicroBatch <= 0 || cfg.Epochs <= 0 || cfg.MaxNewTokens <= 0 {
		return fmt.Errorf("ppo: steps, prompts per step, samples per prompt, generation batch, mini-batch, micro-batch, epochs and max new tokens must be positive")
	}
	if cfg.Temperature <= 0 {
		return fmt.Errorf("ppo: temperature %v: PPO trains the sampling distribution softmax(logits/T), so T must be > 0", cfg.Temperature)
	}
	if cfg.MiniBatch%cfg.MicroBatch != 0 {
		return fmt.Errorf("ppo: mini-batch %d is not a multiple of micro-batch %d", cfg.MiniBatch, cfg.MicroBatch)
	}
	if cfg.Algorithm == AlgoGRPO && cfg.SamplesPerPrompt < 2 {
		return fmt.Errorf("ppo: GRPO needs at least 2 samples per prompt")
	}
	cfg.Init, cfg.Model = abs(cfg.Init), abs(cfg.Model)
	resuming := cfg.Resume && FindCheckpoint(cfg.Out) != ""
	if resuming {
		if err := checkResumeConfig(cfg.Out, "ppo", cfg); err != nil {
			return err
		}
	}
	// The policy starts from Init; the reference is the SFT policy.
	start, err := ResolvePolicy(cfg.Model, cfg.Init)
	if err != nil {
		return fmt.Errorf("ppo --init: %w", err)
	}
	if start.Adapter == "" {
		return fmt.Errorf("ppo --init %s: PPO trains a LoRA adapter; the init run has none", cfg.Init)
	}
	refSpec := start
	var initHead string
	if ri, err := ReadRunInfo(cfg.Init); err == nil && ri.Kind == "ppo" {
		if ri.Reference == nil {
			return fmt.Errorf("ppo --init %s: the run records no reference policy", cfg.Init)
		}
		refSpec = *ri.Reference
		if p := filepath.Join(cfg.Init, ValueHeadFile); exists(p) {
			initHead = p
		} else if ck := FindCheckpoint(cfg.Init); ck != "" && exists(filepath.Join(ck, ValueHeadFile)) {
			initHead = filepath.Join(ck, ValueHeadFile)
		}
	}
	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		return err
	}
	model, ad, err := start.Load()
	if err != nil {
		return err
	}
	// No dropout in RL: the ratio must compare the same function.
	ad.Config.Dropout = 0
	refModel, err := refSpec.LoadMerged()
	if err != nil {
		return fmt.Errorf("reference policy: %w", err)
	}
	var head *ValueHead
	if cfg.Algorithm == AlgoPPO {
		if initHead != "" {
			if head, err = LoadValueHead(initHead, model.Config.HiddenSize); err != nil {
				return err
			}
		} else {
			head = NewValueHead(model.Config.HiddenSize)
		}
	}
	var obj Objective
	switch cfg.Algorithm {
	case AlgoPPO:
		obj = PPOObjective{ClipEps: cfg.ClipEps, ClipValue: cfg.ClipValue, VFCoef: cfg.VFCoef, EntCoef: cfg.EntCoef}
	case AlgoStudy:
		obj = SeqObjective{ClipEps: cfg.ClipEps, EntCoef: cfg.EntCoef}
	case AlgoGRPO:
		obj = GRPOObjective{ClipEps: cfg.ClipEps, KLCoef: cfg.KL.Coef, EntCoef: cfg.EntCoef}
	}
	tr, err := NewTrainer(model, ad, head, TrainerConfig{Optim: cfg.Optim, Temperature: cfg.Temperature, Objective: obj, Seed: cfg.Seed})
	if err != nil {
		return err
	}
	defer tr.Close()
	ref, err := NewReferenceForwarder(refModel, cfg.Temperature)
	if err != nil {
		return err
	}
	defer ref.Close()
	st := PPOState{KLCoef: cfg.KL.Coef}
	resumeStep := -1
	if resuming {
		if err := tr.LoadCheckpoint(cfg.Out, &st); err != nil {
			return err
		}
		resumeStep = st.Step
	} else {
		raw, _ := json.Marshal(cfg)
		ri := RunInfo{Kind: "ppo", Variant: cfg.Variant, BaseModel: start.Model, Init: cfg.Init, Reference: &refSpec, Config: raw}
		if err := clearForFresh(cfg.Out); err != nil {
			return err
		}
		if err := writeRunInfo(cfg.Out, ri); err != nil {
			return err
		}
	}
	kl := cfg.KL
	kl.Coef = st.KLCoef
	if cfg.Algorithm == AlgoGRPO {
		kl.Coef = cfg.KL.Coef // fixed in GRPO's loss graph (older checkpoints adapted it)
	}
	train, _, err := LoadProblems(ctx, cfg.Data, cfg.HeldoutFraction, cfg.SplitSeed)
	if err != nil {
		return err
	}
	var problems []apps.Problem
	for _, p := range train {
		if len(p.Tests) > 0 {
			problems = append(problems, p)
		}
	}
	if len(problems) == 0 {
		return fmt.Errorf("ppo: no training problems with tests")
	}
	var scorer RolloutScorer = cfg.Scorer
	if scorer == nil {
		sc, err := NewScorer(ctx, cfg.Scoring)
		if err != nil {
			return err
		}
		defer sc.Close()
		scorer = sc
	}
	runner, err := tr.PolicyRunner()
	if err != nil {
		return err
	}
	tok, err := LoadTokenizer(start.Model)
	if err != nil {
		return err
	}
	r := &ppoRun{cfg: cfg, tr: tr, ref: ref, scorer: scorer, tok: tok, problems: problems,
		prompts: map[string]promptInfo{}}
	r.gen = generate.New(runner, r.tok)
	// Logs: on resume keep the rollouts of checkpointed steps and the
	// complete generation batches of the step being redone (they are reused,
	// not generated again); drop the rest.
	if resuming {
		if r.reuse, err = filterRollouts(cfg.Out, resumeStep); err != nil {
			return err
		}
	}
	if r.rlog, err = OpenJSONL(filepath.Join(cfg.Out, RolloutsLog)); err != nil {
		return err
	}
	defer r.rlog.Close()
	ml, err := OpenMetrics(cfg.Out, resumeStep)
	if err != nil {
		return err
	}
	defer ml.Close()
	t0 := time.Now().Add(-time.Duration(st.Seconds * float64(time.Second)))
	for step := st.Step + 1; step <= cfg.Steps; step++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		row, err := r.step(ctx, step, &st, &kl, func(phase string) {
			if progress != nil {
				progress(PPOProgress{Step: step - 1, Steps: cfg.Steps, Elapsed: time.Since(t0), Phase: phase})
			}
		})
		if err != nil {
			return fmt.Errorf("ppo step %d: %w", step, err)
		}
		row["elapsed"] = time.Since(t0).Seconds()
		if err := ml.Append(row); err != nil {
			return err
		}
		st.Step, st.KLCoef, st.Seconds = step, kl.Coef, time.Since(t0).Seconds()
		if every(step, cfg.CkptEvery) || step == cfg.Steps || step == cfg.StopAt {
			if err := tr.SaveCheckpoint(cfg.Out, st); err != nil {
				return err
			}
		}
		if progress != nil {
			progress(PPOProgress{Step: step, Steps: cfg.Steps, Reward: row["reward"].(float64), KL: row["kl"].(float64), Elapsed: time.Since(t0), Phase: "done"})
		}
		if step == cfg.StopAt {
			return ErrStopped
		}
	}
	return exportFinal(cfg.Out)
}

// filterRollouts rewrites the rollout log for a resume from step k: lines
// of steps <= k stay; of step k+1 the complete generation batches (a
// prefix, since batches are logged in order) stay and are returned for
// reuse; everything else goes.
func filterRollouts(dir string, k int) (map[int][]Rollout, error) {
	path := filepath.Join(dir, RolloutsLog)
	lines, err := ReadJSONL(path)
	if err != nil {
		return nil, err
	}
	byBatch := map[int][]Rollout{}
	for _, l := range lines {
		var ro Rollout
		if json.Unmarshal(l, &ro) == nil && ro.Step == k+1 {
			byBatch[ro.Batch] = append(byBatch[ro.Batch], ro)
		}
	}
	reuse := map[int][]Rollout{}
	for b := 0; ; b++ {
		rs := byBatch[b]
		if len(rs) == 0 || len(rs) != rs[0].BatchSize {
			break
		}
		reuse[b] = rs
	}
	_, err = FilterJSONL(path, func(l []byte) bool {
		var ro Rollout
		if json.Unmarshal(l, &ro) != nil {
			return false
		}
		if ro.Step <= k {
			return true
		}
		_, ok := reuse[ro.Batch]
		return ro.Step == k+1 && ok
	})
	return reuse, err
}

func (r *ppoRun) prompt(p apps.Problem) (promptInfo, error) {
	k := Key(p)
	if pi, ok := r.prompts[k]; ok {
		return pi, nil
	}
	text, err := r.cfg.Prompting.Prompt(p)
	if err != nil {
		return promptInfo{}, err
	}
	pi := promptInfo{text: text, ids: r.tok.EncodeOrdinary(text, true)}
	r.prompts[k] = pi
	return pi, nil
}

func seedOf(parts ...uint64) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		var b [8]byte
		for i := range b {
			b[i] = byte(p >> (8 * i))
		}
		h.Write(b[:])
	}
	return h.Sum64()
}

type genBatch struct {
	index    int
	rollouts []Rollout
	items    []ScoreItem
	reused   bool
}

// step runs one PPO step: rollouts (generation pipelined with scoring),
// forward passes, advantages, optimisation. It returns the metrics row.
func (r *ppoRun) step(ctx context.Context, step int, st *PPOState, kl *KLController, phase func(string)) (map[string]any, error) {
	cfg := r.cfg
	stepStart := time.Now()
	phase("generate")
	idx := st.Data.Next(len(r.problems), cfg.PromptsPerStep, cfg.Seed)
	type slot struct {
		group, sample int
		p             apps.Problem
	}
	var slots []slot
	for g, i := range idx {
		for s := 0; s < cfg.SamplesPerPrompt; s++ {
			slots = append(slots, slot{g, s, r.problems[i]})
		}
	}
	n := len(slots)
	nb := (n + cfg.GenBatch - 1) / cfg.GenBatch
	var tm StepTimings
	// Scoring pipeline: batches go to one scoring goroutine in order; it
	// scores, logs (flush + fsync per batch) and passes them on.
	toScore := make(chan *genBatch, nb)
	scored := make(chan error, 1)
	rollouts := make([]Rollout, n)
	go func() {
		var err error
		for b := range toScore {
			if err != nil {
				continue
			}
			if !b.reused {
				ts := time.Now()
				var res []Scored
				res, err = r.scorer.Score(ctx, b.items)
				tm.Score += time.Since(ts).Seconds()
				if err != nil {
					continue
				}
				for i := range b.rollouts {
					b.rollouts[i].Scored = res[i]
				}
				rows := make([]any, len(b.rollouts))
				for i := range b.rollouts {
					rows[i] = b.rollouts[i]
				}
				if err = r.rlog.Append(rows...); err != nil {
					continue
				}
			}
			for _, ro := range b.rollouts {
				rollouts[ro.Index] = ro
			}
		}
		scored <- err
	}()
	tg := time.Now()
	var genErr error
	toks := make([][]int, n)         // completion tokens, known at generation
	prom := make([][]int, n)         // prompt tokens
	sampLogp := make([][]float64, n) // sampler's log-probs (nil for reused batches)
	for i, sl := range slots {
		pi, err := r.prompt(sl.p)
		if err != nil {
			close(toScore)
			<-scored
			return nil, err
		}
		prom[i] = pi.ids
	}
	// Generation batches run concurrently, GenWorkers at a time; each
	// batch's sampling seed depends only on (seed, step, batch), so the
	// rollouts do not depend on the concurrency. Batches are handed to
	// scoring, and logged, in order.
	genErr = inOrder(ctx, nb, genWorkersDefault(cfg.GenWorkers), func(b int) bool { _, ok := r.reuse[b]; return ok },
		func(ctx context.Context, b int) ([]generate.Sample, error) {
			lo, hi := b*cfg.GenBatch, min(n, (b+1)*cfg.GenBatch)
			return r.gen.GenerateTokens(ctx, prom[lo:hi], generate.Options{N: 1, MaxNewTokens: cfg.MaxNewTokens,
				Temperature: cfg.Temperature, EOS: []int{r.tok.EOS()}, PadID: r.tok.PAD(),
				Seed: seedOf(cfg.Seed, uint64(step), uint64(b), 'g'), BatchSize: cfg.GenBatch})
		},
		func(b int, samples []generate.Sample, generated bool) error {
			lo, hi := b*cfg.GenBatch, min(n, (b+1)*cfg.GenBatch)
			gb := &genBatch{index: b}
			if !generated {
				gb.rollouts, gb.reused = r.reuse[b], true
				for _, ro := range gb.rollouts {
					toks[ro.Index] = ro.Tokens
				}
				toScore <- gb
				return nil
			}
			for i, s := range samples {
				sl := slots[lo+i]
				pi, _ := r.prompt(sl.p)
				toks[lo+i], sampLogp[lo+i] = s.Tokens, s.LogProbs
				gb.rollouts = append(gb.rollouts, Rollout{Step: step, Batch: b, BatchSize: hi - lo, Index: lo + i, Group: sl.group,
					Key: Key(sl.p), Difficulty: sl.p.Difficulty, Completion: s.Text, Tokens: s.Tokens, Finish: s.FinishReason,
					LogProb: sum(s.LogProbs)})
				gb.items = append(gb.items, ScoreItem{Problem: sl.p, Prompt: pi.text, Completion: s.Text})
			}
			toScore <- gb
			return nil
		})
	close(toScore)
	tm.Generate = time.Since(tg).Seconds()
	r.reuse = nil
	if genErr != nil {
		<-scored
		return nil, genErr
	}
	// Forward passes (policy log-probs and values, reference log-probs) need
	// only the tokens: they run while the last batches are still scored.
	tf := time.Now()
	seqs := make([]seqData, n)
	drift, err := r.forward(prom, toks, sampLogp, seqs)
	tm.Forward = time.Since(tf).Seconds()
	tw := time.Now()
	if serr := <-scored; serr != nil {
		return nil, fmt.Errorf("scoring: %w", serr)
	}
	tm.ScoreWait = time.Since(tw).Seconds()
	if err != nil {
		return nil, err
	}
	phase("optimise")
	// Scores, advantages.
	scores := make([]float64, n)
	for i, ro := range rollouts {
		scores[i] = ro.R
	}
	groups := make([]int, n)
	for i, sl := range slots {
		groups[i] = sl.group
	}
	seqKL := advantages(cfg, kl.Coef, scores, groups, seqs)
	meanKL, _ := MeanStd(seqKL)
	// A batch without a score difference carries no signal about the reward:
	// only the KL term (rounding noise at the first steps) would be left,
	// and whitening would scale it to unit variance. Such a batch moves no
	// weight, as GRPO's zero-advantage groups do.
	flat := EqualScores(cfg.Algorithm, scores, groups)
	// Optimisation: epochs of shuffled minibatches; early stop on approx KL.
	to := time.Now()
	agg := map[string]float64{}
	var losses []float64
	var optSteps int
	stopped := false
	for ep := 0; ep < cfg.Epochs && !stopped && !flat; ep++ {
		order := rand.New(rand.NewPCG(seedOf(cfg.Seed, uint64(step), uint64(ep), 'p'), 7)).Perm(n)
		for lo := 0; lo < n && !stopped; lo += cfg.MiniBatch {
			// The minibatch is drawn at random; within it, micro-batches
			// group similar lengths (the gradient is their sum: the same
			// whatever the grouping, up to float rounding).
			mb := byLength(prom, toks, order[lo:min(n, lo+cfg.MiniBatch)])
			var batches []lora.TrainBatch
			for k := 0; k < len(mb); k += cfg.MicroBatch {
				batches = append(batches, r.trainBatch(prom, toks, seqs, mb[k:min(len(mb), k+cfg.MicroBatch)]))
			}
			s, err := r.tr.Step(cfg.Optim.LR, batches...)
			if err != nil {
				return nil, err
			}
			optSteps++
			losses = append(losses, s.Loss)
			for k, v := range s.Metrics {
				agg[k] += v
			}
			if cfg.TargetKL > 0 && s.Metrics["approx_kl"] > 1.5*cfg.TargetKL {
				stopped = true
			}
		}
	}
	tm.Optimise = time.Since(to).Seconds()
	for k := range agg {
		agg[k] /= float64(optSteps)
	}
	if cfg.Algorithm != AlgoGRPO {
		// GRPO's β is a constant of its loss graph: it is fixed, whatever
		// the KL target says (the metrics log the β actually used).
		kl.Update(meanKL, n)
	}
	st.Rollouts += n
	tm.Step = time.Since(stepStart).Seconds()
	tm.NativeTrain = r.tr.NativeTraining()
	row := r.metricsRow(step, rollouts, scores, meanKL, kl.Coef, agg, losses, optSteps, stopped, drift, tm)
	row["equal_scores"] = flat
	return row, nil
}

// EqualScores reports whether a batch's scores give no learning signal:
// for GRPO, every group's scores are equal (every advantage is zero); for
// PPO and the study's objective, every score of the batch is equal (after
// centring only the KL penalty would be left). Scores closer than 1e-9
// (relative to their magnitude) count as equal, so the rounding residue of
// a constant reward is no signal either.
func EqualScores(algo string, scores []float64, groups []int) bool {
	same := func(xs []float64) bool {
		if len(xs) == 0 {
			return true
		}
		lo, hi := slices.Min(xs), slices.Max(xs)
		return hi-lo <= 1e-9*math.Max(1, math.Max(math.Abs(lo), math.Abs(hi)))
	}
	if algo != AlgoGRPO {
		return same(scores)
	}
	byG := map[int][]float64{}
	for i, g := range groups {
		byG[g] = append(byG[g], scores[i])
	}
	for _, xs := range byG {
		if !same(xs) {
			return false
		}
	}
	return true
}

func sum(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}

func constant(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// advantages fills seqs[i].adv (and .ret for AlgoPPO) from the completions'
// scores and the policy/reference log-probs, and returns each completion's
// KL to the reference (the sum of its per-token k1 estimates).
func advantages(cfg PPOConfig, beta float64, scores []float64, groups []int, seqs []seqData) (seqKL []float64) {
	n := len(seqs)
	// Whitening centres the scores on the batch mean (a baseline: with one
	// terminal score per completion and γ = 1 this does not change the
	// optimal policy, but it stops an untrained critic from rewarding short
	// completions just because every R is positive) and rescales the reward
	// only after the KL penalty is added (as TRL's whiten_rewards). Dividing
	// the scores alone by std(R) — 10–20× when a batch's rewards are close —
	// would shrink β's weight by as much, and the KL penalty would stop
	// holding the policy near the reference.
	switch cfg.Algorithm {
	case AlgoPPO:
		mean := 0.0
		if cfg.WhitenRewards {
			mean, _ = MeanStd(scores)
		}
		rewRows := make([][]float64, n)
		for i := range seqs {
			s := &seqs[i]
			rew, k := KLPenaltyRewards(scores[i]-mean, s.oldLogp, s.refLogp, beta)
			rewRows[i] = rew
			seqKL = append(seqKL, sum(k))
		}
		if cfg.WhitenRewards {
			WhitenRows(rewRows, false)
		}
		var advRows [][]float64
		for i := range seqs {
			s := &seqs[i]
			s.adv, s.ret = GAE(rewRows[i], s.values, cfg.Gamma, cfg.Lambda)
			advRows = append(advRows, s.adv)
		}
		if cfg.WhitenAdvantages {
			WhitenRows(advRows, true)
		}
	case AlgoStudy:
		total := make([]float64, n)
		for i := range seqs {
			_, k := KLPenaltyRewards(0, seqs[i].oldLogp, seqs[i].refLogp, beta)
			seqKL = append(seqKL, sum(k))
			total[i] = scores[i] - beta*sum(k)
		}
		if cfg.WhitenRewards {
			Whiten(total, true)
		}
		a := BatchMeanAdvantages(total)
		for i := range seqs {
			seqs[i].adv = constant(a[i], len(seqs[i].oldLogp))
		}
	case AlgoGRPO:
		a := GroupAdvantages(scores, groups)
		for i := range seqs {
			_, k := KLPenaltyRewards(0, seqs[i].oldLogp, seqs[i].refLogp, 0)
			seqKL = append(seqKL, sum(k))
			seqs[i].adv = constant(a[i], len(seqs[i].oldLogp))
		}
	}
	return seqKL
}

// seqData holds a rollout's per-token quantities over its completion
// tokens.
type seqData struct {
	oldLogp, refLogp, values []float64
	adv, ret                 []float64
}

// forward computes old (policy) and reference log-probs and values of the
// completion tokens, in micro-batches; it returns the mean absolute
// difference between the sampler's log-probs and the recomputed ones.
func (r *ppoRun) forward(prompts, toks [][]int, sampLogp [][]float64, seqs []seqData) (float64, error) {
	pol, err := r.tr.Forwarder()
	if err != nil {
		return 0, err
	}
	// Parameters go to the device one forwarder at a time (they share the
	// base's unadapted weights; see Forwarder.Materialize).
	if err := pol.Materialize(); err != nil {
		return 0, err
	}
	if err := r.ref.Materialize(); err != nil {
		return 0, err
	}
	var driftSum float64
	var driftN int
	mb := r.cfg.MicroBatch
	// Micro-batches of similar lengths: a micro-batch is padded to its
	// longest sequence.
	order := byLength(prompts, toks, seqIndexes(len(toks)))
	for lo := 0; lo < len(toks); lo += mb {
		hi := min(len(toks), lo+mb)
		seq := make([][]int, hi-lo)
		for k := lo; k < hi; k++ {
			i := order[k]
			seq[k-lo] = append(append([]int(nil), prompts[i]...), toks[i]...)
		}
		b := lm.PadRight(seq, lm.BytePAD, 0)
		b = padRows(lora.TrainBatch{Batch: padBatch(b, bucketLen(b.T)), LossMask: make([]float32, b.B*bucketLen(b.T))}, mb).Batch
		// Only the completions' positions are read: the head runs from
		// the last prompt token of the shortest prompt on (rounded down,
		// as the trainer's step graphs do).
		from := b.T
		for k := lo; k < hi; k++ {
			from = min(from, len(prompts[order[k]])-1)
		}
		from = roundFrom(min(from, b.T-2))
		// The policy's and the reference's passes run at once (one core
		// each, mostly): they only read their parameters.
		var rlp [][]float32
		var rerr error
		done := make(chan struct{})
		go func() {
			defer close(done)
			rlp, _, rerr = r.ref.RunFrom(b, from)
		}()
		lp, vals, err := pol.RunFrom(b, from)
		<-done
		if err != nil {
			return 0, err
		}
		if rerr != nil {
			return 0, rerr
		}
		for k := lo; k < hi; k++ {
			i := order[k]
			p, L := len(prompts[i]), len(toks[i])
			s := &seqs[i]
			s.oldLogp, s.refLogp = make([]float64, L), make([]float64, L)
			if vals != nil {
				s.values = make([]float64, L)
			}
			for t := 0; t < L; t++ {
				col := p - 1 + t - from // predicts token p+t
				s.oldLogp[t] = float64(lp[k-lo][col])
				s.refLogp[t] = float64(rlp[k-lo][col])
				if vals != nil {
					s.values[t] = float64(vals[k-lo][col])
				}
				if sampLogp[i] != nil {
					driftSum += math.Abs(sampLogp[i][t] - s.oldLogp[t])
					driftN++
				}
			}
		}
	}
	if driftN == 0 {
		return 0, nil
	}
	return driftSum / float64(driftN), nil
}

func seqIndexes(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

// byLength returns a copy of rows sorted by sequence length (prompt +
// completion), ties in the given order.
func byLength(prompts, toks [][]int, rows []int) []int {
	out := slices.Clone(rows)
	slices.SortStableFunc(out, func(a, b int) int {
		return (len(prompts[a]) + len(toks[a])) - (len(prompts[b]) + len(toks[b]))
	})
	return out
}

func padBatch(b lm.Batch, t int) lm.Batch {
	if t <= b.T {
		return b
	}
	tb := lora.TrainBatch{Batch: b, LossMask: make([]float32, b.B*b.T)}
	return tb.Padded(t, lm.BytePAD).Batch
}

// trainBatch builds a micro-batch of rollouts with the extra inputs the
// objective reads, at token positions (entry t is about token t).
func (r *ppoRun) trainBatch(prompts, toks [][]int, seqs []seqData, rows []int) lora.TrainBatch {
	ps := make([][]int, len(rows))
	cs := make([][]int, len(rows))
	for j, i := range rows {
		ps[j], cs[j] = prompts[i], toks[i]
	}
	b := lora.CompletionBatch(ps, cs, lm.BytePAD)
	T := b.T
	names := r.tr.Config.Objective.Extra()
	b.Extra = map[string][]float32{}
	for _, nm := range names {
		b.Extra[nm] = make([]float32, b.B*T)
	}
	for j, i := range rows {
		s := seqs[i]
		p := len(prompts[i])
		for t := range toks[i] {
			o := j*T + p + t
			for _, nm := range names {
				var v float64
				switch nm {
				case "advantages":
					v = s.adv[t]
				case "returns":
					v = s.ret[t]
				case "old_logprobs":
					v = s.oldLogp[t]
				case "old_values":
					v = s.values[t]
				case "ref_logprobs":
					v = s.refLogp[t]
				}
				b.Extra[nm][o] = float32(v)
			}
		}
	}
	return padRows(b.Padded(bucketLen(T), lm.BytePAD), r.cfg.MicroBatch)
}

func (r *ppoRun) metricsRow(step int, rollouts []Rollout, raw []float64, meanKL, coef float64, agg map[string]float64,
	losses []float64, optSteps int, stopped bool, drift float64, tm StepTimings) map[string]any {
	n := float64(len(rollouts))
	stages := map[string]float64{}
	for _, s := range reward.Stages {
		stages[string(s)] = 0
	}
	var rf, rs, syn, clean, allPass, anyPass, length, eos float64
	for _, ro := range rollouts {
		stages[string(ro.Stage)] += 1 / n
		rf += ro.RFunc / n
		rs += ro.RSec / n
		length += float64(len(ro.Tokens)) / n
		if ro.Syntax {
			syn += 1 / n
		}
		if ro.SecClean {
			clean += 1 / n
		}
		if ro.Total > 0 && ro.Passed == ro.Total {
			allPass += 1 / n
		}
		if ro.Passed > 0 {
			anyPass += 1 / n
		}
		if ro.Finish == "eos" {
			eos += 1 / n
		}
	}
	mean, std := MeanStd(raw)
	row := map[string]any{
		"step": step, "reward": mean, "reward_std": std, "r_func": rf, "r_sec": rs,
		"syntax_rate": syn, "sec_clean_rate": clean, "all_pass_rate": allPass, "any_pass_rate": anyPass,
		"stage": stages, "kl": meanKL, "kl_coef": coef, "loss": meanOf(losses), "opt_steps": optSteps,
		"early_stop": stopped, "completion_tokens": length, "eos_rate": eos, "rollouts": len(rollouts),
		"timing": tm,
	}
	for k, v := range agg {
		row[k] = v
	}
	if math.IsNaN(drift) {
		drift = 0
	}
	row["logprob_drift"] = drift
	return row
}

// ReadRollouts reads a run's rollout log.
func ReadRollouts(runDir string) ([]Rollout, error) {
	lines, err := ReadJSONL(filepath.Join(runDir, RolloutsLog))
	if err != nil {
		return nil, err
	}
	out := make([]Rollout, 0, len(lines))
	for _, l := range lines {
		var ro Rollout
		if err := json.Unmarshal(l, &ro); err != nil {
			return nil, err
		}
		out = append(out, ro)
	}
	return out, nil
}
