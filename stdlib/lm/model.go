package lm

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/tensors"
)

var (
	backendOnce sync.Once
	backendVal  compute.Backend
	backendErr  error
)

// Backend returns the process-wide GoMLX backend: $GOMLX_BACKEND when set
// (e.g. "go", or "xla:/abs/path/pjrt_plugin.so" in binaries built with the
// xla tag), else the pure-Go backend.
func Backend() (compute.Backend, error) {
	backendOnce.Do(func() {
		defer func() {
			if r := recover(); r != nil {
				backendErr = fmt.Errorf("creating GoMLX backend: %v", r)
			}
		}()
		if cfg := os.Getenv(compute.ConfigEnvVar); cfg != "" {
			backendVal, backendErr = compute.NewWithConfig(cfg)
			return
		}
		backendVal, backendErr = compute.NewWithConfig(gobackend.BackendName)
	})
	return backendVal, backendErr
}

// Modules are the names of the linear projections of a decoder layer, as in
// Hugging Face's Llama (and PEFT's target_modules).
var Modules = []string{"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"}

// ModuleShape returns the [out, in] shape of a projection's weight.
func (c Config) ModuleShape(module string) (out, in int, err error) {
	h, hd := c.HiddenSize, c.HeadDim()
	switch module {
	case "q_proj":
		return c.NumAttentionHeads * hd, h, nil
	case "k_proj", "v_proj":
		return c.KVHeads() * hd, h, nil
	case "o_proj":
		return h, c.NumAttentionHeads * hd, nil
	case "gate_proj", "up_proj":
		return c.IntermediateSize, h, nil
	case "down_proj":
		return h, c.IntermediateSize, nil
	}
	return 0, 0, fmt.Errorf("unknown module %q (have %s)", module, strings.Join(Modules, ", "))
}

// ModulePrefix is the HF parent of a projection: "self_attn" or "mlp".
func ModulePrefix(module string) string {
	if strings.HasSuffix(module, "_proj") && (module == "gate_proj" || module == "up_proj" || module == "down_proj") {
		return "mlp"
	}
	return "self_attn"
}

// ParamSpec is one parameter of the model: its Hugging Face name and shape.
type ParamSpec struct {
	Name  string
	Shape []int
}

// ParamSpecs lists the model's parameters in the canonical order used for
// graph inputs: embeddings, then per layer input_layernorm, q, k, v, o,
// post_attention_layernorm, gate, up, down; then the final norm and, unless
// tied, lm_head.
func (c Config) ParamSpecs() []ParamSpec {
	h := c.HiddenSize
	specs := []ParamSpec{{"model.embed_tokens.weight", []int{c.VocabSize, h}}}
	for l := 0; l < c.NumHiddenLayers; l++ {
		p := fmt.Sprintf("model.layers.%d.", l)
		specs = append(specs, ParamSpec{p + "input_layernorm.weight", []int{h}})
		for _, m := range Modules {
			if m == "gate_proj" {
				specs = append(specs, ParamSpec{p + "post_attention_layernorm.weight", []int{h}})
			}
			out, in, _ := c.ModuleShape(m)
			specs = append(specs, ParamSpec{p + ModulePrefix(m) + "." + m + ".weight", []int{out, in}})
		}
	}
	specs = append(specs, ParamSpec{"model.norm.weight", []int{h}})
	if !c.TieWordEmbeddings {
		specs = append(specs, ParamSpec{"lm_head.weight", []int{c.VocabSize, h}})
	}
	return specs
}

// Model is a Llama-family decoder with its weights as float32 tensors, in
// the order of Config.ParamSpecs. A Model is read-only once built; run it
// through a Runner (inference) or a lora.Trainer (training).
type Model struct {
	Config Config
	// Dir is the directory the model was loaded from ("" for a new one):
	// Save copies its tokenizer files.
	Dir string
	// SourceDTypes counts the checkpoint's tensors by their on-disk dtype.
	SourceDTypes map[string]int
	specs        []ParamSpec
	params       []*tensors.Tensor
	index        map[string]int
}

// NewModel builds a model from float32 values keyed by HF tensor name,
// checking every name and shape.
func NewModel(cfg Config, values map[string][]float32) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Model{Config: cfg, specs: cfg.ParamSpecs(), index: map[string]int{}}
	for i, s := range m.specs {
		v, ok := values[s.Name]
		if !ok {
			return nil, fmt.Errorf("tensor %q: missing", s.Name)
		}
		if n := numElements(s.Shape); len(v) != n {
			return nil, fmt.Errorf("tensor %q: %d values, want shape %v (%d)", s.Name, len(v), s.Shape, n)
		}
		m.params = append(m.params, tensors.FromFlatDataAndDimensions(v, s.Shape...))
		m.index[s.Name] = i
	}
	return m, nil
}

func numElements(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// Params returns the parameter tensors in ParamSpecs order (shared, do not
// modify).
func (m *Model) Params() []*tensors.Tensor { return m.params }

// Specs returns the parameter names and shapes in graph-input order.
func (m *Model) Specs() []ParamSpec { return m.specs }

// Param returns a parameter by HF name (nil when absent).
func (m *Model) Param(name string) *tensors.Tensor {
	if i, ok := m.index[name]; ok {
		return m.params[i]
	}
	return nil
}

// ParamValues copies a parameter's values to the host.
func (m *Model) ParamValues(name string) ([]float32, error) {
	t := m.Param(name)
	if t == nil {
		return nil, fmt.Errorf("tensor %q: not in model", name)
	}
	return tensors.CopyFlatData[float32](t)
}

// WithParams returns a model sharing m's config with some parameters
// replaced (by HF name); shapes must match.
func (m *Model) WithParams(repl map[string]*tensors.Tensor) (*Model, error) {
	n := &Model{Config: m.Config, Dir: m.Dir, SourceDTypes: m.SourceDTypes, specs: m.specs, index: m.index,
		params: append([]*tensors.Tensor(nil), m.params...)}
	for name, t := range repl {
		i, ok := m.index[name]
		if !ok {
			return nil, fmt.Errorf("tensor %q: not in model", name)
		}
		if !t.Shape().Equal(m.params[i].Shape()) {
			return nil, fmt.Errorf("tensor %q: shape %s, want %s", name, t.Shape(), m.params[i].Shape())
		}
		n.params[i] = t
	}
	return n, nil
}

// NumParams is the number of parameters held.
func (m *Model) NumParams() int64 {
	var n int64
	for _, t := range m.params {
		n += int64(t.Size())
	}
	return n
}

// RandomOptions control NewRandom.
type RandomOptions struct {
	Seed uint64
	// Std is the standard deviation of the projection and embedding weights
	// (0 means the config's initializer_range, else 0.02).
	Std float64
	// NormJitter adds N(0, NormJitter) noise to the RMSNorm weights (which
	// are otherwise 1), so tests exercise them.
	NormJitter float64
}

// RandomValues draws random weights (deterministic for a seed), keyed by HF
// name.
func RandomValues(cfg Config, opt RandomOptions) map[string][]float32 {
	std := opt.Std
	if std == 0 {
		std = cfg.InitializerRange
	}
	if std == 0 {
		std = 0.02
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x5ec0de))
	values := map[string][]float32{}
	for _, s := range cfg.ParamSpecs() {
		v := make([]float32, numElements(s.Shape))
		if len(s.Shape) == 1 {
			for i := range v {
				v[i] = float32(1 + opt.NormJitter*rng.NormFloat64())
			}
		} else {
			for i := range v {
				v[i] = float32(std * rng.NormFloat64())
			}
		}
		values[s.Name] = v
	}
	return values
}

// NewRandom builds a model with random weights (see RandomValues).
func NewRandom(cfg Config, opt RandomOptions) (*Model, error) {
	return NewModel(cfg, RandomValues(cfg, opt))
}

// LoadOptions control Load.
type LoadOptions struct {
	// AllowMixedDTypes accepts tensors whose dtype differs from the config's
	// torch_dtype (they are all converted to float32 anyway).
	AllowMixedDTypes bool
}

// safetensorsDType maps torch_dtype to the safetensors dtype name.
func safetensorsDType(torch string) string {
	switch torch {
	case "float32":
		return "F32"
	case "bfloat16":
		return "BF16"
	case "float16":
		return "F16"
	}
	return ""
}

// ignoredTensor reports checkpoint tensors that carry no weights we need.
func ignoredTensor(name string) bool {
	return strings.HasSuffix(name, "rotary_emb.inv_freq")
}

// Load reads a Hugging Face checkpoint directory: config.json plus
// model.safetensors or sharded model-0000x-of-0000y.safetensors with
// model.safetensors.index.json. Every tensor's name, shape and dtype is
// checked; errors name the tensor.
func Load(dir string, opt LoadOptions) (*Model, error) {
	cfg, err := LoadConfig(dir)
	if err != nil {
		return nil, err
	}
	st, err := OpenSafetensors(dir)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	want := safetensorsDType(cfg.TorchDType)
	specs := cfg.ParamSpecs()
	known := map[string]bool{}
	for _, s := range specs {
		known[s.Name] = true
	}
	if cfg.TieWordEmbeddings {
		known["lm_head.weight"] = true // present in some tied checkpoints; ignored
	}
	for _, name := range st.Names() {
		if !known[name] && !ignoredTensor(name) {
			return nil, fmt.Errorf("tensor %q: unexpected in a %d-layer Llama checkpoint", name, cfg.NumHiddenLayers)
		}
	}
	values := map[string][]float32{}
	dts := map[string]int{}
	for _, s := range specs {
		ti, ok := st.Tensors[s.Name]
		if !ok {
			if s.Name == "lm_head.weight" {
				return nil, fmt.Errorf("tensor %q: missing (config has tie_word_embeddings=false)", s.Name)
			}
			return nil, fmt.Errorf("tensor %q: missing from checkpoint", s.Name)
		}
		if !equalInts(ti.Shape, s.Shape) {
			return nil, fmt.Errorf("tensor %q: shape %v in checkpoint, config implies %v", s.Name, ti.Shape, s.Shape)
		}
		switch ti.DType {
		case "F32", "BF16", "F16":
		default:
			return nil, fmt.Errorf("tensor %q: dtype %s is not supported (F32, BF16, F16)", s.Name, ti.DType)
		}
		if want != "" && ti.DType != want && !opt.AllowMixedDTypes {
			return nil, fmt.Errorf("tensor %q: dtype %s, config torch_dtype is %s (%s)", s.Name, ti.DType, cfg.TorchDType, want)
		}
		v, _, err := st.ReadFloat32(s.Name)
		if err != nil {
			return nil, err
		}
		values[s.Name] = v
		dts[ti.DType]++
	}
	m, err := NewModel(cfg, values)
	if err != nil {
		return nil, err
	}
	m.SourceDTypes = dts
	m.Dir = dir
	return m, nil
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// SaveOptions control Save.
type SaveOptions struct {
	// DType is the on-disk dtype: "float32" (default), "bfloat16" or "float16".
	DType string
	// MaxShardBytes splits the weights into shards with an index file when
	// they exceed it (0: one model.safetensors).
	MaxShardBytes int64
	// NoTokenizer writes no tokenizer files.
	NoTokenizer bool
	// TokenizerJSON, when set, is written as tokenizer.json (with a
	// tokenizer_config.json naming <|bos|>, <|eos|> and <|pad|>); else
	// TokenizerFrom's tokenizer files are copied, else a model over the
	// byte vocabulary gets the byte tokenizer (tiny/small presets).
	TokenizerJSON []byte
	TokenizerFrom string
}

// tokenizerFiles are copied with a model.
var tokenizerFiles = []string{"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"}

// Save writes the model in Hugging Face layout: config.json,
// generation_config.json, model.safetensors (or shards + index) and, for
// byte-vocabulary models, tokenizer.json and tokenizer_config.json.
func (m *Model) Save(dir string, opt SaveOptions) error {
	values := map[string][]float32{}
	for i, s := range m.specs {
		v, err := tensors.CopyFlatData[float32](m.params[i])
		if err != nil {
			return fmt.Errorf("tensor %q: %w", s.Name, err)
		}
		values[s.Name] = v
	}
	if opt.TokenizerFrom == "" && opt.TokenizerJSON == nil {
		opt.TokenizerFrom = m.Dir
	}
	return SaveValues(dir, m.Config, values, opt)
}

// SaveRandom writes a random-weight checkpoint (see RandomValues) without
// building a Model, so a large config needs its weights in memory only once.
func SaveRandom(dir string, cfg Config, ropt RandomOptions, opt SaveOptions) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	return SaveValues(dir, cfg, RandomValues(cfg, ropt), opt)
}

// SaveValues writes weights given by HF name in Hugging Face layout (see
// Model.Save); every tensor of cfg.ParamSpecs must be present.
func SaveValues(dir string, cfg Config, values map[string][]float32, opt SaveOptions) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	dt := opt.DType
	if dt == "" {
		dt = "float32"
	}
	sdt := safetensorsDType(dt)
	if sdt == "" {
		return fmt.Errorf("unsupported dtype %q (float32, bfloat16, float16)", dt)
	}
	cfg.TorchDType = dt
	var ts []NamedTensor
	for _, s := range cfg.ParamSpecs() {
		v, ok := values[s.Name]
		if !ok || len(v) != numElements(s.Shape) {
			return fmt.Errorf("tensor %q: missing or not of shape %v", s.Name, s.Shape)
		}
		ts = append(ts, NamedTensor{Name: s.Name, DType: sdt, Shape: s.Shape, Data: v})
	}
	if err := cfg.WriteJSON(dir); err != nil {
		return err
	}
	if err := WriteGenerationConfig(dir, cfg); err != nil {
		return err
	}
	if err := WriteShardedSafetensors(dir, ts, opt.MaxShardBytes); err != nil {
		return err
	}
	switch {
	case opt.NoTokenizer:
	case opt.TokenizerJSON != nil:
		return WriteTokenizer(dir, opt.TokenizerJSON)
	case opt.TokenizerFrom != "" && fileExists(filepath.Join(opt.TokenizerFrom, "tokenizer.json")):
		if filepath.Clean(opt.TokenizerFrom) == filepath.Clean(dir) {
			return nil
		}
		for _, f := range tokenizerFiles {
			data, err := os.ReadFile(filepath.Join(opt.TokenizerFrom, f))
			if os.IsNotExist(err) {
				continue
			}
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
				return err
			}
		}
	case cfg.VocabSize >= ByteVocab && cfg.BOSTokenID != nil && *cfg.BOSTokenID == ByteBOS:
		return WriteByteTokenizer(dir)
	}
	return nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// WriteGenerationConfig writes generation_config.json from the config's
// special token ids.
func WriteGenerationConfig(dir string, cfg Config) error {
	g := GenerationConfig{BOSTokenID: cfg.BOSTokenID, PadTokenID: cfg.PadTokenID}
	if len(cfg.EOSTokenID) == 1 {
		g.EOSTokenID = cfg.EOSTokenID[0]
	} else if len(cfg.EOSTokenID) > 1 {
		g.EOSTokenID = []int(cfg.EOSTokenID)
	}
	data, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "generation_config.json"), append(data, '\n'), 0o644)
}

// Info summarizes a checkpoint directory without building graphs.
type Info struct {
	Dir          string         `json:"dir"`
	Architecture string         `json:"architecture"`
	Config       Config         `json:"config"`
	HeadDim      int            `json:"head_dim"`
	Params       int64          `json:"params"`
	ConfigParams int64          `json:"config_params"`
	DTypes       map[string]int `json:"dtypes,omitempty"`
	Files        []string       `json:"files"`
	Tensors      int            `json:"tensors"`
	Bytes        int64          `json:"weight_bytes"`
	HasWeights   bool           `json:"has_weights"`
	Tokenizer    bool           `json:"tokenizer"`
}

// ReadInfo reads config.json and the safetensors headers (not the data).
func ReadInfo(dir string) (Info, error) {
	cfg, err := LoadConfig(dir)
	if err != nil {
		return Info{}, err
	}
	inf := Info{Dir: dir, Config: cfg, HeadDim: cfg.HeadDim(), ConfigParams: cfg.ParamCount()}
	if len(cfg.Architectures) > 0 {
		inf.Architecture = cfg.Architectures[0]
	} else {
		inf.Architecture = cfg.ModelType
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		inf.Files = append(inf.Files, e.Name())
		if e.Name() == "tokenizer.json" {
			inf.Tokenizer = true
		}
	}
	st, err := OpenSafetensors(dir)
	if errors.Is(err, ErrNoWeights) {
		return inf, nil // config only (e.g. a preset written without weights)
	}
	if err != nil {
		return inf, fmt.Errorf("weights: %w", err)
	}
	defer st.Close()
	inf.HasWeights = true
	inf.DTypes = map[string]int{}
	files := map[string]bool{}
	for _, ti := range st.Tensors {
		inf.Tensors++
		inf.Params += ti.NumElements()
		inf.Bytes += ti.Size
		inf.DTypes[ti.DType]++
		files[filepath.Base(ti.File)] = true
	}
	sort.Strings(inf.Files)
	return inf, nil
}

// ropeInvFreq returns the RoPE inverse frequencies for the config, computed
// as Hugging Face does (float32).
func ropeInvFreq(cfg Config) []float32 {
	hd := cfg.HeadDim()
	inv := make([]float32, hd/2)
	for i := range inv {
		exp := float32(2*i) / float32(hd)
		inv[i] = float32(1.0 / math.Pow(cfg.RopeTheta, float64(exp)))
	}
	return inv
}
