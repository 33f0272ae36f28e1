package smtp

import (
	"html"
	"net"
	"net/mail"
	"net/url"
	"regexp"
	"strings"

	gomail "github.com/wneessen/go-mail"

	"github.com/chorusmkt/chorus/internal/delivery"
)

// build turns a delivery message into a go-mail message, or a Permanent
// delivery error.
func (s *Sender) build(m delivery.Message) (*gomail.Msg, string, error) {
	if m.Channel == "" {
		m.Channel = delivery.Email
	}
	if err := m.Validate(); err != nil {
		return nil, "", err
	}
	invalid := func(code, msg string) error {
		return &delivery.Error{Class: delivery.Permanent, Code: code, Msg: msg}
	}
	if m.Channel != delivery.Email {
		return nil, "", invalid(delivery.CodeInvalidMessage, "the email sender got a "+m.Channel+" message")
	}
	to, err := mail.ParseAddress(strings.TrimSpace(m.To))
	if err != nil || strings.ContainsAny(to.Address, " \r\n") || delivery.Domain(to.Address) == "" {
		return nil, "", invalid(delivery.CodeInvalidAddress, "the recipient is not an e-mail address")
	}
	name := m.ToName
	if name == "" {
		name = to.Name
	}
	marketing := m.Purpose == "" || m.Purpose == "marketing"
	if marketing && m.UnsubscribeURL == "" {
		return nil, "", invalid(delivery.CodeInvalidMessage, "a marketing email needs an unsubscribe link (RFC 8058, and the law of most countries)")
	}

	// Bodies: an HTML-only or text-only message gets the other part, so
	// every message is multipart/alternative.
	text, htm := m.Text, m.HTML
	if strings.TrimSpace(text) == "" {
		text = TextFromHTML(htm)
	}
	if strings.TrimSpace(htm) == "" {
		htm = HTMLFromText(text, m.Language)
	}

	enc := gomail.EncodingQP
	if mostlyNonASCII(m.Subject + text) {
		enc = gomail.EncodingB64 // CJK: base64 is a third smaller than quoted-printable
	}
	msg := gomail.NewMsg(gomail.WithEncoding(enc), gomail.WithNoDefaultUserAgent())
	if err := msg.FromFormat(s.ep.fromName, s.ep.fromAddr); err != nil {
		return nil, "", invalid(delivery.CodeInvalidMessage, "the sender address is not valid")
	}
	if err := msg.AddToFormat(name, to.Address); err != nil {
		return nil, "", invalid(delivery.CodeInvalidAddress, "the recipient is not an e-mail address")
	}
	if s.ep.replyTo != "" {
		if err := msg.ReplyTo(s.ep.replyTo); err != nil {
			return nil, "", invalid(delivery.CodeInvalidMessage, "the reply-to address is not valid")
		}
	}
	msg.Subject(m.Subject)
	msg.SetDateWithValue(s.now())
	msg.SetMessageIDWithValue(delivery.MessageID(m.Key, s.ep.domain))
	if m.Language != "" {
		msg.SetGenHeader(gomail.HeaderContentLang, m.Language)
	}
	if m.UnsubscribeURL != "" {
		var extra []string
		if m.UnsubscribeMailto != "" {
			if !strings.HasPrefix(m.UnsubscribeMailto, "mailto:") {
				return nil, "", invalid(delivery.CodeInvalidMessage, "the unsubscribe mailto must start with mailto:")
			}
			extra = append(extra, m.UnsubscribeMailto)
		}
		u, err := url.Parse(m.UnsubscribeURL)
		switch {
		case err == nil && u.Scheme == "https" && u.Host != "":
			if err := msg.SetListUnsubscribeOneClick(m.UnsubscribeURL, extra...); err != nil {
				return nil, "", invalid(delivery.CodeInvalidMessage, "the unsubscribe link is not a valid https URL")
			}
		case err == nil && u.Scheme == "http" && isLoopback(u.Hostname()):
			// A tracking server on this machine (development, tests):
			// RFC 8058 wants https, receivers here do not care.
			uris := append([]string{"<" + u.String() + ">"}, wrap(extra)...)
			msg.SetGenHeaderPreformatted(gomail.HeaderListUnsubscribe, strings.Join(uris, ", "))
			msg.SetGenHeaderPreformatted(gomail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
		default:
			return nil, "", invalid(delivery.CodeInvalidMessage, "the unsubscribe link must be an https URL (http only on a loopback host)")
		}
	}
	if m.CampaignID != "" {
		// Gmail's feedback loop groups complaints by these fields.
		msg.SetGenHeader("Feedback-ID", feedbackPart(m.CampaignID)+":"+feedbackPart(m.Variant)+":email:chorus")
	}
	if marketing {
		msg.SetGenHeader(gomail.HeaderPrecedence, "bulk")
		msg.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "OOF, AutoReply")
	}
	msg.SetBodyString(gomail.TypeTextPlain, text)
	msg.AddAlternativeString(gomail.TypeTextHTML, htm)
	return msg, to.Address, nil
}

func wrap(uris []string) []string {
	out := make([]string, len(uris))
	for i, u := range uris {
		out[i] = "<" + u + ">"
	}
	return out
}

func feedbackPart(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == ':' || r < 0x21 || r > 0x7e {
			return '-'
		}
		return r
	}, s)
	if s == "" {
		return "-"
	}
	return s
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func mostlyNonASCII(s string) bool {
	non := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			non++
		}
	}
	return non*3 > len(s)
}

var (
	blockRE = regexp.MustCompile(`(?is)<(script|style|head)[^>]*>.*?</(script|style|head)>`)
	breakRE = regexp.MustCompile(`(?i)<br\s*/?>|</(p|div|h[1-6]|li|tr|table)>`)
	itemRE  = regexp.MustCompile(`(?i)<li[^>]*>`)
	linkRE  = regexp.MustCompile(`(?is)<a\s[^>]*href\s*=\s*["']([^"']+)["'][^>]*>(.*?)</a>`)
	tagRE   = regexp.MustCompile(`(?s)<[^>]*>`)
	spaceRE = regexp.MustCompile(`[ \t]+`)
	blankRE = regexp.MustCompile(`\n{3,}`)
)

// TextFromHTML derives the plain-text alternative of an HTML body: blocks
// become lines, links keep their target in parentheses, entities are
// decoded.
func TextFromHTML(h string) string {
	h = blockRE.ReplaceAllString(h, "")
	h = linkRE.ReplaceAllStringFunc(h, func(a string) string {
		m := linkRE.FindStringSubmatch(a)
		label := strings.TrimSpace(tagRE.ReplaceAllString(m[2], ""))
		href := html.UnescapeString(m[1])
		if label == "" || html.UnescapeString(label) == href {
			return href
		}
		return label + " (" + href + ")"
	})
	h = itemRE.ReplaceAllString(h, "• ")
	h = breakRE.ReplaceAllString(h, "\n")
	h = tagRE.ReplaceAllString(h, "")
	h = html.UnescapeString(h)
	lines := strings.Split(h, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(spaceRE.ReplaceAllString(l, " "))
	}
	return strings.TrimSpace(blankRE.ReplaceAllString(strings.Join(lines, "\n"), "\n\n")) + "\n"
}

var urlRE = regexp.MustCompile(`https?://[^\s<>"]+`)

// HTMLFromText derives the HTML alternative of a text body: paragraphs at
// blank lines, line breaks kept, URLs made links, everything escaped.
func HTMLFromText(t, lang string) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html")
	if lang != "" {
		b.WriteString(` lang="` + html.EscapeString(lang) + `"`)
	}
	b.WriteString(`><head><meta charset="utf-8"></head><body>` + "\n")
	for _, para := range strings.Split(strings.ReplaceAll(strings.TrimSpace(t), "\r\n", "\n"), "\n\n") {
		lines := strings.Split(para, "\n")
		for i, l := range lines {
			var lb strings.Builder
			last := 0
			for _, loc := range urlRE.FindAllStringIndex(l, -1) {
				lb.WriteString(html.EscapeString(l[last:loc[0]]))
				u := html.EscapeString(l[loc[0]:loc[1]])
				lb.WriteString(`<a href="` + u + `">` + u + `</a>`)
				last = loc[1]
			}
			lb.WriteString(html.EscapeString(l[last:]))
			lines[i] = lb.String()
		}
		b.WriteString("<p>" + strings.Join(lines, "<br>\n") + "</p>\n")
	}
	b.WriteString("</body></html>\n")
	return b.String()
}
