package lora

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/securecoderl/securecoderl/stdlib/lm"
)

func tinyModel(t testing.TB) *lm.Model {
	cfg, err := lm.Preset("tiny")
	if err != nil {
		t.Fatal(err)
	}
	m, err := lm.NewRandom(cfg, lm.RandomOptions{Seed: 7, Std: 0.08, NormJitter: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// randomizeB gives B non-zero values so the adapter changes the model.
func randomizeB(a *Adapter, seed uint64, std float64) {
	rng := rand.New(rand.NewPCG(seed, 1))
	for i, t := range a.Targets {
		v := make([]float32, t.Out*a.Config.R)
		for j := range v {
			v[j] = float32(std * rng.NormFloat64())
		}
		a.B[i] = tensors.FromFlatDataAndDimensions(v, t.Out, a.Config.R)
	}
}

func values(t testing.TB, x *tensors.Tensor) []float32 {
	v, err := tensors.CopyFlatData[float32](x)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestPEFTRoundTrip(t *testing.T) {
	m := tinyModel(t)
	c := Config{R: 4, Alpha: 8, Dropout: 0.05, TargetModules: []string{"v_proj", "q_proj", "down_proj"}, Layers: []int{1, 3}}
	a, err := New(m.Config, c, 1)
	if err != nil {
		t.Fatal(err)
	}
	randomizeB(a, 2, 0.1)
	dir := t.TempDir()
	if err := a.Save(dir); err != nil {
		t.Fatal(err)
	}
	st, err := lm.OpenSafetensors(filepath.Join(dir, "adapter_model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	want := "base_model.model.model.layers.3.mlp.down_proj.lora_B.weight"
	if ti, ok := st.Tensors[want]; !ok || ti.Shape[0] != 64 || ti.Shape[1] != 4 {
		t.Fatalf("missing or misshapen %s: %v (have %v)", want, ti, st.Names())
	}
	if len(st.Tensors) != 2*2*3 {
		t.Fatalf("%d tensors, want 12", len(st.Tensors))
	}
	st.Close()
	var pc map[string]any
	data, _ := os.ReadFile(filepath.Join(dir, "adapter_config.json"))
	if err := json.Unmarshal(data, &pc); err != nil {
		t.Fatal(err)
	}
	if pc["peft_type"] != "LORA" || pc["r"].(float64) != 4 || pc["lora_alpha"].(float64) != 8 || pc["task_type"] != "CAUSAL_LM" {
		t.Fatalf("adapter_config.json: %s", data)
	}
	b, err := Load(dir, m.Config)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Targets) != len(a.Targets) {
		t.Fatalf("targets %v vs %v", b.Targets, a.Targets)
	}
	for i := range a.Targets {
		if a.Targets[i] != b.Targets[i] {
			t.Fatalf("target %d: %v vs %v", i, a.Targets[i], b.Targets[i])
		}
		for _, pair := range [][2]*tensors.Tensor{{a.A[i], b.A[i]}, {a.B[i], b.B[i]}} {
			x, y := values(t, pair[0]), values(t, pair[1])
			for j := range x {
				if x[j] != y[j] {
					t.Fatalf("target %v value %d: %g vs %g", a.Targets[i], j, x[j], y[j])
				}
			}
		}
	}
	if b.Config.Dropout != 0.05 || b.Config.Scale() != 2 {
		t.Fatalf("config %+v", b.Config)
	}
	// A wrong rank in a file names the tensor.
	c2 := c
	c2.R = 2
	bad, _ := New(m.Config, c2, 1)
	data, _ = os.ReadFile(filepath.Join(dir, "adapter_config.json"))
	dir2 := t.TempDir()
	if err := bad.Save(dir2); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir2, "adapter_config.json"), data, 0o644) // claims r=4
	if _, err := Load(dir2, m.Config); err == nil || !strings.Contains(err.Error(), `tensor "base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight": shape [2 64], want [4 64]`) {
		t.Fatalf("wrong-rank error: %v", err)
	}
}

// TestMergeEquivalence: the merged model's logits equal the unmerged
// base + adapter logits.
func TestMergeEquivalence(t *testing.T) {
	m := tinyModel(t)
	c := StudyConfig()
	c.R = 8
	c.TargetModules = lm.Modules
	a, err := New(m.Config, c, 3)
	if err != nil {
		t.Fatal(err)
	}
	randomizeB(a, 4, 0.05)
	batch := lm.PadLeft([][]int{{lm.ByteBOS, 'a', 'b', 'c', 'd'}, {lm.ByteBOS, 'x'}}, lm.BytePAD, 0)
	run := func(m *lm.Model, ext lm.Extension) []float32 {
		r, err := lm.NewRunner(m, ext)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		out, err := r.Logits(batch)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	base := run(m, nil)
	withAdapter := run(m, a)
	merged, err := Merge(m, a)
	if err != nil {
		t.Fatal(err)
	}
	mergedOut := run(merged, nil)
	var maxDiff, maxDelta float64
	for i := range base {
		if batch.Mask[i/(m.Config.VocabSize)] == 0 {
			continue
		}
		maxDiff = math.Max(maxDiff, math.Abs(float64(withAdapter[i]-mergedOut[i])))
		maxDelta = math.Max(maxDelta, math.Abs(float64(withAdapter[i]-base[i])))
	}
	t.Logf("adapter changes logits by up to %.3g; merged vs unmerged differ by %.2g", maxDelta, maxDiff)
	if maxDelta < 1e-2 {
		t.Fatal("adapter has no effect: test is vacuous")
	}
	if maxDiff > 1e-5 {
		t.Fatalf("merged logits differ from adapter logits by %g", maxDiff)
	}
	// The base model was not modified by Merge.
	again := run(m, nil)
	for i := range base {
		if base[i] != again[i] {
			t.Fatal("Merge modified the base model")
		}
	}
}

func trainBatch() TrainBatch {
	enc := func(s string) []int {
		ids := []int{}
		for _, b := range []byte(s) {
			ids = append(ids, int(b))
		}
		return ids
	}
	prompts := [][]int{append([]int{lm.ByteBOS}, enc("Q: add\nA: ")...), append([]int{lm.ByteBOS}, enc("Q: sub\nA: ")...)}
	comps := [][]int{append(enc("a+b"), lm.ByteEOS), append(enc("a-b"), lm.ByteEOS)}
	return CompletionBatch(prompts, comps, lm.BytePAD)
}

// TestFrozenBaseTraining: only the adapter has gradients and optimizer
// state; base weights are bit-identical after training, the loss goes down.
func TestFrozenBaseTraining(t *testing.T) {
	m := tinyModel(t)
	before := map[string][]float32{}
	for _, s := range m.Specs() {
		before[s.Name], _ = m.ParamValues(s.Name)
	}
	a, err := New(m.Config, StudyConfig(), 5)
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultTrainConfig()
	cfg.LR = 1e-2
	tr, err := NewTrainer(m, a, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	b := trainBatch()
	_, ws, grads, err := tr.Gradients(b)
	if err != nil {
		t.Fatal(err)
	}
	if int(ws) != 8 {
		t.Fatalf("weight sum %g, want 8 completion tokens", ws)
	}
	if len(grads) != 2*len(a.Targets) || len(a.Targets) != 4*m.Config.NumHiddenLayers {
		t.Fatalf("%d gradients for %d targets", len(grads), len(a.Targets))
	}
	for i, g := range grads {
		if !g.Shape().Equal(a.ExtensionParams()[i].Shape()) {
			t.Fatalf("gradient %d shape %s", i, g.Shape())
		}
	}
	var first, last StepStats
	for i := 0; i < 15; i++ {
		st, err := tr.Step(b)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = st
		}
		last = st
	}
	t.Logf("loss %.3f → %.3f after %d steps (grad norm %.3f → %.3f)", first.Loss, last.Loss, last.Step, first.GradNorm, last.GradNorm)
	if !(last.Loss < first.Loss*0.7) {
		t.Fatalf("loss did not go down: %.4f → %.4f", first.Loss, last.Loss)
	}
	for _, s := range m.Specs() {
		after, _ := m.ParamValues(s.Name)
		for i := range after {
			if after[i] != before[s.Name][i] {
				t.Fatalf("base weight %s changed during training", s.Name)
			}
		}
	}
	ms, vs := tr.OptimizerState()
	if len(ms) != 2*len(a.Targets) || len(vs) != len(ms) {
		t.Fatalf("optimizer state for %d tensors, adapter has %d", len(ms), 2*len(a.Targets))
	}
	var nState int64
	for _, x := range ms {
		nState += int64(x.Size())
	}
	if nState != a.NumParams() {
		t.Fatalf("optimizer state has %d entries, adapter %d params", nState, a.NumParams())
	}
	// The policy runner sees the trained adapter: its raw log-probs of the
	// completion match -loss.
	r, err := tr.Policy()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	lp, err := r.TokenLogProbs(b.Batch)
	if err != nil {
		t.Fatal(err)
	}
	var s, n float64
	for i := 0; i < b.B; i++ {
		for j := 1; j < b.T; j++ {
			if w := b.LossMask[i*b.T+j]; w > 0 {
				s += float64(lp[i][j-1])
				n++
			}
		}
	}
	ls, ws2, g2, err := tr.Gradients(b) // dropout on: only roughly equal
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range g2 {
		g.FinalizeAll()
	}
	t.Logf("policy mean logprob %.4f, training loss (with dropout) %.4f", s/n, ls/ws2)
	if math.Abs(-s/n-ls/ws2) > 0.5 {
		t.Fatalf("policy log-probs (%.4f) far from training loss (%.4f)", -s/n, ls/ws2)
	}
}

// TestAdamWClipping replays two steps on the host in float64 from the
// trainer's own gradients: AdamW with bias correction, decoupled weight
// decay and global-norm clipping.
func TestAdamWClipping(t *testing.T) {
	m := tinyModel(t)
	c := Config{R: 2, Alpha: 4, TargetModules: []string{"q_proj", "up_proj"}}
	a, err := New(m.Config, c, 9)
	if err != nil {
		t.Fatal(err)
	}
	randomizeB(a, 10, 0.05)
	cfg := TrainConfig{LR: 0.01, Beta1: 0.9, Beta2: 0.99, Eps: 1e-8, WeightDecay: 0.1, MaxGradNorm: 0.05}
	tr, err := NewTrainer(m, a, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	b := trainBatch()
	n := 2 * len(a.Targets)
	p := make([][]float64, n)
	mo := make([][]float64, n)
	ve := make([][]float64, n)
	for i, x := range a.ExtensionParams() {
		for _, v := range values(t, x) {
			p[i] = append(p[i], float64(v))
		}
		mo[i] = make([]float64, len(p[i]))
		ve[i] = make([]float64, len(p[i]))
	}
	for step := 1; step <= 2; step++ {
		_, ws, grads, err := tr.Gradients(b)
		if err != nil {
			t.Fatal(err)
		}
		g := make([][]float64, n)
		var sq float64
		for i, x := range grads {
			for _, v := range values(t, x) {
				gv := float64(v) / ws
				g[i] = append(g[i], gv)
				sq += gv * gv
			}
		}
		norm := math.Sqrt(sq)
		clip := math.Min(1, cfg.MaxGradNorm/(norm+1e-6))
		for i := range p {
			for j := range p[i] {
				gj := g[i][j] * clip
				mo[i][j] = 0.9*mo[i][j] + 0.1*gj
				ve[i][j] = 0.99*ve[i][j] + 0.01*gj*gj
				mh := mo[i][j] / (1 - math.Pow(0.9, float64(step)))
				vh := ve[i][j] / (1 - math.Pow(0.99, float64(step)))
				p[i][j] -= cfg.LR * (mh/(math.Sqrt(vh)+cfg.Eps) + cfg.WeightDecay*p[i][j])
			}
		}
		st, err := tr.Step(b)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(st.GradNorm-norm) > 1e-4*norm {
			t.Fatalf("step %d: grad norm %g, host %g", step, st.GradNorm, norm)
		}
		if clip >= 1 {
			t.Fatalf("step %d: norm %g not clipped at %g: test is vacuous", step, norm, cfg.MaxGradNorm)
		}
		for i, x := range a.ExtensionParams() {
			got := values(t, x)
			for j := range got {
				if math.Abs(float64(got[j])-p[i][j]) > 1e-5+1e-4*math.Abs(p[i][j]) {
					t.Fatalf("step %d tensor %d[%d]: %g, host AdamW %g", step, i, j, got[j], p[i][j])
				}
			}
		}
	}
}

// TestGradientFiniteDifference checks one adapter gradient entry against a
// central finite difference of the loss.
func TestGradientFiniteDifference(t *testing.T) {
	m := tinyModel(t)
	c := Config{R: 2, Alpha: 2, TargetModules: []string{"v_proj"}}
	a, err := New(m.Config, c, 11)
	if err != nil {
		t.Fatal(err)
	}
	randomizeB(a, 12, 0.2)
	tr, err := NewTrainer(m, a, DefaultTrainConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	b := trainBatch()
	_, _, grads, err := tr.Gradients(b)
	if err != nil {
		t.Fatal(err)
	}
	ti, idx := 1, 5 // B of layer 0's v_proj, entry 5
	analytic := float64(values(t, grads[2*ti+1])[idx])
	orig := values(t, a.B[ti])
	lossAt := func(delta float32) float64 {
		v := append([]float32(nil), orig...)
		v[idx] += delta
		a.B[ti] = tensors.FromFlatDataAndDimensions(v, a.Targets[ti].Out, c.R)
		ls, _, gs, err := tr.Gradients(b)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range gs {
			g.FinalizeAll()
		}
		return ls
	}
	h := float32(1e-2)
	numeric := (lossAt(h) - lossAt(-h)) / (2 * float64(h))
	t.Logf("d loss / d B[%d]: analytic %.5f, numeric %.5f", idx, analytic, numeric)
	if math.Abs(analytic-numeric) > 2e-2*math.Max(1, math.Abs(numeric)) {
		t.Fatalf("gradient mismatch: analytic %g, numeric %g", analytic, numeric)
	}
}

// TestPPOClipAndPadding: with old log-probs equal to the current ones and
// unit advantages, PPO's loss is -1 and its gradient is the policy gradient
// (-d mean logp), i.e. cross-entropy's; padding a batch changes nothing.
func TestPPOClipAndPadding(t *testing.T) {
	m := tinyModel(t)
	a, _ := New(m.Config, Config{R: 2, Alpha: 4, TargetModules: []string{"q_proj"}}, 1)
	randomizeB(a, 3, 0.1)
	b := trainBatch()
	r, _ := lm.NewRunner(m, a)
	defer r.Close()
	lp, err := r.TokenLogProbs(b.Batch)
	if err != nil {
		t.Fatal(err)
	}
	old := make([]float32, b.B*b.T)
	adv := make([]float32, b.B*b.T)
	for i := 0; i < b.B; i++ {
		for j := 1; j < b.T; j++ {
			old[i*b.T+j] = lp[i][j-1]
			adv[i*b.T+j] = 1
		}
	}
	b.Extra = map[string][]float32{"old_logprobs": old, "advantages": adv}
	cfg := DefaultTrainConfig()
	cfg.Loss = PPOClip(0.2)
	cfg.Extra = []string{"advantages", "old_logprobs"}
	ppo, err := NewTrainer(m, a, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer ppo.Close()
	ce, _ := NewTrainer(m, a, DefaultTrainConfig())
	defer ce.Close()
	pl, pw, pg, err := ppo.Gradients(b.Padded(32, lm.BytePAD))
	if err != nil {
		t.Fatal(err)
	}
	cl, cw, cg, err := ce.Gradients(b)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(pl/pw+1) > 1e-5 || pw != cw {
		t.Fatalf("PPO loss %g over %g tokens, want -1 over %g", pl/pw, pw, cw)
	}
	_ = cl
	for i := range pg {
		x, y := values(t, pg[i]), values(t, cg[i])
		for j := range x {
			if math.Abs(float64(x[j]-y[j])) > 1e-4*math.Max(1, math.Abs(float64(y[j]))) {
				t.Fatalf("gradient %d[%d]: PPO %g, cross-entropy %g", i, j, x[j], y[j])
			}
		}
	}
}

// TestDropoutSeeded: LoRA dropout is on in training, seeded, and off in the
// inference (runner) path.
func TestDropoutSeeded(t *testing.T) {
	m := tinyModel(t)
	c := StudyConfig()
	c.Dropout = 0.5
	a, _ := New(m.Config, c, 1)
	randomizeB(a, 2, 0.2)
	b := trainBatch()
	loss := func(seed uint64, dropout bool) float64 {
		cc := c
		if !dropout {
			cc.Dropout = 0
		}
		ad := &Adapter{Config: cc, ModelConfig: a.ModelConfig, Targets: a.Targets, A: a.A, B: a.B, byKey: a.byKey}
		cfg := DefaultTrainConfig()
		cfg.Seed = seed
		tr, err := NewTrainer(m, ad, cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer tr.Close()
		ls, ws, gs, err := tr.Gradients(b)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range gs {
			g.FinalizeAll()
		}
		return ls / ws
	}
	a1, a2, other, off := loss(1, true), loss(1, true), loss(2, true), loss(1, false)
	t.Logf("loss with dropout: seed 1 %.5f, %.5f; seed 2 %.5f; without %.5f", a1, a2, other, off)
	if a1 != a2 || a1 == other || a1 == off {
		t.Fatal("dropout not seeded or not applied")
	}
	r, _ := lm.NewRunner(m, a)
	defer r.Close()
	lp, _ := r.TokenLogProbs(b.Batch)
	var s float64
	for i := 0; i < b.B; i++ {
		for j := 1; j < b.T; j++ {
			s -= float64(lp[i][j-1] * b.LossMask[i*b.T+j])
		}
	}
	if math.Abs(s/8-off) > 1e-4 {
		t.Fatalf("runner (no dropout) loss %.5f, trainer without dropout %.5f", s/8, off)
	}
}
