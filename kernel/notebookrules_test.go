package kernel

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestNotebookCellRules: a notebook cell is one step of the study over
// the library: no code cell longer than 25 lines, and no function defined
// in two notebooks (a helper two notebooks need belongs in stdlib/, as
// cell.Must does).
func TestNotebookCellRules(t *testing.T) {
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	paths, err := filepath.Glob(filepath.Join(root, "notebooks", "*.ipynb"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no notebooks: %v", err)
	}
	funcDecl := regexp.MustCompile(`(?m)^func\s+(\w+)`)
	definedIn := map[string]string{}
	for _, p := range paths {
		nb, err := ReadNotebook(p)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(p)
		for i, c := range nb.Cells() {
			if c.Type != "code" {
				continue
			}
			if n := len(strings.Split(strings.TrimRight(c.Source, "\n"), "\n")); n > 25 {
				t.Errorf("%s cell %d: %d lines (at most 25: move the code into a stdlib package)", name, i, n)
			}
			for _, m := range funcDecl.FindAllStringSubmatch(c.Source, -1) {
				if other, ok := definedIn[m[1]]; ok && other != name {
					t.Errorf("func %s is defined in %s and %s: move it into a stdlib package", m[1], other, name)
				}
				definedIn[m[1]] = name
			}
		}
	}
}
