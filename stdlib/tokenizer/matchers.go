package tokenizer

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/dlclark/regexp2"
)

// span is a match [start, end) in bytes.
type span struct{ start, end int }

// matcher finds the successive non-overlapping matches of a pattern, leftmost
// first, as Oniguruma's find_iter does, and calls yield with each.
type matcher interface {
	find(s string, yield func(start, end int))
}

// findAll collects the matches of m in s.
func findAll(m matcher, s string) []span {
	var out []span
	m.find(s, func(a, b int) { out = append(out, span{a, b}) })
	return out
}

// Patterns with hand-written matchers, in canonical form (see canonPattern).
const (
	// Llama-3 and GPT-4 (cl100k): numbers in runs of up to three digits.
	patLlama3 = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
	// Qwen 2/2.5/3: single digits.
	patQwen = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
	// GPT-2, and ByteLevel's use_regex.
	patGPT2 = `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
	// DeepSeek V3 (a Sequence of three Splits).
	patDigits3   = `\p{N}{1,3}`
	patDeepSeekK = "[\u4e00-\u9fa5\u3040-\u309f\u30a0-\u30ff]+"
	patDeepSeek  = "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\\r\\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"
)

// canonPattern writes literal CR and LF as \r and \n, as most files do.
func canonPattern(p string) string {
	return strings.NewReplacer("\r", `\r`, "\n", `\n`).Replace(p)
}

// newRegexMatcher returns the hand-written matcher of a known pattern, or
// one running the pattern on regexp2.
func newRegexMatcher(pattern string) (matcher, error) {
	if m := fastMatcher(canonPattern(pattern)); m != nil {
		return m, nil
	}
	return compileRegexp2(pattern)
}

func fastMatcher(canon string) matcher {
	switch canon {
	case patLlama3:
		return cl100kMatcher{maxDigits: 3}
	case patQwen:
		return cl100kMatcher{maxDigits: 1}
	case patGPT2:
		return gpt2Matcher{}
	case patDigits3:
		return runMatcher{want: clN, max: 3}
	case patDeepSeekK:
		return rangeRunMatcher{}
	case patDeepSeek:
		return deepseekMatcher{}
	}
	return nil
}

// regexMatcher runs a pattern on regexp2.
type regexMatcher struct{ re *regexp2.Regexp }

func compileRegexp2(pattern string) (*regexMatcher, error) {
	re, err := regexp2.Compile(pattern, regexp2.None)
	if err != nil {
		return nil, fmt.Errorf("regex %q: %w", pattern, err)
	}
	return &regexMatcher{re: re}, nil
}

func (m *regexMatcher) find(s string, yield func(start, end int)) {
	if s == "" {
		return
	}
	// regexp2 works on runes; offs maps rune indexes to byte offsets.
	runes := make([]rune, 0, len(s))
	offs := make([]int, 0, len(s)+1)
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		runes = append(runes, r)
		offs = append(offs, i)
		i += w
	}
	offs = append(offs, len(s))
	mt, err := m.re.FindRunesMatch(runes)
	for mt != nil && err == nil {
		yield(offs[mt.Index], offs[mt.Index+mt.Length])
		mt, err = m.re.FindNextMatch(mt)
	}
}

// stringMatcher finds a literal string.
type stringMatcher struct{ lit string }

func (m stringMatcher) find(s string, yield func(start, end int)) {
	if m.lit == "" {
		return
	}
	for i := 0; ; {
		j := strings.Index(s[i:], m.lit)
		if j < 0 {
			return
		}
		yield(i+j, i+j+len(m.lit))
		i += j + len(m.lit)
	}
}

// --- hand-written matchers ---------------------------------------------------

// stepper is a matcher that can be pulled: next returns the first match at or
// after i, or -1, -1.
type stepper interface {
	next(s string, i int) (start, end int)
}

func findSteps(m stepper, s string, yield func(start, end int)) {
	for i := 0; i < len(s); {
		a, b := m.next(s, i)
		if a < 0 {
			return
		}
		yield(a, b)
		i = b
	}
}

// scanClass returns the end of the run of characters of class want from i.
func scanClass(s string, i int, want uint8) int {
	for i < len(s) {
		_, w, c := at(s, i)
		if c&want == 0 {
			break
		}
		i += w
	}
	return i
}

// scanNot returns the end of the run of characters in none of the classes.
func scanNot(s string, i int, not uint8) int {
	for i < len(s) {
		_, w, c := at(s, i)
		if c&not != 0 {
			break
		}
		i += w
	}
	return i
}

func scanNewlines(s string, i int) int {
	for i < len(s) && (s[i] == '\r' || s[i] == '\n') {
		i++
	}
	return i
}

// spaceTail matches \s*[\r\n]+, then \s+(?!\S), then \s+ at i, where s[i]
// is whitespace; it returns the end of the first alternative that matches.
func spaceTail(s string, i int, withNewlines bool) int {
	j, lastNL, lastStart := i, -1, i
	for j < len(s) {
		r, w, c := at(s, j)
		if c&clSpace == 0 {
			break
		}
		if r == '\r' || r == '\n' {
			lastNL = j
		}
		lastStart = j
		j += w
	}
	if withNewlines && lastNL >= 0 { // \s*[\r\n]+
		return lastNL + 1
	}
	if j == len(s) { // \s+(?!\S) at the end
		return j
	}
	if lastStart > i { // \s+(?!\S): give back the last space
		return lastStart
	}
	return j // \s+
}

// contraction matches 's|'t|'re|'ve|'m|'ll|'d at i (s[i] == '\”), ASCII
// case-insensitively when fold is set; 0 means no match.
func contraction(s string, i int, fold bool) int {
	lower := func(b byte) byte {
		if fold && b >= 'A' && b <= 'Z' {
			return b + 'a' - 'A'
		}
		return b
	}
	if i+1 >= len(s) {
		return 0
	}
	switch lower(s[i+1]) {
	case 's', 't', 'm', 'd':
		return i + 2
	case 'r', 'v':
		if i+2 < len(s) && lower(s[i+2]) == 'e' {
			return i + 3
		}
	case 'l':
		if i+2 < len(s) && lower(s[i+2]) == 'l' {
			return i + 3
		}
	}
	return 0
}

// cl100kMatcher: (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|
// \p{N}{1,maxDigits}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
type cl100kMatcher struct{ maxDigits int }

func (m cl100kMatcher) next(s string, i int) (start, end int) {
	if i >= len(s) {
		return -1, -1
	}
	return i, m.matchAt(s, i) // every character starts a match
}

func (m cl100kMatcher) find(s string, yield func(start, end int)) { findSteps(m, s, yield) }

func (m cl100kMatcher) matchAt(s string, i int) int {
	r0, w0, c0 := at(s, i)
	if r0 == '\'' {
		if e := contraction(s, i, true); e > 0 {
			return e
		}
	}
	if c0&clL != 0 {
		return scanClass(s, i+w0, clL)
	}
	if r0 != '\r' && r0 != '\n' && c0&clN == 0 && i+w0 < len(s) {
		if _, _, c1 := at(s, i+w0); c1&clL != 0 {
			return scanClass(s, i+w0, clL)
		}
	}
	if c0&clN != 0 {
		e := i + w0
		for n := 1; n < m.maxDigits && e < len(s); n++ {
			_, w, c := at(s, e)
			if c&clN == 0 {
				break
			}
			e += w
		}
		return e
	}
	const sln = clSpace | clL | clN
	start := i
	if r0 == ' ' && i+1 < len(s) {
		if _, _, c1 := at(s, i+1); c1&sln == 0 {
			start = i + 1
		}
	}
	if _, _, cs := at(s, start); cs&sln == 0 {
		return scanNewlines(s, scanNot(s, start, sln))
	}
	// c0 is whitespace here: L, N and the rest were handled above.
	return spaceTail(s, i, true)
}

// gpt2Matcher: 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|
// \s+(?!\S)|\s+
type gpt2Matcher struct{}

func (gpt2Matcher) next(s string, i int) (start, end int) {
	if i >= len(s) {
		return -1, -1
	}
	return i, gpt2MatchAt(s, i) // every character starts a match
}

func (gpt2Matcher) find(s string, yield func(start, end int)) { findSteps(gpt2Matcher{}, s, yield) }

func gpt2MatchAt(s string, i int) int {
	r0, _, c0 := at(s, i)
	if r0 == '\'' {
		if e := contraction(s, i, false); e > 0 {
			return e
		}
	}
	start, cs := i, c0
	if r0 == ' ' && i+1 < len(s) {
		if _, _, c1 := at(s, i+1); c1&clSpace == 0 {
			start, cs = i+1, c1
		}
	}
	switch {
	case cs&clL != 0:
		return scanClass(s, start, clL)
	case cs&clN != 0:
		return scanClass(s, start, clN)
	case cs&clSpace == 0:
		return scanNot(s, start, clSpace|clL|clN)
	}
	return spaceTail(s, i, false)
}

// runMatcher: [class]{1,max} (max 0: unbounded).
type runMatcher struct {
	want uint8
	max  int
}

func (m runMatcher) next(s string, i int) (start, end int) {
	for i < len(s) {
		_, w, c := at(s, i)
		if c&m.want == 0 {
			i += w
			continue
		}
		e, n := i+w, 1
		for e < len(s) && (m.max == 0 || n < m.max) {
			_, w, c := at(s, e)
			if c&m.want == 0 {
				break
			}
			e += w
			n++
		}
		return i, e
	}
	return -1, -1
}

func (m runMatcher) find(s string, yield func(start, end int)) { findSteps(m, s, yield) }

// rangeRunMatcher: [\x{4e00}-\x{9fa5}\x{3040}-\x{309f}\x{30a0}-\x{30ff}]+
type rangeRunMatcher struct{}

func inKanaKanji(r rune) bool {
	return r >= 0x4e00 && r <= 0x9fa5 || r >= 0x3040 && r <= 0x309f || r >= 0x30a0 && r <= 0x30ff
}

func (rangeRunMatcher) next(s string, i int) (start, end int) {
	for i < len(s) {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if !inKanaKanji(r) {
			i += w
			continue
		}
		e := i + w
		for e < len(s) {
			r, w := utf8.DecodeRuneInString(s[e:])
			if !inKanaKanji(r) {
				break
			}
			e += w
		}
		return i, e
	}
	return -1, -1
}

func (rangeRunMatcher) find(s string, yield func(start, end int)) {
	findSteps(rangeRunMatcher{}, s, yield)
}

// deepseekMatcher: [!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|
// [^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|
// \s+(?!\S)|\s+
type deepseekMatcher struct{}

func isASCIIPunct(b byte) bool {
	return b >= '!' && b <= '/' || b >= ':' && b <= '@' || b >= '[' && b <= '`' || b >= '{' && b <= '~'
}

func isASCIILetter(b byte) bool { return b|0x20 >= 'a' && b|0x20 <= 'z' }

func (deepseekMatcher) next(s string, i int) (start, end int) {
	for i < len(s) {
		e := deepseekMatchAt(s, i)
		if e < 0 { // no alternative matches here: part of a gap
			_, w, _ := at(s, i)
			i += w
			continue
		}
		return i, e
	}
	return -1, -1
}

func (deepseekMatcher) find(s string, yield func(start, end int)) {
	findSteps(deepseekMatcher{}, s, yield)
}

func deepseekMatchAt(s string, i int) int {
	if isASCIIPunct(s[i]) && i+1 < len(s) && isASCIILetter(s[i+1]) {
		e := i + 2
		for e < len(s) && isASCIILetter(s[e]) {
			e++
		}
		return e
	}
	r0, w0, c0 := at(s, i)
	const lm = clL | clM
	if c0&lm != 0 {
		return scanClass(s, i+w0, lm)
	}
	if r0 != '\r' && r0 != '\n' && c0&(clP|clS) == 0 && i+w0 < len(s) {
		if _, _, c1 := at(s, i+w0); c1&lm != 0 {
			return scanClass(s, i+w0, lm)
		}
	}
	const ps = clP | clS
	start := i
	if r0 == ' ' && i+1 < len(s) {
		if _, _, c1 := at(s, i+1); c1&ps != 0 {
			start = i + 1
		}
	}
	if _, _, cs := at(s, start); cs&ps != 0 {
		return scanNewlines(s, scanClass(s, start, ps))
	}
	if c0&clSpace != 0 {
		return spaceTail(s, i, true)
	}
	return -1
}
