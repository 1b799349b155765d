// Package cell holds the few helpers every notebook cell needs, whatever
// it studies: Must and Must2 turn a library call's error into a failed
// cell (and a failed `scrl notebooks run`), so that a cell reads as the
// steps of the study rather than as error handling.
//
//	sets := cell.Must(apps.LoadSets(ctx, sources, apps.Options{}))
//	cell.Must(0, plot.Show()) // a call that returns only an error
package cell

import (
	"fmt"
	"io"
	"os"
)

// Must returns v, or stops the cell with err's message on standard error
// and exit status 1 when err is not nil. For a call that returns only an
// error, pass any placeholder value: cell.Must(0, p.Show()).
func Must[T any](v T, err error) T {
	if err != nil {
		fail(os.Stderr, os.Exit, err)
	}
	return v
}

// Must2 is Must for a call with two results.
func Must2[A, B any](a A, b B, err error) (A, B) {
	if err != nil {
		fail(os.Stderr, os.Exit, err)
	}
	return a, b
}

// fail writes "error: MESSAGE" to w and exits with status 1.
func fail(w io.Writer, exit func(int), err error) {
	fmt.Fprintln(w, "error:", err)
	exit(1)
}
