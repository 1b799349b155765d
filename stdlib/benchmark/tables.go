package benchmark

import "fmt"

// The layouts below return (title, header, rows) for display.Table and
// (title, labels, values) for display.Bar and display.NewBar, so a notebook
// cell passes them straight on: display.Table(benchmark.StageTable(rows)).

// SyntaxTable is the syntax check, the project's beside the file's.
func SyntaxTable(rows []Scored) (title string, header []string, cells [][]any) {
	v := SyntaxValidity(rows)
	return "Syntax validity", []string{"check", "programs", "valid %"}, [][]any{
		{"this project: Python compile() of the extracted program", v.N, Pct(v.Valid, v.N)},
		{"the file's recorded `compiles`", v.N, Pct(v.StudyCompiles, v.N)},
	}
}

// stageReward is the R_func each stage earns under partial credit.
var stageReward = map[string]string{"syntax_error": "0", "parses": "0.2", "executes": "0.4", "prints": "0.6",
	"passes_some": "0.6–1", "passes_all": "1", NoTests: "— (0.2)"}

// StageTable is the stage distribution on the partial-credit ladder, with
// each stage's R_func.
func StageTable(rows []Scored) (title string, header []string, cells [][]any) {
	for _, s := range Stages(rows) {
		cells = append(cells, []any{s.Name, s.N, s.Pct, stageReward[s.Name]})
	}
	return "Stage distribution (partial credit)", []string{"stage", "programs", "share %", "R_func"}, cells
}

// StageBar is the stage distribution as bar counts, in StageOrder.
func StageBar(rows []Scored) (title string, labels []string, values []float64) {
	for _, s := range Stages(rows) {
		labels = append(labels, s.Name)
		values = append(values, float64(s.N))
	}
	return fmt.Sprintf("Stage distribution — %d DeepSeek-Coder-6.7B completions", len(rows)), labels, values
}

// FailureTable is Table II: the failure taxonomy, with a total row.
func FailureTable(rows []Scored) (title string, header []string, cells [][]any) {
	shares, failing := Failures(rows)
	for _, s := range shares {
		cells = append(cells, []any{s.Name, s.N, s.Pct})
	}
	cells = append(cells, []any{"all failing programs", failing, 100.0})
	return "Table II — failure taxonomy (share of the failing programs)", []string{"failure", "programs", "share %"}, cells
}

// FailureBar is Table II as bars, % of the failing programs.
func FailureBar(rows []Scored) (title string, labels []string, values []float64) {
	shares, _ := Failures(rows)
	labels, values = make([]string, len(shares)), make([]float64, len(shares))
	for i, s := range shares {
		labels[i], values[i] = s.Name, s.Pct
	}
	return "Table II — failure taxonomy, % of failing programs", labels, values
}

// SecurityTable is the security-clean share under every SecurityVariant,
// and its agreement with the study, program by program.
func SecurityTable(rows []Scored) (title string, header []string, cells [][]any) {
	for _, s := range Security(rows) {
		cells = append(cells, []any{s.Name, s.What, s.CleanPercent, s.N - s.Clean, fmt.Sprintf("%d/%d", s.Agree, s.N)})
	}
	return "Security-clean share by scanner", []string{"scan", "counts", "clean %", "flagged programs", "agrees with the study"}, cells
}

// SecurityBar is the security-clean % of every SecurityVariant.
func SecurityBar(rows []Scored) (title string, labels []string, values []float64) {
	for _, s := range Security(rows) {
		labels = append(labels, s.Name)
		values = append(values, s.CleanPercent)
	}
	return "Security-clean % by scanner", labels, values
}

// RuleTable is the programs with a finding, by rule and scan variant.
func RuleTable(rows []Scored) (title string, header []string, cells [][]any) {
	for _, r := range Rules(rows) {
		cells = append(cells, []any{r.Rule, r.Severity, r.Programs[ScanBandit], r.Programs[ScanBanditB322], r.Programs[ScanBanditStrfix], r.Programs[ScanNative]})
	}
	return "Programs with a finding, by rule", []string{"rule", "severity", "Bandit", "Bandit + B322", "Bandit + str fix", "native"}, cells
}

// AgreementTable is how often the project's defaults agree with the file's
// compiles and has_security_issues.
func AgreementTable(rows []Scored) (title string, header []string, cells [][]any) {
	a := Compare(rows)
	return "Agreement with the recorded fields", []string{"field", "this project", "agrees", "disagrees"}, [][]any{
		{"compiles", "compile() of the extracted program", a.CompilesAgree, a.N - a.CompilesAgree},
		{"has_security_issues", "Bandit ≥ MEDIUM, B322 dropped", a.SecurityAgree, a.N - a.SecurityAgree},
	}
}

// DisagreementTable is every disagreement with the recorded fields,
// explained in a sentence.
func DisagreementTable(rows []Scored) (title string, header []string, cells [][]any) {
	ds := Compare(rows).Disagreements
	for _, d := range ds {
		cells = append(cells, []any{d.ID, d.Field, d.Ours, d.Study, d.Why})
	}
	return fmt.Sprintf("Every disagreement (%d), explained", len(ds)), []string{"completion", "field", "this project", "the study", "why"}, cells
}

// VariantCauseTable is VariantCauses laid out.
func VariantCauseTable(rows []Scored) (title string, header []string, cells [][]any) {
	for _, c := range VariantCauses(rows) {
		cells = append(cells, []any{c.Variant, c.Disagreements, c.Cause})
	}
	return "Why the variants disagree with the study", []string{"variant", "disagreements", "cause"}, cells
}

// AppendedTable is the ≥ 1-test pass shares, the study's and the
// project's, by whether the extractor had to append the NAME() call.
func AppendedTable(rows []Scored) (title string, header []string, cells [][]any) {
	for _, g := range ByAppended(rows) {
		what := "program calls NAME() itself (or has top-level code)"
		if g.Appended {
			what = "NAME() appended by the extractor"
		}
		cells = append(cells, []any{what, g.N, g.StudyPass, Pct(g.StudyPass, g.N), g.OurPass, Pct(g.OurPass, g.N)})
	}
	return "≥ 1 test passes, by whether the call had to be appended",
		[]string{"programs", "n", "study: ≥1 hidden test", "study %", "here: ≥1 example", "here %"}, cells
}

// TableITable is the Table I row for DeepSeek-6.7B, the project's and the
// file's recorded scores.
func TableITable(rows []Scored) (title string, header []string, cells [][]any) {
	ours, study, tested := TableI(rows)
	return fmt.Sprintf("Table I — DeepSeek-Coder-6.7B on APPS+ (%d completions)", len(rows)),
		[]string{"model", "syntax %", "≥1 test pass %", "all pass %", "security-clean %", "mean R"}, [][]any{
			append([]any{fmt.Sprintf("DeepSeek-6.7B — this project (examples of %d problems)", tested)}, anys(ours.Values())...),
			append([]any{"DeepSeek-6.7B — the file's recorded scores (study)"}, anys(study.Values())...),
		}
}

// TableIBars is the Table I row as grouped bars for display.NewGroupedBar,
// mean R scaled by 100 to share the % axis.
func TableIBars(rows []Scored) (title string, labels, series []string, values [][]float64) {
	ours, study, _ := TableI(rows)
	o, s := ours.Values(), study.Values()
	o[4], s[4] = 100*o[4], 100*s[4]
	return "Table I row — this project vs the study's recorded scores",
		[]string{"syntax %", "≥1 test pass %", "all pass %", "security-clean %", "mean R ×100"},
		[]string{"this project", "study (recorded)"}, [][]float64{o, s}
}

func anys(xs []float64) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
