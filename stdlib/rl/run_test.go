package rl

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/securecoderl/securecoderl/stdlib/lm"
)

// testSFTConfig is a few-second SFT run of the tiny model on the embedded
// problems.
func testSFTConfig(model, out string) SFTConfig {
	c := DefaultSFTConfig()
	c.Model, c.Out = model, out
	c.Prompting.MaxStatementBytes = 160
	c.MaxCompletionTokens = 160
	c.PerProblem = 1
	c.Steps, c.Batch, c.MicroBatch = 6, 4, 2
	c.Warmup, c.EvalEvery, c.CkptEvery, c.HeldoutExamples = 2, 3, 2, 4
	c.LoRA = LoRAConfig{R: 4, Alpha: 8, Dropout: 0.1, Targets: []string{"q_proj", "v_proj", "up_proj"}}
	return c
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestSFTResumeEquivalence: N steps in one go == k steps, a stop (the
// process state is dropped; only the run directory survives), and --resume:
// the final adapter, the optimiser moments and the metrics are identical.
// Dropout is on, so the dropout RNG state must be restored too.
func TestSFTResumeEquivalence(t *testing.T) {
	ctx := context.Background()
	model := tinyModelDir(t)
	dir := t.TempDir()
	full := filepath.Join(dir, "full")
	res, err := RunSFT(ctx, testSFTConfig(model, full), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Steps != 6 || res.Examples == 0 || res.Heldout == 0 {
		t.Fatalf("result %+v", res)
	}
	split := filepath.Join(dir, "split")
	c := testSFTConfig(model, split)
	c.StopAt = 3 // a checkpoint every 2 steps, plus at the stop
	if _, err := RunSFT(ctx, c, nil); !errors.Is(err, ErrStopped) {
		t.Fatalf("stopped run: %v", err)
	}
	// Simulate a crash after step 4's metrics row was written but before
	// its checkpoint: append a bogus row that resume must drop.
	f, _ := os.OpenFile(filepath.Join(split, MetricsJSONL), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"step":4,"loss":123}` + "\n" + `{"step":5,"lo`)
	f.Close()
	c.StopAt, c.Resume = 0, true
	if _, err := RunSFT(ctx, c, nil); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"adapter/adapter_model.safetensors", "ckpt/adapter/adapter_model.safetensors", "ckpt/optimizer.safetensors"} {
		a, b := readFile(t, filepath.Join(full, name)), readFile(t, filepath.Join(split, name))
		if !slices.Equal(a, b) {
			t.Errorf("%s differs between the uninterrupted and the resumed run", name)
		}
	}
	fm, _ := ReadMetrics(full)
	sm, _ := ReadMetrics(split)
	if len(fm) != 6 || len(sm) != 6 {
		t.Fatalf("metrics rows: %d uninterrupted, %d resumed; want 6", len(fm), len(sm))
	}
	for i := range fm {
		if fm[i]["loss"] != sm[i]["loss"] || fm[i]["step"] != sm[i]["step"] {
			t.Errorf("row %d: %v vs %v", i, fm[i]["loss"], sm[i]["loss"])
		}
	}
	if !exists(filepath.Join(split, MetricsCSV)) {
		t.Fatal("no metrics.csv")
	}
	// The run resolves to base model + final adapter.
	spec, err := ResolvePolicy("", split)
	if err != nil || spec.Adapter != filepath.Join(split, AdapterDir) || spec.Model != abs(model) {
		t.Fatalf("ResolvePolicy: %+v, %v", spec, err)
	}
}

func TestFullFineTuneCheckpoint(t *testing.T) {
	ctx := context.Background()
	model := tinyModelDir(t)
	dir := t.TempDir()
	c := testSFTConfig(model, filepath.Join(dir, "a"))
	c.Full, c.Steps = true, 3
	if _, err := RunSFT(ctx, c, nil); err != nil {
		t.Fatal(err)
	}
	c2 := c
	c2.Out, c2.StopAt = filepath.Join(dir, "b"), 2
	if _, err := RunSFT(ctx, c2, nil); !errors.Is(err, ErrStopped) {
		t.Fatal(err)
	}
	c2.StopAt, c2.Resume = 0, true
	if _, err := RunSFT(ctx, c2, nil); err != nil {
		t.Fatal(err)
	}
	a := readFile(t, filepath.Join(c.Out, "model", "model.safetensors"))
	b := readFile(t, filepath.Join(c2.Out, "model", "model.safetensors"))
	if !slices.Equal(a, b) {
		t.Fatal("full fine-tuning: resumed weights differ")
	}
	base := readFile(t, filepath.Join(model, "model.safetensors"))
	if slices.Equal(a, base) {
		t.Fatal("full fine-tuning changed nothing")
	}
	spec, err := ResolvePolicy("", c.Out)
	if err != nil || spec.Model != filepath.Join(c.Out, ModelDir) || spec.Adapter != "" {
		t.Fatalf("ResolvePolicy: %+v %v", spec, err)
	}
	if _, err := lm.Load(spec.Model, lm.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
}

// sftInit runs a 2-step SFT of the tiny model (the PPO init).
func sftInit(t testing.TB, dir string) (model, run string) {
	t.Helper()
	model = tinyModelDir(t)
	run = filepath.Join(dir, "sft")
	c := testSFTConfig(model, run)
	c.Steps = 2
	if _, err := RunSFT(context.Background(), c, nil); err != nil {
		t.Fatal(err)
	}
	return model, run
}

func testPPOConfig(t testing.TB, variant, algo, init, out string) PPOConfig {
	t.Helper()
	c, err := DefaultPPOConfig(variant)
	if err != nil {
		t.Fatal(err)
	}
	c.Algorithm, c.Init, c.Out = algo, init, out
	c.Prompting.MaxStatementBytes = 160
	c.Steps, c.PromptsPerStep, c.SamplesPerPrompt, c.GenBatch = 3, 2, 2, 2
	c.MaxNewTokens, c.MiniBatch, c.MicroBatch, c.Epochs = 24, 4, 2, 2
	c.Scoring.TimeoutMS, c.Scoring.MaxTests = 1000, 2
	return c
}

// TestPPOAlgorithms runs every algorithm for a few steps and checks the logs.
func TestPPOAlgorithms(t *testing.T) {
	dir := t.TempDir()
	_, sft := sftInit(t, dir)
	for _, algo := range Algorithms {
		out := filepath.Join(dir, algo)
		c := testPPOConfig(t, "ppo-fresh", algo, sft, out)
		if err := RunPPO(context.Background(), c, nil); err != nil {
			t.Fatalf("%s: %v", algo, err)
		}
		ros, err := ReadRollouts(out)
		if err != nil {
			t.Fatal(err)
		}
		if len(ros) != 3*4 {
			t.Fatalf("%s: %d rollouts logged, want 12", algo, len(ros))
		}
		rows, _ := ReadMetrics(out)
		if len(rows) != 3 {
			t.Fatalf("%s: %d metrics rows", algo, len(rows))
		}
		keys := []string{"reward", "kl", "stage.syntax_error", "timing.generate_s", "timing.score_s", "timing.optimise_s", "equal_scores"}
		trained := 0
		for _, r := range rows {
			if r["equal_scores"] == false {
				trained++
			}
		}
		if trained == 0 {
			t.Fatalf("%s: every batch had equal scores: the test no longer reaches the optimiser", algo)
		}
		if rows[2]["equal_scores"] == false {
			keys = append(keys, "pg_loss", "entropy")
		}
		for _, k := range keys {
			if _, ok := rows[2][k]; !ok {
				t.Errorf("%s: metrics row lacks %s: %v", algo, k, rows[2])
			}
		}
		if algo == AlgoPPO {
			if _, ok := rows[2]["vf_loss"]; !ok || !exists(filepath.Join(out, ValueHeadFile)) {
				t.Errorf("ppo: no value loss or value head")
			}
			if d := rows[0]["logprob_drift"].(float64); d > 1e-3 {
				t.Errorf("sampler and trainer log-probs differ by %g", d)
			}
		}
		ri, err := ReadRunInfo(out)
		if err != nil || ri.Reference == nil || ri.Reference.Adapter != filepath.Join(sft, AdapterDir) {
			t.Fatalf("%s: reference %+v %v", algo, ri.Reference, err)
		}
	}
	// ppo-continue from the ppo run keeps the SFT reference.
	out := filepath.Join(dir, "continue")
	c := testPPOConfig(t, "ppo-continue", AlgoPPO, filepath.Join(dir, AlgoPPO), out)
	c.Steps = 1
	if err := RunPPO(context.Background(), c, nil); err != nil {
		t.Fatal(err)
	}
	ri, _ := ReadRunInfo(out)
	if ri.Reference.Adapter != filepath.Join(sft, AdapterDir) {
		t.Fatalf("continue: reference %+v, want the SFT adapter", ri.Reference)
	}
}

// TestEqualScoresMoveNoWeight: with a binary reward that no rollout earns
// every score of a batch is 0; such a batch must move no weight (the KL
// term alone, rounding noise after whitening, would otherwise be a full
// AdamW step). The adapter after two PPO steps is the SFT adapter, byte for
// byte.
func TestEqualScoresMoveNoWeight(t *testing.T) {
	dir := t.TempDir()
	_, sft := sftInit(t, dir)
	for _, algo := range []string{AlgoPPO, AlgoGRPO} {
		out := filepath.Join(dir, "binary-"+algo)
		c := testPPOConfig(t, "ppo-binary", algo, sft, out)
		c.Steps = 2
		if err := RunPPO(context.Background(), c, nil); err != nil {
			t.Fatal(err)
		}
		ros, err := ReadRollouts(out)
		if err != nil {
			t.Fatal(err)
		}
		for _, ro := range ros {
			if ro.R != 0 {
				t.Fatalf("%s: precondition: rollout %d/%d scored %g; the tiny model should pass nothing", algo, ro.Step, ro.Index, ro.R)
			}
		}
		rows, _ := ReadMetrics(out)
		for _, r := range rows {
			if r["equal_scores"] != true || r["opt_steps"] != 0.0 {
				t.Errorf("%s: step %v: equal_scores %v, opt_steps %v; want true, 0", algo, r["step"], r["equal_scores"], r["opt_steps"])
			}
		}
		name := "adapter/adapter_model.safetensors"
		if !slices.Equal(readFile(t, filepath.Join(sft, name)), readFile(t, filepath.Join(out, name))) {
			t.Errorf("%s: the adapter moved on batches whose scores are all equal", algo)
		}
	}
}
