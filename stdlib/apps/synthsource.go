package apps

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/securecoderl/securecoderl/stdlib/apps/synth"
)

// SynthPrefix starts a synthetic source: "synth" alone is the default set
// (synth.DefaultN problems, seed synth.DefaultSeed); keys follow after
// colons, "synth:n=4800:seed=2:families=sum_list+max_list" (commas are
// accepted too, but lists of sources are comma-separated).
const SynthPrefix = "synth"

// IsSynthSource reports whether source names the synthetic family.
func IsSynthSource(source string) bool {
	return source == SynthPrefix || strings.HasPrefix(source, SynthPrefix+":")
}

// ParseSynthSource reads "synth[:n=N][:seed=S][:families=a+b+c]" (keys
// separated by colons or commas).
func ParseSynthSource(source string) (synth.Options, error) {
	o := synth.Options{N: synth.DefaultN, Seed: synth.DefaultSeed}
	if !IsSynthSource(source) {
		return o, fmt.Errorf("apps: %q is not a synthetic source (synth[:n=N][:seed=S][:families=a+b])", source)
	}
	rest := strings.TrimPrefix(strings.TrimPrefix(source, SynthPrefix), ":")
	if rest == "" {
		return o, nil
	}
	for _, kv := range strings.FieldsFunc(rest, func(r rune) bool { return r == ':' || r == ',' }) {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return o, fmt.Errorf("apps: synthetic source %q: %q is not key=value (keys: n, seed, families)", source, kv)
		}
		switch k {
		case "n":
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				return o, fmt.Errorf("apps: synthetic source %q: n must be a positive integer, got %q", source, v)
			}
			o.N = n
		case "seed":
			s, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				return o, fmt.Errorf("apps: synthetic source %q: seed must be a non-negative integer, got %q", source, v)
			}
			o.Seed = s
		case "families":
			o.Families = strings.Split(v, "+")
		default:
			return o, fmt.Errorf("apps: synthetic source %q: unknown key %q (keys: n, seed, families)", source, k)
		}
	}
	return o, nil
}

// SynthSource is the canonical source name of options (what Problem.Source
// holds for generated problems).
func SynthSource(o synth.Options) string {
	s := fmt.Sprintf("%s:n=%d:seed=%d", SynthPrefix, o.N, o.Seed)
	if len(o.Families) > 0 {
		s += ":families=" + strings.Join(o.Families, "+")
	}
	return s
}

// loadSynth generates a synthetic set and parses it as APPS rows.
func loadSynth(ctx context.Context, source string, opts Options) ([]Problem, LoadReport, error) {
	o, err := ParseSynthSource(source)
	if err != nil {
		return nil, LoadReport{Source: source}, err
	}
	rows, err := synth.Generate(o)
	if err != nil {
		return nil, LoadReport{Source: source}, fmt.Errorf("apps: %w", err)
	}
	opts.Schema = SchemaAPPS
	return parseBytes(ctx, synth.JSONL(rows), SynthSource(o), opts)
}
