# SecureCodeRL sandbox boot code (trusted; embedded in the Go binary).
#
# Two entry points share the child-side code below:
#   * zygote(): a fork server. It is started once per worker with the common
#     modules imported, reads framed requests on fd 0, forks one fresh child per
#     test and answers on fd 1. Interpreter start-up is paid once.
#   * fresh(): the baseline: one interpreter per test, started by Go; it applies
#     the same isolation to itself and runs the program in-process.
#
# Frames: 4-byte big-endian header length, a JSON header, then the blobs whose
# lengths the header lists under "blobs" (raw bytes, in order).
import sys, os, marshal, signal

# The fresh path imports this module in every run, so the heavier modules
# (json, struct, select, time, shutil: ~12 ms here) are imported where used.

# Modules imported once in the zygote so that children get them for free.
# threading/queue/random/traceback are left out on purpose: their at-fork hooks
# make every fork slower (measured: threading alone +0.4 ms per fork here), and
# only a minority of programs use them.
PRELOAD = ("math", "re", "collections", "itertools", "functools", "heapq",
           "bisect", "string", "fractions", "decimal", "copy", "operator",
           "array", "io", "datetime", "types", "enum", "cmath", "numbers",
           "json")

STATUS_FD_ENV = "SCRL_STATUS_FD"

# Source run in the program's namespace before the program (e.g. the APPS
# checker's imports for call-based problems); set per run from the request.
PRELUDE = [""]


def read_exact(fd, n):  # zygote side
    buf = bytearray()
    while len(buf) < n:
        chunk = os.read(fd, n - len(buf))
        if not chunk:
            raise EOFError("protocol stream closed")
        buf += chunk
    return bytes(buf)


def read_frame(fd):
    import json, struct
    (hlen,) = struct.unpack(">I", read_exact(fd, 4))
    header = json.loads(read_exact(fd, hlen))
    blobs = [read_exact(fd, n) for n in header.get("blobs", [])]
    return header, blobs


def write_frame(fd, header, blobs=()):
    import json, struct
    header = dict(header)
    header["blobs"] = [len(b) for b in blobs]
    h = json.dumps(header).encode()
    data = struct.pack(">I", len(h)) + h + b"".join(blobs)
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


# ---------------------------------------------------------------- child side

def apply_limits(lim):
    """Lower soft and hard limits; an unprivileged child cannot raise them again."""
    import resource
    def setl(res, v):
        if v is None or v <= 0:
            return
        try:
            resource.setrlimit(res, (v, v))
        except (ValueError, OSError):
            soft, hard = resource.getrlimit(res)
            if hard == resource.RLIM_INFINITY or v < hard:
                resource.setrlimit(res, (v, v))
    if lim.get("cpu_s"):
        c = int(lim["cpu_s"])
        # SIGXCPU at the soft limit, SIGKILL one second later.
        resource.setrlimit(resource.RLIMIT_CPU, (c, c + 1))
    setl(resource.RLIMIT_AS, lim.get("as_bytes"))
    setl(resource.RLIMIT_FSIZE, lim.get("fsize_bytes"))
    setl(resource.RLIMIT_NOFILE, lim.get("nofile"))
    setl(resource.RLIMIT_NPROC, lim.get("nproc"))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def drop_privileges(uid, gid):
    if uid is None or os.getuid() != 0:
        return
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)


def scrub_env(rundir):
    os.environ.clear()
    os.environ.update({
        "PATH": "/usr/bin:/bin",
        "HOME": rundir,
        "TMPDIR": rundir,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONHASHSEED": "0",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
    })


def make_std_streams():
    """Fresh text streams on fds 0, 1, 2, shaped as a normal interpreter's
    (open() sets .mode; names are "<stdin>", "<stdout>", "<stderr>")."""
    import io
    streams = (io.open(0, "r", encoding="utf-8", errors="surrogateescape", closefd=False),
               io.open(1, "w", encoding="utf-8", errors="strict", closefd=False),
               io.open(2, "w", buffering=1, encoding="utf-8", errors="backslashreplace",
                       closefd=False))
    for f, name in zip(streams, ("<stdin>", "<stdout>", "<stderr>")):
        try:
            f.buffer.raw.name = name
        except (AttributeError, TypeError):
            pass
    return streams


def install_std_streams(streams):
    sys.stdin, sys.stdout, sys.stderr = streams
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = streams


def write_status(fd, st, main_pid=None):
    if fd is None or fd < 0:
        return
    if main_pid is not None and os.getpid() != main_pid:
        return  # a process the program forked: only the main one reports
    try:
        # The common case writes a constant: json.dumps in a fresh child costs
        # ~90 copy-on-write page faults.
        if st:
            import json
            os.write(fd, json.dumps(st, default=repr).encode()[:1 << 20])
        else:
            os.write(fd, b"{}")
    except Exception:
        pass


def call_function(mod, fn_name, args_json):
    """Call-based problems: call fn_name(*args) and return its JSON value."""
    import json
    g = mod.__dict__
    fn = g.get(fn_name)
    if fn is None and "Solution" in g:
        fn = getattr(g["Solution"](), fn_name, None)
    if fn is None:
        raise NameError("function %r is not defined by the program" % fn_name)
    args = json.loads(args_json) if args_json.strip() else []
    if not isinstance(args, list):
        args = [args]
    out = fn(*args)
    if isinstance(out, tuple):
        out = list(out)
    return out


def prepare_process():
    """Process state every run starts from: the program's empty __main__
    module and argv, and text streams on fds 0-2. The zygote calls this once
    before serving, so that each forked child inherits it instead of building
    it (building costs ~150 copy-on-write page faults per child here); the
    fresh path calls it in each run. Signal dispositions are Python's
    defaults (SIGPIPE and SIGXFSZ ignored), as in a plain interpreter."""
    import types, builtins
    mod = types.ModuleType("__main__")
    mod.__file__ = "prog.py"
    mod.__builtins__ = builtins
    sys.modules["__main__"] = mod
    sys.argv = ["prog.py"]
    install_std_streams(make_std_streams())
    return mod


def execute(code, fn_name, status_fd, mod):
    """Run the compiled program in mod (its __main__); never returns."""
    main_pid = os.getpid()
    status = {}
    rc = 0
    try:
        prelude = PRELUDE[0]
        if prelude:
            exec(prelude, mod.__dict__)
        exec(code, mod.__dict__)
        if fn_name:
            stdin_text = sys.stdin.read()
            ret = call_function(mod, fn_name, stdin_text)
            import json
            try:
                status["ret"] = json.dumps(ret)
            except (TypeError, ValueError):
                status["ret"] = json.dumps(repr(ret))
    except SystemExit as e:
        c = e.code
        if c is None:
            rc = 0
        elif isinstance(c, int):
            rc = c & 0xFF
        else:
            try:
                print(c, file=sys.stderr)
            except Exception:
                pass
            rc = 1
    except BaseException as e:  # noqa: B902 - the program's own failure
        status["exc"] = type(e).__name__
        if isinstance(e, OSError) and e.errno:
            status["errno"] = e.errno
        try:
            # The C excepthook prints the standard traceback without importing
            # the traceback module (keeps the zygote small and forks fast).
            tb = e.__traceback__.tb_next or e.__traceback__
            e.__traceback__ = tb
            sys.__excepthook__(type(e), e, tb)
        except BaseException:
            pass
        rc = 1
    # What a normal interpreter does at exit (Py_FinalizeEx): wait for
    # non-daemon threads, run atexit callbacks, flush the std streams.
    try:
        th = sys.modules.get("threading")
        if th is not None:
            th._shutdown()
    except BaseException:
        pass
    try:
        import atexit
        atexit._run_exitfuncs()
    except SystemExit as e:
        if isinstance(e.code, int):
            rc = e.code & 0xFF
    except BaseException:
        pass
    # Py_FinalizeEx flushes sys.stdout and sys.stderr unless closed (an
    # error there is the program's failure), then destroys every object,
    # which flushes the original streams too even when the program replaced
    # sys.stdout (errors there are ignored).
    for stream in (sys.stdout, sys.stderr):
        try:
            if getattr(stream, "closed", False):
                continue
            stream.flush()
        except BaseException as e:
            status.setdefault("exc", type(e).__name__)
            if isinstance(e, OSError) and e.errno:
                status.setdefault("errno", e.errno)
            rc = rc or 1
    for stream in (sys.__stdout__, sys.__stderr__):
        try:
            if stream is not None and not stream.closed:
                stream.flush()
        except BaseException:
            pass
    write_status(status_fd, status, main_pid)
    os._exit(rc)


def child_main(req, code, rundir, status_fd, mod=None):
    """In the forked (or fresh) child: isolate, then execute. Never returns.

    The zygote passes the __main__ module it prepared before forking (and has
    the final environment set on itself); the fresh path passes None."""
    try:
        os.setsid()
    except OSError:
        pass
    try:
        os.chdir(rundir)
        apply_limits(req.get("limits", {}))
        in_fd = os.open("stdin", os.O_RDONLY)
        drop_privileges(req.get("uid"), req.get("gid"))
        out_fd = os.open("stdout", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        err_fd = os.open("stderr", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(in_fd, 0)
        os.dup2(out_fd, 1)
        os.dup2(err_fd, 2)
        if status_fd is not None and status_fd >= 3:
            os.closerange(3, status_fd)
            os.closerange(status_fd + 1, 1 << 16)
        else:
            os.closerange(3, 1 << 16)
        if mod is None:
            scrub_env(rundir)
            mod = prepare_process()
    except BaseException as e:  # isolation failed: never run the program
        write_status(status_fd, {"setup_error": "%s: %s" % (type(e).__name__, e)})
        os._exit(125)
    PRELUDE[0] = req.get("prelude") or ""
    execute(code, req.get("fn_name") or "", status_fd, mod)


# --------------------------------------------------------------- zygote side

def wait_child(pid, timeout_s):
    """Wait up to timeout_s; kill the process group at the deadline."""
    timed_out = False
    try:
        pfd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pfd = None
    start = time.monotonic()
    if pfd is not None:
        p = select.poll()
        p.register(pfd, select.POLLIN)
        ready = p.poll(max(0, int(timeout_s * 1000)))
        os.close(pfd)
        if not ready:
            timed_out = True
    else:
        deadline = start + timeout_s
        while True:
            r, status = os.waitpid(pid, os.WNOHANG)
            if r:
                wall = time.monotonic() - start
                return status, resource.getrusage(resource.RUSAGE_CHILDREN), wall, False
            if time.monotonic() >= deadline:
                timed_out = True
                break
            time.sleep(0.001)
    if timed_out:
        for target in (-pid, pid):
            try:
                os.kill(target, signal.SIGKILL)
            except OSError:
                pass
    _, status, ru = os.wait4(pid, 0)
    wall = time.monotonic() - start
    return status, ru, wall, timed_out


class Reaper:
    """Ends whatever a run left behind.

    When the zygote is PID 1 of its own PID namespace with its own /proc, a
    listing of /proc tells in microseconds whether anything but us is alive;
    only then do we fork a killer that takes the run's uid and kills every
    process of that uid (escaped setsid daemons, fork bombs). Without a private
    /proc we sweep after every run."""

    def __init__(self, private_proc):
        self.private_proc = private_proc
        self.sweeps = 0

    def leftovers(self):
        me = os.getpid()
        try:
            return [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) != me]
        except OSError:
            return [-1]

    def clean(self, uid):
        if self.private_proc:
            # We are PID 1 of a namespace that holds only our runs: kill(-1)
            # reaches every process in it but us.
            for attempt in range(100):
                if not self.leftovers():
                    return
                self.sweeps += 1
                try:
                    os.kill(-1, signal.SIGKILL)
                except OSError:
                    pass
                reap()
                if attempt:
                    time.sleep(0.001 * attempt)
            return
        self.sweep(uid)
        reap()

    def sweep(self, uid):
        """Without a PID namespace: kill every process of the run's uid."""
        if uid is None or os.getuid() != 0:
            return
        self.sweeps += 1
        pid = os.fork()
        if pid == 0:
            try:
                os.setgroups([])
                os.setuid(uid)
                os.kill(-1, signal.SIGKILL)
            except BaseException:
                pass
            os._exit(0)
        os.waitpid(pid, 0)


def reap():
    """Collect zombies re-parented to us (we are PID 1 of our namespace)."""
    n = 0
    codes = {}  # marshalled bytes -> code object, oldest first
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return n
        if pid == 0:
            return n
        n += 1


def drain(fd, cap=2 << 20):
    """Read what is in a pipe now, without waiting for other writers."""
    os.set_blocking(fd, False)
    buf = b""
    while len(buf) < cap:
        try:
            b = os.read(fd, 1 << 16)
        except BlockingIOError:
            break
        if not b:
            break
        buf += b
    os.close(fd)
    return buf


class CompileTimeout(Exception):
    pass


def do_compile(req, source, root, n, reaper):
    """Compile in the zygote itself (no fork): the source is size-capped by
    the caller, CPython's AST optimiser bounds constant folding, and an
    interval timer bounds the time. Returns the marshalled code object."""
    def on_alarm(signum, frame):
        raise CompileTimeout()
    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, float(req.get("compile_timeout_s", 5)))
    try:
        import warnings
        with warnings.catch_warnings():
            # SyntaxWarnings would go to the zygote's stderr (the caller's).
            warnings.simplefilter("ignore")
            code = compile(source.decode("utf-8", "surrogateescape"), "prog.py", "exec", dont_inherit=True)
        return {"ok": True}, marshal.dumps(code)
    except SyntaxError as e:
        return {"ok": False, "syntax": {"type": type(e).__name__, "msg": e.msg or str(e),
                                        "line": e.lineno or 0, "col": e.offset or 0,
                                        "text": (e.text or "").rstrip("\n")}}, b""
    except CompileTimeout:
        return {"ok": False, "syntax": {"type": "CompileTimeout", "msg": "compilation took too long",
                                        "line": 0, "col": 0, "text": ""}}, b""
    except (ValueError, OverflowError, RecursionError, MemoryError) as e:
        return {"ok": False, "syntax": {"type": type(e).__name__, "msg": str(e),
                                        "line": 0, "col": 0, "text": ""}}, b""
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def do_run(req, code, reaper, main_mod):
    """One run in a directory the caller prepared (stdin written) and will
    collect (stdout, stderr) and remove: the zygote itself only forks and
    waits. Every page the zygote touches after a fork costs a copy-on-write
    fault, so file work here made each run ~40% slower (measured)."""
    rundir = req["dir"]
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        child_main(req, code, rundir, w, main_mod)
    os.close(w)
    status, ru, wall, timed_out = wait_child(pid, req.get("wall_s", 4.0))
    st = drain(r)
    reaper.clean(req.get("uid"))
    resp = {"exit_code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0,
            "wall_ms": wall * 1000.0, "timed_out": timed_out,
            "cpu_ms": (ru.ru_utime + ru.ru_stime) * 1000.0, "max_rss_kb": ru.ru_maxrss}
    try:
        resp["status"] = json.loads(st) if st else {}
    except ValueError:
        resp["status"] = {"garbled": True}
    return resp


def zygote():
    global json, struct, select, time, shutil, resource
    import json, struct, select, time, shutil, resource
    for m in PRELOAD:
        try:
            __import__(m)
        except ImportError:
            pass
    in_fd = os.dup(0)
    out_fd = os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.close(devnull)
    root = sys.argv[1]
    # In our own mount namespace (root): make mounts private, mount a
    # size-limited tmpfs for run directories and a /proc of our PID namespace.
    mounted = private_proc = False
    private_tmp = []
    size_mb = int(os.environ.get("SCRL_TMPFS_MB", "0") or 0)
    if os.environ.get("SCRL_PRIVATE_MOUNTS") == "1" and os.getuid() == 0:
        try:
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            MS_REC, MS_PRIVATE = 0x4000, 1 << 18
            MS_NOSUID, MS_NODEV, MS_NOEXEC = 2, 4, 8
            if libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) == 0:
                if size_mb > 0:
                    opts = ("size=%dm,mode=0711" % size_mb).encode()
                    mounted = libc.mount(b"tmpfs", root.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, opts) == 0
                private_tmp = mount_private_tmp(libc, root, size_mb)
                if os.getpid() == 1:
                    private_proc = libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None) == 0
        except Exception:
            pass
    reaper = Reaper(private_proc)
    scrub_env(os.path.join(root, "run"))
    main_mod = prepare_process()  # never written to by the zygote itself
    import atexit
    atexit._clear()  # children run only the programs' own exit handlers
    import gc
    gc.collect()
    gc.freeze()  # children's collections skip the zygote's objects (fewer CoW faults)
    info = {"ready": True, "pid": os.getpid(), "python": sys.version.split()[0],
            "tmpfs": mounted, "private_proc": private_proc, "private_tmp": private_tmp, "euid": os.geteuid(),
            "preloaded": [m for m in PRELOAD if m in sys.modules]}
    write_frame(out_fd, info)
    n = 0
    codes = {}  # marshalled bytes -> code object, oldest first
    while True:
        try:
            req, blobs = read_frame(in_fd)
        except EOFError:
            return
        n += 1
        op = req.get("op")
        try:
            if op == "compile":
                resp, code = do_compile(req, blobs[0], root, n, reaper)
                write_frame(out_fd, resp, [code] if resp.get("ok") else [])
                if n % 512 == 0:
                    import gc
                    gc.collect()
            elif op == "run":
                # Unmarshal before forking, once per program: the code object
                # is then shared with every child instead of rebuilt in each
                # (fewer copy-on-write faults per run).
                code = codes.get(blobs[0])
                if code is None:
                    code = codes[blobs[0]] = marshal.loads(blobs[0])
                    if len(codes) > 16:
                        del codes[next(iter(codes))]
                resp = do_run(req, code, reaper, main_mod)
                resp["sweeps"] = reaper.sweeps
                write_frame(out_fd, resp)
            elif op == "ping":
                write_frame(out_fd, {"ok": True, "pid": os.getpid()})
            else:
                write_frame(out_fd, {"error": "unknown op %r" % op})
        except Exception as e:  # a zygote bug must not kill the worker
            write_frame(out_fd, {"error": "zygote: %s: %s" % (type(e).__name__, e)})


def parse_compact_request(text):
    """The fresh path's request: "uid=1;gid=1;fn=f;cpu_s=4;..." (no json
    import on the per-test path)."""
    req, limits = {}, {}
    for part in text.split(";"):
        if "=" not in part:
            continue
        k, v = part.split("=", 1)
        if k in ("uid", "gid"):
            req[k] = int(v)
        elif k == "fn":
            req["fn_name"] = v
        elif k == "prelude":
            req["prelude"] = os.environ.get("SCRL_PRELUDE", "")
        else:
            limits[k] = int(v)
    req["limits"] = limits
    return req


PRIVATE_TMP_DIRS = ("/tmp", "/var/tmp")


def mount_private_tmp(libc, root, size_mb):
    """Mounts a private tmpfs over /tmp and /var/tmp (in our own mount
    namespace): a program that writes a hard-coded /tmp path sees only its
    own files, and leaves nothing on the host. A directory that holds root
    (the run directories) is left alone. Returns the directories mounted."""
    done = []
    real_root = os.path.realpath(root) + "/"
    for d in PRIVATE_TMP_DIRS:
        if os.path.islink(d) or not os.path.isdir(d):
            continue
        if real_root.startswith(os.path.realpath(d).rstrip("/") + "/"):
            continue
        opts = ("size=%dm,mode=1777" % max(size_mb, 16)).encode()
        if libc.mount(b"tmpfs", d.encode(), b"tmpfs", 2 | 4, opts) == 0:  # MS_NOSUID | MS_NODEV
            done.append(d)
    return done


def fresh():
    """One interpreter per test: the baseline. Run dir and stdin prepared by Go."""
    req = parse_compact_request(os.environ.get("SCRL_REQ", ""))
    rundir = os.getcwd()
    if os.environ.get("SCRL_PRIVATE_TMP") == "1" and os.getuid() == 0:
        # Our own mount namespace (CLONE_NEWNS): private /tmp as in the
        # fork server; it goes away with the process.
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.mount(b"none", b"/", None, 0x4000 | (1 << 18), None) == 0:  # MS_REC | MS_PRIVATE
            mount_private_tmp(libc, rundir, 16)
    status_fd = int(os.environ.get(STATUS_FD_ENV, "3"))
    with open(os.path.join(rundir, "prog.py"), "rb") as f:
        source = f.read().decode("utf-8", "surrogateescape")
    try:
        code = compile(source, "prog.py", "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as e:
        write_status(status_fd, {"syntax": {"type": type(e).__name__, "msg": getattr(e, "msg", None) or str(e),
                                            "line": getattr(e, "lineno", 0) or 0, "col": getattr(e, "offset", 0) or 0,
                                            "text": (getattr(e, "text", None) or "").rstrip("\n")}})
        os._exit(1)
    os.unlink(os.path.join(rundir, "prog.py"))
    child_main(req, code, rundir, status_fd)


if __name__ == "__main__":
    if os.environ.get("SCRL_MODE") == "fresh":
        fresh()
    else:
        zygote()
