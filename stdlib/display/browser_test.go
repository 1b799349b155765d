package display

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// ScreenshotDirEnv names the directory TestBrowserScreenshots keeps its
// notebooks, HTML exports and screenshots in (default: a temporary one).
const screenshotDirEnv = "SCRL_SCREENSHOT_DIR"

// browser is the first headless Chromium on $PATH, or "".
func browser() string {
	for _, name := range []string{"chromium-headless-shell", "chromium", "chromium-browser", "google-chrome", "chrome-headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// sampleCharts draws what the notebooks draw, through a notebook sink, and
// returns each chart's display_data outputs as nbformat records.
func sampleCharts(t *testing.T) map[string][]map[string]any {
	t.Helper()
	charts := map[string][]map[string]any{}
	var cur string
	s := sink{
		notebook: true,
		showPNG: func(b []byte) {
			charts[cur] = append(charts[cur], map[string]any{"output_type": "display_data", "metadata": map[string]any{},
				"data": map[string]any{"image/png": base64.StdEncoding.EncodeToString(b), "text/plain": "<image>"}})
		},
		showImage: func(b []byte, w, h int) {
			charts[cur] = append(charts[cur], map[string]any{"output_type": "display_data",
				"metadata": map[string]any{"image/png": map[string]any{"width": w, "height": h}},
				"data":     map[string]any{"image/png": base64.StdEncoding.EncodeToString(b), "text/plain": "<image>"}})
		},
		showSVG: func(svg string) { // as gonbui.DisplaySVG sends it
			charts[cur] = append(charts[cur], map[string]any{"output_type": "display_data", "metadata": map[string]any{},
				"data": map[string]any{"text/html": "<div>" + svg + "</div>"}})
		},
	}
	show := func(name, ext string, p *Plot, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		cur = name
		if err := s.plot(p, ext); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	// Notebook 04/05: bands over a few PPO steps, one colour per variant.
	variants := []string{"ppo-simple", "ppo-fresh", "ppo-continue"}
	pal := NewPalette(variants...)
	mk := func(names []string, steps int, base float64) []Band {
		var bs []Band
		for k, n := range names {
			b := Band{Name: n}
			for i := 1; i <= steps; i++ {
				m := base + 0.08*float64(k) + 0.04*float64(i) + 0.03*float64((i*7+k*3)%5)
				b.X, b.Mean = append(b.X, float64(i)), append(b.Mean, m)
				b.Lo, b.Hi = append(b.Lo, m-0.05-0.01*float64(k)), append(b.Hi, m+0.04+0.01*float64(i%3))
			}
			bs = append(bs, b)
		}
		return bs
	}
	p, err := NewBands("Mean reward per PPO step (each variant's own reward) — mean over seeds", mk(variants, 3, 0.3), pal)
	show("04-bands-smoke", ".png", p, err)
	// The same variants in another chart, in another order: same colours.
	p, err = NewBands("Syntax-valid share of the rollouts — mean over seeds", mk([]string{"ppo-continue", "ppo-simple"}, 12, 0.5), pal)
	show("04-bands-other-order", ".png", p, err)
	arms := []string{"partial", "binary", "fraction", "partial-nosec", "ppo-simple", "ppo-continue"}
	p, err = NewBands("Training reward (each arm its own) — mean over seeds, band lowest to highest seed", mk(arms, 20, 0.1), NewPalette(arms...))
	show("05-bands-six-arms", ".png", p, err)
	// Long names: the legend goes below the chart, in columns.
	p, err = NewBands("KL(π ‖ π_SFT) per completion (nats)", mk([]string{"partial credit as in Table III of the study", "the released code's reward", "binary"}, 8, 0.2), nil)
	show("legend-below", ".png", p, err)
	// Notebook 02: the reward ladder, grouped bars and lines over stage index.
	stages := []string{"syntax_error", "parses", "executes", "prints", "passes_some", "passes_all"}
	partial, seed, binary := []float64{0, 0.2, 0.4, 0.6, 0.8, 1}, []float64{0, 0.2, 0.4, 0.6, 0.6, 1}, []float64{0, 0, 0, 0, 0, 1}
	p, err = NewGroupedBar("Figure 2 — reward ladder: stage → R_func", stages,
		[]string{"partial credit (Table III)", "released code", "binary"}, [][]float64{partial, seed, binary})
	if p != nil {
		p.WithLabels("stage reached", "R_func").WithYRange(0, 1.3)
	}
	show("02-grouped-ladder", ".png", p, err)
	p, err = NewLines("Figure 2 (as a line): R_func by stage index 0–5", []float64{0, 1, 2, 3, 4, 5}, []string{"partial credit", "binary"}, [][]float64{partial, binary})
	if p != nil {
		p.WithLabels("stage (0 = syntax error … 5 = passes all)", "R_func").WithSize(640, 320)
	}
	show("02-lines-svg", ".svg", p, err)
	// Notebook 01: an integer histogram; notebook 03: bars of counts.
	p, err = NewHistogramInts("Tests per problem — test.jsonl", []int{1, 1, 2, 2, 2, 3, 3, 4, 5, 7, 9, 12, 12, 20}, 0)
	if p != nil {
		p.WithLabels("tests", "problems")
	}
	show("01-histogram-ints", ".png", p, err)
	p, err = NewBar("Stage distribution — 398 DeepSeek-Coder-6.7B completions", []string{"syntax_error", "parses", "executes", "prints", "passes_some", "passes_all", "no_tests"}, []float64{3, 1, 2, 1, 2, 4, 1})
	show("03-bar-counts", ".png", p, err)
	return charts
}

// TestBrowserScreenshots renders the sample charts the way a notebook's
// HTML export shows them (jupyter nbconvert --to html when jupyter is
// installed, a plain page of the same outputs otherwise) and screenshots
// each page with headless Chromium. It is skipped without a browser or with
// -short. Set SCRL_SCREENSHOT_DIR to keep the PNGs and look at them.
func TestBrowserScreenshots(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no browser check")
	}
	chrome := browser()
	if chrome == "" {
		t.Skip("no headless Chromium on $PATH (apt-get install chromium-headless-shell)")
	}
	dir := os.Getenv(screenshotDirEnv)
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	charts := sampleCharts(t)
	var notebooks []string
	for name, outs := range charts {
		nb := map[string]any{
			"nbformat": 4, "nbformat_minor": 5,
			"metadata": map[string]any{"kernelspec": map[string]any{"name": "gonb", "display_name": "Go (gonb)", "language": "go"},
				"language_info": map[string]any{"name": "go"}},
			"cells": []any{
				map[string]any{"cell_type": "markdown", "id": "m", "metadata": map[string]any{}, "source": "### " + name + "\n\nThe step's explanation, as the notebooks have it."},
				map[string]any{"cell_type": "code", "id": "c", "metadata": map[string]any{}, "execution_count": 1, "outputs": outs,
					"source": "experiment.Must(0, display.ShowBands(title, bands, palette))"},
			},
		}
		b, err := json.MarshalIndent(nb, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name+".ipynb")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		notebooks = append(notebooks, path)
	}
	if jupyter, err := exec.LookPath("jupyter"); err == nil {
		cmd := exec.CommandContext(ctx, jupyter, append([]string{"nbconvert", "--to", "html", "--output-dir", dir}, notebooks...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("nbconvert: %v\n%s", err, out)
		}
	} else {
		for name, outs := range charts {
			if err := os.WriteFile(filepath.Join(dir, name+".html"), plainPage(outs), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name := range charts {
		html, shot := filepath.Join(dir, name+".html"), filepath.Join(dir, name+".png")
		cmd := exec.CommandContext(ctx, chrome, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
			"--window-size=1200,800", "--screenshot="+shot, "file://"+html)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: screenshot: %v\n%s", name, err, out)
		}
		b, err := os.ReadFile(shot)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: screenshot does not decode: %v", name, err)
		}
		// The chart is on the page: a good share of coloured (not
		// white, not grey) pixels.
		if n := colouredPixels(img); n < 2000 {
			t.Errorf("%s: %d coloured pixels in the screenshot %s: the chart did not render", name, n, shot)
		}
		t.Logf("%s: %s", name, shot)
	}
}

// plainPage is an HTML page showing outputs as nbconvert would.
func plainPage(outs []map[string]any) []byte {
	var b bytes.Buffer
	b.WriteString("<!DOCTYPE html><html><body style=\"font-family: sans-serif; margin: 2em 6em\">\n")
	for _, o := range outs {
		data := o["data"].(map[string]any)
		if h, ok := data["text/html"].(string); ok {
			b.WriteString(h)
			continue
		}
		size := ""
		if m, ok := o["metadata"].(map[string]any)["image/png"].(map[string]any); ok {
			size = fmt.Sprintf(" width=%v height=%v", m["width"], m["height"])
		}
		fmt.Fprintf(&b, "<div><img src=\"data:image/png;base64,%s\"%s></div>\n", data["image/png"], size)
	}
	b.WriteString("</body></html>\n")
	return b.Bytes()
}

// colouredPixels counts the saturated pixels of img.
func colouredPixels(img image.Image) int {
	n := 0
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			hi, lo := max(c.R, c.G, c.B), min(c.R, c.G, c.B)
			if int(hi)-int(lo) > 60 {
				n++
			}
		}
	}
	return n
}
