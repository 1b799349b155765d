package tokenizer

import (
	"context"
	"strings"
	"testing"
)

func TestTrainBPERoundTrip(t *testing.T) {
	texts := []string{
		"def add(a, b):\n    return a + b\n\nprint(add(12, 345))\n",
		"for i in range(10):\n    print(i * i)\n",
		"n = int(input())\na = list(map(int, input().split()))\nprint(sum(a))\n",
		"The first line contains n (1 <= n <= 100). Print the sum.\n",
	}
	var corpus []string
	for i := 0; i < 20; i++ {
		corpus = append(corpus, texts...)
	}
	data, st, err := TrainBPE(context.Background(), corpus, TrainOptions{VocabSize: 300})
	if err != nil {
		t.Fatal(err)
	}
	if st.Merges == 0 || st.Tokens >= st.Bytes {
		t.Fatalf("no compression: %+v", st)
	}
	tok, err := FromJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	if tok.BOS() != 256 || tok.EOS() != 257 || tok.PAD() != 258 || tok.VocabSize() != 259+st.Merges {
		t.Fatalf("specials %d %d %d, vocab %d (merges %d)", tok.BOS(), tok.EOS(), tok.PAD(), tok.VocabSize(), st.Merges)
	}
	total := 0
	for _, s := range append(texts, "ünïcode ✓ 0123456789 <|eos|> \t\r\n  x", "", "   ") {
		ids := tok.EncodeOrdinary(s, false)
		total += len(ids)
		if got := tok.Decode(ids, false); got != s {
			t.Errorf("round trip %q -> %v -> %q", s, ids, got)
		}
		if ids2 := tok.EncodeOrdinary(s, true); len(ids2) != len(ids)+1 || ids2[0] != 256 {
			t.Errorf("addSpecial does not prepend <|bos|>: %v", ids2)
		}
	}
	// Digits are never merged.
	for _, id := range tok.EncodeOrdinary("1234567890", false) {
		if s := tok.Decode([]int{id}, false); len(s) != 1 {
			t.Errorf("digit token %q", s)
		}
	}
	if !strings.Contains(string(data), `"merges"`) {
		t.Fatal("no merges in the JSON")
	}
}

func TestTrainBPEDeterministic(t *testing.T) {
	var corpus []string
	for i := 0; i < 50; i++ {
		corpus = append(corpus, strings.Repeat("print(sum(map(int, input().split())))\n", i%3+1), "for x in range(10):\n    y = x * x\n")
	}
	a, _, err := TrainBPE(context.Background(), corpus, TrainOptions{VocabSize: 320})
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := TrainBPE(context.Background(), corpus, TrainOptions{VocabSize: 320})
	if string(a) != string(b) {
		t.Fatal("two trainings on the same texts differ")
	}
	if _, _, err := TrainBPE(context.Background(), corpus, TrainOptions{VocabSize: 100}); err == nil || !strings.Contains(err.Error(), "smaller than") {
		t.Fatalf("vocabulary below the byte and special tokens: %v", err)
	}
}
