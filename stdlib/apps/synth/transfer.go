package synth

import (
	"fmt"
	"slices"
	"strings"
)

// transfer are held-out families that recombine what the training families
// teach, in a statement the model has never seen: a sum read one value per
// line, a maximum after a count on the same line, the smallest or largest
// of three numbers (max_of_two's words, one more operand), the words of a
// line counted. The cousin families (min_list, count_less, …) change the
// operation itself; these change the reading, the story or the arity, so
// they measure a milder transfer.
func transfer() []Family {
	return []Family{
		teamTotal(),
		highestScore(),
		extremeOfThree(),
		wordCount(),
	}
}

func teamTotal() Family {
	return Family{Name: "team_total", Tier: 1, Unseen: true, Cousin: "sum_list",
		About: "the sum of n integers given one per line, printed after a label",
		Make: func(g *Gen) Instance {
			label := Pick(g, "Team", "Points", "Score", "Total")
			thing := Pick(g, "player", "runner", "student", "shop")
			what := Pick(g, "points", "laps", "marks", "sales")
			story := Pick(g,
				fmt.Sprintf("Each of the n members of %s's team is a %s with a_i %s. Find the team's sum of %s.", g.Name(), thing, what, what),
				fmt.Sprintf("A club has n %ss; the i-th has a_i %s. Add them all up.", thing, what))
			maxA := Pick(g, 100, 10000, 1000000)
			inst := Instance{
				Story:  story,
				Input:  fmt.Sprintf("The first line contains n (1 <= n <= 50). Each of the next n lines holds one integer a_i (-%d <= a_i <= %d).", maxA, maxA),
				Output: fmt.Sprintf("Print %q, a colon, a space and the sum, e.g. \"%s: 7\".", label, label),
				Solve: func(in string) string {
					s := 0
					for _, x := range IntsOf(in)[1:] {
						s += x
					}
					return fmt.Sprintf("%s: %d", label, s)
				},
				Solutions: []string{
					Py(Fill(`
						n = int(input())
						print("$L:", sum(int(input()) for _ in range(n)))
					`, "L", label)),
					Py(Fill(`
						import sys

						def main():
							data = sys.stdin.read().split()
							n = int(data[0])
							total = 0
							for i in range(1, n + 1):
								total += int(data[i])
							print("$L: " + str(total))

						main()
					`, "L", label)),
				},
			}
			col := func(xs []int) string {
				var b strings.Builder
				b.WriteString(Line(len(xs)))
				for _, x := range xs {
					b.WriteString(Line(x))
				}
				return b.String()
			}
			inst.Examples = []string{col(g.Ints(g.Int(2, 4), 0, 20)), col(g.Ints(g.Int(1, 3), -9, 9))}
			inst.Hidden = []string{col([]int{g.Int(-maxA, maxA)}), col(make([]int, 3)), col(g.Ints(50, maxA, maxA)), col(g.Ints(50, -maxA, -maxA)),
				col([]int{maxA, -maxA}), col(g.Ints(g.Int(2, 50), -maxA, maxA)), col(g.Ints(g.Int(2, 50), 0, maxA)), col(g.Ints(6, 4, 4)),
				col(g.Ints(g.Int(2, 10), -maxA, maxA))}
			return inst
		}}
}

func highestScore() Family {
	return Family{Name: "highest_score", Tier: 1, Unseen: true, Cousin: "max_list",
		About: "the largest of n integers given on one line after n, printed in a given format",
		Make: func(g *Gen) Instance {
			label := Pick(g, "Best", "Top", "Max", "Winner")
			who := Pick(g, "judges", "referees", "critics", "teachers")
			inst := Instance{
				Story: Pick(g,
					fmt.Sprintf("n %s each gave %s a score. Find the largest score.", who, g.Name()),
					fmt.Sprintf("The scores of a contest are a_1 ... a_n. Find the largest of them.")),
				Input:  "One line contains n (1 <= n <= 100) followed by the n integer scores a_1 ... a_n (-1000 <= a_i <= 1000).",
				Output: fmt.Sprintf("Print %q, a colon, a space and the largest score, e.g. \"%s: 7\".", label, label),
				Solve: func(in string) string {
					return fmt.Sprintf("%s: %d", label, slices.Max(IntsOf(in)[1:]))
				},
				Solutions: []string{
					Py(Fill(`
						n, *a = map(int, input().split())
						print("$L:", max(a))
					`, "L", label)),
					Py(Fill(`
						import sys

						def main():
							data = sys.stdin.read().split()
							n = int(data[0])
							best = int(data[1])
							for i in range(2, n + 1):
								v = int(data[i])
								if v > best:
									best = v
							print("$L: " + str(best))

						main()
					`, "L", label)),
				},
			}
			row := func(xs []int) string { return Line(append([]int{len(xs)}, xs...)...) }
			inst.Examples = []string{row(g.Ints(g.Int(3, 5), 0, 50)), row(g.Ints(g.Int(2, 3), -9, 9))}
			inst.Hidden = []string{row([]int{g.Int(-1000, 1000)}), row(g.Ints(4, 3, 3)), row(g.Ints(100, -1000, 1000)), row(g.Ints(100, -1000, -1000)),
				row(append(g.Ints(9, -1000, 999), 1000)), row(append([]int{1000}, g.Ints(9, -1000, 999)...)), row(g.Ints(g.Int(2, 100), -1000, -1)),
				row(g.Ints(g.Int(2, 100), 0, 1000)), row([]int{-5, -3})}
			return inst
		}}
}

func extremeOfThree() Family {
	return Family{Name: "extreme_of_three", Tier: 1, Unseen: true, Cousin: "max_of_two",
		About: "the larger or smaller of three integers (max_of_two with one more operand)",
		Make: func(g *Gen) Instance {
			small := g.Bool(0.5)
			word, fn := "largest", "max"
			if small {
				word, fn = "smallest", "min"
			}
			oneLine := g.Bool(0.5)
			in := "The first line contains the integer a, the second line b, the third line c (-1000000 <= a, b, c <= 1000000)."
			read := "a = int(input())\nb = int(input())\nc = int(input())"
			if oneLine {
				in = "One line contains three integers a, b and c (-1000000 <= a, b, c <= 1000000)."
				read = "a, b, c = map(int, input().split())"
			}
			names := []string{g.Name(), g.Name(), g.Name()}
			inst := Instance{
				Story: Pick(g,
					fmt.Sprintf("%s, %s and %s each say an integer: a, b and c. Which number is the %s?", names[0], names[1], names[2], word),
					fmt.Sprintf("Three integers a, b and c are given. Find the %s of them.", word)),
				Input:  in,
				Output: fmt.Sprintf("Print the %s of a, b and c (if several are equal, print that value).", word),
				Solve: func(in string) string {
					xs := IntsOf(in)
					if small {
						return fmt.Sprint(slices.Min(xs))
					}
					return fmt.Sprint(slices.Max(xs))
				},
				Solutions: []string{
					read + "\n" + fmt.Sprintf("print(%s(a, b, c))\n", fn),
					Py(Fill(`
						import sys

						a, b, c = map(int, sys.stdin.read().split())
						best = a
						for v in (b, c):
							if v $CMP best:
								best = v
						print(best)
					`, "CMP", map[bool]string{true: "<", false: ">"}[small])),
				},
			}
			mk := func(a, b, c int) string {
				if oneLine {
					return Line(a, b, c)
				}
				return Line(a) + Line(b) + Line(c)
			}
			r := func() int { return g.Int(-1000000, 1000000) }
			inst.Examples = []string{mk(g.Int(0, 50), g.Int(0, 50), g.Int(0, 50)), mk(g.Int(-9, 9), g.Int(-9, 9), g.Int(-9, 9))}
			inst.Hidden = []string{mk(5, 5, 5), mk(1000000, -1000000, 0), mk(-1000000, 1000000, 0), mk(0, 0, -1), mk(3, 2, 1), mk(1, 2, 3),
				mk(2, 3, 1), mk(r(), r(), r()), mk(r(), r(), r()), mk(-7, -7, 4)}
			return inst
		}}
}

func wordCount() Family {
	return Family{Name: "word_count", Tier: 2, Unseen: true, Cousin: "str_length",
		About: "the number of words of a line (words separated by one or more spaces)",
		Make: func(g *Gen) Instance {
			label := Pick(g, "", "Words: ", "Count: ")
			out := "Print the number of words."
			if label != "" {
				out = fmt.Sprintf("Print %q followed by the number of words.", label)
			}
			inst := Instance{
				Story: Pick(g,
					fmt.Sprintf("%s typed a sentence. How many words does it have?", g.Name()),
					"Count the words of the given line."),
				Input:  "One line of 1 to 100 characters: lowercase words separated by one or more spaces (it does not start or end with a space).",
				Output: out,
				Solve: func(in string) string {
					return label + fmt.Sprint(len(strings.Fields(in)))
				},
			}
			show := func(v string) string {
				if label == "" {
					return "print(" + v + ")"
				}
				return "print(" + Quote(label) + " + str(" + v + "))"
			}
			inst.Solutions = []string{
				show("len(input().split())") + "\n",
				Py(Fill(`
					import sys

					line = sys.stdin.readline().rstrip("\n")
					count = 0
					inside = False
					for ch in line:
						if ch != " " and not inside:
							count += 1
						inside = ch != " "
					$SHOW
				`, "SHOW", show("count"))),
			}
			sentence := func(n int, gaps int) string {
				words := make([]string, n)
				for i := range words {
					words[i] = g.Word(g.Int(1, 7), "")
				}
				var b strings.Builder
				for i, w := range words {
					if i > 0 {
						b.WriteString(strings.Repeat(" ", g.Int(1, gaps)))
					}
					b.WriteString(w)
				}
				s := b.String()
				if len(s) > 100 {
					s = strings.TrimRight(s[:100], " ")
				}
				return s + "\n"
			}
			inst.Examples = []string{sentence(g.Int(3, 5), 1), sentence(g.Int(2, 4), 3)}
			inst.Hidden = []string{"a\n", sentence(1, 1), sentence(20, 1), sentence(12, 3), sentence(g.Int(2, 10), 2), sentence(g.Int(2, 10), 1),
				strings.Repeat("ab ", 33) + "a\n", sentence(g.Int(10, 20), 4), sentence(2, 5)}
			return inst
		}}
}
