package webtest

import (
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestBrowser(t *testing.T) {
	ctx := Browser(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><title>t</title><h1>你好 chorus</h1>`))
	}))
	defer srv.Close()
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}
	h1, err := chromedp.Run(ctx, chromedp.Text("h1"))
	if err != nil || h1 != "你好 chorus" {
		t.Fatalf("h1 %q, %v", h1, err)
	}
	p := Screenshot(t, ctx, Artifacts(t), "smoke")
	if fi, err := os.Stat(p); err != nil || fi.Size() < 100 {
		t.Fatalf("screenshot %s: %v", p, err)
	}
}
