package adlaw

import (
	"slices"
	"testing"
	"unicode/utf8"
)

// normalizeRunes is normalize without the ASCII fast path.
func (z *normalizer) normalizeRunes(text string, dst *normalized) {
	dst.reset()
	// A non-ASCII rune at the end takes the general path; then drop it.
	z.normalize(text+"é", dst)
	n := len(dst.buf) - len("é")
	dst.buf, dst.start, dst.end = dst.buf[:n], dst.start[:n], dst.end[:n]
}

func TestNormalizeASCIIFastPath(t *testing.T) {
	var z normalizer
	texts := []string{"", " ", "Clinically  PROVEN\tto work", "a\n\nb", "#1 SELLING!", "  lead", "tail  ", "x\t \ty", "\v\f", "Was $120, now $39"}
	for _, l := range readCorpus(t) {
		if isASCII(l.text) {
			texts = append(texts, l.text)
		}
	}
	for _, s := range texts {
		var fast, slow normalized
		z.normalize(s, &fast)
		z.normalizeRunes(s, &slow)
		if string(fast.buf) != string(slow.buf) || !slices.Equal(fast.start, slow.start) || !slices.Equal(fast.end, slow.end) {
			t.Errorf("%q: fast path %q %v %v, general path %q %v %v", s, fast.buf, fast.start, fast.end, slow.buf, slow.start, slow.end)
		}
	}
}

func TestNormalizeInvalidUTF8(t *testing.T) {
	c := defaultChecker(t)
	for _, s := range []string{"\xff最佳", "\uFFFD最佳", "最佳\xe6\x9c", "\xe6\x9c最佳"} {
		rep := c.Check(s, Options{Lang: "zh"})
		if len(rep.Findings) != 1 {
			t.Fatalf("%q: %s, want one finding", s, describe(rep))
		}
		f := rep.Findings[0]
		if s[f.Start:f.End] != "最佳" || !utf8.ValidString(f.MatchedText) {
			t.Errorf("%q: finding [%d:%d] %q, want 最佳", s, f.Start, f.End, f.MatchedText)
		}
	}
}
