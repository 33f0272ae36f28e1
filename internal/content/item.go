package content

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/llm"
)

// Copy is a model's answer: the fields of the channel, with the key
// vocabulary shared with llm.Hints.Fields.
type Copy struct {
	Headline    string   `json:"headline,omitempty"`
	Description string   `json:"description,omitempty"`
	CTA         string   `json:"cta,omitempty"`
	Title       string   `json:"title,omitempty"`
	Body        string   `json:"body,omitempty"`
	Hashtags    []string `json:"hashtags,omitempty"`
	Subject     string   `json:"subject,omitempty"`
	Preheader   string   `json:"preheader,omitempty"`
	BodyText    string   `json:"body_text,omitempty"`
	Text        string   `json:"text,omitempty"`
	Caption     string   `json:"caption,omitempty"`
	Answer      string   `json:"answer,omitempty"`
}

// Field returns a string field by its key ("" for hashtags or unknown).
func (c Copy) Field(name string) string {
	switch name {
	case "headline":
		return c.Headline
	case "description":
		return c.Description
	case "cta":
		return c.CTA
	case "title":
		return c.Title
	case "body":
		return c.Body
	case "subject":
		return c.Subject
	case "preheader":
		return c.Preheader
	case "body_text":
		return c.BodyText
	case "text":
		return c.Text
	case "caption":
		return c.Caption
	case "answer":
		return c.Answer
	case "hashtags":
		return strings.Join(c.Hashtags, " ")
	}
	return ""
}

// SetField sets a string field by its key; it reports false for an
// unknown key.
func (c *Copy) SetField(name, v string) bool {
	switch name {
	case "headline":
		c.Headline = v
	case "description":
		c.Description = v
	case "cta":
		c.CTA = v
	case "title":
		c.Title = v
	case "body":
		c.Body = v
	case "subject":
		c.Subject = v
	case "preheader":
		c.Preheader = v
	case "body_text":
		c.BodyText = v
	case "text":
		c.Text = v
	case "caption":
		c.Caption = v
	case "answer":
		c.Answer = v
	case "hashtags":
		c.Hashtags = splitTags(v)
	default:
		return false
	}
	return true
}

func splitTags(v string) []string {
	var out []string
	for _, t := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '，' }) {
		t = strings.Trim(t, "#")
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// All is every field's text joined, for checks that look at the whole
// message (grounding, compliance, language).
func (c Copy) All(spec Spec) string {
	var parts []string
	for _, f := range spec.Fields {
		if v := c.Field(f.Name); v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, "\n")
}

// Item statuses. An item starts as draft when it passed every check and as
// flagged when something still failed after the repair rounds; people then
// approve or reject it.
const (
	StatusDraft    = "draft"
	StatusFlagged  = "flagged"
	StatusApproved = "approved"
	StatusRejected = "rejected"
)

// Violation is one broken rule, worded so it can be sent back to the
// model verbatim.
type Violation struct {
	Field   string `json:"field,omitempty"`
	Rule    string `json:"rule"` // schema, budget, language, required, product, grounding, compliance, voice, brief, emoji, lint
	Message string `json:"message"`
	// Code and Span say which lint check found it and where (rule lint).
	Code string   `json:"code,omitempty"`
	Span TextSpan `json:"span,omitzero"`
}

func (v Violation) String() string {
	msg := v.Message
	if v.Code != "" {
		msg = v.Code + ": " + msg
	}
	if v.Field != "" {
		return v.Field + ": " + msg
	}
	return msg
}

// Item is one generated message variant.
type Item struct {
	ID       string `json:"id"`
	RunID    string `json:"run_id,omitempty"`
	UnitKey  string `json:"unit_key,omitempty"`
	Variant  int    `json:"variant"`
	Channel  string `json:"channel"`
	Language string `json:"language"`
	Segment  string `json:"segment,omitempty"`
	// Cohort is the cohort key at cohort depth, the customer id at
	// individual depth, the segment at segment depth.
	Cohort     string      `json:"cohort,omitempty"`
	CustomerID string      `json:"customer_id,omitempty"`
	SKU        string      `json:"sku,omitempty"`
	Status     string      `json:"status"`
	Copy       Copy        `json:"copy"`
	HTML       string      `json:"html,omitempty"`
	SMS        *SMSCount   `json:"sms,omitempty"`
	Violations []Violation `json:"violations,omitempty"`
	// Rounds is the number of repair rounds the item needed.
	Rounds        int       `json:"rounds"`
	Model         string    `json:"model,omitempty"`
	PromptVersion string    `json:"prompt_version,omitempty"`
	Slots         []string  `json:"slots,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
	// AIGenerated marks machine-written copy (a model's or the offline
	// writer's), which must carry a visible AI label when published
	// (compliance/policy.Labeler). A person's later edit does not clear it.
	AIGenerated bool `json:"ai_generated"`
}

// Audit is one entry of an item's trail.
type Audit struct {
	ItemID string    `json:"item_id"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"` // generated, flagged, approved, rejected, edited
	From   string    `json:"from,omitempty"`
	To     string    `json:"to"`
	Note   string    `json:"note,omitempty"`
}

// Unit is the record of one completed generation unit (one prompt, its
// variants and their repairs): what it cost.
type Unit struct {
	RunID   string    `json:"run_id"`
	Key     string    `json:"key"`
	Calls   int       `json:"calls"`
	Usage   llm.Usage `json:"usage"`
	Flagged int       `json:"flagged"`
	At      time.Time `json:"at"`
}

// Transition checks a status change and returns the audit action. Rejected
// items may be re-opened only by editing them.
func Transition(from, to string) (string, error) {
	switch to {
	case StatusApproved:
		if from == StatusDraft || from == StatusFlagged {
			return "approved", nil
		}
	case StatusRejected:
		if from == StatusDraft || from == StatusFlagged || from == StatusApproved {
			return "rejected", nil
		}
	case StatusDraft, StatusFlagged:
		return "edited", nil
	}
	return "", apperr.New(apperr.Conflict, "an item that is %s cannot become %s", from, to)
}

// parseCopy decodes a model's JSON answer into Copy, keeping hashtags
// clean ("#tag" and "tag" are the same tag).
func parseCopy(js json.RawMessage) (Copy, error) {
	var c Copy
	if err := json.Unmarshal(js, &c); err != nil {
		return c, apperr.Wrap(err, apperr.Invalid, "answer does not match the copy fields")
	}
	var tags []string
	for _, t := range c.Hashtags {
		t = strings.TrimSpace(strings.Trim(strings.TrimSpace(t), "#"))
		if t != "" && !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	c.Hashtags = tags
	return c, nil
}
