// Package optim is the optimiser the training packages share: AdamW
// (decoupled weight decay, bias-corrected moments) applied after clipping
// the accumulated gradient to a global L2 norm, with gradient accumulation
// over micro-batches. GoMLX has no global-norm clipping, so both steps are
// written here as compiled graphs over a flat list of parameter tensors;
// stdlib/lora's Trainer and stdlib/rl's Trainer drive it.
package optim

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX's graph DSL reads best dot-imported.
	"github.com/gomlx/gomlx/core/tensors"
)

// Config holds AdamW's hyper-parameters except the learning rate, which is
// given per step (schedules).
type Config struct {
	Beta1       float64 // default 0.9
	Beta2       float64 // default 0.999
	Eps         float64 // default 1e-8
	WeightDecay float64 // decoupled, as torch.optim.AdamW; only where decay[i]
	MaxGradNorm float64 // global-norm clipping threshold; <= 0 disables clipping
}

// WithDefaults fills zero betas and epsilon with torch's defaults.
func (c Config) WithDefaults() Config {
	if c.Beta1 == 0 {
		c.Beta1 = 0.9
	}
	if c.Beta2 == 0 {
		c.Beta2 = 0.999
	}
	if c.Eps == 0 {
		c.Eps = 1e-8
	}
	return c
}

// AdamW keeps the moments and the step count for a fixed list of parameter
// tensors. It is not safe for concurrent use.
type AdamW struct {
	config Config

	backend   compute.Backend
	decay     []bool
	m, v      []*tensors.Tensor
	step      int
	broken    error // set when a failed step consumed the moments
	addExec   *Exec
	applyExec *Exec
}

// NewAdamW prepares an optimiser for parameters shaped like params (their
// values are not kept); decay[i] says whether parameter i gets weight decay
// (nil: all do). The graphs compile on first use.
func NewAdamW(be compute.Backend, params []*tensors.Tensor, decay []bool, cfg Config) (*AdamW, error) {
	if decay == nil {
		decay = make([]bool, len(params))
		for i := range decay {
			decay[i] = true
		}
	}
	if len(decay) != len(params) {
		return nil, fmt.Errorf("optim: %d decay flags for %d parameters", len(decay), len(params))
	}
	o := &AdamW{config: cfg.WithDefaults(), backend: be, decay: append([]bool(nil), decay...)}
	for _, p := range params {
		o.m = append(o.m, tensors.FromShape(p.Shape()))
		o.v = append(o.v, tensors.FromShape(p.Shape()))
	}
	var err error
	o.addExec, err = NewExec(be, func(in []*Node) []*Node {
		n := len(in) / 2
		out := make([]*Node, n)
		for i := range out {
			out[i] = Add(in[i], in[n+i])
		}
		return out
	})
	if err != nil {
		return nil, err
	}
	o.applyExec, err = NewExec(be, o.applyGraph)
	if err != nil {
		return nil, err
	}
	return o, nil
}

// applyGraph: params..., m..., v..., grads..., weightSum, step, lr →
// params', m', v', gradNorm. The gradient is grads / weightSum, clipped to
// MaxGradNorm by global norm; the norm reported is before clipping.
func (o *AdamW) applyGraph(g *Graph, in []*Node) []*Node {
	n := len(o.m)
	c := o.config
	params, ms, vs, grads := in[:n], in[n:2*n], in[2*n:3*n], in[3*n:4*n]
	weightSum, step, lr := in[4*n], in[4*n+1], in[4*n+2]
	inv := Reciprocal(MaxScalar(weightSum, 1e-12))
	sq := ScalarZero(g, dtypes.Float32)
	gs := make([]*Node, n)
	for i := range grads {
		gs[i] = Mul(grads[i], inv)
		sq = Add(sq, ReduceAllSum(Square(gs[i])))
	}
	norm := Sqrt(sq)
	clip := ScalarOne(g, dtypes.Float32)
	if c.MaxGradNorm > 0 {
		clip = Min(clip, Div(Scalar(g, dtypes.Float32, c.MaxGradNorm), AddScalar(norm, 1e-6)))
	}
	bc1 := OneMinus(Pow(Scalar(g, dtypes.Float32, c.Beta1), step))
	bc2 := OneMinus(Pow(Scalar(g, dtypes.Float32, c.Beta2), step))
	out := make([]*Node, 3*n+1)
	for i := range params {
		gi := Mul(gs[i], clip)
		mi := Add(MulScalar(ms[i], c.Beta1), MulScalar(gi, 1-c.Beta1))
		vi := Add(MulScalar(vs[i], c.Beta2), MulScalar(Square(gi), 1-c.Beta2))
		upd := Div(Div(mi, bc1), AddScalar(Sqrt(Div(vi, bc2)), c.Eps))
		if c.WeightDecay > 0 && o.decay[i] {
			upd = Add(upd, MulScalar(params[i], c.WeightDecay))
		}
		out[i] = Sub(params[i], Mul(lr, upd))
		out[n+i], out[2*n+i] = mi, vi
	}
	out[3*n] = norm
	return out
}

// Accumulate returns acc + grads element-wise and frees both inputs; a nil
// acc returns grads unchanged (the first micro-batch).
func (o *AdamW) Accumulate(acc, grads []*tensors.Tensor) ([]*tensors.Tensor, error) {
	if acc == nil {
		return grads, nil
	}
	if len(acc) != len(grads) {
		return nil, fmt.Errorf("optim: accumulating %d gradients into %d", len(grads), len(acc))
	}
	args := make([]any, 0, 2*len(grads))
	for _, x := range acc {
		args = append(args, x)
	}
	for _, x := range grads {
		args = append(args, x)
	}
	sum, err := o.addExec.Call(args...)
	if err != nil {
		return nil, err
	}
	for i := range acc {
		acc[i].FinalizeAll()
		grads[i].FinalizeAll()
	}
	return sum, nil
}

// Apply takes one step: the summed gradients grads (of a loss sum whose
// normaliser is weightSum) are divided by weightSum, clipped and applied at
// learning rate lr. It returns the new parameter values and the gradient's
// global norm before clipping. The gradients and moments are consumed; a
// parameter's buffer is donated to the update (in place on an accelerator)
// unless keep[i] (nil: donate all), so after Apply the caller must use the
// returned tensors, not the ones it passed.
func (o *AdamW) Apply(params []*tensors.Tensor, keep []bool, grads []*tensors.Tensor, weightSum, lr float64) ([]*tensors.Tensor, float64, error) {
	n := len(o.m)
	if o.broken != nil {
		return nil, 0, fmt.Errorf("optim: unusable after a failed step: %w", o.broken)
	}
	if len(params) != n || len(grads) != n {
		return nil, 0, fmt.Errorf("optim: step with %d parameters and %d gradients, want %d", len(params), len(grads), n)
	}
	if weightSum <= 0 {
		for _, x := range grads {
			x.FinalizeAll()
		}
		return nil, 0, fmt.Errorf("optim: the batches have no weighted tokens")
	}
	args := make([]any, 0, 4*n+3)
	donate := func(x *tensors.Tensor) error {
		d, err := DonateTensorBuffer(x, o.backend, 0)
		if err != nil {
			o.broken = err
			return err
		}
		args = append(args, d)
		return nil
	}
	for i, p := range params {
		if keep != nil && keep[i] {
			args = append(args, p)
			continue
		}
		if err := donate(p); err != nil {
			return nil, 0, err
		}
	}
	for _, group := range [][]*tensors.Tensor{o.m, o.v, grads} {
		for _, x := range group {
			if err := donate(x); err != nil {
				return nil, 0, err
			}
		}
	}
	args = append(args, tensors.FromScalar(float32(weightSum)), tensors.FromScalar(float32(o.step+1)), tensors.FromScalar(float32(lr)))
	out, err := o.applyExec.Call(args...)
	if err != nil {
		// The moments were donated to the failed call: refuse further steps
		// rather than continue from garbage.
		o.broken = err
		return nil, 0, err
	}
	o.step++
	copy(o.m, out[n:2*n])
	copy(o.v, out[2*n:3*n])
	norm := float64(tensors.ToScalar[float32](out[3*n]))
	out[3*n].FinalizeAll()
	return out[:n], norm, nil
}

// Steps is the number of steps taken (bias correction uses it).
func (o *AdamW) Steps() int { return o.step }

// Moments returns the first and second moments, in parameter order. They
// are replaced by every Apply: copy what you need before the next step.
func (o *AdamW) Moments() (m, v []*tensors.Tensor) { return o.m, o.v }

// Restore sets the step count and the moments (flat float32 values, in
// parameter order), e.g. from a checkpoint.
func (o *AdamW) Restore(step int, m, v [][]float32) error {
	if len(m) != len(o.m) || len(v) != len(o.v) {
		return fmt.Errorf("optim: restoring %d/%d moments for %d parameters", len(m), len(v), len(o.m))
	}
	for i := range o.m {
		if size := o.m[i].Shape().Size(); len(m[i]) != size || len(v[i]) != size {
			return fmt.Errorf("optim: parameter %d: moments of %d/%d values, want %d", i, len(m[i]), len(v[i]), size)
		}
	}
	for i := range o.m {
		dims := o.m[i].Shape().Dimensions
		o.m[i].FinalizeAll()
		o.v[i].FinalizeAll()
		o.m[i] = tensors.FromFlatDataAndDimensions(append([]float32(nil), m[i]...), dims...)
		o.v[i] = tensors.FromFlatDataAndDimensions(append([]float32(nil), v[i]...), dims...)
	}
	o.step = step
	o.broken = nil
	return nil
}

// Close frees the compiled graphs.
func (o *AdamW) Close() {
	for _, e := range []*Exec{o.addExec, o.applyExec} {
		if e != nil {
			e.Finalize()
		}
	}
}
