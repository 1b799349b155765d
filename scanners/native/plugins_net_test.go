package native

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/securecoderl/securecoderl/scanners/core"
)

// TestNetExamples scans the upstream example files of the network, TLS
// and crypto plugins and of the blacklists, and compares the per-file
// severity/confidence counts with the expectations of upstream Bandit
// 1.9's tests/functional/test_functional.py (the test method is named per
// case).
func TestNetExamples(t *testing.T) {
	dir := examplesDir(t)
	s, err := New(core.Options{HonorNosec: true}) // upstream honours "# nosec"
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tc := range []struct {
		file     string
		upstream string // test_functional.py method the expectation comes from
		sev      [3]int // LOW, MEDIUM, HIGH
		conf     [3]int
	}{
		// plugins
		{"requests-missing-timeout.py", "test_requests_without_timeout", [3]int{0, 25, 0}, [3]int{25, 0, 0}},
		{"flask_debug.py", "test_flask_debug_true", [3]int{0, 0, 1}, [3]int{0, 1, 0}},
		{"tarfile_extractall.py", "test_tarfile_unsafe_members", [3]int{1, 2, 2}, [3]int{1, 2, 2}},
		{"requests-ssl-verify-disabled.py", "test_requests_ssl_verify_disabled", [3]int{0, 0, 18}, [3]int{0, 0, 18}},
		{"ssl-insecure-version.py", "test_ssl_insecure_version", [3]int{1, 13, 9}, [3]int{0, 14, 9}},
		{"weak_cryptographic_key_sizes.py", "test_weak_cryptographic_key", [3]int{0, 8, 8}, [3]int{0, 0, 16}},
		{"no_host_key_verification.py", "test_host_key_verification", [3]int{0, 0, 8}, [3]int{0, 8, 0}},
		{"snmp.py", "test_snmp_security_check", [3]int{0, 3, 0}, [3]int{0, 0, 3}},
		// call and import blacklists
		{"ciphers.py", "test_ciphers", [3]int{0, 1, 24}, [3]int{0, 0, 25}},
		{"cipher-modes.py", "test_cipher_modes", [3]int{0, 1, 0}, [3]int{0, 0, 1}},
		{"crypto-md5.py", "test_crypto_md5", [3]int{0, 16, 9}, [3]int{0, 0, 25}},
		{"hashlib_new_insecure_functions.py", "test_hashlib_new_insecure_functions", [3]int{0, 0, 9}, [3]int{0, 0, 9}},
		{"pycrypto.py", "test_blacklist_pycrypto", [3]int{0, 0, 2}, [3]int{0, 0, 2}},
		{"pycryptodome.py", "test_no_blacklist_pycryptodome", [3]int{}, [3]int{}},
		{"random_module.py", "test_random_module", [3]int{12, 0, 0}, [3]int{0, 0, 12}},
		{"xml_etree_celementtree.py", "test_xml", [3]int{1, 4, 0}, [3]int{0, 0, 5}},
		{"xml_expatbuilder.py", "test_xml", [3]int{1, 2, 0}, [3]int{0, 0, 3}},
		{"xml_pulldom.py", "test_xml", [3]int{2, 2, 0}, [3]int{0, 0, 4}},
		{"xml_xmlrpc.py", "test_xml", [3]int{0, 0, 1}, [3]int{0, 0, 1}},
		{"xml_etree_elementtree.py", "test_xml", [3]int{1, 4, 0}, [3]int{0, 0, 5}},
		{"xml_expatreader.py", "test_xml", [3]int{1, 1, 0}, [3]int{0, 0, 2}},
		{"xml_minidom.py", "test_xml", [3]int{2, 2, 0}, [3]int{0, 0, 4}},
		{"xml_sax.py", "test_xml", [3]int{2, 6, 0}, [3]int{0, 0, 8}},
		{"httpoxy_cgihandler.py", "test_httpoxy", [3]int{0, 0, 1}, [3]int{0, 0, 1}},
		{"httpoxy_twisted_script.py", "test_httpoxy", [3]int{0, 0, 1}, [3]int{0, 0, 1}},
		{"httpoxy_twisted_directory.py", "test_httpoxy", [3]int{0, 0, 1}, [3]int{0, 0, 1}},
		{"pyghmi.py", "test_blacklist_pyghmi", [3]int{1, 0, 1}, [3]int{0, 1, 1}},
		{"pickle_deserialize.py", "test_pickle", [3]int{1, 3, 0}, [3]int{0, 0, 4}},
		{"dill.py", "test_dill", [3]int{1, 3, 0}, [3]int{0, 0, 4}},
		{"shelve_open.py", "test_shelve", [3]int{1, 2, 0}, [3]int{0, 0, 3}},
		{"jsonpickle.py", "test_jsonpickle", [3]int{0, 3, 0}, [3]int{0, 0, 3}},
		{"pandas_read_pickle.py", "test_pandas_read_pickle", [3]int{1, 1, 0}, [3]int{0, 0, 2}},
		{"imports-aliases.py", "test_imports_aliases", [3]int{4, 1, 4}, [3]int{0, 0, 9}},
		{"imports-from.py", "test_imports_from", [3]int{3, 0, 0}, [3]int{0, 0, 3}},
		{"imports-function.py", "test_imports_function", [3]int{2, 0, 0}, [3]int{0, 0, 2}},
		{"imports.py", "test_imports", [3]int{2, 0, 0}, [3]int{0, 0, 2}},
		{"imports-with-importlib.py", "test_imports_using_importlib", [3]int{4, 0, 0}, [3]int{0, 0, 4}},
		{"telnetlib.py", "test_telnet_usage", [3]int{0, 0, 2}, [3]int{0, 0, 2}},
		{"ftplib.py", "test_ftp_usage", [3]int{0, 0, 3}, [3]int{0, 0, 3}},
		{"urlopen.py", "test_urlopen", [3]int{0, 8, 0}, [3]int{0, 0, 8}},
		{"unverified_context.py", "test_unverified_context", [3]int{0, 1, 0}, [3]int{0, 0, 1}},
		{"mktemp.py", "test_mktemp", [3]int{0, 4, 0}, [3]int{0, 0, 4}},
		{"eval.py", "test_eval", [3]int{0, 3, 0}, [3]int{0, 0, 3}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			code, err := os.ReadFile(filepath.Join(dir, tc.file))
			if err != nil {
				t.Skipf("example missing: %v", err)
			}
			r := s.ScanOne(core.Source{Name: tc.file, Code: string(code)})
			if r.Err != "" {
				t.Fatalf("scan error: %s", r.Err)
			}
			c := countLevels(r)
			sev, conf := lmh(c[0]), lmh(c[1])
			if sev != tc.sev || conf != tc.conf {
				t.Errorf("severity L/M/H %v, confidence %v; upstream %s expects %v, %v\nfindings: %s",
					sev, conf, tc.upstream, tc.sev, tc.conf, ids(r))
			}
		})
	}
}

// netRuleID reports whether TestNetRules looks at test id: the plugins of
// plugins_net.go and the blacklists (B324 excluded).
func netRuleID(id string) bool {
	switch id {
	case "B113", "B201", "B202", "B501", "B502", "B503", "B504", "B505", "B507", "B508", "B509":
		return true
	}
	return strings.HasPrefix(id, "B3") && id != "B324" || strings.HasPrefix(id, "B4")
}

// netFinding is one expected finding of TestNetRules: id@line, with the
// severity and confidence initials (e.g. "B113@1:ML").
func netFinding(f core.Finding) string {
	return f.TestID + "@" + strconv.Itoa(f.Line) + ":" + string(f.Severity)[:1] + string(f.Confidence)[:1]
}

// TestNetRules checks each plugin and blacklist change on small positive
// and negative snippets.
func TestNetRules(t *testing.T) {
	s, err := New(core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tc := range []struct{ name, code, want string }{
		// B113
		{"requests no timeout", "import requests\nrequests.get(u)\n", "B113@2:ML"},
		{"requests timeout", "import requests\nrequests.get(u, timeout=5)\n", ""},
		{"requests timeout None", "import requests\nrequests.post(u, timeout=None)\n", "B113@2:ML"},
		{"requests timeout call", "import requests\nrequests.get(u, timeout=t())\n", "B113@2:ML"},
		{"requests timeout attr", "import requests\nrequests.get(u, timeout=cfg.t)\n", ""},
		{"requests alias", "import requests as r\nr.head(u)\n", "B113@2:ML"},
		{"requests session", "import requests\ns.get(u)\n", ""},
		{"requests not verb", "import requests\nrequests.request('GET', u)\n", ""},
		{"httpx no timeout", "import httpx\nhttpx.get(u)\n", ""},
		{"httpx timeout None", "import httpx\nhttpx.Client(timeout=None)\n", "B113@2:ML"},
		// B201
		{"flask debug", "from flask import Flask\napp = Flask(__name__)\napp.run(\n    debug=True)\n", "B201@4:HM"},
		{"flask no debug", "from flask import Flask\napp.run(debug=False)\n", ""},
		{"flask not imported", "app.run(debug=True)\n", ""},
		{"flask bare run", "import flask\nrun(debug=True)\n", ""},
		// B202
		{"tar extractall", "import tarfile\nt.extractall()\n", "B202@2:HH"},
		{"tar filter data", "import tarfile\nt.extractall(filter='data')\n", ""},
		{"tar filter other", "import tarfile\nt.extractall(filter='tar')\n", "B202@2:HH"},
		{"tar members func", "import tarfile\nt.extractall(members=safe(t))\n", "B202@2:LL"},
		{"tar members method", "import tarfile\nt.extractall(members=x.safe(t))\n", ""},
		{"tar members name", "import tarfile\nt.extractall(members=m)\n", "B202@2:MM"},
		{"tar not imported", "t.extractall()\n", ""},
		{"tar from import", "from tarfile import open\nt.extractall()\n", ""},
		// B501
		{"verify false", "import requests\nrequests.get(u, timeout=1,\n    verify=False)\n", "B501@3:HH"},
		{"verify true", "import requests\nrequests.get(u, timeout=1, verify=True)\n", ""},
		{"httpx verify false", "import httpx\nhttpx.stream('GET', u, verify=False)\n", "B501@2:HH"},
		{"other verify false", "session.get(u, verify=False)\n", ""},
		// B502, B504
		{"wrap_socket bad", "import ssl\nssl.wrap_socket(ssl_version=ssl.PROTOCOL_TLSv1)\n", "B502@2:HH"},
		{"wrap_socket good", "import ssl\nssl.wrap_socket(ssl_version=ssl.PROTOCOL_TLSv1_2)\n", ""},
		{"wrap_socket none", "import ssl\nssl.wrap_socket(s)\n", "B504@2:LM"},
		{"wrap_socket var", "import ssl\nssl.wrap_socket(ssl_version=v)\n", ""},
		{"SSL.Context bad", "from pyOpenSSL import SSL\nSSL.Context(method=SSL.SSLv3_METHOD)\n", "B502@2:HH"},
		{"OpenSSL.Context bad", "from OpenSSL import SSL\nSSL.Context(method=SSL.SSLv3_METHOD)\n", "B502@2:MM"},
		{"other bad", "f(x, ssl_version=PROTOCOL_SSLv2)\n", "B502@1:MM"},
		{"other good", "f(method=TLS_METHOD)\n", ""},
		// B503
		{"default bad", "import ssl\ndef f(a, v=ssl.PROTOCOL_SSLv2):\n    pass\n", "B503@2:MM"},
		{"default name", "def f(v=PROTOCOL_SSLv2):\n    pass\n", ""},
		{"default kwonly", "import ssl\ndef f(*, v=ssl.PROTOCOL_SSLv2):\n    pass\n", ""},
		{"default async", "import ssl\nasync def f(v=ssl.PROTOCOL_SSLv2):\n    pass\n", ""},
		{"default decorated", "import ssl\n@d\ndef f(v: int = SSL.TLSv1_METHOD):\n    pass\n", "B503@3:MM"},
		// B505
		{"rsa weak", "from cryptography.hazmat.primitives.asymmetric import rsa\nrsa.generate_private_key(65537, 1024)\n", "B505@2:MH"},
		{"rsa very weak kw", "from cryptography.hazmat.primitives.asymmetric import rsa\nrsa.generate_private_key(key_size=512)\n", "B505@2:HH"},
		{"rsa ok", "from cryptography.hazmat.primitives.asymmetric import rsa\nrsa.generate_private_key(65537, 2048)\n", ""},
		{"rsa default", "from cryptography.hazmat.primitives.asymmetric import rsa\nrsa.generate_private_key(65537)\n", ""},
		{"rsa zero falls back", "from cryptography.hazmat.primitives.asymmetric import rsa\nrsa.generate_private_key(key_size=0)\n", ""},
		{"rsa float", "from cryptography.hazmat.primitives.asymmetric import rsa\nrsa.generate_private_key(key_size=512.0)\n", "B505@2:HH"},
		{"rsa variable", "from cryptography.hazmat.primitives.asymmetric import rsa\nrsa.generate_private_key(key_size=n)\n", ""},
		{"dsa weak", "from cryptography.hazmat.primitives.asymmetric import dsa\ndsa.generate_private_key(1024)\n", "B505@2:MH"},
		{"ec weak", "from cryptography.hazmat.primitives.asymmetric import ec\nec.generate_private_key(ec.SECP192R1)\n", "B505@2:MH"},
		{"ec ok", "from cryptography.hazmat.primitives.asymmetric import ec\nec.generate_private_key(curve=ec.SECP256R1)\n", ""},
		{"ec called curve", "from cryptography.hazmat.primitives.asymmetric import ec\nec.generate_private_key(ec.SECT163K1())\n", ""},
		{"pycryptodome weak", "from Cryptodome.PublicKey import RSA\nRSA.generate(bits=1024)\n", "B505@2:MH"},
		// B507
		{"paramiko autoadd", "import paramiko\nc.set_missing_host_key_policy(paramiko.AutoAddPolicy())\n", "B507@2:HM"},
		{"paramiko warning name", "from paramiko import WarningPolicy\nc.set_missing_host_key_policy(WarningPolicy)\n", "B507@2:HM"},
		{"paramiko reject", "import paramiko\nc.set_missing_host_key_policy(paramiko.RejectPolicy())\n", ""},
		{"paramiko not imported", "c.set_missing_host_key_policy(AutoAddPolicy())\n", ""},
		// B508, B509
		{"snmp v1", "from pysnmp.hlapi import CommunityData\nCommunityData('public', mpModel=0)\n", "B508@2:MH"},
		{"snmp v2c", "from pysnmp.hlapi import CommunityData\nCommunityData('public', mpModel=1)\n", "B508@2:MH"},
		{"snmp v3", "from pysnmp.hlapi import CommunityData\nCommunityData('public', mpModel=2)\n", ""},
		{"snmp default", "from pysnmp.hlapi import CommunityData\nCommunityData('public')\n", ""},
		{"snmp noauth", "from pysnmp.hlapi import UsmUserData\nUsmUserData('n', 'a')\n", "B509@2:MH"},
		{"snmp authpriv", "from pysnmp.hlapi import UsmUserData\nUsmUserData('n', 'a', 'p')\n", ""},
		// blacklists
		{"B304 TripleDES", "from cryptography.hazmat.primitives.ciphers import algorithms\nalgorithms.TripleDES(k)\n", "B304@2:HH"},
		{"B304 SEED", "from cryptography.hazmat.primitives.ciphers import algorithms\nalgorithms.SEED(k)\n", "B304@2:HH"},
		{"B304 AES", "from cryptography.hazmat.primitives.ciphers import algorithms\nalgorithms.AES(k)\n", ""},
		{"B311 sample", "import random\nrandom.sample(p, 2)\nrandom.getrandbits(8)\n", "B311@2:LH B311@3:LH"},
		{"B311 SystemRandom", "import random\nrandom.SystemRandom()\n", ""},
		{"lxml removed", "import lxml.etree\nlxml.etree.parse(f)\n", ""},
		{"B413 pycrypto", "from Crypto.Cipher import AES\n", "B413@1:HH"},
		{"pycryptodomex", "from Cryptodome.Cipher import AES\n", ""},
		{"B412 httpoxy", "from wsgiref.handlers import CGIHandler\n", "B412@1:HH"},
		{"B415 pyghmi", "import pyghmi.ipmi\n", "B415@1:HH"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.ScanOne(core.Source{Name: tc.name, Code: tc.code})
			if r.Err != "" {
				t.Fatalf("error: %s", r.Err)
			}
			var got []string
			for _, f := range r.Findings {
				if netRuleID(f.TestID) {
					got = append(got, netFinding(f))
				}
			}
			if g := strings.Join(got, " "); g != tc.want {
				t.Errorf("got %q, want %q (all: %s)", g, tc.want, ids(r))
			}
		})
	}
}
