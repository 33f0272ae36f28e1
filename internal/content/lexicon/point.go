package lexicon

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// PointKind is the grammatical kind of a selling point, which decides
// where copy may place it.
type PointKind int

// Selling point kinds.
const (
	// Noun is a thing the product has: 头层牛皮, "shock-absorbing dividers".
	// It goes into lists and after "with"/"有", never after "it's".
	Noun PointKind = iota
	// Adjective is a quality: 防水, "lightweight", "never tight". It may
	// follow the product as its predicate (它很轻便 / "it's lightweight").
	Adjective
	// Claim is something the product does: 可放16寸笔记本, "fits a 16-inch
	// laptop". A claim is a predicate of its own; in English it follows
	// "it" when it starts with a verb (Verb3), else it stands as a
	// sentence ("Just add hot water.").
	Claim
	// Spec is a number or a pack: 128GB, 5片装, "Pack of 5", "Only 1.2 kg".
	// It goes into lists only.
	Spec
)

func (k PointKind) String() string {
	return [...]string{"noun", "adjective", "claim", "spec"}[k]
}

// Point is a classified selling point.
type Point struct {
	Text string
	Kind PointKind
	// Verb3: an English claim led by a verb in the third person
	// ("Fits …", "Holds 8 kg"), so it reads after "it" (or, with the
	// verb made plural, after "they").
	Verb3 bool
	// Material: a noun naming what the product is made of (头层牛皮,
	// "Full-grain leather").
	Material bool
}

// ClassifyPoint classifies one selling point in lang ("zh" or "en").
func ClassifyPoint(text, lang string) Point {
	p := Point{Text: strings.TrimSpace(text)}
	if lang == "zh" || isHan(p.Text) {
		p.Kind, p.Material = classifyZh(p.Text)
		return p
	}
	p.Kind, p.Verb3, p.Material = classifyEn(p.Text)
	return p
}

// zh markers
var (
	zhClaimPrefix = []string{"常与", "仅", "只需", "覆盖", "续航", "承重", "持香", "保冷", "燃烧", "把", "让", "每份", "每天", "适合", "支持", "热水", "一键", "当周", "三分钟", "五分钟", "一分钟", "多设备", "侧开", "不怕", "告别"}
	zhClaimSuffix = []string{"调节", "调光", "切换", "同充", "快取", "通用", "速搭", "即冲", "查找", "都方便", "可选", "可调", "可用", "可拆洗", "可机洗", "可水洗", "防丢"}
	zhAdjVerbs    = []string{"可调", "可拆", "可折", "可伸缩"} // 可调隔板 is a noun: adjustable dividers
	zhNounSuffix  = []string{"皮", "布", "料", "架", "杆", "轮", "锁", "袋", "包", "仓", "芯", "带", "扣", "垫", "板", "框", "膜", "链", "绳", "网", "线", "胆", "层", "柄", "把", "格", "色", "油", "蜡", "豆", "粉", "纸", "盒", "罐", "杯", "片", "脚", "键", "口", "窗", "灯", "管", "钩", "环", "纹", "边", "卡", "夹", "帽", "檐", "绒", "毛", "棉", "麻", "丝", "革", "铝", "钢", "木", "竹", "瓷", "胶", "活", "计", "学", "质", "声", "味", "位", "体", "机", "器", "酸", "液", "条", "积", "身", "酰胺", "温", "阻力", "镀膜", "表活", "设计"}
	zhMaterials   = []string{"牛皮", "羊毛", "羊绒", "蚕丝", "桑蚕丝", "纯棉", "棉麻", "亚麻", "橡胶", "碳纤维", "碳素", "铝合金", "不锈钢", "陶瓷", "大豆蜡", "帆布", "美利奴", "精油", "乳胶", "尼龙", "天丝", "真皮", "实木", "竹", "玻璃", "纯铜"}
)

func classifyZh(s string) (PointKind, bool) {
	material := false
	for _, m := range zhMaterials {
		if strings.Contains(s, m) {
			material = true
		}
	}
	for _, p := range zhClaimPrefix {
		if strings.HasPrefix(s, p) {
			return Claim, false
		}
	}
	for _, suf := range zhClaimSuffix {
		if strings.HasSuffix(s, suf) {
			return Claim, false
		}
	}
	if strings.ContainsAny(s, "都即就") {
		return Claim, false
	}
	if strings.Contains(s, "+") {
		return Noun, material // 气吹+镜头笔+清洁液: a list of things
	}
	if strings.HasPrefix(s, "可") && !strings.HasPrefix(s, "可可") {
		for _, a := range zhAdjVerbs {
			if strings.HasPrefix(s, a) && endsWithAny(s, zhNounSuffix) {
				return Noun, material
			}
		}
		return Claim, false
	}
	if r, _ := utf8.DecodeRuneInString(s); strings.ContainsRune("一二两三四五六七八九十", r) {
		if r2, _ := utf8.DecodeRuneInString(s[len(string(r)):]); strings.ContainsRune("种档色件片条包口只款层", r2) {
			return Spec, false // 六种坚果果干, 三档色温
		}
	}
	if strings.ContainsFunc(s, unicode.IsDigit) || strings.Contains(s, "件套") || strings.Contains(s, "片装") || strings.Contains(s, "条装") {
		if material {
			return Noun, true // 100%桑蚕丝
		}
		return Spec, false
	}
	if material || endsWithAny(s, zhNounSuffix) {
		return Noun, material
	}
	if utf8.RuneCountInString(s) >= 7 {
		return Claim, false
	}
	return Adjective, false
}

func endsWithAny(s string, sufs []string) bool {
	for _, suf := range sufs {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

// en markers
var (
	enVerb3 = wordSet("fits", "turns", "holds", "works", "charges", "lasts", "pitches", "doubles", "slides", "keeps", "mixes", "folds", "packs",
		"goes", "stays", "makes", "gives", "takes", "comes", "blocks", "protects", "cuts", "dries", "warms", "cools", "carries", "stores",
		"converts", "connects", "supports", "absorbs", "repels", "resists", "locks", "clips", "attaches", "hangs", "stands", "opens",
		"brings", "adds", "lights", "glows", "burns", "plays", "wakes", "fixes", "shows", "sits", "hides", "suits", "washes", "grows", "cleans")
	enBase = wordSet("find", "just", "add", "trim", "use", "enjoy", "simply")
	enAdj  = wordSet("light", "lightweight", "slim", "compact", "soft", "warm", "thick", "thin", "quiet", "silent", "strong", "durable",
		"portable", "sturdy", "stylish", "tidy", "washable", "breathable", "gentle", "tight", "sticky", "greasy", "itchy", "comfortable",
		"matte", "flat", "small", "tiny", "big", "large", "wide", "smooth", "stretchy", "fresh", "natural", "organic", "handmade", "safe",
		"expandable", "waterproof", "slim", "cosy", "cozy", "festive", "suitable", "perfect", "ideal", "ready", "scented", "rechargeable",
		"reusable", "recyclable", "unique", "cute", "pretty", "elegant", "classic", "timeless", "bright", "colourful", "colorful", "sweet",
		"thick", "glossy", "sheer", "hypoallergenic", "vegan", "dishwasher-safe", "microwave-safe", "magnetic", "ergonomic", "adjustable", "foldable",
		"stackable", "insulated", "leak-proof", "non-slip", "lint-free", "multi-coated")
	enAdjSuffix = []string{"proof", "resistant", "free", "able", "ible", "ful", "less", "ive", "ous", "ed", "-safe", "-thrown", "-made", "-friendly"}
	enPrep      = wordSet("for", "to", "with", "in", "on", "of", "at", "by", "from")
	enMaterials = wordSet("leather", "wool", "merino", "silk", "cotton", "linen", "rubber", "carbon", "aluminium", "aluminum", "steel", "ceramic",
		"porcelain", "glass", "wood", "bamboo", "wicker", "felt", "canvas", "nylon", "latex", "zinc", "enamel", "velvet", "lace", "cashmere",
		"polycarbonate", "acrylic", "crystal", "tin", "paper", "soy", "oak", "walnut", "copper", "brass")
)

func wordSet(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

func classifyEn(s string) (kind PointKind, verb3, material bool) {
	ws := Words(s)
	if len(ws) == 0 {
		return Noun, false, false
	}
	for _, w := range ws {
		if enMaterials[w] {
			material = true
		}
	}
	first, last := ws[0], ws[len(ws)-1]
	switch {
	case enVerb3[first]:
		return Claim, true, false
	case enBase[first]:
		return Claim, false, false
	case first == "every" || first == "each" || first == "made" && len(ws) > 1 && enPrep[ws[1]]:
		if first == "made" {
			return Adjective, false, material
		}
		return Claim, false, false
	case first == "for":
		return Claim, false, false // "For office and travel": a purpose, a sentence of its own
	case first == "often" && len(ws) > 1 && ws[1] == "bought":
		return Claim, false, false // "Often bought with the …": a sentence of its own
	case first == "only" || first == "pack" || first == "set" && len(ws) > 1 && ws[1] == "of" || strings.ContainsFunc(s, unicode.IsDigit):
		if material && !strings.Contains(s, "%") {
			return Noun, false, true
		}
		return Spec, false, false
	case first == "never" || first == "no" && len(ws) > 1 && enAdj[ws[1]]:
		return Adjective, false, false
	case isAdjWord(last) && !enMaterials[last]:
		return Adjective, false, false
	case isAdjWord(first) && len(ws) > 1 && enPrep[ws[1]]:
		return Adjective, false, false // "Suitable for sensitive skin"
	case strings.HasSuffix(first, "ed") && len(ws) > 1 && (enPrep[ws[1]] || ws[1] == "this" || ws[1] == "every" || ws[1] == "each"):
		return Adjective, false, false // "Roasted this week"
	}
	return Noun, false, material
}

func isAdjWord(w string) bool {
	if enAdj[w] {
		return true
	}
	if notAdjNouns[w] {
		return false
	}
	for _, suf := range enAdjSuffix {
		if strings.HasSuffix(w, suf) && len(w) > len(suf)+2 {
			return true
		}
	}
	return false
}

// notAdjNouns end like adjectives but are nouns.
var notAdjNouns = wordSet("cable", "table", "bottle", "candle", "handle", "needle", "bundle", "buckle", "vegetable", "bed", "shed", "seed",
	"speed", "reed", "feed", "thread", "bread", "head", "lid", "hive", "olive", "drive", "knive", "ful", "bristle", "hood", "wood", "cord",
	"red", "shred", "sled", "sweed", "tweed", "fabric", "ed")

// ThirdToPlural turns the leading verb of an English claim from the third
// person singular to the plural ("fits a laptop" → "fit a laptop"), for a
// product named in the plural.
func ThirdToPlural(claim string) string {
	word, rest, _ := strings.Cut(claim, " ")
	low := strings.ToLower(word)
	base := low
	switch {
	case low == "does":
		base = "do"
	case low == "has":
		base = "have"
	case low == "is":
		base = "are"
	case low == "goes":
		base = "go"
	case strings.HasSuffix(low, "ies") && len(low) > 4:
		base = low[:len(low)-3] + "y"
	case strings.HasSuffix(low, "ches"), strings.HasSuffix(low, "shes"), strings.HasSuffix(low, "sses"), strings.HasSuffix(low, "xes"), strings.HasSuffix(low, "zes"):
		base = low[:len(low)-2]
	case strings.HasSuffix(low, "s"):
		base = low[:len(low)-1]
	}
	if r, _ := utf8.DecodeRuneInString(word); unicode.IsUpper(r) {
		base = strings.ToUpper(base[:1]) + base[1:]
	}
	if rest == "" {
		return base
	}
	return base + " " + rest
}

// BoughtWithPoint is the selling point of a product often bought in the
// same orders as other: "Often bought with the Heart T-Light Holder",
// 常与心形烛台一起购买. It is a claim (a sentence of its own).
func BoughtWithPoint(other, lang string) string {
	other = strings.TrimSpace(other)
	if other == "" {
		return ""
	}
	if lang == "zh" {
		return "常与" + other + "一起购买"
	}
	return "Often bought with the " + other
}

// NeutralMention reports whether a product title may be named in copy for
// any product: it names no occasion, season or interest, which the
// linter would hold against a product that is not for them.
func NeutralMention(title string) bool {
	return len(Occasions(title)) == 0 && len(Seasons(title)) == 0 && len(InterestMentions(title)) == 0
}
