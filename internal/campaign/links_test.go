package campaign

import (
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
