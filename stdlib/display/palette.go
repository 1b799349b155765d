package display

import (
	"hash/fnv"
	"image/color"
)

// numColors is the number of series colours.
const numColors = 8

// seriesColors is the series palette: Okabe and Ito's colour-blind-safe
// colours, with their yellow (too pale for a line on white) darkened.
func seriesColors() [numColors]color.NRGBA {
	return [...]color.NRGBA{
		{0x00, 0x72, 0xb2, 0xff}, // blue
		{0xe6, 0x9f, 0x00, 0xff}, // orange
		{0x00, 0x9e, 0x73, 0xff}, // bluish green
		{0xd5, 0x5e, 0x00, 0xff}, // vermillion
		{0xcc, 0x79, 0xa7, 0xff}, // reddish purple
		{0x56, 0xb4, 0xe9, 0xff}, // sky blue
		{0x33, 0x33, 0x33, 0xff}, // near black
		{0x99, 0x77, 0x00, 0xff}, // dark yellow
	}
}

// paletteColor is the i-th series colour.
func paletteColor(i int) color.NRGBA {
	cs := seriesColors()
	return cs[((i%len(cs))+len(cs))%len(cs)]
}

// translucent is c with alpha a (0–255), for bands and areas.
func translucent(c color.Color, a uint8) color.NRGBA {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = a
	return n
}

// Palette gives each named series one colour on every chart that uses it.
// The names the palette is made with take the palette's colours in order;
// any other name gets a colour fixed by the name itself (a hash into the
// colours the listed names leave free), so it too keeps its colour from
// chart to chart and from cell to cell. Within one chart two series never
// share a colour while colours remain (a name whose colour is taken moves
// to the next free one).
//
// A nil *Palette is the palette with no listed names: every series is
// coloured by its name. Charts made without a palette use it, so a name
// has the same colour on all of them; make one palette per notebook, with
// its series in the order they should be told apart, and pass it (or
// [Plot.WithPalette]) when the exact colours matter.
//
// A Palette is not changed by use.
type Palette struct {
	names []string
}

// NewPalette is a palette for the named series, in order.
func NewPalette(names ...string) *Palette { return &Palette{names: append([]string(nil), names...)} }

// Names are the names the palette was made with.
func (p *Palette) Names() []string {
	if p == nil {
		return nil
	}
	return append([]string(nil), p.names...)
}

// Color is the colour of a named series (on a chart where no other series
// has taken it).
func (p *Palette) Color(name string) color.Color { return paletteColor(p.indices([]string{name})[0]) }

// listed is name's position among the palette's names, or -1.
func (p *Palette) listed(name string) int {
	if p == nil {
		return -1
	}
	for i, n := range p.names {
		if n == name {
			return i
		}
	}
	return -1
}

// indices assigns palette colours to one chart's series, in order.
func (p *Palette) indices(names []string) []int {
	const n = numColors
	var reserved, taken [n]bool
	if p != nil {
		for i := range min(len(p.names), n) {
			reserved[i] = true
		}
	}
	out := make([]int, len(names))
	rest := []int{}
	for i, name := range names {
		if j := p.listed(name); j >= 0 {
			out[i] = j % n
			taken[j%n] = true
			continue
		}
		rest = append(rest, i)
	}
	for _, i := range rest {
		start := 0
		if names[i] != "" {
			h := fnv.New32a()
			h.Write([]byte(names[i]))
			start = int(h.Sum32() % n)
		}
		out[i] = start
		// The first colour neither reserved by a listed name nor taken
		// on this chart; failing that, the first not taken here.
		for _, free := range []func(int) bool{
			func(k int) bool { return !reserved[k] && !taken[k] },
			func(k int) bool { return !taken[k] },
		} {
			found := false
			for d := range n {
				if k := (start + d) % n; free(k) {
					out[i], found = k, true
					break
				}
			}
			if found {
				break
			}
		}
		taken[out[i]] = true
	}
	return out
}
