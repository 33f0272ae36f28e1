package campaign

import (
	"html"
	"regexp"
	"strings"
)

var hrefRE = regexp.MustCompile(`href="([^"]*)"`)

// rewriteLinks sends every http(s) link of an email's HTML (our own
// template's output) through click, numbering them in order; the
// unsubscribe link stays as it is (it carries its own token).
func rewriteLinks(h, unsub string, click func(i int, dest string) string) string {
	i := 0
	return hrefRE.ReplaceAllStringFunc(h, func(m string) string {
		dest := html.UnescapeString(hrefRE.FindStringSubmatch(m)[1])
		if dest == unsub || !(strings.HasPrefix(dest, "https://") || strings.HasPrefix(dest, "http://")) {
			return m
		}
		i++
		return `href="` + htmlAttr(click(i, dest)) + `"`
	})
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
