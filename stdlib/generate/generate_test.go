package generate

import (
	"context"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/securecoderl/securecoderl/stdlib/lm"
	"github.com/securecoderl/securecoderl/stdlib/tokenizer"
)

func tinyRunner(t testing.TB) *lm.Runner {
	cfg, err := lm.Preset("tiny")
	if err != nil {
		t.Fatal(err)
	}
	m, err := lm.NewRandom(cfg, lm.RandomOptions{Seed: 21, Std: 0.15, NormJitter: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	r, err := lm.NewRunner(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r
}

var byteTok = tokenizer.NewByteTokenizer()

var prompts = []string{"def add(a, b):\n", "print(", "import sys\nfor line in sys.stdin:"}

func baseOptions() Options {
	return Options{N: 2, MaxNewTokens: 24, Temperature: 0.8, TopK: 40, TopP: 0.9, RepetitionPenalty: 1.1,
		PadID: lm.BytePAD, AddSpecial: true, Seed: 42, BatchSize: 4}
}

func TestDeterminism(t *testing.T) {
	g := New(tinyRunner(t), byteTok)
	opt := baseOptions()
	a, err := g.Generate(context.Background(), prompts, opt)
	if err != nil {
		t.Fatal(err)
	}
	b, err := g.Generate(context.Background(), prompts, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed, different samples")
	}
	if len(a) != len(prompts)*opt.N {
		t.Fatalf("%d samples", len(a))
	}
	// One stream per sequence: the batch size does not change the samples.
	opt.BatchSize = 1
	c, err := g.Generate(context.Background(), prompts, opt)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		if !reflect.DeepEqual(a[i].Tokens, c[i].Tokens) {
			t.Fatalf("sample %d differs between batch sizes 4 and 1:\n%v\n%v", i, a[i].Tokens, c[i].Tokens)
		}
	}
	opt.Seed = 43
	d, _ := g.Generate(context.Background(), prompts, opt)
	same := 0
	for i := range a {
		if reflect.DeepEqual(a[i].Tokens, d[i].Tokens) {
			same++
		}
	}
	if same == len(a) {
		t.Fatal("a different seed gave the same samples")
	}
	if reflect.DeepEqual(a[0].Tokens, a[1].Tokens) {
		t.Fatal("two samples of one prompt are identical")
	}
}

// TestGreedyMatchesForward: greedy decoding with the KV cache picks the
// argmax of a full forward pass at every step.
func TestGreedyMatchesForward(t *testing.T) {
	r := tinyRunner(t)
	g := New(r, byteTok)
	opt := Options{MaxNewTokens: 12, PadID: lm.BytePAD, AddSpecial: true}
	out, err := g.Generate(context.Background(), prompts, opt)
	if err != nil {
		t.Fatal(err)
	}
	v := r.Model.Config.VocabSize
	for _, s := range out {
		seq := append(append([]int(nil), s.PromptTokens...), s.Tokens...)
		logits, err := r.Logits(lm.PadLeft([][]int{seq}, lm.BytePAD, 0))
		if err != nil {
			t.Fatal(err)
		}
		for k, tok := range s.Tokens {
			row := logits[(len(s.PromptTokens)-1+k)*v : (len(s.PromptTokens)+k)*v]
			best := 0
			for i := range row {
				if row[i] > row[best] {
					best = i
				}
			}
			if best != tok {
				t.Fatalf("prompt %d step %d: greedy %d, forward argmax %d", s.Prompt, k, tok, best)
			}
			if s.LogProbs[k] != 0 {
				t.Fatalf("greedy log-prob %g, want 0", s.LogProbs[k])
			}
		}
	}
}

// TestLogProbConsistency: the sampling-policy log-probs are the log of a
// distribution (recomputed from a full forward pass) that sums to one, and
// the raw log-probs match the forward pass's log_softmax.
func TestLogProbConsistency(t *testing.T) {
	r := tinyRunner(t)
	g := New(r, byteTok)
	// Every sampling path: the filters with a penalty (float64 throughout),
	// temperature only and temperature with top-p (normalisers from
	// float32 vector sums).
	temp := baseOptions()
	temp.TopK, temp.TopP, temp.RepetitionPenalty = 0, 0, 0
	topP := temp
	topP.TopP = 0.9
	for name, opt := range map[string]Options{"filters": baseOptions(), "temperature": temp, "top-p": topP} {
		t.Run(name, func(t *testing.T) { checkLogProbs(t, r, g, opt) })
	}
}

func checkLogProbs(t *testing.T, r *lm.Runner, g *Generator, opt Options) {
	out, err := g.Generate(context.Background(), prompts, opt)
	if err != nil {
		t.Fatal(err)
	}
	v := r.Model.Config.VocabSize
	var worstRaw, worstSample float64
	differ := 0
	for _, s := range out {
		seq := append(append([]int(nil), s.PromptTokens...), s.Tokens...)
		b := lm.PadLeft([][]int{seq}, lm.BytePAD, 0)
		logits, err := r.Logits(b)
		if err != nil {
			t.Fatal(err)
		}
		lp, err := r.TokenLogProbs(b)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int]bool{}
		for _, id := range s.PromptTokens {
			seen[id] = true
		}
		for k, tok := range s.Tokens {
			pos := len(s.PromptTokens) - 1 + k
			row := logits[pos*v : (pos+1)*v]
			dist := SamplingDistribution(row, seen, opt)
			sum := 0.0
			for _, p := range dist {
				sum += p
			}
			if math.Abs(sum-1) > 1e-9 {
				t.Fatalf("sampling distribution sums to %g", sum)
			}
			if dist[tok] == 0 {
				t.Fatalf("sampled token %d has zero probability under the sampling policy", tok)
			}
			worstSample = math.Max(worstSample, math.Abs(math.Log(dist[tok])-s.LogProbs[k]))
			worstRaw = math.Max(worstRaw, math.Abs(float64(lp[0][pos])-s.RawLogProbs[k]))
			if math.Abs(s.LogProbs[k]-s.RawLogProbs[k]) > 1e-3 {
				differ++
			}
			seen[tok] = true
		}
	}
	t.Logf("worst |Δ| sampling-policy logprob %.2e, raw logprob %.2e; %d tokens where the two policies differ", worstSample, worstRaw, differ)
	if worstSample > 1e-4 || worstRaw > 1e-4 {
		t.Fatal("log-probs inconsistent with a forward pass")
	}
	if differ == 0 {
		t.Fatal("sampling and raw log-probs never differ: test is vacuous")
	}
}

func TestStopStringsAndEOS(t *testing.T) {
	g := New(tinyRunner(t), byteTok)
	opt := baseOptions()
	opt.N = 1
	opt.MaxNewTokens = 40
	full, err := g.Generate(context.Background(), prompts[:1], opt)
	if err != nil {
		t.Fatal(err)
	}
	f := full[0]
	if f.FinishReason != "length" || len(f.Tokens) != 40 {
		t.Fatalf("unconstrained: %q after %d tokens", f.FinishReason, len(f.Tokens))
	}
	if len(f.Text) < 8 {
		t.Fatalf("text too short to cut: %q", f.Text)
	}
	stop := f.Text[len(f.Text)/2 : len(f.Text)/2+2]
	opt.Stop = []string{"never-there", stop}
	cut, err := g.Generate(context.Background(), prompts[:1], opt)
	if err != nil {
		t.Fatal(err)
	}
	c := cut[0]
	want := f.Text[:strings.Index(f.Text, stop)]
	if c.FinishReason != "stop" || c.Text != want {
		t.Fatalf("stop %q: got %q (%s), want %q", stop, c.Text, c.FinishReason, want)
	}
	if !reflect.DeepEqual(c.Tokens, f.Tokens[:len(c.Tokens)]) || len(c.Tokens) >= len(f.Tokens) {
		t.Fatalf("stopped tokens are not a prefix: %v vs %v", c.Tokens, f.Tokens)
	}
	if !strings.Contains(byteTok.Decode(c.Tokens, true), stop) {
		t.Fatal("stopped before the stop string was complete")
	}
	if len(c.LogProbs) != len(c.Tokens) || len(c.RawLogProbs) != len(c.Tokens) {
		t.Fatal("log-probs not aligned with tokens")
	}
	// EOS: make the 5th generated token an end-of-sequence id.
	opt.Stop = nil
	opt.EOS = []int{f.Tokens[4]}
	e, err := g.Generate(context.Background(), prompts[:1], opt)
	if err != nil {
		t.Fatal(err)
	}
	first := 0
	for first < len(f.Tokens) && f.Tokens[first] != f.Tokens[4] {
		first++
	}
	if e[0].FinishReason != "eos" || len(e[0].Tokens) != first+1 || e[0].Text != byteTok.Decode(f.Tokens[:first], true) {
		t.Fatalf("eos: %s after %d tokens (want %d), text %q", e[0].FinishReason, len(e[0].Tokens), first+1, e[0].Text)
	}
}

func TestProgressAndBuckets(t *testing.T) {
	if Bucket(1, 16) != 16 || Bucket(17, 16) != 32 || Bucket(3, 1) != 4 || Bucket(64, 16) != 64 {
		t.Fatal("Bucket")
	}
	g := New(tinyRunner(t), byteTok)
	opt := baseOptions()
	opt.N = 3
	opt.BatchSize = 2
	opt.MaxNewTokens = 5
	var calls []Progress
	opt.Progress = func(p Progress) { calls = append(calls, p) }
	out, err := g.Generate(context.Background(), prompts, opt)
	if err != nil {
		t.Fatal(err)
	}
	last := calls[len(calls)-1]
	if last.Batches != 5 || last.Batch != 5 || last.Total != 9 || last.Finished != 9 || len(calls) != 25 {
		t.Fatalf("progress: %d calls, last %+v", len(calls), last)
	}
	tokens := 0
	for _, s := range out {
		tokens += len(s.Tokens)
	}
	if last.Tokens != tokens {
		t.Fatalf("progress counted %d tokens, samples have %d", last.Tokens, tokens)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.Generate(ctx, prompts, opt); err == nil {
		t.Fatal("cancelled context did not stop generation")
	}
}

func TestSamplingDistributionFilters(t *testing.T) {
	logits := []float32{3, 1, 2, 0, 2}
	opt := Options{Temperature: 1, TopK: 2}
	d := SamplingDistribution(logits, nil, opt)
	// Ties with the k-th survive (HF): tokens 0, 2 and 4.
	if d[1] != 0 || d[3] != 0 || d[0] == 0 || d[2] == 0 || d[4] == 0 {
		t.Fatalf("top-k: %v", d)
	}
	opt = Options{Temperature: 1, TopP: 0.5}
	d = SamplingDistribution(logits, nil, opt)
	if d[0] != 1 {
		t.Fatalf("top-p 0.5 should keep only the top token (p=%.3f): %v", math.Exp(3)/(math.Exp(3)+math.Exp(1)+2*math.Exp(2)+1), d)
	}
	opt = Options{Temperature: 1, RepetitionPenalty: 2}
	d = SamplingDistribution([]float32{2, 2, -1, -1}, map[int]bool{0: true, 2: true}, opt)
	if !(d[0] < d[1] && d[2] < d[3]) {
		t.Fatalf("repetition penalty: %v", d)
	}
}

// TestGrowingCache: a cache that starts short and grows several times
// gives the samples of one allocated whole (FixedCache), and the growth
// happens (a chunk of 8 slots for 40 new tokens).
func TestGrowingCache(t *testing.T) {
	g := New(tinyRunner(t), byteTok)
	opt := baseOptions()
	opt.MaxNewTokens, opt.CacheChunk = 40, 8
	grown, err := g.Generate(context.Background(), prompts, opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.FixedCache = true
	fixed, err := g.Generate(context.Background(), prompts, opt)
	if err != nil {
		t.Fatal(err)
	}
	long := 0
	for i := range grown {
		if !reflect.DeepEqual(grown[i].Tokens, fixed[i].Tokens) {
			t.Fatalf("sample %d differs between a growing and a fixed cache:\n%v\n%v", i, grown[i].Tokens, fixed[i].Tokens)
		}
		for k, lp := range grown[i].RawLogProbs {
			if d := math.Abs(lp - fixed[i].RawLogProbs[k]); d > 1e-4 {
				t.Fatalf("sample %d token %d: log-prob %.6f vs %.6f", i, k, lp, fixed[i].RawLogProbs[k])
			}
		}
		if len(grown[i].Tokens) > 8 {
			long++
		}
	}
	if long == 0 {
		t.Fatal("no sample outgrew the first cache chunk")
	}
}

func TestLengthBucket(t *testing.T) {
	for _, c := range []struct{ n, least, want int }{
		{1, 16, 16}, {17, 16, 32}, {64, 16, 64}, {65, 16, 96}, {166, 16, 192}, {272, 16, 288}, {288, 16, 288},
	} {
		if got := LengthBucket(c.n, c.least); got != c.want {
			t.Errorf("LengthBucket(%d, %d) = %d, want %d", c.n, c.least, got, c.want)
		}
	}
}

// TestKeptTopP: top-p without a full sort keeps the tokens, in the order,
// of sorting the whole vocabulary (TopK = vocabulary size forces the full
// sort), on peaked, flat and tied distributions.
func TestKeptTopP(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 300; trial++ {
		z := make([]float64, 2048)
		scale := []float64{0.1, 1, 3, 10, 40}[trial%5]
		for i := range z {
			z[i] = rng.NormFloat64() * scale
			if trial%7 == 0 {
				z[i] = math.Round(z[i]) // ties
			}
		}
		// nucleus (sampleToken's path) from float32 terms e^(z - max z).
		mx := slices.Max(z)
		terms := make([]float32, len(z))
		total := 0.0
		for i, x := range z {
			terms[i] = float32(math.Exp(x - mx))
			total += float64(terms[i])
		}
		for _, p := range []float64{0.3, 0.9, 0.95, 0.999} {
			got := kept(z, Options{TopP: p})
			want := kept(z, Options{TopP: p, TopK: len(z)})
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("trial %d top-p %v: %d tokens kept, the full sort keeps %d", trial, p, len(got), len(want))
			}
			if nu := nucleus(z, terms, total, p); !reflect.DeepEqual(nu, want) {
				t.Fatalf("trial %d top-p %v: nucleus keeps %d tokens, the full sort %d", trial, p, len(nu), len(want))
			}
		}
	}
}

// TestCompactRows: dropping finished rows from a batch (the default) gives
// the samples of decoding every row to the end (KeepRows), and the batch
// does shrink, to MinRows rows at the least.
func TestCompactRows(t *testing.T) {
	g := New(tinyRunner(t), byteTok)
	opt := baseOptions()
	opt.N, opt.BatchSize, opt.MaxNewTokens = 5, 16, 40
	for c := 'a'; c <= 'z'; c++ { // many ends: the rows finish at different steps
		opt.EOS = append(opt.EOS, int(c))
	}
	var rows []int
	opt.Progress = func(p Progress) { rows = append(rows, p.Rows) }
	compact, err := g.Generate(context.Background(), prompts, opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.KeepRows, opt.Progress = true, nil
	kept, err := g.Generate(context.Background(), prompts, opt)
	if err != nil {
		t.Fatal(err)
	}
	lengths := map[int]bool{}
	for i := range kept {
		if !reflect.DeepEqual(compact[i].Tokens, kept[i].Tokens) || compact[i].Text != kept[i].Text {
			t.Fatalf("sample %d differs with row compaction:\n%v\n%v", i, compact[i].Tokens, kept[i].Tokens)
		}
		for k, lp := range kept[i].RawLogProbs {
			if d := math.Abs(lp - compact[i].RawLogProbs[k]); d > 1e-4 {
				t.Fatalf("sample %d token %d: log-prob %.6f vs %.6f", i, k, compact[i].RawLogProbs[k], lp)
			}
		}
		lengths[len(kept[i].Tokens)] = true
	}
	if len(lengths) < 3 {
		t.Fatalf("the samples' lengths %v do not vary: nothing to compact", lengths)
	}
	t.Logf("rows %v lengths %v", rows, lengths)
	if rows[0] != 16 || slices.Min(rows) != MinRows {
		t.Fatalf("rows per step %v: want 16 at first, down to %d", rows, MinRows)
	}
	if !slices.IsSortedFunc(rows, func(a, b int) int { return b - a }) {
		t.Fatalf("rows per step %v grew", rows)
	}
}
