package apps

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// DefaultCacheDir returns os.UserCacheDir()/securecoderl/datasets.
func DefaultCacheDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("apps: locating the cache directory: %w", err)
	}
	return filepath.Join(base, "securecoderl", "datasets"), nil
}

// CachePath returns where Download stores url: a file in cacheDir (or
// DefaultCacheDir when cacheDir is "") named by the hex SHA-256 of the URL.
func CachePath(url, cacheDir string) (string, error) {
	if cacheDir == "" {
		d, err := DefaultCacheDir()
		if err != nil {
			return "", err
		}
		cacheDir = d
	}
	sum := sha256.Sum256([]byte(url))
	return filepath.Join(cacheDir, hex.EncodeToString(sum[:])), nil
}

// Download fetches url into the cache (see CachePath) unless it is there
// already, and returns the cached file's path.
//
// With opts.SHA256 set, a cached file is used only if it matches (otherwise
// it is downloaded again), and a download that does not match is discarded
// and reported as an error naming the URL and both hashes. The body is
// written to a temporary file in the cache directory and renamed into place,
// so an interrupted download never leaves a partial file under the final
// name. opts.Refresh forces a new download.
func Download(ctx context.Context, url string, opts Options) (string, error) {
	if !isURL(url) {
		return "", fmt.Errorf("apps: download %q: not an http(s) URL", url)
	}
	path, err := CachePath(url, opts.CacheDir)
	if err != nil {
		return "", err
	}
	want := strings.ToLower(strings.TrimSpace(opts.SHA256))
	if !opts.Refresh {
		switch got, err := fileSHA256(path); {
		case err == nil && (want == "" || got == want):
			return path, nil
		case err != nil && !errors.Is(err, os.ErrNotExist):
			return "", fmt.Errorf("apps: cached copy of %s: %w", url, err)
		}
		// missing, or stale against the expected checksum: download
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", fmt.Errorf("apps: download %s: %w", url, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", fmt.Errorf("apps: download %s: %w", url, err)
	}
	client := opts.HTTPClient
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", fmt.Errorf("apps: download %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("apps: download %s: HTTP %s", url, resp.Status)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return "", fmt.Errorf("apps: download %s: %w", url, err)
	}
	keep := false
	defer func() {
		if !keep {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), resp.Body)
	if err != nil {
		return "", fmt.Errorf("apps: download %s: after %d bytes: %w", url, n, err)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return "", fmt.Errorf("apps: download %s: got %d bytes, expected %d", url, n, resp.ContentLength)
	}
	got := hex.EncodeToString(h.Sum(nil))
	if want != "" && got != want {
		return "", fmt.Errorf("apps: download %s: %w: expected %s, got %s", url, ErrChecksum, want, got)
	}
	if err := tmp.Chmod(0o644); err != nil {
		return "", fmt.Errorf("apps: download %s: %w", url, err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("apps: download %s: %w", url, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("apps: download %s: %w", url, err)
	}
	keep = true
	return path, nil
}
