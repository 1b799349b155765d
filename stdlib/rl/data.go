package rl

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"

	"github.com/securecoderl/securecoderl/stdlib/apps"
	"github.com/securecoderl/securecoderl/stdlib/apps/synth"
)

// Prompting is how a problem becomes a prompt for the model.
type Prompting struct {
	// Template is an apps template name (default "instruction_sft": the
	// study's SFT template, used for every stage so a small model sees one
	// format).
	Template string `json:"template"`
	// MaxStatementBytes compacts longer statements with
	// apps.CompactStatement: the Input, Output and Examples sections are
	// kept whole and the story is shortened (other sections dropped
	// first), so a prompt never hides the task's specification; 0 keeps
	// statements whole.
	MaxStatementBytes int `json:"max_statement_bytes"`
}

// DefaultPrompting is instruction_sft with statements compacted to 1,200
// bytes: every synthetic statement (at most 800 bytes) is whole, and an
// APPS statement keeps its Input, Output and Examples sections while its
// story is shortened (about 300 BPE tokens of prompt at most).
func DefaultPrompting() Prompting {
	return Prompting{Template: "instruction_sft", MaxStatementBytes: 1200}
}

// Prompt returns the prompt text of a problem.
func (pr Prompting) Prompt(p apps.Problem) (string, error) {
	text, _, err := pr.PromptInfo(p)
	return text, err
}

// PromptInfo is Prompt with what the compaction kept.
func (pr Prompting) PromptInfo(p apps.Problem) (string, apps.Compaction, error) {
	name := pr.Template
	if name == "" {
		name = "instruction_sft"
	}
	tmpl, err := apps.TemplateByName(name)
	if err != nil {
		return "", apps.Compaction{}, err
	}
	text := p.Prompt
	if text == "" {
		text = p.Statement
	}
	text, c := apps.CompactStatement(text, pr.MaxStatementBytes)
	if p.StarterCode != "" && !strings.Contains(text, p.StarterCode) {
		text = strings.TrimRight(text, "\n") + "\n\n" + p.StarterCode
	}
	return tmpl.Format(text), c, nil
}

// Key identifies a problem across files (APPS train and test reuse ids):
// the file's base name and the problem id.
func Key(p apps.Problem) string {
	return filepath.Base(p.Source) + ":" + p.ID
}

// SplitHeldout names the held-out side of a file split by apps.Split (an
// APPS file, which has no split field).
const SplitHeldout = "heldout"

// IsHeldoutSplit reports whether a split is read only by the final tables
// (synthetic test and test-unseen-family, or an APPS file's held-out side).
func IsHeldoutSplit(name string) bool {
	return name == SplitHeldout || slices.Contains(synth.HeldoutSplits(), name)
}

// LoadSplits loads every file (apps.Load; "" or "embedded" is the embedded
// set, "synth" the synthetic family) and splits it: a file whose problems
// carry a split field (the synthetic family) by that field (train, valid,
// test, test-unseen-family), any other by apps.Split(heldout, seed) into
// train and "heldout" (SplitHeldout): the same ids go to the same side
// whatever else is loaded. A file that mixes problems with and without a
// split field is an error naming it.
func LoadSplits(ctx context.Context, files []string, heldout float64, seed uint64) (map[string][]apps.Problem, error) {
	if len(files) == 0 {
		files = []string{""}
	}
	out := map[string][]apps.Problem{}
	for _, f := range files {
		if f == "embedded" {
			f = ""
		}
		ps, _, err := apps.Load(ctx, f, apps.Options{})
		if err != nil {
			return nil, err
		}
		with := 0
		for _, p := range ps {
			if p.Split != "" {
				with++
			}
		}
		switch {
		case with == 0:
			tr, ho := apps.Split(ps, heldout, seed)
			// Split by the file's ids (both problems of a duplicated id fall
			// on the same side), then make the ids unique so that logs, the
			// evaluation's per-problem grouping and best-of-k never merge two
			// different problems (the shared mapcoder file has 12 such ids).
			out[synth.SplitTrain] = append(out[synth.SplitTrain], uniqueIDs(tr)...)
			out[SplitHeldout] = append(out[SplitHeldout], uniqueIDs(ho)...)
		case with == len(ps):
			bySplit := map[string][]apps.Problem{}
			for _, p := range ps {
				if !slices.Contains(synth.Splits(), p.Split) {
					return nil, fmt.Errorf("%s: problem %s: unknown split %q (valid: %s)", f, p.ID, p.Split, strings.Join(synth.Splits(), ", "))
				}
				bySplit[p.Split] = append(bySplit[p.Split], p)
			}
			for name, sp := range bySplit {
				out[name] = append(out[name], uniqueIDs(sp)...)
			}
		default:
			return nil, fmt.Errorf("%s: %d of %d problems have a split field: either all or none must", f, with, len(ps))
		}
	}
	return out, nil
}

// AllSplitNames lists every split LoadSplits may return, in a fixed order.
func AllSplitNames() []string { return append(synth.Splits(), SplitHeldout) }

// HeldoutSplitNames returns the held-out splits present in splits, in a
// fixed order (test, test-unseen-family, heldout).
func HeldoutSplitNames(splits map[string][]apps.Problem) []string {
	var out []string
	for _, n := range append(synth.HeldoutSplits(), SplitHeldout) {
		if len(splits[n]) > 0 {
			out = append(out, n)
		}
	}
	return out
}

// LoadProblems is LoadSplits as (train, held-out): held-out is every
// split read only by the final tables (test and test-unseen-family, or an
// APPS file's held-out side). The valid split is in neither.
func LoadProblems(ctx context.Context, files []string, heldout float64, seed uint64) (train, held []apps.Problem, err error) {
	splits, err := LoadSplits(ctx, files, heldout, seed)
	if err != nil {
		return nil, nil, err
	}
	for _, n := range HeldoutSplitNames(splits) {
		held = append(held, splits[n]...)
	}
	return splits[synth.SplitTrain], held, nil
}

// uniqueIDs renames the second and later problems with an id already seen
// to "ID#2", "ID#3", … (in order), in place.
func uniqueIDs(ps []apps.Problem) []apps.Problem {
	seen := map[string]int{}
	for i := range ps {
		id := ps[i].ID
		seen[id]++
		if n := seen[id]; n > 1 {
			ps[i].ID = fmt.Sprintf("%s#%d", id, n)
		}
	}
	return ps
}

// Example is one SFT pair: a prompt and a reference completion.
type Example struct {
	Key        string `json:"key"`
	Prompt     []int  `json:"-"`
	Completion []int  `json:"-"` // ends with EOS
}

// SFTExamples turns problems with reference solutions into token pairs:
// prompt = BOS + template(statement), completion = a runnable reference
// solution + EOS. Solutions longer than maxCompletion tokens (EOS
// included) are skipped, and at most perProblem (0: all) are kept, the
// shortest first.
func SFTExamples(problems []apps.Problem, pr Prompting, tok Tokenizer, maxCompletion, perProblem int) ([]Example, error) {
	var out []Example
	for _, p := range problems {
		prompt, err := pr.Prompt(p)
		if err != nil {
			return nil, err
		}
		pids := tok.EncodeOrdinary(prompt, true)
		var sols [][]int
		for i, s := range p.Solutions {
			if strings.TrimSpace(s) == "" {
				continue
			}
			if p.Kind == apps.KindStdin && i == 0 {
				if r, err := apps.RunnableCanonical(p); err == nil {
					s = r
				}
			}
			s = strings.TrimRight(s, " \t\r\n") + "\n"
			c := append(tok.EncodeOrdinary(s, false), tok.EOS())
			if maxCompletion > 0 && len(c) > maxCompletion {
				continue
			}
			sols = append(sols, c)
		}
		// Shortest first (stable), so a per-problem cap keeps short programs.
		slices.SortStableFunc(sols, func(a, b []int) int { return len(a) - len(b) })
		if perProblem > 0 && len(sols) > perProblem {
			sols = sols[:perProblem]
		}
		for _, c := range sols {
			out = append(out, Example{Key: Key(p), Prompt: pids, Completion: c})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no SFT examples: the problems have no reference solutions that fit")
	}
	return out, nil
}

// Permutation is the data order of an epoch: deterministic in seed and
// epoch.
func Permutation(n int, seed uint64, epoch int) []int {
	rng := rand.New(rand.NewPCG(seed, 0xda7a+uint64(epoch)))
	return rng.Perm(n)
}

// Cursor walks a dataset in per-epoch permutations; it is part of a
// checkpoint's state (the data position).
type Cursor struct {
	Epoch int `json:"epoch"`
	Pos   int `json:"pos"`
}

// Next returns the next k indices of a dataset of n items.
func (c *Cursor) Next(n, k int, seed uint64) []int {
	out := make([]int, 0, k)
	perm := Permutation(n, seed, c.Epoch)
	for len(out) < k {
		if c.Pos >= n {
			c.Epoch++
			c.Pos = 0
			perm = Permutation(n, seed, c.Epoch)
		}
		out = append(out, perm[c.Pos])
		c.Pos++
	}
	return out
}
