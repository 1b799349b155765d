package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"

	"github.com/securecoderl/securecoderl/kernel"
	"github.com/securecoderl/securecoderl/stdlib/rl"
)

// benchPPO runs PPO steps at notebook-04 defaults from an SFT run and
// prints where a step's time goes. The first step (graph compilation) is
// reported apart from the steady-state mean of the others.
func benchPPO(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "bench ppo", "bench ppo --init SFT_RUN [--model DIR] [--variant ppo-fresh] [--steps 3] [--data synth] [--json]")
	modelDir := fs.String("model", "", "base model directory (default models/scrl-base)")
	initRun := fs.String("init", "", "SFT run the policy starts from (scrl train sft --out RUN)")
	variant := fs.String("variant", "ppo-fresh", "PPO variant (reward)")
	steps := fs.Int("steps", 3, "PPO steps (the first includes compilation and is reported apart)")
	data := fs.String("data", "synth", "problem sources")
	out := fs.String("out", "", "run directory (default: a temporary one, removed afterwards)")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the steps after the first to a file")
	genBatch := fs.Int("gen-batch", 0, "sequences per generation batch (0: the variant's default)")
	miniBatch := fs.Int("mini-batch", 0, "sequences per optimiser step (0: default)")
	microBatch := fs.Int("micro-batch", 0, "sequences per forward/backward (0: default)")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *initRun == "" {
		return usagef("--init SFT_RUN is required (scrl train sft --model models/scrl-base --out RUN makes one)")
	}
	if *steps < 2 {
		return usagef("--steps %d: need at least 2 (the first compiles)", *steps)
	}
	if *modelDir == "" {
		repo, err := kernel.RepoRoot()
		if err != nil {
			return fmt.Errorf("--model not given and %w", err)
		}
		*modelDir = filepath.Join(repo, "models", "scrl-base")
	}
	cfg, err := rl.DefaultPPOConfig(*variant)
	if err != nil {
		return usageError{err.Error()}
	}
	for _, o := range []struct {
		v   int
		dst *int
	}{{*genBatch, &cfg.GenBatch}, {*miniBatch, &cfg.MiniBatch}, {*microBatch, &cfg.MicroBatch}} {
		if o.v > 0 {
			*o.dst = o.v
		}
	}
	dir := *out
	if dir == "" {
		if dir, err = os.MkdirTemp("", "scrl-bench-ppo-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	cfg.Init, cfg.Model, cfg.Out, cfg.Data, cfg.Steps = *initRun, *modelDir, dir, splitList(*data), *steps
	var prof *os.File
	err = rl.RunPPO(ctx, cfg, func(p rl.PPOProgress) {
		if p.Phase == "done" && p.Step == 1 && *cpuprofile != "" && prof == nil {
			if f, err := os.Create(*cpuprofile); err == nil {
				prof = f
				_ = pprof.StartCPUProfile(f)
			}
		}
	})
	if prof != nil {
		pprof.StopCPUProfile()
		prof.Close()
	}
	if err != nil {
		return err
	}
	rows, err := rl.ReadMetrics(dir)
	if err != nil {
		return err
	}
	res := rl.SummariseStepTimings(rows)
	res["variant"], res["init"], res["model"] = *variant, *initRun, *modelDir
	res["config"] = map[string]any{"rollouts_per_step": cfg.PromptsPerStep * cfg.SamplesPerPrompt, "gen_batch": cfg.GenBatch,
		"max_new_tokens": cfg.MaxNewTokens, "epochs": cfg.Epochs, "mini_batch": cfg.MiniBatch, "micro_batch": cfg.MicroBatch}
	if *asJSON {
		return writeJSON(e.stdout, res)
	}
	fmt.Fprintf(e.stdout, "PPO %s, %d rollouts/step, steps 2..%d (first step %.1fs incl. compilation):\n", *variant,
		cfg.PromptsPerStep*cfg.SamplesPerPrompt, *steps, res["first_step_seconds"])
	fmt.Fprintf(e.stdout, "  step_seconds %.2f = generate %.2f + score wait %.2f + forward %.2f + optimise %.2f (+ other %.2f); scoring busy %.2f\n",
		res["step_seconds"], res["generate_seconds"], res["score_wait_seconds"], res["forward_seconds"], res["optimise_seconds"],
		res["other_seconds"], res["score_seconds"])
	fmt.Fprintf(e.stdout, "  generation %.0f tokens/s (%.1f completion tokens per rollout)\n", res["gen_tokens_per_second"], res["completion_tokens"])
	return nil
}
