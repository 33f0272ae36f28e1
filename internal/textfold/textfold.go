// Package textfold is the one normaliser of the compliance checks and of
// identities read from text (phone numbers): the PII scanner and the
// advertising-law matcher fold text the same way before they match, so a character that hides a phone number from one cannot
// hide a banned term from the other. Folding drops invisible characters
// (every format character, Unicode category Cf: zero-width spaces and
// joiners, word joiners, soft hyphens, direction marks and isolates, the
// byte order mark; the variation selectors; the combining grapheme
// joiner), maps full-width forms and the ideographic space to ASCII, and
// applies compatibility normalisation (NFKC: ①→1, ﬁ→fi, half-width kana)
// with width folding. Offsets into the folded text map back to the text
// the user wrote.
package textfold

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// Invisible reports whether r is dropped by folding: it renders as
// nothing, so it can split a word or a number without a reader noticing.
func Invisible(r rune) bool {
	switch {
	case r < 0x80:
		return false
	case r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0100 && r <= 0xE01EF: // variation selectors
		return true
	case r == 0x034F: // combining grapheme joiner
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// Rune appends the folded form of r (none, one or several runes) to dst;
// it does not change case.
func Rune(dst []rune, r rune) []rune {
	switch {
	case r < 0x80:
		return append(dst, r)
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
		return append(dst, r-0xFEE0)
	case r == 0x3000: // ideographic space
		return append(dst, ' ')
	case r >= 0x4E00 && r <= 0x9FFF: // common Han: already folded
		return append(dst, r)
	case Invisible(r):
		return dst
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	if !norm.NFKC.IsNormal(buf[:n]) || width.LookupRune(r).Kind() != width.Neutral {
		for _, c := range norm.NFKC.String(width.Fold.String(string(r))) {
			if !Invisible(c) {
				dst = append(dst, c)
			}
		}
		return dst
	}
	return append(dst, r)
}

// Changes reports whether folding changes s.
func Changes(s string) bool {
	var tmp [4]rune
	for _, r := range s {
		if r < 0x80 || (r >= 0x4E00 && r <= 0x9FFF) {
			continue
		}
		f := Rune(tmp[:0], r)
		if len(f) != 1 || f[0] != r {
			return true
		}
	}
	return false
}

// String folds s. offs maps every byte offset of the folded text, and its
// end, to the byte offset in s of the rune it came from (nil when folding
// changes nothing, so offsets are the same).
func String(s string) (string, []int) {
	if !Changes(s) {
		return s, nil
	}
	var b strings.Builder
	b.Grow(len(s))
	offs := make([]int, 0, len(s)+1)
	var tmp []rune
	for i, r := range s {
		tmp = Rune(tmp[:0], r)
		for _, c := range tmp {
			n := utf8.RuneLen(c)
			for range n {
				offs = append(offs, i)
			}
			b.WriteRune(c)
		}
	}
	offs = append(offs, len(s))
	return b.String(), offs
}
