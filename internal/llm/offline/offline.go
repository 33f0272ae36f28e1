// Package offline is the built-in writer: it composes marketing copy from
// the facts a prompt was built from (llm.Hints) without any network, so
// Chorus works out of the box and tests are deterministic. It writes
// Chinese and English for every channel from a phrasebook of hooks,
// product introductions, benefit phrasings, interest bridges, offers,
// calls to action and closings, choosing differently per variant and per
// seed, and it honours the requested JSON fields and rune budgets.
//
// Its results always say provider "offline".
package offline

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/llm"
)

// Provider and model names reported in results.
const (
	ProviderName = "offline"
	ModelName    = "chorus-writer-2"
)

// Writer is the offline provider. The zero value is ready to use and safe
// for concurrent use.
type Writer struct{}

// New returns a Writer.
func New() *Writer { return &Writer{} }

// Name is "offline/chorus-writer-2".
func (*Writer) Name() string { return ProviderName + "/" + ModelName }

// Generate writes req.Variants() distinct variants. With a Schema the
// answer is a JSON object with the fields of Hints.Fields (or the schema's
// properties), validated against the schema; without one it is plain text
// in the channel's form. The same request and seed give the same answer.
func (w *Writer) Generate(ctx context.Context, req llm.Request) (llm.Result, error) {
	start := time.Now()
	if err := ctx.Err(); err != nil {
		return llm.Result{}, apperr.Wrap(err, apperr.Unavailable, "offline writer")
	}
	facts := factsFrom(req)
	fields, limits, err := plan(req, facts)
	if err != nil {
		return llm.Result{}, err
	}
	seed := seedOf(req)
	res := llm.Result{Provider: ProviderName, Model: ModelName, Attempts: 1}
	seen := map[string]bool{}
	for v := 0; v < req.Variants(); v++ {
		var text string
		var js json.RawMessage
		// a different draw if a variant repeats an earlier one
		for try := 0; try < 8; try++ {
			c := newComposer(facts, seed, v, try, req.Variants())
			out := c.fields(fields, limits)
			if len(req.Schema) > 0 {
				b, _ := json.Marshal(out)
				text = string(b)
			} else {
				text = c.plain(fields, out)
			}
			if !seen[sameness(text)] {
				break
			}
		}
		seen[sameness(text)] = true
		if len(req.Schema) > 0 {
			js, err = llm.ValidateAnswer(req.Schema, text)
			if err != nil {
				return llm.Result{}, apperr.Wrap(err, apperr.Invalid, "offline writer cannot satisfy the schema with fields %v", fields)
			}
		}
		res.Choices = append(res.Choices, llm.Choice{Text: text, JSON: js, FinishReason: "stop"})
	}
	prompt := 0
	for _, m := range req.Messages {
		prompt += llm.EstimateTokens(llm.Request{Messages: []llm.Message{m}, MaxTokens: 1}) - 1
	}
	completion := 0
	for _, c := range res.Choices {
		completion += llm.EstimateTokens(llm.Request{Messages: []llm.Message{{Content: c.Text}}, MaxTokens: 1}) - 5
	}
	res.Usage = llm.Usage{PromptTokens: prompt, CompletionTokens: completion, TotalTokens: prompt + completion}
	res.Latency = time.Since(start)
	return res, nil
}

// Stream writes the answer and hands it over a few runes at a time, like a
// network model would.
func (w *Writer) Stream(ctx context.Context, req llm.Request, onDelta func(string) error) (llm.Result, error) {
	if req.N > 1 {
		return llm.Result{}, apperr.New(apperr.Invalid, "streaming supports one variant (n=1), got n=%d", req.N)
	}
	res, err := w.Generate(ctx, req)
	if err != nil {
		return res, err
	}
	rs := []rune(res.Text())
	for i := 0; i < len(rs); i += 6 {
		if err := ctx.Err(); err != nil {
			return res, apperr.Wrap(err, apperr.Unavailable, "offline writer")
		}
		if err := onDelta(string(rs[i:min(i+6, len(rs))])); err != nil {
			return res, err
		}
	}
	return res, nil
}

// sameness is what two variants must differ in to count as distinct: the
// letters and digits, as the studio compares them (a variant differing
// only in punctuation or emoji is dropped there as a duplicate, leaving
// its share of a campaign's audience without copy).
func sameness(text string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(text) {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// seedOf is Request.Seed, or a hash of everything that shapes the answer.
func seedOf(req llm.Request) uint64 {
	if req.Seed != nil {
		return uint64(*req.Seed)
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(llm.CacheKey(ProviderName, ModelName, req)))
	return h.Sum64()
}

// facts are the hints with defaults filled in.
type facts struct {
	lang, channel string
	h             llm.Hints
	pb            *phrasebook
	// avoid are the words a repair request says must go (a term the
	// advertising-law check or the brief forbids)
	avoid []string
}

func factsFrom(req llm.Request) facts {
	f := facts{}
	if req.Hints != nil {
		f.h = *req.Hints
	}
	f.lang = strings.ToLower(f.h.Language)
	if !strings.HasPrefix(f.lang, "zh") && !strings.HasPrefix(f.lang, "en") {
		f.lang = detectLang(req)
	}
	if strings.HasPrefix(f.lang, "zh") {
		f.lang, f.pb = "zh", &zh
	} else {
		f.lang, f.pb = "en", &en
	}
	f.channel = strings.ToLower(f.h.Channel)
	if f.channel == "" {
		f.channel = "ad"
	}
	if f.h.Product == nil {
		f.h.Product = fromPrompt(req, f.lang)
	}
	f.avoid = forbidden(req)
	return f
}

// forbiddenRe finds the terms a repair request quotes as not allowed:
// `"无添加" is not allowed in advertising`, `the brief forbids "最便宜"`.
var forbiddenRe = regexp.MustCompile(`"([^"\n]{1,40})" is not allowed|forbids "([^"\n]{1,40})"`)

// forbidden are the terms the last message, when it answers an earlier
// answer (a repair round), says must not appear: the writer takes that
// feedback, where a template writer would otherwise repeat itself.
func forbidden(req llm.Request) []string {
	n := len(req.Messages)
	if n < 3 || req.Messages[n-1].Role != llm.RoleUser || req.Messages[n-2].Role != llm.RoleAssistant {
		return nil
	}
	var out []string
	for _, m := range forbiddenRe.FindAllStringSubmatch(req.Messages[n-1].Content, -1) {
		for _, g := range m[1:] {
			if g != "" && !slices.Contains(out, g) {
				out = append(out, g)
			}
		}
	}
	return out
}

// detectLang picks zh when the prompt or the facts are mostly Chinese.
func detectLang(req llm.Request) string {
	han, latin := 0, 0
	count := func(s string) {
		for _, r := range s {
			switch {
			case unicode.Is(unicode.Han, r):
				han++
			case unicode.IsLetter(r):
				latin++
			}
		}
	}
	if req.Hints != nil && req.Hints.Product != nil {
		count(req.Hints.Product.Title)
		count(strings.Join(req.Hints.Product.SellingPoints, " "))
	}
	if han == 0 && latin == 0 {
		for _, m := range req.Messages {
			count(m.Content)
		}
	}
	if han*3 >= latin && han > 0 {
		return "zh"
	}
	return "en"
}

// fromPrompt is the last resort when a request carries no product facts
// (`chorus llm complete --prompt …`): it takes the product from "for a …" /
// "为…写" and the selling points it knows from the prompt's words, and says
// "new arrival" rather than invent anything else.
func fromPrompt(req llm.Request, lang string) *llm.ProductFacts {
	var prompt string
	for _, m := range req.Messages {
		if m.Role != llm.RoleSystem {
			prompt += m.Content + "\n"
		}
	}
	p := &llm.ProductFacts{}
	if lang == "zh" {
		if m := zhFor.FindStringSubmatch(prompt); m != nil {
			p.Title = strings.TrimSpace(m[1])
		}
		for _, b := range zhBenefits {
			if k := b.key; strings.Contains(prompt, k) && !strings.Contains(p.Title, k) && !slices.Contains(p.SellingPoints, k) {
				p.SellingPoints = append(p.SellingPoints, k)
			}
		}
		if p.Title == "" {
			p.Title = "新品"
		}
	} else {
		low := strings.ToLower(prompt)
		if m := enFor.FindStringSubmatch(low); m != nil {
			words := strings.Fields(m[1])
			if len(words) > 5 {
				words = words[:5]
			}
			p.Title = strings.Join(words, " ")
		}
		for _, b := range enBenefits {
			if k := b.key; strings.Contains(low, k) && !slices.ContainsFunc(p.SellingPoints, func(s string) bool { return strings.Contains(s, k) || strings.Contains(k, s) }) {
				p.SellingPoints = append(p.SellingPoints, k)
			}
		}
		// "waterproof camera bag": the product is the noun, the adjective a selling point
		for _, sp := range p.SellingPoints {
			p.Title = strings.TrimSpace(strings.TrimPrefix(p.Title, sp))
		}
		if p.Title == "" {
			p.Title = "new arrival"
		}
	}
	slices.Sort(p.SellingPoints)
	return p
}

var (
	enFor = regexp.MustCompile(`\bfor (?:a |an |the |our |my |this )?([a-z0-9 \-]+)`)
	zhFor = regexp.MustCompile(`(?:为|给)(?:我们的|这款|一款)?([^，。！？、\s]{2,12}?)(?:写|做|设计|创作|想)`)
)

// defaultFields is each channel's form when the request names none.
var defaultFields = map[string][]string{
	"ad":          {"headline", "description", "cta"},
	"xiaohongshu": {"title", "body", "hashtags"},
	"weibo":       {"text", "hashtags"},
	"moments":     {"caption"},
	"instagram":   {"caption", "hashtags"},
	"email":       {"subject", "preheader", "body_text"},
	"sms":         {"text"},
	"push":        {"title", "body"},
	"product":     {"title", "description"},
	"support":     {"answer"},
}

// defaultLimits are conservative budgets per channel and language for
// fields the request gives no budget for.
var defaultLimits = map[string]map[string]int{
	"zh": {"sms.text": 70, "push.title": 20, "push.body": 50, "xiaohongshu.title": 20, "ad.headline": 30, "ad.cta": 8, "email.subject": 40, "email.preheader": 60, "weibo.text": 140},
	"en": {"sms.text": 160, "push.title": 50, "push.body": 120, "ad.headline": 60, "ad.cta": 20, "email.subject": 80, "email.preheader": 110, "instagram.caption": 2200},
}

var knownFields = map[string]bool{"headline": true, "description": true, "cta": true, "title": true, "body": true, "hashtags": true,
	"subject": true, "preheader": true, "body_text": true, "text": true, "caption": true, "answer": true}

// plan decides the fields to write and their budgets: Hints.Fields, else
// the schema's properties, else the channel's form; budgets from
// Hints.Limits, the schema's maxLength, then the channel defaults.
func plan(req llm.Request, f facts) ([]string, map[string]int, error) {
	fields := f.h.Fields
	limits := map[string]int{}
	var props map[string]json.RawMessage
	if len(req.Schema) > 0 {
		var sch struct {
			Properties map[string]json.RawMessage `json:"properties"`
			Required   []string                   `json:"required"`
		}
		if err := json.Unmarshal(req.Schema, &sch); err != nil {
			return nil, nil, apperr.Wrap(err, apperr.Invalid, "offline writer: schema is not a JSON object")
		}
		props = sch.Properties
		if len(fields) == 0 {
			for k := range props {
				fields = append(fields, k)
			}
			sortFields(fields)
		}
		for name, raw := range props {
			var p struct {
				MaxLength *int `json:"maxLength"`
				Items     *struct {
					MaxLength *int `json:"maxLength"`
				} `json:"items"`
			}
			if json.Unmarshal(raw, &p) == nil && p.MaxLength != nil {
				limits[name] = *p.MaxLength
			}
		}
	}
	if len(fields) == 0 {
		fields = defaultFields[f.channel]
		if fields == nil {
			fields = defaultFields["ad"]
		}
	}
	for _, k := range fields {
		if !knownFields[k] {
			return nil, nil, apperr.New(apperr.Invalid, "offline writer does not know field %q (known: headline, description, cta, title, body, hashtags, subject, preheader, body_text, text, caption, answer)", k)
		}
	}
	for k, v := range f.h.Limits {
		if v > 0 && (limits[k] == 0 || v < limits[k]) {
			limits[k] = v
		}
	}
	for _, k := range fields {
		if limits[k] == 0 {
			if d := defaultLimits[f.lang][f.channel+"."+k]; d > 0 {
				limits[k] = d
			}
		}
	}
	return fields, limits, nil
}

// fieldOrder is the natural reading order of fields.
var fieldOrder = []string{"subject", "preheader", "title", "headline", "description", "body", "body_text", "text", "caption", "answer", "cta", "hashtags"}

func sortFields(fs []string) {
	rank := map[string]int{}
	for i, k := range fieldOrder {
		rank[k] = i
	}
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && rank[fs[j]] < rank[fs[j-1]]; j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
}

func newRand(seed uint64, variant, try int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, uint64(variant)*0x9e3779b97f4a7c15+uint64(try)*0xbf58476d1ce4e5b9+1))
}
