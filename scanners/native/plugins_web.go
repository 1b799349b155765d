package native

// Injection, web-framework and supply-chain plugins of upstream Bandit 1.9
// (B601, B609–B615, B701–B704).

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"

	"github.com/securecoderl/securecoderl/scanners/core"
)

// webCalls runs the injection/web/supply-chain call checks.
func (f *fileCtx) webCalls(ci *callInfo) {
	f.paramikoCalls(ci)
	f.wildcardInjection(ci)
	f.djangoExtra(ci)
	f.djangoRawSQL(ci)
	f.loggingListen(ci)
	f.pytorchLoad(ci)
	f.huggingfaceDownload(ci)
	f.jinja2Autoescape(ci)
	f.makoTemplates(ci)
	f.djangoMarkSafe(ci)
	f.markupXSS(ci)
}

// fileChecks runs the whole-file checks (B613 trojansource).
func (f *fileCtx) fileChecks() {
	f.trojanSource()
}

// ---- Context helpers ----

// importedLike is Context.is_module_imported_like: module is a substring
// of a name imported so far.
func (f *fileCtx) importedLike(module string) bool {
	for imp := range f.imports {
		if strings.Contains(imp, module) {
			return true
		}
	}
	return false
}

// hasKeyword reports whether the call passes keyword name (the keys of
// Context.call_keywords).
func (ci *callInfo) hasKeyword(name string) bool {
	_, ok := ci.keyword(name)
	return ok
}

// kwLine is Context.get_lineno_for_call_arg: the line of the first
// keyword argument called name, or 0 (the call's line).
func (f *fileCtx) kwLine(ci *callInfo, name string) int {
	for _, kw := range ci.keywords {
		if kw.name == name && kw.value >= 0 {
			return int(f.t.n[f.t.unparen(kw.value)].row) + 1
		}
	}
	return 0
}

// isStrConst reports whether i is an ast.Constant holding a str.
func (f *fileCtx) isStrConst(i int32) bool {
	_, ok := f.t.plainStr(i)
	return ok
}

// isConstant reports whether i is an ast.Constant of any type (str,
// bytes, number, True/False/None, Ellipsis).
func (f *fileCtx) isConstant(i int32) bool {
	t, sy := f.t, f.s.sym
	i = t.unparen(i)
	if i < 0 {
		return false
	}
	switch t.n[i].kind {
	case sy.str, sy.concatStr:
		return !t.evalStr(i).fstring
	case sy.integer, sy.float, sy.true, sy.false, sy.none:
		return true
	}
	return t.text(i) == "..."
}

// isName reports whether i is an ast.Name.
func (f *fileCtx) isName(i int32) bool {
	if i < 0 {
		return false
	}
	k := f.t.n[i].kind
	return k == f.s.sym.identifier || (k == f.s.sym.keywordIdentifier && f.s.sym.keywordIdentifier != 0)
}

// truthy is Python's bool() of a _get_literal_value result (None when
// kind is pyNone).
func (v pyVal) truthy() bool {
	switch v.kind {
	case pyStr, pyBytes:
		return v.s != ""
	case pyInt:
		return v.i.Sign() != 0
	case pyFloat:
		s := strings.TrimRight(strings.ToLower(strings.ReplaceAll(v.s, "_", "")), "j")
		x, err := strconv.ParseFloat(s, 64)
		return err != nil || x != 0
	case pySeq, pyDict:
		return true // only reached for non-empty containers in practice
	case pyEllip:
		return true
	}
	return false
}

// ---- B601 paramiko_calls ----

// paramikoCalls is B601 paramiko_calls (injection_paramiko).
func (f *fileCtx) paramikoCalls(ci *callInfo) {
	if ci.name != "exec_command" || !f.importedLike("paramiko") {
		return
	}
	f.report(ci.node, "B601", "paramiko_calls", core.Medium, core.Medium,
		"Possible shell injection via Paramiko call, check inputs are properly sanitized.", "", 0)
}

// ---- B609 linux_commands_wildcard_injection ----

// wildcardInjection is B609 linux_commands_wildcard_injection
// (injection_wildcard, sharing injection_shell's configuration).
func (f *fileCtx) wildcardInjection(ci *callInfo) {
	sc := f.s.shell
	q := ci.qual
	if !sc.shell[q] {
		if !sc.subprocess[q] {
			return
		}
		if v, ok := f.kwValue(ci, "shell"); !ok || v.kind != pyStr || v.s != "True" {
			return
		}
	}
	if len(ci.args) < 1 {
		return
	}
	t, sy := f.t, f.s.sym
	arg := t.unparen(ci.args[0])
	var argument string
	switch {
	case t.n[arg].kind == sy.attribute:
		if a := t.field(arg, sy.fAttribute); a >= 0 {
			argument = t.text(a)
		}
	case t.n[arg].kind == sy.list:
		var b strings.Builder
		for _, el := range t.named(arg) {
			b.WriteByte(' ')
			b.WriteString(f.litStr(el, false))
		}
		argument = b.String()
	default:
		if v := t.literal(arg); v.kind == pyStr {
			argument = v.s
		}
	}
	if argument == "" || !strings.Contains(argument, "*") {
		return
	}
	for _, fn := range []string{"chown", "chmod", "tar", "rsync"} {
		if strings.Contains(argument, fn) {
			f.report(ci.node, "B609", "linux_commands_wildcard_injection", core.High, core.Medium,
				"Possible wildcard injection in call: "+q, "", f.kwLine(ci, "shell"))
			return
		}
	}
}

// litStr renders str() (repr() when nested in a container) of the value
// Context._get_literal_value returns for node i.
func (f *fileCtx) litStr(i int32, nested bool) string {
	t, sy := f.t, f.s.sym
	i = t.unparen(i)
	if i < 0 {
		return "None"
	}
	quote := func(s string) string {
		if nested {
			return pyRepr(s)
		}
		return s
	}
	join := func(open, close string, trailing bool) string {
		var parts []string
		for _, el := range t.named(i) {
			parts = append(parts, f.litStr(el, true))
		}
		if trailing && len(parts) == 1 {
			return open + parts[0] + "," + close
		}
		return open + strings.Join(parts, ", ") + close
	}
	switch t.n[i].kind {
	case sy.list:
		return join("[", "]", false)
	case sy.tuple:
		return join("(", ")", true)
	case sy.set:
		return join("{", "}", false)
	case sy.dictionary:
		return "{}" // a dict of AST nodes: its repr holds neither '*' nor a command
	}
	v := t.literal(i)
	switch v.kind {
	case pyStr:
		return quote(v.s)
	case pyBytes:
		return "b" + pyRepr(v.s)
	case pyInt, pyFloat:
		return v.s
	case pyEllip:
		return "Ellipsis"
	}
	return "None"
}

// pyRepr approximates Python's repr() of a str.
func pyRepr(s string) string {
	q := byte('\'')
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == rune(q):
			b.WriteByte('\\')
			b.WriteByte(q)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			fmt.Fprintf(&b, `\x%02x`, r)
		case r > 0x7f && !unicode.IsPrint(r):
			if r <= 0xffff {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				fmt.Fprintf(&b, `\U%08x`, r)
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}

// ---- B610 django_extra_used, B611 django_rawsql_used ----

// djangoExtra is B610 django_extra_used (django_sql_injection).
func (f *fileCtx) djangoExtra(ci *callInfo) {
	if ci.name != "extra" {
		return
	}
	t, sy := f.t, f.s.sym
	kwargs := map[string]int32{}
	for _, kw := range ci.keywords {
		if kw.name != "" {
			kwargs[kw.name] = kw.value
		}
	}
	for k, name := range []string{"select", "where", "params", "tables", "order_by", "select_params"} {
		if k < len(ci.args) {
			kwargs[name] = ci.args[k]
		}
	}
	insecure := false
outer:
	for _, key := range []string{"where", "tables"} {
		v, ok := kwargs[key]
		if !ok {
			continue
		}
		v = t.unparen(v)
		if t.n[v].kind != sy.list {
			insecure = true
			break outer
		}
		for _, el := range t.named(v) {
			if !f.isStrConst(el) {
				insecure = true
				break
			}
		}
	}
	if sel, ok := kwargs["select"]; !insecure && ok {
		sel = t.unparen(sel)
		if t.n[sel].kind != sy.dictionary {
			insecure = true
		} else {
			var keys, values []int32
			for _, c := range t.named(sel) {
				if t.n[c].kind == sy.pair {
					keys = append(keys, t.field(c, sy.fKey))
					values = append(values, t.field(c, sy.fValue))
				} else { // **mapping: key None
					keys = append(keys, -1)
					values = append(values, c)
				}
			}
			for _, k := range keys {
				if k < 0 || !f.isStrConst(k) {
					insecure = true
					break
				}
			}
			if !insecure {
				for _, v := range values {
					if !f.isStrConst(v) {
						insecure = true
						break
					}
				}
			}
		}
	}
	if insecure {
		f.report(ci.node, "B610", "django_extra_used", core.Medium, core.Medium,
			"Use of extra potential SQL attack vector.", "", 0)
	}
}

// djangoRawSQL is B611 django_rawsql_used (django_sql_injection).
func (f *fileCtx) djangoRawSQL(ci *callInfo) {
	if ci.name != "RawSQL" || !f.importedLike("django.db.models") {
		return
	}
	var sql int32
	if len(ci.args) > 0 {
		sql = ci.args[0]
	} else {
		v, ok := ci.keyword("sql")
		if !ok {
			return // upstream raises KeyError: the test aborts
		}
		sql = v
	}
	if !f.isStrConst(sql) {
		f.report(ci.node, "B611", "django_rawsql_used", core.Medium, core.Medium,
			"Use of RawSQL potential SQL attack vector.", "", 0)
	}
}

// ---- B612, B614, B615 ----

// loggingListen is B612 logging_config_insecure_listen.
func (f *fileCtx) loggingListen(ci *callInfo) {
	if ci.qual == "logging.config.listen" && !ci.hasKeyword("verify") {
		f.report(ci.node, "B612", "logging_config_insecure_listen", core.Medium, core.High,
			"Use of insecure logging.config.listen detected.", "", 0)
	}
}

// pytorchLoad is B614 pytorch_load.
func (f *fileCtx) pytorchLoad(ci *callInfo) {
	if !f.imports["torch"] || (ci.qual != "torch.load" && ci.qual != "torch.serialization.load") {
		return
	}
	if v, ok := f.kwValue(ci, "weights_only"); ok && v.kind == pyStr && v.s == "True" {
		return
	}
	f.report(ci.node, "B614", "pytorch_load", core.Medium, core.High,
		"Use of unsafe PyTorch load", "", f.kwLine(ci, "load"))
}

// huggingfaceDownload is B615 huggingface_unsafe_download.
func (f *fileCtx) huggingfaceDownload(ci *callInfo) {
	parts := strings.Split(ci.qual, ".")
	fn := parts[len(parts)-1]
	var required string
	switch fn {
	case "from_pretrained":
		required = "transformers"
	case "load_dataset":
		required = "datasets"
	case "hf_hub_download", "snapshot_download", "repository_id":
		required = "huggingface_hub"
	default:
		return
	}
	found := false
	for _, p := range parts {
		found = found || p == required
	}
	if !found || !(f.importedLike("transformers") || f.importedLike("datasets") || f.importedLike("huggingface_hub")) {
		return
	}
	for _, kw := range ci.keywords {
		if (kw.name == "revision" || kw.name == "commit_id") && !f.isConstant(kw.value) {
			return // not statically known: benefit of the doubt
		}
	}
	rev, _ := f.kwValue(ci, "revision")
	if !rev.truthy() {
		rev, _ = f.kwValue(ci, "commit_id")
	}
	if rev.kind == pyStr {
		s := strings.Trim(rev.s, `"'`)
		hex := true
		for _, c := range s {
			hex = hex && strings.ContainsRune("0123456789abcdefABCDEF", c)
		}
		if hex && utf8.RuneCountInString(s) >= 7 {
			return // pinned to a commit
		}
	}
	if len(ci.args) > 0 {
		if v := f.t.argValue(ci.args[0]); v.kind == pyStr &&
			(strings.HasPrefix(v.s, "./") || strings.HasPrefix(v.s, "/") || strings.HasPrefix(v.s, "../")) {
			return // local path
		}
	}
	f.report(ci.node, "B615", "huggingface_unsafe_download", core.Medium, core.High,
		fmt.Sprintf("Unsafe Hugging Face Hub download without revision pinning in %s()", fn), "", f.kwLine(ci, fn))
}

// ---- B701 jinja2_autoescape_false, B702 use_of_mako_templates ----

// jinja2Autoescape is B701 jinja2_autoescape_false: the first
// "autoescape" keyword in ast.walk (breadth-first) order decides.
func (f *fileCtx) jinja2Autoescape(ci *callInfo) {
	parts := strings.Split(ci.qual, ".")
	if parts[len(parts)-1] != "Environment" {
		return
	}
	found := false
	for _, p := range parts {
		found = found || p == "jinja2"
	}
	if !found {
		return
	}
	t, sy := f.t, f.s.sym
	best, bestDepth := int32(-1), -1
	for j := ci.node + 1; int(j) < len(t.n) && t.n[j].start < t.n[ci.node].end; j++ {
		if t.n[j].kind != sy.keywordArgument {
			continue
		}
		n := t.field(j, sy.fName)
		if n < 0 || t.text(n) != "autoescape" {
			continue
		}
		// depth in Python's AST: tree-sitter wrappers are not AST nodes
		d := 0
		for p := t.n[j].parent; p >= 0 && p != ci.node; p = t.n[p].parent {
			if k := t.n[p].kind; k != sy.argumentList && k != sy.parenthesized && k != sy.pair {
				d++
			}
		}
		if best < 0 || d < bestDepth {
			best, bestDepth = j, d
		}
	}
	if best < 0 {
		f.report(ci.node, "B701", "jinja2_autoescape_false", core.High, core.High,
			"By default, jinja2 sets autoescape to False. Consider using autoescape=True or use the select_autoescape function to mitigate XSS vulnerabilities.", "", 0)
		return
	}
	v := t.unparen(t.field(best, sy.fValue))
	switch {
	case v >= 0 && t.n[v].kind == sy.false:
		f.report(ci.node, "B701", "jinja2_autoescape_false", core.High, core.High,
			"Using jinja2 templates with autoescape=False is dangerous and can lead to XSS. Use autoescape=True or use the select_autoescape function to mitigate XSS vulnerabilities.", "", 0)
	case v >= 0 && t.n[v].kind == sy.true:
	case v >= 0 && t.n[v].kind == sy.call && t.calledName(v) == "select_autoescape":
	default:
		f.report(ci.node, "B701", "jinja2_autoescape_false", core.High, core.Medium,
			"Using jinja2 templates with autoescape=False is dangerous and can lead to XSS. Ensure autoescape=True or use the select_autoescape function to mitigate XSS vulnerabilities.", "", 0)
	}
}

// makoTemplates is B702 use_of_mako_templates.
func (f *fileCtx) makoTemplates(ci *callInfo) {
	parts := strings.Split(ci.qual, ".")
	if parts[len(parts)-1] != "Template" {
		return
	}
	for _, p := range parts {
		if p == "mako" {
			f.report(ci.node, "B702", "use_of_mako_templates", core.Medium, core.High,
				"Mako templates allow HTML/JS rendering by default and are inherently open to XSS attacks. Ensure variables in all templates are properly sanitized via the 'n', 'h' or 'x' flags (depending on context). For example, to HTML escape the variable 'data' do ${ data |h }.", "", 0)
			return
		}
	}
}

// ---- B703 django_mark_safe ----

// pluginCrash is raised (as a panic, recovered by the plugin) where the
// upstream plugin raises an exception, which makes Bandit drop the test's
// result for that node.
type pluginCrash struct{}

// xssSyms are the tree-sitter kinds and fields django_xss's scope walk
// needs beyond the shared symbols, resolved when the walk runs.
type xssSyms struct {
	withStmt, withItem, asPattern, asPatternTarget, ifStmt, elifClause uint16
	elseClause, forStmt, whileStmt, tryStmt, finallyClause, decorated  uint16
	patternList, tuplePattern, classDef                                uint16
	fDefinition, fConsequence, fAlias, fAlternative                    uint16
}

func (f *fileCtx) xssSyms() *xssSyms {
	l := f.s.lang
	k := func(name string) uint16 { return l.IdForNodeKind(name, true) }
	fl := func(name string) uint16 { return l.FieldIdForName(name) }
	return &xssSyms{
		withStmt: k("with_statement"), withItem: k("with_item"), asPattern: k("as_pattern"),
		asPatternTarget: k("as_pattern_target"), ifStmt: k("if_statement"), elifClause: k("elif_clause"),
		elseClause: k("else_clause"), forStmt: k("for_statement"), whileStmt: k("while_statement"),
		tryStmt: k("try_statement"), finallyClause: k("finally_clause"), decorated: k("decorated_definition"),
		patternList: k("pattern_list"), tuplePattern: k("tuple_pattern"), classDef: k("class_definition"),
		fDefinition: fl("definition"), fConsequence: fl("consequence"), fAlias: fl("alias"),
		fAlternative: fl("alternative"),
	}
}

// xssCtx is the state of one django_xss analysis (check_risk).
type xssCtx struct {
	f     *fileCtx
	x     *xssSyms
	depth int
}

// djangoMarkSafe is B703 django_mark_safe (django_xss).
func (f *fileCtx) djangoMarkSafe(ci *callInfo) {
	switch ci.name {
	case "mark_safe", "SafeText", "SafeUnicode", "SafeString", "SafeBytes":
	default:
		return
	}
	if !f.importedLike("django.utils.safestring") || len(ci.args) == 0 {
		return // no positional argument: upstream raises IndexError
	}
	if f.isStrConst(ci.args[0]) {
		return
	}
	secure, crashed := f.markSafeSecure(ci)
	if crashed || secure {
		return
	}
	f.report(ci.node, "B703", "django_mark_safe", core.Medium, core.High,
		"Potential XSS on mark_safe function.", "", 0)
}

// markSafeSecure is django_xss.check_risk; crashed reports an exception
// in the upstream code.
func (f *fileCtx) markSafeSecure(ci *callInfo) (secure, crashed bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(pluginCrash); !ok {
				panic(r)
			}
			secure, crashed = false, true
		}
	}()
	t, sy := f.t, f.s.sym
	c := &xssCtx{f: f, x: f.xssSyms()}
	xss := t.unparen(ci.args[0])
	line := int(t.n[ci.node].row) + 1
	switch {
	case f.isName(xss):
		parent := c.scope(ci.node)
		for _, p := range c.argNames(parent) {
			if p == t.text(xss) {
				return false, false
			}
		}
		return c.evalVar(xss, parent, line), false
	case t.n[xss].kind == sy.call:
		return c.evalCall(c.fmtCall(xss), c.scope(ci.node)), false
	case t.n[xss].kind == sy.binaryOp:
		if fc, ok := c.percentCall(xss); ok {
			return c.evalCall(fc, c.scope(ci.node)), false
		}
	}
	return false, false
}

// scope returns the nearest enclosing module or (non-async) function
// definition in Python's AST.
func (c *xssCtx) scope(i int32) int32 {
	t, sy := c.f.t, c.f.s.sym
	prev := i
	for p := t.n[i].parent; p >= 0; prev, p = p, t.n[p].parent {
		switch t.n[p].kind {
		case sy.module:
			return p
		case sy.functionDef:
			if !c.isAsync(p) {
				return p
			}
		case c.x.decorated:
			// a decorator's AST parent is the decorated definition
			if def := t.field(p, c.x.fDefinition); def >= 0 && def != prev && t.n[def].kind == sy.functionDef && !c.isAsync(def) {
				return def
			}
		}
	}
	return 0
}

func (c *xssCtx) isAsync(i int32) bool {
	t := c.f.t
	return strings.HasPrefix(string(t.src[t.n[i].start:min(int(t.n[i].start)+5, len(t.src))]), "async")
}

// argNames returns the names in ast.arguments.args of a function
// definition (positional-or-keyword parameters only).
func (c *xssCtx) argNames(fn int32) []string {
	t, sy := c.f.t, c.f.s.sym
	if t.n[fn].kind != sy.functionDef {
		return nil
	}
	params := t.field(fn, sy.fParameters)
	if params < 0 {
		return nil
	}
	var names []string
	for _, p := range t.named(params) {
		switch t.n[p].kind {
		case sy.identifier:
			names = append(names, t.text(p))
		case sy.typedParam:
			if id := t.childOfKind(p, sy.identifier); id >= 0 {
				names = append(names, t.text(id))
			}
		case sy.defaultParam, sy.typedDefaultParam:
			if n := t.field(p, sy.fName); n >= 0 {
				names = append(names, t.text(n))
			}
		case sy.positionalSeparator:
			names = nil // the ones before "/" are posonlyargs
		case sy.listSplatPattern, sy.keywordSeparator, sy.dictSplatPattern:
			return names
		}
	}
	return names
}

// body returns the statements of a module, function or block.
func (c *xssCtx) body(i int32) []int32 {
	t, sy := c.f.t, c.f.s.sym
	if i < 0 {
		return nil
	}
	switch t.n[i].kind {
	case sy.module, sy.block:
		return t.named(i)
	}
	if b := t.field(i, sy.fBody); b >= 0 && t.n[b].kind == sy.block {
		return t.named(b)
	}
	if b := t.childOfKind(i, sy.block); b >= 0 {
		return t.named(b)
	}
	return nil
}

// stmtLine is a statement's lineno (a decorated definition's is its
// def/class line).
func (c *xssCtx) stmtLine(s int32) int {
	t := c.f.t
	if t.n[s].kind == c.x.decorated {
		if d := t.field(s, c.x.fDefinition); d >= 0 {
			s = d
		}
	}
	return int(t.n[s].row) + 1
}

// assigned is a DeepAssignation.is_assigned result: one node, or (isList)
// a list of nodes.
type assigned struct {
	node   int32
	list   []int32
	isList bool
}

func (a assigned) truthy() bool {
	if a.isList {
		return len(a.list) > 0
	}
	return a.node >= 0
}

// assignedIn is DeepAssignation.is_assigned_in.
func (c *xssCtx) assignedIn(stmts []int32, name string) []int32 {
	out := []int32{}
	for _, s := range stmts {
		a := c.isAssigned(s, name)
		if !a.truthy() {
			continue
		}
		if a.isList {
			out = append(out, a.list...)
		} else {
			out = append(out, a.node)
		}
	}
	return out
}

// isAssigned is DeepAssignation.is_assigned for statement s.
func (c *xssCtx) isAssigned(s int32, name string) assigned {
	t, sy, x := c.f.t, c.f.s.sym, c.x
	list := func(stmts ...[]int32) assigned {
		out := []int32{}
		for _, ss := range stmts {
			out = append(out, c.assignedIn(ss, name)...)
		}
		return assigned{node: -1, list: out, isList: true}
	}
	if t.n[s].kind == x.decorated {
		if d := t.field(s, x.fDefinition); d >= 0 {
			s = d
		}
	}
	switch k := t.n[s].kind; k {
	case sy.exprStmt:
		kids := t.named(s)
		if len(kids) != 1 {
			return assigned{node: -1}
		}
		return c.assignment(kids[0], name)
	case sy.functionDef:
		if c.isAsync(s) {
			return assigned{node: -1}
		}
		return list(c.body(s))
	case x.withStmt:
		if c.isAsync(s) {
			return assigned{node: -1}
		}
		res := assigned{node: -1}
		for _, clause := range t.named(s) {
			if t.n[clause].kind == sy.block {
				continue
			}
			for _, item := range t.named(clause) {
				if t.n[item].kind != x.withItem {
					continue
				}
				varID := ""
				if v := t.field(item, sy.fValue); v >= 0 && t.n[v].kind == x.asPattern {
					if a := t.field(v, x.fAlias); a >= 0 {
						if kids := t.named(a); len(kids) == 1 && c.f.isName(t.unparen(kids[0])) {
							varID = t.text(t.unparen(kids[0]))
						}
					}
				}
				if varID == name {
					res = assigned{node: s}
				} else {
					res = list(c.body(s))
				}
			}
		}
		return res
	case x.tryStmt:
		if t.childOfKind(s, sy.exceptGroup) >= 0 {
			return assigned{node: -1} // ast.TryStar
		}
		var parts [][]int32
		parts = append(parts, c.body(s))
		for _, ch := range t.named(s) {
			switch t.n[ch].kind {
			case sy.exceptClause, x.elseClause, x.finallyClause:
				parts = append(parts, c.body(ch))
			}
		}
		return list(parts...)
	case x.ifStmt:
		parts := [][]int32{c.body(t.field(s, x.fConsequence))}
		for _, alt := range t.fields(s, x.fAlternative) {
			if t.n[alt].kind == x.elifClause {
				parts = append(parts, c.body(t.field(alt, x.fConsequence)))
			} else {
				parts = append(parts, c.body(alt))
			}
		}
		return list(parts...)
	case x.forStmt, x.whileStmt:
		if k == x.forStmt && c.isAsync(s) {
			return assigned{node: -1}
		}
		parts := [][]int32{c.body(s)}
		for _, alt := range t.fields(s, x.fAlternative) {
			parts = append(parts, c.body(alt))
		}
		return list(parts...)
	}
	return assigned{node: -1}
}

// assignment handles the Assign and AugAssign cases of is_assigned.
func (c *xssCtx) assignment(e int32, name string) assigned {
	t, sy, x := c.f.t, c.f.s.sym, c.x
	switch t.n[e].kind {
	case sy.augAssignment:
		if l := t.unparen(t.field(e, sy.fLeft)); c.f.isName(l) && t.text(l) == name {
			return assigned{node: t.unparen(t.field(e, sy.fRight))}
		}
	case sy.assignment:
		if t.field(e, sy.fType) >= 0 {
			return assigned{node: -1} // ast.AnnAssign
		}
		target := t.unparen(t.field(e, sy.fLeft))
		value := t.field(e, sy.fRight)
		for value >= 0 && t.n[value].kind == sy.assignment {
			value = t.field(value, sy.fRight)
		}
		value = t.unparen(value)
		if target < 0 || value < 0 {
			return assigned{node: -1}
		}
		if c.f.isName(target) {
			if t.text(target) == name {
				return assigned{node: value}
			}
			return assigned{node: -1}
		}
		tk, vk := t.n[target].kind, t.n[value].kind
		if (tk == x.patternList || tk == x.tuplePattern || tk == sy.tuple) && (vk == sy.expressionList || vk == sy.tuple) {
			elts := t.named(value)
			for pos, el := range t.named(target) {
				el = t.unparen(el)
				if !c.f.isName(el) {
					panic(pluginCrash{}) // AttributeError: no .id
				}
				if t.text(el) == name {
					if pos >= len(elts) {
						panic(pluginCrash{}) // IndexError
					}
					return assigned{node: t.unparen(elts[pos])}
				}
			}
		}
	}
	return assigned{node: -1}
}

// evalVar is django_xss.evaluate_var.
func (c *xssCtx) evalVar(v, parent int32, until int) bool {
	t, sy := c.f.t, c.f.s.sym
	c.depth++
	defer func() { c.depth-- }()
	if c.depth > 500 {
		panic(pluginCrash{}) // RecursionError
	}
	if !c.f.isName(v) {
		return false
	}
	name := t.text(v)
	for _, p := range c.argNames(parent) {
		if p == name {
			return false
		}
	}
	secure := false
	for _, s := range c.body(parent) {
		if c.stmtLine(s) >= until {
			break
		}
		to := c.isAssigned(s, name)
		if !to.truthy() {
			continue
		}
		if to.isList {
			num := 0
			for _, n := range to.list {
				if c.f.isStrConst(n) {
					num++
				} else if c.f.isName(n) && c.evalVar(n, parent, c.stmtLine(s)) {
					num++
				} else {
					break
				}
			}
			secure = num == len(to.list)
			if !secure {
				break
			}
			continue
		}
		n := to.node
		switch {
		case c.f.isStrConst(n):
			secure = true
		case c.f.isName(n):
			secure = c.evalVar(n, parent, int(t.n[n].row)+1)
		case t.n[n].kind == sy.call:
			secure = c.evalCall(c.fmtCall(n), parent)
		default:
			return false
		}
	}
	return secure
}

// fmtCall is the part of an ast.Call evaluate_call looks at.
type fmtCall struct {
	obj      int32 // func.value when func is an Attribute, else -1
	attr     string
	args     []int32
	keywords bool
	line     int
}

func (c *xssCtx) fmtCall(call int32) fmtCall {
	t, sy := c.f.t, c.f.s.sym
	ci := c.f.callInfo(call)
	fc := fmtCall{obj: -1, args: ci.args, keywords: len(ci.keywords) > 0, line: int(t.n[call].row) + 1}
	if ci.fn >= 0 && t.n[ci.fn].kind == sy.attribute {
		fc.obj = t.unparen(t.field(ci.fn, sy.fObject))
		if a := t.field(ci.fn, sy.fAttribute); a >= 0 {
			fc.attr = t.text(a)
		}
	}
	return fc
}

// percentCall is django_xss.transform2call: "fmt" % args as
// "fmt".format(*args).
func (c *xssCtx) percentCall(b int32) (fmtCall, bool) {
	t, sy := c.f.t, c.f.s.sym
	left := t.unparen(t.field(b, sy.fLeft))
	right := t.unparen(t.field(b, sy.fRight))
	if left < 0 || right < 0 || !c.f.isStrConst(left) {
		return fmtCall{}, false
	}
	// the operator token is not kept in the tree: read it between the
	// operands, comments and line continuations aside
	lo, ro := t.field(b, sy.fLeft), t.field(b, sy.fRight)
	var op strings.Builder
	for _, l := range strings.Split(string(t.src[t.n[lo].end:t.n[ro].start]), "\n") {
		l, _, _ = strings.Cut(l, "#")
		op.WriteString(strings.Trim(l, " \t\r\f\\"))
	}
	if op.String() != "%" {
		return fmtCall{}, false
	}
	fc := fmtCall{obj: left, attr: "format", line: int(t.n[b].row) + 1}
	if t.n[right].kind == sy.tuple {
		fc.args = t.named(right)
	} else {
		fc.args = []int32{right}
	}
	return fc, true
}

// evalCall is django_xss.evaluate_call.
func (c *xssCtx) evalCall(fc fmtCall, parent int32) bool {
	t, sy := c.f.t, c.f.s.sym
	if fc.obj < 0 || fc.attr != "format" || !c.f.isConstant(fc.obj) || fc.keywords {
		return false
	}
	c.depth++
	defer func() { c.depth-- }()
	if c.depth > 500 {
		panic(pluginCrash{})
	}
	args := append([]int32(nil), fc.args...)
	num := 0
	for k := 0; k < len(args); k++ {
		a := t.unparen(args[k])
		switch {
		case c.f.isStrConst(a):
			num++
			continue
		case c.f.isName(a):
			if c.evalVar(a, parent, fc.line) {
				num++
				continue
			}
		case t.n[a].kind == sy.call:
			if c.evalCall(c.fmtCall(a), parent) {
				num++
				continue
			}
		case t.n[a].kind == sy.listSplat:
			if kids := t.named(a); len(kids) == 1 {
				if in := t.unparen(kids[0]); t.n[in].kind == sy.list || t.n[in].kind == sy.tuple {
					args = append(args, t.named(in)...)
					num++
					continue
				}
			}
		}
		break
	}
	return num == len(args)
}

// ---- B704 markupsafe_markup_xss ----

// markupXSS is B704 markupsafe_markup_xss.
func (f *fileCtx) markupXSS(ci *callInfo) {
	q := ci.qual
	if q != "markupsafe.Markup" && q != "flask.Markup" && !contains(f.s.plugins.MarkupExtendNames, q) {
		return
	}
	if len(ci.args) == 0 || f.isConstant(ci.args[0]) {
		return
	}
	if allowed := f.s.plugins.MarkupAllowedCalls; len(allowed) > 0 {
		if a := f.t.unparen(ci.args[0]); f.t.n[a].kind == f.s.sym.call {
			if inner := f.callInfo(a); contains(allowed, inner.qual) {
				return
			}
		}
	}
	f.report(ci.node, "B704", "markupsafe_markup_xss", core.Medium, core.High,
		fmt.Sprintf("Potential XSS with ``%s`` detected. Do not use ``%s`` on untrusted data.", q, ci.name), "", 0)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ---- B613 trojansource ----

// bidiChars is trojansource.BIDI_CHARACTERS, in upstream order.
const bidiChars = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200f"

// trojanSource is B613 trojansource: the first line (after decoding the
// file with its declared encoding, as tokenize.detect_encoding finds it)
// holding a bidirectional control character.
func (f *fileCtx) trojanSource() {
	// ScanOne parsed the text Python decodes (sourceText)
	text := strings.TrimPrefix(string(f.t.src), "\ufeff")
	if !f.decoded || !strings.ContainsAny(text, bidiChars) {
		return // a failing decode raises upstream: the test aborts
	}
	for lineno, line := range pySplitLines(text) {
		for _, ch := range bidiChars {
			idx := strings.IndexRune(line, ch)
			if idx < 0 {
				continue
			}
			col := utf8.RuneCountInString(line[:idx]) + 1
			f.report(0, "B613", "trojansource", core.High, core.Medium,
				fmt.Sprintf("A Python source file contains bidirectional control characters ('\\u%04x').", ch), "", lineno+1)
			fd := &f.findings[len(f.findings)-1]
			fd.Col = col
			fd.Snippet = f.snippet(lineno+1, 1)
			return
		}
	}
}

// detectEncoding is tokenize.detect_encoding: the codec name (normalised
// for UTF-8 and Latin-1) and whether a UTF-8 BOM starts src; ok is false
// where Python raises a SyntaxError.
func detectEncoding(src []byte) (name string, bom, ok bool) {
	bom = bytes.HasPrefix(src, []byte("\xef\xbb\xbf"))
	rest := src
	if bom {
		rest = src[3:]
	}
	lines := bytes.SplitAfterN(rest, []byte("\n"), 3)
	enc := ""
	if len(lines) > 0 && len(lines[0]) > 0 {
		c, ok := codingCookie(lines[0])
		if !ok {
			return "", bom, false
		}
		enc = c
		if enc == "" && blankLine(lines[0]) && len(lines) > 1 {
			if c, ok = codingCookie(lines[1]); !ok {
				return "", bom, false
			}
			enc = c
		}
	}
	if enc == "" {
		return "utf-8", bom, true
	}
	name = pyNormalEncoding(enc)
	if bom && name != "utf-8" {
		return "", bom, false
	}
	return name, bom, true
}

// decodeSource decodes a Python source file like tokenize.detect_encoding
// followed by bytes.decode(encoding); ok is false where Python raises.
func decodeSource(src []byte) (string, bool) {
	name, bom, ok := detectEncoding(src)
	if !ok {
		return "", false
	}
	if name == "utf-8" {
		rest := src
		if bom {
			rest = src[3:]
		}
		if !utf8.Valid(rest) {
			return "", false
		}
		return string(rest), true
	}
	e := lookupEncoding(name)
	if e == nil {
		return "", false
	}
	out, err := e.NewDecoder().Bytes(src)
	if err != nil {
		return "", false
	}
	return string(out), true
}

// codingCookie is tokenize.find_cookie's match of
// ^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+) (re.ASCII) on one line; ok is
// false when the line is not UTF-8 (a SyntaxError upstream).
func codingCookie(line []byte) (string, bool) {
	if !utf8.Valid(line) {
		return "", false
	}
	s := strings.TrimLeft(string(line), " \t\f")
	if !strings.HasPrefix(s, "#") {
		return "", true
	}
	if nl := strings.IndexAny(s, "\r\n"); nl >= 0 {
		s = s[:nl] // "." does not match a line end
	}
	isWord := func(c byte) bool {
		return c == '-' || c == '.' || c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
	}
	for p := 1; p < len(s); p++ {
		rest, ok := strings.CutPrefix(s[p:], "coding")
		if !ok || rest == "" || (rest[0] != ':' && rest[0] != '=') {
			continue
		}
		rest = strings.TrimLeft(rest[1:], " \t")
		n := 0
		for n < len(rest) && isWord(rest[n]) {
			n++
		}
		if n > 0 {
			return rest[:n], true
		}
	}
	return "", true
}

// blankLine is tokenize's blank_re: ^[ \t\f]*(?:[#\r\n]|$).
func blankLine(line []byte) bool {
	s := bytes.TrimLeft(line, " \t\f")
	return len(s) == 0 || s[0] == '#' || s[0] == '\r' || s[0] == '\n'
}

// pyNormalEncoding is tokenize._get_normal_name plus the UTF-8 aliases of
// Python's codec registry.
func pyNormalEncoding(orig string) string {
	enc := strings.ReplaceAll(strings.ToLower(orig[:min(len(orig), 12)]), "_", "-")
	if enc == "utf-8" || strings.HasPrefix(enc, "utf-8-") {
		return "utf-8"
	}
	for _, l := range []string{"latin-1", "iso-8859-1", "iso-latin-1"} {
		if enc == l || strings.HasPrefix(enc, l+"-") {
			return "iso-8859-1"
		}
	}
	switch strings.NewReplacer("-", "", "_", "", ".", "").Replace(strings.ToLower(orig)) {
	case "utf8", "u8", "utf", "cp65001":
		return "utf-8"
	}
	return orig
}

// lookupEncoding maps a Python codec name to a decoder (nil if unknown).
func lookupEncoding(name string) encoding.Encoding {
	n := strings.ToLower(name)
	compact := strings.NewReplacer("-", "", "_", "").Replace(n)
	switch compact {
	case "iso88591", "latin1", "latin", "l1", "cp819", "ibm819":
		return charmap.ISO8859_1
	}
	candidates := []string{n, strings.ReplaceAll(n, "_", "-")}
	digits := func(s string) bool {
		return s != "" && strings.Trim(s, "0123456789") == ""
	}
	if num, ok := strings.CutPrefix(compact, "cp"); ok && digits(num) {
		candidates = append(candidates, "windows-"+num, "ibm"+num)
	}
	if num, ok := strings.CutPrefix(compact, "windows"); ok && digits(num) {
		candidates = append(candidates, "windows-"+num)
	}
	if num, ok := strings.CutPrefix(compact, "iso8859"); ok && digits(num) {
		candidates = append(candidates, "iso-8859-"+num)
	}
	for _, c := range candidates {
		if e, err := htmlindex.Get(c); err == nil && e != nil {
			return e
		}
		if e, err := ianaindex.IANA.Encoding(c); err == nil && e != nil {
			return e
		}
	}
	return nil
}

// pySplitLines is str.splitlines(): lines split at \n, \r, \r\n, \v, \f,
// \x1c-\x1e, \x85, U+2028 and U+2029, without the line ends.
func pySplitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '\n', '\r', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029:
			out = append(out, s[start:i])
			i += size
			if r == '\r' && i < len(s) && s[i] == '\n' {
				i++
			}
			start = i
			continue
		}
		i += size
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}
