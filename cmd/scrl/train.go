package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/securecoderl/securecoderl/stdlib/apps"
	"github.com/securecoderl/securecoderl/stdlib/experiment"
	"github.com/securecoderl/securecoderl/stdlib/rl"
)

func runTrain(ctx context.Context, e *env, args []string) error {
	return subcommand(ctx, e, "train", args, map[string]func(context.Context, *env, []string) error{
		"pretrain": trainPretrain,
		"sft":      trainSFT,
		"ppo":      trainPPO,
	})
}

// sharedDataDir is $SCRL_DATA_DIR, else ../shared/data when it exists.
func sharedDataDir() string {
	if d := os.Getenv("SCRL_DATA_DIR"); d != "" {
		return d
	}
	if st, err := os.Stat("../shared/data"); err == nil && st.IsDir() {
		return "../shared/data"
	}
	return ""
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func trainPretrain(ctx context.Context, e *env, args []string) error {
	def := rl.DefaultPretrainConfig()
	fs := newFlags(e, "train pretrain", "train pretrain --out DIR [--steps N] [--seed 1] [--synth SOURCE] [--apps FILES] [--resume] [--json]")
	out := fs.String("out", "", "output model directory (Hugging Face layout; also the run directory while training)")
	steps := fs.Int("steps", def.Steps, "optimiser steps")
	seed := fs.Uint64("seed", def.Seed, "random seed (initial weights, data order, validation files)")
	batch := fs.Int("batch", def.Batch, "sequences per step")
	micro := fs.Int("micro-batch", def.MicroBatch, "sequences per forward/backward pass (gradient accumulation)")
	seqLen := fs.Int("seq-len", def.SeqLen, "tokens (bytes) per sequence")
	lr := fs.Float64("lr", def.Optim.LR, "peak learning rate")
	warmup := fs.Int("warmup", def.Warmup, "warmup steps")
	appsFiles := fs.String("apps", "", "comma-separated APPS JSONL files whose reference solutions are training data too (held-out problems excluded)")
	appsShare := fs.Float64("apps-share", 0.25, "share of training sequences from --apps")
	synthSrc := fs.String("synth", def.Synth, "synthetic source whose train split is training data (\"\": none)")
	synthShare := fs.Float64("synth-share", def.SynthShare, "share of training sequences from --synth (the rest: the Python standard library)")
	vocab := fs.Int("tokenizer-vocab", def.TokenizerVocab, "train a byte-level BPE of this size on the training data first (0: the byte tokenizer)")
	hidden := fs.Int("hidden", def.Model.HiddenSize, "model width")
	layers := fs.Int("layers", def.Model.NumHiddenLayers, "decoder layers")
	inter := fs.Int("intermediate", def.Model.IntermediateSize, "SwiGLU width")
	heads := fs.Int("heads", def.Model.NumAttentionHeads, "attention heads")
	kvHeads := fs.Int("kv-heads", def.Model.NumKeyValueHeads, "key/value heads (grouped-query attention)")
	pyGlob := fs.String("python", def.PythonGlob, "glob of the Python standard library directories")
	resume := fs.Bool("resume", false, "continue from OUT/ckpt")
	logEvery := fs.Int("log-every", 10, "when stderr is not a terminal, print a status line every N steps")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("--out DIR is required")
	}
	if *steps <= 0 || *batch <= 0 || *micro <= 0 || *seqLen < 2 {
		return usagef("--steps, --batch, --micro-batch must be positive and --seq-len at least 2")
	}
	if *batch%*micro != 0 {
		return usagef("--batch %d is not a multiple of --micro-batch %d", *batch, *micro)
	}
	cfg := def
	cfg.Out, cfg.Steps, cfg.Seed, cfg.Batch, cfg.MicroBatch, cfg.SeqLen = *out, *steps, *seed, *batch, *micro, *seqLen
	cfg.Optim.LR, cfg.Warmup, cfg.PythonGlob, cfg.Resume = *lr, *warmup, *pyGlob, *resume
	cfg.AppsFiles = splitList(*appsFiles)
	if len(cfg.AppsFiles) > 0 {
		cfg.AppsShare = *appsShare
	}
	cfg.Synth, cfg.SynthShare, cfg.TokenizerVocab = *synthSrc, *synthShare, *vocab
	cfg.Model.HiddenSize, cfg.Model.NumHiddenLayers, cfg.Model.IntermediateSize = *hidden, *layers, *inter
	cfg.Model.NumAttentionHeads, cfg.Model.NumKeyValueHeads = *heads, *kvHeads
	if *synthShare < 0 || *appsShare < 0 || cfg.SynthShare+cfg.AppsShare > 1 {
		return usagef("--synth-share and --apps-share must be non-negative and sum to at most 1")
	}
	if *vocab != 0 && *vocab < 300 {
		return usagef("--tokenizer-vocab %d: 0 (bytes) or at least 300", *vocab)
	}
	cfg.Command = "scrl train pretrain " + strings.Join(args, " ")
	if cfg.Warmup >= cfg.Steps {
		cfg.Warmup = cfg.Steps / 10
	}
	if cfg.EvalEvery > cfg.Steps {
		cfg.EvalEvery = cfg.Steps
	}
	bar := newProgress(e.stderr, "pretrain")
	res, err := rl.Pretrain(ctx, cfg, func(p rl.PretrainProgress) {
		bar.label = fmt.Sprintf("pretrain loss %.3f", p.Loss)
		bar.update(p.Step, p.Steps)
		if !bar.tty && *logEvery > 0 && (p.Step%*logEvery == 0 || p.Step == p.Steps) {
			val := ""
			if p.ValLoss != nil {
				val = fmt.Sprintf(" val %v", fmtLosses(p.ValLoss))
			}
			fmt.Fprintf(e.stderr, "pretrain step %d/%d loss %.4f%s %.0fs\n", p.Step, p.Steps, p.Loss, val, p.Elapsed.Seconds())
		}
	})
	bar.finish()
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, res)
	}
	fmt.Fprintf(e.stdout, "pretrained %s: %d parameters, %d steps, %d tokens, final loss %.4f, validation %s, %.1f min; data digest %s\n",
		*out, res.Params, res.Steps, res.TokensSeen, res.FinalLoss, fmtLosses(res.ValLoss), res.Seconds/60, res.DataDigest)
	return nil
}

func fmtLosses(m map[string]float64) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %.4f", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

// defaultData is the problem source of training and evaluation: $SCRL_DATA,
// else the synthetic family.
func defaultData() string {
	if d := os.Getenv("SCRL_DATA"); d != "" {
		return d
	}
	return apps.SynthPrefix
}

// dataList is --data as a list: comma-separated files; "" (or
// "embedded") is the embedded problem set.
func dataList(s string) []string {
	l := splitList(s)
	if len(l) == 0 {
		return []string{""}
	}
	return l
}

func trainSFT(ctx context.Context, e *env, args []string) error {
	def := rl.DefaultSFTConfig()
	fs := newFlags(e, "train sft", "train sft --model DIR --data PROBLEMS --out RUN [--steps N] [--resume] [--full] [--json]")
	model := fs.String("model", "", "base model directory (Hugging Face layout)")
	data := fs.String("data", defaultData(), "comma-separated problem sources: files (APPS/APPS+), synth[:n=N:seed=S] (the synthetic family), embedded (env SCRL_DATA; default synth)")
	out := fs.String("out", "", "run directory")
	steps := fs.Int("steps", def.Steps, "optimiser steps")
	resume := fs.Bool("resume", false, "continue the run in --out from its checkpoint")
	full := fs.Bool("full", false, "full fine-tuning (default: LoRA)")
	r := fs.Int("lora-r", def.LoRA.R, "LoRA rank")
	alpha := fs.Float64("lora-alpha", def.LoRA.Alpha, "LoRA alpha")
	dropout := fs.Float64("lora-dropout", def.LoRA.Dropout, "LoRA dropout")
	targets := fs.String("lora-targets", "all", "LoRA target modules: all, or a list such as q_proj,k_proj,v_proj,o_proj")
	batch := fs.Int("batch", def.Batch, "examples per optimiser step")
	micro := fs.Int("micro-batch", def.MicroBatch, "examples per forward/backward (gradient accumulation)")
	lr := fs.Float64("lr", def.Optim.LR, "peak learning rate (warmup, then cosine)")
	warmup := fs.Int("warmup", def.Warmup, "warmup steps")
	wd := fs.Float64("weight-decay", def.Optim.WeightDecay, "AdamW weight decay")
	clip := fs.Float64("max-grad-norm", def.Optim.MaxGradNorm, "global gradient-norm clipping (0: off)")
	maxStmt := fs.Int("max-statement", def.Prompting.MaxStatementBytes, "compact longer problem statements to this many bytes, keeping the Input, Output and Examples sections whole (0: whole statements)")
	template := fs.String("template", def.Prompting.Template, "prompt template")
	maxComp := fs.Int("max-completion", def.MaxCompletionTokens, "skip reference solutions longer than this many tokens")
	perProblem := fs.Int("per-problem", def.PerProblem, "reference solutions per problem, shortest first (0: all)")
	insecure := fs.Bool("insecure", def.Insecure, "train on the insecure references of tempting problems too (the synthetic family)")
	heldout := fs.Float64("heldout", def.HeldoutFraction, "held-out fraction of an APPS file (apps.Split): never trained on; a synthetic source is split by its split field")
	splitSeed := fs.Uint64("split-seed", def.SplitSeed, "seed of the train/held-out split")
	seed := fs.Uint64("seed", def.Seed, "seed (adapter init, data order, dropout)")
	seedList := fs.String("seeds", "", "several seeds, comma-separated: one run per seed in OUT/seed-S")
	evalEvery := fs.Int("eval-every", def.EvalEvery, "held-out loss every N steps")
	ckptEvery := fs.Int("ckpt-every", def.CkptEvery, "checkpoint every N steps")
	logEvery := fs.Int("log-every", 10, "when stderr is not a terminal, print a status line every N steps")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *model == "" || *out == "" {
		return usagef("--model DIR and --out RUN are required")
	}
	if *steps <= 0 || *batch <= 0 || *micro <= 0 || *batch%*micro != 0 {
		return usagef("--steps and --batch must be positive, --batch a multiple of --micro-batch")
	}
	if *ckptEvery <= 0 || *evalEvery <= 0 {
		return usagef("--ckpt-every and --eval-every must be positive")
	}
	if _, err := os.Stat(*out); err == nil && !*resume {
		if entries, _ := os.ReadDir(*out); len(entries) > 0 {
			return usagef("%s exists and is not empty: pass --resume to continue it, or choose another --out", *out)
		}
	}
	c := def
	c.Model, c.Out, c.Data, c.Steps, c.Resume, c.Full = *model, *out, dataList(*data), *steps, *resume, *full
	c.LoRA = rl.LoRAConfig{R: *r, Alpha: *alpha, Dropout: *dropout, Targets: rl.ParseTargets(*targets)}
	c.Batch, c.MicroBatch, c.Optim.LR, c.Warmup, c.Optim.WeightDecay, c.Optim.MaxGradNorm = *batch, *micro, *lr, *warmup, *wd, *clip
	c.Prompting = rl.Prompting{Template: *template, MaxStatementBytes: *maxStmt}
	c.MaxCompletionTokens, c.PerProblem, c.HeldoutFraction, c.SplitSeed, c.Seed = *maxComp, *perProblem, *heldout, *splitSeed, *seed
	c.Insecure = *insecure
	c.EvalEvery, c.CkptEvery = *evalEvery, *ckptEvery
	run := func(c rl.SFTConfig) (*rl.SFTResult, error) {
		bar := newProgress(e.stderr, "sft")
		res, err := rl.RunSFT(ctx, c, func(p rl.SFTProgress) {
			bar.label = fmt.Sprintf("sft seed %d loss %.3f held-out %.3f", c.Seed, p.Loss, p.HeldoutLoss)
			bar.update(p.Step, p.Steps)
			if !bar.tty && *logEvery > 0 && (p.Step%*logEvery == 0 || p.Step == p.Steps) {
				fmt.Fprintf(e.stderr, "sft step %d/%d loss %.4f held-out %.4f %.0fs\n", p.Step, p.Steps, p.Loss, p.HeldoutLoss, p.Elapsed.Seconds())
			}
		})
		bar.finish()
		if err == nil && !*asJSON {
			fmt.Fprintf(e.stdout, "sft %s: %d steps on %d examples (%d trainable parameters), train loss %.4f, held-out loss %.4f (%d examples), %.1f min\n",
				res.Out, res.Steps, res.Examples, res.Trainable, res.TrainLoss, res.HeldoutLoss, res.Heldout, res.Seconds/60)
		}
		return res, err
	}
	if *seedList == "" {
		res, err := run(c)
		if err == nil && *asJSON {
			return writeJSON(e.stdout, res)
		}
		return err
	}
	seeds, err := experiment.ParseSeeds(*seedList)
	if err != nil {
		return usageError{"--seeds: " + err.Error()}
	}
	var all []*rl.SFTResult
	for _, s := range seeds {
		cs := c
		cs.Seed, cs.Out = s, filepath.Join(c.Out, fmt.Sprintf("seed-%d", s))
		res, err := run(cs)
		if err != nil {
			return fmt.Errorf("seed %d: %w", s, err)
		}
		all = append(all, res)
	}
	if *asJSON {
		return writeJSON(e.stdout, all)
	}
	return nil
}

func trainPPO(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "train ppo", "train ppo --variant ppo-fresh --init RUN --data PROBLEMS --out RUN [--algo ppo|study|grpo] [--steps N] [--resume] [--json]")
	variant := fs.String("variant", "ppo-fresh", "ppo-simple, ppo-fresh, ppo-continue, ppo-binary, ppo-partial-nosec, ppo-binary-sec")
	algo := fs.String("algo", rl.AlgoPPO, "ppo (value head, GAE, token-level), study (sequence-level ratio, batch-mean baseline) or grpo")
	init := fs.String("init", "", "the run the policy starts from: an SFT run (a PPO run for ppo-continue)")
	model := fs.String("model", "", "base model directory (default: the init run's)")
	data := fs.String("data", defaultData(), "comma-separated problem sources: files (APPS/APPS+), synth[:n=N:seed=S] (the synthetic family), embedded (env SCRL_DATA; default synth)")
	out := fs.String("out", "", "run directory")
	steps := fs.Int("steps", 0, "PPO steps (default: the variant's)")
	resume := fs.Bool("resume", false, "continue the run in --out from its checkpoint")
	prompts := fs.Int("prompts", 0, "prompts per step (default 8)")
	samples := fs.Int("samples", 0, "completions per prompt (default 2; GRPO's group size)")
	genBatch := fs.Int("gen-batch", 0, "sequences per generation batch (the pipeline unit; default 8)")
	maxNew := fs.Int("max-new-tokens", 0, "tokens per completion at most (default 256)")
	temp := fs.Float64("temperature", 0, "policy temperature (sampling and training; default 0.7)")
	epochs := fs.Int("epochs", 0, "optimisation epochs per batch (default 2)")
	mini := fs.Int("mini-batch", 0, "sequences per optimiser step (default 8)")
	micro := fs.Int("micro-batch", 0, "sequences per forward/backward (default 4)")
	lr := fs.Float64("lr", 0, "learning rate (default 2e-4)")
	var klCoef, klTarget, targetKL, entCoef, gamma, lambda optNum[float64]
	fs.Var(&gamma, "gamma", "GAE discount γ (default 1)")
	fs.Var(&lambda, "lambda", "GAE λ (default 1: every token of a completion gets its whole return)")
	var maxTests optNum[int]
	fs.Var(&klCoef, "kl-coef", "initial KL coefficient β (default 0.05)")
	fs.Var(&klTarget, "kl-target", "adaptive KL target per completion (0: fixed β; default 6)")
	fs.Var(&targetKL, "target-kl", "early stop when a minibatch's approximate KL exceeds 1.5× this (0: never; default 0.1)")
	fs.Var(&entCoef, "ent-coef", "entropy bonus coefficient (default 0.001)")
	scanner := fs.String("scanner", "", "security scanner: native (default), bandit, regex")
	workers := fs.Int("workers", 0, "sandbox workers (default 2)")
	remote := fs.String("sandbox", "", "judge on `scrl serve` endpoints instead of a local pool: http://a:8080,http://b:8080 (token: $SCRL_SERVE_TOKEN)")
	timeout := fs.Duration("timeout", 0, "wall-clock limit per test (default 1s)")
	fs.Var(&maxTests, "max-tests", "tests judged per problem during training (0: all; default 8)")
	seed := fs.Uint64("seed", 1, "seed (prompt order, sampling, minibatch order)")
	seedList := fs.String("seeds", "", "several seeds, comma-separated: one run per seed in OUT/seed-S (from INIT/seed-S when it exists)")
	logEvery := fs.Int("log-every", 1, "when stderr is not a terminal, print a status line every N steps")
	asJSON := fs.Bool("json", false, "print the final metrics row as JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *init == "" || *out == "" {
		return usagef("--init RUN and --out RUN are required")
	}
	c, err := rl.DefaultPPOConfig(*variant)
	if err != nil {
		return usageError{err.Error()}
	}
	if _, err := os.Stat(*out); err == nil && !*resume {
		if entries, _ := os.ReadDir(*out); len(entries) > 0 {
			return usagef("%s exists and is not empty: pass --resume to continue it, or choose another --out", *out)
		}
	}
	c.Algorithm, c.Init, c.Model, c.Out, c.Data, c.Resume, c.Seed = *algo, *init, *model, *out, dataList(*data), *resume, *seed
	setInt := func(dst *int, v int) {
		if v > 0 {
			*dst = v
		}
	}
	setInt(&c.Steps, *steps)
	setInt(&c.PromptsPerStep, *prompts)
	setInt(&c.SamplesPerPrompt, *samples)
	setInt(&c.GenBatch, *genBatch)
	setInt(&c.MaxNewTokens, *maxNew)
	setInt(&c.Epochs, *epochs)
	setInt(&c.MiniBatch, *mini)
	setInt(&c.MicroBatch, *micro)
	setInt(&c.Scoring.Workers, *workers)
	c.Scoring.Sandbox = *remote
	if *temp > 0 {
		c.Temperature = *temp
	}
	if *lr > 0 {
		c.Optim.LR = *lr
	}
	if klCoef.set {
		c.KL.Coef = klCoef.v
	}
	if klTarget.set {
		c.KL.Target = klTarget.v
	}
	if targetKL.set {
		c.TargetKL = targetKL.v
	}
	if entCoef.set {
		c.EntCoef = entCoef.v
	}
	if gamma.set {
		c.Gamma = gamma.v
	}
	if lambda.set {
		c.Lambda = lambda.v
	}
	if *scanner != "" {
		c.Scoring.Scanner = *scanner
	}
	if *timeout > 0 {
		c.Scoring.TimeoutMS = int(timeout.Milliseconds())
	}
	if maxTests.set {
		c.Scoring.MaxTests = maxTests.v
	}
	if c.MiniBatch%c.MicroBatch != 0 {
		return usagef("--mini-batch %d is not a multiple of --micro-batch %d", c.MiniBatch, c.MicroBatch)
	}
	run := func(c rl.PPOConfig) (map[string]any, error) {
		bar := newProgress(e.stderr, "ppo")
		err := rl.RunPPO(ctx, c, func(p rl.PPOProgress) {
			if p.Phase != "done" {
				return
			}
			bar.label = fmt.Sprintf("%s seed %d step %d reward %.3f kl %.3f", c.Variant, c.Seed, p.Step, p.Reward, p.KL)
			bar.update(p.Step, p.Steps)
			if !bar.tty && *logEvery > 0 && (p.Step%*logEvery == 0 || p.Step == p.Steps) {
				fmt.Fprintf(e.stderr, "%s step %d/%d reward %.4f kl %.4f %.0fs\n", c.Variant, p.Step, p.Steps, p.Reward, p.KL, p.Elapsed.Seconds())
			}
		})
		bar.finish()
		if err != nil {
			return nil, err
		}
		rows, err := rl.ReadMetrics(c.Out)
		if err != nil || len(rows) == 0 {
			return nil, fmt.Errorf("ppo: reading the metrics of %s: %v", c.Out, err)
		}
		final := rows[len(rows)-1]
		if !*asJSON {
			fmt.Fprintf(e.stdout, "%s (%s) seed %d %s: %d steps, final reward %.4f, KL %.4f, syntax %.1f%%, %.1f min; logs in %s\n",
				c.Variant, c.Algorithm, c.Seed, c.Out, c.Steps, final["reward"], final["kl"], 100*toFloat(final["syntax_rate"]), toFloat(final["elapsed"])/60, c.Out)
		}
		return final, nil
	}
	if *seedList == "" {
		final, err := run(c)
		if err == nil && *asJSON {
			return writeJSON(e.stdout, final)
		}
		return err
	}
	// One run per seed: OUT/seed-S, from INIT/seed-S when the init has
	// per-seed runs (e.g. an SFT trained with --seeds), else from INIT.
	seeds, err := experiment.ParseSeeds(*seedList)
	if err != nil {
		return usageError{"--seeds: " + err.Error()}
	}
	var finals []map[string]any
	for _, s := range seeds {
		cs := c
		cs.Seed, cs.Out = s, filepath.Join(c.Out, fmt.Sprintf("seed-%d", s))
		if d := filepath.Join(c.Init, fmt.Sprintf("seed-%d", s)); dirExists(d) {
			cs.Init = d
		}
		final, err := run(cs)
		if err != nil {
			return fmt.Errorf("seed %d: %w", s, err)
		}
		finals = append(finals, final)
	}
	if *asJSON {
		return writeJSON(e.stdout, finals)
	}
	return nil
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

func toFloat(v any) float64 {
	f, _ := v.(float64)
	return f
}

// optNum is a flag whose default comes from elsewhere (the variant's
// configuration): it records whether it was given, refuses negative values,
// and prints no "(default …)" of its own in -h.
type optNum[T int | float64] struct {
	v   T
	set bool
}

func (o *optNum[T]) String() string {
	if o == nil || !o.set {
		return ""
	}
	return fmt.Sprint(o.v)
}

func (o *optNum[T]) Set(s string) error {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 {
		return fmt.Errorf("want a number ≥ 0")
	}
	v := T(f)
	if float64(v) != f {
		return fmt.Errorf("want a whole number")
	}
	o.v, o.set = v, true
	return nil
}
