package apps

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestLoadAPPSFormats(t *testing.T) {
	ctx := context.Background()
	want, _, err := LoadFile(ctx, "testdata/apps_rows.jsonl", Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file   string
		format string
		gzip   bool
	}{
		{"testdata/apps_rows.jsonl", "jsonl", false},
		{"testdata/apps_rows.json", "json-array", false},
		{"testdata/apps_rows.jsonl.gz", "jsonl", true},
		{"testdata/apps_rows_array.gz", "json-array", true},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.file), func(t *testing.T) {
			ps, rep, err := LoadFile(ctx, tt.file, Options{Strict: true})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Format != tt.format || rep.Gzip != tt.gzip || rep.Schema != SchemaAPPS {
				t.Errorf("report format=%q gzip=%v schema=%q, want %q %v %q", rep.Format, rep.Gzip, rep.Schema, tt.format, tt.gzip, SchemaAPPS)
			}
			if rep.Records != 4 || rep.Loaded != 4 || rep.Skipped != 0 {
				t.Errorf("records/loaded/skipped = %d/%d/%d, want 4/4/0", rep.Records, rep.Loaded, rep.Skipped)
			}
			sum, err := fileSHA256(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if rep.SHA256 != sum {
				t.Errorf("report sha256 %s, file sha256 %s", rep.SHA256, sum)
			}
			for i := range ps {
				ps[i].Source, ps[i].Index = "", 0
			}
			w := make([]Problem, len(want))
			copy(w, want)
			for i := range w {
				w[i].Source, w[i].Index = "", 0
			}
			if !reflect.DeepEqual(ps, w) {
				t.Errorf("problems differ from the JSONL load:\n got %+v\nwant %+v", ps, w)
			}
		})
	}
}

func TestLoadAPPSFields(t *testing.T) {
	ps, rep, err := LoadFile(context.Background(), "testdata/apps_rows.jsonl", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 4 {
		t.Fatalf("got %d problems", len(ps))
	}
	p := ps[0]
	if p.ID != "1" || p.Kind != KindStdin || p.Difficulty != DifficultyIntroductory || p.URL != "https://example.com/1" ||
		len(p.Solutions) != 1 || p.Source != "testdata/apps_rows.jsonl" || p.Index != 0 ||
		!reflect.DeepEqual(p.Tests, []Test{{Input: "1 2\n", Expected: "3\n"}, {Input: "10 -3\n", Expected: "7\n"}}) {
		t.Errorf("stdin problem: %+v", p)
	}
	c := ps[1]
	if c.Kind != KindCall || c.FnName != "add" || c.StarterCode != "def add(a, b):\n" ||
		!reflect.DeepEqual(c.Tests, []Test{{Input: "[1,2]", Expected: "[3]", Call: true}, {Input: "[3,4]", Expected: "[7]", Call: true}}) {
		t.Errorf("call problem: %+v", c)
	}
	l := ps[2]
	if l.Kind != KindStdin || l.Solutions != nil || l.Index != 2 ||
		!reflect.DeepEqual(l.Tests, []Test{{Input: "3\n4\n", Expected: "4\n3\n"}, {Input: "5\n6\n", Expected: "6\n5\n"}}) {
		t.Errorf("line-list problem: %+v", l)
	}
	if rep.JoinedLineLists != 3 {
		t.Errorf("JoinedLineLists = %d, want 3", rep.JoinedLineLists)
	}
	s := ps[3]
	if s.ID != "abc-4" || s.Difficulty != DifficultyCompetition || len(s.Solutions) != 0 || len(s.Tests) != 1 {
		t.Errorf("string-id problem: %+v", s)
	}
}

func TestLoadAPPSPlus(t *testing.T) {
	for _, file := range []string{"testdata/apps_plus_data.json", "testdata/apps_plus_data.json.gz"} {
		t.Run(filepath.Base(file), func(t *testing.T) {
			ps, rep, err := LoadFile(context.Background(), file, Options{Strict: true})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Schema != SchemaAPPSPlus || rep.Format != "json-array" {
				t.Errorf("schema %q format %q", rep.Schema, rep.Format)
			}
			if len(ps) != 4 {
				t.Fatalf("got %d problems", len(ps))
			}
			wantIDs := []string{"apps_plus_0", "17", "plus-2", "p3"}
			wantKinds := []Kind{KindStdin, KindCall, KindStdin, KindStdin}
			wantStub := []string{"aBcDe", "", "sQuArE", ""}
			wantDiff := []string{"introductory", "interview", "competition", "interview"}
			for i, p := range ps {
				if p.ID != wantIDs[i] || p.Kind != wantKinds[i] || StubName(p) != wantStub[i] || p.Difficulty != wantDiff[i] {
					t.Errorf("problem %d: id %q kind %q stub %q difficulty %q; want %q %q %q %q", i, p.ID, p.Kind, StubName(p), p.Difficulty, wantIDs[i], wantKinds[i], wantStub[i], wantDiff[i])
				}
				if p.Kind == KindStdin && p.FnName != "" {
					t.Errorf("problem %d: stdin problem with FnName %q", i, p.FnName)
				}
			}
			if ps[1].FnName != "solve" || ps[1].Tests[1] != (Test{Input: "[5]", Expected: "10", Call: true}) {
				t.Errorf("call problem: %+v", ps[1])
			}
			if ps[2].Statement == "" || ps[2].Prompt != "" {
				t.Errorf("prompt-only problem: statement %q prompt %q", ps[2].Statement, ps[2].Prompt)
			}
		})
	}
}

func TestSchemaOverride(t *testing.T) {
	ctx := context.Background()
	// Forcing the APPS schema on APPS+ data skips every record.
	_, rep, err := LoadFile(ctx, "testdata/apps_plus_data.json", Options{Schema: SchemaAPPS})
	if !errors.Is(err, ErrNoProblems) {
		t.Fatalf("err = %v, want ErrNoProblems", err)
	}
	if rep.Skipped != 4 || rep.SkipsByField["problem_id"]+rep.SkipsByField["input_output"] != 4 {
		t.Errorf("skips: %+v", rep.Skips)
	}
	// ... and with Strict the first one is an error naming record and field.
	_, _, err = LoadFile(ctx, "testdata/apps_plus_data.json", Options{Schema: SchemaAPPS, Strict: true})
	var re *RecordError
	if !errors.As(err, &re) || re.Index != 0 || re.Field != "problem_id" {
		t.Fatalf("err = %v, want a RecordError for record 0 field problem_id", err)
	}
	// An explicit, matching schema works.
	if _, _, err := LoadFile(ctx, "testdata/apps_plus_data.json", Options{Schema: SchemaAPPSPlus}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadFile(ctx, "testdata/apps_rows.jsonl", Options{Schema: "bogus"}); err == nil || !strings.Contains(err.Error(), "unknown schema") {
		t.Fatalf("err = %v, want unknown schema", err)
	}
}

const goodRow = `{"problem_id": 10, "question": "q", "solutions": "[]", "input_output": "{\"inputs\": [\"1\\n\"], \"outputs\": [\"1\\n\"]}", "difficulty": "interview", "url": "", "starter_code": ""}`

func TestBadRecords(t *testing.T) {
	tests := []struct {
		name   string
		line   string
		index  int
		field  string
		reason string
	}{
		{"malformed JSON", `{"problem_id": 1, "question": `, 1, "", "malformed JSON"},
		{"not an object", `[1, 2]`, 1, "", "not an object"},
		{"null record", `null`, 1, "", "JSON null"},
		{"missing problem_id", `{"question": "q", "input_output": "{\"inputs\": [\"1\"], \"outputs\": [\"1\"]}"}`, 1, "problem_id", "missing"},
		{"bad problem_id type", `{"problem_id": [1], "question": "q", "input_output": "{\"inputs\": [\"1\"], \"outputs\": [\"1\"]}"}`, 1, "problem_id", "string or a number"},
		{"missing question", `{"problem_id": 5, "input_output": "{\"inputs\": [\"1\"], \"outputs\": [\"1\"]}"}`, 1, "question", "missing"},
		{"question not a string", `{"problem_id": 5, "question": 7, "input_output": "{\"inputs\": [\"1\"], \"outputs\": [\"1\"]}"}`, 1, "question", "must be a string"},
		{"empty input_output", `{"problem_id": 5, "question": "q", "input_output": ""}`, 1, "input_output", "no tests"},
		{"absent input_output", `{"problem_id": 5, "question": "q", "input_output": null}`, 1, "input_output", "no tests"},
		{"input_output not JSON", `{"problem_id": 5, "question": "q", "input_output": "{inputs"}`, 1, "input_output", "not valid JSON"},
		{"input_output a list", `{"problem_id": 5, "question": "q", "input_output": "[1]"}`, 1, "input_output", "must be a JSON object"},
		{"empty inputs", `{"problem_id": 5, "question": "q", "input_output": "{\"inputs\": [], \"outputs\": []}"}`, 1, "input_output.inputs", "no tests"},
		{"missing outputs", `{"problem_id": 5, "question": "q", "input_output": "{\"inputs\": [\"1\"]}"}`, 1, "input_output.outputs", "missing"},
		{"mismatched lengths", `{"problem_id": 5, "question": "q", "input_output": "{\"inputs\": [\"1\", \"2\"], \"outputs\": [\"1\"]}"}`, 1, "input_output.outputs", "has 1 entries but input_output.inputs has 2"},
		{"unclassifiable input", `{"problem_id": 5, "question": "q", "input_output": "{\"inputs\": [\"1\", [1, 2]], \"outputs\": [\"1\", \"2\"]}"}`, 1, "input_output.inputs[1]", "no fn_name"},
		{"call input not a list", `{"problem_id": 5, "question": "q", "input_output": "{\"fn_name\": \"f\", \"inputs\": [3], \"outputs\": [3]}"}`, 1, "input_output.inputs[0]", "JSON list of arguments"},
		{"stdin output not text", `{"problem_id": 5, "question": "q", "input_output": "{\"inputs\": [\"1\"], \"outputs\": [1]}"}`, 1, "input_output.outputs[0]", "stdin output"},
		{"bad fn_name", `{"problem_id": 5, "question": "q", "input_output": "{\"fn_name\": \"a b\", \"inputs\": [[1]], \"outputs\": [1]}"}`, 1, "input_output.fn_name", "not a Python identifier"},
		{"solutions not JSON", `{"problem_id": 5, "question": "q", "solutions": "[\"x", "input_output": "{\"inputs\": [\"1\"], \"outputs\": [\"1\"]}"}`, 1, "solutions", "not valid JSON"},
		{"solution not a string", `{"problem_id": 5, "question": "q", "solutions": "[1]", "input_output": "{\"inputs\": [\"1\"], \"outputs\": [\"1\"]}"}`, 1, "solutions[0]", "must be a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "bad.jsonl", goodRow+"\n"+tt.line+"\n"+goodRow+"\n")
			ps, rep, err := LoadFile(context.Background(), path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != 2 || rep.Records != 3 || rep.Loaded != 2 || rep.Skipped != 1 || len(rep.Skips) != 1 {
				t.Fatalf("loaded %d, report %+v", len(ps), rep)
			}
			s := rep.Skips[0]
			if s.Source != path || s.Index != tt.index || s.Field != tt.field || !strings.Contains(s.Reason, tt.reason) {
				t.Errorf("skip = %+v, want index %d field %q reason containing %q", s, tt.index, tt.field, tt.reason)
			}
			if rep.SkipsByField[tt.field] != 1 {
				t.Errorf("SkipsByField = %v", rep.SkipsByField)
			}
			if !strings.Contains(s.String(), path) || !strings.Contains(s.String(), "record 1") {
				t.Errorf("skip string %q does not name the file and record", s.String())
			}

			_, _, err = LoadFile(context.Background(), path, Options{Strict: true})
			var re *RecordError
			if !errors.As(err, &re) {
				t.Fatalf("strict: err = %v, want *RecordError", err)
			}
			if re.Skip != s {
				t.Errorf("strict error %+v, want %+v", re.Skip, s)
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "record 1") || (tt.field != "" && !strings.Contains(err.Error(), tt.field)) {
				t.Errorf("error %q does not name file, record and field", err)
			}
		})
	}
}

func TestBadAPPSPlusRecords(t *testing.T) {
	tests := []struct {
		name, obj, field, reason string
	}{
		{"missing inputs", `{"question": "q", "outputs": ["1"]}`, "inputs", "missing"},
		{"missing outputs", `{"question": "q", "inputs": ["1"]}`, "outputs", "missing"},
		{"missing question", `{"inputs": ["1"], "outputs": ["1"]}`, "question", "missing"},
		{"inputs not a list", `{"question": "q", "inputs": "1", "outputs": ["1"]}`, "inputs", "must be a list"},
		{"no tests", `{"question": "q", "inputs": [], "outputs": []}`, "inputs", "no tests"},
		{"mismatch", `{"question": "q", "inputs": ["1"], "outputs": ["1", "2"]}`, "outputs", "has 2 entries but inputs has 1"},
		{"call with params and string input", `{"question": "q", "fn_name": "f", "canonical_solution": "def f(x):\n    return x\n", "inputs": ["1"], "outputs": ["1"]}`, "inputs[0]", "JSON list of arguments"},
		{"no fn_name and list input", `{"question": "q", "inputs": [[1]], "outputs": [1]}`, "inputs[0]", "no fn_name"},
	}
	good := `{"question": "ok", "inputs": ["1\n"], "outputs": ["1\n"]}`
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "data.json", "["+good+",\n"+tt.obj+",\n"+good+"]")
			ps, rep, err := LoadFile(context.Background(), path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(ps) != 2 || len(rep.Skips) != 1 {
				t.Fatalf("loaded %d, skips %+v", len(ps), rep.Skips)
			}
			if s := rep.Skips[0]; s.Index != 1 || s.Field != tt.field || !strings.Contains(s.Reason, tt.reason) {
				t.Errorf("skip = %+v, want index 1 field %q reason containing %q", s, tt.field, tt.reason)
			}
			// The fallback IDs use the record index, skipped records included.
			if ps[0].ID != "apps_plus_0" || ps[1].ID != "apps_plus_2" {
				t.Errorf("ids %q %q", ps[0].ID, ps[1].ID)
			}
		})
	}
}

func TestFatalErrors(t *testing.T) {
	ctx := context.Background()
	var truncatedGzip bytes.Buffer
	zw := gzip.NewWriter(&truncatedGzip)
	zw.Write([]byte(strings.Repeat(goodRow+"\n", 50)))
	zw.Close()
	tg := truncatedGzip.Bytes()[:truncatedGzip.Len()/2]

	dir := t.TempDir()
	tests := []struct {
		name    string
		path    string
		content []byte
		want    string
	}{
		{"missing file", filepath.Join(dir, "nope.jsonl"), nil, "no such file"},
		{"directory", dir, nil, "is a directory"},
		{"empty file", "empty.jsonl", []byte("  \n\n"), "no problems loaded"},
		{"all skipped", "skipped.jsonl", []byte("{\"problem_id\": 1, \"question\": \"q\", \"input_output\": \"\"}\n"), "no problems loaded (1 records, 1 skipped)"},
		{"malformed array", "bad.json", []byte("[" + goodRow + ", {\"a\": ]"), "record 1: malformed JSON array element"},
		{"trailing data", "trail.json", []byte("[" + goodRow + "] [1]"), "after JSON array"},
		{"truncated gzip", "trunc.gz", tg, "unexpected EOF"},
		{"undetectable schema", "what.jsonl", []byte("{\"foo\": 1}\n"), "cannot detect the schema"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.path
			if tt.content != nil {
				path = filepath.Join(t.TempDir(), tt.path)
				if err := os.WriteFile(path, tt.content, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			ps, _, err := LoadFile(ctx, path, Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name %s", err, path)
			}
			if ps != nil {
				t.Errorf("got %d problems with an error", len(ps))
			}
		})
	}
}

func TestLocalChecksum(t *testing.T) {
	ctx := context.Background()
	sum, err := fileSHA256("testdata/apps_rows.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadFile(ctx, "testdata/apps_rows.jsonl", Options{SHA256: strings.ToUpper(sum)}); err != nil {
		t.Fatalf("matching checksum: %v", err)
	}
	bad := strings.Repeat("0", 64)
	_, _, err = LoadFile(ctx, "testdata/apps_rows.jsonl", Options{SHA256: bad})
	if !errors.Is(err, ErrChecksum) || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), sum) || !strings.Contains(err.Error(), "apps_rows.jsonl") {
		t.Fatalf("err = %v", err)
	}
	f, err := os.Open("testdata/apps_rows.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, _, err := Parse(ctx, f, "reader", Options{SHA256: bad}); !errors.Is(err, ErrChecksum) {
		t.Fatalf("Parse: err = %v", err)
	}
}

func TestDuplicates(t *testing.T) {
	row := func(id int, q string) string {
		return `{"problem_id": ` + strconv.Itoa(id) + `, "question": "` + q + `", "input_output": "{\"inputs\": [\"1\"], \"outputs\": [\"1\"]}"}`
	}
	path := writeFile(t, "dup.jsonl", row(7, "a")+"\n"+row(8, "b")+"\n"+row(7, "c")+"\n"+row(7, "d")+"\n")
	ctx := context.Background()

	ps, rep, err := LoadFile(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 4 || !reflect.DeepEqual(rep.Duplicates, []Duplicate{{ID: "7", Indices: []int{0, 2, 3}}}) {
		t.Fatalf("keep: %d problems, duplicates %+v", len(ps), rep.Duplicates)
	}
	if Stats(ps).DuplicateIDs != 1 {
		t.Errorf("Stats.DuplicateIDs = %d", Stats(ps).DuplicateIDs)
	}

	ps, rep, err = LoadFile(ctx, path, Options{Duplicates: DuplicateRename})
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{ps[0].ID, ps[1].ID, ps[2].ID, ps[3].ID}; !reflect.DeepEqual(got, []string{"7", "8", "7#2", "7#3"}) || rep.Renamed != 2 {
		t.Fatalf("rename: ids %v renamed %d", got, rep.Renamed)
	}

	_, _, err = LoadFile(ctx, path, Options{Duplicates: DuplicateError})
	if err == nil || !strings.Contains(err.Error(), `duplicate problem ID "7" at records [0 2 3]`) {
		t.Fatalf("error policy: err = %v", err)
	}
}

func TestCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := LoadFile(ctx, "testdata/apps_rows.jsonl", Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// Cancellation is also noticed while reading a long file.
	r := strings.NewReader(strings.Repeat(goodRow+"\n", 1000))
	if _, _, err := Parse(ctx, r, "long.jsonl", Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestLoadDispatch(t *testing.T) {
	ctx := context.Background()
	ps, rep, err := Load(ctx, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Source != EmbeddedSource || len(ps) == 0 || ps[0].Source != EmbeddedSource {
		t.Errorf("embedded: report %+v", rep)
	}
	if _, _, err := Load(ctx, "testdata/apps_rows.jsonl", Options{}); err != nil {
		t.Fatal(err)
	}
}

func TestBOMAndBlankLines(t *testing.T) {
	path := writeFile(t, "bom.jsonl", "\ufeff"+goodRow+"\n\n   \n"+goodRow+"\r\n")
	ps, rep, err := LoadFile(context.Background(), path, Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 || rep.Records != 2 || ps[1].Index != 3 {
		t.Fatalf("problems %d records %d index %d", len(ps), rep.Records, ps[1].Index)
	}
}
