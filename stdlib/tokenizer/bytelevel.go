package tokenizer

import "unicode/utf8"

// GPT-2's byte-to-unicode table: printable Latin-1 bytes stand for
// themselves, the others are shifted to U+0100 and up.
var (
	byteToRune [256]rune
	runeToByte = map[rune]byte{}
	// byteToString[b] is string(byteToRune[b]).
	byteToString [256]string
)

func init() {
	n := 0
	for b := 0; b < 256; b++ {
		r := rune(b)
		if !(b >= '!' && b <= '~' || b >= 0xA1 && b <= 0xAC || b >= 0xAE && b <= 0xFF) {
			r = rune(256 + n)
			n++
		}
		byteToRune[b] = r
		runeToByte[r] = byte(b)
		byteToString[b] = string(r)
	}
}

// byteLevelEncode maps each byte of s to its byte-level character.
func byteLevelEncode(s string) string {
	buf := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		buf = utf8.AppendRune(buf, byteToRune[s[i]])
	}
	return string(buf)
}

// byteLevelDecode maps byte-level characters back to bytes; ok is false when
// a character is not one of the 256.
func byteLevelDecode(tok string) (b []byte, ok bool) {
	b = make([]byte, 0, len(tok))
	for _, r := range tok {
		c, ok := runeToByte[r]
		if !ok {
			return nil, false
		}
		b = append(b, c)
	}
	return b, true
}
