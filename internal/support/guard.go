package support

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/compliance/adlaw"
	"github.com/chorusmkt/chorus/internal/content"
)

// Sources are what an answer may state: the products it cites and the
// texts of the policies, orders and reviews it cites. Every price,
// discount, percentage, date and quantity in the answer must be found
// here.
type Sources struct {
	Products []catalog.Product
	Facts    []string
}

func (s *Sources) addProduct(p catalog.Product) {
	for _, q := range s.Products {
		if q.SKU == p.SKU {
			return
		}
	}
	s.Products = append(s.Products, p)
	// stock is a number the answer may state; the grounding checker of
	// the content studio knows prices, so stock goes in as a fact
	s.Facts = append(s.Facts, strconv.Itoa(p.Stock)+" 件", strconv.Itoa(p.Stock)+" left", strconv.Itoa(p.Stock)+" in stock")
}

// Claim is one unsupported statement found by Ground.
type Claim struct {
	Sentence string `json:"sentence"`
	Problem  string `json:"problem"`
}

// quantityRe finds numbers with the units policies and stock are stated
// in: 7天, 30 days, 48小时, 1年, 12 months, 仅剩 3 件.
var quantityRe = regexp.MustCompile(`(?i)([0-9]+(?:\.[0-9]+)?|[一二两三四五六七八九十百]+)\s*(个工作日|工作日|个月|天|日|小时|周|年|件|次|business\s+days?|working\s+days?|days?|hours?|weeks?|months?|years?|items?|pieces?|left|in\s+stock)`)

var citeMarkerRe = regexp.MustCompile(`\[(product|policy|order|review):[^\]\s]+\]`)

// StripCitations removes inline [kind:id] markers.
func StripCitations(s string) string { return citeMarkerRe.ReplaceAllString(s, "") }

var cnNum = map[rune]int{'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// cnToInt reads a Chinese numeral up to 999 (七, 十五, 三十, 一百八十).
func cnToInt(s string) (int, bool) {
	n, cur := 0, 0
	for _, r := range s {
		switch {
		case cnNum[r] > 0:
			cur = cnNum[r]
		case r == '十':
			if cur == 0 {
				cur = 1
			}
			n += cur * 10
			cur = 0
		case r == '百':
			n += cur * 100
			cur = 0
		default:
			return 0, false
		}
	}
	return n + cur, true
}

// unitKey normalises a unit so 30 days and 30天 compare equal.
func unitKey(u string) string {
	u = strings.ToLower(strings.Join(strings.Fields(u), " "))
	switch {
	case u == "天" || u == "日" || strings.HasPrefix(u, "day"):
		return "day"
	case strings.Contains(u, "工作日") || strings.Contains(u, "business") || strings.Contains(u, "working"):
		return "workday"
	case u == "小时" || strings.HasPrefix(u, "hour"):
		return "hour"
	case u == "周" || strings.HasPrefix(u, "week"):
		return "week"
	case u == "个月" || strings.HasPrefix(u, "month"):
		return "month"
	case u == "年" || strings.HasPrefix(u, "year"):
		return "year"
	case u == "件" || strings.HasPrefix(u, "item") || strings.HasPrefix(u, "piece") || u == "left" || u == "in stock":
		return "item"
	case u == "次":
		return "time"
	}
	return u
}

func quantities(text string) map[string]string {
	out := map[string]string{}
	for _, m := range quantityRe.FindAllStringSubmatch(text, -1) {
		v := m[1]
		if n, ok := cnToInt(v); ok {
			v = strconv.Itoa(n)
		}
		out[v+" "+unitKey(m[2])] = m[0]
	}
	return out
}

// Ground checks text against the sources and returns every unsupported
// claim, sentence by sentence: prices, discounts, percentages and dates
// with the content studio's grounding checker, quantities with units
// (days, hours, months, years, items) against the cited texts.
func Ground(text, lang string, src Sources) []Claim {
	g := content.Grounding{Products: src.Products, Brief: content.Brief{Facts: src.Facts}}
	allowed := quantities(strings.Join(src.Facts, "\n") + "\n" + productTexts(src.Products))
	plain := StripCitations(text)
	clean := len(g.Check(plain, lang)) == 0
	if clean {
		for k := range quantities(plain) {
			if _, ok := allowed[k]; !ok {
				clean = false
				break
			}
		}
	}
	if clean {
		return nil // the common case: one pass over the whole answer
	}
	var out []Claim
	for _, s := range sentences(plain) {
		for _, v := range g.Check(s, lang) {
			out = append(out, Claim{Sentence: s, Problem: v.Message})
		}
		for k, raw := range quantities(s) {
			if _, ok := allowed[k]; !ok {
				out = append(out, Claim{Sentence: s, Problem: "the figure " + strconv.Quote(raw) + " is in none of the cited sources"})
			}
		}
	}
	return out
}

func productTexts(ps []catalog.Product) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.Title + "\n" + p.Description + "\n" + strings.Join(p.SellingPoints, "\n") + "\n")
	}
	return b.String()
}

// NumericClaims counts the checkable figures of text (prices, discounts,
// percentages, dates and quantities): the denominator of groundedness.
func NumericClaims(text string) int {
	t := StripCitations(text)
	n := len(quantities(t))
	for _, re := range []*regexp.Regexp{priceFigRe, pctFigRe, zheFigRe, dateFigRe} {
		n += len(re.FindAllString(t, -1))
	}
	return n
}

var (
	priceFigRe = regexp.MustCompile(`(?i)(?:[¥￥$€£]|RMB|CNY|USD)\s*[0-9][0-9,]*(?:\.[0-9]+)?|[0-9][0-9,]*(?:\.[0-9]+)?\s*(?:元|块)`)
	pctFigRe   = regexp.MustCompile(`[0-9]+(?:\.[0-9]+)?\s*[%％]`)
	zheFigRe   = regexp.MustCompile(`[0-9]{1,2}(?:\.[0-9])?\s*折`)
	dateFigRe  = regexp.MustCompile(`20[0-9]{2}\s*[-/年.]\s*[0-9]{1,2}\s*[-/月.]\s*[0-9]{1,2}`)
)

// sentences splits text into sentences. A full stop ends an English
// sentence only when a space or the end follows, so prices (¥12.5) and
// SKUs stay whole.
func sentences(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		start := 0
		rs := []rune(line)
		for i, r := range rs {
			end := false
			switch r {
			case '。', '！', '？', '!', '?', '；':
				end = true
			case '.':
				end = i+1 == len(rs) || rs[i+1] == ' '
			}
			if end {
				if s := strings.TrimSpace(string(rs[start : i+1])); s != "" {
					out = append(out, s)
				}
				start = i + 1
			}
		}
		if s := strings.TrimSpace(string(rs[start:])); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Guard is the check every answer passes before anyone sees it.
type Guard struct {
	AdLaw *adlaw.Checker // nil skips the ad-law check
}

// GuardResult says what the guard did.
type GuardResult struct {
	Text   string   `json:"text"`
	Claims []Claim  `json:"claims,omitempty"` // unsupported claims found
	AdLaw  []string `json:"adlaw,omitempty"`  // matched terms
	// Repaired is true when sentences were removed; Empty when nothing
	// usable was left.
	Repaired, Empty bool
	Verdict         adlaw.Verdict
}

// Check grounds text in src and runs the ad-law check; unsupported
// sentences and sentences with blocked terms are removed (the repair of
// the offline path; the model path asks the model first).
func (g Guard) Check(text, lang string, src Sources) GuardResult {
	res := GuardResult{Text: text, Verdict: adlaw.Pass}
	res.Claims = Ground(text, lang, src)
	bad := map[string]bool{}
	for _, c := range res.Claims {
		bad[c.Sentence] = true
	}
	if g.AdLaw != nil {
		rep := g.AdLaw.Check(StripCitations(text), adlaw.Options{Lang: lang})
		res.Verdict = rep.Verdict
		for _, f := range rep.Findings {
			res.AdLaw = append(res.AdLaw, f.MatchedText)
			if f.Severity == string(adlaw.Block) || rep.Verdict == adlaw.Block {
				for _, s := range sentences(StripCitations(text)) {
					if strings.Contains(s, f.MatchedText) {
						bad[s] = true
					}
				}
			}
		}
	}
	if len(bad) == 0 {
		return res
	}
	res.Repaired = true
	var keep []string
	for _, line := range strings.Split(text, "\n") {
		var kept strings.Builder
		for _, s := range sentences(line) {
			if bad[strings.TrimSpace(StripCitations(s))] || bad[s] {
				continue
			}
			kept.WriteString(s)
			if lang == En && !strings.HasSuffix(s, " ") {
				kept.WriteString(" ")
			}
		}
		if t := strings.TrimSpace(kept.String()); t != "" {
			keep = append(keep, t)
		}
	}
	res.Text = strings.Join(keep, "\n")
	res.Empty = strings.TrimSpace(StripCitations(res.Text)) == ""
	return res
}
