package support

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/support/vocab"
)

// A recommendation by need: "my dad who hikes, under $100", 背相机一天肩膀酸,
// "a week of camping in the rain", 不要太重的相机包. The need vocabulary
// (vocab/needs.yaml) names the concepts a message has; every product of
// the shop in stock is scored by the concepts its tags, category and card
// words meet, plus the kind of product she names and how much of her
// words its card has (the index's coverage), then held to her budget and
// ranked with ties broken by price and SKU. The answer cites the top one
// to three, each with why it fits.

// needMatch is what the need vocabulary reads from a request.
type needMatch struct {
	concepts []vocab.Concept
	budget   float64 // 0: none stated
	cheap    bool
	goesWith bool
}

// readNeeds reports the need concepts and constraints of a normalised
// request.
func readNeeds(n string) needMatch {
	tb := vocab.Needs()
	m := needMatch{concepts: tb.Match(n), goesWith: tb.GoesWith.Has(n)}
	for _, c := range m.concepts {
		if c.Cheap {
			m.cheap = true
		}
	}
	m.budget = budgetOf(n)
	return m
}

// hasNeed reports whether a concept says what she needs, not only a
// constraint on it or the thing it is for.
func (m needMatch) hasNeed() bool {
	return slices.ContainsFunc(m.concepts, vocab.Concept.IsNeed)
}

// asksForNeed reports whether the normalised message n asks what the shop
// has for a need: a need concept (two products compared for one included:
// "for a day hike, the hydration pack or the camera backpack?"), what goes
// with a product she bought, or a constraint or budget beside a cue of
// asking (想要个轻一点的帐篷, "any camera bag under $50?"). Analyze reads it
// for the intent.
func asksForNeed(n string) bool {
	tb := vocab.Needs()
	// what the lantern costs, whether the bag may go on a plane: about a
	// product, whatever need its name or her story holds
	if tb.About.Has(n) {
		return false
	}
	// 充电宝多少瓦时？ asks a measure of the product she names (see
	// attrKinds), not for something that meets a need
	if len(askedKinds(n)) > 0 {
		return false
	}
	// "will it rain in Guangzhou today?" asks the weather, not for a
	// jacket; "the forecast says rain all week" tells her need
	asked := strings.ContainsAny(n, "?？") || strings.Contains(n, "吗")
	if asked && !tb.Asks.Has(n) && slices.ContainsFunc(offTopicCues, func(w string) bool { return cueIn(n, w) }) {
		return false
	}
	m := readNeeds(n)
	if m.hasNeed() || m.goesWith {
		return true
	}
	constraint := slices.ContainsFunc(m.concepts, func(c vocab.Concept) bool { return c.Kind == vocab.KindConstraint })
	return (constraint || m.budget > 0) && tb.Asks.Has(n)
}

// budgetRes read an upper bound on the price: "under $100", "nothing over
// $80", "below 60", 300块以内, 500元内, 预算350, 不超过200元.
var budgetRes = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\b(?:under|below|less than|no more than|not more than|nothing over|not over|max(?:imum)?|up to|within|budget(?: is| of)?)\s*(?:us)?\$?\s*(\d+(?:\.\d+)?)`),
	regexp.MustCompile(`(?i)\$\s*(\d+(?:\.\d+)?)\s*(?:or less|or under|max|tops)\b`),
	regexp.MustCompile(`(\d+(?:\.\d+)?)\s*(?:块钱|块|元|rmb|¥)?\s*(?:以内|以下|之内)`),
	regexp.MustCompile(`(\d+(?:\.\d+)?)\s*(?:块钱|块|元)\s*内`),
	regexp.MustCompile(`(?:预算|不超过|不要超过|别超过|最多)\s*(?:是|在|大概|差不多)?\s*[¥￥]?\s*(\d+(?:\.\d+)?)`),
}

// measureAfterRe is a unit after a number: "within 3 days", "up to 8 kg",
// 3天以内 and 20寸以下 bound a time or a size, not the price.
var measureAfterRe = regexp.MustCompile(`(?i)^\s*(?:days?|weeks?|months?|hours?|h\b|mins?|minutes?|kg|g\b|l\b|litres?|liters?|ml|mah|w\b|inch|inches|cm|mm|gb|天|周|个月|月|小时|分钟|公斤|千克|斤|克|升|毫升|寸|英寸|厘米|米|个|件|片|包|人|岁)`)

// budgetOf is the budget the normalised text n states, 0 for none.
func budgetOf(n string) float64 {
	n = spelledAmounts(n)
	for _, re := range budgetRes {
		for _, m := range re.FindAllStringSubmatchIndex(n, -1) {
			if measureAfterRe.MatchString(n[m[3]:]) {
				continue
			}
			if v, err := strconv.ParseFloat(n[m[2]:m[3]], 64); err == nil && v > 0 {
				return v
			}
		}
	}
	return 0
}

// needPick is a product the need ranking chose and why.
type needPick struct {
	p      catalog.Product
	score  float64
	labels []string // the concepts it meets, in her language
}

// needMinFit is the least score of a product worth recommending for a
// need (unless it meets two of her concepts), needBand the share of the
// best score a further pick needs.
const (
	needMinFit = 1
	needBand   = 0.6
	needSpread = 4 // products a concept may meet at its full weight
	kindWeight = 3 // the kind she names, in one category
)

// topCategory is the first level of a category path ("Outdoor > Hiking").
func topCategory(c string) string {
	top, _, _ := strings.Cut(c, ">")
	return strings.TrimSpace(top)
}

// rankNeeds scores the shop's products in stock in her language for the
// needs of the request rq (already freed of what she ruled out) and
// returns up to three, best first; none when no product meets a need.
func (a *Assistant) rankNeeds(ctx context.Context, t *turn, rq string, avoid []string) ([]needPick, needMatch, error) {
	// the budget's words are no words of the product (以内 is no 内胆包)
	for _, re := range budgetRes {
		rq = re.ReplaceAllString(rq, " ")
	}
	n := normalize(rq)
	m := readNeeds(n)
	raw := readNeeds(normalize(t.req.Text))
	// constraints said with a negation (不要太重) are read from rq, where
	// they became their opposite; a budget or "cheap" from her own words
	m.budget = max(m.budget, raw.budget)
	m.cheap = m.cheap || raw.cheap
	if len(m.concepts) == 0 && m.budget == 0 && !m.goesWith {
		return nil, m, nil
	}
	// a question of a product's own facts beside a need (多重啊，爬山背着累不累)
	// is the product's to answer
	if vocab.Needs().About.Has(normalize(t.req.Text)) {
		return nil, m, nil
	}
	ps, err := a.st.ListProducts(ctx)
	if err != nil {
		return nil, m, err
	}
	passages := map[string]Passage{}
	for _, p := range a.ix.Passages(CiteProduct, t.lang) {
		passages[p.ID] = p
	}
	named := kindsNamed(rq, ps)
	// a kind she does not want ("I don't want a hydration pack", 不要桌面那种)
	_, kindsOut := productNegation(t.req.Text)
	// what goes with a product she bought: the products that share its
	// tags, not the product itself
	var bought []string
	var boughtTags []string
	if m.goesWith {
		for _, p := range ps {
			if named(p) {
				bought = append(bought, p.SKU)
				for _, tg := range p.Tags {
					if !slices.Contains(boughtTags, tg) && tg != "gift" && tg != "bestseller" && tg != "consumable" {
						boughtTags = append(boughtTags, tg)
					}
				}
			}
		}
	}
	// a concept most products meet says little of which (travel, photography):
	// its weight is shared out beyond needSpread products, as a term's in
	// BM25; so is a kind named by a word of many categories ("bag")
	fitCount := make([]int, len(m.concepts))
	kindCats := map[string]bool{}
	var live []catalog.Product
	for _, p := range ps {
		if _, ok := passages[p.SKU]; !ok || !p.Active || p.Stock <= 0 {
			continue
		}
		live = append(live, p)
		text := productText(p) + " " + strings.ToLower(strings.Join(p.Tags, " "))
		for i, c := range m.concepts {
			if c.Fits(p.Tags, p.Category, text) > 0 {
				fitCount[i]++
			}
		}
		if named(p) {
			kindCats[topCategory(p.Category)] = true
		}
	}
	kindBonus := 0.0
	if len(kindCats) > 0 {
		kindBonus = kindWeight / float64(len(kindCats))
	}
	var picks []needPick
	for _, p := range live {
		pp := passages[p.SKU]
		if slices.Contains(bought, p.SKU) || ruledOut(pp, avoid) || avoided(pp, kindsOut) {
			continue
		}
		if m.budget > 0 && p.Price > m.budget {
			continue
		}
		text := productText(p) + " " + strings.ToLower(strings.Join(p.Tags, " "))
		var s float64
		var labels []string
		need := false
		met := 0
		for i, c := range m.concepts {
			f := c.Fits(p.Tags, p.Category, text)
			if f == 0 {
				continue
			}
			s += f * c.Weight() * min(1, needSpread/float64(fitCount[i]))
			met++
			if c.IsNeed() || c.Kind == vocab.KindConstraint {
				if l := c.LabelIn(t.lang); l != "" && !slices.Contains(labels, l) {
					labels = append(labels, l)
				}
			}
			need = need || c.IsNeed()
		}
		if len(bought) == 0 && named(p) {
			s += kindBonus
			need = true
		}
		shared := 0
		for _, tg := range boughtTags {
			if slices.Contains(p.Tags, tg) {
				shared++
			}
		}
		if shared > 0 {
			s += 2 * float64(shared)
			need = true
		}
		// a need met weakly (only "travel", which most products meet) is
		// left to the search, unless the product meets two of her concepts
		// (a gift for one who likes taking photos: a camera strap tagged gift)
		if !need || s < needMinFit && met < 2 {
			continue
		}
		s += a.ix.coverage(rq, pp)
		picks = append(picks, needPick{p: p, score: s, labels: labels})
	}
	slices.SortFunc(picks, func(x, y needPick) int {
		switch {
		case x.score > y.score:
			return -1
		case x.score < y.score:
			return 1
		case x.p.Price != y.p.Price:
			if x.p.Price < y.p.Price {
				return -1
			}
			return 1
		}
		return strings.Compare(x.p.SKU, y.p.SKU)
	})
	if len(picks) == 0 {
		return nil, m, nil
	}
	top := picks[0].score
	out := picks[:0]
	for _, x := range picks {
		if x.score >= top*needBand && len(out) < 3 {
			out = append(out, x)
		}
	}
	// "便宜点的": the lower price first among the products that fit
	if m.cheap {
		slices.SortStableFunc(out, func(x, y needPick) int {
			switch {
			case x.p.Price < y.p.Price:
				return -1
			case x.p.Price > y.p.Price:
				return 1
			}
			return 0
		})
	}
	return out, m, nil
}

// sayNeedPicks writes the need ranking's products: each with its price and
// selling points from its card, the needs it meets, and its citation.
func (a *Assistant) sayNeedPicks(d *draft, t *turn, nps []needPick, m needMatch) {
	ph := phrasesFor(t.lang)
	head := ph.recHeadGeneric
	if m.budget > 0 {
		head = ph.recHeadBudget
	}
	lines := []string{head}
	for i, x := range nps {
		open, shut := "（", "）"
		if t.lang == En {
			open, shut = " (", ")"
		}
		line := strconv.Itoa(i+1) + ". " + x.p.Title + open + content.FormatPrice(x.p.Price, x.p.Currency) + shut + ph.colon
		if len(x.labels) > 0 {
			line += ph.fitsFor + strings.Join(x.labels, ph.listSep) + ph.clauseSep
		}
		if len(x.p.SellingPoints) > 0 {
			line += strings.Join(x.p.SellingPoints[:min(3, len(x.p.SellingPoints))], ph.listSep)
		}
		c := Citation{Kind: CiteProduct, ID: x.p.SKU}
		line += ph.sentenceEnd + " " + c.String()
		lines = append(lines, line)
		d.cite(c)
		d.src.addProduct(x.p)
	}
	d.say(strings.Join(lines, "\n"))
}

// kindsNamed returns whether a product is of a kind the request rq names
// in the words of its title: the head noun of the title (a Latin title's
// last word, a Chinese title's last two characters, without a bracketed
// count or a figure) is in her words. 相机包 names 微单斜挎相机包, "the
// tent" the Two-person Lightweight Tent; "camping" names no Camp Lantern.
func kindsNamed(rq string, ps []catalog.Product) func(catalog.Product) bool {
	n := normalize(rq)
	runs := wordRuns(n)
	words := map[string]bool{}
	for _, w := range runs {
		words[stem(w)] = true
	}
	tb := vocab.Needs()
	// a head that is a need's own word (咖啡 of 咖啡控, "camp" of camping)
	// says the need, which its concept scores, not a kind
	cue := func(h string) bool {
		return slices.ContainsFunc(tb.Match(h), func(c vocab.Concept) bool { return c.Kind != vocab.KindKind })
	}
	// a kind named in the other script (一个lightweight的tripod): a tag of
	// the product that is some title's head noun and is in her words
	kindTags := map[string]bool{}
	for _, p := range ps {
		if h := titleHead(p.Title); h != "" && !isHan(h) {
			kindTags[stem(h)] = true
		}
	}
	tagNamed := func(p catalog.Product) bool {
		for _, tg := range p.Tags {
			if st := stem(tg); kindTags[st] && words[st] && !cue(tg) {
				return true
			}
		}
		return false
	}
	return func(p catalog.Product) bool {
		if hasHan(p.Title) && hasLatin(n) && tagNamed(p) {
			return true
		}
		h := titleHead(p.Title)
		if h == "" {
			return false
		}
		if isHan(h) {
			return strings.Contains(n, h) && !cue(h)
		}
		if !words[stem(h)] || cue(h) {
			return false
		}
		// the word before it in her words, unless a need's own, is in
		// the product's title or category too: a camera bag is no Drip
		// Coffee Bag
		card := normalize(p.Title + " " + p.Category)
		for i, w := range runs {
			if stem(w) != stem(h) || i == 0 {
				continue
			}
			mod := runs[i-1]
			if stopWords[mod] || len(mod) < 3 || cue(mod) || allDigits(mod) {
				return true
			}
			if strings.Contains(card, stem(mod)) {
				return true
			}
		}
		return !slices.ContainsFunc(runs[1:], func(w string) bool { return stem(w) == stem(h) }) || stem(runs[0]) == stem(h)
	}
}

// titleHead is the head noun of a product title, "" when it has none.
func titleHead(title string) string {
	t := normalize(bracketRe.ReplaceAllString(title, " "))
	runs := wordRuns(t)
	for i := len(runs) - 1; i >= 0; i-- {
		rs := []rune(runs[i])
		switch {
		case unicode.Is(unicode.Han, rs[0]):
			if len(rs) >= 2 {
				return string(rs[len(rs)-2:])
			}
			return string(rs)
		case len(rs) >= 3 && !allDigits(runs[i]) && unicode.IsLetter(rs[0]) && !unicode.IsDigit(rs[len(rs)-1]):
			return runs[i]
		}
	}
	return ""
}

// zhAmountRe is an amount in Chinese numerals of hundreds or thousands
// (两百, 三百五, 一千二, 五百五十); enAmountRe one in English words (two
// hundred, a hundred and fifty, fifty).
var (
	zhAmountRe = regexp.MustCompile(`([一二两三四五六七八九])(百|千)(?:([一二两三四五六七八九])(十)?)?`)
	enAmountRe = regexp.MustCompile(`(?i)\b(?:(a|one|two|three|four|five|six|seven|eight|nine)\s+hundred(?:\s+(?:and\s+)?(ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety))?|(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety))\b`)
	zhDigit    = map[string]int{"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
	enDigit    = map[string]int{"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
		"ten": 10, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
)

// spelledAmounts writes the amounts of n spelt in words (两百以内, "under two
// hundred") in digits, so that a budget said so is read.
func spelledAmounts(n string) string {
	n = zhAmountRe.ReplaceAllStringFunc(n, func(m string) string {
		g := zhAmountRe.FindStringSubmatch(m)
		unit := 100
		if g[2] == "千" {
			unit = 1000
		}
		v := zhDigit[g[1]] * unit
		if g[3] != "" {
			if g[4] != "" {
				v += zhDigit[g[3]] * 10
			} else {
				// 三百五 is 350, 一千二 1200
				v += zhDigit[g[3]] * unit / 10
			}
		}
		return strconv.Itoa(v)
	})
	return enAmountRe.ReplaceAllStringFunc(n, func(m string) string {
		g := enAmountRe.FindStringSubmatch(strings.ToLower(m))
		if g[3] != "" {
			return strconv.Itoa(enDigit[g[3]])
		}
		return strconv.Itoa(enDigit[g[1]]*100 + enDigit[g[2]])
	})
}
