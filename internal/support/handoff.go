package support

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Some questions are about the shop, not outside it, and nothing in the
// shop's data answers them: a price for a company's bulk order, collecting
// an order from the warehouse, the company's ethics, a certification or a
// rating the catalog does not state. Declining them as out of scope, or
// answering with the product or rule that shares a word ("warehouse" is in
// the refund rule), is wrong; the answer would have to say "I can't
// confirm", and that is a person's to give: they are handed off as low
// confidence. A word the shop's own texts hold (a rule on 团购, a product
// "certified organic") is answered as before.

// unheldRe are the asks of the shop that its rules rarely hold: bulk and
// business orders, collecting from the warehouse, ethics and sourcing.
var unheldRe = regexp.MustCompile(`(?i)` +
	`\b(bulk|wholesale|b2b|trade|volume)\s+(pric\w*|discount\w*|orders?|ordering|rates?|accounts?|buy\w*|purchas\w*|deals?)` +
	`|\bcorporate\s+(orders?|gifts?|gifting|accounts?|pric\w*|purchas\w*)|\b(my|our)\s+(company|business|firm|organi[sz]ation|office|school)\s+(wants?\s+to\s+|would\s+like\s+to\s+|needs?\s+to\s+|is\s+looking\s+to\s+)?(orders?|buy|purchase|ordering|buying)` +
	`|\b(order|buy|purchase|want|need|get|looking\s+for)\w*\s+(\d{2,}|hundreds|dozens|a\s+hundred|a\s+thousand)\s+(of\s+)?\w+|\b(with|bearing|showing)\s+(my|our|the)\s+(company|business|firm|brand|team)('s)?\s+(logo|logos|branding)|\b(reseller|resell|distributor|stockist|dropship)\w*` +
	`|\b(pick\w*|collect\w*)\b[^.?!]{0,30}?\b(at|from|in)\s+(your|the)\s+(warehouse|depot|office|factory|premises)|\b(warehouse|depot)\s+(pick\s*-?\s*up|collection)` +
	// a custom or branded make in a quantity (定制50个, "our studio logo,
	// 100 units"): a person quotes it
	"|(?:" + customMake + ")[^。？！?!.]{0,40}?[0-9]{2,}|[0-9]{2,}[^。？！?!.]{0,40}?(?:" + customMake + ")" +
	`|\bethic\w*|\bchild\s+labou?r|\bforced\s+labou?r|\bsweatshops?|\bfair\s*-?\s*trade|\banimal\s+testing|\btested\s+on\s+animals|\bcarbon\s+(neutral|footprint)|\bworking\s+conditions|\bliving\s+wage|\bfactory\s+workers?|\blabou?r\s+(practices|standards|rights)` +
	`|\bwhere\s+(are|is|do)\s+(your|the|you)\s+(\w+\s+)?(made|manufactured|produced|sourced|source)` +
	`|团购价|批发价|批量(采购|购买|订购|下单|价)|大批量|企业采购|公司采购|公司(要|想|准备)?(订|买|采购)|(订|买|采购|要)[0-9]{2,}\s*(个|件|只|台|套|双|条|份)|经销商|代理商|分销` +
	`|\bwhere\s+(is|are)\s+(your|the)\s+(warehouses?|depots?)\b|\b(which|what)\s+(city|country|town|state|province)\s+(is|are)\s+(your|the)\s+(warehouses?|depots?)|\b(warehouses?|depots?)\s+(located|location|address)|\b(pick|collect)\s+(it|them|my\s+order|the\s+order|my\s+parcel)?\s*up\s+(myself|in\s+person)|\b(collect|pick\s+up)\b[^.?!]{0,20}\bin\s+person\b` +
	`|仓库在(哪|什么地方|什么城市)|仓库地址|仓库位置|(自己|亲自|本人)(去|过去|来|上门)?(提货|取货|拿货|自提|自取)|上门(提货|取货)|到店(提货|取货|自提)` +
	`|仓库(自提|提货|取货|自取)|(去|到)(你们)?(的)?仓库(拿|取|提)|上门自取|童工|血汗工厂|企业道德|商业道德|动物实验|碳中和|公平贸易|(在)?哪里生产的|工厂在哪` +
	// terms for a business account, a sponsorship or a creator's
	// partnership: a person of the shop decides them
	`|\bnet[\s-]?(15|30|45|60|90)\b|\b(credit|trade)\s+terms\b|\b(business|company|corporate|wholesale|trade)\b[^.?!]{0,40}\bpayment\s+terms\b|\bpayment\s+terms\b[^.?!]{0,40}\b(business|company|corporate|account)\b|\bbusiness\s+(account|customer)s?\b[^.?!]{0,30}\b(terms|invoic\w*|credit)|\bsponsor\w*|\bcollab\w*|\bbrand\s+(deal|partnership|ambassador)s?|\b(paid\s+)?partnership\b|\b(influencer|creator|blogger|youtuber|tiktoker|streamer)s?\b[^.?!]{0,50}\b(deal|offer|promot\w*|work\s+with|partner\w*|campaign|feature|collaborat\w*)|\bpromote\s+your\s+(products?|brand|shop|store)` +
	`|账期|月结|赊账|对公(账户|转账|结算)|(博主|达人|网红|主播|up主|kol|小红书|抖音)[^。？！?!]{0,10}(合作|推广|带货|商务|赞助|置换)|(商务|品牌|推广|带货)合作|合作推广|赞助` +
	// a parcel marked delivered that never came: the courier's record
	// against hers, which a person looks into
	`|\b(says|shows|showing|marked|listed|tracking\s+says)\s+(as\s+|it\s+was\s+|it's\s+|it\s+is\s+)?delivered\b[^.?!]{0,60}\b(never|not|didn'?t|haven'?t|hasn'?t|nothing|no\s+parcel)\b|\b(never|not)\s+(got|received|arrived|came|showed\s+up)\b[^.?!]{0,40}\b(says|shows|marked)\s+(as\s+)?delivered` +
	`|(显示|已经|物流显示|快递显示|说|写着)(已|已经)?签收[^。？！?!]{0,16}((没|没有|未|根本没)(收到|拿到|见到|看到)|(什么|啥)(都|也)没(有)?|找不到)|(没|没有|未)(收到|拿到)[^。？！?!]{0,12}(显示|却|但|可是)(已|已经)?签收`)

// customMake are the words of having a thing made to her order: a logo
// or a name printed on it, a custom colour, 定制.
const customMake = `\blogos?\b|\bcustom(i[sz]ed|-made|\s+made|-colou?r(ed)?|\s+colou?r(ed)?|\s+print\w*|\s+order)|\bprint\w*\s+(our|my|the)\s+(\w+\s+)?(\w+'s\s+)?(name|logo|brand|design|artwork)|\bbranded\b|定制|订制|客制|印(上|我们|公司|我们的|公司的)|(标志|商标|logo)`

// timeSpanRe is a span of time, which a count in unheldRe is not.
var timeSpanRe = regexp.MustCompile(`(?i)\b(days?|weeks?|months?|hours?|minutes?|years?|ago)\b`)

// certRe are the certifications a product may hold and the services done
// to one (engraving, personalisation, a logo printed on it, 刻字, 定制):
// asked of a product whose texts do not state them, the answer cannot be
// given. Its measured ratings (a waterproof rating, a battery's
// watt-hours) are kinds of attrKinds.
var certRe = regexp.MustCompile(`(?i)\b(engrav\w*|personali[sz]\w*|monogram\w*|embroider\w*|customi[sz]\w*)|\bprint\w*\s+(my|a|the|our|your)?\s*(company\s+|own\s+|business\s+)?(name|logo|initials|text|photo)s?\b|\bun\s?38\.3\b|\bmsds\b|刻字|刻名|定制|个性化|印字|印名字|印logo|刺绣|阻燃|\bcertif\w*|\b(fda|ul|fcc|rohs|oeko-?\s?tex|gots|ce\s+mark\w*|ce-marked|ce\s+certified|bpa|halal|kosher|vegan|organic)\b|\b(approved|compliant)\b|\bsgs\b|认证|检测|质检|合格证|\b3c\b|无双酚a|有机(认证|种植|食品|棉)` +
	// how a material was made or where the product was, what a
	// sunscreen leaves on skin or in the sea: a card states them or a
	// person must
	`|\bveg(etable)?[- ]?tann?ed\b|\bveg[- ]tan\b|植鞣|\breef[- ]?(safe|friendly)\b|珊瑚礁?|\bwhite\s+cast\b|泛白|假白|\bwhere\s+(is|are)\s+(it|they|this|these|those|the\s+[a-z-]+(\s+[a-z-]+)?)\s+(made|manufactured|produced)\b|(哪里|哪儿|哪个国家|哪国)(产|生产|制造|做)的|产地`)

// unheld reports whether text asks of the shop something no text of the
// shop in lang holds (see unheldRe).
func (a *Assistant) unheld(text, lang string) bool {
	n := normalize(text)
	// "I ordered 10 days ago" is when, not how many
	ms := slices.DeleteFunc(unheldRe.FindAllString(n, -1), timeSpanRe.MatchString)
	if len(ms) == 0 {
		return false
	}
	for _, p := range a.ix.Passages(CitePolicy, lang) {
		body := normalize(p.Title + " " + p.Text + " " + p.Keywords)
		for _, m := range ms {
			if strings.Contains(body, strings.TrimSpace(m)) {
				return false
			}
		}
	}
	return true
}

// unconfirmed reports whether the draft answers of products a
// certification or rating the question asks (certRe) that none of the
// cited products' texts states, or says it cannot be sure of an attribute
// (unknown_attribute).
func (a *Assistant) unconfirmed(d *draft, text, lang string) bool {
	// a kind of value asked (a Bluetooth version, a thickness, the shades'
	// names) that no cited card states cannot be answered
	asked := askedKinds(text)
	if k, ok := unstatedKind(d, asked); ok {
		d.flag("unstated_" + strings.ReplaceAll(k.name, " ", "_"))
		// a question of two measures whose card states one ("how much
		// does the chair weigh and how much can it take?") is answered,
		// and says plainly the other is not stated
		if !someStated(d, asked) {
			return true
		}
		if ph := phrasesFor(lang); !slices.Contains(d.parts, fmt.Sprintf(ph.unknownAttr, k.label(lang))) {
			d.say(fmt.Sprintf(ph.unknownAttr, k.label(lang)))
		}
		asked = nil
	}
	// the card answers the kind of value asked (65 W, 0 to 36 months,
	// steel burrs) though not in the words asked; a certification named
	// beside it is still read below
	if len(asked) == 0 || len(d.citedProducts()) == 0 {
		if slices.Contains(d.flags, "unknown_attribute") {
			return true
		}
		if a.unknownSpec(d, text) || a.unstatedPart(d, text, lang) {
			return true
		}
	}
	ms := certRe.FindAllString(normalize(text), -1)
	// safe in pregnancy, 孕妇能用吗: a condition of hers the card must name
	if m := safeForRe.FindStringSubmatch(normalize(text)); m != nil {
		ms = append(ms, cmp.Or(m[4], m[0]))
	}
	if len(ms) == 0 {
		return false
	}
	products := 0
	for _, p := range d.citedProducts() {
		products++
		have := normalize(productWords(p) + " " + strings.Join(p.Tags, " "))
		for _, m := range ms {
			if strings.Contains(have, strings.TrimSpace(m)) {
				return false
			}
		}
	}
	return products > 0
}

// handUnknown turns d into a hand-off as low confidence, keeping what it
// found: she is told what the data says, and that a person will answer
// the rest.
func handUnknown(d *draft, lang string) {
	ph := phrasesFor(lang)
	d.parts = slices.DeleteFunc(d.parts, func(s string) bool { return s == ph.offerPerson })
	d.handoff = ReasonLowConf
	d.flag("unconfirmed")
	d.say(ph.handoffLowConf)
}

// specAskRe asks for a measure or a property of a thing: "what's the
// thread count of", "what is the X of", X是多少.
var specAskRe = regexp.MustCompile(`(?i)\bwhat(?:'s|\s+is|\s+are)\s+(?:the\s+)?([a-z-]+(?:\s+[a-z-]+)?)\s+(?:of|on|for)\s+(?:the|this|that|your)\b|\bhow\s+many\s+([a-z-]+)\s+(?:does|do|is|are)\s+(?:the|this|it)\b`)

// unknownSpec reports whether a product answer's question asks for a
// measure or property (specAskRe) in words that neither the shop's
// texts nor the cited product hold ("thread count"): the answer cannot
// say it.
func (a *Assistant) unknownSpec(d *draft, text string) bool {
	if len(d.cites) != 1 || d.cites[0].Kind != CiteProduct {
		return false
	}
	m := specAskRe.FindStringSubmatch(normalize(text))
	if m == nil {
		return false
	}
	spec := m[1] + m[2]
	// a measure the attribute rules read (its load, its weight) is theirs
	for _, at := range attributes {
		if containsAnyWord(spec, at.ask) || slices.ContainsFunc(at.ask, func(w string) bool { return strings.Contains(w, spec) }) {
			return false
		}
	}
	for _, p := range d.src.Products {
		if p.SKU != d.cites[0].ID {
			continue
		}
		have := productText(p)
		lang := En
		if hasHan(text) {
			lang = Zh
		}
		for _, w := range a.ix.UnknownWords(spec, lang) {
			if !strings.Contains(have, w) {
				return true
			}
		}
	}
	return false
}

// hasPartRe asks whether a product has a part or a quality: "does it have
// a changing mat", "does the tote come with a strap", "is the sunscreen
// reef-safe".
var hasPartRe = regexp.MustCompile(`(?i)\b(?:does|do)\s+(?:it|they|this|that|the\s+[a-z0-9\s-]+?)\s+(?:have|come\s+with|include|includes)\s+(?:a\s+|an\s+|any\s+|its\s+own\s+)?([a-z-]+(?:\s+[a-z-]+)?)\b` +
	`|^\W*(?:[a-z ]{0,12}:\s*)?(?:is|are)\s+(?:the|this|your)\s+[a-z0-9\s-]+?\s+([a-z]+-[a-z]+)\s*\??\s*$`)

// partNames are the names a card gives a part she names otherwise: a
// hydration pack's bladder is its reservoir.
var partNames = map[string][]string{
	"bladder":  {"reservoir"},
	"bladders": {"reservoir"},
	"nappy":    {"diaper"},
	"nappies":  {"diaper"},
}

// unstatedPart reports whether the question asks whether a cited product
// has a part or a hyphenated quality (hasPartRe) that none of the cited
// products' texts names, and no attribute rule reads.
func (a *Assistant) unstatedPart(d *draft, text, lang string) bool {
	m := hasPartRe.FindStringSubmatch(normalize(text))
	if m == nil {
		return false
	}
	spec := strings.TrimSpace(m[1] + m[2])
	for _, at := range attributes {
		if containsAnyWord(spec, at.ask) {
			return false
		}
	}
	words := slices.DeleteFunc(strings.FieldsFunc(spec, func(r rune) bool { return r == ' ' || r == '-' }), func(w string) bool { return len(w) < 3 })
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		words = append(words, partNames[w]...)
	}
	// a warranty is the rule's to state, and a cited rule that names the
	// part answers it
	for _, c := range d.cites {
		if pa, ok := a.ix.Passage(c.Kind, c.ID, lang); ok && c.Kind == CitePolicy {
			have := termSet(pa.Title+" "+pa.Text+" "+pa.Keywords, lang)
			for _, w := range words {
				if have[stem(w)] {
					return false
				}
			}
		}
	}
	cited := 0
	for _, p := range d.citedProducts() {
		cited++
		have := termSet(productWords(p)+" "+strings.Join(p.Tags, " "), lang)
		for _, w := range words {
			if have[stem(w)] {
				return false
			}
		}
	}
	return cited > 0
}

// An angry delivery story hands off without the words "complaint" or
// "refund": she paid for speed or waited long, the parcel came damaged,
// and she says so with force (exclamation, "are you kidding", 你们就这么
// 做生意的). A calm question about the same facts ("a bit late and the
// box was dented, is it still returnable?") has no such force and no
// length of wait, and is answered from the rules.
var (
	storyLateRe = regexp.MustCompile(`(?i)\b(paid|pay|paying)\s+(extra\s+)?for\s+(express|next[- ]day|fast|priority|expedited|quick)|\b(took|waited|waiting|wait|after)\s+(\w+\s+){0,2}(\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a\s+few|a\s+couple\s+of)\s+(whole\s+)?(days|weeks)\b|\b(\d+|two|three|four)\s+weeks\b` +
		`|加急|等了(整整|快|将近|差不多)?([0-9]+|[一二两三四五六七八九十几]+)(多)?(天|周|个星期|个礼拜|礼拜|星期)|([0-9]+|[一二两三四五六七八九十几]+)(多)?(天|周|个星期|个礼拜)才(到|收到|送到)`)
	storyDamageRe = regexp.MustCompile(`(?i)\b(crushed|squashed|smashed|ripped|torn|battered|broken|in pieces|damaged|wrecked|caved in)\b|压扁|压烂|压坏|破了|烂了|碎了|破损|变形|坏了|破破烂烂`)
	storyForceRe  = regexp.MustCompile(`(?i)[!！]|\b(are you kidding|you kidding|kidding me|unbelievable|explain (this|that|yourselves)|what a joke|is this a joke|how is this (ok|okay|acceptable)|what is going on|what's going on|seriously)\b` +
		`|就这么|到底|搞什么|怎么回事|什么意思|在干嘛|干什么吃的|像话|过分|还好意思|凭什么|服了|给个说法|给我解释`)
)

// angryDeliveryStory reports whether the normalised message n tells of a
// long or paid-for-speed delivery that came damaged, with force.
func angryDeliveryStory(n string) bool {
	return storyLateRe.MatchString(n) && storyDamageRe.MatchString(n) && storyForceRe.MatchString(n)
}
