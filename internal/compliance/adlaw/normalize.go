package adlaw

import (
	"unicode"
	"unicode/utf8"

	"github.com/chorusmkt/chorus/internal/textfold"
)

// normalizer folds text into the form the lexicon is stored in, keeping for
// every output byte the span of the original text it came from, so findings
// point into what the user wrote.
//
// Folding, in order: zero-width characters dropped; full-width and other
// compatibility forms folded (width folding, then NFKC per rune);
// typographic apostrophes and hyphens to ASCII; lower case; traditional
// characters of the lexicon mapped to simplified ones; whitespace, symbols
// and combining marks inserted between two Han characters, or between a
// Han character and a digit, dropped (最 佳, 最*佳, 第 1); other whitespace runs collapsed to one space. Sentence punctuation
// (，。！？；：、 and their ASCII forms) is kept because removing it would
// join the end of one clause to the start of the next and invent terms.
type normalizer struct {
	t2s []rune // see t2sTable; nil when traditional folding is off
}

// simp maps a traditional character of the lexicon to its simplified form.
func (z *normalizer) simp(r rune) rune {
	if z.t2s != nil && r >= t2sLow && r <= t2sHigh {
		if s := z.t2s[r-t2sLow]; s != 0 {
			return s
		}
	}
	return r
}

// normRune is one rune of the folded text with its original byte span.
type normRune struct {
	r          rune
	start, end int32
}

// normalized is the folded text: bytes for the automaton and, per byte,
// the original span of the rune it belongs to.
type normalized struct {
	buf        []byte
	start, end []int32
	runes      []normRune
}

func (n *normalized) reset() {
	n.buf = n.buf[:0]
	n.start = n.start[:0]
	n.end = n.end[:0]
	n.runes = n.runes[:0]
}

// isZeroWidth reports the runes folding drops: the compliance checks' one
// definition of invisible (textfold.Invisible), shared with the PII
// scanner.
func isZeroWidth(r rune) bool { return textfold.Invisible(r) }

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isHan(r rune) bool {
	return (r >= 0x4E00 && r <= 0x9FFF) || (r >= 0x3400 && r <= 0x4DBF) || (r >= 0xF900 && r <= 0xFAFF) || (r >= 0x20000 && r <= 0x2FA1F)
}

// isSentencePunct reports punctuation that ends or splits a clause.
func isSentencePunct(r rune) bool {
	switch r {
	case '，', '。', '！', '？', '；', '：', '、', ',', '!', '?', ';', ':', '\n', '\r', '\u2028', '\u2029':
		return true
	}
	return false
}

// isGap reports runes that may be dropped between two Han characters.
func isGap(r rune) bool {
	if isSentencePunct(r) {
		return false
	}
	if r < utf8.RuneSelf {
		return r == ' ' || r == '\t' || (r > ' ' && r < '0') || (r > '9' && r < 'A') || (r > 'Z' && r < 'a') || (r > 'z' && r < 0x7F)
	}
	if isHan(r) {
		return false // the common case in Chinese copy; skip the table look-ups
	}
	// Combining marks too: 最\u0301佳 renders as 最́佳 and means 最佳.
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.Is(unicode.Mn, r)
}

// fold appends the folded form of r (one or more runes) to out.
func (z *normalizer) fold(out []normRune, r rune, start, end int32) []normRune {
	switch {
	case r < utf8.RuneSelf:
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(out, normRune{r, start, end})
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
		r -= 0xFEE0
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(out, normRune{r, start, end})
	case r == 0x3000:
		return append(out, normRune{' ', start, end})
	case r == 0x2018 || r == 0x2019 || r == 0x2032: // typographic apostrophes: America’s #1
		return append(out, normRune{'\'', start, end})
	case r == 0x2010 || r == 0x2011: // hyphen, non-breaking hyphen: best‑selling
		return append(out, normRune{'-', start, end})
	case isHan(r) && r < 0xF900:
		return append(out, normRune{z.simp(r), start, end})
	}
	// Rare path: other compatibility forms (①, ㈱, ﬁ, half-width kana…),
	// folded as the PII scanner folds them.
	var tmp [8]rune
	for _, c := range textfold.Rune(tmp[:0], r) {
		out = append(out, normRune{z.simp(unicode.ToLower(c)), start, end})
	}
	return out
}

// normalize folds text into dst.
func (z *normalizer) normalize(text string, dst *normalized) {
	dst.reset()
	if isASCII(text) {
		z.normalizeASCII(text, dst)
		return
	}
	rs := dst.runes
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isZeroWidth(r) {
			rs = z.fold(rs, r, int32(i), int32(i+size))
		}
		i += size
	}
	dst.runes = rs
	var lastOut rune = -1
	for i := 0; i < len(rs); i++ {
		nr := rs[i]
		if isGap(nr.r) {
			if lastOut >= 0 && (isHan(lastOut) || isDigit(lastOut)) {
				j := i + 1
				for j < len(rs) && isGap(rs[j].r) {
					j++
				}
				// Han–Han always; Han–digit too, since terms such as 第1
				// and 好评率100% are spaced like 第 1 in Chinese typesetting.
				if j < len(rs) && (isHan(rs[j].r) && isHan(lastOut) || isHan(rs[j].r) != isHan(lastOut) && (isHan(rs[j].r) || isDigit(rs[j].r))) {
					i = j - 1
					continue
				}
			}
			if unicode.IsSpace(nr.r) {
				if lastOut == ' ' {
					// extend the previous space's span so offsets stay contiguous
					continue
				}
				nr.r = ' '
			}
		}
		var enc [utf8.UTFMax]byte
		n := utf8.EncodeRune(enc[:], nr.r)
		for k := 0; k < n; k++ {
			dst.buf = append(dst.buf, enc[k])
			dst.start = append(dst.start, nr.start)
			dst.end = append(dst.end, nr.end)
		}
		lastOut = nr.r
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// normalizeASCII is normalize for ASCII text (most English copy), without
// the rune buffer: there are no Han characters to join, so folding is
// lower case and collapsing runs of spaces and tabs.
func (z *normalizer) normalizeASCII(text string, dst *normalized) {
	last := byte(0)
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == ' ' || c == '\t':
			if last == ' ' {
				continue
			}
			c = ' '
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		dst.buf = append(dst.buf, c)
		dst.start = append(dst.start, int32(i))
		dst.end = append(dst.end, int32(i+1))
		last = c
	}
}

// foldTerm normalises a lexicon term the way text is normalised.
func (z *normalizer) foldTerm(term string) string {
	var n normalized
	z.normalize(term, &n)
	return string(n.buf)
}
