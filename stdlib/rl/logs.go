package rl

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Log file names in a run directory.
const (
	MetricsJSONL = "metrics.jsonl"
	MetricsCSV   = "metrics.csv"
	RolloutsLog  = "rollouts.jsonl"
)

// JSONLWriter appends JSON lines to a file, flushing and syncing after each
// batch, so everything written before a crash (even kill -9) is on disk as
// whole lines.
type JSONLWriter struct {
	f *os.File
}

// OpenJSONL opens path for appending (creating it).
func OpenJSONL(path string) (*JSONLWriter, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	return &JSONLWriter{f: f}, nil
}

// Append writes rows as one write (each row one line) and syncs.
func (w *JSONLWriter) Append(rows ...any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, r := range rows {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	if _, err := w.f.Write(buf.Bytes()); err != nil {
		return err
	}
	return w.f.Sync()
}

// Close closes the file.
func (w *JSONLWriter) Close() error { return w.f.Close() }

// ReadJSONL returns the complete lines of a JSONL file (a torn last line,
// as a crash may leave, is ignored). A missing file has no lines.
func ReadJSONL(path string) ([][]byte, error) {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var lines [][]byte
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			break // torn
		}
		line := data[:i]
		data = data[i+1:]
		if len(bytes.TrimSpace(line)) == 0 || !json.Valid(line) {
			continue
		}
		lines = append(lines, line)
	}
	return lines, nil
}

// FilterJSONL rewrites path (atomically) keeping the complete lines keep
// accepts; it returns the kept lines.
func FilterJSONL(path string, keep func(line []byte) bool) ([][]byte, error) {
	lines, err := ReadJSONL(path)
	if err != nil {
		return nil, err
	}
	var out [][]byte
	var buf bytes.Buffer
	for _, l := range lines {
		if keep(l) {
			out = append(out, l)
			buf.Write(l)
			buf.WriteByte('\n')
		}
	}
	if _, err := os.Stat(path); os.IsNotExist(err) && len(out) == 0 {
		return nil, nil
	}
	tmp := path + ".tmp"
	if err := writeFileSync(tmp, buf.Bytes()); err != nil {
		return nil, err
	}
	return out, os.Rename(tmp, path)
}

// stepOf reads the "step" field of a JSON line (-1 when absent).
func stepOf(line []byte) int {
	var s struct {
		Step *int `json:"step"`
	}
	if json.Unmarshal(line, &s) != nil || s.Step == nil {
		return -1
	}
	return *s.Step
}

// MetricsLog writes one row per step to metrics.jsonl and metrics.csv.
// Rows are flat maps (nested maps are flattened with dotted keys); the CSV's
// columns are every key any row has (a row that brings a new key, such as
// the first held-out loss, rewrites the CSV from the JSONL); NaN and ±Inf
// are written as null (an empty CSV cell).
type MetricsLog struct {
	dir   string
	jsonl *JSONLWriter
	cols  []string
}

// OpenMetrics opens dir's metrics logs. With resumeStep >= 0 it first drops
// the rows of steps after resumeStep (written after the checkpoint a
// resumed run restarts from) and rewrites the CSV from the JSONL.
func OpenMetrics(dir string, resumeStep int) (*MetricsLog, error) {
	jp := filepath.Join(dir, MetricsJSONL)
	ml := &MetricsLog{dir: dir}
	if resumeStep >= 0 {
		lines, err := FilterJSONL(jp, func(l []byte) bool { return stepOf(l) <= resumeStep })
		if err != nil {
			return nil, err
		}
		if err := ml.rewriteCSV(lines); err != nil {
			return nil, err
		}
	} else {
		os.Remove(jp)
		os.Remove(filepath.Join(dir, MetricsCSV))
	}
	w, err := OpenJSONL(jp)
	if err != nil {
		return nil, err
	}
	ml.jsonl = w
	return ml, nil
}

func (ml *MetricsLog) rewriteCSV(lines [][]byte) error {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	var flats []map[string]any
	union := map[string]any{}
	for _, l := range lines {
		var row map[string]any
		if json.Unmarshal(l, &row) != nil {
			continue
		}
		flat := Flatten(row)
		flats = append(flats, flat)
		for k := range flat {
			union[k] = nil
		}
	}
	ml.cols = nil
	if len(flats) > 0 {
		ml.cols = columns(union)
		cw.Write(ml.cols)
	}
	for _, flat := range flats {
		cw.Write(ml.record(flat))
	}
	cw.Flush()
	return writeFileSync(filepath.Join(ml.dir, MetricsCSV), buf.Bytes())
}

func columns(flat map[string]any) []string {
	cols := make([]string, 0, len(flat))
	for k := range flat {
		if k != "step" {
			cols = append(cols, k)
		}
	}
	slices.Sort(cols)
	return append([]string{"step"}, cols...)
}

func (ml *MetricsLog) record(flat map[string]any) []string {
	rec := make([]string, len(ml.cols))
	for i, c := range ml.cols {
		rec[i] = formatCell(flat[c])
	}
	return rec
}

func formatCell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return ""
		}
		return strconv.FormatFloat(x, 'g', 8, 64)
	case int:
		return strconv.Itoa(x)
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

// Flatten turns nested maps into dotted keys; numbers become float64.
func Flatten(row map[string]any) map[string]any {
	out := map[string]any{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, vv := range x {
				walk(prefix+k+".", vv)
			}
		case map[string]float64:
			for k, vv := range x {
				out[prefix+k] = vv
			}
		case int:
			out[strings.TrimSuffix(prefix, ".")] = float64(x)
		default:
			out[strings.TrimSuffix(prefix, ".")] = x
		}
	}
	for k, v := range row {
		walk(k+".", v)
	}
	return out
}

// Append writes one row (it must have a "step").
func (ml *MetricsLog) Append(row map[string]any) error {
	// Round-trip through JSON so the CSV sees exactly what the JSONL holds.
	data, err := json.Marshal(finite(row))
	if err != nil {
		return fmt.Errorf("metrics: step %v: %w", row["step"], err)
	}
	var norm map[string]any
	if err := json.Unmarshal(data, &norm); err != nil {
		return err
	}
	if err := ml.jsonl.Append(json.RawMessage(data)); err != nil {
		return err
	}
	flat := Flatten(norm)
	for k := range flat {
		if !slices.Contains(ml.cols, k) {
			// A new column: rewrite the CSV with it from the JSONL.
			lines, err := ReadJSONL(filepath.Join(ml.dir, MetricsJSONL))
			if err != nil {
				return err
			}
			return ml.rewriteCSV(lines)
		}
	}
	f, err := os.OpenFile(filepath.Join(ml.dir, MetricsCSV), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	cw := csv.NewWriter(w)
	cw.Write(ml.record(flat))
	cw.Flush()
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// finite returns row with NaN and ±Inf numbers replaced by nil (JSON null),
// which encoding/json cannot write, in nested maps too.
func finite(row map[string]any) map[string]any {
	out := make(map[string]any, len(row))
	for k, v := range row {
		switch x := v.(type) {
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				out[k] = nil
				continue
			}
		case float32:
			if f := float64(x); math.IsNaN(f) || math.IsInf(f, 0) {
				out[k] = nil
				continue
			}
		case map[string]any:
			out[k] = finite(x)
			continue
		case map[string]float64:
			m := make(map[string]any, len(x))
			for kk, vv := range x {
				m[kk] = vv
			}
			out[k] = finite(m)
			continue
		}
		out[k] = v
	}
	return out
}

// Close closes the logs.
func (ml *MetricsLog) Close() error { return ml.jsonl.Close() }

// ReadMetrics reads a run's metrics.jsonl rows (for plots).
func ReadMetrics(runDir string) ([]map[string]any, error) {
	lines, err := ReadJSONL(filepath.Join(runDir, MetricsJSONL))
	if err != nil {
		return nil, err
	}
	rows := make([]map[string]any, 0, len(lines))
	for _, l := range lines {
		var r map[string]any
		if err := json.Unmarshal(l, &r); err != nil {
			return nil, err
		}
		rows = append(rows, Flatten(r))
	}
	return rows, nil
}

// Series extracts one column of metrics rows (ReadMetrics) as float64s:
// NaN where a row lacks it (e.g. the held-out loss between evaluations).
func Series(rows []map[string]any, key string) []float64 {
	out := make([]float64, len(rows))
	for i, r := range rows {
		switch v := r[key].(type) {
		case float64:
			out[i] = v
		case bool:
			if v {
				out[i] = 1
			}
		default:
			out[i] = math.NaN()
		}
	}
	return out
}

// Dropna returns the (x, y) pairs whose y is not NaN.
func Dropna(x, y []float64) ([]float64, []float64) {
	var xo, yo []float64
	for i := range y {
		if !math.IsNaN(y[i]) {
			xo, yo = append(xo, x[i]), append(yo, y[i])
		}
	}
	return xo, yo
}

// Smooth is a trailing moving average over window points (NaNs skipped).
func Smooth(xs []float64, window int) []float64 {
	out := make([]float64, len(xs))
	for i := range xs {
		s, n := 0.0, 0
		for j := max(0, i-window+1); j <= i; j++ {
			if !math.IsNaN(xs[j]) {
				s += xs[j]
				n++
			}
		}
		out[i] = math.NaN()
		if n > 0 {
			out[i] = s / float64(n)
		}
	}
	return out
}

// StageNames are the reward ladder's stages in order, as the metrics rows
// name them ("stage.<name>": the share of the step's rollouts).
var StageNames = []string{"syntax_error", "parses", "executes", "prints", "passes_some", "passes_all"}

// SummariseStepTimings summarises the timings of PPO metrics rows
// (ReadMetrics): the first step (graph compilation included) apart, the
// mean of the others as step_seconds and its parts (generate, score wait,
// forward, optimise, other), scoring busy time, completion tokens per
// rollout and generation tokens/s.
func SummariseStepTimings(rows []map[string]any) map[string]any {
	res := map[string]any{"steps": len(rows)}
	if len(rows) == 0 {
		return res
	}
	f := func(r map[string]any, k string) float64 { v, _ := r[k].(float64); return v }
	res["first_step_seconds"] = f(rows[0], "timing.step_s")
	steady := rows
	if len(rows) > 1 {
		steady = rows[1:]
	}
	mean := func(k string) float64 {
		t := 0.0
		for _, r := range steady {
			t += f(r, k)
		}
		return t / float64(len(steady))
	}
	step, gen, wait, fwd, opt := mean("timing.step_s"), mean("timing.generate_s"), mean("timing.score_wait_s"), mean("timing.forward_s"), mean("timing.optimise_s")
	res["step_seconds"], res["generate_seconds"], res["score_wait_seconds"], res["forward_seconds"], res["optimise_seconds"] = step, gen, wait, fwd, opt
	res["other_seconds"] = step - gen - wait - fwd - opt
	res["score_seconds"] = mean("timing.score_s")
	toks := mean("completion_tokens") * mean("rollouts")
	res["completion_tokens"] = mean("completion_tokens")
	if gen > 0 {
		res["gen_tokens_per_second"] = toks / gen
	}
	nat, _ := rows[len(rows)-1]["timing.native_train"].(bool)
	res["native_train"] = nat
	return res
}
