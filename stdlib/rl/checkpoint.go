package rl

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gomlx/gomlx/core/tensors"

	"github.com/securecoderl/securecoderl/stdlib/lm"
	"github.com/securecoderl/securecoderl/stdlib/lora"
)

// A run directory holds:
//
//	run.json                 the run's configuration (what --resume checks)
//	ckpt/                    the latest checkpoint, replaced atomically:
//	  state.json             step, data position, RNG states, KL coefficient, …
//	  optimizer.safetensors  AdamW moments by parameter name
//	  adapter/               the LoRA adapter in PEFT format (LoRA runs)
//	  model/                 the full weights in Hugging Face layout (full fine-tuning)
//	  value_head.safetensors PPO's value head
//	metrics.jsonl, metrics.csv   one row per optimiser step
//	rollouts.jsonl           PPO: every scored rollout, appended per generation batch
//
// A checkpoint is written to ckpt.tmp/ and swapped in with two renames
// (ckpt → ckpt.old, ckpt.tmp → ckpt); a crash between them leaves ckpt.old,
// which FindCheckpoint falls back to.

// Checkpoint file and directory names.
const (
	CkptDir       = "ckpt"
	StateFile     = "state.json"
	OptimizerFile = "optimizer.safetensors"
	AdapterDir    = "adapter"
	ModelDir      = "model"
	ValueHeadFile = "value_head.safetensors"
	RunFile       = "run.json"
)

// trainerState is the trainer's part of state.json.
type trainerState struct {
	Step int      `json:"step"`
	RNG  []uint64 `json:"dropout_rng"`
}

type stateFile struct {
	Trainer trainerState    `json:"trainer"`
	Run     json.RawMessage `json:"run"`
}

// SaveCheckpoint writes the trainer's parameters and optimiser state, with
// the caller's run state (any JSON value), as runDir/ckpt, atomically.
func (t *Trainer) SaveCheckpoint(runDir string, run any) error {
	final := filepath.Join(runDir, CkptDir)
	tmp := final + ".tmp"
	if err := os.RemoveAll(tmp); err != nil {
		return err
	}
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return err
	}
	if t.Config.Full {
		if err := t.Model.Save(filepath.Join(tmp, ModelDir), lm.SaveOptions{}); err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
	}
	if t.Adapter != nil {
		if err := t.Adapter.Save(filepath.Join(tmp, AdapterDir)); err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
	}
	if t.Head != nil {
		if err := t.Head.Save(filepath.Join(tmp, ValueHeadFile)); err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
	}
	st, err := t.State()
	if err != nil {
		return err
	}
	if err := st.Save(filepath.Join(tmp, OptimizerFile)); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	raw, err := json.Marshal(run)
	if err != nil {
		return err
	}
	data, err := json.MarshalIndent(stateFile{Trainer: trainerState{Step: st.Step, RNG: st.RNG}, Run: raw}, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFileSync(filepath.Join(tmp, StateFile), append(data, '\n')); err != nil {
		return err
	}
	// Every file of the new checkpoint is on disk before it replaces the
	// old one (a power loss must not leave a state.json beside empty
	// weights).
	if err := syncTree(tmp); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	// Exactly one of final and final.old is the newest complete checkpoint
	// at every instant (FindCheckpoint tries both): final.old is removed only
	// while final exists, so a crash here never leaves none.
	old := final + ".old"
	if _, err := os.Stat(final); err == nil {
		if err := os.RemoveAll(old); err != nil {
			return err
		}
		if err := os.Rename(final, old); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, final); err != nil {
		return err
	}
	syncDir(runDir)
	return os.RemoveAll(old)
}

// syncTree fsyncs every file and directory under dir (all exist by then).
func syncTree(dir string) error {
	return filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := f.Sync(); err != nil && !d.IsDir() {
			return err
		}
		return nil
	})
}

func writeFileSync(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// FindCheckpoint returns the checkpoint directory of a run ("" when there is
// none): runDir/ckpt, or runDir/ckpt.old when a crash interrupted the swap.
func FindCheckpoint(runDir string) string {
	for _, d := range []string{CkptDir, CkptDir + ".old"} {
		p := filepath.Join(runDir, d)
		if _, err := os.Stat(filepath.Join(p, StateFile)); err == nil {
			return p
		}
	}
	return ""
}

// ErrNoCheckpoint is returned by LoadCheckpoint for a run without one.
var ErrNoCheckpoint = errors.New("no checkpoint")

// LoadCheckpoint restores the trainer from runDir's checkpoint (parameters,
// optimiser moments, step, dropout RNG) and decodes the run state into run.
func (t *Trainer) LoadCheckpoint(runDir string, run any) error {
	dir := FindCheckpoint(runDir)
	if dir == "" {
		return fmt.Errorf("%s: %w", runDir, ErrNoCheckpoint)
	}
	data, err := os.ReadFile(filepath.Join(dir, StateFile))
	if err != nil {
		return err
	}
	var sf stateFile
	if err := json.Unmarshal(data, &sf); err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(dir, StateFile), err)
	}
	if t.Config.Full {
		m, err := lm.Load(filepath.Join(dir, ModelDir), lm.LoadOptions{})
		if err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
		repl := map[string]*tensors.Tensor{}
		for i, s := range m.Specs() {
			repl[s.Name] = m.Params()[i]
		}
		nm, err := t.Model.WithParams(repl)
		if err != nil {
			return err
		}
		t.Model = nm
	}
	if t.Adapter != nil {
		a, err := lora.Load(filepath.Join(dir, AdapterDir), t.Model.Config)
		if err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
		if len(a.Targets) != len(t.Adapter.Targets) || a.Config.R != t.Adapter.Config.R {
			return fmt.Errorf("checkpoint: adapter does not match the run's LoRA configuration")
		}
		copy(t.Adapter.A, a.A)
		copy(t.Adapter.B, a.B)
	}
	if err := t.syncRunner(); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if t.Head != nil {
		h, err := LoadValueHead(filepath.Join(dir, ValueHeadFile), t.Model.Config.HiddenSize)
		if err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
		t.Head.W, t.Head.B = h.W, h.B
	}
	m, v, err := LoadOptimizerMoments(filepath.Join(dir, OptimizerFile))
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	if err := t.SetState(OptimizerState{Step: sf.Trainer.Step, M: m, V: v, RNG: sf.Trainer.RNG}); err != nil {
		return err
	}
	if run != nil && len(sf.Run) > 0 {
		if err := json.Unmarshal(sf.Run, run); err != nil {
			return fmt.Errorf("checkpoint run state: %w", err)
		}
	}
	return nil
}

// clearForFresh prepares runDir for a run that starts over: it removes any
// stale checkpoint (so a later --resume cannot continue an earlier run's
// state) and moves logs an earlier run wrote (rollouts, metrics) into
// runDir/previous/<UTC time>/ rather than deleting them, so starting over —
// for instance re-running a notebook that was interrupted before its first
// checkpoint — never loses logged data. Callers run it only once the new
// run's inputs have loaded.
func clearForFresh(runDir string) error {
	var prev string
	for _, name := range []string{RolloutsLog, MetricsJSONL, MetricsCSV} {
		src := filepath.Join(runDir, name)
		fi, err := os.Stat(src)
		if err != nil || fi.Size() == 0 {
			os.Remove(src)
			continue
		}
		if prev == "" {
			prev = filepath.Join(runDir, "previous", time.Now().UTC().Format("20060102T150405.000000000Z"))
			if err := os.MkdirAll(prev, 0o755); err != nil {
				return err
			}
		}
		if err := os.Rename(src, filepath.Join(prev, name)); err != nil {
			return err
		}
	}
	for _, d := range []string{CkptDir, CkptDir + ".old", CkptDir + ".tmp"} {
		if err := os.RemoveAll(filepath.Join(runDir, d)); err != nil {
			return err
		}
	}
	return nil
}
