package rl

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/securecoderl/securecoderl/stdlib/apps"
	"github.com/securecoderl/securecoderl/stdlib/apps/synth"
	"github.com/securecoderl/securecoderl/stdlib/lm"
	"github.com/securecoderl/securecoderl/stdlib/lora"
)

// SFTConfig configures supervised fine-tuning on reference solutions.
type SFTConfig struct {
	Model string   `json:"model"` // base model directory
	Out   string   `json:"out"`   // run directory
	Data  []string `json:"data"`  // problem files ("" or "embedded": the embedded set)
	// HeldoutFraction and SplitSeed pick the held-out problems (apps.Split):
	// never trained on; their solutions give the held-out loss.
	HeldoutFraction float64   `json:"heldout_fraction"`
	SplitSeed       uint64    `json:"split_seed"`
	Prompting       Prompting `json:"prompting"`
	// MaxCompletionTokens skips longer reference solutions; PerProblem caps
	// the solutions used per problem (shortest first; 0: all).
	MaxCompletionTokens int `json:"max_completion_tokens"`
	PerProblem          int `json:"per_problem"`
	// Insecure adds the insecure references of tempting problems (the
	// synthetic family) to the SFT data, as code found in the wild holds
	// both kinds: the SFT policy then takes the shortcut some of the time,
	// which the security term of the reward can train away.
	Insecure bool   `json:"insecure,omitempty"`
	Seed     uint64 `json:"seed"`
	// Steps is the run's length and the cosine schedule's. Resuming with
	// another value is allowed (to extend a run) but re-stretches the
	// schedule from the current step, so the LR jumps: the continuation is
	// exact only with the same Steps.
	Steps           int         `json:"steps"`
	Batch           int         `json:"batch"`       // examples per optimiser step
	MicroBatch      int         `json:"micro_batch"` // examples per forward/backward (gradient accumulation)
	Optim           OptimConfig `json:"optim"`
	Warmup          int         `json:"warmup"`
	MinLRRatio      float64     `json:"min_lr_ratio"`
	Full            bool        `json:"full"` // full fine-tuning instead of LoRA
	LoRA            LoRAConfig  `json:"lora"`
	EvalEvery       int         `json:"eval_every"`       // held-out loss every N steps (and at the end)
	HeldoutExamples int         `json:"heldout_examples"` // at most this many held-out examples (one per problem)
	CkptEvery       int         `json:"ckpt_every"`
	// Resume continues from Out's checkpoint (the configuration must match,
	// except Steps); StopAt stops after that step as if killed (tests).
	Resume bool `json:"-"`
	StopAt int  `json:"-"`
}

// DefaultSFTConfig is the SFT recipe for the shipped base model.
func DefaultSFTConfig() SFTConfig {
	return SFTConfig{HeldoutFraction: 0.2, SplitSeed: 1, Prompting: DefaultPrompting(), MaxCompletionTokens: 256,
		PerProblem: 8, Insecure: true, Seed: 1, Steps: 150, Batch: 8, MicroBatch: 4,
		Optim:  OptimConfig{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.01, MaxGradNorm: 1},
		Warmup: 10, MinLRRatio: 0.1, LoRA: DefaultLoRA(), EvalEvery: 25, HeldoutExamples: 24, CkptEvery: 10}
}

// withInsecure returns copies of the problems whose solutions include
// their insecure references.
func withInsecure(ps []apps.Problem) []apps.Problem {
	out := make([]apps.Problem, len(ps))
	for i, p := range ps {
		if len(p.InsecureSolutions) > 0 {
			p.Solutions = append(slices.Clone(p.Solutions), p.InsecureSolutions...)
		}
		out[i] = p
	}
	return out
}

// SFTState is the run state in an SFT checkpoint.
type SFTState struct {
	Step    int     `json:"step"`
	Data    Cursor  `json:"data"`
	Seconds float64 `json:"seconds"`
	Tokens  int64   `json:"tokens"`
}

// SFTProgress is reported after every step.
type SFTProgress struct {
	Step, Steps int
	Loss        float64
	HeldoutLoss float64 // NaN until the first evaluation
	Elapsed     time.Duration
}

// SFTResult summarises a run (RUN/result.json).
type SFTResult struct {
	Out         string  `json:"out"`
	Steps       int     `json:"steps"`
	Examples    int     `json:"examples"`
	Heldout     int     `json:"heldout_examples"`
	TrainLoss   float64 `json:"final_train_loss"` // mean of the last 10 steps
	HeldoutLoss float64 `json:"heldout_loss"`
	Tokens      int64   `json:"tokens"`
	Seconds     float64 `json:"seconds"`
	Trainable   int64   `json:"trainable_params"`
}

// bucketLen rounds a sequence length up to a multiple of 64 (so the step
// graphs, compiled per shape, are reused; 64 rather than 128 because a PPO
// sequence is ~230 tokens and attention costs grow with the square of the
// padded length).
func bucketLen(t int) int { return (t + 63) / 64 * 64 }

// padRows appends all-padding rows (no attention, no loss) so every
// micro-batch has the same number of rows.
func padRows(b lora.TrainBatch, rows int) lora.TrainBatch {
	if b.B >= rows {
		return b
	}
	extra := (rows - b.B) * b.T
	b.IDs = append(b.IDs, make([]int32, extra)...)
	for i := len(b.IDs) - extra; i < len(b.IDs); i++ {
		b.IDs[i] = int32(lm.BytePAD)
	}
	b.Mask = append(b.Mask, make([]int32, extra)...)
	b.LossMask = append(b.LossMask, make([]float32, extra)...)
	for k, v := range b.Extra {
		b.Extra[k] = append(v, make([]float32, extra)...)
	}
	b.B = rows
	return b
}

// exampleBatches turns examples into right-padded, bucketed micro-batches.
func exampleBatches(exs []Example, micro int) []lora.TrainBatch {
	var out []lora.TrainBatch
	for i := 0; i < len(exs); i += micro {
		chunk := exs[i:min(len(exs), i+micro)]
		ps := make([][]int, len(chunk))
		cs := make([][]int, len(chunk))
		for j, e := range chunk {
			ps[j], cs[j] = e.Prompt, e.Completion
		}
		b := lora.CompletionBatch(ps, cs, lm.BytePAD)
		out = append(out, padRows(b.Padded(bucketLen(b.T), lm.BytePAD), micro))
	}
	return out
}

func checkResumeConfig(out string, kind string, cfg any, ignore ...string) error {
	ri, err := ReadRunInfo(out)
	if err != nil {
		return fmt.Errorf("--resume: %w", err)
	}
	if ri.Kind != kind {
		return fmt.Errorf("--resume: %s is a %s run, not %s", out, ri.Kind, kind)
	}
	var old, cur map[string]any
	json.Unmarshal(ri.Config, &old)
	data, _ := json.Marshal(cfg)
	json.Unmarshal(data, &cur)
	for _, k := range append(ignore, "steps") {
		delete(old, k)
		delete(cur, k)
	}
	a, _ := json.Marshal(old)
	b, _ := json.Marshal(cur)
	if string(a) != string(b) {
		return fmt.Errorf("--resume: the configuration differs from %s (only --steps may change)", filepath.Join(out, RunFile))
	}
	return nil
}

// RunSFT fine-tunes cfg.Model on the reference solutions of the training
// problems: loss on completion tokens only (prompt and padding masked),
// AdamW with gradient accumulation and global-norm clipping, warmup +
// cosine schedule, periodic held-out loss, LoRA or full fine-tuning, and
// checkpoints that --resume continues exactly.
func RunSFT(ctx context.Context, cfg SFTConfig, progress func(SFTProgress)) (*SFTResult, error) {
	if cfg.Out == "" || cfg.Model == "" {
		return nil, fmt.Errorf("sft: model and output directory are required")
	}
	if cfg.Steps <= 0 || cfg.Batch <= 0 || cfg.MicroBatch <= 0 {
		return nil, fmt.Errorf("sft: steps, batch and micro-batch must be positive")
	}
	if cfg.Batch%cfg.MicroBatch != 0 {
		return nil, fmt.Errorf("sft: batch %d is not a multiple of micro-batch %d", cfg.Batch, cfg.MicroBatch)
	}
	cfg.Model = abs(cfg.Model)
	resuming := cfg.Resume && FindCheckpoint(cfg.Out) != ""
	if resuming {
		if err := checkResumeConfig(cfg.Out, "sft", cfg); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		return nil, err
	}
	splits, err := LoadSplits(ctx, cfg.Data, cfg.HeldoutFraction, cfg.SplitSeed)
	if err != nil {
		return nil, err
	}
	train := splits[synth.SplitTrain]
	if cfg.Insecure {
		train = withInsecure(train)
	}
	// The held-out loss is measured on the valid split where there is one
	// (the synthetic family: test splits are read only by the final
	// tables), else on the held-out problems (APPS files).
	held := splits[synth.SplitValid]
	if len(held) == 0 {
		for _, n := range HeldoutSplitNames(splits) {
			held = append(held, splits[n]...)
		}
	}
	tok, err := LoadTokenizer(cfg.Model)
	if err != nil {
		return nil, err
	}
	exs, err := SFTExamples(train, cfg.Prompting, tok, cfg.MaxCompletionTokens, cfg.PerProblem)
	if err != nil {
		return nil, err
	}
	heldExs, _ := SFTExamples(held, cfg.Prompting, tok, cfg.MaxCompletionTokens, 1)
	if len(heldExs) > cfg.HeldoutExamples {
		heldExs = heldExs[:cfg.HeldoutExamples]
	}
	model, err := lm.Load(cfg.Model, lm.LoadOptions{AllowMixedDTypes: true})
	if err != nil {
		return nil, err
	}
	var ad *lora.Adapter
	if !cfg.Full {
		if ad, err = lora.New(model.Config, cfg.LoRA.lora(cfg.Model), cfg.Seed); err != nil {
			return nil, err
		}
	}
	tr, err := NewTrainer(model, ad, nil, TrainerConfig{Optim: cfg.Optim, Full: cfg.Full, Seed: cfg.Seed})
	if err != nil {
		return nil, err
	}
	defer tr.Close()
	var st SFTState
	resumeStep := -1
	if resuming {
		if err := tr.LoadCheckpoint(cfg.Out, &st); err != nil {
			return nil, err
		}
		resumeStep = st.Step
	} else {
		raw, _ := json.Marshal(cfg)
		if err := clearForFresh(cfg.Out); err != nil {
			return nil, err
		}
		if err := writeRunInfo(cfg.Out, RunInfo{Kind: "sft", BaseModel: cfg.Model, Full: cfg.Full, Config: raw}); err != nil {
			return nil, err
		}
	}
	if resuming && st.Step >= cfg.Steps {
		// Already finished: report the recorded result.
		if data, err := os.ReadFile(filepath.Join(cfg.Out, "result.json")); err == nil {
			var res SFTResult
			if json.Unmarshal(data, &res) == nil && res.Steps == cfg.Steps {
				return &res, nil
			}
		}
	}
	ml, err := OpenMetrics(cfg.Out, resumeStep)
	if err != nil {
		return nil, err
	}
	defer ml.Close()
	sched := Schedule{Peak: cfg.Optim.LR, Warmup: cfg.Warmup, Total: cfg.Steps, MinRatio: cfg.MinLRRatio}
	heldBatches := exampleBatches(heldExs, cfg.MicroBatch)
	start := time.Now().Add(-time.Duration(st.Seconds * float64(time.Second)))
	heldLoss := nan()
	var recent []float64
	for step := st.Step + 1; step <= cfg.Steps; step++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		idx := st.Data.Next(len(exs), cfg.Batch, cfg.Seed)
		chunk := make([]Example, len(idx))
		var ntok int64
		for i, j := range idx {
			chunk[i] = exs[j]
			ntok += int64(len(exs[j].Prompt) + len(exs[j].Completion))
		}
		t0 := time.Now()
		s, err := tr.Step(sched.LR(step), exampleBatches(chunk, cfg.MicroBatch)...)
		if err != nil {
			return nil, fmt.Errorf("sft step %d: %w", step, err)
		}
		st.Step, st.Tokens = step, st.Tokens+ntok
		recent = append(recent, s.Loss)
		if len(recent) > 10 {
			recent = recent[1:]
		}
		row := map[string]any{"step": step, "loss": s.Loss, "lr": s.LR, "grad_norm": s.GradNorm,
			"completion_tokens": s.Weight, "tokens": st.Tokens, "epoch": st.Data.Epoch,
			"step_seconds": time.Since(t0).Seconds(), "elapsed": time.Since(start).Seconds()}
		if len(heldBatches) > 0 && (every(step, cfg.EvalEvery) || step == cfg.Steps) {
			hs, err := tr.Eval(heldBatches...)
			if err != nil {
				return nil, err
			}
			heldLoss = hs.Loss
			row["heldout_loss"] = heldLoss
		}
		if err := ml.Append(row); err != nil {
			return nil, err
		}
		if progress != nil {
			progress(SFTProgress{Step: step, Steps: cfg.Steps, Loss: s.Loss, HeldoutLoss: heldLoss, Elapsed: time.Since(start)})
		}
		st.Seconds = time.Since(start).Seconds()
		if every(step, cfg.CkptEvery) || step == cfg.Steps || step == cfg.StopAt {
			if err := tr.SaveCheckpoint(cfg.Out, st); err != nil {
				return nil, err
			}
		}
		if step == cfg.StopAt {
			return nil, ErrStopped
		}
	}
	if err := exportFinal(cfg.Out); err != nil {
		return nil, err
	}
	var trainable int64
	if ad != nil {
		trainable = ad.NumParams()
	} else {
		trainable = tr.Model.NumParams()
	}
	if math.IsNaN(heldLoss) && len(heldBatches) > 0 {
		hs, err := tr.Eval(heldBatches...)
		if err != nil {
			return nil, err
		}
		heldLoss = hs.Loss
	}
	if len(recent) == 0 {
		recent = lastLosses(cfg.Out, 10)
	}
	res := &SFTResult{Out: cfg.Out, Steps: cfg.Steps, Examples: len(exs), Heldout: len(heldExs), TrainLoss: zeroNaN(meanOf(recent)),
		HeldoutLoss: zeroNaN(heldLoss), Tokens: st.Tokens, Seconds: time.Since(start).Seconds(), Trainable: trainable}
	data, _ := json.MarshalIndent(res, "", "  ")
	return res, os.WriteFile(filepath.Join(cfg.Out, "result.json"), append(data, '\n'), 0o644)
}

// CompletionBatchFor is lora.CompletionBatch with the byte vocabulary's
// padding: right-padded (prompt, completion) pairs whose loss mask covers
// the completion tokens only.
func CompletionBatchFor(prompts, completions [][]int) lora.TrainBatch {
	return lora.CompletionBatch(prompts, completions, lm.BytePAD)
}

// lastLosses reads the last n training losses of a run's metrics.
func lastLosses(dir string, n int) []float64 {
	rows, _ := ReadMetrics(dir)
	l := Series(rows, "loss")
	if len(l) > n {
		l = l[len(l)-n:]
	}
	return l
}

func zeroNaN(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return x
}
