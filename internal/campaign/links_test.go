package campaign

import (
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestRewriteLinks(t *testing.T) {
	click := func(i int, dest string) string { return "https://t.example/c/" + strconv.Itoa(i) + "?d=" + dest }
	h := `<a href="https://shop.example.com/p?a=1&amp;b=2">x</a><a href="https://t.example/u/TOK">unsub</a><a href="#">top</a><img src="https://img/x.png">`
	got := rewriteLinks(h, "https://t.example/u/TOK", click)
	if !strings.Contains(got, `href="https://t.example/c/1?d=https://shop.example.com/p?a=1&amp;b=2"`) {
		t.Errorf("landing link not tracked (or not re-escaped): %s", got)
	}
	if !strings.Contains(got, `href="https://t.example/u/TOK"`) || !strings.Contains(got, `href="#"`) || !strings.Contains(got, `src="https://img/x.png"`) {
		t.Errorf("unsubscribe, anchors and images must stay: %s", got)
	}
	text := "马上拥有：https://shop.example.com/zh/p/1。\n退订：https://t.example/u/TOK"
	got = rewriteTextLinks(text, "https://t.example/u/TOK", click)
	if !strings.Contains(got, "https://t.example/c/101?d=https://shop.example.com/zh/p/1。") || !strings.HasSuffix(got, "退订：https://t.example/u/TOK") {
		t.Errorf("text links: %s", got)
	}
}

// TestRewriteLinksAsRegexp holds the hand scan to the regular
// expression it replaced, href="([^"]*)", on edge cases.
func TestRewriteLinksAsRegexp(t *testing.T) {
	re := regexp.MustCompile(`href="([^"]*)"`)
	oracle := func(h, unsub string, click func(int, string) string) string {
		i := 0
		return re.ReplaceAllStringFunc(h, func(m string) string {
			dest := html.UnescapeString(re.FindStringSubmatch(m)[1])
			if dest == unsub || !(strings.HasPrefix(dest, "https://") || strings.HasPrefix(dest, "http://")) {
				return m
			}
			i++
			return `href="` + htmlAttr(click(i, dest)) + `"`
		})
	}
	click := func(i int, dest string) string { return "https://t.example/c/" + strconv.Itoa(i) + "?d=" + dest }
	for _, h := range []string{
		"", "no links", `href="`, `<a href="https://a.example/">a</a><a href="http://b.example/?x=1&amp;y=2">b</a>`,
		`<a href="">e</a><a href="https://u.example/TOK">u</a><a href="mailto:x@y">m</a> tail href="https://c.example/`,
		`<a data-href="https://d.example/">d</a><a href="https://全角.example/路径">zh</a>`,
	} {
		if got, want := rewriteLinks(h, "https://u.example/TOK", click), oracle(h, "https://u.example/TOK", click); got != want {
			t.Errorf("rewriteLinks(%q)\n got %q\nwant %q", h, got, want)
		}
	}
}
