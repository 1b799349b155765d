package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/securecoderl/securecoderl/stdlib/lm"
	"github.com/securecoderl/securecoderl/stdlib/lora"
)

func TestModelInitInfoGenerateBench(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tiny")
	if code, _, errs := runCLI(t, "model", "init", "--config", "tiny", "--random", "--out", dir); code != 0 {
		t.Fatalf("init: %d %s", code, errs)
	}
	code, out, errs := runCLI(t, "model", "info", "--json", dir)
	if code != 0 {
		t.Fatalf("info: %d %s", code, errs)
	}
	var inf struct {
		Params int64          `json:"params"`
		DTypes map[string]int `json:"dtypes"`
	}
	if err := json.Unmarshal([]byte(out), &inf); err != nil || inf.Params != 262720 || inf.DTypes["F32"] != 39 {
		t.Fatalf("info: %+v %v\n%s", inf, err, out)
	}
	code, out, errs = runCLI(t, "generate", "--model", dir, "--prompt", "def f(x):", "--prompt", "print(",
		"--n", "2", "--max-new-tokens", "6", "--json")
	if code != 0 {
		t.Fatalf("generate: %d %s", code, errs)
	}
	var gen struct {
		Samples []struct {
			Tokens      []int     `json:"tokens"`
			LogProbs    []float64 `json:"logprobs"`
			RawLogProbs []float64 `json:"raw_logprobs"`
		} `json:"samples"`
	}
	if err := json.Unmarshal([]byte(out), &gen); err != nil || len(gen.Samples) != 4 || len(gen.Samples[3].RawLogProbs) != len(gen.Samples[3].Tokens) {
		t.Fatalf("generate: %v\n%s", err, out)
	}
	// A fresh adapter (B = 0) leaves the samples unchanged, merged or not.
	ad := filepath.Join(t.TempDir(), "adapter")
	cfg, _ := lm.LoadConfig(dir)
	a, err := lora.New(cfg, lora.StudyConfig(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Save(ad); err != nil {
		t.Fatal(err)
	}
	for _, merge := range []string{"--merge=true", "--merge=false"} {
		code, out2, errs := runCLI(t, "generate", "--model", dir, "--adapter", ad, merge, "--prompt", "def f(x):", "--prompt", "print(",
			"--n", "2", "--max-new-tokens", "6", "--json")
		if code != 0 {
			t.Fatalf("generate %s: %d %s", merge, code, errs)
		}
		var g2 struct {
			Samples []struct {
				Tokens []int `json:"tokens"`
			} `json:"samples"`
		}
		json.Unmarshal([]byte(out2), &g2)
		for i := range gen.Samples {
			if !slices.Equal(g2.Samples[i].Tokens, gen.Samples[i].Tokens) {
				t.Fatalf("generate %s: sample %d differs from the base model's", merge, i)
			}
		}
	}
	code, out, errs = runCLI(t, "bench", "model", "--model", dir, "--batch", "2", "--seq", "16", "--steps", "1", "--gen-batch", "2", "--gen-tokens", "4", "--json")
	if code != 0 || !strings.Contains(out, "train_tokens_per_second") || !strings.Contains(out, "gen_tokens_per_second") {
		t.Fatalf("bench model: %d %s\n%s", code, errs, out)
	}
	// The 1.3B preset writes only its config unless forced.
	ds := filepath.Join(t.TempDir(), "ds")
	code, _, errs = runCLI(t, "model", "init", "--config", "deepseek-coder-1.3b", "--random", "--out", ds)
	if code != 0 || !strings.Contains(errs, "--force") {
		t.Fatalf("deepseek init: %d %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(ds, "model.safetensors")); err == nil {
		t.Fatal("wrote 1.3B random weights without --force")
	}
	if code, out, _ := runCLI(t, "model", "info", ds); code != 0 || !strings.Contains(out, "1.35B") {
		t.Fatalf("deepseek info: %d\n%s", code, out)
	}
	if code, _, errs := runCLI(t, "generate", "--model", dir); code != 2 || !strings.Contains(errs, "--prompt") {
		t.Fatalf("generate without prompt: %d %s", code, errs)
	}
}

// TestModelInfoTruncated: a safetensors file cut short is named as
// truncated, not reported as a config-only model.
func TestModelInfoTruncated(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tiny")
	if code, _, errs := runCLI(t, "model", "init", "--config", "tiny", "--random", "--out", dir); code != 0 {
		t.Fatalf("init: %d %s", code, errs)
	}
	path := filepath.Join(dir, "model.safetensors")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, fi.Size()/2); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "model", "info", dir)
	if code == 0 || !strings.Contains(errs, "model.safetensors: truncated: tensor") || strings.Contains(out, "config only") {
		t.Fatalf("info on a truncated file: exit %d\nstdout %s\nstderr %s", code, out, errs)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runCLI(t, "model", "info", dir); code != 0 || !strings.Contains(out, "none (config only)") {
		t.Fatalf("info without weights: exit %d\n%s%s", code, out, errs)
	}
}
