package tokenizer

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/byte/tokenizer.json")

// The checked-in byte/tokenizer.json is what gen.js feeds to the Rust
// library; it must stay what JSON writes.
func TestByteTokenizerJSONFile(t *testing.T) {
	data, err := NewByteTokenizer().JSON()
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, '\n')
	path := filepath.Join("testdata", "golden", "byte", "tokenizer.json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(old, data) {
		t.Fatalf("%s is stale: run go test -run TestByteTokenizerJSONFile -update, then testdata/golden/gen.sh", path)
	}
}

var byteCases = []struct {
	name, text string
	want       []int // without addSpecial; nil: the bytes
}{
	{"empty", "", []int{}},
	{"ascii", "hi\n", nil},
	{"utf8", "é😀", nil},
	{"invalid utf8", "a\xffb\xc3", nil},
	{"bos in text", "x<|bos|>y", []int{'x', 256, 'y'}},
	{"all specials", "<|eos|><|pad|><|bos|>", []int{257, 258, 256}},
	{"near miss", "<|bos|", nil},
	{"nested", "<<|eos|>>", []int{'<', 257, '>'}},
}

func TestByteTokenizer(t *testing.T) {
	bt := NewByteTokenizer()
	loaded, err := func() (*HF, error) {
		data, err := bt.JSON()
		if err != nil {
			return nil, err
		}
		return FromJSON(data)
	}()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range byteCases {
		t.Run(c.name, func(t *testing.T) {
			want := c.want
			if want == nil {
				want = []int{}
				for i := 0; i < len(c.text); i++ {
					want = append(want, int(c.text[i]))
				}
			}
			for _, tok := range []Tokenizer{bt, loaded} {
				got := tok.Encode(c.text, false)
				if !slices.Equal(got, want) {
					t.Errorf("%T.Encode(%q) = %v, want %v", tok, c.text, got, want)
				}
				if got := tok.Encode(c.text, true); !slices.Equal(got, append([]int{256}, want...)) {
					t.Errorf("%T.Encode(%q, true) = %v", tok, c.text, got)
				}
				if got := tok.Decode(want, false); got != c.text {
					t.Errorf("%T.Decode = %q, want %q", tok, got, c.text)
				}
			}
		})
	}
	for _, tok := range []Tokenizer{bt, loaded} {
		if tok.VocabSize() != 259 || tok.BOS() != 256 || tok.EOS() != 257 || tok.PAD() != 258 {
			t.Errorf("%T: vocab %d bos %d eos %d pad %d", tok, tok.VocabSize(), tok.BOS(), tok.EOS(), tok.PAD())
		}
		if got := tok.Decode([]int{256, 'a', 257, 258, 999, -1}, true); got != "a" {
			t.Errorf("%T: Decode(skipSpecial) = %q", tok, got)
		}
		for id := range 259 {
			s, ok := tok.IDToToken(id)
			back, ok2 := tok.TokenToID(s)
			if !ok || !ok2 || back != id {
				t.Errorf("%T: id %d -> %q -> %d", tok, id, s, back)
			}
		}
	}
	if id, _ := bt.TokenToID("Ġ"); id != ' ' {
		t.Errorf("TokenToID(Ġ) = %d, want 32", id)
	}
}

func TestByteTokenizerExtraSpecials(t *testing.T) {
	bt := NewByteTokenizer("<|user|>", "<|bos|>", "<|assistant|>")
	if bt.VocabSize() != 261 {
		t.Fatalf("VocabSize = %d", bt.VocabSize())
	}
	if got := bt.Encode("<|user|>hi<|assistant|>", false); !slices.Equal(got, []int{259, 'h', 'i', 260}) {
		t.Fatalf("Encode = %v", got)
	}
	data, err := bt.JSON()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "tokenizer.json")
	if err := bt.Save(path); err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	if onDisk, _ := os.ReadFile(path); !bytes.Equal(bytes.TrimSpace(onDisk), data) {
		t.Error("Save wrote something else than JSON")
	}
	if got := loaded.Encode("<|user|>hi<|assistant|>", true); !slices.Equal(got, []int{256, 259, 'h', 'i', 260}) {
		t.Fatalf("loaded Encode = %v", got)
	}
}

// FuzzByteTokenizer checks that the native and the loaded byte tokenizers
// agree and round-trip any string.
func FuzzByteTokenizer(f *testing.F) {
	for _, c := range byteCases {
		f.Add(c.text)
	}
	bt := NewByteTokenizer()
	data, err := bt.JSON()
	if err != nil {
		f.Fatal(err)
	}
	loaded, err := FromJSON(data)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, b := bt.Encode(s, true), loaded.Encode(s, true)
		if !slices.Equal(a, b) {
			t.Fatalf("native %v, loaded %v", a, b)
		}
		if got := loaded.Decode(b[1:], false); got != s {
			t.Fatalf("round trip %q -> %q", s, got)
		}
	})
}
