package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/securecoderl/securecoderl/sandbox"
	"github.com/securecoderl/securecoderl/stdlib/judge"
)

func judgeTasks() []judge.Task {
	sum := []judge.Case{{Input: "1 2\n", Expected: "3\n"}, {Input: "5 7\n", Expected: "12\n"}, {Input: "2 2\n", Expected: "4\n"}}
	return []judge.Task{
		{Program: sandbox.Program{Source: "a, b = map(int, input().split())\nprint(a + b)"}, Cases: sum, Compare: judge.APPS},
		{Program: sandbox.Program{Source: "a, b = map(int, input().split())\nprint(a + b if a < 3 else 0)"}, Cases: sum, Compare: judge.APPS},
		{Program: sandbox.Program{Source: "print(3)"}, Cases: sum, Compare: judge.Lines},
		{Program: sandbox.Program{Source: "raise ValueError('x')"}, Cases: sum, Compare: judge.APPS},
		{Program: sandbox.Program{Source: "print(1"}, Cases: sum, Compare: judge.APPS},
		{Program: sandbox.Program{Source: "a, b = map(int, input().split())\nprint(a + b if a < 3 else 0)"}, Cases: sum, Compare: judge.APPS, StopOnFailure: true},
		{Program: sandbox.Program{Source: "while True:\n    pass"}, Cases: sum[:1], Compare: judge.APPS, Limits: sandbox.Limits{Wall: 200 * time.Millisecond}},
		{Program: sandbox.Program{Source: "class Solution:\n    def add(self, a, b):\n        return a + b\n", FnName: "add", Prelude: sandbox.APPSCallPrelude},
			Cases: []judge.Case{{Input: "[1, 2]", Expected: "[3]"}, {Input: "[3, 4]", Expected: "[8]"}}},
	}
}

// TestRemoteMatchesLocal: judging through two `scrl serve` endpoints gives
// the verdicts, counts, buckets and first failures of judging in-process,
// for passing, failing, crashing, unparsable, stopped-early, timed-out and
// call-based programs.
func TestRemoteMatchesLocal(t *testing.T) {
	_, a := newServer(t, 1, Config{})
	_, b := newServer(t, 1, Config{})
	local, err := sandbox.New(context.Background(), sandbox.Config{Workers: 2, Limits: sandbox.Limits{Wall: 4 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	remote, err := sandbox.NewRemote(a.URL+","+b.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i, task := range judgeTasks() {
		want, err := judge.Judge(ctx, local, task)
		if err != nil {
			t.Fatal(err)
		}
		got, err := judge.Judge(ctx, remote, task)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Verdicts, want.Verdicts) || got.Passed != want.Passed || got.Total != want.Total ||
			got.Bucket != want.Bucket || got.ConstantOutput != want.ConstantOutput || !reflect.DeepEqual(got.FirstFailure, want.FirstFailure) {
			t.Errorf("task %d: remote %+v\nlocal %+v", i, got, want)
		}
	}
}

// TestRemoteFailover: with one endpoint gone and one answering 503, every
// batch is retried onto the endpoint that works; with every endpoint gone
// the error names them.
func TestRemoteFailover(t *testing.T) {
	_, good := newServer(t, 1, Config{})
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	var refused atomic.Int64
	busy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		refused.Add(1)
		http.Error(w, "overloaded", http.StatusServiceUnavailable)
	}))
	defer busy.Close()
	remote, err := sandbox.NewRemote(deadURL+","+busy.URL+","+good.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	task := judgeTasks()[0]
	for i := 0; i < 6; i++ {
		r, err := judge.Judge(ctx, remote, task)
		if err != nil {
			t.Fatalf("batch %d: %v", i, err)
		}
		if !r.AllPassed {
			t.Fatalf("batch %d: %+v", i, r)
		}
	}
	if refused.Load() == 0 {
		t.Error("the busy endpoint was never tried")
	}
	gone, _ := sandbox.NewRemote(deadURL, "")
	gone.Attempts = 2
	if _, err := judge.Judge(ctx, gone, task); err == nil {
		t.Error("no error with every endpoint gone")
	}
	if _, err := sandbox.NewRemote("ftp://x", ""); err == nil {
		t.Error("ftp endpoint accepted")
	}
}
