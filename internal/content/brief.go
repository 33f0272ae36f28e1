package content

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/content/lexicon"
)

// Brief is a campaign brief: what the campaign wants, the exact offer, the
// tone and what must and must not be said.
type Brief struct {
	Name     string   `json:"name" yaml:"name"`
	Goal     string   `json:"goal" yaml:"goal"`
	Language string   `json:"language,omitempty" yaml:"language"` // default zh; a customer's own language wins
	Segment  string   `json:"segment,omitempty" yaml:"segment"`
	Channels []string `json:"channels,omitempty" yaml:"channels"`
	Offer    Offer    `json:"offer" yaml:"offer"`
	// Products are featured SKUs; empty means each customer's own
	// recommended product.
	Products   []string `json:"products,omitempty" yaml:"products"`
	Tone       string   `json:"tone,omitempty" yaml:"tone"`
	MustSay    []string `json:"must_say,omitempty" yaml:"must_say"`
	MustNotSay []string `json:"must_not_say,omitempty" yaml:"must_not_say"`
	// Sender is the SMS signature, e.g. 【Lumen】; default 【Brand】.
	Sender string `json:"sender,omitempty" yaml:"sender"`
	// OptOut overrides the SMS opt-out text (回T退订 / Reply STOP to opt
	// out) for the SMS written in its language.
	OptOut     string `json:"opt_out,omitempty" yaml:"opt_out"`
	LandingURL string `json:"landing_url,omitempty" yaml:"landing_url"`
	Voice      string `json:"voice,omitempty" yaml:"voice"`
	// Facts are further true statements the copy may use (dates, numbers).
	Facts []string `json:"facts,omitempty" yaml:"facts"`

	// File is where the brief was read from (for error messages).
	File string `json:"-" yaml:"-"`
}

// Offer is the exact commercial offer; the copy may state only these
// numbers.
type Offer struct {
	Text string `json:"text" yaml:"text"` // exact wording, e.g. "全场8折" / "20% off everything"
	// TextEn is the English wording when Text is Chinese and the audience
	// is bilingual.
	TextEn string `json:"text_en,omitempty" yaml:"text_en"`
	// Discount is "8折", "8.5折" or "20% off"; parsed into Factor.
	Discount string `json:"discount,omitempty" yaml:"discount"`
	// Price is a special price, when the offer names one.
	Price float64 `json:"price,omitempty" yaml:"price"`
	Code  string  `json:"code,omitempty" yaml:"code"`
	// Deadline is the last day of the offer, YYYY-MM-DD.
	Deadline string `json:"deadline,omitempty" yaml:"deadline"`

	// Factor is the price multiplier of Discount (0.8 for 8折 / 20% off);
	// 0 when the offer has no percentage discount.
	Factor float64 `json:"factor,omitempty" yaml:"-"`
}

// FieldError is a bad input file: which file, which field, why.
func fieldError(file, field, format string, args ...any) error {
	return apperr.New(apperr.Invalid, "%s: field %s: %s", file, field, fmt.Sprintf(format, args...))
}

var (
	yamlUnknownRe = regexp.MustCompile(`field (\S+) not found in type \S+`)
	// yamlIntoRe is the decoder's type mismatch, which names Go types:
	// "cannot unmarshal !!str `20% off` into content.Offer".
	yamlIntoRe = regexp.MustCompile(`cannot unmarshal (!!\w+)( \x60[^\x60]*\x60)? into (\S+)`)
	zheRe      = regexp.MustCompile(`^([0-9](?:\.[0-9])?)\s*折$`)
	offRe      = regexp.MustCompile(`(?i)^([0-9]{1,2}(?:\.[0-9]+)?)\s*%\s*off$`)
)

// ParseDiscount reads "8折", "8.5折" or "20% off" into a price factor.
func ParseDiscount(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if m := zheRe.FindStringSubmatch(s); m != nil {
		f, _ := strconv.ParseFloat(m[1], 64)
		if f <= 0 || f >= 10 {
			return 0, errors.New("a 折 discount is between 0.1折 and 9.9折")
		}
		return round4(f / 10), nil
	}
	if m := offRe.FindStringSubmatch(s); m != nil {
		p, _ := strconv.ParseFloat(m[1], 64)
		if p <= 0 || p >= 100 {
			return 0, errors.New("a % off discount is between 1% and 99%")
		}
		return round4(1 - p/100), nil
	}
	return 0, fmt.Errorf("%q is not a discount (write 8折, 8.5折 or 20%% off)", s)
}

func round4(f float64) float64 { return math.Round(f*10000) / 10000 }

// decodeFile reads YAML or JSON (by extension; YAML otherwise) with
// unknown keys rejected, so a misspelt field is reported, not ignored.
func decodeFile(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return apperr.Wrap(err, apperr.Invalid, "%s: cannot read", path)
	}
	return decodeBytes(path, b, v)
}

func decodeBytes(path string, b []byte, v any) error {
	if strings.EqualFold(filepath.Ext(path), ".json") {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				line := bytes.Count(b[:min(int(se.Offset), len(b))], []byte("\n")) + 1
				return apperr.New(apperr.Invalid, "%s: line %d: not valid JSON: %v", path, line, err)
			}
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				return fieldError(path, te.Field, "expected %s, got %s", typeWord(te.Type), te.Value)
			}
			if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
				return fieldError(path, strings.Trim(f, `"`), "unknown field")
			}
			return apperr.Wrap(err, apperr.Invalid, "%s", path)
		}
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return apperr.New(apperr.Invalid, "%s: the file is empty", path)
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		msg = strings.TrimPrefix(msg, "unmarshal errors:\n")
		msg = yamlUnknownRe.ReplaceAllString(msg, "field $1: unknown field")
		msg = yamlIntoRe.ReplaceAllStringFunc(msg, func(m string) string {
			g := yamlIntoRe.FindStringSubmatch(m)
			return "expected " + goTypeWord(g[3]) + ", got " + yamlTagWord(g[1]) + g[2]
		})
		msg = strings.Join(strings.Fields(strings.ReplaceAll(msg, "\n", "; ")), " ")
		return apperr.New(apperr.Invalid, "%s: %s", path, msg)
	}
	return nil
}

// LoadBrief reads a brief from a YAML or JSON file and checks it on its
// own (names of products, segments and channels are checked by Resolve
// against the store).
func LoadBrief(path string) (Brief, error) {
	var b Brief
	if err := decodeFile(path, &b); err != nil {
		return b, err
	}
	b.File = path
	return b, b.Check()
}

// ParseBrief reads a brief from bytes; name is used in messages and
// decides the format (".json" or YAML).
func ParseBrief(name string, data []byte) (Brief, error) {
	var b Brief
	if err := decodeBytes(name, data, &b); err != nil {
		return b, err
	}
	b.File = name
	return b, b.Check()
}

// Check validates the brief's own fields and fills defaults.
func (b *Brief) Check() error {
	f := b.File
	if f == "" {
		f = "brief"
	}
	if strings.TrimSpace(b.Name) == "" {
		return fieldError(f, "name", "is required (a short id for the campaign)")
	}
	if strings.TrimSpace(b.Goal) == "" {
		return fieldError(f, "goal", "is required (what the campaign should achieve)")
	}
	switch b.Language {
	case "":
		b.Language = Zh
	case Zh, En:
	default:
		return fieldError(f, "language", "%q is not supported (zh or en)", b.Language)
	}
	for i, c := range b.Channels {
		if _, err := SpecFor(c); err != nil {
			return fieldError(f, fmt.Sprintf("channels[%d]", i), "%v", err)
		}
		b.Channels[i] = strings.ToLower(strings.TrimSpace(c))
	}
	if b.Offer.Discount != "" {
		fac, err := ParseDiscount(b.Offer.Discount)
		if err != nil {
			return fieldError(f, "offer.discount", "%v", err)
		}
		b.Offer.Factor = fac
	}
	if b.Offer.Price < 0 {
		return fieldError(f, "offer.price", "must not be negative")
	}
	if b.Offer.Deadline != "" {
		if _, err := time.Parse(time.DateOnly, b.Offer.Deadline); err != nil {
			return fieldError(f, "offer.deadline", "%q is not a date (write YYYY-MM-DD)", b.Offer.Deadline)
		}
	}
	if b.Offer.Text == "" && b.Offer.Discount != "" {
		b.Offer.Text = b.Offer.Discount
	}
	for i, p := range b.Products {
		if strings.TrimSpace(p) == "" {
			return fieldError(f, fmt.Sprintf("products[%d]", i), "is empty")
		}
	}
	return nil
}

// OfferText is the offer's wording for lang.
func (b Brief) OfferText(lang string) string {
	if lang == En && b.Offer.TextEn != "" {
		return b.Offer.TextEn
	}
	return b.Offer.Text
}

// SenderFor is the SMS signature, defaulting to 【brand】 / [brand], and
// empty when there is neither a sender nor a brand (validation then says
// that the SMS needs one). An English SMS gets square brackets even when
// the brief writes 【…】: one full-width bracket would switch the whole
// text to UCS-2 and cut each segment from 160 to 70 characters.
func (b Brief) SenderFor(lang, brand string) string {
	if b.Sender != "" {
		if lang == En {
			return strings.NewReplacer("【", "[", "】", "]").Replace(b.Sender)
		}
		return b.Sender
	}
	if brand = strings.TrimSpace(brand); brand == "" {
		return ""
	}
	if lang == Zh {
		return "【" + brand + "】"
	}
	return "[" + brand + "]"
}

// Occasion is what the campaign is built around (double11, christmas,
// …), read from its name, goal and offer; "" for none.
func (b Brief) Occasion() string {
	return lexicon.OccasionIn(b.Name, b.Goal, b.Offer.Text, b.Offer.TextEn, strings.Join(b.MustSay, " "))
}

// OptOutFor is the SMS opt-out text for lang: the brief's when it is
// written in that language (拒收请回复R for Chinese SMS, "Text STOP to
// 60060" for English ones), else the default. Content is the one owner:
// writers and models are handed this text and copy it verbatim.
func (b Brief) OptOutFor(lang string) string {
	if o := strings.TrimSpace(b.OptOut); o != "" && hasHan(o) == (lang == Zh) {
		return o
	}
	return DefaultOptOut(lang)
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// ID is a content hash of the brief, so the same brief file names the same
// run and a re-run resumes it.
func (b Brief) ID() string {
	js, _ := json.Marshal(b)
	sum := sha256.Sum256(js)
	return hex.EncodeToString(sum[:8])
}

// Voice is a brand voice profile, stored in the database and editable from
// the CLI.
type Voice struct {
	Name       string   `json:"name" yaml:"name"`
	Brand      string   `json:"brand" yaml:"brand"`
	Tone       string   `json:"tone,omitempty" yaml:"tone"`
	Vocabulary []string `json:"vocabulary,omitempty" yaml:"vocabulary"`
	Taboo      []string `json:"taboo,omitempty" yaml:"taboo"`
	// Emoji is none | light | rich.
	Emoji    string    `json:"emoji,omitempty" yaml:"emoji"`
	Examples []Example `json:"examples,omitempty" yaml:"examples"`
	File     string    `json:"-" yaml:"-"`
}

// Example is a piece of copy in the brand's voice, used as a few-shot.
type Example struct {
	Channel  string `json:"channel" yaml:"channel"`
	Language string `json:"language,omitempty" yaml:"language"`
	Text     string `json:"text" yaml:"text"`
}

// LoadVoice reads a brand voice from a YAML or JSON file.
func LoadVoice(path string) (Voice, error) {
	var v Voice
	if err := decodeFile(path, &v); err != nil {
		return v, err
	}
	v.File = path
	return v, v.Check()
}

// Check validates the voice and fills defaults.
func (v *Voice) Check() error {
	f := v.File
	if f == "" {
		f = "voice"
	}
	if strings.TrimSpace(v.Name) == "" {
		return fieldError(f, "name", "is required (the id used by briefs: voice: NAME)")
	}
	if strings.TrimSpace(v.Brand) == "" {
		return fieldError(f, "brand", "is required (the brand name used in copy and the SMS signature)")
	}
	switch v.Emoji {
	case "":
		v.Emoji = "light"
	case "none", "light", "rich":
	default:
		return fieldError(f, "emoji", "%q is not an emoji policy (none, light or rich)", v.Emoji)
	}
	for i, e := range v.Examples {
		if _, err := SpecFor(e.Channel); err != nil {
			return fieldError(f, fmt.Sprintf("examples[%d].channel", i), "%v", err)
		}
		if strings.TrimSpace(e.Text) == "" {
			return fieldError(f, fmt.Sprintf("examples[%d].text", i), "is empty")
		}
	}
	return nil
}

// DefaultVoice is used when no voice is stored: a plain, friendly tone,
// signed with brand (the shop's name; see Deps.Brand). Copy is never
// signed with the name of the software: with no brand it is unsigned.
func DefaultVoice(brand string) Voice {
	return Voice{Name: "default", Brand: strings.TrimSpace(brand), Tone: "warm, concise, honest", Emoji: "light"}
}

// typeWord names a Go type as a brief's author knows it ("an object", "a
// list"), for messages that must not show Go identifiers.
func typeWord(t reflect.Type) string {
	if t == nil {
		return "a value"
	}
	return goTypeWord(t.String())
}

// goTypeWord names a Go type written as Go prints it ("content.Offer",
// "[]string", "float64").
func goTypeWord(t string) string {
	switch {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map["):
		return "a mapping (key: value)"
	case t == "string":
		return "text"
	case t == "bool":
		return "true or false"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"):
		return "a whole number"
	case strings.HasPrefix(t, "float"):
		return "a number"
	case t == "time.Time":
		return "a date (2026-11-11 or 2026-11-11T00:00:00+08:00)"
	case t == "time.Duration":
		return "a duration (90m, 24h)"
	}
	return "a mapping of fields"
}

// yamlTagWord names a YAML node's tag ("!!str") in words.
func yamlTagWord(tag string) string {
	switch tag {
	case "!!str":
		return "text"
	case "!!int":
		return "a whole number"
	case "!!float":
		return "a number"
	case "!!bool":
		return "true or false"
	case "!!seq":
		return "a list"
	case "!!map":
		return "a mapping"
	case "!!null":
		return "nothing"
	}
	return "a value"
}
