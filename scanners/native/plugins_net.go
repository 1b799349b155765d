package native

// Network, TLS and cryptography plugins of upstream Bandit 1.9 (B113,
// B201, B202, B501–B509), ported from bandit/plugins/*.py with the
// semantics of bandit/core/context.py: call_keywords values are an
// attribute's name or Context._get_literal_value (Python None for anything
// it does not understand), and a test that raises (an unhashable curve, a
// key size that does not compare with an int, …) reports nothing, as
// tester.run_tests swallows the exception.

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/securecoderl/securecoderl/scanners/core"
)

// netCalls runs the network/TLS/crypto call checks.
func (f *fileCtx) netCalls(ci *callInfo) {
	f.requestWithoutTimeout(ci)
	f.flaskDebugTrue(ci)
	f.tarfileUnsafeMembers(ci)
	f.requestNoCertValidation(ci)
	f.sslWithBadVersion(ci)
	f.sslWithNoVersion(ci)
	f.weakCryptographicKey(ci)
	f.sshNoHostKeyVerification(ci)
	f.snmpInsecureVersion(ci)
	f.snmpCryptoCheck(ci)
}

// netFunctionDef runs the function-definition checks of the TLS plugins
// (B503 ssl_with_bad_defaults looks at argument defaults).
func (f *fileCtx) netFunctionDef(i int32) {
	f.sslWithBadDefaults(i)
}

// ---- Context helpers ----

// callArg is Context.get_call_arg_value: the call_keywords value of the
// keyword argument name. ok is false when the call has no such keyword or
// when its value is Python None (an expression _get_literal_value does
// not understand), the two cases check_call_arg_value reports as None.
func (f *fileCtx) callArg(ci *callInfo, name string) (pyVal, bool) {
	v, ok := f.kwValue(ci, name)
	return v, ok && v.kind != pyNone
}

// checkArgStr is Context.check_call_arg_value(name, values) for str
// values: 1 when the keyword's value equals one of them, 0 when it is
// present but different, -1 (Python None) when it is absent or not a
// literal.
func (f *fileCtx) checkArgStr(ci *callInfo, name string, values ...string) int {
	v, ok := f.callArg(ci, name)
	if !ok {
		return -1
	}
	if v.kind == pyStr {
		for _, s := range values {
			if v.s == s {
				return 1
			}
		}
	}
	return 0
}

// checkArgInt is check_call_arg_value(name, n) for an int n; like Python's
// ==, floats and complex numbers compare by value.
func (f *fileCtx) checkArgInt(ci *callInfo, name string, n int64) bool {
	v, ok := f.callArg(ci, name)
	return ok && v.equalsInt(n)
}

// equalsInt is Python's v == n for an int n.
func (v pyVal) equalsInt(n int64) bool {
	switch v.kind {
	case pyInt:
		return v.i.IsInt64() && v.i.Int64() == n
	case pyFloat:
		re, im, ok := pyNumber(v.s)
		return ok && im == 0 && re == float64(n)
	}
	return false
}

// pyNumber parses a float or imaginary literal: its real and imaginary
// parts.
func pyNumber(s string) (re, im float64, ok bool) {
	s = strings.ToLower(strings.ReplaceAll(s, "_", ""))
	if t, imag := strings.CutSuffix(s, "j"); imag {
		x, err := strconv.ParseFloat(t, 64)
		return 0, x, err == nil
	}
	x, err := strconv.ParseFloat(s, 64)
	return x, 0, err == nil
}

// pyBool is Python's bool() of the value v that _get_literal_value (or
// an attribute's name) gave for node n: containers are true when they
// have elements.
func (f *fileCtx) pyBool(n int32, v pyVal) bool {
	if v.kind == pySeq || v.kind == pyDict {
		return len(f.t.named(f.t.unparen(n))) > 0
	}
	return v.truthy()
}

// firstComponent is qualname.split(".")[0].
func firstComponent(qual string) string {
	if k := strings.IndexByte(qual, '.'); k >= 0 {
		return qual[:k]
	}
	return qual
}

// isHTTPVerb reports whether name is in the plugins' HTTP_VERBS (the
// requests functions of B113 and B501).
func isHTTPVerb(name string) bool {
	switch name {
	case "get", "options", "head", "post", "put", "patch", "delete":
		return true
	}
	return false
}

// isHTTPXAttr reports whether name is in HTTPX_ATTRS (the httpx functions
// and classes of B113 and B501).
func isHTTPXAttr(name string) bool {
	switch name {
	case "request", "stream", "Client", "AsyncClient":
		return true
	}
	return isHTTPVerb(name)
}

// ---- B113 request_without_timeout ----

// requestWithoutTimeout is B113 (request_without_timeout.py): a requests
// call without timeout (or with a value that is no literal), and a
// requests or httpx call with timeout=None.
func (f *fileCtx) requestWithoutTimeout(ci *callInfo) {
	q := firstComponent(ci.qual)
	isRequests := q == "requests" && isHTTPVerb(ci.name)
	if isRequests && f.checkArgStr(ci, "timeout") < 0 {
		f.report(ci.node, "B113", "request_without_timeout", core.Medium, core.Low,
			fmt.Sprintf("Call to %s without timeout", q), "", 0)
		return
	}
	if isRequests || q == "httpx" && isHTTPXAttr(ci.name) {
		if f.checkArgStr(ci, "timeout", "None") > 0 {
			f.report(ci.node, "B113", "request_without_timeout", core.Medium, core.Low,
				fmt.Sprintf("Call to %s with timeout set to None", q), "", 0)
		}
	}
}

// ---- B201 flask_debug_true ----

// flaskDebugTrue is B201 (app_debug.py): <anything>.run(debug=True) once
// a module whose name contains "flask" is imported.
func (f *fileCtx) flaskDebugTrue(ci *callInfo) {
	if !f.importedLike("flask") || !strings.HasSuffix(ci.qual, ".run") {
		return
	}
	if f.checkArgStr(ci, "debug", "True") > 0 {
		f.report(ci.node, "B201", "flask_debug_true", core.High, core.Medium,
			"A Flask app appears to be run with debug=True, which exposes the Werkzeug debugger and allows the execution of arbitrary code.",
			"", f.kwLine(ci, "debug"))
	}
}

// ---- B202 tarfile_unsafe_members ----

// astClassName names the Python AST class of a tree-sitter node kind, for
// the repr of a members= value in B202's message.
func astClassName(kind string) string {
	switch kind {
	case "list":
		return "List"
	case "tuple":
		return "Tuple"
	case "set":
		return "Set"
	case "dictionary":
		return "Dict"
	case "attribute":
		return "Attribute"
	case "subscript":
		return "Subscript"
	case "string", "concatenated_string", "integer", "float", "true", "false", "none":
		return "Constant"
	case "list_comprehension":
		return "ListComp"
	case "generator_expression":
		return "GeneratorExp"
	case "binary_operator":
		return "BinOp"
	case "boolean_operator":
		return "BoolOp"
	case "conditional_expression":
		return "IfExp"
	case "lambda":
		return "Lambda"
	}
	return "expr"
}

// tarfileUnsafeMembers is B202 (tarfile_unsafe_members.py): a call whose
// name contains "extractall" once tarfile is imported, unless it passes
// filter="data"; members=func(...) is LOW, any other members= MEDIUM, no
// members HIGH.
func (f *fileCtx) tarfileUnsafeMembers(ci *callInfo) {
	if !f.imports["tarfile"] || !strings.Contains(ci.name, "extractall") {
		return
	}
	t := f.t
	// is_filter_data: the first filter= keyword is the str constant "data"
	for _, kw := range ci.keywords {
		if kw.name == "filter" {
			if v, isStr := t.plainStr(kw.value); isStr && v == "data" {
				return
			}
			break
		}
	}
	if !ci.hasKeyword("members") {
		f.report(ci.node, "B202", "tarfile_unsafe_members", core.High, core.High,
			"tarfile.extractall used without any validation. Please check and discard dangerous members.", "", 0)
		return
	}
	var arg int32 = -1
	for _, kw := range ci.keywords {
		if kw.name == "members" {
			arg = t.unparen(kw.value)
			break
		}
	}
	if arg < 0 {
		return
	}
	if t.n[arg].kind == f.s.sym.call {
		// {"Function": arg.func.id}: a callee that is no Name raises
		// AttributeError upstream, and the test reports nothing
		fn := t.unparen(t.field(arg, f.s.sym.fFunction))
		if !f.isName(fn) {
			return
		}
		f.report(ci.node, "B202", "tarfile_unsafe_members", core.Low, core.Low,
			fmt.Sprintf("Usage of tarfile.extractall(members=function(tarfile)). Make sure your function properly discards dangerous members {'Function': %s}).", pyRepr(t.text(fn))), "", 0)
		return
	}
	var repr string
	if f.isName(arg) {
		repr = pyRepr(t.text(arg))
	} else {
		repr = "<ast." + astClassName(f.s.lang.NodeKindForId(t.n[arg].kind)) + " object>"
	}
	f.report(ci.node, "B202", "tarfile_unsafe_members", core.Medium, core.Medium,
		fmt.Sprintf("Found tarfile.extractall(members=?) but couldn't identify the type of members. Check if the members were properly validated {'Other': %s}).", repr), "", 0)
}

// ---- B501 request_with_no_cert_validation ----

// requestNoCertValidation is B501 (crypto_request_no_cert_validation.py):
// requests or httpx calls with verify=False.
func (f *fileCtx) requestNoCertValidation(ci *callInfo) {
	q := firstComponent(ci.qual)
	if !(q == "requests" && isHTTPVerb(ci.name) || q == "httpx" && isHTTPXAttr(ci.name)) {
		return
	}
	if f.checkArgStr(ci, "verify", "False") > 0 {
		f.report(ci.node, "B501", "request_with_no_cert_validation", core.High, core.High,
			fmt.Sprintf("Call to %s with verify=False disabling SSL certificate checks, security issue.", q),
			"", f.kwLine(ci, "verify"))
	}
}

// ---- B502–B504 (insecure_ssl_tls.py) ----

// badSSLVersions returns gen_config("ssl_with_bad_version")
// ["bad_protocol_versions"].
func badSSLVersions() []string {
	return []string{
		"PROTOCOL_SSLv2", "SSLv2_METHOD", "SSLv23_METHOD", "PROTOCOL_SSLv3", "PROTOCOL_TLSv1",
		"SSLv3_METHOD", "TLSv1_METHOD", "PROTOCOL_TLSv1_1", "TLSv1_1_METHOD",
	}
}

// sslWithBadVersion is B502 ssl_with_bad_version.
func (f *fileCtx) sslWithBadVersion(ci *callInfo) {
	bad := badSSLVersions()
	switch ci.qual {
	case "ssl.wrap_socket":
		if f.checkArgStr(ci, "ssl_version", bad...) > 0 {
			f.report(ci.node, "B502", "ssl_with_bad_version", core.High, core.High,
				"ssl.wrap_socket call with insecure SSL/TLS protocol version identified, security issue.",
				"", f.kwLine(ci, "ssl_version"))
		}
	case "pyOpenSSL.SSL.Context":
		if f.checkArgStr(ci, "method", bad...) > 0 {
			f.report(ci.node, "B502", "ssl_with_bad_version", core.High, core.High,
				"SSL.Context call with insecure SSL/TLS protocol version identified, security issue.",
				"", f.kwLine(ci, "method"))
		}
	default:
		if f.checkArgStr(ci, "method", bad...) > 0 || f.checkArgStr(ci, "ssl_version", bad...) > 0 {
			line := f.kwLine(ci, "method")
			if line == 0 {
				line = f.kwLine(ci, "ssl_version")
			}
			f.report(ci.node, "B502", "ssl_with_bad_version", core.Medium, core.Medium,
				"Function call with insecure SSL/TLS protocol identified, possible security issue.", "", line)
		}
	}
}

// sslWithBadDefaults is B503 ssl_with_bad_defaults: a positional
// parameter default that is an attribute named after a bad protocol
// version (Context.function_def_defaults_qual keeps only Attributes).
// Bandit runs it on FunctionDef nodes, not on async def or lambda.
func (f *fileCtx) sslWithBadDefaults(i int32) {
	t, sy := f.t, f.s.sym
	if strings.HasPrefix(string(t.src[t.n[i].start:min(int(t.n[i].start)+5, len(t.src))]), "async") {
		return
	}
	params := t.field(i, sy.fParameters)
	if params < 0 {
		return
	}
	for _, c := range t.named(params) {
		switch t.n[c].kind {
		case sy.listSplatPattern, sy.keywordSeparator, sy.dictSplatPattern:
			return // the rest are keyword-only (kw_defaults)
		case sy.defaultParam, sy.typedDefaultParam:
			d := t.unparen(t.field(c, sy.fValue))
			if d < 0 || t.n[d].kind != sy.attribute {
				continue
			}
			if a := t.field(d, sy.fAttribute); a >= 0 && contains(badSSLVersions(), t.text(a)) {
				f.report(i, "B503", "ssl_with_bad_defaults", core.Medium, core.Medium,
					"Function definition identified with insecure SSL/TLS protocol version by default, possible security issue.", "", 0)
				return
			}
		}
	}
}

// sslWithNoVersion is B504 ssl_with_no_version: ssl.wrap_socket without
// a (literal) ssl_version.
func (f *fileCtx) sslWithNoVersion(ci *callInfo) {
	if ci.qual == "ssl.wrap_socket" && f.checkArgStr(ci, "ssl_version") < 0 {
		f.report(ci.node, "B504", "ssl_with_no_version", core.Low, core.Medium,
			"ssl.wrap_socket call with no SSL/TLS protocol version specified, the default SSLv23 could be insecure, possible security issue.",
			"", f.kwLine(ci, "ssl_version"))
	}
}

// ---- B505 weak_cryptographic_key ----

// weakKeyLimits is gen_config("weak_cryptographic_key") for a key type:
// the HIGH and the MEDIUM threshold.
func weakKeyLimits(typ string) [2]int64 {
	if typ == "EC" {
		return [2]int64{160, 224}
	}
	return [2]int64{1024, 2048} // DSA, RSA
}

// ecCurveSize is _weak_crypto_key_size_cryptography_io's curve_key_sizes.
func ecCurveSize(curve string) (int64, bool) {
	switch curve {
	case "SECT571K1":
		return 571, true
	case "SECT571R1":
		return 570, true
	case "SECP521R1":
		return 521, true
	case "BrainpoolP512R1":
		return 512, true
	case "SECT409K1", "SECT409R1":
		return 409, true
	case "BrainpoolP384R1", "SECP384R1":
		return 384, true
	case "SECT283K1", "SECT283R1":
		return 283, true
	case "BrainpoolP256R1", "SECP256K1", "SECP256R1":
		return 256, true
	case "SECT233K1", "SECT233R1":
		return 233, true
	case "SECP224R1":
		return 224, true
	case "SECP192R1":
		return 192, true
	case "SECT163K1", "SECT163R2":
		return 163, true
	}
	return 0, false
}

// keyFunc is a key generation function of B505: its key type and the
// keyword and position of its size argument (EC: the curve).
type keyFunc struct {
	typ, kw string
	pos     int
}

// lookupKeyFunc is func_key_type of the cryptography and pycrypto(dome)
// checks, with arg_position.
func lookupKeyFunc(qual string) (keyFunc, bool) {
	switch qual {
	case "cryptography.hazmat.primitives.asymmetric.dsa.generate_private_key":
		return keyFunc{"DSA", "key_size", 0}, true
	case "cryptography.hazmat.primitives.asymmetric.rsa.generate_private_key":
		return keyFunc{"RSA", "key_size", 1}, true
	case "cryptography.hazmat.primitives.asymmetric.ec.generate_private_key":
		return keyFunc{"EC", "curve", 0}, true
	case "Crypto.PublicKey.DSA.generate", "Cryptodome.PublicKey.DSA.generate":
		return keyFunc{"DSA", "bits", 0}, true
	case "Crypto.PublicKey.RSA.generate", "Cryptodome.PublicKey.RSA.generate":
		return keyFunc{"RSA", "bits", 0}, true
	}
	return keyFunc{}, false
}

// weakCryptographicKey is B505 weak_cryptographic_key.
func (f *fileCtx) weakCryptographicKey(ci *callInfo) {
	kf, ok := lookupKeyFunc(ci.qual)
	if !ok {
		return
	}
	t := f.t
	var size pyVal
	if kf.typ == "EC" {
		// curve = get_call_arg_value("curve") or (len(call_args) > 0 and
		// call_args[0]); an unknown curve counts as 224 bits
		var curve pyVal
		n, has := ci.keyword(kf.kw)
		if has {
			curve = t.argValue(n)
		}
		if !has || !f.pyBool(n, curve) {
			curve = pyVal{}
			if len(ci.args) > 0 {
				n = ci.args[0]
				curve = t.argValue(n)
			}
		}
		if (curve.kind == pySeq || curve.kind == pyDict) && t.n[t.unparen(n)].kind != f.s.sym.tuple {
			return // unhashable: "curve in curve_key_sizes" raises TypeError
		}
		bits := int64(224)
		if s, known := ecCurveSize(curve.s); known && curve.kind == pyStr {
			bits = s
		}
		size = pyVal{kind: pyInt, i: big.NewInt(bits)}
	} else {
		// get_call_arg_value(kw) or get_call_arg_at_position(pos) or 2048
		size = pyVal{kind: pyInt, i: big.NewInt(2048)}
		if n, has := ci.keyword(kf.kw); has && f.pyBool(n, t.argValue(n)) {
			size = t.argValue(n)
		} else if kf.pos < len(ci.args) && f.pyBool(ci.args[kf.pos], t.argValue(ci.args[kf.pos])) {
			size = t.argValue(ci.args[kf.pos])
		}
	}
	// _classify_key_size: a str (a variable's name) is skipped; anything
	// but an int or a float fails the "<" comparison upstream
	var less func(limit int64) bool
	switch size.kind {
	case pyInt:
		less = func(limit int64) bool { return size.i.Cmp(big.NewInt(limit)) < 0 }
	case pyFloat:
		re, im, ok := pyNumber(size.s)
		if !ok || im != 0 || strings.HasSuffix(strings.ToLower(size.s), "j") {
			return // complex
		}
		less = func(limit int64) bool { return re < float64(limit) }
	default:
		return
	}
	limits := weakKeyLimits(kf.typ)
	for k, level := range []core.Level{core.High, core.Medium} {
		if less(limits[k]) {
			f.report(ci.node, "B505", "weak_cryptographic_key", level, core.High,
				fmt.Sprintf("%s key sizes below %d bits are considered breakable. ", kf.typ, limits[k]), "", 0)
			return
		}
	}
}

// ---- B507 ssh_no_host_key_verification ----

// sshNoHostKeyVerification is B507: set_missing_host_key_policy with
// AutoAddPolicy or WarningPolicy (a name, an attribute, or a call of
// either) once a module whose name contains "paramiko" is imported.
func (f *fileCtx) sshNoHostKeyVerification(ci *callInfo) {
	if !f.importedLike("paramiko") || ci.name != "set_missing_host_key_policy" || len(ci.args) == 0 {
		return
	}
	t, sy := f.t, f.s.sym
	policy := ""
	nameOf := func(n int32) string {
		switch {
		case n < 0:
		case t.n[n].kind == sy.attribute:
			if a := t.field(n, sy.fAttribute); a >= 0 {
				return t.text(a)
			}
		case f.isName(n):
			return t.text(n)
		}
		return ""
	}
	arg := t.unparen(ci.args[0])
	if t.n[arg].kind == sy.call {
		policy = nameOf(t.unparen(t.field(arg, sy.fFunction)))
	} else {
		policy = nameOf(arg)
	}
	if policy == "AutoAddPolicy" || policy == "WarningPolicy" {
		f.report(ci.node, "B507", "ssh_no_host_key_verification", core.High, core.Medium,
			"Paramiko call with policy set to automatically trust the unknown host key.",
			"", f.kwLine(ci, "set_missing_host_key_policy"))
	}
}

// ---- B508, B509 (snmp_security_check.py) ----

// snmpInsecureVersion is B508 snmp_insecure_version_check: CommunityData
// with mpModel=0 or 1 (SNMPv1/v2c).
func (f *fileCtx) snmpInsecureVersion(ci *callInfo) {
	if ci.qual != "pysnmp.hlapi.CommunityData" {
		return
	}
	if f.checkArgInt(ci, "mpModel", 0) || f.checkArgInt(ci, "mpModel", 1) {
		f.report(ci.node, "B508", "snmp_insecure_version_check", core.Medium, core.High,
			"The use of SNMPv1 and SNMPv2 is insecure. You should use SNMPv3 if able.",
			"", f.kwLine(ci, "CommunityData"))
	}
}

// snmpCryptoCheck is B509 snmp_crypto_check: UsmUserData with fewer than
// three positional arguments (noAuthNoPriv or authNoPriv).
func (f *fileCtx) snmpCryptoCheck(ci *callInfo) {
	if ci.qual == "pysnmp.hlapi.UsmUserData" && len(ci.args) < 3 {
		f.report(ci.node, "B509", "snmp_crypto_check", core.Medium, core.High,
			"You should not use SNMPv3 without encryption. noAuthNoPriv & authNoPriv is insecure",
			"", f.kwLine(ci, "UsmUserData"))
	}
}
