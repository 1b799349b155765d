package tokenizer

import (
	"sync"
	"unicode"
	"unicode/utf8"
)

// Character classes of the pre-tokenizer patterns, with the meaning they have
// in Oniguruma (and regexp2): \s is Unicode White_Space (unicode.IsSpace),
// \p{L} letters, \p{N} numbers, \p{P} punctuation, \p{S} symbols, \p{M} marks.
const (
	clL uint8 = 1 << iota
	clN
	clSpace
	clP
	clS
	clM
)

var (
	classOnce  sync.Once
	classTable []uint8 // runes below 0x10000
)

func buildClasses() {
	classTable = make([]uint8, 0x10000)
	for r := rune(0); r < 0x10000; r++ {
		classTable[r] = slowClass(r)
	}
}

func slowClass(r rune) uint8 {
	var c uint8
	if unicode.IsLetter(r) {
		c |= clL
	}
	if unicode.IsNumber(r) {
		c |= clN
	}
	if unicode.IsSpace(r) {
		c |= clSpace
	}
	if unicode.IsPunct(r) {
		c |= clP
	}
	if unicode.IsSymbol(r) {
		c |= clS
	}
	if unicode.IsMark(r) {
		c |= clM
	}
	return c
}

func class(r rune) uint8 {
	if r < 0x10000 {
		classOnce.Do(buildClasses)
		return classTable[r]
	}
	return slowClass(r)
}

// asciiClass is class() for bytes below 0x80.
var asciiClass [128]uint8

func init() {
	for r := rune(0); r < 128; r++ {
		asciiClass[r] = slowClass(r)
	}
}

// at decodes the rune at s[i] and returns it, its width and its class.
// Invalid UTF-8 reads as U+FFFD one byte wide, as []rune(s) does.
func at(s string, i int) (rune, int, uint8) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1, asciiClass[c]
	}
	r, w := utf8.DecodeRuneInString(s[i:])
	return r, w, class(r)
}
