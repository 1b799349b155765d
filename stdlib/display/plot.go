package display

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// DPI is the resolution plots are rendered at: a Plot of W×H pixels is
// W/DPI × H/DPI inches.
const DPI = 96

// Default plot size in pixels.
const (
	DefaultWidth  = 720
	DefaultHeight = 400
)

// Plot is a chart ready to show or save. Build one with NewBar, NewBarCounts,
// NewGroupedBar, NewLines, NewHistogram or NewHistogramInts; adjust it with
// its With* methods (which return the plot, so calls chain); show it with
// Show or ShowSVG, or write it with PNG, SVG or Save.
type Plot struct {
	title         string
	p             *plot.Plot
	width, height int
}

func newPlot(title string) *Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(13)
	p.Y.Tick.Label.Font.Size = vg.Points(10)
	p.X.Tick.Label.Font.Size = vg.Points(10)
	p.Y.Tick.Marker = niceTicks{}
	p.X.Tick.Marker = niceTicks{}
	p.Legend.Top = true
	p.Legend.TextStyle.Font.Size = vg.Points(10)
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

// Gonum returns the underlying gonum plot, for anything the helpers do not
// cover.
func (p *Plot) Gonum() *plot.Plot { return p.p }

func (p *Plot) lengths() (vg.Length, vg.Length) {
	return vg.Length(p.width) * vg.Inch / DPI, vg.Length(p.height) * vg.Inch / DPI
}

// PNG renders the plot as a PNG image of exactly its size in pixels.
func (p *Plot) PNG() ([]byte, error) {
	w, h := p.lengths()
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(DPI), vgimg.UseBackgroundColor(color.White))
	p.p.Draw(draw.New(c))
	var b bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&b); err != nil {
		return nil, fmt.Errorf("plot %q: png: %w", p.title, err)
	}
	return b.Bytes(), nil
}

// SVG renders the plot as an SVG document.
func (p *Plot) SVG() ([]byte, error) {
	w, h := p.lengths()
	c := vgsvg.New(w, h)
	p.p.Draw(draw.New(c))
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return nil, fmt.Errorf("plot %q: svg: %w", p.title, err)
	}
	return b.Bytes(), nil
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

// Show displays the plot as a PNG image in a notebook; elsewhere it saves
// it under $SCRL_PLOT_DIR (default out/plots) as TITLE.png and prints the
// path.
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
		b, err := p.PNG()
		if err != nil {
			return err
		}
		s.showPNG(b)
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
// names the series (unless there is a single unnamed one).
func NewGroupedBar(title string, labels []string, series []string, values [][]float64) (*Plot, error) {
	if len(labels) == 0 {
		return nil, fmt.Errorf("bar chart %q: no bars", title)
	}
	if len(series) != len(values) {
		return nil, fmt.Errorf("bar chart %q: %d series names, %d value lists", title, len(series), len(values))
	}
	p := newPlot(title)
	n := len(series)
	// Bars share 70% of the width available to one label.
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
		b.Color = paletteColor(i)
		b.LineStyle.Width = 0
		b.Offset = barW * (vg.Length(i) - vg.Length(n-1)/2)
		p.p.Add(b)
		if series[i] != "" {
			p.p.Legend.Add(series[i], b)
		}
		if n == 1 && len(labels) <= 24 {
			if err := addValueLabels(p.p, vs, b.Offset); err != nil {
				return nil, fmt.Errorf("bar chart %q: %w", title, err)
			}
		}
	}
	p.p.NominalX(labels...)
	p.p.X.Min, p.p.X.Max = -0.5, float64(len(labels))-0.5
	p.p.Y.Min = math.Min(0, p.p.Y.Min)
	if top > 0 {
		p.p.Y.Max = top * 1.12 // room for the value labels
		if n > 1 {
			p.p.Y.Max = top * (1.1 + 0.07*float64(n)) // and for the legend
		}
	}
	rotateLongLabels(p.p, labels)
	return p, nil
}

func addValueLabels(p *plot.Plot, vs []float64, offset vg.Length) error {
	xys := make(plotter.XYs, len(vs))
	texts := make([]string, len(vs))
	for i, v := range vs {
		xys[i] = plotter.XY{X: float64(i), Y: v}
		texts[i] = Cell(v)
	}
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: texts})
	if err != nil {
		return err
	}
	for i := range l.TextStyle {
		l.TextStyle[i].Font.Size = vg.Points(9)
		l.TextStyle[i].XAlign = draw.XCenter
	}
	l.Offset = vg.Point{X: offset, Y: vg.Points(2)}
	p.Add(l)
	return nil
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
// the series.
func NewLines(title string, x []float64, names []string, series [][]float64) (*Plot, error) {
	if len(names) != len(series) {
		return nil, fmt.Errorf("line chart %q: %d names, %d series", title, len(names), len(series))
	}
	if len(series) == 0 || len(x) == 0 {
		return nil, fmt.Errorf("line chart %q: no data", title)
	}
	p := newPlot(title)
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
		c := paletteColor(i)
		l.Color, l.Width = c, vg.Points(2)
		pts.Color, pts.Shape = c, draw.CircleGlyph{}
		p.p.Add(l, pts)
		if names[i] != "" {
			p.p.Legend.Add(names[i], l, pts)
		}
	}
	p.p.Add(plotter.NewGrid())
	p.p.Legend.Left = true
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
// the square root of the number of values, at most 40).
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
// into at most 40 bins of equal integer width).
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
	if bins > 0 {
		return NewHistogram(title, fs, bins)
	}
	from, to, bins := intBins(lo, hi)
	p, err := histogram(title, fs, from, to, bins)
	if err != nil {
		return nil, err
	}
	p.p.X.Tick.Marker = intTicks{}
	return p, nil
}

// niceTicks labels round values (1, 2 or 5 times a power of ten)
// five to eight times across the range, with unlabelled minor ticks between.
type niceTicks struct{}

// Ticks implements plot.Ticker.
func (niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return plot.DefaultTicks{}.Ticks(lo, hi)
	}
	raw := (hi - lo) / 7
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, f := range []float64{1, 2, 5} {
		if f*mag >= raw {
			step = f * mag
			break
		}
	}
	minor := step / 5
	var ts []plot.Tick
	const eps = 1e-9
	for i := math.Ceil(lo/minor - eps); i*minor <= hi+eps*step; i++ {
		v := i * minor
		t := plot.Tick{Value: v}
		if r := math.Abs(math.Remainder(v, step)); r < minor/2 {
			t.Label = Cell(v)
		}
		ts = append(ts, t)
	}
	return ts
}

// intBins spreads the integers lo..hi over at most 40 bins of equal
// integer width, each centred on whole numbers.
func intBins(lo, hi int) (from, to float64, bins int) {
	span := hi - lo + 1
	step := (span + 39) / 40
	bins = (span + step - 1) / step
	return float64(lo) - 0.5, float64(lo) - 0.5 + float64(bins*step), bins
}

// intTicks puts labelled ticks on whole numbers only, at a step of 1, 2 or
// 5 times a power of ten giving at most ten labels.
type intTicks struct{}

// Ticks implements plot.Ticker.
func (intTicks) Ticks(lo, hi float64) []plot.Tick {
	first, last := int(math.Ceil(lo)), int(math.Floor(hi))
	if last < first {
		return nil
	}
	step := 1
	for m := 1; (last-first)/step >= 10; m *= 10 {
		for _, f := range []int{1, 2, 5} {
			step = f * m
			if (last-first)/step < 10 {
				break
			}
		}
		if (last-first)/step < 10 {
			break
		}
	}
	var ts []plot.Tick
	for v := first; v <= last; v++ {
		if v%step == 0 {
			ts = append(ts, plot.Tick{Value: float64(v), Label: strconv.Itoa(v)})
		} else if step <= 5 {
			ts = append(ts, plot.Tick{Value: float64(v)})
		}
	}
	return ts
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

// paletteColor is the i-th series colour (a colour-blind-safe palette).
func paletteColor(i int) color.Color {
	p := [...]color.RGBA{
		{0x1f, 0x77, 0xb4, 0xff}, // blue
		{0xff, 0x7f, 0x0e, 0xff}, // orange
		{0x2c, 0xa0, 0x2c, 0xff}, // green
		{0xd6, 0x27, 0x28, 0xff}, // red
		{0x94, 0x67, 0xbd, 0xff}, // purple
		{0x8c, 0x56, 0x4b, 0xff}, // brown
		{0xe3, 0x77, 0xc2, 0xff}, // pink
		{0x7f, 0x7f, 0x7f, 0xff}, // grey
	}
	return p[i%len(p)]
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

// Palette gives each named series one colour on every chart that uses it:
// a name's colour is fixed by its position in the list the palette was
// made with (names not in it follow, in the order first asked).
type Palette struct {
	names []string
}

// NewPalette is a palette for the named series, in order.
func NewPalette(names ...string) *Palette { return &Palette{names: append([]string(nil), names...)} }

// Color is the colour of a named series.
func (p *Palette) Color(name string) color.Color {
	for i, n := range p.names {
		if n == name {
			return paletteColor(i)
		}
	}
	p.names = append(p.names, name)
	return paletteColor(len(p.names) - 1)
}

// NewBands is a line chart of bands: each band's mean as a line and its
// interval as a translucent area of the same colour, coloured by pal (nil:
// in order). Step axes get integer ticks; the legend sits below the data.
func NewBands(title string, bands []Band, pal *Palette) (*Plot, error) {
	if len(bands) == 0 {
		return nil, fmt.Errorf("band chart %q: no data", title)
	}
	if pal == nil {
		pal = NewPalette()
	}
	p := newPlot(title)
	for _, b := range bands {
		n := len(b.X)
		if n == 0 || len(b.Mean) != n || len(b.Lo) != n || len(b.Hi) != n {
			return nil, fmt.Errorf("band chart %q: series %q has %d x, %d means, %d lows, %d highs", title, b.Name, n, len(b.Mean), len(b.Lo), len(b.Hi))
		}
		c := pal.Color(b.Name)
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
		r, g, bl, _ := c.RGBA()
		area.Color = color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), 0x40}
		area.LineStyle.Width = 0
		xys := make(plotter.XYs, n)
		for i := range xys {
			xys[i] = plotter.XY{X: b.X[i], Y: b.Mean[i]}
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, fmt.Errorf("band chart %q: series %q: %w", title, b.Name, err)
		}
		l.Color, l.Width = c, vg.Points(2)
		p.p.Add(area, l)
		p.p.Legend.Add(b.Name, l)
	}
	p.p.Add(plotter.NewGrid())
	p.p.X.Tick.Marker = integerTicks{}
	p.p.Legend.Top = false
	p.p.Legend.Left = false
	return p, nil
}

// ShowBands renders NewBands in the notebook (or prints a summary outside one).
func ShowBands(title string, bands []Band, pal *Palette) error {
	p, err := NewBands(title, bands, pal)
	if err != nil {
		return err
	}
	return p.Show()
}

// integerTicks are niceTicks at integer positions only (steps, counts).
type integerTicks struct{}

// Ticks implements plot.Ticker.
func (integerTicks) Ticks(min, max float64) []plot.Tick {
	var out []plot.Tick
	for _, t := range (niceTicks{}).Ticks(min, max) {
		if t.Value == math.Trunc(t.Value) {
			out = append(out, t)
		}
	}
	if len(out) < 2 {
		for v := math.Ceil(min); v <= max; v++ {
			out = append(out, plot.Tick{Value: v, Label: strconv.Itoa(int(v))})
		}
	}
	return out
}
