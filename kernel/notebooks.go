package kernel

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"
)

// Notebook is a Jupyter notebook kept as generic JSON, so that whatever it
// holds survives a rewrite.
type Notebook struct {
	Path string
	raw  map[string]any
}

// ReadNotebook reads an nbformat 4 notebook.
func ReadNotebook(path string) (*Notebook, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("notebook: %w", err)
	}
	return ParseNotebook(path, b)
}

// ParseNotebook parses notebook JSON; path names it in errors.
func ParseNotebook(path string, b []byte) (*Notebook, error) {
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("notebook %s: %w", path, err)
	}
	if v, _ := raw["nbformat"].(float64); v != 4 {
		return nil, fmt.Errorf("notebook %s: nbformat %v, want 4", path, raw["nbformat"])
	}
	if _, ok := raw["cells"].([]any); !ok {
		return nil, fmt.Errorf("notebook %s: no cells", path)
	}
	return &Notebook{Path: path, raw: raw}, nil
}

// Cell is one cell's kind, tags and source.
type Cell struct {
	Type   string
	Tags   []string
	Source string
}

// Cells returns the cells in order.
func (nb *Notebook) Cells() []Cell {
	var out []Cell
	for _, c := range nb.cells() {
		cell := Cell{Source: joinSource(c["source"])}
		cell.Type, _ = c["cell_type"].(string)
		if md, ok := c["metadata"].(map[string]any); ok {
			if tags, ok := md["tags"].([]any); ok {
				for _, t := range tags {
					if s, ok := t.(string); ok {
						cell.Tags = append(cell.Tags, s)
					}
				}
			}
		}
		out = append(out, cell)
	}
	return out
}

func (nb *Notebook) cells() []map[string]any {
	list, _ := nb.raw["cells"].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, c := range list {
		if m, ok := c.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// ParametersCell is the index of the first code cell tagged "parameters".
func (nb *Notebook) ParametersCell() (int, bool) {
	for i, c := range nb.Cells() {
		if c.Type != "code" {
			continue
		}
		for _, t := range c.Tags {
			if t == "parameters" {
				return i, true
			}
		}
	}
	return 0, false
}

// SetParams rewrites the parameters cell (see RewriteParams) and records
// the overrides in the notebook metadata under "securecoderl".
func (nb *Notebook) SetParams(params []Param) error {
	if len(params) == 0 {
		return nil
	}
	i, ok := nb.ParametersCell()
	if !ok {
		return fmt.Errorf("no cell is tagged \"parameters\", so %s cannot be set", params[0].Name)
	}
	c := nb.cells()[i]
	src, err := RewriteParams(joinSource(c["source"]), params)
	if err != nil {
		return err
	}
	c["source"] = splitSource(src)
	md := nb.metadata()
	rec := map[string]any{}
	for _, p := range params {
		rec[p.Name] = p.Value
	}
	md["securecoderl"] = map[string]any{"parameters": rec}
	return nil
}

func (nb *Notebook) metadata() map[string]any {
	md, ok := nb.raw["metadata"].(map[string]any)
	if !ok {
		md = map[string]any{}
		nb.raw["metadata"] = md
	}
	return md
}

// SetKernel makes the notebook run on kernelspec name.
func (nb *Notebook) SetKernel(name string) {
	nb.metadata()["kernelspec"] = map[string]any{"name": name, "display_name": DisplayName, "language": "go"}
}

// JSON encodes the notebook (one-space indent, as Jupyter writes it).
func (nb *Notebook) JSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", " ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(nb.raw); err != nil {
		return nil, fmt.Errorf("notebook %s: %w", nb.Path, err)
	}
	return b.Bytes(), nil
}

func joinSource(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case []any:
		var b strings.Builder
		for _, x := range s {
			if t, ok := x.(string); ok {
				b.WriteString(t)
			}
		}
		return b.String()
	}
	return ""
}

// splitSource is nbformat's multi-line string form: lines keeping their "\n".
func splitSource(s string) []any {
	var out []any
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i+1])
		s = s[i+1:]
	}
	return out
}

// CellError is a cell that failed.
type CellError struct {
	Cell int    `json:"cell"` // 1-based position among all the notebook's cells
	Text string `json:"error"`
}

// NotebookError reports the cells of a notebook that failed.
type NotebookError struct {
	Notebook string      `json:"notebook"`
	Errors   []CellError `json:"errors"`
}

func (e *NotebookError) Error() string {
	if len(e.Errors) == 0 {
		return "notebook " + e.Notebook + ": failed"
	}
	first := e.Errors[0]
	msg := fmt.Sprintf("notebook %s: cell %d: %s", e.Notebook, first.Cell, first.Text)
	if n := len(e.Errors) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more failing cell(s))", n)
	}
	return msg
}

// RunOptions configures Run.
type RunOptions struct {
	// Params override the parameters cell; Smoke adds smoke=true.
	Params []Param
	Smoke  bool
	// OutDir receives NAME.ipynb (executed) and NAME.html (default
	// out/notebooks).
	OutDir string
	// Timeout bounds one notebook's execution (default 30m).
	Timeout time.Duration
	// Kernel is the kernelspec to run on (default DefaultName); see
	// EnsureKernel.
	Kernel  string
	Jupyter Jupyter
}

// Result is one executed notebook.
type Result struct {
	Notebook  string      `json:"notebook"`
	Executed  string      `json:"executed"`
	HTML      string      `json:"html"`
	Params    []Param     `json:"params,omitempty"`
	Cells     int         `json:"cells"`
	CodeCells int         `json:"code_cells"`
	Seconds   float64     `json:"seconds"`
	Errors    []CellError `json:"errors,omitempty"`
	// Outputs counts the executed notebook's rich outputs by kind: "png",
	// "svg" (inline <svg> in HTML or image/svg+xml), "table" (HTML with a
	// <table>), "html", "markdown", "stream".
	Outputs map[string]int `json:"outputs"`
}

// DefaultOutDir is where Run writes when RunOptions.OutDir is empty.
const DefaultOutDir = "out/notebooks"

// Run executes a notebook headlessly: parameters rewritten, executed with
// `jupyter nbconvert --to notebook --execute --allow-errors` on the
// kernelspec (in the notebook's directory, as Jupyter would), then exported
// to HTML. Both files are written even when cells fail; failing cells are
// returned in Result.Errors and as a *NotebookError.
func Run(ctx context.Context, path string, opts RunOptions) (Result, error) {
	start := time.Now()
	res, err := run(ctx, path, opts)
	res.Seconds = time.Since(start).Seconds()
	return res, err
}

func run(ctx context.Context, path string, opts RunOptions) (Result, error) {
	res := Result{Notebook: path, Outputs: map[string]int{}}
	nb, err := ReadNotebook(path)
	if err != nil {
		return res, err
	}
	params := opts.Params
	if opts.Smoke {
		params = append(params, Param{Name: "smoke", Value: "true"})
	}
	if err := nb.SetParams(params); err != nil {
		return res, fmt.Errorf("notebook %s: %w", path, err)
	}
	res.Params = params
	kernel := opts.Kernel
	if kernel == "" {
		kernel = DefaultName
	}
	nb.SetKernel(kernel)
	input, err := nb.JSON()
	if err != nil {
		return res, err
	}
	outDir := opts.OutDir
	if outDir == "" {
		outDir = DefaultOutDir
	}
	if outDir, err = filepath.Abs(outDir); err != nil {
		return res, fmt.Errorf("notebook %s: %w", path, err)
	}
	absIn, err := filepath.Abs(path)
	if err != nil {
		return res, fmt.Errorf("notebook %s: %w", path, err)
	}
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	res.Executed = filepath.Join(outDir, base+".ipynb")
	res.HTML = filepath.Join(outDir, base+".html")
	if res.Executed == absIn {
		return res, fmt.Errorf("notebook %s: --out %s would overwrite the notebook itself", path, outDir)
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return res, fmt.Errorf("notebook %s: %w", path, err)
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Minute
	}
	runCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// Execute from stdin with the notebook's directory as working
	// directory: the kernel starts there, and the source is never touched.
	cmd, err := opts.Jupyter.Command(runCtx, "nbconvert", "--to", "notebook", "--execute", "--allow-errors", "--stdin",
		"--output-dir", outDir, "--output", base,
		"--ExecutePreprocessor.kernel_name="+kernel,
		fmt.Sprintf("--ExecutePreprocessor.timeout=%d", int(timeout.Seconds())+1),
		"--ExecutePreprocessor.startup_timeout=120")
	if err != nil {
		return res, fmt.Errorf("notebook %s: %w", path, err)
	}
	cmd.Dir = filepath.Dir(absIn)
	cmd.Stdin = bytes.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	interruptible(cmd)
	os.Remove(res.Executed)
	if err := cmd.Run(); err != nil {
		if runCtx.Err() != nil && ctx.Err() == nil {
			return res, fmt.Errorf("notebook %s: timed out after %s", path, timeout)
		}
		if ctx.Err() != nil {
			return res, fmt.Errorf("notebook %s: %w", path, ctx.Err())
		}
		return res, fmt.Errorf("notebook %s: nbconvert --execute: %w: %s", path, err, nbconvertReason(stderr.String()))
	}
	executed, err := ReadNotebook(res.Executed)
	if err != nil {
		return res, fmt.Errorf("notebook %s: executed copy: %w", path, err)
	}
	res.Errors, res.Outputs = Inspect(executed)
	for _, c := range executed.Cells() {
		res.Cells++
		if c.Type == "code" {
			res.CodeCells++
		}
	}
	hcmd, err := opts.Jupyter.Command(ctx, "nbconvert", "--to", "html", "--output-dir", outDir, "--output", base, res.Executed)
	if err != nil {
		return res, fmt.Errorf("notebook %s: %w", path, err)
	}
	stderr.Reset()
	hcmd.Stderr = &stderr
	interruptible(hcmd)
	if err := hcmd.Run(); err != nil {
		return res, fmt.Errorf("notebook %s: nbconvert --to html: %w: %s", path, err, nbconvertReason(stderr.String()))
	}
	if len(res.Errors) > 0 {
		return res, &NotebookError{Notebook: filepath.Base(path), Errors: res.Errors}
	}
	return res, nil
}

// interruptible makes a cancelled context interrupt nbconvert (SIGINT, so
// that it shuts its kernel down) before killing it.
func interruptible(cmd *exec.Cmd) {
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGINT) }
	cmd.WaitDelay = 10 * time.Second
}

// nbconvertReason is the informative tail of nbconvert's stderr.
func nbconvertReason(stderr string) string {
	var keep []string
	for _, l := range strings.Split(stripANSI(stderr), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "[NbConvertApp]") || klogRE.MatchString(l) {
			continue
		}
		keep = append(keep, l)
	}
	if len(keep) > 3 {
		keep = keep[len(keep)-3:]
	}
	if len(keep) == 0 {
		return "no error output"
	}
	return strings.Join(keep, "; ")
}

var (
	ansiRE = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)
	// klogRE matches GoNB's log lines ("I1125 03:54:44.951433 7095 file.go:187] ...").
	klogRE = regexp.MustCompile(`^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ \S+:\d+\]`)
	// cellLineRE matches GoNB's cell references: "Cell[2]: Line 3" in
	// compile errors, "[[ Cell [2] Line 3 ]]" in stack traces.
	cellLineRE = regexp.MustCompile(`Cell ?\[(\d+)\]:? Line (\d+)`)
	exitRE     = regexp.MustCompile(`^exit status \d+$`)
	mainGoRE   = regexp.MustCompile(`(?m)^\./main\.go:\d+:\d+: `)
)

func stripANSI(s string) string { return ansiRE.ReplaceAllString(s, "") }

// Inspect returns an executed notebook's failing cells (those with an error
// output) with a one-line reason each, and counts its outputs by kind.
func Inspect(nb *Notebook) ([]CellError, map[string]int) {
	var errs []CellError
	counts := map[string]int{}
	for i, c := range nb.cells() {
		outs, _ := c["outputs"].([]any)
		// The whole cell's stderr: the kernel's streams and its error
		// output may arrive in any order.
		var stderr strings.Builder
		for _, o := range outs {
			if out, _ := o.(map[string]any); out["output_type"] == "stream" && out["name"] == "stderr" {
				stderr.WriteString(joinSource(out["text"]))
			}
		}
		for _, o := range outs {
			out, _ := o.(map[string]any)
			switch out["output_type"] {
			case "stream":
				counts["stream"]++
			case "display_data", "execute_result", "update_display_data":
				data, _ := out["data"].(map[string]any)
				for mime, v := range data {
					switch mime {
					case "image/png":
						counts["png"]++
					case "image/svg+xml":
						counts["svg"]++
					case "text/markdown":
						counts["markdown"]++
					case "text/html":
						h := joinSource(v)
						switch {
						case strings.Contains(h, "<svg"):
							counts["svg"]++
						case strings.Contains(h, "<table"):
							counts["table"]++
						default:
							counts["html"]++
						}
					}
				}
			case "error":
				errs = append(errs, CellError{Cell: i + 1, Text: errorText(out, stderr.String())})
			}
		}
	}
	return errs, counts
}

// errorText condenses a GoNB error output to one line: compile errors as
// "line L: message", failed runs as their panic or last stderr lines.
func errorText(out map[string]any, stderr string) string {
	ename, _ := out["ename"].(string)
	evalue, _ := out["evalue"].(string)
	var tb []string
	if list, ok := out["traceback"].([]any); ok {
		for _, x := range list {
			if s, ok := x.(string); ok {
				tb = append(tb, stripANSI(s))
			}
		}
	}
	evalue = strings.TrimSpace(stripANSI(evalue))
	var parts []string
	if exitRE.MatchString(evalue) {
		// The program ran and failed: the reason is on its stderr.
		lines := nonEmptyLines(stripANSI(stderr))
		where := ""
		if m := cellLineRE.FindStringSubmatch(stderr); m != nil {
			where = " (line " + m[2] + ")"
		}
		for _, l := range lines {
			if strings.HasPrefix(l, "panic: ") || strings.HasPrefix(l, "fatal error: ") {
				parts = append(parts, l+where)
				break
			}
		}
		if len(parts) == 0 {
			var tail []string
			for _, l := range lines {
				if !exitRE.MatchString(l) {
					tail = append(tail, l)
				}
			}
			if len(tail) > 3 {
				tail = tail[len(tail)-3:]
			}
			parts = append(parts, tail...)
		}
		parts = append(parts, evalue)
		return clip(strings.Join(parts, "; "), 400)
	}
	// Compile (or goimports) errors: traceback entries "Cell[N]: Line L\n
	// <context>\n\n<message>".
	for _, e := range tb {
		m := cellLineRE.FindStringSubmatch(e)
		if m == nil {
			continue
		}
		lines := nonEmptyLines(e)
		parts = append(parts, "line "+m[2]+": "+lines[len(lines)-1])
	}
	if len(parts) == 0 {
		msg := mainGoRE.ReplaceAllString(evalue, "")
		var lines []string
		for _, l := range nonEmptyLines(msg) {
			if !strings.HasPrefix(l, "# gonb_") {
				lines = append(lines, l)
			}
		}
		if len(lines) == 0 && len(tb) > 0 {
			lines = nonEmptyLines(strings.Join(tb, "\n"))
		}
		if ename != "" && ename != "ERROR" {
			parts = append(parts, ename+":")
		}
		parts = append(parts, lines...)
	}
	return clip(strings.Join(parts, "; "), 400)
}

func nonEmptyLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// EnsureKernel makes sure Jupyter, as j runs it, has kernelspec name
// starting GoNB on repo. A missing kernelspec is installed in the user's
// Jupyter directory; one that points at another checkout is left alone and
// a private copy is installed under privateDir instead (put first on
// $JUPYTER_PATH of the returned Jupyter). Notes go to log.
func EnsureKernel(ctx context.Context, j Jupyter, name, repo, privateDir string, log io.Writer) (Jupyter, error) {
	if log == nil {
		log = io.Discard
	}
	if name == "" {
		name = DefaultName
	}
	specs, err := j.KernelSpecs(ctx)
	if err != nil {
		return j, err
	}
	f, ok := specs[name]
	if ok && f.Spec.Repo() == repo && executable(f.Spec.GoNB()) {
		return j, nil
	}
	if !ok {
		fmt.Fprintf(log, "kernel: no kernelspec %q yet: installing it\n", name)
		if _, err := Install(ctx, InstallOptions{Name: name, Repo: repo, Log: log}); err != nil {
			return j, err
		}
		return j, nil
	}
	why := fmt.Sprintf("is for %s", f.Spec.Repo())
	if f.Spec.Repo() == repo {
		why = fmt.Sprintf("starts %s, which is missing", f.Spec.GoNB())
	}
	fmt.Fprintf(log, "kernel: kernelspec %q in %s %s; using a private copy for %s under %s (scrl kernel install fixes it)\n", name, f.Dir, why, repo, privateDir)
	inst, err := Install(ctx, InstallOptions{Name: name, Repo: repo, Prefix: privateDir, Log: log})
	if err != nil {
		return j, err
	}
	return j.WithJupyterPath(inst.JupyterPath), nil
}

// WithJupyterPath returns a copy of j with dir first on $JUPYTER_PATH.
func (j Jupyter) WithJupyterPath(dir string) Jupyter {
	cur := os.Getenv("JUPYTER_PATH")
	env := make([]string, 0, len(j.Env)+1)
	for _, kv := range j.Env {
		if v, ok := strings.CutPrefix(kv, "JUPYTER_PATH="); ok {
			cur = v
			continue
		}
		env = append(env, kv)
	}
	v := dir
	if cur != "" {
		v += string(os.PathListSeparator) + cur
	}
	j.Env = append(env, "JUPYTER_PATH="+v)
	return j
}
