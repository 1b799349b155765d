package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/securecoderl/securecoderl/sandbox"
	"github.com/securecoderl/securecoderl/sandbox/server"
)

// TestServeDrains: `scrl serve` answers /run_code; on SIGTERM (the
// context ending) a run in flight still gets its answer, new connections
// are refused, the command returns cleanly and no worker is left running.
func TestServeDrains(t *testing.T) {
	if _, err := os.Stat("/usr/bin/python3"); err != nil {
		t.Skip("no /usr/bin/python3")
	}
	before := zygoteProcs()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, &env{stdout: io.Discard, stderr: pw, stdin: strings.NewReader("")},
			[]string{"serve", "--addr", "127.0.0.1:0", "--workers", "1"})
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	var url string
	for lines.Scan() {
		if l := lines.Text(); strings.HasPrefix(l, "serve: http://") {
			url = strings.Fields(strings.TrimPrefix(l, "serve: "))[0]
			break
		}
	}
	if url == "" {
		t.Fatal("no serve line on stderr")
	}
	go io.Copy(io.Discard, pr)
	type answer struct {
		code int
		body string
		err  error
	}
	slow := make(chan answer, 1)
	go func() {
		resp, err := http.Post(url+"/run_code", "application/json",
			strings.NewReader(`{"code": "import time\ntime.sleep(1)\nprint('done')", "language": "python", "run_timeout": 5}`))
		if err != nil {
			slow <- answer{err: err}
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		slow <- answer{code: resp.StatusCode, body: string(b)}
	}()
	time.Sleep(300 * time.Millisecond)
	cancel() // what SIGTERM does
	a := <-slow
	if a.err != nil || a.code != http.StatusOK || !strings.Contains(a.body, `"stdout":"done\n"`) {
		t.Fatalf("run in flight during the drain: %d %v %s", a.code, a.err, a.body)
	}
	select {
	case c := <-code:
		if c != 0 {
			t.Fatalf("serve exited %d", c)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not return after the drain")
	}
	if _, err := http.Get(url + "/health"); err == nil {
		t.Error("the server still accepts connections after the drain")
	}
	if n := zygoteProcs(); n > before {
		t.Errorf("%d sandbox workers left running after the drain", n-before)
	}
}

func TestServeBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--max-body", "0"}, "must be positive"},
		{[]string{"serve", "--max-queue", "-1"}, "not negative"},
		{[]string{"serve", "--addr", "256.0.0.1:99999"}, "--addr 256.0.0.1:99999"},
		{[]string{"serve", "--addr", "127.0.0.1:0", "--mode", "docker"}, `--mode "docker"`},
	} {
		code, _, errb := runCLI(t, c.args...)
		if code != 2 || !strings.Contains(errb, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 naming %q", c.args, code, errb, c.want)
		}
	}
}

// TestScoreRemoteMatchesLocal: the 398 real completions scored on two
// `scrl serve` endpoints get, line by line, the verdicts, k of T and
// rewards of scoring them in-process.
func TestScoreRemoteMatchesLocal(t *testing.T) {
	needPython(t)
	f := sharedFile(t, "generations/deepseek-coder-6.7b-base_apps_plus_398.jsonl")
	var urls []string
	for i := 0; i < 2; i++ {
		pool, err := sandbox.New(context.Background(), sandbox.Config{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(server.New(pool, server.Config{}).Handler())
		defer pool.Close()
		defer ts.Close()
		urls = append(urls, ts.URL)
	}
	dir := t.TempDir()
	read := func(path string) []map[string]any {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var rows []map[string]any
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			var r map[string]any
			if err := json.Unmarshal([]byte(l), &r); err != nil {
				t.Fatal(err)
			}
			rows = append(rows, r)
		}
		return rows
	}
	local, remote := filepath.Join(dir, "local.jsonl"), filepath.Join(dir, "remote.jsonl")
	if code, _, errb := runCLI(t, "score", "--completions", f, "--scanner", "native", "--out", local); code != 0 {
		t.Fatalf("local: exit %d: %s", code, errb)
	}
	if code, _, errb := runCLI(t, "score", "--completions", f, "--scanner", "native", "--out", remote, "--sandbox", strings.Join(urls, ",")); code != 0 {
		t.Fatalf("remote: exit %d: %s", code, errb)
	}
	a, b := read(local), read(remote)
	if len(a) != 398 || len(b) != 398 {
		t.Fatalf("%d local and %d remote lines", len(a), len(b))
	}
	for i := range a {
		for _, k := range []string{"verdicts", "passed", "total", "stage", "r_func", "r_sec", "r"} {
			if fmt.Sprint(a[i][k]) != fmt.Sprint(b[i][k]) {
				t.Fatalf("line %d %s: local %v, remote %v", i, k, a[i][k], b[i][k])
			}
		}
	}
	if code, _, errb := runCLI(t, "score", "--completions", f, "--sandbox", "ftp://x"); code != 2 || !strings.Contains(errb, "--sandbox") {
		t.Errorf("ftp endpoint: exit %d %s", code, errb)
	}
}

// TestBenchServe: the load and fault test, small — real reference
// solutions with every hostile program mixed in, on two `scrl serve`
// processes, one killed halfway: every batch answered, the in-process
// verdicts, no worker left running. It needs the built binary (make test
// builds bin/scrl first).
func TestBenchServe(t *testing.T) {
	needPython(t)
	bin, err := filepath.Abs(filepath.Join("..", "..", "bin", "scrl"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		t.Skip("bin/scrl not built (make build)")
	}
	code, out, errb := runCLI(t, "bench", "serve", "--binary", bin, "--problems", "8", "--hostile", "1", "--timeout", "1s", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, errb, out)
	}
	type pass struct {
		Batches    int    `json:"batches"`
		Errors     int    `json:"errors"`
		Mismatches int    `json:"verdict_mismatches"`
		Left       int    `json:"left_running"`
		Checked    int    `json:"workers_checked"`
		Killed     string `json:"killed_server"`
	}
	var res struct {
		Batches int     `json:"batches"`
		Ratio   float64 `json:"throughput_ratio"`
		Remote  pass    `json:"remote"`
		Killed  pass    `json:"remote_one_killed"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	ok := func(p pass) bool {
		return p.Batches == res.Batches && p.Errors == 0 && p.Mismatches == 0 && p.Left == 0 && p.Checked >= 2
	}
	if res.Batches != 8+len(hostilePrograms) || !ok(res.Remote) || !ok(res.Killed) || res.Killed.Killed == "" || res.Ratio <= 0 {
		t.Errorf("bench serve: %+v", res)
	}
}
