package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/insight"
	"github.com/chorusmkt/chorus/internal/insight/insightbench"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
)

// insightDB writes a SQLite database with n customers; customer k buys
// every 7 days from day k (orders of 10·k) until day 20+3k, and the
// first one is a Chinese-speaking camera buyer. repeat=false makes every
// customer buy once.
func insightDB(t *testing.T, n int, repeat bool) string {
	t.Helper()
	sh := fixtureShop{
		products: []catalog.Product{
			{SKU: "cam", Title: "微单相机", Category: "相机 > 微单", Brand: "Lumix", Price: 900, Active: true},
			{SKU: "tea", Title: "Green tea", Category: "Grocery", Brand: "Longjing", Price: 10, Active: true},
		},
		customers: []customer.Customer{{ID: "k01", Name: "王芳", Email: "wf@example.com", Language: "zh", BirthYear: time.Now().Year() - 32, Gender: "female", City: "杭州"}},
	}
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	for k := 1; k <= n; k++ {
		id := fmt.Sprintf("k%02d", k)
		sku := "tea"
		if k == 1 {
			sku = "cam"
		}
		for d, o := k, 0; d <= 20+3*k; d, o = d+7, o+1 {
			sh.events = append(sh.events, event.Event{CustomerID: id, Type: event.Purchase, SKU: sku, Quantity: 1, Amount: float64(10 * k),
				OrderID: fmt.Sprintf("%s-%d", id, o), OccurredAt: t0.AddDate(0, 0, d)})
			if !repeat {
				break
			}
		}
	}
	return shopDB(t, sh)
}

func TestRFMCommand(t *testing.T) {
	db := insightDB(t, 20, true)
	out, _, err := run(t, db, "rfm", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var rep insight.RFMReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	sum := 0
	for _, v := range rep.Segments {
		sum += v
	}
	if rep.Customers != 20 || sum != 20 || rep.Map != "grid" || len(rep.Edges["recency"]) != 6 {
		t.Errorf("report = %+v", rep)
	}
	// Last event: k20 on day 76 (2025-05-16), so as_of is 2025-05-17.
	if rep.AsOf != "2025-05-17" {
		t.Errorf("as_of = %s, want 2025-05-17", rep.AsOf)
	}
	out, _, err = run(t, db, "rfm", "--map", "rfm-package", "--as-of", "2025-05-01")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "RFM as of 2025-05-01, map rfm-package") || !strings.Contains(out, "bin edges") {
		t.Errorf("text output:\n%s", out)
	}
	out, _, err = run(t, db, "rfm", "--per-customer", "--json")
	if err != nil {
		t.Fatal(err)
	}
	rep = insight.RFMReport{}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	// k01 buys days 1, 8, 15, 22 (4 orders of 10); as_of is day 77.
	if len(rep.Scores) != 20 || rep.Scores[0].CustomerID != "k01" || rep.Scores[0].Frequency != 4 || rep.Scores[0].Recency != 54 || rep.Scores[0].Monetary != 40 {
		t.Errorf("per-customer scores = %+v", rep.Scores)
	}
	if _, _, err := run(t, db, "rfm", "--map", "nope"); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "known maps") {
		t.Errorf("unknown map: %v", err)
	}
	if _, _, err := run(t, db, "rfm", "--as-of", "May 1"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("bad date: %v", err)
	}
}

func TestInsightCommandsSayWhatIsMissing(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.db")
	_, _, err := run(t, empty, "rfm")
	if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "no purchases") {
		t.Errorf("rfm on an empty store: %v", err)
	}
	few := insightDB(t, 4, true)
	if _, _, err := run(t, few, "rfm"); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "only 4 customers") {
		t.Errorf("rfm with 4 buyers: %v", err)
	}
	once := insightDB(t, 20, false)
	if _, _, err := run(t, once, "clv", "fit"); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "repeat") {
		t.Errorf("clv without repeat buyers: %v", err)
	}
	if _, _, err := run(t, empty, "clv"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("clv on an empty store: %v", err)
	}
}

func TestCLVCommands(t *testing.T) {
	db := insightDB(t, 20, true)
	out, _, err := run(t, db, "clv", "fit", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var fit struct {
		BGNBD struct{ R, Alpha, A, B, LogLikelihood float64 } `json:"bg_nbd"`
	}
	if err := json.Unmarshal([]byte(out), &fit); err != nil {
		t.Fatal(err)
	}
	if fit.BGNBD.R <= 0 || fit.BGNBD.Alpha <= 0 {
		t.Errorf("fit = %s", out)
	}
	out, _, err = run(t, db, "clv", "--horizon", "180", "--json", "--limit", "3")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Customers []insight.CLVRow `json:"customers"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Customers) != 3 || res.Customers[0].HorizonDays != 180 || res.Customers[0].Value < res.Customers[2].Value {
		t.Errorf("clv rows = %+v", res.Customers)
	}
	if _, _, err := run(t, db, "clv", "--horizon", "-5"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("negative horizon: %v", err)
	}
}

func TestProfileCommand(t *testing.T) {
	db := insightDB(t, 20, true)
	out, _, err := run(t, db, "profile", "k01")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"客户画像", "相机", "微单相机", "30-34", "推荐商品", "Green tea"} {
		if !strings.Contains(out, want) {
			t.Errorf("profile lacks %q:\n%s", want, out)
		}
	}
	for _, pii := range []string{"王芳", "wf@example.com", "k01"} {
		if strings.Contains(out, pii) {
			t.Errorf("profile shows PII %q:\n%s", pii, out)
		}
	}
	out, _, err = run(t, db, "profile", "k05", "--json")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"lifecycle"`) || !strings.Contains(out, `"orders"`) {
		t.Errorf("json profile: %s", out)
	}
	out, _, err = run(t, db, "profile", "k01", "--recs", "0")
	if err != nil || strings.Contains(out, "推荐商品") {
		t.Errorf("--recs 0 still shows recommendations (err %v):\n%s", err, out)
	}
	if _, _, err := run(t, db, "profile", "nobody"); !apperr.Is(err, apperr.NotFound) {
		t.Errorf("unknown customer: %v", err)
	}
}

func TestBenchInsightCommand(t *testing.T) {
	db := insightDB(t, 20, true)
	out, _, err := run(t, db, "bench", "insight", "--runs", "2", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var r insightbench.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Customers != 20 || r.Buyers != 20 || r.Runs != 2 || r.ComputeMin <= 0 || r.CLVFitSec <= 0 || r.CLVNote != "" {
		t.Errorf("bench = %+v", r)
	}
}
