package rl

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/securecoderl/securecoderl/sandbox"
	"github.com/securecoderl/securecoderl/sandbox/server"

	"github.com/securecoderl/securecoderl/stdlib/apps"
	"github.com/securecoderl/securecoderl/stdlib/evaluation"
	"github.com/securecoderl/securecoderl/stdlib/lm"
	"github.com/securecoderl/securecoderl/stdlib/tokenizer"
)

// firstProblem is the first embedded problem and its runnable reference.
func firstProblem(t *testing.T) (apps.Problem, string) {
	t.Helper()
	ps, err := apps.Default()
	if err != nil {
		t.Fatal(err)
	}
	ref, err := apps.RunnableCanonical(ps[0])
	if err != nil {
		t.Fatal(err)
	}
	return ps[0], ref
}

func TestScorerKnownPrograms(t *testing.T) {
	if _, err := os.Stat("/usr/bin/python3"); err != nil {
		t.Skip("no /usr/bin/python3")
	}
	ctx := context.Background()
	p, ref := firstProblem(t)
	sc, err := NewScorer(ctx, ScorerConfig{Reward: RewardConfig{Func: "partial", Alpha: 0.6, Beta: 0.4}, Visible: true})
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	items := []ScoreItem{
		{Problem: p, Completion: ref},
		{Problem: p, Completion: "def f(:\n"},
		{Problem: p, Completion: "x = eval(input())\nprint('no')\n"},
	}
	res, err := sc.Score(ctx, items)
	if err != nil {
		t.Fatal(err)
	}
	if r := res[0]; r.Stage != "passes_all" || r.RFunc != 1 || !r.SecClean || r.R != 1 || r.Passed != len(p.Tests) {
		t.Errorf("reference solution: %+v", r)
	}
	if r := res[1]; r.Syntax || r.Stage != "syntax_error" || r.RFunc != 0 || r.R != 0.4 {
		t.Errorf("syntax error: %+v", r)
	}
	if r := res[2]; !r.Syntax || r.SecClean || r.RSec >= 1 || len(r.Findings) == 0 || r.Stage != "prints" {
		t.Errorf("eval program: %+v", r)
	}
}

func TestBestOfKSelection(t *testing.T) {
	es := []evaluation.Sample{
		{ProblemID: "a", VisiblePassed: 0, VisibleTotal: 2, Passed: 0, Total: 3},
		{ProblemID: "a", VisiblePassed: 2, VisibleTotal: 2, Passed: 1, Total: 3},
		{ProblemID: "a", VisiblePassed: 2, VisibleTotal: 2, Passed: 3, Total: 3}, // tie: the earlier wins
		{ProblemID: "b", Passed: 3, Total: 3},
		{ProblemID: "b", Passed: 0, Total: 3},
	}
	got := evaluation.BestOfK(es, 3, evaluation.ByVisibleTestsPassed)
	if len(got) != 2 || got[0].Passed != 1 || got[1].Passed != 3 {
		t.Fatalf("best-of-3 picked %+v", got)
	}
	got = evaluation.BestOfK(es, 1, evaluation.ByVisibleTestsPassed)
	if got[0].Passed != 0 || got[1].Passed != 3 {
		t.Fatalf("best-of-1 is the first sample: %+v", got)
	}
	if n := noVisible(es); n != 1 {
		t.Fatalf("%d problems without visible tests, want 1 (b)", n)
	}
}

// TestPretrainTiny runs three steps of pretraining of a small model on the
// standard library, the embedded problems' solutions and a small synthetic
// set, with a BPE tokenizer trained first.
func TestPretrainTiny(t *testing.T) {
	ctx := context.Background()
	c := DefaultPretrainConfig()
	c.Model.HiddenSize, c.Model.IntermediateSize, c.Model.NumHiddenLayers, c.Model.NumAttentionHeads, c.Model.NumKeyValueHeads = 32, 64, 1, 2, 2
	c.Out = filepath.Join(t.TempDir(), "base")
	c.Steps, c.Batch, c.MicroBatch, c.SeqLen, c.Warmup, c.EvalEvery, c.ValWindows, c.CkptEvery = 3, 2, 1, 32, 1, 3, 2, 2
	c.AppsFiles, c.AppsShare = []string{""}, 0.3
	c.Synth, c.SynthShare, c.TokenizerVocab, c.TokenizerBytes = "synth:n=600,seed=1", 0.5, 320, 1<<20
	c.Command = "test"
	res, err := Pretrain(ctx, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Solutions == 0 || res.StdlibFiles == 0 || res.SynthDocs == 0 || len(res.DataDigest) != 64 || res.ValLoss["apps"] == 0 ||
		res.ValLoss["stdlib"] == 0 || res.ValLoss["synth"] == 0 || res.VocabSize != 320 || res.Tokenizer == nil || res.Tokenizer.Merges != 320-259 {
		t.Fatalf("result %+v", res)
	}
	// The model carries its tokenizer, whose size is the model's vocabulary.
	tok, err := LoadTokenizer(c.Out)
	if err != nil {
		t.Fatal(err)
	}
	if hf, ok := tok.(*tokenizer.HF); !ok || hf.VocabSize() != 320 || tok.EOS() != lm.ByteEOS || tok.BOS() != lm.ByteBOS || tok.PAD() != lm.BytePAD {
		t.Fatalf("tokenizer %T, specials %d/%d/%d", tok, tok.BOS(), tok.EOS(), tok.PAD())
	}
	// Only the synthetic train split is training data.
	corpus, err := LoadCorpus(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	ps, _, _ := apps.Load(ctx, c.Synth, apps.Options{})
	trainDocs := 0
	for _, p := range ps {
		if p.Split == "train" {
			trainDocs += len(p.Solutions) + len(p.InsecureSolutions)
		}
	}
	if corpus.SynthDocs != trainDocs || corpus.SynthValDocs == 0 {
		t.Fatalf("%d synthetic documents, want %d (train split only); %d validation", corpus.SynthDocs, trainDocs, corpus.SynthValDocs)
	}
	var rec PretrainResult
	if err := json.Unmarshal(readFile(t, filepath.Join(c.Out, "pretrain.json")), &rec); err != nil || rec.DataDigest != res.DataDigest {
		t.Fatalf("pretrain.json: %v", err)
	}
	if _, err := lm.Load(c.Out, lm.LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	if exists(filepath.Join(c.Out, CkptDir)) || !exists(filepath.Join(c.Out, "README.md")) {
		t.Fatal("the output should have a README and no checkpoint")
	}
	// The corpus is deterministic.
	c2, err := LoadCorpus(ctx, c)
	if err != nil || c2.Digest != res.DataDigest {
		t.Fatalf("digest changed: %v", err)
	}
	a, b := c2.PretrainBatch(c, 2), c2.PretrainBatch(c, 2)
	for i := range a {
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				t.Fatal("pretraining batches are not deterministic")
			}
		}
	}
}

// TestScorerRemote: a scorer on a `scrl serve` endpoint (ScorerConfig.Sandbox,
// what PPO rollouts and evaluation use with --sandbox) scores as a local
// one, under the training timeout.
func TestScorerRemote(t *testing.T) {
	if _, err := os.Stat("/usr/bin/python3"); err != nil {
		t.Skip("no /usr/bin/python3")
	}
	ctx := context.Background()
	pool, err := sandbox.New(ctx, sandbox.Config{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	ts := httptest.NewServer(server.New(pool, server.Config{}).Handler())
	defer ts.Close()
	p, ref := firstProblem(t)
	items := []ScoreItem{{Problem: p, Completion: ref}, {Problem: p, Completion: "def f(:\n"},
		{Problem: p, Completion: "x = eval(input())\nprint('no')\n"}, {Problem: p, Completion: "while True:\n    pass\n"}}
	cfg := ScorerConfig{Reward: RewardConfig{Func: "partial", Alpha: 0.6, Beta: 0.4}, Visible: true, TimeoutMS: 300}
	var got [2][]Scored
	for i, remote := range []string{"", ts.URL} {
		c := cfg
		c.Sandbox = remote
		sc, err := NewScorer(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		if got[i], err = sc.Score(ctx, items); err != nil {
			t.Fatal(err)
		}
		sc.Close()
	}
	for i := range items {
		a, b := got[0][i], got[1][i]
		if a.R != b.R || a.Stage != b.Stage || a.Passed != b.Passed || a.Total != b.Total || a.SecClean != b.SecClean || fmt.Sprint(a.Verdicts) != fmt.Sprint(b.Verdicts) {
			t.Errorf("item %d: local %+v\nremote %+v", i, a, b)
		}
	}
	if got[1][3].Stage == "passes_all" || !strings.Contains(fmt.Sprint(got[1][3].Verdicts), "timeout") {
		t.Errorf("spinning program remotely: %+v", got[1][3])
	}
}
