package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/securecoderl/securecoderl/sandbox"
	"github.com/securecoderl/securecoderl/stdlib/apps"
	"github.com/securecoderl/securecoderl/stdlib/judge"
	"github.com/securecoderl/securecoderl/stdlib/scoring"
)

// hostilePrograms are mixed into the serve benchmark's workload: each must
// come back with a verdict, and take nothing down with it. Their verdicts
// must not depend on timing (they are compared with in-process ones): a
// memory bomb that grows step by step ends as a timeout or a memory error
// depending on the machine's load.
var hostilePrograms = map[string]string{
	"fork bomb":       "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n",
	"memory bomb":     "x = [bytearray(1 << 20)]\nx.append(bytearray(8 << 30))\n", // over any address-space limit at once: its verdict does not depend on timing
	"infinite output": "while True:\n    print('x' * 4096)\n",
	"sleeping child":  "import os, time\nif os.fork() == 0:\n    time.sleep(60)\nelse:\n    print('parent done')\n",
	"busy loop":       "while True:\n    pass\n",
}

type serveBatch struct {
	name string
	task judge.Task
}

type pathStats struct {
	Batches     int     `json:"batches"`
	Tests       int     `json:"tests"`
	Seconds     float64 `json:"seconds"`
	TestsPerSec float64 `json:"tests_per_second"`
	P50MS       float64 `json:"p50_ms"` // per batch (one program on its tests)
	P99MS       float64 `json:"p99_ms"`
	Errors      int     `json:"errors"`
	results     []judge.Result
	errs        map[string]string // batch name → error
}

// runBatches judges every batch with `clients` at once; kill, when set, is
// called once half of them are done.
func runBatches(ctx context.Context, t sandbox.Tester, batches []serveBatch, clients int, kill func()) pathStats {
	st := pathStats{Batches: len(batches), results: make([]judge.Result, len(batches)), errs: map[string]string{}}
	lat := make([]float64, len(batches))
	errs := make([]error, len(batches))
	var done int
	var mu sync.Mutex
	var once sync.Once
	ch := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range ch {
				t0 := time.Now()
				st.results[i], errs[i] = judge.Judge(ctx, t, batches[i].task)
				lat[i] = float64(time.Since(t0).Microseconds()) / 1000
				mu.Lock()
				done++
				half := done == len(batches)/2
				mu.Unlock()
				if half && kill != nil {
					once.Do(kill)
				}
			}
		}()
	}
	for i := range batches {
		ch <- i
	}
	close(ch)
	wg.Wait()
	st.Seconds = time.Since(start).Seconds()
	for i, r := range st.results {
		if errs[i] != nil {
			st.Errors++
			st.errs[batches[i].name] = errs[i].Error()
		}
		st.Tests += len(r.Verdicts)
	}
	st.TestsPerSec = float64(st.Tests) / st.Seconds
	slices.Sort(lat)
	st.P50MS, st.P99MS = lat[len(lat)/2], lat[min(len(lat)-1, len(lat)*99/100)]
	return st
}

// serverProc is one `scrl serve` child process.
type serverProc struct {
	cmd *exec.Cmd
	url string
}

func startServer(ctx context.Context, binary string, workers int, timeout time.Duration) (*serverProc, error) {
	cmd := exec.CommandContext(ctx, binary, "serve", "--addr", "127.0.0.1:0", "--workers", strconv.Itoa(workers),
		"--timeout", timeout.String(), "--max-queue", "64")
	cmd.Env = append(os.Environ(), "SCRL_SERVE_TOKEN=")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s serve: %w", binary, err)
	}
	lines := bufio.NewScanner(stderr)
	for lines.Scan() {
		if l := lines.Text(); strings.HasPrefix(l, "serve: http://") {
			go func() {
				for lines.Scan() {
				}
			}()
			return &serverProc{cmd: cmd, url: strings.Fields(strings.TrimPrefix(l, "serve: "))[0]}, nil
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	return nil, fmt.Errorf("%s serve did not report its address", binary)
}

// benchServe runs one workload in-process and through `scrl serve`
// processes (one killed halfway), and compares throughput, latency and
// verdicts.
func benchServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "bench serve", "bench serve [--data PATH] [--servers 2] [--workers 1] [--problems 40] [--hostile 2] [--kill] [--json]")
	var d dataFlags
	d.register("bench", fs)
	servers := fs.Int("servers", 2, "scrl serve processes")
	workers := fs.Int("workers", 1, "sandbox workers per server (the in-process pool gets servers × workers)")
	maxProb := fs.Int("problems", 40, "stdin problems (first reference solution of each, all its tests)")
	hostile := fs.Int("hostile", 2, "copies of each hostile program (fork bomb, memory bomb, infinite output, sleeping child, busy loop)")
	clients := fs.Int("clients", 8, "batches in flight")
	timeout := fs.Duration("timeout", 2*time.Second, "wall-clock limit per test")
	kill := fs.Bool("kill", true, "kill one server (SIGKILL) when half the remote batches are done")
	binary := fs.String("binary", "", "the scrl binary to start servers from (default: this one)")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *servers < 1 || *workers < 1 || *clients < 1 || *timeout <= 0 {
		return usagef("--servers, --workers, --clients and --timeout must be positive")
	}
	if *kill && *servers < 2 {
		return usagef("--kill needs --servers 2 or more (a killed server's batches go to another)")
	}
	if *binary == "" {
		exe, err := os.Executable()
		if err != nil {
			return err
		}
		*binary = exe
	}
	ps, _, err := d.load(ctx, e)
	if err != nil {
		return err
	}
	var normal, bad []serveBatch
	for _, p := range apps.FilterKind(ps, apps.KindStdin) {
		if len(p.Solutions) == 0 || len(p.Tests) == 0 {
			continue
		}
		if len(normal) == *maxProb {
			break
		}
		normal = append(normal, serveBatch{name: p.ID, task: judge.Task{Program: scoring.ProgramOf(p, p.Solutions[0]),
			Cases: scoring.Cases(p.Tests, 0), Compare: judge.Lines}})
	}
	names := make([]string, 0, len(hostilePrograms))
	for n := range hostilePrograms {
		names = append(names, n)
	}
	slices.Sort(names)
	for k := 0; k < *hostile; k++ {
		for _, n := range names {
			bad = append(bad, serveBatch{name: n, task: judge.Task{Program: sandbox.Program{Source: hostilePrograms[n]},
				Cases: []judge.Case{{Input: "", Expected: "1\n"}, {Input: "2\n", Expected: "2\n"}}, Compare: judge.Lines}})
		}
	}
	if len(normal) == 0 {
		return fmt.Errorf("bench serve: no stdin problem with a reference solution and tests in the data")
	}
	// The hostile programs spread evenly through the workload.
	var batches []serveBatch
	every := max(1, len(normal)/max(1, len(bad)))
	for i, b := range normal {
		batches = append(batches, b)
		if i%every == every-1 && len(bad) > 0 {
			batches, bad = append(batches, bad[0]), bad[1:]
		}
	}
	batches = append(batches, bad...)
	pool, err := sandbox.New(ctx, sandbox.Config{Workers: *servers * *workers, Limits: sandbox.Limits{Wall: *timeout}})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "bench serve: %d batches in-process (%d workers)\n", len(batches), pool.Workers())
	local := runBatches(ctx, pool, batches, *clients, nil)
	pool.Close()
	type remotePass struct {
		pathStats
		Killed     string `json:"killed_server,omitempty"`
		Mismatches int    `json:"verdict_mismatches"`
		Left       int    `json:"left_running"`    // the servers' sandbox workers still running afterwards
		Checked    int    `json:"workers_checked"` // how many of those were tracked
	}
	// One pass on fresh server processes; with fault, one of them is
	// killed (SIGKILL) when half the batches are done.
	pass := func(fault bool) (remotePass, error) {
		var rp remotePass
		var procs []*serverProc
		stop := func() {
			for _, p := range procs {
				p.cmd.Process.Signal(syscall.SIGTERM)
				p.cmd.Wait()
			}
			procs = nil
		}
		defer stop()
		var urls []string
		var workerPIDs []int // the servers' sandbox workers: none may outlive the run
		for i := 0; i < *servers; i++ {
			p, err := startServer(ctx, *binary, *workers, *timeout)
			if err != nil {
				return rp, err
			}
			procs = append(procs, p)
			urls = append(urls, p.url)
			workerPIDs = append(workerPIDs, zygotePIDs(p.cmd.Process.Pid)...)
		}
		remote, err := sandbox.NewRemote(strings.Join(urls, ","), "")
		if err != nil {
			return rp, err
		}
		var killOne func()
		if fault {
			killOne = func() {
				rp.Killed = procs[0].url
				procs[0].cmd.Process.Kill()
			}
		}
		fmt.Fprintf(e.stderr, "bench serve: the same batches on %d scrl serve processes × %d workers%s\n", *servers, *workers,
			map[bool]string{true: ", one killed halfway", false: ""}[fault])
		rp.pathStats = runBatches(ctx, remote, batches, *clients, killOne)
		stop()
		time.Sleep(200 * time.Millisecond)
		rp.Left, rp.Checked = alive(workerPIDs), len(workerPIDs)
		for i := range batches {
			a, b := local.results[i], rp.results[i]
			if !reflect.DeepEqual(a.Verdicts, b.Verdicts) || a.Passed != b.Passed {
				rp.Mismatches++
				fmt.Fprintf(e.stderr, "bench serve: %s: in-process %v, remote %v\n", batches[i].name, a.Verdicts, b.Verdicts)
			}
		}
		return rp, nil
	}
	rem, err := pass(false)
	if err != nil {
		return err
	}
	passes := []remotePass{rem}
	if *kill {
		faulty, err := pass(true)
		if err != nil {
			return err
		}
		passes = append(passes, faulty)
	}
	res := map[string]any{"batches": len(batches), "hostile": *hostile * len(names), "servers": *servers, "workers_per_server": *workers,
		"in_process": local, "remote": rem, "throughput_ratio": rem.TestsPerSec / local.TestsPerSec,
		"p50_ratio": rem.P50MS / local.P50MS, "p99_ratio": rem.P99MS / local.P99MS}
	if *kill {
		res["remote_one_killed"] = passes[1]
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return err
		}
	} else {
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "path\tbatches\ttests\ttests/s\tp50 ms\tp99 ms\terrors\tverdicts ≠ in-process\tworkers left")
		fmt.Fprintf(tw, "in-process\t%d\t%d\t%.0f\t%.1f\t%.1f\t%d\t–\t–\n", local.Batches, local.Tests, local.TestsPerSec, local.P50MS, local.P99MS, local.Errors)
		for i, p := range passes {
			name := fmt.Sprintf("%d servers", *servers)
			if i == 1 {
				name += ", one killed"
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f\t%.1f\t%.1f\t%d\t%d\t%d of %d\n", name, p.Batches, p.Tests, p.TestsPerSec, p.P50MS, p.P99MS, p.Errors, p.Mismatches, p.Left, p.Checked)
		}
		tw.Flush()
		fmt.Fprintf(e.stdout, "remote / in-process (no fault): throughput ×%.2f, p50 ×%.2f, p99 ×%.2f\n",
			res["throughput_ratio"], res["p50_ratio"], res["p99_ratio"])
	}
	for _, st := range append([]pathStats{local}, func() []pathStats {
		var out []pathStats
		for _, p := range passes {
			out = append(out, p.pathStats)
		}
		return out
	}()...) {
		for name, msg := range st.errs {
			fmt.Fprintf(e.stderr, "bench serve: %s: %s\n", name, msg)
		}
	}
	failures := local.Errors
	for _, p := range passes {
		failures += p.Errors + p.Mismatches + p.Left
	}
	if failures > 0 {
		return fmt.Errorf("bench serve: errors, verdicts unlike in-process ones or workers left running (see above)")
	}
	return nil
}

// zygotePIDs lists sandbox worker processes (their run root is scrl-w*),
// all of them (parent < 0) or the children of one process.
func zygotePIDs(parent int) []int {
	var out []int
	ents, _ := os.ReadDir("/proc")
	for _, d := range ents {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + d.Name() + "/cmdline")
		if err != nil || !strings.Contains(string(b), "scrl-w") || !strings.Contains(string(b), "python") {
			continue
		}
		if parent >= 0 {
			st, _ := os.ReadFile("/proc/" + d.Name() + "/status")
			if !strings.Contains(string(st), "\nPPid:\t"+strconv.Itoa(parent)+"\n") {
				continue
			}
		}
		out = append(out, pid)
	}
	return out
}

// zygoteProcs counts every sandbox worker process on the machine.
func zygoteProcs() int { return len(zygotePIDs(-1)) }

// alive counts the processes of pids still running as sandbox workers.
func alive(pids []int) int {
	n := 0
	for _, pid := range pids {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
		if err == nil && strings.Contains(string(b), "scrl-w") {
			n++
		}
	}
	return n
}
