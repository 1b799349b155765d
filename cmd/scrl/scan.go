package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/securecoderl/securecoderl/sandbox"
	"github.com/securecoderl/securecoderl/scanners"
	scanreport "github.com/securecoderl/securecoderl/scanners/report"
	"github.com/securecoderl/securecoderl/stdlib/apps"
	"github.com/securecoderl/securecoderl/stdlib/judge"
	"github.com/securecoderl/securecoderl/stdlib/reward"
	"github.com/securecoderl/securecoderl/stdlib/scoring"
)

type scanFlags struct {
	scanner  string
	keepB322 bool
}

func (s *scanFlags) register(fs interface {
	StringVar(*string, string, string, string)
	BoolVar(*bool, string, bool, string)
}) {
	fs.StringVar(&s.scanner, "scanner", "bandit", "security scanner: bandit, native or regex")
	fs.BoolVar(&s.keepB322, "keep-b322", false, "keep Bandit 1.6.2's B322 (every input() flagged HIGH; removed upstream in 1.7)")
}

func (s *scanFlags) open() (scanners.Scanner, error) {
	sc, err := scanners.New(s.scanner, scanners.Options{KeepB322: s.keepB322})
	if err != nil {
		return nil, usageError{err.Error()}
	}
	return sc, nil
}

func runScan(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "scan", "scan [--scanner bandit|native|regex] [--format text|json|sarif] [--severity low|medium|high] [--confidence low|medium|high] [--honor-nosec] FILE.py|DIR...")
	var sf scanFlags
	sf.register(fs)
	format := fs.String("format", "text", "output: "+strings.Join(scanreport.Formats, ", ")+" (json is Bandit's schema, sarif is SARIF 2.1.0)")
	asJSON := fs.Bool("json", false, "same as --format json")
	severity := fs.String("severity", "low", "report findings of at least this severity; exit status 1 when any is left (as bandit)")
	confidence := fs.String("confidence", "low", "report findings of at least this confidence")
	honorNosec := fs.Bool("honor-nosec", false, "honour # nosec comments (Bandit-compatible mode; rewards never do: a scored program must not silence its own penalty)")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("want at least one FILE.py or directory")
	}
	if *asJSON {
		*format = "json"
	}
	if !slices.Contains(scanreport.Formats, *format) {
		return usagef("--format %q: want %s", *format, strings.Join(scanreport.Formats, ", "))
	}
	opt := scanreport.Options{}
	if opt.Severity, err = scanreport.ParseLevel(*severity); err != nil {
		return usagef("--severity: %v", err)
	}
	if opt.Confidence, err = scanreport.ParseLevel(*confidence); err != nil {
		return usagef("--confidence: %v", err)
	}
	srcs, unread := readScanSources(files)
	sc, err := scanners.New(sf.scanner, scanners.Options{KeepB322: sf.keepB322, HonorNosec: *honorNosec})
	if err != nil {
		return usageError{err.Error()}
	}
	defer scanners.Close(sc)
	var reps []scanners.Report
	if len(srcs) > 0 {
		if reps, err = sc.Scan(ctx, srcs); err != nil {
			return err
		}
	}
	reps = append(reps, unread...)
	opt.Tool = sc.Name()
	if err := scanreport.Write(e.stdout, *format, reps, opt); err != nil {
		return err
	}
	if *format == "text" {
		notes := map[string]bool{}
		for _, r := range reps {
			for _, n := range r.Notes {
				notes[n] = true
			}
		}
		for _, n := range sortedKeys(notes) {
			fmt.Fprintf(e.stdout, "note (%s): %s\n", sc.Name(), n)
		}
	}
	if scanreport.Count(reps, opt) > 0 {
		return exitStatus{1}
	}
	return nil
}

// banditExcluded: the directories bandit -r leaves out by default
// (.svn, CVS, .bzr, .hg, .git, __pycache__, .tox, .eggs, *.egg).
func banditExcluded(dir string) bool {
	switch dir {
	case ".svn", "CVS", ".bzr", ".hg", ".git", "__pycache__", ".tox", ".eggs":
		return true
	}
	return strings.HasSuffix(dir, ".egg")
}

// readScanSources reads the files to scan: a directory is walked for *.py
// files (sorted, without bandit -r's default excluded directories); a file
// or directory that cannot be read becomes a report with its error, and
// the rest is still scanned.
func readScanSources(args []string) ([]scanners.Source, []scanners.Report) {
	var srcs []scanners.Source
	var bad []scanners.Report
	add := func(path string) {
		b, err := os.ReadFile(path)
		if err != nil {
			bad = append(bad, scanners.Report{Source: path, Err: "cannot read: " + err.Error()})
			return
		}
		srcs = append(srcs, scanners.Source{Name: path, Code: string(b)})
	}
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil {
			bad = append(bad, scanners.Report{Source: a, Err: "cannot read: " + err.Error()})
			continue
		}
		if !fi.IsDir() {
			add(a)
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				bad = append(bad, scanners.Report{Source: p, Err: "cannot read: " + err.Error()})
				return nil
			}
			if d.IsDir() && p != a && banditExcluded(d.Name()) {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(p, ".py") {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			bad = append(bad, scanners.Report{Source: a, Err: "cannot read: " + err.Error()})
		}
		if len(found) == 0 {
			bad = append(bad, scanners.Report{Source: a, Err: "directory holds no .py files"})
		}
		sort.Strings(found)
		for _, p := range found {
			add(p)
		}
	}
	return srcs, bad
}

// completion is one line of a completions file.
type completion struct {
	ID         string
	Prompt     string
	Completion string
	Raw        map[string]json.RawMessage
	Line       int
}

func readCompletions(path string) ([]completion, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("completions: %w", err)
	}
	defer f.Close()
	var out []completion
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal([]byte(text), &raw); err != nil {
			return nil, fmt.Errorf("%s: line %d: malformed JSON: %w", path, line, err)
		}
		c := completion{Raw: raw, Line: line}
		str := func(k string) string {
			var s string
			if v, ok := raw[k]; ok {
				if json.Unmarshal(v, &s) != nil {
					var n json.Number
					if json.Unmarshal(v, &n) == nil {
						s = n.String()
					}
				}
			}
			return s
		}
		c.ID = str("prompt_id")
		if c.ID == "" {
			c.ID = str("problem_id")
		}
		c.Prompt, c.Completion = str("prompt"), str("completion")
		if c.ID == "" {
			return nil, fmt.Errorf("%s: line %d: field prompt_id/problem_id: missing", path, line)
		}
		if _, ok := raw["completion"]; !ok {
			return nil, fmt.Errorf("%s: line %d: field completion: missing", path, line)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no completions", path)
	}
	return out, nil
}

// scored is one output line of `scrl score`.
type scored struct {
	ID          string              `json:"id"`
	Line        int                 `json:"line"`
	TestsFrom   string              `json:"tests_from"` // "data" or "statement"
	Extraction  apps.Extraction     `json:"extraction"`
	Verdicts    []sandbox.Verdict   `json:"verdicts"`
	Passed      int                 `json:"passed"`
	Total       int                 `json:"total"`
	Bucket      sandbox.Verdict     `json:"bucket"`
	Syntax      *sandbox.SyntaxInfo `json:"syntax,omitempty"`
	Stage       reward.Stage        `json:"stage"`
	RFunc       float64             `json:"r_func"`
	FuncExplain string              `json:"func_explain"`
	Findings    []scanners.Finding  `json:"findings"`
	ScanError   string              `json:"scan_error,omitempty"`
	RSec        float64             `json:"r_sec"`
	SecClean    bool                `json:"sec_clean"` // nothing counted at the threshold and no scanner failure on valid Python (scoring.Result.SecClean)
	SecExplain  string              `json:"sec_explain"`
	R           float64             `json:"r"`
	Study       map[string]any      `json:"study,omitempty"` // the file's own recorded scores, for comparison
	FirstFail   *judge.Failure      `json:"first_failure,omitempty"`
	judged      judge.Result
	report      scanners.Report
	programNote string
}

func runScore(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "score", "score [--data PROBLEMS] --completions FILE.jsonl [--reward partial|seed|binary|fraction|syntax] [--scanner bandit|native|regex] [--alpha 0.6 --beta 0.4] --out SCORED.jsonl")
	var d dataFlags
	d.register("score", fs)
	var sf sandboxFlags
	sf.register(fs)
	var scf scanFlags
	scf.register(fs)
	compPath := fs.String("completions", "", "completions JSONL: prompt_id or problem_id, completion (and prompt for inline problems)")
	rewardName := fs.String("reward", "partial", "functional reward: "+strings.Join(reward.FuncNames, ", "))
	alpha := fs.Float64("alpha", 0.6, "weight of R_func")
	beta := fs.Float64("beta", 0.4, "weight of R_sec")
	form := fs.String("sec-form", "exp", "R_sec form: exp (exp(-V)) or linear (1-V)")
	threshold := fs.String("sec-threshold", "MEDIUM", "lowest severity counted: LOW, MEDIUM or HIGH")
	extractor := fs.String("extractor", "auto", "program extractor: raw, fenced, stub, auto")
	compare := fs.String("compare", "lines", "comparison preset")
	out := fs.String("out", "", "write one JSON line per completion here")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	remote := fs.String("sandbox", "", "judge on `scrl serve` endpoints instead of a local pool: http://a:8080,http://b:8080 (spread round robin, retried on another endpoint when one fails)")
	remoteToken := fs.String("sandbox-token", "", "bearer token of the --sandbox endpoints (default: $SCRL_SERVE_TOKEN)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *compPath == "" {
		return usagef("--completions FILE.jsonl is required")
	}
	fn, err := reward.FuncByName(*rewardName)
	if err != nil {
		return usageError{err.Error()}
	}
	ext, err := apps.ParseExtractor(*extractor)
	if err != nil {
		return usageError{err.Error()}
	}
	preset, err := judge.ParsePreset(*compare)
	if err != nil {
		return usageError{err.Error()}
	}
	if *form != "exp" && *form != "linear" {
		return usagef("--sec-form %q: want exp or linear", *form)
	}
	th := scanners.Level(strings.ToUpper(*threshold))
	if th.Rank() < 1 {
		return usagef("--sec-threshold %q: want LOW, MEDIUM or HIGH", *threshold)
	}
	comb := reward.Combined{Alpha: *alpha, Beta: *beta, Func: fn, Sec: reward.Security{Threshold: th, Form: reward.Form(*form)}}
	comps, err := readCompletions(*compPath)
	if err != nil {
		return err
	}
	byID := map[string]apps.Problem{}
	if d.data != "" {
		ps, _, err := d.load(ctx, e)
		if err != nil {
			return err
		}
		for _, p := range ps {
			byID[p.ID] = p
		}
	}
	start := time.Now()
	// Resolve problems and extract programs.
	rows := make([]scored, len(comps))
	probs := make([]apps.Problem, len(comps))
	for i, c := range comps {
		rows[i] = scored{ID: c.ID, Line: c.Line, Study: studyFields(c.Raw)}
		p, ok := byID[c.ID]
		if !ok && strings.HasPrefix(c.ID, "apps_plus_") {
			p, ok = byID[strings.TrimPrefix(c.ID, "apps_plus_")]
		}
		if ok {
			rows[i].TestsFrom = "data"
		} else {
			if c.Prompt == "" {
				return fmt.Errorf("%s: line %d (id %s): no problem with this id in %s and no inline prompt", *compPath, c.Line, c.ID, dataName(d.data))
			}
			p = apps.Problem{ID: c.ID, Statement: c.Prompt, Kind: apps.KindStdin, Tests: apps.StatementExamples(c.Prompt)}
			rows[i].TestsFrom = "statement"
		}
		probs[i] = p
		prompt := c.Prompt
		if prompt == "" {
			prompt = p.Stub
		}
		x, err := ext.Extract(prompt, c.Completion)
		if err != nil {
			return fmt.Errorf("%s: line %d: extract: %w", *compPath, c.Line, err)
		}
		rows[i].Extraction = x
	}
	var pool sandbox.Tester
	if *remote != "" {
		if *remoteToken == "" {
			*remoteToken = os.Getenv("SCRL_SERVE_TOKEN")
		}
		r, err := sandbox.NewRemote(*remote, *remoteToken)
		if err != nil {
			return usagef("--sandbox: %v", err)
		}
		pool = r
	} else {
		p, err := sf.pool(ctx)
		if err != nil {
			return err
		}
		defer p.Close()
		pool = p
	}
	sc, err := scf.open()
	if err != nil {
		return err
	}
	defer scanners.Close(sc)
	items := make([]scoring.Item, len(rows))
	for i, r := range rows {
		items[i] = scoring.Item{Name: fmt.Sprintf("line %d (id %s)", r.Line, r.ID),
			Program: scoring.ProgramOf(probs[i], r.Extraction.Program), Cases: scoring.Cases(probs[i].Tests, 0)}
	}
	bar := newProgress(e.stderr, "score")
	res, err := scoring.Run(ctx, scoring.Options{Pool: pool, Scanner: sc, Reward: comb, Compare: preset, Progress: bar.update}, items)
	bar.finish()
	if err != nil {
		return err
	}
	reps := make([]scanners.Report, len(rows))
	for i := range rows {
		r := &rows[i]
		r.judged, r.report, reps[i] = res[i].Judged, res[i].Report, res[i].Report
		r.Findings, r.ScanError = res[i].Report.Findings, res[i].Report.Err
		tot := res[i].Total
		r.Verdicts, r.Passed, r.Total, r.Bucket, r.Syntax, r.FirstFail = r.judged.Verdicts, r.judged.Passed, r.judged.Total, r.judged.Bucket, r.judged.Syntax, r.judged.FirstFailure
		r.Stage, r.RFunc, r.FuncExplain = tot.Func.Stage, tot.Func.Value, tot.Func.Explain
		r.RSec, r.SecExplain, r.R = tot.Sec.Value, tot.Sec.Explain, tot.R
		r.SecClean = res[i].SecClean()
	}
	if *out != "" {
		if err := writeJSONL(*out, rows); err != nil {
			return err
		}
	}
	sum := summarize(rows, sc.Name(), reps, time.Since(start))
	if *asJSON {
		return writeJSON(e.stdout, sum)
	}
	printSummary(e.stdout, sum)
	return nil
}

func studyFields(raw map[string]json.RawMessage) map[string]any {
	out := map[string]any{}
	for _, k := range []string{"reward", "rfunc", "rsec", "compiles", "tests_passed", "tests_total", "has_security_issues"} {
		if v, ok := raw[k]; ok {
			var x any
			if json.Unmarshal(v, &x) == nil {
				out[k] = x
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func writeJSONL(path string, rows []scored) error {
	f, err := os.CreateTemp(dirOf(path), ".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, r := range rows {
		if err := enc.Encode(r); err != nil {
			f.Close()
			os.Remove(f.Name())
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

func dirOf(path string) string {
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		return path[:i+1]
	}
	return "."
}

// scoreSummary is what `scrl score` prints.
type scoreSummary struct {
	Completions    int            `json:"completions"`
	Scanner        string         `json:"scanner"`
	SyntaxValidPct float64        `json:"syntax_valid_pct"`
	Stages         map[string]int `json:"stages"`
	Buckets        map[string]int `json:"buckets"`
	// FailureShares: Table II — each failure bucket's share of the programs
	// that do not pass all their tests.
	FailureShares map[string]float64 `json:"failure_shares"`
	// Pass rates and failure shares are over the completions that have
	// tests; NoTests counts the others (statements without examples).
	WithTests        int                `json:"with_tests"`
	NoTests          int                `json:"no_tests"`
	AllPassPct       float64            `json:"all_tests_pass_pct"`
	AnyPassPct       float64            `json:"any_test_pass_pct"`
	SecurityCleanPct float64            `json:"security_clean_pct"` // no finding at or above the threshold
	AnyFindingPct    float64            `json:"any_finding_pct"`
	FindingsByTest   map[string]int     `json:"findings_by_test"`
	MeanRFunc        float64            `json:"mean_r_func"`
	MeanRSec         float64            `json:"mean_r_sec"`
	MeanR            float64            `json:"mean_r"`
	ScanErrors       int                `json:"scan_errors"`
	ScannerNotes     []string           `json:"scanner_notes,omitempty"`
	TestsFrom        map[string]int     `json:"tests_from"`
	Seconds          float64            `json:"seconds"`
	Study            map[string]float64 `json:"study,omitempty"`
}

func summarize(rows []scored, scanner string, reps []scanners.Report, took time.Duration) scoreSummary {
	s := scoreSummary{Completions: len(rows), Scanner: scanner, Stages: map[string]int{}, Buckets: map[string]int{},
		FailureShares: map[string]float64{}, FindingsByTest: map[string]int{}, TestsFrom: map[string]int{}, Seconds: took.Seconds()}
	notes := map[string]bool{}
	var valid, all, anyPass, clean, anyF, failing int
	studyCompiles, studySec, studyN := 0, 0, 0
	for _, r := range rows {
		if r.Syntax == nil {
			valid++
		}
		s.Stages[string(r.Stage)]++
		s.Buckets[string(r.Bucket)]++
		s.TestsFrom[r.TestsFrom]++
		if r.Total == 0 {
			s.NoTests++
		} else if r.Passed == r.Total {
			all++
		} else {
			failing++
		}
		if r.Passed > 0 {
			anyPass++
		}
		if r.SecClean {
			clean++
		}
		if len(r.Findings) > 0 {
			anyF++
		}
		for _, f := range r.Findings {
			s.FindingsByTest[f.TestID]++
		}
		if r.ScanError != "" {
			s.ScanErrors++
		}
		s.MeanRFunc += r.RFunc
		s.MeanRSec += r.RSec
		s.MeanR += r.R
		if r.Study != nil {
			studyN++
			if b, ok := r.Study["compiles"].(bool); ok && b {
				studyCompiles++
			}
			if b, ok := r.Study["has_security_issues"].(bool); ok && !b {
				studySec++
			}
		}
	}
	for _, rep := range reps {
		for _, n := range rep.Notes {
			notes[n] = true
		}
	}
	s.ScannerNotes = sortedKeys(notes)
	n := float64(len(rows))
	s.SyntaxValidPct = pct(valid, len(rows))
	s.WithTests = len(rows) - s.NoTests
	s.AllPassPct = pct(all, s.WithTests)
	s.AnyPassPct = pct(anyPass, s.WithTests)
	s.SecurityCleanPct = pct(clean, len(rows))
	s.AnyFindingPct = pct(anyF, len(rows))
	s.MeanRFunc = round3(s.MeanRFunc / n)
	s.MeanRSec = round3(s.MeanRSec / n)
	s.MeanR = round3(s.MeanR / n)
	for b, c := range s.Buckets {
		if b != string(sandbox.Passed) && b != string(judge.NoTests) && failing > 0 {
			s.FailureShares[b] = round3(float64(c) / float64(failing))
		}
	}
	if studyN > 0 {
		s.Study = map[string]float64{"compiles_pct": pct(studyCompiles, studyN), "security_clean_pct": pct(studySec, studyN)}
	}
	return s
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return round3(100 * float64(a) / float64(b))
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

func printSummary(w io.Writer, s scoreSummary) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "completions\t%d (tests from: %v)\n", s.Completions, s.TestsFrom)
	fmt.Fprintf(tw, "syntax-valid\t%.1f%%\n", s.SyntaxValidPct)
	if s.NoTests > 0 {
		fmt.Fprintf(tw, "without tests\t%d (no worked examples in the statement; left out of the rates below)\n", s.NoTests)
	}
	fmt.Fprintf(tw, "all tests pass\t%.1f%%\n", s.AllPassPct)
	fmt.Fprintf(tw, "at least one test passes\t%.1f%%\n", s.AnyPassPct)
	fmt.Fprintf(tw, "security-clean (%s)\t%.1f%%  (any finding at all: %.1f%%)\n", s.Scanner, s.SecurityCleanPct, s.AnyFindingPct)
	fmt.Fprintf(tw, "mean R_func / R_sec / R\t%.3f / %.3f / %.3f\n", s.MeanRFunc, s.MeanRSec, s.MeanR)
	fmt.Fprintln(tw, "stage distribution\t")
	for _, st := range reward.Stages {
		fmt.Fprintf(tw, "  %s\t%d\n", st, s.Stages[string(st)])
	}
	fmt.Fprintln(tw, "failure taxonomy (share of failing programs)\t")
	keys := make([]string, 0, len(s.FailureShares))
	for k := range s.FailureShares {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return s.FailureShares[keys[i]] > s.FailureShares[keys[j]] })
	for _, k := range keys {
		fmt.Fprintf(tw, "  %s\t%.1f%%\n", k, 100*s.FailureShares[k])
	}
	if len(s.FindingsByTest) > 0 {
		fmt.Fprintf(tw, "findings by test id\t%v\n", s.FindingsByTest)
	}
	if s.Study != nil {
		fmt.Fprintf(tw, "the file's own scores\tcompiles %.1f%%, security-clean %.1f%%\n", s.Study["compiles_pct"], s.Study["security_clean_pct"])
	}
	fmt.Fprintf(tw, "time\t%.1fs\n", s.Seconds)
	tw.Flush()
	for _, n := range s.ScannerNotes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
}
