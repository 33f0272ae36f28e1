package lexicon

import (
	"regexp"
	"sort"
	"strings"
)

// Occasion is a time of year campaigns are built around.
type Occasion struct {
	Key    string
	ZH, EN []string
	// Themed occasions have products made for them (a Christmas star, an
	// Easter egg); copy naming one for a product themed to another is a
	// mismatch. Sale days (双11, 618, Black Friday) are not themed.
	Themed bool
	// Gifting occasions are times people buy presents.
	Gifting bool
}

var occasions = []Occasion{
	{Key: "christmas", ZH: []string{"圣诞"}, EN: []string{"christmas", "xmas"}, Themed: true, Gifting: true},
	{Key: "easter", ZH: []string{"复活节"}, EN: []string{"easter"}, Themed: true},
	{Key: "halloween", ZH: []string{"万圣节"}, EN: []string{"halloween"}, Themed: true},
	{Key: "valentine", ZH: []string{"情人节", "七夕"}, EN: []string{"valentine", "valentine's", "valentines"}, Themed: true, Gifting: true},
	{Key: "mothers_day", ZH: []string{"母亲节"}, EN: []string{"mother's day", "mothers day", "mothers' day"}, Gifting: true},
	{Key: "fathers_day", ZH: []string{"父亲节"}, EN: []string{"father's day", "fathers day"}, Gifting: true},
	{Key: "new_year", ZH: []string{"春节", "过年", "年货", "新春"}, EN: []string{"lunar new year", "chinese new year"}, Themed: true, Gifting: true},
	{Key: "mid_autumn", ZH: []string{"中秋"}, EN: []string{"mid-autumn", "moon festival"}, Themed: true, Gifting: true},
	{Key: "double11", ZH: []string{"双11", "双十一"}, EN: []string{"singles' day", "singles day", "11.11"}},
	{Key: "618", ZH: []string{"618", "年中大促"}, EN: []string{"618", "mid-year sale"}},
	{Key: "black_friday", ZH: []string{"黑五", "黑色星期五"}, EN: []string{"black friday", "cyber monday"}},
	{Key: "back_to_school", ZH: []string{"开学季", "开学"}, EN: []string{"back to school", "back-to-school"}},
	{Key: "birthday", ZH: []string{"生日"}, EN: []string{"birthday"}, Themed: true, Gifting: true},
}

var occasionByKey = func() map[string]*Occasion {
	m := map[string]*Occasion{}
	for i := range occasions {
		m[occasions[i].Key] = &occasions[i]
	}
	return m
}()

// OccasionByKey returns an occasion by key.
func OccasionByKey(key string) (Occasion, bool) {
	o, ok := occasionByKey[key]
	if !ok {
		return Occasion{}, false
	}
	return *o, true
}

// OccasionName is how copy names an occasion in lang.
func OccasionName(key, lang string) string {
	o, ok := occasionByKey[key]
	if !ok {
		return ""
	}
	if lang == "zh" {
		return o.ZH[0]
	}
	switch key {
	case "christmas":
		return "Christmas"
	case "easter":
		return "Easter"
	case "halloween":
		return "Halloween"
	case "valentine":
		return "Valentine's Day"
	case "mothers_day":
		return "Mother's Day"
	case "fathers_day":
		return "Father's Day"
	case "new_year":
		return "Lunar New Year"
	case "mid_autumn":
		return "the Mid-Autumn Festival"
	case "double11":
		return "Singles' Day"
	case "618":
		return "618"
	case "black_friday":
		return "Black Friday"
	case "back_to_school":
		return "back to school"
	case "birthday":
		return "birthday"
	}
	return o.EN[0]
}

// Mention is a word of copy that names something: an occasion, a season
// or an interest (Key), at Span.
type Mention struct {
	Key  string
	Span Span
}

type matcher struct {
	re   *regexp.Regexp
	keys map[string]string // lower-case word -> key
}

// wordMatcher builds one case-insensitive regexp over words: English
// words match whole, Chinese ones anywhere.
func wordMatcher(words map[string]string) matcher {
	list := make([]string, 0, len(words))
	for w := range words {
		list = append(list, w)
	}
	// longest first, so that "lunar new year" wins over "new year"
	sort.Slice(list, func(i, j int) bool {
		if len(list[i]) != len(list[j]) {
			return len(list[i]) > len(list[j])
		}
		return list[i] < list[j]
	})
	var alts []string
	for _, w := range list {
		q := regexp.QuoteMeta(w)
		if isHan(w) {
			alts = append(alts, q)
		} else {
			alts = append(alts, `\b`+q+`\b`)
		}
	}
	return matcher{re: regexp.MustCompile(`(?i)` + strings.Join(alts, "|")), keys: words}
}

func (m matcher) find(text string) []Mention {
	var out []Mention
	for _, loc := range m.re.FindAllStringIndex(text, -1) {
		w := strings.ToLower(text[loc[0]:loc[1]])
		out = append(out, Mention{Key: m.keys[w], Span: Span{loc[0], loc[1], text[loc[0]:loc[1]]}})
	}
	return out
}

var occasionMatcher = func() matcher {
	words := map[string]string{}
	for _, o := range occasions {
		for _, w := range append(append([]string{}, o.ZH...), o.EN...) {
			words[strings.ToLower(w)] = o.Key
		}
	}
	return wordMatcher(words)
}()

// Occasions finds the occasions text names.
func Occasions(text string) []Mention { return occasionMatcher.find(text) }

// OccasionIn is the first occasion a brief's text names ("" for none).
func OccasionIn(texts ...string) string {
	for _, t := range texts {
		if ms := Occasions(t); len(ms) > 0 {
			return ms[0].Key
		}
	}
	return ""
}

// ThemeOf is the themed occasion a product's title names (a CHRISTMAS
// HANGING STAR is a Christmas product), "" for none.
func ThemeOf(title string) string {
	for _, m := range Occasions(title) {
		if o := occasionByKey[m.Key]; o.Themed {
			return m.Key
		}
	}
	return ""
}

var seasonMatcher = wordMatcher(map[string]string{
	"夏天": "summer", "夏日": "summer", "盛夏": "summer", "炎夏": "summer", "夏季": "summer", "summer": "summer", "summertime": "summer",
	"冬天": "winter", "冬日": "winter", "寒冬": "winter", "冬季": "winter", "秋冬": "winter", "winter": "winter", "wintry": "winter",
	"春天": "spring", "春日": "spring", "春季": "spring", "spring": "spring", "springtime": "spring",
	"秋天": "autumn", "秋日": "autumn", "秋季": "autumn", "autumn": "autumn", "autumnal": "autumn",
})

// Seasons finds the seasons text names. "spring" as in "spring harvest" is
// a season too: the caller leaves the product's own facts out.
func Seasons(text string) []Mention { return seasonMatcher.find(text) }

// InSeason reports whether a product of kind k is for season s.
func (k Kind) InSeason(s string) bool {
	if len(k.Seasons) == 0 || s == "" {
		return true
	}
	for _, x := range k.Seasons {
		if x == s {
			return true
		}
	}
	return false
}

var interestMatcher, interestFramed = func() (matcher, *regexp.Regexp) {
	words := map[string]string{}
	var amb []string
	for _, in := range interests {
		for _, w := range in.ZH {
			words[strings.ToLower(w)] = in.Key
		}
		for _, w := range in.EN {
			if in.Ambiguous {
				amb = append(amb, regexp.QuoteMeta(w))
				continue
			}
			words[strings.ToLower(w)] = in.Key
		}
	}
	// an ambiguous word names an interest only in a frame: "love home",
	// "food lovers", "into beauty", "#Beauty", "for coffee fans"
	sort.Slice(amb, func(i, j int) bool { return len(amb[i]) > len(amb[j]) })
	alt := strings.Join(amb, "|")
	framed := regexp.MustCompile(`(?i)(?:\b(?:love|loves|loving|into|passion for|crazy about|obsessed with)\s+(` + alt + `)\b)|(?:\b(` + alt + `)[ -](?:lovers?|fans?|addicts?|enthusiasts?|must-haves?|lover's)\b)|(?:#(` + alt + `)\b)`)
	return wordMatcher(words), framed
}()

// InterestMentions finds the interests text names: every Chinese
// interest word, every unambiguous English one, and the ambiguous English
// ones ("home", "beauty", "food", "coffee") inside an interest frame.
func InterestMentions(text string) []Mention {
	out := interestMatcher.find(text)
	for _, m := range interestFramed.FindAllStringSubmatchIndex(text, -1) {
		for g := 1; g*2+1 < len(m); g++ {
			if a, b := m[g*2], m[g*2+1]; a >= 0 {
				w := strings.ToLower(text[a:b])
				out = append(out, Mention{Key: ambiguousKey(w), Span: Span{a, b, text[a:b]}})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Span.Start < out[j].Span.Start })
	return out
}

func ambiguousKey(w string) string {
	for _, in := range interests {
		for _, e := range in.EN {
			if e == w {
				return in.Key
			}
		}
	}
	return ""
}
