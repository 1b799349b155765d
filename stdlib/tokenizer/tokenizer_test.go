package tokenizer

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A SentencePiece-like BPE (Prepend and Replace normalizers, byte fallback,
// unknown tokens, a Replace/ByteFallback/Fuse/Strip decoder). The expected
// values come from the Hugging Face tokenizers library 0.23.2.
func TestSentencePieceLikeBPE(t *testing.T) {
	cases := []struct {
		file, text       string
		ids              []int // with addSpecial
		decoded, skipped string
	}{
		{"spm_like.json", "hello", []int{1, 269}, "<s> hello", "hello"},
		{"spm_like.json", "hello world", []int{1, 269, 271, 263, 272, 262, 273}, "<s> hello world", "hello world"},
		{"spm_like.json", "héllo", []int{1, 264, 198, 172, 268}, "<s> héllo", "héllo"},
		{"spm_like.json", "<s>hi</s> hello", []int{1, 1, 264, 108, 2, 259, 269}, "<s><s> hi</s>  hello", "hi  hello"},
		{"spm_like.json", "", []int{1}, "<s>", ""},
		{"spm_like.json", "  lo", []int{1, 259, 259, 259, 262, 263}, "<s>   lo", "  lo"},
		{"spm_like.json", "ééx", []int{1, 259, 198, 172, 198, 172, 123}, "<s> ééx", "ééx"},
		{"spm_like_unk.json", "héllo", []int{1, 264, 0, 268}, "<s> h<unk>llo", "hllo"},
		{"spm_like_unk.json", "<s>hi</s> hello", []int{1, 1, 264, 0, 2, 259, 269}, "<s><s> h<unk></s>  hello", "h  hello"},
		{"spm_like_unk.json", "ééx", []int{1, 259, 0}, "<s> <unk>", ""},
		{"spm_like_unk_nofuse.json", "ééx", []int{1, 259, 0, 0, 0}, "<s> <unk><unk><unk>", ""},
	}
	for _, c := range cases {
		t.Run(c.file+"/"+c.text, func(t *testing.T) {
			tok, err := Load(filepath.Join("testdata", "tiny", c.file))
			if err != nil {
				t.Fatal(err)
			}
			if got := tok.Encode(c.text, true); !slices.Equal(got, c.ids) {
				t.Errorf("Encode = %v, want %v", got, c.ids)
			}
			if got := tok.Encode(c.text, false); !slices.Equal(got, c.ids[1:]) {
				t.Errorf("Encode(no special) = %v, want %v", got, c.ids[1:])
			}
			if got := tok.Decode(c.ids, false); got != c.decoded {
				t.Errorf("Decode = %q, want %q", got, c.decoded)
			}
			if got := tok.Decode(c.ids, true); got != c.skipped {
				t.Errorf("Decode(skipSpecial) = %q, want %q", got, c.skipped)
			}
		})
	}
}

// writeTokenizerDir writes the byte tokenizer's JSON and the given configs.
func writeTokenizerDir(t *testing.T, configs map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if err := NewByteTokenizer().Save(filepath.Join(dir, "tokenizer.json")); err != nil {
		t.Fatal(err)
	}
	for name, body := range configs {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestConfigs(t *testing.T) {
	cases := []struct {
		name           string
		configs        map[string]string
		prefix, suffix []int
		bos, eos, pad  int
		eosIDs         []int
		err            string
	}{
		{name: "none", prefix: []int{256}, bos: 256, eos: 257, pad: 258, eosIDs: []int{257}},
		{name: "add eos, not bos",
			configs: map[string]string{"tokenizer_config.json": `{"bos_token": "<|bos|>", "eos_token": {"__type": "AddedToken", "content": "<|eos|>"}, "add_bos_token": false, "add_eos_token": true}`},
			suffix:  []int{257}, bos: 256, eos: 257, pad: 258, eosIDs: []int{257}},
		{name: "llama class adds bos",
			configs: map[string]string{"tokenizer_config.json": `{"tokenizer_class": "LlamaTokenizerFast", "bos_token": "<|pad|>", "eos_token": "<|bos|>", "pad_token": null}`},
			prefix:  []int{258}, bos: 258, eos: 256, pad: 258, eosIDs: []int{256}},
		{name: "generation config",
			configs: map[string]string{"generation_config.json": `{"bos_token_id": 256, "eos_token_id": [258, 257], "pad_token_id": null}`},
			prefix:  []int{256}, bos: 256, eos: 258, pad: 258, eosIDs: []int{258, 257}},
		{name: "unknown token",
			configs: map[string]string{"tokenizer_config.json": `{"bos_token": "<nope>"}`},
			err:     `bos_token "<nope>" is not a token`},
		{name: "bad json",
			configs: map[string]string{"generation_config.json": `{"eos_token_id": "x"}`},
			err:     "generation_config.json"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok, err := Load(writeTokenizerDir(t, c.configs))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(tok.SpecialPrefix(), c.prefix) || !slices.Equal(tok.SpecialSuffix(), c.suffix) {
				t.Errorf("prefix %v suffix %v, want %v %v", tok.SpecialPrefix(), tok.SpecialSuffix(), c.prefix, c.suffix)
			}
			if tok.BOS() != c.bos || tok.EOS() != c.eos || tok.PAD() != c.pad || !slices.Equal(tok.EOSIDs(), c.eosIDs) {
				t.Errorf("bos %d eos %d pad %d eosIDs %v, want %d %d %d %v", tok.BOS(), tok.EOS(), tok.PAD(), tok.EOSIDs(), c.bos, c.eos, c.pad, c.eosIDs)
			}
			want := append(append(slices.Clone(c.prefix), 'h', 'i'), c.suffix...)
			if got := tok.Encode("hi", true); !slices.Equal(got, want) {
				t.Errorf("Encode(hi, true) = %v, want %v", got, want)
			}
		})
	}
}

func TestUnsupported(t *testing.T) {
	base, err := NewByteTokenizer().JSON()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ old, new, err string }{
		{`"type": "BPE"`, `"type": "WordPiece"`, `unsupported model "WordPiece"`},
		{`"normalizer": null`, `"normalizer": {"type": "Precompiled"}`, `unsupported normalizer "Precompiled"`},
		{`"pre_tokenizer": {`, `"pre_tokenizer": {"type": "Metaspace"}, "x": {`, `unsupported pre_tokenizer "Metaspace"`},
		{`"decoder": {`, `"decoder": {"type": "CTC"}, "y": {`, `unsupported decoder "CTC"`},
		{`"pre_tokenizer": {`, `"pre_tokenizer": {"type": "Split", "pattern": {"Regex": "(?<"}, "behavior": "Isolated"}, "x": {`, `regex "(?<"`},
		{`"merges": []`, `"merges": ["zz b"]`, `merge 0 ("zz" "b"): token not in the vocab`},
		{`"merges": []`, `"merges": ["a b"]`, `merge 0 ("a" "b"): "ab" is not in the vocab`},
	}
	for _, c := range cases {
		data := strings.Replace(string(base), c.old, c.new, 1)
		if data == string(base) {
			t.Fatalf("%q not found", c.old)
		}
		_, err := FromJSON([]byte(data))
		if err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("err = %v, want %q", err, c.err)
		}
	}
}

func TestEncodeOrdinary(t *testing.T) {
	data, err := NewByteTokenizer().JSON()
	if err != nil {
		t.Fatal(err)
	}
	tok, err := FromJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	text := "a<|eos|>"
	if got := tok.Encode(text, false); !slices.Equal(got, []int{'a', 257}) {
		t.Errorf("Encode = %v", got)
	}
	want := []int{}
	for i := 0; i < len(text); i++ {
		want = append(want, int(text[i]))
	}
	if got := tok.EncodeOrdinary(text, false); !slices.Equal(got, want) {
		t.Errorf("EncodeOrdinary = %v, want %v", got, want)
	}
	if got := NewByteTokenizer().EncodeOrdinary(text, true); !slices.Equal(got, append([]int{256}, want...)) {
		t.Errorf("ByteTokenizer.EncodeOrdinary = %v", got)
	}
}

// TestConcurrentEncode runs Encode from several goroutines (run with -race).
func TestConcurrentEncode(t *testing.T) {
	tok, err := Load(filepath.Join("testdata", "tiny", "spm_like.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := tok.Encode("hello world héllo", true)
	done := make(chan []int)
	for range 8 {
		go func() {
			var got []int
			for range 200 {
				got = tok.Encode("hello world héllo", true)
			}
			done <- got
		}()
	}
	for range 8 {
		if got := <-done; !slices.Equal(got, want) {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}
