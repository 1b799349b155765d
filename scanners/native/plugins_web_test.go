package native

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/securecoderl/securecoderl/scanners/core"
)

// TestWebExamples scans the upstream example files of the injection,
// web-framework and supply-chain plugins and compares the per-file
// severity/confidence counts with upstream's expectations (the test
// method of tests/functional/test_functional.py is named per case).
func TestWebExamples(t *testing.T) {
	dir := examplesDir(t)
	skipB308 := core.Options{HonorNosec: true, Skip: []string{"B308"}}
	for _, tc := range []struct {
		file     string
		upstream string // upstream test method the expectation comes from
		opts     core.Options
		sev      [3]int // LOW, MEDIUM, HIGH
		conf     [3]int
	}{
		{"paramiko_injection.py", "test_paramiko_injection", core.Options{}, [3]int{0, 1, 0}, [3]int{0, 1, 0}},
		{"wildcard-injection.py", "test_wildcard_injection", core.Options{}, [3]int{10, 0, 4}, [3]int{0, 5, 9}},
		{"django_sql_injection_extra.py", "test_django_sql_injection", core.Options{}, [3]int{0, 11, 0}, [3]int{0, 11, 0}},
		{"django_sql_injection_raw.py", "test_django_sql_injection_raw", core.Options{}, [3]int{0, 6, 0}, [3]int{0, 6, 0}},
		// not in test_functional.py: the plugin's documented example
		{"logging_config_insecure_listen.py", "(B612 docstring)", core.Options{}, [3]int{0, 1, 0}, [3]int{0, 0, 1}},
		{"trojansource.py", "test_trojansource", core.Options{}, [3]int{0, 0, 1}, [3]int{0, 1, 0}},
		{"trojansource_latin1.py", "test_trojansource_latin1", core.Options{}, [3]int{}, [3]int{}},
		{"pytorch_load.py", "test_pytorch_load", core.Options{}, [3]int{0, 3, 0}, [3]int{0, 0, 3}},
		{"huggingface_unsafe_download.py", "test_huggingface_unsafe_download", core.Options{}, [3]int{0, 15, 0}, [3]int{0, 0, 15}},
		{"jinja2_templating.py", "test_jinja2_templating", core.Options{}, [3]int{0, 0, 5}, [3]int{0, 2, 3}},
		{"mako_templating.py", "test_mako_templating", core.Options{}, [3]int{0, 3, 0}, [3]int{0, 0, 3}},
		{"mark_safe.py", "test_mark_safe", core.Options{}, [3]int{0, 1, 0}, [3]int{0, 0, 1}},
		{"mark_safe_secure.py", "test_django_xss_secure (profile excludes B308)", skipB308, [3]int{}, [3]int{}},
		{"mark_safe_insecure.py", "test_django_xss_insecure (profile excludes B308)", skipB308, [3]int{0, 29, 0}, [3]int{0, 0, 29}},
		{"markupsafe_markup_xss.py", "test_markupsafe_markup_xss", core.Options{}, [3]int{0, 4, 0}, [3]int{0, 0, 4}},
		{"markupsafe_markup_xss_extend_markup_names.py", "test_markupsafe_markup_xss_extend_markup_names",
			core.Options{Plugins: core.PluginConfig{MarkupExtendNames: []string{"webhelpers.html.literal"}}}, [3]int{0, 2, 0}, [3]int{0, 0, 2}},
		{"markupsafe_markup_xss_allowed_calls.py", "test_markupsafe_markup_xss_allowed_calls",
			core.Options{Plugins: core.PluginConfig{MarkupAllowedCalls: []string{"bleach.clean"}}}, [3]int{0, 1, 0}, [3]int{0, 0, 1}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			code, err := os.ReadFile(filepath.Join(dir, tc.file))
			if err != nil {
				t.Skipf("example missing: %v", err)
			}
			opts := tc.opts
			opts.HonorNosec = true // upstream's manager honours "# nosec"
			s, err := New(opts)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			r := s.ScanOne(core.Source{Name: tc.file, Code: string(code)})
			if r.Err != "" {
				t.Fatalf("scan error: %s", r.Err)
			}
			c := countLevels(r)
			if sev, conf := lmh(c[0]), lmh(c[1]); sev != tc.sev || conf != tc.conf {
				t.Errorf("%s: severity L/M/H %v, confidence %v; upstream %s expects %v, %v\nfindings: %s",
					tc.file, sev, conf, tc.upstream, tc.sev, tc.conf, ids(r))
			}
		})
	}
}

// TestWebRules checks each plugin on small positive and negative snippets.
func TestWebRules(t *testing.T) {
	type rc struct{ name, code, want string }
	run := func(t *testing.T, opts core.Options, cases []rc) {
		t.Helper()
		s, err := New(opts)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := s.ScanOne(core.Source{Name: tc.name, Code: tc.code})
				if r.Err != "" {
					t.Fatalf("error: %s", r.Err)
				}
				var got []string
				for _, id := range strings.Fields(ids(r)) {
					if strings.HasPrefix(id, "B6") || strings.HasPrefix(id, "B7") {
						got = append(got, id)
					}
				}
				if g := strings.Join(got, " "); g != tc.want {
					t.Errorf("got %q, want %q (all: %s)", g, tc.want, ids(r))
				}
			})
		}
	}
	// B60x findings of the shell plugins are filtered out below where the
	// snippet triggers them, by listing only the ids of interest.
	run(t, core.Options{}, []rc{
		// B601
		{"paramiko", "import paramiko\nc.exec_command(x)\n", "B601@2"},
		{"paramiko like import", "from paramiko import client\nc.exec_command(x)\n", "B601@2"},
		{"paramiko not imported", "c.exec_command(x)\n", ""},
		{"paramiko import after", "c.exec_command(x)\nimport paramiko\n", ""},
		// B610
		{"extra literal", "q.extra(select={'a': 'b'}, where=['x'], tables=['t'])\n", ""},
		{"extra var where", "q.extra(where=w)\n", "B610@1"},
		{"extra var in where", "q.extra(where=[w])\n", "B610@1"},
		{"extra positional tables", "q.extra(None, ['a'], None, [t])\n", "B610@1"},
		{"extra select splat", "q.extra(select={**d})\n", "B610@1"},
		{"extra select fstring", "q.extra(select={'a': f'{x}'})\n", "B610@1"},
		{"extra nothing", "q.extra(order_by=x)\n", ""},
		// B611
		{"rawsql literal", "from django.db.models import RawSQL\nRawSQL('x', [])\n", ""},
		{"rawsql var", "from django.db.models import RawSQL\nRawSQL(q, [])\n", "B611@2"},
		{"rawsql kw", "from django.db.models import RawSQL\nRawSQL(params=[], sql=q)\n", "B611@2"},
		{"rawsql no sql", "from django.db.models import RawSQL\nRawSQL(params=[])\n", ""},
		{"rawsql not imported", "RawSQL(q, [])\n", ""},
		// B612
		{"listen", "import logging.config\nlogging.config.listen(9999)\n", "B612@2"},
		{"listen verify", "import logging.config\nlogging.config.listen(9999, verify=v)\n", ""},
		{"listen alias", "from logging import config\nconfig.listen()\n", "B612@2"},
		// B614
		{"torch load", "import torch\ntorch.load(f)\n", "B614@2"},
		{"torch weights_only", "import torch\ntorch.load(f, weights_only=True)\n", ""},
		{"torch weights_only false", "import torch\ntorch.load(f, weights_only=False)\n", "B614@2"},
		{"torch serialization", "import torch\ntorch.serialization.load(f)\n", "B614@2"},
		{"torch from import", "from torch import load\nload(f)\n", ""},
		// B615
		{"hf no revision", "from transformers import AutoModel\nAutoModel.from_pretrained('org/m')\n", "B615@2"},
		{"hf branch", "from datasets import load_dataset\nload_dataset('d', revision='main')\n", "B615@2"},
		{"hf commit", "from datasets import load_dataset\nload_dataset('d', revision='abcdef1')\n", ""},
		{"hf commit_id", "from huggingface_hub import snapshot_download\nsnapshot_download(repo_id='r', commit_id='5d0f2e8a')\n", ""},
		{"hf variable revision", "from transformers import AutoModel\nAutoModel.from_pretrained('o/m', revision=REV)\n", ""},
		{"hf local path", "from transformers import AutoModel\nAutoModel.from_pretrained('../m')\n", ""},
		{"hf not imported", "AutoModel.from_pretrained('org/m')\n", ""},
		{"hf module not in name", "import transformers\nmodel.from_pretrained('org/m')\n", ""},
		{"hf revision None", "from transformers import AutoModel\nAutoModel.from_pretrained('o/m', revision=None)\n", "B615@2"},
		// B701
		{"jinja default", "import jinja2\njinja2.Environment(loader=l)\n", "B701@2"},
		{"jinja false", "from jinja2 import Environment\nEnvironment(autoescape=False)\n", "B701@2"},
		{"jinja true", "from jinja2 import Environment\nEnvironment(autoescape=True)\n", ""},
		{"jinja select", "import jinja2\njinja2.Environment(autoescape=jinja2.select_autoescape())\n", ""},
		{"jinja variable", "import jinja2\njinja2.Environment(autoescape=x)\n", "B701@2"},
		{"jinja nested keyword", "import jinja2\njinja2.Environment(loader=f(autoescape=True))\n", ""},
		{"jinja not jinja", "Environment(loader=l)\n", ""},
		// B702
		{"mako", "from mako.template import Template\nTemplate('x')\n", "B702@2"},
		{"mako attribute", "import mako\nmako.template.Template('x')\n", "B702@2"},
		{"not mako", "from string import Template\nTemplate('x')\n", ""},
		// B704
		{"markup fstring", "from markupsafe import Markup\nMarkup(f'{x}')\n", "B704@2"},
		{"markup constant", "from markupsafe import Markup\nMarkup('x')\n", ""},
		{"markup bytes constant", "import flask\nflask.Markup(b'x')\n", ""},
		{"markup no args", "from markupsafe import Markup\nMarkup(object=x)\n", ""},
		{"markup not configured", "from webhelpers.html import literal\nliteral(x)\n", ""},
	})
	run(t, core.Options{Plugins: core.PluginConfig{
		MarkupExtendNames:  []string{"webhelpers.html.literal"},
		MarkupAllowedCalls: []string{"bleach.clean"},
	}}, []rc{
		{"markup extend", "from webhelpers.html import literal\nliteral(x)\n", "B704@2"},
		{"markup allowed", "from bleach import clean\nfrom markupsafe import Markup\nMarkup(clean(x))\n", ""},
		{"markup other call", "from markupsafe import Markup\nMarkup(dirty(x))\n", "B704@2"},
	})
}

// TestWebWildcard checks B609 on its own (the shell plugins also report
// on these calls).
func TestWebWildcard(t *testing.T) {
	s, err := New(core.Options{Skip: []string{"B404", "B602", "B603", "B604", "B605", "B606", "B607"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkIDs(t, s, []idCase{
		{"os.system", "import os\nos.system('tar cf x *')\n", "B609@2"},
		{"no wildcard", "import os\nos.system('tar cf x y')\n", ""},
		{"other command", "import os\nos.system('ls *')\n", ""},
		{"shell list", "import os\nos.popen(['chmod', '*'])\n", "B609@2"},
		{"nested list", "import os\nos.popen([['chown'], '*'])\n", "B609@2"},
		{"tuple arg", "import os\nos.popen(('chmod', '*'))\n", ""},
		{"subprocess needs shell", "import subprocess\nsubprocess.Popen('chmod *')\n", ""},
		{"subprocess shell", "import subprocess\nsubprocess.Popen('chmod *',\n  shell=True)\n", "B609@3"},
		{"no_shell ignored", "import os\nos.execl('chmod *')\n", ""},
	})
}

// TestWebMarkSafe checks B703's scope analysis (django_xss).
func TestWebMarkSafe(t *testing.T) {
	s, err := New(core.Options{Skip: []string{"B308"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const imp = "from django.utils import safestring\n"
	checkIDs(t, s, []idCase{
		{"literal", imp + "safestring.mark_safe('x')\n", ""},
		{"not imported", "mark_safe(x)\n", ""},
		{"unknown name", imp + "safestring.mark_safe(x)\n", "B703@2"},
		{"assigned literal", imp + "x = 'a'\nsafestring.mark_safe(x)\n", ""},
		{"assigned later", imp + "safestring.mark_safe(x)\nx = 'a'\n", "B703@2"},
		{"assigned call", imp + "x = f()\nsafestring.mark_safe(x)\n", "B703@3"},
		{"reassigned insecure", imp + "x = 'a'\nx = y\nsafestring.mark_safe(x)\n", "B703@4"},
		{"param", imp + "def f(x):\n    safestring.mark_safe(x)\n", "B703@3"},
		{"param shadowed by assign", imp + "def f(x):\n    x = 'a'\n    safestring.mark_safe(x)\n", "B703@4"},
		{"kwonly param is not args", imp + "def f(*, x):\n    x = 'a'\n    safestring.mark_safe(x)\n", ""},
		{"format literal", imp + "safestring.mark_safe('{}'.format('a'))\n", ""},
		{"format keywords", imp + "safestring.mark_safe('{a}'.format(a='b'))\n", "B703@2"},
		{"format starred", imp + "x = 'a'\nsafestring.mark_safe('{}{}'.format(*[x, 'b']))\n", ""},
		{"percent tuple", imp + "x = 'a'\nsafestring.mark_safe('%s %s' % (x, 'b'))\n", ""},
		{"percent dict", imp + "safestring.mark_safe('%(a)s' % {'a': 'b'})\n", "B703@2"},
		{"percent var", imp + "safestring.mark_safe('%s' % y)\n", "B703@2"},
		{"if branches", imp + "if c:\n    x = 'a'\nelif d:\n    x = 'b'\nelse:\n    x = y\nsafestring.mark_safe(x)\n", "B703@8"},
		{"with target", imp + "with open(p) as x:\n    pass\nsafestring.mark_safe(x)\n", "B703@4"},
		{"tuple assign", imp + "x, y = 'a', 'b'\nsafestring.mark_safe(x)\n", ""},
		{"tuple assign crash", imp + "a.b, x = 'a', 'b'\nsafestring.mark_safe(x)\n", ""},
		{"tuple assign short", imp + "y, x = ('a',)\nsafestring.mark_safe(x)\n", ""},
		{"no positional arg", imp + "safestring.mark_safe(s=x)\n", ""},
		{"chained name", imp + "x = 'a'\ny = x\nsafestring.mark_safe(y)\n", ""},
		{"augassign", imp + "x = 'a'\nx += y\nsafestring.mark_safe(x)\n", "B703@4"},
		{"nested def assigns", imp + "x = 'a'\ndef g():\n    x = y\nsafestring.mark_safe(x)\n", "B703@5"},
	})
}

// TestWebTrojanSource checks B613's decoding and positions.
func TestWebTrojanSource(t *testing.T) {
	s, err := New(core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tc := range []struct {
		name, code string
		want       string
		col        int
	}{
		{"rlo in string", "x = 1\ns = 'ab\u202ecd'\n", "B613@2", 8},
		{"first listed char wins per line", "s = '\u2066a\u202a'\n", "B613@1", 8},
		{"one per file", "a = '\u202e'\nb = '\u202e'\n", "B613@1", 6},
		{"rlm", "# \u200f\n", "B613@1", 3},
		{"none", "s = 'abc'\n", "", 0},
		{"latin-1 bytes", "# -*- coding: latin-1 -*-\ns = '\xe2\x80\xae'\n", "", 0},
		{"cp1255 rlm", "# coding: cp1255\ns = '\xfe'\n", "B613@2", 6},
		{"cookie on second line", "#!/usr/bin/env python\n# vim: set fileencoding=latin-1 :\ns = '\xe2\x80\xae'\n", "", 0},
		{"cookie after code ignored", "x = 1\n# coding: latin-1\ns = '\u202e'\n", "B613@3", 6},
		{"form feed splits lines", "x = 1 \f # \u202e\n", "B613@2", 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.ScanOne(core.Source{Name: tc.name, Code: tc.code})
			got := ""
			col := 0
			for _, f := range r.Findings {
				if f.TestID == "B613" {
					got = ids(core.Report{Findings: []core.Finding{f}})
					col = f.Col
				}
			}
			if got != tc.want || col != tc.col {
				t.Errorf("got %q col %d, want %q col %d (err %q)", got, col, tc.want, tc.col, r.Err)
			}
		})
	}
}
