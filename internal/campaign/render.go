package campaign

import (
	"strings"
	"sync"
	"time"

	"github.com/chorusmkt/chorus/internal/content"
)

// nameSlot stands in for a recipient's first name while an email item is
// laid out once for all its recipients: three private-use runes, which no
// copy contains, html/template passes through unchanged in every context,
// and which fit the first-name budget of every language (content.SlotName
// keeps them).
const nameSlot = "\uE000\uE001\uE002"

// renderKey names one layout of an email: the item (as of its last
// update), the language, her product and whether her name fills the slot.
type renderKey struct {
	item    string
	updated time.Time
	lang    string
	sku     string
	named   bool
}

// layouts caches the HTML layout of email items for one campaign's
// content (it goes with campaignContent, so a reload starts afresh).
// html/template was a sixth of the send path's CPU, run once per message
// for a handful of distinct layouts.
type layouts struct {
	mu sync.Mutex
	m  map[renderKey]content.Message
}

const maxLayouts = 4096

// renderItem is content.Render(it, rc, t), with an email's layout made
// once per renderKey: the first name goes in per recipient, escaped for
// the HTML as html/template escapes text, so the result is the same
// bytes. Names that could change the layout itself (line breaks split
// paragraphs; a slot inside a name is filled again) are rendered whole.
func (cc *campaignContent) renderItem(it content.Item, rc content.Recipient, t content.Target) content.Message {
	if it.Channel != content.Email || strings.ContainsAny(rc.FirstName, "\r\n\x00\uE000\uE001\uE002") || strings.Contains(rc.FirstName, "{{") {
		return content.Render(it, rc, t)
	}
	generic := content.SlotName("", it.Language)
	name := content.SlotName(rc.FirstName, it.Language)
	named := name != generic
	key := renderKey{item: it.ID, updated: it.UpdatedAt, lang: t.Lang, sku: rc.Product.SKU, named: named}
	cc.layouts.mu.Lock()
	m, ok := cc.layouts.m[key]
	cc.layouts.mu.Unlock()
	if !ok {
		lr := rc
		lr.CustomerID, lr.FirstName = "", ""
		if named {
			lr.FirstName = nameSlot
		}
		m = content.Render(it, lr, t)
		cc.layouts.mu.Lock()
		if cc.layouts.m == nil {
			cc.layouts.m = map[renderKey]content.Message{}
		}
		if len(cc.layouts.m) < maxLayouts {
			cc.layouts.m[key] = m
		}
		cc.layouts.mu.Unlock()
	}
	m.CustomerID = rc.CustomerID
	if !named {
		return m
	}
	for _, f := range t.Spec.Fields {
		if !f.Array {
			if v := m.Copy.Field(f.Name); strings.Contains(v, nameSlot) {
				m.Copy.SetField(f.Name, strings.ReplaceAll(v, nameSlot, name))
			}
		}
	}
	m.HTML = strings.ReplaceAll(m.HTML, nameSlot, htmlTextEscaper.Replace(name))
	return m
}

// htmlTextEscaper escapes text as html/template does in text, RCDATA and
// quoted attribute contexts (its htmlReplacementTable).
var htmlTextEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")
