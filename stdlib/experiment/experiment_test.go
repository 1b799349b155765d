package experiment

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/securecoderl/securecoderl/stdlib/lm"
	"github.com/securecoderl/securecoderl/stdlib/rl"
)

func tinyModelDir(t *testing.T) string {
	t.Helper()
	cfg, err := lm.Preset("tiny")
	if err != nil {
		t.Fatal(err)
	}
	m, err := lm.NewRandom(cfg, lm.RandomOptions{Seed: 7, Std: 0.08, NormJitter: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "tiny")
	if err := m.Save(dir, lm.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// smallConfig is a seconds-long experiment of the tiny model.
func smallConfig(t *testing.T, seeds ...uint64) Config {
	ev := rl.DefaultEvalConfig()
	ev.MaxNewTokens, ev.GenBatch, ev.Scoring.MaxTests = 16, 4, 2
	ev.Prompting.MaxStatementBytes = 160
	return Config{Dir: t.TempDir(), Base: tinyModelDir(t), Data: []string{"synth:n=1000"}, Seeds: seeds, Eval: ev, EvalLimit: 4,
		SFT: func(c *rl.SFTConfig) {
			c.Steps, c.Batch, c.MicroBatch, c.Warmup, c.EvalEvery, c.CkptEvery, c.HeldoutExamples = 2, 2, 2, 1, 2, 2, 2
			c.Prompting.MaxStatementBytes, c.MaxCompletionTokens, c.PerProblem = 160, 64, 1
			c.LoRA = rl.LoRAConfig{R: 2, Alpha: 4, Targets: []string{"q_proj", "v_proj"}}
		},
		PPO: func(c *rl.PPOConfig) {
			c.Steps, c.PromptsPerStep, c.SamplesPerPrompt, c.GenBatch = 1, 2, 2, 4
			c.MaxNewTokens, c.MiniBatch, c.MicroBatch, c.Epochs = 12, 4, 4, 1
			c.Prompting.MaxStatementBytes, c.Scoring.MaxTests = 160, 2
		}}
}

func TestExperimentEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("trains and evaluates a tiny model")
	}
	ctx := context.Background()
	cfg := smallConfig(t, 1, 2)
	var labels []string
	cfg.Progress = func(label string, done, total int) {
		if done == total {
			labels = append(labels, label)
		}
	}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.TrainSFT(ctx); err != nil {
		t.Fatal(err)
	}
	arms, err := ArmsByName("binary", "partial")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Train(ctx, arms...); err != nil {
		t.Fatal(err)
	}
	for _, a := range []string{"binary", "partial"} {
		for _, s := range e.Seeds() {
			ri, err := rl.ReadRunInfo(e.RunDir(a, s))
			if err != nil {
				t.Fatal(err)
			}
			if ri.Init != e.RunDir(SFT, s) {
				t.Errorf("%s seed %d starts from %s, want its seed's SFT run", a, s, ri.Init)
			}
		}
	}
	problems, err := e.Problems(ctx, "valid")
	if err != nil || len(problems) == 0 {
		t.Fatalf("valid problems: %d, %v", len(problems), err)
	}
	for _, p := range problems {
		if p.Split != "valid" {
			t.Fatalf("problem %s of split %q among the tuning problems", p.ID, p.Split)
		}
	}
	c, err := e.Compare(ctx, "partial", "binary", "valid", problems)
	if err != nil {
		t.Fatal(err)
	}
	if c.Seeds != 2 || c.Problems != len(problems) || c.Primary().Name != "pass@1" {
		t.Errorf("comparison: %d seeds, %d problems, primary %s", c.Seeds, c.Problems, c.Primary().Name)
	}
	// The second comparison reads the cache: no evaluation runs again.
	n := len(labels)
	if _, err := e.Compare(ctx, "partial", "binary", "valid", problems); err != nil {
		t.Fatal(err)
	}
	if len(labels) != n {
		t.Errorf("cached comparison evaluated again: %v", labels[n:])
	}
	picks, all, err := e.BestOfK(ctx, SFT, "valid", problems, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(picks) != 2 || len(picks[0].Samples) != len(problems) || len(all[0].Samples) != 2*len(problems) || all[0].Temperature != 0.8 {
		t.Fatalf("best-of-2: %d seeds, %d picks of %d samples at T %v", len(picks), len(picks[0].Samples), len(all[0].Samples), all[0].Temperature)
	}
	ra, _ := e.Evaluate(ctx, "partial", "valid", problems)
	if _, err := CompareResults("partial", ra, "sft best-of-2", picks); err != nil {
		t.Fatal(err)
	}
	hdr, rows := ComparisonRows([]*rl.Comparison{c}, "pass@1", "syntax")
	if len(hdr) != 6 || len(rows) == 0 || rows[0][0] != "partial" {
		t.Errorf("comparison rows %v %v", hdr, rows)
	}
	bands, err := e.Curves([]string{"binary", "partial"}, "reward", 1)
	if err != nil || len(bands) != 2 || len(bands[0].X) != 1 || bands[0].Lo[0] > bands[0].Mean[0] || bands[0].Hi[0] < bands[0].Mean[0] {
		t.Fatalf("curves %+v %v", bands, err)
	}
	// Training again reuses the finished runs.
	before, _ := os.ReadFile(filepath.Join(e.RunDir("binary", 1), rl.MetricsJSONL))
	if err := e.Train(ctx, arms...); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(filepath.Join(e.RunDir("binary", 1), rl.MetricsJSONL))
	if string(before) != string(after) {
		t.Error("a finished run was trained again")
	}
	if _, err := e.Evaluate(ctx, "fraction", "valid", problems); !errors.Is(err, ErrNotTrained) {
		t.Errorf("evaluating an untrained arm: %v", err)
	}
}

func TestBadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"unknown arm", func() error { _, err := ArmsByName("partial", "parital"); return err }(), `unknown arm "parital" (valid: ppo-simple`},
		{"no seeds", CheckSeeds(nil), "no seeds"},
		{"repeated seed", CheckSeeds([]uint64{1, 2, 1}), "seed 1 listed twice"},
		{"no directory", func() error { _, err := New(Config{Seeds: []uint64{1}}); return err }(), "Dir, Base and Data are required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
				t.Errorf("error %v, want %q", tc.err, tc.want)
			}
		})
	}
	e, err := New(Config{Dir: t.TempDir(), Base: "x", Data: []string{"synth"}, Seeds: []uint64{1}})
	if err != nil {
		t.Fatal(err)
	}
	shared, _ := New(Config{Dir: "/x", Base: "x", Data: []string{"synth"}, Seeds: []uint64{1, 2, 3}, SFTSeed: 1})
	if shared.RunDir(SFT, 3) != shared.RunDir(SFT, 1) || shared.RunDir("binary", 3) == shared.RunDir("binary", 1) {
		t.Errorf("shared SFT: %s %s", shared.RunDir(SFT, 3), shared.RunDir("binary", 3))
	}
	if _, err := ParseSeeds("1,x"); err == nil {
		t.Error("seed list 1,x accepted")
	}
	cont, _ := ArmByName("ppo-continue")
	if err := e.Train(context.Background(), cont); err == nil || !strings.Contains(err.Error(), "continues ppo-simple, which is neither trained nor among the arms") {
		t.Errorf("continue without its init: %v", err)
	}
}

func TestParseLimits(t *testing.T) {
	for _, c := range []struct {
		in   string
		want map[string]int
		err  string
	}{
		{in: "", want: nil},
		{in: "test=0, test-unseen-family=32", want: map[string]int{"test": 0, "test-unseen-family": 32}},
		{in: "test", err: "not split=N"},
		{in: "test=-1", err: "not split=N"},
		{in: "=3", err: "not split=N"},
		{in: "test=1,test=2", err: "given twice"},
	} {
		got, err := ParseLimits(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseLimits(%q): error %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("ParseLimits(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
}

// TestProblemsEach: per-split limits read one split whole and sample
// another, and name a split that is not held out.
func TestProblemsEach(t *testing.T) {
	cfg := smallConfig(t, 1)
	cfg.EvalLimits = map[string]int{"test": 0, "test-unseen-family": 5}
	e, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ps, err := e.Problems(ctx, "heldout")
	if err != nil {
		t.Fatal(err)
	}
	whole, err := rl.SplitProblems(ctx, cfg.Data, 0.2, 1, []string{"test"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	bySplit := map[string]int{}
	for _, p := range ps {
		bySplit[p.Split]++
	}
	if bySplit["test"] != len(whole) || bySplit["test-unseen-family"] != 5 || len(ps) != len(whole)+5 {
		t.Errorf("per split %v (test has %d problems), want the whole test split and 5 unseen", bySplit, len(whole))
	}
	cfg.EvalLimits = map[string]int{"train": 3}
	e, _ = New(cfg)
	if _, err := e.Problems(ctx, "heldout"); err == nil || !strings.Contains(err.Error(), `"train" is not a held-out split`) {
		t.Errorf("limit on the train split: %v", err)
	}
}
