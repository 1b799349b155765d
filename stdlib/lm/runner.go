package lm

import (
	"errors"
	"fmt"
	"sync"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/securecoderl/securecoderl/stdlib/lm/native"
)

// Extension adds parameters to a model's projections; LoRA adapters
// implement it. The runner feeds ExtensionParams to its graphs after the
// model's own parameters, and builds the Delta from their nodes.
type Extension interface {
	// ExtensionParams returns the current tensors, in a fixed order and with
	// fixed shapes (values may change between calls, e.g. while training).
	ExtensionParams() []*tensors.Tensor
	// ExtensionDelta builds the inference-mode Delta (no dropout) from the
	// parameter nodes, given in ExtensionParams order.
	ExtensionDelta(params []*Node) Delta
}

// Batch is a padded batch of token sequences, row-major [B, T].
type Batch struct {
	B, T int
	IDs  []int32 // [B*T]
	Mask []int32 // [B*T]: 1 for real tokens, 0 for padding
}

// PadLeft left-pads sequences to length t (0: the longest) with padID.
// Left padding keeps every row's last token in the last column, as
// generation needs.
func PadLeft(seqs [][]int, padID, t int) Batch {
	return pad(seqs, padID, t, true)
}

// PadRight right-pads sequences to length t (0: the longest) with padID.
func PadRight(seqs [][]int, padID, t int) Batch {
	return pad(seqs, padID, t, false)
}

func pad(seqs [][]int, padID, t int, left bool) Batch {
	for _, s := range seqs {
		t = max(t, len(s))
	}
	b := Batch{B: len(seqs), T: t, IDs: make([]int32, len(seqs)*t), Mask: make([]int32, len(seqs)*t)}
	for i, s := range seqs {
		off := 0
		if left {
			off = t - len(s)
		}
		for j := 0; j < t; j++ {
			b.IDs[i*t+j] = int32(padID)
		}
		for j, id := range s {
			b.IDs[i*t+off+j] = int32(id)
			b.Mask[i*t+off+j] = 1
		}
	}
	return b
}

// Tensors returns the ids and mask as [B,T] int32 tensors.
func (b Batch) Tensors() (ids, mask *tensors.Tensor) {
	return tensors.FromFlatDataAndDimensions(b.IDs, b.B, b.T), tensors.FromFlatDataAndDimensions(b.Mask, b.B, b.T)
}

// Runner runs a model (plus an optional Extension, e.g. a LoRA adapter)
// for inference: logits, per-token log-probabilities and KV-cached
// generation steps. Graphs are compiled once per input shape and cached, so
// callers should bucket shapes (see generate). Its calls may run
// concurrently (each KVState belongs to one caller): the pure-Go backend
// runs an executable's ops on one core when another call is in flight, so
// two generation batches at once keep two cores busy. Close waits for calls
// in flight.
type Runner struct {
	Model   *Model
	Ext     Extension
	backend compute.Backend
	nModel  int
	nExt    int

	mu sync.RWMutex
	// matMu serialises moving parameters to the device: GoMLX's first
	// conversion of a host tensor is not safe against a concurrent one
	// (two calls could each finalize the representation the other made).
	matMu                            sync.Mutex
	logitsExec, logpExec, prefillExe *Exec
	stepExec, growExec, compactExec  *Exec

	// Native makes Prefill (of left-padded batches), Decode, Grow and
	// Compact run on package native, without a graph (several times faster
	// on the pure-Go backend; the logits agree up to float rounding). NewRunner
	// sets it where that package can run the model: the pure-Go backend,
	// an AVX2/FMA CPU, no Extension. Set it to false before Prefill for the
	// graph path (e.g. to compare the two).
	Native bool
	native nativeDecoder
}

// NewRunner prepares a runner on the process backend (see Backend).
func NewRunner(m *Model, ext Extension) (*Runner, error) {
	be, err := Backend()
	if err != nil {
		return nil, err
	}
	r := &Runner{Model: m, Ext: ext, backend: be, nModel: len(m.params), Native: nativeOK(be, m, ext)}
	if ext != nil {
		r.nExt = len(ext.ExtensionParams())
	}
	split := func(inputs []*Node) (*Weights, Delta, []*Node) {
		w, err := NewWeights(m.Config, inputs[:r.nModel])
		if err != nil {
			panic(err)
		}
		var d Delta
		if ext != nil {
			d = ext.ExtensionDelta(inputs[r.nModel : r.nModel+r.nExt])
		}
		return w, d, inputs[r.nModel+r.nExt:]
	}
	mk := func(name string, fn func(g *Graph, in []*Node) []*Node) (*Exec, error) {
		e, err := NewExec(be, fn)
		if err != nil {
			return nil, err
		}
		return e.WithName(name).SetMaxCache(-1), nil
	}
	if r.logitsExec, err = mk("logits", func(g *Graph, in []*Node) []*Node {
		w, d, data := split(in)
		return []*Node{w.Logits(data[0], data[1], d)}
	}); err != nil {
		return nil, err
	}
	if r.logpExec, err = mk("token_logprobs", func(g *Graph, in []*Node) []*Node {
		w, d, data := split(in)
		return []*Node{w.TokenLogProbs(data[0], data[1], d)}
	}); err != nil {
		return nil, err
	}
	cacheShape := func(b, c int) []int { return []int{b, m.Config.KVHeads(), c, m.Config.HeadDim()} }
	// prefill: ids [B,P], positions [B,P], slotValid [B,C] → logits [B,V], caches.
	if r.prefillExe, err = mk("prefill", func(g *Graph, in []*Node) []*Node {
		w, d, data := split(in)
		b, c := data[2].Shape().Dimensions[0], data[2].Shape().Dimensions[1]
		caches := make([]*Node, 2*m.Config.NumHiddenLayers)
		for i := range caches {
			caches[i] = Zeros(g, shapeOf(dtypes.Float32, cacheShape(b, c)))
		}
		logits, nc := w.CachedStep(data[0], data[1], data[2], ScalarZero(g, dtypes.Int32), caches, d)
		return append([]*Node{logits}, nc...)
	}); err != nil {
		return nil, err
	}
	// step: ids [B,1], positions [B,1], slotValid [B,C], writeIdx, caches... → logits, caches.
	if r.stepExec, err = mk("decode", func(g *Graph, in []*Node) []*Node {
		w, d, data := split(in)
		logits, nc := w.CachedStep(data[0], data[1], data[2], data[3], data[4:], d)
		return append([]*Node{logits}, nc...)
	}); err != nil {
		return nil, err
	}
	// grow: slotValid' [B,C'], caches [B,nKV,C,hd]... → caches [B,nKV,C',hd]
	// (zero slots appended).
	if r.growExec, err = mk("grow_cache", func(g *Graph, in []*Node) []*Node {
		newC := in[0].Shape().Dimensions[1]
		out := make([]*Node, len(in)-1)
		for i, c := range in[1:] {
			dims := c.Shape().Dimensions
			zeros := Zeros(g, shapeOf(c.DType(), []int{dims[0], dims[1], newC - dims[2], dims[3]}))
			out[i] = Concatenate([]*Node{c, zeros}, 2)
		}
		return out
	}); err != nil {
		return nil, err
	}
	// compact: rows [B'] int32, caches [B,nKV,C,hd]... → caches [B',nKV,C,hd]
	// (the given rows, in order).
	if r.compactExec, err = mk("compact_cache", func(g *Graph, in []*Node) []*Node {
		idx := ExpandAxes(in[0], -1)
		out := make([]*Node, len(in)-1)
		for i, c := range in[1:] {
			out[i] = Gather(c, idx)
		}
		return out
	}); err != nil {
		return nil, err
	}
	return r, nil
}

// Close frees the compiled graphs.
func (r *Runner) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range []*Exec{r.logitsExec, r.logpExec, r.prefillExe, r.stepExec, r.growExec, r.compactExec} {
		if e != nil {
			e.Finalize()
		}
	}
}

func (r *Runner) args(extra ...any) ([]any, error) {
	args := make([]any, 0, r.nModel+r.nExt+len(extra))
	for _, t := range r.Model.params {
		args = append(args, t)
	}
	if r.Ext != nil {
		ep := r.Ext.ExtensionParams()
		if len(ep) != r.nExt {
			panic(fmt.Sprintf("extension changed its parameter count from %d to %d", r.nExt, len(ep)))
		}
		for _, t := range ep {
			args = append(args, t)
		}
	}
	// Parameters go to the device one call at a time (a no-op once there).
	r.matMu.Lock()
	for _, a := range args {
		if err := a.(*tensors.Tensor).MaterializeOnDevice(r.backend, true, 0); err != nil {
			r.matMu.Unlock()
			return nil, fmt.Errorf("runner: parameter %d to the device: %w", len(args), err)
		}
	}
	r.matMu.Unlock()
	return append(args, extra...), nil
}

func takeFloats(t *tensors.Tensor) ([]float32, error) {
	v, err := tensors.CopyFlatData[float32](t)
	t.FinalizeAll()
	return v, err
}

// Logits returns the float32 logits [B*T*V] of a padded batch.
func (r *Runner) Logits(b Batch) ([]float32, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	ids, mask := b.Tensors()
	args, err := r.args(ids, mask)
	if err != nil {
		return nil, err
	}
	out, err := r.logitsExec.Call(args...)
	if err != nil {
		return nil, err
	}
	return takeFloats(out[0])
}

// TokenLogProbs returns, per row, log p(ids[t+1] | ids[:t+1]) for t in
// [0, T-1) under the raw policy, [B][T-1]; entries whose target is padding
// are meaningless (callers mask them).
func (r *Runner) TokenLogProbs(b Batch) ([][]float32, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	ids, mask := b.Tensors()
	args, err := r.args(ids, mask)
	if err != nil {
		return nil, err
	}
	out, err := r.logpExec.Call(args...)
	if err != nil {
		return nil, err
	}
	flat, err := takeFloats(out[0])
	if err != nil {
		return nil, err
	}
	rows := make([][]float32, b.B)
	for i := range rows {
		rows[i] = flat[i*(b.T-1) : (i+1)*(b.T-1)]
	}
	return rows, nil
}

// KVState is a batch's KV cache between generation steps.
type KVState struct {
	B, C      int // batch size, cache capacity (slots)
	Next      int // the cache slot the next token goes to
	caches    []*tensors.Tensor
	slotValid *tensors.Tensor
	valid     []int32 // slotValid's values: 0 on each row's left padding
	positions []int32 // the next position of each row
	nat       *native.State
}

// Free releases the cache tensors.
func (s *KVState) Free() {
	for _, c := range s.caches {
		if c != nil {
			c.FinalizeAll()
		}
	}
	s.caches = nil
	if s.slotValid != nil {
		s.slotValid.FinalizeAll()
		s.slotValid = nil
	}
	s.nat = nil
}

// Prefill runs a left-padded prompt batch into a fresh KV cache of
// cacheLen slots (>= b.T) and returns the logits of each row's last prompt
// token [B*V] and the cache state.
func (r *Runner) Prefill(b Batch, cacheLen int) ([]float32, *KVState, error) {
	if cacheLen < b.T {
		return nil, nil, fmt.Errorf("prefill: cache of %d slots for %d prompt tokens", cacheLen, b.T)
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	model := r.Model // the one both the graph and the native decoder use
	pos := make([]int32, b.B*b.T)
	valid := make([]int32, b.B*cacheLen)
	next := make([]int32, b.B)
	for i := 0; i < b.B; i++ {
		var p int32
		for j := 0; j < b.T; j++ {
			if b.Mask[i*b.T+j] != 0 {
				pos[i*b.T+j] = p
				p++
				valid[i*cacheLen+j] = 1
			}
		}
		for j := b.T; j < cacheLen; j++ {
			valid[i*cacheLen+j] = 1
		}
		next[i] = p
	}
	if r.Native {
		if logits, s, err := r.nativePrefill(b, cacheLen, model, valid, next); err == nil || !errors.Is(err, native.ErrPadding) {
			return logits, s, err
		}
	}
	ids := tensors.FromFlatDataAndDimensions(b.IDs, b.B, b.T)
	slotValid := tensors.FromFlatDataAndDimensions(valid, b.B, cacheLen)
	args, err := r.args(ids, tensors.FromFlatDataAndDimensions(pos, b.B, b.T), slotValid)
	if err != nil {
		return nil, nil, err
	}
	out, err := r.prefillExe.Call(args...)
	if err != nil {
		return nil, nil, err
	}
	logits, err := takeFloats(out[0])
	if err != nil {
		return nil, nil, err
	}
	return logits, &KVState{B: b.B, C: cacheLen, Next: b.T, caches: out[1:], slotValid: slotValid, valid: valid, positions: next}, nil
}

// Grow extends the cache to c slots (c > s.C), keeping what it holds:
// generation starts with a cache a little longer than the prompt and grows
// it as tokens come, because a decoding step's cost is proportional to the
// cache length (the attention reads every slot), not to the tokens in it.
func (r *Runner) Grow(s *KVState, c int) error {
	if c <= s.C {
		return fmt.Errorf("grow: cache of %d slots to %d", s.C, c)
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	valid := make([]int32, s.B*c)
	for i := 0; i < s.B; i++ {
		copy(valid[i*c:], s.valid[i*s.C:(i+1)*s.C])
		for j := s.C; j < c; j++ {
			valid[i*c+j] = 1
		}
	}
	if s.nat != nil {
		s.nat.Grow(c)
		s.valid, s.C = valid, c
		return nil
	}
	slotValid := tensors.FromFlatDataAndDimensions(valid, s.B, c)
	args := []any{slotValid}
	for _, t := range s.caches {
		d, err := DonateTensorBuffer(t, r.backend, 0)
		if err != nil {
			return err
		}
		args = append(args, d)
	}
	out, err := r.growExec.Call(args...)
	if err != nil {
		return fmt.Errorf("grow: %w", err)
	}
	s.replace(out, slotValid, valid)
	s.C = c
	return nil
}

// replace frees the cache tensors and slot mask and takes new ones.
func (s *KVState) replace(caches []*tensors.Tensor, slotValid *tensors.Tensor, valid []int32) {
	for _, t := range s.caches {
		t.FinalizeAll()
	}
	s.slotValid.FinalizeAll()
	s.caches, s.slotValid, s.valid = caches, slotValid, valid
}

// Compact keeps the given rows of the cache, in that order (a row may be
// repeated, e.g. as filler), so a batch whose sequences have finished goes
// on decoding fewer rows: a decoding step's cost grows with its rows.
func (r *Runner) Compact(s *KVState, rows []int) error {
	if len(rows) == 0 {
		return fmt.Errorf("compact: no rows")
	}
	idx := make([]int32, len(rows))
	for i, k := range rows {
		if k < 0 || k >= s.B {
			return fmt.Errorf("compact: row %d of a batch of %d", k, s.B)
		}
		idx[i] = int32(k)
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	b := len(rows)
	valid := make([]int32, b*s.C)
	positions := make([]int32, b)
	for i, k := range rows {
		copy(valid[i*s.C:(i+1)*s.C], s.valid[k*s.C:(k+1)*s.C])
		positions[i] = s.positions[k]
	}
	if s.nat != nil {
		if err := s.nat.Compact(rows); err != nil {
			return err
		}
		s.valid, s.B, s.positions = valid, b, positions
		return nil
	}
	args := []any{tensors.FromFlatDataAndDimensions(idx, b)}
	for _, t := range s.caches {
		args = append(args, t)
	}
	out, err := r.compactExec.Call(args...)
	if err != nil {
		return fmt.Errorf("compact: %w", err)
	}
	s.replace(out, tensors.FromFlatDataAndDimensions(valid, b, s.C), valid)
	s.B, s.positions = b, positions
	return nil
}

// Decode feeds one token per row (ids [B]) at the next cache slot and
// returns the logits of the next token [B*V].
func (r *Runner) Decode(s *KVState, ids []int32) ([]float32, error) {
	if len(ids) != s.B {
		return nil, fmt.Errorf("decode: %d ids for a batch of %d", len(ids), s.B)
	}
	if s.Next >= s.C {
		return nil, fmt.Errorf("decode: KV cache full (%d slots)", s.C)
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if s.nat != nil {
		s.nat.Next = s.Next
		logits, err := s.nat.Decode(ids)
		if err != nil {
			return nil, err
		}
		s.Next++
		for i := range s.positions {
			s.positions[i]++
		}
		return logits, nil
	}
	args, err := r.args(tensors.FromFlatDataAndDimensions(ids, s.B, 1),
		tensors.FromFlatDataAndDimensions(append([]int32(nil), s.positions...), s.B, 1),
		s.slotValid, tensors.FromScalar(int32(s.Next)))
	if err != nil {
		return nil, err
	}
	for _, c := range s.caches {
		d, err := DonateTensorBuffer(c, r.backend, 0)
		if err != nil {
			return nil, err
		}
		args = append(args, d)
	}
	out, err := r.stepExec.Call(args...)
	if err != nil {
		return nil, err
	}
	for _, c := range s.caches {
		c.FinalizeAll()
	}
	s.caches = out[1:]
	s.Next++
	for i := range s.positions {
		s.positions[i]++
	}
	return takeFloats(out[0])
}
