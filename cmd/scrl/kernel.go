package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/securecoderl/securecoderl/kernel"
)

func runKernel(ctx context.Context, e *env, args []string) error {
	return subcommand(ctx, e, "kernel", args, map[string]func(context.Context, *env, []string) error{
		"install": kernelInstall,
		"doctor":  kernelDoctor,
	})
}

func kernelInstall(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "kernel install", "kernel install [--user|--prefix DIR] [--name securecoderl] [--repo DIR] [--json]")
	user := fs.Bool("user", false, "install for the current user ($JUPYTER_DATA_DIR or ~/.local/share/jupyter; the default)")
	prefix := fs.String("prefix", "", "install into DIR/share/jupyter/kernels/NAME (add DIR/share/jupyter to $JUPYTER_PATH)")
	name := fs.String("name", kernel.DefaultName, "kernelspec name")
	repo := fs.String("repo", "", "repository notebooks import (default: found from the current directory or this binary's source tree)")
	skipTools := fs.Bool("skip-tools", false, "do not install missing GoNB/goimports")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *user && *prefix != "" {
		return usagef("--user and --prefix exclude each other")
	}
	log := e.stderr
	inst, err := kernel.Install(ctx, kernel.InstallOptions{Name: *name, Prefix: *prefix, Repo: *repo, SkipTools: *skipTools, Log: log})
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, inst)
	}
	fmt.Fprintf(e.stdout, "kernelspec %q (%s) installed in %s\n", inst.Name, kernel.DisplayName, inst.Dir)
	fmt.Fprintf(e.stdout, "repository: %s\n", inst.Repo)
	for _, t := range inst.Tools {
		fmt.Fprintf(e.stdout, "%s: %s %s\n", t.Name, t.Path, t.Version)
	}
	if inst.JupyterPath != "" {
		fmt.Fprintf(e.stdout, "Jupyter sees it with: export JUPYTER_PATH=%s${JUPYTER_PATH:+:$JUPYTER_PATH}\n", inst.JupyterPath)
	}
	return nil
}

func kernelDoctor(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "kernel doctor", "kernel doctor [--name securecoderl] [--json]")
	name := fs.String("name", kernel.DefaultName, "kernelspec name")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	r := kernel.Doctor(ctx, kernel.DoctorOptions{Name: *name})
	if *asJSON {
		if err := writeJSON(e.stdout, r); err != nil {
			return err
		}
	} else {
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		for _, c := range r.Checks {
			mark := "ok"
			if !c.OK {
				mark = "MISSING"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", c.Name, mark, c.Detail)
		}
		tw.Flush()
		if miss := r.Missing(); len(miss) > 0 {
			fmt.Fprintln(e.stdout, "\nto fix:")
			for _, c := range miss {
				fmt.Fprintf(e.stdout, "  %-12s %s\n", c.Name+":", c.Fix)
			}
		}
	}
	if !r.OK {
		return fmt.Errorf("%d check(s) failed: %s", len(r.Missing()), names(r.Missing()))
	}
	return nil
}

func names(cs []kernel.Check) string {
	s := ""
	for i, c := range cs {
		if i > 0 {
			s += ", "
		}
		s += c.Name
	}
	return s
}
