// Package display holds one-line helpers for tables, plots and progress bars
// that behave the same in a GoNB notebook, in a plain Go program or CLI, and
// in a yaegi REPL:
//
//   - [Table] renders rows with tablewriter: an HTML table in Jupyter, a text
//     table on standard output otherwise.
//   - [Bar], [BarCounts], [GroupedBar], [Lines], [Histogram],
//     [HistogramInts] and [ShowBands] draw gonum/plot charts from plain
//     slices and maps: shown inline as PNG in Jupyter (drawn at twice the
//     resolution and shown at the plot's size, so that text is sharp in the
//     notebook and its HTML export), saved as a PNG file (path printed)
//     otherwise. The New* constructors return a [Plot] to adjust (labels,
//     size, palette, integer ticks) and show as PNG or SVG, or to save
//     anywhere.
//   - Charts read at a glance: sans-serif text at 11–14 pt, whole-number
//     ticks on axes whose values are whole numbers (steps, counts), the
//     legend outside the data area (beside it, or below in columns for long
//     names), confidence bands ([Band]) as translucent areas under their
//     mean line, and series coloured by name from a colour-blind-safe
//     [Palette], so a series has one colour on every chart of a notebook.
//   - [Progress] is a progress bar that updates in place: through a transient
//     display (gonbui.UpdateHTML) in Jupyter, with \r on a terminal, and as a
//     single final line when standard output is neither.
//   - [HTML] and [Markdown] show rich text in Jupyter and print it otherwise.
//
// The notebook is detected with gonbui.IsNotebook (GoNB sets it for programs
// it runs). Outside a notebook plots go to $SCRL_PLOT_DIR, or out/plots under
// the current directory.
//
// The public API has no generic functions or types, so a yaegi REPL can
// import it through its symbol tables. Errors are returned and, for the
// one-liners whose result is usually ignored in a cell, also written to
// standard error so that nothing fails silently.
package display
