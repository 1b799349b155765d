package display

import (
	"fmt"
	"html"
	"strings"
	"sync"
	"time"
)

// Progress is a progress bar for long work. In a notebook it is a transient
// display updated in place; on a terminal a line redrawn with \r; when
// standard output is neither, nothing is printed until Done, which prints
// one final line. Updates are throttled (at most ten redraws a second), and
// the methods are safe to call from several goroutines.
type Progress struct {
	mu       sync.Mutex
	s        sink
	id       string
	label    string
	total    int
	done     int
	start    time.Time
	last     time.Time
	drawn    bool
	finished bool
	now      func() time.Time
}

// NewProgress starts a progress bar for total steps (total ≤ 0: unknown).
func NewProgress(label string, total int) *Progress {
	return newProgress(defaultSink(), label, total, time.Now)
}

func newProgress(s sink, label string, total int, now func() time.Time) *Progress {
	p := &Progress{s: s, label: label, total: total, now: now, start: now()}
	if s.notebook {
		p.id = s.newID()
		p.redraw(true)
	}
	return p
}

// Add advances the bar by n steps.
func (p *Progress) Add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	p.redraw(false)
}

// Set sets the number of steps done.
func (p *Progress) Set(done int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done = done
	p.redraw(false)
}

// SetTotal changes the number of steps.
func (p *Progress) SetTotal(total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total = total
	p.redraw(false)
}

// Done finishes the bar: the final state stays in the notebook, and a
// terminal or plain output gets a final line with the elapsed time. Later
// calls do nothing.
func (p *Progress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.finished {
		return
	}
	p.finished = true
	el := p.now().Sub(p.start)
	switch {
	case p.s.notebook:
		p.s.updateHTML(p.id, p.html(el, true))
	case p.s.tty:
		fmt.Fprintf(p.s.out, "\r%s\n", p.text(el, true))
	default:
		fmt.Fprintln(p.s.out, p.text(el, true))
	}
}

// redraw draws the bar unless the last draw was under 100ms ago (always
// when force is set or the work is complete). p.mu is held.
func (p *Progress) redraw(force bool) {
	if p.finished || (!p.s.notebook && !p.s.tty) {
		return
	}
	now := p.now()
	complete := p.total > 0 && p.done >= p.total
	if !force && !complete && p.drawn && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last, p.drawn = now, true
	el := now.Sub(p.start)
	if p.s.notebook {
		p.s.updateHTML(p.id, p.html(el, false))
		return
	}
	fmt.Fprintf(p.s.out, "\r%s ", p.text(el, false))
}

func (p *Progress) fraction() float64 {
	if p.total <= 0 {
		return 0
	}
	return min(max(float64(p.done)/float64(p.total), 0), 1)
}

// text is the one-line form: "label [#####.....] 40/100 4s eta 6s".
func (p *Progress) text(el time.Duration, final bool) string {
	const width = 30
	var b strings.Builder
	b.WriteString(p.label)
	if p.total > 0 {
		fill := int(p.fraction() * width)
		fmt.Fprintf(&b, " [%s%s] %d/%d", strings.Repeat("#", fill), strings.Repeat(".", width-fill), p.done, p.total)
	} else {
		fmt.Fprintf(&b, " %d", p.done)
	}
	fmt.Fprintf(&b, " %s", roundDuration(el))
	if !final {
		if eta, ok := p.eta(el); ok {
			fmt.Fprintf(&b, " eta %s", eta)
		}
	}
	return b.String()
}

func (p *Progress) eta(el time.Duration) (time.Duration, bool) {
	if p.total <= 0 || p.done <= 0 || p.done >= p.total {
		return 0, false
	}
	return roundDuration(time.Duration(float64(el) / float64(p.done) * float64(p.total-p.done))), true
}

// html is the notebook form: a <progress> element with the counts.
func (p *Progress) html(el time.Duration, final bool) string {
	status := fmt.Sprintf("%d", p.done)
	if p.total > 0 {
		status = fmt.Sprintf("%d/%d", p.done, p.total)
	}
	status += " " + roundDuration(el).String()
	if !final {
		if eta, ok := p.eta(el); ok {
			status += " eta " + eta.String()
		}
	} else {
		status += " done"
	}
	max := p.total
	if max <= 0 {
		max = 1
	}
	return fmt.Sprintf(`<div class="scrl-progress"><span style="font-family:monospace">%s</span> <progress value="%d" max="%d" style="width:40%%"></progress> <span style="font-family:monospace">%s</span></div>`,
		html.EscapeString(p.label), min(p.done, max), max, html.EscapeString(status))
}

func roundDuration(d time.Duration) time.Duration {
	if d < 10*time.Second {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(time.Second)
}
