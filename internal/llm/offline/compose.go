package offline

import (
	"fmt"
	"hash/fnv"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chorusmkt/chorus/internal/content/lexicon"
)

// phrasebook is one language's stock of sentence templates, by slot.
type phrasebook struct {
	hooks                                                   map[string][]string
	intros, introsShort                                     []string
	details                                                 map[string][]string
	bridges, offers, offersNoDate, closings, ctas           []string
	subjects, preheaders, pushTitles, pushBodies, headlines []string
	noteTitles, links, supports, signoffs                   []string
	supportOffer, supportTail, greetingSlot, greeting       string
	unsubscribe, sentenceJoin, ctaLink                      string
}

// benefit says what a selling point containing key does for the reader,
// for products of the given families (nil: any).
type benefit struct {
	key      string
	families []string
	texts    []string
}

// composer writes one variant.
type composer struct {
	f       facts
	pb      *phrasebook
	seed    uint64
	variant int
	try     int
	// spread is the unit's place in its campaign (Hints.Variation) times
	// the variants asked, plus the variant: rotations over it are even
	spread    int
	campaign  bool
	vars      map[string]string
	taboo     []string
	emoji     string
	info      lexicon.ProductInfo
	family    string
	hookKind  string
	hasBought bool
	said      map[string]bool // facts the field's sentences have said
	listed    []string        // the points {l1} {l2} {l3} list, in order
	factText  map[string]string
	// written are the sentences of the fields written so far, folded:
	// a body does not repeat its subject or headline
	written map[string]bool
	// smsUnits: budgets are measured as carriers bill an SMS
	smsUnits bool
	// openers are the first words of the fields written so far: a
	// preheader does not open like its subject
	openers map[string]bool
	// offerSaid: an earlier one-line field stated the offer, so the next
	// one says something else when it can
	offerSaid bool
}

func newComposer(f facts, seed uint64, variant, try, variants int) *composer {
	c := &composer{f: f, pb: f.pb, seed: seed, variant: variant, try: try}
	if v := f.h.Variation; v != nil {
		c.campaign = true
		c.spread = *v*max(variants, 1) + variant
	}
	h := f.h
	p := h.Product
	title := lexicon.DisplayTitle(strings.TrimSpace(p.Title))
	c.info = lexicon.Describe(p.Title, p.Category, p.Tags)
	c.info.ServeNamed(append([]string{p.Description}, p.SellingPoints...)...)
	c.family = c.info.Kind.Family
	c.vars = map[string]string{"p": title, "url": p.URL}
	brand := p.Brand
	if h.Voice != nil && h.Voice.Brand != "" {
		brand = h.Voice.Brand
	}
	c.vars["brand"] = brand
	if p.Price > 0 {
		c.vars["price"] = strconv.FormatFloat(p.Price, 'f', -1, 64) + " " + p.Currency
	}
	if b := h.Brief; b != nil {
		c.taboo = append(c.taboo, b.MustNot...)
	}
	if v := h.Voice; v != nil {
		c.taboo = append(c.taboo, v.Taboo...)
	}
	c.taboo = append(c.taboo, f.avoid...)
	c.agreement()
	c.references(title)
	c.points(p.SellingPoints, p.Description, brand)
	c.hooks()
	if b := h.Brief; b != nil {
		c.vars["offer"] = b.Offer
		if b.Deadline != "" {
			short := f.channel == "sms" || f.channel == "push" || f.channel == "ad"
			c.vars["date"] = lexicon.DateWords(b.Deadline, f.lang, short)
			if b.Offer != "" {
				if f.lang == "zh" {
					c.vars["untilc"] = "，" + c.vars["date"] + "截止"
				} else {
					c.vars["untilc"] = " until " + c.vars["date"]
				}
			}
		}
		if c.vars["untilc"] == "" {
			c.vars["untilc"] = "\x00" // present but empty: the template still fills
		}
	}
	if v := h.Voice; v != nil {
		c.emoji = v.Emoji
	}
	if c.emoji == "" {
		switch f.channel {
		case "xiaohongshu", "instagram", "weibo", "moments":
			c.emoji = "light"
		default:
			c.emoji = "none"
		}
	}
	return c
}

// agreement sets the English words that agree with the product's number.
func (c *composer) agreement() {
	pl := c.f.lang == "en" && c.info.Plural
	set := func(k, one, many string) {
		if pl {
			c.vars[k] = many
		} else {
			c.vars[k] = one
		}
	}
	set("it", "it", "they")
	set("them", "it", "them")
	set("is", "is", "are")
	set("has", "has", "have")
	set("does", "does", "do")
	set("s", "s", "\x00")
	set("es", "es", "\x00")
	set("its", "its", "their")
	set("this", "this", "these")
}

// references are the ways of referring to the product once named.
func (c *composer) references(title string) {
	if c.f.lang == "zh" {
		mw := c.info.Measure()
		c.vars["mw"] = mw
		if n := c.info.Noun; n != "" && hasHan(n) {
			c.vars["noun"] = n
			c.vars["ref"] = "这" + mw + n
		}
		return
	}
	if n := c.info.Noun; n != "" && !hasHan(n) {
		c.vars["noun"] = n
		c.vars["ref"] = "the " + n
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// points classifies the selling points and sets the lists and phrases
// that place each kind where it reads right.
func (c *composer) points(raw []string, description, brand string) {
	lang := c.f.lang
	// a point the title already says (5片装 in …（5片装）) is not repeated
	var fresh []string
	low := strings.ToLower(c.f.h.Product.Title)
	for _, sp := range clean(raw) {
		if !strings.Contains(low, strings.ToLower(sp)) && !c.isTaboo(sp) {
			fresh = append(fresh, sp)
		}
	}
	sps := rotate(fresh, c.variant+c.spread)
	names := properNames(brand, description)
	var listable, adjs, claims, sentences, mats []string
	var firstBenefit string
	for _, sp := range sps {
		pt := lexicon.ClassifyPoint(sp, lang)
		inline := sp
		if lang == "en" {
			inline = lowerLead(sp, names)
		}
		switch pt.Kind {
		case lexicon.Adjective:
			adjs = append(adjs, inline)
			listable = append(listable, inline)
		case lexicon.Noun, lexicon.Spec:
			listable = append(listable, inline)
			if pt.Material && pt.Kind == lexicon.Noun && (lang == "zh" || materialLast(sp)) {
				mats = append(mats, inline)
			}
		case lexicon.Claim:
			switch {
			case lang == "zh":
				claims = append(claims, inline)
				listable = append(listable, inline)
			case pt.Verb3:
				claims = append(claims, c.inflect(inline))
			default:
				sentences = append(sentences, inline)
			}
		}
		if firstBenefit == "" {
			firstBenefit = c.benefitOf(sp)
		}
	}
	c.listed = listable
	c.factText = map[string]string{}
	join := func(xs []string) string { return joinList(xs, lang) }
	if len(listable) >= 1 {
		c.vars["l1"] = listable[0]
	}
	if len(listable) < 2 {
		c.vars["few"] = "\x00" // intros about a single point may fill
	}
	if len(listable) >= 2 {
		c.vars["l2"] = join(listable[:2])
		c.vars["l3"] = join(listable[:min(3, len(listable))])
	}
	if len(adjs) > 0 {
		c.vars["a"] = joinAdj(adjs[:min(3, len(adjs))], lang)
		c.vars["a1"] = adjs[0]
	}
	if len(adjs) > 1 {
		c.vars["a2"] = adjs[1]
	}
	if len(mats) > 0 {
		c.vars["mat"] = mats[0]
		c.factText["mat"] = mats[0]
	}
	if len(claims) > 0 {
		c.vars["c1"] = claims[0]
		c.factText["c1"] = claims[0]
	}
	if len(adjs) > 0 {
		c.factText["a"] = adjs[0]
	}
	if len(sentences) > 0 {
		c.vars["cs"] = sentences[0]
	}
	if firstBenefit != "" {
		c.vars["b1"] = firstBenefit
	}
	// what the kind is for, unless the points already say it (points
	// derived from the title include it)
	if u := lexicon.Use(c.info.Kind.Key, lang); u != "" && !slices.ContainsFunc(raw, func(s string) bool { return strings.EqualFold(s, u) }) {
		c.setUse(u)
	}
}

func (c *composer) setUse(u string) {
	if c.f.lang == "zh" {
		c.vars["use"] = u
		return
	}
	pt := lexicon.ClassifyPoint(u, "en")
	inline := lowerLead(u, nil)
	switch {
	case pt.Kind == lexicon.Claim && pt.Verb3:
		c.vars["usev"] = c.inflect(inline)
	case strings.HasPrefix(inline, "made "):
		c.vars["usea"] = inline
	}
}

// inflect makes an English claim agree with a plural product name.
func (c *composer) inflect(claim string) string {
	if c.info.Plural {
		return lexicon.ThirdToPlural(claim)
	}
	return claim
}

func materialLast(sp string) bool {
	ws := lexicon.Words(sp)
	if len(ws) == 0 {
		return false
	}
	p := lexicon.ClassifyPoint(ws[len(ws)-1], "en")
	return p.Material || strings.HasSuffix(ws[len(ws)-1], "fibre") || ws[len(ws)-1] == "wax" || ws[len(ws)-1] == "foam"
}

// benefitOf says what a selling point does for the reader, when the
// phrasebook has words for it that fit the product's family.
func (c *composer) benefitOf(sp string) string {
	table := enBenefits
	key := strings.ToLower(sp)
	if c.f.lang == "zh" {
		table = zhBenefits
		key = sp
	}
	for _, b := range table {
		if !strings.Contains(key, b.key) {
			continue
		}
		if b.families != nil && !slices.Contains(b.families, c.family) {
			continue
		}
		txt := b.texts[c.start("benefit:"+b.key, len(b.texts))]
		if out, ok := c.fill(txt); ok {
			return out
		}
	}
	return ""
}

func joinList(xs []string, lang string) string {
	if lang == "zh" {
		short := true
		for _, x := range xs {
			if utf8.RuneCountInString(x) > 4 {
				short = false
			}
		}
		if short {
			return strings.Join(xs, "、")
		}
		return strings.Join(xs, "，")
	}
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	// "light and splash-proof and six sizes" reads badly: a point that has
	// its own "and" is followed by ", plus"
	for _, x := range xs {
		if strings.Contains(x, " and ") {
			return strings.Join(xs[:len(xs)-1], ", ") + ", plus " + xs[len(xs)-1]
		}
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// joinAdj joins adjectives as a predicate: 防水又防震, 防水、防震又轻便;
// "light and compact".
func joinAdj(xs []string, lang string) string {
	if lang != "zh" {
		return joinList(xs, lang)
	}
	switch len(xs) {
	case 1:
		return xs[0]
	case 2:
		return xs[0] + "又" + xs[1]
	}
	return strings.Join(xs[:len(xs)-1], "、") + "又" + xs[len(xs)-1]
}

// hooks decide what connects this reader and this product: a purchase to
// restock, an interest the product serves, the campaign's occasion, the
// season, the price. An interest the product does not serve is never
// used.
func (c *composer) hooks() {
	lang := c.f.lang
	var kinds []string
	per := c.f.h.Persona
	title := strings.ToLower(strings.Join(strings.Fields(c.f.h.Product.Title), " "))
	if per != nil {
		for _, b := range per.RecentPurchases {
			bt := strings.ToLower(strings.Join(strings.Fields(b), " "))
			if bt == title || strings.EqualFold(lexicon.DisplayTitle(b), c.vars["p"]) {
				if c.info.Kind.Consumable {
					kinds = append(kinds, "restock")
				}
				continue
			}
			if !c.hasBought && c.complements(b) {
				c.vars["bought"] = lexicon.DisplayTitle(b)
				c.hasBought = true
			}
		}
		for _, in := range per.Interests {
			key := lexicon.InterestOf(in)
			if key == "" || !c.info.Serves(key) {
				continue
			}
			c.vars["i"] = lexicon.InterestNoun(key, lang)
			c.vars["ia"] = lexicon.InterestAttr(key, lang)
			kinds = append(kinds, "interest")
			break
		}
	}
	if b := c.f.h.Brief; b != nil && b.Occasion != "" {
		if o, ok := lexicon.OccasionByKey(b.Occasion); ok {
			fits := !(o.Themed && c.info.Theme != "" && c.info.Theme != o.Key)
			if o.Gifting && !c.info.Kind.Gift && c.info.Theme != o.Key {
				fits = false
			}
			if fits {
				name := lexicon.OccasionName(o.Key, lang)
				c.vars["o"] = name
				if o.Gifting {
					c.vars["og"] = name
				}
				if !o.Themed && !o.Gifting {
					c.vars["os"] = name
				}
				kinds = append(kinds, "occasion")
			}
		}
	}
	if b := c.f.h.Brief; b != nil && len(c.info.Kind.Seasons) > 0 {
		if s := lexicon.Season(b.Deadline); s != "" && c.info.Kind.InSeason(s) {
			c.vars["season"] = s
			kinds = append(kinds, "season_"+s)
		}
	}
	switch c.f.h.Product.PriceBand {
	case "budget":
		kinds = append(kinds, "price_budget")
	case "premium", "luxury":
		kinds = append(kinds, "price_premium")
	}
	if len(kinds) == 0 {
		return
	}
	if slices.Contains(kinds, "restock") {
		c.vars["restock"] = "\x00" // the templates that remind of a restock may fill
	}
	// the two strongest connections take turns over a campaign
	k := kinds[0]
	if len(kinds) > 1 && c.spread%2 == 1 {
		k = kinds[1]
	}
	c.hookKind = k
}

// complements reports whether a past purchase goes with the product: a
// different kind that serves one of the same interests, or a title that
// shares its range's name with this one (RETROSPOT, REGENCY).
func (c *composer) complements(bought string) bool {
	other := lexicon.Describe(bought, "", nil)
	if other.Kind.Key == c.info.Kind.Key {
		return false
	}
	if other.Kind.Key != "general" && c.info.Kind.Key != "general" {
		for _, in := range other.Kind.Interests {
			if slices.Contains(c.info.Kind.Interests, in) {
				return true
			}
		}
	}
	mine := lexicon.Words(c.f.h.Product.Title)
	for _, w := range lexicon.Words(bought) {
		if len(w) >= 6 && rangeWord(w) && slices.Contains(mine, w) {
			return true
		}
	}
	return false
}

// rangeWord: a word naming a product range rather than what it is or its
// colour (retrospot, regency, babushka; not holder, christmas, vintage).
func rangeWord(w string) bool {
	switch w {
	case "christmas", "vintage", "design", "hanging", "holder", "decoration", "assorted", "colour", "colours", "small", "medium",
		"large", "silver", "purple", "yellow", "orange", "turquoise", "wooden", "sweetheart", "flower", "flowers", "hearts",
		"bottle", "candle", "candles", "garden", "kitchen", "children", "childrens", "pencils", "jumbo", "ribbons":
		return false
	}
	return !strings.ContainsFunc(w, unicode.IsDigit)
}

func clean(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func rotate(in []string, k int) []string {
	if len(in) < 2 {
		return in
	}
	k %= len(in)
	return append(append([]string(nil), in[k:]...), in[:k]...)
}

// isTaboo reports whether s says something the voice, the brief or a
// repair request forbids.
func (c *composer) isTaboo(s string) bool {
	low := strings.ToLower(s)
	for _, t := range c.taboo {
		if t != "" && strings.Contains(low, strings.ToLower(t)) {
			return true
		}
	}
	return false
}

// fill replaces {name} placeholders; ok is false when a fact is missing or
// the sentence would say something taboo.
func (c *composer) fill(tpl string) (string, bool) {
	var b strings.Builder
	for {
		i := strings.IndexByte(tpl, '{')
		if i < 0 {
			b.WriteString(tpl)
			break
		}
		j := strings.IndexByte(tpl[i:], '}')
		if j < 0 {
			b.WriteString(tpl)
			break
		}
		name := tpl[i+1 : i+j]
		if strings.HasPrefix(name, "{") { // {{slot}} passes through
			k := strings.Index(tpl[i:], "}}")
			b.WriteString(tpl[:i+k+2])
			tpl = tpl[i+k+2:]
			continue
		}
		key := strings.ToLower(name[:1]) + name[1:]
		v, ok := c.vars[key]
		if !ok || v == "" {
			return "", false
		}
		if v == "\x00" {
			v = ""
		}
		if r, _ := utf8.DecodeRuneInString(name); unicode.IsUpper(r) {
			v = capitalise(v)
		}
		b.WriteString(tpl[:i])
		b.WriteString(v)
		tpl = tpl[i+j+1:]
	}
	s := b.String()
	low := strings.ToLower(s)
	for _, t := range c.taboo {
		if t != "" && strings.Contains(low, strings.ToLower(t)) {
			return "", false
		}
	}
	return s, true
}

// properNames are the words an English selling point keeps capitalised:
// the brand's, and those the description capitalises inside a sentence
// (a title is in title case throughout, so it cannot tell).
func properNames(brand, description string) []string {
	split := func(s string) []string {
		return strings.FieldsFunc(s, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' && r != '!' && r != '?'
		})
	}
	names := split(brand)
	start := true
	for _, w := range split(description) {
		end := strings.TrimRight(w, ".!?")
		if r, _ := utf8.DecodeRuneInString(end); !start && unicode.IsUpper(r) {
			names = append(names, end)
		}
		start = end != w
	}
	return names
}

// lowerLead lower-cases the first letter of an English selling point
// written in title case ("Never tight", "Amino-acid surfactants"), so that
// it reads right inside a sentence; {Sp1} capitalises it again at the
// start of one. A first word that is an acronym or mixed case (USB-C, pH,
// 4K) or a name from the product's title or brand (Canon-compatible) is
// kept.
func lowerLead(sp string, names []string) string {
	word, _, _ := strings.Cut(sp, " ")
	head, _, _ := strings.Cut(word, "-")
	head = strings.TrimRight(head, ",;:.!?")
	r, n := utf8.DecodeRuneInString(head)
	if !unicode.IsUpper(r) || n == len(head) {
		return sp
	}
	for _, q := range head[n:] {
		if !unicode.IsLower(q) {
			return sp
		}
	}
	for _, name := range names {
		if name == head {
			return sp
		}
	}
	return string(unicode.ToLower(r)) + sp[n:]
}

// capitalise upper-cases the first letter, unless the first word is in
// mixed case (pH, iPhone), which has its own spelling.
func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	word, _, _ := strings.Cut(s[n:], " ")
	if strings.ContainsFunc(word, unicode.IsUpper) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

func hash64(s string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	return h.Sum64()
}

// start is where a walk through a list of n templates begins. In a
// campaign (Hints.Variation) the unit's place steps through the list with
// a stride of its own per list, so that over the campaign every template
// is used about equally and lists do not move in step; outside one, the
// seed picks, and variants step on from there.
func (c *composer) start(list string, n int) int {
	if n <= 1 {
		return 0
	}
	h := hash64(list)
	if c.campaign {
		stride := 1 + int(h%uint64(n))
		for gcd(stride, n) != 1 {
			stride++
		}
		return int((uint64(c.spread*stride) + h>>8 + uint64(c.try)*3) % uint64(n))
	}
	base := (c.seed ^ h) % uint64(n)
	return int((base + uint64(c.variant)*7 + uint64(c.try)*3) % uint64(n))
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// options are the templates of a list that can be filled, in the order a
// walk from start visits them.
func (c *composer) options(name string, list []string) []string {
	texts, _ := c.optionsT(name, list)
	return texts
}

// optionsT are options with the templates they were filled from.
func (c *composer) optionsT(name string, list []string) (texts, tpls []string) {
	var at []int
	for i, t := range list {
		if s, good := c.fill(t); good && !c.avoid(t) && !c.repeats(s) {
			texts = append(texts, s)
			tpls = append(tpls, t)
			at = append(at, i)
		}
	}
	if len(texts) == 0 {
		return nil, nil
	}
	s := c.first(name, len(list), at)
	return append(texts[s:], texts[:s]...), append(tpls[s:], tpls[:s]...)
}

// first chooses which of the usable templates (at: their places in a list
// of n) comes first. In a campaign the unit's turn is taken over the
// whole list, so every template is used about equally whatever facts
// each unit has; a unit whose turn falls on a template it cannot fill
// takes one of those it can, in a rotation of its own.
func (c *composer) first(name string, n int, at []int) int {
	if !c.campaign {
		return c.start(name, len(at))
	}
	turn := c.start(name, n)
	for k, i := range at {
		if i == turn {
			return k
		}
	}
	return c.start(name+"/fallback", len(at))
}

var placeholderRe = regexp.MustCompile(`\{([A-Za-z0-9]+)\}`)

// factVars are the placeholders that carry a fact about the product: a
// sentence saying one of them is not repeated by the next.
var factVars = map[string]bool{"c1": true, "cs": true, "mat": true, "b1": true, "usev": true, "usea": true, "use": true, "a": true}

// avoid reports whether a template would repeat a fact an earlier
// sentence of the field already says.
func (c *composer) avoid(tpl string) bool {
	for _, m := range placeholderRe.FindAllStringSubmatch(tpl, -1) {
		k := strings.ToLower(m[1][:1]) + m[1][1:]
		if factVars[k] && c.said[k] {
			return true
		}
	}
	return false
}

// mark records the facts a chosen template says, those of the points a
// list placeholder names included.
func (c *composer) mark(tpl string) {
	for _, m := range placeholderRe.FindAllStringSubmatch(tpl, -1) {
		k := strings.ToLower(m[1][:1]) + m[1][1:]
		if factVars[k] {
			c.said[k] = true
		}
		n := map[string]int{"l1": 1, "l2": 2, "l3": 3}[k]
		for _, item := range c.listed[:min(n, len(c.listed))] {
			for fk, txt := range c.factText {
				if txt == item {
					c.said[fk] = true
				}
			}
		}
	}
}

// pick is an option that fits limit runes (0: any length), rotating over
// those that fit: a walk over all of them would favour the first short
// one after a run of long ones.
func (c *composer) pick(name string, list []string, limit int) (string, bool) {
	// a one-line field does not open like an earlier one, nor state the
	// offer again, when it has another choice
	for _, strict := range []bool{true, false} {
		var fit []string
		var at []int
		for i, t := range list {
			s, good := c.fill(t)
			if !good || c.avoid(t) || c.repeats(s) || (limit > 0 && runes(s) > limit) {
				continue
			}
			if strict && (c.openers[opener(s)] || (c.offerSaid && strings.Contains(t, "{offer}") || c.offerSaid && strings.Contains(t, "{Offer}"))) {
				continue
			}
			fit = append(fit, s)
			at = append(at, i)
		}
		if len(fit) > 0 {
			return fit[c.first(name, len(list), at)], true
		}
	}
	return "", false
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// size is how a budget measures s: SMS units for an SMS text (GSM-7
// septets, the extension characters counting two; UCS-2 units), runes
// everywhere else.
func (c *composer) size(s string) int {
	if c.smsUnits {
		_, n := lexicon.SMSLength(s)
		return n
	}
	return runes(s)
}

// piece is one sentence of a longer field, with the other ways of saying
// it (alts, shortest last is not assumed).
type piece struct {
	alts    []string
	at      int  // the alternative in use
	must    bool // never dropped (a shorter alternative may replace it)
	protect bool // kept verbatim (sender, opt-out, must-say, unsubscribe)
	prio    int  // higher is kept longer
	sep     string
	drop    bool
}

func (p *piece) text() string {
	if p.drop || len(p.alts) == 0 {
		return ""
	}
	return p.alts[p.at]
}

// spaceUnlessPunct separates with a space, except after Chinese
// punctuation (。回T退订 needs none; a link does).
const spaceUnlessPunct = "\x01"

// assemble joins pieces within limit runes. It never cuts a sentence:
// over budget, the least important piece first says itself in a shorter
// way, and an optional one is dropped when it has none; required pieces
// take their shortest form last.
func (c *composer) assemble(ps []*piece, limit int) string {
	join := func() string {
		var b strings.Builder
		first := true
		for _, p := range ps {
			t := p.text()
			if t == "" {
				continue
			}
			if !first {
				sep := p.sep
				if sep == "" {
					sep = c.pb.sentenceJoin
				}
				if sep == spaceUnlessPunct {
					sep = " "
					if last, _ := utf8.DecodeLastRuneInString(b.String()); c.f.lang == "zh" && unicode.IsPunct(last) {
						sep = ""
					}
				}
				b.WriteString(sep)
			}
			first = false
			b.WriteString(t)
		}
		return strings.TrimSpace(b.String())
	}
	if limit <= 0 {
		return join()
	}
	order := make([]*piece, 0, len(ps))
	for _, p := range ps {
		if !p.protect && len(p.alts) > 0 {
			order = append(order, p)
		}
	}
	slices.SortStableFunc(order, func(a, b *piece) int { return a.prio - b.prio })
	for c.size(join()) > limit {
		if !c.shrink(order, c.size(join())-limit) {
			break
		}
	}
	return join()
}

// longEnough assembles a field and, when it is shorter than the field's
// minimum, says more: another detail, a closing line.
func (c *composer) longEnough(field string, ps []*piece, limit int) string {
	out := c.assemble(ps, limit)
	min := c.f.h.Minimums[field]
	if min <= 0 || c.size(out) >= min || len(ps) == 0 {
		return out
	}
	more := []*piece{}
	for _, k := range []string{"use", "benefit", "mat", "claim"} {
		if p := c.slot("more:"+k, c.pb.details[k], false, prioDetail); p != nil {
			more = append(more, p)
		}
	}
	if p := c.slot("closing", c.pb.closings, false, prioClosing); p != nil {
		more = append(more, p)
	}
	for _, m := range more {
		dup := false
		for _, p := range ps {
			if p.text() == m.text() {
				dup = true
			}
		}
		if dup {
			continue
		}
		// before the offer and the closing, after what the product is
		ps = append(ps[:len(ps)-1:len(ps)-1], m, ps[len(ps)-1])
		if out = c.assemble(ps, limit); c.size(out) >= min {
			break
		}
	}
	return out
}

// shrink makes one move towards the budget: a piece (least important
// first) that can absorb the whole overage alone takes one of its
// shorter forms that do; else the least important optional piece is
// dropped; else the required piece with the smallest step down takes its
// next shorter form, so that several pieces give a little instead of one
// giving everything. It reports false when nothing can move.
func (c *composer) shrink(order []*piece, over int) bool {
	for _, p := range order {
		if p.drop {
			continue
		}
		cur := c.size(p.text())
		var fit []int
		for i, a := range p.alts {
			if n := c.size(a); n < cur && n <= cur-over {
				fit = append(fit, i)
			}
		}
		if len(fit) > 0 {
			p.at = fit[c.start(fmt.Sprintf("shorter%d", p.prio), len(fit))]
			return true
		}
	}
	for _, p := range order {
		if !p.drop && !p.must {
			p.drop = true
			return true
		}
	}
	var best *piece
	bestAt, bestStep := -1, 0
	for _, p := range order {
		if p.drop {
			continue
		}
		cur := c.size(p.text())
		for i, a := range p.alts {
			if step := cur - c.size(a); step > 0 && (best == nil || step < bestStep) {
				best, bestAt, bestStep = p, i, step
			}
		}
	}
	if best == nil {
		return false
	}
	best.at = bestAt
	return true
}

// slot builds a piece from a list of templates, or nil when none fills.
func (c *composer) slot(name string, list []string, must bool, prio int) *piece {
	alts := c.options(name, list)
	if len(alts) == 0 {
		return nil
	}
	return &piece{alts: alts, must: must, prio: prio}
}

func add(ps []*piece, p *piece) []*piece {
	if p == nil {
		return ps
	}
	return append(ps, p)
}

// sentence ends s with a full stop unless it has one.
func (c *composer) sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	last, _ := utf8.DecodeLastRuneInString(s)
	if strings.ContainsRune("。.！!？?", last) {
		return s
	}
	if c.f.lang == "zh" {
		return s + "。"
	}
	return s + "."
}

func (c *composer) emojiFor(k int) string {
	if c.emoji == "none" || c.emoji == "" {
		return ""
	}
	list := append(append([]string{}, familyEmoji[c.family]...), generalEmoji...)
	return list[(c.start("emoji", len(list))+k)%len(list)]
}

// Importance of the pieces of a story, lowest dropped first.
const (
	prioClosing = iota + 1
	prioDetail
	prioHook
	prioBridge
	prioIntro
	prioOffer
	prioLink
)

// story is the sentences of a body-like field: hook, introduction,
// detail, bridge to a past purchase, must-says, offer, closing.
func (c *composer) story(withHook, withClosing bool) []*piece {
	var ps []*piece
	if withHook && c.hookKind != "" {
		ps = add(ps, c.slot("hook:"+c.hookKind, c.pb.hooks[c.hookKind], false, prioHook))
	}
	c.said = map[string]bool{}
	intro := c.introPiece("intro", c.pb.intros, c.pb.introsShort)
	ps = add(ps, intro)
	ps = add(ps, c.detail())
	c.said = nil
	if c.hasBought {
		ps = add(ps, c.slot("bridge", c.pb.bridges, false, prioBridge))
	}
	ps = append(ps, c.mustSay()...)
	ps = add(ps, c.offer())
	if withClosing {
		ps = add(ps, c.slot("closing", c.pb.closings, false, prioClosing))
	}
	return ps
}

// introPiece names the product: a template of full (or, when few of
// those fit the facts, of the short ones that still say something), then
// the rest of the short ones as shorter ways of saying it. The facts its
// first choice says are not said again by the detail that follows.
func (c *composer) introPiece(name string, full, short []string) *piece {
	var rich, plain []string
	for _, t := range short {
		if saysFact(t) {
			rich = append(rich, t)
		} else {
			plain = append(plain, t)
		}
	}
	texts, tpls := c.optionsT(name, full)
	if len(texts) < 6 {
		texts, tpls = c.optionsT(name+"-rich", append(slices.Clone(full), rich...))
	}
	st, _ := c.optionsT(name+"-short", short)
	if len(texts) == 0 {
		texts, tpls = c.optionsT(name+"-plain", plain)
	}
	if len(texts) == 0 {
		return nil
	}
	if c.said != nil {
		c.mark(tpls[0])
	}
	return &piece{alts: append(texts, st...), must: true, prio: prioIntro}
}

// saysFact reports whether a template says a fact about the product
// beyond its name.
func saysFact(tpl string) bool {
	for _, m := range placeholderRe.FindAllStringSubmatch(tpl, -1) {
		switch strings.ToLower(m[1]) {
		case "l1", "l2", "l3", "a", "a1", "a2", "c1", "cs", "mat", "b1", "usev", "usea", "use":
			return true
		}
	}
	return false
}

// detail is one more sentence about the product: what it is for, a claim
// it makes, what a point does for the reader, or what it is made of —
// whichever the facts support, in turns over a campaign.
func (c *composer) detail() *piece {
	var kinds []string
	for _, k := range []string{"use", "claim", "benefit", "mat"} {
		if len(c.options("detail:"+k, c.pb.details[k])) > 0 {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) == 0 {
		return nil
	}
	k := kinds[c.start("detail-kind", len(kinds))]
	p := c.slot("detail:"+k, c.pb.details[k], false, prioDetail)
	// the other kinds are the shorter ways of saying something more
	for _, o := range kinds {
		if o != k {
			p.alts = append(p.alts, c.options("detail:"+o, c.pb.details[o])...)
		}
	}
	return p
}

func (c *composer) mustSay() []*piece {
	var ps []*piece
	if b := c.f.h.Brief; b != nil {
		for _, m := range b.MustSay {
			if m = strings.TrimSpace(m); m != "" {
				ps = append(ps, &piece{alts: []string{c.sentence(m)}, protect: true})
			}
		}
	}
	return ps
}

func (c *composer) offer() *piece {
	if c.vars["offer"] == "" {
		return nil
	}
	if c.vars["date"] == "" {
		return c.slot("offer", c.pb.offersNoDate, true, prioOffer)
	}
	p := c.slot("offer", c.pb.offers, true, prioOffer)
	// without the date, when the budget has no room for it
	if p != nil {
		p.alts = append(p.alts, c.options("offer-nodate", c.pb.offersNoDate)...)
	}
	return p
}

// fields writes every requested field, the short ones first so that the
// body does not repeat them.
func (c *composer) fields(fields []string, limits map[string]int) map[string]any {
	out := make(map[string]any, len(fields))
	c.written = map[string]bool{}
	c.openers = map[string]bool{}
	order := slices.Clone(fields)
	sortFields(order)
	for _, k := range order {
		if k == "hashtags" {
			out[k] = c.hashtags(limits[k])
			continue
		}
		v := c.field(k, limits[k])
		out[k] = v
		if k != "cta" {
			if o := opener(v); o != "" {
				c.openers[o] = true
			}
			if off := c.vars["offer"]; off != "" && strings.Contains(v, off) {
				c.offerSaid = true
			}
			for _, s := range sentenceRe.FindAllString(v, -1) {
				if n := fold(s); runes(n) >= 6 {
					c.written[n] = true
				}
			}
		}
	}
	return out
}

// sentenceRe splits text into sentences, as the copy linter does.
var sentenceRe = regexp.MustCompile(`[^。！？!?\n]+?(?:[。！？!?]+|\.(?:\s|$)|\n|$)`)

// fold is a sentence with case, spaces and punctuation folded away.
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// opener is the first three words of a text, folded (the first four
// characters of Chinese, which has no spaces).
func opener(s string) string {
	if hasHan(s) {
		f := []rune(fold(s))
		if len(f) < 4 {
			return ""
		}
		return string(f[:4])
	}
	ws := strings.Fields(strings.ToLower(s))
	if len(ws) < 3 {
		return ""
	}
	return fold(strings.Join(ws[:3], " "))
}

// repeats reports whether a sentence says what an earlier field said.
func (c *composer) repeats(s string) bool {
	if len(c.written) == 0 {
		return false
	}
	for _, x := range sentenceRe.FindAllString(s, -1) {
		if c.written[fold(x)] {
			return true
		}
	}
	return false
}

// short writes a one-line field from its list; the product's name when
// nothing fits, and a shorter list's words when even that is too long.
func (c *composer) short(name string, list []string, limit int, fallbacks ...[]string) string {
	if s, ok := c.pick(name, list, limit); ok {
		return s
	}
	for i, fb := range fallbacks {
		if s, ok := c.pick(fmt.Sprintf("%s-fallback%d", name, i), fb, limit); ok {
			return s
		}
	}
	return c.vars["p"]
}

func (c *composer) field(k string, limit int) string {
	pb := c.pb
	ch := c.f.channel
	switch k {
	case "headline":
		return c.short("headline", pb.headlines, limit, pb.pushTitles)
	case "cta":
		return c.short("cta", pb.ctas, limit)
	case "title":
		switch ch {
		case "xiaohongshu":
			e := c.emojiFor(0)
			return c.short("note-title", pb.noteTitles, limit-runes(e), pb.pushTitles) + e
		case "push", "product":
			return c.short("push-title", pb.pushTitles, limit, pb.headlines)
		}
		return c.short("note-title", pb.noteTitles, limit, pb.headlines)
	case "subject":
		return c.short("subject", pb.subjects, limit, pb.pushTitles)
	case "preheader":
		return c.short("preheader", pb.preheaders, limit, pb.introsShort)
	case "body":
		if ch == "push" {
			return c.short("push-body", pb.pushBodies, limit, pb.introsShort)
		}
		ps := c.story(true, true)
		if ch == "xiaohongshu" || ch == "instagram" {
			k := 0
			for i, p := range ps {
				if i > 0 {
					p.sep = "\n"
				}
				if p.protect {
					continue
				}
				if e := c.emojiFor(k + 1); e != "" {
					for j := range p.alts {
						p.alts[j] += e
					}
					k++
				}
			}
		}
		return c.longEnough(k, ps, limit)
	case "description":
		return c.longEnough(k, c.story(ch != "product", ch == "ad" || ch == "product"), limit)
	case "caption":
		ps := c.story(true, ch != "moments")
		if e := c.emojiFor(0); e != "" && len(ps) > 0 && !ps[0].protect {
			for j := range ps[0].alts {
				ps[0].alts[j] = e + " " + ps[0].alts[j]
			}
		}
		return c.longEnough(k, ps, limit)
	case "answer":
		return c.answer(limit)
	case "body_text":
		return c.email(limit)
	case "text":
		if ch == "sms" {
			return c.sms(limit)
		}
		if ch == "push" {
			return c.short("push-body", pb.pushBodies, limit, pb.introsShort)
		}
		return c.longEnough(k, c.story(true, false), limit)
	}
	return ""
}

func (c *composer) answer(limit int) string {
	ps := add(nil, c.slot("support", c.pb.supports, true, prioIntro))
	if ps == nil {
		ps = add(ps, c.slot("intro-short", c.pb.introsShort, true, prioIntro))
	}
	if c.vars["offer"] != "" {
		if o, ok := c.fill(c.pb.supportOffer); ok {
			ps = append(ps, &piece{alts: []string{o}, prio: prioOffer})
		}
	}
	ps = append(ps, &piece{alts: []string{c.pb.supportTail}, prio: prioClosing})
	return c.assemble(ps, limit)
}

func (c *composer) email(limit int) string {
	pb := c.pb
	greet := pb.greeting
	for _, s := range c.f.h.Slots {
		if strings.Contains(s, "first_name") || strings.Contains(s, "name") {
			greet = strings.ReplaceAll(pb.greetingSlot, "{slot}", s)
			break
		}
	}
	ps := []*piece{{alts: []string{greet}, protect: true}}
	story := c.story(true, true)
	for i, p := range story {
		p.sep = pb.sentenceJoin
		if i == 0 {
			p.sep = "\n\n"
		}
	}
	ps = append(ps, story...)
	if u := c.vars["url"]; u != "" {
		var lines []string
		for _, cta := range c.options("cta", pb.ctas) {
			c.vars["cta"] = cta
			if l, ok := c.fill(pb.ctaLink); ok {
				lines = append(lines, l)
			}
		}
		if len(lines) > 0 {
			ps = append(ps, &piece{alts: lines, must: true, prio: prioLink, sep: "\n\n"})
		}
	}
	if c.vars["brand"] != "" {
		if so := c.slot("signoff", pb.signoffs, false, prioLink); so != nil {
			so.sep = "\n\n"
			ps = append(ps, so)
		}
	}
	ps = append(ps, &piece{alts: []string{pb.unsubscribe}, protect: true, sep: "\n\n"})
	return c.assemble(ps, limit)
}

// sms is sender + message + link + opt-out, always inside the budget: the
// opt-out is the brief's (Hints.Brief.OptOut), never the writer's own.
func (c *composer) sms(limit int) string {
	c.smsUnits = true
	defer func() { c.smsUnits = false }()
	var ps []*piece
	b := c.f.h.Brief
	if b != nil && b.Sender != "" {
		ps = append(ps, &piece{alts: []string{b.Sender}, protect: true})
	}
	sep := c.pb.sentenceJoin
	firstSep := sep
	if len(ps) > 0 && c.f.lang == "zh" {
		firstSep = ""
	}
	if c.hookKind != "" && c.hookKind != "restock" {
		// a hook only when it fits; the offer matters more
		if h := c.slot("hook:"+c.hookKind, c.pb.hooks[c.hookKind], false, prioClosing); h != nil {
			h.sep = firstSep
			ps = append(ps, h)
			firstSep = sep
		}
	}
	intro := c.introPiece("sms-intro", c.pb.intros, c.pb.introsShort)
	if intro != nil {
		intro.sep = firstSep
		ps = append(ps, intro)
	}
	ps = append(ps, c.mustSay()...)
	ps = add(ps, c.offer())
	if c.vars["url"] != "" {
		ps = add(ps, c.slot("link", c.pb.links, false, prioLink))
	}
	if b != nil && b.OptOut != "" {
		// a space after the link (or the last sentence) so that neither
		// runs into the opt-out
		ps = append(ps, &piece{alts: []string{b.OptOut}, protect: true, sep: spaceUnlessPunct})
	}
	return c.assemble(ps, limit)
}

// hashtags are the product, the interest it serves, its kind, the
// occasion and the brand; at most limit (5 by default).
func (c *composer) hashtags(limit int) []string {
	if limit <= 0 || limit > 5 {
		limit = 5
	}
	var tags []string
	seen := map[string]bool{}
	add := func(s string) {
		s = strings.TrimSpace(s)
		if s == "" {
			return
		}
		// a tag ends at the first character that is not a letter or a
		// digit (#Lumen&Co is read as #Lumen), so only those are kept;
		// English words are joined in camel case
		parts := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if len(parts) == 0 {
			return
		}
		if c.f.lang == "en" {
			for i := range parts {
				parts[i] = capitalise(parts[i])
			}
		}
		tag := "#" + strings.Join(parts, "")
		if runes(tag) > 24 {
			return
		}
		if c.f.channel == "weibo" {
			tag += "#"
		}
		if !seen[strings.ToLower(tag)] {
			seen[strings.ToLower(tag)] = true
			tags = append(tags, tag)
		}
	}
	add(c.vars["p"])
	add(c.vars["ia"])
	add(c.vars["noun"])
	add(c.vars["o"])
	add(c.vars["brand"])
	if c.f.lang == "zh" {
		add(c.vars["a1"])
	}
	if len(tags) > limit {
		tags = tags[:limit]
	}
	return tags
}

// plain lays the fields out as the channel shows them.
func (c *composer) plain(fields []string, out map[string]any) string {
	var lines []string
	for _, k := range fields {
		v := out[k]
		switch x := v.(type) {
		case []string:
			lines = append(lines, strings.Join(x, " "))
		case string:
			if k == "subject" {
				if c.f.lang == "zh" {
					x = "主题：" + x
				} else {
					x = "Subject: " + x
				}
			}
			lines = append(lines, x)
		}
	}
	sep := "\n"
	if c.f.channel == "xiaohongshu" || c.f.channel == "email" {
		sep = "\n\n"
	}
	return strings.Join(lines, sep)
}
