// Package synth generates SecureCodeRL's synthetic problem family: short,
// complete APPS-style stdin problems, deterministic from a seed, small
// enough for a model trained on two CPU cores to learn and varied enough
// that every arm of the study's experiment can win or lose.
//
// Each [Family] is one kind of task (print the sum of a list, run-length
// encode a string, shortest path on a grid, …) over three tiers: tier 1
// one- or two-liners, tier 2 loops over strings and lists, tier 3 small
// algorithms. An instance draws its parameters (names, constants, output
// formats, sizes) from a seeded generator, so instances of one family are
// not copies. Every instance has a complete statement of at most
// [MaxStatementBytes] bytes with Input, Output and Examples sections, at
// least [MinHidden] hidden tests besides the examples (edge cases
// included), and at least two reference solutions written in different
// styles. Expected outputs come from a Go oracle per family; the package's
// tests judge every reference solution in the real sandbox against them.
//
// Tempting families are those where an insecure shortcut (eval, pickle,
// a shell command, a hard-coded /tmp path, MD5 for security) is the
// easiest correct program and a secure one exists: their rows carry the
// insecure references in insecure_solutions, and the native scanner flags
// every one of them and none of the secure ones.
//
// Rows are written in the APPS row schema (problem_id, question,
// solutions, input_output, difficulty, url, starter_code) plus family,
// tier, split, tempting and insecure_solutions, so every loader, judge and
// notebook reads them unchanged. Splits: instances of the training
// families go to train, valid (for tuning) and test (held out); the
// families marked Unseen go whole to test-unseen-family and are never
// trained on.
package synth

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
)

// The splits of a synthetic file.
const (
	SplitTrain  = "train"
	SplitValid  = "valid"
	SplitTest   = "test"
	SplitUnseen = "test-unseen-family"
)

// Splits lists the splits in their fixed order.
func Splits() []string { return []string{SplitTrain, SplitValid, SplitTest, SplitUnseen} }

// HeldoutSplits are the splits the final tables report.
func HeldoutSplits() []string { return []string{SplitTest, SplitUnseen} }

// Limits every instance respects (checked by Generate).
const (
	MaxStatementBytes = 800
	MinHidden         = 8
	MinSolutions      = 2
)

// DefaultN and DefaultSeed define the default synthetic set (the source
// "synth").
const (
	DefaultN    = 2400
	DefaultSeed = 1
)

// Family is one kind of problem.
type Family struct {
	Name string
	// Tier is 1 (one- or two-liners), 2 (loops over strings and lists) or
	// 3 (small algorithms).
	Tier int
	// Tempting families have an insecure shortcut (Instance.Insecure).
	Tempting bool
	// Unseen families go whole to the test-unseen-family split.
	Unseen bool
	// Cousin names the training family an unseen family is closest to (the
	// skill a model must transfer), for the documentation.
	Cousin string
	// About is a one-line description.
	About string
	// Make draws one instance.
	Make func(g *Gen) Instance
}

// Instance is one drawn problem of a family.
type Instance struct {
	// Story says what to compute, in a sentence or a few.
	Story string
	// Input and Output are the texts of the Input and Output sections.
	Input, Output string
	// Examples are the inputs shown in the statement (1 to 3); Hidden are
	// the other test inputs (at least MinHidden, edge cases included).
	// Inputs end with a newline.
	Examples, Hidden []string
	// Solve is the Go oracle: the expected standard output of an input.
	Solve func(input string) string
	// Solutions are secure reference programs (at least MinSolutions, in
	// different styles); Insecure are the insecure shortcuts of a tempting
	// family. All pass every test.
	Solutions, Insecure []string
}

// Difficulty is the APPS difficulty a tier is written as.
func Difficulty(tier int) string {
	switch tier {
	case 1:
		return "introductory"
	case 2:
		return "interview"
	default:
		return "competition"
	}
}

// Row is one generated problem in the APPS row schema (solutions,
// input_output and insecure_solutions are JSON-encoded strings, as in
// APPS) with the synthetic fields after it.
type Row struct {
	ProblemID         string `json:"problem_id"`
	Question          string `json:"question"`
	Solutions         string `json:"solutions"`
	InputOutput       string `json:"input_output"`
	Difficulty        string `json:"difficulty"`
	URL               string `json:"url"`
	StarterCode       string `json:"starter_code"`
	Family            string `json:"family"`
	Tier              int    `json:"tier"`
	Split             string `json:"split"`
	Tempting          bool   `json:"tempting"`
	InsecureSolutions string `json:"insecure_solutions,omitempty"`
}

// Options configures Generate.
type Options struct {
	// N problems in all, dealt to the families in turn (family i%F gets
	// its (i/F)-th instance), so a smaller N is a prefix of a larger one
	// family by family.
	N    int
	Seed uint64
	// Families restricts generation to these family names (default all).
	Families []string
}

// splitOf is the split of a family's j-th instance: unseen families are
// test-unseen-family; otherwise 8 in 10 train, 1 valid, 1 test.
func splitOf(f Family, j int) string {
	switch {
	case f.Unseen:
		return SplitUnseen
	case j%10 == 8:
		return SplitValid
	case j%10 == 9:
		return SplitTest
	}
	return SplitTrain
}

// Generate draws opts.N problems. It is deterministic in (N, Seed,
// Families): a problem depends only on the seed, its family and its index
// within the family. An instance that repeats an earlier statement of its
// family, or breaks a limit, is drawn again (up to a bound; a family that
// keeps failing is an error naming it).
func Generate(opts Options) ([]Row, error) {
	if opts.N <= 0 {
		return nil, fmt.Errorf("synth: the number of problems must be positive, got %d", opts.N)
	}
	fams, err := Select(opts.Families)
	if err != nil {
		return nil, err
	}
	counts := make([]int, len(fams))
	for i := 0; i < opts.N; i++ {
		counts[i%len(fams)]++
	}
	perFam := make([][]Row, len(fams))
	for fi, f := range fams {
		seen := map[string]bool{}
		for j := 0; j < counts[fi]; j++ {
			row, err := draw(f, opts.Seed, j, seen)
			if err != nil {
				return nil, err
			}
			perFam[fi] = append(perFam[fi], row)
		}
	}
	rows := make([]Row, 0, opts.N)
	for i := 0; i < opts.N; i++ {
		fi, j := i%len(fams), i/len(fams)
		rows = append(rows, perFam[fi][j])
	}
	return rows, nil
}

// maxAttempts bounds the redraws of one instance.
const maxAttempts = 50

func draw(f Family, seed uint64, j int, seen map[string]bool) (Row, error) {
	h := fnv.New64a()
	h.Write([]byte(f.Name))
	fam := h.Sum64()
	var lastErr error
	for attempt := 0; attempt < maxAttempts; attempt++ {
		g := newGen(seed, fam, j, attempt)
		inst := f.Make(g)
		row, err := build(f, j, inst)
		if err != nil {
			lastErr = err
			continue
		}
		if seen[row.Question] {
			lastErr = fmt.Errorf("repeats an earlier statement")
			continue
		}
		seen[row.Question] = true
		return row, nil
	}
	return Row{}, fmt.Errorf("synth: family %s, instance %d: no valid instance in %d draws (last: %v)", f.Name, j, maxAttempts, lastErr)
}

// Statement lays out an instance's statement in APPS style.
func Statement(inst Instance) string {
	var b strings.Builder
	b.WriteString(strings.TrimSpace(inst.Story))
	b.WriteString("\n\n-----Input-----\n")
	b.WriteString(strings.TrimSpace(inst.Input))
	b.WriteString("\n\n-----Output-----\n")
	b.WriteString(strings.TrimSpace(inst.Output))
	b.WriteString("\n\n-----Examples-----\n")
	for i, in := range inst.Examples {
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString("Input\n")
		b.WriteString(in)
		b.WriteString("\nOutput\n")
		b.WriteString(withNewline(inst.Solve(in)))
	}
	return b.String()
}

func withNewline(s string) string {
	if s == "" || strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}

func build(f Family, j int, inst Instance) (Row, error) {
	if len(inst.Examples) == 0 || len(inst.Examples) > 3 {
		return Row{}, fmt.Errorf("%d examples (want 1 to 3)", len(inst.Examples))
	}
	if len(inst.Solutions) < MinSolutions {
		return Row{}, fmt.Errorf("%d reference solutions (want at least %d)", len(inst.Solutions), MinSolutions)
	}
	if f.Tempting && len(inst.Insecure) == 0 {
		return Row{}, fmt.Errorf("a tempting family without an insecure reference")
	}
	var ins []string
	seenIn := map[string]bool{}
	for _, in := range append(slices.Clone(inst.Examples), inst.Hidden...) {
		in = withNewline(in)
		if seenIn[in] {
			continue
		}
		seenIn[in] = true
		ins = append(ins, in)
	}
	if len(ins)-len(inst.Examples) < MinHidden {
		return Row{}, fmt.Errorf("%d distinct hidden tests (want at least %d)", len(ins)-len(inst.Examples), MinHidden)
	}
	for i := range inst.Examples {
		inst.Examples[i] = withNewline(inst.Examples[i])
	}
	q := Statement(inst)
	if len(q) > MaxStatementBytes {
		return Row{}, fmt.Errorf("statement of %d bytes (limit %d)", len(q), MaxStatementBytes)
	}
	outs := make([]string, len(ins))
	for i, in := range ins {
		outs[i] = withNewline(inst.Solve(in))
	}
	io := marshal(map[string][]string{"inputs": ins, "outputs": outs})
	sols := marshal(normPrograms(inst.Solutions))
	row := Row{
		ProblemID: fmt.Sprintf("%s-%04d", f.Name, j), Question: q, Solutions: sols, InputOutput: io,
		Difficulty: Difficulty(f.Tier), Family: f.Name, Tier: f.Tier, Split: splitOf(f, j), Tempting: f.Tempting,
	}
	if len(inst.Insecure) > 0 {
		row.InsecureSolutions = marshal(normPrograms(inst.Insecure))
	}
	return row, nil
}

// marshal is json.Marshal without HTML escaping.
func marshal(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return strings.TrimSuffix(b.String(), "\n")
}

// normPrograms trims each program and ends it with one newline.
func normPrograms(ps []string) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = strings.Trim(p, "\n") + "\n"
	}
	return out
}

// WriteJSONL writes rows as JSON Lines.
func WriteJSONL(w io.Writer, rows []Row) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, r := range rows {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// JSONL returns the rows as JSON Lines.
func JSONL(rows []Row) []byte {
	var b bytes.Buffer
	_ = WriteJSONL(&b, rows)
	return b.Bytes()
}

// Families returns every family, in the fixed order of generation.
func Families() []Family {
	var out []Family
	out = append(out, tier1()...)
	out = append(out, tier2()...)
	out = append(out, tier3()...)
	out = append(out, tempting()...)
	out = append(out, transfer()...)
	return out
}

// Select returns the named families (all when names is empty), in the
// fixed order; an unknown name is an error listing the valid ones.
func Select(names []string) ([]Family, error) {
	all := Families()
	if len(names) == 0 {
		return all, nil
	}
	want := map[string]bool{}
	for _, n := range names {
		want[strings.TrimSpace(n)] = true
	}
	var out []Family
	for _, f := range all {
		if want[f.Name] {
			out = append(out, f)
			delete(want, f.Name)
		}
	}
	if len(want) > 0 {
		var bad, valid []string
		for n := range want {
			bad = append(bad, fmt.Sprintf("%q", n))
		}
		slices.Sort(bad)
		for _, f := range all {
			valid = append(valid, f.Name)
		}
		return nil, fmt.Errorf("synth: unknown family %s (valid: %s)", strings.Join(bad, ", "), strings.Join(valid, ", "))
	}
	return out, nil
}

// UnseenFamilies returns the names of the families held out whole.
func UnseenFamilies() []string {
	var out []string
	for _, f := range Families() {
		if f.Unseen {
			out = append(out, f.Name)
		}
	}
	return out
}

// Gen draws an instance's parameters: a PCG stream per (seed, family,
// instance, attempt).
type Gen struct {
	r *rand.Rand
}

func newGen(seed, fam uint64, j, attempt int) *Gen {
	return &Gen{r: rand.New(rand.NewPCG(seed^0x5e1f_c0de, fam+uint64(j)*0x9e3779b97f4a7c15+uint64(attempt)*0xbf58476d1ce4e5b9))}
}

// NewGen returns a generator for tests and examples.
func NewGen(seed uint64) *Gen { return newGen(seed, 0, 0, 0) }

// Int returns an integer in [lo, hi].
func (g *Gen) Int(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + g.r.IntN(hi-lo+1)
}

// Ints returns n integers in [lo, hi].
func (g *Gen) Ints(n, lo, hi int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = g.Int(lo, hi)
	}
	return out
}

// Bool returns true with probability p.
func (g *Gen) Bool(p float64) bool { return g.r.Float64() < p }

// Pick returns one of xs.
func Pick[T any](g *Gen, xs ...T) T { return xs[g.r.IntN(len(xs))] }

// Perm returns a random permutation of 0..n-1.
func (g *Gen) Perm(n int) []int { return g.r.Perm(n) }

// Shuffle shuffles xs in place.
func Shuffle[T any](g *Gen, xs []T) {
	g.r.Shuffle(len(xs), func(i, j int) { xs[i], xs[j] = xs[j], xs[i] })
}

// Name returns a person's name.
func (g *Gen) Name() string { return Pick(g, names...) }

// Word returns a lower-case word of n letters drawn from alphabet (default
// a–z).
func (g *Gen) Word(n int, alphabet string) string {
	if alphabet == "" {
		alphabet = "abcdefghijklmnopqrstuvwxyz"
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[g.r.IntN(len(alphabet))]
	}
	return string(b)
}

// Letters returns n distinct lower-case letters in random order.
func (g *Gen) Letters(n int) string {
	p := g.r.Perm(26)
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + p[i])
	}
	return string(b)
}

// Noun returns a lower-case English word from a fixed list.
func (g *Gen) Noun() string { return Pick(g, nouns...) }

var names = []string{"Alice", "Bob", "Carol", "Dmitri", "Elena", "Farid", "Greta", "Hiro", "Ines", "Jonas",
	"Kemal", "Lena", "Marta", "Nikos", "Olga", "Pavel", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Vera",
	"Wanda", "Xavier", "Yusuf", "Zoe"}

var nouns = []string{"apple", "river", "stone", "cloud", "tiger", "lemon", "piano", "rocket", "garden",
	"candle", "mirror", "forest", "button", "planet", "window", "ticket", "basket", "dragon", "pepper",
	"castle", "pencil", "orange", "silver", "wizard", "meadow", "parrot", "harbor", "violet", "copper", "falcon"}

// Line joins values with spaces and ends the line.
func Line[T any](xs ...T) string {
	var b strings.Builder
	for i, x := range xs {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprint(&b, x)
	}
	b.WriteByte('\n')
	return b.String()
}

// Join joins values with sep.
func Join[T any](xs []T, sep string) string {
	var b strings.Builder
	for i, x := range xs {
		if i > 0 {
			b.WriteString(sep)
		}
		fmt.Fprint(&b, x)
	}
	return b.String()
}

// Fields splits an input into whitespace-separated fields.
func Fields(in string) []string { return strings.Fields(in) }

// Lines splits an input into its lines (without the final empty one).
func Lines(in string) []string {
	in = strings.TrimSuffix(in, "\n")
	if in == "" {
		return nil
	}
	return strings.Split(in, "\n")
}

// Atoi parses an integer field (the oracles read inputs they wrote).
func Atoi(s string) int {
	n := 0
	neg := false
	for i, c := range s {
		if i == 0 && c == '-' {
			neg = true
			continue
		}
		n = n*10 + int(c-'0')
	}
	if neg {
		return -n
	}
	return n
}

// IntsOf parses whitespace-separated integers.
func IntsOf(s string) []int {
	fs := strings.Fields(s)
	out := make([]int, len(fs))
	for i, f := range fs {
		out[i] = Atoi(f)
	}
	return out
}

// Py returns the program text with a leading newline and the tabs of Go's
// indentation removed: families write programs as indented raw strings.
func Py(src string) string {
	lines := strings.Split(strings.Trim(src, "\n"), "\n")
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	indent := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, "\t"))
		if indent < 0 || n < indent {
			indent = n
		}
	}
	for i, l := range lines {
		if len(l) >= indent && indent > 0 {
			lines[i] = l[indent:]
		}
		// Python indentation in the raw strings is written with tabs too:
		// four spaces each.
		t := len(lines[i]) - len(strings.TrimLeft(lines[i], "\t"))
		lines[i] = strings.Repeat("    ", t) + lines[i][t:]
	}
	return strings.Join(lines, "\n") + "\n"
}

// FloorMod is Python's % for ints.
func FloorMod(a, b int) int {
	m := a % b
	if m != 0 && (m < 0) != (b < 0) {
		m += b
	}
	return m
}

// FloorDiv is Python's // for ints.
func FloorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// Fill replaces each "$NAME" in src with the value that follows NAME in kv
// (pairs of name and value; longer names are replaced first, so $N and $NAME
// do not clash). Programs are written with Fill and Py:
//
//	Py(Fill(`
//		print(sum(a) % $K)
//	`, "K", k))
func Fill(src string, kv ...any) string {
	type pair struct{ k, v string }
	var ps []pair
	for i := 0; i+1 < len(kv); i += 2 {
		ps = append(ps, pair{"$" + fmt.Sprint(kv[i]), fmt.Sprint(kv[i+1])})
	}
	slices.SortStableFunc(ps, func(a, b pair) int { return len(b.k) - len(a.k) })
	for _, p := range ps {
		src = strings.ReplaceAll(src, p.k, p.v)
	}
	return src
}

// Quote is a Python string literal of s (double-quoted, backslash
// escapes).
func Quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		switch c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(c)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteRune(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
