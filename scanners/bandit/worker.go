package bandit

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// hello is the first line a worker writes.
type hello struct {
	Ready   bool     `json:"ready"`
	Fatal   string   `json:"fatal"`
	Bandit  string   `json:"bandit"`
	Python  string   `json:"python"`
	FixStr  bool     `json:"fix_str"`
	Skipped []string `json:"skip"`
}

// request is one source sent to a worker.
type request struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Code string `json:"code"`
}

// rawIssue is bandit's issue as the worker (or the CLI's JSON) reports it.
type rawIssue struct {
	TestID     string `json:"test_id"`
	TestName   string `json:"test_name"`
	Severity   string `json:"issue_severity"`
	Confidence string `json:"issue_confidence"`
	Text       string `json:"issue_text"`
	Line       int    `json:"line_number"`
	LineRange  []int  `json:"line_range"`
	Col        *int   `json:"col_offset"`
	Ident      string `json:"ident"`
	Code       string `json:"code"`
}

// reply is the worker's answer to a request.
type reply struct {
	ID     int64      `json:"id"`
	Issues []rawIssue `json:"issues"`
	Error  string     `json:"error"`
	Log    []string   `json:"log"`
}

// errWorkerDied marks a worker that exited while scanning a source.
var errWorkerDied = errors.New("bandit worker died")

// worker is one long-lived python process running worker.py.
type worker struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  chan []byte
	stderr *tailBuffer
	hello  hello
	nextID int64
	done   chan struct{} // closed when the process has been reaped
	once   sync.Once
}

// tailBuffer keeps the last few KiB written to it (the worker's stderr).
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
}

const tailMax = 4096

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > tailMax {
		t.buf = append([]byte(nil), t.buf[len(t.buf)-tailMax:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(string(t.buf))
}

// startWorker launches python with the embedded worker script and waits
// for its hello line.
func startWorker(ctx context.Context, python string, args []string, timeout time.Duration) (*worker, error) {
	argv := append([]string{"-I", "-c", workerScript}, args...)
	cmd := exec.Command(python, argv...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	w := &worker{cmd: cmd, stdin: stdin, lines: make(chan []byte, 1), stderr: &tailBuffer{}, done: make(chan struct{})}
	cmd.Stderr = w.stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", python, err)
	}
	go func() {
		r := bufio.NewReaderSize(stdout, 64<<10)
		for {
			line, err := r.ReadBytes('\n')
			if len(line) > 0 {
				w.lines <- line
			}
			if err != nil {
				close(w.lines)
				_ = cmd.Wait()
				close(w.done)
				return
			}
		}
	}()
	var h hello
	line, err := w.read(ctx, timeout)
	if err != nil {
		w.kill()
		return nil, fmt.Errorf("bandit worker did not start: %w", err)
	}
	if err := json.Unmarshal(line, &h); err != nil {
		w.kill()
		return nil, fmt.Errorf("bandit worker: bad hello %q: %v", truncate(string(line), 200), err)
	}
	if !h.Ready {
		w.kill()
		if h.Fatal == "" {
			h.Fatal = "not ready"
		}
		return nil, fmt.Errorf("bandit worker: %s", h.Fatal)
	}
	w.hello = h
	return w, nil
}

// read waits for the next stdout line.
func (w *worker) read(ctx context.Context, timeout time.Duration) ([]byte, error) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case line, ok := <-w.lines:
		if !ok {
			return nil, w.deathErr()
		}
		return line, nil
	case <-ctx.Done():
		w.kill()
		return nil, ctx.Err()
	case <-timer.C:
		w.kill()
		return nil, fmt.Errorf("bandit worker timed out after %s", timeout)
	}
}

// scan sends one source and waits for its reply. Any error other than a
// reply with an Error field leaves the worker killed.
func (w *worker) scan(ctx context.Context, name, code string, timeout time.Duration) (reply, error) {
	w.nextID++
	id := w.nextID
	b, err := json.Marshal(request{ID: id, Name: name, Code: code})
	if err != nil {
		return reply{}, err
	}
	b = append(b, '\n')
	if _, err := w.stdin.Write(b); err != nil {
		w.kill()
		return reply{}, w.deathErr()
	}
	for {
		line, err := w.read(ctx, timeout)
		if err != nil {
			return reply{}, err
		}
		var rep reply
		if err := json.Unmarshal(line, &rep); err != nil {
			w.kill()
			return reply{}, fmt.Errorf("bandit worker: bad reply %q: %v", truncate(string(line), 200), err)
		}
		if rep.ID == id {
			return rep, nil
		}
		// A reply to an older request (cannot happen with one request in
		// flight, but never mis-attribute findings): skip it.
	}
}

// alive reports whether the process is still running.
func (w *worker) alive() bool {
	select {
	case <-w.done:
		return false
	default:
		return true
	}
}

// deathErr waits for the process to be reaped and describes its death.
func (w *worker) deathErr() error {
	select {
	case <-w.done:
	case <-time.After(5 * time.Second):
		w.kill()
		<-w.done
	}
	msg := w.stderr.String()
	if msg != "" {
		return fmt.Errorf("%w (%s): %s", errWorkerDied, w.cmd.ProcessState, truncate(lastLines(msg, 3), 600))
	}
	return fmt.Errorf("%w (%s)", errWorkerDied, w.cmd.ProcessState)
}

// kill terminates the process and discards its remaining output
// (idempotent; the reader goroutine then reaps the process).
func (w *worker) kill() {
	w.once.Do(func() {
		if w.cmd.Process != nil {
			_ = w.cmd.Process.Kill()
		}
		_ = w.stdin.Close()
		go func() {
			for range w.lines {
			}
		}()
	})
}

// close asks the worker to exit and reaps it.
func (w *worker) close() {
	_ = w.stdin.Close()
	select {
	case <-w.done:
	case <-time.After(2 * time.Second):
		w.kill()
		<-w.done
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func lastLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
