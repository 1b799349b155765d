package rl

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/securecoderl/securecoderl/sandbox"
	"github.com/securecoderl/securecoderl/scanners"
	"github.com/securecoderl/securecoderl/stdlib/apps"
	"github.com/securecoderl/securecoderl/stdlib/judge"
	"github.com/securecoderl/securecoderl/stdlib/reward"
	"github.com/securecoderl/securecoderl/stdlib/scoring"
)

// RewardConfig names a reward: R = Alpha·R_func + Beta·R_sec.
type RewardConfig struct {
	Func  string  `json:"func"` // reward.FuncByName: partial, seed, binary, fraction, guarded, syntax
	Alpha float64 `json:"alpha"`
	Beta  float64 `json:"beta"`
}

// Combined builds the reward.
func (c RewardConfig) Combined() (reward.Combined, error) {
	f, err := reward.FuncByName(c.Func)
	if err != nil {
		return reward.Combined{}, err
	}
	return reward.Combined{Alpha: c.Alpha, Beta: c.Beta, Func: f}, nil
}

// Scorer judges completions in the sandbox, scans them and rewards them.
// Judging runs on the pool's workers and scanning concurrently with it.
type Scorer struct {
	Pool      sandbox.Tester // a local pool (closed by Close) or remote sandboxes
	Limits    sandbox.Limits // per-run limits (what a remote sandbox runs under)
	Scanner   scanners.Scanner
	Reward    reward.Combined
	Extractor apps.Extractor
	Compare   judge.Preset
	// MaxTests judges at most this many tests per problem (0: all); the
	// first ones, so every rollout of a problem sees the same tests.
	MaxTests int
	// Visible also judges the statement's examples (for best-of-k
	// selection on tests the model could see).
	Visible bool
}

// ScoreItem is one completion to score.
type ScoreItem struct {
	Problem    apps.Problem
	Prompt     string // the prompt text (the extractor looks for a stub in it)
	Completion string
}

// Scored is a scored completion.
type Scored struct {
	Program       string             `json:"program"`
	Notes         []string           `json:"extract_notes,omitempty"`
	Verdicts      []sandbox.Verdict  `json:"verdicts"`
	Passed        int                `json:"passed"`
	Total         int                `json:"total"`
	Syntax        bool               `json:"syntax_ok"`
	Stage         reward.Stage       `json:"stage"`
	RFunc         float64            `json:"r_func"`
	Findings      []scanners.Finding `json:"findings"`
	ScanError     string             `json:"scan_error,omitempty"`
	RSec          float64            `json:"r_sec"`
	SecClean      bool               `json:"sec_clean"`
	R             float64            `json:"r"`
	VisiblePassed int                `json:"visible_passed,omitempty"`
	VisibleTotal  int                `json:"visible_total,omitempty"`
	FirstFailure  string             `json:"first_failure,omitempty"`
}

// Score scores every item (results in item order) with scoring.Run.
func (s *Scorer) Score(ctx context.Context, items []ScoreItem) ([]Scored, error) {
	out := make([]Scored, len(items))
	work := make([]scoring.Item, len(items))
	for i, it := range items {
		x, err := s.Extractor.Extract(it.Prompt, it.Completion)
		if err != nil {
			return nil, fmt.Errorf("rollout %d (problem %s): extract: %w", i, it.Problem.ID, err)
		}
		out[i].Program, out[i].Notes = x.Program, x.Notes
		p := it.Problem
		work[i] = scoring.Item{Name: fmt.Sprintf("rollout-%d.py", i), Program: scoring.ProgramOf(p, x.Program),
			Cases: scoring.Cases(p.Tests, s.MaxTests)}
		if s.Visible && p.Kind == apps.KindStdin {
			work[i].Visible = scoring.Cases(apps.StatementExamples(p.Statement), 0)
		}
	}
	res, err := scoring.Run(ctx, scoring.Options{Pool: s.Pool, Scanner: s.Scanner, Reward: s.Reward, Compare: s.Compare, Limits: s.Limits}, work)
	if err != nil {
		return nil, err
	}
	for i := range out {
		r, jr, tot := &out[i], res[i].Judged, res[i].Total
		r.Findings, r.ScanError = res[i].Report.Findings, res[i].Report.Err
		r.Verdicts, r.Passed, r.Total, r.Syntax = jr.Verdicts, jr.Passed, jr.Total, jr.Syntax == nil
		r.Stage, r.RFunc, r.RSec, r.R = tot.Func.Stage, tot.Func.Value, tot.Sec.Value, tot.R
		r.SecClean = res[i].SecClean()
		r.VisiblePassed, r.VisibleTotal = res[i].Visible.Passed, res[i].Visible.Total
		if f := jr.FirstFailure; f != nil {
			r.FirstFailure = string(f.Verdict)
			if f.Stderr != "" {
				r.FirstFailure += ": " + lastLine(f.Stderr)
			}
		}
	}
	return out, nil
}

func lastLine(s string) string {
	s = strings.TrimRight(s, "\n")
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// ScorerConfig configures NewScorer.
type ScorerConfig struct {
	Reward    RewardConfig `json:"reward"`
	Scanner   string       `json:"scanner"`   // native (default), bandit, regex
	Extractor string       `json:"extractor"` // default auto
	Compare   string       `json:"compare"`   // default lines
	Workers   int          `json:"workers"`   // sandbox workers (default 2)
	TimeoutMS int          `json:"timeout_ms"`
	MaxTests  int          `json:"max_tests"`
	Visible   bool         `json:"visible"`
	// Sandbox, when set, judges on `scrl serve` endpoints
	// ("http://a:8080,http://b:8080", token from $SCRL_SERVE_TOKEN) instead
	// of a local pool. Not part of a run's identity: the verdicts are the
	// same.
	Sandbox string `json:"-"`
}

// NewScorer starts a sandbox pool and a scanner; Close releases them.
func NewScorer(ctx context.Context, c ScorerConfig) (*Scorer, error) {
	comb, err := c.Reward.Combined()
	if err != nil {
		return nil, err
	}
	if c.Scanner == "" {
		c.Scanner = "native"
	}
	if c.Extractor == "" {
		c.Extractor = "auto"
	}
	if c.Compare == "" {
		c.Compare = "lines"
	}
	ext, err := apps.ParseExtractor(c.Extractor)
	if err != nil {
		return nil, err
	}
	cmp, err := judge.ParsePreset(c.Compare)
	if err != nil {
		return nil, err
	}
	if c.Workers <= 0 {
		c.Workers = 2
	}
	if c.TimeoutMS <= 0 {
		c.TimeoutMS = 2000
	}
	lim := sandbox.Limits{Wall: msDuration(c.TimeoutMS), MemoryMB: 512}
	var pool sandbox.Tester
	if c.Sandbox != "" {
		pool, err = sandbox.NewRemote(c.Sandbox, os.Getenv("SCRL_SERVE_TOKEN"))
	} else {
		pool, err = sandbox.New(ctx, sandbox.Config{Workers: c.Workers, Limits: lim})
	}
	if err != nil {
		return nil, err
	}
	sc, err := scanners.New(c.Scanner, scanners.Options{})
	if err != nil {
		closePool(pool)
		return nil, err
	}
	return &Scorer{Pool: pool, Limits: lim, Scanner: sc, Reward: comb, Extractor: ext, Compare: cmp, MaxTests: c.MaxTests, Visible: c.Visible}, nil
}

func closePool(t sandbox.Tester) error {
	if p, ok := t.(*sandbox.Pool); ok {
		return p.Close()
	}
	return nil
}

// Close stops the sandbox and the scanner.
func (s *Scorer) Close() error {
	err := closePool(s.Pool)
	if e := scanners.Close(s.Scanner); err == nil {
		err = e
	}
	return err
}
