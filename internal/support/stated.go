package support

import (
	"regexp"
	"slices"
	"strings"

	"github.com/chorusmkt/chorus/internal/catalog"
)

// A product card often answers a measure in a form the question does not
// name: "what's the wattage" is answered by "65 W", "what age range" by
// "0 to 36 months", "what are the burrs made of" by "steel burrs". Before
// an answer says the product is silent on what was asked (and hands off),
// the cited product's own title, selling points and description are read
// for the kind of value asked: a number with its unit, a material. Only
// when none is there is the product silent.

// statedKind is one kind of value a question asks (ask) and the form it
// takes in a product's texts (have).
type statedKind struct {
	ask, have *regexp.Regexp
}

// materialEn and materialZh are the materials product texts name.
const (
	materialEn = `steel|stainless|aluminium|aluminum|alloy|metal|titanium|carbon|polycarbonate|plastic|silicone|rubber|leather|canvas|cotton|wool|merino|silk|linen|nylon|polyester|mesh|foam|cork|wood|bamboo|ceramic|porcelain|glass|stoneware`
	materialZh = `不锈钢|钢|铝|合金|金属|钛|碳纤维|碳素|塑料|硅胶|橡胶|牛皮|皮革|真皮|帆布|棉|羊毛|羊绒|蚕丝|丝|亚麻|尼龙|涤纶|网布|记忆棉|软木|木|竹|陶瓷|玻璃`
)

var statedKinds = []statedKind{
	// power
	{regexp.MustCompile(`(?i)\b(watts?|wattage|power\s+output|output\s+power|how\s+powerful)\b|功率|多少瓦|几瓦`),
		regexp.MustCompile(`(?i)\d+\s*w\b|\d+\s*瓦`)},
	// the ages a product is for
	{regexp.MustCompile(`(?i)\b(age|ages|age\s+range|how\s+old|months?\s+old|from\s+birth|newborns?)\b|年龄|月龄|几个月|多大的(宝宝|孩子|小孩)|几岁`),
		regexp.MustCompile(`(?i)\d+\s*(to|-|–|~|至|到)\s*\d+\s*(months?|个月|岁|years?)|\d+\s*(months?|个月|岁)`)},
	// a size in inches (a laptop or a screen it fits)
	{regexp.MustCompile(`(?i)\b(laptop|screen|notebook)\s+(size|sizes)\b|\bwhat\s+size\s+(laptop|screen|notebook)|\bhow\s+(big|large)\s+(a|of\s+a)\s+(laptop|screen|notebook)|\binch(es)?\b|几寸|多少寸|多大的(电脑|笔记本)`),
		regexp.MustCompile(`(?i)\d+\s*-?\s*(inch|in\b|寸|英寸)`)},
	// a volume a thing holds (the bladder's litres, 水袋装几升): a number
	// of litres; a weight it bears is no volume, so "capacity" alone is
	// not read as one
	{regexp.MustCompile(`(?i)\b(litres?|liters?|volume|millilitres?|milliliters?)\b|\bhow\s+much\s+(water|liquid|fluid)\b|多少升|几升|多少毫升|装多少水|能装多少水|容量多大|水袋.{0,4}容量`),
		regexp.MustCompile(`(?i)\d+(\.\d+)?\s*(l|litres?|liters?|ml)\b|\d+(\.\d+)?\s*(升|毫升)`)},
	// a material
	{regexp.MustCompile(`(?i)\bmaterials?\b|\bmade\s+(of|from|out\s+of)\b|\bwhat\s+(are|is)\s+[a-z'\s-]{0,30}\s+made\b|材质|材料|什么做的|什么料|什么材`),
		regexp.MustCompile(`(?i)\b(` + materialEn + `)\b|` + materialZh)},
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

// statesAsked reports whether the question text asks a kind of value
// (statedKinds) that the product text have states.
func statesAsked(text, have string) bool {
	n := normalize(text)
	for _, k := range statedKinds {
		if k.ask.MatchString(n) && k.have.MatchString(have) {
			return true
		}
	}
	return false
}

// citedStates reports whether one of the products d cites states the
// kind of value text asks.
func citedStates(d *draft, text string) bool {
	return slices.ContainsFunc(d.citedProducts(), func(p catalog.Product) bool { return statesAsked(text, productText(p)) })
}
