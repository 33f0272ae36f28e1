package content

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/chorusmkt/chorus/internal/catalog"
)

// Target is everything one message is checked against: its channel form,
// language, the facts it may state, the product it must name, the voice
// and the required elements.
type Target struct {
	Spec      Spec
	Lang      string
	Grounding Grounding
	// Product, when set, must be named in the message.
	Product *catalog.Product
	Voice   Voice
	Brief   Brief
	// Sender and OptOut are the exact SMS signature and opt-out text.
	Sender, OptOut string
	// Slots are the placeholders the copy may contain ({{first_name}}).
	Slots []string
	// PriceBand is where the product's price sits in its catalog
	// (budget, mid, premium, luxury; "" unknown).
	PriceBand string
	// BoughtWith are catalog titles of products often bought in the same
	// orders as Product (most first); copy may name them.
	BoughtWith []string
}

// Slot placeholders filled locally per recipient.
const (
	SlotFirstName = "{{first_name}}"
	SlotProduct   = "{{product}}"
)

// slotStandIn is the longest value a slot is budgeted for, so a template
// that fits with it fits for (almost) every recipient; longer names fall
// back to a generic greeting when rendered.
func slotStandIn(slot, lang string, p *catalog.Product) string {
	switch slot {
	case SlotFirstName:
		if lang == Zh {
			return "欧阳娜娜"
		}
		return "Alexandra"
	case SlotProduct:
		if p != nil {
			return p.Title
		}
	}
	return "xxxxxxxx"
}

var slotRe = regexp.MustCompile(`\{\{\s*[a-zA-Z_]+\s*\}\}`)

// Expand replaces the allowed slots by their budget stand-ins.
func (t Target) expand(s string) string {
	for _, sl := range t.Slots {
		s = strings.ReplaceAll(s, sl, slotStandIn(sl, t.Lang, t.Product))
	}
	return s
}

// Validate checks c against every rule of the target except compliance
// (which needs a context and lives in the Checker). The result is empty
// when the copy may go to review as a draft.
func (t Target) Validate(c Copy) []Violation {
	var vs []Violation
	add := func(field, rule, format string, args ...any) {
		vs = append(vs, Violation{Field: field, Rule: rule, Message: fmt.Sprintf(format, args...)})
	}
	lang := t.Lang
	emojiMax := t.emojiMax
	for _, f := range t.Spec.Fields {
		if f.Array {
			n := len(c.Hashtags)
			if n < f.Min {
				add(f.Name, "schema", "has %d items; give at least %d", n, f.Min)
			}
			if f.MaxItems > 0 && n > f.MaxItems {
				add(f.Name, "budget", "has %d items; the budget is %d", n, f.MaxItems)
			}
			for _, h := range c.Hashtags {
				if f.ItemMax > 0 && Runes(h) > f.ItemMax {
					add(f.Name, "budget", "the tag %q is %d characters; the budget is %d per tag", h, Runes(h), f.ItemMax)
				}
				if strings.ContainsFunc(h, unicode.IsSpace) {
					add(f.Name, "schema", "the tag %q contains a space; tags are single words", h)
				}
			}
			continue
		}
		raw := c.Field(f.Name)
		v := t.expand(raw)
		n := Runes(strings.TrimSpace(v))
		if n == 0 {
			add(f.Name, "schema", "is missing or empty")
			continue
		}
		if n < f.Min {
			add(f.Name, "schema", "is %d characters; write at least %d", n, f.Min)
		}
		if max := f.Max[lang]; max > 0 && n > max {
			add(f.Name, "budget", "is %d characters; the budget is %d (shorten by %d)", n, max, n-max)
		}
		if e := countEmoji(raw); e > emojiMax(f) {
			add(f.Name, "emoji", "has %d emoji; the %s voice allows at most %d here", e, t.Voice.Emoji, emojiMax(f))
		}
		if strings.Contains(raw, "<") && strings.Contains(raw, ">") && htmlTagRe.MatchString(raw) {
			add(f.Name, "schema", "contains HTML tags; write plain text")
		}
		for _, m := range slotRe.FindAllString(raw, -1) {
			if m == UnsubscribePlaceholder && t.Spec.Unsubscribe {
				continue // the plain-text part of an email carries its unsubscribe link too
			}
			if !slices.Contains(t.Slots, m) {
				if len(t.Slots) == 0 {
					add(f.Name, "schema", "contains the placeholder %s; this message is not personalised, write it out", m)
				} else {
					add(f.Name, "schema", "contains the unknown placeholder %s; only %s may be used", m, strings.Join(t.Slots, ", "))
				}
			}
		}
	}
	if t.Spec.Name == SMS && c.Text != "" {
		text := t.expand(c.Text)
		sc := CountSMS(text)
		if max := t.Spec.SMSSegments[lang]; max > 0 && sc.Segments > max {
			add("text", "budget", "is %d %s units = %d SMS segments; the budget is %d segments (%d units) including the signature and the opt-out text (shorten by %d)",
				sc.Units, sc.Encoding, sc.Segments, max, SMSUnitsBudget(sc.Encoding, max), sc.Units-SMSUnitsBudget(sc.Encoding, max))
		}
		if t.Spec.Sender && t.Sender == "" {
			add("text", "required", "an SMS must carry a sender signature and none is known: set the shop's name (chorus shop set name NAME) or the brief's sender")
		}
		if t.Spec.Sender && t.Sender != "" && !strings.Contains(c.Text, t.Sender) {
			add("text", "required", "the sender signature %s is missing; start the text with it", t.Sender)
		}
		if t.Spec.OptOut && t.OptOut != "" && !strings.Contains(c.Text, t.OptOut) {
			add("text", "required", "the opt-out text %q is missing; end the text with it", t.OptOut)
		}
	}
	all := c.All(t.Spec)
	if v := t.languageViolation(all); v != nil {
		vs = append(vs, *v)
	}
	if t.Product != nil && !ProductNamed(t.expand(all), *t.Product) {
		add("", "product", "the product is not named; mention %q", t.Product.Title)
	}
	lowerAll := strings.ToLower(all)
	for _, s := range t.Brief.MustSay {
		if !strings.Contains(lowerAll, strings.ToLower(s)) {
			add("", "brief", "the brief requires the words %q", s)
		}
	}
	for _, s := range t.Brief.MustNotSay {
		if s != "" && strings.Contains(lowerAll, strings.ToLower(s)) {
			add("", "brief", "the brief forbids %q; remove it", s)
		}
	}
	for _, s := range t.Voice.Taboo {
		if s != "" && strings.Contains(lowerAll, strings.ToLower(s)) {
			add("", "voice", "the brand voice forbids %q; remove it", s)
		}
	}
	vs = append(vs, t.Grounding.Check(t.expand(all), lang)...)
	for _, f := range t.Lint(c) {
		vs = append(vs, f.Violation())
	}
	return vs
}

var (
	htmlTagRe = regexp.MustCompile(`</?[a-zA-Z][^>]*>`)
	urlRe     = regexp.MustCompile(`https?://\S+`)
)

// languageViolation checks the copy is written in the target language.
// Product titles, the brand, slots, URLs and hashtags are left out, since
// a Chinese note may well name an English product.
func (t Target) languageViolation(all string) *Violation {
	s := slotRe.ReplaceAllString(all, " ")
	s = urlRe.ReplaceAllString(s, " ")
	for _, p := range t.Grounding.Products {
		for _, n := range ProductNames(p) {
			s = replaceFold(s, n)
		}
	}
	for _, x := range []string{t.Sender, t.OptOut, t.Voice.Brand} {
		s = replaceFold(s, x)
	}
	for _, p := range t.Grounding.Products {
		s = replaceFold(s, p.Brand)
	}
	han, latin := 0, 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case r < 0x250 && unicode.IsLetter(r):
			latin++
		}
	}
	if han+latin == 0 {
		return nil // nothing but names and required elements: nothing to judge
	}
	switch t.Lang {
	case Zh:
		if float64(han) < 0.5*float64(han+latin) {
			return &Violation{Rule: "language", Message: fmt.Sprintf("must be written in Chinese (found %d Chinese and %d Latin letters)", han, latin)}
		}
	case En:
		if han > 0 {
			return &Violation{Rule: "language", Message: fmt.Sprintf("must be written in English (found %d Chinese characters)", han)}
		}
	}
	return nil
}

func replaceFold(s, old string) string {
	if old == "" {
		return s
	}
	ls, lo := strings.ToLower(s), strings.ToLower(old)
	for {
		i := strings.Index(ls, lo)
		if i < 0 {
			return s
		}
		s = s[:i] + " " + s[i+len(lo):]
		ls = ls[:i] + " " + ls[i+len(lo):]
	}
}

// countEmoji counts pictographs (the emoji blocks and dingbats), the
// characters a channel's emoji policy is about.
func countEmoji(s string) int {
	n := 0
	for _, r := range s {
		if isEmoji(r) {
			n++
		}
	}
	return n
}

// OverBudget reports the first budget a filled-in message breaks, or ""
// — the cheap check run on every rendered message of a campaign.
func (t Target) OverBudget(c Copy) string {
	for _, f := range t.Spec.Fields {
		if f.Array {
			continue
		}
		if max := f.Max[t.Lang]; max > 0 && Runes(strings.TrimSpace(c.Field(f.Name))) > max {
			return fmt.Sprintf("%s is %d characters; the budget is %d", f.Name, Runes(c.Field(f.Name)), max)
		}
	}
	if t.Spec.Name == SMS {
		if sc, max := CountSMS(c.Text), t.Spec.SMSSegments[t.Lang]; max > 0 && sc.Segments > max {
			return fmt.Sprintf("text is %d SMS segments; the budget is %d", sc.Segments, max)
		}
	}
	return ""
}

// TidyHashtags applies the channel's mechanical hashtag rules locally
// instead of spending a repair call on them: tags that are too long or are
// not single words are dropped and the list is cut to its maximum — but
// only while enough tags remain; otherwise the list is left for the
// validator to report.
func (s Spec) TidyHashtags(c *Copy) {
	f, ok := s.Field("hashtags")
	if !ok || len(c.Hashtags) == 0 {
		return
	}
	var keep []string
	for _, h := range c.Hashtags {
		if (f.ItemMax > 0 && Runes(h) > f.ItemMax) || strings.ContainsAny(h, " \t>/\\#,") {
			continue
		}
		keep = append(keep, h)
	}
	if f.MaxItems > 0 && len(keep) > f.MaxItems {
		keep = keep[:f.MaxItems]
	}
	if len(keep) >= f.Min {
		c.Hashtags = keep
	}
}

// emojiMax is how many emoji field f may hold under the voice's policy.
func (t Target) emojiMax(f FieldSpec) int {
	switch t.Voice.Emoji {
	case "none":
		return 0
	case "rich":
		return f.Emoji
	}
	return (f.Emoji + 1) / 2
}

// tidyEmoji removes, from the end, the emoji a field holds beyond the
// voice's allowance: they are decoration, so trimming them locally is
// safe and cheaper than a repair call.
func (t Target) tidyEmoji(c *Copy) {
	for _, f := range t.Spec.Fields {
		if f.Array {
			continue
		}
		v := c.Field(f.Name)
		extra := countEmoji(v) - t.emojiMax(f)
		if extra <= 0 {
			continue
		}
		rs := []rune(v)
		for i := len(rs) - 1; i >= 0 && extra > 0; i-- {
			if isEmoji(rs[i]) {
				end := i + 1
				if end < len(rs) && rs[end] == 0xFE0F { // drop its variation selector too
					end++
				}
				rs = append(rs[:i], rs[end:]...)
				extra--
			}
		}
		c.SetField(f.Name, string(rs))
	}
}

func isEmoji(r rune) bool {
	return (r >= 0x1F300 && r <= 0x1FAFF) || (r >= 0x2600 && r <= 0x27BF) || (r >= 0x1F000 && r <= 0x1F2FF)
}
