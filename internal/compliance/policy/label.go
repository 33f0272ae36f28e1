package policy

import (
	"strings"

	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/customer"
)

// Labeler adds the visible AI-content label that China's 2025 Measures for
// Labelling AI-Generated Synthetic Content require on generated copy.
type Labeler struct{ cfg config.AILabel }

// NewLabeler returns a labeler for cfg.
func NewLabeler(cfg config.AILabel) Labeler { return Labeler{cfg: cfg} }

// Placement returns where the label goes on channel: prefix, suffix or
// none (labelling disabled, or the channel labels the content itself).
func (l Labeler) Placement(channel string) string {
	if !l.cfg.Enabled {
		return "none"
	}
	if p := l.cfg.Placement[channel]; p != "" {
		return p
	}
	if l.cfg.Position != "" {
		return l.cfg.Position
	}
	return "suffix"
}

// Label returns text with the label for lang (zh… uses the Chinese label,
// anything else the English one) at the channel's placement. Chinese text
// takes the label in full-width parentheses with no space, other text in
// ASCII parentheses after a space. Text that already carries the label and
// empty text come back unchanged. A prefix on SMS goes after a leading
// 【signature】, which carriers require to open the message.
func (l Labeler) Label(text, channel, lang string) string {
	pos := l.Placement(channel)
	if pos == "none" || strings.TrimSpace(text) == "" {
		return text
	}
	zh := strings.HasPrefix(strings.ToLower(lang), "zh")
	label := l.cfg.EN
	if zh && l.cfg.ZH != "" || label == "" {
		label = l.cfg.ZH
	}
	if label == "" || strings.Contains(text, label) {
		return text
	}
	tag, sep := "("+label+")", " "
	if zh {
		tag, sep = "（"+label+"）", ""
	}
	if pos == "prefix" {
		head := ""
		if channel == customer.ChannelSMS && strings.HasPrefix(text, "【") {
			if i := strings.Index(text, "】"); i > 0 {
				head, text = text[:i+len("】")], text[i+len("】"):]
			}
		}
		return head + tag + sep + text
	}
	return strings.TrimRight(text, " ") + sep + tag
}
