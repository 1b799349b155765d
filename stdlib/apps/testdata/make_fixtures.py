#!/usr/bin/python3
"""Write the small APPS / APPS+ fixtures used by the package tests.

Run from anywhere with /usr/bin/python3; the output is deterministic (gzip
mtime 0). The problems are made up for the tests.
"""
import gzip
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))

APPS_ROWS = [
    {   # stdin, solutions as a JSON-encoded string, difficulty to normalise
        "problem_id": 1,
        "question": "Print the sum of two integers.\n\n-----Input-----\n\nTwo integers a and b.\n\n-----Output-----\n\nPrint a + b.\n",
        "solutions": json.dumps(["a, b = map(int, input().split())\nprint(a + b)\n"]),
        "input_output": json.dumps({"inputs": ["1 2\n", "10 -3\n"], "outputs": ["3\n", "7\n"]}),
        "difficulty": "Introductory",
        "url": "https://example.com/1",
        "starter_code": "",
    },
    {   # call-based: fn_name, JSON argument lists, wrapped return values
        "problem_id": 2,
        "question": "Return a + b.",
        "solutions": json.dumps(["def add(a, b):\n    return a + b\n"]),
        "input_output": json.dumps({"fn_name": "add", "inputs": [[1, 2], [3, 4]], "outputs": [[3], [7]]}),
        "difficulty": "introductory",
        "url": "",
        "starter_code": "def add(a, b):\n",
    },
    {   # stdin with inputs/outputs given as lists of lines, no solutions
        "problem_id": 3,
        "question": "Print the two numbers swapped, one per line.",
        "solutions": "",
        "input_output": json.dumps({"inputs": [["3", "4"], ["5", "6", ""]], "outputs": [["4", "3"], "6\n5\n"]}),
        "difficulty": "interview",
        "url": "",
        "starter_code": "",
    },
    {   # string id, input_output as a JSON object rather than a string
        "problem_id": "abc-4",
        "question": "Echo the input line.",
        "solutions": "[]",
        "input_output": {"inputs": ["hi\n"], "outputs": ["hi\n"]},
        "difficulty": "competition",
        "url": "",
        "starter_code": "",
    },
]

STUB0 = 'def aBcDe():\n    """Read two integers and print their sum.\n    """\n'
APPS_PLUS = [
    {   # stdin with its stub in starter_code and fn_name naming it; no id
        "question": "Read two integers and print their sum.",
        "starter_code": STUB0,
        "canonical_solution": STUB0 + "    a, b = map(int, input().split())\n    print(a + b)\n",
        "fn_name": "aBcDe",
        "inputs": ["1 2\n", "5 7\n"],
        "outputs": ["3\n", "12\n"],
        "difficulty": "introductory",
    },
    {   # call-based
        "id": 17,
        "question": "Return twice x.",
        "fn_name": "solve",
        "starter_code": "def solve(x):\n",
        "canonical_solution": "def solve(x):\n    return x * 2\n",
        "inputs": [[1], [5]],
        "outputs": [2, 10],
        "difficulty": "interview",
    },
    {   # prompt only, fn_name without a stub, canonical solution is the indented body
        "task_id": "plus-2",
        "prompt": "Print the square of n.\n\n-----Input-----\n\nOne integer n.\n\n-----Output-----\n\nn squared.",
        "fn_name": "sQuArE",
        "canonical_solution": "    n = int(input())\n    print(n * n)\n",
        "inputs": ["3\n", "10\n"],
        "outputs": ["9\n", "100\n"],
        "difficulty": "competition",
    },
    {   # stdin without fn_name, a plain program
        "problem_id": "p3",
        "question": "Print the input line reversed.",
        "canonical_solution": "print(input()[::-1])\n",
        "inputs": ["abc\n", "xy\n"],
        "outputs": ["cba\n", "yx\n"],
        "difficulty": "Interview",
    },
]


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def gz(data):
    return gzip.compress(data, mtime=0)


jsonl = "".join(json.dumps(r) + "\n" for r in APPS_ROWS).encode()
array = json.dumps(APPS_ROWS, indent=1).encode()
plus = json.dumps(APPS_PLUS, indent=1).encode()
write("apps_rows.jsonl", jsonl)
write("apps_rows.json", array)
write("apps_rows.jsonl.gz", gz(jsonl))
write("apps_rows_array.gz", gz(array))
write("apps_plus_data.json", plus)
write("apps_plus_data.json.gz", gz(plus))
