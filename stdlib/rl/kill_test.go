package rl

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

const helperEnv = "SCRL_RL_PPO_HELPER"

// TestPPOHelperProcess is not a test: it is the child process of
// TestPPOKillResume, running RunPPO with the configuration in the file
// named by $SCRL_RL_PPO_HELPER.
func TestPPOHelperProcess(t *testing.T) {
	path := os.Getenv(helperEnv)
	if path == "" {
		t.Skip("helper process only")
	}
	var c PPOConfig
	if err := json.Unmarshal(readFile(t, path), &c); err != nil {
		t.Fatal(err)
	}
	c.Resume = os.Getenv(helperEnv+"_RESUME") != ""
	if err := RunPPO(context.Background(), c, nil); err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(3)
	}
	os.Exit(0)
}

func rolloutKey(l []byte) (step, index int) {
	var r struct{ Step, Index int }
	json.Unmarshal(l, &r)
	return r.Step, r.Index
}

// TestPPOKillResume is the required crash test: a PPO run in a child
// process is killed with SIGKILL in the middle of a step (after the first
// generation batch of step 2 was scored and logged), then resumed with
// --resume. Every rollout of the completed batches logged before the kill is
// in the final log exactly once and unchanged, every step's rollouts are
// there exactly once, and the resumed run ends with the same rollouts,
// metrics and adapter as an uninterrupted run.
func TestPPOKillResume(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := t.TempDir()
	_, sft := sftInit(t, dir)
	const steps, perStep = 4, 4
	ref := testPPOConfig(t, "ppo-fresh", AlgoPPO, sft, filepath.Join(dir, "uninterrupted"))
	ref.Steps = steps
	if err := RunPPO(context.Background(), ref, nil); err != nil {
		t.Fatal(err)
	}
	c := ref
	c.Out = filepath.Join(dir, "killed")
	cfgPath := filepath.Join(dir, "ppo.json")
	data, _ := json.Marshal(c)
	os.WriteFile(cfgPath, data, 0o644)
	start := func(resume bool) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestPPOHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), helperEnv+"="+cfgPath)
		if resume {
			cmd.Env = append(cmd.Env, helperEnv+"_RESUME=1")
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		cmd.Stdout = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("child output:\n%s", stderr.String())
			}
		})
		return cmd
	}
	logPath := filepath.Join(c.Out, RolloutsLog)
	cmd := start(false)
	deadline := time.Now().Add(90 * time.Second)
	killed := false
	for time.Now().Before(deadline) {
		lines, _ := ReadJSONL(logPath)
		for _, l := range lines {
			if s, _ := rolloutKey(l); s == 2 {
				killed = true
			}
		}
		if killed {
			cmd.Process.Signal(syscall.SIGKILL)
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	werr := cmd.Wait()
	if !killed {
		t.Fatalf("step 2 never logged a rollout (child: %v)", werr)
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the child was not killed by SIGKILL: %v", cmd.ProcessState)
	}
	before, err := ReadJSONL(logPath)
	if err != nil {
		t.Fatal(err)
	}
	ck := FindCheckpoint(c.Out)
	var st struct {
		Run PPOState `json:"run"`
	}
	json.Unmarshal(readFile(t, filepath.Join(ck, StateFile)), &st)
	t.Logf("killed with %d rollouts logged, checkpoint at step %d", len(before), st.Run.Step)
	if st.Run.Step < 1 || st.Run.Step >= steps {
		t.Fatalf("checkpoint at step %d", st.Run.Step)
	}
	cmd = start(true)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("resumed run: %v", err)
	}
	after, err := ReadJSONL(logPath)
	if err != nil {
		t.Fatal(err)
	}
	count := map[[2]int]int{}
	for _, l := range after {
		s, i := rolloutKey(l)
		count[[2]int{s, i}]++
	}
	for s := 1; s <= steps; s++ {
		for i := 0; i < perStep; i++ {
			if n := count[[2]int{s, i}]; n != 1 {
				t.Errorf("rollout step %d index %d logged %d times", s, i, n)
			}
		}
	}
	if len(after) != steps*perStep {
		t.Errorf("%d rollouts in the log, want %d", len(after), steps*perStep)
	}
	final := map[string]bool{}
	for _, l := range after {
		final[string(l)] = true
	}
	for _, l := range before {
		if !final[string(l)] {
			t.Errorf("a rollout logged before the kill is missing or changed: %.200s", l)
		}
	}
	// Same rollouts, metrics and adapter as the uninterrupted run.
	want, _ := ReadJSONL(filepath.Join(ref.Out, RolloutsLog))
	for i := range want {
		if i >= len(after) || !bytes.Equal(want[i], after[i]) {
			t.Errorf("rollout line %d differs from the uninterrupted run", i)
			break
		}
	}
	wm, _ := ReadMetrics(ref.Out)
	gm, _ := ReadMetrics(c.Out)
	if len(gm) != steps {
		t.Errorf("%d metrics rows, want %d", len(gm), steps)
	}
	for i := range wm {
		if i < len(gm) && (wm[i]["reward"] != gm[i]["reward"] || wm[i]["loss"] != gm[i]["loss"]) {
			t.Errorf("metrics row %d: reward/loss %v/%v, uninterrupted %v/%v", i, gm[i]["reward"], gm[i]["loss"], wm[i]["reward"], wm[i]["loss"])
		}
	}
	a := readFile(t, filepath.Join(ref.Out, AdapterDir, "adapter_model.safetensors"))
	b := readFile(t, filepath.Join(c.Out, AdapterDir, "adapter_model.safetensors"))
	if !bytes.Equal(a, b) {
		t.Error("the resumed run's adapter differs from the uninterrupted run's")
	}
}
