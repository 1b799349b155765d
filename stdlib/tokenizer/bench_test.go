package tokenizer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// benchText is Python-heavy text: the golden corpus, repeated.
func benchText(b *testing.B) string {
	var corpus goldenCorpus
	readJSONFile(b, "testdata/golden/corpus.json", &corpus)
	var sb strings.Builder
	for _, c := range corpus.Cases {
		sb.WriteString(c.Text)
		sb.WriteString("\n")
	}
	return sb.String()
}

// BenchmarkEncode reports tokens/s of each golden tokenizer with a warm
// word cache (the steady state on training data) and a cold one.
func BenchmarkEncode(b *testing.B) {
	text := benchText(b)
	variants, all := goldenVariants(b)
	for _, v := range variants {
		if v.Package == "" {
			continue
		}
		tok := loadVariant(b, v, all).tok
		n := len(tok.Encode(text, false))
		b.Run(v.Name+"/warm", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				tok.Encode(text, false)
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "tokens/s")
		})
		b.Run(v.Name+"/cold", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				tok.model.cache.init()
				tok.Encode(text, false)
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
	bt := NewByteTokenizer()
	b.Run("byte", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			bt.Encode(text, false)
		}
		b.ReportMetric(float64(len(text)*b.N)/b.Elapsed().Seconds(), "tokens/s")
	})
}

// BenchmarkDecode decodes the llama3 ids of the corpus.
func BenchmarkDecode(b *testing.B) {
	text := benchText(b)
	_, all := goldenVariants(b)
	tok := loadVariant(b, all["llama3"], all).tok
	ids := tok.Encode(text, false)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		tok.Decode(ids, false)
	}
}

// BenchmarkLoad measures reading the Llama-3 tokenizer.json.
func BenchmarkLoad(b *testing.B) {
	_, all := goldenVariants(b)
	path := packageFile(b, all["llama3"].Package, "models/tokenizer.json")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := FromJSON(data); err != nil {
			b.Fatal(err)
		}
	}
}

// appsText is the text of the shared APPS data (statements and solutions),
// when present ($SCRL_DATA_DIR or ../../../shared/data).
func appsText(b *testing.B) string {
	dir := os.Getenv("SCRL_DATA_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data")
	}
	data, err := os.ReadFile(filepath.Join(dir, "apps", "apps_train_codechain150.jsonl"))
	if err != nil {
		b.Skipf("shared APPS data not present: %v", err)
	}
	var sb strings.Builder
	for _, line := range strings.Split(string(data), "\n") {
		var r struct {
			Question  string `json:"question"`
			Solutions string `json:"solutions"`
		}
		if json.Unmarshal([]byte(line), &r) != nil {
			continue
		}
		var sols []string
		_ = json.Unmarshal([]byte(r.Solutions), &sols)
		sb.WriteString(r.Question)
		for _, s := range sols {
			sb.WriteString(s)
		}
	}
	return sb.String()
}

// BenchmarkEncodeAPPS encodes the APPS training slice (about 4 MB of
// statements and Python solutions) with Llama-3, from a cold word cache, on
// one goroutine and on GOMAXPROCS goroutines.
func BenchmarkEncodeAPPS(b *testing.B) {
	text := appsText(b)
	_, all := goldenVariants(b)
	tok := loadVariant(b, all["llama3"], all).tok
	chunks := strings.SplitAfter(text, "\n\n")
	n := len(tok.Encode(text, false))
	b.Logf("%d bytes, %d tokens, %d chunks", len(text), n, len(chunks))
	b.Run("serial", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			tok.model.cache.init()
			for _, c := range chunks {
				tok.Encode(c, false)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "tokens/s")
	})
	b.Run("parallel", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			tok.model.cache.init()
			var wg sync.WaitGroup
			next := make(chan string)
			for range runtime.GOMAXPROCS(0) {
				wg.Go(func() {
					for c := range next {
						tok.Encode(c, false)
					}
				})
			}
			for _, c := range chunks {
				next <- c
			}
			close(next)
			wg.Wait()
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "tokens/s")
	})
}
