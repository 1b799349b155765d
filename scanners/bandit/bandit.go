// Package bandit runs the real Bandit (Debian's bandit 1.6.2 under
// /usr/bin/python3) as a SecureCodeRL scanner.
//
// Sources are scanned by long-lived worker processes: each is one python
// interpreter that imports bandit once (worker.py, embedded) and scans
// in-memory sources with bandit's own BanditNodeVisitor and test set,
// speaking JSON lines on stdin/stdout. When no worker can start, the
// scanner falls back to one `bandit -f json` CLI run per source.
//
// Differences from running the bandit CLI by hand, all reported in the
// Report notes:
//
//   - B322 (input) is skipped unless Options.KeepB322: Bandit 1.6.2 flags
//     every input() call as HIGH severity, a Python 2 concern that upstream
//     removed in 1.7.
//   - "# nosec" comments are ignored unless Options.HonorNosec, so a scored
//     program cannot silence its own findings.
//   - Bandit 1.6.2 on Python 3.8+ never runs its string-literal checks
//     (B104, B105, B108, B608): its visitor dispatches on ast.Str, which
//     Python 3.8+ reports as ast.Constant. The scanner probes for this
//     defect when a worker starts and notes it; Options.FixStrDispatch
//     patches the visitor instead.
//
// Issue columns (col_offset) are recorded the way upstream Bandit does
// (the column of the node the test ran on); CWE ids come from the
// SecureCodeRL rule table since Bandit 1.6.2 has none.
package bandit

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/securecoderl/securecoderl/scanners/core"
)

//go:embed worker.py
var workerScript string

// Defaults.
const (
	DefaultPython = "/usr/bin/python3"
	DefaultCLI    = "/usr/bin/bandit"
	// DefaultTimeout bounds the time bandit may spend on one source.
	DefaultTimeout = 30 * time.Second
)

// Notes attached to reports.
const (
	NoteB322Skipped = "B322 (blacklist: input) skipped: Bandit 1.6.2 flags every input() call as HIGH severity, a Python 2 concern; upstream Bandit removed the check in 1.7"
	NoteStrDefect   = "Bandit 1.6.2 on Python 3.8+ cannot see string literals (its visitor dispatches on ast.Str, Python 3.8+ reports ast.Constant): B104, B105, B108 and B608 never fire and are missing from this report"
	NoteStrFixed    = "Bandit 1.6.2 string-literal dispatch patched (FixStrDispatch): B104, B105, B108 and B608 run on ast.Constant"
	NoteCLIFallback = "scanned with the bandit CLI (one process per source): "
)

// DefectProbe is the source scanned when a worker starts: Bandit must
// report B104 on it unless its string-literal checks are broken.
const DefectProbe = "HOST = \"0.0.0.0\"\n"

// Info describes the Bandit installation a Scanner runs.
type Info struct {
	Bandit string `json:"bandit"`
	Python string `json:"python"`
	// StrDefect is true when string-literal checks do not run (see the
	// package doc); StrFixed when FixStrDispatch repaired them.
	StrDefect bool `json:"str_defect"`
	StrFixed  bool `json:"str_fixed"`
	// Mode is "worker" or "cli".
	Mode string `json:"mode"`
	// WorkerErr is why the worker could not start, in "cli" mode.
	WorkerErr string `json:"worker_error,omitempty"`
}

// Scanner is the Bandit scanner. It is safe for concurrent use; call
// Close to stop its worker processes.
type Scanner struct {
	python, cli string
	workers     int
	forceCLI    bool
	skip        []string // test ids passed to bandit's exclude list
	dropB322    bool
	fixStr      bool
	honorNosec  bool
	timeout     time.Duration

	pool chan *worker // capacity workers; nil entries are unstarted slots

	mu     sync.Mutex
	info   Info
	probed bool
	closed bool
}

// New builds a Bandit scanner. No process starts until the first Scan.
func New(opts core.Options) *Scanner {
	s := &Scanner{
		python:     opts.Python,
		cli:        opts.BanditCLI,
		workers:    opts.Workers,
		forceCLI:   opts.ForceCLI,
		fixStr:     opts.FixStrDispatch,
		honorNosec: opts.HonorNosec,
		timeout:    DefaultTimeout,
		dropB322:   !opts.KeepB322,
	}
	if s.python == "" {
		s.python = DefaultPython
	}
	if s.cli == "" {
		s.cli = DefaultCLI
	}
	if s.workers <= 0 {
		s.workers = 1
	}
	seen := map[string]bool{}
	for _, id := range opts.Skip {
		id = strings.ToUpper(strings.TrimSpace(id))
		if id != "" && !seen[id] {
			seen[id] = true
			s.skip = append(s.skip, id)
		}
	}
	if s.dropB322 && !seen["B322"] {
		s.skip = append(s.skip, "B322")
	}
	sort.Strings(s.skip)
	s.pool = make(chan *worker, s.workers)
	for i := 0; i < s.workers; i++ {
		s.pool <- nil
	}
	return s
}

// SetTimeout changes the per-source time limit (default DefaultTimeout).
// A source that takes longer is reported as an error and its worker is
// restarted.
func (s *Scanner) SetTimeout(d time.Duration) {
	if d > 0 {
		s.mu.Lock()
		s.timeout = d
		s.mu.Unlock()
	}
}

// Name implements core.Scanner.
func (s *Scanner) Name() string { return "bandit" }

// Available reports whether the python interpreter and bandit CLI exist.
func Available(opts core.Options) bool {
	py, cli := opts.Python, opts.BanditCLI
	if py == "" {
		py = DefaultPython
	}
	if cli == "" {
		cli = DefaultCLI
	}
	_, err1 := os.Stat(py)
	_, err2 := os.Stat(cli)
	return err1 == nil && err2 == nil
}

func (s *Scanner) workerArgs() []string {
	var args []string
	if len(s.skip) > 0 {
		args = append(args, "--skip="+strings.Join(s.skip, ","))
	}
	if s.fixStr {
		args = append(args, "--fix-str")
	}
	if s.honorNosec {
		args = append(args, "--honor-nosec")
	}
	return args
}

func (s *Scanner) getTimeout() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.timeout
}

// start launches a worker and, the first time, probes for the string
// literal defect.
func (s *Scanner) start(ctx context.Context) (*worker, error) {
	w, err := startWorker(ctx, s.python, s.workerArgs(), 60*time.Second)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	probed := s.probed
	s.mu.Unlock()
	if probed {
		return w, nil
	}
	rep, err := w.scan(ctx, "probe.py", DefectProbe, 30*time.Second)
	if err != nil {
		w.kill()
		return nil, fmt.Errorf("bandit worker probe: %w", err)
	}
	b104 := false
	for _, is := range rep.Issues {
		if is.TestID == "B104" {
			b104 = true
		}
	}
	s.mu.Lock()
	s.info.Mode = "worker"
	s.info.WorkerErr = ""
	if !s.probed {
		s.probed = true
		s.info.Bandit = w.hello.Bandit
		s.info.Python = w.hello.Python
		s.info.StrDefect = !b104 && rep.Error == ""
		s.info.StrFixed = b104 && s.fixStr
	}
	s.mu.Unlock()
	return w, nil
}

// Info starts a worker if none ran yet and describes the installation.
func (s *Scanner) Info(ctx context.Context) (Info, error) {
	if _, err := s.Scan(ctx, []core.Source{{Name: "probe.py", Code: DefectProbe}}); err != nil {
		return Info{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.info, nil
}

// Close stops all worker processes. The scanner can still be used; new
// workers start on demand.
func (s *Scanner) Close() error {
	for i := 0; i < s.workers; i++ {
		w := <-s.pool
		if w != nil {
			w.close()
		}
		s.pool <- nil
	}
	return nil
}

// Scan implements core.Scanner.
func (s *Scanner) Scan(ctx context.Context, sources []core.Source) ([]core.Report, error) {
	reports := make([]core.Report, len(sources))
	if len(sources) == 0 {
		return reports, ctx.Err()
	}
	if s.forceCLI {
		return s.scanCLI(ctx, sources, reports, "forced by options")
	}
	n := s.workers
	if n > len(sources) {
		n = len(sources)
	}
	var (
		next     int
		nextMu   sync.Mutex
		wg       sync.WaitGroup
		errMu    sync.Mutex
		batchErr error
		startErr error
		pending  = make([]bool, len(sources))
	)
	take := func() int {
		nextMu.Lock()
		defer nextMu.Unlock()
		if next >= len(sources) {
			return -1
		}
		next++
		return next - 1
	}
	for g := 0; g < n; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var w *worker
			select {
			case w = <-s.pool:
			case <-ctx.Done():
				errMu.Lock()
				batchErr = ctx.Err()
				errMu.Unlock()
				return
			}
			defer func() { s.pool <- w }()
			for {
				i := take()
				if i < 0 {
					return
				}
				errMu.Lock()
				failed := startErr != nil
				errMu.Unlock()
				if failed {
					pending[i] = true
					continue
				}
				if w == nil || !w.alive() {
					var err error
					w, err = s.start(ctx)
					if err != nil {
						w = nil
						errMu.Lock()
						if ctx.Err() != nil {
							batchErr = ctx.Err()
						} else if startErr == nil {
							startErr = err
						}
						errMu.Unlock()
						// left for the CLI fallback
						pending[i] = true
						continue
					}
				}
				rep, err := w.scan(ctx, sources[i].Name, sources[i].Code, s.getTimeout())
				if err != nil {
					if ctx.Err() != nil {
						errMu.Lock()
						batchErr = ctx.Err()
						errMu.Unlock()
						w = nil
						return
					}
					// The worker is dead or was killed: the error belongs to
					// this source only; the next source restarts a worker.
					reports[i] = core.Report{Source: sources[i].Name, Err: err.Error()}
					w = nil
					continue
				}
				reports[i] = s.convert(sources[i], rep.Issues, rep.Error, "bandit")
				for _, l := range rep.Log {
					reports[i].Notes = append(reports[i].Notes, "bandit internal error: "+l)
				}
			}
		}()
	}
	wg.Wait()
	if batchErr != nil {
		return reports, batchErr
	}
	if startErr != nil {
		var idx []int
		for i, p := range pending {
			if p {
				idx = append(idx, i)
			}
		}
		if len(idx) > 0 {
			sub := make([]core.Source, len(idx))
			for k, i := range idx {
				sub[k] = sources[i]
			}
			subReports, err := s.scanCLI(ctx, sub, make([]core.Report, len(sub)), startErr.Error())
			for k, i := range idx {
				reports[i] = subReports[k]
			}
			if err != nil {
				return reports, err
			}
		}
	}
	s.mu.Lock()
	info := s.info
	s.mu.Unlock()
	for i := range reports {
		if s.dropB322 {
			reports[i].Notes = append(reports[i].Notes, NoteB322Skipped)
		}
		if info.StrDefect {
			reports[i].Notes = append(reports[i].Notes, NoteStrDefect)
		} else if info.StrFixed {
			reports[i].Notes = append(reports[i].Notes, NoteStrFixed)
		}
	}
	return reports, nil
}

// convert turns bandit issues into findings.
func (s *Scanner) convert(src core.Source, issues []rawIssue, errMsg, scanner string) core.Report {
	rep := core.Report{Source: src.Name, Err: errMsg, Findings: []core.Finding{}}
	for _, is := range issues {
		if s.dropB322 && is.TestID == "B322" {
			continue
		}
		col := -1
		if is.Col != nil {
			col = *is.Col
		}
		rep.Findings = append(rep.Findings, core.Finding{
			TestID:     is.TestID,
			Name:       is.TestName,
			Severity:   core.Level(is.Severity),
			Confidence: core.Level(is.Confidence),
			CWE:        core.CWE(is.TestID),
			Line:       is.Line,
			Col:        col,
			Snippet:    is.Code,
			Scanner:    scanner,
			Message:    is.Text,
			Ident:      is.Ident,
		})
	}
	sort.SliceStable(rep.Findings, func(a, b int) bool {
		fa, fb := rep.Findings[a], rep.Findings[b]
		if fa.Line != fb.Line {
			return fa.Line < fb.Line
		}
		if fa.Col != fb.Col {
			return fa.Col < fb.Col
		}
		return fa.TestID < fb.TestID
	})
	return rep
}

// cliOutput is the part of `bandit -f json` output we read.
type cliOutput struct {
	Errors []struct {
		Filename string `json:"filename"`
		Reason   string `json:"reason"`
	} `json:"errors"`
	Results []rawIssue `json:"results"`
}

// scanCLI scans each source with one bandit CLI process.
func (s *Scanner) scanCLI(ctx context.Context, sources []core.Source, reports []core.Report, why string) ([]core.Report, error) {
	s.mu.Lock()
	s.info.Mode = "cli"
	s.info.WorkerErr = why
	s.mu.Unlock()
	dir, err := os.MkdirTemp("", "scrl-bandit-")
	if err != nil {
		return reports, err
	}
	defer os.RemoveAll(dir)
	for i, src := range sources {
		if err := ctx.Err(); err != nil {
			return reports, err
		}
		reports[i] = s.scanOneCLI(ctx, dir, i, src)
		reports[i].Notes = append(reports[i].Notes, NoteCLIFallback+why)
	}
	return reports, nil
}

// ScanCLI scans sources with one bandit CLI process each, regardless of
// the worker (used by benchmarks and as a reference).
func (s *Scanner) ScanCLI(ctx context.Context, sources []core.Source) ([]core.Report, error) {
	dir, err := os.MkdirTemp("", "scrl-bandit-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	reports := make([]core.Report, len(sources))
	for i, src := range sources {
		if err := ctx.Err(); err != nil {
			return reports, err
		}
		reports[i] = s.scanOneCLI(ctx, dir, i, src)
	}
	return reports, nil
}

func (s *Scanner) scanOneCLI(ctx context.Context, dir string, i int, src core.Source) core.Report {
	path := filepath.Join(dir, fmt.Sprintf("src%d.py", i))
	if err := os.WriteFile(path, []byte(src.Code), 0o600); err != nil {
		return core.Report{Source: src.Name, Err: err.Error()}
	}
	defer os.Remove(path)
	args := []string{"-f", "json", "-q"}
	if !s.honorNosec {
		args = append(args, "--ignore-nosec")
	}
	if len(s.skip) > 0 {
		args = append(args, "-s", strings.Join(s.skip, ","))
	}
	args = append(args, path)
	cctx, cancel := context.WithTimeout(ctx, s.getTimeout())
	defer cancel()
	cmd := exec.CommandContext(cctx, s.cli, args...)
	var stderr tailBuffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if cctx.Err() != nil {
		return core.Report{Source: src.Name, Err: "bandit CLI: " + cctx.Err().Error()}
	}
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) {
		return core.Report{Source: src.Name, Err: fmt.Sprintf("bandit CLI: %v: %s", err, truncate(stderr.String(), 400))}
	}
	var parsed cliOutput
	if err := json.Unmarshal(out, &parsed); err != nil {
		return core.Report{Source: src.Name, Err: fmt.Sprintf("bandit CLI: bad JSON: %v", err)}
	}
	errMsg := ""
	for _, e := range parsed.Errors {
		errMsg = "bandit: " + e.Reason
	}
	return s.convert(src, parsed.Results, errMsg, "bandit-cli")
}
