package sandbox

import (
	"strconv"
	"syscall"
)

const errnoEFBIG = 27

// classify turns a raw report of a run under limits l into a Result with
// an execution verdict (everything but the comparison with an expected
// output).
func classify(raw rawResult, stdout, stderr []byte, call bool, l Limits) Result {
	r := Result{
		ExitCode:        raw.ExitCode,
		Exception:       raw.Status.Exc,
		Stdout:          string(stdout),
		Stderr:          string(stderr),
		StdoutTruncated: raw.StdoutTruncated,
		StderrTruncated: raw.StderrTruncated,
		WallMS:          raw.WallMS,
		CPUMS:           raw.CPUMS,
		MaxRSSKB:        raw.MaxRSSKB,
	}
	if raw.Signal != 0 {
		r.Signal = syscall.Signal(raw.Signal).String()
		if name := signalNames[syscall.Signal(raw.Signal)]; name != "" {
			r.Signal = name
		}
	}
	if call {
		r.Stdout = ""
		if raw.Status.Ret != nil {
			r.Stdout = *raw.Status.Ret
		}
	}
	cpuLimitMS := float64(l.CPU.Milliseconds())
	sig := syscall.Signal(raw.Signal)
	switch {
	case raw.Status.SetupError != "":
		r.Verdict, r.Detail = SandboxError, "isolation setup failed: "+raw.Status.SetupError
	case raw.Status.Syntax != nil:
		r.Verdict, r.Syntax = SyntaxError, raw.Status.Syntax
	case raw.TimedOut:
		r.Verdict, r.Detail = Timeout, "wall-clock limit "+l.Wall.String()
	case sig == syscall.SIGXCPU || (sig == syscall.SIGKILL && raw.CPUMS >= cpuLimitMS-50):
		r.Verdict, r.Detail = Timeout, "CPU limit "+l.CPU.String()
	case sig == syscall.SIGXFSZ || raw.Status.Errno == errnoEFBIG || raw.StdoutTruncated:
		r.Verdict, r.Detail = OutputLimit, "output or file size over "+strconv.Itoa(l.OutputMB)+" MiB"
	case raw.Status.Exc == "MemoryError":
		r.Verdict, r.Detail = MemoryLimit, "address space over "+strconv.Itoa(l.MemoryMB)+" MiB"
	case raw.ExitCode != 0 || raw.Signal != 0:
		r.Verdict = RuntimeError
		if raw.Status.Exc != "" {
			r.Detail = "uncaught " + raw.Status.Exc
		}
	case r.Stdout == "":
		r.Verdict = NoOutput
	default:
		r.Verdict = OK
	}
	return r
}

// finishVerdict compares the output of a clean run with the expected one.
func finishVerdict(r *Result, want *string, cmp Comparator) {
	if want == nil || r.Verdict != OK {
		return
	}
	if cmp == nil {
		cmp = func(got, want string) bool { return got == want }
	}
	if cmp(r.Stdout, *want) {
		r.Verdict = Passed
	} else {
		r.Verdict = WrongOutput
	}
}

var signalNames = map[syscall.Signal]string{
	syscall.SIGKILL: "SIGKILL", syscall.SIGSEGV: "SIGSEGV", syscall.SIGXCPU: "SIGXCPU",
	syscall.SIGXFSZ: "SIGXFSZ", syscall.SIGABRT: "SIGABRT", syscall.SIGTERM: "SIGTERM",
	syscall.SIGBUS: "SIGBUS", syscall.SIGFPE: "SIGFPE", syscall.SIGPIPE: "SIGPIPE",
	syscall.SIGILL: "SIGILL", syscall.SIGINT: "SIGINT", syscall.SIGHUP: "SIGHUP",
}
