package rl

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/securecoderl/securecoderl/stdlib/apps"
	"github.com/securecoderl/securecoderl/stdlib/lm"
	"github.com/securecoderl/securecoderl/stdlib/lora"
)

func tinyModel(t testing.TB) *lm.Model {
	t.Helper()
	cfg, err := lm.Preset("tiny")
	if err != nil {
		t.Fatal(err)
	}
	m, err := lm.NewRandom(cfg, lm.RandomOptions{Seed: 7, Std: 0.08, NormJitter: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// tinyModelDir saves a random tiny model (byte vocabulary) to a directory.
func tinyModelDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "tiny")
	if err := tinyModel(t).Save(dir, lm.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	return dir
}

func randomizeB(a *lora.Adapter, seed uint64, std float64) {
	rng := rand.New(rand.NewPCG(seed, 1))
	for i, tg := range a.Targets {
		v := make([]float32, tg.Out*a.Config.R)
		for j := range v {
			v[j] = float32(std * rng.NormFloat64())
		}
		a.B[i] = tensors.FromFlatDataAndDimensions(v, tg.Out, a.Config.R)
	}
}

func flat(t testing.TB, x *tensors.Tensor) []float32 {
	t.Helper()
	v, err := tensors.CopyFlatData[float32](x)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func randIDs(rng *rand.Rand, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = rng.IntN(256)
	}
	return out
}

// gradsOf returns the accumulated (un-normalised) gradients of one batch,
// by trainable parameter, and the loss and weight sums.
func gradsOf(t testing.TB, tr *Trainer, b lora.TrainBatch) (float64, float64, [][]float32) {
	t.Helper()
	ls, ws, _, grads, err := tr.run(true, b)
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]float32, len(grads))
	for i, g := range grads {
		out[i] = flat(t, g)
		g.FinalizeAll()
	}
	return ls, ws, out
}

func maxAbsDiff(a, b [][]float32) float64 {
	d := 0.0
	for i := range a {
		for j := range a[i] {
			d = math.Max(d, math.Abs(float64(a[i][j]-b[i][j])))
		}
	}
	return d
}

func maxAbs(a [][]float32) float64 {
	d := 0.0
	for i := range a {
		for j := range a[i] {
			d = math.Max(d, math.Abs(float64(a[i][j])))
		}
	}
	return d
}

// TestSFTLossMasking: the SFT loss covers completion tokens only. Its value
// is the completion tokens' NLL computed independently (runner log-probs);
// padding (its ids and its amount) changes neither loss nor gradients;
// prompt targets carry no gradient (the gradient equals the gradient of the
// completion-only NLL along random directions, by finite differences); and
// a loss mask that also weighs prompt tokens gives other gradients.
func TestSFTLossMasking(t *testing.T) {
	m := tinyModel(t)
	a, err := lora.New(m.Config, lora.Config{R: 4, Alpha: 8, TargetModules: []string{"q_proj", "v_proj", "down_proj"}}, 3)
	if err != nil {
		t.Fatal(err)
	}
	randomizeB(a, 5, 0.05)
	tr, err := NewTrainer(m, a, nil, TrainerConfig{Optim: OptimConfig{LR: 1e-3}})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	prompts := [][]int{append([]int{lm.ByteBOS}, randIDs(rng, 9)...), append([]int{lm.ByteBOS}, randIDs(rng, 5)...)}
	comps := [][]int{randIDs(rng, 4), append(randIDs(rng, 7), lm.ByteEOS)}
	b := CompletionBatchFor(prompts, comps)
	// (a) the mask: 1 exactly on completion positions.
	for i := range prompts {
		for j := 0; j < b.T; j++ {
			want := float32(0)
			if j >= len(prompts[i]) && j < len(prompts[i])+len(comps[i]) {
				want = 1
			}
			if got := b.LossMask[i*b.T+j]; got != want {
				t.Fatalf("row %d col %d: loss mask %v, want %v", i, j, got, want)
			}
		}
	}
	ls, ws, g0 := gradsOf(t, tr, b)
	if ws != float64(len(comps[0])+len(comps[1])) {
		t.Fatalf("weight %v, want %d completion tokens", ws, len(comps[0])+len(comps[1]))
	}
	// (b) the loss is the completion NLL from an independent forward pass.
	run, err := lm.NewRunner(m, a)
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	nll := func() float64 {
		lp, err := run.TokenLogProbs(b.Batch)
		if err != nil {
			t.Fatal(err)
		}
		s := 0.0
		for i := range prompts {
			for k := range comps[i] {
				s -= float64(lp[i][len(prompts[i])-1+k])
			}
		}
		return s
	}
	if d := math.Abs(nll() - ls); d > 1e-4*math.Abs(ls) {
		t.Fatalf("loss sum %v, completion NLL %v", ls, nll())
	}
	// (c) padding: other pad ids, more padding: same loss and gradients.
	bp := b.Padded(b.T+13, lm.BytePAD)
	for i := range bp.IDs {
		if bp.Mask[i] == 0 {
			bp.IDs[i] = int32(rng.IntN(256))
		}
	}
	ls2, _, g2 := gradsOf(t, tr, bp)
	if math.Abs(ls2-ls) > 1e-5*math.Abs(ls) || maxAbsDiff(g0, g2) > 1e-5*maxAbs(g0) {
		t.Fatalf("padding changed the loss (%v vs %v) or gradients (max diff %g of %g)", ls, ls2, maxAbsDiff(g0, g2), maxAbs(g0))
	}
	// (d) weighing the prompt too changes the gradients (so (e) is not vacuous).
	bw := b
	bw.LossMask = append([]float32(nil), b.LossMask...)
	for i := range prompts {
		for j := 1; j < len(prompts[i]); j++ {
			bw.LossMask[i*b.T+j] = 1
		}
	}
	_, _, gw := gradsOf(t, tr, bw)
	if maxAbsDiff(g0, gw) < 1e-3*maxAbs(g0) {
		t.Fatal("prompt weights do not change the gradient")
	}
	// (e) finite differences of the completion-only NLL along random
	// directions of the adapter's B matrices match the gradient.
	params := a.ExtensionParams()
	for trial := 0; trial < 3; trial++ {
		dir := make([][]float32, len(params))
		dot := 0.0
		for i, p := range params {
			if i%2 == 0 { // A matrices: leave them
				continue
			}
			dir[i] = make([]float32, p.Shape().Size())
			for j := range dir[i] {
				dir[i][j] = float32(rng.NormFloat64())
				dot += float64(dir[i][j] * g0[i][j])
			}
		}
		const h = 2e-3
		shift := func(sign float64) {
			for i := range params {
				if dir[i] == nil {
					continue
				}
				v := flat(t, a.B[i/2])
				for j := range v {
					v[j] += float32(sign * h * float64(dir[i][j]))
				}
				a.B[i/2] = tensors.FromFlatDataAndDimensions(v, a.B[i/2].Shape().Dimensions...)
			}
		}
		shift(1)
		up := nll()
		shift(-2)
		down := nll()
		shift(1)
		fd := (up - down) / (2 * h)
		if math.Abs(fd-dot) > 0.02*math.Abs(dot)+1e-3 {
			t.Fatalf("trial %d: directional derivative %v by finite differences, %v from the gradient", trial, fd, dot)
		}
	}
}

func TestGAEHandComputed(t *testing.T) {
	// γ 0.9, λ 0.8, three steps, rewards only at the end plus a KL penalty.
	r := []float64{-0.1, 0.05, 1.0}
	v := []float64{0.5, 0.4, 0.7}
	adv, ret := GAE(r, v, 0.9, 0.8)
	// δ2 = 1.0 − 0.7 = 0.3;            A2 = 0.3
	// δ1 = 0.05 + 0.9·0.7 − 0.4 = 0.28; A1 = 0.28 + 0.72·0.3 = 0.496
	// δ0 = −0.1 + 0.9·0.4 − 0.5 = −0.24; A0 = −0.24 + 0.72·0.496 = 0.11712
	want := []float64{0.11712, 0.496, 0.3}
	for i := range want {
		if math.Abs(adv[i]-want[i]) > 1e-12 || math.Abs(ret[i]-(want[i]+v[i])) > 1e-12 {
			t.Fatalf("A = %v, R = %v; want A = %v", adv, ret, want)
		}
	}
	// λ = 1, γ = 1: A_t = Σ_{k≥t} r_k − V_t (Monte Carlo).
	adv, _ = GAE(r, v, 1, 1)
	for i := range r {
		mc := 0.0
		for _, x := range r[i:] {
			mc += x
		}
		if math.Abs(adv[i]-(mc-v[i])) > 1e-12 {
			t.Fatalf("λ=1: A_%d = %v, want %v", i, adv[i], mc-v[i])
		}
	}
	// λ = 0: one-step TD error.
	adv, _ = GAE(r, v, 0.9, 0)
	if math.Abs(adv[0]-(-0.24)) > 1e-12 || math.Abs(adv[2]-0.3) > 1e-12 {
		t.Fatalf("λ=0: %v", adv)
	}
}

func TestKLPenaltyAndController(t *testing.T) {
	old := []float64{-1, -2, -0.5}
	ref := []float64{-1.5, -1, -0.5}
	rew, kl := KLPenaltyRewards(0.8, old, ref, 0.1)
	wantKL := []float64{0.5, -1, 0}
	wantR := []float64{-0.05, 0.1, 0.8}
	for i := range kl {
		if math.Abs(kl[i]-wantKL[i]) > 1e-12 || math.Abs(rew[i]-wantR[i]) > 1e-12 {
			t.Fatalf("rewards %v kl %v, want %v %v", rew, kl, wantR, wantKL)
		}
	}
	c := KLController{Coef: 0.1, Target: 6, Horizon: 100}
	c.Update(12, 10) // e clipped to 0.2: β·(1 + 0.2·10/100)
	if math.Abs(c.Coef-0.1*1.02) > 1e-12 {
		t.Fatalf("adaptive β %v, want %v", c.Coef, 0.102)
	}
	c.Update(3, 10) // e = −0.5 → −0.2
	if math.Abs(c.Coef-0.102*0.98) > 1e-12 {
		t.Fatalf("adaptive β %v", c.Coef)
	}
	f := KLController{Coef: 0.1}
	f.Update(100, 10)
	if f.Coef != 0.1 {
		t.Fatal("a fixed coefficient changed")
	}
}

func TestWhitenAndAdvantages(t *testing.T) {
	xs := []float64{1, 2, 3, 4}
	Whiten(xs, true)
	m, s := MeanStd(xs)
	if math.Abs(m) > 1e-12 || math.Abs(s-1) > 1e-6 {
		t.Fatalf("whitened mean %v std %v", m, s)
	}
	ys := []float64{1, 2, 3, 4}
	Whiten(ys, false)
	if m, _ := MeanStd(ys); math.Abs(m-2.5) > 1e-12 {
		t.Fatalf("shiftMean=false moved the mean to %v", m)
	}
	rows := [][]float64{{1, 2}, {3}, {4, 5, 6}}
	WhitenRows(rows, true)
	var all []float64
	for _, r := range rows {
		all = append(all, r...)
	}
	if m, s := MeanStd(all); math.Abs(m) > 1e-12 || math.Abs(s-1) > 1e-6 {
		t.Fatalf("rows whitened jointly: mean %v std %v", m, s)
	}
	g := GroupAdvantages([]float64{1, 0, 0.5, 0.5}, []int{0, 0, 1, 1})
	if math.Abs(g[0]-(0.5/(0.5+1e-4))) > 1e-9 || g[0] != -g[1] || g[2] != 0 || g[3] != 0 {
		t.Fatalf("group advantages %v", g)
	}
	b := BatchMeanAdvantages([]float64{1, 0, 0.5, 0.5})
	if b[0] != 0.5 || b[1] != -0.5 || b[2] != 0 {
		t.Fatalf("batch-mean advantages %v", b)
	}
}

// TestRewardWhiteningKeepsKLWeight: a completion that scores 0.1 more than
// the others but sits 6 nats from the reference is worth less than they are
// at β = 0.05 (0.6 − 0.3 < 0.5), and whitening the rewards must not change
// that. Whitening the scores before adding the penalty (as an earlier
// version did) multiplied the 0.1 gain by 1/std(R) ≈ 30 and made the far
// completion the best one: the policy collapsed onto it.
func TestRewardWhiteningKeepsKLWeight(t *testing.T) {
	for _, algo := range []string{AlgoPPO, AlgoStudy} {
		for _, whiten := range []bool{false, true} {
			cfg, err := DefaultPPOConfig("ppo-fresh")
			if err != nil {
				t.Fatal(err)
			}
			cfg.Algorithm, cfg.WhitenRewards = algo, whiten
			const n = 8
			scores := make([]float64, n)
			seqs := make([]seqData, n)
			for i := range seqs {
				scores[i] = 0.5 + 0.002*float64(i%3) // similar rewards: std ≈ 0.03 with the outlier
				seqs[i] = seqData{oldLogp: []float64{-1, -1, -1}, refLogp: []float64{-1, -1, -1}, values: []float64{0, 0, 0}}
			}
			scores[0] = 0.6
			seqs[0].refLogp = []float64{-3, -3, -3} // 2 nats per token, 6 in all
			kl := advantages(cfg, 0.05, scores, make([]int, n), seqs)
			if math.Abs(kl[0]-6) > 1e-12 || kl[1] != 0 {
				t.Fatalf("%s whiten=%v: sequence KLs %v", algo, whiten, kl)
			}
			for i := 1; i < n; i++ {
				if seqs[0].adv[0] >= seqs[i].adv[0] {
					t.Errorf("%s whiten=%v: the completion 6 nats away (R 0.6) has advantage %.3f ≥ %.3f of completion %d (R %.3f, on the reference)",
						algo, whiten, seqs[0].adv[0], seqs[i].adv[0], i, scores[i])
				}
			}
		}
	}
}

func TestSchedule(t *testing.T) {
	s := Schedule{Peak: 1, Warmup: 10, Total: 110, MinRatio: 0.1}
	if s.LR(5) != 0.5 || s.LR(10) != 1 {
		t.Fatalf("warmup: %v %v", s.LR(5), s.LR(10))
	}
	if math.Abs(s.LR(60)-0.55) > 1e-12 || math.Abs(s.LR(110)-0.1) > 1e-12 || math.Abs(s.LR(500)-0.1) > 1e-12 {
		t.Fatalf("cosine: %v %v %v", s.LR(60), s.LR(110), s.LR(500))
	}
}

// TestPPOObjectiveMath checks the graph's clipped policy loss, clipped value
// loss, clip fraction and approximate KL against a host computation on the
// same log-probs and values.
func TestPPOObjectiveMath(t *testing.T) {
	m := tinyModel(t)
	a, err := lora.New(m.Config, lora.Config{R: 4, Alpha: 8, TargetModules: []string{"q_proj"}}, 3)
	if err != nil {
		t.Fatal(err)
	}
	head := NewValueHead(m.Config.HiddenSize)
	hv := make([]float32, m.Config.HiddenSize)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range hv {
		hv[i] = float32(0.3 * rng.NormFloat64())
	}
	head.W = tensors.FromFlatDataAndDimensions(hv, 1, m.Config.HiddenSize)
	obj := PPOObjective{ClipEps: 0.2, ClipValue: 0.1, VFCoef: 0.5, EntCoef: 0}
	tr, err := NewTrainer(m, a, head, TrainerConfig{Optim: OptimConfig{LR: 1e-3}, Objective: obj, Temperature: 0.7})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	prompts := [][]int{{lm.ByteBOS, 1, 2, 3}, {lm.ByteBOS, 9}}
	comps := [][]int{{4, 5, 6, 7, 8}, {10, 11, 12}}
	b := CompletionBatchFor(prompts, comps)
	fw, err := tr.Forwarder()
	if err != nil {
		t.Fatal(err)
	}
	lp, vals, err := fw.Run(b.Batch)
	if err != nil {
		t.Fatal(err)
	}
	b.Extra = map[string][]float32{}
	for _, k := range obj.Extra() {
		b.Extra[k] = make([]float32, b.B*b.T)
	}
	deltas := []float64{0.5, -0.5, 0.1, 0.0, -0.05, 0.3, -0.3, 0.15}
	var wantPG, wantVF, wantClip, wantKL float64
	n, k := 0.0, 0
	for i := range prompts {
		for c := range comps[i] {
			col := len(prompts[i]) - 1 + c // logp column
			o := i*b.T + col + 1           // token position
			logp, v := float64(lp[i][col]), float64(vals[i][col])
			old := logp - deltas[k%len(deltas)]
			adv := 1.0
			if k%3 == 0 {
				adv = -0.7
			}
			ret := v + 0.4*float64(k%2) - 0.2
			oldV := v - 0.25 + 0.1*float64(k%3)
			k++
			b.Extra["advantages"][o], b.Extra["old_logprobs"][o] = float32(adv), float32(old)
			b.Extra["returns"][o], b.Extra["old_values"][o] = float32(ret), float32(oldV)
			// Host recomputation with the float32-rounded inputs.
			old, adv, ret, oldV = float64(float32(old)), float64(float32(adv)), float64(float32(ret)), float64(float32(oldV))
			ratio := math.Exp(logp - old)
			cl := math.Min(math.Max(ratio, 0.8), 1.2)
			wantPG += -math.Min(ratio*adv, cl*adv)
			vc := oldV + math.Min(math.Max(v-oldV, -0.1), 0.1)
			wantVF += 0.5 * math.Max((v-ret)*(v-ret), (vc-ret)*(vc-ret))
			if math.Abs(ratio-1) > 0.2 {
				wantClip++
			}
			wantKL += (ratio - 1) - math.Log(ratio)
			n++
		}
	}
	st, err := tr.Eval(b)
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, got, want float64) {
		if math.Abs(got-want) > 2e-4*math.Max(1, math.Abs(want)) {
			t.Errorf("%s: graph %v, host %v", name, got, want)
		}
	}
	check("pg_loss", st.Metrics["pg_loss"], wantPG/n)
	check("vf_loss", st.Metrics["vf_loss"], wantVF/n)
	check("clipfrac", st.Metrics["clipfrac"], wantClip/n)
	check("approx_kl", st.Metrics["approx_kl"], wantKL/n)
	check("loss", st.Loss, (wantPG+0.5*wantVF)/n)
	if wantClip == 0 || wantClip == n {
		t.Fatalf("the test should mix clipped and unclipped tokens (%v of %v)", wantClip, n)
	}
	// The value head trains (with the adapters): with zero advantages and no
	// value clipping, steps lower the value loss.
	tr2, err := NewTrainer(m, a, head, TrainerConfig{Optim: OptimConfig{LR: 1e-2}, Objective: PPOObjective{ClipEps: 0.2, VFCoef: 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer tr2.Close()
	for i := range b.Extra["advantages"] {
		b.Extra["advantages"][i] = 0
	}
	before, err := tr2.Eval(b)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if _, err := tr2.Step(1e-2, b); err != nil {
			t.Fatal(err)
		}
	}
	after, err := tr2.Eval(b)
	if err != nil {
		t.Fatal(err)
	}
	if after.Metrics["vf_loss"] >= 0.9*before.Metrics["vf_loss"] {
		t.Fatalf("value loss did not fall: %v → %v", before.Metrics["vf_loss"], after.Metrics["vf_loss"])
	}
}

// TestSeqAndGRPOObjectives checks the study's sequence-level ratio and
// GRPO's k3 KL term against host computations.
func TestSeqAndGRPOObjectives(t *testing.T) {
	m := tinyModel(t)
	prompts := [][]int{{lm.ByteBOS, 1, 2}, {lm.ByteBOS, 9, 8, 7}}
	comps := [][]int{{4, 5, 6}, {10, 11}}
	for _, obj := range []Objective{SeqObjective{ClipEps: 0.2}, GRPOObjective{ClipEps: 0.2, KLCoef: 0.3}} {
		a, _ := lora.New(m.Config, lora.Config{R: 2, Alpha: 2, TargetModules: []string{"v_proj"}}, 1)
		tr, err := NewTrainer(m, a, nil, TrainerConfig{Optim: OptimConfig{LR: 1e-3}, Objective: obj})
		if err != nil {
			t.Fatal(err)
		}
		b := CompletionBatchFor(prompts, comps)
		fw, _ := tr.Forwarder()
		lp, _, err := fw.Run(b.Batch)
		if err != nil {
			t.Fatal(err)
		}
		b.Extra = map[string][]float32{}
		for _, k := range obj.Extra() {
			b.Extra[k] = make([]float32, b.B*b.T)
		}
		seqAdv := []float64{0.6, -0.4}
		var wantPG, wantKL, tokens, wantSeqK3 float64
		for i := range prompts {
			sumDiff, k3 := 0.0, 0.0
			for c := range comps[i] {
				col := len(prompts[i]) - 1 + c
				o := i*b.T + col + 1
				logp := float64(lp[i][col])
				old := float64(float32(logp - 0.05*float64(c+1)))
				ref := float64(float32(logp + 0.2 - 0.1*float64(c)))
				b.Extra["advantages"][o] = float32(seqAdv[i])
				b.Extra["old_logprobs"][o] = float32(old)
				if _, ok := b.Extra["ref_logprobs"]; ok {
					b.Extra["ref_logprobs"][o] = float32(ref)
				}
				sumDiff += logp - old
				k3 += math.Exp(logp-old) - 1 - (logp - old)
				ratio := math.Exp(logp - old)
				cl := math.Min(math.Max(ratio, 0.8), 1.2)
				if _, ok := obj.(GRPOObjective); ok {
					wantPG += -math.Min(ratio*seqAdv[i], cl*seqAdv[i])
					d := ref - logp
					wantKL += math.Exp(d) - d - 1
					tokens++
				}
			}
			if _, ok := obj.(SeqObjective); ok {
				ratio := math.Exp(sumDiff)
				cl := math.Min(math.Max(ratio, 0.8), 1.2)
				wantPG += -math.Min(ratio*seqAdv[i], cl*seqAdv[i])
				wantSeqK3 += k3 / float64(len(comps[i])) // per-token k3, on PPO's scale
				tokens++                                 // one per sequence
			}
		}
		st, err := tr.Eval(b)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(st.Metrics["pg_loss"]-wantPG/tokens) > 2e-4 {
			t.Errorf("%T pg_loss: graph %v, host %v", obj, st.Metrics["pg_loss"], wantPG/tokens)
		}
		if _, ok := obj.(SeqObjective); ok && math.Abs(st.Metrics["approx_kl"]-wantSeqK3/tokens) > 2e-5 {
			t.Errorf("study approx_kl: graph %v, host %v (per-token k3)", st.Metrics["approx_kl"], wantSeqK3/tokens)
		}
		if g, ok := obj.(GRPOObjective); ok {
			if math.Abs(st.Metrics["kl_ref"]-wantKL/tokens) > 2e-5 {
				t.Errorf("GRPO kl: graph %v, host %v", st.Metrics["kl_ref"], wantKL/tokens)
			}
			if math.Abs(st.Loss-(wantPG+g.KLCoef*wantKL)/tokens) > 2e-4 {
				t.Errorf("GRPO loss %v, host %v", st.Loss, (wantPG+g.KLCoef*wantKL)/tokens)
			}
		}
		tr.Close()
	}
}

func TestCursorAndPermutation(t *testing.T) {
	var c Cursor
	a := c.Next(5, 3, 1)
	b := c.Next(5, 4, 1)
	if c.Epoch != 1 || c.Pos != 2 {
		t.Fatalf("cursor %+v", c)
	}
	seen := map[int]bool{}
	for _, x := range append(a, b[:2]...) {
		seen[x] = true
	}
	if len(seen) != 5 {
		t.Fatalf("first epoch is not a permutation: %v %v", a, b)
	}
	var d Cursor
	d.Next(5, 3, 1)
	if got := d.Next(5, 4, 1); got[3] != b[3] {
		t.Fatal("cursor is not deterministic")
	}
}

func TestLoadProblemsSplit(t *testing.T) {
	train, held, err := LoadProblems(context.Background(), nil, 0.2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(train) != 18 || len(held) != 7 {
		t.Fatalf("embedded split %d/%d, want 18/7", len(train), len(held))
	}
}

// TestMetricsLogColumns: a key that first appears in a later row (the
// held-out loss on evaluation steps) gets a CSV column, NaN is logged as
// null, and a resumed log keeps every column.
func TestMetricsLogColumns(t *testing.T) {
	dir := t.TempDir()
	ml, err := OpenMetrics(dir, -1)
	if err != nil {
		t.Fatal(err)
	}
	rows := []map[string]any{
		{"step": 1, "loss": 2.0},
		{"step": 2, "loss": 1.5, "heldout_loss": 1.7, "stage": map[string]float64{"parses": 0.5}},
		{"step": 3, "loss": math.NaN()},
	}
	for _, r := range rows {
		if err := ml.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	ml.Close()
	csvText := string(readFile(t, filepath.Join(dir, MetricsCSV)))
	want := "step,heldout_loss,loss,stage.parses\n1,,2,\n2,1.7,1.5,0.5\n3,,,\n"
	if csvText != want {
		t.Fatalf("metrics.csv:\n%s\nwant:\n%s", csvText, want)
	}
	got, err := ReadMetrics(dir)
	if err != nil || len(got) != 3 || got[2]["loss"] != nil {
		t.Fatalf("metrics.jsonl rows %v (%v): NaN should read back as null", got, err)
	}
	// Resume after step 2: step 3 is dropped, the columns stay.
	ml, err = OpenMetrics(dir, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := ml.Append(map[string]any{"step": 3, "loss": 1.0}); err != nil {
		t.Fatal(err)
	}
	ml.Close()
	want = "step,heldout_loss,loss,stage.parses\n1,,2,\n2,1.7,1.5,0.5\n3,,1,\n"
	if csvText = string(readFile(t, filepath.Join(dir, MetricsCSV))); csvText != want {
		t.Fatalf("metrics.csv after resume:\n%s\nwant:\n%s", csvText, want)
	}
}

// TestEvalHasNoDropout: Eval is the loss of the policy as it generates (no
// LoRA dropout), the same on every call, while training steps see dropout.
func TestEvalHasNoDropout(t *testing.T) {
	m := tinyModel(t)
	a, err := lora.New(m.Config, lora.Config{R: 4, Alpha: 8, Dropout: 0.5, TargetModules: []string{"q_proj", "v_proj", "down_proj"}}, 3)
	if err != nil {
		t.Fatal(err)
	}
	randomizeB(a, 5, 0.5)
	tr, err := NewTrainer(m, a, nil, TrainerConfig{Optim: OptimConfig{LR: 1e-3}, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	rng := rand.New(rand.NewPCG(3, 4))
	prompts := [][]int{append([]int{lm.ByteBOS}, randIDs(rng, 6)...)}
	comps := [][]int{append(randIDs(rng, 9), lm.ByteEOS)}
	b := CompletionBatchFor(prompts, comps)
	run, err := lm.NewRunner(m, a)
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	lp, err := run.TokenLogProbs(b.Batch)
	if err != nil {
		t.Fatal(err)
	}
	nll := 0.0
	for k := range comps[0] {
		nll -= float64(lp[0][len(prompts[0])-1+k])
	}
	nll /= float64(len(comps[0]))
	e1, err := tr.Eval(b)
	if err != nil {
		t.Fatal(err)
	}
	e2, _ := tr.Eval(b)
	if e1.Loss != e2.Loss || math.Abs(e1.Loss-nll) > 1e-4*nll {
		t.Fatalf("Eval losses %v, %v; the policy's NLL is %v", e1.Loss, e2.Loss, nll)
	}
	ls, ws, _ := gradsOf(t, tr, b)
	if math.Abs(ls/ws-nll) < 1e-4*nll {
		t.Fatalf("the training graph's loss %v equals the dropout-free NLL: dropout is off in training", ls/ws)
	}
}

// TestClearForFresh: starting over keeps an earlier run's logs (moved
// under previous/) and removes its checkpoints.
func TestClearForFresh(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{RolloutsLog: "{\"step\":1}\n", MetricsJSONL: "{\"step\":1}\n", MetricsCSV: ""} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{CkptDir, CkptDir + ".old"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, d, StateFile), []byte("{}"), 0o644)
	}
	if err := clearForFresh(dir); err != nil {
		t.Fatal(err)
	}
	if FindCheckpoint(dir) != "" || exists(filepath.Join(dir, RolloutsLog)) || exists(filepath.Join(dir, MetricsCSV)) {
		t.Fatal("checkpoints or logs left in place")
	}
	prev, _ := filepath.Glob(filepath.Join(dir, "previous", "*", RolloutsLog))
	if len(prev) != 1 || string(readFile(t, prev[0])) != "{\"step\":1}\n" {
		t.Fatalf("the earlier rollouts were not kept: %v", prev)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "previous", "*", MetricsJSONL)); len(m) != 1 {
		t.Fatal("the earlier metrics were not kept")
	}
}

// TestUniqueIDs: problems sharing an id (the shared mapcoder file has 12
// such pairs, different problems each) get distinct keys after the split,
// and the split itself is the one by the file's ids.
func TestUniqueIDs(t *testing.T) {
	ps := []apps.Problem{{ID: "a"}, {ID: "b"}, {ID: "a"}, {ID: "a"}}
	uniqueIDs(ps)
	if got := []string{ps[0].ID, ps[1].ID, ps[2].ID, ps[3].ID}; !slices.Equal(got, []string{"a", "b", "a#2", "a#3"}) {
		t.Fatalf("ids %v", got)
	}
	dir := os.Getenv("SCRL_DATA_DIR")
	if dir == "" {
		dir = "../../../shared/data"
	}
	path := filepath.Join(dir, "apps", "apps_stdin_mapcoder_teamcoder.jsonl")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("shared data not found: %v", err)
	}
	train, held, err := LoadProblems(context.Background(), []string{path}, 0.2, 1)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	renamed := 0
	for _, p := range append(append([]apps.Problem(nil), train...), held...) {
		if seen[Key(p)] {
			t.Fatalf("duplicate key %s", Key(p))
		}
		seen[Key(p)] = true
		if strings.Contains(p.ID, "#") {
			renamed++
		}
	}
	if renamed != 12 {
		t.Fatalf("%d renamed ids, want 12", renamed)
	}
}

// TestLoadSplitsSynthetic: a synthetic source is split by its split field
// (held-out = test + test-unseen-family, valid in neither side), an APPS
// file by apps.Split, and SplitProblems samples every split it is asked for.
func TestLoadSplitsSynthetic(t *testing.T) {
	ctx := context.Background()
	src := "synth:n=600:seed=3"
	splits, err := LoadSplits(ctx, []string{src, "embedded"}, 0.2, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"train", "valid", "test", "test-unseen-family", "heldout"} {
		if len(splits[name]) == 0 {
			t.Errorf("no problems in split %s", name)
		}
	}
	train, held, err := LoadProblems(ctx, []string{src}, 0.2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(train) != len(splits["train"])-18 || len(held) != len(splits["test"])+len(splits["test-unseen-family"]) {
		t.Errorf("LoadProblems: %d train, %d held out; splits %d/%d/%d", len(train), len(held), len(splits["train"]), len(splits["test"]), len(splits["test-unseen-family"]))
	}
	for _, p := range held {
		if !IsHeldoutSplit(p.Split) {
			t.Fatalf("%s of split %s among the held-out problems", p.ID, p.Split)
		}
	}
	sample, err := HeldoutProblems(ctx, []string{src}, 0.2, 1, 20)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]int{}
	for _, p := range sample {
		by[p.Split]++
	}
	if len(sample) != 20 || by["test"] == 0 || by["test-unseen-family"] == 0 {
		t.Errorf("a sample of 20 held-out problems: %d, by split %v", len(sample), by)
	}
	valid, err := SplitProblems(ctx, []string{src}, 0.2, 1, []string{"valid"}, 0)
	if err != nil || len(valid) != len(splits["valid"]) {
		t.Errorf("valid: %d of %d, %v", len(valid), len(splits["valid"]), err)
	}
	if _, err := SplitProblems(ctx, []string{src}, 0.2, 1, []string{"tset"}, 0); err == nil || !strings.Contains(err.Error(), `"tset"`) {
		t.Errorf("unknown split: %v", err)
	}
}

// TestShippedTokenizerRoundTrip: the shipped base model's tokenizer (its
// ids are checked against Hugging Face's Rust tokenizer by the golden tests
// of stdlib/tokenizer) gives back every statement and reference solution of
// the default synthetic set exactly.
func TestShippedTokenizerRoundTrip(t *testing.T) {
	tok, err := LoadTokenizer(filepath.Join("..", "..", "models", "scrl-base"))
	if err != nil {
		t.Fatal(err)
	}
	ps, _, err := apps.Load(context.Background(), "synth", apps.Options{})
	if err != nil {
		t.Fatal(err)
	}
	bytes, tokens := 0, 0
	for _, p := range ps {
		for _, s := range append(append([]string{p.Statement}, p.Solutions...), p.InsecureSolutions...) {
			ids := tok.EncodeOrdinary(s, false)
			if got := tok.Decode(ids, false); got != s {
				t.Fatalf("%s: round trip differs:\n%q\n%q", p.ID, s, got)
			}
			bytes, tokens = bytes+len(s), tokens+len(ids)
		}
	}
	if r := float64(bytes) / float64(tokens); r < 2 {
		t.Errorf("%.2f bytes per token on the synthetic set", r)
	}
}

func TestEqualScores(t *testing.T) {
	for _, tc := range []struct {
		name   string
		algo   string
		scores []float64
		groups []int
		want   bool
	}{
		{"all zero", AlgoPPO, []float64{0, 0, 0, 0}, []int{0, 0, 1, 1}, true},
		{"constant with rounding residue", AlgoPPO, []float64{0.4, 0.4 + 1e-16, 0.4, 0.4}, []int{0, 0, 1, 1}, true},
		{"one differs", AlgoPPO, []float64{0, 0, 0, 0.2}, []int{0, 0, 1, 1}, false},
		{"study objective", AlgoStudy, []float64{1, 1}, []int{0, 1}, true},
		{"grpo: groups constant, batch not", AlgoGRPO, []float64{0, 0, 1, 1}, []int{0, 0, 1, 1}, true},
		{"ppo: groups constant, batch not", AlgoPPO, []float64{0, 0, 1, 1}, []int{0, 0, 1, 1}, false},
		{"grpo: one group varies", AlgoGRPO, []float64{0, 0.5, 1, 1}, []int{0, 0, 1, 1}, false},
		{"empty", AlgoPPO, nil, nil, true},
	} {
		if got := EqualScores(tc.algo, tc.scores, tc.groups); got != tc.want {
			t.Errorf("%s: EqualScores = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestConcurrentMicroBatches: without dropout a step runs its
// micro-batches at once (TrainerConfig.Workers); the result is the same,
// bit for bit, as one at a time: the same gradients summed in the same
// order.
func TestConcurrentMicroBatches(t *testing.T) {
	m := tinyModel(t)
	obj := PPOObjective{ClipEps: 0.2, ClipValue: 0.2, VFCoef: 0.5, EntCoef: 0.01}
	rng := rand.New(rand.NewPCG(7, 8))
	var batches []lora.TrainBatch
	for k := 0; k < 3; k++ {
		prompts := [][]int{append([]int{lm.ByteBOS}, randIDs(rng, 5+k)...), append([]int{lm.ByteBOS}, randIDs(rng, 3)...)}
		comps := [][]int{randIDs(rng, 4+k), randIDs(rng, 6)}
		b := CompletionBatchFor(prompts, comps)
		b.Extra = map[string][]float32{}
		for _, name := range obj.Extra() {
			x := make([]float32, b.B*b.T)
			for i := range x {
				x[i] = float32(rng.NormFloat64() * 0.3)
			}
			b.Extra[name] = x
		}
		batches = append(batches, b)
	}
	step := func(workers int) ([][]float32, StepStats) {
		a, err := lora.New(m.Config, lora.Config{R: 4, Alpha: 8, TargetModules: []string{"q_proj", "v_proj", "down_proj"}}, 3)
		if err != nil {
			t.Fatal(err)
		}
		randomizeB(a, 5, 0.05)
		tr, err := NewTrainer(m, a, NewValueHead(m.Config.HiddenSize), TrainerConfig{Optim: OptimConfig{LR: 1e-2}, Objective: obj, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		defer tr.Close()
		var st StepStats
		for i := 0; i < 2; i++ {
			if st, err = tr.Step(1e-2, batches...); err != nil {
				t.Fatal(err)
			}
		}
		var out [][]float32
		for _, p := range append(a.ExtensionParams(), tr.Head.W) {
			v, err := tensors.CopyFlatData[float32](p)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, v)
		}
		return out, st
	}
	one, st1 := step(1)
	two, st2 := step(2)
	if !reflect.DeepEqual(one, two) {
		t.Fatal("parameters after two steps differ between one and two micro-batches at a time")
	}
	if st1.Loss != st2.Loss || st1.GradNorm != st2.GradNorm {
		t.Fatalf("step stats differ: %+v vs %+v", st1, st2)
	}
}

// TestHeadFrom: leaving out the prompt positions (no loss weight) from the
// head changes nothing the objective computes: loss, weight, metrics and
// gradients match the graph that scores every position.
func TestHeadFrom(t *testing.T) {
	m := tinyModel(t)
	a, err := lora.New(m.Config, lora.Config{R: 4, Alpha: 8, TargetModules: []string{"q_proj", "v_proj", "down_proj"}}, 3)
	if err != nil {
		t.Fatal(err)
	}
	randomizeB(a, 5, 0.05)
	head := NewValueHead(m.Config.HiddenSize)
	obj := PPOObjective{ClipEps: 0.2, ClipValue: 0.1, VFCoef: 0.5, EntCoef: 0.01}
	tr, err := NewTrainer(m, a, head, TrainerConfig{Optim: OptimConfig{LR: 1e-3}, Objective: obj, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	rng := rand.New(rand.NewPCG(7, 8))
	prompts := [][]int{append([]int{lm.ByteBOS}, randIDs(rng, 70)...), append([]int{lm.ByteBOS}, randIDs(rng, 41)...)}
	comps := [][]int{randIDs(rng, 12), append(randIDs(rng, 30), lm.ByteEOS)}
	b := CompletionBatchFor(prompts, comps)
	b.Extra = map[string][]float32{}
	for _, name := range obj.Extra() {
		x := make([]float32, b.B*b.T)
		for i := range x {
			x[i] = float32(rng.NormFloat64())
			if name == "old_logprobs" {
				x[i] = -5 + 0.5*x[i]
			}
		}
		b.Extra[name] = x
	}
	from := headFrom(b)
	if from != 32 {
		t.Fatalf("headFrom = %d, want 32 (the shorter prompt has 42 tokens)", from)
	}
	l0, w0, m0, _, g0, err := tr.callFrom(true, tr.rng, b, 0)
	if err != nil {
		t.Fatal(err)
	}
	l1, w1, m1, _, g1, err := tr.callFrom(true, tr.rng, b, from)
	if err != nil {
		t.Fatal(err)
	}
	close := func(what string, x, y float64) {
		if math.Abs(x-y) > 1e-4*math.Max(1, math.Abs(x)) {
			t.Fatalf("%s: %v scoring every position, %v from %d", what, x, y, from)
		}
	}
	close("loss", l0, l1)
	close("weight", w0, w1)
	for i := range m0 {
		close(tr.metrics[i], m0[i], m1[i])
	}
	for i := range g0 {
		x, _ := tensors.CopyFlatData[float32](g0[i])
		y, _ := tensors.CopyFlatData[float32](g1[i])
		var norm, diff float64
		for k := range x {
			norm += float64(x[k]) * float64(x[k])
			diff += float64(x[k]-y[k]) * float64(x[k]-y[k])
		}
		if norm == 0 || math.Sqrt(diff) > 1e-4*math.Sqrt(norm) {
			t.Fatalf("gradient %s: |Δ| %.3g for |g| %.3g", tr.names[i], math.Sqrt(diff), math.Sqrt(norm))
		}
	}
	// The forward pass PPO's old log-probs and values come from.
	fw, err := tr.Forwarder()
	if err != nil {
		t.Fatal(err)
	}
	lpAll, vAll, err := fw.Run(b.Batch)
	if err != nil {
		t.Fatal(err)
	}
	lp, v, err := fw.RunFrom(b.Batch, from)
	if err != nil {
		t.Fatal(err)
	}
	for i := range lp {
		if len(lp[i]) != b.T-1-from || len(v[i]) != b.T-1-from {
			t.Fatalf("row %d: %d log-probs, %d values from %d of %d tokens", i, len(lp[i]), len(v[i]), from, b.T)
		}
		for c := range lp[i] {
			close(fmt.Sprintf("logp[%d][%d]", i, from+c), float64(lpAll[i][from+c]), float64(lp[i][c]))
			close(fmt.Sprintf("value[%d][%d]", i, from+c), float64(vAll[i][from+c]), float64(v[i][c]))
		}
	}
	if _, _, err := fw.RunFrom(b.Batch, b.T-1); err == nil {
		t.Fatal("RunFrom past the last position: no error")
	}
}

// TestNativeForward: with a policy runner, the trainer's Forwarder scores
// right-padded batches on package native (merged weights, value head);
// log-probs and values match the graph's (the same Forwarder without the
// native path), and so do the reference forwarder's.
func TestNativeForward(t *testing.T) {
	m := tinyModel(t)
	a, err := lora.New(m.Config, lora.Config{R: 4, Alpha: 8, TargetModules: []string{"q_proj", "v_proj", "down_proj"}}, 3)
	if err != nil {
		t.Fatal(err)
	}
	randomizeB(a, 5, 0.05)
	rng := rand.New(rand.NewPCG(9, 10))
	head := randomHead(m.Config.HiddenSize, rng, 1, 0.3)
	tr, err := NewTrainer(m, a, head, TrainerConfig{Optim: OptimConfig{LR: 1e-3}, Objective: PPOObjective{ClipEps: 0.2, VFCoef: 0.5}, Temperature: 0.7, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	runner, err := tr.PolicyRunner()
	if err != nil {
		t.Fatal(err)
	}
	if !runner.Native {
		t.Skip("the native decoder cannot run here")
	}
	seqs := [][]int{append([]int{lm.ByteBOS}, randIDs(rng, 70)...), append([]int{lm.ByteBOS}, randIDs(rng, 41)...), {lm.ByteBOS, 'a'}}
	b := lm.PadRight(seqs, lm.BytePAD, 80)
	ref, err := NewReferenceForwarder(m, 0.7)
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	for _, f := range []*Forwarder{must(tr.Forwarder()), ref} {
		if _, _, _, ok, err := f.native(); !ok || err != nil {
			t.Fatalf("ref=%v: no native path (ok %v, err %v)", f == ref, ok, err)
		}
		for _, from := range []int{0, 32} {
			lp, vals, err := f.RunFrom(b, from)
			if err != nil {
				t.Fatal(err)
			}
			nat := f.native
			f.native = nil
			glp, gvals, err := f.RunFrom(b, from)
			f.native = nat
			if err != nil {
				t.Fatal(err)
			}
			if (vals == nil) != (gvals == nil) || (vals == nil) != (f == ref) {
				t.Fatalf("values: native %v, graph %v", vals != nil, gvals != nil)
			}
			for r, s := range seqs {
				for p := from; p < len(s)-1; p++ {
					c := p - from
					if d := math.Abs(float64(lp[r][c] - glp[r][c])); d > 2e-4 {
						t.Fatalf("ref=%v from %d row %d pos %d: logp native %g, graph %g", f == ref, from, r, p, lp[r][c], glp[r][c])
					}
					if vals != nil && math.Abs(float64(vals[r][c]-gvals[r][c])) > 2e-4*math.Max(1, math.Abs(float64(gvals[r][c]))) {
						t.Fatalf("from %d row %d pos %d: value native %g, graph %g", from, r, p, vals[r][c], gvals[r][c])
					}
				}
			}
		}
	}
}

// randomHead is a value head with N(0, std²) weights and the given bias.
func randomHead(hidden int, rng *rand.Rand, std float64, bias float32) *ValueHead {
	hw := make([]float32, hidden)
	for i := range hw {
		hw[i] = float32(std * rng.NormFloat64())
	}
	return &ValueHead{W: tensors.FromFlatDataAndDimensions(hw, 1, hidden), B: tensors.FromFlatDataAndDimensions([]float32{bias}, 1)}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
