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
	workers := fs.Int("gen-workers", 0, "generation batches at once (0: one per CPU, at most 2)")
	baseline := fs.Bool("baseline", false, "also run the steps with one generation batch at a time (the code before concurrent generation) and print the ratios")
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
	runOnce := func(genWorkers int, profile string) (map[string]any, error) {
		dir := *out
		if dir == "" {
			d, err := os.MkdirTemp("", "scrl-bench-ppo-")
			if err != nil {
				return nil, err
			}
			defer os.RemoveAll(d)
			dir = d
		} else {
			dir = filepath.Join(dir, fmt.Sprintf("gen-workers-%d", genWorkers))
			if err := os.RemoveAll(dir); err != nil {
				return nil, err
			}
		}
		c := cfg
		c.Out, c.GenWorkers = dir, genWorkers
		var prof *os.File
		err := rl.RunPPO(ctx, c, func(p rl.PPOProgress) {
			if p.Phase == "done" && p.Step == 1 && profile != "" && prof == nil {
				if f, err := os.Create(profile); err == nil {
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
			return nil, err
		}
		rows, err := rl.ReadMetrics(dir)
		if err != nil {
			return nil, err
		}
		return rl.SummariseStepTimings(rows), nil
	}
	cfg.Init, cfg.Model, cfg.Data, cfg.Steps = *initRun, *modelDir, splitList(*data), *steps
	res, err := runOnce(*workers, *cpuprofile)
	if err != nil {
		return err
	}
	if *baseline {
		base, err := runOnce(1, "")
		if err != nil {
			return err
		}
		res["baseline"] = base
		ratio := func(k string) float64 {
			a, _ := res[k].(float64)
			b, _ := base[k].(float64)
			if a == 0 {
				return 0
			}
			return b / a
		}
		res["speedup"] = map[string]float64{"step": ratio("step_seconds"), "generate": ratio("generate_seconds"),
			"gen_tokens_per_second": 1 / ratio("gen_tokens_per_second")}
	}
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
	if nat, _ := res["native_train"].(bool); nat {
		fmt.Fprintln(e.stdout, "  gradients on the native training pass (stdlib/lm/native)")
	} else {
		fmt.Fprintln(e.stdout, "  gradients on the step graph")
	}
	if b, ok := res["baseline"].(map[string]any); ok {
		sp := res["speedup"].(map[string]float64)
		fmt.Fprintf(e.stdout, "  baseline (one generation batch at a time): step %.2fs, generate %.2fs, %.0f tokens/s; speed-up: step ×%.2f, generation ×%.2f\n",
			b["step_seconds"], b["generate_seconds"], b["gen_tokens_per_second"], sp["step"], sp["generate"])
	}
	return nil
}
