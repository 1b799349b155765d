package apps

import (
	"context"
	_ "embed"
)

// defaultJSONL is the embedded default problem set, in the APPS row schema.
// It is written by embedded/gen/gen.py; treat it as read-only.
//
//go:embed embedded/default.jsonl
var defaultJSONL []byte

// Default returns the embedded default problem set: stdin problems written
// for this project (not taken from APPS), spanning the three APPS
// difficulties, each with tests and a reference solution. Their Source is
// EmbeddedSource.
func Default() ([]Problem, error) {
	ps, _, err := parseBytes(context.Background(), defaultJSONL, EmbeddedSource, Options{Strict: true})
	return ps, err
}
