package idempotency

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

func TestCheckKey(t *testing.T) {
	for _, tt := range []struct {
		key string
		ok  bool
	}{
		{"3f2c9a1e-7b7d-4a55-9a61-0c1f8d8e6b21", true},
		{"batch:2026-03-01#7", true},
		{"", false},
		{"has space", false},
		{"键", false},
		{strings.Repeat("k", MaxKey), true},
		{strings.Repeat("k", MaxKey+1), false},
	} {
		err := CheckKey(tt.key)
		if (err == nil) != tt.ok || err != nil && !apperr.Is(err, apperr.Invalid) {
			t.Errorf("CheckKey(%q) = %v", tt.key, err)
		}
	}
}

func TestHash(t *testing.T) {
	a := Hash("post", "/v1/segments", []byte(`{"a":1}`))
	if a != Hash("POST", "/v1/segments", []byte(`{"a":1}`)) || len(a) != 64 {
		t.Errorf("hash %q", a)
	}
	for _, other := range []string{Hash("POST", "/v1/segments", []byte(`{"a":2}`)), Hash("POST", "/v1/campaigns", []byte(`{"a":1}`)),
		Hash("PUT", "/v1/segments", []byte(`{"a":1}`))} {
		if other == a {
			t.Error("different requests hash alike")
		}
	}
}

// cutoffStore records the cutoffs it is asked to prune before.
type cutoffStore struct {
	Store
	cutoffs []time.Time
}

func (c *cutoffStore) PruneIdempotency(_ context.Context, cutoff time.Time) (int, error) {
	c.cutoffs = append(c.cutoffs, cutoff)
	return 3, nil
}

func TestPrunerRunsOncePerInterval(t *testing.T) {
	st := &cutoffStore{}
	now := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
	p := &Pruner{Store: st, Now: func() time.Time { return now }}
	n, ran, err := p.Prune(context.Background())
	if err != nil || !ran || n != 3 {
		t.Fatalf("first prune: n=%d ran=%v err=%v, want 3 true nil", n, ran, err)
	}
	if want := now.Add(-Retention); !st.cutoffs[0].Equal(want) {
		t.Fatalf("cutoff %v, want %v (the default retention)", st.cutoffs[0], want)
	}
	now = now.Add(59 * time.Minute)
	if _, ran, _ := p.Prune(context.Background()); ran {
		t.Fatal("a second prune within the hour ran")
	}
	now = now.Add(time.Minute)
	if _, ran, _ := p.Prune(context.Background()); !ran {
		t.Fatal("the prune an hour later did not run")
	}
	if len(st.cutoffs) != 2 {
		t.Fatalf("%d prunes, want 2", len(st.cutoffs))
	}
}
