package display

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

func TestIntTicks(t *testing.T) {
	cases := []struct {
		lo, hi float64
		want   string // labels
	}{
		{1, 3, "1,2,3"},
		{1, 2, "1,2"},
		{0.8, 1.2, "1"},
		{0, 5, "0,1,2,3,4,5"},
		{1, 20, "5,10,15,20"},
		{2.5, 7.5, "3,4,5,6,7"},
		{0, 398, "0,50,100,150,200,250,300,350"},
		{-3, 3, "-3,-2,-1,0,1,2,3"},
		{1, 1000, "200,400,600,800,1000"},
		{0.2, 0.8, ""},
	}
	for _, c := range cases {
		var labels []string
		for _, tk := range (intTicks{}).Ticks(c.lo, c.hi) {
			if tk.Value != math.Trunc(tk.Value) {
				t.Errorf("Ticks(%v, %v): tick at %v, not a whole number", c.lo, c.hi, tk.Value)
			}
			if tk.Label != "" {
				labels = append(labels, tk.Label)
			}
		}
		if got := strings.Join(labels, ","); got != c.want {
			t.Errorf("Ticks(%v, %v) labels %s, want %s", c.lo, c.hi, got, c.want)
		}
	}
}

// TestIntegerAxes: an axis whose data are whole numbers never gets a
// fractional tick, whatever its range.
func TestIntegerAxes(t *testing.T) {
	steps := func(n int) []float64 {
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(i + 1)
		}
		return x
	}
	band := func(n int) Band {
		x := steps(n)
		m := make([]float64, n)
		for i := range m {
			m[i] = 0.5 + 0.01*float64(i)
		}
		return Band{Name: "ppo", X: x, Mean: m, Lo: m, Hi: m}
	}
	mk := func(p *Plot, err error) *Plot {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name string
		p    *Plot
		x, y bool // integer axes
	}{
		{"bands 1 step", mk(NewBands("b", []Band{band(1)}, nil)), true, false},
		{"bands 2 steps", mk(NewBands("b", []Band{band(2)}, nil)), true, false},
		{"bands 6 steps", mk(NewBands("b", []Band{band(6)}, nil)), true, false},
		{"bands 300 steps", mk(NewBands("b", []Band{band(300)}, nil)), true, false},
		{"lines over steps", mk(NewLines("l", steps(3), []string{"a"}, [][]float64{{0.1, 0.2, 0.3}})), true, false},
		{"lines of counts", mk(NewLines("l", []float64{0.5, 1.5}, []string{"a"}, [][]float64{{1, 2}})), false, true},
		{"bar counts", mk(NewBarCounts("c", map[string]int{"a": 1, "b": 2})), false, true},
		{"histogram", mk(NewHistogram("h", []float64{0.1, 0.2, 0.2, 0.7}, 3)), false, true},
		{"int histogram", mk(NewHistogramInts("h", []int{1, 2, 2, 3}, 0)), true, true},
		{"int histogram, bins", mk(NewHistogramInts("h", []int{1, 2, 2, 30}, 4)), true, true},
		{"explicit", mk(NewLines("l", []float64{0.5, 1.5}, []string{"a"}, [][]float64{{0.5, 2}})).WithIntegerTicks(true, true), true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// Draw, so the axes get their final ranges.
			if _, err := c.p.PNG(); err != nil {
				t.Fatal(err)
			}
			for _, a := range []struct {
				name    string
				integer bool
				axis    func() (float64, float64, []string)
			}{
				{"X", c.x, func() (float64, float64, []string) {
					return c.p.p.X.Min, c.p.p.X.Max, tickLabels(c.p.p.X.Tick.Marker.Ticks(c.p.p.X.Min, c.p.p.X.Max))
				}},
				{"Y", c.y, func() (float64, float64, []string) {
					return c.p.p.Y.Min, c.p.p.Y.Max, tickLabels(c.p.p.Y.Tick.Marker.Ticks(c.p.p.Y.Min, c.p.p.Y.Max))
				}},
			} {
				if !a.integer {
					continue
				}
				lo, hi, labels := a.axis()
				for _, l := range labels {
					if strings.ContainsAny(l, ".e(") {
						t.Errorf("%s axis [%v, %v]: fractional tick %q in %v", a.name, lo, hi, l, labels)
					}
				}
			}
		})
	}
}

// tickLabels are the labelled ticks' labels; an unlabelled tick off a
// whole number reads "(minor V)".
func tickLabels(ts []plot.Tick) []string {
	var out []string
	for _, tk := range ts {
		switch {
		case tk.Label != "":
			out = append(out, tk.Label)
		case tk.Value != math.Trunc(tk.Value):
			out = append(out, fmt.Sprintf("(minor %v)", tk.Value))
		}
	}
	return out
}

func TestPaletteStable(t *testing.T) {
	variants := []string{"ppo-simple", "ppo-fresh", "ppo-continue"}
	cases := []struct {
		name  string
		pal   *Palette
		chart [][]string // the series of several charts
	}{
		{"listed names", NewPalette(variants...), [][]string{variants, {"ppo-continue", "ppo-simple"}, {"ppo-fresh"}, {"sft", "ppo-fresh", "base"}}},
		{"no palette", nil, [][]string{{"partial credit", "binary"}, {"binary", "released code", "partial credit"}, {"binary"}}},
		{"unlisted names", NewPalette("a", "b"), [][]string{{"x", "a"}, {"b", "x"}, {"x"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			seen := map[string]int{}
			for _, names := range c.chart {
				idx := c.pal.indices(names)
				used := map[int]string{}
				for i, n := range names {
					if j, ok := seen[n]; ok && j != idx[i] {
						t.Errorf("%q: colour %d, %d on an earlier chart", n, idx[i], j)
					}
					seen[n] = idx[i]
					if o, ok := used[idx[i]]; ok {
						t.Errorf("%q and %q share colour %d on one chart", o, n, idx[i])
					}
					used[idx[i]] = n
				}
			}
		})
	}
	pal := NewPalette(variants...)
	for i, v := range variants {
		if pal.Color(v) != paletteColor(i) {
			t.Errorf("%s: %v, want the palette's colour %d", v, pal.Color(v), i)
		}
	}
	// Unlisted names avoid the listed names' colours, and asking does not
	// change the palette.
	for _, n := range []string{"sft", "base", "x", "y", "z"} {
		for i := range variants {
			if pal.Color(n) == paletteColor(i) {
				t.Errorf("%s has %s's colour", n, variants[i])
			}
		}
	}
	if got := strings.Join(pal.Names(), ","); got != strings.Join(variants, ",") {
		t.Errorf("palette names %s after use", got)
	}
}

// TestChartColours: a series' colour on the drawn chart is its palette
// colour, whichever chart it is on.
func TestChartColours(t *testing.T) {
	pal := NewPalette("a", "b", "c")
	band := func(name string) Band {
		return Band{Name: name, X: []float64{1, 2}, Mean: []float64{1, 2}, Lo: []float64{0, 1}, Hi: []float64{2, 3}}
	}
	b1, _ := NewBands("one", []Band{band("a"), band("b"), band("c")}, pal)
	b2, _ := NewBands("two", []Band{band("c"), band("a")}, pal)
	l, _ := NewLines("three", []float64{1, 2}, []string{"b", "c"}, [][]float64{{1, 2}, {2, 1}})
	l.WithPalette(pal)
	g, _ := NewGroupedBar("four", []string{"x"}, []string{"c", "b"}, [][]float64{{1}, {2}})
	g.WithPalette(pal)
	for _, p := range []*Plot{b1, b2, l, g} {
		for _, e := range p.legend {
			want := pal.Color(e.name)
			if got := thumbColour(t, e); !sameRGB(got, want) {
				t.Errorf("%s: %s drawn in %v, want %v", p.Title(), e.name, got, want)
			}
		}
	}
}

// thumbColour is the colour in the middle of a legend entry's swatch.
func thumbColour(t *testing.T, e legendEntry) color.Color {
	t.Helper()
	c := vgimg.NewWith(vgimg.UseWH(20, 10), vgimg.UseDPI(72), vgimg.UseBackgroundColor(color.White))
	dc := draw.New(c)
	for _, th := range e.thumbs {
		th.Thumbnail(&dc)
	}
	return c.Image().At(10, 5)
}

func sameRGB(a, b color.Color) bool {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	return ar>>8 == br>>8 && ag>>8 == bg>>8 && ab>>8 == bb>>8
}

// TestLegendOutside: the legend box never overlaps the data area, for
// short names (right of the chart) and long ones (below it).
func TestLegendOutside(t *testing.T) {
	many := []string{"partial", "binary", "fraction", "partial-nosec", "ppo-simple", "ppo-continue"}
	long := []string{"partial credit as in Table III of the study", "the released code's reward", "binary"}
	mkBands := func(names []string) []Band {
		var bs []Band
		for i, n := range names {
			f := float64(i)
			bs = append(bs, Band{Name: n, X: []float64{1, 2, 3}, Mean: []float64{f, f + 1, f}, Lo: []float64{f - 1, f, f - 1}, Hi: []float64{f + 1, f + 2, f + 1}})
		}
		return bs
	}
	cases := []struct {
		name  string
		mk    func() (*Plot, error)
		below bool
		w, h  int
	}{
		{"bands", func() (*Plot, error) { return NewBands("Reward per step", mkBands(many), nil) }, false, DefaultWidth, DefaultHeight},
		{"bands long names", func() (*Plot, error) { return NewBands("Reward per step", mkBands(long), nil) }, true, DefaultWidth, DefaultHeight},
		{"grouped bars", func() (*Plot, error) {
			return NewGroupedBar("Ladder", []string{"a", "b"}, []string{"partial credit (Table III)", "released code", "binary"}, [][]float64{{0, 1}, {0, 1}, {0, 1}})
		}, false, DefaultWidth, DefaultHeight},
		{"small lines", func() (*Plot, error) {
			return NewLines("Ladder", []float64{0, 1, 2}, []string{"partial credit", "binary"}, [][]float64{{0, 0.5, 1}, {0, 0, 1}})
		}, false, 640, 320},
		{"narrow", func() (*Plot, error) { return NewBands("Reward per step", mkBands(many), nil) }, true, 300, 300},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := c.mk()
			if err != nil {
				t.Fatal(err)
			}
			p.WithSize(c.w, c.h)
			w, h := p.lengths()
			l := p.layout(vg.Rectangle{Max: vg.Point{X: w, Y: h}})
			data := p.dataArea(l.chart)
			if l.below != c.below {
				t.Errorf("legend below %v, want %v", l.below, c.below)
			}
			if overlaps(l.legend, data) {
				t.Errorf("legend %v overlaps the data area %v", l.legend, data)
			}
			if l.legend.Min.X < 0 || l.legend.Min.Y < 0 || l.legend.Max.X > w || l.legend.Max.Y > h {
				t.Errorf("legend %v outside the canvas %v×%v", l.legend, w, h)
			}
			if l.columns*l.rows < len(p.legend) {
				t.Errorf("%d×%d legend cells for %d entries", l.columns, l.rows, len(p.legend))
			}
			if data.Size().X < w/3 || data.Size().Y < h/4 {
				t.Errorf("data area %v too small in %v×%v", data.Size(), w, h)
			}
		})
	}
}

func overlaps(a, b vg.Rectangle) bool {
	return a.Min.X < b.Max.X && b.Min.X < a.Max.X && a.Min.Y < b.Max.Y && b.Min.Y < a.Max.Y
}

// TestBandsRender: each band's area is drawn translucent in its series'
// colour, under its line, in the data area.
func TestBandsRender(t *testing.T) {
	b := Band{Name: "ppo", X: []float64{1, 2, 3}, Mean: []float64{0.5, 0.5, 0.5}, Lo: []float64{0, 0, 0}, Hi: []float64{1, 1, 1}}
	p, err := NewBands("band", []Band{b}, NewPalette("ppo"))
	if err != nil {
		t.Fatal(err)
	}
	p.WithSize(400, 300)
	raw, err := p.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	w, h := p.lengths()
	data := p.dataArea(p.layout(vg.Rectangle{Max: vg.Point{X: w, Y: h}}).chart)
	px := func(x, y vg.Length) color.Color { // canvas points → image pixels (y down)
		return img.At(int(x/vg.Inch*DPI), int((h-y)/vg.Inch*DPI))
	}
	cx := (data.Min.X + data.Max.X) / 2
	line := px(cx, (data.Min.Y+data.Max.Y)/2)
	area := px(cx+5, data.Min.Y+(data.Max.Y-data.Min.Y)*0.8)
	want := paletteColor(0)
	if !sameRGB(line, want) {
		t.Errorf("mean line %v, want %v", line, want)
	}
	// Translucent over white: lighter than the colour, same hue order.
	ar, ag, ab, _ := area.RGBA()
	wr, wg, wb, _ := want.RGBA()
	if !(ar > wr && ag > wg && ab >= wb) || sameRGB(area, color.White) {
		t.Errorf("band area %v: want a light tint of %v", area, want)
	}
	if _, err := NewBands("bad", []Band{{Name: "x", X: []float64{1}, Mean: []float64{1}}}, nil); err == nil || !strings.Contains(err.Error(), `series "x" has 1 x, 1 means, 0 lows, 0 highs`) {
		t.Errorf("mismatched band: %v", err)
	}
}

func TestWrapTitle(t *testing.T) {
	p := newPlot("Training reward (each arm its own) — mean over seeds, band lowest to highest seed, all arms")
	sty := p.titleStyle()
	for _, w := range []vg.Length{150, 300, 2000} {
		got := wrapText(sty, p.p.Title.Text, w)
		if strings.ReplaceAll(got, "\n", " ") != p.p.Title.Text {
			t.Errorf("width %v: words changed: %q", w, got)
		}
		for _, line := range strings.Split(got, "\n") {
			if sty.Width(line) > w && strings.Contains(line, " ") {
				t.Errorf("width %v: line %q is %v wide", w, line, sty.Width(line))
			}
		}
	}
}

func TestNotebookImage(t *testing.T) {
	p, err := NewBar("t", []string{"a"}, []float64{1})
	if err != nil {
		t.Fatal(err)
	}
	p.WithSize(300, 200)
	s, _, r := testSink(t, true, false)
	var sizes []string
	s.showImage = func(b []byte, w, h int) {
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, fmt.Sprintf("%dx%d shown at %dx%d", img.Bounds().Dx(), img.Bounds().Dy(), w, h))
	}
	if err := s.plot(p, ".png"); err != nil {
		t.Fatal(err)
	}
	if len(r.pngs) != 0 || strings.Join(sizes, ";") != "600x400 shown at 300x200" {
		t.Errorf("notebook image: %v (%d plain PNGs)", sizes, len(r.pngs))
	}
	if _, err := p.PNGAt(0); err == nil {
		t.Error("PNGAt(0) did not fail")
	}
}
