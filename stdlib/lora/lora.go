// Package lora implements LoRA adapters for the Llama-family models of
// stdlib/lm: adapters on any of q/k/v/o/gate/up/down projections, frozen base
// weights, merging into the base for fast inference, PEFT's on-disk format
// (adapter_config.json + adapter_model.safetensors), and a training step
// (masked token loss, AdamW, global-norm gradient clipping) on GoMLX.
//
// An adapter adds (alpha/r)·B·A·dropout(x) to a projection's output
// W·x, with A [r, in] initialised as PEFT does (Kaiming-uniform) and B
// [out, r] zero, so a fresh adapter leaves the model unchanged.
package lora

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/securecoderl/securecoderl/stdlib/lm"
)

// Config is a LoRA configuration, with PEFT's meaning for each field.
type Config struct {
	R             int      // rank
	Alpha         float64  // lora_alpha; the delta is scaled by Alpha/R
	Dropout       float64  // lora_dropout, on the adapter's input, training only
	TargetModules []string // e.g. q_proj, k_proj, v_proj, o_proj
	Layers        []int    // layers_to_transform; nil means all
	UseRSLoRA     bool     // scale by Alpha/sqrt(R) instead of Alpha/R
	BaseModel     string   // base_model_name_or_path, informational
}

// StudyConfig is the study's setting: r=16, alpha=32, dropout 0.05 on
// q/k/v/o.
func StudyConfig() Config {
	return Config{R: 16, Alpha: 32, Dropout: 0.05, TargetModules: []string{"q_proj", "k_proj", "v_proj", "o_proj"}}
}

// Scale is the factor applied to B·A·x.
func (c Config) Scale() float64 {
	if c.UseRSLoRA {
		return c.Alpha / math.Sqrt(float64(c.R))
	}
	return c.Alpha / float64(c.R)
}

func (c Config) validate(mc lm.Config) error {
	if c.R <= 0 {
		return fmt.Errorf("lora: r must be > 0, got %d", c.R)
	}
	if c.Dropout < 0 || c.Dropout >= 1 {
		return fmt.Errorf("lora: dropout must be in [0, 1), got %g", c.Dropout)
	}
	if len(c.TargetModules) == 0 {
		return fmt.Errorf("lora: no target modules")
	}
	for _, m := range c.TargetModules {
		if _, _, err := mc.ModuleShape(m); err != nil {
			return fmt.Errorf("lora: %w", err)
		}
	}
	for _, l := range c.Layers {
		if l < 0 || l >= mc.NumHiddenLayers {
			return fmt.Errorf("lora: layer %d out of range (model has %d)", l, mc.NumHiddenLayers)
		}
	}
	return nil
}

// Target is one adapted projection.
type Target struct {
	Layer  int
	Module string
	In     int
	Out    int
}

// PEFTName is the PEFT tensor name prefix of the target, e.g.
// "base_model.model.model.layers.0.self_attn.q_proj".
func (t Target) PEFTName() string {
	return fmt.Sprintf("base_model.model.model.layers.%d.%s.%s", t.Layer, lm.ModulePrefix(t.Module), t.Module)
}

// BaseWeightName is the HF name of the adapted base weight.
func (t Target) BaseWeightName() string {
	return fmt.Sprintf("model.layers.%d.%s.%s.weight", t.Layer, lm.ModulePrefix(t.Module), t.Module)
}

// Adapter holds the LoRA matrices for every target. It implements
// lm.Extension, so an lm.Runner can run the base model with it unmerged.
type Adapter struct {
	Config      Config
	ModelConfig lm.Config
	Targets     []Target
	// A[i] [r, in] and B[i] [out, r] belong to Targets[i]. The trainer
	// replaces them after each step.
	A, B  []*tensors.Tensor
	byKey map[string]int
}

func key(layer int, module string) string { return fmt.Sprintf("%d/%s", layer, module) }

// New creates an adapter for the model config, with A Kaiming-uniform
// (deterministic for seed) and B zero, as PEFT initialises it.
func New(mc lm.Config, c Config, seed uint64) (*Adapter, error) {
	a, err := newEmpty(mc, c)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x10ba))
	for _, t := range a.Targets {
		// kaiming_uniform_(a=sqrt(5)): bound = sqrt(6/((1+5)·fan_in)) = 1/sqrt(fan_in).
		bound := 1 / math.Sqrt(float64(t.In))
		av := make([]float32, c.R*t.In)
		for i := range av {
			av[i] = float32((2*rng.Float64() - 1) * bound)
		}
		a.A = append(a.A, tensors.FromFlatDataAndDimensions(av, c.R, t.In))
		a.B = append(a.B, tensors.FromFlatDataAndDimensions(make([]float32, t.Out*c.R), t.Out, c.R))
	}
	return a, nil
}

func newEmpty(mc lm.Config, c Config) (*Adapter, error) {
	if err := c.validate(mc); err != nil {
		return nil, err
	}
	a := &Adapter{Config: c, ModelConfig: mc, byKey: map[string]int{}}
	for l := 0; l < mc.NumHiddenLayers; l++ {
		if c.Layers != nil && !slices.Contains(c.Layers, l) {
			continue
		}
		for _, m := range lm.Modules { // canonical order, whatever the config's order
			if !slices.Contains(c.TargetModules, m) {
				continue
			}
			out, in, _ := mc.ModuleShape(m)
			a.byKey[key(l, m)] = len(a.Targets)
			a.Targets = append(a.Targets, Target{Layer: l, Module: m, In: in, Out: out})
		}
	}
	return a, nil
}

// NumParams is the number of trainable parameters.
func (a *Adapter) NumParams() int64 {
	var n int64
	for _, t := range a.Targets {
		n += int64(a.Config.R * (t.In + t.Out))
	}
	return n
}

// ExtensionParams returns A0, B0, A1, B1, ... (lm.Extension).
func (a *Adapter) ExtensionParams() []*tensors.Tensor {
	out := make([]*tensors.Tensor, 0, 2*len(a.Targets))
	for i := range a.Targets {
		out = append(out, a.A[i], a.B[i])
	}
	return out
}

// ExtensionDelta builds the inference Delta from nodes in ExtensionParams
// order (lm.Extension).
func (a *Adapter) ExtensionDelta(params []*Node) lm.Delta {
	return a.GraphDelta(params, nil)
}

// GraphDelta builds the Delta from nodes in ExtensionParams order. With a
// non-nil dropout function, it is applied to each adapter's input (the
// trainer passes one that draws from its RNG state).
func (a *Adapter) GraphDelta(params []*Node, dropout func(x *Node) *Node) lm.Delta {
	scale := a.Config.Scale()
	return func(layer int, module string, x *Node) *Node {
		i, ok := a.byKey[key(layer, module)]
		if !ok {
			return nil
		}
		if dropout != nil {
			x = dropout(x)
		}
		h := lm.Linear(x, params[2*i])   // [..., r]
		y := lm.Linear(h, params[2*i+1]) // [..., out]
		return MulScalar(y, scale)
	}
}

// peftConfig is adapter_config.json as PEFT writes it.
type peftConfig struct {
	AutoMapping       any     `json:"auto_mapping"`
	BaseModel         string  `json:"base_model_name_or_path"`
	Bias              string  `json:"bias"`
	FanInFanOut       bool    `json:"fan_in_fan_out"`
	InferenceMode     bool    `json:"inference_mode"`
	InitLoraWeights   bool    `json:"init_lora_weights"`
	LayersPattern     any     `json:"layers_pattern"`
	LayersToTransform []int   `json:"layers_to_transform"`
	LoraAlpha         float64 `json:"lora_alpha"`
	LoraDropout       float64 `json:"lora_dropout"`
	ModulesToSave     any     `json:"modules_to_save"`
	PeftType          string  `json:"peft_type"`
	R                 int     `json:"r"`
	RankPattern       any     `json:"rank_pattern"`
	AlphaPattern      any     `json:"alpha_pattern"`
	Revision          any     `json:"revision"`
	TargetModules     any     `json:"target_modules"`
	TaskType          string  `json:"task_type"`
	UseDora           bool    `json:"use_dora"`
	UseRSLoRA         bool    `json:"use_rslora"`
}

// Save writes the adapter in PEFT's format: DIR/adapter_config.json and
// DIR/adapter_model.safetensors with tensors named like
// base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight.
func (a *Adapter) Save(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	c := a.Config
	pc := peftConfig{
		BaseModel: c.BaseModel, Bias: "none", InferenceMode: true, InitLoraWeights: true,
		LayersToTransform: c.Layers, LoraAlpha: c.Alpha, LoraDropout: c.Dropout, PeftType: "LORA",
		R: c.R, RankPattern: map[string]any{}, AlphaPattern: map[string]any{},
		TargetModules: c.TargetModules, TaskType: "CAUSAL_LM", UseRSLoRA: c.UseRSLoRA,
	}
	data, err := json.MarshalIndent(pc, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "adapter_config.json"), append(data, '\n'), 0o644); err != nil {
		return err
	}
	var ts []lm.NamedTensor
	for i, t := range a.Targets {
		av, err := tensors.CopyFlatData[float32](a.A[i])
		if err != nil {
			return err
		}
		bv, err := tensors.CopyFlatData[float32](a.B[i])
		if err != nil {
			return err
		}
		ts = append(ts,
			lm.NamedTensor{Name: t.PEFTName() + ".lora_A.weight", DType: "F32", Shape: []int{c.R, t.In}, Data: av},
			lm.NamedTensor{Name: t.PEFTName() + ".lora_B.weight", DType: "F32", Shape: []int{t.Out, c.R}, Data: bv})
	}
	return lm.WriteSafetensors(filepath.Join(dir, "adapter_model.safetensors"), ts, map[string]string{"format": "pt"})
}

// ReadConfig reads DIR/adapter_config.json.
func ReadConfig(dir string) (Config, error) {
	data, err := os.ReadFile(filepath.Join(dir, "adapter_config.json"))
	if err != nil {
		return Config{}, err
	}
	var pc peftConfig
	if err := json.Unmarshal(data, &pc); err != nil {
		return Config{}, fmt.Errorf("adapter_config.json: %w", err)
	}
	if pc.PeftType != "" && pc.PeftType != "LORA" {
		return Config{}, fmt.Errorf("adapter_config.json: peft_type %q is not LORA", pc.PeftType)
	}
	if pc.UseDora {
		return Config{}, fmt.Errorf("adapter_config.json: DoRA is not supported")
	}
	if pc.Bias != "" && pc.Bias != "none" {
		return Config{}, fmt.Errorf("adapter_config.json: bias %q is not supported", pc.Bias)
	}
	c := Config{R: pc.R, Alpha: pc.LoraAlpha, Dropout: pc.LoraDropout, Layers: pc.LayersToTransform,
		UseRSLoRA: pc.UseRSLoRA, BaseModel: pc.BaseModel}
	switch tm := pc.TargetModules.(type) {
	case []any:
		for _, x := range tm {
			s, _ := x.(string)
			c.TargetModules = append(c.TargetModules, s)
		}
	case string:
		if tm == "all-linear" {
			c.TargetModules = append([]string(nil), lm.Modules...)
		} else {
			return Config{}, fmt.Errorf("adapter_config.json: target_modules regex %q is not supported (give a list)", tm)
		}
	}
	return c, nil
}

// Load reads a PEFT adapter directory for a model config, checking every
// tensor's presence and shape; errors name the tensor.
func Load(dir string, mc lm.Config) (*Adapter, error) {
	c, err := ReadConfig(dir)
	if err != nil {
		return nil, err
	}
	a, err := newEmpty(mc, c)
	if err != nil {
		return nil, err
	}
	st, err := lm.OpenSafetensors(filepath.Join(dir, "adapter_model.safetensors"))
	if err != nil {
		return nil, err
	}
	defer st.Close()
	used := map[string]bool{}
	read := func(base, which string, shape []int) (*tensors.Tensor, error) {
		name := base + "." + which + ".weight"
		if _, ok := st.Tensors[name]; !ok {
			alt := base + "." + which + ".default.weight"
			if _, ok := st.Tensors[alt]; ok {
				name = alt
			}
		}
		v, ti, err := st.ReadFloat32(name)
		if err != nil {
			return nil, err
		}
		if !slices.Equal(ti.Shape, shape) {
			return nil, fmt.Errorf("tensor %q: shape %v, want %v (r=%d)", name, ti.Shape, shape, c.R)
		}
		used[name] = true
		return tensors.FromFlatDataAndDimensions(v, shape...), nil
	}
	for _, t := range a.Targets {
		at, err := read(t.PEFTName(), "lora_A", []int{c.R, t.In})
		if err != nil {
			return nil, err
		}
		bt, err := read(t.PEFTName(), "lora_B", []int{t.Out, c.R})
		if err != nil {
			return nil, err
		}
		a.A, a.B = append(a.A, at), append(a.B, bt)
	}
	for _, n := range st.Names() {
		if !used[n] && strings.Contains(n, "lora_") {
			return nil, fmt.Errorf("tensor %q: not a target of adapter_config.json (targets %v, layers %v)", n, c.TargetModules, c.Layers)
		}
	}
	return a, nil
}

// Merge returns a model whose adapted weights are W + scale·B·A, so it runs
// at base-model speed with no adapter. The base model is not modified.
func Merge(m *lm.Model, a *Adapter) (*lm.Model, error) {
	mg, err := NewMerger()
	if err != nil {
		return nil, err
	}
	defer mg.Close()
	return mg.Merge(m, a)
}

// Merger merges adapters into models with one compiled graph, for callers
// that merge again and again (a policy runner remerged after every
// optimiser step).
type Merger struct{ exec *Exec }

// NewMerger compiles the merge (W + scale·B·A) on first use.
func NewMerger() (*Merger, error) {
	be, err := lm.Backend()
	if err != nil {
		return nil, err
	}
	exec, err := NewExec(be, func(w, am, bm, scale *Node) *Node {
		return Add(w, Mul(DotGeneral(bm, []int{1}, nil, am, []int{0}, nil), scale))
	})
	if err != nil {
		return nil, err
	}
	return &Merger{exec: exec.SetMaxCache(-1)}, nil
}

// Merge is the package's Merge with this merger's graph.
func (mg *Merger) Merge(m *lm.Model, a *Adapter) (*lm.Model, error) {
	scale := tensors.FromScalar(float32(a.Config.Scale()))
	repl := map[string]*tensors.Tensor{}
	for i, t := range a.Targets {
		w := m.Param(t.BaseWeightName())
		if w == nil {
			return nil, fmt.Errorf("tensor %q: not in the base model", t.BaseWeightName())
		}
		out, err := mg.exec.Call(w, a.A[i], a.B[i], scale)
		if err != nil {
			return nil, fmt.Errorf("merging %s: %w", t.BaseWeightName(), err)
		}
		repl[t.BaseWeightName()] = out[0]
	}
	return m.WithParams(repl)
}

// Close frees the compiled graph.
func (mg *Merger) Close() { mg.exec.Finalize() }
