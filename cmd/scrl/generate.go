package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/securecoderl/securecoderl/stdlib/apps"
	"github.com/securecoderl/securecoderl/stdlib/generate"
	"github.com/securecoderl/securecoderl/stdlib/lm"
	"github.com/securecoderl/securecoderl/stdlib/lora"
	"github.com/securecoderl/securecoderl/stdlib/tokenizer"
)

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// loadPolicy loads a model directory and an optional PEFT adapter, merged
// into the weights (fast) or kept as an extension.
func loadPolicy(modelDir, adapterDir string, merge bool) (*lm.Runner, *lm.Model, error) {
	m, err := lm.Load(modelDir, lm.LoadOptions{AllowMixedDTypes: true})
	if err != nil {
		return nil, nil, err
	}
	var ext lm.Extension
	if adapterDir != "" {
		a, err := lora.Load(adapterDir, m.Config)
		if err != nil {
			return nil, nil, fmt.Errorf("adapter %s: %w", adapterDir, err)
		}
		if merge {
			if m, err = lora.Merge(m, a); err != nil {
				return nil, nil, err
			}
		} else {
			ext = a
		}
	}
	r, err := lm.NewRunner(m, ext)
	return r, m, err
}

func runGenerate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "generate", "generate --model DIR [--adapter DIR] (--prompt TEXT | --data PROBLEMS) [--n 4] [--max-new-tokens 128] [--temperature 0.7] [--top-p 0.95] [--json]")
	modelDir := fs.String("model", "", "model directory (Hugging Face layout)")
	adapterDir := fs.String("adapter", "", "PEFT LoRA adapter directory")
	merge := fs.Bool("merge", true, "merge the adapter into the weights (faster); false runs it unmerged")
	var prompts stringList
	fs.Var(&prompts, "prompt", "prompt text (repeatable)")
	var d dataFlags
	d.register("generate", fs)
	nProblems := fs.Int("problems", 4, "with --data: use the first N problems")
	tmplName := fs.String("template", "task", "with --data: prompt template (instruction, instruction_sft, plain, task)")
	n := fs.Int("n", 4, "samples per prompt")
	maxNew := fs.Int("max-new-tokens", 128, "tokens to generate at most")
	temp := fs.Float64("temperature", 0.7, "sampling temperature (0: greedy)")
	topP := fs.Float64("top-p", 0.95, "nucleus sampling mass (1: off)")
	topK := fs.Int("top-k", 0, "top-k filter (0: off)")
	rep := fs.Float64("repetition-penalty", 1, "repetition penalty (1: off)")
	var stops stringList
	fs.Var(&stops, "stop", "stop string (repeatable)")
	seed := fs.Uint64("seed", 1, "random seed")
	batch := fs.Int("batch-size", 8, "sequences per forward batch")
	progress := fs.Bool("progress", false, "report progress on stderr")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *modelDir == "" {
		return usagef("--model DIR is required")
	}
	var ids []string
	if len(prompts) == 0 {
		if d.data == "" {
			return usagef("give --prompt TEXT or --data PROBLEMS (--data embedded: the embedded problem set)")
		}
		if d.data == "embedded" {
			d.data = ""
		}
		tmpl, err := apps.TemplateByName(*tmplName)
		if err != nil {
			return usageError{err.Error()}
		}
		ps, _, err := d.load(ctx, e)
		if err != nil {
			return err
		}
		if *nProblems > 0 && len(ps) > *nProblems {
			ps = ps[:*nProblems]
		}
		for _, p := range ps {
			text := p.Prompt
			if text == "" {
				text = p.Statement
			}
			prompts = append(prompts, tmpl.Format(text))
			ids = append(ids, p.ID)
		}
	}
	r, m, err := loadPolicy(*modelDir, *adapterDir, *merge)
	if err != nil {
		return err
	}
	defer r.Close()
	tok, err := modelTokenizer(*modelDir, m.Config)
	if err != nil {
		return err
	}
	gc, err := lm.LoadGenerationConfig(*modelDir)
	if err != nil {
		return err
	}
	eos := gc.EOSTokenIDs()
	if len(eos) == 0 {
		eos = m.Config.EOSTokenID
	}
	pad := 0
	if m.Config.PadTokenID != nil {
		pad = *m.Config.PadTokenID
	} else if len(eos) > 0 {
		pad = eos[0]
	}
	opt := generate.Options{N: *n, MaxNewTokens: *maxNew, Temperature: *temp, TopK: *topK, TopP: *topP,
		RepetitionPenalty: *rep, Stop: stops, EOS: eos, PadID: pad, AddSpecial: true, Seed: *seed, BatchSize: *batch}
	if *progress {
		opt.Progress = func(p generate.Progress) {
			fmt.Fprintf(e.stderr, "\rbatch %d/%d step %d/%d: %d/%d sequences done, %d tokens, %.1fs",
				p.Batch, p.Batches, p.Step, p.MaxSteps, p.Finished, p.Total, p.Tokens, p.Elapsed.Seconds())
			if p.Finished == p.Total {
				fmt.Fprintln(e.stderr)
			}
		}
	}
	start := time.Now()
	samples, err := generate.New(r, tok).Generate(ctx, prompts, opt)
	if err != nil {
		return err
	}
	took := time.Since(start)
	total := 0
	for _, s := range samples {
		total += len(s.Tokens)
	}
	if *asJSON {
		type out struct {
			Model       string            `json:"model"`
			Adapter     string            `json:"adapter,omitempty"`
			Prompts     []string          `json:"prompts"`
			ProblemIDs  []string          `json:"problem_ids,omitempty"`
			Options     map[string]any    `json:"options"`
			Samples     []generate.Sample `json:"samples"`
			Tokens      int               `json:"tokens"`
			Seconds     float64           `json:"seconds"`
			TokensPerS  float64           `json:"tokens_per_second"`
			BackendNote string            `json:"backend"`
		}
		be, _ := lm.Backend()
		return writeJSON(e.stdout, out{Model: *modelDir, Adapter: *adapterDir, Prompts: prompts, ProblemIDs: ids,
			Options: map[string]any{"n": *n, "max_new_tokens": *maxNew, "temperature": *temp, "top_p": *topP, "top_k": *topK,
				"repetition_penalty": *rep, "stop": stops, "eos": eos, "seed": *seed, "batch_size": *batch},
			Samples: samples, Tokens: total, Seconds: took.Seconds(), TokensPerS: float64(total) / took.Seconds(), BackendNote: be.Name()})
	}
	for _, s := range samples {
		sum := 0.0
		for _, lp := range s.RawLogProbs {
			sum += lp
		}
		label := fmt.Sprintf("prompt %d", s.Prompt)
		if ids != nil {
			label = "problem " + ids[s.Prompt]
		}
		fmt.Fprintf(e.stdout, "=== %s, sample %d: %s after %d tokens, raw log-prob %.2f\n%s\n", label, s.Index, s.FinishReason, len(s.Tokens), sum, s.Text)
	}
	fmt.Fprintf(e.stderr, "%d tokens in %.2fs (%.1f tokens/s)\n", total, took.Seconds(), float64(total)/took.Seconds())
	return nil
}

// benchModel times a LoRA training step (forward + backward + AdamW) and
// batched generation on a checkpoint.
func benchModel(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "bench model", "bench model --model DIR [--batch 4] [--seq 128] [--steps 3] [--gen-batch 4] [--gen-tokens 64] [--json]")
	modelDir := fs.String("model", "", "model directory (Hugging Face layout)")
	batch := fs.Int("batch", 4, "training micro-batch size")
	seq := fs.Int("seq", 128, "training sequence length (half prompt, half completion)")
	steps := fs.Int("steps", 3, "timed training steps (after one warm-up step)")
	genBatch := fs.Int("gen-batch", 4, "generation batch (sequences)")
	genPrompt := fs.Int("gen-prompt", 32, "generation prompt length (tokens)")
	genTokens := fs.Int("gen-tokens", 64, "tokens generated per sequence (no EOS)")
	genProfile := fs.String("gen-cpuprofile", "", "write a CPU profile of the timed generation run to a file")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *modelDir == "" {
		return usagef("--model DIR is required")
	}
	m, err := lm.Load(*modelDir, lm.LoadOptions{AllowMixedDTypes: true})
	if err != nil {
		return err
	}
	be, err := lm.Backend()
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	randIDs := func(n int) []int {
		ids := make([]int, n)
		for i := range ids {
			ids[i] = rng.IntN(m.Config.VocabSize)
		}
		return ids
	}
	// Training: the study's LoRA (r=16, alpha=32, dropout 0.05 on q/k/v/o).
	a, err := lora.New(m.Config, lora.StudyConfig(), 1)
	if err != nil {
		return err
	}
	tr, err := lora.NewTrainer(m, a, lora.DefaultTrainConfig())
	if err != nil {
		return err
	}
	defer tr.Close()
	var ps, cs [][]int
	for i := 0; i < *batch; i++ {
		ps = append(ps, randIDs(*seq/2))
		cs = append(cs, randIDs(*seq-*seq/2))
	}
	tb := lora.CompletionBatch(ps, cs, 0)
	t0 := time.Now()
	if _, err := tr.Step(tb); err != nil {
		return err
	}
	warm := time.Since(t0)
	t0 = time.Now()
	var last lora.StepStats
	for i := 0; i < *steps; i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if last, err = tr.Step(tb); err != nil {
			return err
		}
	}
	trainS := time.Since(t0).Seconds() / float64(*steps)
	// Generation: random prompts, no EOS, so every sequence runs the full length.
	r, err := lm.NewRunner(m, nil)
	if err != nil {
		return err
	}
	defer r.Close()
	var prompts [][]int
	for i := 0; i < *genBatch; i++ {
		prompts = append(prompts, randIDs(*genPrompt))
	}
	g := generate.New(r, tokenizer.NewByteTokenizer())
	opt := generate.Options{MaxNewTokens: *genTokens, Temperature: 0.7, TopP: 0.95, Seed: 1, BatchSize: *genBatch}
	t0 = time.Now()
	if _, err := g.GenerateTokens(ctx, prompts, opt); err != nil {
		return err
	}
	genWarm := time.Since(t0)
	if *genProfile != "" {
		f, err := os.Create(*genProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	t0 = time.Now()
	_, err = g.GenerateTokens(ctx, prompts, opt)
	genS := time.Since(t0).Seconds()
	if *genProfile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		return err
	}
	res := map[string]any{
		"model": *modelDir, "backend": be.Name(), "params": m.NumParams(), "lora_params": a.NumParams(),
		"train_batch": *batch, "train_seq": *seq, "train_step_seconds": trainS,
		"train_tokens_per_second": float64(*batch**seq) / trainS, "train_first_step_seconds": warm.Seconds(),
		"train_final_loss": last.Loss,
		"gen_batch":        *genBatch, "gen_prompt": *genPrompt, "gen_tokens": *genTokens, "gen_seconds": genS,
		"gen_tokens_per_second": float64(*genBatch**genTokens) / genS, "gen_first_run_seconds": genWarm.Seconds(),
	}
	if *asJSON {
		return writeJSON(e.stdout, res)
	}
	fmt.Fprintf(e.stdout, "model %s: %s parameters, LoRA r=16 on q/k/v/o: %s trainable; backend %s\n",
		*modelDir, human(m.NumParams()), human(a.NumParams()), be.Name())
	fmt.Fprintf(e.stdout, "train step (fwd+bwd+AdamW), batch %d × %d tokens: %.3fs/step, %.0f tokens/s (first step incl. compile %.2fs)\n",
		*batch, *seq, trainS, float64(*batch**seq)/trainS, warm.Seconds())
	fmt.Fprintf(e.stdout, "generation, %d sequences × %d new tokens (prompt %d, KV cache): %.3fs, %.0f tokens/s (first run incl. compile %.2fs)\n",
		*genBatch, *genTokens, *genPrompt, genS, float64(*genBatch**genTokens)/genS, genWarm.Seconds())
	return nil
}
