package apps

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// systemPython is the interpreter the tests run programs with (never the
// python3 on PATH, which may be a slow shim).
const systemPython = "/usr/bin/python3"

func needPython(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(systemPython); err != nil {
		t.Skipf("%s not available: %v", systemPython, err)
	}
}

// runPython runs program with input on stdin and returns stdout, stderr and
// the exit error.
func runPython(t *testing.T, program, input string) (string, string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, systemPython, "-c", program)
	cmd.Stdin = strings.NewReader(input)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	return out.String(), errb.String(), err
}

// sharedData locates the read-only shared data directory: $SCRL_DATA_DIR, else
// ../shared/data relative to the repository root (the directory holding
// go.mod). It skips the test when neither exists.
func sharedData(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("SCRL_DATA_DIR"); d != "" {
		if _, err := os.Stat(d); err == nil {
			return d
		}
		t.Skipf("SCRL_DATA_DIR=%s does not exist", d)
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Skip(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			d := filepath.Join(dir, "..", "shared", "data")
			if _, err := os.Stat(d); err != nil {
				t.Skipf("shared data not found at %s", d)
			}
			return d
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("repository root (go.mod) not found")
		}
		dir = parent
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
