package native

import (
	"sort"

	"github.com/securecoderl/securecoderl/scanners/core"
)

// blEntry is one blacklist entry, as in bandit/blacklists/*.py.
type blEntry struct {
	id, name  string
	qualnames []string
	message   string
	level     core.Level
}

// callBlacklist returns upstream Bandit's call blacklist (bandit/blacklists/
// calls.py, Bandit 1.9), in upstream's order: the first entry whose
// qualnames contain the call's name wins. Differences from the 1.6.2 table
// installed here:
//   - B301 drops cPickle and adds shelve, jsonpickle and pandas.read_pickle;
//   - B303 no longer lists hashlib.md5/sha1 (now B324, plugin "hashlib");
//   - B304 adds cryptography's CAST5, SEED and TripleDES;
//   - B309 (httpsconnection), B320 (lxml), B322 (input) and B325 (tempnam)
//     are removed;
//   - B310 drops the Python 2 urllib/urllib2 names;
//   - B311 adds random.Random, choices, randbytes, sample and getrandbits;
//   - B312 and B321 match telnetlib.Telnet / ftplib.FTP, not telnetlib.* /
//     ftplib.*.
func callBlacklist() []blEntry {
	xmlMsg := "Using {name} to parse untrusted XML data is known to be vulnerable to XML attacks. Replace {name} with its defusedxml equivalent function or make sure defusedxml.defuse_stdlib() is called"
	return []blEntry{
		{"B301", "pickle", []string{"pickle.loads", "pickle.load", "pickle.Unpickler", "dill.loads", "dill.load", "dill.Unpickler", "shelve.open", "shelve.DbfilenameShelf", "jsonpickle.decode", "jsonpickle.unpickler.decode", "jsonpickle.unpickler.Unpickler", "pandas.read_pickle"},
			"Pickle and modules that wrap it can be unsafe when used to deserialize untrusted data, possible security issue.", core.Medium},
		{"B302", "marshal", []string{"marshal.load", "marshal.loads"},
			"Deserialization with the marshal module is possibly dangerous.", core.Medium},
		{"B303", "md5", []string{"Crypto.Hash.MD2.new", "Crypto.Hash.MD4.new", "Crypto.Hash.MD5.new", "Crypto.Hash.SHA.new", "Cryptodome.Hash.MD2.new", "Cryptodome.Hash.MD4.new", "Cryptodome.Hash.MD5.new", "Cryptodome.Hash.SHA.new", "cryptography.hazmat.primitives.hashes.MD5", "cryptography.hazmat.primitives.hashes.SHA1"},
			"Use of insecure MD2, MD4, MD5, or SHA1 hash function.", core.Medium},
		{"B304", "ciphers", []string{"Crypto.Cipher.ARC2.new", "Crypto.Cipher.ARC4.new", "Crypto.Cipher.Blowfish.new", "Crypto.Cipher.DES.new", "Crypto.Cipher.XOR.new", "Cryptodome.Cipher.ARC2.new", "Cryptodome.Cipher.ARC4.new", "Cryptodome.Cipher.Blowfish.new", "Cryptodome.Cipher.DES.new", "Cryptodome.Cipher.XOR.new", "cryptography.hazmat.primitives.ciphers.algorithms.ARC4", "cryptography.hazmat.primitives.ciphers.algorithms.Blowfish", "cryptography.hazmat.primitives.ciphers.algorithms.CAST5", "cryptography.hazmat.primitives.ciphers.algorithms.IDEA", "cryptography.hazmat.primitives.ciphers.algorithms.SEED", "cryptography.hazmat.primitives.ciphers.algorithms.TripleDES"},
			"Use of insecure cipher {name}. Replace with a known secure cipher such as AES.", core.High},
		{"B305", "cipher_modes", []string{"cryptography.hazmat.primitives.ciphers.modes.ECB"},
			"Use of insecure cipher mode {name}.", core.Medium},
		{"B306", "mktemp_q", []string{"tempfile.mktemp"},
			"Use of insecure and deprecated function (mktemp).", core.Medium},
		{"B307", "eval", []string{"eval"},
			"Use of possibly insecure function - consider using safer ast.literal_eval.", core.Medium},
		{"B308", "mark_safe", []string{"django.utils.safestring.mark_safe"},
			"Use of mark_safe() may expose cross-site scripting vulnerabilities and should be reviewed.", core.Medium},
		{"B310", "urllib_urlopen", []string{"urllib.request.urlopen", "urllib.request.urlretrieve", "urllib.request.URLopener", "urllib.request.FancyURLopener", "six.moves.urllib.request.urlopen", "six.moves.urllib.request.urlretrieve", "six.moves.urllib.request.URLopener", "six.moves.urllib.request.FancyURLopener"},
			"Audit url open for permitted schemes. Allowing use of file:/ or custom schemes is often unexpected.", core.Medium},
		{"B311", "random", []string{"random.Random", "random.random", "random.randrange", "random.randint", "random.choice", "random.choices", "random.uniform", "random.triangular", "random.randbytes", "random.sample", "random.randrange", "random.getrandbits"},
			"Standard pseudo-random generators are not suitable for security/cryptographic purposes.", core.Low},
		{"B312", "telnetlib", []string{"telnetlib.Telnet"},
			"Telnet-related functions are being called. Telnet is considered insecure. Use SSH or some other encrypted protocol.", core.High},
		{"B313", "xml_bad_cElementTree", []string{"xml.etree.cElementTree.parse", "xml.etree.cElementTree.iterparse", "xml.etree.cElementTree.fromstring", "xml.etree.cElementTree.XMLParser"}, xmlMsg, core.Medium},
		{"B314", "xml_bad_ElementTree", []string{"xml.etree.ElementTree.parse", "xml.etree.ElementTree.iterparse", "xml.etree.ElementTree.fromstring", "xml.etree.ElementTree.XMLParser"}, xmlMsg, core.Medium},
		{"B315", "xml_bad_expatreader", []string{"xml.sax.expatreader.create_parser"}, xmlMsg, core.Medium},
		{"B316", "xml_bad_expatbuilder", []string{"xml.dom.expatbuilder.parse", "xml.dom.expatbuilder.parseString"}, xmlMsg, core.Medium},
		{"B317", "xml_bad_sax", []string{"xml.sax.parse", "xml.sax.parseString", "xml.sax.make_parser"}, xmlMsg, core.Medium},
		{"B318", "xml_bad_minidom", []string{"xml.dom.minidom.parse", "xml.dom.minidom.parseString"}, xmlMsg, core.Medium},
		{"B319", "xml_bad_pulldom", []string{"xml.dom.pulldom.parse", "xml.dom.pulldom.parseString"}, xmlMsg, core.Medium},
		{"B321", "ftplib", []string{"ftplib.FTP"},
			"FTP-related functions are being called. FTP is considered insecure. Use SSH/SFTP/SCP or some other encrypted protocol.", core.High},
		{"B323", "unverified_context", []string{"ssl._create_unverified_context"},
			"By default, Python will create a secure, verified ssl context for use in such classes as HTTPSConnection. However, it still allows using an insecure context via the _create_unverified_context that  reverts to the previous behavior that does not validate certificates or perform hostname checks.", core.Medium},
	}
}

// importBlacklist returns upstream Bandit's import blacklist
// (bandit/blacklists/imports.py, Bandit 1.9), in upstream's order; import
// statements match an entry when an imported name starts with one of its
// qualnames, calls when their name equals one. Differences from 1.6.2:
// B403 adds shelve, B410 (lxml) is removed, B411 matches xmlrpc (not
// xmlrpclib) and B415 (pyghmi) is new.
func importBlacklist() []blEntry {
	xmlMsg := "Using {name} to parse untrusted XML data is known to be vulnerable to XML attacks. Replace {name} with the equivalent defusedxml package, or make sure defusedxml.defuse_stdlib() is called."
	return []blEntry{
		{"B401", "import_telnetlib", []string{"telnetlib"},
			"A telnet-related module is being imported.  Telnet is considered insecure. Use SSH or some other encrypted protocol.", core.High},
		{"B402", "import_ftplib", []string{"ftplib"},
			"A FTP-related module is being imported.  FTP is considered insecure. Use SSH/SFTP/SCP or some other encrypted protocol.", core.High},
		{"B403", "import_pickle", []string{"pickle", "cPickle", "dill", "shelve"},
			"Consider possible security implications associated with {name} module.", core.Low},
		{"B404", "import_subprocess", []string{"subprocess"},
			"Consider possible security implications associated with the subprocess module.", core.Low},
		{"B405", "import_xml_etree", []string{"xml.etree.cElementTree", "xml.etree.ElementTree"}, xmlMsg, core.Low},
		{"B406", "import_xml_sax", []string{"xml.sax"}, xmlMsg, core.Low},
		{"B407", "import_xml_expat", []string{"xml.dom.expatbuilder"}, xmlMsg, core.Low},
		{"B408", "import_xml_minidom", []string{"xml.dom.minidom"}, xmlMsg, core.Low},
		{"B409", "import_xml_pulldom", []string{"xml.dom.pulldom"}, xmlMsg, core.Low},
		{"B411", "import_xmlrpclib", []string{"xmlrpc"},
			"Using {name} to parse untrusted XML data is known to be vulnerable to XML attacks. Use defusedxml.xmlrpc.monkey_patch() function to monkey-patch xmlrpclib and mitigate XML vulnerabilities.", core.High},
		{"B412", "import_httpoxy", []string{"wsgiref.handlers.CGIHandler", "twisted.web.twcgi.CGIScript", "twisted.web.twcgi.CGIDirectory"},
			"Consider possible security implications associated with {name} module.", core.High},
		{"B413", "import_pycrypto", []string{"Crypto.Cipher", "Crypto.Hash", "Crypto.IO", "Crypto.Protocol", "Crypto.PublicKey", "Crypto.Random", "Crypto.Signature", "Crypto.Util"},
			"The pyCrypto library and its module {name} are no longer actively maintained and have been deprecated. Consider using pyca/cryptography library.", core.High},
		{"B415", "import_pyghmi", []string{"pyghmi"},
			"An IPMI-related module is being imported. IPMI is considered insecure. Use an encrypted protocol.", core.High},
	}
}

// shellConfig is injection_shell's gen_config("shell_injection") upstream.
type shellConfig struct {
	subprocess, shell, noShell map[string]bool
}

func newShellConfig() shellConfig {
	set := func(names ...string) map[string]bool {
		m := make(map[string]bool, len(names))
		for _, n := range names {
			m[n] = true
		}
		return m
	}
	return shellConfig{
		subprocess: set("subprocess.Popen", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.run"),
		shell: set("os.system", "os.popen", "os.popen2", "os.popen3", "os.popen4", "popen2.popen2", "popen2.popen3", "popen2.popen4",
			"popen2.Popen3", "popen2.Popen4", "commands.getoutput", "commands.getstatusoutput", "subprocess.getoutput", "subprocess.getstatusoutput"),
		noShell: set("os.execl", "os.execle", "os.execlp", "os.execlpe", "os.execv", "os.execve", "os.execvp", "os.execvpe",
			"os.spawnl", "os.spawnle", "os.spawnlp", "os.spawnlpe", "os.spawnv", "os.spawnve", "os.spawnvp", "os.spawnvpe", "os.startfile"),
	}
}

// Rules lists the test ids the native scanner implements.
func Rules() []string {
	ids := []string{"B101", "B102", "B103", "B104", "B105", "B106", "B107", "B108", "B110", "B112",
		"B113", "B201", "B202", "B324", "B501", "B502", "B503", "B504", "B505", "B506", "B507", "B508", "B509",
		"B601", "B602", "B603", "B604", "B605", "B606", "B607", "B608", "B609", "B610", "B611", "B612", "B613", "B614", "B615",
		"B701", "B702", "B703", "B704"}
	for _, e := range callBlacklist() {
		ids = append(ids, e.id)
	}
	for _, e := range importBlacklist() {
		ids = append(ids, e.id)
	}
	sort.Strings(ids)
	return ids
}
