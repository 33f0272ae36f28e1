package support

import (
	"strings"
	"unicode"
)

// The kind of product a question asks for is its head noun: 灯 in
// 适合露营的灯, "lamp" in "a camping lamp", "lamp" in "a lamp for camping".
// Words before it only narrow it down, so a product of that kind is
// preferred over one that shares only a modifier (a camera bag "for
// camping" is not a camping lamp).

// productTypes are the kinds of product that go by several names; a head
// noun of a group matches a title with any of them.
var productTypes = [][]string{
	{"lamp", "lantern", "light", "torch", "flashlight", "lighting"},
	{"bag", "backpack", "rucksack", "tote", "pouch", "holdall", "weekender", "duffel"},
	{"bottle", "flask", "tumbler"},
	{"mug", "cup"},
	{"earbud", "earphone", "headphone", "headset"},
	{"charger", "adapter", "plug"},
	{"blanket", "throw"},
	{"jacket", "coat", "shell"},
	{"sneaker", "shoe", "trainer"},
	{"cardigan", "sweater", "jumper"},
	{"stand", "holder"},
	{"chair", "seat", "stool"},
	{"pillow", "cushion"},
	{"tripod", "stand"},
	{"moisturiser", "moisturizer", "cream"},
	{"灯", "灯具"},
	{"包", "袋"},
	{"杯", "壶"},
	{"耳机", "耳塞"},
	{"毯", "盖毯"},
	{"椅", "凳"},
	{"枕", "靠垫"},
	{"霜", "乳", "膏"},
}

// enHeadStop ends the noun phrase of an English question.
var enHeadStop = wordSet(`for with that which to under in on from by at of who than`)

// heads returns the head noun of the product question q and the other
// names of its kind; none when q names no noun.
func heads(q, lang string) []string {
	runs := wordRuns(searchText(q))
	var head []string
	if lang == Zh {
		for i := len(runs) - 1; i >= 0; i-- {
			rs := []rune(runs[i])
			if !unicode.Is(unicode.Han, rs[0]) {
				continue
			}
			if len(rs) >= 2 {
				head = append(head, string(rs[len(rs)-2:]))
			}
			head = append(head, string(rs[len(rs)-1:]))
			break
		}
	} else {
		last := ""
		for _, w := range runs {
			if enHeadStop[w] && last != "" {
				break
			}
			if len(w) >= 3 && !stopWords[w] && !allDigits(w) {
				last = stem(w)
			}
		}
		if last != "" {
			head = append(head, last)
		}
	}
	out := append([]string(nil), head...)
	for _, h := range head {
		for _, g := range productTypes {
			for _, w := range g {
				if w == h {
					out = append(out, g...)
					break
				}
			}
		}
	}
	return out
}

// headMatch reports whether the product passage p is of the kind heads
// names: its title has one of them (a Han one anywhere, a Latin one as a
// word).
func headMatch(p Passage, heads []string) bool {
	if len(heads) == 0 {
		return false
	}
	title := normalize(p.Title)
	words := termSet(p.Title, p.Language)
	for _, h := range heads {
		if isHan(h) && strings.Contains(title, h) || !isHan(h) && words[h] {
			return true
		}
	}
	return false
}

// headBonus is what a product of the asked-for kind adds to its coverage
// when candidates are ranked.
const headBonus = 0.25
