package synth

import (
	"fmt"
	"slices"
	"strings"
)

// tier3 are small algorithms: sorting by a key, gcd and primes, two
// pointers, BFS on a small grid, short dynamic programmes.
func tier3() []Family {
	return []Family{
		gridPath(),
		sortByKey(),
		gcdList(),
		lcmList(),
		countPrimes(),
		pairSumCount(),
		stairsWays(),
		coinChangeMin(),
		lisLength(),
		maxSubarray(),
		minSubarray(),
		countIslands(),
		mergeIntervals(),
		balancedBrackets(),
		countLeqQueries(),
	}
}

func gridPath() Family {
	return Family{Name: "grid_path", Tier: 3, About: "shortest path length on a small grid with walls (BFS), -1 when unreachable",
		Make: func(g *Gen) Instance {
			wall, free := Pick(g, "#", "X", "*"), "."
			diag := false
			who := g.Name()
			inst := Instance{
				Story:  fmt.Sprintf("%s walks on a grid of h rows and w columns. Cells marked %q are walls, %q are free. Each move goes to a free cell sharing a side with the current one. Find the fewest moves from the top-left cell to the bottom-right cell.", who, wall, free),
				Input:  fmt.Sprintf("The first line contains h and w (1 <= h, w <= 20). Then h lines of w characters follow. The top-left and bottom-right cells are free."),
				Output: "Print the fewest number of moves, or -1 if the bottom-right cell cannot be reached.",
				Solve: func(in string) string {
					ls := Lines(in)
					hw := IntsOf(ls[0])
					h, w := hw[0], hw[1]
					grid := ls[1 : 1+h]
					dist := make([]int, h*w)
					for i := range dist {
						dist[i] = -1
					}
					dist[0] = 0
					q := []int{0}
					for len(q) > 0 {
						c := q[0]
						q = q[1:]
						r, k := c/w, c%w
						for _, d := range [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
							nr, nk := r+d[0], k+d[1]
							if nr < 0 || nk < 0 || nr >= h || nk >= w || grid[nr][nk] != free[0] || dist[nr*w+nk] >= 0 {
								continue
							}
							dist[nr*w+nk] = dist[c] + 1
							q = append(q, nr*w+nk)
						}
					}
					return fmt.Sprint(dist[h*w-1])
				},
			}
			_ = diag
			inst.Solutions = []string{
				Py(Fill(`
					from collections import deque
					h, w = map(int, input().split())
					g = [input() for _ in range(h)]
					dist = [[-1] * w for _ in range(h)]
					dist[0][0] = 0
					q = deque([(0, 0)])
					while q:
						r, c = q.popleft()
						for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
							nr, nc = r + dr, c + dc
							if 0 <= nr < h and 0 <= nc < w and g[nr][nc] == "$F" and dist[nr][nc] < 0:
								dist[nr][nc] = dist[r][c] + 1
								q.append((nr, nc))
					print(dist[h - 1][w - 1])
				`, "F", free)),
				Py(Fill(`
					import sys

					def solve():
						lines = sys.stdin.read().split("\n")
						h, w = map(int, lines[0].split())
						grid = lines[1:1 + h]
						seen = {(0, 0)}
						frontier = [(0, 0)]
						steps = 0
						while frontier:
							if (h - 1, w - 1) in seen:
								return steps
							nxt = []
							for r, c in frontier:
								for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
									if 0 <= nr < h and 0 <= nc < w and grid[nr][nc] != "$W" and (nr, nc) not in seen:
										seen.add((nr, nc))
										nxt.append((nr, nc))
							frontier = nxt
							steps += 1
						return -1

					print(solve())
				`, "W", wall)),
			}
			grid := func(h, w int, p float64) string {
				var b strings.Builder
				b.WriteString(Line(h, w))
				for r := 0; r < h; r++ {
					for c := 0; c < w; c++ {
						if (r == 0 && c == 0) || (r == h-1 && c == w-1) || !g.Bool(p) {
							b.WriteString(free)
						} else {
							b.WriteString(wall)
						}
					}
					b.WriteByte('\n')
				}
				return b.String()
			}
			inst.Examples = []string{grid(g.Int(3, 4), g.Int(3, 5), 0.25), grid(g.Int(2, 3), g.Int(2, 4), 0.4)}
			inst.Hidden = []string{
				grid(1, 1, 0),   // start is the goal
				grid(1, 20, 0),  // one row
				grid(20, 1, 0),  // one column
				grid(20, 20, 0), // open, largest
				grid(20, 20, 0.3),
				grid(20, 20, 0.45),
				grid(2, 2, 1), // walls block both routes
				grid(g.Int(5, 12), g.Int(5, 12), 0.35),
				grid(g.Int(5, 12), g.Int(5, 12), 0.2),
			}
			return inst
		}}
}

// --- helpers shared by the tier-3 families -------------------------------

// t3List is how a list of n integers is laid out in the input; every
// layout parses to n followed by the n integers with IntsOf.
type t3List int

const (
	t3TwoLines t3List = iota // n, then the n integers on one line
	t3PerLine                // n, then one integer per line
	t3OneLine                // n and the n integers on one line
)

func t3PickList(g *Gen) t3List { return t3List(g.Int(0, 2)) }

// input describes the layout; items bounds the values, e.g.
// "1 <= a_i <= 1000".
func (l t3List) input(maxN int, items string) string {
	switch l {
	case t3PerLine:
		return fmt.Sprintf("The first line contains n (1 <= n <= %d). Each of the next n lines contains one integer a_i (%s).", maxN, items)
	case t3OneLine:
		return fmt.Sprintf("One line contains n (1 <= n <= %d) followed by the n integers a_1 ... a_n (%s).", maxN, items)
	}
	return fmt.Sprintf("The first line contains n (1 <= n <= %d). The second line contains n integers a_1 ... a_n (%s).", maxN, items)
}

func (l t3List) format(a []int) string {
	switch l {
	case t3PerLine:
		var b strings.Builder
		b.WriteString(Line(len(a)))
		for _, x := range a {
			b.WriteString(Line(x))
		}
		return b.String()
	case t3OneLine:
		return Line(append([]int{len(a)}, a...)...)
	}
	return Line(len(a)) + Line(a...)
}

// read is the Python that reads n and the list a (top level only: Fill it
// in after Py).
func (l t3List) read() string {
	switch l {
	case t3PerLine:
		return "n = int(input())\na = [int(input()) for _ in range(n)]"
	case t3OneLine:
		return "n, *a = map(int, input().split())"
	}
	return "n = int(input())\na = list(map(int, input().split()))"
}

// t3Out is the Output text of a single answer printed after an optional
// label ("" for none); t3Fmt and t3Print print it in Go and in Python.
func t3Out(label, what string) string {
	if label == "" {
		return "Print " + what + "."
	}
	return fmt.Sprintf("Print %q, a colon, a space and %s, e.g. \"%s: 7\".", label, what, label)
}

func t3Fmt(label string, v int) string {
	if label == "" {
		return fmt.Sprint(v)
	}
	return fmt.Sprintf("%s: %d", label, v)
}

func t3Print(label, expr string) string {
	if label == "" {
		return "print(" + expr + ")"
	}
	return fmt.Sprintf("print(%s, %s)", Quote(label+":"), expr)
}

func t3Gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// --- sort_by_key ----------------------------------------------------------

func sortByKey() Family {
	return Family{Name: "sort_by_key", Tier: 3, About: "sort named records by value, ascending or descending, ties by name; print the names",
		Make: func(g *Gen) Instance {
			type kind struct {
				things, value string
				people        bool
				lo, hi        int
			}
			k := Pick(g,
				kind{"people", "age", true, 1, 100},
				kind{"players", "score", true, 0, 1000},
				kind{"students", "height", true, 140, 200},
				kind{"items", "price", false, 1, 1000},
				kind{"products", "weight", false, 1, 500})
			desc := g.Bool(0.5)
			sep := Pick(g, "\n", " ")
			order, sign := "ascending (smallest first)", ""
			if desc {
				order, sign = "descending (largest first)", "-"
			}
			story := Pick(g,
				fmt.Sprintf("Sort the %s by %s in %s order; %s with equal %s go in ascending alphabetical order of name. Print the names.", k.things, k.value, order, k.things, k.value),
				fmt.Sprintf("%s keeps a list of %s and their %ss. Order the %s by %s, %s, breaking ties by name in ascending alphabetical order, and print the names.", g.Name(), k.things, k.value, k.things, k.value, order))
			layout := "one per line"
			if sep == " " {
				layout = "on one line, separated by single spaces"
			}
			pool := names
			if !k.people {
				pool = nouns
			}
			inst := Instance{
				Story:  story,
				Input:  fmt.Sprintf("The first line contains n (1 <= n <= 20). Each of the next n lines holds a name and an integer %s (%d <= %s <= %d), separated by a space. Names are distinct words of English letters.", k.value, k.lo, k.value, k.hi),
				Output: fmt.Sprintf("Print the names in that order, %s.", layout),
				Solve: func(in string) string {
					ls := Lines(in)
					n := Atoi(strings.TrimSpace(ls[0]))
					type rec struct {
						name string
						v    int
					}
					var rs []rec
					for _, l := range ls[1 : 1+n] {
						f := strings.Fields(l)
						rs = append(rs, rec{f[0], Atoi(f[1])})
					}
					slices.SortFunc(rs, func(a, b rec) int {
						if a.v != b.v {
							if desc {
								return b.v - a.v
							}
							return a.v - b.v
						}
						return strings.Compare(a.name, b.name)
					})
					out := make([]string, len(rs))
					for i, r := range rs {
						out[i] = r.name
					}
					return strings.Join(out, sep)
				},
			}
			inst.Solutions = []string{
				Py(Fill(`
					n = int(input())
					rows = [input().split() for _ in range(n)]
					rows.sort(key=lambda r: ($SIGNint(r[1]), r[0]))
					print($SEP.join(r[0] for r in rows))
				`, "SIGN", sign, "SEP", Quote(sep))),
				Py(Fill(`
					import sys

					def main():
						data = sys.stdin.read().split()
						n = int(data[0])
						records = []
						for i in range(n):
							records.append((data[1 + 2 * i], int(data[2 + 2 * i])))
						records.sort(key=lambda r: r[0])
						records.sort(key=lambda r: r[1], reverse=$REV)
						sys.stdout.write($SEP.join(name for name, _ in records) + "\n")

					main()
				`, "REV", map[bool]string{true: "True", false: "False"}[desc], "SEP", Quote(sep))),
			}
			// mk draws n distinct names with values in [lo, hi], sorted by
			// value when sorted is +1 or -1.
			mk := func(n, lo, hi, sorted int) string {
				p := g.Perm(len(pool))
				vs := g.Ints(n, lo, hi)
				if sorted != 0 {
					slices.Sort(vs)
					if sorted < 0 {
						slices.Reverse(vs)
					}
				}
				var b strings.Builder
				b.WriteString(Line(n))
				for i := 0; i < n; i++ {
					b.WriteString(fmt.Sprintf("%s %d\n", pool[p[i]], vs[i]))
				}
				return b.String()
			}
			mid := (k.lo + k.hi) / 2
			inst.Examples = []string{mk(g.Int(3, 4), k.lo, k.hi, 0), mk(3, mid, mid+2, 0)}
			inst.Hidden = []string{
				mk(1, k.lo, k.hi, 0),
				mk(2, mid, mid, 0),      // a tie
				mk(6, k.hi, k.hi, 0),    // all equal: alphabetical
				mk(20, k.lo, k.hi, 0),   // largest
				mk(20, k.lo, k.lo+2, 0), // many ties
				mk(10, k.lo, k.hi, 1),   // already ascending
				mk(10, k.lo, k.hi, -1),  // already descending
				mk(g.Int(3, 19), k.lo, k.hi, 0),
				mk(g.Int(3, 19), mid, mid+5, 0),
				mk(2, k.lo, k.hi, 0),
			}
			return inst
		}}
}

// --- gcd_list and lcm_list -------------------------------------------------

func t3GcdStory(g *Gen, lcm bool) string {
	if lcm {
		t := Pick(g, struct{ what, one, all string }{"lamps", "blinks", "blink"}, struct{ what, one, all string }{"bells", "rings", "ring"},
			struct{ what, one, all string }{"alarms", "goes off", "go off"})
		return Pick(g,
			"You are given n positive integers. Find their least common multiple: the smallest positive integer that every one of them divides.",
			fmt.Sprintf("%s has n %s that all start together at time 0; the i-th one %s every a_i seconds. Find the first time after 0 when all of them %s together again (the least common multiple of the a_i).",
				g.Name(), t.what, t.one, t.all),
			fmt.Sprintf("%s wrote n positive integers on a board. Print the least common multiple of all of them.", g.Name()))
	}
	return Pick(g,
		"You are given n positive integers. Find their greatest common divisor: the largest integer that divides every one of them.",
		fmt.Sprintf("%s has n %s of integer lengths a_1 ... a_n and wants to cut all of them into pieces of one equal integer length with nothing left over. Find the largest such length (the greatest common divisor of the a_i).",
			g.Name(), Pick(g, "ribbons", "ropes", "planks", "pipes")),
		fmt.Sprintf("%s wrote n positive integers on a board. Print the greatest common divisor of all of them.", g.Name()))
}

func gcdList() Family {
	return Family{Name: "gcd_list", Tier: 3, About: "the greatest common divisor of n positive integers",
		Make: func(g *Gen) Instance {
			list := t3PickList(g)
			label := Pick(g, "", "", "gcd", "GCD", "Answer", "Divisor")
			maxN := Pick(g, 10, 100)
			maxA := Pick(g, 1000, 1000000, 1000000000)
			inst := Instance{
				Story:  t3GcdStory(g, false),
				Input:  list.input(maxN, fmt.Sprintf("1 <= a_i <= %d", maxA)),
				Output: t3Out(label, "the greatest common divisor"),
				Solve: func(in string) string {
					xs := IntsOf(in)
					d := 0
					for _, x := range xs[1 : 1+xs[0]] {
						d = t3Gcd(d, x)
					}
					return t3Fmt(label, d)
				},
			}
			inst.Solutions = []string{
				Fill(Py(`
					from math import gcd
					$READ
					g = 0
					for x in a:
						g = gcd(g, x)
					$PRINT
				`), "READ", list.read(), "PRINT", t3Print(label, "g")),
				Fill(Py(`
					import sys

					def euclid(x, y):
						while y:
							x, y = y, x % y
						return x

					def main():
						data = sys.stdin.read().split()
						n = int(data[0])
						result = int(data[1])
						for i in range(2, n + 1):
							result = euclid(result, int(data[i]))
						$PRINT

					main()
				`), "PRINT", t3Print(label, "result")),
			}
			// mk draws n multiples of d, at most maxA.
			mk := func(n, d int) []int {
				xs := make([]int, n)
				for i := range xs {
					xs[i] = d * g.Int(1, maxA/d)
				}
				return xs
			}
			f := list.format
			small := min(maxA, 60)
			// the examples: multiples of a small d, then a list with a 1 likely
			ex := make([]int, g.Int(3, 4))
			d := g.Int(2, 6)
			for i := range ex {
				ex[i] = d * g.Int(1, small/d)
			}
			inst.Examples = []string{f(ex), f(g.Ints(g.Int(2, 3), 1, small))}
			big := Pick(g, maxA/7, maxA/2, maxA/10)
			inst.Hidden = []string{
				f([]int{g.Int(1, maxA)}),   // n = 1
				f([]int{maxA, maxA}),       // equal, largest
				f(g.Ints(maxN, 1, maxA)),   // largest size, likely 1
				f(mk(maxN, g.Int(2, 12))),  // a common factor
				f(mk(g.Int(2, maxN), big)), // a large gcd
				f(append(mk(5, 6), 1)),     // a 1 among them
				f([]int{big, big, big}),    // all equal
				f([]int{maxA - 1, maxA}),   // consecutive: coprime
				f(mk(g.Int(2, maxN), g.Int(2, 30))),
				f(g.Ints(g.Int(2, 5), 1, small)),
				f(mk(2, g.Int(2, 9))),
			}
			return inst
		}}
}

func lcmList() Family {
	return Family{Name: "lcm_list", Tier: 3, Unseen: true, Cousin: "gcd_list", About: "the least common multiple of n positive integers",
		Make: func(g *Gen) Instance {
			const capLcm = 1000000000000000
			list := t3PickList(g)
			label := Pick(g, "", "", "lcm", "LCM", "Answer", "Multiple")
			maxN := Pick(g, 10, 20, 50)
			maxA := Pick(g, 30, 100, 1000)
			inst := Instance{
				Story:  t3GcdStory(g, true),
				Input:  list.input(maxN, fmt.Sprintf("1 <= a_i <= %d; the answer is at most %d", maxA, capLcm)),
				Output: t3Out(label, "the least common multiple"),
				Solve: func(in string) string {
					xs := IntsOf(in)
					l := 1
					for _, x := range xs[1 : 1+xs[0]] {
						l = l / t3Gcd(l, x) * x
					}
					return t3Fmt(label, l)
				},
			}
			inst.Solutions = []string{
				Fill(Py(`
					from math import gcd
					$READ
					l = 1
					for x in a:
						l = l * x // gcd(l, x)
					$PRINT
				`), "READ", list.read(), "PRINT", t3Print(label, "l")),
				Fill(Py(`
					import sys
					from functools import reduce
					from math import lcm

					data = sys.stdin.read().split()
					n = int(data[0])
					values = [int(x) for x in data[1:n + 1]]
					result = reduce(lcm, values, 1)
					$PRINT
				`), "PRINT", t3Print(label, "result")),
			}
			// mk draws n values in [lo, hi] whose lcm stays within the cap: a
			// value that would pass it is replaced by a divisor of the lcm
			// so far (or an earlier value).
			mk := func(n, lo, hi int) []int {
				xs := make([]int, n)
				l := 1
				for i := range xs {
					x := g.Int(lo, hi)
					if l/t3Gcd(l, x) > capLcm/x {
						if d := t3Gcd(l, x); d >= lo {
							x = d
						} else {
							x = xs[g.Int(0, i-1)]
						}
					}
					xs[i] = x
					l = l / t3Gcd(l, x) * x
				}
				return xs
			}
			f := list.format
			inst.Examples = []string{f(mk(g.Int(2, 4), 2, min(maxA, 12))), f(mk(g.Int(2, 3), 1, min(maxA, 20)))}
			inst.Hidden = []string{
				f([]int{g.Int(1, maxA)}),     // n = 1
				f([]int{1}),                  // just 1
				f([]int{maxA, maxA}),         // equal, largest
				f(mk(maxN, 1, maxA)),         // largest size
				f(mk(maxN, maxA/2, maxA)),    // large values, capped lcm
				f([]int{maxA - 1, maxA}),     // coprime: the product
				f([]int{2, 4, 8, 16}),        // one divides the next
				f(g.Ints(g.Int(2, 8), 1, 1)), // all ones
				f(mk(g.Int(2, maxN), 1, maxA)),
				f(mk(g.Int(2, 6), 2, min(maxA, 30))),
				f(mk(maxN, 2, min(maxA, 30))),
			}
			return inst
		}}
}

// --- count_primes ---------------------------------------------------------

func countPrimes() Family {
	return Family{Name: "count_primes", Tier: 3, About: "count the primes up to n (or below n, or in a range [a, b]) with a sieve",
		Make: func(g *Gen) Instance {
			mode := Pick(g, "le", "lt", "range")
			maxN := Pick(g, 1000, 10000, 100000)
			def := "A prime is an integer greater than 1 whose only positive divisors are 1 and itself."
			var story, input, output, read, slice, args, lohi string
			switch mode {
			case "le":
				story = Pick(g, "Count the primes that are at most n.",
					fmt.Sprintf("%s wants to know how many of the numbers 1, 2, ..., n are prime.", g.Name()))
				input = fmt.Sprintf("One line with an integer n (1 <= n <= %d).", maxN)
				output = "Print the number of primes p with p <= n."
				read, slice, args, lohi = "n = int(input())", ":n + 1", "n = int(sys.stdin.readline())", "0, n"
			case "lt":
				story = Pick(g, "Count the primes that are strictly less than n.",
					fmt.Sprintf("%s wants to know how many primes are smaller than n.", g.Name()))
				input = fmt.Sprintf("One line with an integer n (1 <= n <= %d).", maxN)
				output = "Print the number of primes p with p < n."
				read, slice, args, lohi = "n = int(input())", ":n", "n = int(sys.stdin.readline())", "0, n - 1"
			default:
				story = Pick(g, "Count the primes in the range from a to b, both included.",
					fmt.Sprintf("%s wants to know how many of the numbers a, a + 1, ..., b are prime.", g.Name()))
				input = fmt.Sprintf("One line with two integers a and b (1 <= a <= b <= %d).", maxN)
				output = "Print the number of primes p with a <= p <= b."
				read, slice, args, lohi = "a, b = map(int, input().split())", "a:b + 1", "a, b = map(int, sys.stdin.readline().split())", "a, b"
			}
			sieve := make([]bool, maxN+1)
			for i := 2; i <= maxN; i++ {
				sieve[i] = true
			}
			for i := 2; i*i <= maxN; i++ {
				if sieve[i] {
					for j := i * i; j <= maxN; j += i {
						sieve[j] = false
					}
				}
			}
			count := func(lo, hi int) int {
				c := 0
				for x := max(lo, 0); x <= hi; x++ {
					if sieve[x] {
						c++
					}
				}
				return c
			}
			inst := Instance{
				Story:  story + " " + def,
				Input:  input,
				Output: output,
				Solve: func(in string) string {
					xs := IntsOf(in)
					switch mode {
					case "le":
						return fmt.Sprint(count(0, xs[0]))
					case "lt":
						return fmt.Sprint(count(0, xs[0]-1))
					}
					return fmt.Sprint(count(xs[0], xs[1]))
				},
			}
			inst.Solutions = []string{
				Py(Fill(`
					$READ
					M = $M
					is_prime = [False, False] + [True] * (M - 1)
					for i in range(2, int(M ** 0.5) + 1):
						if is_prime[i]:
							for j in range(i * i, M + 1, i):
								is_prime[j] = False
					print(sum(is_prime[$SLICE]))
				`, "READ", read, "M", maxN, "SLICE", slice)),
				Py(Fill(`
					import sys

					def count_primes(lo, hi):
						if hi < 2:
							return 0
						flags = bytearray([1]) * (hi + 1)
						flags[0] = flags[1] = 0
						p = 2
						while p * p <= hi:
							if flags[p]:
								flags[p * p::p] = bytes(len(range(p * p, hi + 1, p)))
							p += 1
						return sum(flags[lo:])

					$ARGS
					print(count_primes($LOHI))
				`, "ARGS", args, "LOHI", lohi)),
			}
			if mode == "range" {
				rng := func(a, b int) string { return Line(a, b) }
				a := g.Int(1, 30)
				inst.Examples = []string{rng(a, a+g.Int(5, 20)), rng(1, g.Int(2, 12))}
				p := Pick(g, 2, 3, 97, 101, 997)
				inst.Hidden = []string{
					rng(1, 1), rng(2, 2), rng(p, p), rng(4, 4), rng(1, maxN), rng(maxN, maxN), rng(maxN/2, maxN),
					rng(1, 2), rng(14, 16), rng(g.Int(1, maxN/2), g.Int(maxN/2, maxN)), rng(g.Int(1, 100), g.Int(100, 1000)),
				}
			} else {
				one := func(n int) string { return Line(n) }
				inst.Examples = []string{one(g.Int(10, 30)), one(g.Int(2, 9))}
				inst.Hidden = []string{one(1), one(2), one(3), one(4), one(97), one(100), one(maxN), one(maxN - 1),
					one(maxN / 2), one(maxN/10 + 1), one(g.Int(101, maxN)), one(g.Int(5, 100))}
			}
			return inst
		}}
}

// --- pair_sum_count -------------------------------------------------------

func pairSumCount() Family {
	return Family{Name: "pair_sum_count", Tier: 3, About: "count the pairs i < j with a_i + a_j equal to k (a hash map of seen values)",
		Make: func(g *Gen) Instance {
			mode := Pick(g, "first", "last", "fixed", "fixed")
			maxN := Pick(g, 100, 1000)
			maxA := Pick(g, 10, 1000, 1000000000)
			fixed := g.Int(-min(2*maxA, 50), min(2*maxA, 100))
			kName := "k"
			if mode == "fixed" {
				kName = fmt.Sprint(fixed)
			}
			story := Pick(g,
				fmt.Sprintf("Count the pairs of indices (i, j) with i < j and a_i + a_j = %s.", kName),
				fmt.Sprintf("%s has n cards with the integers a_1 ... a_n written on them. In how many ways can two different cards be chosen so that their numbers add up to exactly %s?", g.Name(), kName),
				fmt.Sprintf("A pair of positions i < j is good when a_i + a_j = %s. Count the good pairs.", kName))
			list := fmt.Sprintf("n integers a_1 ... a_n (-%d <= a_i <= %d)", maxA, maxA)
			kBound := fmt.Sprintf("-%d <= k <= %d", 2*maxA, 2*maxA)
			var input, read, parse string
			switch mode {
			case "first":
				input = fmt.Sprintf("The first line contains n and k (1 <= n <= %d, %s). The second line contains %s.", maxN, kBound, list)
				read = "n, k = map(int, input().split())\na = list(map(int, input().split()))"
				parse = "n, k = int(data[0]), int(data[1])\na = [int(v) for v in data[2:2 + n]]"
			case "last":
				input = fmt.Sprintf("The first line contains n (1 <= n <= %d). The second line contains %s. The third line contains k (%s).", maxN, list, kBound)
				read = "n = int(input())\na = list(map(int, input().split()))\nk = int(input())"
				parse = "n = int(data[0])\na = [int(v) for v in data[1:1 + n]]\nk = int(data[1 + n])"
			default:
				input = fmt.Sprintf("The first line contains n (1 <= n <= %d). The second line contains %s.", maxN, list)
				read = "n = int(input())\na = list(map(int, input().split()))"
				parse = "n = int(data[0])\na = [int(v) for v in data[1:1 + n]]"
			}
			inst := Instance{
				Story:  story,
				Input:  input,
				Output: "Print the number of pairs.",
				Solve: func(in string) string {
					xs := IntsOf(in)
					n := xs[0]
					var a []int
					k := fixed
					switch mode {
					case "first":
						k, a = xs[1], xs[2:2+n]
					case "last":
						a, k = xs[1:1+n], xs[1+n]
					default:
						a = xs[1 : 1+n]
					}
					seen := map[int]int{}
					c := 0
					for _, x := range a {
						c += seen[k-x]
						seen[x]++
					}
					return fmt.Sprint(c)
				},
			}
			inst.Solutions = []string{
				Fill(Py(`
					$READ
					seen = {}
					count = 0
					for x in a:
						count += seen.get($K - x, 0)
						seen[x] = seen.get(x, 0) + 1
					print(count)
				`), "READ", read, "K", kName),
				Fill(Py(`
					import sys
					from itertools import combinations

					data = sys.stdin.read().split()
					$PARSE
					print(sum(1 for x, y in combinations(a, 2) if x + y == $K))
				`), "PARSE", parse, "K", kName),
			}
			mk := func(a []int, k int) string {
				switch mode {
				case "first":
					return Line(len(a), k) + Line(a...)
				case "last":
					return Line(len(a)) + Line(a...) + Line(k)
				}
				return Line(len(a)) + Line(a...)
			}
			drawK := func(lim int) int {
				if mode == "fixed" {
					return fixed
				}
				return g.Int(-2*lim, 2*lim)
			}
			// hits draws n values in [-lim, lim], a fraction p of them from
			// a few pairs of complements b, k - b.
			hits := func(n, k, lim int, p float64) []int {
				lo, hi := max(-lim, k-lim), min(lim, k+lim)
				var pool []int
				for i := 0; i < 3; i++ {
					b := g.Int(lo, hi)
					pool = append(pool, b, k-b)
				}
				a := make([]int, n)
				for i := range a {
					if g.Bool(p) {
						a[i] = Pick(g, pool...)
					} else {
						a[i] = g.Int(-lim, lim)
					}
				}
				return a
			}
			small := min(maxA, 9)
			k1, k2 := drawK(small), drawK(small)
			if mode == "fixed" {
				small = max(small, (t3Abs(fixed)+1)/2)
			}
			inst.Examples = []string{mk(hits(g.Int(4, 6), k1, small, 0.7), k1), mk(hits(g.Int(3, 4), k2, small, 0.6), k2)}
			half := func(k int) (int, int) { x := FloorDiv(k, 2); return x, k - x }
			kAll := drawK(maxA)
			x, y := half(kAll)
			alt := make([]int, maxN)
			for i := range alt {
				alt[i] = x
				if i%2 == 1 {
					alt[i] = y
				}
			}
			kNone := drawK(maxA)
			v := FloorDiv(kNone, 2) + 1 // 2v != kNone
			if v > maxA {
				v -= 2
			}
			kz, kSmall := drawK(maxA), drawK(small)
			inst.Hidden = []string{
				mk([]int{g.Int(-maxA, maxA)}, drawK(maxA)), // n = 1: no pair
				mk([]int{x, y}, kAll),                      // n = 2, one pair
				mk(alt, kAll),                              // largest, most pairs
				mk(g.Ints(g.Int(2, 10), v, v), kNone),      // no pair qualifies
				mk(make([]int, g.Int(2, 10)), kz),          // zeros
				mk(hits(maxN, kz, maxA, 0.5), kz),
				mk(hits(maxN, kNone, maxA, 0.1), kNone),
				mk(hits(g.Int(5, maxN), kAll, maxA, 0.8), kAll),
				mk(hits(g.Int(5, 50), kSmall, small, 0.5), kSmall),
				mk(g.Ints(g.Int(5, maxN), -maxA, maxA), drawK(maxA)),
			}
			return inst
		}}
}

func t3Abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// --- stairs_ways ----------------------------------------------------------

func stairsWays() Family {
	return Family{Name: "stairs_ways", Tier: 3, About: "the number of ways to climb n stairs taking 1 to s steps at a time, modulo m (DP)",
		Make: func(g *Gen) Instance {
			s := g.Int(2, 4)
			m := Pick(g, 1000000007, 998244353, 1000, 10007, 100000)
			maxN := Pick(g, 100, 1000, 100000)
			who := g.Name()
			story := Pick(g,
				fmt.Sprintf("%s climbs a staircase of n steps. With each move %s climbs between 1 and %d steps. In how many different ways (ordered sequences of moves) can %s reach exactly the top?", who, who, s, who),
				fmt.Sprintf("A frog must jump exactly n cells forward; each jump covers between 1 and %d cells. Count the different sequences of jumps.", s),
				fmt.Sprintf("Count the ordered ways to write n as a sum of integers, each between 1 and %d (for example 1 + 2 and 2 + 1 are different ways of writing 3).", s))
			inst := Instance{
				Story:  story,
				Input:  fmt.Sprintf("One line with an integer n (1 <= n <= %d).", maxN),
				Output: fmt.Sprintf("Print the number of ways modulo %d.", m),
				Solve: func(in string) string {
					n := IntsOf(in)[0]
					ways := make([]int, n+1)
					ways[0] = 1
					for i := 1; i <= n; i++ {
						for j := max(0, i-s); j < i; j++ {
							ways[i] += ways[j]
						}
						ways[i] %= m
					}
					return fmt.Sprint(ways[n])
				},
			}
			inst.Solutions = []string{
				Py(Fill(`
					n = int(input())
					ways = [1] + [0] * n
					for i in range(1, n + 1):
						ways[i] = sum(ways[max(0, i - $S):i]) % $M
					print(ways[n])
				`, "S", s, "M", m)),
				Py(Fill(`
					import sys
					from collections import deque

					def ways(n, s, m):
						window = deque([1])
						total = 1
						for _ in range(n):
							nxt = total % m
							window.append(nxt)
							total += nxt
							if len(window) > s:
								total -= window.popleft()
						return window[-1] % m

					print(ways(int(sys.stdin.readline()), $S, $M))
				`, "S", s, "M", m)),
			}
			one := func(n int) string { return Line(n) }
			inst.Examples = []string{one(g.Int(3, 6)), one(g.Int(1, 2))}
			inst.Hidden = []string{one(1), one(2), one(3), one(4), one(5), one(6), one(7), one(8), one(maxN), one(maxN - 1),
				one(maxN / 2), one(g.Int(10, maxN)), one(g.Int(20, 60))}
			return inst
		}}
}

// --- coin_change_min ------------------------------------------------------

func coinChangeMin() Family {
	return Family{Name: "coin_change_min", Tier: 3, About: "the fewest coins of given denominations that make an amount exactly, or a word when impossible (DP)",
		Make: func(g *Gen) Instance {
			word := Pick(g, "-1", "-1", "IMPOSSIBLE", "NO", "none")
			maxX := Pick(g, 100, 1000, 10000)
			maxC := Pick(g, 20, 100)
			story := Pick(g,
				"You have an unlimited number of coins of each of n denominations c_1 ... c_n. Pay exactly x using as few coins as possible.",
				fmt.Sprintf("%s must pay exactly x cents and has an unlimited supply of coins of n kinds, worth c_1 ... c_n cents. What is the fewest number of coins that make exactly x?", g.Name()),
				"Stamps come in n values c_1 ... c_n, with an unlimited supply of each. Find the minimum number of stamps whose values add up to exactly x.")
			unit := "coins"
			if strings.HasPrefix(story, "Stamps") {
				unit = "stamps"
			}
			wordText := word
			pyWord := word
			if word != "-1" {
				wordText, pyWord = fmt.Sprintf("%q", word), Quote(word)
			}
			inst := Instance{
				Story:  story,
				Input:  fmt.Sprintf("The first line contains n and x (1 <= n <= 10, 0 <= x <= %d). The second line contains n distinct integers c_1 ... c_n (1 <= c_i <= %d).", maxX, maxC),
				Output: fmt.Sprintf("Print the minimum number of %s, or %s if x cannot be made exactly.", unit, wordText),
				Solve: func(in string) string {
					xs := IntsOf(in)
					n, x := xs[0], xs[1]
					coins := xs[2 : 2+n]
					best := make([]int, x+1)
					for v := 1; v <= x; v++ {
						best[v] = -1
						for _, c := range coins {
							if c <= v && best[v-c] >= 0 && (best[v] < 0 || best[v-c]+1 < best[v]) {
								best[v] = best[v-c] + 1
							}
						}
					}
					if best[x] < 0 {
						return word
					}
					return fmt.Sprint(best[x])
				},
			}
			inst.Solutions = []string{
				Py(Fill(`
					n, x = map(int, input().split())
					coins = list(map(int, input().split()))
					INF = float("inf")
					best = [0] + [INF] * x
					for v in range(1, x + 1):
						best[v] = min((best[v - c] + 1 for c in coins if c <= v), default=INF)
					print(best[x] if best[x] < INF else $W)
				`, "W", pyWord)),
				Py(Fill(`
					import sys
					from collections import deque

					def fewest(coins, x):
						dist = [-1] * (x + 1)
						dist[0] = 0
						queue = deque([0])
						while queue:
							v = queue.popleft()
							for c in coins:
								if v + c <= x and dist[v + c] < 0:
									dist[v + c] = dist[v] + 1
									queue.append(v + c)
						return dist[x]

					data = sys.stdin.read().split()
					n, x = int(data[0]), int(data[1])
					answer = fewest([int(c) for c in data[2:2 + n]], x)
					print(answer if answer >= 0 else $W)
				`, "W", pyWord)),
			}
			mk := func(x int, coins []int) string { return Line(len(coins), x) + Line(coins...) }
			// distinct draws n distinct coins in [lo, hi] (step apart).
			distinct := func(n, lo, hi, step int) []int {
				var vs []int
				for v := lo; v <= hi; v += step {
					vs = append(vs, v)
				}
				Shuffle(g, vs)
				return vs[:min(n, len(vs))]
			}
			ex2 := mk(g.Int(5, 20), distinct(g.Int(2, 3), 2, 12, 1))
			if g.Bool(0.5) {
				ex2 = mk(2*g.Int(2, 9)+1, distinct(2, 2, 12, 2)) // even coins, odd amount
			}
			inst.Examples = []string{mk(g.Int(6, 30), append(distinct(g.Int(1, 2), 2, 10, 1), 1)), ex2}
			inst.Hidden = []string{
				mk(0, distinct(g.Int(1, 3), 1, maxC, 1)),              // nothing to pay
				mk(maxX-1+maxX%2, distinct(g.Int(1, 10), 2, maxC, 2)), // even coins, odd amount
				mk(maxX, []int{1}),                                         // only ones
				mk(6, []int{1, 3, 4}),                                      // greedy fails
				mk(maxX, distinct(10, 1, maxC, 1)),                         // largest
				mk(g.Int(1, maxX), distinct(10, 2, maxC, 1)),               // largest
				mk(g.Int(1, maxC-1), distinct(3, maxC, maxC, 1)),           // the coin is too big
				mk(maxC*g.Int(1, maxX/maxC), []int{maxC}),                  // one coin that divides x
				mk(g.Int(1, maxX), distinct(g.Int(2, 5), maxC/2, maxC, 1)), // large coins
				mk(g.Int(maxX/2, maxX), distinct(g.Int(2, 4), 3, maxC, 3)), // multiples of 3
				mk(g.Int(10, 99), distinct(g.Int(2, 4), 2, 20, 1)),
			}
			return inst
		}}
}

// --- lis_length -----------------------------------------------------------

func lisLength() Family {
	return Family{Name: "lis_length", Tier: 3, About: "the length of the longest strictly increasing subsequence (O(n^2) DP or bisect)",
		Make: func(g *Gen) Instance {
			list := t3PickList(g)
			label := Pick(g, "", "", "Length", "LIS", "Answer")
			maxN := Pick(g, 100, 1000)
			maxA := Pick(g, 100, 1000000000)
			story := Pick(g,
				"Find the length of the longest strictly increasing subsequence of a_1 ... a_n (a subsequence keeps the original order but may skip elements).",
				fmt.Sprintf("%s recorded n %s readings a_1 ... a_n. Choose as many readings as possible, keeping their order, so that each chosen reading is strictly greater than the chosen one before it. How many can be chosen?", g.Name(), Pick(g, "temperature", "price", "height")),
				"A subsequence of a is obtained by deleting some elements (possibly none) without changing the order of the rest. Find the length of the longest subsequence of a in which every element is strictly greater than the one before it.")
			inst := Instance{
				Story:  story,
				Input:  list.input(maxN, fmt.Sprintf("-%d <= a_i <= %d", maxA, maxA)),
				Output: t3Out(label, "that length"),
				Solve: func(in string) string {
					xs := IntsOf(in)
					a := xs[1 : 1+xs[0]]
					var tails []int
					for _, x := range a {
						i, _ := slices.BinarySearch(tails, x)
						if i == len(tails) {
							tails = append(tails, x)
						} else {
							tails[i] = x
						}
					}
					return t3Fmt(label, len(tails))
				},
			}
			inst.Solutions = []string{
				Fill(Py(`
					$READ
					best = [1] * n
					for i in range(n):
						for j in range(i):
							if a[j] < a[i] and best[j] + 1 > best[i]:
								best[i] = best[j] + 1
					$PRINT
				`), "READ", list.read(), "PRINT", t3Print(label, "max(best)")),
				Fill(Py(`
					import sys
					from bisect import bisect_left

					def lis(values):
						tails = []
						for v in values:
							i = bisect_left(tails, v)
							if i == len(tails):
								tails.append(v)
							else:
								tails[i] = v
						return len(tails)

					data = sys.stdin.read().split()
					n = int(data[0])
					result = lis([int(x) for x in data[1:n + 1]])
					$PRINT
				`), "PRINT", t3Print(label, "result")),
			}
			f := list.format
			sorted := func(a []int, desc bool) []int {
				slices.Sort(a)
				if desc {
					slices.Reverse(a)
				}
				return a
			}
			zig := make([]int, g.Int(6, 20))
			for i := range zig {
				zig[i] = i/2*3 - (i%2)*5
			}
			inst.Examples = []string{f(g.Ints(g.Int(4, 6), -9, 20)), f(g.Ints(g.Int(2, 4), 0, 9))}
			inst.Hidden = []string{
				f([]int{g.Int(-maxA, maxA)}),                          // n = 1
				f(g.Ints(g.Int(2, 10), 7, 7)),                         // all equal: 1
				f(sorted(g.Ints(maxN, -maxA, maxA), true)),            // descending
				f(sorted(g.Ints(g.Int(2, maxN), -maxA, maxA), false)), // ascending (with possible repeats)
				f(g.Ints(maxN, -maxA, maxA)),                          // largest
				f(g.Ints(maxN, 0, 5)),                                 // many repeats
				f(zig),
				f(g.Ints(g.Int(5, maxN), -maxA, maxA)),
				f(g.Ints(g.Int(5, 30), -20, 20)),
				f([]int{3, 1, 2}),
			}
			return inst
		}}
}

// --- max_subarray and min_subarray ----------------------------------------

func t3Subarray(name string, minimum bool) Family {
	word, fn, cmp := "maximum", "max", ">"
	about := "the maximum sum of a non-empty contiguous subarray (Kadane)"
	if minimum {
		word, fn, cmp = "minimum", "min", "<"
		about = "the minimum sum of a non-empty contiguous subarray (Kadane)"
	}
	f := Family{Name: name, Tier: 3, About: about,
		Make: func(g *Gen) Instance {
			list := t3PickList(g)
			labels := []string{"", "", "Best", "Max sum", "Answer"}
			if minimum {
				labels = []string{"", "", "Worst", "Min sum", "Answer"}
			}
			label := Pick(g, labels...)
			maxN := Pick(g, 100, 1000)
			maxA := Pick(g, 100, 10000, 1000000000)
			greatest, streak := "greatest", "best run"
			if minimum {
				greatest, streak = "smallest", "worst losing streak"
			}
			story := Pick(g,
				fmt.Sprintf("Find the %s possible sum of a non-empty contiguous subarray a_l + a_(l+1) + ... + a_r (1 <= l <= r <= n).", word),
				fmt.Sprintf("%s's %s shop made a profit of a_i (possibly negative) on day i. Choose a non-empty block of consecutive days with the %s total profit (the %s) and print that total.", g.Name(), g.Noun(), greatest, streak),
				fmt.Sprintf("A subarray is a non-empty block of consecutive elements. Print the %s sum over all subarrays of a.", word))
			inst := Instance{
				Story:  story,
				Input:  list.input(maxN, fmt.Sprintf("-%d <= a_i <= %d", maxA, maxA)),
				Output: t3Out(label, "that sum"),
				Solve: func(in string) string {
					xs := IntsOf(in)
					a := xs[1 : 1+xs[0]]
					best, cur := a[0], a[0]
					for _, x := range a[1:] {
						if minimum {
							cur = min(x, cur+x)
							best = min(best, cur)
						} else {
							cur = max(x, cur+x)
							best = max(best, cur)
						}
					}
					return t3Fmt(label, best)
				},
			}
			ref, edge := "low", "low = min(low, prefix)"
			if minimum {
				ref, edge = "high", "high = max(high, prefix)"
			}
			inst.Solutions = []string{
				Fill(Py(`
					$READ
					best = cur = a[0]
					for x in a[1:]:
						cur = $FN(x, cur + x)
						best = $FN(best, cur)
					$PRINT
				`), "READ", list.read(), "FN", fn, "PRINT", t3Print(label, "best")),
				Fill(Py(`
					import sys

					def main():
						data = sys.stdin.read().split()
						n = int(data[0])
						prefix = 0
						$REF = 0
						best = None
						for i in range(1, n + 1):
							prefix += int(data[i])
							if best is None or prefix - $REF $CMP best:
								best = prefix - $REF
							$EDGE
						$PRINT

					main()
				`), "CMP", cmp, "EDGE", edge, "REF", ref, "PRINT", t3Print(label, "best")),
			}
			fm := list.format
			sign := 1
			if minimum {
				sign = -1
			}
			// peak puts a large value (of the sign that wins) at position i of
			// an otherwise losing list.
			peak := func(n, i int) []int {
				a := g.Ints(n, -maxA, maxA/10)
				for j := range a {
					a[j] *= sign
				}
				a[i] = sign * maxA
				return a
			}
			neg := func(xs []int) []int {
				for i := range xs {
					xs[i] = -xs[i]
				}
				return xs
			}
			nLast := g.Int(5, 30)
			inst.Examples = []string{fm(g.Ints(g.Int(4, 6), -9, 9)), fm(g.Ints(g.Int(2, 4), -9, 9))}
			inst.Hidden = []string{
				fm([]int{g.Int(1, maxA)}),           // n = 1 positive
				fm([]int{-g.Int(1, maxA)}),          // n = 1 negative
				fm(g.Ints(g.Int(2, 20), -maxA, -1)), // all negative
				fm(g.Ints(g.Int(2, 20), 1, maxA)),   // all positive
				fm(make([]int, g.Int(2, 8))),        // zeros
				fm(g.Ints(maxN, -maxA, maxA)),       // largest
				fm(g.Ints(maxN, maxA, maxA)),        // largest sum
				fm(neg(g.Ints(maxN, maxA, maxA))),   // smallest sum
				fm(peak(g.Int(5, 30), 0)),           // answer at the first position
				fm(peak(nLast, nLast-1)),            // ... at the last position
				fm(g.Ints(g.Int(5, maxN), -maxA, maxA)),
				fm(g.Ints(g.Int(5, 40), -20, 15)),
			}
			return inst
		}}
	if minimum {
		f.Unseen, f.Cousin = true, "max_subarray"
	}
	return f
}

func maxSubarray() Family { return t3Subarray("max_subarray", false) }

func minSubarray() Family { return t3Subarray("min_subarray", true) }

// --- count_islands --------------------------------------------------------

func countIslands() Family {
	return Family{Name: "count_islands", Tier: 3, Unseen: true, Cousin: "grid_path", About: "count the 4-connected land regions of a small grid (flood fill)",
		Make: func(g *Gen) Instance {
			land := Pick(g, "#", "X", "*", "L")
			water := Pick(g, ".", "~")
			story := Pick(g,
				fmt.Sprintf("A map has h rows and w columns; %q is land and %q is water. An island is a maximal group of land cells connected through cells that share a side (not diagonally). Count the islands.", land, water),
				fmt.Sprintf("%s studies a satellite picture of h rows and w columns, where %q marks land and %q marks water. Two land cells belong to the same island when one can walk from one to the other through land cells sharing a side. How many islands are there?", g.Name(), land, water))
			inst := Instance{
				Story:  story,
				Input:  fmt.Sprintf("The first line contains h and w (1 <= h, w <= 20). Then h lines of w characters follow, each %q or %q.", land, water),
				Output: "Print the number of islands.",
				Solve: func(in string) string {
					ls := Lines(in)
					hw := IntsOf(ls[0])
					h, w := hw[0], hw[1]
					seen := make([]bool, h*w)
					count := 0
					for s := 0; s < h*w; s++ {
						if seen[s] || ls[1+s/w][s%w] != land[0] {
							continue
						}
						count++
						seen[s] = true
						stack := []int{s}
						for len(stack) > 0 {
							c := stack[len(stack)-1]
							stack = stack[:len(stack)-1]
							r, k := c/w, c%w
							for _, d := range [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
								nr, nk := r+d[0], k+d[1]
								if nr < 0 || nk < 0 || nr >= h || nk >= w || ls[1+nr][nk] != land[0] || seen[nr*w+nk] {
									continue
								}
								seen[nr*w+nk] = true
								stack = append(stack, nr*w+nk)
							}
						}
					}
					return fmt.Sprint(count)
				},
			}
			inst.Solutions = []string{
				Py(Fill(`
					h, w = map(int, input().split())
					g = [list(input()) for _ in range(h)]
					count = 0
					for i in range(h):
						for j in range(w):
							if g[i][j] == "$L":
								count += 1
								stack = [(i, j)]
								while stack:
									r, c = stack.pop()
									if 0 <= r < h and 0 <= c < w and g[r][c] == "$L":
										g[r][c] = "$W"
										stack += [(r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)]
					print(count)
				`, "L", land, "W", water)),
				Py(Fill(`
					import sys

					def main():
						lines = sys.stdin.read().split("\n")
						h, w = map(int, lines[0].split())
						grid = lines[1:1 + h]
						parent = list(range(h * w))

						def find(x):
							while parent[x] != x:
								parent[x] = parent[parent[x]]
								x = parent[x]
							return x

						for r in range(h):
							for c in range(w):
								if grid[r][c] != "$L":
									continue
								if r > 0 and grid[r - 1][c] == "$L":
									parent[find(r * w + c)] = find((r - 1) * w + c)
								if c > 0 and grid[r][c - 1] == "$L":
									parent[find(r * w + c)] = find(r * w + c - 1)
						roots = {find(r * w + c) for r in range(h) for c in range(w) if grid[r][c] == "$L"}
						print(len(roots))

					main()
				`, "L", land)),
			}
			grid := func(h, w int, p float64) string {
				var b strings.Builder
				b.WriteString(Line(h, w))
				for r := 0; r < h; r++ {
					for c := 0; c < w; c++ {
						if g.Bool(p) {
							b.WriteString(land)
						} else {
							b.WriteString(water)
						}
					}
					b.WriteByte('\n')
				}
				return b.String()
			}
			checker := func(h, w int) string {
				var b strings.Builder
				b.WriteString(Line(h, w))
				for r := 0; r < h; r++ {
					for c := 0; c < w; c++ {
						if (r+c)%2 == 0 {
							b.WriteString(land)
						} else {
							b.WriteString(water)
						}
					}
					b.WriteByte('\n')
				}
				return b.String()
			}
			inst.Examples = []string{grid(g.Int(3, 4), g.Int(4, 5), 0.45), grid(g.Int(2, 3), g.Int(2, 4), 0.5)}
			inst.Hidden = []string{
				grid(1, 1, 0),   // water only
				grid(1, 1, 1),   // one land cell
				grid(20, 20, 0), // no island
				grid(20, 20, 1), // one big island
				checker(20, 20), // diagonal cells are separate islands
				checker(1, 20),  // one row
				checker(20, 1),  // one column
				grid(20, 20, 0.3),
				grid(20, 20, 0.5),
				grid(20, 20, 0.6),
				grid(g.Int(5, 12), g.Int(5, 12), 0.4),
			}
			return inst
		}}
}

// --- merge_intervals ------------------------------------------------------

func mergeIntervals() Family {
	return Family{Name: "merge_intervals", Tier: 3, About: "merge closed integer intervals: the union's length, its integer points, or the number of merged intervals",
		Make: func(g *Gen) Instance {
			mode := Pick(g, "length", "points", "count")
			flat := g.Bool(0.4)
			maxN := Pick(g, 100, 1000)
			maxC := Pick(g, 100, 1000000, 1000000000)
			who := g.Name()
			var story, output, add, agg string
			switch mode {
			case "length":
				story = Pick(g,
					"n closed intervals [l_i, r_i] lie on a number line. Find the total length of their union, where an interval [l, r] has length r - l (a single point has length 0).",
					fmt.Sprintf("%s ran n sessions; session i covered the time span [l_i, r_i]. Find how long at least one session was running in total; the span [l, r] lasts r - l (so [1, 3] and [3, 5] together last 4).", who))
				output = "Print the total length of the union."
				add, agg = "cr - cl", "sum(r - l for l, r in merged)"
			case "points":
				story = Pick(g,
					"n closed intervals [l_i, r_i] of integers are given. Count the integers x that lie in at least one of them (l_i <= x <= r_i for some i).",
					fmt.Sprintf("%s's workers paint a fence whose planks are numbered from 0; worker i paints the planks l_i, l_i + 1, ..., r_i. How many planks are painted at least once?", who))
				output = "Print the number of integers covered."
				if strings.Contains(story, "planks") {
					output = "Print the number of painted planks."
				}
				add, agg = "cr - cl + 1", "sum(r - l + 1 for l, r in merged)"
			default:
				story = Pick(g,
					"n closed intervals [l_i, r_i] are given. Repeatedly merge two intervals that share at least one point into their union, until no two share a point. How many intervals are left? ([1, 3] and [3, 5] merge; [1, 2] and [3, 4] do not.)",
					fmt.Sprintf("%s books n meetings; meeting i occupies the closed time span [l_i, r_i]. Meetings that share at least one moment, directly or through a chain of others, are put in one room block. How many blocks are there? ([1, 3] and [3, 5] share the moment 3; [1, 2] and [3, 4] share none.)", who))
				output = "Print the number of intervals after merging."
				if strings.Contains(story, "blocks") {
					output = "Print the number of blocks."
				}
				add, agg = "1", "len(merged)"
			}
			input := fmt.Sprintf("The first line contains n (1 <= n <= %d). Each of the next n lines holds two integers l_i and r_i (0 <= l_i <= r_i <= %d).", maxN, maxC)
			read := "iv = sorted(tuple(map(int, input().split())) for _ in range(n))"
			if flat {
				input = fmt.Sprintf("The first line contains n (1 <= n <= %d). The second line contains 2n integers l_1 r_1 l_2 r_2 ... l_n r_n (0 <= l_i <= r_i <= %d).", maxN, maxC)
				read = "v = list(map(int, input().split()))\niv = sorted(zip(v[::2], v[1::2]))"
			}
			inst := Instance{
				Story:  story,
				Input:  input,
				Output: output,
				Solve: func(in string) string {
					xs := IntsOf(in)
					n := xs[0]
					iv := make([][2]int, n)
					for i := range iv {
						iv[i] = [2]int{xs[1+2*i], xs[2+2*i]}
					}
					slices.SortFunc(iv, func(a, b [2]int) int {
						if a[0] != b[0] {
							return a[0] - b[0]
						}
						return a[1] - b[1]
					})
					total := 0
					block := func(l, r int) int {
						switch mode {
						case "length":
							return r - l
						case "points":
							return r - l + 1
						}
						return 1
					}
					cl, cr := iv[0][0], iv[0][1]
					for _, p := range iv[1:] {
						if p[0] > cr {
							total += block(cl, cr)
							cl, cr = p[0], p[1]
						} else {
							cr = max(cr, p[1])
						}
					}
					total += block(cl, cr)
					return fmt.Sprint(total)
				},
			}
			inst.Solutions = []string{
				Fill(Py(`
					n = int(input())
					$READ
					total = 0
					cl, cr = iv[0]
					for l, r in iv[1:]:
						if l > cr:
							total += $ADD
							cl, cr = l, r
						else:
							cr = max(cr, r)
					total += $ADD
					print(total)
				`), "READ", read, "ADD", add),
				Py(Fill(`
					import sys

					def main():
						data = list(map(int, sys.stdin.read().split()))
						n = data[0]
						pairs = sorted(zip(data[1:2 * n + 1:2], data[2:2 * n + 2:2]))
						merged = []
						for l, r in pairs:
							if merged and l <= merged[-1][1]:
								merged[-1][1] = max(merged[-1][1], r)
							else:
								merged.append([l, r])
						print($AGG)

					main()
				`, "AGG", agg)),
			}
			mk := func(iv [][2]int) string {
				var b strings.Builder
				b.WriteString(Line(len(iv)))
				if flat {
					var v []int
					for _, p := range iv {
						v = append(v, p[0], p[1])
					}
					b.WriteString(Line(v...))
					return b.String()
				}
				for _, p := range iv {
					b.WriteString(Line(p[0], p[1]))
				}
				return b.String()
			}
			// rnd draws n intervals within [0, c] of length at most span.
			rnd := func(n, c, span int) [][2]int {
				iv := make([][2]int, n)
				for i := range iv {
					l := g.Int(0, c)
					iv[i] = [2]int{l, min(c, l+g.Int(0, span))}
				}
				return iv
			}
			p := g.Int(0, maxC-1)
			inst.Examples = []string{mk(rnd(g.Int(3, 4), 15, 8)), mk(rnd(g.Int(2, 3), 12, 5))}
			inst.Hidden = []string{
				mk([][2]int{{p, p}}),                         // one point
				mk([][2]int{{0, maxC}}),                      // the whole range
				mk([][2]int{{0, maxC}, {p, p + 1}, {1, 2}}),  // nested
				mk([][2]int{{1, 3}, {3, 5}, {7, 7}, {8, 9}}), // touching at a point, adjacent integers
				mk([][2]int{{5, 9}, {5, 9}, {5, 9}}),         // all the same
				mk([][2]int{{10, 20}, {0, 4}, {30, 31}}),     // disjoint, unsorted
				mk(rnd(maxN, maxC, maxC/maxN*3)),             // largest
				mk(rnd(maxN, maxC, maxC/5)),                  // largest, much overlap
				mk(rnd(g.Int(5, maxN), maxC, maxC/20)),
				mk(rnd(g.Int(5, 30), 50, 5)),
			}
			return inst
		}}
}

// --- balanced_brackets ----------------------------------------------------

func balancedBrackets() Family {
	return Family{Name: "balanced_brackets", Tier: 3, About: "whether a string of brackets is balanced (a stack), printed as a word",
		Make: func(g *Gen) Instance {
			set := Pick(g, "()", "()[]", "()[]{}", "()[]{}", "()<>")
			words := Pick(g, [2]string{"YES", "NO"}, [2]string{"Balanced", "Unbalanced"}, [2]string{"OK", "BAD"},
				[2]string{"yes", "no"}, [2]string{"VALID", "INVALID"})
			yes, no := words[0], words[1]
			maxLen := Pick(g, 50, 100, 200)
			sample := Quote(map[string]string{"()": "(()())", "()[]": "([]())", "()[]{}": "{[()]}()", "()<>": "<()>()"}[set])
			var chars []string
			for i := range len(set) {
				chars = append(chars, Quote(set[i:i+1]))
			}
			charText := strings.Join(chars[:len(chars)-1], ", ") + " and " + chars[len(chars)-1]
			story := Pick(g,
				fmt.Sprintf("A string of brackets is balanced when every opening bracket is closed by a later bracket of the same type and the pairs are properly nested, like %s. Check whether s is balanced.", sample),
				fmt.Sprintf("%s's editor checks brackets: s is balanced when each opening bracket has a matching closing bracket of the same type after it and pairs never cross (for example, %s is balanced). Is s balanced?", g.Name(), sample))
			inst := Instance{
				Story:  story,
				Input:  fmt.Sprintf("One line with a string s (1 <= |s| <= %d) made only of the characters %s.", maxLen, charText),
				Output: fmt.Sprintf("Print %q if s is balanced and %q otherwise.", yes, no),
				Solve: func(in string) string {
					s := strings.TrimSpace(in)
					var stack []byte
					for i := 0; i < len(s); i++ {
						j := strings.IndexByte(set, s[i])
						if j%2 == 0 {
							stack = append(stack, s[i])
							continue
						}
						if len(stack) == 0 || stack[len(stack)-1] != set[j-1] {
							return no
						}
						stack = stack[:len(stack)-1]
					}
					if len(stack) > 0 {
						return no
					}
					return yes
				},
			}
			var pairs, repl []string
			for i := 0; i < len(set); i += 2 {
				pairs = append(pairs, Quote(set[i+1:i+2])+": "+Quote(set[i:i+1]))
				repl = append(repl, ".replace("+Quote(set[i:i+2])+", \"\")")
			}
			inst.Solutions = []string{
				Py(Fill(`
					s = input().strip()
					match = {$PAIRS}
					stack = []
					ok = True
					for c in s:
						if c not in match:
							stack.append(c)
						elif not stack or stack.pop() != match[c]:
							ok = False
							break
					print($Y if ok and not stack else $N)
				`, "PAIRS", strings.Join(pairs, ", "), "Y", Quote(yes), "N", Quote(no))),
				Py(Fill(`
					import sys

					def balanced(s):
						while True:
							t = s$REPL
							if t == s:
								return s == ""
							s = t

					print($Y if balanced(sys.stdin.readline().strip()) else $N)
				`, "REPL", strings.Join(repl, ""), "Y", Quote(yes), "N", Quote(no))),
			}
			types := len(set) / 2
			// bal draws a balanced string of even length n.
			bal := func(n int) string {
				var b, stack []byte
				for len(b) < n {
					if len(stack) > 0 && (len(stack) == n-len(b) || g.Bool(0.5)) {
						b = append(b, set[strings.IndexByte(set, stack[len(stack)-1])+1])
						stack = stack[:len(stack)-1]
					} else {
						o := set[2*g.Int(0, types-1)]
						b = append(b, o)
						stack = append(stack, o)
					}
				}
				return string(b)
			}
			// flip changes one character of s to another bracket.
			flip := func(s string) string {
				b := []byte(s)
				i := g.Int(0, len(b)-1)
				c := set[g.Int(0, len(set)-2)]
				if c == b[i] {
					c = set[len(set)-1]
				}
				b[i] = c
				return string(b)
			}
			drop := func(s string) string {
				i := g.Int(0, len(s)-1)
				return s[:i] + s[i+1:]
			}
			open, close := set[0:1], set[1:2]
			last := set[len(set)-2:]
			ln := func(s string) string { return s + "\n" }
			even := maxLen - maxLen%2
			inst.Examples = []string{ln(bal(2 * g.Int(2, 5))), ln(flip(bal(2 * g.Int(2, 4))))}
			inst.Hidden = []string{
				ln(open),            // one bracket
				ln(open + close),    // the smallest balanced
				ln(close + open),    // closes first
				ln(bal(even)),       // largest balanced
				ln(flip(bal(even))), // largest, one wrong character
				ln(strings.Repeat(last[:1], even/2) + strings.Repeat(last[1:], even/2)), // deep nesting
				ln(strings.Repeat(open, maxLen)),                                        // never closed
				ln(drop(bal(2 * g.Int(5, even/2)))),                                     // odd length
				ln(bal(2 * g.Int(3, even/2))),
				ln(bal(2*g.Int(3, 10)) + close),
				ln(g.Word(g.Int(2, 12), set)),
				ln(open + last + close),
			}
			if types > 1 {
				inst.Hidden = append(inst.Hidden, ln(open+last[1:])) // wrong type
			}
			return inst
		}}
}

// --- count_leq_queries ----------------------------------------------------

func countLeqQueries() Family {
	return Family{Name: "count_leq_queries", Tier: 3, About: "answer queries: how many of n integers are <= x (or < x, >= x, > x), by sorting and binary search",
		Make: func(g *Gen) Instance {
			op := Pick(g, "<=", "<=", "<", "<", ">=", ">")
			perLine := g.Bool(0.5)
			maxN := Pick(g, 100, 1000)
			maxA := Pick(g, 100, 1000000000)
			story := Pick(g,
				fmt.Sprintf("You are given n integers a_1 ... a_n and q queries. For each query x, count the indices i with a_i %s x.", op),
				fmt.Sprintf("%s has n %s with weights a_1 ... a_n. For each of q questions x, say how many of them have a weight w with w %s x.", g.Name(), Pick(g, "parcels", "stones", "boxes"), op))
			qs := "Each of the next q lines contains one query x."
			if !perLine {
				qs = "The fourth line contains the q queries x_1 ... x_q."
			}
			inst := Instance{
				Story:  story,
				Input:  fmt.Sprintf("The first line contains n (1 <= n <= %d). The second line contains a_1 ... a_n. The third line contains q (1 <= q <= %d). %s All a_i and x are between -%d and %d.", maxN, maxN, qs, maxA, maxA),
				Output: "For each query print the count on its own line, in the order of the queries.",
				Solve: func(in string) string {
					xs := IntsOf(in)
					n := xs[0]
					a := xs[1 : 1+n]
					q := xs[1+n]
					a = slices.Clone(a)
					slices.Sort(a)
					// below(x, strict) counts the values < x (strict) or <= x.
					below := func(x int, strict bool) int {
						if strict {
							i, _ := slices.BinarySearch(a, x)
							return i
						}
						i, _ := slices.BinarySearch(a, x+1)
						return i
					}
					out := make([]string, q)
					for i, x := range xs[2+n : 2+n+q] {
						c := 0
						switch op {
						case "<=":
							c = below(x, false)
						case "<":
							c = below(x, true)
						case ">=":
							c = n - below(x, true)
						default:
							c = n - below(x, false)
						}
						out[i] = fmt.Sprint(c)
					}
					return strings.Join(out, "\n")
				},
			}
			bis := map[string][2]string{
				"<=": {"bisect_right", "bisect_right(a, x)"},
				"<":  {"bisect_left", "bisect_left(a, x)"},
				">=": {"bisect_left", "n - bisect_left(a, x)"},
				">":  {"bisect_right", "n - bisect_right(a, x)"},
			}[op]
			fn, expr := bis[0], bis[1]
			loop := "for _ in range(q):\n    x = int(input())\n    print($EXPR)"
			if !perLine {
				loop = "for x in map(int, input().split()):\n    print($EXPR)"
			}
			cmp, res := "<=", "count(a, x)"
			switch op {
			case "<":
				cmp = "<"
			case ">=":
				cmp, res = "<", "n - count(a, x)"
			case ">":
				res = "n - count(a, x)"
			}
			inst.Solutions = []string{
				Fill(Fill(Py(`
					from bisect import $FN
					n = int(input())
					a = sorted(map(int, input().split()))
					q = int(input())
					$LOOP
				`), "FN", fn, "LOOP", loop), "EXPR", expr),
				Py(Fill(`
					import sys

					def count(a, x):
						lo, hi = 0, len(a)
						while lo < hi:
							mid = (lo + hi) // 2
							if a[mid] $CMP x:
								lo = mid + 1
							else:
								hi = mid
						return lo

					data = sys.stdin.read().split()
					n = int(data[0])
					a = sorted(int(v) for v in data[1:1 + n])
					q = int(data[1 + n])
					out = [$RES for x in map(int, data[2 + n:2 + n + q])]
					print("\n".join(map(str, out)))
				`, "CMP", cmp, "RES", res)),
			}
			mk := func(a, x []int) string {
				var b strings.Builder
				b.WriteString(Line(len(a)) + Line(a...) + Line(len(x)))
				if perLine {
					for _, v := range x {
						b.WriteString(Line(v))
					}
				} else {
					b.WriteString(Line(x...))
				}
				return b.String()
			}
			small := min(maxA, 20)
			ex := g.Ints(g.Int(4, 6), -small/2, small)
			inst.Examples = []string{
				mk(ex, []int{ex[g.Int(0, len(ex)-1)], g.Int(-small, small), g.Int(-small, small)}),
				mk(g.Ints(g.Int(2, 3), 0, 9), []int{g.Int(0, 9), g.Int(0, 9)}),
			}
			a := g.Ints(maxN, -maxA, maxA)
			hitsOf := func(a []int, q int) []int {
				x := make([]int, q)
				for i := range x {
					if g.Bool(0.5) {
						x[i] = a[g.Int(0, len(a)-1)]
					} else {
						x[i] = g.Int(-maxA, maxA)
					}
				}
				return x
			}
			eq := g.Int(-maxA+1, maxA-1)
			inst.Hidden = []string{
				mk([]int{g.Int(-maxA, maxA)}, []int{g.Int(-maxA, maxA)}), // n = q = 1
				mk([]int{eq}, []int{eq - 1, eq, eq + 1}),                 // a query equal to the value
				mk(g.Ints(g.Int(2, 10), eq, eq), []int{eq, -maxA, maxA}), // all equal
				mk(g.Ints(10, 0, maxA), []int{-maxA, -maxA}),             // below everything
				mk(g.Ints(10, -maxA, 0), []int{maxA, 1}),                 // above everything
				mk(a, hitsOf(a, maxN)),                                   // largest
				mk(g.Ints(maxN, -5, 5), g.Ints(maxN, -6, 6)),             // many repeats
				mk(g.Ints(g.Int(5, maxN), -maxA, maxA), g.Ints(g.Int(5, maxN), -maxA, maxA)),
				mk(g.Ints(g.Int(5, 30), -maxA, maxA), []int{-maxA, maxA, 0}),
				mk(g.Ints(g.Int(3, 8), -20, 20), g.Ints(g.Int(3, 8), -20, 20)),
			}
			return inst
		}}
}
