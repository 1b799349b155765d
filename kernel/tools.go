package kernel

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Tool is a pinned Go program the kernel needs.
type Tool struct {
	Name    string `json:"name"`    // binary name
	Module  string `json:"module"`  // module providing it
	Version string `json:"version"` // pinned module version
	Package string `json:"package"` // package path to install
}

// Tools lists GoNB and goimports at their pinned versions.
func Tools() []Tool {
	return []Tool{
		{Name: "gonb", Module: "github.com/janpfeifer/gonb", Version: GoNBVersion, Package: "github.com/janpfeifer/gonb"},
		{Name: "goimports", Module: "golang.org/x/tools", Version: GoImportsVersion, Package: "golang.org/x/tools/cmd/goimports"},
	}
}

// GoEnv is what the go command reports about the Go installation.
type GoEnv struct {
	Go         string `json:"go"`         // absolute path of the go command
	Version    string `json:"version"`    // `go version` with GOTOOLCHAIN=Toolchain, e.g. "go1.27.4 linux/amd64"
	GoBin      string `json:"gobin"`      // where `go install` puts binaries
	GoModCache string `json:"gomodcache"` // module cache
	GoRoot     string `json:"goroot"`     // of the selected toolchain
}

// goCommand runs the go command with GOTOOLCHAIN and GOEXPERIMENT set
// (unless the environment sets them) in dir.
func goCommand(ctx context.Context, goPath, dir string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, goPath, args...)
	cmd.Dir = dir
	cmd.Env = withDefaults(os.Environ(), "GOTOOLCHAIN="+Toolchain, "GOEXPERIMENT="+GoExperiment)
	return cmd
}

// withDefaults appends each KEY=VALUE of defs whose key env does not set.
func withDefaults(env []string, defs ...string) []string {
	have := map[string]bool{}
	for _, kv := range env {
		if k, _, ok := strings.Cut(kv, "="); ok {
			have[k] = true
		}
	}
	out := append([]string(nil), env...)
	for _, kv := range defs {
		k, _, _ := strings.Cut(kv, "=")
		if !have[k] {
			out = append(out, kv)
		}
	}
	return out
}

// LookupGo finds the go command and asks it for its version, GOBIN (GOPATH/bin
// when unset), module cache and GOROOT.
func LookupGo(ctx context.Context) (GoEnv, error) {
	goPath, err := exec.LookPath("go")
	if err != nil {
		return GoEnv{}, fmt.Errorf("go command: %w", err)
	}
	if abs, err := filepath.Abs(goPath); err == nil {
		goPath = abs
	}
	g := GoEnv{Go: goPath}
	out, err := goCommand(ctx, goPath, "", "env", "GOBIN", "GOPATH", "GOMODCACHE", "GOROOT").Output()
	if err != nil {
		return g, fmt.Errorf("go env: %w", exitDetail(err))
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) != 4 {
		return g, fmt.Errorf("go env: unexpected output %q", out)
	}
	g.GoBin, g.GoModCache, g.GoRoot = lines[0], lines[2], lines[3]
	if g.GoBin == "" {
		first, _, _ := strings.Cut(lines[1], string(os.PathListSeparator))
		g.GoBin = filepath.Join(first, "bin")
	}
	v, err := goCommand(ctx, goPath, "", "version").Output()
	if err != nil {
		return g, fmt.Errorf("go version: %w", exitDetail(err))
	}
	g.Version = strings.TrimPrefix(strings.TrimSpace(string(v)), "go version ")
	return g, nil
}

// ToolState is whether a pinned tool is installed.
type ToolState struct {
	Tool
	Path      string `json:"path"`
	Installed bool   `json:"installed"` // the binary exists
	Found     string `json:"found_version,omitempty"`
	// OK: installed at the pinned version (per the version marker
	// scripts/setup.sh and Install write next to it).
	OK bool `json:"ok"`
}

// CheckTool reports whether t is installed in gobin at its pinned version.
func CheckTool(gobin string, t Tool) ToolState {
	s := ToolState{Tool: t, Path: filepath.Join(gobin, t.Name)}
	if st, err := os.Stat(s.Path); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
		s.Installed = true
	}
	if b, err := os.ReadFile(markerPath(gobin, t)); err == nil {
		s.Found = strings.TrimSpace(string(b))
	}
	s.OK = s.Installed && s.Found == t.Version
	return s
}

func markerPath(gobin string, t Tool) string { return filepath.Join(gobin, "."+t.Name+".version") }

// EnsureTools installs every tool of Tools that is missing or at another
// version into g.GoBin, the way scripts/setup.sh does (a throwaway module,
// `go get PKG@VERSION`, `go install PKG`: the proxy refuses version lists for
// some modules, so `go install PKG@VERSION` is not used). Progress lines go
// to log.
func EnsureTools(ctx context.Context, g GoEnv, log io.Writer) ([]ToolState, error) {
	var states []ToolState
	for _, t := range Tools() {
		s := CheckTool(g.GoBin, t)
		if !s.OK {
			fmt.Fprintf(log, "kernel: installing %s %s into %s\n", t.Name, t.Version, g.GoBin)
			if err := installTool(ctx, g, t); err != nil {
				return states, err
			}
			s = CheckTool(g.GoBin, t)
			if !s.OK {
				return states, fmt.Errorf("install %s %s: %s still missing after go install", t.Name, t.Version, s.Path)
			}
		}
		states = append(states, s)
	}
	return states, nil
}

func installTool(ctx context.Context, g GoEnv, t Tool) error {
	tmp, err := os.MkdirTemp("", "scrl-tool-")
	if err != nil {
		return fmt.Errorf("install %s: %w", t.Name, err)
	}
	defer os.RemoveAll(tmp)
	steps := [][]string{{"mod", "init", "setuptools"}, {"get", t.Package + "@" + t.Version}, {"install", t.Package}}
	for _, args := range steps {
		cmd := goCommand(ctx, g.Go, tmp, args...)
		cmd.Env = append(cmd.Env, "GOBIN="+g.GoBin)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("install %s %s: go %s: %w: %s", t.Name, t.Version, strings.Join(args, " "), err, lastLines(string(out), 3))
		}
	}
	if err := os.MkdirAll(g.GoBin, 0o755); err != nil {
		return fmt.Errorf("install %s: %w", t.Name, err)
	}
	if err := os.WriteFile(markerPath(g.GoBin, t), []byte(t.Version+"\n"), 0o644); err != nil {
		return fmt.Errorf("install %s: %w", t.Name, err)
	}
	return nil
}

// exitDetail adds a command's stderr to its exit error.
func exitDetail(err error) error {
	var ee *exec.ExitError
	if errors.As(err, &ee) && len(bytes.TrimSpace(ee.Stderr)) > 0 {
		return fmt.Errorf("%w: %s", err, lastLines(string(ee.Stderr), 3))
	}
	return err
}

// lastLines is the last n non-empty lines of s, joined with "; ".
func lastLines(s string, n int) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			keep = append(keep, l)
		}
	}
	if len(keep) > n {
		keep = keep[len(keep)-n:]
	}
	return strings.Join(keep, "; ")
}
