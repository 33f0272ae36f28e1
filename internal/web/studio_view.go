package web

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/chorusmkt/chorus/internal/content"
)

// Piece is a run of a field's text; Flag is set on the runs a violation
// points at, and Why says which (the template wraps them in <mark>).
type Piece struct {
	Text string
	Flag bool
	Why  string
}

// FieldView is one field of an item: its text cut into pieces around the
// violations' spans, its length in runes (and the budget, when there is
// one), and the violations of the field that have no span.
type FieldView struct {
	Name   string
	Text   string
	Pieces []Piece
	Runes  int
	Max    int
	Over   bool
	Notes  []string
}

// Highlight cuts text into pieces around spans (rune offsets, as the
// linter reports them). Overlapping spans merge; spans outside the text
// are clipped; a span whose text no longer matches (the field was edited)
// is found again by its text, else dropped.
func Highlight(text string, vs []content.Violation) []Piece {
	rs := []rune(text)
	why := make([]string, len(rs))
	for _, v := range vs {
		s, e := v.Span.Start, v.Span.End
		if v.Span.Text != "" && (s < 0 || e > len(rs) || s >= e || string(rs[s:e]) != v.Span.Text) {
			i := strings.Index(text, v.Span.Text)
			if i < 0 {
				continue
			}
			s = utf8.RuneCountInString(text[:i])
			e = s + utf8.RuneCountInString(v.Span.Text)
		}
		s, e = max(s, 0), min(e, len(rs))
		for i := s; i < e; i++ {
			if why[i] == "" {
				why[i] = v.Message
			}
		}
	}
	var out []Piece
	start := 0
	for i := 1; i <= len(rs); i++ {
		if i == len(rs) || (why[i] != "") != (why[start] != "") || why[i] != why[start] {
			out = append(out, Piece{Text: string(rs[start:i]), Flag: why[start] != "", Why: why[start]})
			start = i
		}
	}
	return out
}

// ItemView is an item in the review queue: each field with its flagged
// runs, the violations without a field, and the channel's own preview.
type ItemView struct {
	Item    content.Item
	Fields  []FieldView
	General []string // violations of the whole item
	Preview Preview
	// CSRF and Back are the page's for the item's forms: the session's
	// token and the path to come back to.
	CSRF, Back string
	// Open is whether the item may still change (it is not rejected);
	// whether the viewer may is the page's to decide.
	Open bool
}

// NewItemView builds the review view of it.
func NewItemView(it content.Item) ItemView {
	v := ItemView{Item: it, Preview: NewPreview(it), Open: it.Status != content.StatusRejected}
	spec, err := content.SpecFor(it.Channel)
	if err != nil {
		for _, x := range it.Violations {
			v.General = append(v.General, x.String())
		}
		return v
	}
	limits := spec.Limits(it.Language)
	for _, f := range spec.Fields {
		text := it.Copy.Field(f.Name)
		var spans []content.Violation
		fv := FieldView{Name: f.Name, Text: text, Runes: content.Runes(text)}
		if !f.Array {
			fv.Max = limits[f.Name]
			fv.Over = fv.Max > 0 && fv.Runes > fv.Max
		}
		for _, x := range it.Violations {
			if x.Field != f.Name {
				continue
			}
			if x.Span.End > x.Span.Start || x.Span.Text != "" {
				spans = append(spans, x)
			} else {
				fv.Notes = append(fv.Notes, x.Message)
			}
		}
		fv.Pieces = Highlight(text, spans)
		v.Fields = append(v.Fields, fv)
	}
	for _, x := range it.Violations {
		if x.Field == "" || !slices.Contains(spec.FieldNames(), x.Field) {
			v.General = append(v.General, x.String())
		}
	}
	return v
}

// Preview is an item as its channel shows it. Kind picks the template:
// sms (a bubble with its signature and segment count), email (a
// sandboxed iframe of the HTML at its own route), note (a Xiaohongshu
// card), push (a lock-screen card) or text (any other channel).
type Preview struct {
	Kind string
	// SMS
	Signature string
	Body      string
	Count     content.SMSCount
	// email
	Subject, Preheader string
	HasHTML            bool
	// note and push
	Title    string
	Hashtags []string
	// AILabel marks machine-written copy.
	AILabel bool
}

// NewPreview is it in its channel's form.
func NewPreview(it content.Item) Preview {
	p := Preview{AILabel: it.AIGenerated}
	c := it.Copy
	switch it.Channel {
	case content.SMS:
		p.Kind = "sms"
		p.Signature, p.Body = SplitSignature(c.Text)
		p.Count = content.CountSMS(c.Text)
		if it.SMS != nil {
			p.Count = *it.SMS
		}
	case content.Email:
		p.Kind = "email"
		p.Subject, p.Preheader, p.Body = c.Subject, c.Preheader, c.BodyText
		p.HasHTML = it.HTML != ""
	case content.Xiaohongshu:
		p.Kind = "note"
		p.Title, p.Body, p.Hashtags = c.Title, c.Body, c.Hashtags
	case content.Push:
		p.Kind = "push"
		p.Title, p.Body = c.Title, c.Body
	default:
		p.Kind = "text"
		spec, err := content.SpecFor(it.Channel)
		if err == nil {
			p.Body = c.All(spec)
		}
		p.Hashtags = c.Hashtags
	}
	return p
}

// SplitSignature splits an SMS into its opening signature (【Lumen】 or
// [Lumen]) and the rest; without one the signature is "".
func SplitSignature(text string) (sig, rest string) {
	t := strings.TrimSpace(text)
	for _, br := range [][2]string{{"【", "】"}, {"[", "]"}} {
		if strings.HasPrefix(t, br[0]) {
			if i := strings.Index(t, br[1]); i > 0 {
				return t[:i+len(br[1])], strings.TrimSpace(t[i+len(br[1]):])
			}
		}
	}
	return "", t
}

// VariantRow is one unit's variants side by side: the items of a run
// that share a unit and a channel, ordered by variant.
type VariantRow struct {
	Unit    string
	Channel string
	Items   []ItemView
}

// SideBySide groups items by unit and channel, keeping the first
// appearance's order, with each group's variants in order.
func SideBySide(items []content.Item) []VariantRow {
	idx := map[string]int{}
	var rows []VariantRow
	for _, it := range items {
		k := it.UnitKey + "\x00" + it.Channel
		i, ok := idx[k]
		if !ok {
			i = len(rows)
			idx[k] = i
			rows = append(rows, VariantRow{Unit: it.UnitKey, Channel: it.Channel})
		}
		rows[i].Items = append(rows[i].Items, NewItemView(it))
	}
	for i := range rows {
		slices.SortStableFunc(rows[i].Items, func(a, b ItemView) int { return a.Item.Variant - b.Item.Variant })
	}
	return rows
}
