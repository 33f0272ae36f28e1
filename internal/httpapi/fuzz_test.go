package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/tracking/token"
)

// FuzzClickRedirect feeds any token to the click route: it answers 404, or
// a redirect to a destination that we signed and that the token itself
// carries. Nothing else, whatever the bytes.
//
//	go test -run XXX -fuzz FuzzClickRedirect -fuzztime 60s ./internal/httpapi
func FuzzClickRedirect(f *testing.F) {
	w := newWorld(f)
	codec, _ := token.New(secret)
	signed := map[string]bool{}
	for i, dest := range []string{"https://shop.example/sale", "https://shop.example/p/1?x=1#top", "http://127.0.0.1:9/a", "https://例子.测试/商品"} {
		u, err := w.links.Click(w.send(i%3), i, dest)
		if err != nil {
			f.Fatal(err)
		}
		tok := strings.TrimPrefix(u, w.srv.URL+token.ClickPath)
		cl, err := codec.Verify(tok, token.Click)
		if err != nil {
			f.Fatal(err)
		}
		signed[cl.URL] = true
		f.Add(tok)
	}
	for _, tok := range forge(f, w) {
		f.Add(tok)
	}
	f.Add("")
	f.Add("%2e%2e%2f")
	f.Fuzz(func(t *testing.T, tok string) {
		req := httptest.NewRequest("GET", "/t/c/x", nil)
		req.SetPathValue("token", tok)
		req.URL.Path = token.ClickPath + tok
		req.Header.Set("User-Agent", client)
		rec := httptest.NewRecorder()
		w.handler.ServeHTTP(rec, req)
		loc := rec.Header().Get("Location")
		switch rec.Code {
		case http.StatusNotFound:
			if loc != "" {
				t.Fatalf("404 with Location %q", loc)
			}
		case http.StatusFound:
			cl, err := codec.Verify(tok, token.Click)
			if err != nil || cl.URL != loc || !signed[loc] {
				t.Fatalf("redirect to %q for token %q: not a destination we signed (verify: %v)", loc, tok, err)
			}
		default:
			t.Fatalf("token %q: status %d", tok, rec.Code)
		}
	})
}
