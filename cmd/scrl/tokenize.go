package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/securecoderl/securecoderl/stdlib/tokenizer"
)

// runTokenize is `scrl tokenize`: text to ids and tokens, or ids to text.
func runTokenize(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "tokenize", "tokenize --tokenizer PATH|byte [--json] [--special] [--ordinary] TEXT...\n       scrl tokenize --tokenizer PATH|byte --decode [--skip-special] [--json] ID...\n\nTEXT (joined with spaces) or, with none, standard input. IDs: numbers separated by spaces or commas, or a JSON array.")
	path := fs.String("tokenizer", os.Getenv("SCRL_TOKENIZER"), "a tokenizer.json (or its directory), or \"byte\" for the built-in byte tokenizer (env SCRL_TOKENIZER)")
	asJSON := fs.Bool("json", false, "print JSON")
	decode := fs.Bool("decode", false, "decode ids to text")
	special := fs.Bool("special", false, "add the special tokens the tokenizer adds to a sequence (such as BOS)")
	ordinary := fs.Bool("ordinary", false, "encode special tokens written in the text as plain text")
	skipSpecial := fs.Bool("skip-special", false, "with --decode: leave special tokens out")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *path == "" {
		return usagef("--tokenizer is required (a tokenizer.json, its directory, or \"byte\")")
	}
	tok, err := loadTokenizer(*path)
	if err != nil {
		return err
	}
	input := strings.Join(pos, " ")
	if len(pos) == 0 {
		b, err := io.ReadAll(e.stdin)
		if err != nil {
			return fmt.Errorf("read standard input: %w", err)
		}
		input = string(b)
	}
	if *decode {
		ids, err := parseIDs(input)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if _, ok := tok.IDToToken(id); !ok {
				return usagef("id %d is not in the vocabulary (size %d)", id, tok.VocabSize())
			}
		}
		text := tok.Decode(ids, *skipSpecial)
		if *asJSON {
			return writeJSON(e.stdout, map[string]any{"tokenizer": *path, "ids": ids, "text": text})
		}
		_, err = fmt.Fprintln(e.stdout, text)
		return err
	}
	var ids []int
	if *ordinary {
		o, ok := tok.(interface{ EncodeOrdinary(string, bool) []int })
		if !ok {
			return usagef("--ordinary: not supported by this tokenizer")
		}
		ids = o.EncodeOrdinary(input, *special)
	} else {
		ids = tok.Encode(input, *special)
	}
	tokens := make([]string, len(ids))
	texts := make([]string, len(ids))
	for i, id := range ids {
		tokens[i], _ = tok.IDToToken(id)
		texts[i] = tok.Decode([]int{id}, false)
	}
	if *asJSON {
		return writeJSON(e.stdout, map[string]any{"tokenizer": *path, "count": len(ids), "ids": ids, "tokens": tokens, "texts": texts})
	}
	fmt.Fprintf(e.stdout, "%d tokens\n", len(ids))
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "id\ttoken\ttext")
	for i, id := range ids {
		fmt.Fprintf(w, "%d\t%s\t%q\n", id, tokens[i], texts[i])
	}
	return w.Flush()
}

func loadTokenizer(path string) (tokenizer.Tokenizer, error) {
	if path == "byte" {
		return tokenizer.NewByteTokenizer(), nil
	}
	return tokenizer.Load(path)
}

// parseIDs reads "1 2 3", "1,2,3" or "[1, 2, 3]".
func parseIDs(s string) ([]int, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "[") {
		var ids []int
		if err := json.Unmarshal([]byte(s), &ids); err != nil {
			return nil, usagef("ids: %v", err)
		}
		return ids, nil
	}
	var ids []int
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' }) {
		id, err := strconv.Atoi(f)
		if err != nil {
			return nil, usagef("ids: %q is not a number", f)
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return nil, usagef("no ids to decode")
	}
	return ids, nil
}
