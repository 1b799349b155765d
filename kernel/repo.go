package kernel

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// RepoEnv names the environment variable that overrides where the
// repository is (the kernelspec sets it for notebooks).
const RepoEnv = "SCRL_REPO"

// DataDirEnv names the environment variable that points at the shared data
// directory (the one holding apps/ and generations/).
const DataDirEnv = "SCRL_DATA_DIR"

// RepoRoot finds the absolute path of this repository's checkout: $SCRL_REPO
// when set, else the nearest directory at or above the current directory
// whose go.mod declares the module, else the source tree this binary was
// built from.
func RepoRoot() (string, error) {
	if r := os.Getenv(RepoEnv); r != "" {
		abs, err := filepath.Abs(r)
		if err != nil {
			return "", fmt.Errorf("$%s: %w", RepoEnv, err)
		}
		if !isRepo(abs) {
			return "", fmt.Errorf("$%s=%s: no go.mod for module %s there", RepoEnv, r, ModulePath)
		}
		return abs, nil
	}
	if wd, err := os.Getwd(); err == nil {
		if r, ok := findRepoUp(wd); ok {
			return r, nil
		}
	}
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		if r, ok := findRepoUp(filepath.Dir(file)); ok {
			return r, nil
		}
	}
	return "", errors.New("cannot find the SecureCodeRL repository: run from inside the checkout or set " + RepoEnv + "=/path/to/checkout")
}

func findRepoUp(dir string) (string, bool) {
	for {
		if isRepo(dir) {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// isRepo reports whether dir/go.mod declares ModulePath.
func isRepo(dir string) bool {
	f, err := os.Open(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "module" {
			return strings.Trim(fields[1], `"`) == ModulePath
		}
	}
	return false
}

// SharedDataDir returns the shared data directory: $SCRL_DATA_DIR when set,
// else ../shared/data next to the repository. ok is false when the
// directory does not exist (callers then fall back to embedded data).
func SharedDataDir() (dir string, ok bool) {
	if d := os.Getenv(DataDirEnv); d != "" {
		st, err := os.Stat(d)
		return d, err == nil && st.IsDir()
	}
	repo, err := RepoRoot()
	if err != nil {
		return "", false
	}
	d := filepath.Join(filepath.Dir(repo), "shared", "data")
	st, err := os.Stat(d)
	return d, err == nil && st.IsDir()
}

// SharedFile returns the path of rel (e.g. "apps/apps_train_codechain150.jsonl")
// under SharedDataDir, and whether that file exists.
func SharedFile(rel string) (string, bool) {
	dir, ok := SharedDataDir()
	if !ok {
		return "", false
	}
	p := filepath.Join(dir, filepath.FromSlash(rel))
	_, err := os.Stat(p)
	return p, err == nil
}
