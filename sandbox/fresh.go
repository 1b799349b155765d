package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/securecoderl/securecoderl/sandbox/pyboot"
)

// freshWorker starts one interpreter per test: the baseline and fallback.
type freshWorker struct {
	p    *Pool
	uid  int
	root string
	boot string // directory holding scrlboot.py
}

func (f *freshWorker) dir() (string, error) {
	if f.root == "" {
		root, err := os.MkdirTemp(f.p.iso.WorkDir, "scrl-f*")
		if err != nil {
			return "", fmt.Errorf("run directory: %w", err)
		}
		if err := os.Chmod(root, 0o711); err != nil {
			return "", err
		}
		// The boot code is imported as a module so that its bytecode is
		// cached (__pycache__) instead of compiled again in every run.
		boot := filepath.Join(root, "boot")
		if err := os.Mkdir(boot, 0o755); err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(boot, "scrlboot.py"), []byte(pyboot.Source), 0o644); err != nil {
			return "", err
		}
		f.root, f.boot = root, boot
	}
	return f.root, nil
}

func (f *freshWorker) close() error {
	if f.root == "" {
		return nil
	}
	return os.RemoveAll(f.root)
}

func (f *freshWorker) command(req request) *exec.Cmd {
	code := "import sys; sys.path.insert(0, " + strconv.Quote(f.boot) + "); import scrlboot; del sys.path[0]; scrlboot.fresh()"
	args := append(pythonArgs(f.p.cfg), "-c", code)
	cmd := exec.Command(f.p.cfg.Python, args...)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "LANG=C.UTF-8", "PYTHONHASHSEED=0",
		"SCRL_MODE=fresh", "SCRL_REQ=" + req.compact(), "SCRL_STATUS_FD=3", "SCRL_PRELUDE=" + req.Prelude}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Pdeathsig: syscall.SIGKILL}
	if f.p.iso.Namespaces {
		// PID 1 of its own namespace: when it exits the kernel ends every
		// process it left behind.
		cmd.SysProcAttr.Cloneflags = syscall.CLONE_NEWPID | syscall.CLONE_NEWNET
		if os.Geteuid() == 0 {
			// And its own mount namespace, for a private /tmp.
			cmd.SysProcAttr.Cloneflags |= syscall.CLONE_NEWNS
			cmd.Env = append(cmd.Env, "SCRL_PRIVATE_TMP=1")
		}
	}
	return cmd
}

// compile is a no-op on the fresh path: each run compiles the program in
// its own interpreter (as the study's harness does) and reports a syntax
// error in its status.
func (f *freshWorker) compile(ctx context.Context, src string) (*SyntaxInfo, []byte, error) {
	return nil, nil, nil
}

func (f *freshWorker) run(ctx context.Context, c *Compiled, stdin []byte, lim Limits) (Result, error) {
	root, err := f.dir()
	if err != nil {
		return Result{}, err
	}
	dir, err := os.MkdirTemp(root, "t*")
	if err != nil {
		return Result{}, err
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "prog.py"), []byte(c.Source), 0o644); err != nil {
		return Result{}, err
	}
	if err := os.WriteFile(filepath.Join(dir, "stdin"), stdin, 0o644); err != nil {
		return Result{}, err
	}
	req := f.p.request("run", f.uid, c.FnName, lim)
	req.Prelude = c.Prelude
	if req.UID != nil {
		if err := os.Chown(dir, f.uid, f.uid); err != nil {
			return Result{}, err
		}
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return Result{}, err
	}
	defer pr.Close()
	cmd := f.command(req)
	cmd.Dir = dir
	cmd.ExtraFiles = []*os.File{pw}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		pw.Close()
		return Result{}, fmt.Errorf("start %s: %w", f.p.cfg.Python, err)
	}
	pw.Close()
	var timedOut atomic.Bool
	t := time.AfterFunc(lim.Wall, func() {
		timedOut.Store(true)
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Process.Kill()
	})
	stop := context.AfterFunc(ctx, func() { cmd.Process.Kill() })
	waitErr := cmd.Wait()
	wall := time.Since(start)
	t.Stop()
	stop()
	if ctx.Err() != nil {
		return Result{}, ctx.Err()
	}
	var ee *exec.ExitError
	if waitErr != nil && !errors.As(waitErr, &ee) {
		return Result{}, waitErr
	}
	if req.UID != nil && !f.p.iso.Namespaces {
		killUID(f.uid)
	}
	pr.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	st, _ := io.ReadAll(io.LimitReader(pr, 2<<20))

	var raw rawResult
	ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
	raw.ExitCode = ws.ExitStatus()
	if ws.Signaled() {
		raw.Signal = int(ws.Signal())
		raw.ExitCode = -1
	}
	raw.TimedOut = timedOut.Load()
	raw.WallMS = float64(wall.Microseconds()) / 1000
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		raw.CPUMS = float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e6
		raw.MaxRSSKB = ru.Maxrss
	}
	if len(st) > 0 {
		if err := json.Unmarshal(st, &raw.Status); err != nil {
			raw.Status.Garbled = true
		}
	}
	out, outTr := readCapped(filepath.Join(dir, "stdout"), lim.OutputMB<<20)
	errb, errTr := readCapped(filepath.Join(dir, "stderr"), lim.StderrKB<<10)
	raw.StdoutTruncated, raw.StderrTruncated = outTr, errTr
	return classify(raw, out, errb, c.FnName != "", lim), nil
}

func readCapped(path string, limit int) ([]byte, bool) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	defer fh.Close()
	b, _ := io.ReadAll(io.LimitReader(fh, int64(limit)+1))
	if len(b) > limit {
		return b[:limit], true
	}
	return b, false
}

// killUID kills every process owned by uid (used without PID namespaces).
func killUID(uid int) int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		var st syscall.Stat_t
		if syscall.Stat("/proc/"+e.Name(), &st) != nil || int(st.Uid) != uid {
			continue
		}
		if syscall.Kill(pid, syscall.SIGKILL) == nil {
			n++
		}
	}
	return n
}
