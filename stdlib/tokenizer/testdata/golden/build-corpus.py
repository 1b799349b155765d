#!/usr/bin/env python3
"""Builds corpus.json, the inputs of the golden tokenizer tests.

Run once by hand (the output is checked in): python3 build-corpus.py [APPS_DIR]
APPS excerpts are short (at most ~600 characters each); the rest is written here.
"""
import json, os, sys

apps_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "../../../../../shared/data/apps")
cases = []

def add(name, text):
    cases.append({"name": name, "text": text})

# --- APPS solutions and statements (short excerpts) -------------------------
def rows(fname):
    with open(os.path.join(apps_dir, fname)) as f:
        return [json.loads(l) for l in f]

def cut(s, n):
    if len(s) <= n:
        return s
    i = s.rfind("\n", 0, n)
    return s[: i + 1] if i > n // 2 else s[:n]

train = rows("apps_train_codechain150.jsonl")
for pid in (2363, 2367, 2373, 2381, 2387, 2396, 2401):
    r = next(r for r in train if r["problem_id"] == pid)
    sols = json.loads(r["solutions"])
    add(f"apps_solution_{pid}", cut(sols[0], 600))
for pid in (2361, 2369, 2385):
    r = next(r for r in train if r["problem_id"] == pid)
    add(f"apps_statement_{pid}", cut(r["question"], 700))
stdin = rows("apps_stdin_mapcoder_teamcoder.jsonl")
for r in stdin[:2]:
    add(f"apps_statement_{r['problem_id']}", cut(r["question"], 500))

# --- Python programs written for these tests --------------------------------
add("py_dataclass", '''from __future__ import annotations

import dataclasses
from typing import Iterable


@dataclasses.dataclass(frozen=True)
class Point:
    x: float
    y: float

    def __add__(self, other: "Point") -> "Point":
        return Point(self.x + other.x, self.y + other.y)


def centroid(points: Iterable[Point]) -> Point:
    """Return the centroid; raises ValueError on an empty input."""
    pts = list(points)
    if not pts:
        raise ValueError("empty")
    sx = sum(p.x for p in pts)
    sy = sum(p.y for p in pts)
    return Point(sx / len(pts), sy / len(pts))


if __name__ == "__main__":
    print(centroid([Point(0, 0), Point(4, 0), Point(0, 3)]))
''')
add("py_tabs_and_trailing", "def f(x):\n\tif x:\t# tab comment\n\t\treturn x  \n\telse:   \n\t\treturn -x\t\n\n\n    \nprint(f(3))   ")
add("py_crlf", "import sys\r\n\r\nfor line in sys.stdin:\r\n    a, b = map(int, line.split())\r\n    print(a + b)\r\n")
add("py_fstrings_unicode", "name = 'Zoë'\nprint(f\"héllo {name!r:>10} — 你好, мир! {3.14159:.2f}\")\nπ = 3.14159\nsmile = '😀👍🏽'\n")
add("py_security", '''import subprocess, pickle, hashlib, os

def run(cmd):
    # B602: shell=True with user input
    return subprocess.run(cmd, shell=True, capture_output=True).stdout

def load(blob: bytes):
    return pickle.loads(blob)  # nosec? no: untrusted

token = hashlib.md5(os.urandom(16)).hexdigest()
SECRET_KEY = "sk-0123456789abcdefABCDEF"
eval(input())
''')
add("py_nested_indent", "class A:\n    def m(self):\n        for i in range(10):\n            if i % 2 == 0:\n                while True:\n                    try:\n                        yield i ** 2\n                    except (KeyError, IndexError) as e:\n                        raise RuntimeError(f'{e}') from e\n                    finally:\n                        break\n")
add("py_numbers", "x = 1234567890\ny = 0xDEADbeef + 0o777 + 0b1010_1010\nz = 1_000_000.000_001e-10j\nprint(x*y//3 % 97, 12.5e+3, -0.0, 10**100)\n")
add("py_lambda_comprehension", "sq = {k: v**2 for k, v in zip('abc', range(3)) if v}\nf = lambda *a, **kw: (a, kw)\nxs = [[i*j for j in range(i)] for i in range(5)]\nprint(sorted(xs, key=len, reverse=True)[:2])\n")

# --- unicode and whitespace edge cases ---------------------------------------
add("empty", "")
add("one_space", " ")
add("spaces_only", "     ")
add("newlines_only", "\n\n\n")
add("crlf_only", "\r\n\r\n")
add("space_newline_mix", "\n \n  \n\t\n \t \n")
add("spaces_before_newline", "a   \nb \n  c    \n\n   d")
add("trailing_spaces", "end with spaces    ")
add("leading_spaces", "    four then word")
add("tabs", "\tx\t\ty\t \t z\t")
add("crlf_text", "line one\r\nline two\r\n\r\nline four\r")
add("cr_only", "a\rb\r\rc")
add("vertical_ws", "a\x0bb\x0cc")
add("digits_runs", "1 12 123 1234 12345 123456 1234567 0000000000 3.14159 1e10 2024-01-31")
add("digits_unicode", "٣٤٥٦ ０１２３４ ²³ ½ Ⅻ ①②")
add("contractions", "it's don't we're you've I'm they'll he'd 's 't")
add("contractions_upper", "IT'S DON'T WE'RE YOU'VE I'M THEY'LL HE'D 'S 'T 'Re 'vE")
add("contractions_odd", "'''s '' s'd ''ll rock'n'roll o'clock '")
add("cjk_chinese", "我们今天学习分词器。机器学习很有意思！")
add("cjk_japanese", "これは日本語の文章です。カタカナとひらがな、そして漢字。")
add("cjk_korean", "안녕하세요, 세계! 토크나이저 테스트입니다.")
add("cjk_mixed_code", "# 计算斐波那契数列\ndef fib(n):  # 返回第n项\n    return n if n < 2 else fib(n-1) + fib(n-2)\n")
add("emoji", "I ❤️ Go 🐹! 👨‍👩‍👧‍👦 family, 🇫🇷 flag, 👍🏽 tone, 🤖🤖🤖")
add("combining_marks", "cafe\u0301 nai\u0308ve A\u030a o\u0302\u0323 Z\u0335\u0321\u031b a\u0300\u0301\u0302\u0303")
add("precomposed", "café naïve Å ộ résumé")
add("hangul_jamo", "\u1100\u1161\u11a8 \u1112\u1161\u11ab")
add("rtl", "مرحبا بالعالم 123 שלום עולם")
add("indic_thai", "नमस्ते दुनिया สวัสดีชาวโลก")
add("math_symbols", "∀x∈ℝ: x² ≥ 0 ⇒ √(x²) = |x| ≤ ∞ ±1 ≠ ≈")
add("punct_runs", "!!!??? ... --- === ### *** /// \\\\ ~~~ ``` ''' \"\"\" ;;")
add("mixed_punct_letters", "foo.bar(baz)[0]->qux::quux<T>&&!x||y?.z ?? w")
add("nbsp_ideographic", "a\u00a0b \u00a0 c\u3000d\u2003e\u2009f")
add("zero_width", "a\u200bb\u200cc\u200dd\u2060e")
add("long_repeat", "=" * 80 + "\n" + " " * 40 + "x" + "\n" + "a" * 70)
add("long_word", "aGVsbG8gd29ybGQgdGhpcyBpcyBhIGxvbmcgYmFzZTY0IHN0cmluZw== deadbeefcafebabe0123456789abcdef" * 2)
add("url_email", "see https://example.com/path?q=1&r=two#frag or mail me@example.org.")
add("json_blob", '{"a": [1, 2.5, null, true], "b": {"c": "d\\n"}, "e": "\\u00e9"}')
add("html", "<div class=\"x\">Hello &amp; <b>world</b></div>\n<!-- c -->")
add("long_s_kelvin", "'ſ 'K ſtraße 'ſtraße '\u212a \u212a Kelvin İstanbul 'İ ǅ ΣΑΣ")
add("control_chars", "a\x00b\x01c\x1bd\x7fe")
add("nel_bom", "x\u0085y \u0085 z\ufeffw \ufeff\nv")
add("line_para_sep", "a\u2028b\u2029c")
add("private_use", "\ue000\uf8ff \U000f0000")
add("astral", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛 𐍈 🂡")

# special tokens (and near misses) in text, for all three tokenizers
add("special_llama3", "<|begin_of_text|>Hello<|end_of_text|> <|eot_id|>\n<|start_header_id|>user<|end_header_id|>\n\nhi")
add("special_qwen", "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\nok<|endoftext|>")
add("special_qwen_fim", "<|fim_prefix|>def f(x):\n    <|fim_suffix|>\n    return y<|fim_middle|>")
add("special_deepseek", "<｜begin▁of▁sentence｜>You are helpful.<｜User｜>hi<｜Assistant｜>ok<｜end▁of▁sentence｜>")
add("special_deepseek_fim", "<｜fim▁begin｜>def f():\n<｜fim▁hole｜>\n<｜fim▁end｜><|EOT|>")
add("special_near_miss", "<|endoftext| <|im_start <think> </ think> <|begin_of_text|x <｜User| <|EOT")
add("special_adjacent", "<|endoftext|><|endoftext|>x<|im_end|><|im_end|> <think></think>")
add("special_single_word", "a<tool_call>b <tool_call> (<tool_call>) _<tool_call>_ 1<tool_call>2 é<tool_call> <tool_call>")
add("special_case_variants", "<|FIM_PREFIX|>x <|Fim_Prefix|> <|fim_prefix|> <THINK> <|IM_START|>")
add("special_strip_newlines", "a \n\t<think>\n\n b</think> \n c\n<|im_start|>\n\nd  <|im_start|>")
add("special_with_spaces", "  <|endoftext|>  <think>  x  </think>  <|im_start|>  ")

json.dump({"cases": cases}, open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus.json"), "w"), ensure_ascii=False, indent=1)
print(len(cases), "cases")
