# SecureCodeRL Bandit worker: imports bandit once and scans many in-memory
# sources, one JSON object per line on stdin, one JSON reply per line on
# stdout.
#
#   request:  {"id": 1, "name": "sample.py", "code": "..."}
#   reply:    {"id": 1, "issues": [...], "error": "", "log": [...]}
#
# The first line written is a hello: {"ready": true, "bandit": "1.6.2", ...}
# or {"fatal": "..."} when bandit cannot be imported.
#
# Flags (argv): --skip=B322,B101  --fix-str  --honor-nosec
import io
import json
import logging
import sys
import tokenize


def main():
    out = sys.stdout
    # Anything bandit or a plugin prints must not corrupt the protocol.
    sys.stdout = sys.stderr

    def send(obj):
        out.write(json.dumps(obj) + "\n")
        out.flush()

    skip = set()
    fix_str = False
    honor_nosec = False
    for arg in sys.argv[1:]:
        if arg.startswith("--skip="):
            skip.update(s for s in arg[len("--skip="):].split(",") if s)
        elif arg == "--fix-str":
            fix_str = True
        elif arg == "--honor-nosec":
            honor_nosec = True

    try:
        import ast
        import bandit
        from bandit.core import config as b_config
        from bandit.core import meta_ast as b_meta_ast
        from bandit.core import metrics as b_metrics
        from bandit.core import node_visitor as b_node_visitor
        from bandit.core import test_set as b_test_set
        from bandit.core import tester as b_tester
    except Exception as e:  # pragma: no cover - reported to Go
        send({"fatal": "cannot import bandit: %r" % (e,)})
        return 1

    # Collect bandit's own error log lines (a plugin raising inside
    # BanditTester.run_tests is logged and swallowed by bandit).
    records = []

    class Collect(logging.Handler):
        def emit(self, record):
            try:
                records.append(record.getMessage().splitlines()[0][:500])
            except Exception:
                pass

    root = logging.getLogger()
    root.handlers[:] = [Collect(level=logging.ERROR)]
    root.setLevel(logging.ERROR)

    class ColTester(b_tester.BanditTester):
        # Bandit 1.6.2's Issue has no column: record the col_offset of the
        # node the test ran on, as upstream Bandit (>= 1.7.1) does.
        def run_tests(self, raw_context, checktype):
            n = len(self.results)
            scores = b_tester.BanditTester.run_tests(
                self, raw_context, checktype)
            node = raw_context.get("node")
            for r in self.results[n:]:
                r.col_offset = getattr(node, "col_offset", -1)
            return scores

    if fix_str:
        # Python 3.8+ reports string literals as ast.Constant, so bandit
        # 1.6.2's visit_Str/visit_Bytes never run. Dispatch them again.
        def visit_Constant(self, node):
            if isinstance(node.value, str):
                self.visit_Str(node)
            elif isinstance(node.value, bytes):
                self.visit_Bytes(node)
            else:
                self.update_scores(self.tester.run_tests(
                    self.context, "Constant"))
        b_node_visitor.BanditNodeVisitor.visit_Constant = visit_Constant

    conf = b_config.BanditConfig()
    profile = {"exclude": sorted(skip)} if skip else {}
    test_set = b_test_set.BanditTestSet(conf, profile)
    meta = b_meta_ast.BanditMetaAst()

    def nosec_lines(data):
        if not honor_nosec:
            return set()
        try:
            toks = tokenize.tokenize(io.BytesIO(data).readline)
            return set(
                lineno for toktype, tokval, (lineno, _), _, _ in toks
                if toktype == tokenize.COMMENT and
                '#nosec' in tokval or '# nosec' in tokval)
        except (tokenize.TokenError, SyntaxError):
            return set()

    def get_code(lines, issue, max_lines=3):
        # Issue.get_code, reading from the in-memory source.
        out_lines = []
        lmin = max(1, issue.lineno - max_lines // 2)
        lmax = lmin + len(issue.linerange) + max_lines - 1
        for line in range(lmin, lmax):
            if line - 1 >= len(lines):
                break
            out_lines.append("%i %s" % (line, lines[line - 1]))
        return "".join(out_lines)

    def scan(name, code):
        data = code.encode("utf-8")
        metrics = b_metrics.Metrics()
        metrics.begin(name)
        visitor = b_node_visitor.BanditNodeVisitor(
            name, meta, test_set, False, nosec_lines(data), metrics)
        visitor.tester = ColTester(test_set, False, visitor.nosec_lines)
        visitor.process(data)
        lines = code.splitlines(True)
        issues = []
        for r in visitor.tester.results:
            issues.append({
                "test_id": r.test_id,
                "test_name": r.test,
                "issue_severity": r.severity,
                "issue_confidence": r.confidence,
                "issue_text": r.text,
                "line_number": r.lineno,
                "line_range": list(r.linerange),
                "col_offset": getattr(r, "col_offset", -1),
                "ident": r.ident if isinstance(r.ident, str) else "",
                "code": get_code(lines, r),
            })
        return issues

    version = getattr(bandit, "__version__", "")
    if not version:
        try:
            import pkg_resources
            version = pkg_resources.get_distribution("bandit").version
        except Exception:
            version = "unknown"
    send({"ready": True, "bandit": version,
          "python": "%d.%d.%d" % sys.version_info[:3],
          "fix_str": fix_str, "skip": sorted(skip)})

    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            req = json.loads(line)
        except ValueError as e:
            send({"id": -1, "error": "bad request: %s" % e})
            continue
        rid = req.get("id", -1)
        if req.get("op") == "ping":
            send({"id": rid, "issues": []})
            continue
        del records[:]
        try:
            issues = scan(req.get("name") or "<source>", req.get("code", ""))
            send({"id": rid, "issues": issues, "log": records[:20]})
        except SyntaxError as e:
            send({"id": rid, "error": "syntax error while parsing AST: %s"
                  % e})
        except RecursionError:
            send({"id": rid, "error": "bandit: recursion limit exceeded"})
        except Exception as e:
            send({"id": rid, "error": "bandit: exception while scanning "
                  "file: %s: %s" % (type(e).__name__, e)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
