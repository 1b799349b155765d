package study

// Table III and Figure 2 laid out for a notebook (notebook 02): the
// measured ladder as table rows, its programs as Markdown, and the
// rewards per stage as the series of the figure.

import (
	"fmt"
	"strings"

	"github.com/securecoderl/securecoderl/stdlib/judge"
)

// TableIIIRows lays out measured rungs (TableIII) as Table III: one row
// per program with its stage, verdicts on the three tests, tests passed,
// R_func under Table III, under the study's released code and binary, and
// the explanation of the stage.
func TableIIIRows(rows []LadderRow) (header []string, cells [][]any) {
	header = []string{"stage", "program", "verdicts (3 tests)", "k/T", "R_func (Table III)", "R_func (released code)", "binary", "explanation"}
	for _, r := range rows {
		cells = append(cells, []any{string(r.Partial.Stage), r.Rung.What, verdictList(r.Judged),
			fmt.Sprintf("%d/%d", r.Judged.Passed, r.Judged.Total), r.Partial.Value, r.Seed.Value, r.Binary.Value, r.Partial.Explain})
	}
	return header, cells
}

// ProgramsMarkdown lists the rungs' programs as Python code blocks under
// their intended stage and description.
func ProgramsMarkdown(rungs []Rung) string {
	var md strings.Builder
	md.WriteString("**The programs**\n\n")
	for _, g := range rungs {
		fmt.Fprintf(&md, "*%s — %s*\n```python\n%s```\n", g.Want, g.What, g.Source)
	}
	return md.String()
}

// LadderPoint is one stage's functional rewards, a point of Figure 2.
type LadderPoint struct {
	Stage                 string
	Partial, Seed, Binary float64
}

// Figure2Points are the points of Figure 2: the rewards of the ladder's
// first six rungs, one per stage from syntax error to passes all (the
// last rung of Ladder, the released code's departure, is left out).
func Figure2Points(rows []LadderRow) []LadderPoint {
	var points []LadderPoint
	for _, r := range rows[:min(6, len(rows))] {
		points = append(points, LadderPoint{string(r.Partial.Stage), r.Partial.Value, r.Seed.Value, r.Binary.Value})
	}
	return points
}

// Figure2Bars is Figure 2 as a grouped bar chart: the stages as labels,
// and R_func per stage under Table III, the released code and binary.
func Figure2Bars(points []LadderPoint) (labels, series []string, values [][]float64) {
	partial, seed, binary := make([]float64, len(points)), make([]float64, len(points)), make([]float64, len(points))
	for i, p := range points {
		labels = append(labels, p.Stage)
		partial[i], seed[i], binary[i] = p.Partial, p.Seed, p.Binary
	}
	return labels, []string{"partial credit (Table III)", "released code", "binary"}, [][]float64{partial, seed, binary}
}

// Figure2Lines is Figure 2 as lines over the stage index 0–5: R_func
// under partial credit and binary.
func Figure2Lines(points []LadderPoint) (x []float64, names []string, series [][]float64) {
	partial, binary := make([]float64, len(points)), make([]float64, len(points))
	for i, p := range points {
		x = append(x, float64(i))
		partial[i], binary[i] = p.Partial, p.Binary
	}
	return x, []string{"partial credit", "binary"}, [][]float64{partial, binary}
}

// verdictList is r's verdicts, comma-separated.
func verdictList(r judge.Result) string {
	vs := make([]string, len(r.Verdicts))
	for i, v := range r.Verdicts {
		vs[i] = string(v)
	}
	return strings.Join(vs, ", ")
}
