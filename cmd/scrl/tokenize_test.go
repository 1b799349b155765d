package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestTokenizeByte(t *testing.T) {
	code, out, errOut := runCLI(t, "tokenize", "--tokenizer", "byte", "--json", "def f():\n\treturn 1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r struct {
		IDs []int `json:"ids"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.IDs) != len("def f():\n\treturn 1") || r.IDs[0] != 'd' {
		t.Fatalf("ids %v", r.IDs)
	}
	ids := make([]string, len(r.IDs))
	for i, id := range r.IDs {
		b, _ := json.Marshal(id)
		ids[i] = string(b)
	}
	code, out, errOut = runCLI(t, "tokenize", "--tokenizer", "byte", "--decode", strings.Join(ids, " "))
	if code != 0 || strings.TrimRight(out, "\n") != "def f():\n\treturn 1" {
		t.Fatalf("decode: exit %d out %q err %s", code, out, errOut)
	}
	if code, _, _ := runCLI(t, "tokenize", "--tokenizer", "/nonexistent/tokenizer.json", "x"); code == 0 {
		t.Fatal("a missing tokenizer file must fail")
	}
}
