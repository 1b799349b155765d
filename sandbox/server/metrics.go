package server

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"sync"
)

// runBuckets are the run-latency histogram's upper bounds (seconds).
var runBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

// metrics are the server's counters, written in Prometheus' text format.
type metrics struct {
	mu       sync.Mutex
	requests map[[2]string]int64 // path, code
	verdicts map[string]int64
	rejected map[string]int64
	buckets  []int64 // cumulative counts per runBuckets, then +Inf
	sum      float64
	count    int64
}

func newMetrics() *metrics {
	return &metrics{requests: map[[2]string]int64{}, verdicts: map[string]int64{}, rejected: map[string]int64{},
		buckets: make([]int64, len(runBuckets)+1)}
}

func (m *metrics) request(path string, code int) {
	m.mu.Lock()
	m.requests[[2]string{path, strconv.Itoa(code)}]++
	m.mu.Unlock()
}

func (m *metrics) verdict(v string) {
	if v == "" {
		return
	}
	m.mu.Lock()
	m.verdicts[v]++
	m.mu.Unlock()
}

func (m *metrics) reject(reason string) {
	m.mu.Lock()
	m.rejected[reason]++
	m.mu.Unlock()
}

func (m *metrics) observe(secs float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, b := range runBuckets {
		if secs <= b {
			m.buckets[i]++
		}
	}
	m.buckets[len(runBuckets)]++
	m.sum += secs
	m.count++
}

type gauges struct {
	queue, running    int64
	workers, capacity int
	restarts          int64
}

func sortedKeys[K comparable](m map[K]int64, less func(a, b K) int) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, less)
	return keys
}

func (m *metrics) write(w io.Writer, g gauges) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Fprintln(w, "# HELP scrl_requests_total HTTP requests by path and status code.")
	fmt.Fprintln(w, "# TYPE scrl_requests_total counter")
	for _, k := range sortedKeys(m.requests, func(a, b [2]string) int {
		if a[0] != b[0] {
			return cmpStr(a[0], b[0])
		}
		return cmpStr(a[1], b[1])
	}) {
		fmt.Fprintf(w, "scrl_requests_total{path=%q,code=%q} %d\n", k[0], k[1], m.requests[k])
	}
	fmt.Fprintln(w, "# HELP scrl_verdicts_total Runs by sandbox verdict.")
	fmt.Fprintln(w, "# TYPE scrl_verdicts_total counter")
	for _, k := range sortedKeys(m.verdicts, cmpStr) {
		fmt.Fprintf(w, "scrl_verdicts_total{verdict=%q} %d\n", k, m.verdicts[k])
	}
	fmt.Fprintln(w, "# HELP scrl_rejected_total Requests refused before running: queue_full (429), too_large (413), unauthorized (401).")
	fmt.Fprintln(w, "# TYPE scrl_rejected_total counter")
	for _, k := range sortedKeys(m.rejected, cmpStr) {
		fmt.Fprintf(w, "scrl_rejected_total{reason=%q} %d\n", k, m.rejected[k])
	}
	one := func(name, typ, help string, v int64) {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n%s %d\n", name, help, name, typ, name, v)
	}
	one("scrl_queue_depth", "gauge", "Admitted requests waiting for a worker.", g.queue)
	one("scrl_running", "gauge", "Runs in progress.", g.running)
	one("scrl_workers", "gauge", "Sandbox workers.", int64(g.workers))
	one("scrl_capacity", "gauge", "Requests admitted at most (workers + max queue); more get 429.", int64(g.capacity))
	one("scrl_worker_restarts_total", "counter", "Fork-server workers started again (killed runs, crashes, cancellations).", g.restarts)
	fmt.Fprintln(w, "# HELP scrl_run_seconds Wall time of runs (compile excluded).")
	fmt.Fprintln(w, "# TYPE scrl_run_seconds histogram")
	for i, b := range runBuckets {
		fmt.Fprintf(w, "scrl_run_seconds_bucket{le=%q} %d\n", strconv.FormatFloat(b, 'g', -1, 64), m.buckets[i])
	}
	fmt.Fprintf(w, "scrl_run_seconds_bucket{le=\"+Inf\"} %d\n", m.buckets[len(runBuckets)])
	fmt.Fprintf(w, "scrl_run_seconds_sum %g\n", m.sum)
	fmt.Fprintf(w, "scrl_run_seconds_count %d\n", m.count)
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
