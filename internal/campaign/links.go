package campaign

import (
	"html"
	"regexp"
	"strings"
)

// rewriteLinks sends every http(s) link of an email's HTML (our own
// template's output) through click, numbering them in order; the
// unsubscribe link stays as it is (it carries its own token). It scans
// for href="…" by hand: a regular expression over each message's whole
// HTML was a tenth of the send path's allocations.
func rewriteLinks(h, unsub string, click func(i int, dest string) string) string {
	const attr = `href="`
	var b strings.Builder
	b.Grow(len(h) + len(h)/4)
	i := 0
	for {
		k := strings.Index(h, attr)
		if k < 0 {
			break
		}
		end := strings.IndexByte(h[k+len(attr):], '"')
		if end < 0 {
			break
		}
		raw := h[k+len(attr) : k+len(attr)+end]
		b.WriteString(h[:k+len(attr)])
		dest := html.UnescapeString(raw)
		if dest == unsub || !(strings.HasPrefix(dest, "https://") || strings.HasPrefix(dest, "http://")) {
			b.WriteString(raw)
		} else {
			i++
			b.WriteString(htmlAttr(click(i, dest)))
		}
		b.WriteByte('"')
		h = h[k+len(attr)+end+1:]
	}
	b.WriteString(h)
	return b.String()
}

// htmlAttr escapes s for a double-quoted HTML attribute.
func htmlAttr(s string) string { return html.EscapeString(s) }

var urlRE = regexp.MustCompile(`https?://[^\s<>"'）)，。]+`)

// rewriteTextLinks sends the http(s) URLs of a text part through click,
// numbering them after the HTML's; the unsubscribe URL stays.
func rewriteTextLinks(text, unsub string, click func(i int, dest string) string) string {
	i := 100
	return urlRE.ReplaceAllStringFunc(text, func(u string) string {
		if u == unsub {
			return u
		}
		i++
		return click(i, u)
	})
}
