#!/usr/bin/python3
"""Generate stdlib/apps/embedded/default.jsonl, the embedded default problem set.

The problems are written for this project (they are not taken from APPS). Each
one has a statement in the APPS layout (-----Input----- / -----Output----- /
-----Examples-----), hand-written and seeded-random test inputs, and one
reference solution. Expected outputs are produced by running the reference
solution with /usr/bin/python3, and checked against an independent brute-force
or direct computation where one is given (``check``). The output is
deterministic: running the script twice gives the same file.

Usage (from anywhere):

    /usr/bin/python3 stdlib/apps/embedded/gen/gen.py

Rows follow the APPS schema: problem_id (int), question, solutions (a
JSON-encoded list of strings), input_output (a JSON-encoded
{"inputs": [...], "outputs": [...]}), difficulty, url, starter_code.
"""

import json
import os
import random
import subprocess
import sys
import textwrap

PYTHON = "/usr/bin/python3"
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "default.jsonl")

PROBLEMS = []


def problem(pid, difficulty, legend, input_spec, output_spec, tests, solution,
            examples=2, note=None, check=None):
    PROBLEMS.append(dict(pid=pid, difficulty=difficulty, legend=legend.strip(),
                         input_spec=input_spec.strip(), output_spec=output_spec.strip(),
                         tests=tests, solution=textwrap.dedent(solution).lstrip("\n"),
                         examples=examples, note=note, check=check))


def lines(*rows):
    return "".join(str(r) + "\n" for r in rows)


def ints(xs):
    return " ".join(map(str, xs))


def rng(pid):
    return random.Random(pid * 7919)


# ---------------------------------------------------------------- introductory

r = rng(100001)
problem(100001, "introductory",
        "Mila writes a non-negative integer $n$ on the board and asks you for the sum of its decimal digits.",
        "The only line contains one integer $n$ ($0 \\le n \\le 10^{18}$).",
        "Print one integer: the sum of the digits of $n$.",
        [lines(12345), lines(0), lines(7), lines(10 ** 18), lines(999999999999999999), lines(r.randrange(10 ** 17, 10 ** 18))],
        """
        s = input().strip()
        print(sum(int(c) for c in s))
        """,
        check=lambda inp: lines(sum(map(int, inp.strip()))))

r = rng(100002)
xs = [r.randint(-10 ** 9, 10 ** 9) for _ in range(100)]
problem(100002, "introductory",
        "You are given $n$ integers. Count how many of them are even and how many are odd.",
        "The first line contains one integer $n$ ($1 \\le n \\le 100$).\n\nThe second line contains $n$ integers $a_1, a_2, \\dots, a_n$ ($-10^9 \\le a_i \\le 10^9$).",
        "Print two integers separated by a space: the number of even values and the number of odd values.",
        [lines(5, "1 2 3 4 5"), lines(3, "-3 -2 0"), lines(1, 7), lines(1, 0), lines(4, "10 20 30 40"), lines(100, ints(xs))],
        """
        n = int(input())
        a = list(map(int, input().split()))
        even = sum(1 for x in a if x % 2 == 0)
        print(even, n - even)
        """,
        check=lambda inp: (lambda a: lines("%d %d" % (sum(x % 2 == 0 for x in a), sum(x % 2 != 0 for x in a))))(list(map(int, inp.split()))[1:]))

r = rng(100003)
words = ["".join(r.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(r.randint(1, 8))) for _ in range(40)]
problem(100003, "introductory",
        "A sentence is a sequence of words separated by single spaces. Print the words of the sentence in reverse order.",
        "The only line contains the sentence: between $1$ and $100$ words, each made of $1$ to $10$ lowercase Latin letters, separated by single spaces.",
        "Print the words in reverse order, separated by single spaces.",
        [lines("the quick brown fox"), lines("hello"), lines("a b"), lines("one two three two one"), lines(" ".join(words))],
        """
        words = input().split()
        print(" ".join(reversed(words)))
        """,
        check=lambda inp: lines(" ".join(inp.split()[::-1])))

r = rng(100004)
problem(100004, "introductory",
        "The spread of a list of numbers is the difference between its largest and its smallest element. Find the spread of the given list.",
        "The first line contains one integer $n$ ($1 \\le n \\le 1000$).\n\nThe second line contains $n$ integers $a_i$ ($-10^9 \\le a_i \\le 10^9$).",
        "Print one integer: the largest element minus the smallest element.",
        [lines(4, "3 9 1 4"), lines(1, 42), lines(3, "-5 -5 -5"), lines(2, "-1000000000 1000000000"),
         lines(300, ints(r.randint(-10 ** 9, 10 ** 9) for _ in range(300)))],
        """
        n = int(input())
        a = list(map(int, input().split()))
        print(max(a) - min(a))
        """,
        check=lambda inp: (lambda a: lines(max(a) - min(a)))(list(map(int, inp.split()))[1:]))

r = rng(100005)
problem(100005, "introductory",
        "Count the vowels in a word. The vowels are the letters a, e, i, o and u.",
        "The only line contains a string $s$ of $1$ to $1000$ lowercase Latin letters.",
        "Print the number of vowels in $s$.",
        [lines("programming"), lines("rhythm"), lines("aeiou"), lines("a"),
         lines("".join(r.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(1000)))],
        """
        s = input().strip()
        print(sum(1 for c in s if c in "aeiou"))
        """,
        check=lambda inp: lines(sum(inp.count(v) for v in "aeiou")))

problem(100006, "introductory",
        "A clock game goes through the numbers from $1$ to $n$. For each number $i$: if $i$ is divisible by both $4$ and $6$, say \"TickTock\"; otherwise, if $i$ is divisible by $4$, say \"Tick\"; otherwise, if $i$ is divisible by $6$, say \"Tock\"; otherwise say the number itself.",
        "The only line contains one integer $n$ ($1 \\le n \\le 100$).",
        "Print $n$ lines: what is said for $1, 2, \\dots, n$.",
        [lines(13), lines(1), lines(4), lines(6), lines(24), lines(100)],
        """
        n = int(input())
        for i in range(1, n + 1):
            if i % 12 == 0:
                print("TickTock")
            elif i % 4 == 0:
                print("Tick")
            elif i % 6 == 0:
                print("Tock")
            else:
                print(i)
        """,
        examples=1)

r = rng(100007)
half = "".join(r.choice("ab") for _ in range(50))
problem(100007, "introductory",
        "A word is a mirror word if it reads the same from left to right and from right to left. Decide whether the given word is a mirror word.",
        "The only line contains a string $s$ of $1$ to $100$ lowercase Latin letters.",
        "Print \"YES\" if $s$ is a mirror word and \"NO\" otherwise.",
        [lines("level"), lines("mirror"), lines("x"), lines("abba"), lines("ab"), lines(half + half[::-1]), lines(half + "c" + half)],
        """
        s = input().strip()
        print("YES" if s == s[::-1] else "NO")
        """,
        check=lambda inp: lines("YES" if inp.strip() == inp.strip()[::-1] else "NO"))


def warming(inp):
    a = list(map(int, inp.split()))[1:]
    best = cur = 1
    for i in range(1, len(a)):
        cur = cur + 1 if a[i] > a[i - 1] else 1
        best = max(best, cur)
    return lines(best)


r = rng(100008)
problem(100008, "introductory",
        "A weather station recorded the temperature at noon for $n$ consecutive days. A warming streak is a run of consecutive days on which every day is strictly warmer than the day before. Find the length (in days) of the longest warming streak; a single day is a streak of length $1$.",
        "The first line contains one integer $n$ ($1 \\le n \\le 1000$).\n\nThe second line contains $n$ integers $t_i$ ($-100 \\le t_i \\le 100$): the temperatures in order.",
        "Print one integer: the length of the longest warming streak.",
        [lines(7, "1 2 3 2 3 4 5"), lines(1, 5), lines(4, "4 3 2 1"), lines(5, "1 1 1 1 1"), lines(6, "-3 -2 -1 0 1 2"),
         lines(1000, ints(r.randint(-100, 100) for _ in range(1000)))],
        """
        n = int(input())
        t = list(map(int, input().split()))
        best = cur = 1
        for i in range(1, n):
            if t[i] > t[i - 1]:
                cur += 1
            else:
                cur = 1
            best = max(best, cur)
        print(best)
        """,
        check=warming)

r = rng(100009)
problem(100009, "introductory",
        "A teacher converts exam scores to grades: a score of at least $90$ is an A, from $80$ to $89$ a B, from $70$ to $79$ a C, and below $70$ an F. Count the students with each grade.",
        "The first line contains one integer $n$ ($1 \\le n \\le 1000$): the number of students.\n\nThe second line contains $n$ integers $s_i$ ($0 \\le s_i \\le 100$): the scores.",
        "Print four lines: \"A x\", \"B y\", \"C z\" and \"F w\", where $x$, $y$, $z$ and $w$ are the numbers of students with each grade.",
        [lines(6, "95 85 75 65 90 100"), lines(1, 0), lines(4, "89 79 69 90"), lines(3, "100 100 100"),
         lines(200, ints(r.randint(0, 100) for _ in range(200)))],
        """
        n = int(input())
        s = list(map(int, input().split()))
        a = sum(1 for x in s if x >= 90)
        b = sum(1 for x in s if 80 <= x < 90)
        c = sum(1 for x in s if 70 <= x < 80)
        print("A", a)
        print("B", b)
        print("C", c)
        print("F", n - a - b - c)
        """,
        examples=1)


def rle(inp):
    s = inp.strip()
    out, i = [], 0
    while i < len(s):
        j = i
        while j < len(s) and s[j] == s[i]:
            j += 1
        out.append("%s%d" % (s[i], j - i))
        i = j
    return lines("".join(out))


r = rng(100010)
problem(100010, "introductory",
        "Run-length encoding replaces every maximal block of equal consecutive letters by the letter followed by the length of the block. For example, \"aaabcc\" becomes \"a3b1c2\". Encode the given string.",
        "The only line contains a string $s$ of $1$ to $1000$ lowercase Latin letters.",
        "Print the run-length encoding of $s$.",
        [lines("aaabcc"), lines("z"), lines("abc"), lines("a" * 1000), lines("".join(r.choice("ab") * r.randint(1, 12) for _ in range(60)))],
        """
        s = input().strip()
        out = []
        i = 0
        while i < len(s):
            j = i
            while j < len(s) and s[j] == s[i]:
                j += 1
            out.append(s[i] + str(j - i))
            i = j
        print("".join(out))
        """,
        check=rle)

# ------------------------------------------------------------------- interview


def pairs_brute(inp):
    v = list(map(int, inp.split()))
    n, k, a = v[0], v[1], v[2:]
    return lines(sum(1 for i in range(n) for j in range(i + 1, n) if a[i] + a[j] == k))


r = rng(100011)
problem(100011, "interview",
        "Given $n$ integers and a target $k$, count the pairs of positions $i < j$ with $a_i + a_j = k$.",
        "The first line contains two integers $n$ and $k$ ($1 \\le n \\le 2 \\cdot 10^5$, $-2 \\cdot 10^9 \\le k \\le 2 \\cdot 10^9$).\n\nThe second line contains $n$ integers $a_i$ ($-10^9 \\le a_i \\le 10^9$).",
        "Print one integer: the number of pairs.",
        [lines("5 6", "1 5 3 3 7"), lines("1 2", "1"), lines("4 0", "0 0 0 0"), lines("3 -2", "-1 -1 5"),
         lines("400 10", ints(r.randint(-5, 15) for _ in range(400))), lines("300 0", ints(r.randint(-3, 3) for _ in range(300)))],
        """
        import sys
        from collections import Counter

        data = sys.stdin.read().split()
        n, k = int(data[0]), int(data[1])
        seen = Counter()
        pairs = 0
        for x in map(int, data[2:2 + n]):
            pairs += seen[k - x]
            seen[x] += 1
        print(pairs)
        """,
        check=pairs_brute)


def balanced(s):
    stack = []
    for c in s:
        if c in "([{":
            stack.append(c)
        elif not stack or "([{"[")]}".index(c)] != stack.pop():
            return False
    return not stack


def gen_balanced(r, pairs):
    if pairs == 0:
        return ""
    inner = r.randint(0, pairs - 1)
    o, c = r.choice(["()", "[]", "{}"])
    return o + gen_balanced(r, inner) + c + gen_balanced(r, pairs - 1 - inner)


r = rng(100012)
rand_br = []
for k in range(20):
    b = gen_balanced(r, r.randint(1, 8))
    if k % 3 == 1:  # break it: drop or swap one character
        i = r.randrange(len(b))
        b = b[:i] + b[i + 1:] if k % 2 else b[:i] + r.choice("([{)]}") + b[i + 1:]
    rand_br.append(b or "()")
problem(100012, "interview",
        "A bracket string is balanced if every opening bracket ( [ { is closed by the matching closing bracket ) ] } and the pairs are properly nested. Check each of the given strings.",
        "The first line contains one integer $t$ ($1 \\le t \\le 100$).\n\nEach of the next $t$ lines contains a non-empty string of at most $100$ characters, each one of ( ) [ ] { }.",
        "For each string print \"YES\" if it is balanced and \"NO\" otherwise.",
        [lines(4, "()[]{}", "([)]", "{[()]}", "(("), lines(1, ")("), lines(3, "()", "[", "{}{}[]"), lines(2, "(" * 50 + ")" * 50, "(" * 50 + ")" * 49 + "]"),
         lines(len(rand_br), *rand_br)],
        """
        t = int(input())
        match = {")": "(", "]": "[", "}": "{"}
        for _ in range(t):
            s = input().strip()
            stack = []
            ok = True
            for c in s:
                if c in "([{":
                    stack.append(c)
                elif not stack or stack.pop() != match[c]:
                    ok = False
                    break
            print("YES" if ok and not stack else "NO")
        """,
        check=lambda inp: "".join(lines("YES" if balanced(s) else "NO") for s in inp.split("\n")[1:] if s),
        examples=1)


def coins_brute(inp):
    v = list(map(int, inp.split()))
    n, x, c = v[0], v[1], v[2:]
    best = {0: 0}
    frontier = [0]
    steps = 0
    while frontier and x not in best:
        steps += 1
        nxt = []
        for s in frontier:
            for coin in c:
                t = s + coin
                if t <= x and t not in best:
                    best[t] = steps
                    nxt.append(t)
        frontier = nxt
    return lines(best.get(x, -1))


r = rng(100013)
problem(100013, "interview",
        "A vending machine has coins of $n$ different values, with an unlimited supply of each. It must pay out exactly $x$ using as few coins as possible. Find the minimum number of coins, or report that $x$ cannot be paid exactly.",
        "The first line contains two integers $n$ and $x$ ($1 \\le n \\le 100$, $0 \\le x \\le 10^4$).\n\nThe second line contains $n$ distinct integers $c_i$ ($1 \\le c_i \\le 10^4$): the coin values.",
        "Print the minimum number of coins, or $-1$ if the amount $x$ cannot be paid exactly.",
        [lines("3 11", "1 2 5"), lines("1 3", "2"), lines("2 0", "3 7"), lines("3 6", "1 3 4"), lines("2 7", "4 6"),
         lines("4 9973", "37 101 257 1009"), lines("5 1000", ints(r.sample(range(2, 200), 5)))],
        """
        n, x = map(int, input().split())
        coins = list(map(int, input().split()))
        INF = float("inf")
        best = [0] + [INF] * x
        for s in range(1, x + 1):
            for c in coins:
                if c <= s and best[s - c] + 1 < best[s]:
                    best[s] = best[s - c] + 1
        print(best[x] if best[x] != INF else -1)
        """,
        check=coins_brute)


def window_brute(inp):
    s = inp.strip()
    return lines(max(j - i for i in range(len(s)) for j in range(i + 1, len(s) + 1) if len(set(s[i:j])) == j - i))


r = rng(100014)
problem(100014, "interview",
        "Find the length of the longest block of consecutive characters of a string in which no character occurs twice.",
        "The only line contains a string $s$ of $1$ to $10^5$ lowercase Latin letters.",
        "Print one integer: the length of the longest block of $s$ whose characters are pairwise distinct.",
        [lines("abcabcbb"), lines("bbbbb"), lines("pwwkew"), lines("a"), lines("abcdefghijklmnopqrstuvwxyz"),
         lines("".join(r.choice("abcdefgh") for _ in range(300)))],
        """
        s = input().strip()
        last = {}
        start = best = 0
        for i, c in enumerate(s):
            if c in last and last[c] >= start:
                start = last[c] + 1
            last[c] = i
            best = max(best, i - start + 1)
        print(best)
        """,
        check=window_brute)


def merge_brute(inp):
    v = list(map(int, inp.split()))
    iv = sorted(zip(v[1::2], v[2::2]))
    out = []
    for l, rr in iv:
        if out and l <= out[-1][1]:
            out[-1][1] = max(out[-1][1], rr)
        else:
            out.append([l, rr])
    return lines(len(out), *("%d %d" % (a, b) for a, b in out))


r = rng(100015)
ivs = []
for _ in range(30):
    a = r.randint(0, 200)
    ivs.append("%d %d" % (a, a + r.randint(0, 15)))
problem(100015, "interview",
        "You are given $n$ closed segments $[l_i, r_i]$ on a line. Merge every group of segments that overlap or touch (share at least one point) into one segment, and print the result.",
        "The first line contains one integer $n$ ($1 \\le n \\le 10^5$).\n\nEach of the next $n$ lines contains two integers $l_i$ and $r_i$ ($0 \\le l_i \\le r_i \\le 10^9$).",
        "Print the number $m$ of merged segments, then $m$ lines with the merged segments \"l r\" in increasing order.",
        [lines(4, "1 3", "2 6", "8 10", "15 18"), lines(2, "1 4", "4 5"), lines(1, "0 0"), lines(3, "5 7", "1 2", "3 4"), lines(3, "1 10", "2 3", "4 5"),
         lines(len(ivs), *ivs)],
        """
        import sys

        data = sys.stdin.read().split()
        n = int(data[0])
        segs = sorted((int(data[1 + 2 * i]), int(data[2 + 2 * i])) for i in range(n))
        merged = []
        for l, r in segs:
            if merged and l <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], r)
            else:
                merged.append([l, r])
        print(len(merged))
        for l, r in merged:
            print(l, r)
        """,
        check=merge_brute)


def maze_input(r, n, m, density):
    g = [["#" if r.random() < density else "." for _ in range(m)] for _ in range(n)]
    cells = [(i, j) for i in range(n) for j in range(m)]
    (si, sj), (ti, tj) = r.sample(cells, 2)
    g[si][sj], g[ti][tj] = "S", "T"
    return lines("%d %d" % (n, m), *("".join(row) for row in g))


r = rng(100016)
problem(100016, "interview",
        "A robot stands on cell S of a rectangular maze and must reach cell T. In one step it moves to a side-adjacent cell; it cannot enter walls (#) or leave the maze. Find the minimum number of steps, or report that T cannot be reached.",
        "The first line contains two integers $n$ and $m$ ($1 \\le n, m \\le 50$).\n\nEach of the next $n$ lines contains $m$ characters, each one of '.', '#', 'S' and 'T'. There is exactly one S and exactly one T.",
        "Print the minimum number of steps from S to T, or $-1$ if T cannot be reached.",
        [lines("3 4", "S..#", ".#..", "...T"), lines("2 2", "S#", "#T"), lines("1 2", "ST"), lines("3 3", "S#.", ".#.", ".#T"),
         maze_input(r, 10, 12, 0.25), maze_input(r, 30, 30, 0.3)],
        """
        from collections import deque

        n, m = map(int, input().split())
        g = [input().strip() for _ in range(n)]
        for i in range(n):
            for j in range(m):
                if g[i][j] == "S":
                    start = (i, j)
        dist = {start: 0}
        q = deque([start])
        answer = -1
        while q:
            i, j = q.popleft()
            if g[i][j] == "T":
                answer = dist[(i, j)]
                break
            for di, dj in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                a, b = i + di, j + dj
                if 0 <= a < n and 0 <= b < m and g[a][b] != "#" and (a, b) not in dist:
                    dist[(a, b)] = dist[(i, j)] + 1
                    q.append((a, b))
        print(answer)
        """)

r = rng(100017)
problem(100017, "interview",
        "Sort a list of integers by how often each value occurs: values that occur more often come first, and values that occur equally often are ordered from smallest to largest. Every value is printed as many times as it occurs.",
        "The first line contains one integer $n$ ($1 \\le n \\le 10^5$).\n\nThe second line contains $n$ integers $a_i$ ($-10^9 \\le a_i \\le 10^9$).",
        "Print the $n$ values in the required order, separated by spaces.",
        [lines(7, "4 6 2 6 4 4 9"), lines(1, 5), lines(4, "3 1 2 -1"), lines(6, "2 2 1 1 3 3"),
         lines(50, ints(r.randint(-3, 6) for _ in range(50)))],
        """
        from collections import Counter

        n = int(input())
        a = list(map(int, input().split()))
        cnt = Counter(a)
        out = []
        for v in sorted(cnt, key=lambda v: (-cnt[v], v)):
            out.extend([v] * cnt[v])
        print(" ".join(map(str, out)))
        """,
        check=lambda inp: (lambda a: lines(ints(sorted(a, key=lambda v: (-a.count(v), v)))))(list(map(int, inp.split()))[1:]))


def range_brute(inp):
    v = list(map(int, inp.split()))
    n, q = v[0], v[1]
    a = v[2:2 + n]
    qs = v[2 + n:]
    return "".join(lines(sum(a[qs[2 * i] - 1:qs[2 * i + 1]])) for i in range(q))


r = rng(100018)
arr = [r.randint(-1000, 1000) for _ in range(60)]
qs = []
for _ in range(25):
    a = r.randint(1, 60)
    qs.append("%d %d" % (a, r.randint(a, 60)))
problem(100018, "interview",
        "Answer $q$ questions about an array: each question asks for the sum of the elements from position $l$ to position $r$ inclusive (positions are numbered from $1$).",
        "The first line contains two integers $n$ and $q$ ($1 \\le n, q \\le 2 \\cdot 10^5$).\n\nThe second line contains $n$ integers $a_i$ ($-10^9 \\le a_i \\le 10^9$).\n\nEach of the next $q$ lines contains two integers $l$ and $r$ ($1 \\le l \\le r \\le n$).",
        "Print $q$ lines: the answers to the questions in order.",
        [lines("5 3", "1 2 3 4 5", "1 5", "2 3", "4 4"), lines("1 1", "-7", "1 1"), lines("3 2", "1000000000 1000000000 1000000000", "1 3", "2 3"),
         lines("4 2", "5 -5 5 -5", "1 4", "1 3"), lines("60 25", ints(arr), *qs)],
        """
        import sys

        data = sys.stdin.buffer.read().split()
        n, q = int(data[0]), int(data[1])
        prefix = [0] * (n + 1)
        for i in range(n):
            prefix[i + 1] = prefix[i] + int(data[2 + i])
        out = []
        pos = 2 + n
        for _ in range(q):
            l, r = int(data[pos]), int(data[pos + 1])
            pos += 2
            out.append(str(prefix[r] - prefix[l - 1]))
        print("\\n".join(out))
        """,
        check=range_brute)


def islands_input(r, n, m, p):
    return lines("%d %d" % (n, m), *("".join("1" if r.random() < p else "0" for _ in range(m)) for _ in range(n)))


r = rng(100019)
problem(100019, "interview",
        "A map is a grid of land (1) and water (0) cells. An island is a maximal group of land cells connected through side-adjacent land cells. Count the islands.",
        "The first line contains two integers $n$ and $m$ ($1 \\le n, m \\le 100$).\n\nEach of the next $n$ lines contains a string of $m$ characters, each 0 or 1.",
        "Print the number of islands.",
        [lines("4 5", "11000", "11000", "00100", "00011"), lines("1 1", "0"), lines("1 1", "1"), lines("3 3", "101", "010", "101"),
         islands_input(r, 12, 15, 0.45), islands_input(r, 40, 40, 0.5)],
        """
        import sys

        def main():
            data = sys.stdin.read().split()
            n, m = int(data[0]), int(data[1])
            g = [list(row) for row in data[2:2 + n]]
            count = 0
            for i in range(n):
                for j in range(m):
                    if g[i][j] != "1":
                        continue
                    count += 1
                    g[i][j] = "0"
                    stack = [(i, j)]
                    while stack:
                        a, b = stack.pop()
                        for x, y in ((a + 1, b), (a - 1, b), (a, b + 1), (a, b - 1)):
                            if 0 <= x < n and 0 <= y < m and g[x][y] == "1":
                                g[x][y] = "0"
                                stack.append((x, y))
            print(count)

        main()
        """)


def subarray_brute(inp):
    v = list(map(int, inp.split()))
    n, k, a = v[0], v[1], v[2:]
    return lines(sum(1 for i in range(n) for j in range(i + 1, n + 1) if sum(a[i:j]) == k))


r = rng(100020)
problem(100020, "interview",
        "Count the non-empty blocks of consecutive elements of an integer array whose sum is exactly $k$. Elements may be negative.",
        "The first line contains two integers $n$ and $k$ ($1 \\le n \\le 2 \\cdot 10^5$, $|k| \\le 10^{14}$).\n\nThe second line contains $n$ integers $a_i$ ($|a_i| \\le 10^9$).",
        "Print one integer: the number of blocks with sum $k$.",
        [lines("5 3", "1 2 1 2 1"), lines("3 0", "0 0 0"), lines("1 5", "5"), lines("4 -1", "1 -2 1 -1"),
         lines("150 4", ints(r.randint(-4, 6) for _ in range(150)))],
        """
        import sys
        from collections import defaultdict

        data = sys.stdin.read().split()
        n, k = int(data[0]), int(data[1])
        seen = defaultdict(int)
        seen[0] = 1
        s = total = 0
        for x in data[2:2 + n]:
            s += int(x)
            total += seen[s - k]
            seen[s] += 1
        print(total)
        """,
        check=subarray_brute)

# ----------------------------------------------------------------- competition


def lis_brute(inp):
    a = list(map(int, inp.split()))[1:]
    best = [1] * len(a)
    for i in range(len(a)):
        for j in range(i):
            if a[j] < a[i]:
                best[i] = max(best[i], best[j] + 1)
    return lines(max(best))


r = rng(100021)
problem(100021, "competition",
        "Find the length of the longest strictly increasing subsequence of a sequence of integers. A subsequence keeps the original order but may skip elements.",
        "The first line contains one integer $n$ ($1 \\le n \\le 2 \\cdot 10^5$).\n\nThe second line contains $n$ integers $a_i$ ($-10^9 \\le a_i \\le 10^9$).",
        "Print one integer: the length of the longest strictly increasing subsequence.",
        [lines(8, "10 9 2 5 3 7 101 18"), lines(1, 4), lines(5, "3 3 3 3 3"), lines(6, "1 2 3 4 5 6"), lines(6, "6 5 4 3 2 1"),
         lines(400, ints(r.randint(-1000, 1000) for _ in range(400)))],
        """
        import sys
        from bisect import bisect_left

        data = sys.stdin.read().split()
        n = int(data[0])
        tails = []
        for x in map(int, data[1:1 + n]):
            i = bisect_left(tails, x)
            if i == len(tails):
                tails.append(x)
            else:
                tails[i] = x
        print(len(tails))
        """,
        check=lis_brute)


def graph_input(r, n, m, wmax, connected):
    edges = []
    if connected:
        for v in range(2, n + 1):
            edges.append((r.randint(1, v - 1), v, r.randint(1, wmax)))
    while len(edges) < m:
        u, v = r.randint(1, n), r.randint(1, n)
        if u != v:
            edges.append((u, v, r.randint(1, wmax)))
    r.shuffle(edges)
    return lines("%d %d" % (n, len(edges)), *("%d %d %d" % e for e in edges))


def dijkstra_brute(inp):
    v = list(map(int, inp.split()))
    n, m = v[0], v[1]
    INF = float("inf")
    d = [INF] * (n + 1)
    d[1] = 0
    for _ in range(n):
        for i in range(m):
            a, b, w = v[2 + 3 * i:5 + 3 * i]
            d[b] = min(d[b], d[a] + w)
            d[a] = min(d[a], d[b] + w)
    return lines(d[n] if d[n] != INF else -1)


r = rng(100022)
problem(100022, "competition",
        "A country has $n$ towns joined by $m$ two-way roads; the $i$-th road joins towns $u_i$ and $v_i$ and takes $w_i$ minutes to drive. Find the shortest driving time from town $1$ to town $n$.",
        "The first line contains two integers $n$ and $m$ ($2 \\le n \\le 2 \\cdot 10^5$, $0 \\le m \\le 2 \\cdot 10^5$).\n\nEach of the next $m$ lines contains three integers $u_i$, $v_i$ and $w_i$ ($1 \\le u_i, v_i \\le n$, $u_i \\ne v_i$, $1 \\le w_i \\le 10^9$). Several roads may join the same pair of towns.",
        "Print the shortest driving time from town $1$ to town $n$, or $-1$ if town $n$ cannot be reached.",
        [lines("4 4", "1 2 5", "2 4 5", "1 3 2", "3 4 9"), lines("3 1", "1 2 7"), lines("2 1", "2 1 1000000000"), lines("2 0"),
         lines("5 6", "1 2 1", "2 3 1", "3 5 1", "1 4 10", "4 5 1", "1 5 4"),
         graph_input(r, 40, 90, 100, True), graph_input(r, 60, 40, 50, False)],
        """
        import sys
        import heapq

        def main():
            data = sys.stdin.buffer.read().split()
            n, m = int(data[0]), int(data[1])
            adj = [[] for _ in range(n + 1)]
            for i in range(m):
                u, v, w = int(data[2 + 3 * i]), int(data[3 + 3 * i]), int(data[4 + 3 * i])
                adj[u].append((v, w))
                adj[v].append((u, w))
            dist = [-1] * (n + 1)
            heap = [(0, 1)]
            while heap:
                d, u = heapq.heappop(heap)
                if dist[u] != -1:
                    continue
                dist[u] = d
                for v, w in adj[u]:
                    if dist[v] == -1:
                        heapq.heappush(heap, (d + w, v))
            print(dist[n])

        main()
        """,
        check=dijkstra_brute)


def inv_brute(inp):
    a = list(map(int, inp.split()))[1:]
    return lines(sum(1 for i in range(len(a)) for j in range(i + 1, len(a)) if a[i] > a[j]))


r = rng(100023)
problem(100023, "competition",
        "An inversion of a sequence is a pair of positions $i < j$ with $a_i > a_j$. Count the inversions of the given sequence.",
        "The first line contains one integer $n$ ($1 \\le n \\le 2 \\cdot 10^5$).\n\nThe second line contains $n$ integers $a_i$ ($1 \\le a_i \\le 10^9$).",
        "Print one integer: the number of inversions.",
        [lines(5, "2 4 1 3 5"), lines(1, 1), lines(4, "4 3 2 1"), lines(4, "2 2 2 2"), lines(6, "1 5 2 5 1 3"),
         lines(500, ints(r.randint(1, 100) for _ in range(500)))],
        """
        import sys

        def main():
            data = sys.stdin.read().split()
            n = int(data[0])
            a = list(map(int, data[1:1 + n]))
            rank = {v: i + 1 for i, v in enumerate(sorted(set(a)))}
            size = len(rank)
            tree = [0] * (size + 1)
            inversions = 0
            for seen, v in enumerate(a):
                r = rank[v]
                # count earlier elements <= v
                i, le = r, 0
                while i > 0:
                    le += tree[i]
                    i -= i & -i
                inversions += seen - le
                i = r
                while i <= size:
                    tree[i] += 1
                    i += i & -i
            print(inversions)

        main()
        """,
        check=inv_brute)


def edit_ref(inp):
    s, t = inp.split("\n")[:2]
    prev = list(range(len(t) + 1))
    for i in range(1, len(s) + 1):
        cur = [i] + [0] * len(t)
        for j in range(1, len(t) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (s[i - 1] != t[j - 1]))
        prev = cur
    return lines(prev[-1])


r = rng(100024)
problem(100024, "competition",
        "The edit distance between two words is the minimum number of single-letter insertions, deletions and replacements that turn the first word into the second. Compute it.",
        "The first line contains a string $s$ and the second line a string $t$, each of $1$ to $2000$ lowercase Latin letters.",
        "Print one integer: the edit distance between $s$ and $t$.",
        [lines("kitten", "sitting"), lines("a", "a"), lines("abc", "xyz"), lines("intention", "execution"), lines("a", "bbbbbbbbbb"),
         lines("".join(r.choice("abc") for _ in range(120)), "".join(r.choice("abc") for _ in range(90)))],
        """
        s = input().strip()
        t = input().strip()
        prev = list(range(len(t) + 1))
        for i in range(1, len(s) + 1):
            cur = [i] + [0] * len(t)
            si = s[i - 1]
            for j in range(1, len(t) + 1):
                cost = 0 if si == t[j - 1] else 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            prev = cur
        print(prev[len(t)])
        """,
        check=edit_ref)


def mst_brute(inp):
    # Prim's algorithm, independent of the Kruskal reference solution.
    v = list(map(int, inp.split()))
    n, m = v[0], v[1]
    adj = {}
    for i in range(m):
        a, b, w = v[2 + 3 * i:5 + 3 * i]
        adj.setdefault(a, []).append((w, b))
        adj.setdefault(b, []).append((w, a))
    seen, total = {1}, 0
    while len(seen) < n:
        cand = [(w, b) for a in seen for (w, b) in adj.get(a, []) if b not in seen]
        if not cand:
            return lines(-1)
        w, b = min(cand)
        seen.add(b)
        total += w
    return lines(total)


r = rng(100025)
problem(100025, "competition",
        "An engineer wants to connect $n$ offices with network cables. There are $m$ possible cables; the $i$-th joins offices $u_i$ and $v_i$ and costs $w_i$. Choose cables so that every office can reach every other office, at the minimum total cost.",
        "The first line contains two integers $n$ and $m$ ($1 \\le n \\le 10^5$, $0 \\le m \\le 2 \\cdot 10^5$).\n\nEach of the next $m$ lines contains three integers $u_i$, $v_i$ and $w_i$ ($1 \\le u_i, v_i \\le n$, $u_i \\ne v_i$, $1 \\le w_i \\le 10^6$).",
        "Print the minimum total cost, or $-1$ if the offices cannot all be connected.",
        [lines("4 5", "1 2 1", "2 3 4", "3 4 2", "1 4 7", "1 3 3"), lines("1 0"), lines("3 1", "1 2 5"), lines("2 3", "1 2 9", "2 1 4", "1 2 6"),
         graph_input(r, 30, 70, 1000, True), graph_input(r, 25, 20, 100, False)],
        """
        import sys

        def main():
            data = sys.stdin.read().split()
            n, m = int(data[0]), int(data[1])
            edges = sorted((int(data[4 + 3 * i]), int(data[2 + 3 * i]), int(data[3 + 3 * i])) for i in range(m))
            parent = list(range(n + 1))

            def find(x):
                while parent[x] != x:
                    parent[x] = parent[parent[x]]
                    x = parent[x]
                return x

            total, used = 0, 0
            for w, u, v in edges:
                a, b = find(u), find(v)
                if a != b:
                    parent[a] = b
                    total += w
                    used += 1
            print(total if used == n - 1 else -1)

        main()
        """,
        check=mst_brute)


# ------------------------------------------------------------------- generator

def run(solution, inp, pid):
    res = subprocess.run([PYTHON, "-c", solution], input=inp, capture_output=True, text=True, timeout=20)
    if res.returncode != 0:
        sys.exit("problem %d: reference solution failed on input %r:\n%s" % (pid, inp[:200], res.stderr))
    return res.stdout


def statement(p, outputs):
    parts = [p["legend"], "", "", "-----Input-----", "", p["input_spec"], "", "", "-----Output-----", "",
             p["output_spec"], "", "", "-----Examples-----"]
    for k in range(p["examples"]):
        parts += ["Input", p["tests"][k].rstrip("\n"), "", "Output", outputs[k].rstrip("\n"), ""]
    text = "\n".join(parts)
    if p["note"]:
        text += "\n\n-----Note-----\n\n" + p["note"]
    return text.rstrip("\n") + "\n"


def main():
    counts = {}
    rows = []
    for p in PROBLEMS:
        if not 4 <= len(p["tests"]) <= 8:
            sys.exit("problem %d has %d tests" % (p["pid"], len(p["tests"])))
        outputs = [run(p["solution"], t, p["pid"]) for t in p["tests"]]
        for t, o in zip(p["tests"], outputs):
            if not o.endswith("\n"):
                sys.exit("problem %d: output does not end with a newline" % p["pid"])
            if p["check"] is not None and p["check"](t) != o:
                sys.exit("problem %d: reference %r disagrees with check %r on %r" % (p["pid"], o[:80], p["check"](t)[:80], t[:80]))
        counts[p["difficulty"]] = counts.get(p["difficulty"], 0) + 1
        rows.append({
            "problem_id": p["pid"],
            "question": statement(p, outputs),
            "solutions": json.dumps([p["solution"]]),
            "input_output": json.dumps({"inputs": p["tests"], "outputs": outputs}),
            "difficulty": p["difficulty"],
            "url": "",
            "starter_code": "",
        })
    with open(OUT, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print("wrote %d problems %s to %s" % (len(rows), counts, os.path.normpath(OUT)))


if __name__ == "__main__":
    main()
