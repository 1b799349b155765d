package display

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// Table shows rows under a header: an HTML table in a notebook, a text table
// on standard output otherwise. title may be empty. Cells are formatted by
// Cell. Rows shorter than the header are padded with empty cells; longer
// rows are an error.
func Table(title string, header []string, rows [][]any) error {
	s := defaultSink()
	return s.fail("table", s.table(title, header, rows))
}

func (s sink) table(title string, header []string, rows [][]any) error {
	if s.notebook {
		h, err := TableHTML(title, header, rows)
		if err != nil {
			return err
		}
		s.showHTML(h)
		return nil
	}
	t, err := TableText(title, header, rows)
	if err != nil {
		return err
	}
	_, err = fmt.Fprint(s.out, t)
	return err
}

// TableText renders a table as text (the title, if any, on its own line
// above it).
func TableText(title string, header []string, rows [][]any) (string, error) {
	cells, aligns, err := tableCells(header, rows)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if title != "" {
		b.WriteString(title + "\n")
	}
	t := tablewriter.NewTable(&b,
		tablewriter.WithRenderer(renderer.NewBlueprint()),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithTrimSpace(tw.Off),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{Global: tw.AlignLeft, PerColumn: aligns}),
	)
	if err := fill(t, header, cells); err != nil {
		return "", err
	}
	return b.String(), nil
}

// TableHTML renders a table as an HTML fragment: the title as a bold
// paragraph, then a <table> with escaped cells.
func TableHTML(title string, header []string, rows [][]any) (string, error) {
	cells, aligns, err := tableCells(header, rows)
	if err != nil {
		return "", err
	}
	// Escape here rather than in tablewriter, which would split a cell
	// with line breaks over several rows: breaks become <br>.
	esc := func(x string) string {
		return strings.ReplaceAll(html.EscapeString(strings.TrimRight(x, "\n")), "\n", "<br>")
	}
	for _, r := range cells {
		for j := range r {
			r[j] = esc(r[j])
		}
	}
	header = append([]string(nil), header...)
	for j := range header {
		header[j] = esc(header[j])
	}
	var b bytes.Buffer
	b.WriteString(`<div class="scrl-table">`)
	if title != "" {
		fmt.Fprintf(&b, "<p><b>%s</b></p>\n", html.EscapeString(title))
	}
	t := tablewriter.NewTable(&b,
		tablewriter.WithRenderer(renderer.NewHTML(renderer.HTMLConfig{EscapeContent: false})),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithTrimSpace(tw.Off),
		tablewriter.WithRowMergeMode(tw.MergeNone),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignmentConfig(tw.CellAlignment{Global: tw.AlignLeft, PerColumn: aligns}),
	)
	if err := fill(t, header, cells); err != nil {
		return "", err
	}
	b.WriteString("</div>")
	return b.String(), nil
}

func fill(t *tablewriter.Table, header []string, cells [][]string) error {
	if len(header) > 0 {
		h := make([]any, len(header))
		for i, x := range header {
			h[i] = x
		}
		t.Header(h...)
	}
	for _, r := range cells {
		if err := t.Append(r); err != nil {
			return fmt.Errorf("append row: %w", err)
		}
	}
	if err := t.Render(); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	return nil
}

// tableCells formats the cells and aligns columns of numbers right.
func tableCells(header []string, rows [][]any) ([][]string, []tw.Align, error) {
	width := len(header)
	for i, r := range rows {
		if len(header) > 0 && len(r) > len(header) {
			return nil, nil, fmt.Errorf("row %d has %d cells, header %d", i+1, len(r), len(header))
		}
		width = max(width, len(r))
	}
	if width == 0 {
		return nil, nil, errors.New("no columns")
	}
	numeric := make([]bool, width)
	for j := range numeric {
		numeric[j] = len(rows) > 0
	}
	out := make([][]string, len(rows))
	for i, r := range rows {
		row := make([]string, width)
		for j := range row {
			if j >= len(r) || r[j] == nil {
				continue
			}
			row[j] = Cell(r[j])
			if !isNumber(r[j]) {
				numeric[j] = false
			}
		}
		out[i] = row
	}
	aligns := make([]tw.Align, width)
	for j, n := range numeric {
		aligns[j] = tw.AlignLeft
		if n {
			aligns[j] = tw.AlignRight
		}
	}
	return out, aligns, nil
}

func isNumber(v any) bool {
	switch v.(type) {
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		return true
	}
	return false
}

// Cell formats one table cell: floats rounded to three decimals without
// trailing zeros (large ones without decimals), nil as an empty cell,
// errors by their message, anything else with fmt.Sprint.
func Cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return formatFloat(x)
	case float32:
		return formatFloat(float64(x))
	case error:
		return x.Error()
	case fmt.Stringer:
		return x.String()
	}
	return strings.TrimSpace(fmt.Sprint(v))
}

func formatFloat(x float64) string {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return strconv.FormatFloat(x, 'f', -1, 64)
	case math.Abs(x) >= 1e4:
		return strconv.FormatFloat(math.Round(x), 'f', 0, 64)
	}
	r := math.Round(x*1000) / 1000
	if r == 0 {
		r = 0 // no "-0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}
