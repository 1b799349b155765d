package study

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/securecoderl/securecoderl/sandbox"
)

func TestTableIII(t *testing.T) {
	if _, err := os.Stat("/usr/bin/python3"); err != nil {
		t.Skip("/usr/bin/python3 not installed")
	}
	pool, err := sandbox.New(context.Background(), sandbox.Config{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	rows, err := TableIII(context.Background(), pool)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ partial, seed float64 }{{0, 0}, {0.2, 0.2}, {0.4, 0.4}, {0.6, 0.6}, {0.6 + 0.4*2.0/3, 0.6 + 0.4*2.0/3}, {1, 1}, {0.2, 0.4}}
	for i, r := range rows {
		if d := r.Partial.Value - want[i].partial; d > 1e-9 || d < -1e-9 {
			t.Errorf("%s: partial %v, want %v", r.Rung.What, r.Partial.Value, want[i].partial)
		}
		if d := r.Seed.Value - want[i].seed; d > 1e-9 || d < -1e-9 {
			t.Errorf("%s: seed %v, want %v", r.Rung.What, r.Seed.Value, want[i].seed)
		}
	}
}

func TestPublishedTableIV(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "data", "study", "tables.json")
	if env := os.Getenv("SCRL_DATA_DIR"); env != "" {
		path = filepath.Join(env, "study", "tables.json")
	}
	if _, err := os.Stat(path); err != nil {
		t.Skip("shared data not present:", path)
	}
	caption, rows, err := PublishedTableIV(path)
	if err != nil {
		t.Fatal(err)
	}
	if caption == "" || len(rows) != 4 || rows[0].Policy != "SFT Baseline" || rows[3].Policy != "PPO-continue" || rows[3].AnyPassPct != 5 {
		t.Errorf("table IV %q %+v", caption, rows)
	}
	if _, _, err := PublishedTableIV(filepath.Join(t.TempDir(), "none.json")); err == nil {
		t.Error("a missing file gave no error")
	}
}
