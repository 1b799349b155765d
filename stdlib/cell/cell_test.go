package cell

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestMustPassesValues(t *testing.T) {
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"int", Must(42, nil), 42},
		{"string", Must("ok", nil), "ok"},
		{"slice", len(Must([]int{1, 2, 3}, nil)), 3},
		{"placeholder", Must(0, nil), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
	a, b := Must2("x", 2, nil)
	if a != "x" || b != 2 {
		t.Errorf("Must2: got %v, %v", a, b)
	}
}

func TestFail(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{errors.New("boom"), "error: boom\n"},
		{fmt.Errorf("load a.jsonl: %w", os.ErrNotExist), "error: load a.jsonl: file does not exist\n"},
	}
	for _, tt := range tests {
		var buf bytes.Buffer
		code := -1
		fail(&buf, func(c int) { code = c }, tt.err)
		if buf.String() != tt.want || code != 1 {
			t.Errorf("fail(%v): wrote %q, exit %d; want %q, exit 1", tt.err, buf.String(), code, tt.want)
		}
	}
}

// TestMustExits runs Must on an error in a child process: the cell (here
// the test binary) stops with status 1 and the message on standard error.
func TestMustExits(t *testing.T) {
	if os.Getenv("CELL_MUST_CHILD") == "1" {
		Must(0, errors.New("no such problem"))
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestMustExits$")
	cmd.Env = append(os.Environ(), "CELL_MUST_CHILD=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 1 {
		t.Fatalf("child: %v, want exit status 1", err)
	}
	if !strings.Contains(stderr.String(), "error: no such problem") {
		t.Errorf("stderr %q lacks the error", stderr.String())
	}
}
