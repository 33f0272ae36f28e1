package support

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// A product is often named by what it is not called in the catalog: one
// word for two ("powerbank"), two for one, or by a figure of its
// specification ("那个20000mAh的power bank", "the 65W one"). These
// helpers turn such a name into the catalog's own words.

// specRe finds a figure with its unit; specUnits folds the unit's
// spellings to one.
var specRe = regexp.MustCompile(`(\d+(?:\.\d+)?)\s*(mah|毫安时|毫安|watts?|w|瓦|inches|inch|英寸|寸|ml|毫升|litres?|liters?|l|升|mm|毫米|cm|厘米|gb|tb|hz|kg|千克|公斤|g|克|oz|lbs?|mp|像素)(?:[^a-z]|$)`)

var specUnits = map[string]string{"毫安时": "mah", "毫安": "mah", "watt": "w", "watts": "w", "瓦": "w", "inches": "inch", "英寸": "inch", "寸": "inch",
	"毫升": "ml", "litre": "l", "litres": "l", "liter": "l", "liters": "l", "升": "l", "毫米": "mm", "厘米": "cm", "千克": "kg", "公斤": "kg",
	"克": "g", "lb": "lbs", "像素": "mp"}

// digitGroupRe is a thousands separator between digits (20,000 mAh).
var digitGroupRe = regexp.MustCompile(`(\d),(\d{3})`)

// specs returns the figures with units in text, folded ("20,000 mAh" and
// 20000毫安 are both "20000mah").
func specs(text string) []string {
	n := digitGroupRe.ReplaceAllString(normalize(text), "$1$2")
	var out []string
	for _, m := range specRe.FindAllStringSubmatch(n, -1) {
		u := m[2]
		if f, ok := specUnits[u]; ok {
			u = f
		}
		s := m[1] + u
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// specProduct is the one product in lang whose title or text states every
// figure of the question ("20000mAh", "65 W"); ok is false when the
// question states none, or when no product or more than one does.
func (ix *Index) specProduct(q, lang string) (Passage, bool) {
	want := specs(q)
	if len(want) == 0 {
		return Passage{}, false
	}
	var found []Passage
	for _, p := range ix.Passages(CiteProduct, lang) {
		have := specs(p.Title + " " + p.Text)
		all := true
		for _, w := range want {
			if !slices.Contains(have, w) {
				all = false
				break
			}
		}
		if all {
			found = append(found, p)
		}
	}
	if len(found) != 1 {
		return Passage{}, false
	}
	return found[0], true
}

// compounded rewrites q in the words of the index in lang: a word it does
// not know that is two words it knows is split ("powerbank" → "power
// bank"), and two neighbouring words one of which it does not know are
// joined when the joined word is known ("ear buds" → "earbuds"). ok is
// false when nothing changed.
func (ix *Index) compounded(q, lang string) (string, bool) {
	ix.mu.RLock()
	vocab := ix.vocab[lang]
	ix.mu.RUnlock()
	known := func(w string) bool { return vocab[stem(w)] || vocab[w] }
	latin := func(w string) bool {
		for _, r := range w {
			if r > unicode.MaxASCII || !unicode.IsLetter(r) {
				return false
			}
		}
		return w != ""
	}
	n := normalize(q)
	fields := strings.FieldsFunc(n, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'') || unicode.Is(unicode.Han, r)
	})
	changed := false
	for i := 0; i < len(fields); i++ {
		w := fields[i]
		if !latin(w) || known(w) || stopWords[w] || plainWords[w] {
			continue
		}
		joined := false
		for _, pair := range [][2]string{{w, next(fields, i)}, {prev(fields, i), w}} {
			if pair[0] == "" || pair[1] == "" || !latin(pair[0]) || !latin(pair[1]) || !known(pair[0]+pair[1]) {
				continue
			}
			re := regexp.MustCompile(`\b` + regexp.QuoteMeta(pair[0]) + `[\s-]+` + regexp.QuoteMeta(pair[1]) + `\b`)
			if m := re.ReplaceAllLiteralString(n, pair[0]+pair[1]); m != n {
				n, changed, joined = m, true, true
				break
			}
		}
		if joined {
			continue
		}
		for k := 3; k <= len(w)-3; k++ {
			if a, b := w[:k], w[k:]; known(a) && known(b) && !stopWords[a] && !stopWords[b] {
				n, changed = replaceName(n, w, a+" "+b), true
				break
			}
		}
	}
	return n, changed
}

func next(fields []string, i int) string {
	if i+1 < len(fields) {
		return fields[i+1]
	}
	return ""
}

func prev(fields []string, i int) string {
	if i > 0 {
		return fields[i-1]
	}
	return ""
}

// kindProduct is the one product in lang whose kind (the last word of its
// title: Cardigan, 开衫) the question names ("between two sizes on the
// cardigan"); ok is false when none or several are.
func (ix *Index) kindProduct(q, lang string) (Passage, bool) {
	n := normalize(q)
	var found []Passage
	for _, p := range ix.Passages(CiteProduct, lang) {
		if k := titleKind(p.Title); k != "" && nameIn(n, k) {
			found = append(found, p)
		}
	}
	if len(found) != 1 {
		return Passage{}, false
	}
	return found[0], true
}

// titleKind is the last word of a title, lower-cased, without a trailing
// figure or bracket: "Merino Cardigan" → cardigan, 羊毛针织开衫 → 开衫.
func titleKind(title string) string {
	runs := wordRuns(title)
	for i := len(runs) - 1; i >= 0; i-- {
		r := []rune(runs[i])
		if unicode.Is(unicode.Han, r[0]) {
			if len(r) < 2 {
				return ""
			}
			return string(r[len(r)-2:])
		}
		if len(r) >= 4 && !strings.ContainsAny(runs[i], "0123456789") {
			return runs[i]
		}
	}
	return ""
}
