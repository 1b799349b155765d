package benchmark

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/securecoderl/securecoderl/scanners"
	"github.com/securecoderl/securecoderl/stdlib/reward"
)

// Pct is a/b in percent, rounded to one decimal (0 when b is 0).
func Pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return math.Round(1000*float64(a)/float64(b)) / 10
}

// NoTests is the stage of a valid program whose statement has no worked
// example to run.
const NoTests = "no_tests"

// StageOrder lists the stages of the partial-credit ladder, lowest first,
// then NoTests.
func StageOrder() []string {
	return []string{"syntax_error", "parses", "executes", "prints", "passes_some", "passes_all", NoTests}
}

// StageOf is the row's stage on the partial-credit ladder, or NoTests.
func StageOf(r Scored) string {
	if r.Result.Total == 0 && r.Result.Syntax == nil {
		return NoTests
	}
	return string(reward.PartialCredit{}.Score(r.Result).Stage)
}

// Medium and Low are the severity thresholds the tables use: R_sec counts
// findings at or above Medium.
const (
	Medium = scanners.Level("MEDIUM")
	Low    = scanners.Level("LOW")
)

// Clean says no finding is at or above the threshold.
func Clean(fs []scanners.Finding, threshold scanners.Level) bool {
	for _, f := range fs {
		if f.Severity.Rank() >= threshold.Rank() {
			return false
		}
	}
	return true
}

// CountIDs is "B101 assert_used (LOW) ×2, B322 blacklist (HIGH) ×1" for the
// findings at or above the threshold, in order of first appearance.
func CountIDs(fs []scanners.Finding, threshold scanners.Level) string {
	n := map[string]int{}
	var order []string
	for _, f := range fs {
		if f.Severity.Rank() < threshold.Rank() {
			continue
		}
		k := fmt.Sprintf("%s %s (%s)", f.TestID, f.Name, f.Severity)
		if n[k] == 0 {
			order = append(order, k)
		}
		n[k]++
	}
	parts := make([]string, len(order))
	for i, k := range order {
		parts[i] = fmt.Sprintf("%s ×%d", k, n[k])
	}
	return strings.Join(parts, ", ")
}

// HasID says a finding has the test id (e.g. "B322").
func HasID(fs []scanners.Finding, id string) bool {
	for _, f := range fs {
		if f.TestID == id {
			return true
		}
	}
	return false
}

// Share is a named count and its share in percent.
type Share struct {
	Name string
	N    int
	Pct  float64
}

// Validity is the syntax check, this project's and the file's.
type Validity struct {
	N, Valid, StudyCompiles int
}

// SyntaxValidity counts the programs Python's compile() accepts, and the
// completions the file records as compiling.
func SyntaxValidity(rows []Scored) Validity {
	v := Validity{N: len(rows)}
	for _, r := range rows {
		if r.Result.Syntax == nil {
			v.Valid++
		}
		if r.Compiles {
			v.StudyCompiles++
		}
	}
	return v
}

// Stages counts the rows by stage, in StageOrder (shares of all rows).
func Stages(rows []Scored) []Share {
	counts := map[string]int{}
	for _, r := range rows {
		counts[StageOf(r)]++
	}
	out := make([]Share, 0, len(StageOrder()))
	for _, s := range StageOrder() {
		out = append(out, Share{s, counts[s], Pct(counts[s], len(rows))})
	}
	return out
}

// Failures is the failure taxonomy (Table II) of the judged programs that
// do not pass all their tests: the bucket of the first failing test, most
// frequent first (ties by name), as shares of the failing programs.
func Failures(rows []Scored) (shares []Share, failing int) {
	buckets := map[string]int{}
	for _, r := range rows {
		if r.Result.Total == 0 || r.Result.AllPassed {
			continue
		}
		failing++
		buckets[string(r.Result.Bucket)]++
	}
	for k, v := range buckets {
		shares = append(shares, Share{Name: k, N: v})
	}
	sort.Slice(shares, func(i, j int) bool {
		if shares[i].N != shares[j].N {
			return shares[i].N > shares[j].N
		}
		return shares[i].Name < shares[j].Name
	})
	for i := range shares {
		shares[i].Pct = Pct(shares[i].N, failing)
	}
	return shares, failing
}

// SecurityVariant is one way to call a program security-clean.
type SecurityVariant struct {
	Name, What string
	Clean      func(r Scored) bool
}

// SecurityVariants are the security-clean definitions the tables compare:
// the scan variants at MEDIUM (and LOW), and the study's recorded flag.
func SecurityVariants() []SecurityVariant {
	scan := func(name string, t scanners.Level) func(Scored) bool {
		return func(r Scored) bool { return Clean(r.Scans[name], t) }
	}
	return []SecurityVariant{
		{"Bandit (project default)", "≥ MEDIUM, B322 dropped", scan(ScanBandit, Medium)},
		{"Bandit + B322", "≥ MEDIUM, input() flagged HIGH", scan(ScanBanditB322, Medium)},
		{"Bandit + string-literal fix", "≥ MEDIUM, B104/B105/B108/B608 active", scan(ScanBanditStrfix, Medium)},
		{"Bandit, any severity", "≥ LOW, B322 dropped", scan(ScanBandit, Low)},
		{"native scanner", "≥ MEDIUM", scan(ScanNative, Medium)},
		{"native, any severity", "≥ LOW", scan(ScanNative, Low)},
		{"the study (recorded)", "has_security_issues = false", func(r Scored) bool { return !r.HasSecurityIssues }},
	}
}

// SecurityShare is one variant's security-clean count, and how often it
// agrees with the study's has_security_issues.
type SecurityShare struct {
	Name, What   string
	N, Clean     int
	Agree        int
	CleanPercent float64
}

// Security applies every SecurityVariant to the rows.
func Security(rows []Scored) []SecurityShare {
	var out []SecurityShare
	for _, v := range SecurityVariants() {
		s := SecurityShare{Name: v.Name, What: v.What, N: len(rows)}
		for _, r := range rows {
			ok := v.Clean(r)
			if ok {
				s.Clean++
			}
			if ok == !r.HasSecurityIssues {
				s.Agree++
			}
		}
		s.CleanPercent = Pct(s.Clean, s.N)
		out = append(out, s)
	}
	return out
}

// RuleCount is how many programs each scan variant finds a rule in.
type RuleCount struct {
	Rule     string         // "B101 assert_used"
	Severity string         // of the last finding seen
	Programs map[string]int // by ScanVariant name
}

// Rules counts, for every rule that fires, the programs it fires in under
// each scan variant; sorted by rule.
func Rules(rows []Scored) []RuleCount {
	byID := map[string]map[string]int{}
	sev := map[string]string{}
	for _, r := range rows {
		for _, v := range ScanVariants() {
			seen := map[string]bool{}
			for _, f := range r.Scans[v.Name] {
				key := f.TestID + " " + f.Name
				if seen[key] {
					continue
				}
				seen[key] = true
				if byID[key] == nil {
					byID[key] = map[string]int{}
				}
				byID[key][v.Name]++
				sev[key] = string(f.Severity)
			}
		}
	}
	keys := make([]string, 0, len(byID))
	for k := range byID {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]RuleCount, len(keys))
	for i, k := range keys {
		out[i] = RuleCount{k, sev[k], byID[k]}
	}
	return out
}

// ExplainCompile says in a sentence why the project's compile verdict and
// the file's `compiles` differ ("" when they agree).
func ExplainCompile(r Scored) string {
	s := r.Result.Syntax
	switch {
	case s != nil && r.Compiles && strings.Contains(s.Message, "outside function"):
		line := ""
		if ls := strings.Split(r.Program, "\n"); s.Line >= 1 && s.Line <= len(ls) {
			line = strings.TrimSpace(ls[s.Line-1])
		}
		return fmt.Sprintf("The study's check passed it, but line %d (`%s`) sits at module level after the stub's docstring closed: it parses (ast.parse accepts it) yet Python's compiler rejects it with %q, so the program can never run.",
			s.Line, line, s.Message)
	case s != nil && r.Compiles:
		return fmt.Sprintf("Python's compiler rejects the extracted program (%s: %s, line %d); the study's check accepted its text.", s.Type, s.Message, s.Line)
	case s == nil && !r.Compiles:
		return fmt.Sprintf("The extracted program compiles; the study's check failed on its text (the extractor changed it: %s).", strings.Join(r.Notes, "; "))
	}
	return ""
}

// ExplainSecurity says in a sentence why the project's default security
// verdict (Bandit, ≥ MEDIUM, B322 dropped) and the file's
// has_security_issues differ ("" when they agree).
func ExplainSecurity(r Scored) string {
	fs := r.Scans[ScanBandit]
	if r.HasSecurityIssues && Clean(fs, Medium) {
		low := CountIDs(fs, Low)
		if low == "" {
			return "Bandit finds nothing in this program, not even with B322 or the string-literal fix; the study's flag cannot be reproduced from the program text."
		}
		s := fmt.Sprintf("The study flags every Bandit finding, and this program's only ones are LOW severity (%s), which it penalised with R_sec %.1f; the project's R_sec counts MEDIUM and HIGH only.", low, r.RSec)
		if HasID(r.Scans[ScanBanditB322], "B322") {
			s += " (It also calls input(): B322 was not what the study counted, see below.)"
		}
		return s
	}
	if !r.HasSecurityIssues && !Clean(fs, Medium) {
		return fmt.Sprintf("Bandit reports %s here; the study's run did not flag the program.", CountIDs(fs, Medium))
	}
	return ""
}

// Disagreement is one completion whose recorded field the project's
// verdict contradicts, with the sentence that explains it.
type Disagreement struct {
	ID, Field   string // Field: "compiles" or "has_security_issues"
	Ours, Study bool
	Why         string
}

// Agreement is how often the project's defaults (compile check; Bandit ≥
// MEDIUM without B322) agree with the file's compiles and
// has_security_issues, and every disagreement explained.
type Agreement struct {
	N, CompilesAgree, SecurityAgree int
	Disagreements                   []Disagreement // in row order, compiles before security
}

// Compare sets the project's verdicts beside the file's recorded fields.
func Compare(rows []Scored) Agreement {
	a := Agreement{N: len(rows)}
	for _, r := range rows {
		if (r.Result.Syntax == nil) == r.Compiles {
			a.CompilesAgree++
		} else {
			a.Disagreements = append(a.Disagreements, Disagreement{r.ID, "compiles", r.Result.Syntax == nil, r.Compiles, ExplainCompile(r)})
		}
		ours := !Clean(r.Scans[ScanBandit], Medium)
		if ours == r.HasSecurityIssues {
			a.SecurityAgree++
		} else {
			a.Disagreements = append(a.Disagreements, Disagreement{r.ID, "has_security_issues", ours, r.HasSecurityIssues, ExplainSecurity(r)})
		}
	}
	return a
}

// VariantCause is a scan variant's disagreements with the study, and their
// cause in a sentence.
type VariantCause struct {
	Variant       string
	Disagreements int
	Cause         string
}

// VariantCauses summarises by cause the disagreements of the variants
// (Bandit + B322, + the string-literal fix, at any severity, the native
// scanner) with the study's has_security_issues.
func VariantCauses(rows []Scored) []VariantCause {
	inputCalls, inputCallsCleanInStudy, b322Disagree := 0, 0, 0
	strfixNew, strfixDisagree, nativeFlagged, nativeDisagree := 0, 0, 0, 0
	lowOnlyAgree := 0
	for _, r := range rows {
		if HasID(r.Scans[ScanBanditB322], "B322") {
			inputCalls++
			if !r.HasSecurityIssues {
				inputCallsCleanInStudy++
			}
		}
		if !Clean(r.Scans[ScanBanditB322], Medium) && !r.HasSecurityIssues {
			b322Disagree++
		}
		if len(r.Scans[ScanBanditStrfix]) != len(r.Scans[ScanBandit]) {
			strfixNew++
		}
		if !Clean(r.Scans[ScanBanditStrfix], Medium) != r.HasSecurityIssues {
			strfixDisagree++
		}
		if !Clean(r.Scans[ScanNative], Medium) {
			nativeFlagged++
		}
		if !Clean(r.Scans[ScanNative], Medium) != r.HasSecurityIssues {
			nativeDisagree++
		}
		if !Clean(r.Scans[ScanBandit], Low) == r.HasSecurityIssues {
			lowOnlyAgree++
		}
	}
	b322Why := fmt.Sprintf("B322 flags every input() call HIGH: %d programs call input(), and %d of them are clean in the study's data", inputCalls, inputCallsCleanInStudy)
	if inputCalls > 0 && inputCallsCleanInStudy*2 > inputCalls {
		b322Why += ", so the study did not count B322."
	} else {
		b322Why += "."
	}
	strfixWhy := fmt.Sprintf("The fix lets B104/B105/B108/B608 see string literals on Python 3.8+; it adds findings to %d program(s) here", strfixNew)
	if strfixNew == 0 {
		strfixWhy += ", so Bandit 1.6.2's Python-version defect explains none of the differences on this data."
	} else {
		strfixWhy += ": those are string-literal issues the installed Bandit cannot see."
	}
	lowWhy := "Counting LOW-severity findings too, as the study's flags do, reproduces its has_security_issues for every program."
	if lowOnlyAgree != len(rows) {
		lowWhy = fmt.Sprintf("Counting LOW-severity findings too still differs on %d program(s): see the table above.", len(rows)-lowOnlyAgree)
	}
	nativeWhy := fmt.Sprintf("The native scanner flags %d program(s) at ≥ MEDIUM; the rest of its disagreements are programs the study flagged for LOW-severity findings only.", nativeFlagged)
	return []VariantCause{
		{"Bandit + B322", b322Disagree, b322Why},
		{"Bandit + string-literal fix", strfixDisagree, strfixWhy},
		{"Bandit, any severity", len(rows) - lowOnlyAgree, lowWhy},
		{"native scanner (≥ MEDIUM)", nativeDisagree, nativeWhy},
	}
}

// AppendedGroup is the programs whose NAME() call the extractor appended
// (or not), and how many pass ≥ 1 test in the study's data and here.
type AppendedGroup struct {
	Appended              bool
	N, StudyPass, OurPass int
}

// ByAppended groups the rows by whether the call had to be appended
// (appended first).
func ByAppended(rows []Scored) []AppendedGroup {
	gs := []AppendedGroup{{Appended: true}, {Appended: false}}
	for _, r := range rows {
		g := &gs[1]
		if r.Appended {
			g = &gs[0]
		}
		g.N++
		if r.TestsPassed > 0 {
			g.StudyPass++
		}
		if r.Result.Passed > 0 {
			g.OurPass++
		}
	}
	return gs
}

// TableIRow is a Table I row: shares in percent, mean R in [0, 1].
type TableIRow struct {
	Syntax, AnyPass, AllPass, SecClean, MeanR float64
}

// Values lists the row's numbers in Table I's column order.
func (t TableIRow) Values() []float64 {
	return []float64{t.Syntax, t.AnyPass, t.AllPass, t.SecClean, t.MeanR}
}

// TableI is the Table I row recomputed by the project (statement examples
// as tests; ≥ 1 / all-pass shares over the tested programs; security-clean
// = Bandit ≥ MEDIUM without B322; R = reward.Study(): 0.6·R_func (partial
// credit) + 0.4·R_sec) and from the file's recorded fields; tested is how
// many programs had examples to run.
func TableI(rows []Scored) (ours, study TableIRow, tested int) {
	valid, anyPass, allPass, cleanN := 0, 0, 0, 0
	sComp, sAny, sAll, sClean := 0, 0, 0, 0
	meanR, sMeanR := 0.0, 0.0
	for _, r := range rows {
		if r.Result.Syntax == nil {
			valid++
		}
		if r.Result.Total > 0 {
			tested++
			if r.Result.Passed > 0 {
				anyPass++
			}
			if r.Result.AllPassed {
				allPass++
			}
		}
		if Clean(r.Scans[ScanBandit], Medium) {
			cleanN++
		}
		meanR += reward.Study().Score(r.Result, r.Scans[ScanBandit]).R
		if r.Compiles {
			sComp++
		}
		if r.TestsPassed > 0 {
			sAny++
		}
		if r.TestsTotal > 0 && r.TestsPassed == r.TestsTotal {
			sAll++
		}
		if !r.HasSecurityIssues {
			sClean++
		}
		sMeanR += r.Reward
	}
	n := len(rows)
	if n == 0 {
		return ours, study, tested
	}
	ours = TableIRow{Pct(valid, n), Pct(anyPass, tested), Pct(allPass, tested), Pct(cleanN, n), meanR / float64(n)}
	study = TableIRow{Pct(sComp, n), Pct(sAny, n), Pct(sAll, n), Pct(sClean, n), sMeanR / float64(n)}
	return ours, study, tested
}
