package rl

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX's graph DSL reads best dot-imported.
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/securecoderl/securecoderl/stdlib/lm"
	"github.com/securecoderl/securecoderl/stdlib/lm/native"
	"github.com/securecoderl/securecoderl/stdlib/lora"
	"github.com/securecoderl/securecoderl/stdlib/optim"
)

// OptimConfig is AdamW (decoupled weight decay, bias-corrected moments)
// after clipping the accumulated gradient to a global L2 norm.
type OptimConfig struct {
	LR          float64 `json:"lr"`            // peak learning rate (Schedule scales it per step)
	Beta1       float64 `json:"beta1"`         // default 0.9
	Beta2       float64 `json:"beta2"`         // default 0.999
	Eps         float64 `json:"eps"`           // default 1e-8
	WeightDecay float64 `json:"weight_decay"`  // decoupled; applied to matrices only (not norms, biases)
	MaxGradNorm float64 `json:"max_grad_norm"` // <= 0: no clipping
}

func (o *OptimConfig) defaults() {
	c := o.adamW()
	o.Beta1, o.Beta2, o.Eps = c.Beta1, c.Beta2, c.Eps
}

func (o OptimConfig) adamW() optim.Config {
	return optim.Config{Beta1: o.Beta1, Beta2: o.Beta2, Eps: o.Eps, WeightDecay: o.WeightDecay, MaxGradNorm: o.MaxGradNorm}.WithDefaults()
}

// ValueHead is PPO's critic: a linear map of the final (normed) hidden
// state, V(s_t) = h_t·W + b. It is trained together with the adapters (the
// gradient of the value loss flows into the shared trunk's adapters too).
type ValueHead struct {
	W *tensors.Tensor // [1, hidden]
	B *tensors.Tensor // [1]
}

// NewValueHead returns a zero-initialised head (V ≡ 0 at the start).
func NewValueHead(hidden int) *ValueHead {
	return &ValueHead{W: tensors.FromFlatDataAndDimensions(make([]float32, hidden), 1, hidden),
		B: tensors.FromFlatDataAndDimensions([]float32{0}, 1)}
}

// Save writes the head as a safetensors file (v_head.weight, v_head.bias).
func (h *ValueHead) Save(path string) error {
	w, err := tensors.CopyFlatData[float32](h.W)
	if err != nil {
		return err
	}
	b, err := tensors.CopyFlatData[float32](h.B)
	if err != nil {
		return err
	}
	return lm.WriteSafetensors(path, []lm.NamedTensor{
		{Name: "v_head.weight", DType: "F32", Shape: []int{1, len(w)}, Data: w},
		{Name: "v_head.bias", DType: "F32", Shape: []int{1}, Data: b},
	}, map[string]string{"format": "pt"})
}

// LoadValueHead reads a head written by Save.
func LoadValueHead(path string, hidden int) (*ValueHead, error) {
	st, err := lm.OpenSafetensors(path)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	w, _, err := st.ReadFloat32("v_head.weight")
	if err != nil {
		return nil, err
	}
	b, _, err := st.ReadFloat32("v_head.bias")
	if err != nil {
		return nil, err
	}
	if len(w) != hidden || len(b) != 1 {
		return nil, fmt.Errorf("%s: value head of %d weights, model hidden size is %d", path, len(w), hidden)
	}
	return &ValueHead{W: tensors.FromFlatDataAndDimensions(w, 1, hidden), B: tensors.FromFlatDataAndDimensions(b, 1)}, nil
}

// Forward gives an Objective the per-token quantities of a micro-batch,
// all [B, T-1-From] and aligned with the predicted token: the column for
// position t is about token t+1 of the sequence, predicted from the prefix
// ids[:t+1].
type Forward struct {
	G *Graph
	// From is the first position t the tensors below hold: the positions
	// before it have no loss weight (prompt tokens), so the step graph
	// leaves them out; the tensors are [B, T-1-From], column c for t =
	// From+c.
	From int
	// LogP is log π(ids[t+1] | ids[:t+1]) under the policy distribution:
	// softmax(logits / Temperature).
	LogP *Node
	// Weights is TrainBatch.LossMask shifted like LogP: 0 on prompt and
	// padding targets.
	Weights *Node
	// Extra holds the TrainBatch.Extra inputs by name, shifted like LogP.
	Extra map[string]*Node

	logits  *Node // [B, T-1, V], temperature applied
	hidden  *Node // [B, T-1, H]
	head    []*Node
	entropy *Node
	values  *Node
}

// Entropy is the entropy of the policy distribution at each position.
func (f *Forward) Entropy() *Node {
	if f.entropy == nil {
		logp := LogSoftmax(f.logits, -1)
		f.entropy = Neg(ReduceSum(Mul(Exp(logp), logp), -1))
	}
	return f.entropy
}

// Values is the value head's estimate V(prefix ids[:t+1]); it panics when
// the trainer has no value head.
func (f *Forward) Values() *Node {
	if f.head == nil {
		panic(fmt.Errorf("rl: the objective reads values but the trainer has no value head"))
	}
	if f.values == nil {
		v := lm.Linear(f.hidden, f.head[0]) // [B, T-1, 1]
		v = Add(v, Reshape(f.head[1], 1, 1, 1))
		d := v.Shape().Dimensions
		f.values = Reshape(v, d[0], d[1])
	}
	return f.values
}

// Objective is a training loss over a micro-batch. Loss returns the loss
// sum, the weight it is normalised by (a step minimises Σ loss / Σ weight
// over its micro-batches) and one scalar per Metrics name (sums, reported
// divided by the same total weight).
type Objective interface {
	Metrics() []string
	Extra() []string
	Loss(f *Forward) (loss, weight *Node, metrics []*Node)
}

// TrainerConfig configures a Trainer.
type TrainerConfig struct {
	Optim OptimConfig
	// Full trains every base weight (full fine-tuning); otherwise the base is
	// frozen and only the adapter (and value head) are trained.
	Full bool
	// Temperature divides the logits before the softmax (0 or 1: the raw
	// policy). PPO trains the distribution it samples from, so this must be
	// the sampling temperature.
	Temperature float64
	Objective   Objective
	// Seed seeds the dropout RNG (a GoMLX RNG state saved in checkpoints).
	Seed uint64
	// Workers is how many micro-batches of a step run at once when there is
	// no dropout (0: one per CPU, at most 2). It changes speed, not results.
	Workers int
}

// Trainer runs optimiser steps on a policy: an lm.Model with an optional
// LoRA adapter and an optional value head. Parameters are updated in place
// (Model is replaced by a model with the new weights when Full; the
// adapter's and head's tensors are replaced), so a Runner built with
// PolicyRunner sees every update. Gradient steps run on package native's
// training pass where it applies (NativeTraining), otherwise on the step
// graph.
type Trainer struct {
	Model   *lm.Model
	Adapter *lora.Adapter
	Head    *ValueHead
	Config  TrainerConfig

	backend   compute.Backend
	trainable []int // indices into the flattened parameter list
	names     []string
	decay     []bool
	opt       *optim.AdamW
	rng       *tensors.Tensor
	metrics   []string
	extra     []string
	execs     *execCache[execKey] // step graphs by kind and first scored position
	nBase     int
	nAd       int
	nHead     int
	runner    *lm.Runner
	merger    *lora.Merger      // for the policy runner's merged weights
	merged    []*tensors.Tensor // the runner's merged weights (freed when replaced)
	fwd       *Forwarder
	nat       *nativeTrainer // gradients on package native, where it applies (nil: the step graph)
}

// NewTrainer prepares the step graphs (compiled on first use per shape).
// With cfg.Full false an adapter is required.
func NewTrainer(m *lm.Model, a *lora.Adapter, head *ValueHead, cfg TrainerConfig) (*Trainer, error) {
	be, err := lm.Backend()
	if err != nil {
		return nil, err
	}
	cfg.Optim.defaults()
	if cfg.Objective == nil {
		cfg.Objective = CrossEntropy{}
	}
	if !cfg.Full && a == nil {
		return nil, fmt.Errorf("rl: a frozen base needs a LoRA adapter to train")
	}
	t := &Trainer{Model: m, Adapter: a, Head: head, Config: cfg, backend: be,
		metrics: cfg.Objective.Metrics(), extra: append([]string(nil), cfg.Objective.Extra()...)}
	sort := slices.Sort[[]string]
	sort(t.extra)
	t.nBase = len(m.Params())
	if a != nil {
		t.nAd = 2 * len(a.Targets)
	}
	if head != nil {
		t.nHead = 2
	}
	if cfg.Full {
		for i, s := range m.Specs() {
			t.trainable = append(t.trainable, i)
			t.names = append(t.names, s.Name)
			t.decay = append(t.decay, len(s.Shape) == 2)
		}
	}
	if a != nil {
		for i, tg := range a.Targets {
			t.trainable = append(t.trainable, t.nBase+2*i, t.nBase+2*i+1)
			t.names = append(t.names, tg.PEFTName()+".lora_A.weight", tg.PEFTName()+".lora_B.weight")
			t.decay = append(t.decay, true, true)
		}
	}
	if head != nil {
		t.trainable = append(t.trainable, t.nBase+t.nAd, t.nBase+t.nAd+1)
		t.names = append(t.names, "v_head.weight", "v_head.bias")
		t.decay = append(t.decay, true, false)
	}
	all := t.params()
	var trainable []*tensors.Tensor
	for _, i := range t.trainable {
		trainable = append(trainable, all[i])
	}
	if t.opt, err = optim.NewAdamW(be, trainable, t.decay, cfg.Optim.adamW()); err != nil {
		return nil, err
	}
	if t.rng, err = RNGStateFromSeed(int64(cfg.Seed)); err != nil {
		t.Close()
		return nil, err
	}
	if err := t.build(); err != nil {
		t.Close()
		return nil, err
	}
	if t.nat, err = newNativeTrainer(t); err != nil {
		t.Close()
		return nil, err
	}
	return t, nil
}

// params is the flattened parameter list: base, adapter (A0, B0, ...), head.
func (t *Trainer) params() []*tensors.Tensor {
	out := append([]*tensors.Tensor(nil), t.Model.Params()...)
	if t.Adapter != nil {
		out = append(out, t.Adapter.ExtensionParams()...)
	}
	if t.Head != nil {
		out = append(out, t.Head.W, t.Head.B)
	}
	return out
}

func (t *Trainer) build() error {
	cfg := t.Config
	mc := t.Model.Config
	nP := t.nBase + t.nAd + t.nHead
	temp := cfg.Temperature
	if temp <= 0 {
		temp = 1
	}
	// Gradient graph (train): params..., rng, ids, mask, lossMask, extra...
	// → loss, weight, metrics..., rng', grads (trainable)...; the evaluation
	// graph is the same forward pass without dropout and without gradients
	// → loss, weight, metrics...
	graph := func(k execKey) func(g *Graph, in []*Node) []*Node {
		train, from := k.train, k.from
		return func(g *Graph, in []*Node) []*Node {
			w, err := lm.NewWeights(mc, in[:t.nBase])
			if err != nil {
				panic(err)
			}
			w.AttentionVJP = train
			rest := in[nP:]
			rngState, ids, mask, lossMask := rest[0], rest[1], rest[2], rest[3]
			var delta lm.Delta
			if t.Adapter != nil {
				var dropout func(x *Node) *Node
				if p := t.Adapter.Config.Dropout; p > 0 && train {
					dropout = func(x *Node) *Node {
						var u *Node
						rngState, u = RandomUniform(rngState, x.Shape())
						keep := GreaterOrEqual(u, Scalar(g, x.DType(), p))
						return Where(keep, DivScalar(x, 1-p), ZerosLike(x))
					}
				}
				delta = t.Adapter.GraphDelta(in[t.nBase:t.nBase+t.nAd], dropout)
			}
			T := ids.Shape().Dimensions[1]
			h := w.Hidden(ids, mask, delta)
			h = SliceAxis(h, 1, AxisRange(from, T-1))
			var head []*Node
			if t.Head != nil {
				head = in[t.nBase+t.nAd : nP]
			}
			out := t.lossNodes(w.Head, head, h, ids, lossMask, rest[4:], from, temp)
			if !train {
				return out
			}
			wrt := make([]*Node, len(t.trainable))
			for i, j := range t.trainable {
				wrt[i] = in[j]
			}
			grads := Gradient(out[0], wrt...)
			out = append(out, rngState)
			return append(out, grads...)
		}
	}
	t.execs = newExecCache(t.backend, graph)
	_, err := t.execs.get(execKey{train: true}) // the common case, and a check that the graph builds
	return err
}

// lossNodes applies the head (headW, lm_head or the tied embeddings) and
// the objective to h [B, T-1-from, H], the final-normed states at
// positions from..T-2: loss, weight, metrics... head holds the value
// head's W and B (nil: none), extra the objective's extra inputs [B, T].
func (t *Trainer) lossNodes(headW *Node, head []*Node, h, ids, lossMask *Node, extra []*Node, from int, temp float64) []*Node {
	T := ids.Shape().Dimensions[1]
	logits := lm.Linear(h, headW)
	if temp != 1 {
		logits = DivScalar(logits, temp)
	}
	targets := SliceAxis(ids, 1, AxisRange(from+1, T))
	shift := func(x *Node) *Node { return SliceAxis(x, 1, AxisRange(from+1, T)) }
	f := &Forward{G: h.Graph(), From: from, LogP: lm.TargetLogProbs(logits, targets), Weights: shift(lossMask),
		Extra: map[string]*Node{}, logits: logits, hidden: h, head: head}
	for i, name := range t.extra {
		f.Extra[name] = shift(extra[i])
	}
	loss, weight, metrics := t.Config.Objective.Loss(f)
	if len(metrics) != len(t.metrics) {
		panic(fmt.Errorf("rl: objective returned %d metrics, declared %d", len(metrics), len(t.metrics)))
	}
	return append([]*Node{loss, weight}, metrics...)
}

// execKey names a compiled step graph: with gradients or not, and the
// first position whose next-token log-prob it computes.
type execKey struct {
	train bool
	from  int
}

// headFromStep is the granularity of the first scored position: few
// graphs to compile, little wasted head.
const headFromStep = 32

// headFrom is the first position of a batch whose next-token log-prob the
// loss reads, rounded down to a multiple of headFromStep: the position
// before the first target with a non-zero loss weight, over all rows.
// The step graph applies the head (a [H, V] product and a softmax over
// the vocabulary at every position) only from there on: the prompt's
// positions, about two thirds of a PPO sequence, carry no loss.
func headFrom(b lora.TrainBatch) int {
	first := b.T
	for i := 0; i < b.B; i++ {
		for j := 1; j < min(first, b.T); j++ {
			if b.LossMask[i*b.T+j] != 0 {
				first = j
				break
			}
		}
	}
	if first >= b.T {
		return 0 // nothing weighted: the graph's shape does not matter
	}
	return roundFrom(first - 1)
}

// roundFrom rounds a first scored position down to a multiple of
// headFromStep.
func roundFrom(pos int) int { return pos / headFromStep * headFromStep }

// Close frees the compiled graphs.
func (t *Trainer) Close() {
	if t.execs != nil {
		t.execs.close()
	}
	if t.opt != nil {
		t.opt.Close()
	}
	if t.runner != nil {
		t.runner.Close()
	}
	if t.merger != nil {
		t.merger.Close()
	}
	for _, w := range t.merged {
		w.FinalizeAll()
	}
	t.merged = nil
	if t.fwd != nil {
		t.fwd.Close()
	}
	if t.nat != nil {
		t.nat.close()
	}
}

// Steps is the number of optimiser steps taken (restored by LoadState).
func (t *Trainer) Steps() int { return t.opt.Steps() }

// ParamNames are the trainable parameters' names, in optimiser order.
func (t *Trainer) ParamNames() []string { return t.names }

// StepStats reports one optimiser step.
type StepStats struct {
	Step     int                `json:"step"`
	Loss     float64            `json:"loss"`   // Σ loss / Σ weight
	Weight   float64            `json:"weight"` // Σ weight (e.g. completion tokens)
	GradNorm float64            `json:"grad_norm"`
	LR       float64            `json:"lr"`
	Metrics  map[string]float64 `json:"metrics,omitempty"` // Σ metric / Σ weight
}

// Eval runs the objective forward on micro-batches, without dropout and
// without gradients, and returns the loss and metrics as a step would
// report them. It changes nothing (not even the dropout RNG).
func (t *Trainer) Eval(batches ...lora.TrainBatch) (StepStats, error) {
	var st StepStats
	st.Metrics = map[string]float64{}
	for _, b := range batches {
		ls, ws, ms, _, err := t.run(false, b)
		if err != nil {
			return st, err
		}
		st.Loss += ls
		st.Weight += ws
		for i, name := range t.metrics {
			st.Metrics[name] += ms[i]
		}
	}
	if st.Weight > 0 {
		st.Loss /= st.Weight
		for k := range st.Metrics {
			st.Metrics[k] /= st.Weight
		}
	}
	return st, nil
}

// run executes the training graph (train: loss, metrics and gradients; the
// dropout RNG advances) or the evaluation graph (loss and metrics) on b.
func (t *Trainer) run(train bool, b lora.TrainBatch) (lossSum, weightSum float64, metrics []float64, grads []*tensors.Tensor, err error) {
	ls, ws, ms, rng, grads, err := t.call(train, t.rng, b)
	if err != nil || !train {
		return ls, ws, ms, nil, err
	}
	t.rng.FinalizeAll()
	t.rng = rng
	return ls, ws, ms, grads, nil
}

// call executes the training or evaluation graph on b with the dropout RNG
// state rng, returning the advanced state when train (the caller owns it).
// It reads the parameters and changes nothing, so calls may run at once.
func (t *Trainer) call(train bool, rngIn *tensors.Tensor, b lora.TrainBatch) (lossSum, weightSum float64, metrics []float64, rng *tensors.Tensor, grads []*tensors.Tensor, err error) {
	return t.callFrom(train, rngIn, b, headFrom(b))
}

// callFrom is call with the head applied from position from on (headFrom,
// or 0 for every position).
func (t *Trainer) callFrom(train bool, rngIn *tensors.Tensor, b lora.TrainBatch, from int) (lossSum, weightSum float64, metrics []float64, rng *tensors.Tensor, grads []*tensors.Tensor, err error) {
	if len(b.LossMask) != b.B*b.T {
		return 0, 0, nil, nil, nil, fmt.Errorf("train batch: loss mask has %d entries for %dx%d", len(b.LossMask), b.B, b.T)
	}
	if b.T < 2 {
		return 0, 0, nil, nil, nil, fmt.Errorf("train batch: sequences need at least 2 tokens")
	}
	for _, name := range t.extra {
		if x, ok := b.Extra[name]; !ok || len(x) != b.B*b.T {
			return 0, 0, nil, nil, nil, fmt.Errorf("train batch: extra input %q missing or not %dx%d", name, b.B, b.T)
		}
	}
	if train && t.NativeTraining() {
		ls, ws, ms, grads, err := t.nat.gradients(t, b, from)
		if err == nil {
			// No dropout: the RNG state is unchanged (a copy: the caller owns it).
			rng, err := rngIn.Clone()
			if err != nil {
				freeAll(grads)
				return 0, 0, nil, nil, nil, err
			}
			return ls, ws, ms, rng, grads, nil
		}
		if !errors.Is(err, errNotNative) {
			return 0, 0, nil, nil, nil, err
		}
	}
	all := t.params()
	args := make([]any, 0, len(all)+4+len(t.extra))
	for _, p := range all {
		args = append(args, p)
	}
	ids, mask := b.Tensors()
	args = append(args, rngIn, ids, mask, tensors.FromFlatDataAndDimensions(b.LossMask, b.B, b.T))
	for _, name := range t.extra {
		args = append(args, tensors.FromFlatDataAndDimensions(b.Extra[name], b.B, b.T))
	}
	exec, err := t.execs.get(execKey{train, from})
	if err != nil {
		return 0, 0, nil, nil, nil, err
	}
	out, err := exec.Call(args...)
	if err != nil {
		return 0, 0, nil, nil, nil, err
	}
	lossSum, weightSum, metrics = t.scalars(out)
	nm := len(t.metrics)
	if !train {
		return lossSum, weightSum, metrics, nil, nil, nil
	}
	return lossSum, weightSum, metrics, out[2+nm], out[3+nm:], nil
}

// scalars reads (and frees) a step graph's leading outputs: the loss sum,
// the weight sum and the metrics.
func (t *Trainer) scalars(out []*tensors.Tensor) (lossSum, weightSum float64, metrics []float64) {
	scalar := func(x *tensors.Tensor) float64 {
		v := float64(tensors.ToScalar[float32](x))
		x.FinalizeAll()
		return v
	}
	lossSum, weightSum = scalar(out[0]), scalar(out[1])
	for i := range t.metrics {
		metrics = append(metrics, scalar(out[2+i]))
	}
	return lossSum, weightSum, metrics
}

// Step takes one optimiser step at learning rate lr over one or more
// micro-batches (gradient accumulation): the gradient of Σ loss / Σ weight,
// clipped to the global norm, then AdamW.
func (t *Trainer) Step(lr float64, batches ...lora.TrainBatch) (StepStats, error) {
	if len(batches) == 0 {
		return StepStats{}, fmt.Errorf("step: no batches")
	}
	st := StepStats{Metrics: map[string]float64{}, LR: lr}
	res, err := t.gradients(batches)
	if err != nil {
		return StepStats{}, err
	}
	var acc []*tensors.Tensor
	for k, r := range res {
		ls, ws, ms, grads := r.loss, r.weight, r.metrics, r.grads
		res[k].grads = nil
		st.Loss += ls
		st.Weight += ws
		for i, name := range t.metrics {
			st.Metrics[name] += ms[i]
		}
		if acc, err = t.opt.Accumulate(acc, grads); err != nil {
			for _, r := range res[k+1:] {
				freeAll(r.grads)
			}
			return StepStats{}, err
		}
	}
	if st.Weight <= 0 {
		for _, x := range acc {
			x.FinalizeAll()
		}
		return StepStats{}, fmt.Errorf("step: the batches have no weighted tokens")
	}
	if l := st.Loss / st.Weight; math.IsNaN(l) || math.IsInf(l, 0) {
		for _, x := range acc {
			x.FinalizeAll()
		}
		// Refuse the update: the parameters and the last checkpoint stay good.
		return StepStats{}, fmt.Errorf("step %d: the loss is %v (the run diverged: lower the learning rate or resume from the last checkpoint)", t.opt.Steps()+1, l)
	}
	all := t.params()
	params := make([]*tensors.Tensor, len(t.trainable))
	keep := make([]bool, len(t.trainable))
	for k, i := range t.trainable {
		params[k] = all[i]
		// Base tensors may be shared with other models (the reference
		// policy); never donate them.
		keep[k] = t.Config.Full && i < t.nBase
	}
	out, norm, err := t.opt.Apply(params, keep, acc, st.Weight, lr)
	if err != nil {
		return StepStats{}, err
	}
	if err := t.setTrainable(out); err != nil {
		return StepStats{}, err
	}
	st.GradNorm = norm
	st.Step = t.opt.Steps()
	st.Loss /= st.Weight
	for k := range st.Metrics {
		st.Metrics[k] /= st.Weight
	}
	return st, nil
}

type gradResult struct {
	loss, weight float64
	metrics      []float64
	grads        []*tensors.Tensor
}

func freeAll(ts []*tensors.Tensor) {
	for _, x := range ts {
		x.FinalizeAll()
	}
}

// gradients runs the training graph on every micro-batch. Without dropout
// (PPO, GRPO: the RNG state is passed through unchanged) up to
// TrainerConfig.Workers micro-batches run at once — the backend keeps only
// part of a second core busy with one — and the results come back in
// order, so the accumulated gradient is the same sum in the same order as
// one at a time. With dropout they run one at a time, each advancing the
// RNG state.
func (t *Trainer) gradients(batches []lora.TrainBatch) ([]gradResult, error) {
	res := make([]gradResult, len(batches))
	workers := t.Config.Workers
	if workers <= 0 {
		workers = min(runtime.NumCPU(), 2)
	}
	if workers == 1 || len(batches) == 1 || (t.Adapter != nil && t.Adapter.Config.Dropout > 0) {
		for k, b := range batches {
			ls, ws, ms, grads, err := t.run(true, b)
			if err != nil {
				for _, r := range res[:k] {
					freeAll(r.grads)
				}
				return nil, err
			}
			res[k] = gradResult{ls, ws, ms, grads}
		}
		return res, nil
	}
	if err := materialize(t.backend, append(t.params(), t.rng)); err != nil {
		return nil, err
	}
	errs := make([]error, len(batches))
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for k, b := range batches {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			ls, ws, ms, rng, grads, err := t.call(true, t.rng, b)
			if err != nil {
				errs[k] = err
				return
			}
			rng.FinalizeAll() // no dropout: the state is unchanged
			res[k] = gradResult{ls, ws, ms, grads}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		for _, r := range res {
			freeAll(r.grads)
		}
		return nil, err
	}
	return res, nil
}

// setTrainable stores new values of the trainable parameters.
func (t *Trainer) setTrainable(vals []*tensors.Tensor) error {
	repl := map[string]*tensors.Tensor{}
	specs := t.Model.Specs()
	for k, i := range t.trainable {
		switch {
		case i < t.nBase:
			repl[specs[i].Name] = vals[k]
		case i < t.nBase+t.nAd:
			j := i - t.nBase
			if j%2 == 0 {
				t.Adapter.A[j/2] = vals[k]
			} else {
				t.Adapter.B[j/2] = vals[k]
			}
		case i == t.nBase+t.nAd:
			t.Head.W = vals[k]
		default:
			t.Head.B = vals[k]
		}
	}
	if len(repl) > 0 {
		nm, err := t.Model.WithParams(repl)
		if err != nil {
			panic(err) // shapes come from the model itself
		}
		t.Model = nm
	}
	return t.syncRunner()
}

// PolicyRunner returns a runner for the current policy (no dropout, raw
// logits), kept in sync with every step. It is owned by the trainer
// (closed by Close).
//
// With an adapter the runner holds the merged weights W + scale·B·A
// (remerged after every optimiser step): a generation step then runs at
// base-model cost, where the unmerged adapter adds two small products, a
// scale and an add to each adapted projection (28 in the study's setup),
// about half again the graph's operations (the pure-Go backend's
// per-operation cost dominates a decoding step). Its logits differ from the unmerged policy's
// (the Forwarder's) by float rounding only.
func (t *Trainer) PolicyRunner() (*lm.Runner, error) {
	if t.runner != nil {
		return t.runner, nil
	}
	m, err := t.policyModel()
	if err != nil {
		return nil, err
	}
	r, err := lm.NewRunner(m, nil)
	if err != nil {
		return nil, err
	}
	t.runner = r
	return r, nil
}

// syncRunner points the policy runner, if any, at the current policy.
func (t *Trainer) syncRunner() error {
	if t.runner == nil {
		return nil
	}
	old := t.merged
	m, err := t.policyModel()
	if err != nil {
		return err
	}
	t.runner.Model = m
	for _, w := range old { // no generation runs during an optimiser step
		w.FinalizeAll()
	}
	return nil
}

// policyModel is the model with the adapter, if any, merged in.
func (t *Trainer) policyModel() (*lm.Model, error) {
	if t.Adapter == nil {
		return t.Model, nil
	}
	if t.merger == nil {
		mg, err := lora.NewMerger()
		if err != nil {
			return nil, err
		}
		t.merger = mg
	}
	m, err := t.merger.Merge(t.Model, t.Adapter)
	if err != nil {
		return nil, err
	}
	t.merged = nil // old ones are syncRunner's to free
	for _, tg := range t.Adapter.Targets {
		t.merged = append(t.merged, m.Param(tg.BaseWeightName()))
	}
	return m, nil
}

// OptimizerState is what a checkpoint needs to continue the optimiser
// exactly: the step count, AdamW's moments by parameter name and the
// dropout RNG state.
type OptimizerState struct {
	Step int
	M, V map[string][]float32
	RNG  []uint64
}

// State copies the optimiser state to the host.
func (t *Trainer) State() (OptimizerState, error) {
	s := OptimizerState{Step: t.opt.Steps(), M: map[string][]float32{}, V: map[string][]float32{}}
	ms, vs := t.opt.Moments()
	for i, name := range t.names {
		m, err := tensors.CopyFlatData[float32](ms[i])
		if err != nil {
			return s, err
		}
		v, err := tensors.CopyFlatData[float32](vs[i])
		if err != nil {
			return s, err
		}
		s.M[name], s.V[name] = m, v
	}
	rng, err := tensors.CopyFlatData[uint64](t.rng)
	if err != nil {
		return s, err
	}
	s.RNG = rng
	return s, nil
}

// SetState restores an optimiser state taken with State.
func (t *Trainer) SetState(s OptimizerState) error {
	var ms, vs [][]float32
	all := t.params()
	for k, name := range t.names {
		m, ok1 := s.M[name]
		v, ok2 := s.V[name]
		if !ok1 || !ok2 {
			return fmt.Errorf("optimizer state: no moments for %s", name)
		}
		if size := all[t.trainable[k]].Shape().Size(); len(m) != size || len(v) != size {
			return fmt.Errorf("optimizer state: %s has %d values, want %d", name, len(m), size)
		}
		ms, vs = append(ms, m), append(vs, v)
	}
	if len(s.RNG) != RNGStateShape.Size() {
		return fmt.Errorf("optimizer state: RNG state of %d words, want %d", len(s.RNG), RNGStateShape.Size())
	}
	if err := t.opt.Restore(s.Step, ms, vs); err != nil {
		return fmt.Errorf("optimizer state: %w", err)
	}
	t.rng.FinalizeAll()
	t.rng = tensors.FromFlatDataAndDimensions(append([]uint64(nil), s.RNG...), RNGStateShape.Dimensions...)
	return nil
}

// Save writes the moments to a safetensors file (m.NAME, v.NAME); the step
// and the RNG state go into the checkpoint's state.json (SaveCheckpoint).
func (s OptimizerState) Save(path string) error {
	var ts []lm.NamedTensor
	names := make([]string, 0, len(s.M))
	for n := range s.M {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		ts = append(ts, lm.NamedTensor{Name: "m." + n, DType: "F32", Shape: []int{len(s.M[n])}, Data: s.M[n]},
			lm.NamedTensor{Name: "v." + n, DType: "F32", Shape: []int{len(s.V[n])}, Data: s.V[n]})
	}
	return lm.WriteSafetensors(path, ts, map[string]string{"format": "scrl-adamw"})
}

// LoadOptimizerMoments reads the moments written by OptimizerState.Save.
func LoadOptimizerMoments(path string) (m, v map[string][]float32, err error) {
	st, err := lm.OpenSafetensors(path)
	if err != nil {
		return nil, nil, err
	}
	defer st.Close()
	m, v = map[string][]float32{}, map[string][]float32{}
	for _, name := range st.Names() {
		x, _, err := st.ReadFloat32(name)
		if err != nil {
			return nil, nil, err
		}
		switch {
		case strings.HasPrefix(name, "m."):
			m[name[2:]] = x
		case strings.HasPrefix(name, "v."):
			v[name[2:]] = x
		default:
			return nil, nil, fmt.Errorf("%s: unexpected tensor %q", filepath.Base(path), name)
		}
	}
	return m, v, nil
}

// Schedule is a learning-rate schedule: linear warmup to the peak, then
// cosine decay to MinRatio·peak at Total steps (constant after).
type Schedule struct {
	Peak     float64 `json:"peak"`
	Warmup   int     `json:"warmup"`
	Total    int     `json:"total"`
	MinRatio float64 `json:"min_ratio"`
}

// LR is the learning rate of (1-based) step.
func (s Schedule) LR(step int) float64 {
	if s.Warmup > 0 && step <= s.Warmup {
		return s.Peak * float64(step) / float64(s.Warmup)
	}
	if s.Total <= s.Warmup {
		return s.Peak
	}
	p := float64(step-s.Warmup) / float64(s.Total-s.Warmup)
	if p > 1 {
		p = 1
	}
	return s.Peak * (s.MinRatio + (1-s.MinRatio)*0.5*(1+math.Cos(math.Pi*p)))
}

// Forwarder computes per-token log-probabilities (under the
// temperature-scaled policy distribution, exactly as the trainer's loss
// sees them) and, with a value head, values, without gradients.
type Forwarder struct {
	execs   *execCache[int] // by the first position scored
	backend compute.Backend
	params  func() []*tensors.Tensor
	hasHead bool
	temp    float64
	// native, when set, gives the same model packed for package native
	// (ok false: use the graph) and the value head's weights: RunFrom then
	// runs without a graph, for right-padded batches.
	native func() (w *native.Weights, vw []float32, vb float32, ok bool, err error)
}

// Materialize moves the forwarder's parameters to the device (a no-op for
// those already there). GoMLX's first host→device conversion of a tensor
// is not safe against a concurrent one, so callers that run forwarders
// sharing tensors at once (the policy and the reference share the base's
// unadapted weights) materialize them first, one forwarder at a time.
func (f *Forwarder) Materialize() error {
	return materialize(f.backend, f.params())
}

func materialize(be compute.Backend, ts []*tensors.Tensor) error {
	for i, t := range ts {
		if err := t.MaterializeOnDevice(be, true, 0); err != nil {
			return fmt.Errorf("parameter %d to the device: %w", i, err)
		}
	}
	return nil
}

func newForwarder(be compute.Backend, mc lm.Config, a *lora.Adapter, nBase, nAd int, hasHead bool, temp float64, params func() []*tensors.Tensor) (*Forwarder, error) {
	if temp <= 0 {
		temp = 1
	}
	nP := nBase + nAd
	if hasHead {
		nP += 2
	}
	graph := func(from int) func(g *Graph, in []*Node) []*Node {
		return func(g *Graph, in []*Node) []*Node {
			w, err := lm.NewWeights(mc, in[:nBase])
			if err != nil {
				panic(err)
			}
			var delta lm.Delta
			if a != nil {
				delta = a.GraphDelta(in[nBase:nBase+nAd], nil)
			}
			ids, mask := in[nP], in[nP+1]
			T := ids.Shape().Dimensions[1]
			h := SliceAxis(w.Hidden(ids, mask, delta), 1, AxisRange(from, T-1))
			logits := w.HeadLogits(h)
			if temp != 1 {
				logits = DivScalar(logits, temp)
			}
			logp := lm.TargetLogProbs(logits, SliceAxis(ids, 1, AxisRange(from+1, T)))
			if !hasHead {
				return []*Node{logp}
			}
			f := &Forward{hidden: h, head: in[nBase+nAd : nP]}
			return []*Node{logp, f.Values()}
		}
	}
	f := &Forwarder{execs: newExecCache(be, graph), backend: be, params: params, hasHead: hasHead, temp: temp}
	if _, err := f.execs.get(0); err != nil {
		return nil, err
	}
	return f, nil
}

// NewReferenceForwarder returns a Forwarder for a frozen model (e.g. the
// reference policy with its adapter merged).
func NewReferenceForwarder(m *lm.Model, temperature float64) (*Forwarder, error) {
	be, err := lm.Backend()
	if err != nil {
		return nil, err
	}
	f, err := newForwarder(be, m.Config, nil, len(m.Params()), 0, false, temperature, m.Params)
	if err != nil {
		return nil, err
	}
	var once sync.Once
	var w *native.Weights
	var ok bool
	var perr error
	f.native = func() (*native.Weights, []float32, float32, bool, error) {
		once.Do(func() { w, ok, perr = lm.PackNative(m) })
		return w, nil, 0, ok, perr
	}
	return f, nil
}

// Forwarder returns the trainer's forward pass over its current
// parameters (no dropout).
func (t *Trainer) Forwarder() (*Forwarder, error) {
	if t.fwd != nil {
		return t.fwd, nil
	}
	f, err := newForwarder(t.backend, t.Model.Config, t.Adapter, t.nBase, t.nAd, t.Head != nil, t.Config.Temperature, t.params)
	if err != nil {
		return nil, err
	}
	// With a policy runner (PPO's), its merged weights, kept in sync with
	// every step, serve the forward pass too.
	f.native = func() (*native.Weights, []float32, float32, bool, error) {
		if t.runner == nil {
			return nil, nil, 0, false, nil
		}
		w, ok, err := t.runner.NativeWeights()
		if !ok || err != nil || t.Head == nil {
			return w, nil, 0, ok, err
		}
		vw, err := tensors.CopyFlatData[float32](t.Head.W)
		if err != nil {
			return nil, nil, 0, false, err
		}
		vb, err := tensors.CopyFlatData[float32](t.Head.B)
		if err != nil {
			return nil, nil, 0, false, err
		}
		return w, vw, vb[0], true, nil
	}
	t.fwd = f
	return f, nil
}

// Run returns logp [B][T-1] and values [B][T-1] (nil without a head).
func (f *Forwarder) Run(b lm.Batch) (logp, values [][]float32, err error) {
	return f.RunFrom(b, 0)
}

// RunFrom is Run for the positions from on only: logp and values are
// [B][T-1-from], column c for position from+c. Leaving out the prompt's
// positions saves their share of the head (a [H, V] product and a softmax
// over the vocabulary per position); pass a multiple of a small step
// (PPO uses 32): each value compiles its own graphs.
func (f *Forwarder) RunFrom(b lm.Batch, from int) (logp, values [][]float32, err error) {
	if from < 0 || from >= b.T-1 {
		return nil, nil, fmt.Errorf("forward: positions from %d of a batch of %d tokens", from, b.T)
	}
	if f.native != nil {
		w, vw, vb, ok, err := f.native()
		if err != nil {
			return nil, nil, err
		}
		if ok && (vw != nil) == f.hasHead {
			logp, values, err = native.Score(w, b.B, b.T, b.IDs, b.Mask, from, f.temp, vw, vb)
			if !errors.Is(err, native.ErrPadding) {
				return logp, values, err
			}
		}
	}
	exec, err := f.execs.get(from)
	if err != nil {
		return nil, nil, err
	}
	args := []any{}
	for _, p := range f.params() {
		args = append(args, p)
	}
	ids, mask := b.Tensors()
	args = append(args, ids, mask)
	out, err := exec.Call(args...)
	if err != nil {
		return nil, nil, err
	}
	rows := func(t *tensors.Tensor) ([][]float32, error) {
		flat, err := tensors.CopyFlatData[float32](t)
		t.FinalizeAll()
		if err != nil {
			return nil, err
		}
		n := b.T - 1 - from
		r := make([][]float32, b.B)
		for i := range r {
			r[i] = flat[i*n : (i+1)*n]
		}
		return r, nil
	}
	if logp, err = rows(out[0]); err != nil {
		return nil, nil, err
	}
	if f.hasHead {
		if values, err = rows(out[1]); err != nil {
			return nil, nil, err
		}
	}
	return logp, values, nil
}

// Close frees the compiled graph.
func (f *Forwarder) Close() { f.execs.close() }
