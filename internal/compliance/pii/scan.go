package pii

import (
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/textfold"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// Entity is one finding. Start and End are byte offsets into the text as
// given (text[Start:End] is the value); Token is set by a Vault.
type Entity struct {
	Type  Type   `json:"type"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Label string `json:"label,omitempty"`
	Token string `json:"token,omitempty"`
	// Text is the value itself; it is never marshalled, so a JSON report
	// of findings carries no personal data.
	Text string `json:"-"`
}

// Masked is a preview of the value that keeps its shape but not its
// content: the first and last characters of long values, stars between.
func (e Entity) Masked() string { return Mask(e.Text) }

// Mask keeps a value's first and last rune (and, for 11 runes or more,
// the first two and last two) and stars the rest.
func Mask(v string) string {
	rs := []rune(v)
	keep := 1
	switch {
	case len(rs) <= 2:
		return strings.Repeat("*", len(rs))
	case len(rs) >= 11:
		keep = 2
	}
	var b strings.Builder
	for i, r := range rs {
		if i < keep || i >= len(rs)-keep || r == ' ' || r == '-' || r == '@' || r == '.' {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
	}
	return b.String()
}

// Scanner finds personal data. It is safe for concurrent use.
type Scanner struct {
	allow     []string // folded, ASCII-lowered allow values
	allowKeys map[string]bool
}

// NewScanner returns a scanner that ignores the allow values: numbers and
// addresses that belong to the merchant (a hotline, a service mailbox).
// Values are matched literally and, for numbers, by their digits.
func NewScanner(allow []string) *Scanner {
	s := &Scanner{allowKeys: map[string]bool{}}
	for _, v := range allow {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		f, _ := fold(v)
		s.allow = append(s.allow, lowerASCII(f))
		s.allowKeys[compact(f)] = true
		if d := digitsOf(f); len(d) >= 7 {
			s.allowKeys[PhoneKey(f)] = true
			s.allowKeys[d] = true
		}
	}
	return s
}

// priorities break ties between findings of the same span: a known value
// first, then the most specific pattern.
const (
	prioKnown = iota
	prioEmail
	prioID
	prioCard
	prioMobile
	prioLandline
	prioIntl
	prioAddress
	prioName
)

type candidate struct {
	Entity
	prio int
}

// Scan returns the personal data in text, ordered by Start and never
// overlapping: where findings overlap, the longer one wins. known adds the
// literal values of customer records.
func (s *Scanner) Scan(text string, known ...Record) []Entity {
	f, offs := fold(text)
	var cs []candidate
	add := func(t Type, start, end int, label string, prio int) {
		cs = append(cs, candidate{Entity{Type: t, Start: start, End: end, Label: label}, prio})
	}
	findKnown(f, known, add)
	findNames(f, add)
	findEmails(f, add)
	// the number patterns only run around runs of seven digits or more
	for _, w := range numericWindows(f) {
		findIDs(f, w, add)
		findCards(f, w, add)
		findMobiles(f, w, add)
		findLandlines(f, w, add)
		findInternational(f, w, add)
	}
	findAddresses(f, add)
	if len(cs) == 0 {
		return nil
	}
	sort.SliceStable(cs, func(i, j int) bool {
		li, lj := cs[i].End-cs[i].Start, cs[j].End-cs[j].Start
		if li != lj {
			return li > lj
		}
		if cs[i].prio != cs[j].prio {
			return cs[i].prio < cs[j].prio
		}
		return cs[i].Start < cs[j].Start
	})
	var allowed [][2]int
	if len(s.allow) > 0 {
		lf := lowerASCII(f)
		for _, a := range s.allow {
			for from := 0; ; {
				i := strings.Index(lf[from:], a)
				if i < 0 {
					break
				}
				allowed = append(allowed, [2]int{from + i, from + i + len(a)})
				from += i + len(a)
			}
		}
	}
	var taken [][2]int
	overlaps := func(rs [][2]int, a, b int) bool {
		for _, r := range rs {
			if a < r[1] && r[0] < b {
				return true
			}
		}
		return false
	}
	out := make([]Entity, 0, len(cs))
	for _, c := range cs {
		if overlaps(taken, c.Start, c.End) {
			continue
		}
		taken = append(taken, [2]int{c.Start, c.End})
		if overlaps(allowed, c.Start, c.End) || s.allowKeys[key(c.Type, f[c.Start:c.End])[len(c.Type)+1:]] {
			continue
		}
		e := c.Entity
		if offs != nil {
			// the end is where the original of the entity's last rune
			// ends, so invisible runes after it stay outside
			last := offs[e.End-1]
			_, n := utf8.DecodeRuneInString(text[last:])
			e.Start, e.End = offs[e.Start], last+n
		}
		e.Text = text[e.Start:e.End]
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// fold is the compliance checks' one normaliser (textfold.String):
// invisible characters that would split a number or an address out of
// every pattern's reach ("138\u200b0013 8000") are dropped and full-width
// and compatibility forms folded, so one set of patterns serves them all.
// offs maps each byte offset of the folded text to the original (nil when
// nothing changed), so a finding spans whatever was hidden inside it.
func fold(s string) (string, []int) { return textfold.String(s) }

func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// compact drops spaces and lowers ASCII: the identity of names and
// addresses.
func compact(s string) string {
	return lowerASCII(strings.Join(strings.Fields(s), ""))
}

// PhoneKey is the identity of a phone number (customer.PhoneKey): two
// spellings of one number share it.
func PhoneKey(v string) string { return customer.PhoneKey(v) }

// key is the identity of a value of type t: two spellings of one number
// (138 0013 8000, +86 13800138000) share a key and so a token.
func key(t Type, v string) string {
	f, _ := fold(v)
	switch t {
	case Phone:
		return string(t) + ":" + PhoneKey(f)
	case Card:
		return string(t) + ":" + digitsOf(f)
	case ID:
		return string(t) + ":" + strings.ToUpper(strings.Join(strings.Fields(f), ""))
	}
	return string(t) + ":" + compact(f)
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// standalone reports whether f[s:e] is not glued to letters or digits on
// either side (an order or tracking number that merely contains digits).
func standalone(f string, s, e int) bool {
	if s > 0 && isAlnum(f[s-1]) {
		return false
	}
	if e < len(f) && isAlnum(f[e]) {
		return false
	}
	// a number continued after a lone separator (2023-11-15-138…) is part
	// of something longer
	if s > 1 && (f[s-1] == '-' || f[s-1] == '.' || f[s-1] == '/') && isDigit(f[s-2]) {
		return false
	}
	if e+1 < len(f) && (f[e] == '-' || f[e] == '/') && isDigit(f[e+1]) {
		return false
	}
	return true
}

type addFunc func(t Type, start, end int, label string, prio int)

func findKnown(f string, known []Record, add addFunc) {
	if len(known) == 0 {
		return
	}
	lf := lowerASCII(f)
	for _, r := range known {
		for _, v := range r.values() {
			fv, _ := fold(v.Text)
			needle := lowerASCII(fv)
			latin := isAlnum(needle[0]) && isAlnum(needle[len(needle)-1])
			for from := 0; ; {
				i := strings.Index(lf[from:], needle)
				if i < 0 {
					break
				}
				s, e := from+i, from+i+len(needle)
				from = e
				if latin && !standalone(f, s, e) {
					continue // "Ann" inside "Annual"
				}
				add(v.Type, s, e, LabelKnown, prioKnown)
			}
		}
	}
}

var reEmail = regexp.MustCompile(`[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}`)

func findEmails(f string, add addFunc) {
	if strings.IndexByte(f, '@') < 0 {
		return
	}
	for _, m := range reEmail.FindAllStringIndex(f, -1) {
		add(Email, m[0], m[1], "", prioEmail)
	}
}

var reID = regexp.MustCompile(`[1-8]\d{5} ?(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]) ?\d{3}[\dXx]`)

func findIDs(f string, w [2]int, add addFunc) {
	for _, m := range window(reID, f, w) {
		s, e := m[0], m[1]
		if !standalone(f, s, e) {
			continue
		}
		id := strings.ReplaceAll(f[s:e], " ", "")
		if !validIDStructure(id) {
			continue
		}
		label := LabelInvalidChecksum
		if IDChecksumValid(id) {
			label = LabelValidChecksum
		}
		add(ID, s, e, label, prioID)
	}
}

var (
	reCardGrouped = regexp.MustCompile(`\d{4}(?:[ \-]\d{4}){3}(?:[ \-]?\d{1,3})?|\d{6}[ \-]\d{10,13}`)
	reCardBare    = regexp.MustCompile(`\d{16,19}`)
)

// cardIssuer reports whether the digits start like a payment card of the
// given length: UnionPay (62, 60, 65, 81 and the old domestic 9558/6013
// ranges, 16–19 digits), Visa (4), Mastercard (51–55, 2221–2720) and JCB
// (3528–3589). Outside UnionPay, cards are 16 digits; a bare 17–19 digit
// number starting with 4 is far more often an order number.
func cardIssuer(d string, grouped bool) bool {
	n := len(d)
	if n < 16 || n > 19 {
		return false
	}
	p2, p4 := atoi(d[:2]), atoi(d[:4])
	switch {
	case p2 == 62 || p2 == 60 || p2 == 65 || p2 == 81 || p4 == 9558:
		return true
	case d[0] == '4' || (p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720) || (p4 >= 3528 && p4 <= 3589):
		return n == 16 || grouped
	}
	return false
}

func findCards(f string, w [2]int, add addFunc) {
	label := func(d string) string {
		if LuhnValid(d) {
			return LabelValidChecksum
		}
		return LabelInvalidChecksum
	}
	for _, m := range window(reCardGrouped, f, w) {
		s, e := m[0], m[1]
		d := digitsOf(f[s:e])
		if standalone(f, s, e) && cardIssuer(d, true) {
			add(Card, s, e, label(d), prioCard)
		}
	}
	for _, m := range window(reCardBare, f, w) {
		s, e := m[0], m[1]
		d := f[s:e]
		if standalone(f, s, e) && cardIssuer(d, false) {
			add(Card, s, e, label(d), prioCard)
		}
	}
}

var reMobile = regexp.MustCompile(`(?:(?:\+|00) ?86[ \-]?|\(\+?86\) ?|86[ \-]?)?1[3-9]\d(?:[ \-.]?\d{4}[ \-.]?\d{4}|\d[ \-.]\d{3}[ \-.]\d{4})`)

func findMobiles(f string, w [2]int, add addFunc) {
	for _, m := range window(reMobile, f, w) {
		s, e := m[0], m[1]
		if !standalone(f, s, e) {
			// "86" may have been taken from a longer number: retry from
			// the 1 of the mobile prefix
			if i := strings.IndexByte(f[s:e], '1'); i > 0 && standalone(f, s+i, e) && len(digitsOf(f[s+i:e])) == 11 {
				s += i
			} else {
				continue
			}
		}
		add(Phone, s, e, LabelMobile, prioMobile)
	}
}

var (
	// area codes: 010 and 02x with 8-digit numbers, 0[3-9]xx with 7 or 8
	reLandline = regexp.MustCompile(`(?:(?:\+|00) ?86[ \-]?\(?0?|\(0|0)(10|2\d|[3-9]\d{2})\)?[ \-]?(\d{3,4}[ \-]?\d{4})(?: ?(?:-|转|ext\.? ?|x|#|分机) ?\d{1,6})?`)
	reService  = regexp.MustCompile(`[48]00(?:[ \-]?\d){7}`)
)

func findLandlines(f string, w [2]int, add addFunc) {
	for _, m := range windowSubmatch(reLandline, f, w) {
		s, e := m[0], m[1]
		area, local := f[m[2]:m[3]], digitsOf(f[m[4]:m[5]])
		if len(area) == 2 && len(local) != 8 || local[0] == '0' {
			continue
		}
		if !standalone(f, s, e) {
			continue
		}
		add(Phone, s, e, LabelLandline, prioLandline)
	}
	for _, m := range window(reService, f, w) {
		if standalone(f, m[0], m[1]) {
			add(Phone, m[0], m[1], LabelService, prioLandline)
		}
	}
}

var (
	reIntl = regexp.MustCompile(`\+ ?[1-9]\d{0,2}(?:[ \-.]?\(?\d{1,5}\)?){2,6}`)
	reNANP = regexp.MustCompile(`\(\d{3}\) ?\d{3}[\-. ]\d{4}|\d{3}[\-.]\d{3}[\-.]\d{4}`)
)

// findInternational validates candidates with libphonenumber's metadata;
// a candidate that is too long loses trailing groups until it parses.
func findInternational(f string, w [2]int, add addFunc) {
	if strings.IndexByte(f[w[0]:w[1]], '+') >= 0 {
		for _, m := range window(reIntl, f, w) {
			s, e := m[0], m[1]
			for e > s {
				c := f[s:e]
				if len(digitsOf(c)) < 7 {
					break
				}
				if num, err := phonenumbers.Parse(c, "ZZ"); err == nil && phonenumbers.IsValidNumber(num) && standalone(f, s, e) {
					add(Phone, s, e, LabelInternational, prioIntl)
					break
				}
				i := strings.LastIndexAny(c, " -.(")
				if i <= 0 {
					break
				}
				e = s + len(strings.TrimRight(c[:i], " -.("))
			}
		}
	}
	for _, m := range window(reNANP, f, w) {
		s, e := m[0], m[1]
		if !standalone(f, s, e) {
			continue
		}
		if num, err := phonenumbers.Parse(f[s:e], "US"); err == nil && phonenumbers.IsValidNumber(num) {
			add(Phone, s, e, LabelInternational, prioIntl)
		}
	}
}

// numericWindows are the spans of f worth running the number patterns
// on: each run of digits and separators holding seven digits or more,
// widened for a country prefix before and an extension after.
func numericWindows(f string) [][2]int {
	var out [][2]int
	i := 0
	for i < len(f) {
		if !isDigit(f[i]) {
			i++
			continue
		}
		start, digits, j := i, 0, i
		for j < len(f) {
			if isDigit(f[j]) {
				digits++
				j++
				continue
			}
			// a separator continues the run if a digit follows closely
			k := j
			for k < len(f) && k-j < 3 && strings.IndexByte(" -.()/+#", f[k]) >= 0 {
				k++
			}
			if k == j || k >= len(f) || !isDigit(f[k]) {
				break
			}
			j = k
		}
		if digits >= 7 {
			s, e := max(0, start-8), min(len(f), j+16)
			for s > 0 && !utf8.RuneStart(f[s]) {
				s--
			}
			for e < len(f) && !utf8.RuneStart(f[e]) {
				e++
			}
			if n := len(out); n > 0 && s <= out[n-1][1] {
				out[n-1][1] = e
			} else {
				out = append(out, [2]int{s, e})
			}
		}
		i = j
	}
	return out
}

// window runs re over f[w[0]:w[1]] and returns offsets into f.
func window(re *regexp.Regexp, f string, w [2]int) [][]int {
	ms := re.FindAllStringIndex(f[w[0]:w[1]], -1)
	for _, m := range ms {
		m[0] += w[0]
		m[1] += w[0]
	}
	return ms
}

func windowSubmatch(re *regexp.Regexp, f string, w [2]int) [][]int {
	ms := re.FindAllStringSubmatchIndex(f[w[0]:w[1]], -1)
	for _, m := range ms {
		for i := range m {
			if m[i] >= 0 {
				m[i] += w[0]
			}
		}
	}
	return ms
}
