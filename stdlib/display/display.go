package display

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// PlotDirEnv names the environment variable that sets where plots are saved
// outside a notebook.
const PlotDirEnv = "SCRL_PLOT_DIR"

// DefaultPlotDir is where plots are saved outside a notebook when
// $SCRL_PLOT_DIR is not set (relative to the current directory).
const DefaultPlotDir = "out/plots"

// IsNotebook reports whether the program runs inside a GoNB notebook cell.
func IsNotebook() bool { return gonbui.IsNotebook }

// sink is where output goes: the notebook front-end, or a writer. Every
// exported helper builds the default sink afresh, so the package holds no
// mutable state; tests build their own.
type sink struct {
	notebook bool
	out      io.Writer // standard output outside a notebook
	errw     io.Writer // where one-liners report errors
	tty      bool      // out is a terminal
	plotDir  string
	// show* deliver rich content to the notebook.
	showHTML     func(string)
	showMarkdown func(string)
	showPNG      func([]byte)
	// showImage shows a PNG at width×height CSS pixels (the PNG may have
	// more, for sharp text on high-density screens).
	showImage  func(png []byte, width, height int)
	showSVG    func(string)
	updateHTML func(id, html string)
	newID      func() string
}

func defaultSink() sink {
	dir := os.Getenv(PlotDirEnv)
	if dir == "" {
		dir = DefaultPlotDir
	}
	return sink{
		notebook:     gonbui.IsNotebook,
		out:          os.Stdout,
		errw:         os.Stderr,
		tty:          isTerminal(os.Stdout),
		plotDir:      dir,
		showHTML:     func(h string) { gonbui.DisplayHTML(h); gonbui.Sync() },
		showMarkdown: func(m string) { gonbui.DisplayMarkdown(m); gonbui.Sync() },
		showPNG:      func(b []byte) { gonbui.DisplayPNG(b); gonbui.Sync() },
		showImage:    showImage,
		showSVG:      func(s string) { gonbui.DisplaySVG(s); gonbui.Sync() },
		updateHTML:   gonbui.UpdateHTML,
		newID:        func() string { return "scrl-progress-" + gonbui.UniqueId() },
	}
}

// showImage sends a PNG to the notebook with its display size as Jupyter
// image metadata, which the notebook and nbconvert's HTML export honour.
func showImage(png []byte, width, height int) {
	if !gonbui.IsNotebook {
		return
	}
	gonbui.SendData(&protocol.DisplayData{
		Data:     map[protocol.MIMEType]any{protocol.MIMEImagePNG: png},
		Metadata: map[string]any{string(protocol.MIMEImagePNG): map[string]int{"width": width, "height": height}},
	})
	gonbui.Sync()
}

// fail reports err on the sink's error writer and returns it.
func (s sink) fail(what string, err error) error {
	if err == nil {
		return nil
	}
	err = fmt.Errorf("display %s: %w", what, err)
	if s.errw != nil {
		fmt.Fprintln(s.errw, err)
	}
	return err
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// HTML shows an HTML fragment in a notebook; elsewhere it prints it as is.
func HTML(html string) { defaultSink().html(html) }

func (s sink) html(h string) {
	if s.notebook {
		s.showHTML(h)
		return
	}
	fmt.Fprintln(s.out, h)
}

// Markdown shows Markdown in a notebook; elsewhere it prints it as is.
func Markdown(md string) { defaultSink().markdown(md) }

func (s sink) markdown(md string) {
	if s.notebook {
		s.showMarkdown(md)
		return
	}
	fmt.Fprintln(s.out, md)
}

// savePath is the file a plot titled title is saved to outside a notebook.
func (s sink) savePath(title, ext string) string {
	return filepath.Join(s.plotDir, slug(title)+ext)
}
