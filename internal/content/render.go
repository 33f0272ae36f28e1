package content

import (
	"html/template"
	"strings"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/content/lexicon"
)

// UnsubscribePlaceholder is replaced by the delivery layer with the
// recipient's one-click unsubscribe URL.
const UnsubscribePlaceholder = "{{unsubscribe_url}}"

// emailTmpl lays out an email with inline styles only (mail clients strip
// <style>), a personalised product block and the unsubscribe link.
// html/template escapes every model-written string, so the copy cannot
// inject markup.
var emailTmpl = template.Must(template.New("email").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{.Copy.Subject}}</title></head>
<body style="margin:0;padding:0;background:#f4f4f5;font-family:-apple-system,'PingFang SC','Microsoft YaHei',Helvetica,Arial,sans-serif;color:#18181b;">
<span style="display:none;max-height:0;overflow:hidden;opacity:0;">{{.Copy.Preheader}}</span>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f4f5;"><tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" style="max-width:600px;width:100%;background:#ffffff;border-radius:8px;">
<tr><td style="padding:24px 32px 8px 32px;font-size:13px;color:#71717a;">{{.Brand}}</td></tr>
<tr><td style="padding:8px 32px;font-size:15px;line-height:1.7;">{{range .Paragraphs}}<p style="margin:0 0 14px 0;">{{.}}</p>{{end}}</td></tr>
{{- with .Product}}
<tr><td style="padding:8px 32px;"><table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border:1px solid #e4e4e7;border-radius:6px;">
<tr>{{if .ImageURL}}<td width="120" style="padding:12px;"><img src="{{.ImageURL}}" width="120" alt="{{.Title}}" style="display:block;border:0;border-radius:4px;"></td>{{end}}
<td style="padding:12px;font-size:14px;line-height:1.6;"><div style="font-weight:600;">{{.Title}}</div>{{if $.Price}}<div style="color:#b91c1c;font-size:16px;">{{$.Price}}</div>{{end}}</td></tr></table></td></tr>
{{- end}}
<tr><td align="center" style="padding:16px 32px 24px 32px;"><a href="{{.URL}}" style="display:inline-block;background:#18181b;color:#ffffff;text-decoration:none;padding:12px 28px;border-radius:6px;font-size:15px;">{{.Copy.CTA}}</a></td></tr>
<tr><td style="padding:16px 32px 24px 32px;font-size:12px;color:#a1a1aa;border-top:1px solid #f4f4f5;">{{.Footer}} <a href="{{.Unsub}}" style="color:#71717a;">{{.UnsubLabel}}</a></td></tr>
</table></td></tr></table></body></html>`))

// RenderEmailHTML lays the email copy out as safe, inline-styled HTML with
// the product block and the {{unsubscribe_url}} placeholder.
func RenderEmailHTML(c Copy, t Target) string {
	var paras []string
	for _, p := range strings.Split(strings.ReplaceAll(c.BodyText, "\r\n", "\n"), "\n") {
		if p = strings.TrimSpace(p); p != "" {
			paras = append(paras, p)
		}
	}
	data := struct {
		Lang, Brand, Price, Footer, UnsubLabel string
		URL, Unsub                             template.URL
		Copy                                   Copy
		Paragraphs                             []string
		Product                                *catalog.Product
	}{Lang: t.Lang, Brand: t.Voice.Brand, Copy: c, Paragraphs: paras, Product: displayProduct(t.Product),
		URL: template.URL(safeURL(t.Brief.LandingURL, t.Product)), Unsub: template.URL(UnsubscribePlaceholder)}
	if t.Product != nil && t.Product.Price > 0 {
		data.Price = FormatPrice(t.Product.Price, t.Product.Currency)
	}
	switch {
	case t.Lang == Zh && t.Voice.Brand != "":
		data.Footer, data.UnsubLabel = "您收到这封邮件是因为您订阅了"+t.Voice.Brand+"的消息。", "退订"
	case t.Lang == Zh:
		data.Footer, data.UnsubLabel = "您收到这封邮件是因为您订阅了我们的消息。", "退订"
	case t.Voice.Brand != "":
		data.Footer, data.UnsubLabel = "You receive this because you subscribed to "+t.Voice.Brand+".", "Unsubscribe"
	default:
		data.Footer, data.UnsubLabel = "You receive this because you subscribed to our messages.", "Unsubscribe"
	}
	var b strings.Builder
	if err := emailTmpl.Execute(&b, data); err != nil {
		return ""
	}
	// html/template percent-encodes the braces of the placeholder inside
	// href; the delivery layer looks for it verbatim.
	return strings.ReplaceAll(b.String(), "%7b%7bunsubscribe_url%7d%7d", UnsubscribePlaceholder)
}

// displayProduct is the product block's product, its title as copy
// writes it.
func displayProduct(p *catalog.Product) *catalog.Product {
	if p == nil {
		return nil
	}
	d := *p
	d.Title = lexicon.DisplayTitle(p.Title)
	return &d
}

// safeURL keeps only http(s) links; anything else becomes "#".
func safeURL(landing string, p *catalog.Product) string {
	u := landing
	if u == "" && p != nil {
		u = p.URL
	}
	if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
		return u
	}
	return "#"
}

// Recipient is one customer a personalised message goes to. FirstName is
// PII: it is used only to fill slots locally and never reaches a prompt.
type Recipient struct {
	CustomerID string `json:"customer_id"`
	FirstName  string `json:"-"`
	Language   string `json:"language"`
	Segment    string `json:"segment"`
	Interest   string `json:"interest,omitempty"`
	// Interests are all her stated interests (or top categories); a
	// cohort is keyed by the first her product serves.
	Interests []string `json:"interests,omitempty"`
	// Recent are titles of products she bought, newest first.
	Recent []string `json:"-"`
	// Product is the customer's own recommended product: her first
	// recommendation, or at cohort depth the one of her top recommendations
	// (Choices) that most of the audience shares (see Pack).
	Product catalog.Product `json:"product"`
	// Choices are her top recommendations in her language, best first.
	Choices []catalog.Product `json:"-"`
	// OptOut: the customer revoked personalised marketing (PIPL Art. 24).
	OptOut  bool   `json:"opt_out,omitempty"`
	AgeBand string `json:"age_band,omitempty"`
	Gender  string `json:"gender,omitempty"`
}

// Message is an item rendered for one recipient.
type Message struct {
	ItemID     string    `json:"item_id"`
	CustomerID string    `json:"customer_id"`
	Channel    string    `json:"channel"`
	Copy       Copy      `json:"copy"`
	HTML       string    `json:"html,omitempty"`
	SMS        *SMSCount `json:"sms,omitempty"`
}

// SlotName is what the first-name slot of an item in language lang says
// for a recipient whose first name is firstName: the name, or a generic
// greeting when it is unknown or longer than the slot's budget stand-in.
// Render uses it; a sender that renders an item once and fills the name
// per recipient uses it too.
func SlotName(firstName, lang string) string {
	name := strings.TrimSpace(firstName)
	if name == "" || Runes(name) > Runes(slotStandIn(SlotFirstName, lang, nil)) {
		if lang == En {
			return "there"
		}
		return "您"
	}
	return name
}

// Render fills an item's slots for one recipient, locally and without a
// model call. A first name that would push an SMS past its budget (or is
// unknown) falls back to a generic greeting, so rendering never breaks a
// budget the item was validated for.
func Render(it Item, r Recipient, t Target) Message {
	name := SlotName(r.FirstName, it.Language)
	fill := func(s string) string {
		s = strings.ReplaceAll(s, SlotFirstName, name)
		return strings.ReplaceAll(s, SlotProduct, r.Product.Title)
	}
	c := it.Copy
	for _, f := range t.Spec.Fields {
		if !f.Array {
			c.SetField(f.Name, fill(c.Field(f.Name)))
		}
	}
	m := Message{ItemID: it.ID, CustomerID: r.CustomerID, Channel: it.Channel, Copy: c}
	if it.Channel == SMS {
		sc := CountSMS(c.Text)
		m.SMS = &sc
	}
	if it.Channel == Email {
		t.Product = &r.Product
		m.HTML = RenderEmailHTML(c, t)
	}
	return m
}
