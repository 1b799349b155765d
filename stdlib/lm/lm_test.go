package lm

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomlx/compute/dtypes/bfloat16"
	"github.com/gomlx/compute/dtypes/float16"

	"github.com/securecoderl/securecoderl/stdlib/tokenizer"
)

var update = flag.Bool("update", false, "regenerate testdata/reference/tiny_golden.json with forward.py")

const goldenPath = "testdata/reference/tiny_golden.json"

// tinyValues are the deterministic weights of the reference checkpoint.
func tinyValues(t testing.TB) (Config, map[string][]float32) {
	cfg, err := Preset("tiny")
	if err != nil {
		t.Fatal(err)
	}
	return cfg, RandomValues(cfg, RandomOptions{Seed: 1, Std: 0.08, NormJitter: 0.1})
}

// writeTiny writes the reference tiny checkpoint to dir with an on-disk dtype.
func writeTiny(t testing.TB, dir, dtype string) *Model {
	cfg, vals := tinyValues(t)
	m, err := NewModel(cfg, vals)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Save(dir, SaveOptions{DType: dtype}); err != nil {
		t.Fatal(err)
	}
	return m
}

func fileSHA(t testing.TB, path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

type golden struct {
	SHA    string        `json:"checkpoint_sha256"`
	IDs    [][]int       `json:"ids"`
	Mask   [][]int       `json:"mask"`
	Logits [][][]float64 `json:"logits"`
}

// referenceBatch: a full row, a left-padded row and a right-padded row.
func referenceBatch() ([][]int, [][]int) {
	ids := [][]int{
		{ByteBOS, 'd', 'e', 'f', ' ', 'f', '(', 'x', ')'},
		{BytePAD, BytePAD, BytePAD, BytePAD, ByteBOS, 'p', 'r', 'i', 'n'},
		{ByteBOS, 'r', 'e', 't', 'u', 'r', 'n', BytePAD, BytePAD},
	}
	mask := [][]int{
		{1, 1, 1, 1, 1, 1, 1, 1, 1},
		{0, 0, 0, 0, 1, 1, 1, 1, 1},
		{1, 1, 1, 1, 1, 1, 1, 0, 0},
	}
	return ids, mask
}

func runPython(t testing.TB, ckpt, in, out string) {
	cmd := exec.Command("/usr/bin/python3", "testdata/reference/forward.py", ckpt, in, out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("forward.py: %v\n%s", err, b)
	}
}

func haveNumPy() bool {
	return exec.Command("/usr/bin/python3", "-c", "import numpy").Run() == nil
}

func readGolden(t testing.TB, path string) golden {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

func batchFromRows(ids, mask [][]int) Batch {
	b := Batch{B: len(ids), T: len(ids[0])}
	for i := range ids {
		for j := range ids[i] {
			b.IDs = append(b.IDs, int32(ids[i][j]))
			b.Mask = append(b.Mask, int32(mask[i][j]))
		}
	}
	return b
}

// TestReferenceLogits compares our float32 logits with the NumPy float64
// reference (forward.py) on the deterministic tiny checkpoint.
func TestReferenceLogits(t *testing.T) {
	dir := t.TempDir()
	writeTiny(t, dir, "float32")
	sha := fileSHA(t, filepath.Join(dir, "model.safetensors"))
	if *update {
		ids, mask := referenceBatch()
		in := filepath.Join(dir, "input.json")
		data, _ := json.Marshal(map[string]any{"ids": ids, "mask": mask})
		if err := os.WriteFile(in, data, 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "out.json")
		runPython(t, dir, in, out)
		g := readGolden(t, out)
		g.SHA = sha
		data, _ = json.Marshal(g)
		if err := os.WriteFile(goldenPath, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g := readGolden(t, goldenPath)
	if g.SHA != sha {
		t.Fatalf("tiny checkpoint changed (sha %s, golden made from %s): rerun with -update", sha, g.SHA)
	}
	m, err := Load(dir, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRunner(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b := batchFromRows(g.IDs, g.Mask)
	logits, err := r.Logits(b)
	if err != nil {
		t.Fatal(err)
	}
	v := m.Config.VocabSize
	worst := 0.0
	for i := 0; i < b.B; i++ {
		for j := 0; j < b.T; j++ {
			if g.Mask[i][j] == 0 {
				continue
			}
			ref := g.Logits[i][j]
			scale := 0.0
			for _, x := range ref {
				scale = math.Max(scale, math.Abs(x))
			}
			for k := 0; k < v; k++ {
				rel := math.Abs(float64(logits[(i*b.T+j)*v+k])-ref[k]) / scale
				worst = math.Max(worst, rel)
			}
		}
	}
	t.Logf("worst relative logit error vs NumPy float64: %.2e", worst)
	if worst > 1e-4 {
		t.Fatalf("logits differ from the reference: worst relative error %.2e > 1e-4", worst)
	}
}

// TestReferenceScriptLive reruns forward.py (when NumPy is there) and checks
// it reproduces the checked-in golden logits, for f32, bf16 and f16 files
// and a sharded checkpoint.
func TestReferenceScriptLive(t *testing.T) {
	if !haveNumPy() {
		t.Skip("/usr/bin/python3 with NumPy not available")
	}
	g := readGolden(t, goldenPath)
	dir := t.TempDir()
	in := filepath.Join(dir, "input.json")
	data, _ := json.Marshal(map[string]any{"ids": g.IDs, "mask": g.Mask})
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	ck := filepath.Join(dir, "f32")
	writeTiny(t, ck, "float32")
	out := filepath.Join(dir, "out.json")
	runPython(t, ck, in, out)
	live := readGolden(t, out)
	for i := range g.Logits {
		for j := range g.Logits[i] {
			for k := range g.Logits[i][j] {
				if d := math.Abs(live.Logits[i][j][k] - g.Logits[i][j][k]); d > 1e-7 {
					t.Fatalf("forward.py now gives %g at [%d][%d][%d], golden %g", live.Logits[i][j][k], i, j, k, g.Logits[i][j][k])
				}
			}
		}
	}
	// bf16 on disk: the Go loader and the script must agree too.
	bf := filepath.Join(dir, "bf16")
	writeTiny(t, bf, "bfloat16")
	runPython(t, bf, in, out)
	refBF := readGolden(t, out)
	m, err := Load(bf, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRunner(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b := batchFromRows(g.IDs, g.Mask)
	logits, err := r.Logits(b)
	if err != nil {
		t.Fatal(err)
	}
	v := m.Config.VocabSize
	for i := 0; i < b.B; i++ {
		for j := 0; j < b.T; j++ {
			if g.Mask[i][j] == 0 {
				continue
			}
			for k := 0; k < v; k++ {
				ref := refBF.Logits[i][j][k]
				if d := math.Abs(float64(logits[(i*b.T+j)*v+k]) - ref); d > 1e-4*math.Max(1, math.Abs(ref)) {
					t.Fatalf("bf16 checkpoint: logit [%d][%d][%d] = %g, reference %g", i, j, k, logits[(i*b.T+j)*v+k], ref)
				}
			}
		}
	}
}

func TestLoadDTypesAndShards(t *testing.T) {
	cfg, vals := tinyValues(t)
	m, _ := NewModel(cfg, vals)
	base := t.TempDir()
	name := "model.layers.1.self_attn.k_proj.weight"
	for _, dt := range []string{"bfloat16", "float16"} {
		dir := filepath.Join(base, dt)
		if err := m.Save(dir, SaveOptions{DType: dt}); err != nil {
			t.Fatal(err)
		}
		got, err := Load(dir, LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		v, _ := got.ParamValues(name)
		for i, x := range vals[name] {
			want := bfloat16.FromFloat32(x).Float32()
			if dt == "float16" {
				want = float16.FromFloat32(x).Float32()
			}
			if v[i] != want {
				t.Fatalf("%s: %s[%d] = %g, want %g (from %g)", dt, name, i, v[i], want, x)
			}
		}
		if got.SourceDTypes[safetensorsDType(dt)] != len(cfg.ParamSpecs()) {
			t.Fatalf("%s: source dtypes %v", dt, got.SourceDTypes)
		}
	}
	// Sharded: same values as in memory.
	dir := filepath.Join(base, "sharded")
	if err := m.Save(dir, SaveOptions{MaxShardBytes: 300 << 10}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "model.safetensors.index.json")); err != nil {
		t.Fatal("no index written:", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "model-00001-of-00004.safetensors")); err != nil {
		entries, _ := os.ReadDir(dir)
		t.Fatalf("shard names: %v", entries)
	}
	got, err := Load(dir, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range cfg.ParamSpecs() {
		v, _ := got.ParamValues(s.Name)
		for i := range v {
			if v[i] != vals[s.Name][i] {
				t.Fatalf("sharded %s[%d] = %g, want %g", s.Name, i, v[i], vals[s.Name][i])
			}
		}
	}
	inf, err := ReadInfo(dir)
	if err != nil || inf.Params != cfg.ParamCount() || !inf.HasWeights {
		t.Fatalf("ReadInfo: %+v, %v (want %d params)", inf, err, cfg.ParamCount())
	}
}

// TestLoadErrors: every mismatch names the tensor.
func TestLoadErrors(t *testing.T) {
	cfg, vals := tinyValues(t)
	write := func(t *testing.T, mutate func(ts []NamedTensor) []NamedTensor, cfgMut func(*Config)) string {
		dir := t.TempDir()
		c := cfg
		if cfgMut != nil {
			cfgMut(&c)
		}
		if err := c.WriteJSON(dir); err != nil {
			t.Fatal(err)
		}
		var ts []NamedTensor
		for _, s := range cfg.ParamSpecs() {
			ts = append(ts, NamedTensor{Name: s.Name, DType: "F32", Shape: s.Shape, Data: vals[s.Name]})
		}
		if err := WriteSafetensors(filepath.Join(dir, "model.safetensors"), mutate(ts), nil); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	cases := []struct {
		name, want string
		mutate     func([]NamedTensor) []NamedTensor
		cfgMut     func(*Config)
	}{
		{"shape", `tensor "model.layers.2.mlp.up_proj.weight": shape [192 32]`, func(ts []NamedTensor) []NamedTensor {
			for i := range ts {
				if ts[i].Name == "model.layers.2.mlp.up_proj.weight" {
					ts[i].Shape = []int{192, 32}
					ts[i].Data = ts[i].Data[:192*32]
				}
			}
			return ts
		}, nil},
		{"dtype", `tensor "model.norm.weight": dtype F16, config torch_dtype is float32`, func(ts []NamedTensor) []NamedTensor {
			for i := range ts {
				if ts[i].Name == "model.norm.weight" {
					ts[i].DType = "F16"
				}
			}
			return ts
		}, nil},
		{"missing", `tensor "model.layers.3.self_attn.v_proj.weight": missing`, func(ts []NamedTensor) []NamedTensor {
			var out []NamedTensor
			for _, x := range ts {
				if x.Name != "model.layers.3.self_attn.v_proj.weight" {
					out = append(out, x)
				}
			}
			return out
		}, nil},
		{"unexpected", `tensor "model.layers.4.input_layernorm.weight": unexpected`, func(ts []NamedTensor) []NamedTensor {
			return append(ts, NamedTensor{Name: "model.layers.4.input_layernorm.weight", Shape: []int{64}, Data: make([]float32, 64)})
		}, nil},
		{"untied head missing", `tensor "lm_head.weight": missing (config has tie_word_embeddings=false)`, func(ts []NamedTensor) []NamedTensor {
			return ts[:len(ts)-1]
		}, nil},
		{"config disagrees", `tensor "model.layers.0.self_attn.k_proj.weight": shape [32 64] in checkpoint, config implies [64 64]`,
			func(ts []NamedTensor) []NamedTensor { return ts }, func(c *Config) { c.NumKeyValueHeads = 4 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := write(t, tc.mutate, tc.cfgMut)
			_, err := Load(dir, LoadOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
	// Mixed dtypes pass when allowed.
	dir := write(t, cases[1].mutate, nil)
	if _, err := Load(dir, LoadOptions{AllowMixedDTypes: true}); err != nil {
		t.Fatal(err)
	}
}

// TestTiedHead: with tie_word_embeddings the checkpoint has no lm_head and
// logits use the embeddings.
func TestTiedHead(t *testing.T) {
	cfg, _ := Preset("tiny")
	cfg.TieWordEmbeddings = true
	m, err := NewRandom(cfg, RandomOptions{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := m.Save(dir, SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	st, _ := OpenSafetensors(dir)
	if _, ok := st.Tensors["lm_head.weight"]; ok {
		t.Fatal("tied checkpoint has lm_head.weight")
	}
	st.Close()
	if _, err := Load(dir, LoadOptions{}); err != nil {
		t.Fatal(err)
	}
	if m.NumParams() != cfg.ParamCount() {
		t.Fatalf("params %d, config says %d", m.NumParams(), cfg.ParamCount())
	}
}

func TestPresets(t *testing.T) {
	ds, err := Preset("deepseek-coder-1.3b")
	if err != nil {
		t.Fatal(err)
	}
	if ds.HiddenSize != 2048 || ds.NumHiddenLayers != 24 || ds.NumAttentionHeads != 16 || ds.IntermediateSize != 5504 ||
		ds.VocabSize != 32256 || ds.RopeTheta != 100000 || ds.RopeFactor() != 4 {
		t.Fatalf("deepseek preset: %+v", ds)
	}
	if n := ds.ParamCount(); n < 1_300_000_000 || n > 1_400_000_000 {
		t.Fatalf("deepseek params %d", n)
	}
	dir := t.TempDir()
	if err := ds.WriteJSON(dir); err != nil {
		t.Fatal(err)
	}
	back, err := LoadConfig(dir)
	if err != nil || back.RopeFactor() != 4 || back.HeadDim() != 128 {
		t.Fatalf("round trip: %+v %v", back, err)
	}
	for _, n := range []string{"tiny", "small"} {
		c, _ := Preset(n)
		t.Logf("%s: %d params", n, c.ParamCount())
	}
	tiny, _ := Preset("tiny")
	if n := tiny.ParamCount(); n < 100_000 || n > 1_000_000 {
		t.Fatalf("tiny has %d params", n)
	}
	small, _ := Preset("small")
	if n := small.ParamCount(); n < 1_000_000 || n > 10_000_000 {
		t.Fatalf("small has %d params", n)
	}
}

// TestKVCacheMatchesFullForward: prefill + one-token decode steps give the
// same logits as the full (uncached) forward pass, with left padding.
func TestKVCacheMatchesFullForward(t *testing.T) {
	cfg, vals := tinyValues(t)
	m, _ := NewModel(cfg, vals)
	r, err := NewRunner(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	seqs := [][]int{{ByteBOS, 'a', 'b', 'c', 'd', 'e', 'f', 'g'}, {ByteBOS, 'x', 'y', 'z', 'w', 'v'}}
	prompt := 3 // the first rows' prompts are seqs[i][:len-3]
	var prompts [][]int
	for _, s := range seqs {
		prompts = append(prompts, s[:len(s)-prompt])
	}
	pb := PadLeft(prompts, BytePAD, 8)
	logits, st, err := r.Prefill(pb, 16)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Free()
	v := cfg.VocabSize
	step := [][]float32{logits}
	for k := 0; k < prompt; k++ {
		ids := make([]int32, len(seqs))
		for i, s := range seqs {
			ids[i] = int32(s[len(s)-prompt+k])
		}
		lg, err := r.Decode(st, ids)
		if err != nil {
			t.Fatal(err)
		}
		step = append(step, lg)
	}
	full := PadLeft(seqs, BytePAD, 0)
	fl, err := r.Logits(full)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range seqs {
		for k := 0; k <= prompt; k++ {
			pos := full.T - prompt - 1 + k // column in the full batch
			_ = s
			for x := 0; x < v; x++ {
				a, b := step[k][i*v+x], fl[(i*full.T+pos)*v+x]
				if math.Abs(float64(a-b)) > 1e-4*math.Max(1, math.Abs(float64(b))) {
					t.Fatalf("row %d step %d vocab %d: cached %g, full %g", i, k, x, a, b)
				}
			}
		}
	}
	// TokenLogProbs agrees with a log-softmax of Logits.
	lp, err := r.TokenLogProbs(full)
	if err != nil {
		t.Fatal(err)
	}
	for i := range seqs {
		for j := 0; j < full.T-1; j++ {
			if full.Mask[i*full.T+j+1] == 0 {
				continue
			}
			row := fl[(i*full.T+j)*v : (i*full.T+j+1)*v]
			want := logSoftmaxAt(row, int(full.IDs[i*full.T+j+1]))
			if math.Abs(float64(lp[i][j])-want) > 1e-4 {
				t.Fatalf("logprob row %d pos %d: %g vs %g", i, j, lp[i][j], want)
			}
		}
	}
}

func logSoftmaxAt(row []float32, k int) float64 {
	mx := math.Inf(-1)
	for _, x := range row {
		mx = math.Max(mx, float64(x))
	}
	s := 0.0
	for _, x := range row {
		s += math.Exp(float64(x) - mx)
	}
	return float64(row[k]) - mx - math.Log(s)
}

// The config.json of deepseek-ai/deepseek-coder-1.3b-base as published.
const deepseekConfigJSON = `{
  "_name_or_path": "deepseek-ai/deepseek-coder-1.3b-base",
  "architectures": ["LlamaForCausalLM"],
  "attention_bias": false,
  "bos_token_id": 32013,
  "eos_token_id": 32014,
  "hidden_act": "silu",
  "hidden_size": 2048,
  "initializer_range": 0.02,
  "intermediate_size": 5504,
  "max_position_embeddings": 16384,
  "model_type": "llama",
  "num_attention_heads": 16,
  "num_hidden_layers": 24,
  "num_key_value_heads": 16,
  "pretraining_tp": 1,
  "rms_norm_eps": 1e-06,
  "rope_scaling": {"factor": 4.0, "type": "linear"},
  "rope_theta": 100000,
  "tie_word_embeddings": false,
  "torch_dtype": "bfloat16",
  "transformers_version": "4.33.1",
  "use_cache": true,
  "vocab_size": 32256
}`

func TestDeepseekConfigFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(deepseekConfigJSON), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := LoadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := Preset("deepseek-coder-1.3b")
	p.MaxPositionEmbeddings = c.MaxPositionEmbeddings
	if c.ParamCount() != p.ParamCount() || c.RopeFactor() != 4 || c.EOSTokenID[0] != 32014 || c.KVHeads() != 16 {
		t.Fatalf("loaded %+v", c)
	}
	// Newer spellings: rope_type, a list of EOS ids.
	alt := strings.Replace(strings.Replace(deepseekConfigJSON, `"type": "linear"`, `"rope_type": "linear"`, 1),
		`"eos_token_id": 32014`, `"eos_token_id": [32014, 32021]`, 1)
	os.WriteFile(filepath.Join(dir, "config.json"), []byte(alt), 0o644)
	if c, err = LoadConfig(dir); err != nil || len(c.EOSTokenID) != 2 || c.RopeFactor() != 4 {
		t.Fatalf("newer spellings: %+v %v", c, err)
	}
	bad := strings.Replace(deepseekConfigJSON, `"type": "linear"`, `"type": "yarn"`, 1)
	os.WriteFile(filepath.Join(dir, "config.json"), []byte(bad), 0o644)
	if _, err := LoadConfig(dir); err == nil || !strings.Contains(err.Error(), `rope_scaling type "yarn" is not supported`) {
		t.Fatalf("yarn: %v", err)
	}
}

// TestTokenizerFiles: the tokenizer.json written beside a byte-vocabulary
// checkpoint loads with stdlib/tokenizer and agrees with the config's ids.
func TestTokenizerFiles(t *testing.T) {
	dir := t.TempDir()
	writeTiny(t, dir, "float32")
	tok, err := tokenizer.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := LoadConfig(dir)
	if tok.BOS() != *cfg.BOSTokenID || tok.EOS() != cfg.EOSTokenID[0] || tok.PAD() != *cfg.PadTokenID {
		t.Fatalf("tokenizer specials %d/%d/%d, config %d/%v/%d", tok.BOS(), tok.EOS(), tok.PAD(), *cfg.BOSTokenID, cfg.EOSTokenID, *cfg.PadTokenID)
	}
	if ids := tok.Encode("hi", true); len(ids) != 3 || ids[0] != ByteBOS || ids[1] != 'h' {
		t.Fatalf("Encode: %v", ids)
	}
}
