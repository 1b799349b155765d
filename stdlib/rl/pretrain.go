package rl

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/securecoderl/securecoderl/stdlib/apps"
	"github.com/securecoderl/securecoderl/stdlib/apps/synth"
	"github.com/securecoderl/securecoderl/stdlib/lm"
	"github.com/securecoderl/securecoderl/stdlib/lora"
	"github.com/securecoderl/securecoderl/stdlib/tokenizer"
)

// BaseConfig is the architecture of SecureCodeRL's shipped base model
// (models/scrl-base) before its vocabulary is known: a Llama decoder with
// ids 256 <|bos|>, 257 <|eos|>, 258 <|pad|> (those of the byte tokenizer
// and of tokenizer.TrainBPE's tokenizers), 4 layers, hidden 192, 6 heads
// of 32 over 2 KV heads, SwiGLU 512, tied embeddings, over the byte
// vocabulary (VocabSize is set from the tokenizer).
func BaseConfig() lm.Config {
	bos, pad := lm.ByteBOS, lm.BytePAD
	return lm.Config{
		Architectures: []string{"LlamaForCausalLM"}, ModelType: "llama",
		VocabSize: lm.ByteVocab, HiddenSize: 192, IntermediateSize: 512, NumHiddenLayers: 4,
		NumAttentionHeads: 6, NumKeyValueHeads: 2, HiddenAct: "silu",
		MaxPositionEmbeddings: 2048, RMSNormEps: 1e-5, RopeTheta: 10000, TieWordEmbeddings: true,
		BOSTokenID: &bos, EOSTokenID: lm.IDList{lm.ByteEOS}, PadTokenID: &pad,
		TorchDType: "float32", InitializerRange: 0.02,
	}
}

// PretrainConfig configures Pretrain. The zero value of a field means its
// default (DefaultPretrainConfig).
type PretrainConfig struct {
	Out   string    `json:"out"`
	Model lm.Config `json:"model"`
	Seed  uint64    `json:"seed"`
	Steps int       `json:"steps"`
	// Batch sequences of SeqLen tokens per step.
	Batch  int `json:"batch"`
	SeqLen int `json:"seq_len"`
	// MicroBatch splits a step's batch for gradient accumulation.
	MicroBatch int         `json:"micro_batch"`
	Optim      OptimConfig `json:"optim"`
	Warmup     int         `json:"warmup"`
	MinLRRatio float64     `json:"min_lr_ratio"`
	// PythonGlob finds the Python standard library directories
	// (/usr/lib/python3.*); site-packages, dist-packages and test
	// directories are skipped.
	PythonGlob string `json:"python_glob"`
	// AppsFiles are APPS JSONL files whose reference solutions are
	// pretraining data, except those of problems in the held-out split
	// (HeldoutFraction, SplitSeed), kept for the validation loss.
	AppsFiles       []string `json:"apps_files"`
	HeldoutFraction float64  `json:"heldout_fraction"`
	SplitSeed       uint64   `json:"split_seed"`
	// AppsShare is the fraction of training sequences drawn from APPS
	// solutions.
	AppsShare float64 `json:"apps_share"`
	// Synth is a synthetic source ("synth:n=N:seed=S", stdlib/apps/synth)
	// whose train split is pretraining data: each (statement, reference
	// solution) pair is one document, the statement as the file's
	// docstring (PretrainDoc); tempting problems give their insecure
	// references too, as code in the wild holds both. Only the train split
	// is read: valid gives the validation loss, test and
	// test-unseen-family are never read. SynthShare is the fraction of
	// training sequences drawn from it (the rest, after APPS, from the
	// standard library).
	Synth      string  `json:"synth,omitempty"`
	SynthShare float64 `json:"synth_share,omitempty"`
	// TokenizerVocab > 0 trains a byte-level BPE of that size
	// (tokenizer.TrainBPE) on the training documents before the model
	// (at most TokenizerBytes of them, in reading order); 0 keeps the byte
	// tokenizer.
	TokenizerVocab int `json:"tokenizer_vocab,omitempty"`
	TokenizerBytes int `json:"tokenizer_bytes,omitempty"`
	// ValFraction of the standard-library files is held out for the
	// validation loss.
	ValFraction float64 `json:"val_fraction"`
	EvalEvery   int     `json:"eval_every"`
	ValWindows  int     `json:"val_windows"` // per source
	CkptEvery   int     `json:"ckpt_every"`
	Resume      bool    `json:"-"`
	// Command is recorded in pretrain.json.
	Command string `json:"command,omitempty"`
}

// DefaultPretrainConfig is the recipe of the shipped base model.
func DefaultPretrainConfig() PretrainConfig {
	m := BaseConfig()
	m.HiddenSize, m.IntermediateSize, m.NumHiddenLayers, m.NumAttentionHeads, m.NumKeyValueHeads = 256, 688, 4, 8, 4
	return PretrainConfig{
		Model: m, Seed: 1, Steps: 1200, Batch: 8, SeqLen: 512, MicroBatch: 8,
		Optim:  OptimConfig{LR: 3e-3, Beta1: 0.9, Beta2: 0.95, Eps: 1e-8, WeightDecay: 0.1, MaxGradNorm: 1},
		Warmup: 40, MinLRRatio: 0.1, PythonGlob: "/usr/lib/python3.*",
		HeldoutFraction: 0.2, SplitSeed: 1, ValFraction: 0.02,
		Synth: "synth:n=20000,seed=1", SynthShare: 0.9, TokenizerVocab: 2048, TokenizerBytes: 24 << 20,
		EvalEvery: 100, ValWindows: 8, CkptEvery: 25,
	}
}

// PretrainDoc is how a synthetic problem and one of its reference
// solutions appear in pretraining: a Python file whose docstring is the
// statement (the instruction template is what SFT teaches).
func PretrainDoc(statement, solution string) string {
	return "\"\"\"\n" + strings.TrimSpace(statement) + "\n\"\"\"\n" + strings.TrimLeft(solution, "\n")
}

// Corpus is the tokenised pretraining data.
type Corpus struct {
	StdlibTrain, StdlibVal []uint16 // concatenated documents
	AppsTrain, AppsVal     []uint16
	AppsStarts             []int // document starts in AppsTrain
	SynthTrain, SynthVal   []uint16
	SynthStarts            []int
	Files                  int // standard-library files
	Solutions              int // APPS solutions (train)
	ValSolutions           int
	SynthDocs              int // synthetic (statement, solution) documents (train)
	SynthValDocs           int
	Bytes                  int64
	// Digest is the SHA-256 over every document (name and content) in the
	// order read: it identifies the data a model was trained on.
	Digest string
	// Tokenizer is the tokenizer.json the corpus was encoded with (nil:
	// the byte tokenizer); TokenizerStats describes its training.
	Tokenizer      []byte
	TokenizerStats *tokenizer.TrainStats
}

var pyDirRE = regexp.MustCompile(`/python3\.\d+$`)

// corpusDoc is one document before tokenisation.
type corpusDoc struct {
	name, text string
	dst        string // stdlib, stdlib-val, apps, apps-val, synth, synth-val
}

// LoadCorpus reads the standard library sources, the APPS solutions and
// the synthetic family's training documents, trains the tokenizer when
// cfg.TokenizerVocab > 0, and tokenises everything.
func LoadCorpus(ctx context.Context, cfg PretrainConfig) (*Corpus, error) {
	c := &Corpus{}
	var docs []corpusDoc
	dirs, _ := filepath.Glob(cfg.PythonGlob)
	var stdDirs []string
	for _, d := range dirs {
		if pyDirRE.MatchString(d) {
			stdDirs = append(stdDirs, d)
		}
	}
	slices.Sort(stdDirs)
	if len(stdDirs) == 0 {
		return nil, fmt.Errorf("pretrain: no Python standard library under %s", cfg.PythonGlob)
	}
	for _, root := range stdDirs {
		var files []string
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			name := d.Name()
			if d.IsDir() {
				if name == "site-packages" || name == "dist-packages" || name == "test" || name == "tests" || name == "idle_test" || name == "__pycache__" {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(name, ".py") && d.Type().IsRegular() {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		slices.Sort(files)
		for _, f := range files {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			data, err := os.ReadFile(f)
			if err != nil || len(data) > 512<<10 {
				continue
			}
			rel, _ := filepath.Rel(filepath.Dir(root), f)
			dst := "stdlib"
			if apps.SplitUnit(rel, cfg.Seed) < cfg.ValFraction {
				dst = "stdlib-val"
			}
			docs = append(docs, corpusDoc{rel, string(data), dst})
			c.Files++
		}
	}
	for _, path := range cfg.AppsFiles {
		ps, _, err := apps.Load(ctx, path, apps.Options{})
		if err != nil {
			return nil, fmt.Errorf("pretrain: %w", err)
		}
		_, held := apps.Split(ps, cfg.HeldoutFraction, cfg.SplitSeed)
		heldIDs := map[string]bool{}
		for _, p := range held {
			heldIDs[p.ID] = true
		}
		for _, p := range ps {
			for i, s := range p.Solutions {
				if strings.TrimSpace(s) == "" {
					continue
				}
				name := fmt.Sprintf("apps/%s/%d", p.ID, i)
				if heldIDs[p.ID] {
					docs = append(docs, corpusDoc{name, s, "apps-val"})
					c.ValSolutions++
				} else {
					docs = append(docs, corpusDoc{name, s, "apps"})
					c.Solutions++
				}
			}
		}
	}
	if cfg.Synth != "" {
		if !apps.IsSynthSource(cfg.Synth) {
			return nil, fmt.Errorf("pretrain: --synth %q is not a synthetic source (synth:n=N:seed=S)", cfg.Synth)
		}
		ps, _, err := apps.Load(ctx, cfg.Synth, apps.Options{})
		if err != nil {
			return nil, fmt.Errorf("pretrain: %w", err)
		}
		for _, p := range ps {
			var dst string
			switch p.Split {
			case synth.SplitTrain:
				dst = "synth"
			case synth.SplitValid:
				dst = "synth-val"
			default:
				continue // test splits are never read
			}
			sols := append(slices.Clone(p.Solutions), p.InsecureSolutions...)
			for i, s := range sols {
				if dst == "synth-val" && i > 0 {
					break
				}
				docs = append(docs, corpusDoc{fmt.Sprintf("synth/%s/%d", p.ID, i), PretrainDoc(p.Statement, s), dst})
				if dst == "synth" {
					c.SynthDocs++
				} else {
					c.SynthValDocs++
				}
			}
		}
	}
	var tok Tokenizer = tokenizer.NewByteTokenizer()
	if cfg.TokenizerVocab > 0 {
		var texts []string
		n := 0
		for _, d := range docs {
			if strings.HasSuffix(d.dst, "-val") {
				continue
			}
			if cfg.TokenizerBytes > 0 && n+len(d.text) > cfg.TokenizerBytes {
				continue
			}
			texts = append(texts, d.text)
			n += len(d.text)
		}
		data, st, err := tokenizer.TrainBPE(ctx, texts, tokenizer.TrainOptions{VocabSize: cfg.TokenizerVocab})
		if err != nil {
			return nil, fmt.Errorf("pretrain: tokenizer: %w", err)
		}
		hf, err := tokenizer.FromJSON(data)
		if err != nil {
			return nil, fmt.Errorf("pretrain: tokenizer: %w", err)
		}
		tok, c.Tokenizer, c.TokenizerStats = hf, data, &st
	}
	h := sha256.New()
	streams := map[string]*[]uint16{"stdlib": &c.StdlibTrain, "stdlib-val": &c.StdlibVal, "apps": &c.AppsTrain,
		"apps-val": &c.AppsVal, "synth": &c.SynthTrain, "synth-val": &c.SynthVal}
	for _, d := range docs {
		h.Write([]byte(d.name))
		h.Write([]byte{0})
		h.Write([]byte(d.text))
		h.Write([]byte{0})
		c.Bytes += int64(len(d.text))
		dst := streams[d.dst]
		switch d.dst {
		case "apps":
			c.AppsStarts = append(c.AppsStarts, len(*dst))
		case "synth":
			c.SynthStarts = append(c.SynthStarts, len(*dst))
		}
		for _, id := range tok.EncodeOrdinary(d.text, true) {
			*dst = append(*dst, uint16(id))
		}
		*dst = append(*dst, uint16(tok.EOS()))
	}
	if c.Tokenizer != nil {
		// The tokenizer is part of the data a model was trained on.
		h.Write(c.Tokenizer)
	}
	c.Digest = hex.EncodeToString(h.Sum(nil))
	if len(c.StdlibTrain) == 0 {
		return nil, fmt.Errorf("pretrain: no standard-library sources read")
	}
	return c, nil
}

// window copies n tokens of stream from off (wrapping around).
func window(stream []uint16, off, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = int(stream[(off+i)%len(stream)])
	}
	return out
}

// PretrainBatch draws step's training sequences (deterministic in seed and
// step): with probability SynthShare a synthetic window starting at a
// random document's first token, with probability AppsShare an APPS window
// starting at a random solution's, else a random standard-library window.
func (c *Corpus) PretrainBatch(cfg PretrainConfig, step int) [][]int {
	rng := rand.New(rand.NewPCG(cfg.Seed, uint64(step)))
	seqs := make([][]int, cfg.Batch)
	for i := range seqs {
		u := rng.Float64()
		switch {
		case len(c.SynthStarts) > 0 && u < cfg.SynthShare:
			seqs[i] = window(c.SynthTrain, c.SynthStarts[rng.IntN(len(c.SynthStarts))], cfg.SeqLen)
		case len(c.AppsStarts) > 0 && u < cfg.SynthShare+cfg.AppsShare:
			seqs[i] = window(c.AppsTrain, c.AppsStarts[rng.IntN(len(c.AppsStarts))], cfg.SeqLen)
		default:
			seqs[i] = window(c.StdlibTrain, rng.IntN(len(c.StdlibTrain)), cfg.SeqLen)
		}
	}
	return seqs
}

// ValBatches are fixed validation windows per source.
func (c *Corpus) ValBatches(cfg PretrainConfig) map[string][][]int {
	out := map[string][][]int{}
	for name, stream := range map[string][]uint16{"stdlib": c.StdlibVal, "apps": c.AppsVal, "synth": c.SynthVal} {
		if len(stream) == 0 {
			continue
		}
		stride := max(1, len(stream)/cfg.ValWindows)
		for i := 0; i < cfg.ValWindows; i++ {
			out[name] = append(out[name], window(stream, i*stride, cfg.SeqLen))
		}
	}
	return out
}

// LMBatch is a TrainBatch with the loss on every token.
func LMBatch(seqs [][]int, pad int) lora.TrainBatch {
	b := lm.PadRight(seqs, pad, 0)
	mask := make([]float32, b.B*b.T)
	for i := range mask {
		mask[i] = float32(b.Mask[i])
	}
	return lora.TrainBatch{Batch: b, LossMask: mask}
}

// PretrainState is the run state in a pretraining checkpoint.
type PretrainState struct {
	Step    int     `json:"step"`
	Seconds float64 `json:"seconds"`
	Digest  string  `json:"data_digest"`
}

// PretrainResult is written to OUT/pretrain.json.
type PretrainResult struct {
	Command      string         `json:"command"`
	Config       PretrainConfig `json:"config"`
	Params       int64          `json:"params"`
	DataDigest   string         `json:"data_digest"`
	StdlibFiles  int            `json:"stdlib_files"`
	StdlibTokens int            `json:"stdlib_train_tokens"`
	Solutions    int            `json:"apps_solutions"`
	AppsTokens   int            `json:"apps_train_tokens"`
	SynthDocs    int            `json:"synth_docs"`
	SynthTokens  int            `json:"synth_train_tokens"`
	VocabSize    int            `json:"vocab_size"`
	// Tokenizer describes the BPE training (nil: the byte tokenizer).
	Tokenizer   *tokenizer.TrainStats `json:"tokenizer,omitempty"`
	TokensSeen  int64                 `json:"tokens_seen"`
	FinalLoss   float64               `json:"final_train_loss"` // mean of the last 20 steps
	ValLoss     map[string]float64    `json:"final_val_loss"`
	Seconds     float64               `json:"seconds"`      // training (resumed runs: since the first step)
	LoadSeconds float64               `json:"load_seconds"` // reading the data and training the tokenizer
	Steps       int                   `json:"steps"`
	Python      []string              `json:"python_dirs"`
}

// PretrainProgress is reported after every step.
type PretrainProgress struct {
	Step, Steps int
	Loss        float64
	ValLoss     map[string]float64
	Elapsed     time.Duration
}

// Pretrain trains a fresh model (full-parameter, AdamW, warmup + cosine) on
// the corpus and writes it to cfg.Out in Hugging Face layout with
// pretrain.json and the metrics logs. With cfg.Resume it continues from
// cfg.Out/ckpt.
func Pretrain(ctx context.Context, cfg PretrainConfig, progress func(PretrainProgress)) (*PretrainResult, error) {
	if cfg.Out == "" {
		return nil, fmt.Errorf("pretrain: no output directory")
	}
	if cfg.Steps <= 0 || cfg.Batch <= 0 || cfg.MicroBatch <= 0 || cfg.SeqLen < 2 {
		return nil, fmt.Errorf("pretrain: steps, batch and micro-batch must be positive and the sequence length at least 2")
	}
	if cfg.Batch%cfg.MicroBatch != 0 {
		return nil, fmt.Errorf("pretrain: batch %d is not a multiple of micro-batch %d", cfg.Batch, cfg.MicroBatch)
	}
	if err := os.MkdirAll(cfg.Out, 0o755); err != nil {
		return nil, err
	}
	loadStart := time.Now()
	corpus, err := LoadCorpus(ctx, cfg)
	if err != nil {
		return nil, err
	}
	loadSeconds := time.Since(loadStart).Seconds()
	mc := cfg.Model
	if corpus.Tokenizer != nil {
		hf, err := tokenizer.FromJSON(corpus.Tokenizer)
		if err != nil {
			return nil, err
		}
		mc.VocabSize = hf.VocabSize()
		cfg.Model.VocabSize = mc.VocabSize // recorded in run.json and pretrain.json
	}
	model, err := lm.NewRandom(mc, lm.RandomOptions{Seed: cfg.Seed})
	if err != nil {
		return nil, err
	}
	if corpus.Tokenizer != nil {
		// The tokenizer goes with every checkpoint's model: written here
		// first, then copied by each Save.
		if err := lm.WriteTokenizer(cfg.Out, corpus.Tokenizer); err != nil {
			return nil, err
		}
		model.Dir = cfg.Out
	}
	tr, err := NewTrainer(model, nil, nil, TrainerConfig{Optim: cfg.Optim, Full: true, Seed: cfg.Seed})
	if err != nil {
		return nil, err
	}
	defer tr.Close()
	st := PretrainState{Digest: corpus.Digest}
	resumeStep := -1
	if cfg.Resume && FindCheckpoint(cfg.Out) != "" {
		if err := tr.LoadCheckpoint(cfg.Out, &st); err != nil {
			return nil, err
		}
		if st.Digest != corpus.Digest {
			return nil, fmt.Errorf("pretrain --resume: the data changed (digest %s, checkpoint %s)", corpus.Digest[:12], st.Digest[:12])
		}
		resumeStep = st.Step
	}
	if err := writeRunConfig(cfg.Out, "pretrain", cfg); err != nil {
		return nil, err
	}
	ml, err := OpenMetrics(cfg.Out, resumeStep)
	if err != nil {
		return nil, err
	}
	defer ml.Close()
	sched := Schedule{Peak: cfg.Optim.LR, Warmup: cfg.Warmup, Total: cfg.Steps, MinRatio: cfg.MinLRRatio}
	val := corpus.ValBatches(cfg)
	valLoss := func() (map[string]float64, error) {
		out := map[string]float64{}
		for name, seqs := range val {
			var batches []lora.TrainBatch
			for i := 0; i < len(seqs); i += cfg.MicroBatch {
				batches = append(batches, LMBatch(seqs[i:min(len(seqs), i+cfg.MicroBatch)], lm.BytePAD))
			}
			s, err := tr.Eval(batches...)
			if err != nil {
				return nil, err
			}
			out[name] = s.Loss
		}
		return out, nil
	}
	start := time.Now().Add(-time.Duration(st.Seconds * float64(time.Second)))
	var recent []float64
	var lastVal map[string]float64
	for step := st.Step + 1; step <= cfg.Steps; step++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		seqs := corpus.PretrainBatch(cfg, step)
		var batches []lora.TrainBatch
		for i := 0; i < len(seqs); i += cfg.MicroBatch {
			batches = append(batches, LMBatch(seqs[i:i+cfg.MicroBatch], lm.BytePAD))
		}
		t0 := time.Now()
		s, err := tr.Step(sched.LR(step), batches...)
		if err != nil {
			return nil, fmt.Errorf("pretrain step %d: %w", step, err)
		}
		recent = append(recent, s.Loss)
		if len(recent) > 20 {
			recent = recent[1:]
		}
		row := map[string]any{"step": step, "loss": s.Loss, "lr": s.LR, "grad_norm": s.GradNorm,
			"tokens": step * cfg.Batch * cfg.SeqLen, "step_seconds": time.Since(t0).Seconds(), "elapsed": time.Since(start).Seconds()}
		if every(step, cfg.EvalEvery) || step == cfg.Steps {
			if lastVal, err = valLoss(); err != nil {
				return nil, err
			}
			row["val_loss"] = lastVal
		}
		if err := ml.Append(row); err != nil {
			return nil, err
		}
		if progress != nil {
			progress(PretrainProgress{Step: step, Steps: cfg.Steps, Loss: s.Loss, ValLoss: lastVal, Elapsed: time.Since(start)})
		}
		if every(step, cfg.CkptEvery) && step < cfg.Steps {
			st.Step, st.Seconds = step, time.Since(start).Seconds()
			if err := tr.SaveCheckpoint(cfg.Out, st); err != nil {
				return nil, err
			}
		}
	}
	if lastVal == nil {
		if lastVal, err = valLoss(); err != nil {
			return nil, err
		}
	}
	if err := tr.Model.Save(cfg.Out, lm.SaveOptions{TokenizerJSON: corpus.Tokenizer}); err != nil {
		return nil, err
	}
	res := &PretrainResult{Command: cfg.Command, Config: cfg, Params: tr.Model.NumParams(), DataDigest: corpus.Digest,
		StdlibFiles: corpus.Files, StdlibTokens: len(corpus.StdlibTrain), Solutions: corpus.Solutions,
		AppsTokens: len(corpus.AppsTrain), SynthDocs: corpus.SynthDocs, SynthTokens: len(corpus.SynthTrain),
		VocabSize: mc.VocabSize, Tokenizer: corpus.TokenizerStats, TokensSeen: int64(cfg.Steps) * int64(cfg.Batch*cfg.SeqLen),
		FinalLoss: meanOf(recent), ValLoss: lastVal, Seconds: time.Since(start).Seconds(), LoadSeconds: loadSeconds, Steps: cfg.Steps}
	res.Python, _ = filepath.Glob(cfg.PythonGlob)
	data, _ := json.MarshalIndent(res, "", "  ")
	if err := os.WriteFile(filepath.Join(cfg.Out, "pretrain.json"), append(data, '\n'), 0o644); err != nil {
		return nil, err
	}
	if err := writePretrainReadme(cfg.Out, res); err != nil {
		return nil, err
	}
	os.RemoveAll(filepath.Join(cfg.Out, CkptDir))
	os.Remove(filepath.Join(cfg.Out, RunFile))
	return res, nil
}

func meanOf(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// writeRunConfig records a run's configuration as run.json.
func writeRunConfig(dir, kind string, cfg any) error {
	data, err := json.MarshalIndent(map[string]any{"kind": kind, "config": cfg}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, RunFile), append(data, '\n'), 0o644)
}

func writePretrainReadme(dir string, r *PretrainResult) error {
	c := r.Config
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", filepath.Base(dir))
	vocab := "the byte-level vocabulary of `stdlib/tokenizer.NewByteTokenizer` (bytes 0–255, `<|bos|>` 256, `<|eos|>` 257, `<|pad|>` 258)"
	if r.Tokenizer != nil {
		vocab = fmt.Sprintf("a byte-level BPE of %d tokens trained by `scrl train pretrain` itself on the training data (`tokenizer.TrainBPE`: ids 0–255 the bytes, `<|bos|>` 256, `<|eos|>` 257, `<|pad|>` 258, then %d merges; numbers split into single digits; `tokenizer.json` in Hugging Face format, exact round trip)", r.VocabSize, r.Tokenizer.Merges)
	}
	fmt.Fprintf(&b, "SecureCodeRL's base model: a Llama-architecture decoder (%d layers, hidden %d, %d heads over %d KV heads, SwiGLU %d, tied embeddings, RoPE θ %g) over %s: %d parameters, float32 safetensors in Hugging Face layout.\n\n",
		c.Model.NumHiddenLayers, c.Model.HiddenSize, c.Model.NumAttentionHeads, c.Model.KVHeads(), c.Model.IntermediateSize, c.Model.RopeTheta, vocab, r.Params)
	fmt.Fprintf(&b, "It is a small model trained from scratch on two CPU cores. It learns the training families of the synthetic problem family (`stdlib/apps/synth`) well enough that SFT and RL have something to move; it does not solve APPS problems.\n\n")
	fmt.Fprintf(&b, "## Reproduce\n\n```sh\n%s\n```\n\n", r.Command)
	fmt.Fprintf(&b, "(`scrl train pretrain --out DIR` with the defaults; seed %d. Results are deterministic for a seed on the Go backend, up to floating-point reduction order.)\n\n", c.Seed)
	fmt.Fprintf(&b, "## Data\n\n- the Python standard library sources under `%s` (%v; site-packages, dist-packages and test directories skipped): %d files, %d training tokens (%.0f%% of files held out for the validation loss);\n", c.PythonGlob, r.Python, r.StdlibFiles, r.StdlibTokens, 100*c.ValFraction)
	if c.Synth != "" {
		fmt.Fprintf(&b, "- the **train split** of the synthetic family `%s`: %d documents (each a statement as the file's docstring followed by one reference solution; tempting problems also with their insecure references), %d tokens. The valid split gives the validation loss; the test and test-unseen-family splits are never read;\n", c.Synth, r.SynthDocs, r.SynthTokens)
	}
	if len(c.AppsFiles) > 0 {
		fmt.Fprintf(&b, "- the reference solutions of %v, except those of the problems held out by `apps.Split(problems, %g, %d)`: %d solutions, %d tokens;\n", c.AppsFiles, c.HeldoutFraction, c.SplitSeed, r.Solutions, r.AppsTokens)
	}
	fmt.Fprintf(&b, "\nData digest (SHA-256 over every document's name and text in reading order, and the tokenizer): `%s`. A machine with another Python version reads other sources and gets another digest.\n\n", r.DataDigest)
	if t := r.Tokenizer; t != nil {
		fmt.Fprintf(&b, "Tokenizer: trained on %d bytes (%d words, %d distinct); %.2f bytes per token on them.\n\n", t.Bytes, t.Words, t.UniqueWords, float64(t.Bytes)/float64(max(1, t.Tokens)))
	}
	fmt.Fprintf(&b, "## Training\n\n%d steps × %d sequences × %d tokens (%d tokens; %.0f%% of sequences from the synthetic documents, %.0f%% from APPS, the rest from the standard library), AdamW (lr %g, betas %g/%g, weight decay %g on matrices), %d warmup steps then cosine to %g× the peak, gradient clipping at %g.\n\n",
		c.Steps, c.Batch, c.SeqLen, r.TokensSeen, 100*c.SynthShare, 100*c.AppsShare, c.Optim.LR, c.Optim.Beta1, c.Optim.Beta2, c.Optim.WeightDecay, c.Warmup, c.MinLRRatio, c.Optim.MaxGradNorm)
	unit := "nats/token"
	if r.Tokenizer == nil {
		unit = "nats/byte"
	}
	fmt.Fprintf(&b, "Final training loss (mean of the last 20 steps): %.4f %s. Validation loss: ", r.FinalLoss, unit)
	keys := make([]string, 0, len(r.ValLoss))
	for k := range r.ValLoss {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %.4f", k, r.ValLoss[k])
	}
	fmt.Fprintf(&b, ". Wall time %.1f minutes on a shared 2-core machine (%.1f reading the data and training the tokenizer, %.1f training). Per-step losses: `metrics.jsonl` / `metrics.csv`; everything above: `pretrain.json`.\n", (r.Seconds+r.LoadSeconds)/60, r.LoadSeconds/60, r.Seconds/60)
	return os.WriteFile(filepath.Join(dir, "README.md"), []byte(b.String()), 0o644)
}
