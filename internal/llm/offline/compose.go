package offline

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// phrasebook is one language's stock of sentence templates.
type phrasebook struct {
	hooks, intros, introsPlain, benefitLines, bridges, offers, offersNoDeadline, ctas, closings []string
	headlines, titles, subjects, preheaders, pushes, supports                                   []string
	supportOffer, supportTail, greetingSlot, greeting, unsubscribe, smsOptOut                   string
	signoff, linkLine, listSep, sentenceJoin, fieldJoin, mustSayPrefix                          string
	emojiLight                                                                                  []string
}

// composer writes one variant.
type composer struct {
	f       facts
	pb      *phrasebook
	rnd     *rand.Rand
	seed    uint64
	variant int
	try     int
	vars    map[string]string
	taboo   []string
	emoji   string // none | light | rich
}

func newComposer(f facts, seed uint64, variant, try int) *composer {
	c := &composer{f: f, pb: f.pb, rnd: newRand(seed, variant, try), seed: seed, variant: variant, try: try}
	h := f.h
	c.vars = map[string]string{}
	p := h.Product
	c.vars["p"] = strings.TrimSpace(p.Title)
	c.vars["brand"] = p.Brand
	if h.Voice != nil && h.Voice.Brand != "" {
		c.vars["brand"] = h.Voice.Brand
	}
	c.vars["cat"] = p.Category
	c.vars["url"] = p.URL
	if p.Price > 0 {
		c.vars["price"] = strconv.FormatFloat(p.Price, 'f', -1, 64) + " " + p.Currency
	}
	// rotate selling points and interests so variants lead with different ones
	sps := rotate(clean(p.SellingPoints), variant)
	if f.lang != "zh" {
		names := properNames(c.vars["brand"], p.Description)
		for i := range sps {
			sps[i] = lowerLead(sps[i], names)
		}
	}
	for i := 0; i < 3 && i < len(sps); i++ {
		c.vars[fmt.Sprintf("sp%d", i+1)] = sps[i]
	}
	used := map[string]bool{}
	for i := 0; i < 3 && i < len(sps); i++ {
		c.vars[fmt.Sprintf("b%d", i+1)] = c.benefit(sps[i], used)
	}
	if len(sps) >= 3 {
		if f.lang == "zh" {
			c.vars["sp3c"] = "、" + sps[2]
		} else {
			c.vars["sp3c"] = ", and " + sps[2]
		}
	} else {
		c.vars["sp3c"] = "\x00" // present but empty: the template still fills
	}
	if per := h.Persona; per != nil {
		ints := rotate(clean(per.Interests), variant)
		if f.lang == "zh" {
			// An interest recorded in English ("fashion") would make a
			// Chinese line half Latin: name only interests written in Chinese.
			ints = slices.DeleteFunc(slices.Clone(ints), func(in string) bool { return !hasHan(in) })
		}
		if len(ints) > 0 {
			c.vars["i1"] = ints[0]
		}
		if len(ints) > 1 {
			c.vars["i2"] = ints[1]
		}
		for _, in := range ints {
			if isActivity(in) {
				c.vars["a1"] = in
				break
			}
		}
		c.vars["occ"] = per.Occupation
		switch {
		case per.Age > 0 && f.lang == "zh":
			c.vars["age"] = strconv.Itoa(per.Age) + "岁"
		case per.AgeBand != "" && f.lang == "zh":
			c.vars["age"] = per.AgeBand + "岁"
		}
	}
	if b := h.Brief; b != nil {
		c.vars["offer"] = b.Offer
		c.vars["deadline"] = b.Deadline
		c.taboo = append(c.taboo, b.MustNot...)
	}
	if b := h.Brief; b != nil && b.Offer != "" {
		if b.Deadline != "" {
			if f.lang == "zh" {
				c.vars["deadlinec"] = "，" + b.Deadline + "截止"
			} else {
				c.vars["deadlinec"] = " until " + b.Deadline
			}
		} else {
			c.vars["deadlinec"] = "\x00"
		}
	}
	if v := h.Voice; v != nil {
		c.taboo = append(c.taboo, v.Taboo...)
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

// benefit says what a selling point does for the reader.
func (c *composer) benefit(sp string, used map[string]bool) string {
	var opts []string
	if c.f.lang == "zh" {
		opts = zhBenefits[sp]
		for k, v := range zhBenefits {
			if opts == nil && strings.Contains(sp, k) {
				opts = v
			}
		}
		if opts == nil {
			opts = zhBenefitFallback
		}
	} else {
		key := strings.ToLower(sp)
		opts = enBenefits[key]
		for k, v := range enBenefits {
			if opts == nil && strings.Contains(key, k) {
				opts = v
			}
		}
		if opts == nil {
			opts = enBenefitFallback
		}
	}
	start := c.rnd.IntN(len(opts))
	for i := range opts {
		b := opts[(start+i)%len(opts)]
		if !used[b] {
			used[b] = true
			return b
		}
	}
	return opts[start]
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

// start is where variant v begins its walk through a list: the seed picks
// the base, and variants step through the list so each reads differently.
func (c *composer) start(list string, n int) int {
	h := fnv.New64a()
	_, _ = h.Write([]byte(list))
	base := (c.seed ^ h.Sum64()) % uint64(n)
	return int((base + uint64(c.variant)*7 + uint64(c.try)*3) % uint64(n))
}

// pick returns the first template, from the variant's starting point, that
// can be filled and fits limit runes (0: any length).
func (c *composer) pick(name string, list []string, limit int) (string, bool) {
	if len(list) == 0 {
		return "", false
	}
	s := c.start(name, len(list))
	for i := range list {
		if out, ok := c.fill(list[(s+i)%len(list)]); ok && (limit <= 0 || runes(out) <= limit) {
			return out, true
		}
	}
	return "", false
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// piece is one sentence of a longer field.
type piece struct {
	text    string
	must    bool // keep, trimming if needed
	protect bool // keep verbatim (sender, opt-out, unsubscribe)
	sep     string
}

// assemble joins pieces within limit runes: protected and required pieces
// first (trimmed at phrase boundaries if they must be), then optional
// pieces in order while they fit.
func (c *composer) assemble(ps []piece, limit int) string {
	keep := make([]bool, len(ps))
	for i, p := range ps {
		keep[i] = p.text != "" && (p.must || p.protect)
	}
	join := func() string {
		var b strings.Builder
		first := true
		for i, p := range ps {
			if !keep[i] || p.text == "" {
				continue
			}
			if !first {
				sep := p.sep
				if sep == "" {
					sep = c.pb.sentenceJoin
				}
				b.WriteString(sep)
			}
			first = false
			b.WriteString(p.text)
		}
		return strings.TrimSpace(b.String())
	}
	if limit <= 0 {
		for i, p := range ps {
			keep[i] = p.text != ""
		}
		return join()
	}
	for runes(join()) > limit {
		// shorten the last trimmable required piece; drop it if it cannot shrink
		idx := -1
		for i := len(ps) - 1; i >= 0; i-- {
			if keep[i] && !ps[i].protect {
				idx = i
				break
			}
		}
		if idx < 0 {
			break
		}
		over := runes(join()) - limit
		target := runes(ps[idx].text) - over
		t := trimPhrase(ps[idx].text, target, c.f.lang)
		if t == "" || t == ps[idx].text {
			keep[idx] = false
		} else {
			ps[idx].text = t
		}
	}
	for i, p := range ps {
		if keep[i] || p.text == "" {
			continue
		}
		keep[i] = true
		if runes(join()) > limit {
			keep[i] = false
		}
	}
	out := join()
	if runes(out) > limit {
		out = trimPhrase(out, limit, c.f.lang)
	}
	return out
}

// trimPhrase cuts s to at most n runes at a phrase boundary (punctuation,
// or a space in English), never inside a word; "" when no boundary fits.
func trimPhrase(s string, n int, lang string) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	// a phrase boundary (punctuation) first; in English a word boundary
	// next, marked with an ellipsis
	cut, ellipsis := -1, false
	for i := n; i > 0; i-- {
		if strings.ContainsRune("，,、；;：:。.！!？?｜|—", rs[i-1]) {
			cut = i - 1
			if strings.ContainsRune("。.！!？?", rs[i-1]) {
				cut = i
			}
			break
		}
	}
	if cut <= 0 && lang == "en" {
		for i := n - 1; i > 0; i-- {
			if rs[i] == ' ' {
				cut, ellipsis = i, true
				break
			}
		}
	}
	if cut <= 0 {
		return ""
	}
	out := strings.TrimRight(string(rs[:cut]), " ，,、；;：:—｜|")
	if out == "" {
		return ""
	}
	if ellipsis {
		for runes(out)+1 > n {
			i := strings.LastIndexByte(out, ' ')
			if i <= 0 {
				return ""
			}
			out = strings.TrimRight(out[:i], " ,;:")
		}
		return out + "…"
	}
	end := "。"
	if lang == "en" {
		end = "."
	}
	last, _ := utf8.DecodeLastRuneInString(out)
	if !strings.ContainsRune("。.！!？?", last) && runes(out)+1 <= n {
		out += end
	}
	return out
}

// sentence ends s with a full stop unless it has one.
func (c *composer) sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	last, _ := utf8.DecodeLastRuneInString(s)
	if strings.ContainsRune("。.！!？?…", last) {
		return s
	}
	if c.f.lang == "zh" {
		return s + "。"
	}
	return s + "."
}

func (c *composer) emojiFor(k int) string {
	if c.emoji == "none" || c.emoji == "" || len(c.pb.emojiLight) == 0 {
		return ""
	}
	return c.pb.emojiLight[(c.start("emoji", len(c.pb.emojiLight))+k)%len(c.pb.emojiLight)]
}

// story is the sentences of a body-like field: hook, introduction,
// further benefit, interest bridge, must-says, offer, closing.
func (c *composer) story(withHook, withClosing bool) []piece {
	var ps []piece
	add := func(list string, l []string, must bool) {
		if s, ok := c.pick(list, l, 0); ok {
			ps = append(ps, piece{text: s, must: must})
		}
	}
	if withHook {
		add("hook", c.pb.hooks, false)
	}
	if c.vars["sp1"] != "" && c.vars["sp2"] != "" {
		add("intro", c.pb.intros, true)
	} else {
		add("intro", c.pb.introsPlain, true)
	}
	if c.vars["sp3"] != "" {
		add("benefit", c.pb.benefitLines, false)
	}
	add("bridge", c.pb.bridges, true)
	if b := c.f.h.Brief; b != nil {
		for _, m := range b.MustSay {
			if m = strings.TrimSpace(m); m != "" {
				ps = append(ps, piece{text: c.sentence(m), protect: true})
			}
		}
	}
	c.addOffer(&ps)
	if withClosing {
		add("closing", c.pb.closings, false)
	}
	return ps
}

func (c *composer) addOffer(ps *[]piece) {
	if c.vars["offer"] == "" {
		return
	}
	list := c.pb.offersNoDeadline
	if c.vars["deadline"] != "" {
		list = c.pb.offers
	}
	if s, ok := c.pick("offer", list, 0); ok {
		*ps = append(*ps, piece{text: s, protect: true})
	}
}

// fields writes every requested field.
func (c *composer) fields(fields []string, limits map[string]int) map[string]any {
	out := make(map[string]any, len(fields))
	for _, k := range fields {
		if k == "hashtags" {
			out[k] = c.hashtags()
			continue
		}
		out[k] = c.field(k, limits[k])
	}
	return out
}

func (c *composer) short(name string, list []string, limit int) string {
	if s, ok := c.pick(name, list, limit); ok {
		return s
	}
	p := c.vars["p"]
	if limit <= 0 || runes(p) <= limit {
		return p
	}
	if t := trimPhrase(p, limit, c.f.lang); t != "" {
		return t
	}
	return string([]rune(p)[:limit])
}

func (c *composer) field(k string, limit int) string {
	pb := c.pb
	ch := c.f.channel
	switch k {
	case "headline":
		return c.short("headline", pb.headlines, limit)
	case "cta":
		return c.short("cta", pb.ctas, limit)
	case "title":
		switch ch {
		case "xiaohongshu":
			t := c.short("title", pb.titles, limit-runes(c.emojiFor(0)))
			return t + c.emojiFor(0)
		case "push", "product":
			return c.short("headline", pb.headlines, limit)
		}
		return c.short("title", pb.titles, limit)
	case "subject":
		return c.short("subject", pb.subjects, limit)
	case "preheader":
		return c.short("preheader", pb.preheaders, limit)
	case "body":
		if ch == "push" {
			return c.short("push", pb.pushes, limit)
		}
		ps := c.story(true, true)
		if ch == "xiaohongshu" || ch == "instagram" {
			for i := range ps {
				if e := c.emojiFor(i + 1); e != "" && !ps[i].protect {
					ps[i].text += e
				}
				if i > 0 {
					ps[i].sep = "\n"
				}
			}
		}
		return c.assemble(ps, limit)
	case "description":
		return c.assemble(c.story(ch != "product", ch == "ad"), limit)
	case "caption":
		ps := c.story(true, ch != "moments")
		if e := c.emojiFor(0); e != "" && len(ps) > 0 {
			ps[0].text = e + " " + ps[0].text
		}
		return c.assemble(ps, limit)
	case "answer":
		return c.answer(limit)
	case "body_text":
		return c.email(limit)
	case "text":
		if ch == "sms" {
			return c.sms(limit)
		}
		if ch == "push" {
			return c.short("push", pb.pushes, limit)
		}
		return c.assemble(c.story(true, false), limit)
	}
	return ""
}

func (c *composer) answer(limit int) string {
	s, _ := c.pick("support", c.pb.supports, 0)
	ps := []piece{{text: s, must: true}}
	if c.vars["offer"] != "" {
		if o, ok := c.fill(c.pb.supportOffer); ok {
			ps = append(ps, piece{text: o})
		}
	}
	ps = append(ps, piece{text: c.pb.supportTail})
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
	ps := []piece{{text: greet, must: true}}
	story := c.story(true, true)
	for i := range story {
		story[i].sep = c.pb.sentenceJoin
		if i == 0 {
			story[i].sep = "\n\n"
		}
	}
	ps = append(ps, story...)
	cta, _ := c.pick("cta", pb.ctas, 0)
	if u := c.vars["url"]; u != "" {
		sep := "："
		if c.f.lang == "en" {
			sep = ": "
		}
		ps = append(ps, piece{text: cta + sep + u, must: true, sep: "\n\n"})
	}
	if so, ok := c.fill(pb.signoff); ok {
		ps = append(ps, piece{text: so, sep: "\n\n"})
	}
	ps = append(ps, piece{text: pb.unsubscribe, protect: true, sep: "\n\n"})
	return c.assemble(ps, limit)
}

// sms is sender + message + opt-out, always inside the budget.
func (c *composer) sms(limit int) string {
	var ps []piece
	if b := c.f.h.Brief; b != nil && b.Sender != "" {
		ps = append(ps, piece{text: b.Sender, protect: true})
	}
	intro, _ := c.pick("intro", c.pb.intros, 0)
	sep := c.pb.sentenceJoin
	ps = append(ps, piece{text: intro, must: true, sep: sepAfterSender(len(ps), sep)})
	if b := c.f.h.Brief; b != nil {
		for _, m := range b.MustSay {
			if m = strings.TrimSpace(m); m != "" {
				ps = append(ps, piece{text: c.sentence(m), protect: true})
			}
		}
	}
	c.addOffer(&ps)
	if u := c.vars["url"]; u != "" {
		if l, ok := c.fill(c.pb.linkLine); ok {
			ps = append(ps, piece{text: l})
		}
	}
	optSep := sep
	if c.f.lang == "en" {
		optSep = " "
	}
	ps = append(ps, piece{text: c.pb.smsOptOut, protect: true, sep: optSep})
	return c.assemble(ps, limit)
}

func sepAfterSender(n int, sep string) string {
	if n == 0 {
		return sep
	}
	return ""
}

// hashtags are the product, interests, brand and lead selling point.
func (c *composer) hashtags() []string {
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
		if c.f.channel == "weibo" {
			tag += "#"
		}
		if !seen[tag] {
			seen[tag] = true
			tags = append(tags, tag)
		}
	}
	add(c.vars["p"])
	add(c.vars["i1"])
	add(c.vars["i2"])
	add(c.vars["brand"])
	if c.f.lang == "zh" && c.vars["sp1"] != "" && c.vars["cat"] != "" {
		add(c.vars["sp1"] + c.vars["cat"])
	} else {
		add(c.vars["sp1"])
	}
	if len(tags) > 5 {
		tags = tags[:5]
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

// tastes are interests that are not something one goes and does: "next
// time you go fashion" reads wrong, so activity templates ({a1}) skip them.
var tastes = []string{"时尚", "美妆", "护肤", "穿搭", "设计", "艺术", "音乐", "阅读", "美食", "咖啡", "茶", "科技", "数码", "家居", "宠物", "动漫", "电影", "游戏",
	"fashion", "beauty", "skincare", "design", "art", "music", "reading", "books", "food", "coffee", "tea", "tech", "gadgets", "home", "pets", "anime", "film", "movies", "gaming", "style"}

func isActivity(interest string) bool {
	low := strings.ToLower(interest)
	for _, t := range tastes {
		if low == t {
			return false
		}
	}
	return true
}

// hasHan reports whether s holds a Chinese character.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
