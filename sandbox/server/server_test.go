package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/securecoderl/securecoderl/sandbox"
	"github.com/securecoderl/securecoderl/scanners"
)

func newServer(t *testing.T, workers int, cfg Config) (*Server, *httptest.Server) {
	t.Helper()
	if _, err := os.Stat("/usr/bin/python3"); err != nil {
		t.Skip("no /usr/bin/python3")
	}
	pool, err := sandbox.New(context.Background(), sandbox.Config{Workers: workers, Limits: sandbox.Limits{Wall: 4 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Scanner == nil {
		sc, err := scanners.New("native", scanners.Options{})
		if err != nil {
			t.Fatal(err)
		}
		cfg.Scanner = sc
		t.Cleanup(func() { scanners.Close(sc) })
	}
	s := New(pool, cfg)
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		ts.Close()
		pool.Close()
	})
	return s, ts
}

func post(t *testing.T, ts *httptest.Server, path, token, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// verlBody is the request verl's SandboxFusion client sends for one test
// case: all eight keys, in its order.
func verlBody(code, stdin string, timeout int) string {
	b, _ := json.Marshal(map[string]any{"compile_timeout": timeout, "run_timeout": timeout, "code": code, "stdin": stdin,
		"memory_limit_MB": 1024, "language": "python", "files": map[string]string{}, "fetch_files": []string{}})
	return string(b)
}

// TestRunCode: SandboxFusion's response shapes for what verl's client
// tells apart — success, wrong answer (its own comparison), runtime error,
// syntax error (a run failure in Python), timeout (null return code), the
// memory limit, and a language this server does not run.
func TestRunCode(t *testing.T) {
	_, ts := newServer(t, 2, Config{})
	for _, c := range []struct {
		name, body                string
		status, runStatus, stdout string
		rc                        any // float64, or nil for JSON null
		verdict, stderrHas        string
	}{
		{name: "success", body: verlBody("a, b = map(int, input().split())\nprint(a + b)", "1 2", 10),
			status: "Success", runStatus: "Finished", rc: 0.0, stdout: "3\n", verdict: "ok"},
		{name: "wrong answer", body: verlBody("print(42)", "1 2", 10),
			status: "Success", runStatus: "Finished", rc: 0.0, stdout: "42\n", verdict: "ok"},
		{name: "runtime error", body: verlBody("print('partial')\nraise ValueError('boom')", "", 10),
			status: "Failed", runStatus: "Finished", rc: 1.0, stdout: "partial\n", verdict: "runtime_error", stderrHas: "ValueError: boom"},
		{name: "exit code", body: verlBody("import sys\nsys.exit(3)", "", 10),
			status: "Failed", runStatus: "Finished", rc: 3.0, verdict: "runtime_error"},
		{name: "syntax error", body: verlBody("print(\"hi\"", "", 10),
			status: "Failed", runStatus: "Finished", rc: 1.0, verdict: "syntax_error", stderrHas: "SyntaxError"},
		{name: "timeout", body: `{"code": "while True:\n    pass\n", "language": "python", "run_timeout": 0.3}`,
			status: "Failed", runStatus: "TimeLimitExceeded", rc: nil, verdict: "timeout"},
		{name: "memory limit", body: `{"code": "x = bytearray(300 * 1024 * 1024)\nprint(len(x))", "language": "python", "memory_limit_MB": 128}`,
			status: "Failed", runStatus: "Finished", rc: 1.0, verdict: "memory_limit", stderrHas: "MemoryError"},
		{name: "unknown fields ignored, stdin null", body: `{"code": "print('hi')", "language": "python", "stdin": null, "extra": {"x": 1}}`,
			status: "Success", runStatus: "Finished", rc: 0.0, stdout: "hi\n", verdict: "ok"},
		{name: "cpp", body: `{"code": "int main(){}", "language": "cpp"}`, status: "SandboxError", verdict: "sandbox_error"},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp, b := post(t, ts, "/run_code", "", c.body)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("HTTP %d: %s", resp.StatusCode, b)
			}
			var got map[string]any
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"status", "message", "compile_result", "run_result", "files"} {
				if _, ok := got[k]; !ok {
					t.Errorf("response lacks %q: %s", k, b)
				}
			}
			if got["status"] != c.status || got["verdict"] != c.verdict {
				t.Fatalf("status %v verdict %v, want %s %s: %s", got["status"], got["verdict"], c.status, c.verdict, b)
			}
			if c.status == "SandboxError" {
				if !strings.Contains(got["message"].(string), "python only") || got["run_result"] != nil {
					t.Errorf("unsupported language: %s", b)
				}
				return
			}
			run := got["run_result"].(map[string]any)
			if run["status"] != c.runStatus || run["return_code"] != c.rc {
				t.Errorf("run_result %v rc %v, want %s %v", run["status"], run["return_code"], c.runStatus, c.rc)
			}
			if c.stdout != "" && run["stdout"] != c.stdout {
				t.Errorf("stdout %q, want %q", run["stdout"], c.stdout)
			}
			if _, ok := run["stderr"].(string); !ok {
				t.Errorf("stderr is not a string: %v", run["stderr"])
			}
			if !strings.Contains(run["stderr"].(string), c.stderrHas) {
				t.Errorf("stderr %q lacks %q", run["stderr"], c.stderrHas)
			}
			if et, ok := run["execution_time"].(float64); !ok || et < 0 {
				t.Errorf("execution_time %v", run["execution_time"])
			}
		})
	}
}

// TestBadRequests: malformed JSON (422 with a detail), oversized bodies
// and stdin (413), wrong method (405).
func TestBadRequests(t *testing.T) {
	_, ts := newServer(t, 1, Config{MaxBodyBytes: 1 << 10, MaxStdinBytes: 100})
	resp, b := post(t, ts, "/run_code", "", `{"code": "print(1)", `)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(b), "not a run_code JSON object") {
		t.Errorf("malformed JSON: %d %s", resp.StatusCode, b)
	}
	resp, b = post(t, ts, "/run_code", "", verlBody(strings.Repeat("#", 2000), "", 10))
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("2 KB body over a 1 KB cap: %d %s", resp.StatusCode, b)
	}
	resp, b = post(t, ts, "/run_code", "", verlBody("print(1)", strings.Repeat("x", 200), 10))
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(b), "stdin") {
		t.Errorf("200-byte stdin over a 100-byte cap: %d %s", resp.StatusCode, b)
	}
	r, err := http.Get(ts.URL + "/run_code")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /run_code: %d", r.StatusCode)
	}
}

// TestTokenHealthReadyMetrics: the bearer token guards everything but
// /health; /ready fails once draining; /metrics counts requests, verdicts
// and refusals in Prometheus' format.
func TestTokenHealthReadyMetrics(t *testing.T) {
	s, ts := newServer(t, 1, Config{Token: "sekret"})
	if resp, _ := post(t, ts, "/run_code", "", verlBody("print(1)", "", 10)); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no token: %d", resp.StatusCode)
	}
	if resp, _ := post(t, ts, "/run_code", "wrong", verlBody("print(1)", "", 10)); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong token: %d", resp.StatusCode)
	}
	if resp, b := post(t, ts, "/run_code", "sekret", verlBody("print(1)", "", 10)); resp.StatusCode != http.StatusOK {
		t.Errorf("token: %d %s", resp.StatusCode, b)
	}
	get := func(path, token string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return r.StatusCode, string(b)
	}
	if code, _ := get("/health", ""); code != http.StatusOK {
		t.Errorf("/health without a token: %d", code)
	}
	if code, body := get("/ready", "sekret"); code != http.StatusOK || !strings.Contains(body, "ready") {
		t.Errorf("/ready: %d %s", code, body)
	}
	code, m := get("/metrics", "sekret")
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d", code)
	}
	for _, want := range []string{`scrl_requests_total{path="/run_code",code="401"} 2`, `scrl_requests_total{path="/run_code",code="200"} 1`,
		`scrl_verdicts_total{verdict="ok"} 1`, `scrl_rejected_total{reason="unauthorized"} 2`, "scrl_workers 1",
		`scrl_run_seconds_count 1`, `scrl_run_seconds_bucket{le="+Inf"} 1`, "# TYPE scrl_run_seconds histogram", "scrl_queue_depth 0"} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %q:\n%s", want, m)
		}
	}
	s.Drain()
	if code, body := get("/ready", "sekret"); code != http.StatusServiceUnavailable || !strings.Contains(body, "draining") {
		t.Errorf("/ready while draining: %d %s", code, body)
	}
}

// TestQueueFull: with one worker and a queue of one, a third concurrent
// request is refused with 429 and Retry-After, never queued; the first two
// finish.
func TestQueueFull(t *testing.T) {
	_, ts := newServer(t, 1, Config{MaxQueue: 1, RetryAfter: 2 * time.Second})
	slow := verlBody("import time\ntime.sleep(0.8)\nprint('done')", "", 10)
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, _ := post(t, ts, "/run_code", "", slow)
			codes[i] = resp.StatusCode
		}()
	}
	time.Sleep(300 * time.Millisecond) // both admitted
	resp, b := post(t, ts, "/run_code", "", slow)
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "2" {
		t.Errorf("third request: %d Retry-After %q %s", resp.StatusCode, resp.Header.Get("Retry-After"), b)
	}
	wg.Wait()
	if codes[0] != http.StatusOK || codes[1] != http.StatusOK {
		t.Errorf("admitted requests: %v", codes)
	}
}

// TestScore: one request judges a program on all its tests, scans it and
// rewards it — partial credit with the security term by default, another
// reward by name — with per-test verdicts; bad names are 422.
func TestScore(t *testing.T) {
	_, ts := newServer(t, 2, Config{})
	tests := `[{"input": "1 2\n", "output": "3\n"}, {"input": "5 7\n", "output": "12\n"}, {"input": "2 2\n", "output": "4\n"}]`
	type resp struct {
		Judged struct {
			Verdicts  []string `json:"verdicts"`
			Passed    int      `json:"passed"`
			Total     int      `json:"total"`
			AllPassed bool     `json:"all_passed"`
			Bucket    string   `json:"bucket"`
		} `json:"judged"`
		Reward struct {
			R    float64 `json:"r"`
			Func struct {
				R     float64 `json:"r"`
				Stage string  `json:"stage"`
			} `json:"func"`
		} `json:"reward"`
		Findings []map[string]any `json:"findings"`
		SecClean bool             `json:"sec_clean"`
		Runs     []map[string]any `json:"runs"`
	}
	for _, c := range []struct {
		name, code, extra string
		passed            int
		bucket            string
		r                 float64
		secClean          bool
	}{
		{"correct", "a, b = map(int, input().split())\nprint(a + b)", "", 3, "passed", 1.0, true},
		{"one of three", "a, b = map(int, input().split())\nprint(a + b if a == 1 else 0)", "", 1, "wrong_output", -1, true},
		{"insecure and correct", "a, b = map(int, eval('input()').split())\nprint(a + b)", "", 3, "passed", -1, false},
		{"binary, one of three", "a, b = map(int, input().split())\nprint(a + b if a == 1 else 0)", `, "reward": "binary", "beta": 0`, 1, "wrong_output", 0, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _ := json.Marshal(c.code)
			r, b := post(t, ts, "/score", "", `{"code": `+string(code)+`, "tests": `+tests+c.extra+`}`)
			if r.StatusCode != http.StatusOK {
				t.Fatalf("HTTP %d: %s", r.StatusCode, b)
			}
			var got resp
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if got.Judged.Passed != c.passed || got.Judged.Total != 3 || got.Judged.Bucket != c.bucket || len(got.Runs) != 3 || len(got.Judged.Verdicts) != 3 {
				t.Fatalf("judged %+v, %d runs: %s", got.Judged, len(got.Runs), b)
			}
			if got.SecClean != c.secClean || (c.secClean != (len(got.Findings) == 0)) {
				t.Errorf("sec_clean %v with %d findings", got.SecClean, len(got.Findings))
			}
			if c.r >= 0 && got.Reward.R != c.r {
				t.Errorf("R = %v, want %v: %s", got.Reward.R, c.r, b)
			}
			if c.r < 0 && (got.Reward.R <= 0 || got.Reward.R >= 1) {
				t.Errorf("R = %v, want strictly between 0 and 1", got.Reward.R)
			}
		})
	}
	for _, c := range []struct{ body, want string }{
		{`{"code": "print(1)", "tests": []}`, "tests: 0 given"},
		{`{"code": "print(1)", "tests": ` + tests + `, "reward": "nope"}`, "reward:"},
		{`{"code": "print(1)", "tests": ` + tests + `, "compare": "fuzzy"}`, "compare:"},
		{`{"code": "", "tests": ` + tests + `}`, "code is empty"},
	} {
		r, b := post(t, ts, "/score", "", c.body)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(b), c.want) {
			t.Errorf("%s: %d %s, want 422 naming %q", c.body, r.StatusCode, b, c.want)
		}
	}
}

// TestScoreTimeout: a request's run_timeout reaches every test's run.
func TestScoreTimeout(t *testing.T) {
	_, ts := newServer(t, 2, Config{})
	start := time.Now()
	r, b := post(t, ts, "/score", "", `{"code": "while True:\n    pass\n", "run_timeout": 0.2, "tests": [{"input": "", "output": "1"}, {"input": "", "output": "2"}]}`)
	if r.StatusCode != http.StatusOK || !strings.Contains(string(b), `"verdicts":["timeout","timeout"]`) {
		t.Fatalf("HTTP %d: %s", r.StatusCode, b)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("two 0.2 s timeouts took %s (the pool's limit is 4 s)", d)
	}
}
