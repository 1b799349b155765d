package tokenizer

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// decoder turns tokens into text, as tokenizers' Decoder::decode_chain does.
type decoder interface {
	decodeChain(toks []string) []string
}

func concat(toks []string) string { return strings.Join(toks, "") }

func joinSpace(toks []string) string { return strings.Join(toks, " ") }

type decSeq []decoder

func (d decSeq) decodeChain(toks []string) []string {
	for _, x := range d {
		toks = x.decodeChain(toks)
	}
	return toks
}

// decByteLevel maps byte-level characters back to bytes. Tokens with other
// characters (such as most added tokens) stand for their own UTF-8 bytes.
// The bytes are kept as they are, not made valid UTF-8.
type decByteLevel struct{}

func (decByteLevel) decodeChain(toks []string) []string {
	var buf []byte
	for _, t := range toks {
		if b, ok := byteLevelDecode(t); ok {
			buf = append(buf, b...)
		} else {
			buf = append(buf, t...)
		}
	}
	return []string{string(buf)}
}

// decByteFallback turns runs of <0xXX> tokens into their bytes; a run that is
// not valid UTF-8 becomes one U+FFFD per byte, as in tokenizers.
type decByteFallback struct{}

func (decByteFallback) decodeChain(toks []string) []string {
	var out []string
	var pending []byte
	flush := func() {
		if len(pending) == 0 {
			return
		}
		if utf8.Valid(pending) {
			out = append(out, string(pending))
		} else {
			for range pending {
				out = append(out, "\uFFFD")
			}
		}
		pending = pending[:0]
	}
	for _, t := range toks {
		if len(t) == 6 && strings.HasPrefix(t, "<0x") && t[5] == '>' {
			if b, err := strconv.ParseUint(t[3:5], 16, 8); err == nil {
				pending = append(pending, byte(b))
				continue
			}
		}
		flush()
		out = append(out, t)
	}
	flush()
	return out
}

type decFuse struct{}

func (decFuse) decodeChain(toks []string) []string { return []string{concat(toks)} }

type decStrip struct {
	content     string
	start, stop int
}

func (d decStrip) decodeChain(toks []string) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		for n := 0; n < d.start && strings.HasPrefix(t, d.content); n++ {
			t = t[len(d.content):]
		}
		for n := 0; n < d.stop && strings.HasSuffix(t, d.content); n++ {
			t = t[:len(t)-len(d.content)]
		}
		out[i] = t
	}
	return out
}

type decReplace struct {
	m       matcher
	content string
}

func (d decReplace) decodeChain(toks []string) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = replaceAll(d.m, t, d.content)
	}
	return out
}

func buildDecoder(raw json.RawMessage) (decoder, error) {
	if isNull(raw) {
		return nil, nil
	}
	var c struct {
		Type     string            `json:"type"`
		Decoders []json.RawMessage `json:"decoders"`
		Content  string            `json:"content"`
		Start    int               `json:"start"`
		Stop     int               `json:"stop"`
		Pattern  patternJSON       `json:"pattern"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("decoder: %w", err)
	}
	switch c.Type {
	case "Sequence":
		var seq decSeq
		for _, r := range c.Decoders {
			d, err := buildDecoder(r)
			if err != nil {
				return nil, err
			}
			if d != nil {
				seq = append(seq, d)
			}
		}
		if len(seq) == 1 {
			return seq[0], nil
		}
		return seq, nil
	case "ByteLevel":
		return decByteLevel{}, nil
	case "ByteFallback":
		return decByteFallback{}, nil
	case "Fuse":
		return decFuse{}, nil
	case "Strip":
		return decStrip{c.Content, c.Start, c.Stop}, nil
	case "Replace":
		m, err := c.Pattern.matcher()
		if err != nil {
			return nil, fmt.Errorf("Replace decoder: %w", err)
		}
		return decReplace{m, c.Content}, nil
	}
	return nil, fmt.Errorf("unsupported decoder %q", c.Type)
}

// --- post-processors ---------------------------------------------------------

// buildPostProcessor returns the ids a single sequence gets before and after
// it when special tokens are added.
func buildPostProcessor(raw json.RawMessage) (prefix, suffix []int, err error) {
	if isNull(raw) {
		return nil, nil, nil
	}
	var c struct {
		Type       string            `json:"type"`
		Processors []json.RawMessage `json:"processors"`
		Single     []struct {
			SpecialToken *struct {
				ID string `json:"id"`
			} `json:"SpecialToken"`
			Sequence *struct {
				ID string `json:"id"`
			} `json:"Sequence"`
		} `json:"single"`
		SpecialTokens map[string]struct {
			IDs []int `json:"ids"`
		} `json:"special_tokens"`
		CLS []json.RawMessage `json:"cls"`
		SEP []json.RawMessage `json:"sep"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, nil, fmt.Errorf("post_processor: %w", err)
	}
	switch c.Type {
	case "ByteLevel":
		return nil, nil, nil
	case "Sequence":
		for _, r := range c.Processors {
			p, s, err := buildPostProcessor(r)
			if err != nil {
				return nil, nil, err
			}
			prefix = append(p, prefix...)
			suffix = append(suffix, s...)
		}
		return prefix, suffix, nil
	case "TemplateProcessing":
		seen := false
		for _, it := range c.Single {
			switch {
			case it.Sequence != nil:
				if seen {
					return nil, nil, fmt.Errorf("TemplateProcessing: single has two sequences")
				}
				seen = true
			case it.SpecialToken != nil:
				st, ok := c.SpecialTokens[it.SpecialToken.ID]
				if !ok {
					return nil, nil, fmt.Errorf("TemplateProcessing: no special_tokens entry %q", it.SpecialToken.ID)
				}
				if seen {
					suffix = append(suffix, st.IDs...)
				} else {
					prefix = append(prefix, st.IDs...)
				}
			}
		}
		if !seen {
			return nil, nil, fmt.Errorf("TemplateProcessing: single has no sequence")
		}
		return prefix, suffix, nil
	case "RobertaProcessing", "BertProcessing":
		id := func(pair []json.RawMessage, what string) (int, error) {
			var v int
			if len(pair) != 2 || json.Unmarshal(pair[1], &v) != nil {
				return 0, fmt.Errorf("%s: bad %s", c.Type, what)
			}
			return v, nil
		}
		cls, err := id(c.CLS, "cls")
		if err != nil {
			return nil, nil, err
		}
		sep, err := id(c.SEP, "sep")
		if err != nil {
			return nil, nil, err
		}
		return []int{cls}, []int{sep}, nil
	}
	return nil, nil, fmt.Errorf("unsupported post_processor %q", c.Type)
}
