package synth

import (
	"fmt"
	"slices"
	"strings"
)

// tier2 are loops over strings and lists: counting, reversing, prefix
// sums, run-length encoding, small simulations.
func tier2() []Family {
	return []Family{
		runLength(),
		countChar(),
		countVowels(),
		reverseWords(),
		prefixSums(),
		suffixSums(),
		countGreater(),
		countLess(),
		runningMax(),
		runningMin(),
		palindrome(),
		secondLargest(),
		robotWalk(),
		caesar(),
		wordFreq(),
		balanceOps(),
	}
}

func runLength() Family {
	return Family{Name: "run_length", Tier: 2, About: "run-length encode a string: each run as its letter and length",
		Make: func(g *Gen) Instance {
			sep := Pick(g, "", "-", " ", ",")
			countFirst := g.Bool(0.5)
			unit := "the letter followed by the length of the run"
			if countFirst {
				unit = "the length of the run followed by the letter"
			}
			sepText := "with nothing between runs"
			if sep != "" {
				sepText = fmt.Sprintf("runs separated by %q", sep)
			}
			word := Pick(g, "a log of machine states", "a DNA strand", "a row of tiles", "a signal")
			inst := Instance{
				Story:  fmt.Sprintf("The string s describes %s. Compress it: replace every maximal run of equal letters by %s.", word, unit),
				Input:  "One line with the string s (1 <= |s| <= 200) of lowercase letters.",
				Output: fmt.Sprintf("Print the encoded string, %s.", sepText),
				Solve: func(in string) string {
					s := strings.TrimSpace(in)
					var parts []string
					for i := 0; i < len(s); {
						j := i
						for j < len(s) && s[j] == s[i] {
							j++
						}
						if countFirst {
							parts = append(parts, fmt.Sprintf("%d%c", j-i, s[i]))
						} else {
							parts = append(parts, fmt.Sprintf("%c%d", s[i], j-i))
						}
						i = j
					}
					return strings.Join(parts, sep)
				},
			}
			item, item2 := "ch + str(cnt)", "k + str(len(list(grp)))"
			if countFirst {
				item, item2 = "str(cnt) + ch", "str(len(list(grp))) + k"
			}
			inst.Solutions = []string{
				Py(Fill(`
					s = input().strip()
					parts = []
					ch, cnt = s[0], 0
					for c in s:
						if c == ch:
							cnt += 1
						else:
							parts.append($ITEM)
							ch, cnt = c, 1
					parts.append($ITEM)
					print($SEP.join(parts))
				`, "ITEM", item, "SEP", Quote(sep))),
				Py(Fill(`
					from itertools import groupby
					s = input().strip()
					print($SEP.join($ITEM for k, grp in groupby(s)))
				`, "ITEM", item2, "SEP", Quote(sep))),
			}
			alpha := g.Letters(3)
			runs := func(n int, maxRun int) string {
				var b strings.Builder
				last := byte(0)
				for b.Len() < n {
					c := alpha[g.Int(0, 2)]
					if c == last {
						continue
					}
					last = c
					b.WriteString(strings.Repeat(string(c), g.Int(1, maxRun)))
				}
				return b.String()[:n] + "\n"
			}
			inst.Examples = []string{runs(g.Int(5, 9), 3), runs(g.Int(3, 6), 2)}
			inst.Hidden = []string{
				g.Word(1, "") + "\n",            // one letter
				strings.Repeat("z", 200) + "\n", // one long run, largest size
				"abababababab\n",                // all runs of one
				runs(200, 15),
				runs(g.Int(10, 50), 12),
				runs(g.Int(10, 50), 1),
				runs(g.Int(2, 10), 4),
				g.Word(g.Int(20, 60), "ab") + "\n",
			}
			return inst
		}}
}

// --- helpers of tier 2 -----------------------------------------------------

// t2list is the input of a list problem: n, then the n values on one line.
func t2list(xs []int) string { return Line(len(xs)) + Line(xs...) }

// t2listOf parses a list input (n, then n values).
func t2listOf(in string) []int {
	xs := IntsOf(in)
	return xs[1 : 1+xs[0]]
}

// t2outSep draws how a list of numbers is printed: its separator and the
// words that say it.
func t2outSep(g *Gen) (sep, desc string) {
	switch g.Int(0, 2) {
	case 0:
		return " ", "on one line, separated by single spaces"
	case 1:
		return ", ", `on one line, separated by ", " (a comma and a space)`
	}
	return "\n", "one per line"
}

// t2listHidden are the usual hidden list inputs (n <= maxN, lo <= a_i <=
// hi): one value, zeros, the largest size at both extremes, repeated
// values, sorted both ways, random ones of every size.
func t2listHidden(g *Gen, maxN, lo, hi int) []string {
	inc := g.Ints(g.Int(5, 20), lo, hi)
	slices.Sort(inc)
	dec := g.Ints(g.Int(5, 20), lo, hi)
	slices.Sort(dec)
	slices.Reverse(dec)
	zeros := make([]int, g.Int(2, 6))
	if lo > 0 || hi < 0 {
		zeros = g.Ints(len(zeros), lo, lo)
	}
	v := g.Int(lo, hi)
	return []string{
		t2list([]int{g.Int(lo, hi)}),
		t2list(zeros),
		t2list(g.Ints(maxN, hi, hi)),
		t2list(g.Ints(maxN, lo, lo)),
		t2list(g.Ints(g.Int(2, 8), v, v)),
		t2list(inc),
		t2list(dec),
		t2list(g.Ints(maxN, lo, hi)),
		t2list(g.Ints(g.Int(2, maxN), lo, hi)),
		t2list(g.Ints(g.Int(2, 10), lo, hi)),
	}
}

// t2text joins words drawn by word with single spaces into a line of at
// most maxLen characters and at most maxWords words (at least one word;
// word must return 1 to maxLen characters).
func t2text(maxLen, maxWords int, word func() string) string {
	line := word()
	for n := 1; n < maxWords; n++ {
		w := word()
		if len(line)+1+len(w) > maxLen {
			break
		}
		line += " " + w
	}
	return line + "\n"
}

func t2reverse(s string) string {
	b := []byte(s)
	slices.Reverse(b)
	return string(b)
}

// --- count_char --------------------------------------------------------------

func countChar() Family {
	return Family{Name: "count_char", Tier: 2, About: "count the occurrences of a given letter in a string",
		Make: func(g *Gen) Instance {
			letters := g.Letters(5)
			c := letters[:1]
			alpha := letters[:g.Int(3, 5)]
			maxLen := Pick(g, 50, 100, 200)
			inst := Instance{
				Story: Pick(g,
					fmt.Sprintf("%s typed a string s of lowercase letters. Count how many times the letter %q appears in s.", g.Name(), c),
					fmt.Sprintf("Given a string s, find the number of positions i such that the i-th character of s is the letter %q.", c),
					fmt.Sprintf("Count the occurrences of the letter %q in the string s.", c)),
				Input:  fmt.Sprintf("One line with the string s (1 <= |s| <= %d) of lowercase letters.", maxLen),
				Output: fmt.Sprintf("Print one integer: how many times %q occurs in s (0 if it does not occur).", c),
				Solve: func(in string) string {
					return fmt.Sprint(strings.Count(strings.TrimSpace(in), c))
				},
				Solutions: []string{
					Py(Fill(`
						s = input().strip()
						print(s.count("$C"))
					`, "C", c)),
					Py(Fill(`
						import sys

						def main():
							s = sys.stdin.readline().strip()
							total = 0
							for ch in s:
								if ch == "$C":
									total += 1
							print(total)

						main()
					`, "C", c)),
				},
			}
			w := func(n int, a string) string { return g.Word(n, a) + "\n" }
			inst.Examples = []string{w(g.Int(5, 10), alpha), w(g.Int(3, 8), alpha)}
			inst.Hidden = []string{
				c + "\n",                                         // only the letter
				letters[1:2] + "\n",                              // one other letter
				strings.Repeat(c, maxLen) + "\n",                 // all of it, largest size
				w(g.Int(10, 30), letters[1:]),                    // none
				c + g.Word(g.Int(3, 20), letters[1:]) + c + "\n", // first and last
				w(maxLen, alpha),
				w(g.Int(20, 60), ""),
				w(g.Int(2, 10), alpha),
				w(g.Int(10, maxLen), alpha),
				strings.Repeat(c+letters[1:2], g.Int(2, 10)) + "\n",
			}
			return inst
		}}
}

// --- count_vowels ------------------------------------------------------------

func countVowels() Family {
	return Family{Name: "count_vowels", Tier: 2, About: "count the vowels of a line (vowel set and case rule stated)",
		Make: func(g *Gen) Instance {
			vowels := Pick(g, "aeiou", "aeiouy")
			mixed := g.Bool(0.5)
			maxLen := Pick(g, 100, 200)
			list := "a, e, i, o and u"
			if vowels == "aeiouy" {
				list = "a, e, i, o, u and y"
			}
			caseRule, kind := "", "lowercase words"
			if mixed {
				caseRule = " Uppercase vowels count too (for example \"A\" is a vowel)."
				kind = "words of uppercase and lowercase letters"
			}
			inst := Instance{
				Story: Pick(g,
					fmt.Sprintf("Count the vowels in a line of text. The vowels are the letters %s.%s", list, caseRule),
					fmt.Sprintf("%s is studying how often vowels occur in text. Count the vowels (the letters %s) in the given line.%s", g.Name(), list, caseRule)),
				Input:  fmt.Sprintf("One line (1 <= length <= %d) of %s separated by single spaces.", maxLen, kind),
				Output: "Print the number of vowels in the line.",
				Solve: func(in string) string {
					s := strings.TrimSuffix(in, "\n")
					if mixed {
						s = strings.ToLower(s)
					}
					n := 0
					for _, ch := range s {
						if strings.ContainsRune(vowels, ch) {
							n++
						}
					}
					return fmt.Sprint(n)
				},
			}
			lower, set := "", vowels
			if mixed {
				lower, set = ".lower()", vowels+strings.ToUpper(vowels)
			}
			inst.Solutions = []string{
				Py(Fill(`
					s = input()$LOWER
					print(sum(1 for c in s if c in "$V"))
				`, "LOWER", lower, "V", vowels)),
				Py(Fill(`
					import sys

					VOWELS = set("$SET")

					def count(line):
						n = 0
						for ch in line:
							if ch in VOWELS:
								n += 1
						return n

					print(count(sys.stdin.readline().rstrip("\n")))
				`, "SET", set)),
			}
			word := func(maxW int, alpha string) func() string {
				return func() string {
					b := []byte(g.Word(g.Int(1, maxW), alpha))
					if mixed {
						for i := range b {
							if g.Bool(0.3) {
								b[i] -= 'a' - 'A'
							}
						}
					}
					return string(b)
				}
			}
			all := ""
			inst.Examples = []string{t2text(30, g.Int(2, 4), word(6, all)), t2text(12, 2, word(5, all))}
			inst.Hidden = []string{
				"b\n", "a\n", "y\n",
				"rhythm myths fly\n",
				"aeiou uoiea\n",
				t2text(maxLen, 100, word(8, "bcdfghjklmnpqrstvwxz")), // no vowels at all
				t2text(maxLen, 100, word(10, all)),                   // longest
				t2text(maxLen, 100, word(10, "aeiouy")),
				t2text(g.Int(10, 60), 20, word(8, all)),
				t2text(g.Int(10, 60), 20, word(3, all)),
			}
			if mixed {
				inst.Hidden = append(inst.Hidden, "AEIOU Y\n", "QUEUE Sky\n")
			} else {
				inst.Hidden = append(inst.Hidden, "queue sky\n")
			}
			return inst
		}}
}

// --- reverse_words -----------------------------------------------------------

func reverseWords() Family {
	return Family{Name: "reverse_words", Tier: 2, About: "print the words of a line in reverse order, with a given separator",
		Make: func(g *Gen) Instance {
			sep := Pick(g, " ", ", ", " | ")
			sepText := map[string]string{" ": "separated by single spaces", ", ": `separated by ", " (a comma and a space)`,
				" | ": `separated by " | " (a space, a vertical bar and a space)`}[sep]
			maxW := Pick(g, 20, 50, 100)
			inst := Instance{
				Story: Pick(g,
					"Print the words of the line in reverse order: the last word first and the first word last.",
					fmt.Sprintf("%s wrote a sentence backwards by mistake. Print its words in reverse order (the letters inside each word stay as they are).", g.Name()),
					"Reverse the order of the words of the given line."),
				Input:  fmt.Sprintf("One line with 1 to %d words separated by single spaces; each word has 1 to 10 lowercase letters.", maxW),
				Output: fmt.Sprintf("Print the words from the last to the first, %s.", sepText),
				Solve: func(in string) string {
					ws := strings.Fields(in)
					slices.Reverse(ws)
					return strings.Join(ws, sep)
				},
				Solutions: []string{
					Py(Fill(`
						words = input().split()
						print($SEP.join(words[::-1]))
					`, "SEP", Quote(sep))),
					Py(Fill(`
						import sys

						words = sys.stdin.read().split()
						out = []
						for i in range(len(words) - 1, -1, -1):
							out.append(words[i])
						print($SEP.join(out))
					`, "SEP", Quote(sep))),
				},
			}
			line := func(n, maxLen int) string {
				ws := make([]string, n)
				for i := range ws {
					if g.Bool(0.4) {
						ws[i] = g.Noun()
					} else {
						ws[i] = g.Word(g.Int(1, maxLen), "")
					}
				}
				return strings.Join(ws, " ") + "\n"
			}
			nw := g.Noun()
			inst.Examples = []string{line(g.Int(3, 5), 6), line(2, 5)}
			inst.Hidden = []string{
				line(1, 10), // one word
				line(2, 10),
				line(maxW, 10), // most words
				strings.TrimSpace(strings.Repeat(nw+" ", g.Int(3, 6))) + "\n", // one word repeated
				"ab cd ab\n",
				line(g.Int(3, maxW), 10),
				line(g.Int(3, 12), 1),
				strings.Repeat("abcdefghij ", 3) + "zyxwvutsrq\n",
				line(g.Int(5, maxW), 4),
				"a b c d e f g h\n",
			}
			return inst
		}}
}

// --- prefix_sums and suffix_sums ---------------------------------------------

func prefixSums() Family {
	return Family{Name: "prefix_sums", Tier: 2, About: "the prefix sums s_i = a_1 + ... + a_i of n integers",
		Make: func(g *Gen) Instance { return t2sums(g, false) }}
}

func suffixSums() Family {
	return Family{Name: "suffix_sums", Tier: 2, Unseen: true, Cousin: "prefix_sums",
		About: "the suffix sums t_i = a_i + ... + a_n of n integers",
		Make:  func(g *Gen) Instance { return t2sums(g, true) }}
}

func t2sums(g *Gen, suffix bool) Instance {
	sep, sepText := t2outSep(g)
	maxN := Pick(g, 100, 1000)
	maxA := Pick(g, 100, 1000000, 1000000000)
	who := g.Name()
	story := Pick(g,
		fmt.Sprintf("%s keeps a ledger of n entries a_1 ... a_n. For every i from 1 to n, print the running total s_i = a_1 + ... + a_i.", who),
		"You are given n integers a_1 ... a_n. Print their prefix sums s_1 ... s_n, where s_i = a_1 + a_2 + ... + a_i.",
		"A counter starts at 0; the numbers a_1, a_2, ..., a_n are added to it one at a time. Print s_1 ... s_n, where s_i is the value of the counter after the i-th addition.")
	name := "s"
	if suffix {
		name = "t"
		story = Pick(g,
			fmt.Sprintf("%s keeps a ledger of n entries a_1 ... a_n. For every i from 1 to n, print the total from entry i to the end: t_i = a_i + ... + a_n.", who),
			"You are given n integers a_1 ... a_n. Print their suffix sums t_1 ... t_n, where t_i = a_i + a_(i+1) + ... + a_n.",
			"For every position i from 1 to n, print t_i, the sum of a_i and all the numbers after it: t_i = a_i + ... + a_n.")
	}
	inst := Instance{
		Story:  story,
		Input:  fmt.Sprintf("The first line contains n (1 <= n <= %d). The second line contains n integers a_1 ... a_n (-%d <= a_i <= %d).", maxN, maxA, maxA),
		Output: fmt.Sprintf("Print %s_1 ... %s_n %s.", name, name, sepText),
		Solve: func(in string) string {
			a := t2listOf(in)
			out := make([]int, len(a))
			s := 0
			if suffix {
				for i := len(a) - 1; i >= 0; i-- {
					s += a[i]
					out[i] = s
				}
			} else {
				for i, x := range a {
					s += x
					out[i] = s
				}
			}
			return Join(out, sep)
		},
	}
	if suffix {
		inst.Solutions = []string{
			Py(Fill(`
				n = int(input())
				a = list(map(int, input().split()))
				t = 0
				out = []
				for x in reversed(a):
					t += x
					out.append(str(t))
				print($SEP.join(out[::-1]))
			`, "SEP", Quote(sep))),
			Py(Fill(`
				import sys

				data = sys.stdin.read().split()
				n = int(data[0])
				a = list(map(int, data[1:n + 1]))
				t = [0] * (n + 1)
				for i in range(n - 1, -1, -1):
					t[i] = t[i + 1] + a[i]
				print($SEP.join(map(str, t[:n])))
			`, "SEP", Quote(sep))),
		}
	} else {
		inst.Solutions = []string{
			Py(Fill(`
				n = int(input())
				a = list(map(int, input().split()))
				s = 0
				out = []
				for x in a:
					s += x
					out.append(str(s))
				print($SEP.join(out))
			`, "SEP", Quote(sep))),
			Py(Fill(`
				import sys
				from itertools import accumulate

				def main():
					data = sys.stdin.read().split()
					n = int(data[0])
					a = [int(x) for x in data[1:n + 1]]
					print($SEP.join(str(v) for v in accumulate(a)))

				main()
			`, "SEP", Quote(sep))),
		}
	}
	inst.Examples = []string{t2list(g.Ints(g.Int(3, 6), -5, 20)), t2list(g.Ints(g.Int(2, 4), -9, 9))}
	inst.Hidden = append(t2listHidden(g, maxN, -maxA, maxA), t2list([]int{maxA, -maxA, maxA, -maxA}))
	return inst
}

// --- count_greater and count_less ---------------------------------------------

func countGreater() Family {
	return Family{Name: "count_greater", Tier: 2, About: "count the a_i above a threshold k given in the statement (strictly or not)",
		Make: func(g *Gen) Instance { return t2count(g, true) }}
}

func countLess() Family {
	return Family{Name: "count_less", Tier: 2, Unseen: true, Cousin: "count_greater",
		About: "count the a_i below a threshold k given in the statement (strictly or not)",
		Make:  func(g *Gen) Instance { return t2count(g, false) }}
}

func t2count(g *Gen, greater bool) Instance {
	strict := g.Bool(0.5)
	maxN := Pick(g, 100, 1000)
	maxA := Pick(g, 100, 1000, 10000)
	k := g.Int(-maxA/2, maxA/2)
	op, rel := ">", "strictly greater than"
	switch {
	case greater && !strict:
		op, rel = ">=", "greater than or equal to"
	case !greater && strict:
		op, rel = "<", "strictly less than"
	case !greater:
		op, rel = "<=", "less than or equal to"
	}
	cmpText := fmt.Sprintf("%s %d", rel, k)
	inst := Instance{
		Story: Pick(g,
			fmt.Sprintf("%s has n test scores a_1 ... a_n. Count how many of the scores are %s.", g.Name(), cmpText),
			fmt.Sprintf("Given n integers a_1 ... a_n, count how many of them are %s.", cmpText),
			fmt.Sprintf("A sensor logged n readings a_1 ... a_n. Count the readings that are %s.", cmpText)),
		Input:  fmt.Sprintf("The first line contains n (1 <= n <= %d). The second line contains n integers a_1 ... a_n (-%d <= a_i <= %d).", maxN, maxA, maxA),
		Output: fmt.Sprintf("Print one integer: how many a_i are %s (0 if there are none).", cmpText),
		Solve: func(in string) string {
			n := 0
			for _, x := range t2listOf(in) {
				if (op == ">" && x > k) || (op == ">=" && x >= k) || (op == "<" && x < k) || (op == "<=" && x <= k) {
					n++
				}
			}
			return fmt.Sprint(n)
		},
		Solutions: []string{
			Py(Fill(`
				n = int(input())
				a = list(map(int, input().split()))
				print(sum(1 for x in a if x $OP $K))
			`, "OP", op, "K", k)),
			Py(Fill(`
				import sys

				def count(values, k):
					c = 0
					for v in values:
						if v $OP k:
							c += 1
					return c

				data = sys.stdin.read().split()
				n = int(data[0])
				print(count([int(x) for x in data[1:n + 1]], $K))
			`, "OP", op, "K", k)),
		},
	}
	near := func(n int) string { return t2list(g.Ints(n, k-9, k+9)) }
	around := []int{k - 1, k, k + 1, k, k - 1}
	Shuffle(g, around)
	inst.Examples = []string{near(g.Int(4, 6)), near(g.Int(2, 4))}
	inst.Hidden = []string{
		t2list([]int{k}),                  // one value, on the threshold
		t2list([]int{g.Int(-maxA, maxA)}), // one value
		t2list(g.Ints(g.Int(3, 8), k, k)), // all on the threshold
		t2list(around),
		t2list(g.Ints(g.Int(2, 10), k+1, maxA)),  // all above
		t2list(g.Ints(g.Int(2, 10), -maxA, k-1)), // all below
		t2list(g.Ints(maxN, maxA, maxA)),
		t2list(g.Ints(maxN, -maxA, -maxA)),
		t2list(g.Ints(maxN, -maxA, maxA)),
		t2list(g.Ints(g.Int(2, maxN), k-20, k+20)),
		t2list(g.Ints(g.Int(2, maxN), -maxA, maxA)),
		t2list(g.Ints(g.Int(5, 20), k-2, k+2)),
	}
	return inst
}

// --- running_max and running_min ---------------------------------------------

func runningMax() Family {
	return Family{Name: "running_max", Tier: 2, About: "the running maximum m_i = max(a_1..a_i) of n integers",
		Make: func(g *Gen) Instance { return t2running(g, true) }}
}

func runningMin() Family {
	return Family{Name: "running_min", Tier: 2, Unseen: true, Cousin: "running_max",
		About: "the running minimum m_i = min(a_1..a_i) of n integers",
		Make:  func(g *Gen) Instance { return t2running(g, false) }}
}

func t2running(g *Gen, isMax bool) Instance {
	sep, sepText := t2outSep(g)
	maxN := Pick(g, 100, 1000)
	maxA := Pick(g, 100, 1000000, 1000000000)
	fn, big := "max", "largest"
	if !isMax {
		fn, big = "min", "smallest"
	}
	inst := Instance{
		Story: Pick(g,
			fmt.Sprintf("%s measures n values a_1 ... a_n one by one. After each measurement, print the %s value seen so far: m_i = %s(a_1, ..., a_i).", g.Name(), big, fn),
			fmt.Sprintf("For every i from 1 to n, print m_i, the %s of the first i numbers: m_i = %s(a_1, ..., a_i).", big, fn),
			fmt.Sprintf("Print the running %simum of the sequence a_1 ... a_n: m_i = %s(a_1, a_2, ..., a_i) for i = 1 ... n.", fn, fn)),
		Input:  fmt.Sprintf("The first line contains n (1 <= n <= %d). The second line contains n integers a_1 ... a_n (-%d <= a_i <= %d).", maxN, maxA, maxA),
		Output: fmt.Sprintf("Print m_1 ... m_n %s.", sepText),
		Solve: func(in string) string {
			a := t2listOf(in)
			out := make([]int, len(a))
			m := a[0]
			for i, x := range a {
				if (isMax && x > m) || (!isMax && x < m) {
					m = x
				}
				out[i] = m
			}
			return Join(out, sep)
		},
		Solutions: []string{
			Py(Fill(`
				n = int(input())
				a = list(map(int, input().split()))
				m = a[0]
				out = []
				for x in a:
					m = $FN(m, x)
					out.append(str(m))
				print($SEP.join(out))
			`, "FN", fn, "SEP", Quote(sep))),
			Py(Fill(`
				import sys
				from itertools import accumulate

				def main():
					data = sys.stdin.read().split()
					n = int(data[0])
					a = [int(x) for x in data[1:n + 1]]
					print($SEP.join(map(str, accumulate(a, $FN))))

				main()
			`, "FN", fn, "SEP", Quote(sep))),
		},
	}
	inst.Examples = []string{t2list(g.Ints(g.Int(4, 6), -9, 20)), t2list(g.Ints(g.Int(2, 4), -9, 9))}
	inst.Hidden = append(t2listHidden(g, maxN, -maxA, maxA), t2list([]int{-maxA, maxA, -maxA, maxA, 0}))
	return inst
}

// --- palindrome ----------------------------------------------------------------

func palindrome() Family {
	return Family{Name: "palindrome", Tier: 2, About: "whether a word reads the same backwards, answered with given words",
		Make: func(g *Gen) Instance {
			pair := Pick(g, [2]string{"YES", "NO"}, [2]string{"Yes", "No"}, [2]string{"PALINDROME", "NOT PALINDROME"},
				[2]string{"same", "different"}, [2]string{"True", "False"})
			yes, no := pair[0], pair[1]
			maxLen := Pick(g, 20, 50, 100)
			alpha := Pick(g, g.Letters(2), g.Letters(3), "")
			inst := Instance{
				Story: Pick(g,
					"A word is a palindrome if it reads the same from left to right and from right to left. Decide whether the word s is a palindrome.",
					fmt.Sprintf("%s wants to know whether the word s reads the same backwards as forwards.", g.Name()),
					"Decide whether the string s is equal to its reverse."),
				Input:  fmt.Sprintf("One line with the word s (1 <= |s| <= %d) of lowercase letters.", maxLen),
				Output: fmt.Sprintf("Print %q if s reads the same backwards, otherwise print %q.", yes, no),
				Solve: func(in string) string {
					s := strings.TrimSpace(in)
					if s == t2reverse(s) {
						return yes
					}
					return no
				},
				Solutions: []string{
					Py(Fill(`
						s = input().strip()
						print($YES if s == s[::-1] else $NO)
					`, "YES", Quote(yes), "NO", Quote(no))),
					Py(Fill(`
						import sys

						def is_palindrome(s):
							i, j = 0, len(s) - 1
							while i < j:
								if s[i] != s[j]:
									return False
								i += 1
								j -= 1
							return True

						word = sys.stdin.readline().strip()
						if is_palindrome(word):
							print($YES)
						else:
							print($NO)
					`, "YES", Quote(yes), "NO", Quote(no))),
				},
			}
			letters := alpha
			if letters == "" {
				letters = "abcdefghijklmnopqrstuvwxyz"
			}
			pal := func(n int) string {
				half := g.Word(n/2, letters)
				mid := ""
				if n%2 == 1 {
					mid = g.Word(1, letters)
				}
				return half + mid + t2reverse(half)
			}
			// broken changes position p (not the middle) of a palindrome of n >= 2 letters.
			broken := func(n, p int) string {
				b := []byte(pal(n))
				i := strings.IndexByte(letters, b[p])
				b[p] = letters[(i+1)%len(letters)]
				return string(b) + "\n"
			}
			examples := []string{pal(g.Int(3, 7)) + "\n", broken(g.Int(4, 8), 1)}
			Shuffle(g, examples)
			inst.Examples = examples
			inst.Hidden = []string{
				g.Word(1, "") + "\n",
				"zz\n",
				"ab\n",
				pal(2*g.Int(2, 9)+1) + "\n",
				pal(2*g.Int(2, 9)) + "\n",
				pal(maxLen) + "\n",
				broken(maxLen, 0),          // differs at the first and last letters
				broken(maxLen, maxLen/2-1), // differs next to the middle
				strings.Repeat(letters[:1], maxLen) + "\n",
				g.Word(g.Int(2, maxLen), letters) + "\n",
				broken(g.Int(2, 12), 0),
			}
			return inst
		}}
}

// --- second_largest ------------------------------------------------------------

func secondLargest() Family {
	return Family{Name: "second_largest", Tier: 2, About: "the second largest distinct value of n integers, or a stated answer when there is none",
		Make: func(g *Gen) Instance {
			none := Pick(g, "-1", "NONE", "none", "NO")
			maxN := Pick(g, 100, 1000)
			maxA := Pick(g, 100, 1000, 1000000)
			lo := -maxA
			if none == "-1" {
				lo = 0
			}
			noneText := fmt.Sprintf("%q", none)
			if none == "-1" {
				noneText = "-1"
			}
			inst := Instance{
				Story: Pick(g,
					"Find the second largest distinct value among n integers a_1 ... a_n (equal values count once).",
					fmt.Sprintf("%s ranks n scores a_1 ... a_n; equal scores share a place. Find the score in second place, that is, the largest score strictly smaller than the maximum.", g.Name()),
					"Print the largest a_i that is strictly smaller than max(a_1, ..., a_n)."),
				Input:  fmt.Sprintf("The first line contains n (1 <= n <= %d). The second line contains n integers a_1 ... a_n (%d <= a_i <= %d).", maxN, lo, maxA),
				Output: fmt.Sprintf("Print the second largest distinct value. If there is none (all the numbers are equal, or n = 1), print %s instead.", noneText),
				Solve: func(in string) string {
					a := t2listOf(in)
					best := slices.Max(a)
					second, found := 0, false
					for _, x := range a {
						if x < best && (!found || x > second) {
							second, found = x, true
						}
					}
					if !found {
						return none
					}
					return fmt.Sprint(second)
				},
				Solutions: []string{
					Py(Fill(`
						n = int(input())
						a = sorted(set(map(int, input().split())))
						print(a[-2] if len(a) > 1 else $NONE)
					`, "NONE", Quote(none))),
					Py(Fill(`
						import sys

						def second(values):
							best = max(values)
							rest = [v for v in values if v < best]
							if not rest:
								return $NONE
							return max(rest)

						data = sys.stdin.read().split()
						n = int(data[0])
						print(second([int(x) for x in data[1:n + 1]]))
					`, "NONE", Quote(none))),
				},
			}
			elo := max(lo, -9)
			inst.Examples = []string{t2list(g.Ints(g.Int(4, 6), elo, 20)), t2list(g.Ints(g.Int(2, 4), elo, 9))}
			if g.Bool(0.4) {
				v := g.Int(elo, 9)
				inst.Examples[1] = t2list([]int{v, v, v}[:g.Int(1, 3)])
			}
			v := g.Int(lo, maxA-1)
			inst.Hidden = append(t2listHidden(g, maxN, lo, maxA),
				t2list([]int{maxA, v}),
				t2list([]int{v, maxA, maxA}),               // the maximum last, repeated
				t2list([]int{maxA, maxA - 1, maxA - 1, v}), // the maximum first
			)
			return inst
		}}
}

// --- robot_walk ------------------------------------------------------------------

func robotWalk() Family {
	return Family{Name: "robot_walk", Tier: 2, About: "the final position of a robot after a string of moves (move letters and start stated)",
		Make: func(g *Gen) Instance {
			moves := Pick(g, "UDLR", "NSWE", "WSAD")
			u, d, l, r := moves[0:1], moves[1:2], moves[2:3], moves[3:4]
			sx, sy := 0, 0
			if g.Bool(0.5) {
				sx, sy = g.Int(-9, 9), g.Int(-9, 9)
			}
			paren := g.Bool(0.4)
			maxLen := Pick(g, 100, 200)
			inst := Instance{
				Story: Pick(g,
					fmt.Sprintf("%s's robot starts at (%d, %d). It follows a string of moves: %q moves it up (y increases by 1), %q down (y decreases by 1), %q left (x decreases by 1) and %q right (x increases by 1). Find where it stops.", g.Name(), sx, sy, u, d, l, r),
					fmt.Sprintf("A robot stands at the point (%d, %d). Each letter of the string moves it one step: %q is y + 1, %q is y - 1, %q is x - 1 and %q is x + 1. Find its final position.", sx, sy, u, d, l, r)),
				Input:  fmt.Sprintf("One line with the string of moves (1 <= length <= %d), made only of the letters %s.", maxLen, strings.Join(strings.Split(moves, ""), ", ")),
				Output: "Print the final x and y separated by a space.",
				Solve: func(in string) string {
					s := strings.TrimSpace(in)
					x := sx + strings.Count(s, r) - strings.Count(s, l)
					y := sy + strings.Count(s, u) - strings.Count(s, d)
					if paren {
						return fmt.Sprintf("(%d, %d)", x, y)
					}
					return fmt.Sprintf("%d %d", x, y)
				},
			}
			show, show2 := "print(x, y)", `print(str(x) + " " + str(y))`
			if paren {
				inst.Output = `Print the final position as "(x, y)", for example "(2, -1)".`
				show, show2 = `print(f"({x}, {y})")`, `print("(" + str(x) + ", " + str(y) + ")")`
			}
			kv := []any{"SX", sx, "SY", sy, "U", u, "D", d, "L", l, "R", r, "SHOW2", show2, "SHOW", show}
			inst.Solutions = []string{
				Py(Fill(`
					s = input().strip()
					x = $SX + s.count("$R") - s.count("$L")
					y = $SY + s.count("$U") - s.count("$D")
					$SHOW
				`, kv...)),
				Py(Fill(`
					import sys

					STEP = {"$U": (0, 1), "$D": (0, -1), "$L": (-1, 0), "$R": (1, 0)}

					def main():
						x, y = $SX, $SY
						for c in sys.stdin.readline().strip():
							dx, dy = STEP[c]
							x += dx
							y += dy
						$SHOW2

					main()
				`, kv...)),
			}
			w := func(n int, alpha string) string { return g.Word(n, alpha) + "\n" }
			inst.Examples = []string{w(g.Int(4, 8), moves), w(g.Int(2, 5), moves)}
			inst.Hidden = []string{
				u + "\n", d + "\n", l + "\n", r + "\n",
				u + r + d + l + "\n", // back at the start
				strings.Repeat(Pick(g, u, d, l, r), maxLen) + "\n",
				w(maxLen, moves),
				w(g.Int(10, 50), moves),
				w(g.Int(10, maxLen), u+r),
				w(g.Int(10, maxLen), d+l+l),
			}
			return inst
		}}
}

// --- caesar ------------------------------------------------------------------------

func caesar() Family {
	return Family{Name: "caesar", Tier: 2, About: "shift every lowercase letter of a line k places forward, cyclically",
		Make: func(g *Gen) Instance {
			k := g.Int(1, 25)
			maxLen := Pick(g, 100, 200)
			inst := Instance{
				Story: Pick(g,
					fmt.Sprintf("%s encrypts a message with a Caesar cipher: every lowercase letter is replaced by the letter %d places later in the alphabet, wrapping around from z to a. All other characters stay as they are.", g.Name(), k),
					fmt.Sprintf("Shift every lowercase letter of the line forward by %d places in the alphabet (after z comes a again). Spaces, digits and punctuation do not change.", k)),
				Input:  fmt.Sprintf("One line (1 <= length <= %d) of lowercase letters, digits, spaces and the characters . , ! ? (it does not start or end with a space).", maxLen),
				Output: "Print the encrypted line.",
				Solve: func(in string) string {
					b := []byte(strings.TrimSuffix(in, "\n"))
					for i, c := range b {
						if c >= 'a' && c <= 'z' {
							b[i] = byte('a' + (int(c-'a')+k)%26)
						}
					}
					return string(b)
				},
				Solutions: []string{
					Py(Fill(`
						s = input()
						print("".join(chr((ord(c) - 97 + $K) % 26 + 97) if "a" <= c <= "z" else c for c in s))
					`, "K", k)),
					Py(Fill(`
						import string
						import sys

						def main():
							letters = string.ascii_lowercase
							table = str.maketrans(letters, letters[$K:] + letters[:$K])
							line = sys.stdin.readline().rstrip("\n")
							print(line.translate(table))

						main()
					`, "K", k)),
				},
			}
			word := func(maxW int) func() string {
				return func() string {
					if g.Bool(0.1) {
						return g.Word(g.Int(1, 3), "0123456789")
					}
					w := g.Word(g.Int(1, maxW), "")
					if g.Bool(0.2) {
						w += Pick(g, ".", ",", "!", "?")
					}
					return w
				}
			}
			inst.Examples = []string{t2text(14, 3, word(5)), t2text(8, 2, word(4))}
			inst.Hidden = []string{
				"z\n", "a\n",
				"xyz abc\n",
				"abcdefghijklmnopqrstuvwxyz\n",
				"2024, 7!?\n", // nothing to shift
				t2text(maxLen, 100, word(8)),
				t2text(maxLen, 100, word(3)),
				t2text(g.Int(10, 60), 20, word(8)),
				t2text(g.Int(10, 60), 20, word(10)),
				strings.Repeat("z", maxLen) + "\n",
			}
			return inst
		}}
}

// --- word_freq ---------------------------------------------------------------------

func wordFreq() Family {
	return Family{Name: "word_freq", Tier: 2, About: "the most frequent word of a line (tie rule stated), maybe with its count",
		Make: func(g *Gen) Instance {
			smallest := g.Bool(0.5)
			withCount := g.Bool(0.5)
			maxW := Pick(g, 50, 100)
			tie := "If several words are tied, print the one whose first occurrence comes earliest in the line."
			if smallest {
				tie = "If several words are tied, print the lexicographically smallest of them."
			}
			out := "Print the most frequent word."
			if withCount {
				out = "Print the most frequent word and its number of occurrences, separated by a space."
			}
			inst := Instance{
				Story: Pick(g,
					fmt.Sprintf("%s counted the words of a text. Find the word that occurs most often. %s", g.Name(), tie),
					"Find the word that appears the most times in the line. "+tie),
				Input:  fmt.Sprintf("One line with 1 to %d words separated by single spaces; each word has 1 to 8 lowercase letters.", maxW),
				Output: out,
				Solve: func(in string) string {
					ws := strings.Fields(in)
					cnt := map[string]int{}
					for _, w := range ws {
						cnt[w]++
					}
					order := ws
					if smallest {
						order = slices.Sorted(func(yield func(string) bool) {
							for w := range cnt {
								if !yield(w) {
									return
								}
							}
						})
					}
					best := order[0]
					for _, w := range order {
						if cnt[w] > cnt[best] {
							best = w
						}
					}
					if withCount {
						return fmt.Sprintf("%s %d", best, cnt[best])
					}
					return best
				},
			}
			pick := "max(c, key=c.get)"
			loop := "words"
			if smallest {
				pick = "min(c, key=lambda x: (-c[x], x))"
				loop = "sorted(count)"
			}
			show, show2 := "print(w)", "print(best)"
			if withCount {
				show, show2 = "print(w, c[w])", "print(best, count[best])"
			}
			inst.Solutions = []string{
				Py(Fill(`
					from collections import Counter
					c = Counter(input().split())
					w = $PICK
					$SHOW
				`, "PICK", pick, "SHOW", show)),
				Py(Fill(`
					import sys

					def main():
						words = sys.stdin.read().split()
						count = {}
						for w in words:
							count[w] = count.get(w, 0) + 1
						best = None
						for w in $LOOP:
							if best is None or count[w] > count[best]:
								best = w
						$SHOW2

					main()
				`, "LOOP", loop, "SHOW2", show2)),
			}
			distinct := func(n int) []string {
				var ws []string
				for _, i := range g.Perm(len(nouns))[:n] {
					ws = append(ws, nouns[i])
				}
				return ws
			}
			from := func(n int, vocab []string) string {
				ws := make([]string, n)
				for i := range ws {
					ws[i] = Pick(g, vocab...)
				}
				return strings.Join(ws, " ") + "\n"
			}
			short := func(n int) []string {
				var ws []string
				for i := 0; i < n; i++ {
					ws = append(ws, g.Word(g.Int(1, 3), "abc"))
				}
				return ws
			}
			two := distinct(2)
			slices.Sort(two)
			hi, lo := two[1], two[0]
			inst.Examples = []string{from(g.Int(5, 8), distinct(3)), from(g.Int(3, 5), distinct(2))}
			inst.Hidden = []string{
				g.Noun() + "\n", // one word
				strings.Join(distinct(g.Int(3, 8)), " ") + "\n",                 // all tied
				hi + " " + lo + "\n",                                            // tie: first is not smallest
				strings.Join([]string{hi, lo, lo, hi}, " ") + "\n",              // tie of two
				strings.Join(append(distinct(3), "zebra", "zebra"), " ") + "\n", // winner at the end
				from(maxW, distinct(3)),
				strings.TrimSpace(strings.Repeat(g.Noun()+" ", maxW)) + "\n",
				from(g.Int(10, 30), distinct(4)),
				from(g.Int(10, maxW), short(4)),
				from(g.Int(2, 10), short(3)),
			}
			return inst
		}}
}

// --- balance_ops -------------------------------------------------------------------

func balanceOps() Family {
	return Family{Name: "balance_ops", Tier: 2, About: "a balance after deposits and withdrawals, refusing overdrafts",
		Make: func(g *Gen) Instance {
			verbs := Pick(g, [2]string{"deposit", "withdraw"}, [2]string{"add", "take"}, [2]string{"in", "out"}, [2]string{"save", "spend"})
			dep, wd := verbs[0], verbs[1]
			b0 := Pick(g, 0, 100, g.Int(1, 500))
			maxQ := Pick(g, 100, 1000)
			maxX := Pick(g, 1000, 10000)
			unit := Pick(g, "coins", "dollars", "points", "credits")
			inst := Instance{
				Story: Pick(g,
					fmt.Sprintf("%s's account starts with %d %s. Then q operations follow: %q x adds x %s, %q x removes x %s, but only if the balance is at least x; otherwise that operation is refused and nothing changes. Print the final balance.", g.Name(), b0, unit, dep, unit, wd, unit),
					fmt.Sprintf("A wallet holds %d %s. Process q operations in order: %q x puts x %s in; %q x takes x %s out if the wallet holds at least x, and is ignored otherwise. Find what the wallet holds at the end.", b0, unit, dep, unit, wd, unit)),
				Input:  fmt.Sprintf("The first line contains q (1 <= q <= %d). Each of the next q lines is %q or %q, with an integer 1 <= x <= %d.", maxQ, dep+" x", wd+" x", maxX),
				Output: "Print the balance after all the operations.",
				Solve: func(in string) string {
					ls := Lines(in)
					b := b0
					for _, l := range ls[1 : 1+Atoi(strings.TrimSpace(ls[0]))] {
						f := strings.Fields(l)
						x := Atoi(f[1])
						if f[0] == dep {
							b += x
						} else if x <= b {
							b -= x
						}
					}
					return fmt.Sprint(b)
				},
				Solutions: []string{
					Py(Fill(`
						b = $B
						for _ in range(int(input())):
							op, x = input().split()
							x = int(x)
							if op == "$DEP":
								b += x
							elif x <= b:
								b -= x
						print(b)
					`, "B", b0, "DEP", dep)),
					Py(Fill(`
						import sys

						def main():
							data = sys.stdin.read().split()
							q = int(data[0])
							balance = $B
							for i in range(q):
								verb, amount = data[1 + 2 * i], int(data[2 + 2 * i])
								if verb == "$WD":
									if amount <= balance:
										balance -= amount
								else:
									balance += amount
							print(balance)

						main()
					`, "B", b0, "WD", wd)),
				},
			}
			type op struct {
				dep bool
				x   int
			}
			mk := func(ops ...op) string {
				var b strings.Builder
				b.WriteString(Line(len(ops)))
				for _, o := range ops {
					v := wd
					if o.dep {
						v = dep
					}
					b.WriteString(fmt.Sprintf("%s %d\n", v, o.x))
				}
				return b.String()
			}
			rnd := func(q, maxX int, pDep float64) string {
				ops := make([]op, q)
				for i := range ops {
					ops[i] = op{g.Bool(pDep), g.Int(1, maxX)}
				}
				return mk(ops...)
			}
			inst.Examples = []string{rnd(g.Int(3, 4), 150, 0.5), rnd(2, 60, 0.3)}
			inst.Hidden = []string{
				mk(op{false, b0 + 1}),        // refused
				mk(op{true, g.Int(1, maxX)}), // one deposit
				mk(op{false, 1}),
				mk(op{true, 7}, op{false, b0 + 7}),                     // withdraw everything
				mk(op{false, b0 + 5}, op{true, 10}, op{false, b0 + 5}), // refused, then accepted
				rnd(g.Int(3, 10), maxX, 0),                             // only withdrawals
				rnd(maxQ, maxX, 1),                                     // only deposits, largest
				rnd(maxQ, maxX, 0.5),
				rnd(maxQ, maxX, 0.2),
				rnd(g.Int(10, 30), 100, 0.5),
			}
			return inst
		}}
}
