package rl

import (
	"context"
	"runtime"
	"sync"
)

// genWorkersDefault is the number of generation batches run at once when
// a configuration leaves it at 0: one per CPU, at most 2 (the pure-Go
// backend runs one call's ops on one core while another call is in
// flight, so two batches keep two cores busy where one kept about one).
func genWorkersDefault(n int) int {
	if n > 0 {
		return n
	}
	return max(1, min(runtime.NumCPU(), 2))
}

// inOrder runs work(b) for b in [0, n), up to workers at a time, and hands
// each result to use in order b = 0, 1, … from the calling goroutine (so
// logs and scoring see batches in order whatever finishes first). A b for
// which skip reports true is not run; use gets it with ok false. The first
// error, of work or use, stops the batches not yet started; inOrder waits
// for the started ones before it returns it.
func inOrder[T any](ctx context.Context, n, workers int, skip func(b int) bool,
	work func(ctx context.Context, b int) (T, error), use func(b int, v T, ok bool) error) error {
	type out struct {
		v   T
		err error
	}
	outs := make([]chan out, n)
	for b := range outs {
		outs[b] = make(chan out, 1)
	}
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	launched := make(chan struct{})
	go func() {
		defer close(launched)
		sem := make(chan struct{}, max(1, workers))
		for b := 0; b < n; b++ {
			if skip != nil && skip(b) {
				continue
			}
			select {
			case sem <- struct{}{}:
			case <-wctx.Done():
				outs[b] <- out{err: wctx.Err()}
				continue
			}
			wg.Add(1)
			go func(b int) {
				defer wg.Done()
				defer func() { <-sem }()
				v, err := work(wctx, b)
				outs[b] <- out{v, err}
			}(b)
		}
	}()
	var err error
	for b := 0; b < n && err == nil; b++ {
		if skip != nil && skip(b) {
			var zero T
			err = use(b, zero, false)
			continue
		}
		o := <-outs[b]
		if o.err != nil {
			err = o.err
			break
		}
		err = use(b, o.v, true)
	}
	cancel()
	<-launched
	wg.Wait()
	return err
}
