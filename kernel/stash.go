package kernel

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
)

// A GoNB cell is a fresh program: its local variables are gone when the
// cell ends. Stash and Unstash keep a value (as JSON) across the cells of
// one kernel session, so a slow computation runs in one cell and later
// cells only look at its results.

// SessionDir is where Stash keeps values: under GoNB's per-kernel temporary
// directory ($GONB_TMP_DIR, removed when the kernel shuts down), else under
// the system temporary directory for the current user.
func SessionDir() string {
	if d := os.Getenv("GONB_TMP_DIR"); d != "" {
		return filepath.Join(d, "scrl-stash")
	}
	return filepath.Join(os.TempDir(), "scrl-stash-"+strconv.Itoa(os.Getuid()))
}

// Stash saves v under name for later cells of the same kernel session.
func Stash(name string, v any) error {
	if err := validName(name); err != nil {
		return fmt.Errorf("stash: %w", err)
	}
	dir := SessionDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("stash %s: %w", name, err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("stash %s: %w", name, err)
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("stash %s: %w", name, err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("stash %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("stash %s: %w", name, err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, name+".json")); err != nil {
		return fmt.Errorf("stash %s: %w", name, err)
	}
	return nil
}

// ErrNotStashed is returned by Unstash for a name nothing was stashed as.
var ErrNotStashed = errors.New("nothing stashed under this name in this kernel session: run the cell that computes it first")

// Unstash loads the value stashed under name into v (a pointer).
func Unstash(name string, v any) error {
	if err := validName(name); err != nil {
		return fmt.Errorf("unstash: %w", err)
	}
	b, err := os.ReadFile(filepath.Join(SessionDir(), name+".json"))
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("unstash %s: %w", name, ErrNotStashed)
	}
	if err != nil {
		return fmt.Errorf("unstash %s: %w", name, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("unstash %s: %w", name, err)
	}
	return nil
}
