// Package server serves a sandbox.Pool over HTTP, compatible with
// SandboxFusion's POST /run_code for Python (the API verl's and other RL
// frameworks' code-reward clients call, one request per test case), with
// liveness (/health), readiness (/ready), Prometheus metrics (/metrics), an
// optional bearer token, capped request bodies and a bounded queue: past
// Config.MaxQueue waiting requests a request gets 429 with Retry-After
// instead of piling up.
//
// Verdicts map to SandboxFusion's statuses as its Python runner reports
// them: a clean exit is "Success" with run_result "Finished"; a non-zero
// exit, an uncaught exception, a syntax error (Python has no compile
// stage there either), the memory or output limit are "Failed" with
// "Finished" and a non-zero return code (the message names the limit); a
// timeout is "Failed" with run_result "TimeLimitExceeded" and a null
// return code; a harness failure, an unsupported language or `files` are
// "SandboxError" with a message. Unknown request fields are ignored, as
// SandboxFusion's pydantic models do.
//
// POST /score is this server's own batch endpoint: one program, its tests,
// a comparison preset and a reward → per-test verdicts, the judged result
// (k of T, first failure, failure bucket), the scanner's findings and the
// reward (partial credit and the others, plus the security term), so one
// request scores one rollout instead of one request per test.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/securecoderl/securecoderl/sandbox"
	"github.com/securecoderl/securecoderl/scanners"
)

// Config tunes a Server. Zero values take the defaults.
type Config struct {
	// Token, when set, is required on every request but /health as
	// "Authorization: Bearer TOKEN" (401 otherwise).
	Token string
	// MaxQueue is how many requests may wait for a worker beyond those
	// running (default 4 × workers); more get 429.
	MaxQueue int
	// MaxBodyBytes caps a request body (default 8 MiB; 413 above).
	MaxBodyBytes int64
	// MaxStdinBytes caps stdin (default 4 MiB; 413 above).
	MaxStdinBytes int
	// DefaultRunTimeout applies when a request gives none (default 10 s,
	// SandboxFusion's); MaxRunTimeout caps what a request asks (default 60 s).
	DefaultRunTimeout, MaxRunTimeout time.Duration
	// MaxMemoryMB caps memory_limit_MB (default 4096); a request without
	// one (or -1, SandboxFusion's "unlimited") runs under the pool's limit.
	MaxMemoryMB int
	// RetryAfter is the Retry-After of a 429 (default 1 s).
	RetryAfter time.Duration
	// Scanner scans programs for POST /score's security reward (nil: /score
	// answers 503). The caller closes it.
	Scanner scanners.Scanner
}

func (c Config) withDefaults(workers int) Config {
	if c.MaxQueue <= 0 {
		c.MaxQueue = 4 * max(workers, 1)
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 8 << 20
	}
	if c.MaxStdinBytes <= 0 {
		c.MaxStdinBytes = 4 << 20
	}
	if c.DefaultRunTimeout <= 0 {
		c.DefaultRunTimeout = 10 * time.Second
	}
	if c.MaxRunTimeout <= 0 {
		c.MaxRunTimeout = 60 * time.Second
	}
	if c.MaxMemoryMB <= 0 {
		c.MaxMemoryMB = 4096
	}
	if c.RetryAfter <= 0 {
		c.RetryAfter = time.Second
	}
	return c
}

// Server handles the HTTP API over one pool.
type Server struct {
	pool    *sandbox.Pool
	cfg     Config
	slots   chan struct{} // admitted requests: running + waiting
	waiting atomic.Int64
	running atomic.Int64
	closing atomic.Bool
	m       *metrics
}

// New returns a server over pool (which the caller closes, after the HTTP
// server has drained).
func New(pool *sandbox.Pool, cfg Config) *Server {
	cfg = cfg.withDefaults(pool.Workers())
	return &Server{pool: pool, cfg: cfg, slots: make(chan struct{}, pool.Workers()+cfg.MaxQueue), m: newMetrics()}
}

// Drain makes /ready fail (load balancers stop sending work) while
// requests in flight finish; http.Server.Shutdown then waits for them.
func (s *Server) Drain() { s.closing.Store(true) }

// Handler returns the HTTP routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/health", s.health)
	mux.Handle("/ready", s.auth(http.HandlerFunc(s.ready)))
	mux.Handle("/metrics", s.auth(http.HandlerFunc(s.metrics)))
	mux.Handle("/run_code", s.auth(http.HandlerFunc(s.runCode)))
	mux.Handle("/score", s.auth(http.HandlerFunc(s.score)))
	mux.Handle("/run_tests", s.auth(http.HandlerFunc(s.runTests)))
	mux.Handle("/info", s.auth(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, sandbox.Info{Workers: s.pool.Workers(), Capacity: cap(s.slots), Mode: s.pool.Mode()})
	})))
	return mux
}

// statusWriter records the response code for the metrics.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}

func (s *Server) auth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		defer func() { s.m.request(r.URL.Path, sw.code) }()
		if s.cfg.Token != "" && r.Header.Get("Authorization") != "Bearer "+s.cfg.Token {
			s.m.reject("unauthorized")
			sw.Header().Set("WWW-Authenticate", `Bearer realm="scrl"`)
			writeDetail(sw, http.StatusUnauthorized, "missing or wrong bearer token (Authorization: Bearer TOKEN)")
			return
		}
		next.ServeHTTP(sw, r)
	})
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	s.m.request(r.URL.Path, http.StatusOK)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	switch {
	case s.closing.Load():
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "draining")
	case s.pool.Workers() == 0:
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "no workers")
	default:
		fmt.Fprintf(w, "ready: %d %s workers\n", s.pool.Workers(), s.pool.Mode())
	}
}

func (s *Server) metrics(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	s.m.write(w, gauges{queue: s.waiting.Load(), running: s.running.Load(), workers: s.pool.Workers(),
		capacity: cap(s.slots), restarts: s.pool.Restarts()})
}

// RunCodeRequest is SandboxFusion's /run_code request. Unknown fields are
// ignored.
type RunCodeRequest struct {
	Code           string            `json:"code"`
	Language       string            `json:"language"`
	Stdin          *string           `json:"stdin"`
	CompileTimeout float64           `json:"compile_timeout"` // seconds; Python has no compile stage
	RunTimeout     float64           `json:"run_timeout"`     // seconds
	MemoryLimitMB  int               `json:"memory_limit_MB"` // -1: unlimited (here: the pool's limit)
	Files          map[string]string `json:"files"`           // name → base64 content (not supported)
	FetchFiles     []string          `json:"fetch_files"`     // (not supported)
}

// CommandResult is SandboxFusion's CommandRunResult.
type CommandResult struct {
	Status        string   `json:"status"` // Finished, TimeLimitExceeded, Error
	ExecutionTime *float64 `json:"execution_time"`
	ReturnCode    *int     `json:"return_code"`
	Stdout        *string  `json:"stdout"`
	Stderr        *string  `json:"stderr"`
}

// RunCodeResponse is SandboxFusion's /run_code response.
type RunCodeResponse struct {
	Status          string            `json:"status"` // Success, Failed, SandboxError
	Message         string            `json:"message"`
	CompileResult   *CommandResult    `json:"compile_result"`
	RunResult       *CommandResult    `json:"run_result"`
	ExecutorPodName *string           `json:"executor_pod_name"`
	Files           map[string]string `json:"files"`
	// Verdict is this server's own verdict (sandbox.Verdict), an extension
	// SandboxFusion clients ignore.
	Verdict string `json:"verdict,omitempty"`
}

func (s *Server) runCode(w http.ResponseWriter, r *http.Request) {
	var req RunCodeRequest
	if !s.decode(w, r, &req, "run_code") {
		return
	}
	if req.Stdin != nil && len(*req.Stdin) > s.cfg.MaxStdinBytes {
		s.m.reject("too_large")
		writeDetail(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("stdin is %d bytes, over %d", len(*req.Stdin), s.cfg.MaxStdinBytes))
		return
	}
	release, ok := s.admit(w)
	if !ok {
		return
	}
	defer release()
	resp := s.execute(r.Context(), req)
	s.m.verdict(resp.Verdict)
	writeJSON(w, http.StatusOK, resp)
}

// runTests is what sandbox.Remote calls: one program on many inputs, the
// outputs returned uncompared (the caller compares them with its own
// comparator) as a sandbox.Batch.
func (s *Server) runTests(w http.ResponseWriter, r *http.Request) {
	var req sandbox.RunTestsRequest
	if !s.decode(w, r, &req, "run_tests") {
		return
	}
	if len(req.Inputs) > maxScoreTests { // none: the program is only compiled (its syntax reported)
		writeDetail(w, http.StatusUnprocessableEntity, fmt.Sprintf("inputs: %d given, at most %d", len(req.Inputs), maxScoreTests))
		return
	}
	tests := make([]sandbox.Test, len(req.Inputs))
	for i, in := range req.Inputs {
		if len(in) > s.cfg.MaxStdinBytes {
			s.m.reject("too_large")
			writeDetail(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("inputs[%d] is %d bytes, over %d", i, len(in), s.cfg.MaxStdinBytes))
			return
		}
		tests[i] = sandbox.Test{Input: in}
	}
	release, ok := s.admit(w)
	if !ok {
		return
	}
	defer release()
	s.running.Add(1)
	b, err := s.pool.RunTests(r.Context(), sandbox.Program{Source: req.Source, FnName: req.FnName, Prelude: req.Prelude}, tests,
		sandbox.BatchOptions{Limits: s.limits(float64(req.WallMS)/1000, req.MemoryMB)})
	s.running.Add(-1)
	if err != nil {
		writeDetail(w, http.StatusInternalServerError, "run_tests: "+err.Error())
		return
	}
	for _, res := range b.Results {
		s.m.verdict(string(res.Verdict))
		s.m.observe(res.WallMS / 1000)
	}
	writeJSON(w, http.StatusOK, b)
}

// decode reads a POSTed JSON body (capped) into v, answering 405, 413 or
// 422 itself when it cannot; what names the object in the error.
func (s *Server) decode(w http.ResponseWriter, r *http.Request, v any, what string) bool {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeDetail(w, http.StatusMethodNotAllowed, "use POST")
		return false
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)).Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.m.reject("too_large")
			writeDetail(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over %d bytes", s.cfg.MaxBodyBytes))
			return false
		}
		writeDetail(w, http.StatusUnprocessableEntity, "request body is not a "+what+" JSON object: "+err.Error())
		return false
	}
	return true
}

// admit takes a queue slot, or answers 429 (with Retry-After) when the
// workers and the queue are full.
func (s *Server) admit(w http.ResponseWriter) (release func(), ok bool) {
	select {
	case s.slots <- struct{}{}:
		return func() { <-s.slots }, true
	default:
		s.tooMany(w)
		return nil, false
	}
}

// tooMany refuses a request past the queue: 429 with Retry-After.
func (s *Server) tooMany(w http.ResponseWriter) {
	s.m.reject("queue_full")
	w.Header().Set("Retry-After", strconv.Itoa(int((s.cfg.RetryAfter+time.Second-1)/time.Second)))
	writeDetail(w, http.StatusTooManyRequests, fmt.Sprintf("queue full: %d requests admitted (workers + --max-queue); retry later", cap(s.slots)))
}

// limits turns a request's timeout (seconds) and memory (MiB) into run
// limits, capped by the configuration; zero or negative: the defaults
// (the pool's memory limit).
func (s *Server) limits(runTimeout float64, memoryMB int) sandbox.Limits {
	l := sandbox.Limits{Wall: s.cfg.DefaultRunTimeout}
	if runTimeout > 0 {
		l.Wall = min(time.Duration(runTimeout*float64(time.Second)), s.cfg.MaxRunTimeout)
	}
	if memoryMB > 0 {
		l.MemoryMB = max(16, min(memoryMB, s.cfg.MaxMemoryMB))
	}
	return l
}

func sandboxError(msg string) RunCodeResponse {
	return RunCodeResponse{Status: "SandboxError", Message: msg, Files: map[string]string{}, Verdict: string(sandbox.SandboxError)}
}

// execute runs one request (admitted) on the pool.
func (s *Server) execute(ctx context.Context, req RunCodeRequest) RunCodeResponse {
	switch lang := strings.ToLower(strings.TrimSpace(req.Language)); lang {
	case "python", "python3":
	case "":
		return sandboxError("language is missing: this server runs \"python\"")
	default:
		return sandboxError(fmt.Sprintf("unsupported language %q: this server runs python only", req.Language))
	}
	if len(req.Files) > 0 || len(req.FetchFiles) > 0 {
		return sandboxError("files and fetch_files are not supported by this server (runs start in an empty directory)")
	}
	lim := s.limits(req.RunTimeout, req.MemoryLimitMB)
	stdin := ""
	if req.Stdin != nil {
		stdin = *req.Stdin
	}
	s.waiting.Add(1)
	waiting := true
	done := func() {
		if waiting {
			s.waiting.Add(-1)
			waiting = false
		}
	}
	defer done()
	c, err := s.pool.Compile(ctx, sandbox.Program{Source: req.Code})
	if err != nil {
		return sandboxError("compile: " + err.Error())
	}
	done()
	s.running.Add(1)
	start := time.Now()
	res, err := s.pool.RunWith(ctx, c, stdin, nil, nil, lim)
	s.running.Add(-1)
	s.m.observe(time.Since(start).Seconds())
	if err != nil {
		return sandboxError("run: " + err.Error())
	}
	return fromResult(res)
}

// fromResult maps a sandbox result to SandboxFusion's response.
func fromResult(res sandbox.Result) RunCodeResponse {
	secs := res.WallMS / 1000
	stdout, stderr := res.Stdout, res.Stderr
	rc := res.ExitCode
	run := &CommandResult{Status: "Finished", ExecutionTime: &secs, ReturnCode: &rc, Stdout: &stdout, Stderr: &stderr}
	out := RunCodeResponse{Status: "Failed", RunResult: run, Files: map[string]string{}, Verdict: string(res.Verdict)}
	switch res.Verdict {
	case sandbox.OK, sandbox.NoOutput, sandbox.Passed, sandbox.WrongOutput:
		out.Status = "Success"
	case sandbox.Timeout:
		run.Status, run.ReturnCode = "TimeLimitExceeded", nil
		out.Message = res.Detail
	case sandbox.SyntaxError:
		rc = 1
		if res.Syntax != nil && stderr == "" {
			stderr = res.Syntax.String()
		}
	case sandbox.MemoryLimit, sandbox.OutputLimit:
		if rc == 0 {
			rc = 1
		}
		out.Message = res.Detail
	case sandbox.SandboxError:
		return sandboxError(res.Detail)
	default: // runtime error
		if rc == 0 {
			rc = 1 // killed by a signal: non-zero, as asyncio's -N would be
		}
	}
	return out
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// writeDetail writes an error as FastAPI does: {"detail": "..."}.
func writeDetail(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"detail": msg})
}
