package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/recommend"
	"github.com/chorusmkt/chorus/internal/store"
)

// snapshotDeleter is asserted rather than part of store.Store: nothing
// in the commands deletes snapshots. The rest of the snapshot contract is
// recommend.Store, which store.Store embeds.
type snapshotDeleter interface {
	DeleteRecommendSnapshots(ctx context.Context) (int64, error)
}

// RunRecommend is the conformance suite of the model snapshot table and
// the data version that keys it.
func RunRecommend(t *testing.T, open func(*testing.T) store.Store) {
	t.Run("SourceVersionAndSnapshots", func(t *testing.T) { testRecommendSnapshots(t, open(t)) })
}

func testRecommendSnapshots(t *testing.T, s store.Store) {
	v0, err := s.RecommendSourceVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v0 != (recommend.SourceVersion{}) {
		t.Fatalf("empty store: %+v", v0)
	}
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	if _, err := s.InsertEvents(ctx, []event.Event{
		{CustomerID: "c1", Type: event.Purchase, SKU: "A", Quantity: 1, Amount: 5, OccurredAt: at},
		{CustomerID: "c2", Type: event.Purchase, SKU: "B", Quantity: 1, Amount: 5, OccurredAt: at.Add(time.Hour)},
	}); err != nil {
		t.Fatal(err)
	}
	v1, err := s.RecommendSourceVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v1.Events != 2 || v1.MaxEventID == 0 || v1.MaxEventAt != at.Add(time.Hour).UnixMicro() {
		t.Fatalf("after two events: %+v", v1)
	}
	opts := recommend.DefaultOptions()
	fp := recommend.Fingerprint(v1, opts)
	if fp == recommend.Fingerprint(v0, opts) {
		t.Fatal("fingerprint ignores the data version")
	}
	if _, err := s.LoadRecommendSnapshot(ctx, "default", fp); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("no snapshot yet: %v", err)
	}
	model := []byte{0, 1, 2, 255, 0, 7} // binary, with zero bytes
	snap := recommend.Snapshot{Name: "default", Fingerprint: fp, Model: model, TrainSeconds: 1.5, CreatedAt: at}
	if err := s.SaveRecommendSnapshot(ctx, snap); err != nil {
		t.Fatal(err)
	}
	got, err := s.LoadRecommendSnapshot(ctx, "default", fp)
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Model) != string(model) || got.TrainSeconds != 1.5 || !got.CreatedAt.Equal(at) || got.Fingerprint != fp {
		t.Fatalf("round trip: %+v", got)
	}
	// A newer event makes the saved model stale.
	if _, err := s.InsertEvents(ctx, []event.Event{{CustomerID: "c1", Type: event.Purchase, SKU: "B", Quantity: 1, Amount: 5, OccurredAt: at.Add(-time.Hour)}}); err != nil {
		t.Fatal(err)
	}
	v2, _ := s.RecommendSourceVersion(ctx)
	fp2 := recommend.Fingerprint(v2, opts)
	if fp2 == fp {
		t.Fatalf("an inserted event leaves the fingerprint unchanged: %+v", v2)
	}
	if _, err := s.LoadRecommendSnapshot(ctx, "default", fp2); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("stale snapshot served: %v", err)
	}
	// Saving again replaces the row.
	snap.Fingerprint, snap.Model = fp2, []byte("second")
	if err := s.SaveRecommendSnapshot(ctx, snap); err != nil {
		t.Fatal(err)
	}
	if got, err := s.LoadRecommendSnapshot(ctx, "default", fp2); err != nil || string(got.Model) != "second" {
		t.Fatalf("replace: %q %v", got.Model, err)
	}
	del, ok := s.(snapshotDeleter)
	if !ok {
		t.Fatalf("%T cannot delete recommendation snapshots", s)
	}
	if n, err := del.DeleteRecommendSnapshots(ctx); err != nil || n != 1 {
		t.Fatalf("delete: %d %v", n, err)
	}
	if err := s.SaveRecommendSnapshot(ctx, recommend.Snapshot{Name: "default"}); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("empty snapshot: %v", err)
	}

	// Products: a change of stock, price or the active flag moves only
	// ProductsEdited (out of the fingerprint); a change to what describes
	// the product moves ProductsDescribed too.
	p := catalog.Product{SKU: "A", Title: "Mug", Category: "Kitchen", Price: 5, Stock: 3, Active: true}
	if _, _, _, err := s.UpsertProducts(ctx, []catalog.Product{p}); err != nil {
		t.Fatal(err)
	}
	v3, _ := s.RecommendSourceVersion(ctx)
	if v3.Products != 1 || v3.ProductsDescribed == 0 || v3.ProductsDescribed != v3.ProductsEdited {
		t.Fatalf("after a new product: %+v", v3)
	}
	time.Sleep(2 * time.Millisecond) // updates are stamped with the clock
	p.Stock, p.Price, p.Active = 0, 4.5, false
	if _, _, _, err := s.UpsertProducts(ctx, []catalog.Product{p}); err != nil {
		t.Fatal(err)
	}
	v4, _ := s.RecommendSourceVersion(ctx)
	if v4.ProductsDescribed != v3.ProductsDescribed || v4.ProductsEdited <= v3.ProductsEdited ||
		recommend.Fingerprint(v4, opts) != recommend.Fingerprint(v3, opts) {
		t.Fatalf("a stock and price change: %+v, before %+v", v4, v3)
	}
	time.Sleep(2 * time.Millisecond)
	p.Tags = []string{"ceramic"}
	if _, _, _, err := s.UpsertProducts(ctx, []catalog.Product{p}); err != nil {
		t.Fatal(err)
	}
	v5, _ := s.RecommendSourceVersion(ctx)
	if v5.ProductsDescribed <= v4.ProductsDescribed || recommend.Fingerprint(v5, opts) == recommend.Fingerprint(v4, opts) {
		t.Fatalf("a new tag: %+v, before %+v", v5, v4)
	}
}
