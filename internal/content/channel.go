package content

import (
	"github.com/chorusmkt/chorus/internal/customer"
	"slices"
	"sort"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Channel names.
const (
	Ad          = "ad"
	Xiaohongshu = "xiaohongshu"
	Weibo       = "weibo"
	Moments     = "moments"
	Instagram   = "instagram"
	Email       = "email"
	SMS         = "sms"
	Push        = "push"
	ProductPage = "product"
)

// Languages the specs and prompts cover (customer.Chinese, customer.English).
const (
	Zh = customer.Chinese
	En = customer.English
)

// FieldSpec is one field of a channel's answer and its budget.
type FieldSpec struct {
	Name string `json:"name"`
	// Max is the budget in runes per language (for SMS text: GSM/UCS-2
	// units, see Spec.SMSSegments); 0 means no limit.
	Max map[string]int `json:"max,omitempty"`
	// Min is the least number of runes (or array items) an answer needs.
	Min int `json:"min,omitempty"`
	// Array marks a list of strings (hashtags).
	Array bool `json:"array,omitempty"`
	// ItemMax is the rune budget of each list item.
	ItemMax int `json:"item_max,omitempty"`
	// MaxItems bounds a list.
	MaxItems int `json:"max_items,omitempty"`
	// Emoji is how many emoji the field may hold at most under a "rich"
	// voice; a "light" voice allows at most 1 per field, "none" zero.
	Emoji int `json:"emoji,omitempty"`
}

// Spec is a channel's form: its fields with budgets and the elements a
// message must carry. Specs are data so that tests, prompts, schemas and
// the validator all read the same numbers.
type Spec struct {
	Name   string      `json:"name"`
	Label  string      `json:"label"`
	Fields []FieldSpec `json:"fields"`
	// SMSSegments is the most segments an SMS may take, per language.
	SMSSegments map[string]int `json:"sms_segments,omitempty"`
	// Sender and OptOut: the text must carry the sender signature and the
	// opt-out instruction (SMS).
	Sender bool `json:"sender,omitempty"`
	OptOut bool `json:"opt_out,omitempty"`
	// Unsubscribe: the rendered message must carry {{unsubscribe_url}}.
	Unsubscribe bool `json:"unsubscribe,omitempty"`
	// HashtagStyle is how hashtags are written into the post: "#tag"
	// (Xiaohongshu, Instagram) or "#tag#" (Weibo).
	HashtagStyle string `json:"hashtag_style,omitempty"`
	// ConsentChannel is the customer consent channel that governs sending.
	ConsentChannel string `json:"consent_channel,omitempty"`
	// Personal marks channels sent to one person (slots allowed); public
	// posts and ads are never personalised by name.
	Personal bool `json:"personal,omitempty"`
}

func lim(zh, en int) map[string]int { return map[string]int{Zh: zh, En: en} }

// specs are the channel forms. Budgets follow the platforms' display
// limits: Xiaohongshu truncates titles at 20 characters, email clients
// show about 50 CJK / 80 Latin characters of a subject, search ads cap
// headlines at 30 Latin characters (15 CJK) and descriptions at 90.
var specs = map[string]Spec{
	Ad: {Name: Ad, Label: "Search/feed ad", Fields: []FieldSpec{
		{Name: "headline", Max: lim(15, 30), Min: 2},
		{Name: "description", Max: lim(45, 90), Min: 6},
		{Name: "cta", Max: lim(6, 20), Min: 2},
	}},
	Xiaohongshu: {Name: Xiaohongshu, Label: "Xiaohongshu note", HashtagStyle: "#tag", ConsentChannel: "social", Fields: []FieldSpec{
		{Name: "title", Max: lim(20, 20), Min: 4, Emoji: 2},
		{Name: "body", Max: lim(600, 1000), Min: 40, Emoji: 8},
		{Name: "hashtags", Array: true, Min: 3, MaxItems: 8, ItemMax: 24},
	}},
	Weibo: {Name: Weibo, Label: "Weibo post", HashtagStyle: "#tag#", ConsentChannel: "social", Fields: []FieldSpec{
		{Name: "text", Max: lim(140, 280), Min: 20, Emoji: 3},
		{Name: "hashtags", Array: true, Min: 1, MaxItems: 3, ItemMax: 24},
	}},
	Moments: {Name: Moments, Label: "WeChat Moments copy", ConsentChannel: "wechat", Fields: []FieldSpec{
		{Name: "text", Max: lim(120, 240), Min: 15, Emoji: 3},
	}},
	Instagram: {Name: Instagram, Label: "Instagram caption", HashtagStyle: "#tag", ConsentChannel: "social", Fields: []FieldSpec{
		{Name: "caption", Max: lim(1000, 2000), Min: 20, Emoji: 6},
		{Name: "hashtags", Array: true, Min: 3, MaxItems: 15, ItemMax: 30},
	}},
	Email: {Name: Email, Label: "Email", Unsubscribe: true, ConsentChannel: "email", Personal: true, Fields: []FieldSpec{
		{Name: "subject", Max: lim(50, 80), Min: 4, Emoji: 1},
		{Name: "preheader", Max: lim(60, 110), Min: 6},
		{Name: "body_text", Max: lim(800, 1500), Min: 40},
		{Name: "cta", Max: lim(8, 25), Min: 2},
	}},
	SMS: {Name: SMS, Label: "SMS", Sender: true, OptOut: true, ConsentChannel: "sms", Personal: true,
		SMSSegments: map[string]int{Zh: 2, En: 2},
		Fields: []FieldSpec{
			{Name: "text", Min: 10},
		}},
	Push: {Name: Push, Label: "App push", ConsentChannel: "push", Personal: true, Fields: []FieldSpec{
		{Name: "title", Max: lim(20, 40), Min: 2, Emoji: 1},
		{Name: "body", Max: lim(60, 120), Min: 6, Emoji: 1},
	}},
	ProductPage: {Name: ProductPage, Label: "Product description / landing blurb", Fields: []FieldSpec{
		{Name: "headline", Max: lim(24, 60), Min: 4},
		{Name: "description", Max: lim(300, 600), Min: 40},
		{Name: "cta", Max: lim(8, 25), Min: 2},
	}},
}

// Channels lists the channel names in a stable order.
func Channels() []string {
	out := make([]string, 0, len(specs))
	for n := range specs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// SpecFor returns the spec of a channel; an unknown name is Invalid and the
// message lists the known ones.
func SpecFor(name string) (Spec, error) {
	s, ok := specs[strings.ToLower(strings.TrimSpace(name))]
	if !ok {
		return Spec{}, apperr.New(apperr.Invalid, "unknown channel %q (known: %s)", name, strings.Join(Channels(), ", "))
	}
	return s, nil
}

// ParseChannels splits a comma-separated list, checking every name.
func ParseChannels(list string) ([]string, error) {
	var out []string
	for _, p := range strings.Split(list, ",") {
		p = strings.ToLower(strings.TrimSpace(p))
		if p == "" {
			continue
		}
		if _, err := SpecFor(p); err != nil {
			return nil, err
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil, apperr.New(apperr.Invalid, "no channel given (known: %s)", strings.Join(Channels(), ", "))
	}
	return out, nil
}

// FieldNames are the answer keys of the channel, in order.
func (s Spec) FieldNames() []string {
	out := make([]string, len(s.Fields))
	for i, f := range s.Fields {
		out[i] = f.Name
	}
	return out
}

// Limits are the rune budgets per field for lang, as sent in llm.Hints.
// For SMS the text budget is the UCS-2/GSM unit budget of the allowed
// segments (the model is told; Go counts).
func (s Spec) Limits(lang string) map[string]int {
	m := map[string]int{}
	for _, f := range s.Fields {
		if n := f.Max[lang]; n > 0 {
			m[f.Name] = n
		} else if f.Array && f.MaxItems > 0 {
			m[f.Name] = f.MaxItems
		}
	}
	if s.Name == SMS {
		enc := GSM7
		if lang == Zh {
			enc = UCS2
		}
		m["text"] = SMSUnitsBudget(enc, s.SMSSegments[lang])
	}
	return m
}

// LabelField is the field that carries the visible AI-generated label:
// the message body the recipient reads.
func (s Spec) LabelField() string {
	for _, name := range []string{"text", "body", "body_text", "caption", "description"} {
		if _, ok := s.Field(name); ok {
			return name
		}
	}
	return s.Fields[0].Name
}

// Field returns the named field spec.
func (s Spec) Field(name string) (FieldSpec, bool) {
	for _, f := range s.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return FieldSpec{}, false
}

// DefaultOptOut is the opt-out instruction for an SMS in lang.
func DefaultOptOut(lang string) string {
	if lang == Zh {
		return "回T退订"
	}
	return "Reply STOP to opt out"
}
