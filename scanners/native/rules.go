package native

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/securecoderl/securecoderl/scanners/core"
)

// ---- imports (BanditNodeVisitor.visit_Import / visit_ImportFrom and the
// import blacklist) ----

type importName struct{ name, asname string }

func (f *fileCtx) importNames(i int32) []importName {
	t, sy := f.t, f.s.sym
	var out []importName
	for c := t.n[i].first; c >= 0; c = t.n[c].next {
		if t.n[c].field != sy.fName {
			if t.n[c].kind == sy.wildcardImport {
				out = append(out, importName{name: "*"})
			}
			continue
		}
		switch t.n[c].kind {
		case sy.dottedName, sy.identifier:
			out = append(out, importName{name: t.dotted(c)})
		case sy.aliasedImport:
			n := t.field(c, sy.fName)
			a := t.field(c, sy.fAlias)
			in := importName{}
			if n >= 0 {
				in.name = t.dotted(n)
			}
			if a >= 0 {
				in.asname = t.text(a)
			}
			out = append(out, in)
		}
	}
	return out
}

func (f *fileCtx) visitImport(i int32) {
	names := f.importNames(i)
	for _, n := range names {
		if n.asname != "" {
			f.aliases[n.asname] = n.name
		}
		f.imports[n.name] = true
	}
	f.importBlacklist(i, "", names)
}

func (f *fileCtx) visitImportFrom(i int32) {
	t, sy := f.t, f.s.sym
	module, hasModule := "", false
	if t.n[i].kind == sy.futureImport {
		module, hasModule = "__future__", true
	} else if m := t.field(i, sy.fModuleName); m >= 0 {
		switch t.n[m].kind {
		case sy.dottedName:
			module, hasModule = t.dotted(m), true
		case sy.relativeImport:
			if d := t.childOfKind(m, sy.dottedName); d >= 0 {
				module, hasModule = t.dotted(d), true
			}
		}
	}
	names := f.importNames(i)
	if !hasModule {
		// "from . import x" has module None: bandit treats it as an Import
		f.visitImport(i)
		return
	}
	for _, n := range names {
		if n.asname != "" {
			f.aliases[n.asname] = module + "." + n.name
		} else {
			f.aliases[n.name] = module + "." + n.name
		}
		f.imports[module+"."+n.name] = true
	}
	f.importBlacklist(i, module+".", names)
}

// importBlacklist is blacklisting.blacklist for Import/ImportFrom nodes:
// the first entry (in table order) any imported name starts with.
func (f *fileCtx) importBlacklist(i int32, prefix string, names []importName) {
	for _, e := range f.s.imports {
		for _, n := range names {
			for _, qn := range e.qualnames {
				if strings.HasPrefix(prefix+n.name, qn) {
					f.reportBlacklist(i, e, n.name)
					return
				}
			}
		}
	}
}

func (f *fileCtx) reportBlacklist(i int32, e blEntry, name string) {
	f.report(i, e.id, "blacklist", e.level, core.High, strings.ReplaceAll(e.message, "{name}", name), name, 0)
}

// ---- calls ----

// callInfo is what Bandit's Context exposes about a Call node.
type callInfo struct {
	node     int32
	fn       int32 // function expression, parentheses stripped
	qual     string
	name     string
	args     []int32
	keywords []kwArg
}

type kwArg struct {
	name  string // "" for **kwargs
	value int32
}

func (f *fileCtx) callInfo(i int32) callInfo {
	t, sy := f.t, f.s.sym
	ci := callInfo{node: i, fn: t.unparen(t.field(i, sy.fFunction))}
	if ci.fn >= 0 {
		switch t.n[ci.fn].kind {
		case sy.identifier:
			id := t.text(ci.fn)
			if a, ok := f.aliases[id]; ok {
				ci.qual = a
			} else {
				ci.qual = id
			}
		case sy.attribute:
			ci.qual = f.qualAttr(ci.fn)
		}
	}
	ci.name = ci.qual[strings.LastIndexByte(ci.qual, '.')+1:]
	args := t.field(i, sy.fArguments)
	if args < 0 {
		return ci
	}
	if t.n[args].kind != sy.argumentList { // f(x for x in y)
		ci.args = []int32{args}
		return ci
	}
	for c := t.n[args].first; c >= 0; c = t.n[c].next {
		k := t.n[c].kind
		switch {
		case k == sy.keywordArgument:
			kw := kwArg{value: t.field(c, sy.fValue)}
			if n := t.field(c, sy.fName); n >= 0 {
				kw.name = t.text(n)
			}
			ci.keywords = append(ci.keywords, kw)
		case k == sy.dictSplat:
			ci.keywords = append(ci.keywords, kwArg{value: c})
		case k == sy.comment || !sy.isNamed(k):
		default:
			ci.args = append(ci.args, c)
		}
	}
	return ci
}

// keyword returns the value node of the (last) keyword argument name.
func (ci *callInfo) keyword(name string) (int32, bool) {
	v, ok := int32(-1), false
	for _, kw := range ci.keywords {
		if kw.name == name {
			v, ok = kw.value, true
		}
	}
	return v, ok
}

// kwValue is Context.call_keywords[name]: attribute name or literal.
func (f *fileCtx) kwValue(ci *callInfo, name string) (pyVal, bool) {
	v, ok := ci.keyword(name)
	if !ok {
		return pyVal{}, false
	}
	return f.t.argValue(v), true
}

func (f *fileCtx) visitCall(i int32) {
	ci := f.callInfo(i)
	f.callBlacklist(&ci)
	if ci.qual == "exec" {
		f.report(i, "B102", "exec_used", core.Medium, core.High, "Use of exec detected.", "", 0)
	}
	f.chmod(&ci)
	f.passwordFuncarg(&ci)
	f.hashlib(&ci)
	f.yamlLoad(&ci)
	f.shellInjection(&ci)
	f.netCalls(&ci)
	f.webCalls(&ci)
}

// callBlacklist is blacklisting.blacklist for Call nodes: call entries,
// then import entries (matched exactly), first match wins.
func (f *fileCtx) callBlacklist(ci *callInfo) {
	t, sy := f.t, f.s.sym
	var name string
	ok := true
	if ci.fn >= 0 && t.n[ci.fn].kind == sy.identifier && t.text(ci.fn) == "__import__" {
		if len(ci.args) > 0 {
			if v, isStr := t.plainStr(ci.args[0]); isStr {
				name = v
			} else {
				name = "UNKNOWN"
			}
		}
	} else {
		name = ci.qual
		if name == "importlib.import_module" || name == "importlib.__import__" {
			var v pyVal
			if len(ci.args) > 0 {
				v = t.argValue(ci.args[0])
			} else {
				v, _ = f.kwValue(ci, "name")
			}
			name, ok = v.s, v.kind == pyStr
		}
	}
	if !ok {
		return
	}
	if e := f.s.callIndex[name]; e != nil {
		f.reportBlacklist(ci.node, *e, name)
		return
	}
	for _, e := range f.s.callGlobs {
		for _, qn := range e.qualnames {
			if fnmatch(name, qn) {
				f.reportBlacklist(ci.node, *e, name)
				return
			}
		}
	}
}

// fnmatch is Python's fnmatch.fnmatch for the patterns in the tables
// (literal names, optionally ending in "*").
func fnmatch(name, pattern string) bool {
	if p, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(name, p)
	}
	return name == pattern
}

// chmod is B103 set_bad_file_permissions (upstream: S_IWOTH, S_IWGRP,
// S_IXGRP or S_IXOTH in a literal mode).
func (f *fileCtx) chmod(ci *callInfo) {
	if !strings.Contains(ci.name, "chmod") || len(ci.args) != 2 {
		return
	}
	t := f.t
	mode := t.argValue(ci.args[1])
	if mode.kind != pyInt {
		return
	}
	m := new(big.Int).And(mode.i, big.NewInt(0o7777)).Int64()
	const sIWOTH, sIWGRP, sIXGRP, sIXOTH = 0o002, 0o020, 0o010, 0o001
	if m&(sIWOTH|sIWGRP|sIXGRP|sIXOTH) == 0 {
		return
	}
	sev := core.Medium
	if m&sIWOTH != 0 {
		sev = core.High
	}
	filename := "NOT PARSED"
	if fv := t.argValue(ci.args[0]); fv.kind == pyStr || fv.kind == pyInt || fv.kind == pyFloat {
		filename = fv.s
	}
	f.report(ci.node, "B103", "set_bad_file_permissions", sev, core.High,
		fmt.Sprintf("Chmod setting a permissive mask %s on file (%s).", pyOct(mode), filename), "", 0)
}

// passwordFuncarg is B106 hardcoded_password_funcarg.
func (f *fileCtx) passwordFuncarg(ci *callInfo) {
	for _, kw := range ci.keywords {
		if kw.name == "" {
			continue
		}
		v, ok := f.t.plainStr(kw.value)
		if ok && f.s.reCandidates.MatchString(kw.name) {
			line := int(f.t.n[f.t.unparen(kw.value)].row) + 1
			f.report(ci.node, "B106", "hardcoded_password_funcarg", core.Low, core.Medium,
				fmt.Sprintf("Possible hardcoded password: '%s'", v), "", line)
			return
		}
	}
}

// hashlib is B324 (plugin hashlib_insecure_functions, Python ≥ 3.9).
func (f *fileCtx) hashlib(ci *callInfo) {
	parts := strings.Split(ci.qual, ".")
	fn := parts[len(parts)-1]
	has := func(s string) bool {
		for _, p := range parts {
			if p == s {
				return true
			}
		}
		return false
	}
	weak := func(s string) bool {
		switch strings.ToLower(s) {
		case "md4", "md5", "sha", "sha1":
			return true
		}
		return false
	}
	forSecurity := func() bool {
		v, ok := f.kwValue(ci, "usedforsecurity")
		return !ok || (v.kind == pyStr && v.s == "True")
	}
	t := f.t
	switch {
	case has("hashlib"):
		if fn == "md4" || fn == "md5" || fn == "sha" || fn == "sha1" {
			if forSecurity() {
				f.report(ci.node, "B324", "hashlib", core.High, core.High,
					fmt.Sprintf("Use of weak %s hash for security. Consider usedforsecurity=False", strings.ToUpper(fn)), "", 0)
			}
		} else if fn == "new" {
			var name pyVal
			if len(ci.args) > 0 {
				name = t.argValue(ci.args[0])
			} else {
				name, _ = f.kwValue(ci, "name")
			}
			if name.kind == pyStr && weak(name.s) && forSecurity() {
				f.report(ci.node, "B324", "hashlib", core.High, core.High,
					fmt.Sprintf("Use of weak %s hash for security. Consider usedforsecurity=False", strings.ToUpper(name.s)), "", 0)
			}
		}
	case has("crypt") && (fn == "crypt" || fn == "mksalt"):
		var name pyVal
		if fn == "crypt" {
			if len(ci.args) > 1 {
				name = t.argValue(ci.args[1])
			} else {
				name, _ = f.kwValue(ci, "salt")
			}
		} else {
			if len(ci.args) > 0 {
				name = t.argValue(ci.args[0])
			} else {
				name, _ = f.kwValue(ci, "method")
			}
		}
		if name.kind == pyStr && (name.s == "METHOD_CRYPT" || name.s == "METHOD_MD5" || name.s == "METHOD_BLOWFISH") {
			f.report(ci.node, "B324", "hashlib", core.Medium, core.High,
				fmt.Sprintf("Use of insecure crypt.%s hash function.", strings.ToUpper(name.s)), "", 0)
		}
	}
}

// yamlLoad is B506 yaml_load: needs "import yaml" earlier in the file.
func (f *fileCtx) yamlLoad(ci *callInfo) {
	if !f.imports["yaml"] {
		return
	}
	parts := strings.Split(ci.qual, ".")
	if parts[len(parts)-1] != "load" {
		return
	}
	found := false
	for _, p := range parts {
		found = found || p == "yaml"
	}
	if !found {
		return
	}
	if v, ok := f.kwValue(ci, "Loader"); ok && v.kind == pyStr && (v.s == "SafeLoader" || v.s == "CSafeLoader") {
		return
	}
	if len(ci.args) > 1 {
		if v := f.t.argValue(ci.args[1]); v.kind == pyStr && (v.s == "SafeLoader" || v.s == "CSafeLoader") {
			return
		}
	}
	f.report(ci.node, "B506", "yaml_load", core.Medium, core.High,
		"Use of unsafe yaml load. Allows instantiation of arbitrary objects. Consider yaml.safe_load().", "", 0)
}

// hasShell is injection_shell.has_shell (upstream).
func (f *fileCtx) hasShell(ci *callInfo) bool {
	v, ok := ci.keyword("shell")
	if !ok {
		return false
	}
	t, sy := f.t, f.s.sym
	v = t.unparen(v)
	switch t.n[v].kind {
	case sy.true:
		return true
	case sy.false, sy.none:
		return false
	case sy.integer, sy.float:
		return strings.ContainsAny(strings.TrimLeft(strings.ToLower(t.text(v)), "0box._"), "123456789abcdef")
	case sy.list:
		return len(t.named(v)) > 0
	case sy.dictionary:
		return len(t.named(v)) > 0
	case sy.identifier:
		id := t.text(v)
		return id != "False" && id != "None"
	case sy.str, sy.concatStr:
		l := t.evalStr(v)
		if l.fstring {
			return true
		}
		return l.value != ""
	}
	return true
}

// shellInjection is B602–B607 (plugin injection_shell).
func (f *fileCtx) shellInjection(ci *callInfo) {
	sc := f.s.shell
	t := f.t
	q := ci.qual
	isSub, isShell, isNoShell := sc.subprocess[q], sc.shell[q], sc.noShell[q]
	shellLine := 0
	if v, ok := ci.keyword("shell"); ok {
		shellLine = int(t.n[t.unparen(v)].row) + 1
	}
	// _evaluate_shell_call: a str constant first argument is LOW severity
	literalCmd := func() bool {
		_, ok := t.plainStr(ci.args[0])
		return ok
	}
	if isSub {
		if f.hasShell(ci) {
			if len(ci.args) > 0 {
				if literalCmd() {
					f.report(ci.node, "B602", "subprocess_popen_with_shell_equals_true", core.Low, core.High,
						"subprocess call with shell=True seems safe, but may be changed in the future, consider rewriting without shell", "", shellLine)
				} else {
					f.report(ci.node, "B602", "subprocess_popen_with_shell_equals_true", core.High, core.High,
						"subprocess call with shell=True identified, security issue.", "", shellLine)
				}
			}
		} else {
			f.report(ci.node, "B603", "subprocess_without_shell_equals_true", core.Low, core.High,
				"subprocess call - check for execution of untrusted input.", "", shellLine)
		}
	} else if f.hasShell(ci) {
		f.report(ci.node, "B604", "any_other_function_with_shell_equals_true", core.Medium, core.Low,
			"Function call with shell=True parameter identified, possible security issue.", "", shellLine)
	}
	if isShell && len(ci.args) > 0 {
		if literalCmd() {
			f.report(ci.node, "B605", "start_process_with_a_shell", core.Low, core.High,
				"Starting a process with a shell: Seems safe, but may be changed in the future, consider rewriting without shell", "", 0)
		} else {
			f.report(ci.node, "B605", "start_process_with_a_shell", core.High, core.High,
				"Starting a process with a shell, possible injection detected, security issue.", "", 0)
		}
	}
	if isNoShell {
		f.report(ci.node, "B606", "start_process_with_no_shell", core.Low, core.Medium,
			"Starting a process without a shell.", "", 0)
	}
	if (isSub || isShell || isNoShell) && len(ci.args) > 0 {
		n := t.unparen(ci.args[0])
		if t.n[n].kind == f.s.sym.list {
			if el := t.named(n); len(el) > 0 {
				n = el[0]
			}
		}
		if v, ok := t.plainStr(n); ok && !fullPath(v) {
			f.report(ci.node, "B607", "start_process_with_partial_path", core.Low, core.High,
				"Starting a process with a partial executable path", "", 0)
		}
	}
}

// fullPath is injection_shell.full_path_match: a drive letter followed by
// ':' or a leading '/', '\\' or '.'.
func fullPath(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	if c == '/' || c == '\\' || c == '.' {
		return true
	}
	return len(s) > 1 && s[1] == ':' && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
}

// ---- statements ----

// visitExcept is B110 try_except_pass and B112 try_except_continue
// (check_typed_exception from core.PluginConfig).
func (f *fileCtx) visitExcept(i int32) {
	t, sy := f.t, f.s.sym
	var typ int32 = -1
	if t.n[i].kind == sy.exceptClause {
		typ = t.field(i, sy.fValue)
	} else {
		for _, c := range t.named(i) {
			if t.n[c].kind != sy.block {
				typ = c
				break
			}
		}
	}
	if typ >= 0 && t.n[typ].kind == sy.asPattern {
		if in := t.named(typ); len(in) > 0 {
			typ = in[0]
		}
	}
	typ = t.unparen(typ)
	// without check_typed_exception only a bare "except:" or "except
	// Exception:" is flagged
	if !f.s.plugins.CheckTypedException && typ >= 0 && !(t.n[typ].kind == sy.identifier && t.text(typ) == "Exception") {
		return
	}
	body := t.childOfKind(i, sy.block)
	if body < 0 {
		return
	}
	stmts := t.named(body)
	if len(stmts) != 1 {
		return
	}
	switch t.n[stmts[0]].kind {
	case sy.passStmt:
		f.report(i, "B110", "try_except_pass", core.Low, core.High, "Try, Except, Pass detected.", "", 0)
	case sy.continueStmt:
		f.report(i, "B112", "try_except_continue", core.Low, core.High, "Try, Except, Continue detected.", "", 0)
	}
}

// visitFunctionDef is B107 hardcoded_password_default (FunctionDef only:
// Bandit runs it neither on async def nor on lambda).
func (f *fileCtx) visitFunctionDef(i int32) {
	t, sy := f.t, f.s.sym
	if strings.HasPrefix(string(t.src[t.n[i].start:min(int(t.n[i].start)+5, len(t.src))]), "async") {
		return // async def: ast.AsyncFunctionDef, which B107 does not check
	}
	params := t.field(i, sy.fParameters)
	if params < 0 {
		return
	}
	type param struct {
		name string
		def  int32
	}
	var posonly, args []param
	cur := &args
	for _, c := range t.named(params) {
		switch t.n[c].kind {
		case sy.identifier:
			*cur = append(*cur, param{t.text(c), -1})
		case sy.typedParam:
			name := ""
			if id := t.childOfKind(c, sy.identifier); id >= 0 {
				name = t.text(id)
			}
			*cur = append(*cur, param{name, -1})
		case sy.defaultParam, sy.typedDefaultParam:
			name := ""
			if n := t.field(c, sy.fName); n >= 0 {
				name = t.text(n)
			}
			*cur = append(*cur, param{name, t.field(c, sy.fValue)})
		case sy.positionalSeparator:
			posonly = args
			args = nil
		case sy.listSplatPattern, sy.keywordSeparator, sy.dictSplatPattern:
			goto done
		}
	}
done:
	// ast.arguments: defaults cover posonlyargs + args, right-aligned
	var defaults []int32
	seenDefault := false
	for _, p := range append(append([]param(nil), posonly...), args...) {
		if p.def >= 0 {
			seenDefault = true
		}
		if seenDefault {
			defaults = append(defaults, p.def)
		}
	}
	pad := len(args) - len(defaults)
	defs := make([]int32, 0, len(args))
	for k := 0; k < pad; k++ {
		defs = append(defs, -1)
	}
	defs = append(defs, defaults...)
	for k := 0; k < len(args) && k < len(defs); k++ {
		val := defs[k]
		if val < 0 || t.n[t.unparen(val)].kind == sy.none {
			continue
		}
		if v, ok := t.plainStr(val); ok && f.s.reCandidates.MatchString(args[k].name) {
			f.report(i, "B107", "hardcoded_password_default", core.Low, core.Medium,
				fmt.Sprintf("Possible hardcoded password: '%s'", v), "", 0)
			return
		}
	}
}

// ---- string literals (Bandit's visit_Str: B104, B105, B108, B608) ----

// strNode is one ast.Constant str as Bandit's visitor sees it.
type strNode struct {
	value  string
	pos    int32 // node giving the position
	lit    int32 // the string expression node
	parent int32 // AST parent of lit (or -1 for a JoinedStr part: see joined)
	joined bool  // part of an f-string (parent is the JoinedStr lit)
	first  bool  // first part of its f-string
	all    string
}

func (f *fileCtx) visitStr(i int32) {
	t, sy := f.t, f.s.sym
	lit := t.evalStr(i)
	if lit.isBytes {
		return
	}
	p := t.astParent(i)
	if !lit.fstring {
		// docstrings and other bare string statements are skipped
		if p >= 0 && t.n[p].kind == sy.exprStmt && len(t.named(p)) == 1 {
			return
		}
		f.checkStr(strNode{value: lit.value, pos: i, lit: i, parent: p})
		return
	}
	for k, part := range lit.parts {
		f.checkStr(strNode{value: part.value, pos: part.node, lit: i, parent: p, joined: true, first: k == 0, all: lit.value})
	}
}

func (f *fileCtx) checkStr(s strNode) {
	if s.value == "0.0.0.0" {
		f.report(s.pos, "B104", "hardcoded_bind_all_interfaces", core.Medium, core.Medium, "Possible binding to all interfaces.", "", 0)
	}
	if !s.joined {
		f.passwordString(s)
	}
	for _, d := range []string{"/tmp", "/var/tmp", "/dev/shm"} {
		if strings.HasPrefix(s.value, d) {
			f.report(s.pos, "B108", "hardcoded_tmp_directory", core.Medium, core.Medium, "Probable insecure usage of temp file/directory.", "", 0)
			break
		}
	}
	f.sqlExpression(s)
}

// candidateTarget reports whether an assignment target / compare operand
// looks like a password: a Name, an Attribute's attr, or a subscript by a
// str constant or a Name.
func (f *fileCtx) candidateTarget(n int32) bool {
	t, sy := f.t, f.s.sym
	n = t.unparen(n)
	if n < 0 {
		return false
	}
	re := f.s.reCandidates
	switch t.n[n].kind {
	case sy.identifier:
		return re.MatchString(t.text(n))
	case sy.attribute:
		a := t.field(n, sy.fAttribute)
		return a >= 0 && re.MatchString(t.text(a))
	case sy.subscript:
		subs := t.fields(n, sy.fSubscript)
		if len(subs) != 1 {
			return false
		}
		sl := t.unparen(subs[0])
		if v, ok := t.plainStr(sl); ok {
			return re.MatchString(v)
		}
		return t.n[sl].kind == sy.identifier && re.MatchString(t.text(sl))
	}
	return false
}

// passwordString is B105 hardcoded_password_string (upstream).
func (f *fileCtx) passwordString(s strNode) {
	t, sy := f.t, f.s.sym
	p := s.parent
	if p < 0 {
		return
	}
	hit := false
	switch t.n[p].kind {
	case sy.assignment:
		if t.unparen(t.field(p, sy.fRight)) != s.lit {
			return
		}
		if t.field(p, sy.fType) >= 0 { // AnnAssign
			hit = f.candidateTarget(t.field(p, sy.fLeft))
			break
		}
		// Assign: targets are the lefts of the assignment chain
		for a := p; a >= 0 && t.n[a].kind == sy.assignment && t.field(a, sy.fType) < 0; {
			if f.candidateTarget(t.field(a, sy.fLeft)) {
				hit = true
				break
			}
			up := t.parent(a)
			if up < 0 || t.n[up].kind != sy.assignment || t.field(up, sy.fRight) != a {
				break
			}
			a = up
		}
	case sy.pair:
		if t.n[t.parent(p)].kind != sy.dictionary || t.unparen(t.field(p, sy.fValue)) != s.lit {
			return
		}
		key := t.unparen(t.field(p, sy.fKey))
		if v, ok := t.plainStr(key); ok {
			hit = f.s.reCandidates.MatchString(v)
		} else if key >= 0 && t.n[key].kind == sy.identifier {
			hit = f.s.reCandidates.MatchString(t.text(key))
		}
	case sy.comparisonOp:
		for _, op := range t.named(p) {
			if f.candidateTarget(op) {
				hit = true
				break
			}
		}
	}
	if hit {
		f.report(s.pos, "B105", "hardcoded_password_string", core.Low, core.Medium,
			fmt.Sprintf("Possible hardcoded password: '%s'", s.value), "", 0)
	}
}

// sqlExpression is B608 hardcoded_sql_expressions (upstream).
func (f *fileCtx) sqlExpression(s strNode) {
	t, sy := f.t, f.s.sym
	var statement string
	wrapper := int32(-1)
	strReplace := false
	switch {
	case s.joined:
		if !s.first {
			return
		}
		statement = s.all
		wrapper = s.parent
	case s.parent >= 0 && t.n[s.parent].kind == sy.binaryOp:
		top := s.parent
		for {
			up := t.astParent(top)
			if up < 0 || t.n[up].kind != sy.binaryOp {
				break
			}
			top = up
		}
		bits := []string{s.value}
		var walk func(n int32)
		walk = func(n int32) {
			if n == s.parent {
				return
			}
			for _, side := range []uint16{sy.fLeft, sy.fRight} {
				c := t.unparen(t.field(n, side))
				if c < 0 {
					continue
				}
				if t.n[c].kind == sy.binaryOp {
					walk(c)
				} else if v, ok := t.plainStr(c); ok {
					bits = append(bits, v)
				}
			}
		}
		walk(top)
		statement = strings.Join(bits, " ")
		wrapper = t.astParent(top)
	case s.parent >= 0 && t.n[s.parent].kind == sy.attribute && t.unparen(t.field(s.parent, sy.fObject)) == s.lit:
		a := t.field(s.parent, sy.fAttribute)
		if a < 0 {
			return
		}
		switch t.text(a) {
		case "format":
		case "replace":
			strReplace = true
		default:
			return
		}
		statement = s.value
		if call := t.astParent(s.parent); call >= 0 {
			wrapper = t.astParent(call)
		}
	default:
		return
	}
	if !f.s.reSQL.MatchString(statement) {
		return
	}
	conf := core.Low
	if wrapper >= 0 && t.n[wrapper].kind == sy.call && !strReplace {
		if n := t.calledName(wrapper); n == "execute" || n == "executemany" {
			conf = core.Medium
		}
	}
	f.report(s.pos, "B608", "hardcoded_sql_expressions", core.Medium, conf,
		"Possible SQL injection vector through string-based query construction.", "", 0)
}

// pyOct is Python's oct() of a literal int.
func pyOct(v pyVal) string { return "0o" + v.i.Text(8) }
