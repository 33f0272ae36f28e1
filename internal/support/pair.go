package support

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/chorusmkt/chorus/internal/catalog"
)

// An answer may need a product and a rule both: the sneakers' size range
// is in the size guide, that the camera backpack takes a laptop is in the
// FAQ, that the camera bag may go on a plane in the community Q&A. An
// answer from the product alone misses the fact the rule adds; one from
// the rule alone misses the product's citation. pairSources adds the
// other half: the rule or FAQ entry that names the cited product by its
// title and covers what the question asks besides the name, or the
// product a rule's answer is asked about by its title.

// pairCoverage is the share of what a question asks besides the product's
// name that a rule naming the product must cover to be quoted with it:
// less than minCoverage, since naming the product is evidence too.
const pairCoverage = 0.25

// sizesAskRe asks which sizes a product comes in.
var sizesAskRe = regexp.MustCompile(`(?i)\bsizes\b|\bsize\s+(range|options)\b|what\s+size|尺码|码数|(哪些|几|什么|多大)(个)?码|码(全|齐|数)|有.{0,2}码|号码`)

// pairSources completes the draft d of a product or policy answer with
// the other kind of source (see above).
func (a *Assistant) pairSources(ctx context.Context, d *draft, t *turn) error {
	if d.handoff != "" || slices.Contains(d.flags, FlagUnanswered) || len(d.cites) == 0 {
		return nil
	}
	var products, policies int
	for _, c := range d.cites {
		switch c.Kind {
		case CiteProduct:
			products++
		case CitePolicy:
			policies++
		}
	}
	// "can I return it if it doesn't fit?": the fit reads as an exchange,
	// and the rule she names by its own word (return) is asked too
	if policies == 1 && d.intent != IntentOrder {
		a.namedRule(d, t)
	}
	switch {
	case products == 1 && policies == 0:
		for _, pr := range d.src.Products {
			if slices.Contains(d.cites, Citation{Kind: CiteProduct, ID: pr.SKU}) {
				a.ruleOfProduct(d, pr, t)
				break
			}
		}
		// "can I return the band set without a receipt?": the rule she
		// asks for by its verb, beside the product she names
		if len(d.cites) == 1 {
			a.namedRule(d, t)
		}
	case products == 0 && policies > 0 && d.intent != IntentOrder:
		p, ok, err := a.titledProduct(ctx, t)
		if err != nil || !ok {
			return err
		}
		for _, c := range d.cites {
			if pa, found := a.ix.Passage(CitePolicy, c.ID, t.lang); found && strings.Contains(normalize(pa.Text+" "+pa.Title), normalize(p.Title)) {
				// the rule is about this product: cite it with its price
				a.productFacts(d, p, t, false)
				return nil
			}
		}
	}
	return nil
}

// ruleOfProduct adds the rule or FAQ entry that names the product p by
// its title and covers the rest of the question.
func (a *Assistant) ruleOfProduct(d *draft, p catalog.Product, t *turn) {
	title := normalize(p.Title)
	rest := strings.ReplaceAll(normalize(t.req.Text), title, " ")
	sizes := sizesAskRe.MatchString(rest)
	if rest == normalize(t.req.Text) || !sizes && !a.ix.weighsTerms(rest, t.lang) {
		return // she named it otherwise, or asks nothing but the product
	}
	best, bestCov := Passage{}, 0.0
	for _, pa := range a.ix.Passages(CitePolicy, t.lang) {
		if !strings.Contains(normalize(pa.Title+" "+pa.Text), title) {
			continue
		}
		c := a.ix.coverage(rest, pa)
		if sizes && pa.Topic == "sizing" {
			c = 1 // the size guide states the sizes a product comes in
		}
		if c > bestCov {
			best, bestCov = pa, c
		}
	}
	if best.ID == "" || bestCov < pairCoverage {
		return
	}
	addRule(d, t, best, 320)
}

// addRule says the sentences of rule p that bear on the question (at most
// limit runes), cited, before the offer of a person when there is one.
func addRule(d *draft, t *turn, p Passage, limit int) {
	ph := phrasesFor(t.lang)
	part := fmt.Sprintf(ph.about, p.Title) + relevantSentences(p.Text, terms(t.req.Text, t.lang), t.lang, limit) + " " + p.Cite().String()
	if i := slices.Index(d.parts, ph.offerPerson); i >= 0 {
		d.parts = slices.Insert(d.parts, i, part)
	} else {
		d.say(part)
	}
	d.cite(p.Cite())
	d.src.Facts = append(d.src.Facts, p.Title, p.Text)
}

// namedRule adds to an answer of one rule the rule whose topic the
// question asks for by its verb ("can I return", 能退吗): the rule the
// search found (the exchange, for "doesn't fit") and the one she names.
func (a *Assistant) namedRule(d *draft, t *turn) {
	var cited Passage
	for _, c := range d.cites {
		if c.Kind == CitePolicy {
			cited, _ = a.ix.Passage(c.Kind, c.ID, t.lang)
		}
	}
	best, bestCov := Passage{}, -1.0
	for _, p := range a.ix.Passages(CitePolicy, t.lang) {
		if p.ID == cited.ID || cited.ID != "" && p.Topic == cited.Topic || p.Kind != CitePolicy || strings.HasPrefix(p.ID, "faq-") {
			continue
		}
		// her verb is the rule's topic: "can I return", 能退吗
		n := normalize(t.req.Text)
		if !askVerbRe(p.Topic).MatchString(n) && (cited.ID != "" || wantVerbs[p.Topic] == nil || !wantVerbs[p.Topic].MatchString(n)) {
			continue
		}
		// of a topic ruled twice (七天无理由, 质量问题), the one the
		// question is closest to
		if c := a.ix.coverage(t.req.Text, p); c > bestCov {
			best, bestCov = p, c
		}
	}
	if best.ID == "" {
		return
	}
	addRule(d, t, best, 200)
}

// ruleVerbs are the verbs of asking for what a rule's topic grants.
var ruleVerbs = map[string]*regexp.Regexp{
	"returns":  regexp.MustCompile(`(?i)\b(can|could|may)\s+i\s+(still\s+)?(return|send\s+(it|them)\s+back)\b|(能|可以|能不能|可不可以)退(货|吗|掉)?`),
	"exchange": regexp.MustCompile(`(?i)\b(can|could|may)\s+i\s+(still\s+)?(exchange|swap)\b|(能|可以|能不能|可不可以)换(货|吗|掉)?`),
}

var noVerb = regexp.MustCompile(`$^`)

// askVerbRe is the pattern of asking for what the topic grants.
func askVerbRe(topic string) *regexp.Regexp {
	if re, ok := ruleVerbs[topic]; ok {
		return re
	}
	return noVerb
}

// wantVerbs are the verbs of saying she wants what a rule's topic grants
// to a product she names ("I'd like to return the packing cubes", 我想退
// 这个): beside the product the rule is what she asks. Beside a rule
// already cited (我要退货，优惠券能还给我吗) they are her circumstance.
var wantVerbs = map[string]*regexp.Regexp{
	"returns":  regexp.MustCompile(`(?i)\b(want|wanna|would like|'d like|need|wish|trying|planning|hoping)\s+to\s+(return|send\s+(it|them|this|these|that|those)\s+back)\b|(想|要|申请|打算|准备)退(货|掉|回)`),
	"exchange": regexp.MustCompile(`(?i)\b(want|wanna|would like|'d like|need|wish|trying|planning|hoping)\s+to\s+(exchange|swap)\b|(想|要|申请|打算|准备)换(货|掉|个)`),
}
