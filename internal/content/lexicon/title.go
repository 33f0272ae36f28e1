package lexicon

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// smallWords stay lower case inside a title.
var smallWords = map[string]bool{"a": true, "an": true, "and": true, "as": true, "at": true, "by": true, "for": true, "from": true,
	"in": true, "into": true, "of": true, "on": true, "or": true, "the": true, "to": true, "with": true, "w": true, "n": true}

// DisplayTitle is how copy writes a product's title: an ALL-CAPS catalog
// title ("RED HANGING HEART T-LIGHT HOLDER") in title case ("Red Hanging
// Heart T-Light Holder"), with acronyms (LED, USB, UK) kept and runs of
// spaces collapsed; any other title unchanged but for its spacing.
func DisplayTitle(title string) string {
	title = strings.Join(strings.Fields(title), " ")
	if !isAllCaps(title) {
		return title
	}
	words := strings.Split(title, " ")
	for i, w := range words {
		words[i] = titleWord(w, i == 0)
	}
	return strings.Join(words, " ")
}

// titleWord title-cases one word, and each part of a hyphenated or
// slashed one (T-LIGHT → T-Light, SET/3 → Set/3); 50'S → 50's.
func titleWord(w string, first bool) string {
	if acronyms[strings.Trim(w, ".,;:!?()'\"")] {
		return w
	}
	low := strings.ToLower(w)
	if !first && smallWords[low] {
		return low
	}
	var b strings.Builder
	part := func(p string) {
		if p == "" {
			return
		}
		if acronyms[strings.ToUpper(p)] {
			b.WriteString(strings.ToUpper(p))
			return
		}
		r, n := utf8.DecodeRuneInString(p)
		if unicode.IsLetter(r) {
			b.WriteRune(unicode.ToUpper(r))
			b.WriteString(p[n:])
			return
		}
		b.WriteString(p) // 50's, 3d: a part led by a digit stays as it is
	}
	start := 0
	for i, r := range low {
		if strings.ContainsRune("-/()\"&+.,", r) {
			part(low[start:i])
			b.WriteRune(r)
			start = i + utf8.RuneLen(r)
		}
	}
	part(low[start:])
	return b.String()
}
