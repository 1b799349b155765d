// Package native is a pure-Go (plus tree-sitter) reimplementation of the
// Bandit checks that matter for SecureCodeRL, with upstream Bandit's
// (1.7.5+/1.8) test ids, names, severities, confidences and matching logic.
//
// Python sources are parsed with tree-sitter-python; the tree is copied
// once into Go memory and the rules then emulate Bandit's AST visitor:
// import aliases are tracked in source order like Bandit's context
// (import_aliases / imports), call names are qualified the same way
// (bandit.core.utils.get_call_name), literal values follow
// Context._get_literal_value, and string checks see string literals
// (including the literal runs of f-strings) with their Python AST parent.
//
// Implemented: B101–B108, B110, B112, the upstream call blacklist
// (B301–B308, B310–B321, B323), B324 (hashlib and crypt), the import
// blacklist (B401–B413, B415), B506, B602–B608.
//
// Sources with syntax errors are reported as errors with no findings, as
// Bandit skips files it cannot parse.
package native

import (
	"context"
	"fmt"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"

	ts "github.com/tree-sitter/go-tree-sitter"
	tspy "github.com/tree-sitter/tree-sitter-python/bindings/go"

	"github.com/securecoderl/securecoderl/scanners/core"
)

// Scanner is the native scanner. It is safe for concurrent use. Close
// releases its pooled tree-sitter parsers.
type Scanner struct {
	lang    *ts.Language
	sym     *symbols
	parsers chan *cparser

	honorNosec bool
	skip       map[string]bool

	reCandidates *regexp.Regexp
	reSQL        *regexp.Regexp
	reNosec      *regexp.Regexp
	calls        []blEntry
	imports      []blEntry
	callIndex    map[string]*blEntry // exact call-name matches, first entry wins
	callGlobs    []*blEntry          // entries with fnmatch wildcards
	shell        shellConfig

	closeOnce sync.Once
}

// New builds a native scanner.
//
// New also points tree-sitter's C allocator at libc (see useLibcAllocator):
// a program that installs its own allocator with tree_sitter.SetAllocator
// must not use this package.
func New(opts core.Options) (*Scanner, error) {
	if !layoutOK() {
		return nil, fmt.Errorf("native: tree node layout mismatch between Go and C")
	}
	useLibcAllocator()
	lang := ts.NewLanguage(tspy.Language())
	sym, err := loadSymbols(lang)
	if err != nil {
		return nil, err
	}
	s := &Scanner{
		lang:       lang,
		sym:        sym,
		parsers:    make(chan *cparser, 2*runtime.GOMAXPROCS(0)),
		honorNosec: opts.HonorNosec,
		skip:       map[string]bool{},
		// general_hardcoded_password.RE_CANDIDATES
		reCandidates: regexp.MustCompile(`(?i)(^(pas+wo?r?d|pass(phrase)?|pwd|token|secrete?)$|_(pas+wo?r?d|pass(phrase)?|pwd|token|secrete?)_|^(pas+wo?r?d|pass(phrase)?|pwd|token|secrete?)_|_(pas+wo?r?d|pass(phrase)?|pwd|token|secrete?)$)`),
		// injection_sql.SIMPLE_SQL_RE (re.IGNORECASE | re.DOTALL)
		reSQL:   regexp.MustCompile(`(?is)(select\s.*from\s|delete\s+from\s|insert\s+into\s.*values[\s(]|update\s.*set\s)`),
		reNosec: regexp.MustCompile(`#\s*nosec:?\s*(?P<tests>[^#]+)?#?`),
		calls:   callBlacklist(),
		imports: importBlacklist(),
		shell:   newShellConfig(),
	}
	for _, id := range opts.Skip {
		s.skip[strings.ToUpper(strings.TrimSpace(id))] = true
	}
	// Call nodes are checked against the call entries, then the import
	// entries (matched with fnmatch, i.e. exactly); index the exact names.
	s.callIndex = map[string]*blEntry{}
	for _, list := range [][]blEntry{s.calls, s.imports} {
		for k := range list {
			e := &list[k]
			for _, qn := range e.qualnames {
				if strings.ContainsAny(qn, "*?[") {
					s.callGlobs = append(s.callGlobs, e)
				} else if _, dup := s.callIndex[qn]; !dup {
					s.callIndex[qn] = e
				}
			}
		}
	}
	return s, nil
}

// Name implements core.Scanner.
func (s *Scanner) Name() string { return "native" }

// Close frees the pooled parsers. The scanner stays usable.
func (s *Scanner) Close() error {
	for {
		select {
		case p := <-s.parsers:
			p.close()
		default:
			return nil
		}
	}
}

func (s *Scanner) getParser() (*cparser, error) {
	select {
	case p := <-s.parsers:
		return p, nil
	default:
	}
	return newCParser(tspy.Language())
}

func (s *Scanner) putParser(p *cparser) {
	select {
	case s.parsers <- p:
	default:
		p.close()
	}
}

// Scan implements core.Scanner. Sources are scanned in parallel on
// GOMAXPROCS goroutines.
func (s *Scanner) Scan(ctx context.Context, sources []core.Source) ([]core.Report, error) {
	reports := make([]core.Report, len(sources))
	workers := runtime.GOMAXPROCS(0)
	if workers > len(sources) {
		workers = len(sources)
	}
	if workers <= 1 {
		for i, src := range sources {
			if err := ctx.Err(); err != nil {
				return reports, err
			}
			reports[i] = s.ScanOne(src)
		}
		return reports, ctx.Err()
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= len(sources) {
					return
				}
				reports[i] = s.ScanOne(sources[i])
			}
		}()
	}
	wg.Wait()
	return reports, ctx.Err()
}

// ScanOne scans one source.
func (s *Scanner) ScanOne(src core.Source) core.Report {
	rep := core.Report{Source: src.Name, Findings: []core.Finding{}}
	p, err := s.getParser()
	if err != nil {
		rep.Err = err.Error()
		return rep
	}
	defer s.putParser(p)
	code := []byte(src.Code)
	t := &tree{src: code, sym: s.sym, n: p.buf[:0]}
	hasErr, ok := p.parse(code, t)
	p.buf = t.n[:0] // reuse the node buffer for the next source
	if !ok {
		rep.Err = "tree-sitter: parse failed"
		return rep
	}
	if hasErr {
		rep.Err = syntaxError(t)
		return rep
	}
	for i := range t.n {
		if k := t.n[i].kind; k == s.sym.execStmt || k == s.sym.printStmt {
			rep.Err = fmt.Sprintf("syntax error while parsing AST: Python 2 statement at line %d", t.n[i].row+1)
			return rep
		}
	}
	f := &fileCtx{s: s, t: t, aliases: map[string]string{}, imports: map[string]bool{}}
	f.run()
	if s.honorNosec {
		f.applyNosec()
	}
	for _, fd := range f.findings {
		if s.skip[fd.TestID] {
			continue
		}
		rep.Findings = append(rep.Findings, fd)
	}
	sort.SliceStable(rep.Findings, func(a, b int) bool {
		fa, fb := rep.Findings[a], rep.Findings[b]
		if fa.Line != fb.Line {
			return fa.Line < fb.Line
		}
		if fa.Col != fb.Col {
			return fa.Col < fb.Col
		}
		return fa.TestID < fb.TestID
	})
	return rep
}

// syntaxError describes the first ERROR or MISSING node.
func syntaxError(t *tree) string {
	for i := range t.n {
		if t.n[i].kind == t.sym.errNode || (t.n[i].start == t.n[i].end && t.n[i].kind != t.sym.module && !t.sym.isNamed(t.n[i].kind)) {
			return fmt.Sprintf("syntax error while parsing AST: invalid syntax at line %d", t.n[i].row+1)
		}
	}
	return "syntax error while parsing AST"
}

// fileCtx is the per-source state of the visitor, like Bandit's
// BanditNodeVisitor (import_aliases, imports) plus the findings.
type fileCtx struct {
	s        *Scanner
	t        *tree
	aliases  map[string]string
	imports  map[string]bool
	findings []core.Finding
	lineOff  []int
	buf      []int32
}

// run visits every node in source order.
func (f *fileCtx) run() {
	t, sy := f.t, f.s.sym
	for idx := range t.n {
		i := int32(idx)
		switch t.n[i].kind {
		case sy.importStmt:
			f.visitImport(i)
		case sy.importFrom, sy.futureImport:
			f.visitImportFrom(i)
		case sy.call:
			f.visitCall(i)
		case sy.str:
			if p := t.n[i].parent; p >= 0 && t.n[p].kind == sy.concatStr {
				continue // folded into the concatenated_string
			}
			f.visitStr(i)
		case sy.concatStr:
			f.visitStr(i)
		case sy.assertStmt:
			f.report(i, "B101", "assert_used", core.Low, core.High,
				"Use of assert detected. The enclosed code will be removed when compiling to optimised byte code.", "", 0)
		case sy.exceptClause, sy.exceptGroup:
			f.visitExcept(i)
		case sy.functionDef:
			f.visitFunctionDef(i)
		}
	}
}

// report records a finding at node i (line overridden when line > 0).
func (f *fileCtx) report(i int32, id, name string, sev, conf core.Level, msg, ident string, line int) {
	n := f.t.n[i]
	if line <= 0 {
		line = int(n.row) + 1
	}
	span := int(n.erow-n.row) + 1
	k := n.kind
	if k == f.s.sym.functionDef || k == f.s.sym.exceptClause || k == f.s.sym.exceptGroup {
		span = 1
	}
	f.findings = append(f.findings, core.Finding{
		TestID:     id,
		Name:       name,
		Severity:   sev,
		Confidence: conf,
		CWE:        core.CWE(id),
		Line:       line,
		Col:        int(n.col),
		Snippet:    f.snippet(line, span),
		Scanner:    "native",
		Message:    msg,
		Ident:      ident,
	})
}

// snippet renders lines like bandit's Issue.get_code(max_lines=3).
func (f *fileCtx) snippet(line, span int) string {
	if f.lineOff == nil {
		f.lineOff = append(f.lineOff, 0)
		for i, c := range f.t.src {
			if c == '\n' {
				f.lineOff = append(f.lineOff, i+1)
			}
		}
	}
	lmin := line - 1
	if lmin < 1 {
		lmin = 1
	}
	lmax := lmin + span + 2
	var b strings.Builder
	for l := lmin; l < lmax && l <= len(f.lineOff); l++ {
		start := f.lineOff[l-1]
		end := len(f.t.src)
		if l < len(f.lineOff) {
			end = f.lineOff[l]
		}
		if start >= end {
			break
		}
		fmt.Fprintf(&b, "%d %s", l, f.t.src[start:end])
	}
	return b.String()
}

// applyNosec drops findings on lines with a "# nosec" comment (all tests)
// or "# nosec B602,B607" (those tests), like upstream Bandit.
func (f *fileCtx) applyNosec() {
	t := f.t
	nosec := map[int]map[string]bool{}
	for i := range t.n {
		if t.n[i].kind != f.s.sym.comment {
			continue
		}
		m := f.s.reNosec.FindStringSubmatch(t.text(int32(i)))
		if m == nil {
			continue
		}
		tests := map[string]bool{}
		for _, tok := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ' ' }) {
			tests[strings.ToUpper(tok)] = true
		}
		nosec[int(t.n[i].row)+1] = tests
	}
	kept := f.findings[:0]
	for _, fd := range f.findings {
		tests, ok := nosec[fd.Line]
		if ok && (len(tests) == 0 || tests[fd.TestID] || tests[strings.ToUpper(fd.Name)]) {
			continue
		}
		kept = append(kept, fd)
	}
	f.findings = kept
}
