// Package generate samples completions from an lm.Runner (a Llama-family
// model, optionally with a LoRA adapter) with a KV cache: greedy,
// temperature, top-k, top-p, repetition penalty, stop strings and EOS, in
// batches whose shapes are bucketed so compiled graphs are reused (XLA
// compiles once per shape): rows to powers of two, prompt lengths to
// multiples of 32 (powers of two below 64), and the cache starts 32 slots
// past the prompt and grows 32 slots at a time, because a decoding step
// costs in proportion to the cache length, not to the tokens in it.
//
// For every sampled token it returns two log-probabilities: under the
// sampling policy (after repetition penalty, temperature, top-k and top-p,
// renormalised: the distribution the token was actually drawn from) and
// under the raw policy (log_softmax of the model's logits: what a training
// forward pass computes, the one PPO's ratio needs).
//
// Sampling runs on the host from each step's logits with one random stream
// per sequence (seeded by Options.Seed and the sequence's index), so results
// do not depend on the batch size or on other sequences.
package generate

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/securecoderl/securecoderl/stdlib/lm"
	"github.com/securecoderl/securecoderl/stdlib/lm/native"
)

// Tokenizer is what generation needs from a tokenizer; stdlib/tokenizer's
// tokenizers (tokenizer.Load for a tokenizer.json, tokenizer.NewByteTokenizer
// for the tiny and small presets) satisfy it.
type Tokenizer interface {
	Encode(text string, addSpecial bool) []int
	Decode(ids []int, skipSpecial bool) string
}

// Options control sampling.
type Options struct {
	N                 int      // samples per prompt (default 1)
	MaxNewTokens      int      // default 128
	Temperature       float64  // 0 means greedy
	TopK              int      // 0: off
	TopP              float64  // 0 or 1: off
	RepetitionPenalty float64  // Hugging Face's (CTRL) penalty on tokens already in prompt or completion; 0 or 1: off
	Stop              []string // stop strings: the text is cut before the first one
	EOS               []int    // end-of-sequence ids (emitted token kept in Tokens, not in Text)
	PadID             int      // padding id for prompts
	AddSpecial        bool     // encode prompts with special tokens (BOS)
	Seed              uint64
	// BatchSize is the number of sequences per forward batch (default 8);
	// batches are padded up to a power of two.
	BatchSize int
	// MinBucket is the smallest prompt/cache length bucket (default 16).
	MinBucket int
	// CacheChunk is how many slots the KV cache grows by when it is full
	// (default 32; the first cache holds the padded prompt and one chunk).
	CacheChunk int
	// FixedCache allocates the whole cache (prompt + MaxNewTokens) at once
	// and buckets prompt and cache lengths to powers of two: how generation
	// ran before the cache grew, kept as the reference the growing cache is
	// checked against (TestGrowingCache). Samples are the same either way,
	// up to float rounding.
	FixedCache bool
	// KeepRows turns off row compaction: by default, once no more than
	// half of a batch's rows are still generating, the finished ones are
	// dropped from the KV cache and decoding goes on with the smaller
	// batch (never below MinRows rows). Samples are the same either way,
	// up to float rounding.
	KeepRows bool
	// Progress, when set, is called after every decoding step.
	Progress func(Progress)
}

// MinRows is the fewest rows a batch is compacted to: on the pure-Go
// backend a decoding step of one or two rows costs more than one of four
// (its small-matrix kernels work four rows at a time; BenchmarkDecodeStep).
const MinRows = 4

// Progress reports generation progress.
type Progress struct {
	Batch, Batches  int // current batch (1-based), number of batches
	Step, MaxSteps  int // decoding step within the batch
	Finished, Total int // sequences finished over all batches, total sequences
	Tokens          int // tokens generated so far
	Rows            int // rows the batch's next decoding step runs (compaction lowers it)
	Elapsed         time.Duration
}

// Sample is one generated completion.
type Sample struct {
	Prompt       int       `json:"prompt"` // index of the prompt
	Index        int       `json:"index"`  // sample number for that prompt
	PromptTokens []int     `json:"prompt_tokens"`
	Tokens       []int     `json:"tokens"`        // generated ids (EOS included when emitted)
	Text         string    `json:"text"`          // decoded completion, cut before a stop string
	LogProbs     []float64 `json:"logprobs"`      // per token, under the sampling policy
	RawLogProbs  []float64 `json:"raw_logprobs"`  // per token, under the raw model (log_softmax of logits)
	FinishReason string    `json:"finish_reason"` // "eos", "stop" or "length"
}

// Generator samples from a runner, decoding with a tokenizer.
type Generator struct {
	Runner    *lm.Runner
	Tokenizer Tokenizer
}

// New returns a generator.
func New(r *lm.Runner, tok Tokenizer) *Generator { return &Generator{Runner: r, Tokenizer: tok} }

// Bucket returns the smallest power of two >= n and >= least.
func Bucket(n, least int) int {
	b := 1
	for b < n || b < least {
		b <<= 1
	}
	return b
}

func (o *Options) defaults() {
	if o.N <= 0 {
		o.N = 1
	}
	if o.MaxNewTokens <= 0 {
		o.MaxNewTokens = 128
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 8
	}
	if o.MinBucket <= 0 {
		o.MinBucket = 16
	}
	if o.CacheChunk <= 0 {
		o.CacheChunk = 32
	}
}

// LengthBucket rounds a prompt length up to a power of two (>= least) up to
// 64 and to a multiple of 32 above: few shapes to compile, little padding.
func LengthBucket(n, least int) int {
	if b := Bucket(n, least); b <= 64 {
		return b
	}
	return (n + 31) / 32 * 32
}

// Generate encodes the prompts and samples opt.N completions for each,
// returned in (prompt, index) order.
func (g *Generator) Generate(ctx context.Context, prompts []string, opt Options) ([]Sample, error) {
	ids := make([][]int, len(prompts))
	for i, p := range prompts {
		ids[i] = g.Tokenizer.Encode(p, opt.AddSpecial)
	}
	return g.GenerateTokens(ctx, ids, opt)
}

type seqState struct {
	s      *Sample
	rng    *rand.Rand
	seen   map[int]bool
	done   bool
	offset int // length of text already checked for stop strings
}

// GenerateTokens samples from token-id prompts (see Generate).
func (g *Generator) GenerateTokens(ctx context.Context, prompts [][]int, opt Options) ([]Sample, error) {
	opt.defaults()
	cfg := g.Runner.Model.Config
	for i, p := range prompts {
		if len(p) == 0 {
			return nil, fmt.Errorf("prompt %d is empty", i)
		}
		if n := len(p) + opt.MaxNewTokens; n > cfg.MaxPositionEmbeddings && cfg.MaxPositionEmbeddings > 0 {
			return nil, fmt.Errorf("prompt %d: %d tokens + %d new exceed max_position_embeddings %d", i, len(p), opt.MaxNewTokens, cfg.MaxPositionEmbeddings)
		}
		for _, id := range p {
			if id < 0 || id >= cfg.VocabSize {
				return nil, fmt.Errorf("prompt %d: token id %d outside the vocabulary (%d)", i, id, cfg.VocabSize)
			}
		}
	}
	var seqs []*seqState
	for pi, p := range prompts {
		for k := 0; k < opt.N; k++ {
			idx := uint64(len(seqs))
			st := &seqState{
				s:    &Sample{Prompt: pi, Index: k, PromptTokens: p, Tokens: []int{}, LogProbs: []float64{}, RawLogProbs: []float64{}},
				rng:  rand.New(rand.NewPCG(opt.Seed, idx)),
				seen: map[int]bool{},
			}
			for _, id := range p {
				st.seen[id] = true
			}
			seqs = append(seqs, st)
		}
	}
	start := time.Now()
	batches := (len(seqs) + opt.BatchSize - 1) / opt.BatchSize
	var finished, tokens int
	for bi := 0; bi < batches; bi++ {
		lo, hi := bi*opt.BatchSize, min((bi+1)*opt.BatchSize, len(seqs))
		if err := g.runBatch(ctx, seqs[lo:hi], opt, func(step, nfin, ntok, rows int) {
			if opt.Progress != nil {
				opt.Progress(Progress{Batch: bi + 1, Batches: batches, Step: step, MaxSteps: opt.MaxNewTokens,
					Finished: finished + nfin, Total: len(seqs), Tokens: tokens + ntok, Rows: rows, Elapsed: time.Since(start)})
			}
		}); err != nil {
			return nil, err
		}
		for _, s := range seqs[lo:hi] {
			finished++
			tokens += len(s.s.Tokens)
		}
	}
	out := make([]Sample, len(seqs))
	for i, s := range seqs {
		out[i] = *s.s
	}
	return out, nil
}

func (g *Generator) runBatch(ctx context.Context, all []*seqState, opt Options, progress func(step, nfin, ntok, rows int)) error {
	seqs := all // the sequence of each row (rows past it are filler)
	rows := Bucket(len(seqs), 1)
	prompts := make([][]int, rows)
	maxLen := 0
	for i := range prompts {
		if i < len(seqs) {
			prompts[i] = seqs[i].s.PromptTokens
		} else {
			prompts[i] = seqs[0].s.PromptTokens // filler rows: computed, ignored
		}
		maxLen = max(maxLen, len(prompts[i]))
	}
	pb := LengthBucket(maxLen, opt.MinBucket)
	limit := pb + opt.MaxNewTokens
	cache := min(limit, pb+opt.CacheChunk)
	if opt.FixedCache {
		pb = Bucket(maxLen, opt.MinBucket)
		limit = Bucket(pb+opt.MaxNewTokens, opt.MinBucket)
		cache = limit
	}
	batch := lm.PadLeft(prompts, opt.PadID, pb)
	logits, kv, err := g.Runner.Prefill(batch, cache)
	if err != nil {
		return err
	}
	defer kv.Free()
	v := g.Runner.Model.Config.VocabSize
	eos := map[int]bool{}
	for _, e := range opt.EOS {
		eos[e] = true
	}
	next := make([]int32, rows)
	for step := 0; step < opt.MaxNewTokens; step++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		var wg sync.WaitGroup
		for i, s := range seqs {
			if s.done {
				next[i] = int32(opt.PadID)
				continue
			}
			wg.Add(1)
			go func(i int, s *seqState) {
				defer wg.Done()
				row := logits[i*v : (i+1)*v]
				tok, lp, raw := sampleToken(row, s.seen, opt, s.rng)
				next[i] = int32(tok)
				s.s.Tokens = append(s.s.Tokens, tok)
				s.s.LogProbs = append(s.s.LogProbs, lp)
				s.s.RawLogProbs = append(s.s.RawLogProbs, raw)
				s.seen[tok] = true
			}(i, s)
		}
		wg.Wait()
		for _, s := range seqs {
			if !s.done {
				g.checkFinish(s, eos, opt)
			}
			if !s.done && len(s.s.Tokens) >= opt.MaxNewTokens {
				s.done = true
				s.s.FinishReason = "length"
				s.s.Text = g.Tokenizer.Decode(s.s.Tokens, true)
			}
		}
		var live []int // rows still generating
		for i, s := range seqs {
			if !s.done {
				live = append(live, i)
			}
		}
		if nb := Bucket(len(live), MinRows); !opt.KeepRows && len(live) > 0 && nb < rows {
			keep := make([]int, nb)
			ns := make([]*seqState, len(live))
			nn := make([]int32, nb)
			for i := range keep {
				if i < len(live) {
					keep[i], ns[i], nn[i] = live[i], seqs[live[i]], next[live[i]]
				} else {
					keep[i], nn[i] = live[0], int32(opt.PadID) // filler rows: computed, ignored
				}
			}
			if err := g.Runner.Compact(kv, keep); err != nil {
				return err
			}
			seqs, next, rows = ns, nn, nb
		}
		nfin, ntok := 0, 0
		for _, s := range all {
			if s.done {
				nfin++
			}
			ntok += len(s.s.Tokens)
		}
		progress(step+1, nfin, ntok, rows)
		if nfin == len(all) || step == opt.MaxNewTokens-1 {
			break
		}
		for i := len(seqs); i < rows; i++ {
			next[i] = int32(opt.PadID)
		}
		if kv.Next >= kv.C {
			if err := g.Runner.Grow(kv, min(limit, kv.C+opt.CacheChunk)); err != nil {
				return err
			}
		}
		if logits, err = g.Runner.Decode(kv, next); err != nil {
			return err
		}
	}
	return nil
}

// checkFinish marks a sequence done on EOS or a stop string, setting Text.
func (g *Generator) checkFinish(s *seqState, eos map[int]bool, opt Options) {
	last := s.s.Tokens[len(s.s.Tokens)-1]
	if eos[last] {
		s.done = true
		s.s.FinishReason = "eos"
		s.s.Text = g.Tokenizer.Decode(s.s.Tokens[:len(s.s.Tokens)-1], true)
		return
	}
	if len(opt.Stop) == 0 {
		return
	}
	text := g.Tokenizer.Decode(s.s.Tokens, true)
	// Only look where a match could newly end: from the longest stop string
	// before the previously checked end.
	from := s.offset
	for _, st := range opt.Stop {
		from = min(from, max(0, s.offset-len(st)+1))
	}
	from = max(0, min(from, len(text)))
	cut := -1
	for _, st := range opt.Stop {
		if st == "" {
			continue
		}
		if k := strings.Index(text[from:], st); k >= 0 && (cut < 0 || from+k < cut) {
			cut = from + k
		}
	}
	s.offset = len(text)
	if cut >= 0 {
		s.done = true
		s.s.FinishReason = "stop"
		s.s.Text = text[:cut]
	}
}

// SamplingDistribution returns the distribution a token is drawn from given
// a step's raw logits: repetition penalty over the seen tokens, then
// temperature, top-k and top-p, renormalised (zero outside the kept set).
// With temperature 0 (greedy) it is one-hot on the argmax. It sums to 1.
func SamplingDistribution(logits []float32, seen map[int]bool, opt Options) []float64 {
	probs := make([]float64, len(logits))
	z := processed(logits, seen, opt)
	if opt.Temperature <= 0 {
		probs[argmax(z)] = 1
		return probs
	}
	keep := kept(z, opt)
	lse := logSumExp(z, keep)
	for _, i := range keep {
		probs[i] = math.Exp(z[i] - lse)
	}
	return probs
}

// processed applies the repetition penalty and temperature.
func processed(logits []float32, seen map[int]bool, opt Options) []float64 {
	z := make([]float64, len(logits))
	for i, x := range logits {
		z[i] = float64(x)
	}
	if p := opt.RepetitionPenalty; p > 0 && p != 1 {
		for id := range seen {
			if id < 0 || id >= len(z) {
				continue
			}
			if z[id] > 0 {
				z[id] /= p
			} else {
				z[id] *= p
			}
		}
	}
	if t := opt.Temperature; t > 0 && t != 1 {
		for i := range z {
			z[i] /= t
		}
	}
	return z
}

// kept returns the token ids that survive top-k and top-p, in descending
// order of z (ties by id).
func kept(z []float64, opt Options) []int {
	topK := opt.TopK
	topP := opt.TopP
	if topK <= 0 && topP > 0 && topP < 1 {
		if keep, ok := keptTopP(z, topP); ok {
			return keep
		}
	}
	idx := make([]int, len(z))
	for i := range idx {
		idx[i] = i
	}
	if (topK <= 0 || topK >= len(z)) && (topP <= 0 || topP >= 1) {
		return idx
	}
	slices.SortFunc(idx, byScore(z))
	if topK > 0 && topK < len(idx) {
		// Hugging Face keeps every token tied with the k-th.
		kth := z[idx[topK-1]]
		n := topK
		for n < len(idx) && z[idx[n]] == kth {
			n++
		}
		idx = idx[:n]
	}
	if topP > 0 && topP < 1 {
		lse := logSumExp(z, idx)
		cum := 0.0
		n := 0
		for n < len(idx) && cum < topP { // keep tokens until the mass before them reaches top_p
			cum += math.Exp(z[idx[n]] - lse)
			n++
		}
		idx = idx[:max(n, 1)]
	}
	return idx
}

// byScore orders token ids by descending z, ties by id.
func byScore(z []float64) func(a, b int) int {
	return func(a, b int) int {
		switch {
		case z[a] > z[b]:
			return -1
		case z[a] < z[b]:
			return 1
		}
		return a - b
	}
}

// keptTopP is top-p without sorting the whole vocabulary: the tokens
// within a margin of the best are the highest-scoring ones, so when their
// mass reaches top_p the nucleus lies among them, and sorting them alone
// gives the same tokens in the same order as sorting everything (up to the
// rounding of the normaliser, summed here in another order). The
// margin widens until it holds enough mass; ok is false when the nucleus
// could not be settled that way (the caller sorts everything).
func keptTopP(z []float64, topP float64) (keep []int, ok bool) {
	mx := math.Inf(-1)
	for _, x := range z {
		mx = math.Max(mx, x)
	}
	if math.IsInf(mx, 0) || math.IsNaN(mx) {
		return nil, false
	}
	total := 0.0
	for _, x := range z {
		total += math.Exp(x - mx)
	}
	lse := mx + math.Log(total)
	for margin := 4.0; margin <= 64; margin *= 2 {
		cand := keep[:0]
		mass := 0.0
		for i, x := range z {
			if x >= mx-margin {
				cand = append(cand, i)
				mass += math.Exp(x - lse)
			}
		}
		keep = cand
		if mass < topP+1e-9 {
			continue
		}
		slices.SortFunc(cand, byScore(z))
		cum := 0.0
		n := 0
		for n < len(cand) && cum < topP { // as kept: until the mass before a token reaches top_p
			cum += math.Exp(z[cand[n]] - lse)
			n++
		}
		if cum < topP {
			return nil, false
		}
		return cand[:max(n, 1)], true
	}
	return nil, false
}

func logSumExp(z []float64, ids []int) float64 {
	mx := math.Inf(-1)
	for _, i := range ids {
		mx = math.Max(mx, z[i])
	}
	s := 0.0
	for _, i := range ids {
		s += math.Exp(z[i] - mx)
	}
	return mx + math.Log(s)
}

func argmax(z []float64) int {
	best := 0
	for i, x := range z {
		if x > z[best] {
			best = i
		}
	}
	return best
}

// sampleToken draws a token and returns it with its log-probability under
// the sampling policy and under the raw policy.
//
// Without a repetition penalty or top-k (the RL and evaluation settings),
// the sampling policy's terms e^(z_i - max z) are computed once per row and
// step with package native's vector exp (float32, relative error about
// 1e-6) and serve the top-p nucleus, the draw and its log-probability; the
// raw policy's normaliser is summed the same way. The float64 exp passes
// over the vocabulary they replace were a fifth of a generation step's CPU
// time. Other settings, and SamplingDistribution, stay in float64.
func sampleToken(logits []float32, seen map[int]bool, opt Options, rng *rand.Rand) (tok int, lp, raw float64) {
	z := processed(logits, seen, opt)
	mxl := native.Max(logits)
	penalised := opt.RepetitionPenalty > 0 && opt.RepetitionPenalty != 1
	switch {
	case opt.Temperature <= 0:
		tok = argmax(z)
	case !penalised && opt.TopK <= 0:
		// z = logits/T, so e^(z_i - max z) = e^((l_i - max l)/T).
		inv := 1 / opt.Temperature
		terms := make([]float32, len(logits))
		total := native.ExpScaled(terms, logits, mxl, float32(inv))
		var keep []int // nil: every token
		mass := total  // the kept tokens' terms
		if opt.TopP > 0 && opt.TopP < 1 {
			keep = nucleus(z, terms, total, opt.TopP)
			mass = 0
			for _, i := range keep {
				mass += float64(terms[i])
			}
		}
		u := rng.Float64() * mass
		cum := 0.0
		if keep == nil {
			tok = len(z) - 1
			for i, t := range terms {
				if cum += float64(t); u < cum {
					tok = i
					break
				}
			}
		} else {
			tok = keep[len(keep)-1]
			for _, i := range keep {
				if cum += float64(terms[i]); u < cum {
					tok = i
					break
				}
			}
		}
		lp = z[tok] - float64(mxl)*inv - math.Log(mass)
	default:
		keep := kept(z, opt)
		lse := logSumExp(z, keep)
		u := rng.Float64()
		cum := 0.0
		tok = keep[len(keep)-1]
		for _, i := range keep {
			cum += math.Exp(z[i] - lse)
			if u < cum {
				tok = i
				break
			}
		}
		lp = z[tok] - lse
	}
	raw = float64(logits[tok]) - float64(mxl) - math.Log(native.ExpScaled(nil, logits, mxl, 1))
	return tok, lp, raw
}

// nucleus is keptTopP given each token's term e^(z_i - max z) and their
// total: the same tokens in the same order (up to the rounding of the
// terms), found among the tokens within a widening margin of the best,
// or by sorting everything when no margin settles it.
func nucleus(z []float64, terms []float32, total, topP float64) []int {
	mx := math.Inf(-1)
	for _, x := range z {
		mx = max(mx, x)
	}
	var cand []int
	for margin := 4.0; margin <= 64; margin *= 2 {
		cand = cand[:0]
		mass := 0.0
		for i, x := range z {
			if x >= mx-margin {
				cand = append(cand, i)
				mass += float64(terms[i])
			}
		}
		if mass/total < topP+1e-9 {
			continue
		}
		slices.SortFunc(cand, byScore(z))
		if n, ok := nucleusLen(cand, terms, total, topP); ok {
			return cand[:n]
		}
		break
	}
	all := make([]int, len(z))
	for i := range all {
		all[i] = i
	}
	slices.SortFunc(all, byScore(z))
	n, _ := nucleusLen(all, terms, total, topP)
	return all[:n]
}

// nucleusLen counts the tokens of a sorted candidate list that top-p
// keeps: until the mass before a token reaches top_p, at least one; ok is
// false when the candidates run out first.
func nucleusLen(sorted []int, terms []float32, total, topP float64) (n int, ok bool) {
	cum := 0.0
	for n < len(sorted) && cum < topP {
		cum += float64(terms[sorted[n]]) / total
		n++
	}
	return max(n, 1), cum >= topP || n == len(sorted)
}
