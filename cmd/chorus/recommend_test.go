package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/recommend/recommendbench"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/recommend"
	"github.com/chorusmkt/chorus/internal/store"
)

// recommendDB is a shop where mugs and saucers, and gloves and trowels,
// are bought together; customers m* buy a mug before March and a saucer
// after it, g* gloves then a trowel; u-zh speaks Chinese.
func recommendDB(t *testing.T) string {
	t.Helper()
	sh := fixtureShop{
		products: []catalog.Product{
			{SKU: "mug", Title: "Red mug", Category: "Kitchen", Price: 5, Active: true, Stock: 9},
			{SKU: "saucer", Title: "Red saucer", Category: "Kitchen", Price: 5, Active: true, Stock: 9},
			{SKU: "gloves", Title: "Garden gloves", Category: "Garden", Price: 5, Active: true, Stock: 9},
			{SKU: "trowel", Title: "Garden trowel", Category: "Garden", Price: 5, Active: true, Stock: 9},
			{SKU: "lamp", Title: "Lamp", Category: "Home", Price: 5, Active: false, Stock: 9},
		},
		// "stranger" is a customer who never bought: a cold start.
		customers: []customer.Customer{{ID: "u-zh", Language: "zh"}, {ID: "stranger"}},
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	buy := func(c, sku string, at time.Time) {
		sh.events = append(sh.events, event.Event{CustomerID: c, Type: event.Purchase, SKU: sku, Quantity: 1, Amount: 5, OrderID: fmt.Sprint(len(sh.events)), OccurredAt: at})
	}
	for k := 0; k < 40; k++ {
		day := t0.AddDate(0, 0, k)
		buy(fmt.Sprintf("t%02d", k), "mug", day)
		buy(fmt.Sprintf("t%02d", k), "saucer", day)
		buy(fmt.Sprintf("h%02d", k), "gloves", day)
		buy(fmt.Sprintf("h%02d", k), "trowel", day)
		buy(fmt.Sprintf("l%02d", k), "lamp", day)
	}
	for k := 0; k < 5; k++ {
		buy(fmt.Sprintf("m%d", k), "mug", t0.AddDate(0, 1, 20))
		buy(fmt.Sprintf("m%d", k), "saucer", t0.AddDate(0, 2, 5))
		buy(fmt.Sprintf("g%d", k), "gloves", t0.AddDate(0, 1, 20))
		buy(fmt.Sprintf("g%d", k), "trowel", t0.AddDate(0, 2, 5))
	}
	buy("u-zh", "mug", t0.AddDate(0, 1, 1))
	return shopDB(t, sh)
}

func TestRecommendCmd(t *testing.T) {
	db := recommendDB(t)
	out, _, err := run(t, db, "recommend", "u-zh", "--k", "2", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var b recommend.Batch
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatal(err, out)
	}
	if !b.Known || b.Items[0].SKU != "saucer" || b.Items[0].Reason != "常与「Red mug」一起购买" {
		t.Fatalf("u-zh: %+v", b)
	}
	out, _, err = run(t, db, "recommend", "stranger")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "no purchase history") || !strings.Contains(out, "popular right now") || strings.Contains(out, "Lamp") {
		t.Fatalf("stranger:\n%s", out)
	}
	ids := filepath.Join(t.TempDir(), "ids.txt")
	os.WriteFile(ids, []byte("# probes\nm1\n\ng1\n"), 0o644)
	out, _, err = run(t, db, "recommend", "--customers", ids, "--k", "1")
	if err != nil {
		t.Fatal(err)
	}
	// m1 bought mug and saucer: the top is whatever the rules leave, never
	// something bought; g1 likewise never gets gloves or trowel back.
	for _, line := range strings.Split(strings.TrimSpace(out), "\n")[1:] {
		f := strings.Fields(line)
		if (f[0] == "m1" && (f[2] == "mug" || f[2] == "saucer")) || (f[0] == "g1" && (f[2] == "gloves" || f[2] == "trowel")) {
			t.Fatalf("bought item recommended:\n%s", out)
		}
	}
	if _, _, err := run(t, db, "recommend"); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("no target: %v", err)
	}
}

func TestRecommendEvalCmd(t *testing.T) {
	db := recommendDB(t)
	out, _, err := run(t, db, "recommend", "eval", "--cutoff", "2026-03-01", "--k", "1")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Offline evaluation protocol", "test: 10 customers, 10 relevant", "item_knn", "hybrid", "NDCG/pop"} {
		if !strings.Contains(out, want) {
			t.Fatalf("missing %q in\n%s", want, out)
		}
	}
	out, _, err = run(t, db, "recommend", "eval", "--cutoff", "2026-03-01", "--k", "1", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var rep recommend.EvalReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		if r.Recommender == recommend.SourceItemKNN && r.Metrics.HR != 1 {
			t.Fatalf("item_knn should find every second item: %+v", r)
		}
	}
	if _, _, err := run(t, db, "recommend", "eval", "--cutoff", "2030-01-01"); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("late cutoff: %v", err)
	}
	if _, _, err := run(t, db, "recommend", "eval", "--cutoff", "March"); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("bad date: %v", err)
	}
}

func TestBenchRecommendCmd(t *testing.T) {
	db := recommendDB(t)
	out, _, err := run(t, db, "bench", "recommend", "--runs", "1", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var r recommendbench.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Customers != 131 || r.Items != 5 || r.AllMin <= 0 || r.ALSMin <= 0 {
		t.Fatalf("%+v", r)
	}
}

// The trained model is saved and reused until the data changes; train
// --force rebuilds it.
func TestRecommendReusesSavedModel(t *testing.T) {
	db := recommendDB(t)
	first, errOut, err := run(t, db, "recommend", "m1", "--k", "2")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut, "trained on") || !strings.Contains(errOut, "saved the model") {
		t.Fatalf("first call should train and save:\n%s", errOut)
	}
	again, errOut, err := run(t, db, "recommend", "m1", "--k", "2")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut, "reused the model") || strings.Contains(errOut, "training") {
		t.Fatalf("second call should reuse the model:\n%s", errOut)
	}
	if again != first {
		t.Fatalf("reused model ranks differently:\n%s\nvs\n%s", first, again)
	}
	out, errOut, err := run(t, db, "recommend", "train", "--force")
	if err != nil || !strings.Contains(out, "trained on") || !strings.Contains(errOut, "tune (validation split)") && !strings.Contains(errOut, "item_knn") {
		t.Fatalf("train --force: %v\n%s\n%s", err, out, errOut)
	}
	// A new event changes the fingerprint: the next call retrains.
	inStore(t, db, func(ctx context.Context, s store.Store) error {
		_, err := s.InsertEvents(ctx, []event.Event{{CustomerID: "m1", Type: event.Purchase, SKU: "gloves", Quantity: 1, Amount: 5,
			OrderID: "late", OccurredAt: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}})
		return err
	})
	_, errOut, err = run(t, db, "recommend", "m1", "--k", "2")
	if err != nil || !strings.Contains(errOut, "trained on") {
		t.Fatalf("after a new event: %v\n%s", err, errOut)
	}
	out, _, err = run(t, db, "recommend", "train")
	if err != nil || !strings.Contains(out, "reused the model") {
		t.Fatalf("train with a current model: %v\n%s", err, out)
	}
}
