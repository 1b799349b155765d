package tokenizer

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

var fastPatterns = []struct{ name, pattern string }{
	{"llama3", patLlama3},
	{"qwen", patQwen},
	{"gpt2", patGPT2},
	{"digits3", patDigits3},
	{"deepseek_kana_kanji", patDeepSeekK},
	{"deepseek", patDeepSeek},
	// As DeepSeek V3's tokenizer.json spells it, with literal CR and LF.
	{"deepseek_literal_crlf", strings.NewReplacer(`\r`, "\r", `\n`, "\n").Replace(patDeepSeek)},
}

// alphabet mixes the characters the patterns tell apart.
var alphabet = []string{
	"a", "Z", "é", "ſ", "K", "İ", "中", "の", "カ", "한", "ا", "1", "٣", "²", "½", "Ⅻ",
	" ", "  ", "\t", "\n", "\r", "\r\n", "\u00a0", "\u3000", "\u2028", "\u0085", "\ufeff", "\u200b",
	"'", "'s", "'S", "'re", "'RE", "'ll", "'d", "'x", "\"", ".", ",", "(", ")", "_", "-", "#", "$", "+", "`", "\\",
	"\u0301", "\u0308", "😀", "👍🏽", "\u200d", "𝔘", "\x00", "\x1b", "\xff", "\xc3", "€", "∀", "™",
}

func randomText(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(alphabet[r.IntN(len(alphabet))])
	}
	return b.String()
}

func checkAgainstRegexp2(t *testing.T, name string, fast, ref matcher, s string) {
	t.Helper()
	got, want := findAll(fast, s), findAll(ref, s)
	if !slices.Equal(got, want) {
		t.Fatalf("%s on %q:\n got %v\nwant %v (regexp2)", name, s, spanStrings(s, got), spanStrings(s, want))
	}
}

func spanStrings(s string, sp []span) []string {
	out := make([]string, len(sp))
	for i, x := range sp {
		out[i] = fmt.Sprintf("%q", s[x.start:x.end])
	}
	return out
}

// TestFastMatchersAgreeWithRegexp2 compares each hand-written matcher with
// regexp2 running its pattern, on the golden corpus and random text.
func TestFastMatchersAgreeWithRegexp2(t *testing.T) {
	var corpus goldenCorpus
	readJSONFile(t, "testdata/golden/corpus.json", &corpus)
	r := rand.New(rand.NewPCG(1, 2))
	for _, p := range fastPatterns {
		t.Run(p.name, func(t *testing.T) {
			fast := fastMatcher(canonPattern(p.pattern))
			if fast == nil {
				t.Fatal("no hand-written matcher")
			}
			ref, err := compileRegexp2(p.pattern)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range corpus.Cases {
				checkAgainstRegexp2(t, p.name, fast, ref, c.Text)
			}
			for range 3000 {
				checkAgainstRegexp2(t, p.name, fast, ref, randomText(r, 1+r.IntN(24)))
			}
		})
	}
}

func FuzzFastMatchers(f *testing.F) {
	for _, s := range []string{"it's  \n\n x", "a1234b 'Re\r\n", "中文 カタ", "  \t\n  y", "$x.y[0]"} {
		f.Add(s)
	}
	type pair struct {
		name      string
		fast, ref matcher
	}
	var ms []pair
	for _, p := range fastPatterns {
		ref, err := compileRegexp2(p.pattern)
		if err != nil {
			f.Fatal(err)
		}
		ms = append(ms, pair{p.name, fastMatcher(canonPattern(p.pattern)), ref})
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, m := range ms {
			checkAgainstRegexp2(t, m.name, m.fast, m.ref, s)
		}
	})
}

// The split behaviors, on "a-b--c" split at "-", as tokenizers documents
// them.
func TestSplitBehaviors(t *testing.T) {
	cases := []struct {
		behavior string
		invert   bool
		want     []string
	}{
		{"Removed", false, []string{"a", "b", "c"}},
		{"Isolated", false, []string{"a", "-", "b", "-", "-", "c"}},
		{"MergedWithPrevious", false, []string{"a-", "b-", "-", "c"}},
		{"MergedWithNext", false, []string{"a", "-b", "-", "-c"}},
		{"Contiguous", false, []string{"a", "-", "b", "--", "c"}},
		{"Removed", true, []string{"-", "-", "-"}},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s/invert=%v", c.behavior, c.invert), func(t *testing.T) {
			raw := fmt.Sprintf(`{"type":"Split","pattern":{"String":"-"},"behavior":%q,"invert":%v}`, c.behavior, c.invert)
			p, err := buildPreTokenizer([]byte(raw))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			p.split("a-b--c", func(s string) { got = append(got, s) })
			if !slices.Equal(got, c.want) {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestDigits(t *testing.T) {
	for _, c := range []struct {
		individual bool
		want       []string
	}{
		{true, []string{"a", "1", "2", " b", "٣", "4"}},
		{false, []string{"a", "12", " b", "٣4"}},
	} {
		var got []string
		preDigits{c.individual}.split("a12 b٣4", func(s string) { got = append(got, s) })
		if !slices.Equal(got, c.want) {
			t.Errorf("individual=%v: got %q, want %q", c.individual, got, c.want)
		}
	}
}
