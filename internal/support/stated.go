package support

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/chorusmkt/chorus/internal/catalog"
)

// A product card often answers a measure in a form the question does not
// name: "what's the wattage" is answered by "65 W", "what age range" by
// "0 to 36 months", "what are the burrs made of" by "steel burrs". And a
// card as often says nothing of the measure asked: a wireless standard's
// version, a waterproof rating in mm, a mat's thickness, a card's read
// speed, the allergens, the name of each shade. attrKinds is the one table
// of the measurable kinds of value a question asks, with the words (zh
// and en; 繁體 is folded to 简体 before it is read) that ask for each and
// the form the value takes on a card. An answer citing products hands off
// when no kind asked is stated by them; of two kinds asked, the one a card
// states is answered and the other said plainly to be unstated
// (unconfirmed, handoff.go). The attribute words of productFacts do not
// say "not stated" of a kind a card states in other words.

// attrKind is one kind of value a question asks: ask (en and zh) are the
// words that ask for it, read after mask is blanked from the question (a
// load she asks of is no weight of the product, her own weight is hers);
// have is the form the value takes in a product's texts, read after
// haveMask is blanked from them ("holds 8 kg" is no weight of its own).
type attrKind struct {
	name, zh       string
	askEn, askZh   *regexp.Regexp
	have           *regexp.Regexp
	mask, haveMask *regexp.Regexp
}

// materialEn and materialZh are the materials product texts name.
const (
	materialEn = `steel|stainless|aluminium|aluminum|alloy|metal|titanium|carbon|polycarbonate|plastic|silicone|rubber|leather|canvas|cotton|wool|merino|silk|linen|nylon|polyester|mesh|foam|cork|wood|bamboo|ceramic|porcelain|glass|stoneware|latex|lyocell`
	materialZh = `不锈钢|钢|铝|合金|金属|钛|碳纤维|碳素|塑料|硅胶|橡胶|牛皮|皮革|真皮|帆布|棉|羊毛|羊绒|蚕丝|丝|亚麻|尼龙|涤纶|网布|记忆棉|软木|木|竹|陶瓷|玻璃|乳胶|天丝`
	// colourEn and colourZh name shades and colours, which a card listing
	// its colours writes
	colourEn = `red|rose|nude|coral|pink|berry|plum|brown|beige|black|white|grey|gray|navy|blue|green|olive|camel|burgundy|mauve|cherry|orange|tan|ivory|cream`
	colourZh = `正红|大红|玫红|砖红|橘红|酒红|粉色|豆沙|珊瑚|裸色|橘色|棕色|米色|米白|黑色|白色|灰色|蓝色|绿色|驼色|梅子|奶茶色`
	// loadAsk asks what a thing bears, not what it weighs
	loadAsk = `(?i)\b(weight|load)\s+(limit|capacity|rating)|\bmax(imum)?\s+(load|weight)|\bhow\s+much\s+weight\b|\b(hold|take|support|bear)s?\s+(up\s+to|my|someone|a\s+person|\d+)|承重|承受|负重|载重|多重的人|公斤的人|斤的人`
)

func kindRe(s string) *regexp.Regexp { return regexp.MustCompile(`(?i)` + s) }

var attrKinds = []attrKind{
	{name: "power", zh: "功率",
		askEn: kindRe(`\b(watts?|wattage|power\s+output|output\s+power|how\s+powerful)\b`), askZh: kindRe(`功率|多少瓦|几瓦`),
		have: kindRe(`\d+\s*w\b|\d+\s*瓦`)},
	{name: "age", zh: "适用年龄",
		askEn: kindRe(`\b(age|ages|age\s+range|how\s+old|months?\s+old|from\s+birth|newborns?)\b`), askZh: kindRe(`年龄|月龄|几个月|多大的(宝宝|孩子|小孩)|几岁`),
		have: kindRe(`\d+\s*(to|-|–|~|至|到)\s*\d+\s*(months?|个月|岁|years?)|\d+\s*(months?|个月|岁)`)},
	// a size in inches (a laptop or a screen it fits)
	{name: "inches", zh: "尺寸（英寸）",
		askEn: kindRe(`\b(laptop|screen|notebook)\s+(size|sizes)\b|\bwhat\s+size\s+(laptop|screen|notebook)|\bhow\s+(big|large)\s+(a|of\s+a)\s+(laptop|screen|notebook)|\binch(es)?\b`), askZh: kindRe(`几寸|多少寸|多大的(电脑|笔记本)`),
		have: kindRe(`\d+\s*-?\s*(inch|in\b|"|寸|英寸)`),
		// "the dimensions in inches": the unit of another measure asked
		mask: kindRe(`\bin\s+inch(es)?\b`)},
	// a volume a thing holds (the bladder's litres, 水袋装几升); a weight
	// it bears is no volume
	{name: "volume", zh: "容量",
		askEn: kindRe(`\b(litres?|liters?|volume|millilitres?|milliliters?|ml)\b|\bhow\s+much\s+(water|liquid|fluid|coffee|tea)\b`), askZh: kindRe(`多少升|几升|多少毫升|几毫升|装多少水|能装多少|水袋.{0,4}容量`),
		have: kindRe(`\d+(\.\d+)?\s*(l|litres?|liters?|ml)\b|\d+(\.\d+)?\s*(升|毫升)`)},
	// a capacity of storage or charge (128 GB, 20000 mAh); a load is no
	// capacity
	{name: "capacity", zh: "容量",
		askEn: kindRe(`\bcapacity\b|\bhow\s+much\s+(storage|space|charge)\b|\bhow\s+many\s+(gb|gigabytes|mah)\b`), askZh: kindRe(`容量|多少毫安|多少gb|多大内存|存储空间|多少g\b`),
		have: kindRe(`\d+\s*(gb|tb|mah|毫安)|\d+(\.\d+)?\s*(l|litres?|liters?|ml|升|毫升)\b`), mask: kindRe(loadAsk)},
	{name: "material", zh: "材质",
		askEn: kindRe(`\bmaterials?\b|\bmade\s+(of|from|out\s+of)\b|\bwhat\s+(are|is)\s+[a-z'\s-]{0,30}\s+made\b`), askZh: kindRe(`材质|材料|什么做的|什么料|什么材`),
		have: kindRe(`\b(` + materialEn + `)\b|` + materialZh)},
	// the load a thing bears (holds 120 kg, 承重8kg)
	{name: "load capacity", zh: "承重",
		askEn: kindRe(loadAsk), askZh: kindRe(loadAsk),
		have: kindRe(`\b(holds?|load|max\s+weight|up\s+to)\s+\d+(\.\d+)?\s*(kg|lbs?)|承重\s*\d+(\.\d+)?\s*(kg|公斤)`)},
	// the weight of the thing itself (empty, net); her weight and the load
	// it bears are not
	{name: "weight", zh: "重量",
		askEn: kindRe(`\bhow\s+heavy\s+(is|are)\b|\bhow\s+much\s+(does|do|did)\s+[a-z0-9\s'-]{1,40}?\s+weigh\b|\bwhat\s+(does|do)\s+(it|they|the\s+[a-z0-9\s-]+?)\s+weigh\b|\bweighs?\s+(empty|alone|itself|on\s+its\s+own)\b|\b(empty|net|total|its|item|product)\s+weight\b|\bweight\s+of\s+(the|it|this|that|your)\b|\bhow\s+many\s+(kg|kilos|grams|pounds|lbs|ounces)\b`),
		askZh: kindRe(`多重|重量|几斤|多少克|多少斤|多少公斤|几公斤|有多沉|净重|自重|空箱.{0,2}重`),
		have:  kindRe(`\d+(\.\d+)?\s*(kg|g|克|公斤|千克|斤|lbs?|oz|pounds|grams)\b|\d+(\.\d+)?\s*(克|公斤|千克|斤)`),
		mask:  regexp.MustCompile(loadAsk + `|` + bodyMeasureRe.String()), haveMask: kindRe(`\b(holds?|load|max\s+weight|up\s+to)\s+\d+(\.\d+)?\s*(kg|lbs?)|承重\s*\d+(\.\d+)?\s*(kg|公斤)|\d+\s*g\s+protein|每份\d+\s*(g|克)`)},
	// a wireless or port standard's version (Bluetooth 5.3)
	{name: "version", zh: "版本",
		askEn: kindRe(`\b(bluetooth|bt|wi-?fi|usb)\s+(version|standard|generation)\b|\b(bluetooth|wi-?fi)\s*\d(\.\d)?\b|\bwhich\s+(bluetooth|wi-?fi|usb)\b|\bwhat\s+(bluetooth|wi-?fi)\b|\bversion\s+of\s+(bluetooth|wi-?fi|usb)\b`),
		askZh: kindRe(`蓝牙.{0,3}(版本|几点几|几代|多少代|\d\.\d)|(什么|哪个|哪一)版本的?蓝牙|蓝牙是几`),
		have:  kindRe(`\b(bluetooth|bt|wi-?fi|usb)\s*\d(\.\d)?\b|蓝牙\s*\d(\.\d)?`)},
	// the audio codecs it plays
	{name: "codec", zh: "编解码格式",
		askEn: kindRe(`\bcodecs?\b|\b(aptx|ldac|lc3|sbc)\b|\baac\s+(support|codec)`), askZh: kindRe(`编解码|解码格式|音频编码|支持.{0,4}(aptx|ldac|aac)`),
		have: kindRe(`\b(aptx|ldac|aac|sbc|lc3)\b`)},
	// a waterproof rating: a hydrostatic head in mm, an IP rating
	{name: "waterproof rating", zh: "防水指数",
		askEn: kindRe(`\bhydrostatic\b|\bipx?\s?-?\d{1,2}\b|\bip\s+rating|\b(water|dust)\s*(resistance|proof)\s+rating|\bwater\s*proof(ness)?\s+(rating|level|index|grade|number)|\bwater\s+column\b|\bwater\s*proof\b.{0,30}\b(mm|millimet(re|er)s?)\b|\b(mm|millimet(re|er)s?)\b.{0,30}\bwater\s*proof`),
		askZh: kindRe(`防水.{0,6}(指数|系数|等级|级别|毫米|mm)|静水压|耐水压|水柱|ip等级|\bipx\d`),
		have:  kindRe(`\d+\s*(mm|毫米)\b|\d+\s*毫米|\bipx?\d|防水指数|静水压|耐水压`)},
	// a battery's energy in watt-hours (what an airline asks)
	{name: "watt-hours", zh: "瓦时数",
		askEn: kindRe(`\bwh\s+(rating|capacity|value)|\bwatt[- ]?hours?\b|\bwh\b`), askZh: kindRe(`瓦时|瓦特小时|wh数|多少wh`),
		have: kindRe(`\d+(\.\d+)?\s*wh\b|\d+(\.\d+)?\s*(瓦时|瓦特小时)`)},
	// a thickness
	{name: "thickness", zh: "厚度",
		askEn: kindRe(`\bhow\s+thick\b|\bthickness\b|\b(mm|millimet\w*|cm|inch\w*)\s+thick\b`), askZh: kindRe(`多厚|厚度|有多厚|几毫米厚|多少毫米厚|几厘米厚|厚多少`),
		have: kindRe(`\d+(\.\d+)?\s*(mm|毫米|cm|厘米)\s*(thick|厚)|(厚|thickness\s*:?)\s*\d+(\.\d+)?\s*(mm|毫米|cm|厘米)`)},
	// exact outer measurements
	{name: "dimensions", zh: "尺寸",
		askEn: kindRe(`\bdimensions?\b|\bexact\s+(size|measurements?)\b|\bmeasurements\b|\bhow\s+(tall|wide|deep)\s+(is|are)\b`), askZh: kindRe(`长宽高|外形尺寸|具体尺寸|(长|宽|高|长度|宽度|高度)(是)?多少(厘米|cm|毫米|mm)|多少(厘米|cm|毫米|mm)(长|宽|高)|(有)?多宽|(有)?多高|宽度|高度`),
		have: kindRe(`\d+(\.\d+)?\s*(x|×|\*)\s*\d+|\d+(\.\d+)?\s*(cm|厘米|mm|毫米)\b|\d+(\.\d+)?\s*(cm|厘米|mm|毫米)`)},
	// a memory card's or a drive's read or write speed
	{name: "speed", zh: "读写速度",
		askEn: kindRe(`\b(read|write|reading|writing|transfer)\s+speeds?\b|\bmb\s*/\s*s\b|\bmegabytes?\s+(per|a)\s+second\b`), askZh: kindRe(`读取速度|写入速度|读写速度|传输速度|读速|写速|mb\s*/\s*s|多少兆每秒`),
		have: kindRe(`\d+\s*mb\s*/\s*s|\d+\s*兆每秒|\b(read|write)s?\s+(speeds?\s+)?(of\s+|up\s+to\s+)?\d+`)},
	// the allergens a food or a cosmetic holds
	{name: "allergen", zh: "过敏原",
		askEn: kindRe(`\ballerg\w*|\b(gluten|nut|peanut|dairy|lactose|soy)[- ]free\b|\b(contain|contains|traces\s+of)\s+(any\s+)?(nuts?|peanuts?|gluten|soy|dairy|milk|lactose|eggs?|shellfish|sesame)\b`),
		askZh: kindRe(`过敏|致敏|含不含(花生|坚果|麸质|乳糖|大豆|牛奶|鸡蛋|乳制品)|有没有(花生|坚果|麸质|乳糖|大豆|牛奶|鸡蛋|乳制品)|无麸质|乳糖不耐`),
		have:  kindRe(`\ballergens?\b|过敏原|致敏|\bcontains\s+(milk|soy|nuts?|gluten|eggs?)|\b(gluten|nut|dairy|lactose|soy)[- ]free\b|含(乳|大豆|坚果|麸质)`)},
	// the name of each shade or colour
	{name: "shade names", zh: "色号名称",
		askEn: kindRe(`\bnames?\s+of\s+(the\s+|each\s+|all\s+|its\s+)?(\w+\s+)?(shades?|colou?rs?|colorways?)\b|\b(shades?|colou?rs?)\b.{0,20}\b(called|named)\b|\b(list|name)\s+(the|all|each)\s+(\w+\s+)?(shades?|colou?rs?)\b|\bwhich\s+shades\b|\bwhat\s+shades\s+(does|do|is|are)\s+(it|they|the)\b`),
		askZh: kindRe(`色号.{0,8}(名字|叫什么|分别|有哪些|是哪些|是什么)|(哪些|哪几个|哪几种|什么)色号|每个色号|每种颜色.{0,4}(叫|名)|颜色.{0,4}(分别|名字|叫什么)|分别是什么颜色`),
		have:  kindRe(`\b(` + colourEn + `)\b|` + colourZh)},
}

// askedKinds are the kinds of value the question text asks, in table
// order.
func askedKinds(text string) []attrKind {
	n := normalize(text)
	var out []attrKind
	for _, k := range attrKinds {
		q := n
		if k.mask != nil {
			q = k.mask.ReplaceAllString(q, " ")
		}
		if k.askEn.MatchString(q) || k.askZh.MatchString(q) {
			out = append(out, k)
		}
	}
	return out
}

// states reports whether the normalised product text have states a value
// of kind k.
func (k attrKind) states(have string) bool {
	if k.haveMask != nil {
		have = k.haveMask.ReplaceAllString(have, " ")
	}
	return k.have.MatchString(have)
}

// statesAsked reports whether the question text asks a kind of value that
// the product text have states.
func statesAsked(text, have string) bool {
	return slices.ContainsFunc(askedKinds(text), func(k attrKind) bool { return k.states(have) })
}

// citedStates reports whether the question asks kinds of value and each
// is stated by one of the products d cites.
func citedStates(d *draft, text string) bool {
	asked := askedKinds(text)
	_, unstated := unstatedKind(d, asked)
	return len(asked) > 0 && !unstated
}

// unstatedKind is the first kind of asked that none of the products d
// cites states; ok is false when each is stated or d cites no product.
func unstatedKind(d *draft, asked []attrKind) (attrKind, bool) {
	texts := citedTexts(d)
	if len(texts) == 0 {
		return attrKind{}, false
	}
	for _, k := range asked {
		if !slices.ContainsFunc(texts, k.states) {
			return k, true
		}
	}
	return attrKind{}, false
}

// someStated reports whether one kind of asked is stated by a product d
// cites: a question of two measures answers the one its card states.
func someStated(d *draft, asked []attrKind) bool {
	texts := citedTexts(d)
	return slices.ContainsFunc(asked, func(k attrKind) bool { return slices.ContainsFunc(texts, k.states) })
}

// citedTexts are the normalised texts of the products d cites.
func citedTexts(d *draft) []string {
	var out []string
	for _, p := range d.citedProducts() {
		out = append(out, productText(p))
	}
	return out
}

// label is how an answer in lang names kind k.
func (k attrKind) label(lang string) string {
	if lang == Zh {
		return k.zh
	}
	return k.name
}

// productText is what a product's own texts say, normalised.
func productText(p catalog.Product) string { return normalize(productWords(p)) }

// productWords is a product's own texts: its title, description and
// selling points.
func productWords(p catalog.Product) string {
	return p.Title + " " + p.Description + " " + strings.Join(p.SellingPoints, " ")
}

// citedProducts are the products of d's sources that d cites.
func (d *draft) citedProducts() []catalog.Product {
	var out []catalog.Product
	for _, p := range d.src.Products {
		if slices.Contains(d.cites, Citation{Kind: CiteProduct, ID: p.SKU}) {
			out = append(out, p)
		}
	}
	return out
}

// kindOfProduct answers a question asking a kind of value of a product it
// names that the other paths did not place: the words that ask the kind
// (a codec, 读取速度, MB/s) are none of the product's and dilute its
// search, so the product is looked for with them blanked. The answer is
// the product's card; unconfirmed then hands it off when the card does
// not state the kind. ok is false when no kind is asked or no product is
// named.
func (a *Assistant) kindOfProduct(ctx context.Context, t *turn) (*draft, bool, error) {
	asked := askedKinds(t.req.Text)
	// a certification or a making the card would have to state (泛白,
	// reef-safe) is asked as a kind is
	certs := certRe.MatchString(normalize(t.req.Text))
	if len(asked) == 0 && !certs {
		return nil, false, nil
	}
	// the tote's dimensions: the tote
	q := possessiveRe.ReplaceAllString(normalize(t.req.Text), "")
	q = certRe.ReplaceAllString(q, " ")
	for _, k := range asked {
		q = k.askZh.ReplaceAllString(k.askEn.ReplaceAllString(q, " "), " ")
	}
	w := *t
	w.req.Text = q
	p, ok, err := a.namedProduct(ctx, &w)
	if err != nil {
		return nil, false, err
	}
	if !ok {
		// the product named by its title's words (the earbuds), though
		// the rest of her words (support) are a rule's
		if p, ok, err = a.titleHit(ctx, q, t.lang); err != nil {
			return nil, false, err
		}
	}
	if !ok {
		// the one product whose title shares her word, though the rest
		// of her words (which version, do they use) dilute the search
		if p, ok, err = a.soleTitled(ctx, q, t.lang); err != nil || !ok {
			return nil, false, err
		}
	}
	d := &draft{intent: IntentProduct}
	a.productFacts(d, p, t, true)
	return d, true, nil
}

// possessiveRe is the English possessive of a name (the tote's).
var possessiveRe = regexp.MustCompile(`['’]s\b`)

// titleHit is the first product the search finds for q in lang whose title
// shares a word of q and that covers enough of it; ok is false when none
// does.
func (a *Assistant) titleHit(ctx context.Context, q, lang string) (catalog.Product, bool, error) {
	q = stripAttrWords(q)
	hits, err := a.ix.Search(ctx, q, SearchOptions{Language: lang, Kinds: []string{CiteProduct}, K: 3})
	if err != nil {
		return catalog.Product{}, false, err
	}
	want := termSet(q, lang)
	for _, h := range hits {
		if h.Language != lang || a.ix.coverage(q, h) < 0.25 || !sharesTerm(termSet(h.Title, lang), want) {
			continue
		}
		p, err := a.st.GetProduct(ctx, h.ID)
		if err != nil {
			return catalog.Product{}, false, ignoreNotFound(err)
		}
		return p, true, nil
	}
	return catalog.Product{}, false, nil
}
