package sandbox

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/securecoderl/securecoderl/sandbox/pyboot"
)

// rawResult is what both execution paths report for one run.
type rawResult struct {
	ExitCode        int     `json:"exit_code"`
	Signal          int     `json:"signal"`
	TimedOut        bool    `json:"timed_out"`
	WallMS          float64 `json:"wall_ms"`
	CPUMS           float64 `json:"cpu_ms"`
	MaxRSSKB        int64   `json:"max_rss_kb"`
	StdoutTruncated bool    `json:"stdout_truncated"`
	StderrTruncated bool    `json:"stderr_truncated"`
	Status          struct {
		Exc        string      `json:"exc"`
		Errno      int         `json:"errno"`
		Ret        *string     `json:"ret"`
		SetupError string      `json:"setup_error"`
		Syntax     *SyntaxInfo `json:"syntax"`
		Garbled    bool        `json:"garbled"`
	} `json:"status"`
	Error string `json:"error"`
}

// request is the header both paths send to the Python side.
type request struct {
	Op        string         `json:"op"`
	UID       *int           `json:"uid,omitempty"`
	GID       *int           `json:"gid,omitempty"`
	FnName    string         `json:"fn_name,omitempty"`
	Prelude   string         `json:"prelude,omitempty"`
	Dir       string         `json:"dir,omitempty"`
	Limits    map[string]any `json:"limits"`
	WallS     float64        `json:"wall_s"`
	StdoutCap int            `json:"stdout_cap"`
	StderrCap int            `json:"stderr_cap"`
}

// compact encodes a request for the fresh path ("k=v;..."), which then
// needs no json import per run.
func (r request) compact() string {
	var b strings.Builder
	if r.UID != nil {
		fmt.Fprintf(&b, "uid=%d;gid=%d;", *r.UID, *r.GID)
	}
	if r.FnName != "" {
		fmt.Fprintf(&b, "fn=%s;", r.FnName)
	}
	if r.Prelude != "" {
		b.WriteString("prelude=env;") // the text travels in SCRL_PRELUDE
	}
	keys := make([]string, 0, len(r.Limits))
	for k := range r.Limits {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%v;", k, r.Limits[k])
	}
	return b.String()
}

func (p *Pool) request(op string, uid int, fn string, l Limits) request {
	r := request{
		Op:     op,
		FnName: fn,
		Limits: map[string]any{
			"cpu_s":       int((l.CPU + 999_999_999) / 1_000_000_000),
			"as_bytes":    int64(l.MemoryMB) << 20,
			"fsize_bytes": int64(l.OutputMB) << 20,
			"nofile":      l.OpenFiles,
			"nproc":       l.Procs,
		},
		WallS:     l.Wall.Seconds(),
		StdoutCap: l.OutputMB << 20,
		StderrCap: l.StderrKB << 10,
	}
	if uid >= 0 && p.iso.DropUID {
		r.UID, r.GID = &uid, &uid
	} else {
		// Without a uid of its own a run may not fork much: the process limit
		// would count every process of the current user.
		delete(r.Limits, "nproc")
	}
	return r
}

// zygote is one fork-server worker.
type zygote struct {
	p      *Pool
	uid    int
	root   string
	mu     sync.Mutex
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	info   map[string]any
	starts int
}

func startZygote(ctx context.Context, p *Pool, uid int) (*zygote, error) {
	root, err := os.MkdirTemp(p.iso.WorkDir, "scrl-w*")
	if err != nil {
		return nil, fmt.Errorf("run directory: %w", err)
	}
	if err := os.Chmod(root, 0o711); err != nil {
		return nil, err
	}
	// The owner's pid lets a later pool remove this directory if the
	// process is killed before it can (sweepStale).
	if err := os.WriteFile(filepath.Join(root, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		os.RemoveAll(root)
		return nil, err
	}
	z := &zygote{p: p, uid: uid, root: root}
	if err := z.start(ctx); err != nil {
		os.RemoveAll(root)
		return nil, err
	}
	return z, nil
}

// ownerFile, in a worker's run root, holds the pid of the process that
// made it.
const ownerFile = "owner.pid"

// sweepStale removes the run roots (scrl-w*) under dir whose owner process
// is gone: a pool killed with SIGKILL cannot remove its own. Roots without
// an owner file, or whose owner lives, are left alone.
func sweepStale(dir string) int {
	roots, _ := filepath.Glob(filepath.Join(dir, "scrl-w*"))
	n := 0
	for _, root := range roots {
		b, err := os.ReadFile(filepath.Join(root, ownerFile))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 0 {
			continue
		}
		if err := syscall.Kill(pid, 0); err == nil || errors.Is(err, syscall.EPERM) {
			continue // alive
		}
		if os.RemoveAll(root) == nil {
			n++
		}
	}
	return n
}

func pythonArgs(cfg Config) []string {
	args := []string{"-s", "-P"}
	if !cfg.Site {
		args = append(args, "-S")
	}
	return args
}

func (z *zygote) start(ctx context.Context) error {
	args := append(pythonArgs(z.p.cfg), "-c", pyboot.Source, z.root)
	cmd := exec.Command(z.p.cfg.Python, args...)
	cmd.Env = []string{
		"PATH=/usr/bin:/bin", "LANG=C.UTF-8", "PYTHONHASHSEED=0",
		"SCRL_MODE=zygote", "SCRL_TMPFS_MB=" + strconv.Itoa(z.p.cfg.TmpfsMB),
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Pdeathsig: syscall.SIGKILL}
	if z.p.iso.Namespaces {
		cmd.SysProcAttr.Cloneflags = syscall.CLONE_NEWPID | syscall.CLONE_NEWNET | syscall.CLONE_NEWNS
		cmd.Env = append(cmd.Env, "SCRL_PRIVATE_MOUNTS=1")
	}
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", z.p.cfg.Python, err)
	}
	z.cmd, z.in, z.out = cmd, in, bufio.NewReaderSize(out, 1<<16)
	z.starts++
	if z.starts > 1 {
		z.p.restarts.Add(1)
	}
	type ready struct {
		info map[string]any
		err  error
	}
	ch := make(chan ready, 1)
	go func() {
		var info map[string]any
		_, err := readFrame(z.out, &info)
		ch <- ready{info, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			z.kill()
			return fmt.Errorf("zygote did not start: %w", r.err)
		}
		z.info = r.info
		return nil
	case <-ctx.Done():
		z.kill()
		return ctx.Err()
	}
}

func (z *zygote) kill() {
	if z.cmd != nil && z.cmd.Process != nil {
		z.cmd.Process.Kill()
		z.cmd.Wait()
	}
	z.cmd = nil
}

func (z *zygote) close() error {
	z.mu.Lock()
	defer z.mu.Unlock()
	if z.in != nil {
		z.in.Close()
	}
	z.kill()
	return os.RemoveAll(z.root)
}

// roundTrip sends one request and reads its answer. A dead or cancelled
// zygote is killed and restarted before the next request.
func (z *zygote) roundTrip(ctx context.Context, req request, blobs [][]byte, resp any) ([][]byte, error) {
	z.mu.Lock()
	defer z.mu.Unlock()
	if z.cmd == nil {
		if err := z.start(ctx); err != nil {
			return nil, err
		}
	}
	type answer struct {
		blobs [][]byte
		err   error
	}
	ch := make(chan answer, 1)
	go func() {
		if err := writeFrame(z.in, req, blobs); err != nil {
			ch <- answer{nil, err}
			return
		}
		b, err := readFrame(z.out, resp)
		ch <- answer{b, err}
	}()
	select {
	case a := <-ch:
		if a.err != nil {
			z.kill()
			return nil, fmt.Errorf("zygote: %w", a.err)
		}
		return a.blobs, nil
	case <-ctx.Done():
		// The zygote is mid-run: kill it (its namespace takes the run with
		// it) and start afresh on the next request.
		z.kill()
		<-ch
		return nil, ctx.Err()
	}
}

func (z *zygote) compile(ctx context.Context, src string) (*SyntaxInfo, []byte, error) {
	var resp struct {
		OK     bool        `json:"ok"`
		Syntax *SyntaxInfo `json:"syntax"`
		Error  string      `json:"error"`
	}
	req := z.p.request("compile", z.uid, "", z.p.limits)
	req.WallS = 10
	blobs, err := z.roundTrip(ctx, req, [][]byte{[]byte(src)}, &resp)
	if err != nil {
		return nil, nil, err
	}
	if resp.Syntax != nil {
		return resp.Syntax, nil, nil
	}
	if !resp.OK || len(blobs) != 1 {
		if resp.Error == "" {
			resp.Error = "no code returned"
		}
		return nil, nil, errors.New(resp.Error)
	}
	return nil, blobs[0], nil
}

// runDir is the run directory as the zygote sees it and as we reach it: a
// zygote with its own mount namespace (and private tmpfs) is reached
// through /proc/PID/root.
func (z *zygote) runDir() (inside, host string) {
	inside = filepath.Join(z.root, "run")
	host = inside
	if z.p.iso.Namespaces && z.cmd != nil && z.cmd.Process != nil {
		host = filepath.Join("/proc", strconv.Itoa(z.cmd.Process.Pid), "root", inside)
	}
	return inside, host
}

func (z *zygote) run(ctx context.Context, c *Compiled, stdin []byte, lim Limits) (Result, error) {
	z.mu.Lock()
	if z.cmd == nil {
		if err := z.start(ctx); err != nil {
			z.mu.Unlock()
			return Result{}, err
		}
	}
	inside, host := z.runDir()
	z.mu.Unlock()
	// A fresh, empty directory for every run, prepared and collected here
	// so that the zygote only forks and waits.
	os.RemoveAll(host)
	if err := os.Mkdir(host, 0o700); err != nil {
		return Result{}, fmt.Errorf("run directory: %w", err)
	}
	defer os.RemoveAll(host)
	if err := os.WriteFile(filepath.Join(host, "stdin"), stdin, 0o644); err != nil {
		return Result{}, fmt.Errorf("run directory: %w", err)
	}
	if z.p.iso.DropUID {
		if err := os.Chown(host, z.uid, z.uid); err != nil {
			return Result{}, fmt.Errorf("run directory: %w", err)
		}
	}
	defer z.clearPrivateTmp()
	var raw rawResult
	req := z.p.request("run", z.uid, c.FnName, lim)
	req.Prelude = c.Prelude
	req.Dir = inside
	if _, err := z.roundTrip(ctx, req, [][]byte{c.code}, &raw); err != nil {
		return Result{}, err
	}
	if raw.Error != "" {
		return Result{}, errors.New(raw.Error)
	}
	out, outTr := readCapped(filepath.Join(host, "stdout"), req.StdoutCap)
	errb, errTr := readCapped(filepath.Join(host, "stderr"), req.StderrCap)
	raw.StdoutTruncated, raw.StderrTruncated = outTr, errTr
	return classify(raw, out, errb, c.FnName != "", lim), nil
}

// clearPrivateTmp empties the zygote's private /tmp and /var/tmp after a
// run (the next program starts with them empty, as it starts in an empty
// directory).
func (z *zygote) clearPrivateTmp() {
	z.mu.Lock()
	dirs, _ := z.info["private_tmp"].([]any)
	pid := 0
	if z.cmd != nil && z.cmd.Process != nil {
		pid = z.cmd.Process.Pid
	}
	z.mu.Unlock()
	if pid == 0 {
		return
	}
	for _, d := range dirs {
		name, _ := d.(string)
		if name == "" {
			continue
		}
		dir := filepath.Join("/proc", strconv.Itoa(pid), "root", name)
		ents, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range ents {
			os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}

// Frames: 4-byte big-endian header length, JSON header with "blobs": [len...],
// then the blobs.
func writeFrame(w io.Writer, header any, blobs [][]byte) error {
	m := map[string]any{}
	b, err := json.Marshal(header)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	lens := make([]int, len(blobs))
	for i, bl := range blobs {
		lens[i] = len(bl)
	}
	m["blobs"] = lens
	h, err := json.Marshal(m)
	if err != nil {
		return err
	}
	buf := make([]byte, 4, 4+len(h))
	binary.BigEndian.PutUint32(buf, uint32(len(h)))
	buf = append(buf, h...)
	for _, bl := range blobs {
		buf = append(buf, bl...)
	}
	_, err = w.Write(buf)
	return err
}

func readFrame(r io.Reader, header any) ([][]byte, error) {
	var n [4]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return nil, err
	}
	h := make([]byte, binary.BigEndian.Uint32(n[:]))
	if _, err := io.ReadFull(r, h); err != nil {
		return nil, err
	}
	var lens struct {
		Blobs []int `json:"blobs"`
	}
	if err := json.Unmarshal(h, &lens); err != nil {
		return nil, fmt.Errorf("bad frame header: %w", err)
	}
	if header != nil {
		if err := json.Unmarshal(h, header); err != nil {
			return nil, fmt.Errorf("bad frame header: %w", err)
		}
	}
	blobs := make([][]byte, len(lens.Blobs))
	for i, l := range lens.Blobs {
		blobs[i] = make([]byte, l)
		if _, err := io.ReadFull(r, blobs[i]); err != nil {
			return nil, err
		}
	}
	return blobs, nil
}

// workRoot picks the parent of run directories.
func workRoot(cfg Config) string {
	if cfg.WorkDir != "" {
		return cfg.WorkDir
	}
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		return "/dev/shm"
	}
	return filepath.Clean(os.TempDir())
}
