package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Tester runs a program on tests: a local Pool, or Remote sandboxes.
type Tester interface {
	RunTests(ctx context.Context, prog Program, tests []Test, opt BatchOptions) (Batch, error)
	// Workers is how many runs it takes at once (callers size their
	// parallelism by it).
	Workers() int
}

// RunTestsRequest is the body of a `scrl serve` POST /run_tests: a program
// and its inputs, run under optional per-run limits. The server does not
// compare outputs: the caller does, with its own comparator, so verdicts
// are the same as in-process judging.
type RunTestsRequest struct {
	Source   string   `json:"source"`
	FnName   string   `json:"fn_name,omitempty"`
	Prelude  string   `json:"prelude,omitempty"`
	Inputs   []string `json:"inputs"`
	WallMS   int64    `json:"wall_ms,omitempty"`
	MemoryMB int      `json:"memory_mb,omitempty"`
}

// Remote spreads RunTests over `scrl serve` endpoints (POST /run_tests),
// round robin. A request that fails for a reason that is not the
// program's (a refused or dropped connection, a 5xx, a timeout) is retried
// on the next endpoint — running a program is idempotent — up to Attempts
// times in all; a full queue (429) is waited out (its Retry-After, on the
// next endpoint) for up to MaxWait. Outputs are compared here, so the
// verdicts are those of a local Pool.
type Remote struct {
	URLs     []string // base URLs, e.g. http://host:8080
	Token    string   // bearer token, if the servers require one
	Client   *http.Client
	Attempts int // tries per batch over the endpoints (default 2 × len(URLs), at least 3)
	// Parallel is what Workers reports (default: the endpoints' workers, as
	// their GET /info says, 2 for one that does not answer).
	Parallel int
	// MaxWait bounds the time spent waiting on full queues (default 10 min).
	MaxWait time.Duration
	next    atomic.Uint64
	once    sync.Once
	workers int
	mu      sync.Mutex
	down    map[string]time.Time // endpoint → when it last failed
}

// downFor is how long an endpoint that failed is skipped (while another
// one may work).
const downFor = 2 * time.Second

func (r *Remote) isDown(u string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, ok := r.down[u]
	return ok && time.Since(t) < downFor
}

func (r *Remote) markDown(u string, failed bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !failed {
		delete(r.down, u)
		return
	}
	if r.down == nil {
		r.down = map[string]time.Time{}
	}
	r.down[u] = time.Now()
}

// Info is a `scrl serve` GET /info answer.
type Info struct {
	Workers  int    `json:"workers"`
	Capacity int    `json:"capacity"` // requests admitted at once (workers + queue)
	Mode     Mode   `json:"mode"`
	Version  string `json:"version,omitempty"`
}

// NewRemote checks a comma-separated endpoint list.
func NewRemote(urls, token string) (*Remote, error) {
	var list []string
	for _, u := range strings.Split(urls, ",") {
		u = strings.TrimRight(strings.TrimSpace(u), "/")
		if u == "" {
			continue
		}
		if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
			return nil, fmt.Errorf("sandbox endpoint %q: want http://host:port or https://…", u)
		}
		list = append(list, u)
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("sandbox endpoints %q: none given", urls)
	}
	return &Remote{URLs: list, Token: token}, nil
}

// Workers reports the parallelism callers should use: the endpoints'
// workers together (asked once).
func (r *Remote) Workers() int {
	if r.Parallel > 0 {
		return r.Parallel
	}
	r.once.Do(func() {
		for _, u := range r.URLs {
			n := 2
			if info, err := r.info(u); err == nil && info.Workers > 0 {
				n = info.Workers
			}
			r.workers += n
		}
	})
	return r.workers
}

func (r *Remote) info(base string) (Info, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/info", nil)
	if err != nil {
		return Info{}, err
	}
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	resp, err := r.client().Do(req)
	if err != nil {
		return Info{}, err
	}
	defer resp.Body.Close()
	var info Info
	if resp.StatusCode != http.StatusOK {
		return info, fmt.Errorf("GET /info: HTTP %d", resp.StatusCode)
	}
	return info, json.NewDecoder(resp.Body).Decode(&info)
}

func (r *Remote) client() *http.Client {
	if r.Client != nil {
		return r.Client
	}
	return http.DefaultClient
}

// busy is a full queue (429): wait, then try again.
type busy struct {
	err   error
	after time.Duration
}

func (e busy) Error() string { return e.err.Error() }

// retryable marks failures that are the endpoint's, not the program's.
type retryable struct{ err error }

func (e retryable) Error() string { return e.err.Error() }
func (e retryable) Unwrap() error { return e.err }

// RunTests runs prog on tests on one of the endpoints (retrying on the
// others) and compares the outputs with opt.Compare here. With
// StopOnFailure the results stop at the first test that does not pass, as
// a Pool's would (every test has run remotely).
func (r *Remote) RunTests(ctx context.Context, prog Program, tests []Test, opt BatchOptions) (Batch, error) {
	req := RunTestsRequest{Source: prog.Source, FnName: prog.FnName, Prelude: prog.Prelude,
		Inputs: make([]string, len(tests)), WallMS: opt.Limits.Wall.Milliseconds(), MemoryMB: opt.Limits.MemoryMB}
	for i, t := range tests {
		req.Inputs[i] = t.Input
	}
	body, err := json.Marshal(req)
	if err != nil {
		return Batch{}, err
	}
	attempts := r.Attempts
	if attempts <= 0 {
		attempts = max(3, 2*len(r.URLs))
	}
	maxWait := r.MaxWait
	if maxWait <= 0 {
		maxWait = 10 * time.Minute
	}
	var raw Batch
	var errs []error
	var waited time.Duration
	start := int(r.next.Add(1) - 1)
	for a, k := 0, 0; a < attempts; k++ {
		if err := ctx.Err(); err != nil {
			return Batch{}, err
		}
		// This batch's tries go round the endpoints from its own start,
		// skipping those that just failed while another may still work.
		u := r.URLs[(start+k)%len(r.URLs)]
		if r.isDown(u) && k < 2*len(r.URLs) {
			continue
		}
		raw, err = r.post(ctx, u, body)
		if err == nil {
			r.markDown(u, false)
			break
		}
		var full busy
		if errors.As(err, &full) && waited < maxWait {
			d := min(full.after, maxWait-waited)
			waited += d
			if err := sleep(ctx, d); err != nil {
				return Batch{}, err
			}
			continue
		}
		a++
		errs = append(errs, fmt.Errorf("%s: %w", u, err))
		var re retryable
		if !errors.As(err, &re) && !errors.As(err, &full) {
			return Batch{}, errors.Join(errs...)
		}
		r.markDown(u, true)
		if a < attempts {
			if err := sleep(ctx, min(time.Duration(a)*100*time.Millisecond, time.Second)); err != nil {
				return Batch{}, err
			}
		}
	}
	if err != nil {
		return Batch{}, fmt.Errorf("sandbox: every endpoint failed after %d attempts: %w", attempts, errors.Join(errs...))
	}
	if len(raw.Results) != len(tests) {
		return Batch{}, fmt.Errorf("sandbox: the endpoint answered %d results for %d tests", len(raw.Results), len(tests))
	}
	b := Batch{Syntax: raw.Syntax, Total: len(tests)}
	for i, res := range raw.Results {
		if tests[i].HasExpected {
			want := tests[i].Expected
			finishVerdict(&res, &want, opt.Compare)
		}
		b.Results = append(b.Results, res)
		b.Passed += btoi(res.Verdict == Passed)
		if opt.StopOnFailure && res.Verdict != Passed && res.Verdict != OK {
			break
		}
	}
	return b, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (r *Remote) post(ctx context.Context, base string, body []byte) (Batch, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/run_tests", bytes.NewReader(body))
	if err != nil {
		return Batch{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	resp, err := r.client().Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return Batch{}, ctx.Err()
		}
		return Batch{}, retryable{err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
	if err != nil {
		return Batch{}, retryable{err}
	}
	if resp.StatusCode != http.StatusOK {
		err := fmt.Errorf("HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(data[:min(len(data), 300)])))
		if resp.StatusCode == http.StatusTooManyRequests {
			after := 200 * time.Millisecond
			if s, perr := strconv.Atoi(resp.Header.Get("Retry-After")); perr == nil && s > 0 {
				after = time.Duration(s) * time.Second
			}
			return Batch{}, busy{err, after}
		}
		if resp.StatusCode >= 500 {
			return Batch{}, retryable{err}
		}
		return Batch{}, err
	}
	var b Batch
	if err := json.Unmarshal(data, &b); err != nil {
		return Batch{}, retryable{fmt.Errorf("answer is not a batch: %w", err)}
	}
	return b, nil
}
