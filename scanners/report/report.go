// Package report writes security scanner reports in the formats other
// tools read: Bandit's JSON schema, SARIF 2.1.0 (for code-scanning tools
// such as GitHub code scanning) and a human-readable text listing. It also
// filters findings by severity and confidence and decides the exit status
// the way Bandit does.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/securecoderl/securecoderl/scanners/core"
)

// Formats lists the output formats by name.
var Formats = []string{"text", "json", "sarif"}

// Options configures a report.
type Options struct {
	// Severity and Confidence are the lowest levels reported (Bandit's
	// --severity-level / --confidence-level); empty means LOW.
	Severity, Confidence core.Level
	// Tool names the scanner in the output (e.g. "native").
	Tool string
}

func (o Options) keep(f core.Finding) bool {
	min := func(l core.Level) int {
		if l == "" {
			return core.Low.Rank()
		}
		return l.Rank()
	}
	return f.Severity.Rank() >= min(o.Severity) && f.Confidence.Rank() >= min(o.Confidence)
}

// Filter returns the reports with only the findings at or above opt's
// severity and confidence.
func Filter(reps []core.Report, opt Options) []core.Report {
	out := make([]core.Report, len(reps))
	for i, r := range reps {
		out[i] = r
		out[i].Findings = nil
		for _, f := range r.Findings {
			if opt.keep(f) {
				out[i].Findings = append(out[i].Findings, f)
			}
		}
	}
	return out
}

// Count is the number of findings at or above opt's levels: Bandit exits
// with status 1 when it is not zero (per-file errors do not change the
// status, as in Bandit).
func Count(reps []core.Report, opt Options) int {
	n := 0
	for _, r := range Filter(reps, opt) {
		n += len(r.Findings)
	}
	return n
}

// Write writes reps in the named format ("text", "json" or "sarif").
func Write(w io.Writer, format string, reps []core.Report, opt Options) error {
	switch format {
	case "text", "":
		return Text(w, reps, opt)
	case "json":
		return JSON(w, reps, opt)
	case "sarif":
		return SARIF(w, reps, opt)
	}
	return fmt.Errorf("report: unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

// totals counts findings by severity and confidence, like Bandit's metrics.
func totals(fs []core.Finding) map[string]int {
	m := map[string]int{}
	for _, l := range []core.Level{core.Undefined, core.Low, core.Medium, core.High} {
		m["SEVERITY."+string(l)] = 0
		m["CONFIDENCE."+string(l)] = 0
	}
	for _, f := range fs {
		m["SEVERITY."+string(f.Severity)]++
		m["CONFIDENCE."+string(f.Confidence)]++
	}
	return m
}

// HelpURI is the Bandit documentation page of a test id.
func HelpURI(f core.Finding) string {
	const base = "https://bandit.readthedocs.io/en/latest/"
	id := strings.ToLower(f.TestID)
	if f.Name != "blacklist" {
		return base + "plugins/" + id + "_" + f.Name + ".html"
	}
	kind := "calls"
	if strings.HasPrefix(f.TestID, "B4") {
		kind = "imports"
	}
	r, _ := core.LookupRule(f.TestID)
	return base + "blacklists/blacklist_" + kind + ".html#" + id + "-" + strings.ReplaceAll(r.Blacklist, "_", "-")
}

type jsonCWE struct {
	ID   int    `json:"id"`
	Link string `json:"link"`
}

type jsonResult struct {
	Filename   string  `json:"filename"`
	TestID     string  `json:"test_id"`
	TestName   string  `json:"test_name"`
	Severity   string  `json:"issue_severity"`
	Confidence string  `json:"issue_confidence"`
	CWE        jsonCWE `json:"issue_cwe"`
	Text       string  `json:"issue_text"`
	Line       int     `json:"line_number"`
	Col        int     `json:"col_offset"`
	Code       string  `json:"code"`
	MoreInfo   string  `json:"more_info"`
}

type jsonError struct {
	Filename string `json:"filename"`
	Reason   string `json:"reason"`
}

func cweLink(id int) string {
	if id == 0 {
		return ""
	}
	return "https://cwe.mitre.org/data/definitions/" + strconv.Itoa(id) + ".html"
}

// JSON writes Bandit's JSON report schema (bandit -f json): results,
// errors and metrics with per-file and total counts by level.
func JSON(w io.Writer, reps []core.Report, opt Options) error {
	out := struct {
		Tool    string                    `json:"tool,omitempty"`
		Errors  []jsonError               `json:"errors"`
		Metrics map[string]map[string]int `json:"metrics"`
		Results []jsonResult              `json:"results"`
	}{Tool: opt.Tool, Errors: []jsonError{}, Metrics: map[string]map[string]int{}, Results: []jsonResult{}}
	var all []core.Finding
	for _, r := range Filter(reps, opt) {
		if r.Err != "" {
			out.Errors = append(out.Errors, jsonError{Filename: r.Source, Reason: r.Err})
			continue
		}
		out.Metrics[r.Source] = totals(r.Findings)
		all = append(all, r.Findings...)
		for _, f := range r.Findings {
			out.Results = append(out.Results, jsonResult{Filename: r.Source, TestID: f.TestID, TestName: f.Name,
				Severity: string(f.Severity), Confidence: string(f.Confidence), CWE: jsonCWE{f.CWE, cweLink(f.CWE)},
				Text: f.Message, Line: f.Line, Col: f.Col, Code: f.Snippet, MoreInfo: HelpURI(f)})
		}
	}
	out.Metrics["_totals"] = totals(all)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// sarifURI is a file name as a SARIF artifact URI: relative paths
// %-encoded with forward slashes, absolute ones as file:// URIs (Bandit's
// to_uri).
func sarifURI(name string) string {
	if filepath.IsAbs(name) {
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(name)}).String()
	}
	return (&url.URL{Path: filepath.ToSlash(name)}).EscapedPath()
}

// sarifLevel maps a Bandit severity to a SARIF level (Bandit's
// level_from_severity).
func sarifLevel(l core.Level) string {
	switch l {
	case core.High:
		return "error"
	case core.Low:
		return "note"
	}
	return "warning"
}

// snippetLine returns the text of line from a Bandit "N code" snippet.
func snippetLine(snippet string, line int) (string, bool) {
	prefix := strconv.Itoa(line) + " "
	for _, l := range strings.SplitAfter(snippet, "\n") {
		if rest, ok := strings.CutPrefix(l, prefix); ok {
			return rest, true
		}
	}
	return "", false
}

// SARIF writes a SARIF 2.1.0 log with one run: the rules that fired (id,
// name, help URI, CWE tag), one result per finding (level from severity,
// 1-based region, the snippet), Bandit's issue_severity/issue_confidence
// as result properties, and per-file errors as error notifications of the
// invocation, which is then not successful.
func SARIF(w io.Writer, reps []core.Report, opt Options) error {
	type msg struct {
		Text string `json:"text"`
	}
	type artifact struct {
		URI string `json:"uri"`
	}
	type snippet struct {
		Text string `json:"text"`
	}
	type region struct {
		StartLine   int      `json:"startLine"`
		StartColumn int      `json:"startColumn,omitempty"`
		Snippet     *snippet `json:"snippet,omitempty"`
	}
	type physical struct {
		ArtifactLocation artifact `json:"artifactLocation"`
		Region           *region  `json:"region,omitempty"`
	}
	type location struct {
		PhysicalLocation physical `json:"physicalLocation"`
	}
	type notification struct {
		Level     string     `json:"level"`
		Message   msg        `json:"message"`
		Locations []location `json:"locations"`
	}
	type invocation struct {
		ExecutionSuccessful        bool           `json:"executionSuccessful"`
		ToolExecutionNotifications []notification `json:"toolExecutionNotifications,omitempty"`
	}
	type rule struct {
		ID         string         `json:"id"`
		Name       string         `json:"name"`
		HelpURI    string         `json:"helpUri"`
		Properties map[string]any `json:"properties"`
	}
	type result struct {
		RuleID     string            `json:"ruleId"`
		RuleIndex  int               `json:"ruleIndex"`
		Level      string            `json:"level"`
		Message    msg               `json:"message"`
		Locations  []location        `json:"locations"`
		Properties map[string]string `json:"properties"`
	}
	type driver struct {
		Name           string `json:"name"`
		InformationURI string `json:"informationUri"`
		Rules          []rule `json:"rules"`
	}
	type run struct {
		Tool struct {
			Driver driver `json:"driver"`
		} `json:"tool"`
		Invocations []invocation `json:"invocations"`
		Results     []result     `json:"results"`
	}
	name := "SecureCodeRL"
	if opt.Tool != "" {
		name += " (" + opt.Tool + ")"
	}
	var r run
	r.Tool.Driver = driver{Name: name, InformationURI: "https://github.com/securecoderl/securecoderl", Rules: []rule{}}
	r.Results = []result{}
	inv := invocation{ExecutionSuccessful: true}
	ruleIndex := map[string]int{}
	for _, rep := range Filter(reps, opt) {
		loc := func(reg *region) []location {
			return []location{{PhysicalLocation: physical{ArtifactLocation: artifact{URI: sarifURI(rep.Source)}, Region: reg}}}
		}
		if rep.Err != "" {
			inv.ExecutionSuccessful = false
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications,
				notification{Level: "error", Message: msg{rep.Err}, Locations: loc(nil)})
			continue
		}
		for _, f := range rep.Findings {
			idx, ok := ruleIndex[f.TestID]
			if !ok {
				idx = len(r.Tool.Driver.Rules)
				ruleIndex[f.TestID] = idx
				props := map[string]any{"tags": []string{"security"}, "precision": strings.ToLower(string(f.Confidence))}
				if f.CWE != 0 {
					props["tags"] = []string{"security", fmt.Sprintf("external/cwe/cwe-%d", f.CWE)}
				}
				r.Tool.Driver.Rules = append(r.Tool.Driver.Rules, rule{ID: f.TestID, Name: f.Name, HelpURI: HelpURI(f), Properties: props})
			}
			reg := &region{StartLine: max(f.Line, 1), StartColumn: f.Col + 1}
			if s, ok := snippetLine(f.Snippet, f.Line); ok {
				reg.Snippet = &snippet{s}
			}
			r.Results = append(r.Results, result{RuleID: f.TestID, RuleIndex: idx, Level: sarifLevel(f.Severity),
				Message: msg{f.Message}, Locations: loc(reg),
				Properties: map[string]string{"issue_severity": string(f.Severity), "issue_confidence": string(f.Confidence)}})
		}
	}
	r.Invocations = []invocation{inv}
	log := struct {
		Schema  string `json:"$schema"`
		Version string `json:"version"`
		Runs    []run  `json:"runs"`
	}{"https://json.schemastore.org/sarif-2.1.0.json", "2.1.0", []run{r}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// Text writes one line per finding ("file:line:col: id name [severity,
// confidence, CWE] message"), the per-file errors, and a summary by level,
// like Bandit's screen formatter.
func Text(w io.Writer, reps []core.Report, opt Options) error {
	var all []core.Finding
	errs, clean := 0, 0
	for _, r := range Filter(reps, opt) {
		if r.Err != "" {
			errs++
			fmt.Fprintf(w, "%s: error: %s\n", r.Source, r.Err)
			continue
		}
		if len(r.Findings) == 0 {
			clean++
			continue
		}
		all = append(all, r.Findings...)
		for _, f := range r.Findings {
			cwe := ""
			if f.CWE != 0 {
				cwe = fmt.Sprintf(", CWE-%d", f.CWE)
			}
			fmt.Fprintf(w, "%s:%d:%d: %s %s [severity %s, confidence %s%s] %s\n",
				r.Source, f.Line, f.Col, f.TestID, f.Name, f.Severity, f.Confidence, cwe, f.Message)
		}
	}
	t := totals(all)
	fmt.Fprintf(w, "\n%d files: %d with findings, %d clean, %d not scanned (errors); %d findings", len(reps), len(reps)-clean-errs, clean, errs, len(all))
	if opt.Severity.Rank() > core.Low.Rank() || opt.Confidence.Rank() > core.Low.Rank() {
		fmt.Fprintf(w, " at severity >= %s and confidence >= %s", or(opt.Severity, core.Low), or(opt.Confidence, core.Low))
	}
	fmt.Fprintln(w)
	if len(all) == 0 {
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\tLOW\tMEDIUM\tHIGH")
	for _, k := range []string{"SEVERITY", "CONFIDENCE"} {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\n", strings.ToLower(k), t[k+".LOW"], t[k+".MEDIUM"], t[k+".HIGH"])
	}
	byID := map[string]int{}
	for _, f := range all {
		byID[f.TestID]++
	}
	ids := slices.Sorted(maps.Keys(byID))
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf("%s×%d", id, byID[id])
	}
	fmt.Fprintf(tw, "by test\t%s\n", strings.Join(parts, " "))
	return tw.Flush()
}

func or(l, def core.Level) core.Level {
	if l == "" {
		return def
	}
	return l
}

// ParseLevel parses "low", "medium" or "high" (any case).
func ParseLevel(s string) (core.Level, error) {
	l := core.Level(strings.ToUpper(strings.TrimSpace(s)))
	switch l {
	case core.Low, core.Medium, core.High:
		return l, nil
	}
	return "", fmt.Errorf("level %q: want low, medium or high", s)
}
