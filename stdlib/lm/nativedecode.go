package lm

import (
	"fmt"
	"sync"

	"github.com/gomlx/compute/gobackend"

	"github.com/securecoderl/securecoderl/stdlib/lm/native"
)

// nativeDecoder holds a runner's weights packed for package native, for
// the Model they were packed from (PPO's policy runner swaps its Model
// after every optimiser step; the next Prefill repacks).
type nativeDecoder struct {
	mu    sync.Mutex
	model *Model
	w     *native.Weights
}

// nativeOK reports whether a runner decodes with package native: on the
// pure-Go backend (its String is the registered name; Name is a title),
// with assembly kernels, without an Extension (adapters
// are merged first, as the PPO policy runner does) and for a config the
// packed layouts fit.
func nativeOK(be interface{ String() string }, m *Model, ext Extension) bool {
	return be.String() == gobackend.BackendName && native.Fast() && ext == nil && nativeConfig(m.Config).Check() == nil
}

func nativeConfig(c Config) native.Config {
	return native.Config{Hidden: c.HiddenSize, Layers: c.NumHiddenLayers, Heads: c.NumAttentionHeads, KVHeads: c.KVHeads(),
		HeadDim: c.HeadDim(), Intermediate: c.IntermediateSize, Vocab: c.VocabSize, Eps: float32(c.RMSNormEps),
		InvFreq: ropeInvFreq(c), RopeFactor: float32(c.RopeFactor())}
}

// weights returns m packed, packing it if it is not the model last packed.
func (d *nativeDecoder) weights(m *Model) (*native.Weights, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.model == m && d.w != nil {
		return d.w, nil
	}
	cfg := m.Config
	var errs []error
	get := func(name string) []float32 {
		v, err := m.ParamValues(name)
		if err != nil {
			errs = append(errs, fmt.Errorf("native decoder: %w", err))
		}
		return v
	}
	embed := get("model.embed_tokens.weight")
	head := embed
	if !cfg.TieWordEmbeddings {
		head = get("lm_head.weight")
	}
	layers := make([]native.LayerParams, cfg.NumHiddenLayers)
	for l := range layers {
		p := fmt.Sprintf("model.layers.%d.", l)
		proj := func(m string) []float32 { return get(p + ModulePrefix(m) + "." + m + ".weight") }
		layers[l] = native.LayerParams{InputNorm: get(p + "input_layernorm.weight"), PostNorm: get(p + "post_attention_layernorm.weight"),
			Q: proj("q_proj"), K: proj("k_proj"), V: proj("v_proj"), O: proj("o_proj"),
			Gate: proj("gate_proj"), Up: proj("up_proj"), Down: proj("down_proj")}
	}
	norm := get("model.norm.weight")
	if len(errs) > 0 {
		return nil, errs[0]
	}
	w, err := native.NewWeights(nativeConfig(cfg), embed, layers, norm, head)
	if err != nil {
		return nil, err
	}
	d.model, d.w = m, w
	return w, nil
}

// nativePrefill runs Prefill on package native (native.ErrPadding for a
// batch that is not left-padded); valid and next are the slot mask and
// positions Prefill computed for the KVState.
func (r *Runner) nativePrefill(b Batch, cacheLen int, m *Model, valid, next []int32) ([]float32, *KVState, error) {
	w, err := r.native.weights(m)
	if err != nil {
		return nil, nil, err
	}
	logits, st, err := native.Prefill(w, b.B, b.T, b.IDs, b.Mask, cacheLen)
	if err != nil {
		return nil, nil, err
	}
	return logits, &KVState{B: b.B, C: cacheLen, Next: b.T, valid: valid, positions: next, nat: st}, nil
}

// NativeWeights returns the runner's Model packed for package native
// (packed again when the Model changes); ok is false when the runner does
// not run natively (see Runner.Native).
func (r *Runner) NativeWeights() (w *native.Weights, ok bool, err error) {
	if !r.Native {
		return nil, false, nil
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	w, err = r.native.weights(r.Model)
	return w, err == nil, err
}

// PackNative packs a model for package native; ok is false when that
// package cannot run it here (see Runner.Native).
func PackNative(m *Model) (w *native.Weights, ok bool, err error) {
	be, err := Backend()
	if err != nil {
		return nil, false, err
	}
	if !nativeOK(be, m, nil) {
		return nil, false, nil
	}
	var d nativeDecoder
	w, err = d.weights(m)
	return w, err == nil, err
}
