package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/securecoderl/securecoderl/sandbox/server"
	"github.com/securecoderl/securecoderl/scanners"
)

// runServe serves the sandbox over HTTP (SandboxFusion's /run_code) until
// the context ends (SIGTERM, SIGINT), then drains: /ready fails, no new
// connection is accepted, runs in flight finish, the workers stop.
func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "serve [--addr 127.0.0.1:8080] [--workers N] [--token T] [--max-queue N] [--max-body BYTES]")
	var sf sandboxFlags
	sf.register(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address (host:port; port 0 picks a free one)")
	token := fs.String("token", "", "require Authorization: Bearer TOKEN on every request but /health (default: $SCRL_SERVE_TOKEN)")
	maxQueue := fs.Int("max-queue", 0, "requests waiting beyond the running ones before 429 (0: 4 × workers)")
	maxBody := fs.Int64("max-body", 8<<20, "largest request body in bytes (413 above)")
	maxStdin := fs.Int("max-stdin", 4<<20, "largest stdin in bytes (413 above)")
	maxRun := fs.Duration("max-run-timeout", 60*time.Second, "largest run_timeout a request may ask for")
	maxMem := fs.Int("max-memory", 4096, "largest memory_limit_MB a request may ask for (MiB)")
	drain := fs.Duration("drain-timeout", 2*time.Minute, "how long SIGTERM waits for runs in flight")
	scanner := fs.String("scanner", "native", "security scanner for POST /score: native, bandit, regex")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *token == "" {
		*token = os.Getenv("SCRL_SERVE_TOKEN")
	}
	if *maxBody <= 0 || *maxStdin <= 0 || *maxRun <= 0 || *maxMem <= 0 || *maxQueue < 0 {
		return usagef("--max-body, --max-stdin, --max-run-timeout and --max-memory must be positive, --max-queue not negative")
	}
	sc, err := scanners.New(*scanner, scanners.Options{})
	if err != nil {
		return usagef("--scanner: %v", err)
	}
	defer scanners.Close(sc)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usagef("--addr %s: %v", *addr, err)
	}
	pool, err := sf.pool(ctx)
	if err != nil {
		ln.Close()
		return err
	}
	defer pool.Close()
	srv := server.New(pool, server.Config{Scanner: sc, Token: *token, MaxQueue: *maxQueue, MaxBodyBytes: *maxBody, MaxStdinBytes: *maxStdin,
		DefaultRunTimeout: sf.timeout, MaxRunTimeout: *maxRun, MaxMemoryMB: *maxMem})
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	auth := "no token"
	if *token != "" {
		auth = "bearer token required"
	}
	fmt.Fprintf(e.stderr, "serve: http://%s (%d %s workers, %s; POST /run_code /score, GET /health /ready /metrics)\n",
		ln.Addr(), pool.Workers(), pool.Mode(), auth)
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	srv.Drain()
	fmt.Fprintln(e.stderr, "serve: draining (runs in flight finish; new connections refused)")
	sctx, cancel := context.WithTimeout(context.Background(), *drain)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		hs.Close()
		return fmt.Errorf("serve: drain: %w (runs still in flight after %s were cut off)", err, *drain)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	fmt.Fprintln(e.stderr, "serve: drained")
	return nil
}
