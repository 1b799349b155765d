package tokenizer

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// --- normalizers -------------------------------------------------------------

type normalizer interface{ normalize(s string) string }

type normSeq []normalizer

func (n normSeq) normalize(s string) string {
	for _, x := range n {
		s = x.normalize(s)
	}
	return s
}

type normForm struct{ f norm.Form }

func (n normForm) normalize(s string) string {
	if n.f.IsNormalString(s) {
		return s
	}
	return n.f.String(s)
}

type normLower struct{}

func (normLower) normalize(s string) string {
	// Rust's char::to_lowercase, which maps U+0130 to "i\u0307".
	return strings.Map(unicode.ToLower, strings.ReplaceAll(s, "\u0130", "i\u0307"))
}

type normStrip struct{ left, right bool }

func (n normStrip) normalize(s string) string {
	if n.left {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
	}
	if n.right {
		s = strings.TrimRightFunc(s, unicode.IsSpace)
	}
	return s
}

type normStripAccents struct{}

func (normStripAccents) normalize(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, s)
}

type normReplace struct {
	m       matcher
	content string
}

func (n normReplace) normalize(s string) string { return replaceAll(n.m, s, n.content) }

func replaceAll(m matcher, s, content string) string {
	spans := findAll(m, s)
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	prev := 0
	for _, sp := range spans {
		b.WriteString(s[prev:sp.start])
		b.WriteString(content)
		prev = sp.end
	}
	b.WriteString(s[prev:])
	return b.String()
}

type normPrepend struct{ prefix string }

func (n normPrepend) normalize(s string) string {
	if s == "" {
		return s
	}
	return n.prefix + s
}

// patternJSON is {"String": "..."} or {"Regex": "..."}.
type patternJSON struct {
	String *string `json:"String"`
	Regex  *string `json:"Regex"`
}

func (p patternJSON) matcher() (matcher, error) {
	switch {
	case p.Regex != nil:
		return newRegexMatcher(*p.Regex)
	case p.String != nil:
		return stringMatcher{*p.String}, nil
	}
	return nil, fmt.Errorf("pattern has neither String nor Regex")
}

func buildNormalizer(raw json.RawMessage) (normalizer, error) {
	if isNull(raw) {
		return nil, nil
	}
	var c struct {
		Type        string            `json:"type"`
		Normalizers []json.RawMessage `json:"normalizers"`
		StripLeft   *bool             `json:"strip_left"`
		StripRight  *bool             `json:"strip_right"`
		Pattern     patternJSON       `json:"pattern"`
		Content     string            `json:"content"`
		Prepend     string            `json:"prepend"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("normalizer: %w", err)
	}
	switch c.Type {
	case "Sequence":
		var seq normSeq
		for _, r := range c.Normalizers {
			n, err := buildNormalizer(r)
			if err != nil {
				return nil, err
			}
			if n != nil {
				seq = append(seq, n)
			}
		}
		if len(seq) == 0 {
			return nil, nil
		}
		return seq, nil
	case "NFC":
		return normForm{norm.NFC}, nil
	case "NFD":
		return normForm{norm.NFD}, nil
	case "NFKC":
		return normForm{norm.NFKC}, nil
	case "NFKD":
		return normForm{norm.NFKD}, nil
	case "Lowercase":
		return normLower{}, nil
	case "Strip":
		return normStrip{left: c.StripLeft == nil || *c.StripLeft, right: c.StripRight == nil || *c.StripRight}, nil
	case "StripAccents":
		return normStripAccents{}, nil
	case "Replace":
		m, err := c.Pattern.matcher()
		if err != nil {
			return nil, fmt.Errorf("Replace normalizer: %w", err)
		}
		return normReplace{m, c.Content}, nil
	case "Prepend":
		return normPrepend{c.Prepend}, nil
	}
	return nil, fmt.Errorf("unsupported normalizer %q", c.Type)
}

// --- pre-tokenizers ----------------------------------------------------------

// preTokenizer splits a string into pieces and calls yield with each
// non-empty one, in order.
type preTokenizer interface {
	split(s string, yield func(string))
}

type preSeq []preTokenizer

func (p preSeq) split(s string, yield func(string)) {
	// Chain the steps: step i feeds step i+1.
	fns := make([]func(string), len(p))
	fns[len(p)-1] = func(x string) { p[len(p)-1].split(x, yield) }
	for i := len(p) - 2; i >= 0; i-- {
		next, step := fns[i+1], p[i]
		fns[i] = func(x string) { step.split(x, next) }
	}
	fns[0](s)
}

// Split behaviors.
const (
	behRemoved = iota
	behIsolated
	behMergedWithPrevious
	behMergedWithNext
	behContiguous
)

type preSplit struct {
	m        matcher
	behavior int
	invert   bool
}

// piece is a part of a split string, matched or not.
type piece struct {
	start, end int
	match      bool
}

// matchPieces turns the matches of m into pieces covering s, as tokenizers'
// Pattern::find_matches does.
func matchPieces(s string, m matcher) []piece {
	var dst []piece
	prev := 0
	m.find(s, func(a, b int) {
		if prev != a {
			dst = append(dst, piece{prev, a, false})
		}
		dst = append(dst, piece{a, b, true})
		prev = b
	})
	if prev != len(s) {
		dst = append(dst, piece{prev, len(s), false})
	}
	return dst
}

// splitPieces applies a split behavior (NormalizedString::split).
func splitPieces(s string, ps []piece, behavior int, invert bool, yield func(string)) {
	if invert {
		for i := range ps {
			ps[i].match = !ps[i].match
		}
	}
	add := func(a, b int) {
		if b > a {
			yield(s[a:b])
		}
	}
	switch behavior {
	case behIsolated:
		for _, p := range ps {
			add(p.start, p.end)
		}
	case behRemoved:
		for _, p := range ps {
			if !p.match {
				add(p.start, p.end)
			}
		}
	case behContiguous, behMergedWithPrevious:
		var out []piece
		prevMatch := false
		for _, p := range ps {
			merge := p.match == prevMatch
			if behavior == behMergedWithPrevious {
				merge = p.match && !prevMatch
			}
			if merge && len(out) > 0 {
				out[len(out)-1].end = p.end
			} else {
				out = append(out, p)
			}
			prevMatch = p.match
		}
		for _, p := range out {
			add(p.start, p.end)
		}
	case behMergedWithNext:
		var out []piece // reversed
		prevMatch := false
		for i := len(ps) - 1; i >= 0; i-- {
			p := ps[i]
			if p.match && !prevMatch && len(out) > 0 {
				out[len(out)-1].start = p.start
			} else {
				out = append(out, p)
			}
			prevMatch = p.match
		}
		for i := len(out) - 1; i >= 0; i-- {
			add(out[i].start, out[i].end)
		}
	}
}

func (p *preSplit) split(s string, yield func(string)) {
	if s == "" {
		return
	}
	if p.behavior == behIsolated && !p.invert {
		// The common case: matches and the gaps between them, in order.
		if st, ok := p.m.(stepper); ok {
			prev := 0
			for prev < len(s) {
				a, b := st.next(s, prev)
				if a < 0 {
					break
				}
				if prev != a {
					yield(s[prev:a])
				}
				yield(s[a:b])
				prev = b
			}
			if prev != len(s) {
				yield(s[prev:])
			}
			return
		}
		prev := 0
		p.m.find(s, func(a, b int) {
			if prev != a {
				yield(s[prev:a])
			}
			if b > a {
				yield(s[a:b])
			}
			prev = b
		})
		if prev != len(s) {
			yield(s[prev:])
		}
		return
	}
	splitPieces(s, matchPieces(s, p.m), p.behavior, p.invert, yield)
}

// preByteLevel is the ByteLevel pre-tokenizer. When lazy, the byte-to-
// character mapping is left to the model, which reads raw bytes.
type preByteLevel struct {
	addPrefixSpace, useRegex, lazy bool
}

// identity reports whether the pre-tokenizer leaves its input as it is.
func (p *preByteLevel) identity() bool { return p.lazy && !p.useRegex && !p.addPrefixSpace }

func (p *preByteLevel) split(s string, yield func(string)) {
	if s == "" {
		return
	}
	if p.addPrefixSpace && s[0] != ' ' {
		s = " " + s
	}
	out := yield
	if !p.lazy {
		out = func(x string) { yield(byteLevelEncode(x)) }
	}
	if p.useRegex {
		gpt2Matcher{}.find(s, func(a, b int) { out(s[a:b]) })
	} else {
		out(s)
	}
}

type preDigits struct{ individual bool }

func (p preDigits) split(s string, yield func(string)) {
	if s == "" {
		return
	}
	var ps []piece
	last := 0
	for i := 0; i < len(s); {
		_, w, c := at(s, i)
		if c&clN != 0 {
			if last < i {
				ps = append(ps, piece{last, i, false})
			}
			ps = append(ps, piece{i, i + w, true})
			last = i + w
		}
		i += w
	}
	if last < len(s) {
		ps = append(ps, piece{last, len(s), false})
	}
	b := behContiguous
	if p.individual {
		b = behIsolated
	}
	splitPieces(s, ps, b, false, yield)
}

type preWhitespaceSplit struct{}

func (preWhitespaceSplit) split(s string, yield func(string)) {
	for _, f := range strings.FieldsFunc(s, unicode.IsSpace) {
		yield(f)
	}
}

func buildPreTokenizer(raw json.RawMessage) (preTokenizer, error) {
	if isNull(raw) {
		return nil, nil
	}
	var c struct {
		Type             string            `json:"type"`
		Pretokenizers    []json.RawMessage `json:"pretokenizers"`
		Pattern          patternJSON       `json:"pattern"`
		Behavior         string            `json:"behavior"`
		Invert           bool              `json:"invert"`
		AddPrefixSpace   bool              `json:"add_prefix_space"`
		UseRegex         *bool             `json:"use_regex"`
		IndividualDigits bool              `json:"individual_digits"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("pre_tokenizer: %w", err)
	}
	switch c.Type {
	case "Sequence":
		var seq preSeq
		for _, r := range c.Pretokenizers {
			p, err := buildPreTokenizer(r)
			if err != nil {
				return nil, err
			}
			if p != nil {
				seq = append(seq, p)
			}
		}
		if len(seq) == 0 {
			return nil, nil
		}
		return seq, nil
	case "Split":
		m, err := c.Pattern.matcher()
		if err != nil {
			return nil, fmt.Errorf("Split pre-tokenizer: %w", err)
		}
		b, ok := map[string]int{"Removed": behRemoved, "Isolated": behIsolated,
			"MergedWithPrevious": behMergedWithPrevious, "MergedWithNext": behMergedWithNext,
			"Contiguous": behContiguous}[c.Behavior]
		if !ok {
			return nil, fmt.Errorf("Split pre-tokenizer: unknown behavior %q", c.Behavior)
		}
		return &preSplit{m: m, behavior: b, invert: c.Invert}, nil
	case "ByteLevel":
		return &preByteLevel{addPrefixSpace: c.AddPrefixSpace, useRegex: c.UseRegex == nil || *c.UseRegex}, nil
	case "Digits":
		return preDigits{c.IndividualDigits}, nil
	case "Whitespace":
		m, err := compileRegexp2(`\w+|[^\w\s]+`)
		if err != nil {
			return nil, err
		}
		return &preSplit{m: m, behavior: behRemoved, invert: true}, nil
	case "WhitespaceSplit":
		return preWhitespaceSplit{}, nil
	}
	return nil, fmt.Errorf("unsupported pre_tokenizer %q", c.Type)
}

// lastByteLevel returns the ByteLevel pre-tokenizer that ends the chain, if
// it is the only one: its mapping can then be left to the model.
func lastByteLevel(p preTokenizer) *preByteLevel {
	switch x := p.(type) {
	case *preByteLevel:
		return x
	case preSeq:
		for _, q := range x[:len(x)-1] {
			if containsByteLevel(q) {
				return nil
			}
		}
		return lastByteLevel(x[len(x)-1])
	}
	return nil
}

// withoutIdentity drops a trailing ByteLevel step that does nothing (lazy,
// no regex, no prefix space); nil means no pre-tokenization is left.
func withoutIdentity(p preTokenizer) preTokenizer {
	switch x := p.(type) {
	case *preByteLevel:
		if x.identity() {
			return nil
		}
	case preSeq:
		if bl, ok := x[len(x)-1].(*preByteLevel); ok && bl.identity() {
			x = x[:len(x)-1]
			switch len(x) {
			case 0:
				return nil
			case 1:
				return x[0]
			}
			return x
		}
	}
	return p
}

func containsByteLevel(p preTokenizer) bool {
	switch x := p.(type) {
	case *preByteLevel:
		return true
	case preSeq:
		for _, q := range x {
			if containsByteLevel(q) {
				return true
			}
		}
	}
	return false
}

func isNull(raw json.RawMessage) bool {
	s := strings.TrimSpace(string(raw))
	return s == "" || s == "null"
}
