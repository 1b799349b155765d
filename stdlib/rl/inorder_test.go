package rl

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestInOrder(t *testing.T) {
	for _, tc := range []struct {
		name    string
		n       int
		workers int
		skip    map[int]bool
		failAt  int // work(b) fails at this b (-1: never)
		wantErr bool
	}{
		{"one at a time", 6, 1, nil, -1, false},
		{"two at a time, later ones finish first", 7, 2, nil, -1, false},
		{"skipped batches are handed on in order", 5, 2, map[int]bool{0: true, 3: true}, -1, false},
		{"an error stops the rest", 8, 2, nil, 3, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var running, peak atomic.Int32
			var started atomic.Int32
			var order []int
			err := inOrder(context.Background(), tc.n, tc.workers, func(b int) bool { return tc.skip[b] },
				func(ctx context.Context, b int) (int, error) {
					started.Add(1)
					c := running.Add(1)
					defer running.Add(-1)
					for p := peak.Load(); c > p && !peak.CompareAndSwap(p, c); p = peak.Load() {
					}
					time.Sleep(time.Duration(tc.n-b) * time.Millisecond) // later batches finish sooner
					if b == tc.failAt {
						return 0, errors.New("boom")
					}
					return 10 * b, nil
				},
				func(b, v int, ok bool) error {
					if ok != !tc.skip[b] || (ok && v != 10*b) {
						t.Errorf("batch %d: value %d ok %v", b, v, ok)
					}
					order = append(order, b)
					return nil
				})
			if (err != nil) != tc.wantErr {
				t.Fatalf("error %v, want error %v", err, tc.wantErr)
			}
			for i, b := range order {
				if b != i {
					t.Fatalf("handed on in order %v", order)
				}
			}
			if int(peak.Load()) > tc.workers {
				t.Errorf("%d batches ran at once, limit %d", peak.Load(), tc.workers)
			}
			if tc.wantErr && (len(order) != tc.failAt || int(started.Load()) > tc.failAt+1+tc.workers) {
				t.Errorf("after the error at %d: %d handed on, %d started", tc.failAt, len(order), started.Load())
			}
			if !tc.wantErr && len(order) != tc.n {
				t.Errorf("%d of %d handed on", len(order), tc.n)
			}
		})
	}
}
