// Package regex is the study's lightweight heuristic scanner: line-based
// regular expressions for eval/exec/__import__/shell=True/os.system/
// os.popen/pickle/yaml.load, reported with Bandit-like test ids.
//
// It differs from the study's original heuristic in one deliberate way:
// it does not flag input() (the study's pattern fired on every input()
// call, mirroring Bandit 1.6.2's Python 2 check B322, which upstream
// removed). It is a fallback and a baseline, not a parser: it does not
// resolve import aliases, and it only skips full-line comments and the
// text after a '#' that is outside quotes.
package regex

import (
	"context"
	"regexp"
	"strings"

	"github.com/securecoderl/securecoderl/scanners/core"
)

// pattern maps a regular expression to a Bandit-like finding.
type pattern struct {
	re         *regexp.Regexp
	not        *regexp.Regexp // the line must not match this
	id, name   string
	sev, conf  core.Level
	message    string
	identGroup int // submatch used as Ident (0: none)
}

// Scanner is the regex scanner; it is safe for concurrent use.
type Scanner struct {
	patterns []pattern
	skip     map[string]bool
}

// New builds the regex scanner. Patterns are compiled once per scanner.
func New(opts core.Options) *Scanner {
	s := &Scanner{skip: map[string]bool{}}
	for _, id := range opts.Skip {
		s.skip[strings.ToUpper(strings.TrimSpace(id))] = true
	}
	p := func(re, not, id, name string, sev, conf core.Level, msg string, group int) {
		pt := pattern{re: regexp.MustCompile(re), id: id, name: name, sev: sev, conf: conf, message: msg, identGroup: group}
		if not != "" {
			pt.not = regexp.MustCompile(not)
		}
		s.patterns = append(s.patterns, pt)
	}
	// Not preceded by '.' or a word character, so obj.eval(), literal_eval()
	// and cursor.execute() do not match.
	const start = `(?:^|[^\w.])`
	p(start+`(eval)\s*\(`, "", "B307", "blacklist", core.Medium, core.High,
		"Use of possibly insecure function - consider using safer ast.literal_eval.", 1)
	p(start+`(exec)\s*\(`, "", "B102", "exec_used", core.Medium, core.High, "Use of exec detected.", 1)
	p(start+`__import__\s*\(\s*['"](pickle|cPickle|dill|shelve)['"]`, "", "B403", "blacklist", core.Low, core.High,
		"Consider possible security implications associated with pickle module.", 1)
	p(start+`__import__\s*\(\s*['"](subprocess)['"]`, "", "B404", "blacklist", core.Low, core.High,
		"Consider possible security implications associated with the subprocess module.", 1)
	p(start+`__import__\s*\(`, `__import__\s*\(\s*['"](pickle|cPickle|dill|shelve|subprocess)['"]`, "RX001", "dynamic_import", core.Medium, core.Low,
		"Dynamic import with __import__().", 0)
	p(`\bsubprocess\.(Popen|call|check_call|check_output|run)\s*\(.*\bshell\s*=\s*True\b`, "", "B602", "subprocess_popen_with_shell_equals_true", core.High, core.High,
		"subprocess call with shell=True identified, security issue.", 0)
	p(`\bshell\s*=\s*True\b`, `\bsubprocess\.(Popen|call|check_call|check_output|run)\s*\(`, "B604", "any_other_function_with_shell_equals_true", core.Medium, core.Low,
		"Function call with shell=True parameter identified, possible security issue.", 0)
	p(`\b(os\.(system|popen))\s*\(`, "", "B605", "start_process_with_a_shell", core.High, core.High,
		"Starting a process with a shell, possible injection detected, security issue.", 1)
	p(`\b((?:c?[pP]ickle|dill)\.(?:loads?|Unpickler))\s*\(`, "", "B301", "blacklist", core.Medium, core.High,
		"Pickle and modules that wrap it can be unsafe when used to deserialize untrusted data, possible security issue.", 1)
	p(`^\s*(?:import\s+(?:c?[pP]ickle|dill|shelve)\b|from\s+(?:c?[pP]ickle|dill|shelve)\s+import\b)`, "", "B403", "blacklist", core.Low, core.High,
		"Consider possible security implications associated with pickle module.", 0)
	p(`\byaml\.load\s*\(`, `Loader\s*=\s*(?:yaml\.)?C?SafeLoader`, "B506", "yaml_load", core.Medium, core.High,
		"Use of unsafe yaml load. Allows instantiation of arbitrary objects. Consider yaml.safe_load().", 0)
	return s
}

// Name implements core.Scanner.
func (s *Scanner) Name() string { return "regex" }

// Scan implements core.Scanner.
func (s *Scanner) Scan(ctx context.Context, sources []core.Source) ([]core.Report, error) {
	out := make([]core.Report, len(sources))
	for i, src := range sources {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		out[i] = s.ScanOne(src)
	}
	return out, nil
}

// ScanOne scans one source.
func (s *Scanner) ScanOne(src core.Source) core.Report {
	rep := core.Report{Source: src.Name, Findings: []core.Finding{}}
	for n, line := range strings.Split(src.Code, "\n") {
		code := stripComment(line)
		if strings.TrimSpace(code) == "" {
			continue
		}
		for _, p := range s.patterns {
			if s.skip[p.id] {
				continue
			}
			m := p.re.FindStringSubmatchIndex(code)
			if m == nil || (p.not != nil && p.not.MatchString(code)) {
				continue
			}
			col := m[0]
			ident := ""
			if p.identGroup > 0 && m[2*p.identGroup] >= 0 {
				col = m[2*p.identGroup]
				ident = code[m[2*p.identGroup]:m[2*p.identGroup+1]]
			}
			rep.Findings = append(rep.Findings, core.Finding{
				TestID: p.id, Name: p.name, Severity: p.sev, Confidence: p.conf,
				CWE: core.CWE(p.id), Line: n + 1, Col: col,
				Snippet: line, Scanner: "regex", Message: p.message, Ident: ident,
			})
		}
	}
	return rep
}

// stripComment drops a trailing '#' comment that is outside quotes.
func stripComment(line string) string {
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == '\\' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '#':
			return line[:i]
		}
	}
	return line
}
