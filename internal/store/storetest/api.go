package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/idempotency"
	"github.com/chorusmkt/chorus/internal/store"
)

// RunAPI is the conformance suite of what the HTTP API stores and reads:
// idempotency keys, keyset customer search and the metrics' counts.
func RunAPI(t *testing.T, open func(*testing.T) store.Store) {
	t.Run("Idempotency", func(t *testing.T) { testIdempotency(t, open(t)) })
	t.Run("SearchCustomers", func(t *testing.T) { testSearchCustomers(t, open(t)) })
	t.Run("Telemetry", func(t *testing.T) {
		st := open(t)
		c, err := st.TelemetryCounts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Sends)+len(c.Hits)+len(c.LLM) != 0 {
			t.Errorf("an empty store counts %+v", c)
		}
	})
}

func testIdempotency(t *testing.T, st store.Store) {
	ctx := context.Background()
	at := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	r := idempotency.Record{Owner: "token:1", Key: "k1", Route: "POST /v1/segments", BodyHash: "h1", CreatedAt: at}
	got, created, err := st.ClaimIdempotency(ctx, r)
	if err != nil || !created || got.Key != "k1" {
		t.Fatalf("first claim: %+v %v %v", got, created, err)
	}
	got, created, err = st.ClaimIdempotency(ctx, r)
	if err != nil || created || got.Status != 0 || got.BodyHash != "h1" {
		t.Fatalf("second claim of a running key: %+v %v %v", got, created, err)
	}
	r.Status, r.ContentType, r.Response = 201, "application/json", []byte(`{"ok":true}`)
	if err := st.FinishIdempotency(ctx, r); err != nil {
		t.Fatal(err)
	}
	got, created, err = st.ClaimIdempotency(ctx, idempotency.Record{Owner: "token:1", Key: "k1", Route: "POST /v1/segments", BodyHash: "other", CreatedAt: at})
	if err != nil || created || got.Status != 201 || string(got.Response) != `{"ok":true}` || got.BodyHash != "h1" || !got.CreatedAt.Equal(at) {
		t.Fatalf("finished key: %+v %v %v", got, created, err)
	}
	// another owner's key of the same name is its own
	if _, created, err = st.ClaimIdempotency(ctx, idempotency.Record{Owner: "token:2", Key: "k1", Route: "x", BodyHash: "h", CreatedAt: at}); err != nil || !created {
		t.Fatalf("another owner: %v %v", created, err)
	}
	// a released claim can be made again; a finished one is not released
	if err := st.ReleaseIdempotency(ctx, "token:2", "k1"); err != nil {
		t.Fatal(err)
	}
	if _, created, err = st.ClaimIdempotency(ctx, idempotency.Record{Owner: "token:2", Key: "k1", Route: "x", BodyHash: "h", CreatedAt: at}); err != nil || !created {
		t.Fatalf("after release: %v %v", created, err)
	}
	if err := st.ReleaseIdempotency(ctx, "token:1", "k1"); err != nil {
		t.Fatal(err)
	}
	if _, created, _ = st.ClaimIdempotency(ctx, r); created {
		t.Error("a finished key was released")
	}
	n, err := st.PruneIdempotency(ctx, at.Add(time.Second))
	if err != nil || n != 2 {
		t.Fatalf("prune: %d %v", n, err)
	}
}

func testSearchCustomers(t *testing.T, st store.Store) {
	ctx := context.Background()
	cs := []customer.Customer{
		{ID: "A1", Name: "Ann Lee", Email: "ann@example.com"},
		{ID: "A2", Name: "王芳", Phone: "+8613800138000"},
		{ID: "B1", Name: "Bob", Email: "bob_100%@example.com"},
		{ID: "B2", Name: "Anna", Email: "x@example.com"},
	}
	if _, err := st.UpsertCustomers(ctx, cs); err != nil {
		t.Fatal(err)
	}
	ids := func(q customer.Search) string {
		t.Helper()
		out, err := st.SearchCustomers(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		s := ""
		for _, c := range out {
			s += c.ID + " "
		}
		return s
	}
	for _, tt := range []struct {
		q    customer.Search
		want string
	}{
		{customer.Search{Limit: 2}, "A1 A2 "},
		{customer.Search{After: "A2", Limit: 2}, "B1 B2 "},
		{customer.Search{After: "B2", Limit: 2}, ""},
		{customer.Search{Query: "ann", Limit: 10}, "A1 B2 "},
		{customer.Search{Query: "王", Limit: 10}, "A2 "},
		{customer.Search{Query: "13800", Limit: 10}, "A2 "},
		{customer.Search{Query: "b", Limit: 10}, "B1 B2 "},
		{customer.Search{Query: "100%", Limit: 10}, "B1 "},
		{customer.Search{Query: "_", Limit: 10}, "B1 "},
		{customer.Search{Query: "ann", After: "A1", Limit: 10}, "B2 "},
	} {
		if got := ids(tt.q); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.q, got, tt.want)
		}
	}
}
