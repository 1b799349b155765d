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

// One palette per notebook: a variant keeps its colour on every chart,
// whichever variants a chart shows and in whatever order.
func ExampleNewPalette() {
	pal := display.NewPalette("ppo-simple", "ppo-fresh", "ppo-continue")
	fmt.Println(pal.Color("ppo-continue") == pal.Color("ppo-continue"), pal.Color("ppo-simple") != pal.Color("ppo-fresh"))
	// A name the palette was not made with still has one fixed colour,
	// none of the listed names' colours.
	fmt.Println(pal.Color("sft") == display.NewPalette("ppo-simple", "ppo-fresh", "ppo-continue").Color("sft"))
	// Output:
	// true true
	// true
}

// A band chart: each variant's mean over seeds as a line, its lowest to
// highest seed as a shaded band of the same colour; the step axis has
// whole-number ticks and the legend sits beside the data.
func ExampleNewBands() {
	bands := []display.Band{
		{Name: "ppo-simple", X: []float64{1, 2, 3}, Mean: []float64{0.30, 0.42, 0.51}, Lo: []float64{0.25, 0.37, 0.44}, Hi: []float64{0.35, 0.47, 0.58}},
		{Name: "ppo-continue", X: []float64{1, 2, 3}, Mean: []float64{0.33, 0.47, 0.55}, Lo: []float64{0.30, 0.41, 0.50}, Hi: []float64{0.36, 0.52, 0.61}},
	}
	p, err := display.NewBands("Mean reward per PPO step", bands, display.NewPalette("ppo-simple", "ppo-fresh", "ppo-continue"))
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := p.WithLabels("step", "reward").PNG()
	fmt.Println(len(b) > 0, err)
	// Output: true <nil>
}

// Colouring a chart made without a palette from the notebook's palette,
// and asking for whole-number ticks on an axis of sizes.
func ExamplePlot_WithPalette() {
	pal := display.NewPalette("partial credit", "released code", "binary")
	p, err := display.NewLines("R_func by stage", []float64{0, 1, 2, 3, 4, 5}, []string{"partial credit", "binary"},
		[][]float64{{0, 0.2, 0.4, 0.6, 0.8, 1}, {0, 0, 0, 0, 0, 1}})
	if err != nil {
		fmt.Println(err)
		return
	}
	p.WithPalette(pal).WithIntegerTicks(true, false)
	fmt.Println(p.Palette() == pal)
	// Output: true
}
