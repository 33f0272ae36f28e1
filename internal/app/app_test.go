package app_test

import (
	"context"
	"testing"

	"github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/demo"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// One call wires the real services over a store, and they answer from the
// same data: a profile, an audience, recommendations and a saved message.
func TestNewWiresTheServices(t *testing.T) {
	ctx := context.Background()
	st := storetest.OpenSQLite(t)
	rep, err := demo.Build(ctx, st, demo.Options{Seed: 5, Customers: 40, End: demo.DefaultEnd()})
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	a, err := app.New(ctx, cfg, st, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close(ctx)
	defer a.Close(ctx) // twice is harmless

	p, err := a.Insight.Profile(ctx, rep.SeedPersonaID)
	if err != nil || p.Segment == "" || p.AgeBand == "" {
		t.Fatalf("profile %+v, %v", p, err)
	}
	all, err := a.Segments.Members(ctx, "all")
	if err != nil || len(all) != 40 {
		t.Fatalf("all: %d members, %v", len(all), err)
	}
	if _, err := a.Segments.Members(ctx, "no_such_audience"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("unknown audience: %v", err)
	}
	items, err := a.Recommend.Recommend(ctx, rep.SeedPersonaID, 3)
	if err != nil || len(items) != 3 {
		t.Fatalf("recommend: %+v, %v", items, err)
	}
	d, err := a.Studio(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w, err := d.WriteFor(ctx, content.ForCustomer{CustomerID: rep.SeedPersonaID, Channel: content.SMS})
	if err != nil {
		t.Fatal(err)
	}
	if w.Request.Product.SKU != items[0].SKU || w.Request.Lang != "zh" || len(w.Outcome.Items) == 0 {
		t.Errorf("wrote %+v for product %s", w.Request, w.Request.Product.SKU)
	}
	if _, err := st.GetItem(ctx, w.Outcome.Items[0].ID); err != nil {
		t.Errorf("the message is not saved for review: %v", err)
	}
	if _, err := d.WriteFor(ctx, content.ForCustomer{CustomerID: "nobody", Channel: content.SMS}); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("unknown customer: %v", err)
	}
	if _, err := a.Model(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Model(ctx); err == nil {
		t.Error("Model after Close")
	}
}
