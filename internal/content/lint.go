package content

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/content/lexicon"
)

// Lint codes: what a marketer would send back. Each finding names the
// words it is about and why.
const (
	// LintEllipsis: text cut off with "…" to fit a budget.
	LintEllipsis = "ellipsis"
	// LintDate: a date in digits (2026-11-11, 20/12, 11/11) where copy
	// writes 11月11日 / "November 11".
	LintDate = "date"
	// LintMeasureWord: a zh measure word the product does not take
	// (这只华夫格盖毯: a blanket takes 条).
	LintMeasureWord = "measure_word"
	// LintInterest: an interest named that the product does not serve
	// (爱健身，就选折叠月亮椅).
	LintInterest = "interest"
	// LintOccasion: an occasion or season the product is not for (Easter
	// for a Christmas decoration, summer for a hot water bottle).
	LintOccasion = "occasion"
	// LintProductRepeat: the product's full name more than twice in a
	// body.
	LintProductRepeat = "product_repeat"
	// LintRepeatedSentence: one sentence twice in one item.
	LintRepeatedSentence = "repeated_sentence"
	// LintGlued: a link or the opt-out run into the text before or after
	// it (…/p/food-drip回T退订).
	LintGlued = "glued"
	// LintAgreement: English subject and verb that disagree
	// ("surfactants meets", "the Sneakers is").
	LintAgreement = "agreement"
)

// LintCodes lists every code, in report order.
var LintCodes = []string{LintEllipsis, LintDate, LintMeasureWord, LintInterest, LintOccasion, LintProductRepeat, LintRepeatedSentence, LintGlued, LintAgreement}

// TextSpan is a piece of a field: rune offsets and the text.
type TextSpan struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// Finding is one thing the linter found.
type Finding struct {
	Code   string   `json:"code"`
	Field  string   `json:"field,omitempty"`
	Span   TextSpan `json:"span"`
	Reason string   `json:"reason"`
}

// Violation is how a finding enters the repair loop.
func (f Finding) Violation() Violation {
	return Violation{Field: f.Field, Rule: "lint", Code: f.Code, Span: f.Span, Message: f.Reason}
}

// bodyFields are the fields a reader reads as running text.
var bodyFields = map[string]bool{"body": true, "body_text": true, "caption": true, "description": true, "text": true, "answer": true}

// linter holds what one target's copy is checked against.
type linter struct {
	t       Target
	info    lexicon.ProductInfo
	names   []string // ways of naming the product, longest first
	exclude []string // facts the copy may quote (title, points, brand, …)
	out     []Finding
}

func (t Target) newLinter() *linter {
	l := &linter{t: t}
	if p := t.Product; p != nil {
		l.info = lexicon.Describe(p.Title, p.Category, p.Tags)
		l.info.ServeNamed(append([]string{p.Description}, p.SellingPoints...)...)
		l.names = productNames(*p)
		l.exclude = append(l.exclude, l.names...)
		l.exclude = append(l.exclude, p.Description, p.Brand)
		l.exclude = append(l.exclude, p.SellingPoints...)
		l.exclude = append(l.exclude, strings.Split(p.Category, catalog.CategorySep)...)
		l.exclude = append(l.exclude, lexicon.DerivePoints(p.Title, l.info, t.Lang)...)
	}
	l.exclude = append(l.exclude, t.Voice.Brand, t.Sender, t.OptOut)
	l.exclude = append(l.exclude, t.Brief.MustSay...)
	l.exclude = append(l.exclude, t.Brief.Facts...)
	for _, p := range t.Grounding.Products {
		l.exclude = append(l.exclude, productNames(p)...)
	}
	l.exclude = append(l.exclude, t.Grounding.Mentions...)
	return l
}

// productNames are ProductNames plus the title as copy writes it.
func productNames(p catalog.Product) []string {
	names := ProductNames(p)
	if d := lexicon.DisplayTitle(p.Title); d != p.Title {
		names = append(names, d)
	}
	sort.SliceStable(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	return names
}

// Lint checks the copy as a marketer would before sending it, whatever
// wrote it: truncation, machine dates, measure words, hooks the product
// does not serve, repetition, glued links and English agreement.
func (t Target) Lint(c Copy) []Finding {
	l := t.newLinter()
	sentences := map[string]string{} // normalised sentence -> field it was first seen in
	for _, f := range t.Spec.Fields {
		if f.Array {
			for _, h := range c.Hashtags {
				l.interests(f.Name, "#"+h)
			}
			continue
		}
		text := c.Field(f.Name)
		if strings.TrimSpace(text) == "" {
			continue
		}
		masked := l.mask(text)
		l.ellipsis(f.Name, text, masked)
		l.dates(f.Name, text, masked)
		if t.Lang == Zh {
			l.measureWords(f.Name, text)
		}
		l.interests(f.Name, text)
		l.occasions(f.Name, text)
		if bodyFields[f.Name] {
			l.productRepeat(f.Name, text)
		}
		if f.Name != "cta" {
			l.repeats(f.Name, text, sentences)
		}
		l.glued(f.Name, text)
		if t.Lang == En {
			l.agreement(f.Name, text)
		}
	}
	return l.out
}

func (l *linter) add(code, field, text string, start, end int, reason string) {
	l.out = append(l.out, Finding{Code: code, Field: field, Reason: reason,
		Span: TextSpan{Start: utf8.RuneCountInString(text[:start]), End: utf8.RuneCountInString(text[:end]), Text: text[start:end]}})
}

var urlFindRe = regexp.MustCompile(`https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+`)

// mask blanks out (keeping byte offsets) URLs, slots and the facts the
// copy may quote, so that the checks look at the writer's own words.
func (l *linter) mask(text string) string {
	b := []byte(text)
	blank := func(i, j int) {
		for k := i; k < j; k++ {
			b[k] = ' ' // every byte, so offsets stay those of text
		}
	}
	for _, m := range urlFindRe.FindAllStringIndex(text, -1) {
		blank(m[0], m[1])
	}
	for _, m := range slotRe.FindAllStringIndex(text, -1) {
		blank(m[0], m[1])
	}
	low := strings.ToLower(text)
	for _, x := range l.exclude {
		x = strings.ToLower(strings.TrimSpace(x))
		if len(x) < 2 {
			continue
		}
		for from := 0; ; {
			i := strings.Index(low[from:], x)
			if i < 0 {
				break
			}
			blank(from+i, from+i+len(x))
			from += i + len(x)
		}
	}
	return string(b)
}

// maskLinks blanks out URLs and slots only.
func maskLinks(text string) string {
	b := []byte(text)
	for _, re := range []*regexp.Regexp{urlFindRe, slotRe} {
		for _, m := range re.FindAllStringIndex(text, -1) {
			for k := m[0]; k < m[1]; k++ {
				b[k] = ' '
			}
		}
	}
	return string(b)
}

// masked reports whether text[a:b] was blanked by mask.
func masked(m string, a, b int) bool {
	return strings.TrimSpace(m[a:b]) == ""
}

var ellipsisRe = regexp.MustCompile(`…|\.{3,}|。{3,}`)

func (l *linter) ellipsis(field, text, m string) {
	for _, loc := range ellipsisRe.FindAllStringIndex(m, -1) {
		reason := "the text is cut off with an ellipsis; write a shorter, complete sentence instead"
		if l.t.Lang == Zh {
			reason = "the text is cut off with an ellipsis (…); write a shorter, complete sentence instead"
		}
		l.add(LintEllipsis, field, text, loc[0], loc[1], reason)
	}
}

func (l *linter) dates(field, text, m string) {
	for _, s := range lexicon.MachineDates(m) {
		natural := ""
		if iso := isoOf(s.Text); iso != "" {
			natural = lexicon.DateWords(iso, l.t.Lang, false)
		}
		var reason string
		switch {
		case l.t.Lang == Zh && natural != "":
			reason = fmt.Sprintf("%q is a machine date; write %s (or %s前)", s.Text, natural, natural)
		case l.t.Lang == Zh:
			reason = fmt.Sprintf("%q is a machine date; write it as 11月11日", s.Text)
		case natural != "":
			reason = fmt.Sprintf("%q is a machine date; write %q (or %q where space is short)", s.Text, natural, lexicon.DateWords(isoOf(s.Text), En, true))
		default:
			reason = fmt.Sprintf("%q is a machine date (and reads differently in the US and the UK); write the month in words, e.g. \"November 11\"", s.Text)
		}
		l.add(LintDate, field, text, s.Start, s.End, reason)
	}
}

var isoParts = regexp.MustCompile(`^((?:19|20)[0-9]{2})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})$`)

func isoOf(s string) string {
	m := isoParts.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return fmt.Sprintf("%s-%02s-%02s", m[1], pad2(m[2]), pad2(m[3]))
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

const (
	measureWords = "个只件条双副袋包款支瓶盒套张把台顶块本盏罐片根枚面对串卷"
	measureLeads = "这那一每两几哪整各单二三四五六七八九十百0123456789"
)

// measureWords checks the measure word before each mention of the
// product (这只华夫格盖毯) or of its kind noun (这只盖毯).
func (l *linter) measureWords(field, text string) {
	if l.t.Product == nil {
		return
	}
	refs := slices.Clone(l.names)
	if n := l.info.Noun; n != "" && lexiconHan(n) {
		refs = append(refs, n)
	}
	seen := map[int]bool{}
	for _, ref := range refs {
		if ref == "" {
			continue
		}
		for from := 0; ; {
			i := strings.Index(text[from:], ref)
			if i < 0 {
				break
			}
			at := from + i
			from = at + len(ref)
			if seen[at] {
				continue
			}
			seen[at] = true
			mwAt, mw := measureBefore(text[:at])
			if mwAt < 0 || l.info.MeasureFits(mw) {
				continue
			}
			want := l.info.Measure()
			l.add(LintMeasureWord, field, text, mwAt, at+len(ref),
				fmt.Sprintf("%q: %s takes %s (这%s%s), not %s", text[mwAt:at+len(ref)], ref, strings.Join(l.info.Measures, "/"), want, ref, mw))
		}
	}
}

// measureBefore finds a measure word, led by a demonstrative or a number,
// right before the end of s or before a short modifier ending in 的
// (这条柔软的盖毯). It returns the byte offset of the demonstrative.
func measureBefore(s string) (int, string) {
	rs := []rune(s)
	try := func(end int) (int, string) {
		if end < 2 {
			return -1, ""
		}
		mw, lead := rs[end-1], rs[end-2]
		if strings.ContainsRune(measureWords, mw) && strings.ContainsRune(measureLeads, lead) {
			return len(string(rs[:end-2])), string(mw)
		}
		return -1, ""
	}
	if at, mw := try(len(rs)); at >= 0 {
		return at, mw
	}
	// 这条柔软的 + noun: look past up to six runes ending in 的
	if n := len(rs); n > 0 && rs[n-1] == '的' {
		for k := n - 2; k >= 0 && k >= n-7; k-- {
			if !unicode.Is(unicode.Han, rs[k]) {
				break
			}
			if at, mw := try(k); at >= 0 {
				return at, mw
			}
		}
	}
	return -1, ""
}

func lexiconHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

func (l *linter) interests(field, text string) {
	if l.t.Product == nil {
		return
	}
	m := l.mask(text)
	for _, mn := range lexicon.InterestMentions(text) {
		if mn.Key == "" || masked(m, mn.Span.Start, mn.Span.End) || l.info.Serves(mn.Key) {
			continue
		}
		l.add(LintInterest, field, text, mn.Span.Start, mn.Span.End,
			fmt.Sprintf("names the interest %q, which %s does not serve (it is for %s); hook on what connects this reader and this product",
				mn.Span.Text, l.t.Product.Title, l.servesList()))
	}
}

func (l *linter) servesList() string {
	var ws []string
	for _, k := range l.info.Interests {
		ws = append(ws, lexicon.InterestLabel(k, l.t.Lang))
	}
	if len(ws) == 0 {
		return "no particular interest"
	}
	return strings.Join(ws, ", ")
}

func (l *linter) occasions(field, text string) {
	if l.t.Product == nil {
		return
	}
	m := l.mask(text)
	for _, mn := range lexicon.Occasions(text) {
		o, _ := lexicon.OccasionByKey(mn.Key)
		if !o.Themed || l.info.Theme == "" || mn.Key == l.info.Theme || masked(m, mn.Span.Start, mn.Span.End) {
			continue
		}
		l.add(LintOccasion, field, text, mn.Span.Start, mn.Span.End,
			fmt.Sprintf("names %s, but %s is made for %s", mn.Span.Text, l.t.Product.Title, lexicon.OccasionName(l.info.Theme, l.t.Lang)))
	}
	for _, mn := range lexicon.Seasons(text) {
		if l.info.Kind.InSeason(mn.Key) || masked(m, mn.Span.Start, mn.Span.End) {
			continue
		}
		l.add(LintOccasion, field, text, mn.Span.Start, mn.Span.End,
			fmt.Sprintf("names %s, but %s is for %s", mn.Span.Text, l.t.Product.Title, strings.Join(l.info.Kind.Seasons, " and ")))
	}
}

func (l *linter) productRepeat(field, text string) {
	if l.t.Product == nil || len(l.names) == 0 {
		return
	}
	full := strings.ToLower(strings.Join(strings.Fields(l.t.Product.Title), " "))
	norm := strings.ToLower(text)
	n := strings.Count(norm, full)
	if d := strings.ToLower(lexicon.DisplayTitle(l.t.Product.Title)); d != full {
		n = max(n, strings.Count(norm, d))
	}
	if n <= 2 {
		return
	}
	i := strings.LastIndex(norm, full)
	if i < 0 {
		i = 0
	}
	l.add(LintProductRepeat, field, text, i, min(i+len(full), len(text)),
		fmt.Sprintf("names the product's full name %d times; name it once or twice and then say \"it\" or %q", n, l.refWord()))
}

func (l *linter) refWord() string {
	if l.t.Lang == Zh {
		return "这" + l.info.Measure() + l.info.Noun
	}
	if l.info.Plural {
		return "they"
	}
	if l.info.Noun != "" {
		return "the " + l.info.Noun
	}
	return "it"
}

// sentenceRe splits text into sentences (a full stop followed by a space
// or the end, so that 1.2 kg and example.com stay whole).
var sentenceRe = regexp.MustCompile(`[^。！？!?\n]+?(?:[。！？!?]+|\.(?:\s|$)|\n|$)`)

func (l *linter) repeats(field, text string, seen map[string]string) {
	for _, loc := range sentenceRe.FindAllStringIndex(text, -1) {
		s := text[loc[0]:loc[1]]
		key := normSentence(s)
		if utf8.RuneCountInString(key) < 8 || strings.Contains(s, UnsubscribePlaceholder) || (l.t.OptOut != "" && strings.Contains(s, l.t.OptOut)) {
			continue
		}
		if first, ok := seen[key]; ok {
			where := "earlier in " + first
			if first == field {
				where = "earlier in this field"
			}
			a := loc[0] + len(s) - len(strings.TrimLeft(s, " \n"))
			l.add(LintRepeatedSentence, field, text, a, loc[1], fmt.Sprintf("repeats a sentence said %s; say something new or cut it", where))
			continue
		}
		seen[key] = field
	}
}

func normSentence(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// separator reports whether r may sit between a link or the opt-out and
// the text around it.
func separator(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
}

func (l *linter) glued(field, text string) {
	for _, m := range urlFindRe.FindAllStringIndex(text, -1) {
		if r, _ := utf8.DecodeRuneInString(text[m[1]:]); m[1] < len(text) && !separator(r) {
			l.add(LintGlued, field, text, m[0], min(m[1]+utf8.RuneLen(r), len(text)),
				"the link runs into the next words; put a space or a line break after it")
		}
	}
	if o := l.t.OptOut; o != "" {
		for from := 0; ; {
			i := strings.Index(text[from:], o)
			if i < 0 {
				break
			}
			at := from + i
			from = at + len(o)
			if at == 0 {
				continue
			}
			r, n := utf8.DecodeLastRuneInString(text[:at])
			if !separator(r) {
				l.add(LintGlued, field, text, at-n, at+len(o), fmt.Sprintf("the opt-out %q runs into the text before it; end that sentence first", o))
			}
		}
	}
}

var (
	singularPron = map[string]bool{"it": true, "he": true, "she": true, "this": true}
	pluralPron   = map[string]bool{"they": true, "these": true, "those": true, "we": true, "you": true, "i": true}
	pluralVerbs  = map[string]bool{"are": true, "were": true, "have": true, "don't": true}
	singVerbs    = map[string]bool{"is": true, "was": true, "has": true, "doesn't": true}
	verb3        = map[string]bool{"is": true, "has": true, "does": true, "was": true, "meets": true, "makes": true, "keeps": true, "means": true,
		"goes": true, "works": true, "fits": true, "lasts": true, "stays": true, "helps": true, "gives": true, "comes": true, "looks": true,
		"feels": true, "holds": true, "brings": true, "takes": true, "gets": true, "turns": true, "deserves": true, "matters": true,
		"needs": true, "adds": true, "warms": true, "carries": true, "suits": true, "sits": true, "hangs": true, "shows": true, "doesn't": true}
	baseAfterIt = map[string]bool{"keep": true, "make": true, "fit": true, "go": true, "work": true, "last": true, "stay": true, "hold": true,
		"bring": true, "take": true, "look": true, "feel": true, "come": true, "give": true, "carry": true, "suit": true}
	causative = map[string]bool{"let": true, "lets": true, "make": true, "makes": true, "help": true, "helps": true, "watch": true, "see": true,
		"have": true, "will": true, "can": true, "could": true, "would": true, "should": true, "may": true, "might": true, "must": true,
		"does": true, "did": true, "to": true, "won't": true, "can't": true, "doesn't": true, "didn't": true}
	enTokenRe = regexp.MustCompile(`[A-Za-z][A-Za-z'’-]*`)
)

// agreement finds English subjects and verbs that disagree: pronouns
// ("it are", "they is", "it keep"), a plural noun before a singular verb
// ("surfactants meets") and the product's own name ("Classic White
// Sneakers is").
func (l *linter) agreement(field, text string) {
	// selling points stay visible here: "surfactants meets" is the
	// writer's sentence around a catalog phrase; the product's own name
	// is checked as a subject below (METAL SIGN DROP YOUR PANTS is a sign)
	m := maskLinks(text)
	lowM := strings.ToLower(m)
	for _, n := range l.names {
		if n = strings.ToLower(n); len(n) < 3 {
			continue
		}
		for from := 0; ; {
			i := strings.Index(lowM[from:], n)
			if i < 0 {
				break
			}
			a := from + i
			m = m[:a] + strings.Repeat(" ", len(n)) + m[a+len(n):]
			lowM = lowM[:a] + strings.Repeat(" ", len(n)) + lowM[a+len(n):]
			from = a + len(n)
		}
	}
	locs := enTokenRe.FindAllStringIndex(m, -1)
	word := func(i int) string {
		if i < 0 || i >= len(locs) {
			return ""
		}
		return strings.ToLower(strings.ReplaceAll(m[locs[i][0]:locs[i][1]], "’", "'"))
	}
	// adjacent: only spaces between the two words
	adjacent := func(i int) bool {
		return i+1 < len(locs) && strings.TrimSpace(m[locs[i][1]:locs[i+1][0]]) == ""
	}
	for i := range locs {
		w, next := word(i), word(i+1)
		if !adjacent(i) {
			continue
		}
		bad := false
		switch {
		case singularPron[w] && pluralVerbs[next]:
			bad = true
		case w == "it" && baseAfterIt[next] && !causative[word(i-1)]:
			bad = true
		case pluralPron[w] && singVerbs[next]:
			bad = true
		case verb3[next] && !singularPron[w] && !pluralPron[w] && plural(w) && word(i-1) != "of" && word(i-2) != "of" && word(i-3) != "of":
			bad = true
		}
		if bad {
			l.add(LintAgreement, field, text, locs[i][0], locs[i+1][1],
				fmt.Sprintf("%q: the verb does not agree with its subject", text[locs[i][0]:locs[i+1][1]]))
		}
	}
	// the product's name as the subject
	if l.t.Product == nil {
		return
	}
	low := strings.ToLower(text)
	for _, name := range l.names {
		n := strings.ToLower(name)
		if n == "" {
			continue
		}
		for from := 0; ; {
			i := strings.Index(low[from:], n)
			if i < 0 {
				break
			}
			end := from + i + len(n)
			from = end
			rest := strings.TrimLeft(low[end:], " ")
			verb, _, _ := strings.Cut(rest, " ")
			verb = strings.TrimRight(verb, ".,;:!?")
			if (l.info.Plural && (verb == "is" || verb == "has" || verb == "was" || verb == "does")) || (!l.info.Plural && (verb == "are" || verb == "have" || verb == "were")) {
				vEnd := end + (len(low[end:]) - len(rest)) + len(verb)
				l.add(LintAgreement, field, text, from-len(n), vEnd,
					fmt.Sprintf("%q: %s is %s, so the verb is %q", text[from-len(n):vEnd], name, map[bool]string{true: "plural", false: "singular"}[l.info.Plural], agreeing(verb, l.info.Plural)))
			}
		}
		break // the longest name found is enough
	}
}

func agreeing(verb string, plural bool) string {
	pairs := map[string]string{"is": "are", "has": "have", "was": "were", "does": "do"}
	if plural {
		return pairs[verb]
	}
	for s, p := range pairs {
		if p == verb {
			return s
		}
	}
	return verb
}

// quantities are plurals read as one amount ("a few minutes gets you
// going", "ten pounds is plenty").
var quantities = map[string]bool{"seconds": true, "minutes": true, "hours": true, "days": true, "weeks": true, "months": true, "years": true,
	"miles": true, "pounds": true, "dollars": true, "euros": true, "yuan": true, "kilos": true, "metres": true, "meters": true}

// plural reports whether an English word is a plural noun.
func plural(w string) bool {
	if len(w) < 4 || !strings.HasSuffix(w, "s") || strings.Contains(w, "'") || quantities[w] {
		return false
	}
	return lexicon.Plural(w)
}
