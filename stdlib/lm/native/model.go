package native

import (
	"errors"
	"fmt"
	"sync"
)

// Config is the architecture the decoder needs (see lm.Config).
type Config struct {
	Hidden, Layers, Heads, KVHeads, HeadDim, Intermediate, Vocab int
	Eps                                                          float32
	InvFreq                                                      []float32 // RoPE inverse frequencies [HeadDim/2]
	RopeFactor                                                   float32   // linear RoPE scaling (1: none)
}

// Check reports why the decoder cannot run a config, or nil: the packed
// layouts need the projections' output sizes, the head dimension and the
// vocabulary to be multiples of 16.
func (c Config) Check() error {
	var errs []error
	if c.Hidden <= 0 || c.Layers <= 0 || c.Heads <= 0 || c.KVHeads <= 0 || c.HeadDim <= 0 || c.Intermediate <= 0 || c.Vocab <= 0 {
		errs = append(errs, fmt.Errorf("sizes must be positive: %+v", c))
	}
	for _, d := range []struct {
		name string
		v    int
	}{{"hidden size", c.Hidden}, {"head dim", c.HeadDim}, {"intermediate size", c.Intermediate}, {"vocabulary", c.Vocab}} {
		if d.v%16 != 0 {
			errs = append(errs, fmt.Errorf("%s %d is not a multiple of 16", d.name, d.v))
		}
	}
	if c.KVHeads > 0 && c.Heads%c.KVHeads != 0 {
		errs = append(errs, fmt.Errorf("%d heads do not split into %d KV heads", c.Heads, c.KVHeads))
	}
	if len(c.InvFreq) != c.HeadDim/2 {
		errs = append(errs, fmt.Errorf("%d RoPE frequencies for head dim %d", len(c.InvFreq), c.HeadDim))
	}
	return errors.Join(errs...)
}

// LayerParams are one decoder layer's weights, Hugging Face layout
// ([out, in] row-major for projections).
type LayerParams struct {
	InputNorm, PostNorm        []float32
	Q, K, V, O, Gate, Up, Down []float32
}

// Weights are a model packed for decoding. They are read-only and may be
// shared by concurrent decoders.
type Weights struct {
	Config Config
	embed  []float32 // [V, H]
	norm   []float32
	head   Packed // H → V
	layers []layer

	backOnce sync.Once // the training pass's transposed packs (back)
	backs    []backPacks
}

type layer struct {
	inNorm, postNorm []float32
	qkv, o           Packed // H → (nH+2nKV)·hd; nH·hd → H
	gateUp, down     Packed // H → 2I; I → H
}

// NewWeights packs a model: embeddings [V, H], layers, the final norm and
// the head [V, H] (the embeddings when tied). The slices are copied.
func NewWeights(cfg Config, embed []float32, layers []LayerParams, norm, head []float32) (*Weights, error) {
	if err := cfg.Check(); err != nil {
		return nil, fmt.Errorf("native decoder: %w", err)
	}
	h, hd := cfg.Hidden, cfg.HeadDim
	want := func(name string, got []float32, n int) error {
		if len(got) != n {
			return fmt.Errorf("native decoder: %s has %d values, want %d", name, len(got), n)
		}
		return nil
	}
	if err := errors.Join(want("embeddings", embed, cfg.Vocab*h), want("final norm", norm, h), want("head", head, cfg.Vocab*h)); err != nil {
		return nil, err
	}
	if len(layers) != cfg.Layers {
		return nil, fmt.Errorf("native decoder: %d layers, config has %d", len(layers), cfg.Layers)
	}
	w := &Weights{Config: cfg, embed: append([]float32(nil), embed...), norm: append([]float32(nil), norm...)}
	var err error
	if w.head, err = PackHF(h, head); err != nil {
		return nil, err
	}
	for i, lp := range layers {
		name := func(s string) string { return fmt.Sprintf("layer %d %s", i, s) }
		q, kv, in := cfg.Heads*hd, cfg.KVHeads*hd, cfg.Intermediate
		if err := errors.Join(want(name("input norm"), lp.InputNorm, h), want(name("post-attention norm"), lp.PostNorm, h),
			want(name("q_proj"), lp.Q, q*h), want(name("k_proj"), lp.K, kv*h), want(name("v_proj"), lp.V, kv*h),
			want(name("o_proj"), lp.O, h*q), want(name("gate_proj"), lp.Gate, in*h), want(name("up_proj"), lp.Up, in*h),
			want(name("down_proj"), lp.Down, h*in)); err != nil {
			return nil, err
		}
		l := layer{inNorm: append([]float32(nil), lp.InputNorm...), postNorm: append([]float32(nil), lp.PostNorm...)}
		if l.qkv, err = PackHF(h, lp.Q, lp.K, lp.V); err != nil {
			return nil, err
		}
		if l.o, err = PackHF(q, lp.O); err != nil {
			return nil, err
		}
		if l.gateUp, err = PackHF(h, lp.Gate, lp.Up); err != nil {
			return nil, err
		}
		if l.down, err = PackHF(in, lp.Down); err != nil {
			return nil, err
		}
		w.layers = append(w.layers, l)
	}
	return w, nil
}
