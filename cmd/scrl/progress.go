package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// progress draws a one-line bar on a terminal (nothing when not a terminal).
type progress struct {
	w     io.Writer
	label string
	tty   bool
	start time.Time
	last  time.Time
	drawn bool
}

func newProgress(w io.Writer, label string) *progress {
	tty := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	return &progress{w: w, label: label, tty: tty, start: time.Now()}
}

func (p *progress) update(done, total int) {
	if !p.tty || (time.Since(p.last) < 100*time.Millisecond && done < total) {
		return
	}
	p.last = time.Now()
	const width = 30
	fill := 0
	if total > 0 {
		fill = done * width / total
	}
	el := time.Since(p.start)
	eta := ""
	if done > 0 && done < total {
		eta = fmt.Sprintf(" eta %s", (time.Duration(float64(el) / float64(done) * float64(total-done))).Round(time.Second))
	}
	fmt.Fprintf(p.w, "\r%s [%s%s] %d/%d %s%s ", p.label, strings.Repeat("#", fill), strings.Repeat(".", width-fill), done, total, el.Round(time.Second), eta)
	p.drawn = true
}

func (p *progress) finish() {
	if p.drawn {
		fmt.Fprintln(p.w)
	}
}
