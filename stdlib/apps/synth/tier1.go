package synth

import (
	"fmt"
	"strconv"
	"strings"
)

// tier1 are one- or two-line programs: read numbers or a word, print a sum,
// a maximum, a parity, a formatted value.
func tier1() []Family {
	return []Family{
		sumList(),
		maxList(),
		minList(),
		arithTwo(),
		parityWord(),
		divisibleBy(),
		modK(),
		lastDigit(),
		roundDecimals(),
		greet(),
		strLength(),
		upperCase(),
		lowerCase(),
		repeatWord(),
		absDiff(),
		rectMeasure(),
		maxOfTwo(),
	}
}
func sumList() Family {
	return Family{Name: "sum_list", Tier: 1, About: "the sum of n integers, printed after a label",
		Make: func(g *Gen) Instance {
			who, noun := g.Name(), Pick(g, "coins", "stamps", "shells", "points", "marbles", "cards")
			label := Pick(g, "Total", "Sum", "Answer", "Result", "Count")
			story := Pick(g,
				fmt.Sprintf("%s has n boxes of %s; box i holds a_i %s. Find how many %s there are in all.", who, noun, noun, noun),
				"You are given n integers. Find their sum.",
				fmt.Sprintf("%s wrote n integers on a board. Add them up.", who))
			maxN := Pick(g, 10, 100, 1000)
			maxA := Pick(g, 100, 1000, 1000000000)
			inst := Instance{
				Story:  story,
				Input:  fmt.Sprintf("The first line contains n (1 <= n <= %d). The second line contains n integers a_1 ... a_n (-%d <= a_i <= %d).", maxN, maxA, maxA),
				Output: fmt.Sprintf("Print %q, a colon, a space and the sum, e.g. \"%s: 7\".", label, label),
				Solve: func(in string) string {
					a := IntsOf(in)[1:]
					s := 0
					for _, x := range a {
						s += x
					}
					return fmt.Sprintf("%s: %d", label, s)
				},
				Solutions: []string{
					Py(Fill(`
						n = int(input())
						a = list(map(int, input().split()))
						print("$L:", sum(a))
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
			list := func(xs []int) string { return Line(len(xs)) + Line(xs...) }
			inst.Examples = []string{list(g.Ints(g.Int(2, 5), 0, min(maxA, 20))), list(g.Ints(g.Int(1, 4), -min(maxA, 9), min(maxA, 9)))}
			inst.Hidden = []string{
				list([]int{g.Int(-maxA, maxA)}),  // n = 1
				list(make([]int, g.Int(2, 6))),   // zeros
				list(g.Ints(maxN, maxA, maxA)),   // largest size and values
				list(g.Ints(maxN, -maxA, -maxA)), // all most negative
				list(g.Ints(g.Int(2, 8), 5, 5)),  // repeated values
				list(g.Ints(g.Int(1, maxN), -maxA, maxA)),
				list(g.Ints(g.Int(1, maxN), -maxA, maxA)),
				list(g.Ints(g.Int(1, maxN), 0, maxA)),
				list([]int{maxA, -maxA}), // the sum is zero
				list(g.Ints(2, -maxA, maxA)),
			}
			return inst
		}}
}

// t1list is the input "n\na_1 ... a_n\n".
func t1list(xs []int) string { return Line(len(xs)) + Line(xs...) }

// t1two writes a and b on one line or on two lines.
func t1two(a, b int, oneLine bool) string {
	if oneLine {
		return Line(a, b)
	}
	return Line(a) + Line(b)
}

// t1twoInput is the Input text of t1two's layout.
func t1twoInput(oneLine bool, bound string) string {
	if oneLine {
		return fmt.Sprintf("One line contains two integers a and b separated by a space (%s).", bound)
	}
	return fmt.Sprintf("The first line contains the integer a, the second line the integer b (%s).", bound)
}

// t1readTwo is the Python line reading a and b in t1two's layout.
func t1readTwo(oneLine bool) string {
	if oneLine {
		return "a, b = map(int, input().split())"
	}
	return "a = int(input())\nb = int(input())"
}

// t1safe panics on text that cannot go inside a Python f-string literal
// unescaped (the parameters are drawn from fixed lists, so this is a bug).
func t1safe(ss ...string) {
	for _, s := range ss {
		if strings.ContainsAny(s, "\"\\{}\n") {
			panic(fmt.Sprintf("synth tier1: unsafe literal %q", s))
		}
	}
}

// t1fstr is a Python expression printing pre + str(expr) + post: expr
// itself when there is no text around it, an f-string otherwise.
func t1fstr(pre, expr, post string) string {
	t1safe(pre, post)
	if pre == "" && post == "" {
		return expr
	}
	return `f"` + pre + "{" + expr + "}" + post + `"`
}

// t1cat is the Python concatenation pre + sexpr + post (sexpr is a str),
// leaving out empty literals.
func t1cat(pre, sexpr, post string) string {
	parts := []string{}
	if pre != "" {
		parts = append(parts, Quote(pre))
	}
	parts = append(parts, sexpr)
	if post != "" {
		parts = append(parts, Quote(post))
	}
	return strings.Join(parts, " + ")
}

// t1format is the template "pre + X + post" shown in a statement.
func t1format(pre, x, post string) string { return pre + x + post }

// t1text is a line of n characters (letters of both cases, digits, spaces
// and . , ! ? -) that neither starts nor ends with a space.
func t1text(g *Gen, n int) string {
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	const marks = "0123456789.,!?-"
	b := make([]byte, n)
	for i := range b {
		switch {
		case i > 0 && i < n-1 && g.Bool(0.15):
			b[i] = ' '
		case g.Bool(0.15):
			b[i] = marks[g.Int(0, len(marks)-1)]
		default:
			b[i] = letters[g.Int(0, len(letters)-1)]
		}
	}
	return string(b)
}

func maxList() Family {
	return Family{Name: "max_list", Tier: 1, About: "the largest of n integers, printed in a given format",
		Make: func(g *Gen) Instance { return t1extreme(g, true) }}
}

func minList() Family {
	return Family{Name: "min_list", Tier: 1, Unseen: true, Cousin: "max_list", About: "the smallest of n integers, printed in a given format",
		Make: func(g *Gen) Instance { return t1extreme(g, false) }}
}

// t1extreme is max_list (big) or min_list: one template, the words swapped.
func t1extreme(g *Gen, big bool) Instance {
	most, high, short, cmp, fn := "largest", "highest", "Max", ">", "max"
	if !big {
		most, high, short, cmp, fn = "smallest", "lowest", "Min", "<", "min"
	}
	who := g.Name()
	f := Pick(g, [2]string{short + ": ", ""}, [2]string{short + " = ", ""}, [2]string{"The " + most + " is ", "."},
		[2]string{"Answer: ", ""}, [2]string{strings.ToUpper(high[:1]) + high[1:] + ": ", ""})
	pre, post := f[0], f[1]
	story := Pick(g,
		fmt.Sprintf("You are given n integers. Find the %s of them.", most),
		fmt.Sprintf("%s wrote n integers on a board. Find the %s one.", who, most),
		fmt.Sprintf("%s recorded the temperature on n days: a_1 ... a_n. Find the %s temperature.", who, high))
	maxN := Pick(g, 10, 100, 1000)
	maxA := Pick(g, 100, 1000, 1000000000)
	inst := Instance{
		Story:  story,
		Input:  fmt.Sprintf("The first line contains n (1 <= n <= %d). The second line contains n integers a_1 ... a_n (-%d <= a_i <= %d).", maxN, maxA, maxA),
		Output: fmt.Sprintf("Print the line %q, where X is the %s of the integers.", t1format(pre, "X", post), most),
		Solve: func(in string) string {
			a := IntsOf(in)[1:]
			best := a[0]
			for _, x := range a {
				if (big && x > best) || (!big && x < best) {
					best = x
				}
			}
			return fmt.Sprintf("%s%d%s", pre, best, post)
		},
		Solutions: []string{
			Py(Fill(`
				n = int(input())
				a = list(map(int, input().split()))
				print($OUT)
			`, "OUT", t1fstr(pre, fn+"(a)", post))),
			Py(Fill(`
				import sys

				def main():
					data = sys.stdin.read().split()
					n = int(data[0])
					best = int(data[1])
					for i in range(2, n + 1):
						v = int(data[i])
						if v $CMP best:
							best = v
					print($OUT)

				main()
			`, "CMP", cmp, "OUT", t1cat(pre, "str(best)", post))),
		},
	}
	sign := 1
	if !big {
		sign = -1
	}
	// at puts the extreme value sign*maxA at position i of a list whose
	// other values are strictly less extreme.
	at := func(n, i int) []int {
		xs := g.Ints(n, -maxA+1, maxA-1)
		xs[i] = sign * maxA
		return xs
	}
	n := g.Int(2, maxN)
	inst.Examples = []string{t1list(g.Ints(g.Int(3, 6), -min(maxA, 20), min(maxA, 20))), t1list(g.Ints(g.Int(2, 4), -min(maxA, 9), min(maxA, 9)))}
	inst.Hidden = []string{
		t1list([]int{g.Int(-maxA, maxA)}),                      // n = 1
		t1list(g.Ints(g.Int(2, 8), 7, 7)),                      // all equal
		t1list(g.Ints(maxN, -maxA, maxA)),                      // largest size
		t1list(g.Ints(maxN, -maxA, -maxA)),                     // all most negative
		t1list(g.Ints(g.Int(2, maxN), 0, 0)),                   // zeros
		t1list(at(n, 0)),                                       // answer first
		t1list(at(n, n-1)),                                     // answer last
		t1list(g.Ints(g.Int(2, maxN), -maxA, -1)),              // all negative
		t1list([]int{sign * 3, sign * 3, sign * -5, sign * 3}), // repeated answer
		t1list(g.Ints(2, -maxA, maxA)),
		t1list(g.Ints(g.Int(1, maxN), -maxA, maxA)),
		t1list(g.Ints(g.Int(1, maxN), 0, maxA)),
	}
	return inst
}

func arithTwo() Family {
	return Family{Name: "arith_two", Tier: 1, About: "the sum, difference or product of two integers",
		Make: func(g *Gen) Instance {
			type op struct{ name, sym string }
			o := Pick(g, op{"sum a + b", "+"}, op{"difference a - b", "-"}, op{"product a * b", "*"})
			oneLine := g.Bool(0.5)
			who := g.Name()
			maxA := Pick(g, 1000, 1000000, 1000000000)
			story := Pick(g,
				fmt.Sprintf("You are given two integers a and b. Compute their %s.", o.name),
				fmt.Sprintf("%s wrote two integers a and b on a card. Find their %s.", who, o.name),
				fmt.Sprintf("Read two integers a and b and print their %s.", o.name))
			inst := Instance{
				Story:  story,
				Input:  t1twoInput(oneLine, fmt.Sprintf("-%d <= a, b <= %d", maxA, maxA)),
				Output: fmt.Sprintf("Print the value of a %s b.", o.sym),
				Solve: func(in string) string {
					v := IntsOf(in)
					a, b := v[0], v[1]
					switch o.sym {
					case "+":
						return fmt.Sprint(a + b)
					case "-":
						return fmt.Sprint(a - b)
					}
					return fmt.Sprint(a * b)
				},
				Solutions: []string{
					Fill(Py(`
						$READ
						print(a $OP b)
					`), "READ", t1readTwo(oneLine), "OP", o.sym),
					Py(Fill(`
						import sys

						def compute(x, y):
							return x $OP y

						nums = [int(t) for t in sys.stdin.read().split()]
						print(compute(nums[0], nums[1]))
					`, "OP", o.sym)),
				},
			}
			two := func(a, b int) string { return t1two(a, b, oneLine) }
			r := func() int { return g.Int(-maxA, maxA) }
			inst.Examples = []string{two(g.Int(1, 20), g.Int(1, 20)), two(g.Int(-9, 9), g.Int(-9, 9))}
			inst.Hidden = []string{
				two(0, 0),
				two(maxA, maxA),
				two(-maxA, -maxA),
				two(maxA, -maxA),
				two(-maxA, maxA),
				two(1, -1),
				two(0, g.Int(1, maxA)),
				two(g.Int(-maxA, -1), 0),
				two(r(), r()),
				two(r(), r()),
				two(g.Int(0, maxA), g.Int(0, maxA)),
			}
			return inst
		}}
}

// t1wordPairs are the (true, false) answer words of the yes/no families.
var t1wordPairs = [][2]string{{"EVEN", "ODD"}, {"yes", "no"}, {"red", "blue"}, {"Even", "Odd"}, {"on", "off"}, {"left", "right"}}

func parityWord() Family {
	return Family{Name: "parity_word", Tier: 1, About: "one word for an even integer, another for an odd one",
		Make: func(g *Gen) Instance {
			w := Pick(g, t1wordPairs...)
			even, odd := w[0], w[1]
			who := g.Name()
			maxA := Pick(g, 100, 1000000000, 1000000000000000000)
			story := Pick(g,
				"You are given an integer n. Decide whether n is even or odd.",
				fmt.Sprintf("%s thinks of an integer n. Tell whether it is even or odd.", who),
				fmt.Sprintf("A lamp shows %q for even numbers and %q for odd numbers. Show what it displays for n.", even, odd))
			inst := Instance{
				Story:  story,
				Input:  fmt.Sprintf("One line with an integer n (-%d <= n <= %d).", maxA, maxA),
				Output: fmt.Sprintf("Print %q if n is even, otherwise print %q.", even, odd),
				Solve: func(in string) string {
					if IntsOf(in)[0]%2 == 0 {
						return even
					}
					return odd
				},
				Solutions: []string{
					Py(Fill(`
						n = int(input())
						print($E if n % 2 == 0 else $O)
					`, "E", Quote(even), "O", Quote(odd))),
					Py(Fill(`
						import sys

						n = int(sys.stdin.readline())
						if n & 1:
							print($O)
						else:
							print($E)
					`, "E", Quote(even), "O", Quote(odd))),
				},
			}
			inst.Examples = []string{Line(2 * g.Int(1, 25)), Line(-2*g.Int(0, 24) - 1)}
			inst.Hidden = []string{
				Line(0), Line(1), Line(-1), Line(2), Line(-2),
				Line(maxA), Line(-maxA), Line(maxA - 1), Line(-(maxA - 1)),
				Line(g.Int(-maxA, maxA)), Line(g.Int(-maxA, maxA)), Line(g.Int(-maxA, maxA)),
			}
			return inst
		}}
}

func divisibleBy() Family {
	return Family{Name: "divisible_by", Tier: 1, About: "whether an integer is divisible by a given k, as one of two words",
		Make: func(g *Gen) Instance {
			k := g.Int(2, 13)
			w := Pick(g, [2]string{"YES", "NO"}, [2]string{"yes", "no"}, [2]string{"OK", "FAIL"}, [2]string{"DIVISIBLE", "NOT"}, [2]string{"true", "false"})
			yes, no := w[0], w[1]
			who := g.Name()
			maxA := Pick(g, 1000, 1000000, 1000000000)
			story := Pick(g,
				fmt.Sprintf("You are given an integer n. Check whether n is divisible by %d.", k),
				fmt.Sprintf("%s wants to know whether the integer n is a multiple of %d.", who, k),
				fmt.Sprintf("%s checks an integer n: it passes the test if n is divisible by %d (the remainder of n divided by %d is 0).", who, k, k))
			inst := Instance{
				Story:  story,
				Input:  fmt.Sprintf("One line with an integer n (-%d <= n <= %d).", maxA, maxA),
				Output: fmt.Sprintf("Print %q if n is divisible by %d, otherwise print %q.", yes, k, no),
				Solve: func(in string) string {
					if IntsOf(in)[0]%k == 0 {
						return yes
					}
					return no
				},
				Solutions: []string{
					Py(Fill(`
						n = int(input())
						print($Y if n % $K == 0 else $N)
					`, "K", k, "Y", Quote(yes), "N", Quote(no))),
					Py(Fill(`
						import sys

						def main():
							n = int(sys.stdin.read())
							q, r = divmod(n, $K)
							if r == 0:
								print($Y)
							else:
								print($N)

						main()
					`, "K", k, "Y", Quote(yes), "N", Quote(no))),
				},
			}
			big := maxA / k * k
			inst.Examples = []string{Line(k * g.Int(1, 9)), Line(k*g.Int(1, 9) + g.Int(1, k-1))}
			inst.Hidden = []string{
				Line(0), Line(1), Line(-1), Line(k), Line(-k), Line(k - 1), Line(k + 1),
				Line(big), Line(-big), Line(maxA), Line(-maxA + 1),
				Line(k * g.Int(-maxA/k, maxA/k)),
				Line(g.Int(-maxA, maxA)),
			}
			return inst
		}}
}

func modK() Family {
	return Family{Name: "mod_k", Tier: 1, About: "n modulo k, never negative (Python's %)",
		Make: func(g *Gen) Instance {
			k := Pick(g, g.Int(2, 20), g.Int(21, 1000), 1000000007)
			maxA := Pick(g, 1000, 1000000000, 1000000000000)
			story := Pick(g,
				fmt.Sprintf("You are given an integer n. Find the remainder of n divided by %d: the number r with 0 <= r < %d such that n - r is divisible by %d. It is never negative, even when n is.", k, k, k),
				fmt.Sprintf("A clock has %d positions numbered 0 to %d. Its hand starts at 0 and moves n steps forward (|n| steps backward when n is negative). Find the position where it stops, which is n modulo %d.", k, k-1, k))
			inst := Instance{
				Story:  story,
				Input:  fmt.Sprintf("One line with an integer n (-%d <= n <= %d).", maxA, maxA),
				Output: fmt.Sprintf("Print n modulo %d, a number from 0 to %d.", k, k-1),
				Solve: func(in string) string {
					return fmt.Sprint(FloorMod(IntsOf(in)[0], k))
				},
				Solutions: []string{
					Py(Fill(`
						print(int(input()) % $K)
					`, "K", k)),
					Py(Fill(`
						import sys

						def mod(n, k):
							r = abs(n) % k
							if n < 0 and r != 0:
								r = k - r
							return r

						print(mod(int(sys.stdin.read()), $K))
					`, "K", k)),
				},
			}
			inst.Examples = []string{Line(g.Int(k+1, k+50)), Line(-g.Int(1, 30))}
			var hidden []string
			seen := map[int]bool{}
			add := func(v int) {
				if v >= -maxA && v <= maxA && !seen[v] {
					seen[v] = true
					hidden = append(hidden, Line(v))
				}
			}
			for _, v := range []int{0, 1, -1, k, -k, k - 1, -(k - 1), k + 1, -(k + 1), 3 * k, maxA, -maxA} {
				add(v)
			}
			for i := 0; i < 40 && len(hidden) < 14; i++ {
				add(g.Int(-maxA, maxA))
			}
			inst.Hidden = hidden
			return inst
		}}
}

func lastDigit() Family {
	return Family{Name: "last_digit", Tier: 1, Unseen: true, Cousin: "mod_k", About: "the last decimal digit of |n|",
		Make: func(g *Gen) Instance {
			pre := Pick(g, "", "Digit: ", "Last digit: ", "Answer: ", "The last digit is ")
			who := g.Name()
			maxA := Pick(g, 1000000, 1000000000, 1000000000000000000)
			story := Pick(g,
				"You are given an integer n. Find the last decimal digit of n (of |n| when n is negative).",
				fmt.Sprintf("%s looks at the integer n written in decimal. What is the last digit of its absolute value |n|?", who),
				fmt.Sprintf("%s only remembers the last digit of every number. Find the digit %s remembers for n (the last digit of |n|).", who, who))
			out := "Print the last digit of |n|, a number from 0 to 9."
			if pre != "" {
				out = fmt.Sprintf("Print the line %q, where D is the last digit of |n| (a number from 0 to 9).", pre+"D")
			}
			inst := Instance{
				Story:  story,
				Input:  fmt.Sprintf("One line with an integer n (-%d <= n <= %d).", maxA, maxA),
				Output: out,
				Solve: func(in string) string {
					n := IntsOf(in)[0]
					if n < 0 {
						n = -n
					}
					return fmt.Sprintf("%s%d", pre, n%10)
				},
				Solutions: []string{
					Py(Fill(`
						print($OUT)
					`, "OUT", t1fstr(pre, "abs(int(input())) % 10", ""))),
					Py(Fill(`
						import sys

						s = sys.stdin.readline().strip()
						print($OUT)
					`, "OUT", t1cat(pre, "s[-1]", ""))),
				},
			}
			r := func() int { return g.Int(-maxA, maxA) }
			inst.Examples = []string{Line(g.Int(10, 9999)), Line(-g.Int(10, 999))}
			inst.Hidden = []string{
				Line(0), Line(7), Line(-3), Line(10), Line(-10), Line(maxA), Line(-maxA),
				Line(maxA - 1), Line(-(maxA - 3)), Line(r()), Line(r()), Line(r()),
			}
			return inst
		}}
}

func roundDecimals() Family {
	return Family{Name: "round_decimals", Tier: 1, About: "a real number rounded to d decimal places",
		Make: func(g *Gen) Instance {
			d := g.Int(1, 4)
			who := g.Name()
			example := strconv.FormatFloat(3.1, 'f', d, 64)
			story := Pick(g,
				fmt.Sprintf("Round the real number x to %d digits after the decimal point.", d),
				fmt.Sprintf("%s measured a temperature of x degrees. Write it rounded to %d decimal places.", who, d),
				fmt.Sprintf("A display always shows exactly %d digits after the decimal point, rounding to the nearest value. Print how it shows the number x.", d))
			inst := Instance{
				Story: story,
				Input: "One line with a real number x (-1000000 <= x <= 1000000), written with at most 6 digits after the decimal point. " +
					"x is never exactly halfway between two rounded values.",
				Output: fmt.Sprintf("Print x rounded to the nearest value with %d decimal places, written with exactly %d digits after the point (3.1 is printed as %s).", d, d, example),
				Solve: func(in string) string {
					x, err := strconv.ParseFloat(strings.TrimSpace(in), 64)
					if err != nil {
						panic(err)
					}
					return strconv.FormatFloat(x, 'f', d, 64)
				},
				Solutions: []string{
					Py(Fill(`
						print(f"{float(input()):.$Df}")
					`, "D", d)),
					Py(Fill(`
						import sys

						x = float(sys.stdin.readline())
						print("{:.{}f}".format(x, $D))
					`, "D", d)),
				},
			}
			// num writes v / 10^m exactly, nudged off decimal ties and off
			// values whose rounding would print a negative zero.
			num := func(v, m int) string {
				p := 1
				for i := 0; i < m; i++ {
					p *= 10
				}
				if m > d {
					tail := t1abs(v) % (p / t1pow10(d))
					if tail == 5*p/t1pow10(d+1) {
						v++
					}
					if v < 0 && 2*t1abs(v)*t1pow10(d) < p {
						v = -v
					}
				}
				s := fmt.Sprint(t1abs(v) / p)
				if m > 0 {
					s += fmt.Sprintf(".%0*d", m, t1abs(v)%p)
				}
				if v < 0 {
					s = "-" + s
				}
				return s + "\n"
			}
			rnd := func(maxInt, m int) string { return num(g.Int(-maxInt*t1pow10(m), maxInt*t1pow10(m)), m) }
			inst.Examples = []string{num(g.Int(1000, 99999), g.Int(d+1, 4)), num(-g.Int(10, 9999), g.Int(d+1, 3))}
			inst.Hidden = []string{
				num(0, 0),                        // zero
				num(g.Int(1, 99), 0),             // an integer
				num(1000000, 0),                  // largest
				num(-1000000*t1pow10(6), 6),      // smallest, six zeros after the point
				num(9999999, 6),                  // 9.999999 rounds up with a carry
				num(-g.Int(1, 9), 6),             // tiny, rounds to zero
				num(g.Int(1, 9)*t1pow10(d), d+1), // exactly d+1 digits, no rounding needed
				num(g.Int(1, 9)*11, min(d, 2)),   // fewer digits than d: pad with zeros
				rnd(1000000, 6),
				rnd(1000, 5),
				rnd(100, 3),
				rnd(10, g.Int(d+1, 6)),
				num(-g.Int(1, 1000000)*t1pow10(6)+g.Int(0, 999999), 6),
			}
			return inst
		}}
}

func t1abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func t1pow10(m int) int {
	p := 1
	for i := 0; i < m; i++ {
		p *= 10
	}
	return p
}

func greet() Family {
	return Family{Name: "greet", Tier: 1, About: "greet a person by name with a given greeting and punctuation",
		Make: func(g *Gen) Instance {
			greeting := Pick(g, "Hello", "Welcome", "Good morning", "Hi", "Greetings", "Good evening", "Nice to meet you")
			sep := Pick(g, ", ", " ")
			punct := Pick(g, "!", ".", "!!")
			pre := greeting + sep
			who, shop := g.Name(), Pick(g, "bakery", "library", "hotel", "museum", "cafe")
			story := Pick(g,
				"Write a program that greets a person by name.",
				fmt.Sprintf("%s works at the %s and greets every visitor by name.", who, shop),
				fmt.Sprintf("A robot at the %s door reads a visitor's name and says a greeting.", shop))
			inst := Instance{
				Story:  story,
				Input:  "One line with a name: 1 to 20 English letters, the first one uppercase.",
				Output: fmt.Sprintf("Print the line %q, where NAME is the name read.", pre+"NAME"+punct),
				Solve: func(in string) string {
					return pre + strings.TrimSpace(in) + punct
				},
				Solutions: []string{
					Py(Fill(`
						print($OUT)
					`, "OUT", t1fstr(pre, "input()", punct))),
					Py(Fill(`
						import sys

						name = sys.stdin.readline().strip()
						print($OUT)
					`, "OUT", t1cat(pre, "name", punct))),
				},
			}
			cap := func(n int) string {
				w := g.Word(n, "")
				return strings.ToUpper(w[:1]) + w[1:] + "\n"
			}
			p := g.Perm(len(names))
			inst.Examples = []string{names[p[0]] + "\n", names[p[1]] + "\n"}
			inst.Hidden = []string{
				cap(1), cap(20), "Al\n", "Bo\n",
				names[p[2]] + "\n", names[p[3]] + "\n", names[p[4]] + "\n", names[p[5]] + "\n",
				cap(g.Int(3, 8)), cap(g.Int(9, 15)), "McDonald\n",
			}
			return inst
		}}
}

func strLength() Family {
	return Family{Name: "str_length", Tier: 1, About: "the number of characters of a line, spaces included",
		Make: func(g *Gen) Instance {
			pre := Pick(g, "", "Length: ", "Answer: ", "Characters: ", "Total = ")
			maxL := Pick(g, 50, 100, 200)
			who := g.Name()
			story := Pick(g,
				"You are given a line of text. Count its characters.",
				fmt.Sprintf("%s typed a message. How many characters long is it?", who),
				fmt.Sprintf("%s pays for a telegram by the character. Find how many characters the line has.", who))
			what := "the number of characters in the line (spaces and punctuation included)"
			out := "Print " + what + "."
			if pre != "" {
				out = fmt.Sprintf("Print the line %q, where L is %s.", pre+"L", what)
			}
			inst := Instance{
				Story:  story,
				Input:  fmt.Sprintf("One line of 1 to %d characters: letters, digits, spaces and the marks . , ! ? - (it does not start or end with a space).", maxL),
				Output: out,
				Solve: func(in string) string {
					return fmt.Sprintf("%s%d", pre, len(strings.TrimSuffix(in, "\n")))
				},
				Solutions: []string{
					Py(Fill(`
						print($OUT)
					`, "OUT", t1fstr(pre, "len(input())", ""))),
					Py(Fill(`
						import sys

						line = sys.stdin.readline().rstrip("\n")
						count = 0
						for _ in line:
							count += 1
						print($OUT)
					`, "OUT", t1cat(pre, "str(count)", ""))),
				},
			}
			ln := func(s string) string { return s + "\n" }
			inst.Examples = []string{ln(t1text(g, g.Int(5, 12))), ln(t1text(g, g.Int(3, 10)))}
			inst.Hidden = []string{
				ln(g.Word(1, "")),             // one letter
				"?\n",                         // one mark
				ln(t1text(g, maxL)),           // longest
				"a  b\n",                      // two spaces in a row
				ln(strings.Repeat("7", maxL)), // digits only
				"Hello, world!\n",
				ln(t1text(g, g.Int(2, 10))),
				ln(t1text(g, g.Int(10, maxL))),
				ln(t1text(g, g.Int(10, maxL))),
				ln(g.Word(g.Int(2, maxL), "") + " " + g.Word(1, "")),
			}
			return inst
		}}
}

func upperCase() Family {
	return Family{Name: "upper_case", Tier: 1, About: "a line in upper case, optionally wrapped in given marks",
		Make: func(g *Gen) Instance { return t1case(g, true) }}
}

func lowerCase() Family {
	return Family{Name: "lower_case", Tier: 1, Unseen: true, Cousin: "upper_case", About: "a line in lower case, optionally wrapped in given marks",
		Make: func(g *Gen) Instance { return t1case(g, false) }}
}

// t1case is upper_case (up) or lower_case: one template, the words swapped.
func t1case(g *Gen, up bool) Instance {
	from, to, method, lo, hi, delta := "lowercase", "uppercase", "upper", "a", "z", "- 32"
	if !up {
		from, to, method, lo, hi, delta = "uppercase", "lowercase", "lower", "A", "Z", "+ 32"
	}
	w := Pick(g, [2]string{"", ""}, [2]string{"[", "]"}, [2]string{"<", ">"}, [2]string{"*", "*"}, [2]string{">> ", ""}, [2]string{"", "!"})
	pre, post := w[0], w[1]
	maxL := Pick(g, 50, 100, 200)
	who := g.Name()
	story := Pick(g,
		fmt.Sprintf("You are given a line of text. Write it in %s letters.", to),
		fmt.Sprintf("%s wants to change every %s letter of a message to %s.", who, from, to),
		fmt.Sprintf("A sign printer only has %s letters. Show how the line looks on a sign.", to))
	out := fmt.Sprintf("Print the line with every %s letter changed to %s; other characters stay as they are.", from, to)
	if pre != "" || post != "" {
		out = fmt.Sprintf("Print the line %q, where TEXT is the line with every %s letter changed to %s (other characters unchanged).", pre+"TEXT"+post, from, to)
	}
	conv := strings.ToUpper
	if !up {
		conv = strings.ToLower
	}
	inst := Instance{
		Story:  story,
		Input:  fmt.Sprintf("One line of 1 to %d characters: letters, digits, spaces and the marks . , ! ? - (it does not start or end with a space).", maxL),
		Output: out,
		Solve: func(in string) string {
			return pre + conv(strings.TrimSuffix(in, "\n")) + post
		},
		Solutions: []string{
			Py(Fill(`
				print($OUT)
			`, "OUT", t1fstr(pre, "input()."+method+"()", post))),
			Py(Fill(`
				import sys

				def convert(s):
					out = []
					for c in s:
						if "$LO" <= c <= "$HI":
							out.append(chr(ord(c) $DELTA))
						else:
							out.append(c)
					return "".join(out)

				print($OUT)
			`, "LO", lo, "HI", hi, "DELTA", delta, "OUT", t1cat(pre, `convert(sys.stdin.readline().rstrip("\n"))`, post))),
		},
	}
	ln := func(s string) string { return s + "\n" }
	inst.Examples = []string{ln(t1text(g, g.Int(5, 12))), ln(t1text(g, g.Int(3, 10)))}
	inst.Hidden = []string{
		ln(g.Word(1, "")),                              // one lowercase letter
		ln(strings.ToUpper(g.Word(1, ""))),             // one uppercase letter
		"2024 - 7, 8!\n",                               // no letters
		ln(strings.ToLower(t1text(g, g.Int(5, maxL)))), // all lowercase
		ln(strings.ToUpper(t1text(g, g.Int(5, maxL)))), // all uppercase
		ln(t1text(g, maxL)),                            // longest
		"Hello  World?\n",                              // two spaces in a row
		ln(t1text(g, g.Int(2, 10))),
		ln(t1text(g, g.Int(10, maxL))),
		ln(t1text(g, g.Int(10, maxL))),
	}
	return inst
}

func repeatWord() Family {
	return Family{Name: "repeat_word", Tier: 1, About: "a word written k times with a given separator",
		Make: func(g *Gen) Instance {
			sep := Pick(g, " ", ",", "-", "")
			wFirst := g.Bool(0.5)
			who := g.Name()
			story := Pick(g,
				"Repeat the word w exactly k times.",
				fmt.Sprintf("%s writes the word w on the board k times in a row.", who),
				fmt.Sprintf("A parrot named %s repeats every word it hears k times.", who))
			order, read := "a word w (1 to 10 lowercase letters) and an integer k (1 <= k <= 20)", "w, k = input().split()"
			if !wFirst {
				order, read = "an integer k (1 <= k <= 20) and a word w (1 to 10 lowercase letters)", "k, w = input().split()"
			}
			sepText := map[string]string{" ": "separated by single spaces", ",": "separated by commas (no spaces)", "-": `separated by "-"`, "": "with nothing between the copies"}[sep]
			expr := Quote(sep) + ".join([w] * int(k))"
			if sep == "" {
				expr = "w * int(k)"
			}
			wi, ki := 0, 1
			if !wFirst {
				wi, ki = 1, 0
			}
			inst := Instance{
				Story:  story,
				Input:  fmt.Sprintf("One line with %s, separated by a space.", order),
				Output: fmt.Sprintf("Print w written k times, %s.", sepText),
				Solve: func(in string) string {
					f := Fields(in)
					k := Atoi(f[ki])
					return strings.TrimSuffix(strings.Repeat(f[wi]+sep, k), sep)
				},
				Solutions: []string{
					Py(Fill(`
						$READ
						print($EXPR)
					`, "READ", read, "EXPR", expr)),
					Py(Fill(`
						import sys

						parts = sys.stdin.read().split()
						w, k = parts[$WI], int(parts[$KI])
						out = ""
						for i in range(k):
							if i > 0:
								out += $SEP
							out += w
						print(out)
					`, "WI", wi, "KI", ki, "SEP", Quote(sep))),
				},
			}
			in := func(w string, k int) string {
				if wFirst {
					return Line[any](w, k)
				}
				return Line[any](k, w)
			}
			inst.Examples = []string{in(g.Word(g.Int(2, 5), ""), g.Int(2, 4)), in(g.Noun(), g.Int(1, 3))}
			inst.Hidden = []string{
				in(g.Word(g.Int(2, 6), ""), 1),  // k = 1
				in(g.Word(g.Int(2, 6), ""), 20), // largest k
				in(g.Word(1, ""), 1),            // smallest of both
				in(g.Word(1, ""), g.Int(2, 20)),
				in(g.Word(10, ""), 20), // largest of both
				in(g.Word(10, ""), g.Int(2, 19)),
				in("aa", 3),
				in(g.Noun(), g.Int(2, 20)),
				in(g.Word(g.Int(2, 9), ""), g.Int(2, 20)),
				in(g.Word(g.Int(2, 9), ""), g.Int(2, 20)),
			}
			return inst
		}}
}

func absDiff() Family {
	return Family{Name: "abs_diff", Tier: 1, About: "the absolute difference |a - b| of two integers, possibly with a unit",
		Make: func(g *Gen) Instance {
			unit := Pick(g, "", "meters", "steps", "km", "floors")
			oneLine := g.Bool(0.5)
			who, thing := g.Name(), Pick(g, "houses", "trees", "lamps", "benches")
			maxA := Pick(g, 100, 1000000, 1000000000)
			story := Pick(g,
				"You are given two integers a and b. Find the absolute value of their difference, |a - b|.",
				fmt.Sprintf("Two %s stand on a straight road at positions a and b. Find the distance between them, |a - b|.", thing),
				fmt.Sprintf("%s is at point a of a number line and walks to point b. How far does %s walk? The answer is |a - b|.", who, who))
			out := "Print |a - b|."
			if unit != "" {
				out = fmt.Sprintf("Print |a - b|, then a space and the word %q.", unit)
			}
			post := ""
			if unit != "" {
				post = " " + unit
			}
			inst := Instance{
				Story:  story,
				Input:  t1twoInput(oneLine, fmt.Sprintf("-%d <= a, b <= %d", maxA, maxA)),
				Output: out,
				Solve: func(in string) string {
					v := IntsOf(in)
					return fmt.Sprintf("%d%s", t1abs(v[0]-v[1]), post)
				},
				Solutions: []string{
					Fill(Py(`
						$READ
						print($OUT)
					`), "READ", t1readTwo(oneLine), "OUT", t1fstr("", "abs(a - b)", post)),
					Py(Fill(`
						import sys

						nums = list(map(int, sys.stdin.read().split()))
						d = nums[0] - nums[1]
						if d < 0:
							d = -d
						print($OUT)
					`, "OUT", t1cat("", "str(d)", post))),
				},
			}
			two := func(a, b int) string { return t1two(a, b, oneLine) }
			r := func() int { return g.Int(-maxA, maxA) }
			x := g.Int(-maxA, maxA)
			inst.Examples = []string{two(g.Int(1, 9), g.Int(10, 30)), two(g.Int(5, 20), -g.Int(1, 9))}
			inst.Hidden = []string{
				two(0, 0), two(x, x), // equal
				two(maxA, -maxA), two(-maxA, maxA), // largest distance
				two(g.Int(-maxA, -1), g.Int(-maxA, -1)),      // both negative
				two(g.Int(0, maxA/2), g.Int(maxA/2+1, maxA)), // a < b
				two(g.Int(maxA/2+1, maxA), g.Int(0, maxA/2)), // a > b
				two(1, 2), two(r(), r()), two(r(), r()), two(r(), 0),
			}
			return inst
		}}
}

func rectMeasure() Family {
	return Family{Name: "rect_measure", Tier: 1, About: "the area or the perimeter of a w x h rectangle, possibly with a unit",
		Make: func(g *Gen) Instance {
			area := g.Bool(0.5)
			what, formula, expr, unit := "perimeter", "2 * (w + h)", "2 * (w + h)", Pick(g, "", "meters", "cm", "steps")
			if area {
				what, formula, expr, unit = "area", "w * h", "w * h", Pick(g, "", "square meters", "tiles", "cm2")
			}
			post := ""
			if unit != "" {
				post = " " + unit
			}
			who, thing := g.Name(), Pick(g, "garden", "carpet", "window", "field", "poster")
			maxA := Pick(g, 100, 10000, 1000000000)
			story := Pick(g,
				fmt.Sprintf("A rectangle has width w and height h. Find its %s.", what),
				fmt.Sprintf("%s has a rectangular %s of width w and height h. Find the %s of the %s.", who, thing, what, thing))
			out := fmt.Sprintf("Print the %s, %s.", what, formula)
			if unit != "" {
				out = fmt.Sprintf("Print the %s, %s, then a space and the word %q.", what, formula, unit)
			}
			inst := Instance{
				Story:  story,
				Input:  fmt.Sprintf("One line with two integers w and h (1 <= w, h <= %d).", maxA),
				Output: out,
				Solve: func(in string) string {
					v := IntsOf(in)
					if area {
						return fmt.Sprintf("%d%s", v[0]*v[1], post)
					}
					return fmt.Sprintf("%d%s", 2*(v[0]+v[1]), post)
				},
			}
			fn := "w + h + w + h"
			if area {
				fn = "w * h"
			}
			inst.Solutions = []string{
				Py(Fill(`
					w, h = map(int, input().split())
					print($OUT)
				`, "OUT", t1fstr("", expr, post))),
				Py(Fill(`
					import sys

					def measure(w, h):
						return $FN

					w, h = map(int, sys.stdin.read().split())
					print($OUT)
				`, "FN", fn, "OUT", t1cat("", "str(measure(w, h))", post))),
			}
			r := func() int { return g.Int(1, maxA) }
			s := g.Int(2, maxA)
			inst.Examples = []string{Line(g.Int(2, 9), g.Int(2, 9)), Line(g.Int(1, 5), g.Int(6, 12))}
			inst.Hidden = []string{
				Line(1, 1), Line(maxA, maxA), Line(1, maxA), Line(maxA, 1), Line(s, s),
				Line(2, 3), Line(r(), r()), Line(r(), r()), Line(r(), r()), Line(g.Int(1, 10), r()),
			}
			return inst
		}}
}

func maxOfTwo() Family {
	return Family{Name: "max_of_two", Tier: 1, About: "the larger (or the smaller) of two integers, or a word when they are equal",
		Make: func(g *Gen) Instance {
			larger := g.Bool(0.5)
			what, fn, cmp := "larger", "max", ">"
			if !larger {
				what, fn, cmp = "smaller", "min", "<"
			}
			tie := ""
			if g.Bool(0.5) {
				tie = Pick(g, "EQUAL", "SAME", "TIE", "DRAW")
			}
			oneLine := g.Bool(0.5)
			who, who2 := g.Name(), g.Name()
			maxA := Pick(g, 100, 1000000, 1000000000)
			story := Pick(g,
				fmt.Sprintf("You are given two integers a and b. Find the %s one.", what),
				fmt.Sprintf("%s says the integer a and %s says the integer b. Which number is %s?", who, who2, what))
			out := fmt.Sprintf("Print the %s of a and b (if they are equal, print that value).", what)
			if tie != "" {
				out = fmt.Sprintf("Print the %s of a and b, or %q if a and b are equal.", what, tie)
			}
			inst := Instance{
				Story:  story,
				Input:  t1twoInput(oneLine, fmt.Sprintf("-%d <= a, b <= %d", maxA, maxA)),
				Output: out,
				Solve: func(in string) string {
					v := IntsOf(in)
					a, b := v[0], v[1]
					switch {
					case a == b && tie != "":
						return tie
					case (a > b) == larger:
						return fmt.Sprint(a)
					}
					return fmt.Sprint(b)
				},
			}
			if tie == "" {
				inst.Solutions = []string{
					Fill(Py(`
						$READ
						print($FN(a, b))
					`), "READ", t1readTwo(oneLine), "FN", fn),
					Py(Fill(`
						import sys

						a, b = map(int, sys.stdin.read().split())
						if a $CMP b:
							print(a)
						else:
							print(b)
					`, "CMP", cmp)),
				}
			} else {
				inst.Solutions = []string{
					Fill(Py(`
						$READ
						print($T if a == b else $FN(a, b))
					`), "READ", t1readTwo(oneLine), "FN", fn, "T", Quote(tie)),
					Py(Fill(`
						import sys

						a, b = map(int, sys.stdin.read().split())
						if a == b:
							print($T)
						elif a $CMP b:
							print(a)
						else:
							print(b)
					`, "CMP", cmp, "T", Quote(tie))),
				}
			}
			two := func(a, b int) string { return t1two(a, b, oneLine) }
			x := g.Int(-maxA, maxA)
			ex := g.Int(1, 20)
			inst.Examples = []string{two(g.Int(1, 20), g.Int(21, 40)), two(ex, ex)}
			inst.Hidden = []string{
				two(0, 0), two(x, x), two(maxA, maxA), two(-maxA, -maxA), // ties
				two(maxA, -maxA), two(-maxA, maxA),
				two(g.Int(-maxA, -2), -1), two(-1, g.Int(-maxA, -2)), // both negative
				two(g.Int(1, maxA), 0), two(0, g.Int(1, maxA)),
				two(g.Int(-maxA, maxA), g.Int(-maxA, maxA)),
			}
			return inst
		}}
}
