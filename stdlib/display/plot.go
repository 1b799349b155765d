package display

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// DPI is the resolution plots are rendered at: a Plot of W×H pixels is
// W/DPI × H/DPI inches.
const DPI = 96

// Default plot size in pixels: shown at this size in a notebook and its
// HTML export, with room for a legend beside the data.
const (
	DefaultWidth  = 800
	DefaultHeight = 440
)

// Plot is a chart ready to show or save. Build one with NewBar, NewBarCounts,
// NewGroupedBar, NewLines, NewHistogram, NewHistogramInts or NewBands;
// adjust it with its With* methods (which return the plot, so calls chain);
// show it with Show or ShowSVG, or write it with PNG, SVG or Save.
//
// Every chart is drawn the same way: a sans-serif title wrapped to the
// width, whole-number ticks on integer axes (steps, counts), a legend
// outside the data (to the right, or below in columns when the names are
// long), and each named series in its colour from a [Palette].
type Plot struct {
	title         string
	p             *plot.Plot
	width, height int
	pal           *Palette
	series        []series      // the named series, recoloured by WithPalette
	legend        []legendEntry // drawn outside the data area
	bars          []*plotter.BarChart
	barLabels     int             // bar charts: labels along X
	valueLabels   *plotter.Labels // single-series bar charts: values above the bars
}

// series is one coloured series of a chart.
type series struct {
	name  string
	color func(color.Color)
}

// Font sizes, in points.
const (
	titleSize = 14
	labelSize = 12
	tickSize  = 11
	valueSize = 10
)

func sans(size float64) font.Font {
	return font.Font{Typeface: "Liberation", Variant: "Sans", Size: vg.Points(size)}
}

func newPlot(title string) *Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = sans(titleSize)
	p.Title.Padding = vg.Points(6)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = sans(labelSize)
		a.Tick.Label.Font = sans(tickSize)
		a.Tick.Marker = niceTicks{}
	}
	p.Legend.TextStyle.Font = sans(tickSize)
	return &Plot{title: title, p: p, width: DefaultWidth, height: DefaultHeight}
}

// Title is the plot's title.
func (p *Plot) Title() string { return p.title }

// Size is the plot's size in pixels.
func (p *Plot) Size() (width, height int) { return p.width, p.height }

// WithSize sets the size in pixels (values below 50 are raised to 50).
func (p *Plot) WithSize(width, height int) *Plot {
	p.width, p.height = max(width, 50), max(height, 50)
	return p
}

// WithLabels sets the axis labels.
func (p *Plot) WithLabels(xLabel, yLabel string) *Plot {
	p.p.X.Label.Text, p.p.Y.Label.Text = xLabel, yLabel
	return p
}

// WithYRange fixes the Y axis to [min, max].
func (p *Plot) WithYRange(min, max float64) *Plot {
	p.p.Y.Min, p.p.Y.Max = min, max
	return p
}

// WithIntegerTicks puts the ticks of the X axis (x true) and of the Y axis
// (y true) on whole numbers only, for steps, counts and sizes; false leaves
// that axis as it is. The constructors already do it for an axis whose
// values are all whole numbers.
func (p *Plot) WithIntegerTicks(x, y bool) *Plot {
	if x {
		p.p.X.Tick.Marker = intTicks{}
	}
	if y {
		p.p.Y.Tick.Marker = intTicks{}
	}
	return p
}

// WithPalette colours the plot's series by name from pal (see [Palette]),
// so that a series keeps its colour on every chart made with the same
// palette. Without it a chart uses the nil palette: colours by name.
func (p *Plot) WithPalette(pal *Palette) *Plot {
	p.pal = pal
	p.recolor()
	return p
}

// Palette is the palette the plot's series are coloured from (nil: by
// name).
func (p *Plot) Palette() *Palette { return p.pal }

func (p *Plot) recolor() {
	names := make([]string, len(p.series))
	for i, s := range p.series {
		names[i] = s.name
	}
	for i, k := range p.pal.indices(names) {
		p.series[i].color(paletteColor(k))
	}
}

// addSeries registers a series to colour and, when named, its legend
// entry.
func (p *Plot) addSeries(name string, color func(color.Color), thumbs ...plot.Thumbnailer) {
	p.series = append(p.series, series{name: name, color: color})
	if name != "" {
		p.legend = append(p.legend, legendEntry{name: name, thumbs: thumbs})
	}
}

// Gonum returns the underlying gonum plot, for anything the helpers do not
// cover. (Entries added to its Legend are drawn inside the data area, as
// gonum does; the helpers' own legend is drawn outside.)
func (p *Plot) Gonum() *plot.Plot { return p.p }

func (p *Plot) lengths() (vg.Length, vg.Length) {
	return vg.Length(p.width) * vg.Inch / DPI, vg.Length(p.height) * vg.Inch / DPI
}

// draw draws the whole chart on c: title, axes and data, legend.
func (p *Plot) draw(c draw.Canvas) {
	l := p.layout(c.Rectangle)
	p.fitBars(l.chart)
	if l.titleText != "" {
		c.FillText(p.titleStyle(), vg.Point{X: (l.title.Min.X + l.title.Max.X) / 2, Y: l.title.Max.Y}, l.titleText)
	}
	pp := *p.p
	pp.Title.Text = ""
	pp.Draw(draw.Canvas{Canvas: c.Canvas, Rectangle: l.chart})
	p.drawLegend(c, l)
}

// fitBars sizes the bars to the data area: the bars of one label share
// 70% of the width available to it.
func (p *Plot) fitBars(chart vg.Rectangle) {
	if len(p.bars) == 0 || p.barLabels == 0 {
		return
	}
	n := vg.Length(len(p.bars))
	for range 2 { // the bars' width changes the axes' padding a little
		w := p.dataArea(chart).Size().X / vg.Length(p.barLabels) * 0.7 / n
		for i, b := range p.bars {
			b.Width = w
			b.Offset = w * (vg.Length(i) - (n-1)/2)
		}
	}
	if p.valueLabels != nil {
		p.valueLabels.Offset.X = p.bars[0].Offset
	}
}

// PNG renders the plot as a PNG image of exactly its size in pixels.
func (p *Plot) PNG() ([]byte, error) { return p.PNGAt(1) }

// PNGAt renders the plot as a PNG image of scale times its size in pixels
// (2 for sharp text on high-density screens), laid out as PNG lays it out.
func (p *Plot) PNGAt(scale float64) ([]byte, error) {
	if !(scale > 0) || scale > 8 {
		return nil, fmt.Errorf("plot %q: png scale %v: want (0, 8]", p.title, scale)
	}
	w, h := p.lengths()
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(int(math.Round(DPI*scale))), vgimg.UseBackgroundColor(color.White))
	p.draw(draw.New(c))
	var b bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&b); err != nil {
		return nil, fmt.Errorf("plot %q: png: %w", p.title, err)
	}
	return b.Bytes(), nil
}

// SVG renders the plot as an SVG document (text in Liberation Sans, or
// Arial or Helvetica, its equals in width, where the browser lacks it).
func (p *Plot) SVG() ([]byte, error) {
	w, h := p.lengths()
	c := vgsvg.New(w, h)
	p.draw(draw.New(c))
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return nil, fmt.Errorf("plot %q: svg: %w", p.title, err)
	}
	// The fonts are not embedded: name Liberation Sans's metric-compatible
	// stand-ins, so that text measured in it fits where it is missing.
	return bytes.ReplaceAll(b.Bytes(), []byte("font-family:Liberation Sans;"), []byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;")), nil
}

// Save writes the plot to path; the extension picks the format (.png or
// .svg). Missing directories are created.
func (p *Plot) Save(path string) error {
	var data []byte
	var err error
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png":
		data, err = p.PNG()
	case ".svg":
		data, err = p.SVG()
	default:
		return fmt.Errorf("plot %q: save %s: want a .png or .svg file", p.title, path)
	}
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("plot %q: %w", p.title, err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("plot %q: %w", p.title, err)
	}
	return nil
}

// NotebookScale is how many image pixels a notebook's PNG has per CSS
// pixel: the image is shown at the plot's size, its text sharp on
// high-density screens and in the HTML export.
const NotebookScale = 2

// Show displays the plot as a PNG image in a notebook (at its size, drawn
// at NotebookScale); elsewhere it saves it under $SCRL_PLOT_DIR (default
// out/plots) as TITLE.png and prints the path.
func (p *Plot) Show() error {
	s := defaultSink()
	return s.fail("plot", s.plot(p, ".png"))
}

// ShowSVG is Show with an SVG image.
func (p *Plot) ShowSVG() error {
	s := defaultSink()
	return s.fail("plot", s.plot(p, ".svg"))
}

func (s sink) plot(p *Plot, ext string) error {
	if s.notebook {
		if ext == ".svg" {
			b, err := p.SVG()
			if err != nil {
				return err
			}
			s.showSVG(string(b))
			return nil
		}
		if s.showImage == nil {
			b, err := p.PNG()
			if err != nil {
				return err
			}
			s.showPNG(b)
			return nil
		}
		b, err := p.PNGAt(NotebookScale)
		if err != nil {
			return err
		}
		s.showImage(b, p.width, p.height)
		return nil
	}
	path := s.savePath(p.title, ext)
	if err := p.Save(path); err != nil {
		return err
	}
	_, err := fmt.Fprintf(s.out, "plot %q saved to %s\n", p.title, path)
	return err
}

// NewBar is a bar chart: one bar per label, with its value written above it.
func NewBar(title string, labels []string, values []float64) (*Plot, error) {
	if len(labels) != len(values) {
		return nil, fmt.Errorf("bar chart %q: %d labels, %d values", title, len(labels), len(values))
	}
	return NewGroupedBar(title, labels, []string{""}, [][]float64{values})
}

// NewBarCounts is a bar chart of counts, largest first (ties by name).
func NewBarCounts(title string, counts map[string]int) (*Plot, error) {
	labels, values := sortedCounts(counts)
	return NewBar(title, labels, values)
}

// NewGroupedBar is a bar chart with one group of bars per label and one bar
// per series in each group; values[i][j] is series i at label j. A legend
// names the series (unless there is a single unnamed one). When every value
// is a whole number the Y axis is labelled with whole numbers only.
func NewGroupedBar(title string, labels []string, series []string, values [][]float64) (*Plot, error) {
	if len(labels) == 0 {
		return nil, fmt.Errorf("bar chart %q: no bars", title)
	}
	if len(series) != len(values) {
		return nil, fmt.Errorf("bar chart %q: %d series names, %d value lists", title, len(series), len(values))
	}
	p := newPlot(title)
	n := len(series)
	// A first bar width; draw fits the bars to the data area.
	plotW := vg.Length(DefaultWidth) * vg.Inch / DPI * 0.8
	barW := plotW / vg.Length(len(labels)) * 0.7 / vg.Length(n)
	top := 0.0
	for i, vs := range values {
		if len(vs) != len(labels) {
			return nil, fmt.Errorf("bar chart %q: series %q has %d values for %d labels", title, series[i], len(vs), len(labels))
		}
		for _, v := range vs {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("bar chart %q: series %q: value %v", title, series[i], v)
			}
			top = math.Max(top, v)
		}
		b, err := plotter.NewBarChart(plotter.Values(vs), barW)
		if err != nil {
			return nil, fmt.Errorf("bar chart %q: %w", title, err)
		}
		b.LineStyle.Width = 0
		b.Offset = barW * (vg.Length(i) - vg.Length(n-1)/2)
		p.p.Add(b)
		p.bars = append(p.bars, b)
		p.addSeries(series[i], func(c color.Color) { b.Color = c }, b)
		if n == 1 && len(labels) <= 24 {
			l, err := valueLabels(vs, b.Offset)
			if err != nil {
				return nil, fmt.Errorf("bar chart %q: %w", title, err)
			}
			p.p.Add(l)
			p.valueLabels = l
		}
	}
	p.barLabels = len(labels)
	p.p.NominalX(labels...)
	p.p.X.Tick.Label.Font = sans(tickSize)
	p.p.X.Min, p.p.X.Max = -0.5, float64(len(labels))-0.5
	p.p.Y.Min = math.Min(0, p.p.Y.Min)
	if top > 0 {
		p.p.Y.Max = top * 1.12 // room for the value labels
		if n > 1 {
			p.p.Y.Max = top * 1.05
		}
	}
	if allIntegers(values...) {
		p.p.Y.Tick.Marker = intTicks{}
	}
	rotateLongLabels(p.p, labels)
	p.recolor()
	return p, nil
}

func valueLabels(vs []float64, offset vg.Length) (*plotter.Labels, error) {
	xys := make(plotter.XYs, len(vs))
	texts := make([]string, len(vs))
	for i, v := range vs {
		xys[i] = plotter.XY{X: float64(i), Y: v}
		texts[i] = Cell(v)
	}
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: texts})
	if err != nil {
		return nil, err
	}
	for i := range l.TextStyle {
		l.TextStyle[i].Font = sans(valueSize)
		l.TextStyle[i].XAlign = draw.XCenter
	}
	l.Offset = vg.Point{X: offset, Y: vg.Points(2)}
	return l, nil
}

func rotateLongLabels(p *plot.Plot, labels []string) {
	long := 0
	for _, l := range labels {
		long = max(long, len([]rune(l)))
	}
	if long*len(labels) > 70 {
		p.X.Tick.Label.Rotation = math.Pi / 6
		p.X.Tick.Label.XAlign = draw.XRight
		p.X.Tick.Label.YAlign = draw.YCenter
	}
}

// NewLines is a line chart with one line (with point markers) per series,
// all over the same x values; series[i] is named names[i]. A legend names
// the series. An axis whose values are all whole numbers (steps, counts)
// is labelled with whole numbers only.
func NewLines(title string, x []float64, names []string, series [][]float64) (*Plot, error) {
	if len(names) != len(series) {
		return nil, fmt.Errorf("line chart %q: %d names, %d series", title, len(names), len(series))
	}
	if len(series) == 0 || len(x) == 0 {
		return nil, fmt.Errorf("line chart %q: no data", title)
	}
	p := newPlot(title)
	p.p.Add(plotter.NewGrid())
	for i, ys := range series {
		if len(ys) != len(x) {
			return nil, fmt.Errorf("line chart %q: series %q has %d values for %d x values", title, names[i], len(ys), len(x))
		}
		xys := make(plotter.XYs, len(x))
		for j := range x {
			xys[j] = plotter.XY{X: x[j], Y: ys[j]}
		}
		l, pts, err := plotter.NewLinePoints(xys)
		if err != nil {
			return nil, fmt.Errorf("line chart %q: series %q: %w", title, names[i], err)
		}
		l.Width = vg.Points(2)
		pts.Shape, pts.Radius = draw.CircleGlyph{}, vg.Points(3)
		p.p.Add(l, pts)
		p.addSeries(names[i], func(c color.Color) { l.Color, pts.Color = c, c }, l, pts)
	}
	if allIntegers(x) {
		p.p.X.Tick.Marker = intTicks{}
	}
	if allIntegers(series...) {
		p.p.Y.Tick.Marker = intTicks{}
	}
	p.recolor()
	return p, nil
}

// NewLinesMap is NewLines with the series in a map, drawn in name order.
func NewLinesMap(title string, x []float64, series map[string][]float64) (*Plot, error) {
	names := make([]string, 0, len(series))
	for k := range series {
		names = append(names, k)
	}
	sort.Strings(names)
	ys := make([][]float64, len(names))
	for i, k := range names {
		ys[i] = series[k]
	}
	return NewLines(title, x, names, ys)
}

// NewHistogram is a histogram of values in bins equal-width bins (bins ≤ 0:
// the square root of the number of values, at most 40). Its Y axis counts
// values, in whole numbers.
func NewHistogram(title string, values []float64, bins int) (*Plot, error) {
	if len(values) == 0 {
		return nil, fmt.Errorf("histogram %q: no values", title)
	}
	lo, hi := values[0], values[0]
	for _, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("histogram %q: value %v", title, v)
		}
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	if bins <= 0 {
		bins = min(max(int(math.Sqrt(float64(len(values)))), 1), 40)
	}
	if hi == lo {
		lo, hi = lo-0.5, hi+0.5
	}
	return histogram(title, values, lo, hi, bins)
}

// NewHistogramInts is a histogram of integer values. With bins ≤ 0 every
// integer from the smallest to the largest value gets its own bin (grouped
// into at most 40 bins of equal integer width). Both axes are labelled
// with whole numbers only.
func NewHistogramInts(title string, values []int, bins int) (*Plot, error) {
	if len(values) == 0 {
		return nil, fmt.Errorf("histogram %q: no values", title)
	}
	lo, hi := values[0], values[0]
	fs := make([]float64, len(values))
	for i, v := range values {
		lo, hi = min(lo, v), max(hi, v)
		fs[i] = float64(v)
	}
	var p *Plot
	var err error
	if bins > 0 {
		p, err = NewHistogram(title, fs, bins)
	} else {
		from, to, n := intBins(lo, hi)
		p, err = histogram(title, fs, from, to, n)
	}
	if err != nil {
		return nil, err
	}
	p.p.X.Tick.Marker = intTicks{}
	return p, nil
}

// intBins spreads the integers lo..hi over at most 40 bins of equal
// integer width, each centred on whole numbers.
func intBins(lo, hi int) (from, to float64, bins int) {
	span := hi - lo + 1
	step := (span + 39) / 40
	bins = (span + step - 1) / step
	return float64(lo) - 0.5, float64(lo) - 0.5 + float64(bins*step), bins
}

func histogram(title string, values []float64, lo, hi float64, bins int) (*Plot, error) {
	width := (hi - lo) / float64(bins)
	hb := make([]plotter.HistogramBin, bins)
	for i := range hb {
		hb[i].Min = lo + float64(i)*width
		hb[i].Max = lo + float64(i+1)*width
	}
	for _, v := range values {
		i := int((v - lo) / width)
		i = min(max(i, 0), bins-1)
		hb[i].Weight++
	}
	h := &plotter.Histogram{Bins: hb, Width: width, FillColor: paletteColor(0), LineStyle: plotter.DefaultLineStyle}
	h.LineStyle.Color = color.White
	p := newPlot(title)
	p.p.Add(h)
	p.p.Y.Label.Text = "count"
	p.p.Y.Min = 0
	p.p.Y.Tick.Marker = intTicks{}
	return p, nil
}

// Bar shows a bar chart (see NewBar and Plot.Show).
func Bar(title string, labels []string, values []float64) error {
	return show(NewBar(title, labels, values))
}

// BarCounts shows a bar chart of counts, largest first (see NewBarCounts).
func BarCounts(title string, counts map[string]int) error {
	return show(NewBarCounts(title, counts))
}

// GroupedBar shows a grouped bar chart (see NewGroupedBar).
func GroupedBar(title string, labels []string, series []string, values [][]float64) error {
	return show(NewGroupedBar(title, labels, series, values))
}

// Lines shows a line chart with one line per series, in name order (see
// NewLinesMap).
func Lines(title string, x []float64, series map[string][]float64) error {
	return show(NewLinesMap(title, x, series))
}

// Histogram shows a histogram of values (see NewHistogram).
func Histogram(title string, values []float64, bins int) error {
	return show(NewHistogram(title, values, bins))
}

// HistogramInts shows a histogram of integer values (see NewHistogramInts).
func HistogramInts(title string, values []int, bins int) error {
	return show(NewHistogramInts(title, values, bins))
}

func show(p *Plot, err error) error {
	if err != nil {
		return defaultSink().fail("plot", err)
	}
	return p.Show()
}

func sortedCounts(counts map[string]int) ([]string, []float64) {
	labels := make([]string, 0, len(counts))
	for k := range counts {
		labels = append(labels, k)
	}
	sort.Slice(labels, func(i, j int) bool {
		a, b := counts[labels[i]], counts[labels[j]]
		if a != b {
			return a > b
		}
		return labels[i] < labels[j]
	})
	values := make([]float64, len(labels))
	for i, l := range labels {
		values[i] = float64(counts[l])
	}
	return labels, values
}

// slug turns a title into a file name: lower case letters and digits,
// other runs of characters as one '-'.
func slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if unicode.IsLetter(r) && r < unicode.MaxASCII || unicode.IsDigit(r) && r < unicode.MaxASCII {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	if b.Len() == 0 {
		return "plot"
	}
	s := b.String()
	if len(s) > 80 {
		s = s[:80]
	}
	return s
}

// Band is a series with an interval around it: a mean over runs and the
// band between their lowest and highest values (or a confidence interval).
type Band struct {
	Name         string
	X            []float64
	Mean, Lo, Hi []float64
}

// NewBands is a line chart of bands: each band's mean as a line (with
// point markers when there are few points) and its interval as a
// translucent area of the same colour, coloured by name from pal (nil: see
// [Palette]). An X axis of whole numbers (steps) gets whole-number ticks;
// the legend sits outside the data.
func NewBands(title string, bands []Band, pal *Palette) (*Plot, error) {
	if len(bands) == 0 {
		return nil, fmt.Errorf("band chart %q: no data", title)
	}
	p := newPlot(title)
	p.pal = pal
	p.p.Add(plotter.NewGrid())
	intX := true
	var lines []plot.Plotter // drawn over every band's area
	for _, b := range bands {
		n := len(b.X)
		if n == 0 || len(b.Mean) != n || len(b.Lo) != n || len(b.Hi) != n {
			return nil, fmt.Errorf("band chart %q: series %q has %d x, %d means, %d lows, %d highs", title, b.Name, n, len(b.Mean), len(b.Lo), len(b.Hi))
		}
		intX = intX && allIntegers(b.X)
		poly := make(plotter.XYs, 0, 2*n)
		for i := 0; i < n; i++ {
			poly = append(poly, plotter.XY{X: b.X[i], Y: b.Hi[i]})
		}
		for i := n - 1; i >= 0; i-- {
			poly = append(poly, plotter.XY{X: b.X[i], Y: b.Lo[i]})
		}
		area, err := plotter.NewPolygon(poly)
		if err != nil {
			return nil, fmt.Errorf("band chart %q: series %q: %w", title, b.Name, err)
		}
		area.LineStyle.Width = 0
		xys := make(plotter.XYs, n)
		for i := range xys {
			xys[i] = plotter.XY{X: b.X[i], Y: b.Mean[i]}
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, fmt.Errorf("band chart %q: series %q: %w", title, b.Name, err)
		}
		l.Width = vg.Points(2)
		p.p.Add(area)
		lines = append(lines, l)
		thumbs := []plot.Thumbnailer{area, l}
		var pts *plotter.Scatter
		if n <= 25 {
			if pts, err = plotter.NewScatter(xys); err != nil {
				return nil, fmt.Errorf("band chart %q: series %q: %w", title, b.Name, err)
			}
			pts.Shape, pts.Radius = draw.CircleGlyph{}, vg.Points(2.5)
			lines = append(lines, pts)
			thumbs = append(thumbs, pts)
		}
		p.addSeries(b.Name, func(c color.Color) {
			area.Color, l.Color = translucent(c, 0x38), c
			if pts != nil {
				pts.Color = c
			}
		}, thumbs...)
	}
	p.p.Add(lines...)
	if intX {
		p.p.X.Tick.Marker = intTicks{}
	}
	p.recolor()
	return p, nil
}

// ShowBands shows NewBands (see Plot.Show).
func ShowBands(title string, bands []Band, pal *Palette) error {
	return show(NewBands(title, bands, pal))
}
