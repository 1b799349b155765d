// Package core holds the types shared by every SecureCodeRL security
// scanner: findings, reports, the Scanner interface and the rule table
// (Bandit test id → name, CWE, reward weight).
//
// It exists so that the scanner implementations (scanners/bandit,
// scanners/native, scanners/regex) and the umbrella package scanners can
// share one set of types without an import cycle; package scanners
// re-exports everything here under the same names, and most callers should
// import scanners rather than this package.
package core

import (
	"context"
	"fmt"
)

// Level is a Bandit severity or confidence rank.
type Level string

// The ranks Bandit uses for both severity and confidence.
const (
	Undefined Level = "UNDEFINED"
	Low       Level = "LOW"
	Medium    Level = "MEDIUM"
	High      Level = "HIGH"
)

// Rank orders levels: Undefined 0, Low 1, Medium 2, High 3 (unknown -1).
func (l Level) Rank() int {
	switch l {
	case Undefined:
		return 0
	case Low:
		return 1
	case Medium:
		return 2
	case High:
		return 3
	}
	return -1
}

// Finding is one issue reported by a scanner, shaped after a Bandit issue.
type Finding struct {
	// TestID is the Bandit test id, e.g. "B307".
	TestID string `json:"test_id"`
	// Name is Bandit's test name, e.g. "blacklist", "exec_used".
	Name string `json:"test_name"`
	// Severity and Confidence are Bandit's ranks for this issue.
	Severity   Level `json:"issue_severity"`
	Confidence Level `json:"issue_confidence"`
	// CWE is the CWE id of the rule (see CWE in rules.go); 0 when unknown.
	CWE int `json:"cwe"`
	// Line is 1-based; Col is the 0-based byte column of the AST node
	// Bandit attaches the issue to (Python's col_offset).
	Line int `json:"line_number"`
	Col  int `json:"col_offset"`
	// Snippet is the surrounding code, in Bandit's "N code" line format.
	Snippet string `json:"code,omitempty"`
	// Scanner names the scanner that produced the finding.
	Scanner string `json:"scanner"`
	// Message is the human readable issue text.
	Message string `json:"issue_text"`
	// Ident is the qualified name a blacklist rule matched
	// (Bandit's Issue.ident, e.g. "hashlib.md5"); empty for other rules.
	Ident string `json:"ident,omitempty"`
}

// Source is one program to scan.
type Source struct {
	// Name identifies the source in reports (a file name or sample id).
	Name string `json:"name"`
	// Code is the Python source text.
	Code string `json:"code"`
}

// Report is the result of scanning one Source. A failure on one source
// (syntax error, scanner crash, timeout) is recorded in Err; it never
// fails the batch.
type Report struct {
	Source   string    `json:"source"`
	Findings []Finding `json:"findings"`
	// Err is empty on success.
	Err string `json:"error,omitempty"`
	// Notes carry caveats about how the source was scanned (skipped rules,
	// known scanner defects, fallbacks).
	Notes []string `json:"notes,omitempty"`
}

// OK reports whether the source was scanned without error.
func (r Report) OK() bool { return r.Err == "" }

// Scanner scans Python sources for security issues.
//
// Scan returns one Report per source, in order. The returned error is
// reserved for failures of the whole batch (a cancelled context, a scanner
// that cannot run at all); per-source problems go into Report.Err.
// Implementations are safe for concurrent use.
type Scanner interface {
	Name() string
	Scan(ctx context.Context, sources []Source) ([]Report, error)
}

// Options configures the scanners built by scanners.New. The zero value is
// the recommended configuration.
type Options struct {
	// Python is the interpreter that runs the Bandit worker
	// (default /usr/bin/python3).
	Python string `json:"python,omitempty"`
	// BanditCLI is the bandit executable used by the CLI fallback
	// (default /usr/bin/bandit).
	BanditCLI string `json:"bandit_cli,omitempty"`
	// Workers is the number of Bandit worker processes (default 1).
	Workers int `json:"workers,omitempty"`
	// ForceCLI makes the bandit scanner use one CLI process per source
	// instead of the long-lived worker.
	ForceCLI bool `json:"force_cli,omitempty"`
	// KeepB322 keeps Bandit 1.6.2's B322 (input) findings, which are
	// dropped by default because upstream Bandit removed the check in 1.7.
	KeepB322 bool `json:"keep_b322,omitempty"`
	// FixStrDispatch patches the Bandit 1.6.2 worker so that string
	// literal checks (B104, B105, B108, B608) run on Python 3.8+, where
	// literals are ast.Constant. Off by default: the worker then behaves
	// exactly like the installed bandit.
	FixStrDispatch bool `json:"fix_str_dispatch,omitempty"`
	// HonorNosec makes scanners honour "# nosec" comments. Off by default:
	// a reward signal must not be silenced by the program it scores.
	HonorNosec bool `json:"honor_nosec,omitempty"`
	// Skip lists test ids whose findings are dropped.
	Skip []string `json:"skip,omitempty"`
	// Plugins holds the per-plugin settings of Bandit's configuration
	// file that the native scanner implements.
	Plugins PluginConfig `json:"plugins,omitzero"`
}

// PluginConfig is the part of Bandit's configuration file (the per-plugin
// sections) that the native scanner reads. The zero value is Bandit's
// default configuration.
type PluginConfig struct {
	// CheckTypedException makes B110/B112 also flag handlers of a named
	// exception type ("except ValueError: pass"), as Bandit's
	// try_except_pass/try_except_continue check_typed_exception does.
	CheckTypedException bool `json:"check_typed_exception,omitempty"`
	// MarkupExtendNames adds callables treated like markupsafe.Markup by
	// B704 (markupsafe_xss.extend_markup_names).
	MarkupExtendNames []string `json:"markup_extend_names,omitempty"`
	// MarkupAllowedCalls lists calls whose result may be passed to Markup
	// without a B704 finding (markupsafe_xss.allowed_calls).
	MarkupAllowedCalls []string `json:"markup_allowed_calls,omitempty"`
}

// Errorf is a helper to build a Report for a source that failed.
func Errorf(source, format string, args ...any) Report {
	return Report{Source: source, Err: fmt.Sprintf(format, args...)}
}
