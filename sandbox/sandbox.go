// Package sandbox runs untrusted Python programs against stdin/stdout tests.
//
// Two execution paths share one isolation recipe and one verdict taxonomy:
//
//   - ModeForkServer (default): each worker keeps one Python "zygote" alive with
//     the common modules imported. Per test it forks a fresh child, so a test
//     never pays interpreter start-up. The zygote lives in its own PID, network
//     and mount namespaces (when permitted), with a private size-limited tmpfs
//     for run directories and a private /proc that tells it in microseconds
//     whether a run left anything alive.
//   - ModeFresh: one new interpreter per test (the study's way), kept as the
//     baseline for benchmarks and as the fallback when no zygote can start.
//
// Per child: own session and process group, rlimits (address space, CPU,
// processes, file size, open files, no core dumps), a fresh empty working
// directory removed afterwards, a scrubbed environment with PYTHONHASHSEED=0,
// no network, and an unprivileged uid unique to the worker when started as
// root. After every run, every process of that uid is killed, so programs
// that fork, call setsid or daemonise leave nothing behind.
package sandbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Verdict is the outcome of one program on one test.
type Verdict string

// The verdicts: the study's failure taxonomy plus the stages.
const (
	SyntaxError  Verdict = "syntax_error"  // does not compile (decided once per program)
	RuntimeError Verdict = "runtime_error" // non-zero exit, uncaught exception, fatal signal
	Timeout      Verdict = "timeout"       // wall-clock or CPU limit
	MemoryLimit  Verdict = "memory_limit"  // MemoryError under the address-space limit
	OutputLimit  Verdict = "output_limit"  // stdout or a file grew past the cap
	NoOutput     Verdict = "no_output"     // ran cleanly, printed nothing
	WrongOutput  Verdict = "wrong_output"  // ran cleanly, output differs from expected
	Passed       Verdict = "passed"        // output matches expected
	OK           Verdict = "ok"            // ran cleanly with output, nothing to compare against
	SandboxError Verdict = "sandbox_error" // the harness failed (never the program's fault)
)

// Verdicts lists every verdict in ladder order (worst first).
var Verdicts = []Verdict{SandboxError, SyntaxError, RuntimeError, Timeout, MemoryLimit, OutputLimit, NoOutput, WrongOutput, OK, Passed}

// Mode selects the execution path.
type Mode string

// Execution modes.
const (
	ModeForkServer Mode = "forkserver"
	ModeFresh      Mode = "fresh"
)

// Limits bound one run.
type Limits struct {
	Wall      time.Duration // wall-clock timeout per test (default 4s)
	CPU       time.Duration // CPU time per test (default = Wall)
	MemoryMB  int           // address-space limit in MiB (default 1024)
	Procs     int           // processes+threads of the run's uid (default 32)
	OutputMB  int           // stdout and any written file, MiB (default 16)
	StderrKB  int           // stderr bytes returned, KiB (default 64)
	OpenFiles int           // open file descriptors (default 64)
	StdinMB   int           // largest accepted stdin, MiB (default 64)
}

func (l Limits) withDefaults() Limits {
	if l.Wall <= 0 {
		l.Wall = 4 * time.Second
	}
	if l.CPU <= 0 {
		l.CPU = l.Wall
	}
	if l.MemoryMB <= 0 {
		l.MemoryMB = 1024
	}
	if l.Procs <= 0 {
		l.Procs = 32
	}
	if l.OutputMB <= 0 {
		l.OutputMB = 16
	}
	if l.StderrKB <= 0 {
		l.StderrKB = 64
	}
	if l.OpenFiles <= 0 {
		l.OpenFiles = 64
	}
	if l.StdinMB <= 0 {
		l.StdinMB = 64
	}
	return l
}

// override returns l with the non-zero fields of o (the CPU limit follows
// a new wall limit unless o sets it).
func (l Limits) override(o Limits) Limits {
	if o.Wall > 0 {
		l.Wall = o.Wall
		l.CPU = o.Wall
	}
	if o.CPU > 0 {
		l.CPU = o.CPU
	}
	for _, f := range []struct{ dst, src *int }{{&l.MemoryMB, &o.MemoryMB}, {&l.Procs, &o.Procs}, {&l.OutputMB, &o.OutputMB},
		{&l.StderrKB, &o.StderrKB}, {&l.OpenFiles, &o.OpenFiles}, {&l.StdinMB, &o.StdinMB}} {
		if *f.src > 0 {
			*f.dst = *f.src
		}
	}
	return l
}

// Config configures a Pool.
type Config struct {
	Python  string // absolute interpreter path (default /usr/bin/python3)
	Mode    Mode   // default ModeForkServer
	Workers int    // default runtime.NumCPU()
	Limits  Limits
	// Site enables site-packages (python without -S). Off by default, as in
	// the plain harness the verdicts are compared with.
	Site bool
	// WorkDir is where run directories live (default: /dev/shm if present,
	// else os.TempDir()).
	WorkDir string
	// TmpfsMB sizes the private tmpfs each zygote mounts for its run
	// directories when it can (default 256).
	TmpfsMB int
	// NoNamespaces disables PID/network/mount namespaces (for debugging).
	NoNamespaces bool
	// NoFallback makes New fail instead of falling back to ModeFresh when the
	// fork server cannot start.
	NoFallback bool
}

// Program is the code to run.
type Program struct {
	Source string
	// FnName makes the run call-based: the program is executed, then
	// FnName(*args) is called with the JSON argument list read from stdin
	// (a method of class Solution is found too), and its JSON-encoded return
	// value becomes Result.Stdout.
	FnName string
	// Prelude is Python run in the program's namespace just before it
	// (line numbers of the program are unchanged), e.g. APPSCallPrelude.
	Prelude string
}

// APPSCallPrelude is what the original APPS checker puts in front of
// call-based (LeetCode-style) programs, which use List, Counter, … without
// importing them (numpy left out: it is not importable without site).
const APPSCallPrelude = "import sys, time, itertools, collections, math, fractions, random, heapq\n" +
	"from itertools import accumulate, product, permutations, combinations\n" +
	"from collections import Counter, OrderedDict, deque, defaultdict, ChainMap\n" +
	"from functools import lru_cache\n" +
	"from math import sqrt, sin, cos, tan, ceil, fabs, floor, gcd, exp, log, log2\n" +
	"from typing import List, Tuple, Dict, Set, Optional\n" +
	"from heapq import *\n"

// Key identifies a program's compiled form.
func (p Program) Key() string {
	h := sha256.Sum256([]byte(p.Prelude + "\x00" + p.Source))
	return hex.EncodeToString(h[:12])
}

// SyntaxInfo describes a compile failure.
type SyntaxInfo struct {
	Type    string `json:"type"`
	Message string `json:"msg"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Text    string `json:"text,omitempty"`
}

func (s *SyntaxInfo) String() string {
	return fmt.Sprintf("%s: %s (line %d)", s.Type, s.Message, s.Line)
}

// Compiled is a program checked for syntax; Code holds the marshalled code
// object that every test of the program reuses.
type Compiled struct {
	Program
	Syntax *SyntaxInfo // nil when it compiles
	code   []byte
}

// Result is the outcome of one run.
type Result struct {
	Verdict         Verdict     `json:"verdict"`
	ExitCode        int         `json:"exit_code"`
	Signal          string      `json:"signal"`
	Exception       string      `json:"exception,omitempty"`
	Stdout          string      `json:"stdout"`
	Stderr          string      `json:"stderr"`
	StdoutTruncated bool        `json:"stdout_truncated,omitempty"`
	StderrTruncated bool        `json:"stderr_truncated,omitempty"`
	WallMS          float64     `json:"wall_ms"`
	CPUMS           float64     `json:"cpu_ms"`
	MaxRSSKB        int64       `json:"max_rss_kb"`
	Syntax          *SyntaxInfo `json:"syntax,omitempty"`
	Detail          string      `json:"detail,omitempty"`
}

// Comparator decides whether a program's output matches the expected one.
type Comparator func(got, want string) bool

// Test is one input with its expected output ("" Expected and HasExpected
// false means: run only).
type Test struct {
	Input       string
	Expected    string
	HasExpected bool
}

// Pool runs programs on a fixed set of workers.
type Pool struct {
	cfg      Config
	limits   Limits
	iso      Isolation
	workers  chan worker
	all      []worker
	closeMu  sync.Mutex
	closed   bool
	fallback string // why the fork server is not in use, if it is not
	uids     []int  // the workers' uids (when dropping privileges)
	restarts atomic.Int64
}

type worker interface {
	compile(ctx context.Context, src string) (*SyntaxInfo, []byte, error)
	run(ctx context.Context, c *Compiled, stdin []byte, lim Limits) (Result, error)
	close() error
}

// New starts a pool. Close it when done.
func New(ctx context.Context, cfg Config) (*Pool, error) {
	if cfg.Python == "" {
		cfg.Python = "/usr/bin/python3"
	}
	if cfg.Mode == "" {
		cfg.Mode = ModeForkServer
	}
	if cfg.Mode != ModeForkServer && cfg.Mode != ModeFresh {
		return nil, fmt.Errorf("sandbox: unknown mode %q (want %q or %q)", cfg.Mode, ModeForkServer, ModeFresh)
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	if cfg.TmpfsMB <= 0 {
		cfg.TmpfsMB = 256
	}
	iso, err := probeIsolation(cfg)
	if err != nil {
		return nil, err
	}
	p := &Pool{cfg: cfg, limits: cfg.Limits.withDefaults(), iso: iso, workers: make(chan worker, cfg.Workers)}
	sweepStale(iso.WorkDir)
	uids := allocUIDs(cfg.Workers)
	p.uids = uids
	for i := 0; i < cfg.Workers; i++ {
		var w worker
		if cfg.Mode == ModeForkServer && p.fallback == "" {
			z, err := startZygote(ctx, p, uids[i])
			if err != nil {
				if cfg.NoFallback {
					p.Close()
					return nil, fmt.Errorf("sandbox: fork server: %w", err)
				}
				p.fallback = err.Error()
			} else {
				w = z
				// What the zygote could really set up in its namespaces.
				if v, ok := z.info["tmpfs"].(bool); !ok || !v {
					if p.iso.PrivateTmpfs {
						p.iso.Missing = append(p.iso.Missing, "private tmpfs: the fork server could not mount it")
					}
					p.iso.PrivateTmpfs = false
				}
				if v, ok := z.info["private_proc"].(bool); !ok || !v {
					if p.iso.PrivateProc {
						p.iso.Missing = append(p.iso.Missing, "private /proc: the fork server could not mount it (leftovers swept by uid after every run)")
					}
					p.iso.PrivateProc = false
				}
			}
		}
		if w == nil {
			w = &freshWorker{p: p, uid: uids[i]}
		}
		p.all = append(p.all, w)
		p.workers <- w
	}
	return p, nil
}

// Mode reports the execution path in use ("fresh" after a fallback).
func (p *Pool) Mode() Mode {
	if p.cfg.Mode == ModeForkServer && p.fallback == "" {
		return ModeForkServer
	}
	return ModeFresh
}

// Fallback says why the fork server is not in use ("" when it is).
func (p *Pool) Fallback() string { return p.fallback }

// Isolation reports the isolation features in force.
func (p *Pool) Isolation() Isolation { return p.iso }

// Limits returns the effective limits.
func (p *Pool) Limits() Limits { return p.limits }

// Restarts counts fork-server workers started again after their first
// start (a killed run, a crashed or cancelled zygote).
func (p *Pool) Restarts() int64 { return p.restarts.Load() }

// Workers returns the pool size.
func (p *Pool) Workers() int { return len(p.all) }

// Close stops every worker and removes their run directories.
func (p *Pool) Close() error {
	p.closeMu.Lock()
	defer p.closeMu.Unlock()
	if p.closed {
		return nil
	}
	p.closed = true
	var errs []error
	for _, w := range p.all {
		if err := w.close(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// acquire takes a worker, honouring ctx (this is the pool's back-pressure).
func (p *Pool) acquire(ctx context.Context) (worker, error) {
	select {
	case w := <-p.workers:
		return w, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (p *Pool) release(w worker) { p.workers <- w }

// maxSourceBytes bounds what is compiled (and so the compiler's work).
const maxSourceBytes = 1 << 20

// Compile checks a program's syntax once and prepares it for many runs.
func (p *Pool) Compile(ctx context.Context, prog Program) (*Compiled, error) {
	if len(prog.Source) > maxSourceBytes {
		return &Compiled{Program: prog, Syntax: &SyntaxInfo{Type: "SourceTooLarge",
			Message: fmt.Sprintf("program is %d bytes, over the %d-byte limit", len(prog.Source), maxSourceBytes)}}, nil
	}
	w, err := p.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer p.release(w)
	syn, code, err := w.compile(ctx, prog.Source)
	if err != nil {
		return nil, fmt.Errorf("sandbox: compile: %w", err)
	}
	return &Compiled{Program: prog, Syntax: syn, code: code}, nil
}

// Run executes a compiled program on one input. With want != nil the output
// is compared with cmp (exact comparison when cmp is nil).
func (p *Pool) Run(ctx context.Context, c *Compiled, stdin string, want *string, cmp Comparator) (Result, error) {
	return p.RunWith(ctx, c, stdin, want, cmp, Limits{})
}

// RunWith is Run under other limits for this run only (a service's
// per-request timeout and memory): each non-zero field of lim replaces the
// pool's; the CPU limit follows a new wall limit unless given.
func (p *Pool) RunWith(ctx context.Context, c *Compiled, stdin string, want *string, cmp Comparator, lim Limits) (Result, error) {
	if c.Syntax != nil {
		return Result{Verdict: SyntaxError, ExitCode: 1, Syntax: c.Syntax, Stderr: c.Syntax.String()}, nil
	}
	lim = p.limits.override(lim)
	if len(stdin) > lim.StdinMB<<20 {
		return Result{}, fmt.Errorf("sandbox: stdin is %d bytes, over the %d MiB limit", len(stdin), lim.StdinMB)
	}
	w, err := p.acquire(ctx)
	if err != nil {
		return Result{}, err
	}
	res, err := w.run(ctx, c, []byte(stdin), lim)
	p.release(w)
	if err != nil {
		return Result{Verdict: SandboxError, Detail: err.Error()}, err
	}
	finishVerdict(&res, want, cmp)
	return res, nil
}

// Exec compiles and runs a program on one input.
func (p *Pool) Exec(ctx context.Context, prog Program, stdin string, want *string, cmp Comparator) (Result, error) {
	c, err := p.Compile(ctx, prog)
	if err != nil {
		return Result{}, err
	}
	return p.Run(ctx, c, stdin, want, cmp)
}

// BatchOptions tune RunTests.
type BatchOptions struct {
	StopOnFailure bool       // stop at the first test that does not pass (runs tests in order)
	Compare       Comparator // nil: exact
	Limits        Limits     // per-run limits replacing the pool's (see RunWith); zero: the pool's
}

// Batch is the outcome of one program on all its tests.
type Batch struct {
	Syntax  *SyntaxInfo `json:"syntax,omitempty"`
	Results []Result    `json:"results"` // one per test; skipped tests after a stop are absent
	Passed  int         `json:"passed"`
	Total   int         `json:"total"`
}

// RunTests compiles the program once and runs it on every test, spreading
// the tests over the pool's workers (in order, one at a time, with
// StopOnFailure).
func (p *Pool) RunTests(ctx context.Context, prog Program, tests []Test, opt BatchOptions) (Batch, error) {
	c, err := p.Compile(ctx, prog)
	if err != nil {
		return Batch{}, err
	}
	b := Batch{Syntax: c.Syntax, Total: len(tests)}
	if c.Syntax != nil {
		for range tests {
			b.Results = append(b.Results, Result{Verdict: SyntaxError, ExitCode: 1, Syntax: c.Syntax})
		}
		return b, nil
	}
	runOne := func(t Test) (Result, error) {
		var want *string
		if t.HasExpected {
			want = &t.Expected
		}
		return p.RunWith(ctx, c, t.Input, want, opt.Compare, opt.Limits)
	}
	if opt.StopOnFailure || len(tests) <= 1 {
		for _, t := range tests {
			r, err := runOne(t)
			if err != nil {
				return b, err
			}
			b.Results = append(b.Results, r)
			if r.Verdict == Passed || r.Verdict == OK {
				b.Passed += btoi(r.Verdict == Passed)
			} else if opt.StopOnFailure {
				break
			}
		}
		b.noteSyntax()
		return b, nil
	}
	b.Results = make([]Result, len(tests))
	errs := make([]error, len(tests))
	var wg sync.WaitGroup
	sem := make(chan struct{}, len(p.all))
	for i, t := range tests {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, t Test) {
			defer wg.Done()
			defer func() { <-sem }()
			b.Results[i], errs[i] = runOne(t)
		}(i, t)
	}
	wg.Wait()
	for _, r := range b.Results {
		b.Passed += btoi(r.Verdict == Passed)
	}
	b.noteSyntax()
	return b, errors.Join(errs...)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// noteSyntax records a syntax error found by a run (the fresh path compiles
// in each run).
func (b *Batch) noteSyntax() {
	for _, r := range b.Results {
		if r.Verdict == SyntaxError && r.Syntax != nil && b.Syntax == nil {
			b.Syntax = r.Syntax
		}
	}
}
