package core

import "sort"

// Rule describes one Bandit test id for the reward: what it detects, the
// CWE it maps to and how much a finding of it should weigh.
type Rule struct {
	ID string `json:"test_id"`
	// Name is Bandit's test name ("blacklist" for the B3xx/B4xx
	// blacklist entries, whose entry name is in Blacklist).
	Name      string `json:"test_name"`
	Blacklist string `json:"blacklist,omitempty"`
	CWE       int    `json:"cwe"`
	// Weight in [0.2, 1.0]: the share of a maximal penalty one finding of
	// this rule represents (see the table's doc comment).
	Weight float64 `json:"weight"`
	// Upstream is false for ids that only Bandit 1.6.2 has (removed
	// upstream: B309, B320, B322, B325, B410) or that are ours (RX001).
	Upstream bool `json:"upstream"`
	// Note records deliberate departures from upstream Bandit's CWE, or
	// other caveats.
	Note string `json:"note,omitempty"`
}

// DefaultWeight is the weight of a test id missing from the table.
const DefaultWeight = 0.5

// ruleTable is the test id → CWE → weight table.
//
// CWE ids follow upstream Bandit (issue.Cwe, Bandit ≥ 1.7.3) except where
// noted: exec/eval (B102/B307) are CWE-94 (code injection; upstream files
// them under CWE-78) and yaml.load (B506) is CWE-502 (deserialization of
// untrusted data; upstream uses CWE-20). B110/B112 are CWE-703 (improper
// check of exceptional conditions) and B322 is CWE-20 (improper input
// validation): neither is an injection.
//
// Weights lie in [0.2, 1.0] and encode how directly a finding leads to an
// exploitable flaw in a small model-written program:
//
//   - 1.0  arbitrary code or command execution from data: exec, eval,
//     subprocess with shell=True.
//   - 0.8–0.9  injection or unsafe deserialisation sinks that are
//     exploitable as soon as input reaches them: os.system/popen, SQL
//     built by string formatting, pickle/yaml.load, flask debug.
//   - 0.5–0.7  weaknesses that need a second condition to matter: weak
//     hashes and ciphers, hard-coded secrets, permissive chmod, disabled
//     TLS verification, mktemp, XML parsers, shell=True on unknown APIs.
//   - 0.3–0.4  hygiene issues with a plausible but indirect security impact:
//     non-crypto PRNG, binding 0.0.0.0, hard-coded /tmp paths, subprocess
//     without a shell, partial executable paths, urlopen schemes.
//   - 0.2  informational: assert, try/except/pass, importing pickle or
//     subprocess, B322 (Python 2 input()).
//
// Severity and confidence of the individual finding are deliberately not
// folded in here; the reward combines them with the weight.
var ruleTable = []Rule{
	{ID: "B101", Name: "assert_used", CWE: 703, Weight: 0.2, Upstream: true},
	{ID: "B102", Name: "exec_used", CWE: 94, Weight: 1.0, Upstream: true, Note: "upstream CWE-78"},
	{ID: "B103", Name: "set_bad_file_permissions", CWE: 732, Weight: 0.6, Upstream: true},
	{ID: "B104", Name: "hardcoded_bind_all_interfaces", CWE: 605, Weight: 0.4, Upstream: true},
	{ID: "B105", Name: "hardcoded_password_string", CWE: 259, Weight: 0.5, Upstream: true},
	{ID: "B106", Name: "hardcoded_password_funcarg", CWE: 259, Weight: 0.5, Upstream: true},
	{ID: "B107", Name: "hardcoded_password_default", CWE: 259, Weight: 0.5, Upstream: true},
	{ID: "B108", Name: "hardcoded_tmp_directory", CWE: 377, Weight: 0.4, Upstream: true},
	{ID: "B110", Name: "try_except_pass", CWE: 703, Weight: 0.2, Upstream: true},
	{ID: "B112", Name: "try_except_continue", CWE: 703, Weight: 0.2, Upstream: true},
	{ID: "B113", Name: "request_without_timeout", CWE: 400, Weight: 0.3, Upstream: true},
	{ID: "B201", Name: "flask_debug_true", CWE: 94, Weight: 0.8, Upstream: true},
	{ID: "B202", Name: "tarfile_unsafe_members", CWE: 22, Weight: 0.6, Upstream: true},
	{ID: "B301", Name: "blacklist", Blacklist: "pickle", CWE: 502, Weight: 0.8, Upstream: true},
	{ID: "B302", Name: "blacklist", Blacklist: "marshal", CWE: 502, Weight: 0.7, Upstream: true},
	{ID: "B303", Name: "blacklist", Blacklist: "md5", CWE: 327, Weight: 0.5, Upstream: true, Note: "hashlib.md5/sha1 moved to B324 upstream"},
	{ID: "B304", Name: "blacklist", Blacklist: "ciphers", CWE: 327, Weight: 0.6, Upstream: true},
	{ID: "B305", Name: "blacklist", Blacklist: "cipher_modes", CWE: 327, Weight: 0.5, Upstream: true},
	{ID: "B306", Name: "blacklist", Blacklist: "mktemp_q", CWE: 377, Weight: 0.5, Upstream: true},
	{ID: "B307", Name: "blacklist", Blacklist: "eval", CWE: 94, Weight: 1.0, Upstream: true, Note: "upstream CWE-78"},
	{ID: "B308", Name: "blacklist", Blacklist: "mark_safe", CWE: 79, Weight: 0.5, Upstream: true},
	{ID: "B309", Name: "blacklist", Blacklist: "httpsconnection", CWE: 295, Weight: 0.3, Note: "Bandit 1.6 only; removed upstream"},
	{ID: "B310", Name: "blacklist", Blacklist: "urllib_urlopen", CWE: 22, Weight: 0.4, Upstream: true},
	{ID: "B311", Name: "blacklist", Blacklist: "random", CWE: 330, Weight: 0.3, Upstream: true},
	{ID: "B312", Name: "blacklist", Blacklist: "telnetlib", CWE: 319, Weight: 0.6, Upstream: true},
	{ID: "B313", Name: "blacklist", Blacklist: "xml_bad_cElementTree", CWE: 20, Weight: 0.5, Upstream: true},
	{ID: "B314", Name: "blacklist", Blacklist: "xml_bad_ElementTree", CWE: 20, Weight: 0.5, Upstream: true},
	{ID: "B315", Name: "blacklist", Blacklist: "xml_bad_expatreader", CWE: 20, Weight: 0.5, Upstream: true},
	{ID: "B316", Name: "blacklist", Blacklist: "xml_bad_expatbuilder", CWE: 20, Weight: 0.5, Upstream: true},
	{ID: "B317", Name: "blacklist", Blacklist: "xml_bad_sax", CWE: 20, Weight: 0.5, Upstream: true},
	{ID: "B318", Name: "blacklist", Blacklist: "xml_bad_minidom", CWE: 20, Weight: 0.5, Upstream: true},
	{ID: "B319", Name: "blacklist", Blacklist: "xml_bad_pulldom", CWE: 20, Weight: 0.5, Upstream: true},
	{ID: "B320", Name: "blacklist", Blacklist: "xml_bad_etree", CWE: 20, Weight: 0.5, Note: "lxml calls; removed upstream before 1.9 (PyCQA/bandit#1212): Bandit 1.6.2 only"},
	{ID: "B321", Name: "blacklist", Blacklist: "ftplib", CWE: 319, Weight: 0.6, Upstream: true},
	{ID: "B322", Name: "blacklist", Blacklist: "input", CWE: 20, Weight: 0.2, Note: "Bandit 1.6 only (Python 2 input()); removed in 1.7; skipped by default"},
	{ID: "B323", Name: "blacklist", Blacklist: "unverified_context", CWE: 295, Weight: 0.7, Upstream: true},
	{ID: "B324", Name: "hashlib", CWE: 327, Weight: 0.5, Upstream: true, Note: "named hashlib_new in Bandit 1.6"},
	{ID: "B325", Name: "blacklist", Blacklist: "tempnam", CWE: 377, Weight: 0.4, Note: "Bandit 1.6 only; removed upstream"},
	{ID: "B401", Name: "blacklist", Blacklist: "import_telnetlib", CWE: 319, Weight: 0.4, Upstream: true},
	{ID: "B402", Name: "blacklist", Blacklist: "import_ftplib", CWE: 319, Weight: 0.4, Upstream: true},
	{ID: "B403", Name: "blacklist", Blacklist: "import_pickle", CWE: 502, Weight: 0.2, Upstream: true},
	{ID: "B404", Name: "blacklist", Blacklist: "import_subprocess", CWE: 78, Weight: 0.2, Upstream: true},
	{ID: "B405", Name: "blacklist", Blacklist: "import_xml_etree", CWE: 20, Weight: 0.2, Upstream: true},
	{ID: "B406", Name: "blacklist", Blacklist: "import_xml_sax", CWE: 20, Weight: 0.2, Upstream: true},
	{ID: "B407", Name: "blacklist", Blacklist: "import_xml_expat", CWE: 20, Weight: 0.2, Upstream: true},
	{ID: "B408", Name: "blacklist", Blacklist: "import_xml_minidom", CWE: 20, Weight: 0.2, Upstream: true},
	{ID: "B409", Name: "blacklist", Blacklist: "import_xml_pulldom", CWE: 20, Weight: 0.2, Upstream: true},
	{ID: "B410", Name: "blacklist", Blacklist: "import_lxml", CWE: 20, Weight: 0.2, Note: "lxml import; removed upstream before 1.9 (PyCQA/bandit#1212): Bandit 1.6.2 only"},
	{ID: "B411", Name: "blacklist", Blacklist: "import_xmlrpclib", CWE: 20, Weight: 0.4, Upstream: true},
	{ID: "B412", Name: "blacklist", Blacklist: "import_httpoxy", CWE: 284, Weight: 0.4, Upstream: true},
	{ID: "B413", Name: "blacklist", Blacklist: "import_pycrypto", CWE: 327, Weight: 0.4, Upstream: true},
	{ID: "B415", Name: "blacklist", Blacklist: "import_pyghmi", CWE: 319, Weight: 0.4, Upstream: true},
	{ID: "B501", Name: "request_with_no_cert_validation", CWE: 295, Weight: 0.7, Upstream: true},
	{ID: "B502", Name: "ssl_with_bad_version", CWE: 327, Weight: 0.6, Upstream: true},
	{ID: "B503", Name: "ssl_with_bad_defaults", CWE: 327, Weight: 0.5, Upstream: true},
	{ID: "B504", Name: "ssl_with_no_version", CWE: 327, Weight: 0.5, Upstream: true},
	{ID: "B505", Name: "weak_cryptographic_key", CWE: 326, Weight: 0.5, Upstream: true},
	{ID: "B506", Name: "yaml_load", CWE: 502, Weight: 0.8, Upstream: true, Note: "upstream CWE-20"},
	{ID: "B507", Name: "ssh_no_host_key_verification", CWE: 295, Weight: 0.6, Upstream: true},
	{ID: "B508", Name: "snmp_insecure_version_check", CWE: 319, Weight: 0.5, Upstream: true},
	{ID: "B509", Name: "snmp_crypto_check", CWE: 319, Weight: 0.5, Upstream: true},
	{ID: "B601", Name: "paramiko_calls", CWE: 78, Weight: 0.7, Upstream: true},
	{ID: "B602", Name: "subprocess_popen_with_shell_equals_true", CWE: 78, Weight: 1.0, Upstream: true},
	{ID: "B603", Name: "subprocess_without_shell_equals_true", CWE: 78, Weight: 0.3, Upstream: true},
	{ID: "B604", Name: "any_other_function_with_shell_equals_true", CWE: 78, Weight: 0.6, Upstream: true},
	{ID: "B605", Name: "start_process_with_a_shell", CWE: 78, Weight: 0.9, Upstream: true},
	{ID: "B606", Name: "start_process_with_no_shell", CWE: 78, Weight: 0.3, Upstream: true},
	{ID: "B607", Name: "start_process_with_partial_path", CWE: 78, Weight: 0.3, Upstream: true},
	{ID: "B608", Name: "hardcoded_sql_expressions", CWE: 89, Weight: 0.9, Upstream: true},
	{ID: "B609", Name: "linux_commands_wildcard_injection", CWE: 155, Weight: 0.5, Upstream: true},
	{ID: "B610", Name: "django_extra_used", CWE: 89, Weight: 0.8, Upstream: true},
	{ID: "B611", Name: "django_rawsql_used", CWE: 89, Weight: 0.8, Upstream: true},
	{ID: "B612", Name: "logging_config_insecure_listen", CWE: 94, Weight: 0.7, Upstream: true},
	{ID: "B613", Name: "trojansource", CWE: 838, Weight: 0.6, Upstream: true},
	{ID: "B614", Name: "pytorch_load", CWE: 502, Weight: 0.8, Upstream: true},
	{ID: "B615", Name: "huggingface_unsafe_download", CWE: 494, Weight: 0.6, Upstream: true},
	{ID: "B701", Name: "jinja2_autoescape_false", CWE: 94, Weight: 0.6, Upstream: true},
	{ID: "B702", Name: "use_of_mako_templates", CWE: 80, Weight: 0.6, Upstream: true},
	{ID: "B703", Name: "django_mark_safe", CWE: 80, Weight: 0.6, Upstream: true},
	{ID: "B704", Name: "markupsafe_markup_xss", CWE: 79, Weight: 0.6, Upstream: true},
	{ID: "RX001", Name: "dynamic_import", CWE: 94, Weight: 0.5, Note: "regex scanner only: __import__ of a non-literal or unlisted module"},
}

// Rules returns a copy of the rule table, sorted by test id.
func Rules() []Rule {
	out := append([]Rule(nil), ruleTable...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// LookupRule returns the table entry for a test id.
func LookupRule(testID string) (Rule, bool) {
	for _, r := range ruleTable {
		if r.ID == testID {
			return r, true
		}
	}
	return Rule{}, false
}

// CWE returns the CWE id for a Bandit test id, or 0 when unknown.
func CWE(testID string) int {
	r, _ := LookupRule(testID)
	return r.CWE
}

// Weight returns the reward weight in [0.2, 1.0] for a Bandit test id;
// ids missing from the table weigh DefaultWeight.
func Weight(testID string) float64 {
	if r, ok := LookupRule(testID); ok {
		return r.Weight
	}
	return DefaultWeight
}
