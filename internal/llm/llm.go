// Package llm is the model layer: one Request/Result shape for chat
// generation, whatever provider produces it. Providers live in subpackages
// (openai for any OpenAI-compatible endpoint, offline for the built-in
// template writer); llmtest is a fake OpenAI-compatible server for tests.
//
// Consumers declare the small interface they need (e.g. content.Model); Model
// below is the full contract every provider and decorator (cache, limiter,
// retry, PII redaction) implements, so decorators stack.
package llm

import (
	"context"
	"encoding/json"
	"time"
)

// Roles of chat messages.
const (
	RoleSystem    = "system"
	RoleUser      = "user"
	RoleAssistant = "assistant"
	// RoleTool carries a tool's result back to the model (ToolCallID
	// names the call it answers).
	RoleTool = "tool"
)

// Message is one chat message. An assistant message that called tools
// has ToolCalls (and perhaps no Content); each tool message answers one
// of them.
type Message struct {
	Role       string     `json:"role"`
	Content    string     `json:"content"`
	ToolCalls  []ToolCall `json:"tool_calls,omitempty"`
	ToolCallID string     `json:"tool_call_id,omitempty"`
}

// Tool is a function the model may call: a name, what it does, and its
// parameters as a JSON Schema object.
type Tool struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Parameters  json.RawMessage `json:"parameters,omitempty"`
}

// ToolCall is one call the model made: its id (echoed by the tool
// message that answers it), the tool's name and the arguments as JSON
// text, unparsed, as the model wrote them.
type ToolCall struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

// Tool choices.
const (
	ToolChoiceAuto     = "auto"     // the model decides (the default)
	ToolChoiceNone     = "none"     // answer without calling tools
	ToolChoiceRequired = "required" // call at least one tool
)

// Request is one chat generation.
type Request struct {
	Messages    []Message `json:"messages"`
	Temperature *float64  `json:"temperature,omitempty"`
	MaxTokens   int       `json:"max_tokens,omitempty"`
	// N asks for N variants (choices); 0 means 1.
	N    int      `json:"n,omitempty"`
	Stop []string `json:"stop,omitempty"`
	// Schema, when set, asks for structured output: a JSON Schema the
	// answer must satisfy. Providers always validate in Go.
	Schema     json.RawMessage `json:"schema,omitempty"`
	SchemaName string          `json:"schema_name,omitempty"`
	Seed       *int64          `json:"seed,omitempty"`
	// Hints carry the structured facts a prompt was built from. Network
	// providers ignore them (the prompt already says it all); the offline
	// writer composes from them. They must be PII-free like the prompt.
	Hints *Hints `json:"hints,omitempty"`
	// Tools the model may call; an answer that calls them has
	// Choice.ToolCalls and FinishReason "tool_calls". ToolChoice is auto
	// (default), none or required.
	Tools      []Tool `json:"tools,omitempty"`
	ToolChoice string `json:"tool_choice,omitempty"`
	// Campaign and Item label the request for accounting and the request
	// log; they are not sent to the provider and not part of the cache key.
	Campaign string `json:"-"`
	Item     string `json:"-"`
}

// Hints are the facts behind a content prompt.
type Hints struct {
	Channel  string `json:"channel,omitempty"`  // ad, xiaohongshu, weibo, moments, instagram, email, sms, push, product, support
	Language string `json:"language,omitempty"` // zh | en
	// Fields are the keys the JSON answer must have, from this vocabulary:
	// headline, description, cta, title, body, hashtags (array of strings),
	// subject, preheader, body_text, text, caption, answer.
	Fields  []string      `json:"fields,omitempty"`
	Product *ProductFacts `json:"product,omitempty"`
	Persona *PersonaFacts `json:"persona,omitempty"`
	Brief   *BriefFacts   `json:"brief,omitempty"`
	Voice   *VoiceFacts   `json:"voice,omitempty"`
	// Limits are rune budgets per field (e.g. "title": 20).
	Limits map[string]int `json:"limits,omitempty"`
	// Minimums are the fewest runes a field needs (a landing page's
	// description is more than a line).
	Minimums map[string]int `json:"minimums,omitempty"`
	// Slots are placeholders the copy may use verbatim, e.g. "{{first_name}}".
	Slots []string `json:"slots,omitempty"`
	// Variation is the unit's place among its campaign's units on the
	// same channel and language (0, 1, 2, …), so that a writer composing
	// from templates spreads its constructions evenly over the campaign;
	// nil outside a campaign.
	Variation *int `json:"variation,omitempty"`
}

// ProductFacts are catalog facts about the product the copy is about.
type ProductFacts struct {
	SKU           string   `json:"sku,omitempty"`
	Title         string   `json:"title"`
	Description   string   `json:"description,omitempty"`
	Category      string   `json:"category,omitempty"`
	Brand         string   `json:"brand,omitempty"`
	Price         float64  `json:"price,omitempty"`
	Currency      string   `json:"currency,omitempty"`
	SellingPoints []string `json:"selling_points,omitempty"`
	URL           string   `json:"url,omitempty"`
	Tags          []string `json:"tags,omitempty"`
	// PriceBand is where the price sits in its catalog: budget, mid,
	// premium or luxury.
	PriceBand string `json:"price_band,omitempty"`
}

// PersonaFacts describe the (PII-free) reader.
type PersonaFacts struct {
	AgeBand    string   `json:"age_band,omitempty"` // e.g. "25-29"
	Age        int      `json:"age,omitempty"`
	Gender     string   `json:"gender,omitempty"`
	Occupation string   `json:"occupation,omitempty"`
	Interests  []string `json:"interests,omitempty"`
	City       string   `json:"city,omitempty"`
	Segment    string   `json:"segment,omitempty"`
	Lifecycle  string   `json:"lifecycle,omitempty"`
	// RecentPurchases are titles of products the reader bought (at cohort
	// depth: that every reader of the cohort bought), newest first.
	RecentPurchases []string `json:"recent_purchases,omitempty"`
}

// BriefFacts are the campaign brief's facts.
type BriefFacts struct {
	Goal     string   `json:"goal,omitempty"`
	Offer    string   `json:"offer,omitempty"` // exact wording, e.g. "全场8折" / "20% off"
	Deadline string   `json:"deadline,omitempty"`
	Tone     string   `json:"tone,omitempty"`
	MustSay  []string `json:"must_say,omitempty"`
	MustNot  []string `json:"must_not,omitempty"`
	Sender   string   `json:"sender,omitempty"` // SMS signature, e.g. 【Lumen】
	// OptOut is the exact SMS opt-out text (回T退订, Reply STOP to opt
	// out); the content layer owns it, writers copy it verbatim.
	OptOut string `json:"opt_out,omitempty"`
	// Occasion is what the campaign is built around (double11,
	// christmas, … — see content/lexicon), "" for none.
	Occasion string `json:"occasion,omitempty"`
}

// VoiceFacts are the brand voice.
type VoiceFacts struct {
	Brand      string   `json:"brand,omitempty"`
	Tone       string   `json:"tone,omitempty"`
	Vocabulary []string `json:"vocabulary,omitempty"`
	Taboo      []string `json:"taboo,omitempty"`
	Emoji      string   `json:"emoji,omitempty"` // none | light | rich
}

// Usage counts tokens.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// Add accumulates o into u.
func (u *Usage) Add(o Usage) {
	u.PromptTokens += o.PromptTokens
	u.CompletionTokens += o.CompletionTokens
	u.TotalTokens += o.TotalTokens
}

// Choice is one variant of an answer.
type Choice struct {
	Text string `json:"text"`
	// JSON is the parsed, schema-valid answer when the request had a Schema.
	JSON         json.RawMessage `json:"json,omitempty"`
	FinishReason string          `json:"finish_reason,omitempty"`
	// ToolCalls are the tools the model asked to call instead of (or
	// before) answering.
	ToolCalls []ToolCall `json:"tool_calls,omitempty"`
}

// Result is a provider's answer.
type Result struct {
	Choices  []Choice      `json:"choices"`
	Usage    Usage         `json:"usage"`
	Model    string        `json:"model"`
	Provider string        `json:"provider"` // "offline", "openai", …
	Latency  time.Duration `json:"latency"`
	Cached   bool          `json:"cached,omitempty"`
	// Attempts is the number of HTTP requests made (1 without retries).
	Attempts int `json:"attempts,omitempty"`
}

// Text is the first choice's text, or "".
func (r Result) Text() string {
	if len(r.Choices) == 0 {
		return ""
	}
	return r.Choices[0].Text
}

// ToolCalls are the first choice's tool calls, or nil.
func (r Result) ToolCalls() []ToolCall {
	if len(r.Choices) == 0 {
		return nil
	}
	return r.Choices[0].ToolCalls
}

// JSON is the first choice's parsed JSON, or nil.
func (r Result) JSON() json.RawMessage {
	if len(r.Choices) == 0 {
		return nil
	}
	return r.Choices[0].JSON
}

// Model is the full contract of a provider. Generate returns an
// *apperr.Error of kind Unavailable for transient failures that survived
// retries, Invalid for requests the provider rejects or answers that stay
// invalid after repair. Stream calls onDelta with each text fragment and
// returns the assembled Result; it supports N == 1 only.
type Model interface {
	Generate(ctx context.Context, req Request) (Result, error)
	Stream(ctx context.Context, req Request, onDelta func(string) error) (Result, error)
	// Name is "provider/model", e.g. "offline/template-v1".
	Name() string
}
