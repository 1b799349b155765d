package server

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/securecoderl/securecoderl/sandbox"
	"github.com/securecoderl/securecoderl/scanners/core"
	"github.com/securecoderl/securecoderl/stdlib/judge"
	"github.com/securecoderl/securecoderl/stdlib/reward"
	"github.com/securecoderl/securecoderl/stdlib/scoring"
)

// ScoreRequest asks POST /score to judge one program on its tests, scan it
// and reward it: what an RL framework does with one /run_code call per
// test, in one request per rollout. Unknown fields are ignored.
type ScoreRequest struct {
	Code   string      `json:"code"`
	FnName string      `json:"fn_name"` // call-based (LeetCode-style): call this function or Solution method
	Tests  []ScoreTest `json:"tests"`
	// Compare is the output comparison (judge presets: exact, strip, lines,
	// float, apps; default apps).
	Compare string `json:"compare"`
	// Reward is the functional reward (partial, seed, binary, fraction,
	// guarded, syntax; default partial); Alpha and Beta weigh it and the
	// security reward (default 0.6 and 0.4, the study's).
	Reward        string   `json:"reward"`
	Alpha         *float64 `json:"alpha"`
	Beta          *float64 `json:"beta"`
	RunTimeout    float64  `json:"run_timeout"`     // seconds per test
	MemoryLimitMB int      `json:"memory_limit_MB"` // per test
}

// ScoreTest is one test: stdin and expected stdout (for call-based
// programs, the JSON argument list and the JSON return value).
type ScoreTest struct {
	Input  string `json:"input"`
	Output string `json:"output"`
}

// ScoreResponse is the judged, scanned and rewarded program.
type ScoreResponse struct {
	Judged   judge.Result   `json:"judged"` // per-test verdicts, k of T, first failure, failure bucket
	Reward   reward.Total   `json:"reward"` // R, R_func (stage) and R_sec with their explanations
	Findings []core.Finding `json:"findings"`
	SecClean bool           `json:"sec_clean"`
	Runs     []RunSummary   `json:"runs"` // per test, in order
	Seconds  float64        `json:"seconds"`
}

// RunSummary is one test's run (outputs cut to 4 KiB).
type RunSummary struct {
	Verdict  sandbox.Verdict `json:"verdict"`
	ExitCode int             `json:"exit_code"`
	WallMS   float64         `json:"wall_ms"`
	Stdout   string          `json:"stdout"`
	Stderr   string          `json:"stderr"`
}

const maxScoreTests = 1000

func cut(s string) string {
	if len(s) > 4<<10 {
		return s[:4<<10] + "…"
	}
	return s
}

func (s *Server) score(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Scanner == nil {
		writeDetail(w, http.StatusServiceUnavailable, "this server has no scanner configured (/score needs one)")
		return
	}
	var req ScoreRequest
	if !s.decode(w, r, &req, "score") {
		return
	}
	opt, err := s.scoreOptions(req)
	if err != nil {
		writeDetail(w, http.StatusUnprocessableEntity, err.Error())
		return
	}
	release, ok := s.admit(w)
	if !ok {
		return
	}
	defer release()
	cases := make([]judge.Case, len(req.Tests))
	for i, t := range req.Tests {
		cases[i] = judge.Case{Input: t.Input, Expected: t.Output}
	}
	prog := sandbox.Program{Source: req.Code, FnName: req.FnName}
	if req.FnName != "" {
		prog.Prelude = sandbox.APPSCallPrelude
	}
	start := time.Now()
	s.running.Add(1)
	res, err := scoring.Run(r.Context(), opt, []scoring.Item{{Name: "request", Program: prog, Cases: cases}})
	s.running.Add(-1)
	if err != nil {
		writeDetail(w, http.StatusInternalServerError, "scoring: "+err.Error())
		return
	}
	out := ScoreResponse{Judged: res[0].Judged, Reward: res[0].Total, Findings: res[0].Report.Findings,
		SecClean: res[0].SecClean(), Seconds: time.Since(start).Seconds()}
	for _, run := range res[0].Judged.Runs {
		s.m.verdict(string(run.Verdict))
		s.m.observe(run.WallMS / 1000)
		out.Runs = append(out.Runs, RunSummary{Verdict: run.Verdict, ExitCode: run.ExitCode, WallMS: run.WallMS,
			Stdout: cut(run.Stdout), Stderr: cut(run.Stderr)})
	}
	writeJSON(w, http.StatusOK, out)
}

// scoreOptions validates a score request into scoring options.
func (s *Server) scoreOptions(req ScoreRequest) (scoring.Options, error) {
	if strings.TrimSpace(req.Code) == "" {
		return scoring.Options{}, fmt.Errorf("code is empty")
	}
	if len(req.Tests) == 0 || len(req.Tests) > maxScoreTests {
		return scoring.Options{}, fmt.Errorf("tests: %d given, want 1 to %d", len(req.Tests), maxScoreTests)
	}
	for i, t := range req.Tests {
		if len(t.Input) > s.cfg.MaxStdinBytes {
			return scoring.Options{}, fmt.Errorf("tests[%d].input is %d bytes, over %d", i, len(t.Input), s.cfg.MaxStdinBytes)
		}
	}
	cmpName := req.Compare
	if cmpName == "" {
		cmpName = string(judge.APPS)
	}
	preset, err := judge.ParsePreset(cmpName)
	if err != nil {
		return scoring.Options{}, fmt.Errorf("compare: %w", err)
	}
	fname := req.Reward
	if fname == "" {
		fname = "partial"
	}
	f, err := reward.FuncByName(fname)
	if err != nil {
		return scoring.Options{}, fmt.Errorf("reward: %w", err)
	}
	comb := reward.Study()
	comb.Func = f
	if req.Alpha != nil {
		comb.Alpha = *req.Alpha
	}
	if req.Beta != nil {
		comb.Beta = *req.Beta
	}
	return scoring.Options{Pool: s.pool, Scanner: s.cfg.Scanner, Reward: comb, Compare: preset, Limits: s.limits(req.RunTimeout, req.MemoryLimitMB)}, nil
}
