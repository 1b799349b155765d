package rl

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX's graph DSL reads best dot-imported.
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/securecoderl/securecoderl/stdlib/lm"
	"github.com/securecoderl/securecoderl/stdlib/lm/native"
	"github.com/securecoderl/securecoderl/stdlib/lora"
)

// nativeTrainer runs a Trainer's gradient micro-batches with the decoder
// on package native: its training pass (the frozen base with the adapter
// unmerged, forward and backward) up to the final-normed hidden states,
// and a small graph for the rest (the head, the value head and the
// objective, with their gradients with respect to the hidden states and
// the value head). The step graph computes the same gradient; the pure-Go
// backend spends about three times as long on it, most of it in generic
// products, transposes and elementwise passes over the decoder's
// activations.
//
// It is used when only an adapter (and value head) are trained, without
// dropout, on batches padded on the
// right (each row's tokens first), on the pure-Go backend with the
// assembly kernels (lm.PackNative's conditions).
type nativeTrainer struct {
	w    *native.Weights // the frozen base
	head *tensors.Tensor // lm_head (or the tied embeddings)
	exec *Exec           // the loss graph; compiled per shape

	mu   sync.Mutex
	ad   *native.Adapter   // the adapter's current values on the host
	seen []*tensors.Tensor // the tensors ad was read from
}

// newNativeTrainer returns the native path for t, or nil where it does not
// apply.
func newNativeTrainer(t *Trainer) (*nativeTrainer, error) {
	if t.Config.Full || t.Adapter == nil || t.Adapter.Config.Dropout > 0 {
		return nil, nil
	}
	w, ok, err := lm.PackNative(t.Model)
	if err != nil || !ok {
		return nil, err
	}
	name := "lm_head.weight"
	if t.Model.Config.TieWordEmbeddings {
		name = "model.embed_tokens.weight"
	}
	n := &nativeTrainer{w: w, head: t.Model.Param(name)}
	if n.head == nil {
		return nil, fmt.Errorf("rl: native training: the model has no %s", name)
	}
	temp := t.Config.Temperature
	if temp <= 0 {
		temp = 1
	}
	// Loss graph: headW, [vW, vB], h [B, T-1-from, H], ids, lossMask,
	// extra... → loss, weight, metrics..., dh, [dvW, dvB].
	n.exec, err = NewExec(t.backend, func(g *Graph, in []*Node) []*Node {
		headW := in[0]
		var vh []*Node
		if t.Head != nil {
			vh = in[1:3]
		}
		rest := in[1+len(vh):]
		h, ids, lossMask := rest[0], rest[1], rest[2]
		from := ids.Shape().Dimensions[1] - 1 - h.Shape().Dimensions[1]
		out := t.lossNodes(headW, vh, h, ids, lossMask, rest[3:], from, temp)
		return append(out, Gradient(out[0], append([]*Node{h}, vh...)...)...)
	})
	if err != nil {
		return nil, err
	}
	n.exec = n.exec.SetMaxCache(-1)
	return n, nil
}

// NativeTraining reports whether the trainer's gradient steps run on
// package native's training pass (see nativeTrainer) rather than the step
// graph; the results are the same up to float rounding. A batch the pass
// does not take (not padded on the right) still runs on the graph.
func (t *Trainer) NativeTraining() bool { return t.nat != nil && t.Adapter.Config.Dropout == 0 }

func (n *nativeTrainer) close() {
	if n.exec != nil {
		n.exec.Finalize()
	}
}

// adapter returns the adapter's values for package native, read again
// when the trainer has replaced its tensors.
func (n *nativeTrainer) adapter(a *lora.Adapter) (*native.Adapter, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	cur := append(slices.Clone(a.A), a.B...)
	if n.ad != nil && slices.Equal(cur, n.seen) {
		return n.ad, nil
	}
	mc := a.ModelConfig
	ad := &native.Adapter{R: a.Config.R, Scale: float32(a.Config.Scale()),
		A: make([][native.NumModules][]float32, mc.NumHiddenLayers), B: make([][native.NumModules][]float32, mc.NumHiddenLayers)}
	for i, tg := range a.Targets {
		m := slices.Index(lm.Modules, tg.Module)
		if m < 0 || tg.Layer < 0 || tg.Layer >= mc.NumHiddenLayers {
			return nil, fmt.Errorf("rl: native training: adapter target %d (layer %d, %s) out of range", i, tg.Layer, tg.Module)
		}
		av, err := tensors.CopyFlatData[float32](a.A[i])
		if err != nil {
			return nil, err
		}
		bv, err := tensors.CopyFlatData[float32](a.B[i])
		if err != nil {
			return nil, err
		}
		ad.A[tg.Layer][m], ad.B[tg.Layer][m] = av, bv
	}
	n.ad, n.seen = ad, cur
	return ad, nil
}

// errNotNative: a batch the native path does not take (the caller runs the
// step graph).
var errNotNative = errors.New("rl: batch not for the native training pass")

// gradients is callFrom's training case on the native path: the loss sum,
// weight sum, metrics and the gradients in trainable order.
func (n *nativeTrainer) gradients(t *Trainer, b lora.TrainBatch, from int) (lossSum, weightSum float64, metrics []float64, grads []*tensors.Tensor, err error) {
	ad, err := n.adapter(t.Adapter)
	if err != nil {
		return 0, 0, nil, nil, err
	}
	tape, err := native.Forward(n.w, ad, b.B, b.T, b.IDs, b.Mask, from)
	if errors.Is(err, native.ErrPadding) {
		return 0, 0, nil, nil, fmt.Errorf("%w: %w", errNotNative, err)
	}
	if err != nil {
		return 0, 0, nil, nil, err
	}
	H := t.Model.Config.HiddenSize
	args := []any{n.head}
	if t.Head != nil {
		args = append(args, t.Head.W, t.Head.B)
	}
	args = append(args, tensors.FromFlatDataAndDimensions(tape.Hidden, b.B, b.T-1-from, H), tensors.FromFlatDataAndDimensions(b.IDs, b.B, b.T),
		tensors.FromFlatDataAndDimensions(b.LossMask, b.B, b.T))
	for _, name := range t.extra {
		args = append(args, tensors.FromFlatDataAndDimensions(b.Extra[name], b.B, b.T))
	}
	out, err := n.exec.Call(args...)
	if err != nil {
		return 0, 0, nil, nil, err
	}
	lossSum, weightSum, metrics = t.scalars(out)
	rest := out[2+len(t.metrics):]
	dh, err := tensors.CopyFlatData[float32](rest[0])
	rest[0].FinalizeAll()
	if err != nil {
		freeAll(rest[1:])
		return 0, 0, nil, nil, err
	}
	g, err := tape.Backward(dh)
	if err != nil {
		freeAll(rest[1:])
		return 0, 0, nil, nil, err
	}
	for _, tg := range t.Adapter.Targets {
		m := slices.Index(lm.Modules, tg.Module)
		r := t.Adapter.Config.R
		grads = append(grads, tensors.FromFlatDataAndDimensions(g.A[tg.Layer][m], r, tg.In),
			tensors.FromFlatDataAndDimensions(g.B[tg.Layer][m], tg.Out, r))
	}
	return lossSum, weightSum, metrics, append(grads, rest[1:]...), nil
}
