package app_test

import (
	"context"
	"testing"

	"github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// RecommendFor takes exactly one of a customer, a segment and a list,
// at least one item, and refuses an unknown customer or segment before
// any training.
func TestRecommendForRules(t *testing.T) {
	ctx := context.Background()
	a, err := app.New(ctx, config.Default(), storetest.OpenSQLite(t), app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close(ctx)
	for _, c := range []struct {
		name string
		req  app.RecommendRequest
		kind apperr.Kind
	}{
		{"k 0", app.RecommendRequest{Customer: "c1"}, apperr.Invalid},
		{"none", app.RecommendRequest{K: 3}, apperr.Invalid},
		{"two", app.RecommendRequest{Customer: "c1", Segment: "vip", K: 3}, apperr.Invalid},
		{"customer and list", app.RecommendRequest{Customer: "c1", IDsGiven: true, K: 3}, apperr.Invalid},
		{"unknown customer", app.RecommendRequest{Customer: "nobody", K: 3}, apperr.NotFound},
		{"unknown segment", app.RecommendRequest{Segment: "nope", K: 3}, apperr.NotFound},
	} {
		if _, err := a.RecommendFor(ctx, c.req); !apperr.Is(err, c.kind) {
			t.Errorf("%s: %v, want %s", c.name, err, c.kind)
		}
	}
}
