package lora

import (
	"fmt"
	"sort"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/securecoderl/securecoderl/stdlib/lm"
	"github.com/securecoderl/securecoderl/stdlib/optim"
)

// TrainConfig holds the optimiser settings: AdamW (decoupled weight decay,
// bias-corrected moments) after clipping the gradients to a global L2 norm.
type TrainConfig struct {
	LR          float64 // learning rate (change it per step with Trainer.SetLR)
	Beta1       float64 // default 0.9
	Beta2       float64 // default 0.999
	Eps         float64 // default 1e-8
	WeightDecay float64 // decoupled, as torch.optim.AdamW (its default is 0.01)
	MaxGradNorm float64 // global-norm clipping threshold; <= 0 disables clipping
	Seed        uint64  // for LoRA dropout
	// Loss is the objective; nil means CrossEntropy.
	Loss LossFn
	// Extra names per-token float inputs the loss reads (e.g.
	// "advantages", "old_logprobs"), given in TrainBatch.Extra.
	Extra []string
}

// DefaultTrainConfig: lr 1e-4, AdamW betas (0.9, 0.999), eps 1e-8, weight
// decay 0.01, clipping at norm 1.0.
func DefaultTrainConfig() TrainConfig {
	return TrainConfig{LR: 1e-4, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.01, MaxGradNorm: 1.0, Seed: 1}
}

// LossFn builds a loss from per-token quantities, all [B, T-1] and aligned
// with the predicted token (column t is about token t+1 of the sequence):
// logp, the log-probability of the token under the current policy (raw: no
// temperature); weights, TrainBatch.LossMask shifted the same way (0 on
// prompt and padding); and the Extra inputs by name. It returns a scalar
// loss sum and the scalar weight it is normalised by: a step minimises
// Σ lossSum / Σ weightSum over its micro-batches.
type LossFn func(logp, weights *Node, extra map[string]*Node) (lossSum, weightSum *Node)

// CrossEntropy is the SFT loss: mean negative log-likelihood of the
// weighted (completion) tokens.
func CrossEntropy(logp, weights *Node, _ map[string]*Node) (*Node, *Node) {
	return Neg(ReduceAllSum(Mul(logp, weights))), ReduceAllSum(weights)
}

// PPOClip is PPO's clipped surrogate objective per token, averaged over the
// weighted tokens. It reads Extra "advantages" and "old_logprobs" (the
// sampling-time log-probs under the raw policy, i.e. generate's
// RawLogProbs, shifted like logp).
func PPOClip(eps float64) LossFn {
	return func(logp, weights *Node, extra map[string]*Node) (*Node, *Node) {
		adv, old := extra["advantages"], extra["old_logprobs"]
		if adv == nil || old == nil {
			panic(fmt.Errorf("PPOClip needs Extra inputs \"advantages\" and \"old_logprobs\""))
		}
		ratio := Exp(Sub(logp, old))
		// Min/Max rather than Clip: GoMLX v0.28.16 has no gradient for Clamp.
		clipped := Min(Max(ratio, Scalar(logp.Graph(), dtypes.Float32, 1-eps)), Scalar(logp.Graph(), dtypes.Float32, 1+eps))
		obj := Min(Mul(ratio, adv), Mul(clipped, adv))
		return Neg(ReduceAllSum(Mul(obj, weights))), ReduceAllSum(weights)
	}
}

// TrainBatch is one micro-batch: a padded batch plus per-token loss
// weights (LossMask [B*T], 1 on completion tokens, 0 on prompt and padding;
// entry t weighs the prediction of token t, so column 0 is never used) and
// the Extra per-token inputs [B*T] the loss reads.
type TrainBatch struct {
	lm.Batch
	LossMask []float32
	Extra    map[string][]float32
}

// CompletionBatch builds a right-padded TrainBatch from (prompt, completion)
// token pairs: the loss covers the completion tokens only.
func CompletionBatch(prompts, completions [][]int, padID int) TrainBatch {
	seqs := make([][]int, len(prompts))
	for i := range prompts {
		seqs[i] = append(append([]int(nil), prompts[i]...), completions[i]...)
	}
	b := lm.PadRight(seqs, padID, 0)
	mask := make([]float32, b.B*b.T)
	for i := range prompts {
		for j := len(prompts[i]); j < len(seqs[i]); j++ {
			mask[i*b.T+j] = 1
		}
	}
	return TrainBatch{Batch: b, LossMask: mask}
}

// Padded returns the batch right-padded to length t (no change when it is
// already that long or longer), e.g. to a power of two so that the step
// graphs, compiled per shape, are reused across batches.
func (b TrainBatch) Padded(t, padID int) TrainBatch {
	if t <= b.T {
		return b
	}
	out := TrainBatch{Batch: lm.Batch{B: b.B, T: t, IDs: make([]int32, b.B*t), Mask: make([]int32, b.B*t)},
		LossMask: make([]float32, b.B*t)}
	if b.Extra != nil {
		out.Extra = map[string][]float32{}
		for k := range b.Extra {
			out.Extra[k] = make([]float32, b.B*t)
		}
	}
	for i := 0; i < b.B; i++ {
		for j := 0; j < t; j++ {
			o := i*t + j
			if j >= b.T {
				out.IDs[o] = int32(padID)
				continue
			}
			in := i*b.T + j
			out.IDs[o], out.Mask[o], out.LossMask[o] = b.IDs[in], b.Mask[in], b.LossMask[in]
			for k, v := range b.Extra {
				out.Extra[k][o] = v[in]
			}
		}
	}
	return out
}

// StepStats reports one optimiser step.
type StepStats struct {
	Step     int     // steps taken so far, this one included
	Loss     float64 // Σ lossSum / Σ weightSum
	Weight   float64 // Σ weightSum (e.g. completion tokens)
	GradNorm float64 // global gradient norm before clipping
	LR       float64
}

// Trainer trains an Adapter on a frozen base model. The base weights are
// graph inputs that no gradient is taken for; only the adapter has
// gradients and AdamW state.
//
// Step donates the adapter's tensors to the update (on an accelerator the
// update is in place) and stores the new ones in Adapter.A and Adapter.B:
// read the adapter through it (or Adapter.Save), not through tensors kept
// from before a step. A Trainer is not safe for concurrent use, including
// with a Runner on the same adapter while Step runs.
type Trainer struct {
	Model   *lm.Model
	Adapter *Adapter
	Config  TrainConfig

	opt      *optim.AdamW
	rng      *tensors.Tensor
	gradExec *Exec
	extra    []string
}

// NewTrainer prepares the step graphs (compiled on first use per shape).
func NewTrainer(m *lm.Model, a *Adapter, cfg TrainConfig) (*Trainer, error) {
	be, err := lm.Backend()
	if err != nil {
		return nil, err
	}
	if cfg.Loss == nil {
		cfg.Loss = CrossEntropy
	}
	oc := optim.Config{Beta1: cfg.Beta1, Beta2: cfg.Beta2, Eps: cfg.Eps, WeightDecay: cfg.WeightDecay, MaxGradNorm: cfg.MaxGradNorm}.WithDefaults()
	cfg.Beta1, cfg.Beta2, cfg.Eps = oc.Beta1, oc.Beta2, oc.Eps
	t := &Trainer{Model: m, Adapter: a, Config: cfg, extra: append([]string(nil), cfg.Extra...)}
	sort.Strings(t.extra)
	if t.opt, err = optim.NewAdamW(be, a.ExtensionParams(), nil, oc); err != nil {
		return nil, err
	}
	if t.rng, err = RNGStateFromSeed(int64(cfg.Seed)); err != nil {
		t.opt.Close()
		return nil, err
	}
	nBase, nAd := len(m.Params()), 2*len(a.Targets)
	// Gradient graph: base..., adapter..., rng, ids, mask, lossMask, extra... →
	// lossSum, weightSum, rng', grads...
	t.gradExec, err = NewExec(be, func(g *Graph, in []*Node) []*Node {
		w, err := lm.NewWeights(m.Config, in[:nBase])
		if err != nil {
			panic(err)
		}
		w.AttentionVJP = true
		ad := in[nBase : nBase+nAd]
		rest := in[nBase+nAd:]
		rngState, ids, mask, lossMask := rest[0], rest[1], rest[2], rest[3]
		var dropout func(x *Node) *Node
		if p := a.Config.Dropout; p > 0 {
			dropout = func(x *Node) *Node {
				var u *Node
				rngState, u = RandomUniform(rngState, x.Shape())
				keep := GreaterOrEqual(u, Scalar(g, x.DType(), p))
				return Where(keep, DivScalar(x, 1-p), ZerosLike(x))
			}
		}
		delta := a.GraphDelta(ad, dropout)
		logp := w.TokenLogProbs(ids, mask, delta)
		T := ids.Shape().Dimensions[1]
		shift := func(x *Node) *Node { return SliceAxis(x, 1, AxisRange(1, T)) }
		extra := map[string]*Node{}
		for i, name := range t.extra {
			extra[name] = shift(rest[4+i])
		}
		lossSum, weightSum := cfg.Loss(logp, shift(lossMask), extra)
		grads := Gradient(lossSum, ad...)
		return append([]*Node{lossSum, weightSum, rngState}, grads...)
	})
	if err != nil {
		t.opt.Close()
		return nil, err
	}
	return t, nil
}

// SetLR changes the learning rate for the next steps (schedules).
func (t *Trainer) SetLR(lr float64) { t.Config.LR = lr }

// Steps is the number of optimiser steps taken.
func (t *Trainer) Steps() int { return t.opt.Steps() }

// Close frees the compiled graphs.
func (t *Trainer) Close() {
	t.gradExec.Finalize()
	t.opt.Close()
}

// Gradients runs forward and backward on one micro-batch and returns the
// loss sum, the weight sum and the (un-normalised) gradients of the loss sum
// w.r.t. the adapter parameters, in ExtensionParams order. It changes no
// parameter (the dropout RNG advances).
func (t *Trainer) Gradients(b TrainBatch) (lossSum, weightSum float64, grads []*tensors.Tensor, err error) {
	if len(b.LossMask) != b.B*b.T {
		return 0, 0, nil, fmt.Errorf("train batch: loss mask has %d entries for %dx%d", len(b.LossMask), b.B, b.T)
	}
	if b.T < 2 {
		return 0, 0, nil, fmt.Errorf("train batch: sequences need at least 2 tokens")
	}
	args := make([]any, 0, len(t.Model.Params())+2*len(t.Adapter.Targets)+4+len(t.extra))
	for _, p := range t.Model.Params() {
		args = append(args, p)
	}
	for _, p := range t.Adapter.ExtensionParams() {
		args = append(args, p)
	}
	ids, mask := b.Tensors()
	args = append(args, t.rng, ids, mask, tensors.FromFlatDataAndDimensions(b.LossMask, b.B, b.T))
	for _, name := range t.extra {
		x, ok := b.Extra[name]
		if !ok || len(x) != b.B*b.T {
			return 0, 0, nil, fmt.Errorf("train batch: extra input %q missing or not %dx%d", name, b.B, b.T)
		}
		args = append(args, tensors.FromFlatDataAndDimensions(x, b.B, b.T))
	}
	out, err := t.gradExec.Call(args...)
	if err != nil {
		return 0, 0, nil, err
	}
	t.rng.FinalizeAll()
	t.rng = out[2]
	lossSum = float64(tensors.ToScalar[float32](out[0]))
	weightSum = float64(tensors.ToScalar[float32](out[1]))
	out[0].FinalizeAll()
	out[1].FinalizeAll()
	return lossSum, weightSum, out[3:], nil
}

// Step takes one optimiser step over one or more micro-batches (gradient
// accumulation): gradients of Σ lossSum / Σ weightSum, clipped to the
// global norm, then AdamW on the adapter parameters only.
func (t *Trainer) Step(batches ...TrainBatch) (StepStats, error) {
	if len(batches) == 0 {
		return StepStats{}, fmt.Errorf("step: no batches")
	}
	var lossSum, weightSum float64
	var acc []*tensors.Tensor
	for _, b := range batches {
		ls, ws, grads, err := t.Gradients(b)
		if err != nil {
			return StepStats{}, err
		}
		lossSum += ls
		weightSum += ws
		if acc, err = t.opt.Accumulate(acc, grads); err != nil {
			return StepStats{}, err
		}
	}
	if weightSum <= 0 {
		for _, x := range acc {
			x.FinalizeAll()
		}
		return StepStats{}, fmt.Errorf("step: the batches have no weighted (completion) tokens")
	}
	out, norm, err := t.opt.Apply(t.Adapter.ExtensionParams(), nil, acc, weightSum, t.Config.LR)
	if err != nil {
		return StepStats{}, err
	}
	for i := range t.Adapter.Targets {
		t.Adapter.A[i], t.Adapter.B[i] = out[2*i], out[2*i+1]
	}
	return StepStats{Step: t.opt.Steps(), Loss: lossSum / weightSum, Weight: weightSum, GradNorm: norm, LR: t.Config.LR}, nil
}

// OptimizerState returns the AdamW first and second moments, in
// ExtensionParams order (one pair per adapter tensor, none for the base).
func (t *Trainer) OptimizerState() (m, v []*tensors.Tensor) { return t.opt.Moments() }

// Policy returns a runner for the current policy (base + adapter,
// unmerged, no dropout): generation and log-probs see every step's update.
func (t *Trainer) Policy() (*lm.Runner, error) { return lm.NewRunner(t.Model, t.Adapter) }
