package support

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/compliance/adlaw"
	"github.com/chorusmkt/chorus/internal/compliance/pii"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/llm"
)

// Recommender ranks products for a known customer; cmd wires the
// recommend package's model behind it.
type Recommender interface {
	Recommend(ctx context.Context, customerID string, k int) ([]Recommendation, error)
}

// Recommendation is one recommended product with its reason.
type Recommendation struct {
	SKU    string `json:"sku"`
	Reason string `json:"reason,omitempty"`
}

// Recorder keeps conversations. The store is one; an evaluation uses a
// MemoryRecorder so that its conversations and hand-offs do not enter the
// shop's queue.
type Recorder interface {
	RecordTurn(ctx context.Context, t Turn) (TurnIDs, error)
	GetConversation(ctx context.Context, id string) (Conversation, error)
}

// Options configure an Assistant.
type Options struct {
	// Model answers with tool calling; nil (or the offline provider) uses
	// the offline composer.
	Model       llm.Model
	Recommender Recommender
	AdLaw       *adlaw.Checker
	// PII redacts what is stored (nil: a scanner with no allowed values).
	PII      *pii.Scanner
	Recorder Recorder // default: the store
	Now      func() time.Time
	// MaxToolRounds bounds tool-calling round trips (default 6).
	MaxToolRounds int
	// MaxRunes bounds a customer message (default 2000).
	MaxRunes int
	// Classifier reads intent and hand-off beside the offline rules
	// (nil: DefaultClassifier, trained on the shipped corpus).
	Classifier *Classifier
	// RulesOnly answers offline with the rules alone, without the
	// classifier.
	RulesOnly bool
}

// Assistant answers customer messages. It is safe for concurrent use.
type Assistant struct {
	st      Store
	ix      *Index
	o       Options
	guard   Guard
	scripts *Scripts
}

// New returns an assistant over st and ix.
func New(st Store, ix *Index, o Options) *Assistant {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.PII == nil {
		o.PII = pii.NewScanner(nil)
	}
	if o.Recorder == nil {
		o.Recorder = st
	}
	if o.MaxToolRounds <= 0 {
		o.MaxToolRounds = 6
	}
	if o.MaxRunes <= 0 {
		o.MaxRunes = 2000
	}
	if o.Model != nil {
		if p, _ := llm.SplitName(o.Model.Name()); p == "offline" {
			o.Model = nil
		}
	}
	return &Assistant{st: st, ix: ix, o: o, guard: Guard{AdLaw: o.AdLaw}, scripts: &Scripts{}}
}

// Offline reports whether answers are composed without a model.
func (a *Assistant) Offline() bool { return a.o.Model == nil }

// Request is one customer message.
type Request struct {
	// ConversationID continues a conversation; "" starts one.
	ConversationID string `json:"conversation_id,omitempty"`
	// CustomerID is the signed-in customer, if any. It personalises
	// recommendations; order details still need verification.
	CustomerID string `json:"customer_id,omitempty"`
	// Language forces zh or en; "" lets the message decide.
	Language string `json:"language,omitempty"`
	Text     string `json:"text"`
	Channel  string `json:"channel,omitempty"` // cli, web, api, eval
}

// Reply is the answer to one message.
type Reply struct {
	ConversationID string     `json:"conversation_id"`
	MessageID      int64      `json:"message_id,omitempty"`
	Answer         string     `json:"answer"`
	Citations      []Citation `json:"citations"`
	Handoff        bool       `json:"handoff"`
	HandoffReason  string     `json:"handoff_reason,omitempty"`
	HandoffID      int64      `json:"handoff_id,omitempty"`
	Intent         string     `json:"intent"`
	Language       string     `json:"language"`
	// Script is the Chinese script of the answer (Hans or Hant), "" for
	// an English one.
	Script    string     `json:"script,omitempty"`
	Flags     []string   `json:"flags,omitempty"`
	ToolCalls []ToolCall `json:"tool_calls,omitempty"`
	Model     string     `json:"model"`
	LatencyMS float64    `json:"latency_ms"`
	Usage     llm.Usage  `json:"usage"`
	// Sources are what the answer was checked against (for evaluation).
	Sources Sources `json:"-"`
	// learned is the classifier's reading of the message (for
	// evaluation), nil when it did not read it.
	learned *Prediction
}

// Event is one step of a streamed answer: "token" (Text is the next
// fragment), "citation", "handoff" (Reply set so far) and finally "done"
// (Reply complete). Tokens are emitted only after the guardrails passed:
// no unchecked word reaches the customer.
type Event struct {
	Type     string    `json:"type"`
	Text     string    `json:"text,omitempty"`
	Citation *Citation `json:"citation,omitempty"`
	Reply    *Reply    `json:"reply,omitempty"`
}

// Event types.
const (
	EventToken    = "token"
	EventCitation = "citation"
	EventHandoff  = "handoff"
	EventDone     = "done"
)

// Hand-off reasons.
const (
	ReasonAsked        = "asked"
	ReasonComplaint    = "complaint"
	ReasonLegal        = "legal"
	ReasonLowConf      = "low_confidence"
	ReasonUngrounded   = "ungrounded"
	ReasonUnverifiable = "order_unverifiable"
	// ReasonRepeated: the assistant could not help twice in a row.
	ReasonRepeated = "repeated_failure"
	// ReasonWithPerson: the conversation is already with a person; the
	// assistant holds back until the hand-off is resolved.
	ReasonWithPerson = "with_person"
)

// Flags an answer may carry besides the guardrails' (Message.Flags).
const (
	// FlagUnanswered: the answer could not help (out of scope, no such
	// product or order, a failed verification).
	FlagUnanswered = "unanswered"
	// FlagWithPerson: the conversation is with a person; the assistant
	// only said so.
	FlagWithPerson = "with_person"
)

// draft is an answer being composed.
type draft struct {
	parts   []string
	cites   []Citation
	src     Sources
	handoff string // reason, "" for none
	intent  string
	flags   []string
	tools   []ToolCall
	usage   llm.Usage
	model   string
	conv    Conversation
}

func (d *draft) say(s string) {
	if s = strings.TrimSpace(s); s != "" {
		d.parts = append(d.parts, s)
	}
}

func (d *draft) cite(c Citation) {
	if !slices.Contains(d.cites, c) {
		d.cites = append(d.cites, c)
	}
}

// miss marks an answer that could not help.
func (d *draft) miss() { d.flag(FlagUnanswered) }

func (d *draft) flag(f string) {
	if !slices.Contains(d.flags, f) {
		d.flags = append(d.flags, f)
	}
}

// flagClosestRule marks a rule found as the closest one to a question the
// strict match missed (closestRule), not as the rule it asks.
const flagClosestRule = "closest_rule"

// absorb adds what a draft of one part of the message says (its
// sentences not yet said, its citations, sources and flags) to d.
func (d *draft) absorb(sub *draft) {
	for _, s := range sub.parts {
		if !slices.Contains(d.parts, s) {
			d.parts = append(d.parts, s)
		}
	}
	for _, c := range sub.cites {
		d.cite(c)
	}
	for _, p := range sub.src.Products {
		d.src.addProduct(p)
	}
	d.src.Facts = append(d.src.Facts, sub.src.Facts...)
	for _, f := range sub.flags {
		d.flag(f)
	}
}

// turn is what composing needs about the message.
type turn struct {
	req  Request
	sig  Signals
	lang string
	cust *customer.Customer // signed-in customer
	loc  *time.Location
	conv Conversation
	// pred is the classifier's reading of the message (nil: rules only);
	// learnedHandoff that a person should take it though the rules
	// would answer (see Assistant.learnedTurn).
	pred           *Prediction
	learnedHandoff bool
}

// Answer answers one customer message: it reads the conversation and the
// customer, brings the index up to date, composes the answer (with the
// model's tool calling or offline), passes it through the guardrails,
// records the turn and then emits its events. emit may be nil.
//
// Errors: Invalid for an empty or over-long message, an unknown customer
// or language; NotFound for an unknown conversation; Forbidden when the
// conversation belongs to another customer; Unavailable when the store or
// the model is down (a model that fails hands off instead when it can).
func (a *Assistant) Answer(ctx context.Context, req Request, emit func(Event) error) (Reply, error) {
	start := a.o.Now()
	if emit == nil {
		emit = func(Event) error { return nil }
	}
	req.Text = strings.TrimSpace(req.Text)
	if req.Text == "" {
		return Reply{}, apperr.New(apperr.Invalid, "the message is empty")
	}
	if n := utf8.RuneCountInString(req.Text); n > a.o.MaxRunes {
		return Reply{}, apperr.New(apperr.Invalid, "the message is %d characters long; the limit is %d", n, a.o.MaxRunes)
	}
	if req.Language != "" && req.Language != Zh && req.Language != En {
		return Reply{}, apperr.New(apperr.Invalid, "language %q: use zh or en", req.Language)
	}
	if req.Channel == "" {
		req.Channel = "api"
	}
	t := turn{req: req, loc: time.UTC}
	now := start.UTC()
	if req.ConversationID != "" {
		c, err := a.o.Recorder.GetConversation(ctx, req.ConversationID)
		if err != nil {
			return Reply{}, err
		}
		if c.CustomerID != "" && req.CustomerID != "" && c.CustomerID != req.CustomerID {
			return Reply{}, apperr.New(apperr.Forbidden, "conversation %s belongs to another customer", c.ID)
		}
		if req.CustomerID == "" {
			req.CustomerID = c.CustomerID
		}
		t.conv = c
	} else {
		t.conv = Conversation{ID: NewConversationID(), Channel: req.Channel, Status: ConvOpen, CreatedAt: now}
	}
	if req.CustomerID != "" {
		c, err := a.st.GetCustomer(ctx, req.CustomerID)
		if apperr.Is(err, apperr.NotFound) {
			return Reply{}, apperr.New(apperr.Invalid, "unknown customer %q", req.CustomerID)
		}
		if err != nil {
			return Reply{}, err
		}
		t.cust = &c
		if loc, err := time.LoadLocation(c.TimeZone); err == nil && c.TimeZone != "" {
			t.loc = loc
		}
	}
	t.lang = req.Language
	if t.lang == "" {
		t.lang = messageLanguage(req.Text, t.cust, t.conv.Language)
	}
	asked := req.Text // the customer's own words, stored (redacted)
	script, err := a.script(&t, req.Text)
	if err != nil {
		return Reply{}, err
	}
	if script == ScriptHant {
		// the rules and the retrieval read Simplified
		if req.Text, _, err = a.scripts.Fold(req.Text); err != nil {
			return Reply{}, err
		}
	}
	if t.lang == Zh {
		// 多久ship: the shop's Chinese rules say it in Chinese
		req.Text = zhServiceWords(req.Text)
	}
	t.sig = Analyze(req.Text, t.lang)
	t.req = req
	if err := a.learnedTurn(&t); err != nil {
		return Reply{}, err
	}
	t.conv.CustomerID, t.conv.Language, t.conv.Script, t.conv.UpdatedAt = req.CustomerID, t.lang, script, now
	if _, err := a.ix.Sync(ctx, a.st); err != nil {
		return Reply{}, err
	}

	d, err := a.compose(ctx, &t)
	if err != nil {
		return Reply{}, err
	}
	d.conv = t.conv
	text := a.finish(d, t.lang)
	if script == ScriptHant {
		if text, err = a.scripts.ToTraditional(text); err != nil {
			return Reply{}, err
		}
	}

	rep := Reply{ConversationID: t.conv.ID, Answer: text, Citations: d.cites, Handoff: d.handoff != "", HandoffReason: d.handoff, learned: t.pred,
		Intent: d.intent, Language: t.lang, Script: script, Flags: d.flags, ToolCalls: d.tools, Model: d.model, Usage: d.usage, Sources: d.src}
	if rep.Citations == nil {
		rep.Citations = []Citation{}
	}
	if rep.Model == "" {
		rep.Model = "offline/support-v1"
	}
	conv := d.conv
	if rep.Handoff {
		conv.Status = ConvHandoff
	} else if conv.Status == ConvClosed {
		conv.Status = ConvOpen
	}
	lat := a.o.Now().Sub(start)
	rep.LatencyMS = float64(lat.Microseconds()) / 1000
	tr := Turn{Conversation: conv,
		Question: Message{Role: RoleCustomer, Text: a.redact(asked, t.cust), Intent: rep.Intent, CreatedAt: now},
		Answer: Message{Role: RoleAssistant, Text: a.redact(text, t.cust), Intent: rep.Intent, Citations: rep.Citations, ToolCalls: a.redactTools(d.tools, t.cust),
			Handoff: rep.Handoff, Flags: rep.Flags, Model: rep.Model, LatencyMicros: lat.Microseconds(),
			PromptTokens: d.usage.PromptTokens, CompletionTokens: d.usage.CompletionTokens, CreatedAt: now}}
	if rep.Handoff {
		tr.Handoff = &Handoff{Reason: rep.HandoffReason, Summary: a.redact(summary(asked), t.cust), CreatedAt: now}
	}
	ids, err := a.o.Recorder.RecordTurn(ctx, tr)
	if err != nil {
		return Reply{}, err
	}
	rep.MessageID, rep.HandoffID = ids.Answer, ids.Handoff

	for _, chunk := range chunks(text, 12) {
		if err := emit(Event{Type: EventToken, Text: chunk}); err != nil {
			return rep, err
		}
	}
	for i := range rep.Citations {
		if err := emit(Event{Type: EventCitation, Citation: &rep.Citations[i]}); err != nil {
			return rep, err
		}
	}
	if rep.Handoff {
		r := rep
		if err := emit(Event{Type: EventHandoff, Reply: &r}); err != nil {
			return rep, err
		}
	}
	r := rep
	return rep, emit(Event{Type: EventDone, Reply: &r})
}

// compose drafts the answer. A conversation with a person gets only a
// note that the person will reply (the queue entry stays as it is); an
// answer that could not help, after one that could not either, becomes a
// hand-off.
func (a *Assistant) compose(ctx context.Context, t *turn) (*draft, error) {
	ph := phrasesFor(t.lang)
	if t.conv.Status == ConvHandoff {
		d := &draft{intent: t.sig.Intent(), handoff: ReasonWithPerson}
		d.flag(FlagWithPerson)
		d.say(ph.withPerson)
		return d, nil
	}
	var d *draft
	var err error
	if a.o.Model != nil {
		d, err = a.withModel(ctx, t)
	} else {
		d, err = a.offline(ctx, t)
	}
	if err != nil {
		return nil, err
	}
	if !slices.Contains(d.flags, FlagUnanswered) {
		t.conv.Misses = 0
		return d, nil
	}
	t.conv.Misses++
	if t.conv.Misses >= 2 && d.handoff == "" {
		d.handoff = ReasonRepeated
		d.parts, d.cites, d.src = nil, nil, Sources{}
		d.say(ph.handoffRepeated)
	}
	return d, nil
}

// script is the Chinese script to answer in: Traditional when the
// message folds to something else, Simplified when it has a character
// that only Simplified writes, else the conversation's (a message of
// characters both scripts share says nothing). English has none.
func (a *Assistant) script(t *turn, text string) (string, error) {
	if t.lang != Zh {
		return "", nil
	}
	_, sc, err := a.scripts.Fold(text)
	if err != nil || sc == ScriptHant {
		return sc, err
	}
	if t.conv.Script != ScriptHant {
		return ScriptHans, nil
	}
	trad, err := a.scripts.ToTraditional(text)
	if err != nil {
		return "", err
	}
	if trad != text {
		return ScriptHans, nil
	}
	return ScriptHant, nil
}

// finish runs the guardrails over the draft and returns the final text.
// An answer left empty by the repair, or one still unsupported, becomes a
// hand-off: the customer gets a person rather than a guess.
func (a *Assistant) finish(d *draft, lang string) string {
	ph := phrasesFor(lang)
	text := strings.Join(d.parts, sep(lang))
	g := a.guard.Check(text, lang, d.src)
	if len(g.Claims) > 0 {
		d.flag("ungrounded")
	}
	if len(g.AdLaw) > 0 {
		d.flag("adlaw")
	}
	if g.Repaired {
		d.flag("repaired")
		text = g.Text
	}
	if g.Empty || strings.TrimSpace(text) == "" {
		if d.handoff == "" {
			d.handoff = ReasonUngrounded
		}
		text = ph.handoffUngrounded
		d.cites = nil
	}
	// keep only the citations whose marker survived (or all, when the
	// answer has no inline markers)
	if strings.Contains(text, "[") {
		var kept []Citation
		for _, c := range d.cites {
			if strings.Contains(text, c.String()) {
				kept = append(kept, c)
			}
		}
		d.cites = kept
	}
	return text
}

func sep(lang string) string {
	if lang == Zh {
		return ""
	}
	return " "
}

// messageLanguage: the text's language when it has letters; else the
// conversation's, the customer's, or zh.
func messageLanguage(text string, c *customer.Customer, convLang string) string {
	letters := false
	for _, r := range text {
		if r > 127 || (r|0x20 >= 'a' && r|0x20 <= 'z') {
			letters = true
			break
		}
	}
	if letters {
		return DetectLanguage(text)
	}
	if convLang != "" {
		return convLang
	}
	if c != nil && (c.Language == Zh || c.Language == En) {
		return c.Language
	}
	return Zh
}

// redact replaces personal data with typed placeholders for storage.
func (a *Assistant) redact(text string, c *customer.Customer) string {
	var known []pii.Record
	if c != nil {
		known = append(known, pii.RecordOf(*c))
	}
	out, _ := pii.NewVault().Redact(a.o.PII, text, known...)
	return out
}

func (a *Assistant) redactTools(ts []ToolCall, c *customer.Customer) []ToolCall {
	out := make([]ToolCall, len(ts))
	for i, t := range ts {
		t.Arguments = a.redact(t.Arguments, c)
		t.Result = a.redact(t.Result, c)
		out[i] = t
	}
	return out
}

func summary(s string) string {
	rs := []rune(strings.Join(strings.Fields(s), " "))
	if len(rs) > 140 {
		return string(rs[:140]) + "…"
	}
	return string(rs)
}

// chunks splits text into fragments of about n runes for streaming.
func chunks(text string, n int) []string {
	rs := []rune(text)
	var out []string
	for i := 0; i < len(rs); i += n {
		out = append(out, string(rs[i:min(i+n, len(rs))]))
	}
	return out
}

// NewConversationID returns a random conversation id.
func NewConversationID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "conv-" + hex.EncodeToString(b[:])
}
