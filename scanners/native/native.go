// Package native is a pure-Go (plus tree-sitter) reimplementation of the
// Bandit checks that matter for SecureCodeRL, with upstream Bandit's
// (1.9) test ids, names, severities, confidences and matching logic.
//
// Python sources are parsed with tree-sitter-python; the tree is copied
// once into Go memory and the rules then emulate Bandit's AST visitor:
// import aliases are tracked in source order like Bandit's context
// (import_aliases / imports), call names are qualified the same way
// (bandit.core.utils.get_call_name), literal values follow
// Context._get_literal_value, and string checks see string literals
// (including the literal runs of f-strings) with their Python AST parent.
//
// Implemented: the plugins and blacklists of upstream Bandit 1.9 —
// B101–B108, B110, B112, B113, B201, B202, the call blacklist (B301–B308,
// B310–B319, B321, B323), B324, the import blacklist (B401–B409,
// B411–B413, B415), B501–B509, B601–B615 and B701–B704. Plugin settings of
// Bandit's configuration file come from core.Options.Plugins. The example
// files of upstream's functional test suite are replayed by
// TestFunctionalExamples.
//
// Sources Python 3 cannot compile are reported as per-source errors with
// no findings, as Bandit skips files it cannot parse: syntax errors,
// Python 2 syntax that tree-sitter-python still accepts (print and exec
// statements, "except X, e:", "<>", backquotes, 0777 and 10L literals,
// "raise E, V", tuple parameters, ur"..." strings), NUL bytes, and bytes that
// are not UTF-8 where no PEP 263 coding declaration decodes them.
//
// "# nosec" comments are honoured only with core.Options.HonorNosec, with
// upstream 1.9's semantics (see applyNosec).
package native

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

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
	plugins    core.PluginConfig

	reCandidates *regexp.Regexp
	reSQL        *regexp.Regexp
	reNosec      *regexp.Regexp
	nosecIDs     map[string]string // nosec comment words → test ids
	calls        []blEntry
	imports      []blEntry
	callIndex    map[string]*blEntry // exact call-name matches, first entry wins
	callGlobs    []*blEntry          // entries with fnmatch wildcards
	shell        shellConfig
	py2          py2Kinds

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
		plugins:    opts.Plugins,
		skip:       map[string]bool{},
		// general_hardcoded_password.RE_CANDIDATES
		reCandidates: regexp.MustCompile(`(?i)(^(pas+wo?r?d|pass(phrase)?|pwd|token|secrete?)$|_(pas+wo?r?d|pass(phrase)?|pwd|token|secrete?)_|^(pas+wo?r?d|pass(phrase)?|pwd|token|secrete?)_|_(pas+wo?r?d|pass(phrase)?|pwd|token|secrete?)$)`),
		// injection_sql.SIMPLE_SQL_RE (re.IGNORECASE | re.DOTALL)
		reSQL:    regexp.MustCompile(`(?is)(select\s.*from\s|delete\s+from\s|insert\s+into\s.*values[\s(]|update\s.*set\s)`),
		reNosec:  regexp.MustCompile(`#\s*nosec:?\s*(?P<tests>[^#]+)?#?`),
		nosecIDs: nosecNames(),
		calls:    callBlacklist(),
		imports:  importBlacklist(),
		shell:    newShellConfig(),
		py2:      loadPy2Kinds(lang),
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
	code, decoded, msg := sourceText([]byte(src.Code))
	if msg != "" {
		rep.Err = "syntax error while parsing AST: " + msg
		return rep
	}
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
	if msg := s.py2Syntax(t); msg != "" {
		rep.Err = "syntax error while parsing AST: " + msg
		return rep
	}
	f := &fileCtx{s: s, t: t, decoded: decoded, aliases: map[string]string{}, imports: map[string]bool{}}
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

// sourceText returns the source as the text Python reads: decoded like
// tokenize.detect_encoding (a UTF-8 BOM, a PEP 263 coding declaration in
// the first two lines) followed by bytes.decode, and whether Python could
// decode it that way. A valid UTF-8 source Python would refuse to decode
// (an unknown codec, a BOM with another declaration) is still scanned as it
// is (decoded false); any other source Python cannot decode gets msg, a
// description of why Python would refuse to compile it.
func sourceText(code []byte) (text []byte, decoded bool, msg string) {
	if k := bytes.IndexByte(code, 0); k >= 0 {
		line, col := lineCol(code, k)
		return nil, false, fmt.Sprintf("source code cannot contain null bytes (line %d, column %d)", line, col)
	}
	name, _, known := detectEncoding(code)
	if known && name == "utf-8" && utf8.Valid(code) {
		return code, true, "" // the common case, BOM kept (columns as before)
	}
	if text, ok := decodeSource(code); ok {
		return []byte(text), true, ""
	}
	if utf8.Valid(code) {
		return code, false, ""
	}
	bad := 0
	for bad < len(code) {
		r, size := utf8.DecodeRune(code[bad:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		bad += size
	}
	line, col := lineCol(code, bad)
	if known && name != "utf-8" {
		return nil, false, fmt.Sprintf("source declares encoding %q, which does not decode it (byte 0x%02X at line %d, column %d)", name, code[bad], line, col)
	}
	return nil, false, fmt.Sprintf("source is not valid UTF-8 and declares no encoding (byte 0x%02X at line %d, column %d)", code[bad], line, col)
}

// lineCol turns a byte offset into a 1-based line and 0-based column.
func lineCol(code []byte, off int) (int, int) {
	line := 1 + bytes.Count(code[:off], []byte("\n"))
	return line, off - (bytes.LastIndexByte(code[:off], '\n') + 1)
}

// py2Kinds maps node kind ids to the roles py2Syntax needs beyond the
// rules' symbols; it is indexed by kind id, because a node name may have
// several ids (grammar aliases).
type py2Kinds []uint8

const (
	py2None uint8 = iota
	py2Raise
	py2TuplePattern
	py2Params
)

func loadPy2Kinds(lang *ts.Language) py2Kinds {
	k := make(py2Kinds, lang.NodeKindCount())
	for id := range k {
		if !lang.NodeKindIsNamed(uint16(id)) {
			continue
		}
		switch lang.NodeKindForId(uint16(id)) {
		case "raise_statement":
			k[id] = py2Raise
		case "tuple_pattern":
			k[id] = py2TuplePattern
		case "parameters", "lambda_parameters":
			k[id] = py2Params
		}
	}
	return k
}

func (k py2Kinds) role(kind uint16) uint8 {
	if int(kind) < len(k) {
		return k[kind]
	}
	return py2None
}

// reOldInt matches the integer literals of Python 2 only: octal without
// "0o" (a leading zero before a non-zero digit) and long integers ("10L").
var reOldInt = regexp.MustCompile(`^(0[0-9_]*[1-9][0-9_]*|[0-9][0-9a-fA-FxXoObB_]*[lL])$`)

// py2Syntax describes the first construct that tree-sitter-python accepts
// but Python 3 rejects as a syntax error (Python 2 syntax), or "".
func (s *Scanner) py2Syntax(t *tree) string {
	sy, k2 := s.sym, s.py2
	// hasToken reports whether tok is one of i's anonymous tokens, which
	// the flattened tree drops: it looks in the source between children.
	hasToken := func(i int32, tok string) bool {
		pos := t.n[i].start
		for c := t.n[i].first; c >= 0; c = t.n[c].next {
			if strings.Contains(string(t.src[pos:t.n[c].start]), tok) {
				return true
			}
			pos = t.n[c].end
		}
		return strings.Contains(string(t.src[pos:t.n[i].end]), tok)
	}
	for idx := range t.n {
		i := int32(idx)
		n := t.n[i]
		line := n.row + 1
		switch n.kind {
		case sy.printStmt:
			return fmt.Sprintf("Python 2 print statement at line %d (use the print() function)", line)
		case sy.execStmt:
			return fmt.Sprintf("Python 2 exec statement at line %d (use the exec() function)", line)
		case sy.exceptClause:
			if hasToken(i, ",") {
				return fmt.Sprintf("Python 2 \"except X, e:\" at line %d (use \"except X as e:\")", line)
			}
		case sy.comparisonOp:
			if hasToken(i, "<>") {
				return fmt.Sprintf("Python 2 operator \"<>\" at line %d (use \"!=\")", line)
			}
		case sy.integer:
			if reOldInt.MatchString(t.text(i)) {
				return fmt.Sprintf("Python 2 integer literal %s at line %d", t.text(i), line)
			}
		case sy.strStart:
			prefix := strings.ToLower(strings.TrimRight(t.text(i), "\"'"))
			if strings.HasPrefix(t.text(i), "`") {
				return fmt.Sprintf("Python 2 backquote repr at line %d (use repr())", line)
			}
			if strings.ContainsRune(prefix, 'u') && len(prefix) > 1 {
				return fmt.Sprintf("Python 2 string prefix %q at line %d", t.text(i), line)
			}
		}
		switch k2.role(n.kind) {
		case py2Raise:
			c := n.first // the "raise" keyword is not in the flattened tree
			for c >= 0 && t.n[c].kind == sy.comment {
				c = t.n[c].next
			}
			if c >= 0 && t.n[c].kind == sy.expressionList {
				return fmt.Sprintf("Python 2 \"raise E, V\" at line %d (use \"raise E(V)\")", line)
			}
		case py2TuplePattern:
			if p := n.parent; p >= 0 && k2.role(t.n[p].kind) == py2Params {
				return fmt.Sprintf("Python 2 tuple parameter at line %d", line)
			}
		}
	}
	return ""
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
	decoded  bool // t.src is the text Python decodes from the source (see sourceText)
	aliases  map[string]string
	imports  map[string]bool
	findings []core.Finding
	// ranges holds, per finding, the line range of the AST node Bandit
	// runs the test on (its context["linerange"]), for "# nosec".
	ranges  [][2]int
	lineOff []int
	buf     []int32
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
			f.netFunctionDef(i)
		}
	}
	f.fileChecks()
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
	f.ranges = append(f.ranges, f.lineRange(i))
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

// lineRange is Bandit's context["linerange"] for a finding reported at
// node i: the lines of the visited node (utils.linerange: lineno to
// end_lineno), except for string checks, whose range is that of the
// string's AST parent (visit_Str), and for file checks ([0, 1]).
func (f *fileCtx) lineRange(i int32) [2]int {
	t, sy := f.t, f.s.sym
	if i <= 0 || t.n[i].kind == sy.module {
		return [2]int{0, 1}
	}
	n := i
	switch k := t.n[i].kind; {
	case k == sy.strContent:
		// a literal run of an f-string: its parent is the JoinedStr
		n = t.n[i].parent
		if p := t.n[n].parent; p >= 0 && t.n[p].kind == sy.concatStr {
			n = p
		}
	case k == sy.str && t.n[i].parent >= 0 && t.n[t.n[i].parent].kind == sy.concatStr:
		n = t.n[i].parent // a run of an implicitly concatenated f-string
	case k == sy.str || k == sy.concatStr:
		if p := t.astParent(i); p >= 0 {
			n = p
			if t.n[n].kind == sy.pair { // ast.Dict has no node per pair
				if d := t.n[n].parent; d >= 0 {
					n = d
				}
			}
		}
	}
	return [2]int{int(t.n[n].row) + 1, int(t.n[n].erow) + 1}
}

// reNosecTests is manager.NOSEC_COMMENT_TESTS; like Python's re, Go's
// regexp reports the last iteration of the repeated group, so "B601,B602"
// yields only B602, as upstream.
var reNosecTests = regexp.MustCompile(`(?i)(?:(B\d+|[a-z\d_]+),?)+`)

// nosecNames maps the test ids and test names a "# nosec" comment may
// list to test ids, like extension_loader.Manager.check_id and
// get_test_id: plugin ids and names, blacklist ids and entry names, and
// the built-in blacklist test B001 ("blacklist").
func nosecNames() map[string]string {
	m := map[string]string{"B001": "B001", "blacklist": "B001"}
	for _, r := range core.Rules() {
		if !r.Upstream {
			continue
		}
		m[r.ID] = r.ID
		if r.Blacklist != "" {
			m[r.Blacklist] = r.ID
		} else {
			m[r.Name] = r.ID
		}
	}
	return m
}

// parseNosec is manager._parse_nosec_comment: nil when the comment is no
// nosec comment, else the set of test ids it names; an empty set means
// every test (bare "# nosec", or only names that are no test).
func (s *Scanner) parseNosec(comment string) map[string]bool {
	m := s.reNosec.FindStringSubmatch(comment)
	if m == nil {
		return nil
	}
	tests := map[string]bool{}
	for _, tm := range reNosecTests.FindAllStringSubmatch(m[1], -1) {
		if id, ok := s.nosecIDs[tm[1]]; ok {
			tests[id] = true
		}
	}
	return tests
}

// applyNosec drops the findings silenced by "# nosec" comments, as
// upstream Bandit 1.9 does (tester.BanditTester.run_tests with
// _get_nosecs_from_contexts): the tests named on the finding's own line
// and on the first line of the visited node's line range that has a nosec
// comment are combined; an empty combination silences every test.
func (f *fileCtx) applyNosec() {
	t := f.t
	nosec := map[int]map[string]bool{}
	for i := range t.n {
		if t.n[i].kind != f.s.sym.comment {
			continue
		}
		if tests := f.s.parseNosec(t.text(int32(i))); tests != nil {
			nosec[int(t.n[i].row)+1] = tests
		}
	}
	if len(nosec) == 0 {
		return
	}
	kept := f.findings[:0]
	for k, fd := range f.findings {
		r := [2]int{fd.Line, fd.Line}
		if k < len(f.ranges) {
			r = f.ranges[k]
		}
		base, hasBase := nosec[fd.Line]
		var ctx map[string]bool
		for l := r[0]; l <= r[1]; l++ {
			if ctx = nosec[l]; ctx != nil {
				break
			}
		}
		if hasBase || ctx != nil {
			if len(base) == 0 && len(ctx) == 0 || base[fd.TestID] || ctx[fd.TestID] {
				continue
			}
		}
		kept = append(kept, fd)
	}
	f.findings = kept
	f.ranges = nil
}
