package support

import "regexp"

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
