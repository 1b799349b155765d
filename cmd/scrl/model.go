package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/securecoderl/securecoderl/stdlib/generate"
	"github.com/securecoderl/securecoderl/stdlib/lm"
	"github.com/securecoderl/securecoderl/stdlib/tokenizer"
)

func runModel(ctx context.Context, e *env, args []string) error {
	return subcommand(ctx, e, "model", args, map[string]func(context.Context, *env, []string) error{
		"init": modelInit,
		"info": modelInfo,
	})
}

// bigModelParams: above this, random weights are only written with --force.
const bigModelParams = 200_000_000

func modelInit(_ context.Context, e *env, args []string) error {
	fs := newFlags(e, "model init", "model init --config tiny|small|deepseek-coder-1.3b [--random] --out DIR [--seed N] [--dtype float32|bfloat16|float16] [--shard-mb N] [--force]")
	preset := fs.String("config", "tiny", "architecture preset: "+strings.Join(lm.PresetNames(), ", "))
	random := fs.Bool("random", false, "write random weights (else config files only)")
	out := fs.String("out", "", "output directory (Hugging Face layout)")
	seed := fs.Uint64("seed", 1, "random seed for the weights")
	dtype := fs.String("dtype", "", "on-disk dtype (default: the preset's torch_dtype)")
	shardMB := fs.Int64("shard-mb", 0, "split weights into shards of at most this many MiB, with an index file (0: one file)")
	force := fs.Bool("force", false, "write random weights even for a billion-parameter config")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("--out DIR is required")
	}
	cfg, err := lm.Preset(*preset)
	if err != nil {
		return usageError{err.Error()}
	}
	if *dtype == "" {
		*dtype = cfg.TorchDType
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	n := cfg.ParamCount()
	if !*random || (n > bigModelParams && !*force) {
		if *random {
			fmt.Fprintf(e.stderr, "scrl model init: warning: %s has %.2fB parameters (%.1f GB of random weights in %s); wrote the config only — add --force to write them\n",
				*preset, float64(n)/1e9, float64(n)*float64(dtypeBytes(*dtype))/1e9, *dtype)
		}
		cfg.TorchDType = *dtype
		if err := cfg.WriteJSON(*out); err != nil {
			return err
		}
		if err := lm.WriteGenerationConfig(*out, cfg); err != nil {
			return err
		}
		if cfg.BOSTokenID != nil && *cfg.BOSTokenID == lm.ByteBOS {
			if err := lm.WriteByteTokenizer(*out); err != nil {
				return err
			}
		}
		fmt.Fprintf(e.stdout, "wrote %s config (%d parameters) to %s\n", *preset, n, *out)
		return nil
	}
	if err := lm.SaveRandom(*out, cfg, lm.RandomOptions{Seed: *seed}, lm.SaveOptions{DType: *dtype, MaxShardBytes: *shardMB << 20}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s with random weights (%d parameters, %s, seed %d) to %s\n", *preset, n, *dtype, *seed, *out)
	return nil
}

func dtypeBytes(dt string) int {
	if dt == "float32" {
		return 4
	}
	return 2
}

func modelInfo(_ context.Context, e *env, args []string) error {
	fs := newFlags(e, "model info", "model info [--json] DIR")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want one model directory, got %d arguments", len(pos))
	}
	inf, err := lm.ReadInfo(pos[0])
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, inf)
	}
	printInfo(e.stdout, inf)
	return nil
}

func printInfo(w io.Writer, inf lm.Info) {
	c := inf.Config
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(k string, v any) { fmt.Fprintf(tw, "%s\t%v\n", k, v) }
	row("directory", inf.Dir)
	row("architecture", fmt.Sprintf("%s (%s)", inf.Architecture, c.ModelType))
	row("layers", c.NumHiddenLayers)
	row("hidden size", c.HiddenSize)
	row("intermediate size", c.IntermediateSize)
	att := fmt.Sprintf("%d heads × %d dims", c.NumAttentionHeads, inf.HeadDim)
	if c.KVHeads() != c.NumAttentionHeads {
		att += fmt.Sprintf(", %d KV heads (grouped-query)", c.KVHeads())
	}
	row("attention", att)
	row("vocabulary", c.VocabSize)
	rope := fmt.Sprintf("theta %g", c.RopeTheta)
	if c.RopeScaling != nil {
		rope += fmt.Sprintf(", %s scaling ×%g", c.RopeScaling.Type, c.RopeScaling.Factor)
	}
	row("rope", rope)
	row("max positions", c.MaxPositionEmbeddings)
	row("lm_head", map[bool]string{true: "tied to embeddings", false: "untied"}[c.TieWordEmbeddings])
	row("parameters (config)", fmt.Sprintf("%d (%s)", inf.ConfigParams, human(inf.ConfigParams)))
	if inf.HasWeights {
		var dts []string
		for k, v := range inf.DTypes {
			dts = append(dts, fmt.Sprintf("%s×%d", k, v))
		}
		sort.Strings(dts)
		row("parameters (weights)", fmt.Sprintf("%d in %d tensors, %.1f MB", inf.Params, inf.Tensors, float64(inf.Bytes)/1e6))
		row("dtypes", strings.Join(dts, ", "))
	} else {
		row("weights", "none (config only)")
	}
	row("torch_dtype", c.TorchDType)
	row("tokenizer.json", inf.Tokenizer)
	row("files", strings.Join(inf.Files, " "))
	tw.Flush()
}

func human(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.2fB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.2fM", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1fK", float64(n)/1e3)
	}
	return fmt.Sprint(n)
}

// modelTokenizer returns the tokenizer of a checkpoint directory: its
// tokenizer.json, or, for byte-vocabulary models (tiny, small) without one,
// the byte tokenizer.
func modelTokenizer(dir string, cfg lm.Config) (generate.Tokenizer, error) {
	if _, err := os.Stat(filepath.Join(dir, "tokenizer.json")); err == nil {
		return tokenizer.Load(dir)
	}
	if cfg.BOSTokenID != nil && *cfg.BOSTokenID == lm.ByteBOS && cfg.VocabSize >= lm.ByteVocab {
		return tokenizer.NewByteTokenizer(), nil
	}
	return nil, fmt.Errorf("%s: no tokenizer.json", dir)
}
