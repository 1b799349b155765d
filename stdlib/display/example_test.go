package display_test

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"

	"github.com/securecoderl/securecoderl/stdlib/display"
)

// Outside a notebook a table is printed as text.
func ExampleTable() {
	display.Table("Problems by kind", []string{"kind", "problems", "share %"}, [][]any{
		{"stdin", 138, 92.0},
		{"call", 12, 8.0},
	})
	// Output:
	// Problems by kind
	// ┌───────┬──────────┬─────────┐
	// │ kind  │ problems │ share % │
	// ├───────┼──────────┼─────────┤
	// │ stdin │      138 │      92 │
	// │ call  │       12 │       8 │
	// └───────┴──────────┴─────────┘
}

// The HTML a notebook shows for a table.
func ExampleTableHTML() {
	h, err := display.TableHTML("", []string{"stage", "reward"}, [][]any{{"prints", 0.6}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(h)
	// Output:
	// <div class="scrl-table"><table>
	// <thead>
	//   <tr><th style="text-align: left;">stage</th><th style="text-align: left;">reward</th></tr>
	// </thead>
	// <tbody>
	//   <tr><td style="text-align: left;">prints</td><td style="text-align: right;">0.6</td></tr>
	// </tbody>
	// </table>
	// </div>
}

// A bar chart rendered to PNG bytes.
func ExampleNewBar() {
	p, err := display.NewBar("Stage distribution", []string{"parses", "prints", "passes_all"}, []float64{83, 108, 39})
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := p.WithSize(640, 360).PNG()
	if err != nil {
		fmt.Println(err)
		return
	}
	img, _ := png.Decode(bytes.NewReader(b))
	fmt.Println(img.Bounds().Dx(), img.Bounds().Dy())
	// Output: 640 360
}

// Outside a notebook, a plot one-liner saves the image under
// $SCRL_PLOT_DIR and prints where.
func ExampleBarCounts() {
	dir, _ := os.MkdirTemp("", "plots")
	defer os.RemoveAll(dir)
	os.Setenv(display.PlotDirEnv, dir)
	defer os.Unsetenv(display.PlotDirEnv)
	if err := display.BarCounts("Failure buckets", map[string]int{"no_output": 199, "wrong_output": 161, "runtime_error": 35}); err != nil {
		fmt.Println(err)
	}
	_, err := os.Stat(filepath.Join(dir, "failure-buckets.png"))
	fmt.Println(err == nil)
}

// A line chart with two series, saved as SVG.
func ExampleNewLines() {
	p, err := display.NewLines("Reward ladder", []float64{0, 1, 2, 3, 4, 5},
		[]string{"partial credit", "binary"},
		[][]float64{{0, 0.2, 0.4, 0.6, 0.8, 1}, {0, 0, 0, 0, 0, 1}})
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, _ := os.MkdirTemp("", "plots")
	defer os.RemoveAll(dir)
	fmt.Println(p.WithLabels("stage", "R_func").Save(filepath.Join(dir, "ladder.svg")))
	// Output: <nil>
}

// Integer histograms give every value its own bin.
func ExampleHistogramInts() {
	p, err := display.NewHistogramInts("Tests per problem", []int{1, 2, 2, 3, 5}, 0)
	fmt.Println(p.Title(), err)
	// Output: Tests per problem <nil>
}

// A progress bar: redrawn in place in a notebook or on a terminal; when
// standard output is neither, one line at the end.
func ExampleNewProgress() {
	bar := display.NewProgress("judge", 3)
	for range 3 {
		bar.Add(1)
	}
	bar.Done()
}
