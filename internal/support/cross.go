package support

import (
	"context"
	"slices"
	"strings"
	"unicode"

	"github.com/chorusmkt/chorus/internal/catalog"
)

// A customer writing Chinese often names a product in English ("那个power
// bank多少钱", "这个earbuds防水吗"), and one writing English may name it in
// Chinese ("is the 露营灯 in stock"). The words of the other script are
// looked for in the catalog of the other language, and the product found
// there is brought back to its counterpart in the customer's own catalog:
// the answer quotes the price and stock of the shop she buys from.

// otherLanguage is the language of the other script.
func otherLanguage(lang string) string {
	if lang == Zh {
		return En
	}
	return Zh
}

// otherScript returns the runs of text written in the other language's
// script (Latin in a Chinese question, Han in an English one), joined by
// spaces; figures with units (20000mAh) go with them.
func otherScript(text, lang string) string {
	var out []string
	for _, run := range wordRuns(text) {
		han := unicode.Is(unicode.Han, []rune(run)[0])
		if han == (lang == En) || !han && len(specs(run)) > 0 {
			out = append(out, run)
		}
	}
	return strings.Join(out, " ")
}

// crossProduct is the product in lang that the question names in the
// other language's words: the words must be unknown to lang's texts
// (English words a Chinese catalog also uses, such as Vlog, are read
// there), name one product of the other catalog and that product must
// have one counterpart in lang (see counterpart).
func (a *Assistant) crossProduct(ctx context.Context, text, lang string) (catalog.Product, bool, error) {
	foreign := otherScript(text, lang)
	if foreign == "" || len(a.ix.UnknownWords(foreign, lang)) == 0 {
		return catalog.Product{}, false, nil
	}
	other := otherLanguage(lang)
	found, ok, err := a.searchedProduct(ctx, foreign, other)
	if err != nil || !ok {
		return catalog.Product{}, false, err
	}
	p, ok := a.ix.Passage(CiteProduct, found.SKU, other)
	if !ok {
		return catalog.Product{}, false, nil
	}
	c, ok := a.ix.counterpart(p, lang)
	if !ok {
		return catalog.Product{}, false, nil
	}
	pr, err := a.st.GetProduct(ctx, c.ID)
	return pr, err == nil, ignoreNotFound(err)
}

// counterpart is the product of lang that is p sold in the other market:
// the one that shares the most with it of a SKU stem (US-TECH-POWERBANK
// and CN-TECH-POWERBANK once the market prefix is dropped), the figures
// of its specification and its Latin words (the brand, a model name). ok
// is false unless one product shares the most, with a score of 3 or more.
func (ix *Index) counterpart(p Passage, lang string) (Passage, bool) {
	stem := skuStem(p.SKU)
	products := ix.Passages(CiteProduct, lang)
	// one product of the same SKU stem is the counterpart without reading
	// every product's text (a large catalog)
	var same []Passage
	for _, c := range products {
		if stem != "" && skuStem(c.SKU) == stem {
			same = append(same, c)
		}
	}
	if len(same) == 1 {
		return same[0], true
	}
	sp := specs(p.Title + " " + p.Text)
	words := latinWords(p.Title + " " + p.Text)
	best, bestScore, second := Passage{}, 0, 0
	for _, c := range products {
		score := 0
		if stem != "" && skuStem(c.SKU) == stem {
			score += 4
		}
		for _, s := range specs(c.Title + " " + c.Text) {
			if slices.Contains(sp, s) {
				score++
			}
		}
		shared := 0
		for _, w := range latinWords(c.Title + " " + c.Text) {
			if slices.Contains(words, w) {
				shared++
			}
		}
		score += min(shared, 2)
		switch {
		case score > bestScore:
			best, bestScore, second = c, score, bestScore
		case score > second:
			second = score
		}
	}
	if bestScore < 3 || bestScore == second {
		return Passage{}, false
	}
	return best, true
}

// skuStem is a SKU without its first segment when it has three or more
// (US-TECH-POWERBANK → TECH-POWERBANK), else "".
func skuStem(sku string) string {
	parts := strings.Split(strings.ToUpper(sku), "-")
	if len(parts) < 3 {
		return ""
	}
	return strings.Join(parts[1:], "-")
}

// latinWords are the distinct Latin words of four letters or more in text
// that are not stop words or plain words.
func latinWords(text string) []string {
	var out []string
	for _, run := range wordRuns(text) {
		if unicode.Is(unicode.Han, []rune(run)[0]) || len(run) < 4 || allDigits(run) || stopWords[run] || plainWords[run] {
			continue
		}
		if !slices.Contains(out, run) {
			out = append(out, run)
		}
	}
	return out
}
