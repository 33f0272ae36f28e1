package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
)

func TestStatusOf(t *testing.T) {
	want := map[apperr.Kind]int{
		apperr.Invalid: 400, apperr.NotFound: 404, apperr.Conflict: 409, apperr.Forbidden: 403,
		apperr.Unavailable: 503, apperr.Unauthenticated: 401, apperr.TooMany: 429, apperr.TooLarge: 413,
		apperr.Internal: 500,
	}
	if len(statusCodes) != len(apperr.Kinds()) {
		t.Errorf("statusCodes has %d rows for %d kinds", len(statusCodes), len(apperr.Kinds()))
	}
	for _, k := range apperr.Kinds() {
		if _, ok := statusCodes[k]; !ok {
			t.Errorf("no status for kind %s", k)
		}
		if got := StatusOf(k); got != want[k] {
			t.Errorf("StatusOf(%s) = %d, want %d", k, got, want[k])
		}
	}
	if got := StatusOf("made_up"); got != 500 {
		t.Errorf("unknown kind: %d", got)
	}
}

func TestWriteError(t *testing.T) {
	var logged strings.Builder
	log := slog.New(slog.NewTextHandler(&logged, nil))
	for _, tt := range []struct {
		err     error
		status  int
		kind    apperr.Kind
		message string
	}{
		{apperr.New(apperr.Invalid, "--k must be at least 1"), 400, apperr.Invalid, "--k must be at least 1"},
		{fmt.Errorf("ctx: %w", apperr.New(apperr.NotFound, `customer "C9" not found`)), 404, apperr.NotFound, `ctx: customer "C9" not found`},
		{apperr.New(apperr.Conflict, "segment vip exists"), 409, apperr.Conflict, "segment vip exists"},
		{apperr.New(apperr.Forbidden, "no consent"), 403, apperr.Forbidden, "no consent"},
		{apperr.New(apperr.Unavailable, "model endpoint down"), 503, apperr.Unavailable, "model endpoint down"},
		{fmt.Errorf("pq: relation \"x\" does not exist"), 500, apperr.Internal, internalMessage},
		{context.Canceled, 503, apperr.Unavailable, "context canceled"},
	} {
		t.Run(string(tt.kind), func(t *testing.T) {
			rec := httptest.NewRecorder()
			WriteError(rec, httptest.NewRequest(http.MethodGet, "/api/x", nil), log, tt.err)
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("content type %q", ct)
			}
			var body map[string]map[string]string
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %q: %v", rec.Body, err)
			}
			if body["error"]["kind"] != string(tt.kind) || body["error"]["message"] != tt.message {
				t.Errorf("body %v, want kind %s message %q", body, tt.kind, tt.message)
			}
			if (tt.status == 503) != (rec.Header().Get("Retry-After") != "") {
				t.Errorf("Retry-After %q for %d", rec.Header().Get("Retry-After"), tt.status)
			}
		})
	}
	if !strings.Contains(logged.String(), `relation \"x\" does not exist`) {
		t.Errorf("the internal error's detail is not logged:\n%s", logged.String())
	}
	if strings.Contains(logged.String(), "no consent") {
		t.Errorf("a client error was logged:\n%s", logged.String())
	}
}
