package native

// The functional-examples harness: it replays upstream Bandit's functional
// test suite (tests/functional/test_functional.py, Bandit 1.9) against the
// native scanner. The expectations are read from the upstream file at test
// time, never copied here: the test methods are interpreted with a small
// reader for the subset of Python they use (dict/list/str/int literals,
// variables, attribute and call chains, with-blocks).

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/securecoderl/securecoderl/scanners/core"
)

// knownDifferences lists the example files whose upstream expectations the
// native scanner does not meet yet, with the reason. The harness fails when
// a file not listed here mismatches, and also when a listed file matches
// (remove it from the map then). It is empty: with the plugins of Bandit
// 1.9 all in place, every example file matches upstream's expectations.
var knownDifferences = map[string]string{}

// functionalDir locates upstream's functional-test data: $SCRL_DATA_DIR/
// bandit-functional, else ../../../shared/data/bandit-functional.
func functionalDir() string {
	if d := os.Getenv("SCRL_DATA_DIR"); d != "" {
		return filepath.Join(d, "bandit-functional")
	}
	return filepath.Join("..", "..", "..", "shared", "data", "bandit-functional")
}

// examplesDir is functionalDir's examples/ directory; the test skips when
// it is absent.
func examplesDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(functionalDir(), "examples")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("functional examples not available: %v", err)
	}
	return dir
}

// lmh is a levelCounts row without UNDEFINED: LOW, MEDIUM, HIGH.
func lmh(row [4]int) [3]int { return [3]int(row[1:]) }

// ---- a reader for the Python subset of test_functional.py ----

type pyTokKind int

const (
	tkName pyTokKind = iota
	tkNum
	tkStr
	tkOp
)

type pyTok struct {
	kind pyTokKind
	text string // names, operators, numbers; a string's decoded value
	line int
	col  int
}

// pyStmt is one logical line.
type pyStmt struct {
	indent int
	line   int
	toks   []pyTok
	src    string
}

// reFuncStrPrefix matches a string prefix (r, b, f, u and combinations).
var reFuncStrPrefix = regexp.MustCompile(`^(?i)(rb|br|fr|rf|r|b|f|u)?("""|'''|"|')`)

// tokenizePy splits Python source into logical lines of tokens.
func tokenizePy(src string) ([]pyStmt, error) {
	var out []pyStmt
	var cur pyStmt
	depth, line, col := 0, 1, 0
	lines := strings.Split(src, "\n")
	flush := func(end int) {
		if len(cur.toks) > 0 {
			var b []string
			for l := cur.line; l <= end && l <= len(lines); l++ {
				b = append(b, lines[l-1])
			}
			cur.src = strings.Join(b, "\n")
			out = append(out, cur)
		}
		cur = pyStmt{}
	}
	add := func(k pyTokKind, text string) {
		if len(cur.toks) == 0 {
			cur.indent, cur.line = col, line
		}
		cur.toks = append(cur.toks, pyTok{kind: k, text: text, line: line, col: col})
	}
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			if depth == 0 {
				flush(line)
			}
			i++
			line++
			col = 0
			continue
		case c == ' ' || c == '\t' || c == '\r':
			i++
			col++
			continue
		case c == '\\' && i+1 < len(src) && src[i+1] == '\n':
			i += 2
			line++
			col = 0
			continue
		case c == '#':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			continue
		}
		if m := reFuncStrPrefix.FindStringSubmatch(src[i:]); m != nil {
			q := m[2]
			j := i + len(m[0])
			var body strings.Builder
			for {
				if j >= len(src) {
					return nil, fmt.Errorf("line %d: unterminated string", line)
				}
				if strings.HasPrefix(src[j:], q) {
					j += len(q)
					break
				}
				if src[j] == '\\' && j+1 < len(src) {
					body.WriteByte(src[j])
					j++
				}
				if src[j] == '\n' && len(q) == 1 {
					return nil, fmt.Errorf("line %d: newline in string", line)
				}
				body.WriteByte(src[j])
				j++
			}
			add(tkStr, decodePy(body.String(), strings.ContainsAny(m[1], "rR"), false))
			for _, ch := range src[i:j] {
				if ch == '\n' {
					line++
					col = 0
				}
			}
			col += j - i
			i = j
			continue
		}
		if isPyNameByte(c) {
			j := i
			for j < len(src) && (isPyNameByte(src[j]) || (src[j] >= '0' && src[j] <= '9')) {
				j++
			}
			add(tkName, src[i:j])
			col += j - i
			i = j
			continue
		}
		if c >= '0' && c <= '9' {
			j := i
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '_' || src[j] == '.') {
				j++
			}
			add(tkNum, src[i:j])
			col += j - i
			i = j
			continue
		}
		op := string(c)
		if i+1 < len(src) {
			switch two := src[i : i+2]; two {
			case "==", "!=", "<=", ">=", "//", "**", "->", "+=", "-=":
				op = two
			}
		}
		switch op {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
		}
		add(tkOp, op)
		col += len(op)
		i += len(op)
	}
	flush(line)
	return out, nil
}

func isPyNameByte(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// pyExpr is a parsed expression of the subset: literals, names, attribute,
// call and subscript chains; anything else is kind "other".
type pyExpr struct {
	kind  string // int, str, bool, none, name, attr, call, index, dict, list, other
	i     int
	s     string // str value, name, attribute name
	b     bool
	x     *pyExpr   // attr/call/index: the object
	items []*pyExpr // list items, dict values, call positional args, index
	keys  []*pyExpr // dict keys
	kw    map[string]*pyExpr
}

// dotted renders a name/attribute chain ("self.b_mgr.skipped"), "" else.
func (e *pyExpr) dotted() string {
	switch e.kind {
	case "name":
		return e.s
	case "attr":
		if p := e.x.dotted(); p != "" {
			return p + "." + e.s
		}
	}
	return ""
}

type pyParser struct {
	toks []pyTok
	pos  int
}

func (p *pyParser) peek() (pyTok, bool) {
	if p.pos < len(p.toks) {
		return p.toks[p.pos], true
	}
	return pyTok{}, false
}

func (p *pyParser) isOp(s string) bool {
	t, ok := p.peek()
	return ok && t.kind == tkOp && t.text == s
}

// skipBalanced skips tokens up to (not including) a ',' ':' '=' or closing
// bracket at depth 0 (or the end).
func (p *pyParser) skipBalanced(stops ...string) {
	depth := 0
	for p.pos < len(p.toks) {
		t := p.toks[p.pos]
		if t.kind == tkOp {
			switch t.text {
			case "(", "[", "{":
				depth++
			case ")", "]", "}":
				if depth == 0 {
					return
				}
				depth--
			default:
				if depth == 0 {
					for _, s := range stops {
						if t.text == s {
							return
						}
					}
				}
			}
		}
		p.pos++
	}
}

// expr parses one expression; binary operators, comprehensions, slices
// and the like make it "other" (their tokens are skipped).
func (p *pyParser) expr(stops ...string) *pyExpr {
	e := p.primary()
	if t, ok := p.peek(); ok && !(t.kind == tkOp && (t.text == "," || t.text == ")" || t.text == "]" || t.text == "}" || containsStr(stops, t.text))) {
		p.skipBalanced(append([]string{","}, stops...)...)
		return &pyExpr{kind: "other"}
	}
	return e
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (p *pyParser) primary() *pyExpr {
	t, ok := p.peek()
	if !ok {
		return &pyExpr{kind: "other"}
	}
	var e *pyExpr
	p.pos++
	switch {
	case t.kind == tkNum:
		v, err := strconv.Atoi(strings.ReplaceAll(t.text, "_", ""))
		if err != nil {
			e = &pyExpr{kind: "other"}
		} else {
			e = &pyExpr{kind: "int", i: v}
		}
	case t.kind == tkStr:
		s := t.text
		for {
			n, ok := p.peek()
			if !ok || n.kind != tkStr {
				break
			}
			s += n.text
			p.pos++
		}
		e = &pyExpr{kind: "str", s: s}
	case t.kind == tkName:
		switch t.text {
		case "True", "False":
			e = &pyExpr{kind: "bool", b: t.text == "True"}
		case "None":
			e = &pyExpr{kind: "none"}
		default:
			e = &pyExpr{kind: "name", s: t.text}
		}
	case t.text == "-":
		n := p.primary()
		if n.kind == "int" {
			n.i = -n.i
			return n
		}
		return &pyExpr{kind: "other"}
	case t.text == "(":
		e = p.expr()
		if !p.isOp(")") {
			p.skipBalanced()
			e = &pyExpr{kind: "other"}
		}
		p.pos++
	case t.text == "[":
		e = &pyExpr{kind: "list"}
		for !p.isOp("]") && p.pos < len(p.toks) {
			e.items = append(e.items, p.expr())
			if p.isOp(",") {
				p.pos++
			}
		}
		p.pos++
	case t.text == "{":
		e = &pyExpr{kind: "dict"}
		for !p.isOp("}") && p.pos < len(p.toks) {
			k := p.expr(":")
			if !p.isOp(":") {
				p.skipBalanced()
				e = &pyExpr{kind: "other"}
				break
			}
			p.pos++
			v := p.expr()
			e.keys = append(e.keys, k)
			e.items = append(e.items, v)
			if p.isOp(",") {
				p.pos++
			}
		}
		p.pos++
	default:
		return &pyExpr{kind: "other"}
	}
	for {
		switch {
		case p.isOp("."):
			p.pos++
			n, ok := p.peek()
			if !ok || n.kind != tkName {
				return &pyExpr{kind: "other"}
			}
			p.pos++
			e = &pyExpr{kind: "attr", x: e, s: n.text}
		case p.isOp("("):
			p.pos++
			c := &pyExpr{kind: "call", x: e, kw: map[string]*pyExpr{}}
			for !p.isOp(")") && p.pos < len(p.toks) {
				if n, ok := p.peek(); ok && n.kind == tkName && p.pos+1 < len(p.toks) &&
					p.toks[p.pos+1].kind == tkOp && p.toks[p.pos+1].text == "=" {
					p.pos += 2
					c.kw[n.text] = p.expr()
				} else {
					c.items = append(c.items, p.expr())
				}
				if p.isOp(",") {
					p.pos++
				}
			}
			p.pos++
			e = c
		case p.isOp("["):
			p.pos++
			idx := p.expr()
			if !p.isOp("]") {
				p.skipBalanced()
				idx = &pyExpr{kind: "other"}
			}
			p.pos++
			e = &pyExpr{kind: "index", x: e, items: []*pyExpr{idx}}
		default:
			return e
		}
	}
}

// ---- interpreting the test methods ----

// levelCounts is check_example's result dict: SEVERITY then CONFIDENCE
// counts in the order UNDEFINED, LOW, MEDIUM, HIGH.
type levelCounts [2][4]int

var rankOrder = []core.Level{core.Undefined, core.Low, core.Medium, core.High}

func (c levelCounts) String() string {
	return fmt.Sprintf("sev %d/%d/%d/%d conf %d/%d/%d/%d", c[0][0], c[0][1], c[0][2], c[0][3], c[1][0], c[1][1], c[1][2], c[1][3])
}

// funcCase is one check_example call with the options it maps to.
type funcCase struct {
	test   string // the upstream test method
	file   string
	expect levelCounts
	opts   core.Options
}

// funcRun is a run_example call followed by assertions on the issues.
type funcRun struct {
	test      string
	file      string
	skipped   int // expected len(b_mgr.skipped); -1 when not asserted
	issues    int // expected number of issues; -1 when not asserted
	lines     map[int]int
	codeHas   map[int][]string
	codeLines bool // the issue-0 snippet numbering check of test_code_line_numbers
}

// funcSuite is what the harness extracted from test_functional.py.
type funcSuite struct {
	cases []funcCase
	runs  []*funcRun
	// unexpressed lists upstream checks the harness cannot express.
	unexpressed []string
}

// testSetCfg is the state of a BanditTestSet as the methods change it.
type testSetCfg struct {
	exclude []string
	plugins map[string]*pyExpr // plugin name → its _config / config dict
}

func dictGet(d *pyExpr, key string) *pyExpr {
	if d == nil || d.kind != "dict" {
		return nil
	}
	for k, kk := range d.keys {
		if kk.kind == "str" && kk.s == key {
			return d.items[k]
		}
	}
	return nil
}

// fnmatchAny is Python's fnmatch.fnmatch for the skip globs of assert_used.
func fnmatchAny(name, glob string) bool {
	re := "^" + strings.ReplaceAll(strings.ReplaceAll(regexp.QuoteMeta(glob), `\*`, ".*"), `\?`, ".") + "$"
	ok, _ := regexp.MatchString(re, name)
	return ok
}

// parseFunctional interprets the test methods of test_functional.py.
func parseFunctional(src string) (*funcSuite, error) {
	stmts, err := tokenizePy(src)
	if err != nil {
		return nil, err
	}
	suite := &funcSuite{}
	for k := 0; k < len(stmts); k++ {
		st := stmts[k]
		if len(st.toks) < 2 || st.toks[0].text != "def" || !strings.HasPrefix(st.toks[1].text, "test_") {
			continue
		}
		name := st.toks[1].text
		var body []pyStmt
		for k+1 < len(stmts) && stmts[k+1].indent > st.indent {
			k++
			body = append(body, stmts[k])
		}
		suite.method(name, body)
	}
	return suite, nil
}

// method interprets one test method.
func (suite *funcSuite) method(name string, body []pyStmt) {
	env := map[string]*pyExpr{}
	configs := map[string]map[string]*pyExpr{} // BanditConfig variable → section → dict
	def := &testSetCfg{plugins: map[string]*pyExpr{}}
	type scope struct {
		indent int
		ts     *testSetCfg
	}
	var scopes []scope
	var run *funcRun
	issuesVar := ""
	baseline := false
	unexpressed := func(st pyStmt, why string) {
		suite.unexpressed = append(suite.unexpressed, fmt.Sprintf("%s (line %d): %s: %s", name, st.line, why, strings.TrimSpace(st.src)))
	}
	resolve := func(e *pyExpr) *pyExpr {
		for e != nil && e.kind == "name" && env[e.s] != nil {
			e = env[e.s]
		}
		return e
	}
	testSet := func() *testSetCfg {
		if len(scopes) > 0 {
			return scopes[len(scopes)-1].ts
		}
		return def
	}
	for _, st := range body {
		for len(scopes) > 0 && st.indent <= scopes[len(scopes)-1].indent {
			scopes = scopes[:len(scopes)-1]
		}
		toks := st.toks
		if len(toks) == 1 && toks[0].kind == tkStr {
			continue // docstring
		}
		if toks[0].kind == tkName && toks[0].text == "with" {
			p := &pyParser{toks: toks[1:]}
			e := p.expr(":")
			if e.kind != "call" || e.x.dotted() != "self.with_test_set" || len(e.items) != 1 || e.items[0].kind != "call" ||
				e.items[0].x.dotted() != "b_test_set.BanditTestSet" {
				unexpressed(st, "unknown with statement")
				continue
			}
			ts := &testSetCfg{plugins: map[string]*pyExpr{}}
			bts := e.items[0]
			if prof := resolve(bts.kw["profile"]); prof != nil {
				for kk, key := range prof.keys {
					v := prof.items[kk]
					if key.kind == "str" && key.s == "exclude" && v.kind == "list" {
						for _, id := range v.items {
							ts.exclude = append(ts.exclude, id.s)
						}
					} else {
						unexpressed(st, "unknown profile key")
					}
				}
			}
			if c := bts.kw["config"]; c != nil && c.kind == "name" {
				for sec, d := range configs[c.s] {
					ts.plugins[sec] = d
				}
			}
			// plugin configs live on the shared plugin functions
			// (test_set._load_tests sets plugin._config): building a test
			// set replaces them for the rest of the method too
			def.plugins = ts.plugins
			scopes = append(scopes, scope{indent: st.indent, ts: ts})
			continue
		}
		// assignment?
		eq := -1
		depth := 0
		for j, t := range toks {
			if t.kind == tkOp {
				switch t.text {
				case "(", "[", "{":
					depth++
				case ")", "]", "}":
					depth--
				case "=":
					if depth == 0 && eq < 0 {
						eq = j
					}
				}
			}
		}
		if eq > 0 {
			target := (&pyParser{toks: toks[:eq]}).expr()
			vp := &pyParser{toks: toks[eq+1:]}
			value := vp.expr()
			switch {
			case target.kind == "name" && value.kind == "call" && value.x.dotted() == "next":
				// test = next(x for x in self.b_mgr.b_ts.tests[...] if x.__name__ == "name")
				plugin := ""
				for _, t := range toks {
					if t.kind == tkStr {
						plugin = t.text
					}
				}
				env[target.s] = &pyExpr{kind: "plugin", s: plugin}
			case target.kind == "name" && value.kind == "call" && value.x.dotted() == "b_config.BanditConfig":
				configs[target.s] = map[string]*pyExpr{}
				env[target.s] = nil
			case target.kind == "name" && value.kind == "call" && value.x.dotted() == "self.b_mgr.get_issue_list":
				issuesVar = target.s
			case target.kind == "name":
				env[target.s] = value
			case target.kind == "attr" && target.s == "_config" && resolve(target.x) != nil && resolve(target.x).kind == "plugin":
				testSet().plugins[resolve(target.x).s] = value
			case target.kind == "index" && target.x.kind == "attr" && target.x.s == "config" && target.x.x.kind == "name" &&
				configs[target.x.x.s] != nil && target.items[0].kind == "str":
				configs[target.x.x.s][target.items[0].s] = value
			default:
				unexpressed(st, "unknown assignment")
			}
			continue
		}
		e := (&pyParser{toks: toks}).expr()
		if e.kind != "call" {
			unexpressed(st, "unknown statement")
			continue
		}
		switch fn := e.x.dotted(); fn {
		case "self.check_example":
			suite.checkExample(name, st, e, resolve, testSet(), unexpressed)
		case "self.run_example":
			f := resolve(e.items[0])
			if baseline || f == nil || f.kind != "str" {
				run = nil
				unexpressed(st, "run_example after a baseline, or of a computed file")
				continue
			}
			run = &funcRun{test: name, file: f.s, skipped: -1, issues: -1, lines: map[int]int{}, codeHas: map[int][]string{}}
			suite.runs = append(suite.runs, run)
		case "self.check_metrics":
			unexpressed(st, "metrics (nosec/skipped/loc counters) are not reported by the native scanner")
		case "self.b_mgr.populate_baseline":
			unexpressed(st, "baseline filtering is not implemented by the native scanner")
			baseline = true
		case "self.assertEqual", "self.assertIn", "self.assertTrue":
			if run != nil && (strings.Contains(st.src, "code_lines[") || fn == "self.assertTrue" && strings.Contains(st.src, ".endswith(")) {
				continue // the snippet numbering check, see codeLines
			}
			if run == nil || !suite.assertion(run, fn, e, issuesVar) {
				unexpressed(st, "assertion not expressible")
			}
		default:
			unexpressed(st, "unknown call")
		}
	}
	// test_code_line_numbers: code_lines = issues[0].get_code().splitlines()
	for _, st := range body {
		if run != nil && strings.Contains(st.src, "get_code().splitlines()") {
			run.codeLines = true
		}
	}
}

// checkExample records one check_example call.
func (suite *funcSuite) checkExample(name string, st pyStmt, e *pyExpr, resolve func(*pyExpr) *pyExpr, ts *testSetCfg, unexpressed func(pyStmt, string)) {
	if len(e.items) < 2 {
		unexpressed(st, "check_example without expect")
		return
	}
	file := resolve(e.items[0])
	expect := resolve(e.items[1])
	if file == nil || file.kind != "str" || expect == nil || expect.kind != "dict" {
		unexpressed(st, "check_example arguments not literal")
		return
	}
	c := funcCase{test: name, file: file.s, opts: core.Options{HonorNosec: true}}
	if in := resolve(e.kw["ignore_nosec"]); in != nil && in.kind == "bool" {
		c.opts.HonorNosec = !in.b
	}
	for kind, key := range []string{"SEVERITY", "CONFIDENCE"} {
		d := dictGet(expect, key)
		if d == nil {
			unexpressed(st, "expect dict without "+key)
			return
		}
		for r, lvl := range rankOrder {
			v := resolve(dictGet(d, string(lvl)))
			if v != nil && v.kind != "int" {
				unexpressed(st, "non-integer count")
				return
			}
			if v != nil {
				c.expect[kind][r] = v.i
			}
		}
	}
	c.opts.Skip = append(c.opts.Skip, ts.exclude...)
	for plugin, cfg := range ts.plugins {
		switch plugin {
		case "assert_used":
			if skips := dictGet(cfg, "skips"); skips != nil {
				for _, g := range skips.items {
					if fnmatchAny("examples/"+file.s, g.s) {
						c.opts.Skip = append(c.opts.Skip, "B101")
					}
				}
			}
		case "try_except_pass", "try_except_continue":
			if v := dictGet(cfg, "check_typed_exception"); v != nil && v.kind == "bool" && v.b {
				c.opts.Plugins.CheckTypedException = true
			}
		case "markupsafe_xss":
			for _, key := range []string{"extend_markup_names", "allowed_calls"} {
				l := dictGet(cfg, key)
				if l == nil {
					continue
				}
				for _, n := range l.items {
					if key == "allowed_calls" {
						c.opts.Plugins.MarkupAllowedCalls = append(c.opts.Plugins.MarkupAllowedCalls, n.s)
					} else {
						c.opts.Plugins.MarkupExtendNames = append(c.opts.Plugins.MarkupExtendNames, n.s)
					}
				}
			}
		default:
			unexpressed(st, "unknown plugin config "+plugin)
		}
	}
	suite.cases = append(suite.cases, c)
}

// assertion records an assertion after run_example; false when it is not
// one the harness can express.
func (suite *funcSuite) assertion(run *funcRun, fn string, e *pyExpr, issuesVar string) bool {
	if len(e.items) != 2 {
		return false
	}
	want, got := e.items[0], e.items[1]
	// issues[K].attr / issues[K].get_code()
	issueAt := func(x *pyExpr) (int, bool) {
		if x.kind == "index" && x.x.kind == "name" && x.x.s == issuesVar && issuesVar != "" && x.items[0].kind == "int" {
			return x.items[0].i, true
		}
		return 0, false
	}
	switch fn {
	case "self.assertEqual":
		if want.kind != "int" {
			return false
		}
		if got.kind == "call" && got.x.dotted() == "len" && len(got.items) == 1 {
			switch a := got.items[0]; {
			case a.dotted() == "self.b_mgr.skipped":
				run.skipped = want.i
				return true
			case a.kind == "name" && a.s == issuesVar:
				run.issues = want.i
				return true
			case a.dotted() == "self.b_mgr.files_list":
				return want.i == 1 // one file was given
			}
		}
		if got.kind == "attr" && got.s == "lineno" {
			if k, ok := issueAt(got.x); ok {
				run.lines[k] = want.i
				return true
			}
		}
	case "self.assertIn":
		if want.kind == "str" && got.kind == "call" && got.x.kind == "attr" && got.x.s == "get_code" {
			if k, ok := issueAt(got.x.x); ok {
				run.codeHas[k] = append(run.codeHas[k], want.s)
				return true
			}
		}
	}
	return false
}

// ---- the test ----

func countLevels(r core.Report) levelCounts {
	var c levelCounts
	if r.Err != "" {
		return c // Bandit skips the file: no scores
	}
	for _, f := range r.Findings {
		c[0][f.Severity.Rank()]++
		c[1][f.Confidence.Rank()]++
	}
	return c
}

func optsLabel(o core.Options) string {
	var parts []string
	if !o.HonorNosec {
		parts = append(parts, "ignore_nosec")
	}
	if len(o.Skip) > 0 {
		parts = append(parts, "skip="+strings.Join(o.Skip, ","))
	}
	if o.Plugins.CheckTypedException {
		parts = append(parts, "check_typed_exception")
	}
	if len(o.Plugins.MarkupExtendNames) > 0 {
		parts = append(parts, "extend_markup_names="+strings.Join(o.Plugins.MarkupExtendNames, ","))
	}
	if len(o.Plugins.MarkupAllowedCalls) > 0 {
		parts = append(parts, "allowed_calls="+strings.Join(o.Plugins.MarkupAllowedCalls, ","))
	}
	return strings.Join(parts, " ")
}

// TestFunctionalExamples replays upstream Bandit's functional tests.
func TestFunctionalExamples(t *testing.T) {
	dir := functionalDir()
	src, err := os.ReadFile(filepath.Join(dir, "test_functional.py"))
	if err != nil {
		t.Skipf("upstream functional tests not available (set SCRL_DATA_DIR): %v", err)
	}
	suite, err := parseFunctional(string(src))
	if err != nil {
		t.Fatalf("reading test_functional.py: %v", err)
	}
	if len(suite.cases) == 0 {
		t.Fatal("no check_example calls found in test_functional.py")
	}
	readExample := func(name string) core.Source {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, "examples", filepath.FromSlash(name)))
		if err != nil {
			t.Fatalf("example %s: %v", name, err)
		}
		return core.Source{Name: name, Code: string(b)}
	}
	scan := func(o core.Options, src core.Source) core.Report {
		s, err := New(o)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		return s.ScanOne(src)
	}

	type fileResult struct {
		ok, bad int
		lines   []string
	}
	results := map[string]*fileResult{}
	res := func(file string) *fileResult {
		if results[file] == nil {
			results[file] = &fileResult{}
		}
		return results[file]
	}
	for _, c := range suite.cases {
		rep := scan(c.opts, readExample(c.file))
		got := countLevels(rep)
		r := res(c.file)
		if got == c.expect {
			r.ok++
			continue
		}
		r.bad++
		var found []string
		for _, f := range rep.Findings {
			found = append(found, fmt.Sprintf("%s@%d", f.TestID, f.Line))
		}
		line := fmt.Sprintf("%-44s %-28s want %s, got %s [%s]", c.file, c.test, c.expect, got, strings.Join(found, " "))
		if o := optsLabel(c.opts); o != "" {
			line += " {" + o + "}"
		}
		if rep.Err != "" {
			line += " error: " + rep.Err
		}
		r.lines = append(r.lines, line)
	}
	for _, run := range suite.runs {
		rep := scan(core.Options{HonorNosec: true}, readExample(run.file))
		var probs []string
		skipped := 0
		if rep.Err != "" {
			skipped = 1
		}
		if run.skipped >= 0 && skipped != run.skipped {
			probs = append(probs, fmt.Sprintf("skipped: want %d, got %d (%s)", run.skipped, skipped, rep.Err))
		}
		if run.issues >= 0 && len(rep.Findings) != run.issues {
			probs = append(probs, fmt.Sprintf("issues: want %d, got %d", run.issues, len(rep.Findings)))
		}
		for k, l := range run.lines {
			if k >= len(rep.Findings) || rep.Findings[k].Line != l {
				probs = append(probs, fmt.Sprintf("issue %d: want line %d", k, l))
			}
		}
		for k, subs := range run.codeHas {
			for _, s := range subs {
				if k >= len(rep.Findings) || !strings.Contains(rep.Findings[k].Snippet, s) {
					probs = append(probs, fmt.Sprintf("issue %d: code lacks %q", k, s))
				}
			}
		}
		if run.codeLines {
			if len(rep.Findings) == 0 {
				probs = append(probs, "no issue for the code line check")
			} else {
				f := rep.Findings[0]
				cl := strings.Split(f.Snippet, "\n")
				for d := -1; d <= 1; d++ {
					if len(cl) <= d+1 || !strings.HasPrefix(cl[d+1], strconv.Itoa(f.Line+d)+" ") {
						probs = append(probs, fmt.Sprintf("code line %d does not start with %d", d+1, f.Line+d))
					}
				}
			}
		}
		r := res(run.file)
		if len(probs) == 0 {
			r.ok++
			continue
		}
		r.bad++
		r.lines = append(r.lines, fmt.Sprintf("%-44s %-28s %s", run.file, run.test, strings.Join(probs, "; ")))
	}

	files := make([]string, 0, len(results))
	for f := range results {
		files = append(files, f)
	}
	sort.Strings(files)
	matched := 0
	var table []string
	for _, f := range files {
		r := results[f]
		reason, known := knownDifferences[f]
		switch {
		case r.bad == 0:
			matched++
			if known {
				t.Errorf("%s matches upstream now: remove it from knownDifferences (%s)", f, reason)
			}
		case !known:
			for _, l := range r.lines {
				t.Errorf("mismatch: %s", l)
			}
		default:
			table = append(table, r.lines...)
		}
	}
	for f := range knownDifferences {
		if results[f] == nil {
			t.Errorf("knownDifferences names %s, which no upstream test checks", f)
		}
	}
	checked := map[string]bool{}
	for _, c := range suite.cases {
		checked[c.file] = true
	}
	t.Logf("upstream functional examples: %d/%d files match (%d files in %d check_example cases, %d run_example checks)",
		matched, len(files), len(checked), len(suite.cases), len(suite.runs))
	for _, l := range table {
		t.Logf("known difference: %s", l)
	}
	for _, u := range suite.unexpressed {
		t.Logf("not expressed: %s", u)
	}
}

// TestParseFunctional checks the reader on the constructs upstream's test
// methods use.
func TestParseFunctional(t *testing.T) {
	src := `
class FunctionalTests(testtools.TestCase):
    def check_example(self, example_script, expect, ignore_nosec=False):
        self.check_example("never.py", {})

    def test_vars(self):
        """Docstring."""
        low = 13
        expect = {
            "SEVERITY": {"UNDEFINED": 0, "LOW": low, "MEDIUM": 2, "HIGH": 0},
            "CONFIDENCE": {"UNDEFINED": 0, "LOW": 0, "MEDIUM": 0, "HIGH": 15},  # comment
        }
        name = "a.py"
        self.check_example(name, expect, ignore_nosec=True)

    def test_config(self):
        test = next(
            x for x in self.b_mgr.b_ts.tests["ExceptHandler"] if x.__name__ == "try_except_pass"
        )
        test._config = {"check_typed_exception": True}
        expect = {"SEVERITY": {"LOW": 1}, "CONFIDENCE": {"HIGH": 1}}
        self.check_example("b.py", expect)
        b_conf = b_config.BanditConfig()
        b_conf.config["markupsafe_xss"] = {"allowed_calls": ["bleach.clean"]}
        with self.with_test_set(b_test_set.BanditTestSet(config=b_conf, profile={"exclude": ["B308"]})):
            self.check_example(
                "c.py", expect
            )
        self.check_example("d.py", expect)

    def test_run(self):
        self.run_example("e.py")
        self.assertEqual(1, len(self.b_mgr.skipped))
        issues = self.b_mgr.get_issue_list()
        self.assertEqual(2, len(issues))
        self.assertEqual(5, issues[1].lineno)
        self.assertIn("shell=True", issues[1].get_code())
        self.assertEqual(list(range(1, 2)), issues[0].linerange)
`
	suite, err := parseFunctional(src)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range suite.cases {
		got = append(got, fmt.Sprintf("%s %s %s {%s}", c.test, c.file, c.expect, optsLabel(c.opts)))
	}
	want := []string{
		"test_vars a.py sev 0/13/2/0 conf 0/0/0/15 {ignore_nosec}",
		"test_config b.py sev 0/1/0/0 conf 0/0/0/1 {check_typed_exception}",
		"test_config c.py sev 0/1/0/0 conf 0/0/0/1 {skip=B308 allowed_calls=bleach.clean}",
		"test_config d.py sev 0/1/0/0 conf 0/0/0/1 {allowed_calls=bleach.clean}",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("cases:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(suite.runs) != 1 {
		t.Fatalf("runs: %+v", suite.runs)
	}
	r := suite.runs[0]
	if r.file != "e.py" || r.skipped != 1 || r.issues != 2 || r.lines[1] != 5 || len(r.codeHas[1]) != 1 {
		t.Errorf("run: %+v", *r)
	}
	if len(suite.unexpressed) != 1 || !strings.Contains(suite.unexpressed[0], "linerange") {
		t.Errorf("unexpressed: %q", suite.unexpressed)
	}
}
