package kernel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// Spec is a Jupyter kernelspec (kernel.json).
type Spec struct {
	Argv          []string          `json:"argv"`
	DisplayName   string            `json:"display_name"`
	Language      string            `json:"language"`
	InterruptMode string            `json:"interrupt_mode,omitempty"`
	Env           map[string]string `json:"env,omitempty"`
	Metadata      map[string]any    `json:"metadata,omitempty"`
}

// Repo is the repository the spec's GoNB is started on (its -go_work
// flag), "" when it has none.
func (s Spec) Repo() string {
	for _, a := range s.Argv {
		a = strings.TrimLeft(a, "-")
		if v, ok := strings.CutPrefix(a, "go_work="); ok {
			first, _, _ := strings.Cut(v, ",")
			return first
		}
	}
	return ""
}

// GoNB is the kernel binary the spec starts.
func (s Spec) GoNB() string {
	if len(s.Argv) == 0 {
		return ""
	}
	return s.Argv[0]
}

// NewSpec builds the project's kernelspec: GoNB (at gonb) started with
// -go_work=repo and -raw_error=true (plain-text errors, which nbconvert
// records verbatim), and an environment with the pinned toolchain, the
// simd experiment, GOBIN and the go command's directory on PATH (GoNB runs
// goimports and go), a GOPROXY that serves cached modules first (so
// notebooks work offline once `go mod download` ran), and $SCRL_REPO.
func NewSpec(repo, gonb string, g GoEnv) Spec {
	path := []string{g.GoBin}
	if g.Go != "" {
		path = append(path, filepath.Dir(g.Go))
	}
	path = append(path, "${PATH}") // expanded by jupyter_client from its own environment
	proxy := "https://proxy.golang.org"
	if g.GoModCache != "" {
		proxy = "file://" + filepath.ToSlash(filepath.Join(g.GoModCache, "cache", "download")) + "," + proxy
	}
	return Spec{
		Argv:          []string{gonb, "--kernel", "{connection_file}", "-go_work=" + repo, "-raw_error=true"},
		DisplayName:   DisplayName,
		Language:      "go",
		InterruptMode: "message",
		Env: map[string]string{
			"GOTOOLCHAIN":  Toolchain,
			"GOEXPERIMENT": GoExperiment,
			"GOPROXY":      proxy,
			"PATH":         strings.Join(path, string(os.PathListSeparator)),
			RepoEnv:        repo,
		},
		Metadata: map[string]any{"securecoderl": map[string]any{"repo": repo, "gonb_version": GoNBVersion}},
	}
}

// InstallOptions says where and how to install the kernelspec.
type InstallOptions struct {
	// Name is the kernelspec name (default DefaultName).
	Name string
	// Prefix installs into PREFIX/share/jupyter/kernels/NAME (as
	// `jupyter kernelspec install --prefix`); add PREFIX/share/jupyter to
	// $JUPYTER_PATH for Jupyter to see it. Empty: the user's data
	// directory ($JUPYTER_DATA_DIR, default ~/.local/share/jupyter).
	Prefix string
	// Repo is the checkout notebooks import (default RepoRoot()).
	Repo string
	// SkipTools does not install missing GoNB/goimports.
	SkipTools bool
	// Log receives progress lines (default io.Discard).
	Log io.Writer
}

// Installed describes an installed kernelspec.
type Installed struct {
	Name  string      `json:"name"`
	Dir   string      `json:"dir"`
	Spec  Spec        `json:"spec"`
	Repo  string      `json:"repo"`
	Tools []ToolState `json:"tools"`
	// JupyterPath is the data directory to add to $JUPYTER_PATH for a
	// --prefix install ("" for a user install).
	JupyterPath string `json:"jupyter_path,omitempty"`
}

// UserDataDir is Jupyter's per-user data directory: $JUPYTER_DATA_DIR, else
// ~/.local/share/jupyter (~/Library/Jupyter on macOS).
func UserDataDir() (string, error) {
	if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
		return d, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("jupyter data directory: %w", err)
	}
	if runtime.GOOS == "darwin" {
		return filepath.Join(home, "Library", "Jupyter"), nil
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "jupyter"), nil
	}
	return filepath.Join(home, ".local", "share", "jupyter"), nil
}

// Install installs the pinned GoNB and goimports when missing (unless
// SkipTools) and writes the kernelspec.
func Install(ctx context.Context, opts InstallOptions) (Installed, error) {
	log := opts.Log
	if log == nil {
		log = io.Discard
	}
	name := opts.Name
	if name == "" {
		name = DefaultName
	}
	if err := validName(name); err != nil {
		return Installed{}, err
	}
	repo := opts.Repo
	if repo == "" {
		r, err := RepoRoot()
		if err != nil {
			return Installed{}, err
		}
		repo = r
	}
	repo, err := filepath.Abs(repo)
	if err != nil {
		return Installed{}, fmt.Errorf("repository: %w", err)
	}
	if !isRepo(repo) {
		return Installed{}, fmt.Errorf("repository %s: no go.mod for module %s", repo, ModulePath)
	}
	g, err := LookupGo(ctx)
	if err != nil {
		return Installed{}, err
	}
	inst := Installed{Name: name, Repo: repo}
	if opts.SkipTools {
		for _, t := range Tools() {
			inst.Tools = append(inst.Tools, CheckTool(g.GoBin, t))
		}
	} else if inst.Tools, err = EnsureTools(ctx, g, log); err != nil {
		return inst, err
	}
	var dataDir string
	if opts.Prefix != "" {
		p, err := filepath.Abs(opts.Prefix)
		if err != nil {
			return inst, fmt.Errorf("--prefix: %w", err)
		}
		dataDir = filepath.Join(p, "share", "jupyter")
		inst.JupyterPath = dataDir
	} else if dataDir, err = UserDataDir(); err != nil {
		return inst, err
	}
	inst.Dir = filepath.Join(dataDir, "kernels", name)
	inst.Spec = NewSpec(repo, filepath.Join(g.GoBin, "gonb"), g)
	if err := writeSpec(inst.Dir, inst.Spec); err != nil {
		return inst, err
	}
	fmt.Fprintf(log, "kernel: kernelspec %q (%s) installed in %s for %s\n", name, DisplayName, inst.Dir, repo)
	return inst, nil
}

func validName(name string) error {
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return fmt.Errorf("kernel name %q: use letters, digits, '-', '_' and '.' only", name)
		}
	}
	if name == "" || name == "." || name == ".." {
		return fmt.Errorf("kernel name %q is not valid", name)
	}
	return nil
}

func writeSpec(dir string, s Spec) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("kernelspec: %w", err)
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("kernelspec: %w", err)
	}
	path := filepath.Join(dir, "kernel.json")
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("kernelspec: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("kernelspec: %w", err)
	}
	return nil
}

// ReadSpec reads dir/kernel.json.
func ReadSpec(dir string) (Spec, error) {
	var s Spec
	b, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err != nil {
		return s, fmt.Errorf("kernelspec: %w", err)
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return s, fmt.Errorf("kernelspec %s: %w", filepath.Join(dir, "kernel.json"), err)
	}
	return s, nil
}

// Jupyter runs the jupyter command.
type Jupyter struct {
	// Bin is the jupyter executable (default: $SCRL_JUPYTER, else
	// /usr/bin/jupyter when present, else jupyter on PATH).
	Bin string
	// Env is added to the environment of every jupyter command, e.g.
	// JUPYTER_PATH=DIR for a kernelspec installed with a prefix.
	Env []string
}

// ErrNoJupyter is returned when no jupyter command is found.
var ErrNoJupyter = errors.New("jupyter is not installed (sudo apt-get install -y jupyter-nbconvert jupyter-client jupyter-notebook)")

// Path resolves the jupyter executable.
func (j Jupyter) Path() (string, error) {
	for _, c := range []string{j.Bin, os.Getenv("SCRL_JUPYTER"), "/usr/bin/jupyter"} {
		if c == "" {
			continue
		}
		if st, err := os.Stat(c); err == nil && !st.IsDir() {
			return c, nil
		}
		if c == j.Bin {
			return "", fmt.Errorf("jupyter %s: not found", c)
		}
	}
	p, err := exec.LookPath("jupyter")
	if err != nil {
		return "", ErrNoJupyter
	}
	return p, nil
}

// Command is a jupyter command with the extra environment.
func (j Jupyter) Command(ctx context.Context, args ...string) (*exec.Cmd, error) {
	p, err := j.Path()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, p, args...)
	cmd.Env = append(os.Environ(), j.Env...)
	return cmd, nil
}

// FoundSpec is a kernelspec Jupyter knows about.
type FoundSpec struct {
	Name string `json:"name"`
	Dir  string `json:"resource_dir"`
	Spec Spec   `json:"spec"`
}

// KernelSpecs lists the kernelspecs Jupyter sees (`jupyter kernelspec list
// --json`).
func (j Jupyter) KernelSpecs(ctx context.Context) (map[string]FoundSpec, error) {
	cmd, err := j.Command(ctx, "kernelspec", "list", "--json")
	if err != nil {
		return nil, err
	}
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("jupyter kernelspec list: %w", exitDetail(err))
	}
	var r struct {
		Kernelspecs map[string]struct {
			ResourceDir string `json:"resource_dir"`
			Spec        Spec   `json:"spec"`
		} `json:"kernelspecs"`
	}
	if err := json.Unmarshal(out, &r); err != nil {
		return nil, fmt.Errorf("jupyter kernelspec list: %w", err)
	}
	specs := map[string]FoundSpec{}
	for name, k := range r.Kernelspecs {
		specs[name] = FoundSpec{Name: name, Dir: k.ResourceDir, Spec: k.Spec}
	}
	return specs, nil
}

// Version runs `jupyter SUB --version` (SUB empty: jupyter itself) and
// returns its first line.
func (j Jupyter) Version(ctx context.Context, sub string) (string, error) {
	args := []string{"--version"}
	if sub != "" {
		args = []string{sub, "--version"}
	}
	cmd, err := j.Command(ctx, args...)
	if err != nil {
		return "", err
	}
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("jupyter %s --version: %w", sub, exitDetail(err))
	}
	first, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return strings.TrimSpace(first), nil
}
