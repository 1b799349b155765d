package sandbox

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// PlainHarness is the reference the sandbox is measured against: one
// `python3 -I -S prog.py` per test with stdin piped in, a wall-clock timeout
// that kills the process group, and nothing else (no namespaces, rlimits or
// uid drop). It is what a plain Python harness does, and is for benchmarks
// and verdict cross-checks only: never run untrusted code with it.
type PlainHarness struct {
	Python  string
	Timeout time.Duration
	Dir     string // where program files are written
}

// Run executes src on stdin and classifies the outcome with the same
// verdicts as the sandbox (timeout, runtime_error, no_output, ok, and
// passed/wrong_output when want is given).
func (h PlainHarness) Run(ctx context.Context, src, stdin string, want *string, cmp Comparator) (Result, error) {
	f, err := os.CreateTemp(h.Dir, "prog-*.py")
	if err != nil {
		return Result{}, err
	}
	defer os.Remove(f.Name())
	if _, err := f.WriteString(src); err != nil {
		f.Close()
		return Result{}, err
	}
	f.Close()
	cmd := exec.Command(h.Python, "-I", "-S", filepath.Base(f.Name()))
	cmd.Dir = filepath.Dir(f.Name())
	cmd.Stdin = bytes.NewReader([]byte(stdin))
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return Result{}, err
	}
	timedOut := make(chan bool, 1)
	t := time.AfterFunc(h.Timeout, func() {
		timedOut <- true
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	})
	stop := context.AfterFunc(ctx, func() { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) })
	waitErr := cmd.Wait()
	t.Stop()
	stop()
	if ctx.Err() != nil {
		return Result{}, ctx.Err()
	}
	var ee *exec.ExitError
	if waitErr != nil && !errors.As(waitErr, &ee) {
		return Result{}, waitErr
	}
	r := Result{Stdout: out.String(), Stderr: errb.String(), WallMS: float64(time.Since(start).Microseconds()) / 1000}
	ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
	r.ExitCode = ws.ExitStatus()
	if ws.Signaled() {
		r.Signal, r.ExitCode = ws.Signal().String(), -1
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.CPUMS = float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e6
		r.MaxRSSKB = ru.Maxrss
	}
	select {
	case <-timedOut:
		r.Verdict = Timeout
	default:
		switch {
		case r.ExitCode != 0 || ws.Signaled():
			r.Verdict = RuntimeError
			if bytes.Contains(errb.Bytes(), []byte("SyntaxError")) && bytes.Contains(errb.Bytes(), []byte("prog-")) && !bytes.Contains(errb.Bytes(), []byte("Traceback")) {
				r.Verdict = SyntaxError
			}
		case r.Stdout == "":
			r.Verdict = NoOutput
		default:
			r.Verdict = OK
		}
	}
	finishVerdict(&r, want, cmp)
	return r, nil
}
