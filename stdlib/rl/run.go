package rl

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/securecoderl/securecoderl/stdlib/lm"
	"github.com/securecoderl/securecoderl/stdlib/lora"
)

func msDuration(ms int) time.Duration { return time.Duration(ms) * time.Millisecond }

// PolicySpec names a policy on disk: a model directory (Hugging Face
// layout) and an optional PEFT adapter directory applied to it.
type PolicySpec struct {
	Model   string `json:"model"`
	Adapter string `json:"adapter,omitempty"`
}

func (p PolicySpec) String() string {
	if p.Adapter == "" {
		return p.Model
	}
	return p.Model + " + " + p.Adapter
}

// Load reads the model and the adapter (nil when none).
func (p PolicySpec) Load() (*lm.Model, *lora.Adapter, error) {
	m, err := lm.Load(p.Model, lm.LoadOptions{AllowMixedDTypes: true})
	if err != nil {
		return nil, nil, err
	}
	if p.Adapter == "" {
		return m, nil, nil
	}
	a, err := lora.Load(p.Adapter, m.Config)
	if err != nil {
		return nil, nil, fmt.Errorf("adapter %s: %w", p.Adapter, err)
	}
	return m, a, nil
}

// LoadMerged reads the policy with its adapter merged into the weights (fast
// inference, e.g. the frozen reference policy).
func (p PolicySpec) LoadMerged() (*lm.Model, error) {
	m, a, err := p.Load()
	if err != nil || a == nil {
		return m, err
	}
	return lora.Merge(m, a)
}

// RunInfo is a run directory's run.json.
type RunInfo struct {
	Kind    string `json:"kind"` // sft, ppo
	Variant string `json:"variant,omitempty"`
	// BaseModel is the model directory the run's policy is built on (for a
	// full fine-tuning run: its initial weights).
	BaseModel string `json:"base_model"`
	// Init is the run (or adapter) the policy started from ("" for SFT).
	Init string `json:"init,omitempty"`
	// Reference is the frozen reference policy of PPO's KL penalty.
	Reference *PolicySpec     `json:"reference,omitempty"`
	Full      bool            `json:"full"`
	Config    json.RawMessage `json:"config"`
}

// ReadRunInfo reads DIR/run.json.
func ReadRunInfo(dir string) (RunInfo, error) {
	var ri RunInfo
	data, err := os.ReadFile(filepath.Join(dir, RunFile))
	if err != nil {
		return ri, err
	}
	if err := json.Unmarshal(data, &ri); err != nil {
		return ri, fmt.Errorf("%s: %w", filepath.Join(dir, RunFile), err)
	}
	return ri, nil
}

func writeRunInfo(dir string, ri RunInfo) error {
	data, err := json.MarshalIndent(ri, "", "  ")
	if err != nil {
		return err
	}
	return writeFileSync(filepath.Join(dir, RunFile), append(data, '\n'))
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func abs(p string) string {
	if p == "" {
		return ""
	}
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

// ResolvePolicy turns a model directory and an optional adapter or run
// directory into a PolicySpec:
//
//   - run "" : the model alone;
//   - a PEFT adapter directory (adapter_config.json): model + adapter;
//   - a model directory (config.json): that model (model may be "");
//   - a run directory (run.json): its final adapter (RUN/adapter) or, for an
//     unfinished run, its latest checkpoint's; a full fine-tuning run's
//     weights (RUN/model or the checkpoint's). model "" means the run's base
//     model.
func ResolvePolicy(model, run string) (PolicySpec, error) {
	if run == "" {
		if model == "" {
			return PolicySpec{}, fmt.Errorf("no model given")
		}
		return PolicySpec{Model: model}, nil
	}
	if exists(filepath.Join(run, "adapter_config.json")) {
		if model == "" {
			return PolicySpec{}, fmt.Errorf("%s is an adapter: give the model it belongs to", run)
		}
		return PolicySpec{Model: model, Adapter: run}, nil
	}
	if exists(filepath.Join(run, "config.json")) && !exists(filepath.Join(run, RunFile)) {
		return PolicySpec{Model: run}, nil
	}
	ri, err := ReadRunInfo(run)
	if err != nil {
		return PolicySpec{}, fmt.Errorf("%s is not a model, adapter or run directory: %w", run, err)
	}
	if model == "" {
		model = ri.BaseModel
	}
	spec := PolicySpec{Model: model}
	ck := FindCheckpoint(run)
	if ri.Full {
		switch {
		case exists(filepath.Join(run, ModelDir, "config.json")):
			spec.Model = filepath.Join(run, ModelDir)
		case ck != "":
			spec.Model = filepath.Join(ck, ModelDir)
		default:
			return PolicySpec{}, fmt.Errorf("%s: no weights yet (no checkpoint)", run)
		}
	}
	switch {
	case exists(filepath.Join(run, AdapterDir, "adapter_config.json")):
		spec.Adapter = filepath.Join(run, AdapterDir)
	case ck != "" && exists(filepath.Join(ck, AdapterDir, "adapter_config.json")):
		spec.Adapter = filepath.Join(ck, AdapterDir)
	case !ri.Full:
		return PolicySpec{}, fmt.Errorf("%s: no adapter yet (no checkpoint)", run)
	}
	return spec, nil
}

// LoRAConfig is the adapter of a LoRA run.
type LoRAConfig struct {
	R       int      `json:"r"`
	Alpha   float64  `json:"alpha"`
	Dropout float64  `json:"dropout"`
	Targets []string `json:"targets"`
}

// DefaultLoRA: r 16, alpha 32, dropout 0.05 (the study's) on every
// projection (the study adapted q/k/v/o of a 6.7B model; a 1.6M-parameter
// model needs the MLPs too).
func DefaultLoRA() LoRAConfig {
	return LoRAConfig{R: 16, Alpha: 32, Dropout: 0.05, Targets: append([]string(nil), lm.Modules...)}
}

func (c LoRAConfig) lora(base string) lora.Config {
	return lora.Config{R: c.R, Alpha: c.Alpha, Dropout: c.Dropout, TargetModules: c.Targets, BaseModel: base}
}

// ParseTargets parses "all" or a comma-separated module list.
func ParseTargets(s string) []string {
	if s == "all" || s == "" {
		return append([]string(nil), lm.Modules...)
	}
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// copyDir copies the regular files of src into dst (not recursive).
func copyDir(src, dst string) error {
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// exportFinal copies the checkpoint's adapter / model / value head to the
// run directory's top level (RUN/adapter, RUN/model, RUN/value_head…).
func exportFinal(runDir string) error {
	ck := FindCheckpoint(runDir)
	if ck == "" {
		return fmt.Errorf("%s: no checkpoint to export", runDir)
	}
	for _, d := range []string{AdapterDir, ModelDir} {
		if isDir(filepath.Join(ck, d)) {
			tmp := filepath.Join(runDir, d+".tmp")
			os.RemoveAll(tmp)
			if err := copyDir(filepath.Join(ck, d), tmp); err != nil {
				return err
			}
			os.RemoveAll(filepath.Join(runDir, d))
			if err := os.Rename(tmp, filepath.Join(runDir, d)); err != nil {
				return err
			}
		}
	}
	if exists(filepath.Join(ck, ValueHeadFile)) {
		data, err := os.ReadFile(filepath.Join(ck, ValueHeadFile))
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(runDir, ValueHeadFile), data, 0o644)
	}
	return nil
}

// ErrStopped is returned by a run stopped by its StopAt step (tests use it
// to simulate a kill after a checkpoint).
var ErrStopped = errors.New("stopped at the requested step")

func nan() float64 { return math.NaN() }

// every says whether step is a multiple of n; n <= 0 means never (the
// callers still act at the last step).
func every(step, n int) bool { return n > 0 && step%n == 0 }
