package lm

import (
	"fmt"
	"math"
	"slices"

	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX's graph DSL reads best dot-imported.
)

// Delta adds a term to the output of a linear projection: called with the
// layer index, the module name ("q_proj", ... "down_proj") and the
// projection's input x [..., in]; it returns a [..., out] node to add, or nil
// for none. LoRA adapters are Deltas.
type Delta func(layer int, module string, x *Node) *Node

// LayerWeights are one decoder layer's parameters as graph nodes.
type LayerWeights struct {
	InputNorm, PostNorm *Node
	Proj                map[string]*Node // by module name; HF layout [out, in]
}

// Weights are the model's parameters as graph nodes, with the graph-level
// forward passes. Build one per graph with NewWeights.
type Weights struct {
	Config      Config
	Embed, Norm *Node
	Head        *Node // lm_head, or the embeddings when tied
	Layers      []LayerWeights
	// AttentionVJP makes Hidden's attention carry its own backward
	// (attentionVJP): for graphs that take gradients. Forward values are
	// the same either way.
	AttentionVJP bool
}

// NewWeights wraps parameter nodes given in Config.ParamSpecs order.
func NewWeights(cfg Config, params []*Node) (*Weights, error) {
	specs := cfg.ParamSpecs()
	if len(params) < len(specs) {
		return nil, fmt.Errorf("NewWeights: %d parameter nodes, config needs %d", len(params), len(specs))
	}
	for i, s := range specs {
		if !equalInts(params[i].Shape().Dimensions, s.Shape) {
			return nil, fmt.Errorf("tensor %q: node shape %s, want %v", s.Name, params[i].Shape(), s.Shape)
		}
	}
	w := &Weights{Config: cfg, Embed: params[0]}
	i := 1
	for l := 0; l < cfg.NumHiddenLayers; l++ {
		lw := LayerWeights{Proj: map[string]*Node{}}
		lw.InputNorm = params[i]
		i++
		for _, m := range Modules {
			if m == "gate_proj" {
				lw.PostNorm = params[i]
				i++
			}
			lw.Proj[m] = params[i]
			i++
		}
		w.Layers = append(w.Layers, lw)
	}
	w.Norm = params[i]
	i++
	if cfg.TieWordEmbeddings {
		w.Head = w.Embed
	} else {
		w.Head = params[i]
	}
	return w, nil
}

// Linear computes x·Wᵀ for an HF-layout weight W [out, in]: [..., in] →
// [..., out].
//
// The leading axes are flattened into one first, so the product is a plain
// 2-D matmul: its gradients then need only 2-D transposes, which the pure-Go
// backend has a fast path for (a rank-3 product's weight gradient contracts
// over two axes and went through its generic transpose).
func Linear(x, weight *Node) *Node {
	if x.Rank() <= 2 {
		return DotGeneral(x, []int{x.Rank() - 1}, nil, weight, []int{1}, nil)
	}
	dims := x.Shape().Dimensions
	in := dims[len(dims)-1]
	y := DotGeneral(Reshape(x, x.Shape().Size()/in, in), []int{1}, nil, weight, []int{1}, nil)
	out := append(slices.Clone(dims[:len(dims)-1]), weight.Shape().Dimensions[0])
	return Reshape(y, out...)
}

func (w *Weights) proj(layer int, module string, x *Node, delta Delta) *Node {
	y := Linear(x, w.Layers[layer].Proj[module])
	if delta != nil {
		if d := delta(layer, module, x); d != nil {
			y = Add(y, d)
		}
	}
	return y
}

// RMSNorm normalizes the last axis: x / sqrt(mean(x²) + eps) · weight.
func RMSNorm(x, weight *Node, eps float64) *Node {
	variance := ReduceAndKeep(Square(x), ReduceMean, -1)
	normed := Div(x, Sqrt(AddScalar(variance, eps))) // Rsqrt has no gradient in GoMLX v0.28.16
	dims := make([]int, x.Rank())
	for i := range dims {
		dims[i] = 1
	}
	dims[len(dims)-1] = weight.Shape().Dimensions[0]
	return Mul(normed, Reshape(weight, dims...))
}

// ropeTables returns the rotary cos and sin tables for x [B,S,heads,hd] at
// float positions [B,S] (already divided by the linear scaling factor),
// broadcast to x's full shape once per graph: a multiply that broadcasts
// over a middle axis goes through the pure-Go backend's generic index
// iterator, so each layer's q and k multiply elementwise instead (and so
// do their gradients). The broadcast adds the heads axis (rank 3 → 4): the
// backend folds a broadcast that keeps the rank back into the operation
// that uses it (its ImplicitBroadcastFusion pass), iterator and all.
func (w *Weights) ropeTables(positions *Node, heads int) (cos, sin *Node) {
	g := positions.Graph()
	b, s := positions.Shape().Dimensions[0], positions.Shape().Dimensions[1]
	hd := w.Config.HeadDim()
	inv := Const(g, ropeInvFreq(w.Config))                          // [hd/2]
	ang := Mul(ExpandAxes(positions, -1), Reshape(inv, 1, 1, hd/2)) // [B,S,hd/2]
	ang = Concatenate([]*Node{ang, ang}, -1)                        // [B,S,hd]
	full := func(x *Node) *Node { return ExpandAndBroadcast(x, []int{b, s, heads, hd}, []int{2}) }
	return full(Cos(ang)), full(Sin(ang))
}

// rope applies rotary embeddings (Hugging Face's rotate-half convention) to
// x [B,S,heads,hd] with tables from ropeTables.
func rope(x, cos, sin *Node) *Node {
	hd := x.Shape().Dimensions[3]
	x1, x2 := SliceAxis(x, -1, AxisRange(0, hd/2)), SliceAxis(x, -1, AxisRange(hd/2, hd))
	rot := Concatenate([]*Node{Neg(x2), x1}, -1)
	return Add(Mul(x, cos), Mul(rot, sin))
}

// queryRows is the number of query rows per KV head attention computes for
// S new tokens: the group size, padded to a multiple of 4 on decodeAttention's
// single-token path.
func (w *Weights) queryRows(s int) int {
	grp := w.Config.NumAttentionHeads / w.Config.KVHeads()
	if s == 1 && grp%4 != 0 {
		return (grp + 3) / 4 * 4
	}
	return grp
}

// maskBias turns allowed [B,S,L] bool into the additive bias of the
// attention scores (0 where allowed, -1e9 elsewhere), broadcast once per
// graph to the scores' full shape [B,nKV,S,G,L] (G from queryRows): a
// broadcasting add goes through the pure-Go backend's generic index
// iterator, and each layer's add is then elementwise. As in ropeTables the
// broadcast adds axes, so the backend does not fold it into the adds.
func (w *Weights) maskBias(allowed *Node) *Node {
	g := allowed.Graph()
	d := allowed.Shape().Dimensions
	b, s, l := d[0], d[1], d[2]
	bias := Where(allowed, ScalarZero(g, dtypes.Float32), Scalar(g, dtypes.Float32, -1e9))
	return ExpandAndBroadcast(bias, []int{b, w.Config.KVHeads(), s, w.queryRows(s), l}, []int{1, 3})
}

// attention: q [B,S,nH,hd], k,v [B,nKV,L,hd] (KV-head-major, the cache
// layout: batch axes lead, so no transposes of the cache are needed),
// bias from maskBias → [B,S,nH·hd].
func (w *Weights) attention(q, k, v, bias *Node) *Node {
	grp := w.Config.NumAttentionHeads / w.Config.KVHeads()
	if q.Shape().Dimensions[1] == 1 && grp%4 != 0 {
		return w.decodeAttention(q, k, v, bias)
	}
	out, _, _ := w.attentionParts(q, k, v, bias)
	return out
}

// attentionParts is attention's computation for S > 1, also returning the
// scaled queries qm [B,nKV,S·G,hd] and the probabilities [B,nKV,S·G,L]
// (attentionVJP's backward reads them).
func (w *Weights) attentionParts(q, k, v, bias *Node) (out, qm, probs *Node) {
	cfg := w.Config
	b, s := q.Shape().Dimensions[0], q.Shape().Dimensions[1]
	l := k.Shape().Dimensions[2]
	nkv, hd := cfg.KVHeads(), cfg.HeadDim()
	grp := cfg.NumAttentionHeads / nkv
	qm = TransposeAllAxes(Reshape(q, b, s, nkv, grp, hd), 0, 2, 1, 3, 4) // [B,nKV,S,G,hd]
	qm = Reshape(MulScalar(qm, 1/math.Sqrt(float64(hd))), b, nkv, s*grp, hd)
	scores := DotGeneral(qm, []int{3}, []int{0, 1}, k, []int{3}, []int{0, 1}) // [B,nKV,S·G,L]
	scores = Reshape(scores, b, nkv, s, grp, l)
	probs = Reshape(Softmax(Add(scores, bias), -1), b, nkv, s*grp, l)
	out = DotGeneral(probs, []int{3}, []int{0, 1}, v, []int{2}, []int{0, 1}) // [B,nKV,S·G,hd]
	out = TransposeAllAxes(Reshape(out, b, nkv, s, grp, hd), 0, 2, 1, 3, 4)  // [B,S,nKV,G,hd]
	return Reshape(out, b, s, cfg.NumAttentionHeads*hd), qm, probs
}

// attentionVJP is attention (same inputs, same values) with a hand-written
// backward. Autodiff's backward of the two batched products transposes
// their [B,nKV,S·G,L] adjoint and probabilities (a gradient of a
// product's right operand contracts over the left one's free axis, which
// the pure-Go backend's kernels cannot read in place), through its
// generic transpose: about a tenth of a gradient step. Here the key and
// value gradients are computed transposed (dKᵀ = Qᵀ·dS, dVᵀ = dOᵀ·P), so
// only the head-sized operands and results are transposed.
//
// GoMLX has no custom gradient for a function of several inputs, only
// IdentityWithCustomGradient, so the output is the attention of the
// inputs with gradients stopped plus, for each of q, k and v, a zero-valued
// carrier (x - StopGradient(x), flattened into the output's shape) whose
// custom gradient hands autodiff that input's gradient. It falls back to
// attention when a carrier would not fit (K and V larger than the output).
func (w *Weights) attentionVJP(q, k, v, bias *Node) *Node {
	cfg := w.Config
	b, s := q.Shape().Dimensions[0], q.Shape().Dimensions[1]
	nh, nkv, hd := cfg.NumAttentionHeads, cfg.KVHeads(), cfg.HeadDim()
	grp := nh / nkv
	outSize := b * s * nh * hd
	if s == 1 || k.Shape().Size() > outSize {
		return w.attention(q, k, v, bias)
	}
	scale := 1 / math.Sqrt(float64(hd))
	ks, vs := StopGradient(k), StopGradient(v)
	out, qm, probs := w.attentionParts(StopGradient(q), ks, vs, bias)

	// The gradients, built once from the output's adjoint (the carriers'
	// adjoints are all that one).
	var dq, dk, dv *Node
	grads := func(dOut *Node) {
		if dq != nil {
			return
		}
		dO := Reshape(TransposeAllAxes(Reshape(dOut, b, s, nkv, grp, hd), 0, 2, 1, 3, 4), b, nkv, s*grp, hd)
		dP := DotGeneral(dO, []int{3}, []int{0, 1}, vs, []int{3}, []int{0, 1}) // [B,nKV,S·G,L]
		dS := Mul(probs, Sub(dP, ReduceAndKeep(Mul(dP, probs), ReduceSum, -1)))
		dqm := DotGeneral(dS, []int{3}, []int{0, 1}, ks, []int{2}, []int{0, 1}) // [B,nKV,S·G,hd]
		dq = Reshape(TransposeAllAxes(Reshape(MulScalar(dqm, scale), b, nkv, s, grp, hd), 0, 2, 1, 3, 4), b, s, nh, hd)
		qT := TransposeAllAxes(qm, 0, 1, 3, 2)                                                              // [B,nKV,hd,S·G]
		dk = TransposeAllAxes(DotGeneral(qT, []int{3}, []int{0, 1}, dS, []int{2}, []int{0, 1}), 0, 1, 3, 2) // [B,nKV,L,hd]
		dOT := TransposeAllAxes(dO, 0, 1, 3, 2)                                                             // [B,nKV,hd,S·G]
		dv = TransposeAllAxes(DotGeneral(dOT, []int{3}, []int{0, 1}, probs, []int{2}, []int{0, 1}), 0, 1, 3, 2)
	}
	carrier := func(x *Node, grad func() *Node) *Node {
		n := x.Shape().Size()
		flat := Reshape(Sub(x, StopGradient(x)), n) // 0, with gradient 1
		if n < outSize {
			flat = Pad(flat, ScalarZero(x.Graph(), x.DType()), PadAxis{End: outSize - n})
		}
		return IdentityWithCustomGradient(Reshape(flat, b, s, nh*hd), func(_, dOut *Node) *Node {
			grads(dOut)
			g := Reshape(grad(), n)
			if n < outSize {
				g = Pad(g, ScalarZero(x.Graph(), x.DType()), PadAxis{End: outSize - n})
			}
			return Reshape(g, b, s, nh*hd)
		})
	}
	zq := carrier(q, func() *Node { return dq })
	zk := carrier(k, func() *Node { return dk })
	zv := carrier(v, func() *Node { return dv })
	return Add(out, Add(zq, Add(zk, zv)))
}

// decodeAttention is attention for one new token per row (S = 1) when a
// KV head's query group is not a multiple of 4: the pure-Go backend's
// small matrix kernels work on rows four at a time and fall back to scalar
// loops for the rest, so a [G=2, hd] × [hd, L] product per KV head ran
// entirely scalar (two thirds of a decoding step at 256 cache slots). The
// group is padded with zero query rows to a multiple of 4; the padded rows'
// outputs are dropped. Same inputs and result as attention.
func (w *Weights) decodeAttention(q, k, v, bias *Node) *Node {
	cfg := w.Config
	g := q.Graph()
	b, l := q.Shape().Dimensions[0], k.Shape().Dimensions[2]
	nkv, hd := cfg.KVHeads(), cfg.HeadDim()
	grp := cfg.NumAttentionHeads / nkv
	padded := w.queryRows(1)
	q = Reshape(MulScalar(q, 1/math.Sqrt(float64(hd))), b, nkv, grp, hd) // S = 1: [B,nKV,G,hd]
	q = Concatenate([]*Node{q, Zeros(g, shapeOf(q.DType(), []int{b, nkv, padded - grp, hd}))}, 2)
	scores := DotGeneral(q, []int{3}, []int{0, 1}, k, []int{3}, []int{0, 1}) // [B,nKV,G',L]
	probs := Softmax(Add(scores, Reshape(bias, b, nkv, padded, l)), -1)
	out := DotGeneral(probs, []int{3}, []int{0, 1}, v, []int{2}, []int{0, 1}) // [B,nKV,G',hd]
	out = SliceAxis(out, 2, AxisRange(0, grp))
	return Reshape(out, b, 1, cfg.NumAttentionHeads*hd)
}

// kvMajor turns projected keys or values [B,S,nKV,hd] into [B,nKV,S,hd].
func kvMajor(x *Node) *Node { return TransposeAllAxes(x, 0, 2, 1, 3) }

// attendFn gives a layer's attention output from its projected q, k, v
// ([B,S,heads,hd], RoPE applied).
type attendFn func(layer int, q, k, v *Node) *Node

// hidden runs the decoder stack: ids [B,S] int32, positions [B,S] float32
// (unscaled) → final-normed hidden states [B,S,H].
func (w *Weights) hidden(ids, positions *Node, attend attendFn, delta Delta) *Node {
	cfg := w.Config
	b, s := ids.Shape().Dimensions[0], ids.Shape().Dimensions[1]
	hd := cfg.HeadDim()
	pos := positions
	if f := cfg.RopeFactor(); f != 1 {
		pos = DivScalar(pos, f)
	}
	h := Gather(w.Embed, ExpandAxes(ids, -1)) // [B,S,H]
	cosQ, sinQ := w.ropeTables(pos, cfg.NumAttentionHeads)
	cosK, sinK := w.ropeTables(pos, cfg.KVHeads())
	for l := range w.Layers {
		lw := w.Layers[l]
		x := RMSNorm(h, lw.InputNorm, cfg.RMSNormEps)
		q := Reshape(w.proj(l, "q_proj", x, delta), b, s, cfg.NumAttentionHeads, hd)
		k := Reshape(w.proj(l, "k_proj", x, delta), b, s, cfg.KVHeads(), hd)
		v := Reshape(w.proj(l, "v_proj", x, delta), b, s, cfg.KVHeads(), hd)
		q, k = rope(q, cosQ, sinQ), rope(k, cosK, sinK)
		a := attend(l, q, k, v)
		h = Add(h, w.proj(l, "o_proj", a, delta))
		x = RMSNorm(h, lw.PostNorm, cfg.RMSNormEps)
		gate := w.proj(l, "gate_proj", x, delta)
		up := w.proj(l, "up_proj", x, delta)
		act := Mul(Mul(gate, Sigmoid(gate)), up)
		h = Add(h, w.proj(l, "down_proj", act, delta))
	}
	return RMSNorm(h, w.Norm, cfg.RMSNormEps)
}

// PositionsFromMask returns the position of each token as counted over the
// real (mask != 0) tokens of its row, starting at 0, as float32 [B,T]
// (cumsum(mask) - 1, clipped at 0; padding positions are don't-cares). With
// left padding this is what generation uses, so a prompt's logits do not
// depend on how much padding precedes it.
func PositionsFromMask(mask *Node) *Node {
	m := ConvertDType(NotEqual(mask, ScalarZero(mask.Graph(), mask.DType())), dtypes.Float32)
	return MaxScalar(AddScalar(CumSum(m, 1), -1), 0)
}

// causalPaddingMask: allowed[b,i,j] = j <= i && mask[b,j] != 0.
func causalPaddingMask(mask *Node) *Node {
	g := mask.Graph()
	b, t := mask.Shape().Dimensions[0], mask.Shape().Dimensions[1]
	shape := []int{b, t, t}
	i := Iota(g, shapeOf(dtypes.Int32, shape), 1)
	j := Iota(g, shapeOf(dtypes.Int32, shape), 2)
	causal := LessOrEqual(j, i)
	valid := ExpandAndBroadcast(NotEqual(mask, ScalarZero(g, mask.DType())), shape, []int{1})
	return LogicalAnd(causal, valid)
}

// Hidden returns the final-normed hidden states [B,T,H] of a padded batch:
// ids [B,T] int32, mask [B,T] (non-zero on real tokens; any int or float
// dtype). Attention is causal and ignores padding.
func (w *Weights) Hidden(ids, mask *Node, delta Delta) *Node {
	bias := w.maskBias(causalPaddingMask(mask))
	attend := func(_ int, q, k, v *Node) *Node {
		if w.AttentionVJP {
			return w.attentionVJP(q, kvMajor(k), kvMajor(v), bias)
		}
		return w.attention(q, kvMajor(k), kvMajor(v), bias)
	}
	return w.hidden(ids, PositionsFromMask(mask), attend, delta)
}

// HeadLogits applies lm_head: [..., H] → [..., V].
func (w *Weights) HeadLogits(h *Node) *Node { return Linear(h, w.Head) }

// Logits returns the float32 logits [B,T,V] of a padded batch (see Hidden).
func (w *Weights) Logits(ids, mask *Node, delta Delta) *Node {
	return w.HeadLogits(w.Hidden(ids, mask, delta))
}

// TokenLogProbs returns log p(ids[:, t+1] | ids[:, :t+1]) for t in [0, T-1)
// as [B, T-1] float32 (the raw policy: no temperature or filtering).
func (w *Weights) TokenLogProbs(ids, mask *Node, delta Delta) *Node {
	t := ids.Shape().Dimensions[1]
	h := w.Hidden(ids, mask, delta)
	h = SliceAxis(h, 1, AxisRange(0, t-1))
	logits := w.HeadLogits(h)
	targets := SliceAxis(ids, 1, AxisRange(1, t))
	return TargetLogProbs(logits, targets)
}

// TargetLogProbs returns log_softmax(logits)[..., target] for logits
// [..., V] and int targets [...].
func TargetLogProbs(logits, targets *Node) *Node {
	v := logits.Shape().Dimensions[logits.Rank()-1]
	logp := LogSoftmax(logits, -1)
	return ReduceSum(Mul(logp, OneHot(targets, v, dtypes.Float32)), -1)
}

// CachedStep runs S new tokens against a KV cache, as generation does.
//
//   - ids [B,S] int32 and positions [B,S] int32 (each row's position count);
//   - slotValid [B,C] (non-zero for cache slots that hold, or will hold, real
//     tokens: left padding is 0);
//   - writeIdx: scalar int32, the cache slot of the first new token (the
//     same for every row: rows are aligned by left padding);
//   - caches: per layer K then V, each [B,nKV,C,hd].
//
// It returns the logits of the last new token [B,V] and the updated caches.
func (w *Weights) CachedStep(ids, positions, slotValid, writeIdx *Node, caches []*Node, delta Delta) (*Node, []*Node) {
	g := ids.Graph()
	b, s := ids.Shape().Dimensions[0], ids.Shape().Dimensions[1]
	c := caches[0].Shape().Dimensions[2]
	shape := []int{b, s, c}
	i := Iota(g, shapeOf(dtypes.Int32, shape), 1)
	j := Iota(g, shapeOf(dtypes.Int32, shape), 2)
	wi := ConvertDType(writeIdx, dtypes.Int32)
	causal := LessOrEqual(j, Add(i, BroadcastToDims(wi, shape...)))
	valid := ExpandAndBroadcast(NotEqual(slotValid, ScalarZero(g, slotValid.DType())), shape, []int{1})
	bias := w.maskBias(LogicalAnd(causal, valid))
	newCaches := make([]*Node, len(caches))
	zero := ScalarZero(g, dtypes.Int32)
	attend := func(l int, q, k, v *Node) *Node {
		start := []*Node{zero, zero, wi, zero}
		kc := DynamicUpdateSlice(caches[2*l], kvMajor(k), start)
		vc := DynamicUpdateSlice(caches[2*l+1], kvMajor(v), start)
		newCaches[2*l], newCaches[2*l+1] = kc, vc
		return w.attention(q, kc, vc, bias)
	}
	h := w.hidden(ids, ConvertDType(positions, dtypes.Float32), attend, delta)
	last := Reshape(SliceAxis(h, 1, AxisElem(s-1)), b, w.Config.HiddenSize)
	return w.HeadLogits(last), newCaches
}
