package content

import (
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/chorusmkt/chorus/internal/catalog"
)

// Grounding is what the copy is allowed to claim: the catalog facts of the
// products it may name and the brief's offer. Every price, discount,
// percentage, date and product name found in the copy must come from here.
type Grounding struct {
	Products []catalog.Product
	Brief    Brief
	// Others are catalog products the copy must not name (another
	// customer's product, or an item not in this campaign).
	Others []catalog.Product
	// Mentions are names of other products the copy may name: what the
	// readers bought before ("goes with the tote you bought").
	Mentions []string
}

var (
	// 8折, 8.5折, 85折, 八折, 八五折 — but not 折扣 (the generic word).
	zheFindRe = regexp.MustCompile(`([0-9]{1,2}(?:\.[0-9])?|[一二三四五六七八九][一二三四五六七八九五]?)\s*折`)
	pctOffRe  = regexp.MustCompile(`(?i)([0-9]{1,2}(?:\.[0-9]+)?)\s*%\s*off`)
	pctRe     = regexp.MustCompile(`([0-9]+(?:\.[0-9]+)?)\s*[%％]`)
	priceRe   = regexp.MustCompile(`(?i)(?:[¥￥$€£]|RMB|CNY|USD|US\$|HK\$|EUR|GBP)\s*([0-9][0-9,]*(?:\.[0-9]+)?)|([0-9][0-9,]*(?:\.[0-9]+)?)\s*(?:元|块钱|块|RMB|CNY|USD|EUR|GBP|dollars?|euros?|pounds?)`)
	ymdRe     = regexp.MustCompile(`(20[0-9]{2})\s*[-/年.]\s*([0-9]{1,2})\s*[-/月.]\s*([0-9]{1,2})\s*[日号]?`)
	mdZhRe    = regexp.MustCompile(`([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*[日号]`)
	mdEnRe    = regexp.MustCompile(`(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+([0-9]{1,2})(?:st|nd|rd|th)?\b`)
	dmEnRe    = regexp.MustCompile(`(?i)\b([0-9]{1,2})(?:st|nd|rd|th)?\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b`)
	slashMDRe = regexp.MustCompile(`\b([0-9]{1,2})/([0-9]{1,2})\b`)
	halfRe    = regexp.MustCompile(`(?i)half[- ]price|50%\s*off`)
	numRe     = regexp.MustCompile(`[0-9]+(?:\.[0-9]+)?`)
)

var cnDigit = map[rune]int{'一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

var months = map[string]int{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}

// zheFactor turns the number before 折 into a price factor (8 → 0.8,
// 8.5 / 85 / 八五 → 0.85).
func zheFactor(s string) (float64, bool) {
	rs := []rune(s)
	if d, ok := cnDigit[rs[0]]; ok {
		v := float64(d)
		if len(rs) > 1 {
			v += float64(cnDigit[rs[1]]) / 10
		}
		return round4(v / 10), true
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v <= 0 {
		return 0, false
	}
	if v >= 10 {
		v /= 10
	}
	return round4(v / 10), true
}

// discountMentions finds every discount the text states, as price factors
// with the wording found.
func discountMentions(text string) map[float64]string {
	out := map[float64]string{}
	for _, m := range zheFindRe.FindAllStringSubmatchIndex(text, -1) {
		// 折扣 / 折叠 are words, not discounts
		rest := text[m[1]:]
		if strings.HasPrefix(rest, "扣") || strings.HasPrefix(rest, "叠") || strings.HasPrefix(rest, "腾") {
			continue
		}
		if f, ok := zheFactor(text[m[2]:m[3]]); ok {
			out[f] = strings.TrimSpace(text[m[0]:m[1]])
		}
	}
	for _, m := range pctOffRe.FindAllStringSubmatch(text, -1) {
		p, _ := strconv.ParseFloat(m[1], 64)
		out[round4(1-p/100)] = m[0]
	}
	if strings.Contains(text, "半价") {
		out[0.5] = "半价"
	}
	if halfRe.MatchString(text) {
		out[0.5] = "half price"
	}
	return out
}

func percentMentions(text string) map[float64]string {
	out := map[float64]string{}
	offs := pctOffRe.FindAllStringIndex(text, -1)
	for _, m := range pctRe.FindAllStringSubmatchIndex(text, -1) {
		inOff := false
		for _, o := range offs {
			if m[0] >= o[0] && m[1] <= o[1] {
				inOff = true
			}
		}
		if inOff {
			continue
		}
		v, _ := strconv.ParseFloat(text[m[2]:m[3]], 64)
		out[v] = text[m[0]:m[1]]
	}
	return out
}

func priceMentions(text string) map[float64]string {
	out := map[float64]string{}
	for _, m := range priceRe.FindAllStringSubmatch(text, -1) {
		num := m[1]
		if num == "" {
			num = m[2]
		}
		v, err := strconv.ParseFloat(strings.ReplaceAll(num, ",", ""), 64)
		if err != nil {
			continue
		}
		out[math.Round(v*100)/100] = strings.TrimSpace(m[0])
	}
	return out
}

// dateMentions finds dates as "MM-DD" (the year, when stated, must match
// too: "YYYY-MM-DD").
func dateMentions(text string) map[string]string {
	out := map[string]string{}
	add := func(y, mo, d int, raw string) {
		if mo < 1 || mo > 12 || d < 1 || d > 31 {
			return
		}
		k := fmt.Sprintf("%02d-%02d", mo, d)
		if y > 0 {
			k = fmt.Sprintf("%04d-%s", y, k)
		}
		out[k] = strings.TrimSpace(raw)
	}
	used := text
	for _, m := range ymdRe.FindAllStringSubmatch(text, -1) {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		add(y, mo, d, m[0])
		used = strings.Replace(used, m[0], " ", 1)
	}
	for _, m := range mdZhRe.FindAllStringSubmatch(used, -1) {
		mo, _ := strconv.Atoi(m[1])
		d, _ := strconv.Atoi(m[2])
		add(0, mo, d, m[0])
	}
	for _, m := range mdEnRe.FindAllStringSubmatch(used, -1) {
		d, _ := strconv.Atoi(m[2])
		add(0, months[strings.ToLower(m[1])], d, m[0])
	}
	for _, m := range dmEnRe.FindAllStringSubmatch(used, -1) {
		d, _ := strconv.Atoi(m[1])
		add(0, months[strings.ToLower(m[2])], d, m[0])
	}
	for _, m := range slashMDRe.FindAllStringSubmatch(used, -1) {
		mo, _ := strconv.Atoi(m[1])
		d, _ := strconv.Atoi(m[2])
		add(0, mo, d, m[0])
	}
	return out
}

// sources is every text the copy may quote numbers from.
func (g Grounding) sources() string {
	b := g.Brief
	parts := []string{b.Goal, b.Offer.Text, b.Offer.TextEn, b.Offer.Discount, b.Offer.Code}
	parts = append(parts, b.MustSay...)
	parts = append(parts, b.Facts...)
	for _, p := range g.Products {
		parts = append(parts, p.Title, p.Description)
		parts = append(parts, p.SellingPoints...)
	}
	return strings.Join(parts, "\n")
}

func (g Grounding) allowedFactors() []float64 {
	var fs []float64
	if g.Brief.Offer.Factor > 0 {
		fs = append(fs, g.Brief.Offer.Factor)
	}
	// in order: Check names the first as the brief's offer
	fs = append(fs, slices.Sorted(maps.Keys(discountMentions(g.sources())))...)
	return fs
}

func (g Grounding) allowedPrices() []float64 {
	var ps []float64
	add := func(v float64) {
		if v > 0 {
			ps = append(ps, math.Round(v*100)/100, math.Floor(v), math.Round(v))
		}
	}
	add(g.Brief.Offer.Price)
	factors := g.allowedFactors()
	for _, p := range g.Products {
		add(p.Price)
		// a sale price or a saving computed from the catalog price and the
		// brief's discount is grounded, not invented
		for _, f := range factors {
			add(p.Price * f)
			add(p.Price * (1 - f))
		}
	}
	for v := range priceMentions(g.sources()) {
		add(v)
	}
	// bare numbers in the offer wording ("满300减50") are amounts too
	for _, m := range numRe.FindAllString(g.Brief.Offer.Text+" "+g.Brief.Offer.TextEn+" "+strings.Join(g.Brief.Facts, " "), -1) {
		v, _ := strconv.ParseFloat(m, 64)
		add(v)
	}
	return ps
}

func (g Grounding) allowedDates() map[string]bool {
	ok := map[string]bool{}
	addKey := func(k string) {
		ok[k] = true
		if len(k) == 10 {
			ok[k[5:]] = true
		}
	}
	if d, err := time.Parse(time.DateOnly, g.Brief.Offer.Deadline); err == nil {
		addKey(d.Format("2006-01-02"))
	}
	for k := range dateMentions(g.sources()) {
		addKey(k)
	}
	return ok
}

func containsNum(list []float64, v float64) bool {
	for _, x := range list {
		if math.Abs(x-v) < 0.005 {
			return true
		}
	}
	return false
}

func fmtFactor(f float64, lang string) string {
	if lang == Zh {
		return strconv.FormatFloat(f*10, 'f', -1, 64) + "折"
	}
	return strconv.FormatFloat(round4((1-f)*100), 'f', -1, 64) + "% off"
}

// Check returns a grounding violation for every claim in text that the
// catalog and the brief do not support.
func (g Grounding) Check(text, lang string) []Violation {
	var vs []Violation
	factors := g.allowedFactors()
	offer := "the brief names no discount"
	if len(factors) > 0 {
		offer = "the brief's offer is " + fmtFactor(factors[0], lang)
		if ot := g.Brief.OfferText(lang); ot != "" {
			offer += " (" + ot + ")"
		}
	}
	for f, raw := range discountMentions(text) {
		if !containsNum(factors, f) {
			vs = append(vs, Violation{Rule: "grounding", Message: fmt.Sprintf("the discount %q is invented: %s; state only that discount", raw, offer)})
		}
	}
	srcPct := percentMentions(g.sources())
	for v, raw := range percentMentions(text) {
		if _, ok := srcPct[v]; !ok {
			vs = append(vs, Violation{Rule: "grounding", Message: fmt.Sprintf("the percentage %q is in neither the catalog nor the brief; remove it", raw)})
		}
	}
	prices := g.allowedPrices()
	for v, raw := range priceMentions(text) {
		if !containsNum(prices, v) {
			vs = append(vs, Violation{Rule: "grounding", Message: fmt.Sprintf("the price %q does not match the catalog: %s", raw, g.priceList())})
		}
	}
	dates := g.allowedDates()
	for k, raw := range dateMentions(text) {
		if !dates[k] {
			dl := "the brief names no date"
			if g.Brief.Offer.Deadline != "" {
				dl = "the offer ends " + g.Brief.Offer.Deadline
			}
			vs = append(vs, Violation{Rule: "grounding", Message: fmt.Sprintf("the date %q is not in the brief: %s", raw, dl)})
		}
	}
	// another product named: the names of this message's products (and
	// of the purchases it may mention) are blanked first, so that the
	// HEART T-LIGHT HOLDER inside RED HANGING HEART T-LIGHT HOLDER is not
	// another product; nor is a title that is only words of this
	// product's own name (a generic "T-LIGHT HOLDER")
	lower := normSpace(strings.ToLower(text))
	var own []string
	for _, p := range g.Products {
		for _, n := range ProductNames(p) {
			own = append(own, normSpace(strings.ToLower(n)))
		}
	}
	for _, m := range g.Mentions {
		own = append(own, normSpace(strings.ToLower(m)))
	}
	sort.Slice(own, func(i, j int) bool { return len(own[i]) > len(own[j]) })
	for _, n := range own {
		if n != "" {
			lower = strings.ReplaceAll(lower, n, "\x00")
		}
	}
	for _, p := range g.Others {
		t := normSpace(strings.ToLower(p.Title))
		if Runes(t) < 6 || g.names(p.SKU) || !strings.Contains(lower, t) {
			continue
		}
		generic := false
		for _, n := range own {
			if strings.Contains(n, t) {
				generic = true
			}
		}
		if !generic {
			vs = append(vs, Violation{Rule: "grounding", Message: fmt.Sprintf("names the product %q, which is not the product of this message", p.Title)})
		}
	}
	slices.SortFunc(vs, func(a, b Violation) int { return strings.Compare(a.Message, b.Message) })
	return vs
}

func (g Grounding) names(sku string) bool {
	for _, p := range g.Products {
		if p.SKU == sku {
			return true
		}
	}
	return false
}

func (g Grounding) priceList() string {
	var parts []string
	for _, p := range g.Products {
		parts = append(parts, fmt.Sprintf("%s costs %s", p.Title, FormatPrice(p.Price, p.Currency)))
	}
	if g.Brief.Offer.Price > 0 {
		parts = append(parts, "the offer price is "+strconv.FormatFloat(g.Brief.Offer.Price, 'f', -1, 64))
	}
	if len(parts) == 0 {
		return "no price is given; remove it"
	}
	return strings.Join(parts, "; ")
}

// FormatPrice writes a price with its currency symbol.
func FormatPrice(v float64, currency string) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	s = strings.TrimSuffix(s, ".00")
	switch strings.ToUpper(currency) {
	case "", "CNY", "RMB":
		return "¥" + s
	case "USD":
		return "$" + s
	case "EUR":
		return "€" + s
	case "GBP":
		return "£" + s
	}
	return s + " " + currency
}

// normSpace collapses runs of white space.
func normSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// ProductNamed reports whether text names product p: its full title, the
// title without the brand, or the title's head before a separator (" - ",
// "|", "，", "(") when that head has at least 4 characters. Case and
// spacing are ignored.
func ProductNamed(text string, p catalog.Product) bool {
	norm := func(s string) string {
		return strings.Join(strings.FieldsFunc(strings.ToLower(s), unicode.IsSpace), " ")
	}
	t := norm(text)
	for _, n := range ProductNames(p) {
		if n != "" && strings.Contains(t, norm(n)) {
			return true
		}
	}
	return false
}

// ProductNames are the accepted ways of naming p, longest first.
func ProductNames(p catalog.Product) []string {
	title := strings.TrimSpace(p.Title)
	names := []string{title}
	if p.Brand != "" {
		if rest := strings.TrimSpace(strings.TrimPrefix(title, p.Brand)); rest != title && Runes(rest) >= 2 {
			names = append(names, rest)
		}
	}
	// "Hydrating Serum 30ml" is named by "Hydrating Serum": a trailing size
	// or pack count is not part of the name people use
	if f := strings.Fields(title); len(f) > 1 && strings.ContainsAny(f[len(f)-1], "0123456789") {
		if head := strings.Join(f[:len(f)-1], " "); Runes(head) >= 4 {
			names = append(names, head)
		}
	}
	for _, sep := range []string{" - ", "|", "，", ", ", "(", "（"} {
		if i := strings.Index(title, sep); i > 0 {
			if head := strings.TrimSpace(title[:i]); Runes(head) >= 4 {
				names = append(names, head)
			}
		}
	}
	return names
}
