package sandbox

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

// Isolation reports which isolation features a Pool has in force.
type Isolation struct {
	Python       string   `json:"python"`
	Root         bool     `json:"root"`
	DropUID      bool     `json:"drop_uid"`      // runs as an unprivileged uid unique to the worker
	Namespaces   bool     `json:"namespaces"`    // PID + network (+ mount for the fork server)
	PrivateTmpfs bool     `json:"private_tmpfs"` // size-limited tmpfs for run directories
	PrivateProc  bool     `json:"private_proc"`  // the zygote sees only its own runs in /proc
	WorkDir      string   `json:"work_dir"`
	Rlimits      []string `json:"rlimits"`
	Missing      []string `json:"missing,omitempty"` // what is not in force, and why
}

// Feature is one line of the doctor's report.
type Feature struct {
	Name   string `json:"name"`
	Active bool   `json:"active"`
	Detail string `json:"detail"`
}

func probeIsolation(cfg Config) (Isolation, error) {
	iso := Isolation{Python: cfg.Python, WorkDir: workRoot(cfg),
		Rlimits: []string{"RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_NPROC", "RLIMIT_FSIZE", "RLIMIT_NOFILE", "RLIMIT_CORE=0"}}
	if !filepath.IsAbs(cfg.Python) {
		return iso, fmt.Errorf("sandbox: interpreter %q is not an absolute path (shell shims on PATH are slow and unpredictable)", cfg.Python)
	}
	if st, err := os.Stat(cfg.Python); err != nil || st.IsDir() {
		return iso, fmt.Errorf("sandbox: interpreter %s: not found", cfg.Python)
	}
	iso.Root = os.Geteuid() == 0
	iso.DropUID = iso.Root
	if !iso.Root {
		iso.Missing = append(iso.Missing, "uid drop: not running as root; programs run as the current user (kill on timeout by process group only, RLIMIT_NPROC not applied)")
	}
	if cfg.NoNamespaces {
		iso.Missing = append(iso.Missing, "namespaces: disabled by configuration")
	} else if iso.Root {
		cmd := exec.Command("/bin/true")
		cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWPID | syscall.CLONE_NEWNET | syscall.CLONE_NEWNS}
		if err := cmd.Run(); err != nil {
			iso.Missing = append(iso.Missing, "namespaces: "+err.Error()+" (no network isolation; leftovers found by uid)")
		} else {
			iso.Namespaces = true
		}
	} else {
		iso.Missing = append(iso.Missing, "namespaces: need root (no network isolation)")
	}
	if iso.Namespaces && iso.Root {
		iso.PrivateTmpfs, iso.PrivateProc = true, true
	} else {
		iso.Missing = append(iso.Missing, "private tmpfs and /proc: need root and a mount namespace (run directories under "+iso.WorkDir+")")
	}
	return iso, nil
}

// Features lists the isolation features for `scrl sandbox doctor`.
func (iso Isolation) Features() []Feature {
	why := func(key string) string {
		for _, m := range iso.Missing {
			if strings.HasPrefix(m, key) {
				return m
			}
		}
		return ""
	}
	f := []Feature{
		{"absolute interpreter", true, iso.Python},
		{"own session and process group, killed as a whole", true, "setsid per run; SIGKILL to the group on timeout"},
		{"rlimits", true, strings.Join(iso.Rlimits, ", ")},
		{"fresh empty working directory, removed afterwards", true, iso.WorkDir},
		{"scrubbed environment, PYTHONHASHSEED=0", true, "PATH, HOME, TMPDIR, LANG only"},
		{"unprivileged uid per worker", iso.DropUID, orDetail(why("uid"), "uid from a random range, unique per worker; every process of it killed after each run")},
		{"PID namespace", iso.Namespaces, orDetail(why("namespaces"), "leftover processes die with the namespace")},
		{"no network (network namespace)", iso.Namespaces, orDetail(why("namespaces"), "only a downed loopback")},
		{"private size-limited tmpfs", iso.PrivateTmpfs, orDetail(why("private"), "run directories on a tmpfs of the fork server's own mount namespace")},
		{"private /proc", iso.PrivateProc, orDetail(why("private"), "leftover check in microseconds after each run")},
	}
	return f
}

func orDetail(missing, ok string) string {
	if missing != "" {
		return missing
	}
	return ok
}

// allocUIDs picks n unprivileged uids from a random block so that pools in
// different processes do not share (and so never kill) each other's runs.
func allocUIDs(n int) []int {
	var b [4]byte
	rand.Read(b[:])
	base := 200000 + int(binary.LittleEndian.Uint32(b[:])%(1<<20))*64
	out := make([]int, n)
	for i := range out {
		out[i] = base + i%64
	}
	return out
}
