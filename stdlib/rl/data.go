package rl

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"

	"github.com/securecoderl/securecoderl/stdlib/apps"
	"github.com/securecoderl/securecoderl/stdlib/tokenizer"
)

// Prompting is how a problem becomes a prompt for the model.
type Prompting struct {
	// Template is an apps template name (default "instruction_sft": the
	// study's SFT template, used for every stage so a small model sees one
	// format).
	Template string `json:"template"`
	// MaxStatementBytes cuts long statements (at a line boundary, with a
	// "..." line) so prompts stay short enough for CPU training; 0 keeps
	// them whole.
	MaxStatementBytes int `json:"max_statement_bytes"`
}

// DefaultPrompting is instruction_sft with statements cut at 256 bytes (a
// byte-level model on two CPU cores cannot afford the whole statement;
// prompts stay under about 330 tokens).
func DefaultPrompting() Prompting {
	return Prompting{Template: "instruction_sft", MaxStatementBytes: 256}
}

// Prompt returns the prompt text of a problem.
func (pr Prompting) Prompt(p apps.Problem) (string, error) {
	name := pr.Template
	if name == "" {
		name = "instruction_sft"
	}
	tmpl, err := apps.TemplateByName(name)
	if err != nil {
		return "", err
	}
	text := p.Prompt
	if text == "" {
		text = p.Statement
	}
	if p.StarterCode != "" && !strings.Contains(text, p.StarterCode) {
		text = strings.TrimRight(text, "\n") + "\n\n" + p.StarterCode
	}
	if n := pr.MaxStatementBytes; n > 0 && len(text) > n {
		cut := strings.LastIndexByte(text[:n], '\n')
		if cut < n/2 {
			cut = n
		}
		text = strings.TrimRight(text[:cut], " \n") + "\n..."
	}
	return tmpl.Format(text), nil
}

// Key identifies a problem across files (APPS train and test reuse ids):
// the file's base name and the problem id.
func Key(p apps.Problem) string {
	return filepath.Base(p.Source) + ":" + p.ID
}

// LoadProblems loads every file (apps.Load; "" or "embedded" is the
// embedded set) and splits each by apps.Split(heldout, seed): the same ids
// go to the same side whatever else is loaded.
func LoadProblems(ctx context.Context, files []string, heldout float64, seed uint64) (train, held []apps.Problem, err error) {
	if len(files) == 0 {
		files = []string{""}
	}
	for _, f := range files {
		if f == "embedded" {
			f = ""
		}
		ps, _, err := apps.Load(ctx, f, apps.Options{})
		if err != nil {
			return nil, nil, err
		}
		tr, ho := apps.Split(ps, heldout, seed)
		// Split by the file's ids (both problems of a duplicated id fall on
		// the same side), then make the ids unique so that logs, the
		// evaluation's per-problem grouping and best-of-k never merge two
		// different problems (the shared mapcoder file has 12 such ids).
		train = append(train, uniqueIDs(tr)...)
		held = append(held, uniqueIDs(ho)...)
	}
	return train, held, nil
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
// solution + EOS. Solutions longer than maxCompletion tokens are skipped,
// and at most perProblem (0: all) are kept, the shortest first.
func SFTExamples(problems []apps.Problem, pr Prompting, tok *tokenizer.ByteTokenizer, maxCompletion, perProblem int) ([]Example, error) {
	var out []Example
	for _, p := range problems {
		prompt, err := pr.Prompt(p)
		if err != nil {
			return nil, err
		}
		pids := tok.EncodeOrdinary(prompt, true)
		var sols []string
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
			if maxCompletion > 0 && len(s)+1 > maxCompletion {
				continue
			}
			sols = append(sols, s)
		}
		// Shortest first (stable), so a per-problem cap keeps short programs.
		for i := 1; i < len(sols); i++ {
			for j := i; j > 0 && len(sols[j]) < len(sols[j-1]); j-- {
				sols[j], sols[j-1] = sols[j-1], sols[j]
			}
		}
		if perProblem > 0 && len(sols) > perProblem {
			sols = sols[:perProblem]
		}
		for _, s := range sols {
			c := append(tok.EncodeOrdinary(s, false), tok.EOS())
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
