package kernel

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Check is one line of Doctor's report.
type Check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
	// Fix is the exact command that repairs a failed check.
	Fix string `json:"fix,omitempty"`
}

// Report is Doctor's result.
type Report struct {
	OK     bool    `json:"ok"`
	Repo   string  `json:"repo"`
	Kernel string  `json:"kernel"`
	Checks []Check `json:"checks"`
}

// Missing lists the checks that failed.
func (r Report) Missing() []Check {
	var out []Check
	for _, c := range r.Checks {
		if !c.OK {
			out = append(out, c)
		}
	}
	return out
}

// DoctorOptions configures Doctor.
type DoctorOptions struct {
	Name    string  // kernelspec name (default DefaultName)
	Jupyter Jupyter // how to run jupyter
}

// Doctor checks everything notebooks need: the Go toolchain, the
// repository, GoNB and goimports at their pinned versions, the Go modules
// GoNB cells need in the module cache, jupyter and nbconvert, and the
// kernelspec (present, starting an existing GoNB, on this repository). Each
// failed check carries the command that fixes it.
func Doctor(ctx context.Context, opts DoctorOptions) Report {
	name := opts.Name
	if name == "" {
		name = DefaultName
	}
	r := Report{Kernel: name}
	add := func(c Check) { r.Checks = append(r.Checks, c) }
	installCmd := "scrl kernel install"
	if name != DefaultName {
		installCmd += " --name " + name
	}

	g, gerr := LookupGo(ctx)
	switch {
	case gerr != nil:
		add(Check{Name: "go", Detail: gerr.Error(), Fix: "install Go (https://go.dev/dl) and put it on PATH"})
	case !strings.HasPrefix(g.Version, Toolchain+" "):
		add(Check{Name: "go", Detail: fmt.Sprintf("%s selects %s, want %s", g.Go, g.Version, Toolchain), Fix: "export GOTOOLCHAIN=" + Toolchain})
	default:
		add(Check{Name: "go", OK: true, Detail: fmt.Sprintf("%s (%s, GOTOOLCHAIN=%s)", g.Version, g.Go, Toolchain)})
	}

	repo, rerr := RepoRoot()
	if rerr != nil {
		add(Check{Name: "repository", Detail: rerr.Error(), Fix: "cd /path/to/securecoderl (or export " + RepoEnv + "=/path/to/securecoderl)"})
	} else {
		r.Repo = repo
		add(Check{Name: "repository", OK: true, Detail: repo})
	}

	if gerr == nil {
		for _, t := range Tools() {
			s := CheckTool(g.GoBin, t)
			c := Check{Name: t.Name, OK: s.OK}
			switch {
			case s.OK:
				c.Detail = fmt.Sprintf("%s %s", s.Path, t.Version)
			case !s.Installed:
				c.Detail = fmt.Sprintf("%s: not installed (want %s %s)", s.Path, t.Module, t.Version)
			case s.Found == "":
				c.Detail = fmt.Sprintf("%s: installed, version unknown (want %s)", s.Path, t.Version)
			default:
				c.Detail = fmt.Sprintf("%s: version %s, want %s", s.Path, s.Found, t.Version)
			}
			if !c.OK {
				c.Fix = installCmd + "   # or: make setup"
			}
			add(c)
		}
		zip := filepath.Join(g.GoModCache, "cache", "download", "github.com", "janpfeifer", "gonb", "@v", GoNBVersion+".zip")
		c := Check{Name: "module cache", Detail: "GoNB " + GoNBVersion + " (gonbui) cached for offline cells: " + zip}
		if _, err := os.Stat(zip); err == nil {
			c.OK = true
		} else {
			c.Detail = "gonbui " + GoNBVersion + " missing from the module cache (" + zip + "): cells importing it need the network"
			if repo != "" {
				c.Fix = "cd " + repo + " && go mod download"
			} else {
				c.Fix = "go mod download   # in the repository"
			}
		}
		add(c)
	}

	jp, jerr := opts.Jupyter.Path()
	if jerr != nil {
		add(Check{Name: "jupyter", Detail: jerr.Error(), Fix: "sudo apt-get install -y jupyter-client jupyter-notebook"})
		add(Check{Name: "nbconvert", Detail: "needs jupyter", Fix: "sudo apt-get install -y jupyter-nbconvert"})
		add(Check{Name: "kernelspec", Detail: "needs jupyter", Fix: installCmd})
	} else {
		add(Check{Name: "jupyter", OK: true, Detail: jp})
		if v, err := opts.Jupyter.Version(ctx, "nbconvert"); err != nil {
			add(Check{Name: "nbconvert", Detail: err.Error(), Fix: "sudo apt-get install -y jupyter-nbconvert"})
		} else {
			add(Check{Name: "nbconvert", OK: true, Detail: "nbconvert " + v})
		}
		add(checkSpec(ctx, opts.Jupyter, name, repo, installCmd))
	}
	r.OK = len(r.Missing()) == 0
	return r
}

func checkSpec(ctx context.Context, j Jupyter, name, repo, installCmd string) Check {
	c := Check{Name: "kernelspec", Fix: installCmd}
	specs, err := j.KernelSpecs(ctx)
	if err != nil {
		c.Detail = err.Error()
		return c
	}
	f, ok := specs[name]
	if !ok {
		c.Detail = fmt.Sprintf("no kernelspec %q (Jupyter knows: %s)", name, strings.Join(sortedNames(specs), ", "))
		return c
	}
	where := fmt.Sprintf("%q in %s", name, f.Dir)
	switch {
	case f.Spec.DisplayName != DisplayName:
		c.Detail = fmt.Sprintf("%s is %q, not %q", where, f.Spec.DisplayName, DisplayName)
	case !executable(f.Spec.GoNB()):
		c.Detail = fmt.Sprintf("%s starts %s, which does not exist", where, f.Spec.GoNB())
	case f.Spec.Repo() == "":
		c.Detail = fmt.Sprintf("%s has no -go_work: cells cannot import the repository", where)
	case repo != "" && filepath.Clean(f.Spec.Repo()) != repo:
		c.Detail = fmt.Sprintf("%s points at %s, not this repository %s", where, f.Spec.Repo(), repo)
	default:
		c.OK, c.Fix = true, ""
		c.Detail = fmt.Sprintf("%s (%s), repo %s", where, f.Spec.DisplayName, f.Spec.Repo())
	}
	return c
}

func executable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

func sortedNames(m map[string]FoundSpec) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
