package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/securecoderl/securecoderl/stdlib/rl"
)

const cliHelperEnv = "SCRL_CLI_HELPER_ARGS"

// TestScrlHelperProcess is not a test: it runs the scrl command line with
// the JSON argument list in $SCRL_CLI_HELPER_ARGS and exits with its code,
// so tests can run (and kill) scrl as a separate process.
func TestScrlHelperProcess(t *testing.T) {
	raw := os.Getenv(cliHelperEnv)
	if raw == "" {
		t.Skip("helper process only")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		os.Exit(2)
	}
	os.Exit(run(context.Background(), &env{stdout: os.Stdout, stderr: os.Stderr, stdin: os.Stdin}, args))
}

func scrlProcess(t *testing.T, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	data, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^TestScrlHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), cliHelperEnv+"="+string(data))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &out
}

// tinyRun makes a random tiny model and a 2-step SFT run on the embedded
// problems.
func tinyRun(t *testing.T) (model, sft string) {
	t.Helper()
	dir := t.TempDir()
	model = filepath.Join(dir, "tiny")
	if code, _, errs := runCLI(t, "model", "init", "--config", "tiny", "--random", "--out", model); code != 0 {
		t.Fatalf("init: %s", errs)
	}
	sft = filepath.Join(dir, "sft")
	code, out, errs := runCLI(t, "train", "sft", "--model", model, "--data", "embedded", "--out", sft, "--steps", "2",
		"--batch", "2", "--micro-batch", "2", "--max-statement", "120", "--max-completion", "160", "--lora-r", "4",
		"--lora-targets", "q_proj,v_proj", "--eval-every", "2", "--json")
	if code != 0 {
		t.Fatalf("train sft: %d %s", code, errs)
	}
	var res rl.SFTResult
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Steps != 2 || res.Examples == 0 {
		t.Fatalf("train sft: %+v %v\n%s", res, err, out)
	}
	return model, sft
}

var ppoFlags = []string{"--data", "embedded", "--prompts", "2", "--samples", "2", "--gen-batch", "2", "--max-new-tokens", "16",
	"--mini-batch", "4", "--micro-batch", "2", "--max-tests", "2"}

func TestTrainAndEvalCLI(t *testing.T) {
	needPython(t)
	model, sft := tinyRun(t)
	dir := t.TempDir()
	ppo := filepath.Join(dir, "ppo")
	args := append([]string{"train", "ppo", "--variant", "ppo-fresh", "--init", sft, "--out", ppo, "--steps", "2", "--json"}, ppoFlags...)
	code, out, errs := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("train ppo: %d %s", code, errs)
	}
	var row map[string]any
	if err := json.Unmarshal([]byte(out), &row); err != nil || row["step"] != 2.0 {
		t.Fatalf("train ppo: %v\n%s", err, out)
	}
	ros, err := rl.ReadRollouts(ppo)
	if err != nil || len(ros) != 8 {
		t.Fatalf("rollouts: %d %v", len(ros), err)
	}
	// eval: the Table IV row with CIs on the held-out problems.
	code, out, errs = runCLI(t, "eval", "--model", model, "--adapter", ppo, "--data", "embedded", "--heldout", "--n", "2",
		"--max-new-tokens", "16", "--max-statement", "120", "--json")
	if code != 0 {
		t.Fatalf("eval: %d %s", code, errs)
	}
	var res rl.EvalResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("eval: %v\n%s", err, out)
	}
	if res.Problems != 7 || res.Row.N != 14 || res.Row.Confidence != 0.95 || len(res.BestOfK) != 1 || len(res.ByDifficulty) == 0 {
		t.Fatalf("eval result: %+v", res)
	}
	if r := res.Row.R; !(r.Lo <= r.Mean && r.Mean <= r.Hi) {
		t.Fatalf("R interval %+v", r)
	}
	if res.Policy.Adapter != filepath.Join(ppo, "adapter") {
		t.Fatalf("evaluated %+v, want the PPO run's final adapter", res.Policy)
	}
	// Text output.
	code, out, errs = runCLI(t, "eval", "--adapter", sft, "--data", "embedded", "--heldout", "--limit", "3", "--max-new-tokens", "8", "--max-statement", "120")
	if code != 0 || !strings.Contains(out, "syntax %") || !strings.Contains(out, "pass@1") {
		t.Fatalf("eval text: %d %s\n%s", code, errs, out)
	}
}

func TestTrainBadInput(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"train"}, "missing subcommand"},
		{[]string{"train", "sft", "--out", dir}, "--model DIR and --out RUN are required"},
		{[]string{"train", "sft", "--model", dir, "--out", dir, "--batch", "3", "--micro-batch", "2"}, "multiple of --micro-batch"},
		{[]string{"train", "ppo", "--init", dir}, "--init RUN and --out RUN are required"},
		{[]string{"train", "ppo", "--init", dir, "--out", dir, "--variant", "ppo-nope"}, "unknown variant"},
		{[]string{"train", "pretrain"}, "--out DIR is required"},
		{[]string{"eval", "--data", "embedded"}, "--model DIR"},
		{[]string{"eval", "--model", dir, "--n", "2", "--k", "3"}, "--k"},
	} {
		code, _, errs := runCLI(t, c.args...)
		if code != 2 || !strings.Contains(errs, c.want) || strings.Count(strings.TrimSpace(errs), "\n") > 0 && !strings.Contains(errs, "Usage") {
			t.Errorf("%v: code %d, stderr %q (want %q)", c.args, code, errs, c.want)
		}
	}
	// An existing run needs --resume.
	os.WriteFile(filepath.Join(dir, "x"), []byte("x"), 0o644)
	if code, _, errs := runCLI(t, "train", "sft", "--model", dir, "--out", dir); code != 2 || !strings.Contains(errs, "--resume") {
		t.Errorf("existing out: %d %s", code, errs)
	}
}

// TestPPOKillResumeCLI runs `scrl train ppo` as a process, kills it with
// SIGKILL after the first generation batch of step 2 is logged, resumes it
// with --resume and checks that every rollout is in the log exactly once and
// that nothing logged before the kill was lost or changed.
func TestPPOKillResumeCLI(t *testing.T) {
	needPython(t)
	if testing.Short() {
		t.Skip("spawns processes")
	}
	_, sft := tinyRun(t)
	out := filepath.Join(t.TempDir(), "ppo")
	args := append([]string{"train", "ppo", "--variant", "ppo-fresh", "--init", sft, "--out", out, "--steps", "3"}, ppoFlags...)
	cmd, outb := scrlProcess(t, args...)
	logPath := filepath.Join(out, rl.RolloutsLog)
	killed := false
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline) && !killed; time.Sleep(10 * time.Millisecond) {
		ros, _ := rl.ReadRollouts(out)
		for _, r := range ros {
			if r.Step == 2 {
				cmd.Process.Signal(syscall.SIGKILL)
				killed = true
				break
			}
		}
	}
	cmd.Wait()
	if !killed {
		t.Fatalf("step 2 never logged a rollout:\n%s", outb)
	}
	before, _ := rl.ReadJSONL(logPath)
	cmd, outb = scrlProcess(t, append(args, "--resume")...)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("resume: %v\n%s", err, outb)
	}
	after, _ := rl.ReadJSONL(logPath)
	seen := map[[2]int]int{}
	for _, l := range after {
		var r struct{ Step, Index int }
		json.Unmarshal(l, &r)
		seen[[2]int{r.Step, r.Index}]++
	}
	if len(after) != 12 || len(seen) != 12 {
		t.Fatalf("%d rollouts (%d distinct) after resume, want 12", len(after), len(seen))
	}
	for k, n := range seen {
		if n != 1 || k[0] < 1 || k[0] > 3 {
			t.Fatalf("rollout %v logged %d times", k, n)
		}
	}
	final := map[string]bool{}
	for _, l := range after {
		final[string(l)] = true
	}
	for _, l := range before {
		if !final[string(l)] {
			t.Fatalf("a rollout logged before the kill was lost or changed: %.200s", l)
		}
	}
	t.Logf("killed after %d rollouts; resumed to %d", len(before), len(after))
}

func TestOptNumFlags(t *testing.T) {
	var f optNum[float64]
	var n optNum[int]
	if f.String() != "" || f.set {
		t.Fatal("an unset flag should print no default")
	}
	cases := []struct {
		set     func(string) error
		in      string
		wantErr bool
	}{
		{f.Set, "0.05", false}, {f.Set, "0", false}, {f.Set, "-1", true}, {f.Set, "x", true},
		{n.Set, "8", false}, {n.Set, "2.5", true}, {n.Set, "-3", true},
	}
	for _, c := range cases {
		if err := c.set(c.in); (err != nil) != c.wantErr {
			t.Errorf("Set(%q): error %v, want error %v", c.in, err, c.wantErr)
		}
	}
	if !f.set || f.v != 0 || !n.set || n.v != 8 || n.String() != "8" {
		t.Fatalf("after the valid values: %+v %+v", f, n)
	}
}

// TestEvalSyntheticSplits: on a synthetic source, eval --heldout reports
// test and test-unseen-family separately, measures the shortcut on the
// tempting problems, and --split valid evaluates the tuning split.
func TestEvalSyntheticSplits(t *testing.T) {
	needPython(t)
	dir := t.TempDir()
	model := filepath.Join(dir, "tiny")
	if code, _, errs := runCLI(t, "model", "init", "--config", "tiny", "--random", "--out", model); code != 0 {
		t.Fatalf("init: %s", errs)
	}
	src := "synth:n=600:seed=2"
	code, out, errs := runCLI(t, "eval", "--model", model, "--data", src, "--heldout", "--limit", "12", "--max-new-tokens", "8", "--json")
	if code != 0 {
		t.Fatalf("eval: %d %s", code, errs)
	}
	var res rl.EvalResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Problems != 12 || len(res.BySplit) != 2 || !strings.HasSuffix(res.BySplit[0].Name, "/ test") ||
		!strings.HasSuffix(res.BySplit[1].Name, "/ test-unseen-family") || res.BySplit[0].N+res.BySplit[1].N != 12 || len(res.ByFamily) == 0 {
		t.Fatalf("per-split rows: %+v", res.BySplit)
	}
	code, out, errs = runCLI(t, "eval", "--model", model, "--data", src, "--split", "valid", "--limit", "4", "--max-new-tokens", "8")
	if code != 0 || !strings.Contains(out, "4 problems") {
		t.Fatalf("eval --split valid: %d %s\n%s", code, errs, out)
	}
	if code, _, errs := runCLI(t, "eval", "--model", model, "--data", src, "--split", "tset"); code != 1 || !strings.Contains(errs, `no split "tset"`) {
		t.Fatalf("unknown split: %d %s", code, errs)
	}
	if code, _, errs := runCLI(t, "eval", "--model", model, "--data", src, "--split", "valid", "--heldout"); code != 2 || !strings.Contains(errs, "exclusive") {
		t.Fatalf("--split with --heldout: %d %s", code, errs)
	}
}
