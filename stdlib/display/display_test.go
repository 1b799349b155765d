package display

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// recorder is a sink whose notebook side records what it was sent.
type recorder struct {
	html, md []string
	pngs     [][]byte
	svgs     []string
	updates  []string // "id: html"
}

func testSink(t *testing.T, notebook, tty bool) (sink, *bytes.Buffer, *recorder) {
	t.Helper()
	var out bytes.Buffer
	r := &recorder{}
	n := 0
	return sink{
		notebook:     notebook,
		out:          &out,
		errw:         io.Discard,
		tty:          tty,
		plotDir:      t.TempDir(),
		showHTML:     func(h string) { r.html = append(r.html, h) },
		showMarkdown: func(m string) { r.md = append(r.md, m) },
		showPNG:      func(b []byte) { r.pngs = append(r.pngs, b) },
		showSVG:      func(s string) { r.svgs = append(r.svgs, s) },
		updateHTML:   func(id, h string) { r.updates = append(r.updates, id+": "+h) },
		newID:        func() string { n++; return "id" + string(rune('0'+n)) },
	}, &out, r
}

func TestCell(t *testing.T) {
	cases := []struct {
		in   any
		want string
	}{
		{nil, ""},
		{"x", "x"},
		{42, "42"},
		{0.1 + 0.2, "0.3"},
		{99.74874, "99.749"},
		{1.0, "1"},
		{-0.0001, "0"},
		{123456.7, "123457"},
		{float32(0.5), "0.5"},
		{errors.New("boom"), "boom"},
		{2 * time.Second, "2s"},
		{true, "true"},
		{[]int{1, 2}, "[1 2]"},
	}
	for _, c := range cases {
		if got := Cell(c.in); got != c.want {
			t.Errorf("Cell(%#v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTableText(t *testing.T) {
	cases := []struct {
		name   string
		title  string
		header []string
		rows   [][]any
		want   []string // substrings
		err    string
	}{
		{"basic", "Counts", []string{"kind", "n"}, [][]any{{"stdin", 138}, {"call", 12}},
			[]string{"Counts\n", "│ kind  │ n   │", "│ stdin │ 138 │", "│ call  │  12 │"}, ""},
		{"short row padded", "", []string{"a", "b", "c"}, [][]any{{"x"}}, []string{"│ x │   │   │"}, ""},
		{"no header", "", nil, [][]any{{"only", 1.5}}, []string{"│ only │ 1.5 │"}, ""},
		{"header only", "", []string{"h"}, nil, []string{"│ h │"}, ""},
		{"long row", "", []string{"a"}, [][]any{{1, 2}}, nil, "row 1 has 2 cells, header 1"},
		{"empty", "", nil, nil, nil, "no columns"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := TableText(c.title, c.header, c.rows)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("table lacks %q:\n%s", w, got)
				}
			}
		})
	}
}

func TestTableHTML(t *testing.T) {
	h, err := TableHTML("A <title>", []string{"name", "score"}, [][]any{{"a<b", 0.5}, {"plain", 3}})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"<b>A &lt;title&gt;</b>", "<table>", "<th", ">name</th>", ">a&lt;b</td>", ">0.5</td>", ">plain</td>", ">3</td>", "</table>"} {
		if !strings.Contains(h, w) {
			t.Errorf("HTML lacks %q:\n%s", w, h)
		}
	}
	if strings.Contains(h, "a<b") {
		t.Errorf("cell not escaped:\n%s", h)
	}
	// Well-formed: the fragment parses as XML.
	if err := xml.Unmarshal([]byte(h), new(struct{})); err != nil {
		t.Errorf("HTML does not parse: %v\n%s", err, h)
	}
}

func TestTableSinks(t *testing.T) {
	s, out, r := testSink(t, false, false)
	if err := s.table("T", []string{"a"}, [][]any{{1}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "│ 1 │") || len(r.html) != 0 {
		t.Fatalf("terminal table: out %q, html %v", out, r.html)
	}
	s, out, r = testSink(t, true, false)
	if err := s.table("T", []string{"a"}, [][]any{{1}}); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 || len(r.html) != 1 || !strings.Contains(r.html[0], ">1</td>") {
		t.Fatalf("notebook table: out %q, html %v", out, r.html)
	}
	s, out, r = testSink(t, true, false)
	s.markdown("# hi")
	s.html("<i>x</i>")
	if out.Len() != 0 || len(r.md) != 1 || len(r.html) != 1 {
		t.Fatalf("notebook markdown/html: out %q, %v %v", out, r.md, r.html)
	}
	s, out, _ = testSink(t, false, false)
	s.markdown("# hi")
	if out.String() != "# hi\n" {
		t.Fatalf("terminal markdown: %q", out)
	}
}

func plots(t *testing.T) map[string]*Plot {
	t.Helper()
	mk := func(p *Plot, err error) *Plot {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	return map[string]*Plot{
		"bar":       mk(NewBar("Stages", []string{"syntax_error", "parses", "passes_all"}, []float64{1, 83, 39})),
		"counts":    mk(NewBarCounts("Buckets", map[string]int{"no_output": 5, "wrong_output": 9})),
		"grouped":   mk(NewGroupedBar("Ours vs study", []string{"syntax", "clean"}, []string{"ours", "study"}, [][]float64{{99, 100}, {100, 95}})),
		"lines":     mk(NewLinesMap("Ladder", []float64{0, 1, 2}, map[string][]float64{"partial": {0, .2, .4}, "seed": {0, .2, .6}})),
		"histogram": mk(NewHistogram("Values", []float64{0.1, 0.5, 0.5, 0.9}, 0)),
		"ints":      mk(NewHistogramInts("Tests per problem", []int{1, 2, 2, 3, 5, 9}, 0)),
	}
}

func TestPlotRender(t *testing.T) {
	for name, p := range plots(t) {
		t.Run(name, func(t *testing.T) {
			p.WithSize(400, 250).WithLabels("x", "y")
			b, err := p.PNG()
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("PNG does not decode: %v", err)
			}
			if got := img.Bounds().Size(); got.X != 400 || got.Y != 250 {
				t.Fatalf("PNG is %v, want 400x250", got)
			}
			svg, err := p.SVG()
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				XMLName xml.Name
				Width   string `xml:"width,attr"`
				Height  string `xml:"height,attr"`
			}
			if err := xml.Unmarshal(svg, &doc); err != nil {
				t.Fatalf("SVG does not parse: %v", err)
			}
			if doc.XMLName.Local != "svg" || doc.Width == "" || doc.Height == "" {
				t.Fatalf("SVG root %+v", doc)
			}
			if !bytes.Contains(svg, []byte(p.Title())) {
				t.Errorf("SVG lacks the title %q", p.Title())
			}
		})
	}
}

func TestPlotErrors(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"bar lengths", second(NewBar("t", []string{"a"}, []float64{1, 2})), "1 labels, 2 values"},
		{"no bars", second(NewBar("t", nil, nil)), "no bars"},
		{"nan", second(NewBar("t", []string{"a"}, []float64{nan()})), "NaN"},
		{"series length", second(NewLines("t", []float64{1, 2}, []string{"s"}, [][]float64{{1}})), `series "s" has 1 values for 2 x values`},
		{"empty histogram", second(NewHistogram("t", nil, 0)), "no values"},
		{"empty int histogram", second(NewHistogramInts("t", nil, 0)), "no values"},
	}
	for _, c := range cases {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", c.name, c.err, c.want)
		}
	}
	p, _ := NewBar("t", []string{"a"}, []float64{1})
	if err := p.Save(filepath.Join(t.TempDir(), "x.gif")); err == nil || !strings.Contains(err.Error(), ".png or .svg") {
		t.Errorf("save .gif: %v", err)
	}
}

func second(_ *Plot, err error) error { return err }

func nan() float64 { return math.NaN() }

func TestPlotSinks(t *testing.T) {
	p, err := NewBar("Stage distribution", []string{"a", "b"}, []float64{1, 2})
	if err != nil {
		t.Fatal(err)
	}
	// Outside a notebook: saved, path printed.
	s, out, r := testSink(t, false, false)
	if err := s.plot(p, ".png"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(s.plotDir, "stage-distribution.png")
	if !strings.Contains(out.String(), path) || len(r.pngs) != 0 {
		t.Fatalf("out %q, want the path %s", out, path)
	}
	if b, err := os.ReadFile(path); err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Fatalf("saved file: %v", err)
	}
	if err := s.plot(p, ".svg"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(s.plotDir, "stage-distribution.svg")); err != nil {
		t.Fatal(err)
	}
	// In a notebook: shown, nothing printed or saved.
	s, out, r = testSink(t, true, false)
	if err := s.plot(p, ".png"); err != nil {
		t.Fatal(err)
	}
	if err := s.plot(p, ".svg"); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 || len(r.pngs) != 1 || len(r.svgs) != 1 || !strings.Contains(r.svgs[0], "<svg") {
		t.Fatalf("notebook plot: out %q, %d png, %d svg", out, len(r.pngs), len(r.svgs))
	}
	if entries, _ := os.ReadDir(s.plotDir); len(entries) != 0 {
		t.Fatalf("notebook plot saved files: %v", entries)
	}
}

func TestHistogramIntsBins(t *testing.T) {
	for _, c := range []struct {
		lo, hi   int
		from, to float64
		bins     int
	}{
		{3, 7, 2.5, 7.5, 5},
		{0, 0, -0.5, 0.5, 1},
		{1, 100, 0.5, 102.5, 34},
	} {
		from, to, bins := intBins(c.lo, c.hi)
		if from != c.from || to != c.to || bins != c.bins {
			t.Errorf("intBins(%d, %d) = %v, %v, %d; want %v, %v, %d", c.lo, c.hi, from, to, bins, c.from, c.to, c.bins)
		}
	}
	ticks := intTicks{}.Ticks(2.5, 7.5)
	var labels []string
	for _, tk := range ticks {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if strings.Join(labels, ",") != "3,4,5,6,7" {
		t.Errorf("tick labels %v", labels)
	}
	ticks = intTicks{}.Ticks(0, 398)
	labels = labels[:0]
	for _, tk := range ticks {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if len(labels) > 10 || labels[0] != "0" {
		t.Errorf("tick labels %v", labels)
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Stage distribution":   "stage-distribution",
		"Table II: failures %": "table-ii-failures",
		"R(func) → stage":      "r-func-stage",
		"":                     "plot",
		"***":                  "plot",
	} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}

// fakeClock advances by step on every reading.
func fakeClock(step time.Duration) func() time.Time {
	t := time.Unix(0, 0)
	return func() time.Time { t = t.Add(step); return t }
}

func TestProgressTerminal(t *testing.T) {
	s, out, _ := testSink(t, false, true)
	p := newProgress(s, "score", 4, fakeClock(time.Second))
	for range 4 {
		p.Add(1)
	}
	p.Done()
	p.Done()
	got := out.String()
	if strings.Count(got, "\r") != 5 || !strings.HasSuffix(got, "\n") || strings.Count(got, "\n") != 1 {
		t.Fatalf("terminal output %q: want 4 redraws and a final line", got)
	}
	if !strings.Contains(got, "score [###############...............] 2/4") || !strings.Contains(got, "eta") {
		t.Errorf("terminal output %q lacks the half-way bar", got)
	}
	last := got[strings.LastIndex(got, "\r")+1:]
	if !strings.HasPrefix(last, "score [##############################] 4/4") || strings.Contains(last, "eta") {
		t.Errorf("final line %q", last)
	}
}

func TestProgressThrottle(t *testing.T) {
	s, out, _ := testSink(t, false, true)
	p := newProgress(s, "x", 1000, fakeClock(time.Millisecond))
	for range 999 {
		p.Add(1)
	}
	if n := strings.Count(out.String(), "\r"); n < 5 || n > 15 {
		t.Fatalf("%d redraws for 999 updates 1ms apart, want about 10", n)
	}
}

func TestProgressPlain(t *testing.T) {
	s, out, _ := testSink(t, false, false)
	p := newProgress(s, "judge", 3, fakeClock(time.Second))
	p.Add(2)
	p.Set(3)
	if out.Len() != 0 {
		t.Fatalf("plain output before Done: %q", out)
	}
	p.Done()
	if got := out.String(); !strings.HasPrefix(got, "judge [##############################] 3/3") || strings.Count(got, "\n") != 1 || strings.Contains(got, "\r") {
		t.Fatalf("plain output %q", got)
	}
}

func TestProgressNotebook(t *testing.T) {
	s, out, r := testSink(t, true, false)
	p := newProgress(s, "score <all>", 2, fakeClock(time.Second))
	p.Add(1)
	p.Add(1)
	p.Done()
	if out.Len() != 0 {
		t.Fatalf("notebook progress printed %q", out)
	}
	if len(r.updates) != 4 {
		t.Fatalf("%d updates, want 4 (start, two steps, done): %v", len(r.updates), r.updates)
	}
	for _, u := range r.updates {
		if !strings.HasPrefix(u, "id1: ") || !strings.Contains(u, "<progress") || !strings.Contains(u, "score &lt;all&gt;") {
			t.Errorf("update %q", u)
		}
	}
	if last := r.updates[3]; !strings.Contains(last, `value="2" max="2"`) || !strings.Contains(last, "done") {
		t.Errorf("final update %q", last)
	}
}

func TestProgressUnknownTotal(t *testing.T) {
	s, out, _ := testSink(t, false, false)
	p := newProgress(s, "scan", 0, fakeClock(time.Second))
	p.Add(7)
	p.Done()
	if got := out.String(); !strings.HasPrefix(got, "scan 7 ") {
		t.Fatalf("output %q", got)
	}
}

func TestNiceTicks(t *testing.T) {
	cases := []struct {
		lo, hi float64
		want   string
	}{
		{0, 280, "0,50,100,150,200,250"},
		{0, 1.3, "0,0.2,0.4,0.6,0.8,1,1.2"},
		{0, 10, "0,2,4,6,8,10"},
		{-1, 1, "-1,-0.5,0,0.5,1"},
		{0, 0.07, "0,0.01,0.02,0.03,0.04,0.05,0.06,0.07"},
	}
	for _, c := range cases {
		var labels []string
		for _, tk := range (niceTicks{}).Ticks(c.lo, c.hi) {
			if tk.Label != "" {
				labels = append(labels, tk.Label)
			}
		}
		if got := strings.Join(labels, ","); got != c.want {
			t.Errorf("Ticks(%v, %v) labels %s, want %s", c.lo, c.hi, got, c.want)
		}
	}
}

func TestTableHTMLMultiline(t *testing.T) {
	h, err := TableHTML("", []string{"input", "out"}, [][]any{{"6\n1\n2\n", "a<b\nc"}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(h, "<tr>") != 2 || !strings.Contains(h, ">6<br>1<br>2</td>") || !strings.Contains(h, ">a&lt;b<br>c</td>") {
		t.Fatalf("multi-line cells:\n%s", h)
	}
}
