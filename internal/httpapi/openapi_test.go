package httpapi_test

import (
	"context"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// TestOpenAPI: the served document is valid OpenAPI 3.1 (kin-openapi),
// and every /v1 route registered on the server's mux is in it with its
// method; the list comes from the mux registration, not from a list kept
// by hand.
func TestOpenAPI(t *testing.T) {
	w := newAPIWorld(t, storetest.OpenSQLite(t))
	status, h, body := w.call("GET", "/v1/openapi.json", "", nil)
	if status != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		t.Fatalf("openapi.json: %d %s", status, body)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(body)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if doc.OpenAPIMajorMinor() != "3.1" {
		t.Errorf("openapi %q, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the document does not validate: %v", err)
	}
	n := 0
	for _, pattern := range w.srv.Patterns() {
		method, path, ok := strings.Cut(pattern, " ")
		if !ok || !strings.HasPrefix(path, "/v1/") || path == "/v1/openapi.json" {
			continue
		}
		n++
		item := doc.Paths.Find(path)
		if item == nil {
			t.Errorf("%s is not in the document", pattern)
			continue
		}
		op := item.GetOperation(method)
		if op == nil {
			t.Errorf("%s: the document has the path but not the method", pattern)
			continue
		}
		public := strings.HasPrefix(op.Description, "Public")
		if !public && (op.Responses.Value("401") == nil || op.Security == nil || len(*op.Security) == 0) {
			t.Errorf("%s: no bearer security or 401 response", pattern)
		}
		if public && pattern != "POST /v1/support/messages" && pattern != "POST /v1/support/feedback" {
			t.Errorf("%s is documented as public", pattern)
		}
		if pattern == "POST /v1/support/messages" {
			ok := op.Responses.Value("200")
			if ok == nil || ok.Value.Content.Get("application/json") == nil || ok.Value.Content.Get("text/event-stream") == nil ||
				op.Responses.Value("429") == nil || op.RequestBody == nil {
				t.Errorf("%s: want JSON and event-stream answers, a 429 and a request body", pattern)
			}
		}
		if pattern == "POST /v1/segments" || pattern == "POST /v1/events/batch" {
			if op.RequestBody == nil || op.Parameters.GetByInAndName("header", "Idempotency-Key") == nil {
				t.Errorf("%s: no request body or Idempotency-Key header", pattern)
			}
		}
	}
	if n < 20 {
		t.Errorf("%d /v1 routes registered; the mux registration was not seen", n)
	}
	if len(doc.Paths.Map()) == 0 {
		t.Error("no paths")
	}
}
