package apps

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// fileServer serves body at /data.json.gz (and 404 elsewhere), counting
// requests.
func fileServer(t *testing.T, body *atomic.Value) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path != "/data.json.gz" {
			http.NotFound(w, r)
			return
		}
		w.Write(body.Load().([]byte))
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func TestLoadURLCachesAndVerifies(t *testing.T) {
	data, err := os.ReadFile("testdata/apps_plus_data.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	good := hex.EncodeToString(sum[:])
	var body atomic.Value
	body.Store(data)
	srv, hits := fileServer(t, &body)
	url := srv.URL + "/data.json.gz"
	cache := t.TempDir()
	ctx := context.Background()
	opts := Options{CacheDir: cache, SHA256: good, HTTPClient: srv.Client()}

	// The cache file is named by the SHA-256 of the URL.
	path, err := CachePath(url, cache)
	if err != nil {
		t.Fatal(err)
	}
	us := sha256.Sum256([]byte(url))
	if want := filepath.Join(cache, hex.EncodeToString(us[:])); path != want {
		t.Fatalf("CachePath = %s, want %s", path, want)
	}

	ps, rep, err := LoadURL(ctx, url, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 4 || ps[0].Source != url || rep.Source != url || rep.Path != path || rep.SHA256 != good || !rep.Gzip {
		t.Fatalf("first load: %d problems, report %+v", len(ps), rep)
	}
	if hits.Load() != 1 {
		t.Fatalf("hits = %d after the first load", hits.Load())
	}
	// Second load: from the cache, through Load's URL dispatch.
	if _, _, err := Load(ctx, url, opts); err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 1 {
		t.Fatalf("hits = %d: the cached copy was not used", hits.Load())
	}
	// Refresh downloads again.
	if _, err := Download(ctx, url, Options{CacheDir: cache, Refresh: true, HTTPClient: srv.Client()}); err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 2 {
		t.Fatalf("hits = %d after Refresh", hits.Load())
	}
	// No temporary files are left behind.
	entries, _ := os.ReadDir(cache)
	if len(entries) != 1 {
		t.Fatalf("cache holds %d entries: %v", len(entries), entries)
	}

	// A corrupted cached copy is replaced when a checksum is expected.
	if err := os.WriteFile(path, []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadURL(ctx, url, opts); err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 3 {
		t.Fatalf("hits = %d: the stale cached copy was used", hits.Load())
	}
	if got, _ := fileSHA256(path); got != good {
		t.Fatalf("cached copy has sha256 %s, want %s", got, good)
	}
}

func TestDownloadChecksumMismatch(t *testing.T) {
	var body atomic.Value
	body.Store([]byte("not the data you expected"))
	srv, _ := fileServer(t, &body)
	url := srv.URL + "/data.json.gz"
	cache := t.TempDir()
	want := strings.Repeat("ab", 32)
	sum := sha256.Sum256([]byte("not the data you expected"))
	got := hex.EncodeToString(sum[:])

	_, _, err := LoadURL(context.Background(), url, Options{CacheDir: cache, SHA256: want, HTTPClient: srv.Client()})
	if !errors.Is(err, ErrChecksum) {
		t.Fatalf("err = %v, want ErrChecksum", err)
	}
	for _, s := range []string{url, want, got} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %s", err, s)
		}
	}
	// Nothing is cached, not even a temporary file.
	if entries, _ := os.ReadDir(cache); len(entries) != 0 {
		t.Fatalf("cache holds %v after a failed download", entries)
	}
}

func TestDownloadFailures(t *testing.T) {
	var body atomic.Value
	body.Store([]byte("x"))
	srv, _ := fileServer(t, &body)
	cache := t.TempDir()
	ctx := context.Background()
	opts := Options{CacheDir: cache, HTTPClient: srv.Client()}

	_, _, err := LoadURL(ctx, srv.URL+"/missing", opts)
	if err == nil || !strings.Contains(err.Error(), "404") || !strings.Contains(err.Error(), srv.URL+"/missing") {
		t.Fatalf("404: err = %v", err)
	}

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Download(cancelled, srv.URL+"/data.json.gz", opts); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: err = %v", err)
	}

	// A server that goes away: connection refused.
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL + "/data.json"
	dead.Close()
	if _, err := Download(ctx, deadURL, Options{CacheDir: cache}); err == nil || !strings.Contains(err.Error(), deadURL) {
		t.Fatalf("dead server: err = %v", err)
	}

	// A body cut short of its Content-Length.
	short := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.Write([]byte("only ten.."))
	}))
	defer short.Close()
	if _, err := Download(ctx, short.URL+"/d", Options{CacheDir: cache, HTTPClient: short.Client()}); err == nil || !strings.Contains(err.Error(), short.URL+"/d") {
		t.Fatalf("short body: err = %v", err)
	}

	if _, err := Download(ctx, "ftp://example.com/x", opts); err == nil {
		t.Fatal("ftp URL accepted")
	}
	if entries, _ := os.ReadDir(cache); len(entries) != 0 {
		t.Fatalf("cache holds %v after failed downloads", entries)
	}
}

func TestDefaultCacheDir(t *testing.T) {
	base, err := os.UserCacheDir()
	if err != nil {
		t.Skip(err)
	}
	d, err := DefaultCacheDir()
	if err != nil {
		t.Fatal(err)
	}
	if d != filepath.Join(base, "securecoderl", "datasets") {
		t.Fatalf("DefaultCacheDir = %s", d)
	}
	p, err := CachePath("https://example.com/data.json", "")
	if err != nil || filepath.Dir(p) != d {
		t.Fatalf("CachePath = %s, %v", p, err)
	}
}
