package kernel

import (
	"strings"
	"testing"
)

func TestParseParam(t *testing.T) {
	cases := []struct {
		in   string
		want Param
		err  bool
	}{
		{"smoke=true", Param{"smoke", "true"}, false},
		{"label=a=b", Param{"label", "a=b"}, false},
		{"empty=", Param{"empty", ""}, false},
		{" n =3", Param{"n", "3"}, false},
		{"noequals", Param{}, true},
		{"1x=2", Param{}, true},
		{"=2", Param{}, true},
	}
	for _, c := range cases {
		got, err := ParseParam(c.in)
		if (err != nil) != c.err || got != c.want {
			t.Errorf("ParseParam(%q) = %+v, %v; want %+v, error %v", c.in, got, err, c.want, c.err)
		}
	}
}

const paramsCell = `// Parameters: scrl notebooks run --param NAME=VALUE rewrites these.
var (
	smoke   = false // small settings for CI
	limit   = 0     // completions (0: all)
	alpha   = 0.6
	dataDir = "" // "" = ../shared/data
	url     = "https://example.com/x" // a // inside a string
	wait    = 30 * time.Second
	raw     = ` + "`a`" + `
)

var typed int = 7
const name = "x"
other := 1`

func TestRewriteParams(t *testing.T) {
	cases := []struct {
		name   string
		params []Param
		want   []string // lines that must appear
		err    string
	}{
		{"bool", []Param{{"smoke", "true"}}, []string{"\tsmoke   = true // small settings for CI"}, ""},
		{"bool 1", []Param{{"smoke", "1"}}, []string{"\tsmoke   = true // small"}, ""},
		{"int", []Param{{"limit", "40"}}, []string{"\tlimit   = 40     // completions (0: all)"}, ""},
		{"negative int", []Param{{"limit", "-1"}}, []string{"\tlimit   = -1 "}, ""},
		{"float", []Param{{"alpha", "0.5"}}, []string{"\talpha   = 0.5"}, ""},
		{"float from int", []Param{{"alpha", "1"}}, []string{"\talpha   = 1"}, ""},
		{"string bare", []Param{{"dataDir", "/data/x y"}}, []string{"\tdataDir = \"/data/x y\" // \"\" = ../shared/data"}, ""},
		{"string quoted", []Param{{"dataDir", `"/q"`}}, []string{"\tdataDir = \"/q\" //"}, ""},
		{"string with quote", []Param{{"dataDir", `a"b`}}, []string{`	dataDir = "a\"b" //`}, ""},
		{"string keeps comment after url", []Param{{"url", "u"}}, []string{"\turl     = \"u\" // a // inside a string"}, ""},
		{"raw string", []Param{{"raw", "b"}}, []string{"\traw     = \"b\""}, ""},
		{"expression", []Param{{"wait", "2 * time.Minute"}}, []string{"\twait    = 2 * time.Minute"}, ""},
		{"typed var", []Param{{"typed", "9"}}, []string{"var typed int = 9"}, ""},
		{"const", []Param{{"name", "y"}}, []string{`const name = "y"`}, ""},
		{"short decl", []Param{{"other", "2"}}, []string{"other := 2"}, ""},
		{"several", []Param{{"smoke", "true"}, {"limit", "40"}}, []string{"smoke   = true", "limit   = 40"}, ""},
		{"last wins", []Param{{"limit", "1"}, {"limit", "2"}}, []string{"limit   = 2 "}, ""},
		{"unknown", []Param{{"nope", "1"}}, nil, `parameter "nope" is not in the parameters cell (it sets: alpha, dataDir, limit, name, other, raw, smoke, typed, url, wait)`},
		{"bad bool", []Param{{"smoke", "yes"}}, nil, `parameter "smoke": want true or false, got "yes"`},
		{"bad int", []Param{{"limit", "4.5"}}, nil, `parameter "limit": want an integer, got "4.5"`},
		{"bad float", []Param{{"alpha", "x"}}, nil, `parameter "alpha": want a number`},
		{"bad expression", []Param{{"wait", "2 *"}}, nil, `parameter "wait": "2 *" is not a Go expression`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := RewriteParams(paramsCell, c.params)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("result lacks %q:\n%s", w, got)
				}
			}
			if n := strings.Count(got, "\n"); n != strings.Count(paramsCell, "\n") {
				t.Errorf("line count changed: %d vs %d", n, strings.Count(paramsCell, "\n"))
			}
		})
	}
}

func TestParamsOf(t *testing.T) {
	got := ParamsOf(paramsCell)
	want := map[string]string{"smoke": "false", "limit": "0", "alpha": "0.6", "dataDir": `""`, "url": `"https://example.com/x"`, "wait": "30 * time.Second", "raw": "`a`", "typed": "7", "name": `"x"`, "other": "1"}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

func TestSetParamsNotebook(t *testing.T) {
	nb, err := ReadNotebook("testdata/good.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	if i, ok := nb.ParametersCell(); !ok || i != 1 {
		t.Fatalf("parameters cell %d %v, want 1", i, ok)
	}
	if err := nb.SetParams([]Param{{"n", "5"}, {"smoke", "true"}}); err != nil {
		t.Fatal(err)
	}
	src := nb.Cells()[1].Source
	if !strings.Contains(src, "n     = 5") || !strings.Contains(src, "smoke = true // small settings") {
		t.Fatalf("parameters cell after SetParams:\n%s", src)
	}
	b, err := nb.JSON()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseNotebook("x", b)
	if err != nil {
		t.Fatal(err)
	}
	if back.Cells()[1].Source != src || len(back.Cells()) != len(nb.Cells()) {
		t.Fatal("notebook did not round-trip")
	}
	if err := nb.SetParams([]Param{{"missing", "1"}}); err == nil || !strings.Contains(err.Error(), `"missing"`) {
		t.Fatalf("unknown parameter: %v", err)
	}
	nb2, _ := ReadNotebook("testdata/good.ipynb")
	nb2.raw["cells"] = nb2.raw["cells"].([]any)[2:]
	if err := nb2.SetParams([]Param{{"smoke", "true"}}); err == nil || !strings.Contains(err.Error(), "no cell is tagged") {
		t.Fatalf("no parameters cell: %v", err)
	}
}

func TestParseNotebookErrors(t *testing.T) {
	for in, want := range map[string]string{
		`{`:                            "unexpected end",
		`{"nbformat": 3, "cells": []}`: "nbformat 3, want 4",
		`{"nbformat": 4}`:              "no cells",
	} {
		if _, err := ParseNotebook("x.ipynb", []byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err %v, want %q", in, err, want)
		}
	}
}
