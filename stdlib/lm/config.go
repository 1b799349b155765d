package lm

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// RopeScaling is the rope_scaling entry of a Hugging Face config.json. Only
// the "linear" type (positions divided by Factor) is supported; a nil
// *RopeScaling means no scaling.
type RopeScaling struct {
	Type     string  `json:"type,omitempty"`
	RopeType string  `json:"rope_type,omitempty"` // newer transformers spell "type" so
	Factor   float64 `json:"factor"`
}

// IDList is a token id field that config files write as a number or a list
// (eos_token_id); it marshals back as a number when it holds one id.
type IDList []int

// UnmarshalJSON accepts a number, a list of numbers or null.
func (l *IDList) UnmarshalJSON(data []byte) error {
	var one int
	if err := json.Unmarshal(data, &one); err == nil {
		*l = IDList{one}
		return nil
	}
	var many []int
	if err := json.Unmarshal(data, &many); err != nil {
		return fmt.Errorf("token id: want a number or a list, got %s", data)
	}
	*l = many
	return nil
}

// MarshalJSON writes one id as a number, several as a list.
func (l IDList) MarshalJSON() ([]byte, error) {
	if len(l) == 1 {
		return json.Marshal(l[0])
	}
	return json.Marshal([]int(l))
}

// Config is the architecture of a Llama-family decoder-only model, with the
// field names of a Hugging Face config.json (LlamaConfig), so it reads and
// writes that file directly.
type Config struct {
	Architectures         []string     `json:"architectures,omitempty"`
	ModelType             string       `json:"model_type"`
	VocabSize             int          `json:"vocab_size"`
	HiddenSize            int          `json:"hidden_size"`
	IntermediateSize      int          `json:"intermediate_size"`
	NumHiddenLayers       int          `json:"num_hidden_layers"`
	NumAttentionHeads     int          `json:"num_attention_heads"`
	NumKeyValueHeads      int          `json:"num_key_value_heads"`
	HeadDimension         int          `json:"head_dim,omitempty"`
	HiddenAct             string       `json:"hidden_act"`
	MaxPositionEmbeddings int          `json:"max_position_embeddings"`
	RMSNormEps            float64      `json:"rms_norm_eps"`
	RopeTheta             float64      `json:"rope_theta"`
	RopeScaling           *RopeScaling `json:"rope_scaling"`
	TieWordEmbeddings     bool         `json:"tie_word_embeddings"`
	AttentionBias         bool         `json:"attention_bias"`
	MLPBias               bool         `json:"mlp_bias"`
	BOSTokenID            *int         `json:"bos_token_id,omitempty"`
	EOSTokenID            IDList       `json:"eos_token_id,omitempty"`
	PadTokenID            *int         `json:"pad_token_id,omitempty"`
	TorchDType            string       `json:"torch_dtype,omitempty"`
	InitializerRange      float64      `json:"initializer_range,omitempty"`
	TransformersVersion   string       `json:"transformers_version,omitempty"`
}

// HeadDim is the per-head dimension: head_dim when set, else hidden/heads.
func (c Config) HeadDim() int {
	if c.HeadDimension > 0 {
		return c.HeadDimension
	}
	if c.NumAttentionHeads == 0 {
		return 0
	}
	return c.HiddenSize / c.NumAttentionHeads
}

// KVHeads is num_key_value_heads, defaulting to num_attention_heads (plain
// multi-head attention) when the config leaves it out.
func (c Config) KVHeads() int {
	if c.NumKeyValueHeads > 0 {
		return c.NumKeyValueHeads
	}
	return c.NumAttentionHeads
}

// RopeFactor is the linear RoPE scaling factor (1 when there is none).
func (c Config) RopeFactor() float64 {
	if c.RopeScaling == nil || c.RopeScaling.Factor == 0 {
		return 1
	}
	return c.RopeScaling.Factor
}

// Validate reports the first inconsistency that would make the model
// unbuildable, or an unsupported feature.
func (c Config) Validate() error {
	switch {
	case c.VocabSize <= 0:
		return fmt.Errorf("config: vocab_size must be > 0, got %d", c.VocabSize)
	case c.HiddenSize <= 0:
		return fmt.Errorf("config: hidden_size must be > 0, got %d", c.HiddenSize)
	case c.IntermediateSize <= 0:
		return fmt.Errorf("config: intermediate_size must be > 0, got %d", c.IntermediateSize)
	case c.NumHiddenLayers <= 0:
		return fmt.Errorf("config: num_hidden_layers must be > 0, got %d", c.NumHiddenLayers)
	case c.NumAttentionHeads <= 0:
		return fmt.Errorf("config: num_attention_heads must be > 0, got %d", c.NumAttentionHeads)
	case c.HeadDimension == 0 && c.HiddenSize%c.NumAttentionHeads != 0:
		return fmt.Errorf("config: hidden_size %d is not a multiple of num_attention_heads %d", c.HiddenSize, c.NumAttentionHeads)
	case c.HeadDim()%2 != 0:
		return fmt.Errorf("config: head dimension %d must be even for RoPE", c.HeadDim())
	case c.NumAttentionHeads%c.KVHeads() != 0:
		return fmt.Errorf("config: num_attention_heads %d is not a multiple of num_key_value_heads %d", c.NumAttentionHeads, c.KVHeads())
	case c.RopeTheta <= 0:
		return fmt.Errorf("config: rope_theta must be > 0, got %g", c.RopeTheta)
	case c.RMSNormEps <= 0:
		return fmt.Errorf("config: rms_norm_eps must be > 0, got %g", c.RMSNormEps)
	case c.AttentionBias || c.MLPBias:
		return fmt.Errorf("config: attention_bias/mlp_bias are not supported")
	}
	if c.HiddenAct != "" && c.HiddenAct != "silu" && c.HiddenAct != "swish" {
		return fmt.Errorf("config: hidden_act %q is not supported (only silu)", c.HiddenAct)
	}
	if c.ModelType != "" && c.ModelType != "llama" && c.ModelType != "mistral" && c.ModelType != "qwen2" {
		// qwen2 has attention biases, caught above when set; mistral with sliding window is treated as full attention.
		return fmt.Errorf("config: model_type %q is not a Llama-family model", c.ModelType)
	}
	if s := c.RopeScaling; s != nil {
		t := s.Type
		if t == "" {
			t = s.RopeType
		}
		if t == "" {
			t = "linear"
		}
		if t != "linear" {
			return fmt.Errorf("config: rope_scaling type %q is not supported (only linear)", t)
		}
		if s.Factor <= 0 {
			return fmt.Errorf("config: rope_scaling factor must be > 0, got %g", s.Factor)
		}
	}
	return nil
}

// ParamCount is the number of parameters the config implies (lm_head
// counted once when tied to the embeddings).
func (c Config) ParamCount() int64 {
	h, hd := int64(c.HiddenSize), int64(c.HeadDim())
	q := h * int64(c.NumAttentionHeads) * hd
	kv := 2 * h * int64(c.KVHeads()) * hd
	o := int64(c.NumAttentionHeads) * hd * h
	mlp := 3 * h * int64(c.IntermediateSize)
	perLayer := q + kv + o + mlp + 2*h
	n := int64(c.NumHiddenLayers)*perLayer + int64(c.VocabSize)*h + h
	if !c.TieWordEmbeddings {
		n += int64(c.VocabSize) * h
	}
	return n
}

func intp(v int) *int { return &v }

// Byte-level vocabulary used by the tiny and small presets: ids 0..255 are
// bytes, then these specials (stdlib/tokenizer's ByteTokenizer, whose
// tokenizer.json WriteByteTokenizer writes).
const (
	ByteBOS   = 256
	ByteEOS   = 257
	BytePAD   = 258
	ByteVocab = 259
)

var presets = map[string]Config{
	// tiny: ~0.26M parameters; GQA (4 heads over 2 KV heads), linear RoPE
	// scaling and an untied head, so tests exercise every feature.
	"tiny": {
		Architectures: []string{"LlamaForCausalLM"}, ModelType: "llama",
		VocabSize: 512, HiddenSize: 64, IntermediateSize: 192, NumHiddenLayers: 4,
		NumAttentionHeads: 4, NumKeyValueHeads: 2, HiddenAct: "silu",
		MaxPositionEmbeddings: 1024, RMSNormEps: 1e-6, RopeTheta: 10000,
		RopeScaling: &RopeScaling{Type: "linear", Factor: 2},
		BOSTokenID:  intp(ByteBOS), EOSTokenID: IDList{ByteEOS}, PadTokenID: intp(BytePAD),
		TorchDType: "float32", InitializerRange: 0.02,
	},
	// small: ~3.2M parameters, trainable on two CPU cores.
	"small": {
		Architectures: []string{"LlamaForCausalLM"}, ModelType: "llama",
		VocabSize: 512, HiddenSize: 256, IntermediateSize: 688, NumHiddenLayers: 4,
		NumAttentionHeads: 8, NumKeyValueHeads: 4, HiddenAct: "silu",
		MaxPositionEmbeddings: 2048, RMSNormEps: 1e-6, RopeTheta: 10000,
		BOSTokenID: intp(ByteBOS), EOSTokenID: IDList{ByteEOS}, PadTokenID: intp(BytePAD),
		TorchDType: "float32", InitializerRange: 0.02,
	},
	// deepseek-coder-1.3b: the architecture of deepseek-ai/deepseek-coder-1.3b-base
	// (the -instruct variant differs only in eos_token_id 32021).
	"deepseek-coder-1.3b": {
		Architectures: []string{"LlamaForCausalLM"}, ModelType: "llama",
		VocabSize: 32256, HiddenSize: 2048, IntermediateSize: 5504, NumHiddenLayers: 24,
		NumAttentionHeads: 16, NumKeyValueHeads: 16, HiddenAct: "silu",
		MaxPositionEmbeddings: 16384, RMSNormEps: 1e-6, RopeTheta: 100000,
		RopeScaling: &RopeScaling{Type: "linear", Factor: 4},
		BOSTokenID:  intp(32013), EOSTokenID: IDList{32014},
		TorchDType: "bfloat16", InitializerRange: 0.02,
	},
}

// Preset returns a copy of a named configuration: "tiny", "small" or
// "deepseek-coder-1.3b".
func Preset(name string) (Config, error) {
	c, ok := presets[name]
	if !ok {
		return Config{}, fmt.Errorf("unknown config preset %q (have %s)", name, strings.Join(PresetNames(), ", "))
	}
	if c.RopeScaling != nil {
		s := *c.RopeScaling
		c.RopeScaling = &s
	}
	c.Architectures = append([]string(nil), c.Architectures...)
	return c, nil
}

// PresetNames lists the preset names, sorted.
func PresetNames() []string {
	var names []string
	for n := range presets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// LoadConfig reads DIR/config.json (or the file itself when path names a
// file) and validates it.
func LoadConfig(path string) (Config, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		path = filepath.Join(path, "config.json")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, err
	}
	var c Config
	if err := json.Unmarshal(data, &c); err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	if c.HiddenAct == "" {
		c.HiddenAct = "silu"
	}
	if c.RopeTheta == 0 {
		c.RopeTheta = 10000
	}
	if c.RMSNormEps == 0 {
		c.RMSNormEps = 1e-6
	}
	if err := c.Validate(); err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// WriteJSON writes the config as DIR/config.json.
func (c Config) WriteJSON(dir string) error {
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "config.json"), append(data, '\n'), 0o644)
}

// GenerationConfig is the subset of generation_config.json this package
// reads and writes.
type GenerationConfig struct {
	BOSTokenID  *int    `json:"bos_token_id,omitempty"`
	EOSTokenID  any     `json:"eos_token_id,omitempty"` // int or []int
	PadTokenID  *int    `json:"pad_token_id,omitempty"`
	DoSample    bool    `json:"do_sample,omitempty"`
	Temperature float64 `json:"temperature,omitempty"`
	TopP        float64 `json:"top_p,omitempty"`
	TopK        int     `json:"top_k,omitempty"`
	MaxNew      int     `json:"max_new_tokens,omitempty"`
}

// EOSTokenIDs returns the EOS ids (the field may be a number or a list).
func (g GenerationConfig) EOSTokenIDs() []int {
	switch v := g.EOSTokenID.(type) {
	case float64:
		return []int{int(v)}
	case int:
		return []int{v}
	case []any:
		var ids []int
		for _, x := range v {
			if f, ok := x.(float64); ok {
				ids = append(ids, int(f))
			}
		}
		return ids
	case []int:
		return v
	}
	return nil
}

// LoadGenerationConfig reads DIR/generation_config.json; a missing file is
// not an error (the zero value is returned).
func LoadGenerationConfig(dir string) (GenerationConfig, error) {
	var g GenerationConfig
	data, err := os.ReadFile(filepath.Join(dir, "generation_config.json"))
	if os.IsNotExist(err) {
		return g, nil
	}
	if err != nil {
		return g, err
	}
	if err := json.Unmarshal(data, &g); err != nil {
		return g, fmt.Errorf("generation_config.json: %w", err)
	}
	return g, nil
}
