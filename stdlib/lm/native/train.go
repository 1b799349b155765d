package native

import (
	"errors"
	"fmt"
	"math"
	"sync"
)

// The training pass: the decoder's forward pass over right-padded
// sequences with a LoRA adapter applied unmerged, keeping what the
// backward pass needs (a Tape), and the backward pass from the gradient of
// the final-normed hidden states to the adapter's gradients. The base
// weights are frozen; the loss on top of the hidden states (the head, the
// objective) is the caller's.

// Projection indices, in lm.Modules order.
const (
	ModQ = iota
	ModK
	ModV
	ModO
	ModGate
	ModUp
	ModDown
	NumModules
)

// Adapter is a LoRA adapter for the training pass: each adapted projection
// computes x·Wᵀ + Scale·(x·Aᵀ)·Bᵀ.
type Adapter struct {
	R     int // rank (the products pad it to a multiple of 16)
	Scale float32
	// A[l][m] [R, in] and B[l][m] [out, R] (Hugging Face layout, row-major)
	// for layer l's projection m; nil where it is not adapted.
	A, B [][NumModules][]float32
}

// Grads are the gradients of an Adapter's factors, laid out like them.
type Grads struct {
	A, B [][NumModules][]float32
}

// moduleDims returns a projection's input and output sizes.
func (c Config) moduleDims(m int) (in, out int) {
	nq, nkv := c.Heads*c.HeadDim, c.KVHeads*c.HeadDim
	switch m {
	case ModQ:
		return c.Hidden, nq
	case ModK, ModV:
		return c.Hidden, nkv
	case ModO:
		return nq, c.Hidden
	case ModGate, ModUp:
		return c.Hidden, c.Intermediate
	default:
		return c.Intermediate, c.Hidden
	}
}

// check validates the adapter against the config.
func (a *Adapter) check(c Config) error {
	if a.R <= 0 {
		return fmt.Errorf("native: adapter rank %d", a.R)
	}
	if len(a.A) != c.Layers || len(a.B) != c.Layers {
		return fmt.Errorf("native: adapter has %d/%d layers, config %d", len(a.A), len(a.B), c.Layers)
	}
	var errs []error
	for l := range a.A {
		for m := 0; m < NumModules; m++ {
			av, bv := a.A[l][m], a.B[l][m]
			if (av == nil) != (bv == nil) {
				errs = append(errs, fmt.Errorf("native: adapter layer %d module %d has only one factor", l, m))
				continue
			}
			in, out := c.moduleDims(m)
			if av != nil && (len(av) != a.R*in || len(bv) != out*a.R) {
				errs = append(errs, fmt.Errorf("native: adapter layer %d module %d: A has %d values (want %d), B %d (want %d)",
					l, m, len(av), a.R*in, len(bv), out*a.R))
			}
		}
	}
	return errors.Join(errs...)
}

// loraPack is one adapted projection packed for both passes, its rank
// padded to a multiple of 16 with zero rows of A and columns of B (their
// products and gradients are zero).
type loraPack struct {
	at Packed // x·Aᵀ: in → R
	sb Packed // u·(Scale·B)ᵀ: R → out
	b  Packed // dy·B: out → R
	sa Packed // g·(Scale·A): R → in
}

// backPacks are a layer's transposed projections (dx = dy·Wᵀ).
type backPacks struct {
	qkv, o, gateUp, down Packed
}

// back returns the layers' transposed packs, made on first use.
func (w *Weights) back() []backPacks {
	w.backOnce.Do(func() {
		w.backs = make([]backPacks, len(w.layers))
		var wg sync.WaitGroup
		for i, ly := range w.layers {
			wg.Go(func() {
				w.backs[i] = backPacks{qkv: ly.qkv.T(), o: ly.o.T(), gateUp: ly.gateUp.T(), down: ly.down.T()}
			})
		}
		wg.Wait()
	})
	return w.backs
}

// Tape is a training forward pass: its final-normed hidden states and what
// Backward reads. It belongs to one caller.
type Tape struct {
	w          *Weights
	ad         *Adapter
	packs      [][NumModules]*loraPack
	rp         int // the adapter's rank padded to a multiple of 16
	b, t, from int
	k0, n      []int // each row's first token row and token count
	m, m4      int   // token rows, rounded up to 4
	cos, sin   []float32
	layers     []tapeLayer
	xf         []float32 // the last layer's output
	cols       int       // t-1-from
	Hidden     []float32 // [b][cols][H]: final-normed states at positions from..t-2 (0 on padding)
}

type tapeLayer struct {
	x, h1, qkv, attn, xm, h2, gu, act []float32
	u                                 [NumModules][]float32 // x·Aᵀ of adapted projections [m4 × rp]
	probs                             [][]float32           // [row*Heads + head]: [n × ld]
}

// Forward runs right-padded sequences (ids and mask [B*T], each row's mask
// ones then zeros) through the decoder with the adapter ad (nil: none) and
// records a Tape. Tape.Hidden holds the final-normed states at positions
// [from, T-1), the inputs of the head.
func Forward(w *Weights, ad *Adapter, b, t int, ids, mask []int32, from int) (*Tape, error) {
	cfg := w.Config
	if len(ids) != b*t || len(mask) != b*t || b <= 0 || t < 2 || from < 0 || from >= t-1 {
		return nil, fmt.Errorf("native: training pass of %d rows × %d tokens from %d: %d ids, %d mask values", b, t, from, len(ids), len(mask))
	}
	if ad != nil {
		if err := ad.check(cfg); err != nil {
			return nil, err
		}
	}
	lens, err := rightPadded(cfg, b, t, ids, mask, "training pass")
	if err != nil {
		return nil, err
	}
	tp := &Tape{w: w, ad: ad, b: b, t: t, from: from, k0: make([]int, b), n: lens, cols: t - 1 - from}
	for r, n := range lens {
		tp.k0[r] = tp.m
		tp.m += n
	}
	tp.m4 = (tp.m + 3) / 4 * 4
	tp.pack()
	tp.ropeTables()
	tp.layers = make([]tapeLayer, cfg.Layers)
	H := cfg.Hidden
	x := make([]float32, tp.m4*H)
	for r := 0; r < b; r++ {
		for j := 0; j < tp.n[r]; j++ {
			copy(x[(tp.k0[r]+j)*H:(tp.k0[r]+j+1)*H], w.embed[int(ids[r*t+j])*H:])
		}
	}
	for l := range w.layers {
		x = tp.forwardLayer(l, x)
	}
	tp.xf = x
	hn := make([]float32, tp.m4*H)
	rmsNorm(hn, x, w.norm, tp.m4, H, cfg.Eps)
	tp.Hidden = make([]float32, b*tp.cols*H)
	for r := 0; r < b; r++ {
		for p := from; p < min(tp.n[r], t-1); p++ {
			c := r*tp.cols + p - from
			copy(tp.Hidden[c*H:(c+1)*H], hn[(tp.k0[r]+p)*H:])
		}
	}
	return tp, nil
}

// pack prepares the adapter's products.
func (tp *Tape) pack() {
	cfg := tp.w.Config
	tp.packs = make([][NumModules]*loraPack, cfg.Layers)
	if tp.ad == nil {
		return
	}
	a := tp.ad
	rp := roundUp16(a.R)
	tp.rp = rp
	for l := range tp.packs {
		for m := 0; m < NumModules; m++ {
			av, bv := a.A[l][m], a.B[l][m]
			if av == nil {
				continue
			}
			in, out := cfg.moduleDims(m)
			ap := make([]float32, rp*in) // [rp, in]
			copy(ap, av)
			bp, sb := make([]float32, out*rp), make([]float32, out*rp) // [out, rp]
			for o := 0; o < out; o++ {
				for r, v := range bv[o*a.R : (o+1)*a.R] {
					bp[o*rp+r], sb[o*rp+r] = v, v*a.Scale
				}
			}
			at, _ := PackHF(in, ap)
			sbp, _ := PackHF(rp, sb)
			tp.packs[l][m] = &loraPack{at: at, sb: sbp, b: PackRows(out, rp, bp, 1), sa: PackRows(rp, in, ap, a.Scale)}
		}
	}
}

// ropeTables computes each token row's RoPE cos and sin.
func (tp *Tape) ropeTables() {
	cfg := tp.w.Config
	half := cfg.HeadDim / 2
	tp.cos, tp.sin = make([]float32, tp.m*half), make([]float32, tp.m*half)
	for r := range tp.n {
		for j := 0; j < tp.n[r]; j++ {
			k := tp.k0[r] + j
			p := float32(j) / cfg.RopeFactor
			for i := 0; i < half; i++ {
				a := float64(p * cfg.InvFreq[i])
				tp.cos[k*half+i], tp.sin[k*half+i] = float32(math.Cos(a)), float32(math.Sin(a))
			}
		}
	}
}

// rope rotates every head of the [m × ld] rows at x[off:] (heads of hd
// contiguous from off) by each token's angle, or by its negative (the
// backward) when inverse; then scales by sc.
func (tp *Tape) rope(x []float32, off, ld, heads int, inverse bool, sc float32) {
	hd := tp.w.Config.HeadDim
	half := hd / 2
	for k := 0; k < tp.m; k++ {
		cos, sin := tp.cos[k*half:(k+1)*half], tp.sin[k*half:(k+1)*half]
		for h := 0; h < heads; h++ {
			v := x[off+k*ld+h*hd : off+k*ld+(h+1)*hd]
			for i := 0; i < half; i++ {
				x1, x2, c, s := v[i], v[i+half], cos[i], sin[i]
				if inverse {
					s = -s
				}
				v[i], v[i+half] = (x1*c-x2*s)*sc, (x2*c+x1*s)*sc
			}
		}
	}
}

// lora adds an adapted projection's term to y (columns from yo, rows ldy
// apart) for the input x (rows ldx apart), keeping u = x·Aᵀ.
func (tp *Tape) lora(l, m int, x []float32, ldx int, y []float32, yo, ldy int, u *[]float32) {
	pk := tp.packs[l][m]
	if pk == nil {
		return
	}
	*u = make([]float32, tp.m4*tp.rp)
	parMul(pk.at, x, ldx, tp.m4, *u, tp.rp, false)
	parMul(pk.sb, *u, tp.rp, tp.m4, y[yo:], ldy, true)
}

func (tp *Tape) forwardLayer(l int, x []float32) []float32 {
	cfg := tp.w.Config
	ly := tp.w.layers[l]
	H, hd, m4 := cfg.Hidden, cfg.HeadDim, tp.m4
	nq, nkv := cfg.Heads*hd, cfg.KVHeads*hd
	qkvN, I := nq+2*nkv, cfg.Intermediate
	L := &tp.layers[l]
	L.x = x
	L.h1 = make([]float32, m4*H)
	rmsNorm(L.h1, x, ly.inNorm, m4, H, cfg.Eps)
	L.qkv = make([]float32, m4*qkvN)
	parMul(ly.qkv, L.h1, H, m4, L.qkv, qkvN, false)
	tp.lora(l, ModQ, L.h1, H, L.qkv, 0, qkvN, &L.u[ModQ])
	tp.lora(l, ModK, L.h1, H, L.qkv, nq, qkvN, &L.u[ModK])
	tp.lora(l, ModV, L.h1, H, L.qkv, nq+nkv, qkvN, &L.u[ModV])
	tp.rope(L.qkv, 0, qkvN, cfg.Heads, false, float32(1/math.Sqrt(float64(hd))))
	tp.rope(L.qkv, nq, qkvN, cfg.KVHeads, false, 1)
	L.attn = make([]float32, m4*nq)
	L.probs = make([][]float32, tp.b*cfg.Heads)
	tp.attention(L)
	L.xm = append([]float32(nil), x...)
	parMul(ly.o, L.attn, nq, m4, L.xm, H, true)
	tp.lora(l, ModO, L.attn, nq, L.xm, 0, H, &L.u[ModO])
	L.h2 = make([]float32, m4*H)
	rmsNorm(L.h2, L.xm, ly.postNorm, m4, H, cfg.Eps)
	L.gu = make([]float32, m4*2*I)
	parMul(ly.gateUp, L.h2, H, m4, L.gu, 2*I, false)
	tp.lora(l, ModGate, L.h2, H, L.gu, 0, 2*I, &L.u[ModGate])
	tp.lora(l, ModUp, L.h2, H, L.gu, I, 2*I, &L.u[ModUp])
	L.act = make([]float32, m4*I)
	for i := 0; i < m4; i++ {
		siluMul(L.act[i*I:(i+1)*I], L.gu[i*2*I:i*2*I+I], L.gu[i*2*I+I:(i+1)*2*I])
	}
	out := append([]float32(nil), L.xm...)
	parMul(ly.down, L.act, I, m4, out, H, true)
	tp.lora(l, ModDown, L.act, I, out, 0, H, &L.u[ModDown])
	return out
}

// attention computes L.attn from L.qkv (q scaled and rotated, k rotated),
// row by row and head by head: P = softmax(q·Kᵀ) over the keys at or
// before each query, kept for the backward, and P·V.
func (tp *Tape) attention(L *tapeLayer) {
	cfg := tp.w.Config
	hd := cfg.HeadDim
	nq, nkv := cfg.Heads*hd, cfg.KVHeads*hd
	qkvN, grp := nq+2*nkv, cfg.Heads/cfg.KVHeads
	split(len(tp.n), func(lo, hi int) {
		var kp, vp []float32
		for r := lo; r < hi; r++ {
			n := tp.n[r]
			if n == 0 {
				continue
			}
			k0, ld := tp.k0[r], roundUp16(n)
			kp, vp = grow(kp, ld*hd), grow(vp, ld*hd)
			for g := 0; g < cfg.KVHeads; g++ {
				packCols(kp, L.qkv, k0*qkvN+nq+g*hd, qkvN, n, hd, ld)
				packRows(vp, L.qkv, k0*qkvN+nq+nkv+g*hd, qkvN, n, hd, ld)
				for h := g * grp; h < (g+1)*grp; h++ {
					p := make([]float32, n*ld)
					causalScores(L.qkv, k0*qkvN+h*hd, qkvN, n, 0, kp, hd, p, ld)
					causalSoftmax(p, n, 0, ld)
					causalMul(p, ld, n, 0, vp, ld*16, hd, L.attn, k0*nq+h*hd, nq)
					L.probs[r*cfg.Heads+h] = p
				}
			}
		}
	})
}

func grow(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

// Backward returns the adapter's gradients given dh, the gradient of the
// loss with respect to Tape.Hidden (same layout).
func (tp *Tape) Backward(dh []float32) (*Grads, error) {
	cfg := tp.w.Config
	H := cfg.Hidden
	if len(dh) != len(tp.Hidden) {
		return nil, fmt.Errorf("native: backward: %d gradient values for %d hidden values", len(dh), len(tp.Hidden))
	}
	// The final norm's backward, at the positions the head read.
	dhn := make([]float32, tp.m4*H)
	for r := 0; r < tp.b; r++ {
		for p := tp.from; p < min(tp.n[r], tp.t-1); p++ {
			c := r*tp.cols + p - tp.from
			copy(dhn[(tp.k0[r]+p)*H:(tp.k0[r]+p+1)*H], dh[c*H:(c+1)*H])
		}
	}
	dx := make([]float32, tp.m4*H)
	rmsNormBack(dx, tp.xf, tp.w.norm, dhn, tp.m, H, cfg.Eps)
	g := &Grads{A: make([][NumModules][]float32, cfg.Layers), B: make([][NumModules][]float32, cfg.Layers)}
	backs := tp.w.back()
	for l := cfg.Layers - 1; l >= 0; l-- {
		tp.backwardLayer(l, backs[l], dx, g)
	}
	return g, nil
}

// loraBack adds an adapted projection's input gradient to dx (rows ldx
// apart) for the output gradient dy (columns from yo, rows ldy apart) and
// records the factors' gradients; x is the projection's input. dx nil:
// no input gradient.
func (tp *Tape) loraBack(l, m int, x []float32, ldx int, dy []float32, yo, ldy int, u []float32, dx []float32, g *Grads) {
	pk := tp.packs[l][m]
	if pk == nil {
		return
	}
	cfg := tp.w.Config
	R, rp, s := tp.ad.R, tp.rp, tp.ad.Scale
	in, out := cfg.moduleDims(m)
	gr := make([]float32, tp.m4*rp)
	parMul(pk.b, dy[yo:], ldy, tp.m4, gr, rp, false) // dy·B
	if dx != nil {
		parMul(pk.sa, gr, rp, tp.m4, dx, ldx, true) // dx += s·(dy·B)·A
	}
	dA := mulTN(gr, 0, rp, tp.m, R, x, 0, ldx, in)    // [R, in]
	dBT := mulTN(u, 0, rp, tp.m, R, dy, yo, ldy, out) // [R, out]
	for i := range dA {
		dA[i] *= s
	}
	dB := make([]float32, out*R)
	for o := 0; o < out; o++ {
		for r := 0; r < R; r++ {
			dB[o*R+r] = dBT[r*out+o] * s
		}
	}
	g.A[l][m], g.B[l][m] = dA, dB
}

// backwardLayer turns dx, the gradient of layer l's output, into the
// gradient of its input (in place), recording the adapter's gradients.
func (tp *Tape) backwardLayer(l int, bk backPacks, dx []float32, g *Grads) {
	cfg := tp.w.Config
	ly := tp.w.layers[l]
	L := &tp.layers[l]
	H, hd, m4 := cfg.Hidden, cfg.HeadDim, tp.m4
	nq, nkv := cfg.Heads*hd, cfg.KVHeads*hd
	qkvN, I := nq+2*nkv, cfg.Intermediate
	// MLP: x_out = xm + down(silu(gate)·up).
	dact := make([]float32, m4*I)
	parMul(bk.down, dx, H, m4, dact, I, false)
	tp.loraBack(l, ModDown, L.act, I, dx, 0, H, L.u[ModDown], dact, g)
	dgu := make([]float32, m4*2*I)
	siluMulBack(dgu, L.gu, dact, tp.m, I)
	dh2 := make([]float32, m4*H)
	parMul(bk.gateUp, dgu, 2*I, m4, dh2, H, false)
	tp.loraBack(l, ModGate, L.h2, H, dgu, 0, 2*I, L.u[ModGate], dh2, g)
	tp.loraBack(l, ModUp, L.h2, H, dgu, I, 2*I, L.u[ModUp], dh2, g)
	rmsNormBack(dx, L.xm, ly.postNorm, dh2, tp.m, H, cfg.Eps)
	// Attention: xm = x + o(attn).
	dattn := make([]float32, m4*nq)
	parMul(bk.o, dx, H, m4, dattn, nq, false)
	tp.loraBack(l, ModO, L.attn, nq, dx, 0, H, L.u[ModO], dattn, g)
	dqkv := make([]float32, m4*qkvN)
	tp.attentionBack(L, dattn, dqkv)
	tp.rope(dqkv, 0, qkvN, cfg.Heads, true, float32(1/math.Sqrt(float64(hd))))
	tp.rope(dqkv, nq, qkvN, cfg.KVHeads, true, 1)
	// The first layer's input is the frozen embedding: its gradient is not
	// needed, only the q, k, v factors'.
	var dh1 []float32
	if l > 0 {
		dh1 = make([]float32, m4*H)
		parMul(bk.qkv, dqkv, qkvN, m4, dh1, H, false)
	}
	tp.loraBack(l, ModQ, L.h1, H, dqkv, 0, qkvN, L.u[ModQ], dh1, g)
	tp.loraBack(l, ModK, L.h1, H, dqkv, nq, qkvN, L.u[ModK], dh1, g)
	tp.loraBack(l, ModV, L.h1, H, dqkv, nq+nkv, qkvN, L.u[ModV], dh1, g)
	if l > 0 {
		rmsNormBack(dx, L.x, ly.inNorm, dh1, tp.m, H, cfg.Eps)
	}
}

// attentionBack writes the gradients of q (scaled, rotated), k (rotated)
// and v into dqkv from dattn, the gradient of the attention output. The
// products skip the blocks the causal mask zeroes; the key and value
// gradients are computed transposed (dKᵀ = Qᵀ·dS, dVᵀ = dOᵀ·P), so the
// [n × n] operands are packed, not transposed.
func (tp *Tape) attentionBack(L *tapeLayer, dattn, dqkv []float32) {
	cfg := tp.w.Config
	hd := cfg.HeadDim
	nq, nkv := cfg.Heads*hd, cfg.KVHeads*hd
	qkvN, grp := nq+2*nkv, cfg.Heads/cfg.KVHeads
	split(len(tp.n), func(lo, hi int) {
		var kv, vk, ds, qT, dsp, dkT, dvT []float32
		for r := lo; r < hi; r++ {
			n := tp.n[r]
			if n == 0 {
				continue
			}
			k0, ld := tp.k0[r], roundUp16(n)
			kv, vk, qT = grow(kv, ld*hd), grow(vk, ld*hd), grow(qT, hd*ld)
			ds, dsp, dkT, dvT = grow(ds, n*ld), grow(dsp, n*ld), grow(dkT, hd*ld), grow(dvT, hd*ld)
			for gi := 0; gi < cfg.KVHeads; gi++ {
				kc, vc := nq+gi*hd, nq+nkv+gi*hd
				packRows(kv, L.qkv, k0*qkvN+kc, qkvN, n, hd, ld) // K, for dS·K
				packCols(vk, L.qkv, k0*qkvN+vc, qkvN, n, hd, ld) // Vᵀ, for dO·Vᵀ
				clear(dkT)
				clear(dvT)
				for h := gi * grp; h < (gi+1)*grp; h++ {
					p := L.probs[r*cfg.Heads+h]
					// dP = dO·Vᵀ, then dS = P ⊙ (dP − Σ_j P·dP) on the keys each query saw.
					causalScores(dattn, k0*nq+h*hd, nq, n, 0, vk, hd, ds, ld)
					for i := 0; i < n; i++ {
						pr, dr := p[i*ld:i*ld+i+1], ds[i*ld:i*ld+i+1]
						var dot float32
						for j, v := range pr {
							dot += v * dr[j]
						}
						for j, v := range pr {
							dr[j] = v * (dr[j] - dot)
						}
						clear(ds[i*ld+i+1 : (i+1)*ld])
					}
					// dQ = dS·K.
					causalMul(ds, ld, n, 0, kv, ld*16, hd, dqkv, k0*qkvN+h*hd, qkvN)
					// dKᵀ += Qᵀ·dS and dVᵀ += dOᵀ·P, each key panel from its first query.
					transpose(qT, ld, L.qkv, k0*qkvN+h*hd, qkvN, n, hd)
					packRows(dsp, ds, 0, ld, n, ld, n)
					tp.mulKeys(qT, dsp, dkT, n, ld)
					transpose(qT, ld, dattn, k0*nq+h*hd, nq, n, hd)
					packRows(dsp, p, 0, ld, n, ld, n)
					tp.mulKeys(qT, dsp, dvT, n, ld)
				}
				for j := 0; j < n; j++ {
					dk, dv := dqkv[(k0+j)*qkvN+kc:(k0+j)*qkvN+kc+hd], dqkv[(k0+j)*qkvN+vc:(k0+j)*qkvN+vc+hd]
					for d := range dk {
						dk[d], dv[d] = dkT[d*ld+j], dvT[d*ld+j]
					}
				}
			}
		}
	})
}

// mulKeys adds xT·M to outT [hd × ld] for xT [hd × n] (rows ld apart) and
// M [n queries × ld keys] packed by packRows, when M[i, j] = 0 for i < j:
// each key panel sums from its first key's query on.
func (tp *Tape) mulKeys(xT, m, outT []float32, n, ld int) {
	hd := tp.w.Config.HeadDim
	for pn := 0; pn*16 < n; pn++ {
		j0 := pn * 16
		for d := 0; d < hd; d += 6 {
			block(min(6, hd-d), xT, d*ld+j0, ld, m, pn*n*16+j0*16, n-j0, outT, d*ld+pn*16, ld, true)
		}
	}
}

// rmsNormBack adds to dx the gradient of x through y = rmsNorm(x)·w given
// dy, for rows rows of n.
func rmsNormBack(dx, x, w, dy []float32, rows, n int, eps float32) {
	for r := 0; r < rows; r++ {
		xr, dr, gr := x[r*n:(r+1)*n], dy[r*n:(r+1)*n], dx[r*n:(r+1)*n]
		var ss, dot float32
		for i, v := range xr {
			ss += v * v
			dot += v * w[i] * dr[i]
		}
		inv := float32(1 / math.Sqrt(float64(ss/float32(n)+eps)))
		c := inv * inv * inv * dot / float32(n)
		for i, v := range xr {
			gr[i] += inv*w[i]*dr[i] - v*c
		}
	}
}

// siluMulBack writes the gradients of gate and up (dgu rows [gate|up], 2I
// wide) through act = silu(gate)·up given dact, for rows rows.
func siluMulBack(dgu, gu, dact []float32, rows, I int) {
	for r := 0; r < rows; r++ {
		g, u := gu[r*2*I:r*2*I+I], gu[r*2*I+I:(r+1)*2*I]
		dg, du, da := dgu[r*2*I:r*2*I+I], dgu[r*2*I+I:(r+1)*2*I], dact[r*I:(r+1)*I]
		siluBack(dg, du, g, u, da)
	}
}
