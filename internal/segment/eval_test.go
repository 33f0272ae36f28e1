package segment

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/expr-lang/expr/vm"

	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/insight"
)

// handBuilt are records whose expected matches are worked out by hand in
// TestEvaluate.
func handBuilt() []Record {
	return []Record{
		{ID: "ann", RFM: RFM{Segment: "at_risk"}, Affinity: map[string]float64{"camera": 0.45}, Consent: Consent{Email: true}, CLV: 250,
			Tags: []string{"vip"}, Language: "zh", City: "上海", Age: 31, Interests: []string{"photography"}},
		{ID: "bob", RFM: RFM{Segment: "cant_loose"}, Affinity: map[string]float64{"camera": 0.31}, Consent: Consent{Email: true}, CLV: 200.01,
			Attrs: map[string]any{"tier": "gold", "points": 1500.0}},
		{ID: "cat", RFM: RFM{Segment: "at_risk"}, Affinity: map[string]float64{"camera": 0.9}, Consent: Consent{Email: false, SMS: true}, CLV: 900},
		{ID: "dan", RFM: RFM{Segment: "champions"}, Affinity: map[string]float64{"camera": 0.9}, Consent: Consent{Email: true}, CLV: 900},
		{ID: "eve", RFM: RFM{Segment: "at_risk"}, Affinity: map[string]float64{"audio": 0.9}, Consent: Consent{Email: true}, CLV: 900,
			Attrs: map[string]any{"tier": "silver"}},
		{ID: "fay", RFM: RFM{Segment: "cant_loose"}, Affinity: map[string]float64{"camera": 0.3}, Consent: Consent{Email: true}, CLV: 300},
		{ID: "gus", RFM: RFM{Segment: "at_risk"}, Affinity: map[string]float64{"camera": 0.5}, Consent: Consent{Email: true}, CLV: 200},
		{ID: "hal"},
	}
}

func TestEvaluate(t *testing.T) {
	tests := []struct {
		expr   string
		want   []string
		errors int
	}{
		// cat: no e-mail consent; dan: champions; eve: no camera affinity;
		// fay: affinity exactly 0.3 (strictly greater wanted); gus: clv exactly 200.
		{`rfm.segment in ["at_risk","cant_loose"] && affinity["camera"] > 0.3 && consent.email && clv > 200`, []string{"ann", "bob"}, 0},
		{`"vip" in tags || attrs["tier"] == "gold"`, []string{"ann", "bob"}, 0},
		{`consent.sms`, []string{"cat"}, 0},
		{`affinity["camera"] == 0`, []string{"eve", "hal"}, 0},
		{`language == "zh" && city == "上海" && age >= 30 && "photography" in interests`, []string{"ann"}, 0},
		{`(attrs["points"] ?? 0) > 1000`, []string{"bob"}, 0},
		// Without ?? a missing key is nil and cannot be compared: every
		// record but bob fails to evaluate, and none of them matches.
		{`attrs["points"] > 1000`, []string{"bob"}, 7},
		{`false`, nil, 0},
		{`true`, []string{"ann", "bob", "cat", "dan", "eve", "fay", "gus", "hal"}, 0},
	}
	recs := handBuilt()
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			p, err := Compile(tc.expr)
			if err != nil {
				t.Fatal(err)
			}
			res, err := p.Filter(context.Background(), recs, 0)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, i := range res.Matched {
				got = append(got, recs[i].ID)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("matched %v, want %v", got, tc.want)
			}
			if res.Count != len(tc.want) || res.Total != len(recs) || res.Errors != tc.errors {
				t.Errorf("result = %+v, want count %d total %d errors %d", res, len(tc.want), len(recs), tc.errors)
			}
			if tc.errors > 0 && (res.FirstError == nil || res.FirstError.CustomerID != "ann" || !strings.Contains(res.FirstError.Message, "nil")) {
				t.Errorf("first error = %+v", res.FirstError)
			}
		})
	}
}

// TestFilterParallelMatchesSequential checks that splitting the records
// between workers neither loses, duplicates nor reorders a match.
func TestFilterParallelMatchesSequential(t *testing.T) {
	recs := Synthetic(50_000, 7)
	p, err := Compile(`rfm.segment in ["at_risk","cant_loose"] && affinity["camera"] > 0.3 && consent.email && clv > 20`)
	if err != nil {
		t.Fatal(err)
	}
	var want []int
	var machine vm.VM
	for i := range recs {
		if ok, err := p.Match(&machine, &recs[i]); err != nil {
			t.Fatal(err)
		} else if ok {
			want = append(want, i)
		}
	}
	if len(want) == 0 || len(want) > len(recs)/5 {
		t.Fatalf("synthetic data should match a small non-empty share, got %d of %d", len(want), len(recs))
	}
	for _, workers := range []int{1, 2, 3, 8} {
		res, err := p.Filter(context.Background(), recs, workers)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(res.Matched, want) {
			t.Fatalf("workers=%d: %d matches, want %d (same indices in order)", workers, len(res.Matched), len(want))
		}
	}
}

func TestFilterHonoursCancellation(t *testing.T) {
	p, _ := Compile("true")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Filter(ctx, Synthetic(10_000, 1), 2); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestSyntheticIsDeterministic(t *testing.T) {
	a, b := Synthetic(1000, 42), Synthetic(1000, 42)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed gave different records")
	}
	if reflect.DeepEqual(a, Synthetic(1000, 43)) {
		t.Fatal("different seeds gave the same records")
	}
}

func TestFromMetrics(t *testing.T) {
	asOf := time.Date(2011, 12, 10, 0, 0, 0, 0, time.UTC)
	c := customer.Customer{ID: "12347", Gender: "female", BirthYear: 1990, City: "杭州", Country: "CN", Language: "zh",
		Occupation: "designer", Interests: []string{"travel"}, Tags: []string{"vip"}, Attrs: map[string]any{"tier": "gold"},
		Email: "secret@example.com"}
	m := insight.Metrics{
		CustomerID: "12347",
		RFM:        insight.RFM{Recency: 2, Frequency: 7, Monetary: 4310, R: 5, F: 5, M: 5, Score: "555", Segment: "champions"},
		Lifecycle:  "active", CategoryAffinity: map[string]float64{"camera": 0.7}, BrandAffinity: map[string]float64{"canon": 1},
		PriceBand: "premium", PreferredChannel: "email", Orders: 7, Revenue: 4310,
		LastPurchase: time.Date(2011, 12, 7, 15, 52, 0, 0, time.UTC),
		NextPurchase: time.Date(2012, 1, 20, 0, 0, 0, 0, time.UTC),
		CLV:          insight.CLV{PAlive: 0.93, Value: 1520.5},
	}
	st := customer.CurrentConsent([]customer.Consent{
		{Channel: "email", Purpose: "marketing", Status: "granted", At: asOf.Add(-48 * time.Hour)},
		{Channel: "sms", Purpose: "marketing", Status: "granted", At: asOf.Add(-48 * time.Hour)},
		{Channel: "sms", Purpose: "marketing", Status: "revoked", At: asOf.Add(-24 * time.Hour)},
		{Channel: "push", Purpose: "transactional", Status: "granted", At: asOf.Add(-24 * time.Hour)},
	})
	got := FromMetrics(c, m, st, asOf)
	want := Record{
		ID: "12347", Age: 21, Gender: "female", City: "杭州", Country: "CN", Language: "zh", Occupation: "designer",
		Interests: []string{"travel"}, Tags: []string{"vip"}, Attrs: map[string]any{"tier": "gold"},
		RFM:       RFM{Recency: 2, Frequency: 7, Monetary: 4310, R: 5, F: 5, M: 5, Score: "555", Segment: "champions"},
		Lifecycle: "active", CLV: 1520.5, PAlive: 0.93,
		Affinity: map[string]float64{"camera": 0.7}, BrandAffinity: map[string]float64{"canon": 1},
		PriceBand: "premium", PreferredChannel: "email",
		// sms was revoked after the grant; push is granted only for
		// transactional messages, which is not marketing consent.
		Consent: Consent{Email: true},
		Orders:  7, Revenue: 4310,
		DaysSinceLastPurchase:    2,  // 2 days 8 hours, truncated
		ExpectedNextPurchaseDays: 41, // Dec 10 → Jan 20
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("FromMetrics =\n%+v\nwant\n%+v", got, want)
	}

	// A prospect: no purchase, no estimate, never NaN.
	p := FromMetrics(customer.Customer{ID: "p"}, insight.Metrics{CLV: insight.CLV{Value: nan()}}, nil, asOf)
	if p.DaysSinceLastPurchase != -1 || p.ExpectedNextPurchaseDays != -1 || p.CLV != 0 || p.Age != 0 {
		t.Fatalf("prospect = %+v", p)
	}
	// Overdue is "due now", not negative.
	m.NextPurchase = asOf.Add(-72 * time.Hour)
	if d := FromMetrics(c, m, st, asOf).ExpectedNextPurchaseDays; d != 0 {
		t.Fatalf("overdue = %d, want 0", d)
	}
}

func nan() float64 { z := 0.0; return z / z }

func TestFieldsDocumented(t *testing.T) {
	fs := Fields()
	seen := map[string]bool{}
	for _, f := range fs {
		if f.Doc == "" {
			t.Errorf("field %s has no doc", f.Path)
		}
		if seen[f.Path] {
			t.Errorf("field %s listed twice", f.Path)
		}
		seen[f.Path] = true
	}
	// Every field the brief names is there, with its expression type.
	want := map[string]string{"id": "string", "interests": "list of string", "attrs": "map of any", "rfm.segment": "string",
		"rfm.r": "int", "clv": "float", "affinity": "map of float", "consent.wechat": "bool",
		"expected_next_purchase_days": "int", "p_alive": "float", "brand_affinity": "map of float"}
	for path, typ := range want {
		found := false
		for _, f := range fs {
			if f.Path == path {
				found = true
				if f.Type != typ {
					t.Errorf("%s type = %s, want %s", path, f.Type, typ)
				}
			}
		}
		if !found {
			t.Errorf("field %s missing", path)
		}
	}
	if len(fieldDocs) != len(fs) {
		t.Errorf("%d docs for %d fields: a doc names a field that does not exist", len(fieldDocs), len(fs))
	}
}
