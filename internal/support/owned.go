package support

import (
	"regexp"
	"strings"
)

// "Something to protect my camera inside my own backpack": the backpack is
// hers already, and what she asks for goes in it. Searched as written, the
// bag she owns is the product found (a camera backpack); it is read as the
// shop's catalogs say it of an insert or an organiser ("the bag you already
// carry", "any bag", 日常背包, 任意背包), so the thing that goes inside is.

var (
	ownBagEnRe = regexp.MustCompile(`(?i)\b(in|inside|into|within|for|to)\s+(my|a|the|her|his)\s+(own|existing|current|regular|everyday|normal|old|usual|ordinary)\s+(bag|backpack|rucksack|pack|daypack|tote|handbag|suitcase|luggage)s?\b` +
		`|\b(in|inside|into|for)\s+(the\s+)?(bag|backpack|rucksack|pack|tote)s?\s+(i|we)\s+(already\s+)?(have|own|carry|use|got)\b`)
	ownBagZhRe = regexp.MustCompile(`(放(进|在|到|入))?(我)?(自己|现有|平时|日常|原来|普通|已有)(的)?(背包|包包|包|书包|双肩包|行李箱)(里面|里|中)?`)
)

// ownedContainer rewrites a bag she already owns in the catalog's words
// for one (see above); text is returned as it is when it names none.
func ownedContainer(text string) string {
	text = ownBagEnRe.ReplaceAllString(text, " for any bag you already carry ")
	return ownBagZhRe.ReplaceAllString(text, "放进日常背包 任意背包")
}

// 可以当移动电源的露营灯 (the lantern that can be a power bank): what a
// thing also does names another product (移动电源 is the power bank's
// title), and searched as written that product is found. The head noun
// after 的 is the product she asks for; the frame of what it also does is
// left out of the search. English needs no such help: "doubles as a power
// bank" is the lantern's own selling point.
var worksAsZhRe = regexp.MustCompile(`(可以|能|可)?(当|当作|当成|作为|兼做)([^的，。？?,]{2,6}?)(用)?的(那个|那款|这个|这款)?(\p{Han})`)

// withoutWorksAs is text without the frame of what the thing also does,
// when what it also does is another product's title word.
func (a *Assistant) withoutWorksAs(text, lang string) string {
	return worksAsZhRe.ReplaceAllStringFunc(text, func(m string) string {
		sm := worksAsZhRe.FindStringSubmatch(m)
		for _, p := range a.ix.Passages(CiteProduct, lang) {
			if strings.Contains(p.Title, sm[3]) {
				return sm[6]
			}
		}
		return m
	})
}
