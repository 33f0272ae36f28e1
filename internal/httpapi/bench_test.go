package httpapi_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/rusage"
	"github.com/chorusmkt/chorus/internal/tracking/token"
)

// BenchmarkClickHandler is the click route without the network: token
// check, machine detection, Record and the redirect, with the recorder
// writing to SQLite behind it.
func BenchmarkClickHandler(b *testing.B) {
	w := newWorld(b)
	u, _ := w.links.Click(w.send(0), 0, "https://shop.example/sale")
	path := strings.TrimPrefix(u, w.srv.URL)
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("User-Agent", client)
	req.RemoteAddr = "203.0.113.5:4242"
	cpu0 := rusage.CPUSeconds()
	for b.Loop() {
		rec := httptest.NewRecorder()
		w.handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusFound {
			b.Fatal(rec.Code)
		}
	}
	w.flush()
	b.ReportMetric((rusage.CPUSeconds()-cpu0)/float64(b.N)*1e6, "cpu-µs/op")
	_ = token.ClickPath
}
