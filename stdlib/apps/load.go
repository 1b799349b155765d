package apps

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
)

// Schema names a record schema.
type Schema string

const (
	// SchemaAuto detects the schema from the first JSON object of each
	// file: input_output means APPS, top-level inputs/outputs mean APPS+.
	SchemaAuto Schema = ""
	// SchemaAPPS is the APPS row schema (codeparrot/apps).
	SchemaAPPS Schema = "apps"
	// SchemaAPPSPlus is the APPS+ data.json schema.
	SchemaAPPSPlus Schema = "apps_plus"
)

// DuplicatePolicy says what Load does with problems that share an ID.
// Duplicates are always listed in LoadReport.Duplicates.
type DuplicatePolicy int

const (
	// DuplicateKeep keeps every problem under its ID (the default).
	DuplicateKeep DuplicatePolicy = iota
	// DuplicateRename keeps the first problem under its ID and renames each
	// later one to "ID#INDEX" (INDEX being its record index).
	DuplicateRename
	// DuplicateError makes a duplicate ID an error.
	DuplicateError
)

// EmbeddedSource is the Source of the problems returned by Default.
const EmbeddedSource = "embedded:default.jsonl"

// Options controls Load, LoadFile, LoadURL and Parse. The zero value
// detects the schema, reports bad records as skips and keeps duplicate IDs.
type Options struct {
	// Schema overrides schema detection.
	Schema Schema
	// Strict turns every skip into an error (a *RecordError).
	Strict bool
	// SHA256 is the expected hex SHA-256 of the file as stored (the
	// compressed bytes for a .gz). A mismatch is an error naming the file
	// or URL and both hashes. Ignored for the embedded set.
	SHA256 string
	// CacheDir is where URLs are downloaded; default
	// os.UserCacheDir()/securecoderl/datasets.
	CacheDir string
	// Refresh downloads a URL again even if it is cached.
	Refresh bool
	// HTTPClient is used for downloads; default http.DefaultClient.
	HTTPClient *http.Client
	// Duplicates says what to do with problems that share an ID.
	Duplicates DuplicatePolicy
}

// Skip describes a record that was not turned into a Problem.
type Skip struct {
	Source string `json:"source"`
	// Index is the record index (0-based line number for JSON Lines,
	// 0-based element index for a JSON array).
	Index int `json:"index"`
	// Field is the offending field ("input_output.inputs[3]"), or "" when
	// the record as a whole is bad (malformed JSON, not an object).
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
}

// String formats the skip as "SOURCE: record N: field F: REASON".
func (s Skip) String() string {
	if s.Field == "" {
		return fmt.Sprintf("%s: record %d: %s", s.Source, s.Index, s.Reason)
	}
	return fmt.Sprintf("%s: record %d: field %q: %s", s.Source, s.Index, s.Field, s.Reason)
}

// RecordError is the error returned for a bad record in Strict mode.
type RecordError struct {
	Skip
}

func (e *RecordError) Error() string { return "apps: " + e.Skip.String() }

// Duplicate lists the record indices of problems sharing an ID.
type Duplicate struct {
	ID      string `json:"id"`
	Indices []int  `json:"indices"`
}

// LoadReport describes what a load read and what it left out.
type LoadReport struct {
	// Source is the path, URL or EmbeddedSource given to the loader.
	Source string `json:"source"`
	// Path is the local file read (the cache file for a URL).
	Path string `json:"path,omitempty"`
	// SHA256 is the hex SHA-256 of the bytes read, as stored.
	SHA256 string `json:"sha256,omitempty"`
	Schema Schema `json:"schema"`
	// Format is "jsonl" or "json-array"; Gzip says whether it was
	// gzip-compressed.
	Format string `json:"format"`
	Gzip   bool   `json:"gzip,omitempty"`
	// Records counts the records seen (non-blank lines or array
	// elements), Loaded the problems returned, Skipped the records left out.
	Records int `json:"records"`
	Loaded  int `json:"loaded"`
	Skipped int `json:"skipped"`
	// Skips lists every skipped record; SkipsByField counts them by field
	// ("" for whole-record problems).
	Skips        []Skip         `json:"skips,omitempty"`
	SkipsByField map[string]int `json:"skips_by_field,omitempty"`
	// JoinedLineLists counts stdin inputs/outputs that were lists of lines
	// and were joined with "\n".
	JoinedLineLists int `json:"joined_line_lists,omitempty"`
	// Duplicates lists IDs shared by more than one problem, in order of
	// first appearance.
	Duplicates []Duplicate `json:"duplicates,omitempty"`
	// Renamed counts problems renamed by DuplicateRename.
	Renamed int `json:"renamed,omitempty"`
}

// ErrNoProblems is returned (wrapped) when a source yields no problem at
// all.
var ErrNoProblems = errors.New("no problems loaded")

// ErrChecksum is returned (wrapped) when a file's SHA-256 does not match
// Options.SHA256.
var ErrChecksum = errors.New("sha256 mismatch")

// Load reads problems from source: "" for the embedded default set, "synth"
// or "synth:n=N:seed=S[:families=a+b]" for the synthetic problem family
// (generated in memory by stdlib/apps/synth and read through the APPS row
// parser, see SynthSource), an http:// or https:// URL (downloaded once
// into the cache, see Download), or a local path.
func Load(ctx context.Context, source string, opts Options) ([]Problem, LoadReport, error) {
	switch {
	case source == "":
		return parseBytes(ctx, defaultJSONL, EmbeddedSource, opts)
	case IsSynthSource(source):
		return loadSynth(ctx, source, opts)
	case isURL(source):
		return LoadURL(ctx, source, opts)
	default:
		return LoadFile(ctx, source, opts)
	}
}

func isURL(s string) bool {
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}

// LoadFile reads problems from a local JSON Lines or JSON array file,
// optionally gzip-compressed.
func LoadFile(ctx context.Context, path string, opts Options) ([]Problem, LoadReport, error) {
	return loadPath(ctx, path, path, opts)
}

// LoadURL downloads url (once; see Download) and reads problems from the
// cached copy. The problems' Source is the URL.
func LoadURL(ctx context.Context, url string, opts Options) ([]Problem, LoadReport, error) {
	path, err := Download(ctx, url, opts)
	if err != nil {
		return nil, LoadReport{Source: url}, err
	}
	// Download has verified the checksum already.
	opts.SHA256 = ""
	return loadPath(ctx, path, url, opts)
}

func loadPath(ctx context.Context, path, source string, opts Options) ([]Problem, LoadReport, error) {
	rep := LoadReport{Source: source, Path: path}
	if err := ctx.Err(); err != nil {
		return nil, rep, err
	}
	if want := opts.SHA256; want != "" {
		got, err := fileSHA256(path)
		if err != nil {
			return nil, rep, fmt.Errorf("apps: %w", err)
		}
		if !strings.EqualFold(got, want) {
			return nil, rep, fmt.Errorf("apps: %s: %w: expected %s, got %s", source, ErrChecksum, strings.ToLower(want), got)
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, rep, fmt.Errorf("apps: %w", err)
	}
	defer f.Close()
	ps, r, err := parse(ctx, f, source, opts)
	r.Path = path
	return ps, r, err
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("reading %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Parse reads problems from r, which holds a JSON Lines or JSON array
// document, optionally gzip-compressed. source names r in Problem.Source,
// skips and errors. Options.SHA256 is checked against the bytes read.
func Parse(ctx context.Context, r io.Reader, source string, opts Options) ([]Problem, LoadReport, error) {
	ps, rep, err := parse(ctx, r, source, opts)
	if err == nil && opts.SHA256 != "" && !strings.EqualFold(rep.SHA256, opts.SHA256) {
		return nil, rep, fmt.Errorf("apps: %s: %w: expected %s, got %s", source, ErrChecksum, strings.ToLower(opts.SHA256), rep.SHA256)
	}
	return ps, rep, err
}

func parseBytes(ctx context.Context, b []byte, source string, opts Options) ([]Problem, LoadReport, error) {
	opts.SHA256 = ""
	return parse(ctx, bytes.NewReader(b), source, opts)
}

func parse(ctx context.Context, r io.Reader, source string, opts Options) ([]Problem, LoadReport, error) {
	switch opts.Schema {
	case SchemaAuto, SchemaAPPS, SchemaAPPSPlus:
	default:
		return nil, LoadReport{Source: source}, fmt.Errorf("apps: %s: unknown schema %q (valid: %q, %q, %q)", source, opts.Schema, SchemaAuto, SchemaAPPS, SchemaAPPSPlus)
	}
	h := sha256.New()
	l := &loader{
		ctx:    ctx,
		opts:   opts,
		source: source,
		schema: opts.Schema,
		rep:    LoadReport{Source: source},
		ids:    map[string][]int{},
	}
	err := l.read(io.TeeReader(r, h))
	if err == nil {
		// Hash whatever the decoder left unread (trailing whitespace).
		if _, cerr := io.Copy(io.Discard, io.TeeReader(r, h)); cerr != nil {
			err = fmt.Errorf("apps: %s: %w", source, cerr)
		}
	}
	l.rep.SHA256 = hex.EncodeToString(h.Sum(nil))
	l.rep.Schema = l.schema
	if err != nil {
		return nil, l.rep, err
	}
	if err := l.finish(); err != nil {
		return nil, l.rep, err
	}
	if len(l.problems) == 0 {
		return nil, l.rep, fmt.Errorf("apps: %s: %w (%d records, %d skipped)", source, ErrNoProblems, l.rep.Records, l.rep.Skipped)
	}
	return l.problems, l.rep, nil
}

type loader struct {
	ctx      context.Context
	opts     Options
	source   string
	schema   Schema
	rep      LoadReport
	problems []Problem
	ids      map[string][]int // ID -> positions in problems
	idOrder  []string
}

// read detects compression and layout and feeds every record to l.record.
func (l *loader) read(r io.Reader) error {
	br := bufio.NewReaderSize(r, 1<<16)
	magic, err := br.Peek(2)
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("apps: %s: %w", l.source, err)
	}
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("apps: %s: gzip: %w", l.source, err)
		}
		defer zr.Close()
		l.rep.Gzip = true
		br = bufio.NewReaderSize(zr, 1<<16)
	}
	first, err := firstByte(br)
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("apps: %s: %w (empty file)", l.source, ErrNoProblems)
	}
	if err != nil {
		return fmt.Errorf("apps: %s: %w", l.source, err)
	}
	if first == '[' {
		l.rep.Format = "json-array"
		return l.readArray(br)
	}
	l.rep.Format = "jsonl"
	return l.readLines(br)
}

// firstByte skips white space and a UTF-8 byte order mark and returns the
// first significant byte without consuming it.
func firstByte(br *bufio.Reader) (byte, error) {
	if b, err := br.Peek(3); err == nil && string(b) == "\ufeff" {
		br.Discard(3)
	}
	for {
		b, err := br.Peek(1)
		if err != nil {
			return 0, err
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			br.Discard(1)
		default:
			return b[0], nil
		}
	}
}

func (l *loader) readLines(br *bufio.Reader) error {
	for index := 0; ; index++ {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			if trimmed := bytes.TrimSpace(line); len(trimmed) > 0 {
				if rerr := l.record(index, trimmed); rerr != nil {
					return rerr
				}
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("apps: %s: line %d: %w", l.source, index+1, err)
		}
	}
}

func (l *loader) readArray(br *bufio.Reader) error {
	dec := json.NewDecoder(br)
	if _, err := dec.Token(); err != nil { // '['
		return fmt.Errorf("apps: %s: %w", l.source, err)
	}
	for index := 0; dec.More(); index++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			// The decoder cannot resynchronise inside an array: this is
			// fatal even without Strict.
			return fmt.Errorf("apps: %s: record %d: malformed JSON array element (byte offset %d): %w", l.source, index, dec.InputOffset(), err)
		}
		if err := l.record(index, raw); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // ']'
		return fmt.Errorf("apps: %s: end of JSON array: %w", l.source, err)
	}
	if tok, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil {
			return fmt.Errorf("apps: %s: after JSON array: %w", l.source, err)
		}
		return fmt.Errorf("apps: %s: unexpected data after JSON array: %v", l.source, tok)
	}
	return nil
}

// skip records a skipped record, or returns a *RecordError in Strict mode.
func (l *loader) skip(index int, field, reason string) error {
	s := Skip{Source: l.source, Index: index, Field: field, Reason: reason}
	if l.opts.Strict {
		return &RecordError{Skip: s}
	}
	l.rep.Skips = append(l.rep.Skips, s)
	l.rep.Skipped++
	if l.rep.SkipsByField == nil {
		l.rep.SkipsByField = map[string]int{}
	}
	l.rep.SkipsByField[field]++
	return nil
}

func (l *loader) record(index int, raw []byte) error {
	l.rep.Records++
	if l.rep.Records%256 == 0 {
		if err := l.ctx.Err(); err != nil {
			return err
		}
	}
	var rec map[string]json.RawMessage
	if err := json.Unmarshal(raw, &rec); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) {
			return l.skip(index, "", fmt.Sprintf("record is a JSON %s, not an object", jsonType(raw)))
		}
		return l.skip(index, "", "malformed JSON: "+err.Error())
	}
	if rec == nil {
		return l.skip(index, "", "record is JSON null, not an object")
	}
	if l.schema == SchemaAuto {
		s, ok := detectSchema(rec)
		if !ok {
			return fmt.Errorf("apps: %s: record %d: cannot detect the schema (keys %s): neither input_output (APPS) nor inputs/outputs (APPS+); set Options.Schema", l.source, index, strings.Join(sortedKeys(rec), ", "))
		}
		l.schema = s
	}
	var (
		p      Problem
		joined int
		fe     *fieldError
	)
	if l.schema == SchemaAPPS {
		p, joined, fe = appsProblem(index, rec)
	} else {
		p, joined, fe = appsPlusProblem(index, rec)
	}
	if fe != nil {
		return l.skip(index, fe.field, fe.reason)
	}
	p.Source = l.source
	p.Index = index
	l.rep.JoinedLineLists += joined
	l.add(p)
	return nil
}

func (l *loader) add(p Problem) {
	if _, ok := l.ids[p.ID]; !ok {
		l.idOrder = append(l.idOrder, p.ID)
	}
	l.ids[p.ID] = append(l.ids[p.ID], len(l.problems))
	l.problems = append(l.problems, p)
}

// finish reports and resolves duplicate IDs.
func (l *loader) finish() error {
	for _, id := range l.idOrder {
		pos := l.ids[id]
		if len(pos) < 2 {
			continue
		}
		d := Duplicate{ID: id}
		for _, i := range pos {
			d.Indices = append(d.Indices, l.problems[i].Index)
		}
		l.rep.Duplicates = append(l.rep.Duplicates, d)
		switch l.opts.Duplicates {
		case DuplicateError:
			return fmt.Errorf("apps: %s: duplicate problem ID %q at records %v", l.source, id, d.Indices)
		case DuplicateRename:
			for _, i := range pos[1:] {
				l.problems[i].ID = fmt.Sprintf("%s#%d", id, l.problems[i].Index)
				l.rep.Renamed++
			}
		}
	}
	l.rep.Loaded = len(l.problems)
	return nil
}

func detectSchema(rec map[string]json.RawMessage) (Schema, bool) {
	if _, ok := rec["input_output"]; ok {
		return SchemaAPPS, true
	}
	_, in := rec["inputs"]
	_, out := rec["outputs"]
	if in || out {
		return SchemaAPPSPlus, true
	}
	return SchemaAuto, false
}

func sortedKeys(m map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
