package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/securecoderl/securecoderl/stdlib/apps"
	"github.com/securecoderl/securecoderl/stdlib/apps/synth"
)

func runApps(ctx context.Context, e *env, args []string) error {
	return subcommand(ctx, e, "apps", args, map[string]func(context.Context, *env, []string) error{
		"stats": appsStats,
		"show":  appsShow,
		"split": appsSplit,
		"synth": appsSynth,
	})
}

func appsSynth(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "apps synth", "apps synth --n N [--seed 1] [--families a,b] --out F.jsonl [--json] | apps synth --list [--json]")
	n := fs.Int("n", synth.DefaultN, "number of problems (dealt to the families in turn)")
	seed := fs.Uint64("seed", synth.DefaultSeed, "generation seed")
	families := fs.String("families", "", "comma-separated family names (default: all; see --list)")
	out := fs.String("out", "", "output JSON Lines file (APPS row schema plus family, tier, split, tempting, insecure_solutions)")
	list := fs.Bool("list", false, "list the families")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *list {
		fams := synth.Families()
		if *asJSON {
			type fam struct {
				Name     string `json:"name"`
				Tier     int    `json:"tier"`
				Tempting bool   `json:"tempting"`
				Unseen   bool   `json:"unseen"`
				Cousin   string `json:"cousin,omitempty"`
				About    string `json:"about"`
			}
			var rows []fam
			for _, f := range fams {
				rows = append(rows, fam{f.Name, f.Tier, f.Tempting, f.Unseen, f.Cousin, f.About})
			}
			return writeJSON(e.stdout, rows)
		}
		w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintf(w, "family\ttier\tkind\tabout\n")
		for _, f := range fams {
			kind := "train"
			switch {
			case f.Unseen:
				kind = "unseen (cousin " + f.Cousin + ")"
			case f.Tempting:
				kind = "train, tempting"
			}
			fmt.Fprintf(w, "%s\t%d\t%s\t%s\n", f.Name, f.Tier, kind, f.About)
		}
		return w.Flush()
	}
	if *n <= 0 {
		return usagef("--n must be positive, got %d", *n)
	}
	if *out == "" {
		return usagef("--out F.jsonl is required (or --list)")
	}
	opts := synth.Options{N: *n, Seed: *seed, Families: splitList(*families)}
	rows, err := synth.Generate(opts)
	if err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	if err := synth.WriteJSONL(f, rows); err != nil {
		f.Close()
		return fmt.Errorf("--out %s: %w", *out, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("--out %s: %w", *out, err)
	}
	ps, _, err := apps.Load(ctx, *out, apps.Options{Strict: true})
	if err != nil {
		return fmt.Errorf("reading back %s: %w", *out, err)
	}
	st := apps.Stats(ps)
	if *asJSON {
		return writeJSON(e.stdout, map[string]any{"out": *out, "n": *n, "seed": *seed, "source": apps.SynthSource(opts), "stats": st})
	}
	fmt.Fprintf(e.stdout, "wrote %d problems of %d families to %s (seed %d; the same set as --data %s): %d tempting, splits", len(ps), st.Families, *out, *seed, apps.SynthSource(opts), st.Tempting)
	for _, k := range synth.Splits() {
		fmt.Fprintf(e.stdout, " %s %d", k, st.BySplit[k])
	}
	fmt.Fprintln(e.stdout)
	return nil
}

// dataFlags are the flags every dataset-reading command shares.
type dataFlags struct {
	data, sha256, schema string
	strict               bool
}

func (d *dataFlags) register(fsName string, fs interface {
	StringVar(*string, string, string, string)
	BoolVar(*bool, string, bool, string)
}) {
	fs.StringVar(&d.data, "data", os.Getenv("SCRL_DATA"), "problems: a path or https:// URL (APPS JSONL/JSON, APPS+ data.json, .gz), or synth[:n=N:seed=S] for the synthetic family; empty = the embedded default set (env SCRL_DATA)")
	fs.StringVar(&d.sha256, "sha256", "", "expected SHA-256 of the data file (checked after download)")
	fs.StringVar(&d.schema, "schema", "", "force the schema: apps or apps_plus (default: detected)")
	fs.BoolVar(&d.strict, "strict", false, "fail on the first bad record instead of skipping and reporting it")
}

func (d *dataFlags) load(ctx context.Context, e *env) ([]apps.Problem, apps.LoadReport, error) {
	opts := apps.Options{Strict: d.strict, SHA256: d.sha256, Schema: apps.Schema(d.schema)}
	ps, rep, err := apps.Load(ctx, d.data, opts)
	if err != nil {
		return nil, rep, err
	}
	if n := len(rep.Skips); n > 0 {
		fmt.Fprintf(e.stderr, "scrl: %d record(s) of %s skipped (see --json or --strict):\n", n, rep.Source)
		for i, s := range rep.Skips {
			if i == 5 {
				fmt.Fprintf(e.stderr, "  … and %d more\n", n-5)
				break
			}
			fmt.Fprintf(e.stderr, "  %s\n", s)
		}
	}
	return ps, rep, nil
}

func appsStats(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "apps stats", "apps stats [--data PATH|URL] [--json]")
	var d dataFlags
	d.register("stats", fs)
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	ps, rep, err := d.load(ctx, e)
	if err != nil {
		return err
	}
	s := apps.Stats(ps)
	if *asJSON {
		return writeJSON(e.stdout, map[string]any{"source": rep.Source, "sha256": rep.SHA256, "schema": rep.Schema,
			"records": rep.Records, "skipped": rep.Skips, "stats": s})
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "source\t%s\n", rep.Source)
	fmt.Fprintf(w, "schema\t%s\n", rep.Schema)
	fmt.Fprintf(w, "records\t%d (%d loaded, %d skipped)\n", rep.Records, rep.Loaded, len(rep.Skips))
	fmt.Fprintf(w, "problems\t%d\n", s.Problems)
	for _, k := range []string{string(apps.KindStdin), string(apps.KindCall)} {
		fmt.Fprintf(w, "  %s\t%d\n", k, s.ByKind[k])
	}
	fmt.Fprintf(w, "difficulty\t\n")
	for _, k := range sortedKeys(s.ByDifficulty) {
		fmt.Fprintf(w, "  %s\t%d\n", k, s.ByDifficulty[k])
	}
	fmt.Fprintf(w, "tests\t%d (per problem min %d, median %g, max %d)\n", s.Tests, s.TestsPerProblem.Min, s.TestsPerProblem.Median, s.TestsPerProblem.Max)
	fmt.Fprintf(w, "with reference solutions\t%d (%d solutions)\n", s.WithSolutions, s.Solutions)
	if s.Families > 0 {
		fmt.Fprintf(w, "families\t%d\n", s.Families)
		fmt.Fprintf(w, "tempting\t%d problems (%d insecure reference solutions)\n", s.Tempting, s.Insecure)
	}
	if len(s.BySplit) > 0 {
		fmt.Fprintf(w, "split\t\n")
		for _, k := range synth.Splits() {
			fmt.Fprintf(w, "  %s\t%d\n", k, s.BySplit[k])
		}
	}
	for _, sk := range rep.Skips {
		fmt.Fprintf(w, "skipped\t%s\n", sk)
	}
	return w.Flush()
}

func appsShow(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "apps show", "apps show [--data PATH|URL] [--json] ID")
	var d dataFlags
	d.register("show", fs)
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want exactly one problem ID, got %d arguments", len(pos))
	}
	ps, _, err := d.load(ctx, e)
	if err != nil {
		return err
	}
	for _, p := range ps {
		if p.ID != pos[0] {
			continue
		}
		if *asJSON {
			return writeJSON(e.stdout, p)
		}
		fmt.Fprintf(e.stdout, "Problem %s  [%s, %s", p.ID, p.Difficulty, p.Kind)
		if p.FnName != "" {
			fmt.Fprintf(e.stdout, " %s()", p.FnName)
		}
		fmt.Fprintf(e.stdout, "]  %d tests, %d reference solutions\n", len(p.Tests), len(p.Solutions))
		if p.URL != "" {
			fmt.Fprintln(e.stdout, p.URL)
		}
		fmt.Fprintf(e.stdout, "\n%s\n", strings.TrimSpace(p.Statement))
		if p.StarterCode != "" {
			fmt.Fprintf(e.stdout, "\nStarter code:\n%s\n", p.StarterCode)
		}
		for i, t := range p.Tests {
			if i == 3 {
				fmt.Fprintf(e.stdout, "\n… %d more tests\n", len(p.Tests)-3)
				break
			}
			fmt.Fprintf(e.stdout, "\n--- test %d input ---\n%s\n--- expected ---\n%s\n", i, clipText(t.Input, 600), clipText(t.Expected, 600))
		}
		if len(p.Solutions) > 0 {
			fmt.Fprintf(e.stdout, "\n--- reference solution 0 ---\n%s\n", clipText(p.Solutions[0], 2000))
		}
		return nil
	}
	return fmt.Errorf("no problem with ID %q in %s", pos[0], dataName(d.data))
}

func appsSplit(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "apps split", "apps split [--data PATH|URL] [--heldout 0.2] [--seed 1] [--json]")
	var d dataFlags
	d.register("split", fs)
	heldout := fs.Float64("heldout", 0.2, "held-out fraction in [0,1]")
	seed := fs.Uint64("seed", 1, "split seed")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *heldout < 0 || *heldout > 1 {
		return usagef("--heldout %v is outside [0,1]", *heldout)
	}
	ps, _, err := d.load(ctx, e)
	if err != nil {
		return err
	}
	train, held := apps.SplitIDs(ps, *heldout, *seed)
	if *asJSON {
		return writeJSON(e.stdout, map[string]any{"seed": *seed, "heldout_fraction": *heldout, "train": train, "heldout": held})
	}
	fmt.Fprintf(e.stdout, "train (%d): %s\nheldout (%d): %s\n", len(train), strings.Join(train, " "), len(held), strings.Join(held, " "))
	return nil
}

func dataName(s string) string {
	if s == "" {
		return "the embedded default set"
	}
	return s
}

func clipText(s string, n int) string {
	if len(s) > n {
		return s[:n] + fmt.Sprintf("… (%d bytes)", len(s))
	}
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sortStrings(ks)
	return ks
}
