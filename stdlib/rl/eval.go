package rl

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/securecoderl/securecoderl/stdlib/apps"
	"github.com/securecoderl/securecoderl/stdlib/evaluation"
	"github.com/securecoderl/securecoderl/stdlib/generate"
	"github.com/securecoderl/securecoderl/stdlib/lm"
	"github.com/securecoderl/securecoderl/stdlib/lora"
	"github.com/securecoderl/securecoderl/stdlib/tokenizer"
)

// HeldoutProblems returns the fixed evaluation problems: the held-out side
// of apps.Split(fraction, seed) of every file, those with tests; with limit
// > 0 a stratified (by difficulty) sample of limit of them, deterministic
// in seed. Every checkpoint is evaluated on the same problems.
func HeldoutProblems(ctx context.Context, files []string, fraction float64, seed uint64, limit int) ([]apps.Problem, error) {
	_, held, err := LoadProblems(ctx, files, fraction, seed)
	if err != nil {
		return nil, err
	}
	var out []apps.Problem
	for _, p := range held {
		if len(p.Tests) > 0 {
			out = append(out, p)
		}
	}
	if limit > 0 && limit < len(out) {
		return apps.StratifiedSample(out, limit, seed)
	}
	return out, nil
}

// EvalConfig configures Evaluate.
type EvalConfig struct {
	Name         string             `json:"name"`
	Policy       PolicySpec         `json:"policy"`
	Prompting    Prompting          `json:"prompting"`
	N            int                `json:"n"` // samples per problem
	Temperature  float64            `json:"temperature"`
	TopP         float64            `json:"top_p"`
	MaxNewTokens int                `json:"max_new_tokens"`
	Seed         uint64             `json:"seed"`
	GenBatch     int                `json:"gen_batch"`
	Scoring      ScorerConfig       `json:"scoring"`
	K            []int              `json:"k"` // pass@k and best-of-k (k <= N)
	Bootstrap    evaluation.Options `json:"-"`
	// SamplesOut, when set, receives one JSON line per scored sample.
	SamplesOut string                `json:"-"`
	Progress   func(done, total int) `json:"-"`
}

// DefaultEvalConfig: one sample per problem at temperature 0.2, top-p 0.95,
// 256 new tokens, the study's reward (partial credit + security, α 0.6 β
// 0.4), the native scanner, every test, 1.5 s per test.
func DefaultEvalConfig() EvalConfig {
	return EvalConfig{Prompting: DefaultPrompting(), N: 1, Temperature: 0.2, TopP: 0.95, MaxNewTokens: 256, Seed: 1, GenBatch: 8,
		Scoring: ScorerConfig{Reward: RewardConfig{Func: "partial", Alpha: 0.6, Beta: 0.4}, Scanner: "native", Workers: 2, TimeoutMS: 1500, Visible: true},
		K:       []int{1}}
}

// EvalSample is one evaluated completion.
type EvalSample struct {
	Key        string `json:"prompt_id"`
	Difficulty string `json:"difficulty"`
	Sample     int    `json:"sample"`
	Completion string `json:"completion"`
	Finish     string `json:"finish_reason"`
	Scored
}

// BestOfK is a Table IV row over the sample chosen among the first k per
// problem by the number of the statement's example tests it passes (tests
// the model could see; ties keep the earliest sample).
type BestOfK struct {
	K   int            `json:"k"`
	Row evaluation.Row `json:"row"`
	// NoVisibleTests counts the problems with no visible test to select on
	// (call-based problems, statements without examples): their pick is
	// the first sample, as at k = 1.
	NoVisibleTests int `json:"no_visible_tests"`
}

// noVisible counts the problems none of whose samples had a visible test.
func noVisible(es []evaluation.Sample) int {
	has := map[string]bool{}
	for _, s := range es {
		has[s.ProblemID] = has[s.ProblemID] || s.VisibleTotal > 0
	}
	n := 0
	for _, ok := range has {
		if !ok {
			n++
		}
	}
	return n
}

// EvalResult is the evaluation of one policy.
type EvalResult struct {
	Name         string             `json:"name"`
	Policy       PolicySpec         `json:"policy"`
	Problems     int                `json:"problems"`
	N            int                `json:"n"`
	Temperature  float64            `json:"temperature"`
	Row          evaluation.Row     `json:"row"`
	ByDifficulty []evaluation.Row   `json:"by_difficulty"`
	PassAtK      map[string]float64 `json:"pass_at_k"`
	BestOfK      []BestOfK          `json:"best_of_k,omitempty"`
	Stages       map[string]float64 `json:"stages"`
	GenSeconds   float64            `json:"generate_s"`
	ScoreSeconds float64            `json:"score_s"`
	Samples      []EvalSample       `json:"-"`
}

// Evaluate samples N completions per problem from the policy, scores them
// (sandbox, scanner, reward) and computes Table IV with bootstrap CIs,
// per-difficulty rows, pass@k and best-of-k.
func Evaluate(ctx context.Context, cfg EvalConfig, problems []apps.Problem) (*EvalResult, error) {
	if len(problems) == 0 {
		return nil, fmt.Errorf("evaluate: no problems")
	}
	if cfg.N <= 0 {
		cfg.N = 1
	}
	if cfg.GenBatch <= 0 {
		cfg.GenBatch = 8
	}
	m, a, err := cfg.Policy.Load()
	if err != nil {
		return nil, err
	}
	if a != nil {
		if m, err = lora.Merge(m, a); err != nil {
			return nil, err
		}
	}
	runner, err := lm.NewRunner(m, nil)
	if err != nil {
		return nil, err
	}
	defer runner.Close()
	tok := tokenizer.NewByteTokenizer()
	gen := generate.New(runner, tok)
	scorer, err := NewScorer(ctx, cfg.Scoring)
	if err != nil {
		return nil, err
	}
	defer scorer.Close()
	type slot struct {
		p      apps.Problem
		sample int
		prompt string
	}
	var slots []slot
	for _, p := range problems {
		text, err := cfg.Prompting.Prompt(p)
		if err != nil {
			return nil, err
		}
		for s := 0; s < cfg.N; s++ {
			slots = append(slots, slot{p, s, text})
		}
	}
	res := &EvalResult{Name: cfg.Name, Policy: cfg.Policy, Problems: len(problems), N: cfg.N, Temperature: cfg.Temperature}
	samples := make([]EvalSample, len(slots))
	// Generation of batch b+1 overlaps the scoring of batch b.
	type job struct {
		lo    int
		items []ScoreItem
	}
	jobs := make(chan job, len(slots)/cfg.GenBatch+1)
	done := make(chan error, 1)
	var scoreS float64
	nDone := 0
	go func() {
		var err error
		for j := range jobs {
			if err != nil {
				continue
			}
			t0 := time.Now()
			var sc []Scored
			sc, err = scorer.Score(ctx, j.items)
			scoreS += time.Since(t0).Seconds()
			for i := range sc {
				samples[j.lo+i].Scored = sc[i]
			}
			nDone += len(j.items)
			if cfg.Progress != nil {
				cfg.Progress(nDone, len(slots))
			}
		}
		done <- err
	}()
	t0 := time.Now()
	var genErr error
	for lo := 0; lo < len(slots); lo += cfg.GenBatch {
		hi := min(len(slots), lo+cfg.GenBatch)
		prompts := make([][]int, hi-lo)
		for i := lo; i < hi; i++ {
			prompts[i-lo] = tok.EncodeOrdinary(slots[i].prompt, true)
		}
		out, err := gen.GenerateTokens(ctx, prompts, generate.Options{N: 1, MaxNewTokens: cfg.MaxNewTokens, Temperature: cfg.Temperature,
			TopP: cfg.TopP, EOS: []int{tok.EOS()}, PadID: tok.PAD(), Seed: seedOf(cfg.Seed, uint64(lo)), BatchSize: cfg.GenBatch})
		if err != nil {
			genErr = err
			break
		}
		var items []ScoreItem
		for i, s := range out {
			sl := slots[lo+i]
			samples[lo+i] = EvalSample{Key: Key(sl.p), Difficulty: sl.p.Difficulty, Sample: sl.sample, Completion: s.Text, Finish: s.FinishReason}
			items = append(items, ScoreItem{Problem: sl.p, Prompt: sl.prompt, Completion: s.Text})
		}
		jobs <- job{lo, items}
	}
	close(jobs)
	res.GenSeconds = time.Since(t0).Seconds()
	if err := <-done; err != nil {
		return nil, fmt.Errorf("scoring: %w", err)
	}
	if genErr != nil {
		return nil, genErr
	}
	res.ScoreSeconds = scoreS
	res.Samples = samples
	es := make([]evaluation.Sample, len(samples))
	res.Stages = map[string]float64{}
	for i, s := range samples {
		es[i] = evaluation.Sample{ProblemID: s.Key, Difficulty: s.Difficulty, Syntax: s.Syntax, Passed: s.Passed, Total: s.Total,
			SecClean: s.SecClean, RFunc: s.RFunc, RSec: s.RSec, R: s.R, VisiblePassed: s.VisiblePassed, VisibleTotal: s.VisibleTotal}
		res.Stages[string(s.Stage)] += 1 / float64(len(samples))
	}
	name := cfg.Name
	if name == "" {
		name = cfg.Policy.String()
	}
	res.Row = evaluation.Table(name, es, cfg.Bootstrap)
	res.ByDifficulty = evaluation.ByDifficulty(name, es, cfg.Bootstrap)
	res.PassAtK = map[string]float64{}
	ks := append([]int(nil), cfg.K...)
	if !slices.Contains(ks, 1) {
		ks = append(ks, 1)
	}
	slices.Sort(ks)
	for _, k := range ks {
		if k > cfg.N {
			continue
		}
		v, err := evaluation.MeanPassAtK(es, k)
		if err != nil {
			return nil, err
		}
		res.PassAtK[strconv.Itoa(k)] = v
		if k > 1 {
			picked := evaluation.BestOfK(es, k, evaluation.ByVisibleTestsPassed)
			res.BestOfK = append(res.BestOfK, BestOfK{K: k, Row: evaluation.Table(fmt.Sprintf("%s best-of-%d", name, k), picked, cfg.Bootstrap),
				NoVisibleTests: noVisible(es)})
		}
	}
	if cfg.SamplesOut != "" {
		f, err := os.Create(cfg.SamplesOut)
		if err != nil {
			return nil, err
		}
		enc := json.NewEncoder(f)
		enc.SetEscapeHTML(false)
		for _, s := range samples {
			enc.Encode(s)
		}
		if err := f.Close(); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// policyDigest hashes a policy's weight files.
func policyDigest(p PolicySpec) (string, error) {
	h := sha256.New()
	for _, dir := range []string{p.Model, p.Adapter} {
		if dir == "" {
			continue
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.safetensors"))
		sort.Strings(files)
		if len(files) == 0 {
			return "", fmt.Errorf("%s: no safetensors files", dir)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return "", err
			}
			h.Write([]byte(filepath.Base(f)))
			h.Write(data)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// cachedEval is an evaluation stored by EvaluateCached.
type cachedEval struct {
	Key    string      `json:"key"`
	Result *EvalResult `json:"result"`
}

// evalCacheVersion is part of EvaluateCached's key: bump it when Evaluate's
// results change for the same policy, configuration and problems.
const evalCacheVersion = "scrl-eval-2"

// EvaluateCached is Evaluate with a result cache in a JSON file: the result
// is reused when the policy's weights, the configuration and the problems
// are unchanged (notebooks re-run without evaluating again).
func EvaluateCached(ctx context.Context, cfg EvalConfig, problems []apps.Problem, cachePath string) (*EvalResult, error) {
	dig, err := policyDigest(cfg.Policy)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	// The version changes whenever what an evaluation computes changes
	// (2: cluster bootstrap, SecClean on scanner errors, no_visible_tests).
	h.Write([]byte(evalCacheVersion + "\x00"))
	h.Write([]byte(dig))
	c := cfg
	c.Policy = PolicySpec{}
	conf, _ := json.Marshal(c)
	h.Write(conf)
	for _, p := range problems {
		h.Write([]byte(Key(p) + "\x00"))
	}
	key := hex.EncodeToString(h.Sum(nil))
	if data, err := os.ReadFile(cachePath); err == nil {
		var ce cachedEval
		if json.Unmarshal(data, &ce) == nil && ce.Key == key && ce.Result != nil {
			return ce.Result, nil
		}
	}
	res, err := Evaluate(ctx, cfg, problems)
	if err != nil {
		return nil, err
	}
	data, err := json.MarshalIndent(cachedEval{Key: key, Result: res}, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(cachePath), 0o755); err != nil {
		return nil, err
	}
	return res, os.WriteFile(cachePath, append(data, '\n'), 0o644)
}
