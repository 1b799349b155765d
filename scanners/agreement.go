package scanners

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/securecoderl/securecoderl/scanners/native"
)

//go:embed testdata/corpus
var corpusFS embed.FS

// Expected is one hand-labelled finding of the corpus manifest.
type Expected struct {
	TestID string `json:"test_id"`
	Line   int    `json:"line"`
}

// Corpus is a set of labelled Python snippets: Expected[file] lists the
// findings upstream Bandit's rule definitions call for, written by hand.
type Corpus struct {
	Sources  []Source              `json:"sources"`
	Expected map[string][]Expected `json:"expected"`
}

// LoadCorpus reads *.py files and expected.json from dir.
func LoadCorpus(dir string) (*Corpus, error) {
	return loadCorpus(os.DirFS(dir))
}

// EmbeddedCorpus returns the corpus shipped in testdata/corpus.
func EmbeddedCorpus() (*Corpus, error) {
	sub, err := fs.Sub(corpusFS, "testdata/corpus")
	if err != nil {
		return nil, err
	}
	return loadCorpus(sub)
}

func loadCorpus(fsys fs.FS) (*Corpus, error) {
	c := &Corpus{}
	b, err := fs.ReadFile(fsys, "expected.json")
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	if err := json.Unmarshal(b, &c.Expected); err != nil {
		return nil, fmt.Errorf("corpus: expected.json: %w", err)
	}
	names, err := fs.Glob(fsys, "*.py")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	for _, n := range names {
		code, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		if _, ok := c.Expected[n]; !ok {
			return nil, fmt.Errorf("corpus: %s missing from expected.json", n)
		}
		c.Sources = append(c.Sources, Source{Name: filepath.Base(n), Code: string(code)})
	}
	for n := range c.Expected {
		if _, err := fs.Stat(fsys, n); err != nil {
			return nil, fmt.Errorf("corpus: expected.json lists missing file %s", n)
		}
	}
	return c, nil
}

// PR is a precision/recall count over (file, test id, line) triples.
type PR struct {
	TP        int     `json:"tp"`
	FP        int     `json:"fp"`
	FN        int     `json:"fn"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
}

func (p *PR) finish() {
	p.Precision, p.Recall = 1, 1
	if p.TP+p.FP > 0 {
		p.Precision = float64(p.TP) / float64(p.TP+p.FP)
	}
	if p.TP+p.FN > 0 {
		p.Recall = float64(p.TP) / float64(p.TP+p.FN)
	}
}

func (p *PR) add(q PR) { p.TP += q.TP; p.FP += q.FP; p.FN += q.FN }

// Rule classes in an AgreementReport.
const (
	// ClassOK: Bandit 1.6.2 runs the rule on Python 3.
	ClassOK = "ok"
	// ClassStrDefect: a string-literal rule Bandit 1.6.2 cannot see on
	// Python 3.8+ (B104, B105, B108, B608).
	ClassStrDefect = "str-defect"
)

// RuleAgreement is the per-rule part of an AgreementReport.
type RuleAgreement struct {
	TestID string `json:"test_id"`
	Class  string `json:"class"`
	// Positives is the number of corpus files expected to trigger the rule.
	Positives int `json:"positives"`
	Native    PR  `json:"native"`
	Bandit    PR  `json:"bandit"`
	// BanditFixed is Bandit with the string dispatch patched (only for
	// ClassStrDefect rules, when a patched scanner was given).
	BanditFixed *PR `json:"bandit_fixed,omitempty"`
	// Agree/Decisions count (file, rule) decisions on which native and
	// Bandit (patched Bandit for ClassStrDefect) agree.
	Agree     int `json:"agree"`
	Decisions int `json:"decisions"`
}

// Disagreement is one (file, rule) decision native and Bandit differ on.
type Disagreement struct {
	File   string `json:"file"`
	TestID string `json:"test_id"`
	Native bool   `json:"native"`
	Bandit bool   `json:"bandit"`
	// Expected is what the hand labels say; when it sides with native the
	// difference is an upstream-vs-1.6.2 rule change.
	Expected bool `json:"expected"`
}

// AgreementReport compares native and Bandit with the hand labels.
type AgreementReport struct {
	Files  int             `json:"files"`
	Rules  []RuleAgreement `json:"rules"`
	Native PR              `json:"native_total"`
	// Bandit totals exclude ClassStrDefect rules (see BanditDefect).
	Bandit       PR `json:"bandit_total"`
	BanditDefect PR `json:"bandit_str_defect_total"`
	// Agreement over all (file, rule) decisions of ClassOK rules, and over
	// the decisions where at least one side found something.
	Agree         int            `json:"agree"`
	Decisions     int            `json:"decisions"`
	Rate          float64        `json:"rate"`
	PositiveAgree int            `json:"positive_agree"`
	PositiveTotal int            `json:"positive_total"`
	PositiveRate  float64        `json:"positive_rate"`
	DefectAgree   int            `json:"str_defect_agree"`
	DefectTotal   int            `json:"str_defect_decisions"`
	DefectRate    float64        `json:"str_defect_rate"`
	Disagreements []Disagreement `json:"disagreements"`
	ScanErrors    []string       `json:"scan_errors,omitempty"`
	Notes         []string       `json:"notes"`
}

type triple struct {
	file, id string
	line     int
}

// normalizeBandit maps Bandit 1.6.2 ids to upstream ones where upstream
// only renamed the check: hashlib.md5/sha1 were blacklist B303 in 1.6 and
// are plugin B324 upstream.
func normalizeBandit(f Finding) string {
	if f.TestID == "B303" && strings.HasPrefix(f.Ident, "hashlib.") {
		return "B324"
	}
	return f.TestID
}

// Agreement scans the corpus with native and bandit (and, when not nil,
// banditFixed: Bandit with Options.FixStrDispatch) and compares them with
// the hand labels and with each other, over the rules native implements.
func Agreement(ctx context.Context, c *Corpus, nat, bnd, banditFixed Scanner) (*AgreementReport, error) {
	rules := native.Rules()
	isRule := map[string]bool{}
	for _, r := range rules {
		isRule[r] = true
	}
	strDefect := map[string]bool{"B104": true, "B105": true, "B108": true, "B608": true}

	collect := func(s Scanner, norm func(Finding) string) (map[triple]bool, []string, error) {
		reps, err := s.Scan(ctx, c.Sources)
		if err != nil {
			return nil, nil, err
		}
		set := map[triple]bool{}
		var errs []string
		for i, r := range reps {
			if r.Err != "" {
				errs = append(errs, fmt.Sprintf("%s: %s: %s", s.Name(), c.Sources[i].Name, r.Err))
			}
			for _, f := range r.Findings {
				id := f.TestID
				if norm != nil {
					id = norm(f)
				}
				if isRule[id] {
					set[triple{c.Sources[i].Name, id, f.Line}] = true
				}
			}
		}
		return set, errs, nil
	}
	expected := map[triple]bool{}
	for file, exps := range c.Expected {
		for _, e := range exps {
			expected[triple{file, e.TestID, e.Line}] = true
		}
	}
	nSet, nErrs, err := collect(nat, nil)
	if err != nil {
		return nil, err
	}
	bSet, bErrs, err := collect(bnd, normalizeBandit)
	if err != nil {
		return nil, err
	}
	var fSet map[triple]bool
	var fErrs []string
	if banditFixed != nil {
		if fSet, fErrs, err = collect(banditFixed, normalizeBandit); err != nil {
			return nil, err
		}
	}
	rep := &AgreementReport{Files: len(c.Sources)}
	rep.ScanErrors = append(append(append(rep.ScanErrors, nErrs...), bErrs...), fErrs...)

	pr := func(got map[triple]bool, id string) PR {
		var p PR
		for t := range got {
			if t.id != id {
				continue
			}
			if expected[t] {
				p.TP++
			} else {
				p.FP++
			}
		}
		for t := range expected {
			if t.id == id && !got[t] {
				p.FN++
			}
		}
		p.finish()
		return p
	}
	fires := func(set map[triple]bool) map[[2]string]bool {
		m := map[[2]string]bool{}
		for t := range set {
			m[[2]string{t.file, t.id}] = true
		}
		return m
	}
	nFire, bFire, eFire := fires(nSet), fires(bSet), fires(expected)
	fFire := fires(fSet)

	for _, id := range rules {
		ra := RuleAgreement{TestID: id, Class: ClassOK, Native: pr(nSet, id), Bandit: pr(bSet, id)}
		if strDefect[id] {
			ra.Class = ClassStrDefect
		}
		other := bFire
		if ra.Class == ClassStrDefect && fSet != nil {
			p := pr(fSet, id)
			ra.BanditFixed = &p
			other = fFire
		}
		for _, src := range c.Sources {
			k := [2]string{src.Name, id}
			if eFire[k] {
				ra.Positives++
			}
			ra.Decisions++
			if nFire[k] == other[k] {
				ra.Agree++
			} else {
				rep.Disagreements = append(rep.Disagreements, Disagreement{File: src.Name, TestID: id, Native: nFire[k], Bandit: other[k], Expected: eFire[k]})
			}
			if ra.Class == ClassOK && (nFire[k] || other[k]) {
				rep.PositiveTotal++
				if nFire[k] == other[k] {
					rep.PositiveAgree++
				}
			}
		}
		rep.Native.add(ra.Native)
		if ra.Class == ClassOK {
			rep.Bandit.add(ra.Bandit)
			rep.Agree += ra.Agree
			rep.Decisions += ra.Decisions
		} else {
			rep.BanditDefect.add(ra.Bandit)
			if fSet != nil {
				rep.DefectAgree += ra.Agree
				rep.DefectTotal += ra.Decisions
			}
		}
		// keep rules that occur somewhere in the corpus
		if ra.Positives > 0 || ra.Native.TP+ra.Native.FP > 0 || ra.Bandit.TP+ra.Bandit.FP > 0 {
			rep.Rules = append(rep.Rules, ra)
		}
	}
	rep.Native.finish()
	rep.Bandit.finish()
	rep.BanditDefect.finish()
	ratio := func(a, b int) float64 {
		if b == 0 {
			return 1
		}
		return float64(a) / float64(b)
	}
	rep.Rate = ratio(rep.Agree, rep.Decisions)
	rep.PositiveRate = ratio(rep.PositiveAgree, rep.PositiveTotal)
	rep.DefectRate = ratio(rep.DefectAgree, rep.DefectTotal)
	rep.Notes = []string{
		"precision/recall count (file, test id, line) triples against expected.json (upstream Bandit definitions)",
		"agreement counts (file, rule) decisions over the rules the native scanner implements; Bandit 1.6.2 B303 findings on hashlib.* are counted as B324 (upstream moved them)",
		"str-defect rules (B104, B105, B108, B608) are invisible to Bandit 1.6.2 on Python 3.8+ (ast.Str vs ast.Constant); they are compared with the patched worker (FixStrDispatch) when available",
		"remaining disagreements with expected=native are upstream rule changes since 1.6.2 (B103 S_IWGRP/S_IXOTH, B311 random.Random/choices, B324 sha1/usedforsecurity/crypt, B403/B301 shelve, B411 xmlrpc, B415, B506 positional SafeLoader, subprocess.getoutput, B310 without Python 2 urllib/urllib2 names, B312/B321 only telnetlib.Telnet/ftplib.FTP; rules added after 1.6.2: B113, B202, B508, B509, B612–B615, B704; B501 also on httpx, B502/B503 also TLS 1.1, B507 policy calls such as AutoAddPolicy(), B311 random.sample/getrandbits; B320/B410 (lxml) removed upstream)",
	}
	return rep, nil
}

// String renders the report as a table.
func (r *AgreementReport) String() string {
	var b strings.Builder
	pct := func(x float64) string { return fmt.Sprintf("%5.1f%%", 100*x) }
	fmt.Fprintf(&b, "corpus: %d files\n", r.Files)
	fmt.Fprintf(&b, "%-6s %-10s %4s | %-22s | %-22s | %-22s | %s\n", "rule", "class", "pos", "native P/R", "bandit-1.6.2 P/R", "bandit-fixed P/R", "agree")
	for _, ra := range r.Rules {
		fixed := "-"
		if ra.BanditFixed != nil {
			fixed = pct(ra.BanditFixed.Precision) + " / " + pct(ra.BanditFixed.Recall)
		}
		fmt.Fprintf(&b, "%-6s %-10s %4d | %s / %s | %s / %s | %-22s | %d/%d\n", ra.TestID, ra.Class, ra.Positives,
			pct(ra.Native.Precision), pct(ra.Native.Recall), pct(ra.Bandit.Precision), pct(ra.Bandit.Recall), fixed, ra.Agree, ra.Decisions)
	}
	fmt.Fprintf(&b, "native vs expected: precision %s recall %s (tp %d fp %d fn %d)\n", pct(r.Native.Precision), pct(r.Native.Recall), r.Native.TP, r.Native.FP, r.Native.FN)
	fmt.Fprintf(&b, "bandit vs expected (ok rules): precision %s recall %s (tp %d fp %d fn %d)\n", pct(r.Bandit.Precision), pct(r.Bandit.Recall), r.Bandit.TP, r.Bandit.FP, r.Bandit.FN)
	fmt.Fprintf(&b, "bandit vs expected (str-defect rules): precision %s recall %s (tp %d fp %d fn %d)\n", pct(r.BanditDefect.Precision), pct(r.BanditDefect.Recall), r.BanditDefect.TP, r.BanditDefect.FP, r.BanditDefect.FN)
	fmt.Fprintf(&b, "native vs bandit agreement (ok rules): %d/%d = %s; on decisions where either fires: %d/%d = %s\n", r.Agree, r.Decisions, pct(r.Rate), r.PositiveAgree, r.PositiveTotal, pct(r.PositiveRate))
	if r.DefectTotal > 0 {
		fmt.Fprintf(&b, "native vs patched bandit (str-defect rules): %d/%d = %s\n", r.DefectAgree, r.DefectTotal, pct(r.DefectRate))
	}
	for _, d := range r.Disagreements {
		fmt.Fprintf(&b, "  disagree %-24s %s native=%v bandit=%v expected=%v\n", d.File, d.TestID, d.Native, d.Bandit, d.Expected)
	}
	for _, e := range r.ScanErrors {
		fmt.Fprintf(&b, "  scan error: %s\n", e)
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	return b.String()
}
