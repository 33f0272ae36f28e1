package support

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"unicode"
)

// A rule that charges by the order (free shipping over a threshold, a fee
// to gift-wrap) asked of one product she names ("only buying the braided
// cables, is shipping free?", "could you gift-wrap the scarf, how much
// extra?") is answered by the rule and the product's price beside it:
// she sets one against the other. Neither half alone answers, and the
// product's words are no topic the rule is silent on.

// onlyItemRe says she buys one product alone; itemShipRe asks shipping's
// cost; itemWrapRe asks to gift-wrap.
var (
	onlyItemRe = regexp.MustCompile(`(?i)\b(only|just)\s+(buy|buying|bought|order|ordering|get|getting|purchas\w*|want)\b|只买|就买|只下单|只拍|单买|只要一`)
	itemShipRe = regexp.MustCompile(`(?i)\b(shipping|postage|delivery\s+(fee|charge|cost))\b|\bship\w*\s+(is\s+)?free\b|\bfree\s+(shipping|delivery)\b|包邮|运费|邮费`)
	itemWrapRe = regexp.MustCompile(`(?i)\bgift[\s-]?wrap\w*|礼品包装|礼盒包装|包装成礼物`)
)

// ruleWords are what finds each rule in the shop's texts, per language.
var itemRuleWords = map[string][2]string{
	En: {"shipping free delivery cost", "gift wrapping"},
	Zh: {"运费 包邮", "礼品包装"},
}

// itemAgainstRule answers, when text asks an order's rule of one named
// product, the rule and the product; it reports whether it did.
func (a *Assistant) itemAgainstRule(ctx context.Context, d *draft, t *turn) (bool, error) {
	n := normalize(t.req.Text)
	words, ok := itemRuleWords[t.lang]
	if !ok {
		return false, nil
	}
	var q string
	switch {
	case itemWrapRe.MatchString(n):
		q = words[1]
	case onlyItemRe.MatchString(n) && itemShipRe.MatchString(n):
		q = words[0]
	default:
		return false, nil
	}
	p, found, err := a.mentionedProduct(ctx, t)
	if err != nil {
		return false, err
	}
	if !found {
		pa, ok := a.ix.titleWordsProduct(n, t.lang)
		if !ok {
			return false, nil
		}
		if p, err = a.st.GetProduct(ctx, pa.ID); err != nil {
			return false, ignoreNotFound(err)
		}
	}
	hits, err := a.ix.Search(ctx, q, SearchOptions{Language: t.lang, Kinds: []string{CitePolicy}, K: 1})
	if err != nil || len(hits) == 0 {
		return false, err
	}
	pa := hits[0]
	ph := phrasesFor(t.lang)
	d.flags = slices.DeleteFunc(d.flags, func(f string) bool { return f == "partly_covered" || f == "unknown_terms" })
	d.intent = IntentPolicy
	d.say(fmt.Sprintf(ph.about, pa.Title) + pa.Text + " " + pa.Cite().String())
	d.cite(pa.Cite())
	d.src.Facts = append(d.src.Facts, pa.Title, pa.Text)
	a.productFacts(d, p, t, false)
	return true, nil
}

// titleWordsProduct is the one product whose title shares the most words
// with the normalised text n, at least two ("the mini tripod": Mini
// Tabletop Tripod, not the Carbon Travel Tripod); a tie names none.
func (ix *Index) titleWordsProduct(n, lang string) (Passage, bool) {
	var best Passage
	top, tie := 0, false
	for _, p := range ix.Passages(CiteProduct, lang) {
		score := 0
		for _, w := range wordRuns(normalize(p.Title)) {
			if r := []rune(w); len(r) >= 3 && !unicode.Is(unicode.Han, r[0]) && nameIn(n, w) {
				score++
			}
		}
		switch {
		case score > top:
			best, top, tie = p, score, false
		case score == top:
			tie = true
		}
	}
	return best, top >= 2 && !tie
}
