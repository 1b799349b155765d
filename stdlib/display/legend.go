package display

import (
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legendEntry is one named series in a chart's legend.
type legendEntry struct {
	name   string
	thumbs []plot.Thumbnailer
}

// Where the legend goes: to the right of the chart when it takes at most
// legendRightShare of the width, below it otherwise.
const (
	legendRightShare = 0.3
	legendGap        = vg.Length(10) // points between the chart and its legend
	legendThumb      = vg.Length(20) // points: width of an entry's swatch
	legendPadding    = vg.Length(3)  // points between entries
	legendColumnGap  = vg.Length(16) // points between columns below the chart
)

// layout is where a chart's parts go on a canvas.
type layout struct {
	title     vg.Rectangle // the title (wrapped to the width)
	titleText string
	chart     vg.Rectangle // axes and data: what gonum draws
	legend    vg.Rectangle // the legend, outside chart's data area
	below     bool         // the legend is below the chart, in columns
	columns   int
	rows      int
}

func (p *Plot) titleStyle() text.Style {
	sty := p.p.Title.TextStyle
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YTop
	return sty
}

// entrySize is the size of the widest legend entry and of one entry's row.
func (p *Plot) entrySize() (w, h vg.Length) {
	sty := p.p.Legend.TextStyle
	for _, e := range p.legend {
		r := sty.Rectangle(" " + e.name)
		// 20% to spare for a browser's stand-in font in SVG (DejaVu
		// Sans is that much wider than Liberation Sans).
		w = max(w, legendThumb+r.Max.X*1.2)
		h = max(h, r.Max.Y)
	}
	return w, h
}

// layout places the title, chart and legend on a canvas of the given size.
func (p *Plot) layout(c vg.Rectangle) layout {
	var l layout
	width := c.Size().X
	l.titleText = wrapText(p.titleStyle(), p.p.Title.Text, width-vg.Points(8))
	top := c.Max.Y
	if l.titleText != "" {
		h := p.titleStyle().Height(l.titleText)
		l.title = vg.Rectangle{Min: vg.Point{X: c.Min.X, Y: top - h}, Max: vg.Point{X: c.Max.X, Y: top}}
		top -= h + p.p.Title.Padding
	}
	l.chart = vg.Rectangle{Min: c.Min, Max: vg.Point{X: c.Max.X, Y: top}}
	if len(p.legend) == 0 {
		return l
	}
	ew, eh := p.entrySize()
	n := len(p.legend)
	if ew <= vg.Length(legendRightShare)*width {
		// Right of the chart, its top level with the data area's.
		l.columns, l.rows = 1, n
		l.chart.Max.X = c.Max.X - ew - legendGap
		h := vg.Length(n)*eh + vg.Length(n-1)*legendPadding
		dataTop := p.dataArea(l.chart).Max.Y
		l.legend = vg.Rectangle{Min: vg.Point{X: c.Max.X - ew, Y: dataTop - h}, Max: vg.Point{X: c.Max.X, Y: dataTop}}
		return l
	}
	// Below the chart, in as many columns as fit.
	l.below = true
	l.columns = max(1, min(n, int((width+legendColumnGap)/(ew+legendColumnGap))))
	l.rows = (n + l.columns - 1) / l.columns
	h := vg.Length(l.rows)*eh + vg.Length(l.rows-1)*legendPadding
	l.chart.Min.Y = c.Min.Y + h + legendGap
	totalW := vg.Length(l.columns)*ew + vg.Length(l.columns-1)*legendColumnGap
	x0 := c.Min.X + (width-totalW)/2
	l.legend = vg.Rectangle{Min: vg.Point{X: x0, Y: c.Min.Y}, Max: vg.Point{X: x0 + totalW, Y: c.Min.Y + h}}
	return l
}

// dataArea is where gonum draws the data when the axes and data take r.
func (p *Plot) dataArea(r vg.Rectangle) vg.Rectangle {
	pp := *p.p
	pp.Title.Text = ""
	return pp.DataCanvas(draw.Canvas{Rectangle: r}).Rectangle
}

// drawLegend draws the legend entries in l.legend.
func (p *Plot) drawLegend(c draw.Canvas, l layout) {
	if len(p.legend) == 0 {
		return
	}
	ew, _ := p.entrySize()
	for col := range l.columns {
		leg := plot.NewLegend()
		leg.TextStyle = p.p.Legend.TextStyle
		leg.ThumbnailWidth = legendThumb
		leg.Padding = legendPadding
		leg.Top, leg.Left = true, true
		for _, e := range p.legend[min(col*l.rows, len(p.legend)):min((col+1)*l.rows, len(p.legend))] {
			leg.Add(e.name, e.thumbs...)
		}
		x := l.legend.Min.X + vg.Length(col)*(ew+legendColumnGap)
		leg.Draw(draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: x, Y: l.legend.Min.Y}, Max: vg.Point{X: x + ew, Y: l.legend.Max.Y}}})
	}
}

// wrapText breaks s between words so that no line is wider than width.
func wrapText(sty text.Style, s string, width vg.Length) string {
	if s == "" || sty.Width(s) <= width {
		return s
	}
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			if line != "" && sty.Width(line+" "+w) > width {
				lines = append(lines, line)
				line = w
				continue
			}
			if line != "" {
				line += " "
			}
			line += w
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}
