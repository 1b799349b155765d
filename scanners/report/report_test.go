package report

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/securecoderl/securecoderl/scanners/core"
	"github.com/securecoderl/securecoderl/scanners/native"
)

// scanned runs the native scanner on a few real programs, one of which
// does not parse.
func scanned(t *testing.T) []core.Report {
	t.Helper()
	sc, err := native.New(core.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	srcs := []core.Source{
		{Name: "dir/app.py", Code: "import subprocess\nimport hashlib\n\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n    return hashlib.md5(cmd.encode()).hexdigest()\n"},
		{Name: "clean.py", Code: "print(sum(map(int, input().split())))\n"},
		{Name: "py2.py", Code: "print 'hello'\n"},
		{Name: "/abs/with space.py", Code: "assert x\n"},
	}
	reps, err := sc.Scan(t.Context(), srcs)
	if err != nil {
		t.Fatal(err)
	}
	if reps[2].Err == "" {
		t.Fatalf("py2.py scanned without error: %+v", reps[2])
	}
	return reps
}

func TestFilterAndCount(t *testing.T) {
	reps := scanned(t)
	for _, c := range []struct {
		sev, conf core.Level
		want      int
	}{
		{"", "", 4},                 // B404, B602, B324, B101
		{core.Medium, "", 2},        // B602, B324
		{core.High, core.High, 2},   // B602, B324
		{core.Low, core.High, 4},    // all four are HIGH confidence
		{core.High, core.Medium, 2}, // same
	} {
		got := Count(reps, Options{Severity: c.sev, Confidence: c.conf})
		manual := 0
		for _, r := range reps {
			for _, f := range r.Findings {
				if f.Severity.Rank() >= max(c.sev.Rank(), 1) && f.Confidence.Rank() >= max(c.conf.Rank(), 1) {
					manual++
				}
			}
		}
		if got != manual {
			t.Errorf("Count(%s,%s) = %d, manual %d", c.sev, c.conf, got, manual)
		}
		if got != c.want {
			t.Errorf("Count(%s,%s) = %d, want %d", c.sev, c.conf, got, c.want)
		}
	}
	if n := Count(reps[1:2], Options{}); n != 0 {
		t.Errorf("clean file counted %d", n)
	}
}

func TestJSON(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, scanned(t), Options{Tool: "native"}); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Errors  []map[string]string       `json:"errors"`
		Metrics map[string]map[string]int `json:"metrics"`
		Results []map[string]any          `json:"results"`
	}
	if err := json.Unmarshal(b.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Errors) != 1 || out.Errors[0]["filename"] != "py2.py" || out.Errors[0]["reason"] == "" {
		t.Errorf("errors: %+v", out.Errors)
	}
	if out.Metrics["_totals"]["SEVERITY.HIGH"] != 2 || out.Metrics["clean.py"]["SEVERITY.LOW"] != 0 {
		t.Errorf("metrics: %+v", out.Metrics)
	}
	var b602 map[string]any
	for _, r := range out.Results {
		if r["test_id"] == "B602" {
			b602 = r
		}
	}
	if b602 == nil || b602["filename"] != "dir/app.py" || b602["line_number"] != 5.0 ||
		b602["issue_cwe"].(map[string]any)["id"] != 78.0 || !strings.Contains(b602["more_info"].(string), "b602_subprocess_popen_with_shell_equals_true") {
		t.Errorf("B602 result: %+v", b602)
	}
}

// TestSARIFSchema validates the SARIF output against the SARIF 2.1.0 JSON
// schemas (the OASIS errata01 text and schemastore's; testdata, see its
// README) with Python's jsonschema (Debian's
// python3-jsonschema, installed with Jupyter).
func TestSARIFSchema(t *testing.T) {
	const py = "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import jsonschema").Run(); err != nil {
		t.Skipf("%s has no jsonschema module (apt-get install python3-jsonschema): %v", py, err)
	}
	reps := scanned(t)
	dir := t.TempDir()
	for name, r := range map[string][]core.Report{"all": reps, "clean": reps[1:2], "filtered": Filter(reps, Options{Severity: core.High})} {
		var b bytes.Buffer
		if err := SARIF(&b, r, Options{Tool: "native"}); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name+".sarif")
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		script := `import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
log = json.load(open(sys.argv[2]))
errs = sorted(jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).iter_errors(log), key=str)
for e in errs[:5]:
    print(list(e.absolute_path), e.message)
sys.exit(1 if errs else 0)`
		for _, schema := range []string{"testdata/sarif-schema-2.1.0.json", "testdata/sarif-2.1.0-rtm.5.json"} {
			out, err := exec.Command(py, "-c", script, schema, path).CombinedOutput()
			if err != nil {
				t.Errorf("%s: SARIF does not validate against %s: %v\n%s\n%s", name, schema, err, out, b.String())
			}
		}
	}
	var b bytes.Buffer
	if err := SARIF(&b, reps, Options{}); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID, HelpURI string }
				}
			}
			Invocations []struct {
				ExecutionSuccessful        bool
				ToolExecutionNotifications []struct {
					Level   string
					Message struct{ Text string }
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Level     string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct {
							StartLine, StartColumn int
							Snippet                struct{ Text string }
						}
					}
				}
			}
		}
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if run.Invocations[0].ExecutionSuccessful || len(run.Invocations[0].ToolExecutionNotifications) != 1 {
		t.Errorf("invocation: %+v", run.Invocations)
	}
	uris := map[string]bool{}
	for _, r := range run.Results {
		if run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %s points at rule %d", r.RuleID, r.RuleIndex)
		}
		loc := r.Locations[0].PhysicalLocation
		uris[loc.ArtifactLocation.URI] = true
		if r.RuleID == "B602" && (r.Level != "error" || loc.Region.StartLine != 5 || loc.Region.StartColumn != 5 ||
			loc.Region.Snippet.Text != "    subprocess.call(cmd, shell=True)\n") {
			t.Errorf("B602: %+v", r)
		}
	}
	if !uris["dir/app.py"] || !uris["file:///abs/with%20space.py"] {
		t.Errorf("artifact URIs: %v", uris)
	}
}

func TestText(t *testing.T) {
	var b bytes.Buffer
	if err := Text(&b, scanned(t), Options{Severity: core.Medium}); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, want := range []string{"dir/app.py:5:4: B602 subprocess_popen_with_shell_equals_true [severity HIGH, confidence HIGH, CWE-78]",
		"py2.py: error: ", "4 files: 1 with findings, 2 clean, 1 not scanned (errors); 2 findings at severity >= MEDIUM", "by test"} {
		if !strings.Contains(s, want) {
			t.Errorf("text lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "B404") {
		t.Errorf("LOW finding shown at --severity medium:\n%s", s)
	}
}

func TestWriteAndParseLevel(t *testing.T) {
	if err := Write(&bytes.Buffer{}, "xml", nil, Options{}); err == nil || !strings.Contains(err.Error(), "text, json, sarif") {
		t.Errorf("unknown format: %v", err)
	}
	for in, want := range map[string]core.Level{"low": core.Low, "MEDIUM": core.Medium, " High ": core.High} {
		if got, err := ParseLevel(in); err != nil || got != want {
			t.Errorf("ParseLevel(%q) = %s, %v", in, got, err)
		}
	}
	if _, err := ParseLevel("critical"); err == nil {
		t.Error("ParseLevel accepted critical")
	}
}
