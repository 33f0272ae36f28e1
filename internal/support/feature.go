package support

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/chorusmkt/chorus/internal/catalog"
)

// A customer asks for a feature a card states in its own words: "do they
// switch between my phone and laptop?" is answered by "Multipoint",
// 深烘还是浅烘 by 中度烘焙, "does it slip when I'm sweaty" by "Non-slip",
// SPF几 and 可以当妆前乳用吗 by "SPF50" and 可作妆前. None of her words are
// the card's, so the search finds another product (the lipstick of a
// "yoga matt") or nothing, and a rule answers in its place. features is
// the table of such asks, each with the form the feature takes on a card;
// a question asking one, of a product it names by a word of the product's
// title or tags, is answered by the one card in her language that states
// it.

// feature is one feature of a product: ask (zh and en; 繁體 is folded to
// 简体 before it is read) are the ways of asking it, have the form it
// takes in a product's texts.
type feature struct {
	name string
	ask  *regexp.Regexp
	have *regexp.Regexp
}

var features = []feature{
	// one pair of earbuds on two devices
	{name: "multipoint",
		ask:  kindRe(`\bswitch(es|ing)?\s+(between|from)\s+(my\s+|a\s+|the\s+)?(phone|laptop|computer|pc|mac|ipad|tablet|devices?)|\b(connect\w*|conect\w*|pair\w*|link\w*)\s+(to|with)\s+(two|2|multiple|several|both)\s+(devices|phones|things)|\b(two|2|multiple)\s+devices\s+(at\s+once|at\s+the\s+same\s+time|simultaneously)|\bmulti-?\s?point\b|同时连|同时(连接|配对)|连两(台|个)|两(台|个)设备|多(台)?设备|切换设备|在手机和电脑之间切换|手机(和|跟|与)电脑.{0,4}(切换|同时)`),
		have: kindRe(`\bmultipoint\b|多设备`)},
	// a sunscreen's protection factor, and whether it goes under make-up
	{name: "spf",
		ask:  kindRe(`\bspf\b|\bspf\s*(几|多少)|防晒(指数|系数|倍数)|(防晒)?系数(是)?多少|防晒值`),
		have: kindRe(`\bspf\s*\d+`)},
	{name: "under make-up",
		ask:  kindRe(`\bunder\s+(make-?\s?up|foundation|concealer)|\bas\s+a\s+primer\b|\bprimer\b|妆前|打底|隔离|上妆`),
		have: kindRe(`\bunder\s+make-?\s?up|妆前`)},
	// how dark a coffee is roasted
	{name: "roast",
		ask:  kindRe(`\b(dark|light|medium)\s+roast|\broast(ed)?\s+(level|profile|degree)|\bhow\s+(dark|light)\s+(is\s+)?(the\s+)?roast|\bhow\s+(is|are)\s+(it|they|the\s+\w+(\s+\w+)?)\s+roasted|深烘|浅烘|中烘|烘焙(程度|度)|烘(得|的)(深|浅)|重烘|轻烘`),
		have: kindRe(`\b(dark|light|medium)\s+roast|(深|浅|中度?)烘焙?`)},
	// whether a mat grips (slippery, misspelt; 打滑 when she sweats)
	{name: "non-slip",
		ask:  kindRe(`\bslip(s|py|pery|ery|ing|p?ier)?\b|\bslipp?ery\b|\bsli?dey?\b|\bslid(e|es|ing)\s+(around|about)|\bgrip(py|s)?\b|打滑|滑不滑|会不会滑|容易滑|很滑|防不防滑|防滑`),
		have: kindRe(`\bnon-?\s?slip\b|防滑`)},
}

// askedFeatures are the features text asks, in table order.
func askedFeatures(text string) []feature {
	n := normalize(text)
	var out []feature
	for _, f := range features {
		if f.ask.MatchString(n) {
			out = append(out, f)
		}
	}
	return out
}

// featureAsked reports whether a clause of q that asks (a question mark,
// a question word) asks the feature: "my mat slips, I want a refund"
// tells of one.
func featureAsked(q string, f feature) bool {
	n := normalize(q)
	parts := clauseSplit.Split(n, -1)
	marks := clauseSplit.FindAllString(n, -1)
	for i, c := range parts {
		if f.ask.MatchString(c) && asks(c, i < len(marks) && (slices.Contains([]rune(marks[i]), '?') || slices.Contains([]rune(marks[i]), '？'))) {
			return true
		}
	}
	return false
}

// featureProduct is the one product in the customer's language whose card
// states a feature the question asks and that the question names by a
// word of its title or tags (in her script or the other's: "sunscreen
// SPF几" names 防晒乳). ok is false when no feature is asked in a clause
// that asks, or when no product or several are so named.
func (a *Assistant) featureProduct(ctx context.Context, t *turn) (catalog.Product, bool, error) {
	asked := askedFeatures(t.req.Text)
	if len(asked) == 0 {
		return catalog.Product{}, false, nil
	}
	want := termSet(stripAttrWords(t.req.Text), t.lang)
	var other map[string]bool
	if f := otherScript(t.req.Text, t.lang); f != "" {
		other = termSet(stripAttrWords(f), otherLanguage(t.lang))
	}
	var found []catalog.Product
	for _, p := range a.ix.Passages(CiteProduct, t.lang) {
		named := sharesTerm(termSet(p.Title+" "+p.Keywords, t.lang), want)
		if !named && other != nil {
			if c, ok := a.ix.counterpart(p, otherLanguage(t.lang)); ok {
				named = sharesTerm(termSet(c.Title+" "+c.Keywords, c.Language), other)
			}
		}
		if !named {
			continue
		}
		// the card: its selling points as well as its description
		pr, err := a.st.GetProduct(ctx, p.ID)
		if err != nil {
			if err = ignoreNotFound(err); err != nil {
				return catalog.Product{}, false, err
			}
			continue
		}
		have := productText(pr)
		for _, f := range asked {
			if f.have.MatchString(have) && featureAsked(t.req.Text, f) {
				found = append(found, pr)
				break
			}
		}
	}
	if len(found) != 1 {
		return catalog.Product{}, false, nil
	}
	return found[0], true, nil
}

// soleTitled is the one product in lang whose title shares a word with q
// ("the earbuds"); ok is false when none or several do.
func (a *Assistant) soleTitled(ctx context.Context, q, lang string) (catalog.Product, bool, error) {
	want := termSet(stripAttrWords(q), lang)
	var found []Passage
	for _, p := range a.ix.Passages(CiteProduct, lang) {
		if sharesTerm(termSet(p.Title, lang), want) {
			found = append(found, p)
		}
	}
	if len(found) != 1 {
		return catalog.Product{}, false, nil
	}
	p, err := a.st.GetProduct(ctx, found[0].ID)
	return p, err == nil, ignoreNotFound(err)
}

// featureBlanked is text with the features' asks blanked, each to the
// end of its clause (switch between my phone and laptop).
func featureBlanked(text string) string {
	n := normalize(text)
	for _, f := range features {
		n = f.ask.ReplaceAllStringFunc(n, func(string) string { return "\x00" })
	}
	var b strings.Builder
	blank := false
	for _, r := range n {
		switch {
		case r == 0:
			blank = true
			b.WriteRune(' ')
		case blank && strings.ContainsRune("，,；;。.？?！!", r):
			blank = false
			b.WriteRune(r)
		case !blank:
			b.WriteRune(r)
		}
	}
	return b.String()
}
