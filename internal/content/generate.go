package content

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/llm"
)

// Model is the part of llm.Model the studio calls: one structured
// generation at a time. Decorators (retry, cache, limiter, PII redaction)
// from the llm package satisfy it as well as the providers.
type Model interface {
	Generate(ctx context.Context, req llm.Request) (llm.Result, error)
	Name() string
}

// Compliance verdicts.
const (
	VerdictPass   = "pass"
	VerdictReview = "review"
	VerdictBlock  = "block"
)

// ComplianceReport is a compliance checker's answer about one text.
type ComplianceReport struct {
	Verdict string   `json:"verdict"` // pass | review | block
	Reasons []string `json:"reasons,omitempty"`
}

// Checker is the advertising-law / platform-policy check of the guardrails
// area. The studio sends the copy of every item through it and treats a
// review or block verdict as a violation to repair.
type Checker interface {
	Check(ctx context.Context, text, lang, category string) (ComplianceReport, error)
}

// Generator writes the variants of one message and repairs them.
type Generator struct {
	Model   Model
	Checker Checker // nil: compliance is not checked (the summary says so)
	Prompts *Prompts
	// MaxRepairs is the number of repair rounds per variant (default 2).
	MaxRepairs  int
	Temperature *float64
	Now         func() time.Time
	// CallContext, when set, derives the context the job's model calls
	// run with: cmd/chorus uses it to tell the PII redactor around the
	// model whose customer record the job is about.
	CallContext func(ctx context.Context, j Job) context.Context
	// Labeler, when set, adds the visible AI-generated label to every
	// item's body before it is validated, so budgets include it.
	Labeler Labeler
}

// Labeler labels machine-written copy (China's 2025 measures for labelling
// AI-generated content); compliance/policy.Labeler is the implementation.
type Labeler interface {
	Label(text, channel, lang string) string
}

// label adds the label to c's body.
func (g *Generator) label(t Target, c *Copy) {
	if g.Labeler == nil {
		return
	}
	f := t.Spec.LabelField()
	c.SetField(f, g.Labeler.Label(c.Field(f), t.Spec.Name, t.Lang))
}

// labelReserve is how much of the body's budget the label takes (runes,
// or SMS units), so the model is asked for copy that fits with it.
func (g *Generator) labelReserve(t Target) int {
	if g.Labeler == nil {
		return 0
	}
	const probe = "x"
	labelled := g.Labeler.Label(probe, t.Spec.Name, t.Lang)
	if t.Spec.Name == SMS && t.Lang != Zh {
		// GSM-7 counts some characters twice; Chinese SMS are UCS-2,
		// one unit a rune, like the other channels' budgets.
		return CountSMS(labelled).Units - CountSMS(probe).Units
	}
	return Runes(labelled) - 1
}

// Job is one generation unit: one prompt for one channel, audience group
// and language, asking for Variants variants.
type Job struct {
	RunID    string
	Key      string
	Target   Target
	Persona  *llm.PersonaFacts
	Variants int
	Segment  string
	Cohort   string
	Customer string
	Campaign string
	// Variation is the unit's place among its campaign's units of the
	// same channel and language (nil outside a campaign).
	Variation *int
}

// Outcome is what a job produced and what it cost.
type Outcome struct {
	Items      []Item    `json:"items"`
	Calls      int       `json:"calls"`
	Usage      llm.Usage `json:"usage"`
	Duplicates int       `json:"duplicates"`
}

func (g *Generator) now() time.Time {
	if g.Now != nil {
		return g.Now().UTC()
	}
	return time.Now().UTC()
}

func (g *Generator) promptData(j Job) PromptData {
	t := j.Target
	var prod *catalog.Product
	if t.Product != nil {
		cp := copyProduct(*t.Product, t.Lang, t.BoughtWith)
		prod = &cp
	}
	d := PromptData{
		Channel: t.Spec.Name, Lang: t.Lang, Fields: t.Spec.FieldNames(), Limits: t.Spec.Limits(t.Lang),
		Segments: t.Spec.SMSSegments[t.Lang], Product: prod, Persona: j.Persona,
		Brief: t.Brief, Voice: t.Voice, Sender: t.Sender, OptOut: t.OptOut, Slots: t.Slots,
	}
	for _, e := range t.Voice.Examples {
		if e.Channel == t.Spec.Name && (e.Language == "" || e.Language == t.Lang) {
			d.Examples = append(d.Examples, e)
		}
	}
	return d
}

// Hints are the structured facts the offline writer composes from.
func (j Job) hints() *llm.Hints {
	t := j.Target
	h := &llm.Hints{
		Channel: t.Spec.Name, Language: t.Lang, Fields: t.Spec.FieldNames(), Limits: t.Spec.Limits(t.Lang),
		Persona: j.Persona, Slots: t.Slots, Variation: j.Variation,
		Brief: &llm.BriefFacts{Goal: t.Brief.Goal, Offer: t.Brief.OfferText(t.Lang), Deadline: t.Brief.Offer.Deadline,
			Tone: t.Brief.Tone, MustSay: t.Brief.MustSay, MustNot: append(append([]string{}, t.Brief.MustNotSay...), t.Voice.Taboo...),
			Sender: t.Sender, OptOut: t.OptOut, Occasion: t.Brief.Occasion()},
		Voice: &llm.VoiceFacts{Brand: t.Voice.Brand, Tone: t.Voice.Tone, Vocabulary: t.Voice.Vocabulary, Taboo: t.Voice.Taboo, Emoji: t.Voice.Emoji},
	}
	for _, f := range t.Spec.Fields {
		if f.Min > 0 && !f.Array {
			if h.Minimums == nil {
				h.Minimums = map[string]int{}
			}
			h.Minimums[f.Name] = f.Min
		}
	}
	if t.Product != nil {
		p := copyProduct(*t.Product, t.Lang, t.BoughtWith)
		h.Product = &llm.ProductFacts{SKU: p.SKU, Title: p.Title, Description: p.Description, Category: p.Category,
			Brand: p.Brand, Price: p.Price, Currency: p.Currency, SellingPoints: p.SellingPoints, URL: p.URL, Tags: p.Tags, PriceBand: t.PriceBand}
	}
	return h
}

// Generate runs one job: a first call asking for all variants, then up to
// MaxRepairs repair calls per failing variant, each quoting the exact
// violations. Variants that still fail are returned flagged with their
// violations; nothing is silently passed. Duplicated variants are dropped
// and counted. A model error ends the job with that error (the batch
// records it and a re-run retries the unit).
func (g *Generator) Generate(ctx context.Context, j Job) (Outcome, error) {
	var out Outcome
	if j.Variants <= 0 {
		j.Variants = 1
	}
	if g.CallContext != nil {
		ctx = g.CallContext(ctx, j)
	}
	maxRepairs := g.MaxRepairs
	if maxRepairs < 0 {
		maxRepairs = 0
	}
	d := g.promptData(j)
	msgs, err := g.Prompts.Messages(d)
	if err != nil {
		return out, err
	}
	spec := j.Target.Spec
	hints := j.hints()
	if r := g.labelReserve(j.Target); r > 0 {
		if n, ok := hints.Limits[spec.LabelField()]; ok && n > r {
			hints.Limits[spec.LabelField()] = n - r
		}
	}
	req := llm.Request{
		Messages: msgs, N: j.Variants, Schema: spec.Schema(), SchemaName: "chorus_" + spec.Name,
		Hints: hints, Temperature: g.Temperature, Campaign: j.Campaign, Item: j.Key,
	}
	res, err := g.call(ctx, req, &out)
	if err != nil {
		return out, err
	}
	seen := map[string]bool{}
	now := g.now()
	for i := 0; i < j.Variants && i < len(res.Choices); i++ {
		ch := res.Choices[i]
		c, vs := g.check(ctx, j.Target, ch)
		text := ch.Text
		rounds := 0
		for len(vs) > 0 && rounds < maxRepairs {
			rounds++
			fix, err := g.Prompts.Repair(d, vs)
			if err != nil {
				return out, err
			}
			rr := req
			rr.N = 1
			if hints.Variation != nil {
				// a repair asks for one answer, so it names the variant's
				// own place: a template writer then repairs each variant
				// in its own construction instead of writing them all
				// alike (which dropped every variant but one as duplicates)
				h := *hints
				v := *hints.Variation*j.Variants + i
				h.Variation = &v
				rr.Hints = &h
			}
			rr.Messages = append(append([]llm.Message{}, msgs...),
				llm.Message{Role: llm.RoleAssistant, Content: text},
				llm.Message{Role: llm.RoleUser, Content: fix})
			rr.Item = fmt.Sprintf("%s#v%d/r%d", j.Key, i, rounds)
			r2, err := g.call(ctx, rr, &out)
			if err != nil {
				return out, err
			}
			if len(r2.Choices) == 0 {
				vs = []Violation{{Rule: "schema", Message: "the model returned no answer"}}
				continue
			}
			prev := fingerprint(c, spec)
			text = r2.Choices[0].Text
			c, vs = g.check(ctx, j.Target, r2.Choices[0])
			if len(vs) > 0 && fingerprint(c, spec) == prev {
				// the model answered the reasons with the same copy: it
				// is not taking feedback (a template writer, a cached
				// answer), so more rounds would only cost calls
				break
			}
		}
		fp := fingerprint(c, spec)
		if seen[fp] {
			out.Duplicates++
			continue
		}
		seen[fp] = true
		it := Item{
			RunID: j.RunID, UnitKey: j.Key, Variant: len(out.Items), Channel: spec.Name, Language: j.Target.Lang,
			Segment: j.Segment, Cohort: j.Cohort, CustomerID: j.Customer, Copy: c, Violations: vs, Rounds: rounds,
			Model: res.Model, PromptVersion: g.Prompts.Version, Slots: j.Target.Slots, CreatedAt: now, UpdatedAt: now,
			AIGenerated: true,
		}
		if res.Model == "" {
			it.Model = g.Model.Name()
		}
		// Items say which provider wrote them ("offline/chorus-writer-2"),
		// so offline copy is never mistaken for a model's.
		if res.Provider != "" && !strings.Contains(it.Model, "/") {
			it.Model = res.Provider + "/" + it.Model
		}
		if p := j.Target.Product; p != nil {
			it.SKU = p.SKU
		}
		it.ID = ItemID(j.RunID, j.Key, it.Variant)
		Finish(&it, j.Target)
		out.Items = append(out.Items, it)
	}
	if len(out.Items) == 0 {
		return out, apperr.New(apperr.Unavailable, "the model returned no usable answer for %s", j.Key)
	}
	return out, nil
}

func (g *Generator) call(ctx context.Context, req llm.Request, out *Outcome) (llm.Result, error) {
	res, err := g.Model.Generate(ctx, req)
	out.Calls++
	out.Usage.Add(res.Usage)
	if err != nil {
		return res, fmt.Errorf("model %s: %w", g.Model.Name(), err)
	}
	return res, nil
}

// check parses one answer and returns its copy and every violation:
// schema, budgets, required elements, language, grounding, compliance.
func (g *Generator) check(ctx context.Context, t Target, ch llm.Choice) (Copy, []Violation) {
	js := ch.JSON
	if len(js) == 0 {
		var err error
		js, err = llm.ValidateAnswer(t.Spec.Schema(), ch.Text)
		if err != nil {
			return Copy{}, []Violation{{Rule: "schema", Message: err.Error()}}
		}
	}
	c, err := parseCopy(js)
	if err != nil {
		return c, []Violation{{Rule: "schema", Message: err.Error()}}
	}
	t.Spec.TidyHashtags(&c)
	t.tidyEmoji(&c)
	g.label(t, &c)
	vs := t.Validate(c)
	vs = append(vs, complianceViolations(ctx, g.Checker, t, c)...)
	return c, dedupeViolations(vs)
}

// complianceViolations runs the compliance checker (when there is one)
// over the whole message; a review or block verdict is a violation.
func complianceViolations(ctx context.Context, ck Checker, t Target, c Copy) []Violation {
	if ck == nil {
		return nil
	}
	cat := ""
	if t.Product != nil {
		cat = t.Product.TopCategory()
	}
	rep, err := ck.Check(ctx, c.All(t.Spec), t.Lang, cat)
	if err != nil {
		return []Violation{{Rule: "compliance", Message: "the compliance check failed: " + err.Error()}}
	}
	if rep.Verdict == VerdictPass || rep.Verdict == "" {
		return nil
	}
	if len(rep.Reasons) == 0 {
		rep.Reasons = []string{"verdict " + rep.Verdict}
	}
	var vs []Violation
	for _, r := range rep.Reasons {
		vs = append(vs, Violation{Rule: "compliance", Message: r})
	}
	return vs
}

// dedupeViolations keeps the first of identical violations (a term found
// twice is one thing to fix).
func dedupeViolations(vs []Violation) []Violation {
	seen := map[Violation]bool{}
	out := vs[:0]
	for _, v := range vs {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// Finish sets what is derived from the copy: status, SMS count, the email
// HTML (checked for its unsubscribe placeholder).
func Finish(it *Item, t Target) {
	if t.Spec.Name == SMS {
		sc := CountSMS(it.Copy.Text)
		it.SMS = &sc
	}
	if t.Spec.Name == Email {
		it.HTML = RenderEmailHTML(it.Copy, t)
		if t.Spec.Unsubscribe && !strings.Contains(it.HTML, UnsubscribePlaceholder) {
			it.Violations = append(it.Violations, Violation{Rule: "required", Message: "the email has no " + UnsubscribePlaceholder + " link"})
		}
	}
	it.Status = StatusDraft
	if len(it.Violations) > 0 {
		it.Status = StatusFlagged
	}
}

// fingerprint identifies a variant for de-duplication: its text with case,
// spaces and punctuation folded away.
func fingerprint(c Copy, spec Spec) string {
	var b strings.Builder
	for _, r := range strings.ToLower(c.All(spec)) {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// ItemID is stable for (run, unit, variant), so persisting an item twice
// is idempotent.
func ItemID(run, unit string, variant int) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%s\x00%d", run, unit, variant)))
	return "ci_" + hex.EncodeToString(sum[:8])
}

// MarshalCopy is the stored form of a copy.
func MarshalCopy(c Copy) string {
	b, _ := json.Marshal(c)
	return string(b)
}

func hash8(b []byte) []byte {
	sum := sha256.Sum256(b)
	return sum[:8]
}
