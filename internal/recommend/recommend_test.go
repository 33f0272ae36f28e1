package recommend

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/event"
)

func TestUserMetricsByHand(t *testing.T) {
	// Ranked list 5,2,9,7; relevant {2,7,8}; K=4: hits at ranks 2 and 4.
	m := userMetrics([]int32{5, 2, 9, 7}, []int32{2, 7, 8}, 4)
	dcg := 1/math.Log2(3) + 1/math.Log2(5)
	idcg := 1 + 1/math.Log2(3) + 1/math.Log2(4)
	want := Metrics{HR: 1, Precision: 0.5, Recall: 2.0 / 3, NDCG: dcg / idcg, MAP: (1.0/2 + 2.0/4) / 3}
	if !close(m, want) {
		t.Fatalf("got %+v, want %+v", m, want)
	}
	// NDCG ≈ 0.4982 and MAP = 1/3, worked out on paper.
	if math.Abs(m.NDCG-0.4982) > 1e-4 || math.Abs(m.MAP-1.0/3) > 1e-12 {
		t.Fatalf("NDCG %.6f MAP %.6f", m.NDCG, m.MAP)
	}
	// A miss scores zero everywhere; a perfect list scores one on NDCG and MAP.
	if z := userMetrics([]int32{1, 3}, []int32{2}, 2); z != (Metrics{}) {
		t.Fatalf("miss: %+v", z)
	}
	p := userMetrics([]int32{2, 1}, []int32{2}, 2)
	if p.NDCG != 1 || p.MAP != 1 || p.Recall != 1 || p.Precision != 0.5 {
		t.Fatalf("perfect: %+v", p)
	}
}

func close(a, b Metrics) bool {
	x := []float64{a.HR, a.Precision, a.Recall, a.NDCG, a.MAP, a.Coverage}
	y := []float64{b.HR, b.Precision, b.Recall, b.NDCG, b.MAP, b.Coverage}
	for i := range x {
		if math.Abs(x[i]-y[i]) > 1e-12 {
			return false
		}
	}
	return true
}

func TestTokens(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"WHITE HANGING Heart T-LIGHT holder 12", []string{"white", "hanging", "heart", "light", "holder"}},
		{"红色陶瓷杯", []string{"红色", "色陶", "陶瓷", "瓷杯"}},
		{"白色mug杯 of the", []string{"白色", "mug", "杯"}},
		{"", nil},
	} {
		if got := Tokens(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTopKDeterministicTies(t *testing.T) {
	neg := float32(math.Inf(-1))
	got := topK([]float32{1, 3, neg, 3, 2, 0.5}, 3, nil)
	if want := []int32{1, 3, 4}; !slices.Equal(got, want) {
		t.Fatalf("topK = %v, want %v", got, want)
	}
	if got := topK([]float32{neg, neg}, 3, nil); len(got) != 0 {
		t.Fatalf("all excluded: %v", got)
	}
}

func TestSimplex(t *testing.T) {
	g := simplex(4, 10)
	if len(g) != 286 { // C(13,3)
		t.Fatalf("%d vectors", len(g))
	}
	for _, w := range g {
		s := w[0] + w[1] + w[2] + w[3]
		if math.Abs(s-1) > 1e-9 {
			t.Fatalf("%v sums to %g", w, s)
		}
	}
}

// shop is a small synthetic shop with a known structure: SKUs come in
// pairs (A1,A2), (B1,B2), … that are always bought together, one product
// is out of stock, one inactive, and FOOD is consumable.
func shop(t testing.TB) *Data {
	t.Helper()
	b := NewBuilder()
	ps := []catalog.Product{
		{SKU: "A1", Title: "Red mug", Category: "Kitchen > Mugs", Stock: 5, Active: true},
		{SKU: "A2", Title: "Red saucer", Category: "Kitchen > Plates", Stock: 5, Active: true},
		{SKU: "B1", Title: "Garden gloves", Category: "Garden", Stock: 5, Active: true},
		{SKU: "B2", Title: "Garden trowel", Category: "Garden", Stock: 5, Active: true},
		{SKU: "C1", Title: "Green tea", Category: "Food > Tea", Stock: 5, Active: true},
		{SKU: "C2", Title: "Honey", Category: "Food > Spreads", Stock: 5, Active: true},
		{SKU: "D1", Title: "Kitchen towel", Category: "Kitchen", Stock: 5, Active: true},
		{SKU: "D2", Title: "Kitchen apron", Category: "Kitchen", Stock: 0, Active: true}, // sold out
		{SKU: "E1", Title: "红色陶瓷杯", Category: "厨房", Stock: 5, Active: true, Language: "zh"},
		{SKU: "E2", Title: "红色陶瓷碟", Category: "厨房", Stock: 5, Active: true, Language: "zh"},
		{SKU: "F1", Title: "Old lamp", Category: "Home", Stock: 5, Active: false}, // inactive
		{SKU: "G1", Title: "Kitchen knife", Category: "Kitchen", Stock: 5, Active: true},
		{SKU: "G2", Title: "Kitchen board", Category: "Kitchen", Stock: 5, Active: true},
	}
	b.AddProducts(ps)
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	pairs := [][2]string{{"A1", "A2"}, {"B1", "B2"}, {"C1", "C2"}, {"D1", "D2"}, {"E1", "E2"}, {"G1", "G2"}}
	n := 0
	buy := func(c, sku string, day int) {
		n++
		b.AddEvent(event.Event{CustomerID: c, Type: event.Purchase, SKU: sku, Quantity: 1, OrderID: fmt.Sprint(n), OccurredAt: t0.Add(time.Duration(day) * 24 * time.Hour)})
	}
	for c := 0; c < 60; c++ {
		id := fmt.Sprintf("c%02d", c)
		p := pairs[c%len(pairs)]
		buy(id, p[0], c)
		buy(id, p[1], c)
		// Everybody also buys the knife now and then: the popular item.
		if c%2 == 0 {
			buy(id, "G1", c+1)
		}
		buy(id, "F1", c) // bought by many, but inactive
	}
	// Guests buy the board a lot: popularity counts them.
	for g := 0; g < 40; g++ {
		b.AddEvent(event.Event{Type: event.Purchase, SKU: "G2", Quantity: 1, OrderID: fmt.Sprint("g", g), OccurredAt: t0.Add(70 * 24 * time.Hour)})
	}
	// Probes: one customer with only A1, one with only C1 (consumable), one
	// zh customer with only E1, one with B1.
	buy("probeA", "A1", 80)
	buy("probeC", "C1", 80)
	buy("probeE", "E1", 80)
	buy("probeB", "B1", 80)
	b.SetLanguage("probeE", "zh-CN")
	return b.Data()
}

func testOptions() Options {
	o := DefaultOptions()
	o.ALS.Factors = 8
	o.ALS.Iterations = 5
	o.Tune = false
	o.DiversityCap = 2
	o.Consumable = []string{"food"}
	return o
}

func TestRecommendRulesAndExplanations(t *testing.T) {
	m, err := Train(shop(t), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	got, err := m.Recommend("probeA", 10)
	if err != nil {
		t.Fatal(err)
	}
	skus := itemSKUs(got)
	if skus[0] != "A2" {
		t.Fatalf("probeA top = %v, want A2 first (always bought with A1)", skus)
	}
	if got[0].Reason != "bought together with Red mug" {
		t.Errorf("reason %q", got[0].Reason)
	}
	for _, s := range []string{"A1", "D2", "F1"} {
		if slices.Contains(skus, s) {
			t.Errorf("%s recommended (bought, sold out or inactive): %v", s, skus)
		}
	}
	kitchen := 0
	for _, it := range got {
		if strings.HasPrefix(m.data.Products[m.data.itemIdx[it.SKU]].Category, "Kitchen") {
			kitchen++
		}
		if it.Reason == "" || it.Source == "" {
			t.Errorf("item without reason or source: %+v", it)
		}
	}
	if kitchen > 2 {
		t.Errorf("%d Kitchen items despite a diversity cap of 2: %v", kitchen, skus)
	}

	// Consumables come back after a purchase.
	got, _ = m.Recommend("probeC", 10)
	if !slices.Contains(itemSKUs(got), "C1") {
		t.Errorf("consumable C1 not recommended again: %v", itemSKUs(got))
	}
	for _, it := range got {
		if it.SKU == "C1" && !strings.Contains(it.Source, SourceRebuy) {
			t.Errorf("C1 is not scored by her own purchases: %+v", it)
		}
	}

	// zh customers get zh wording.
	got, _ = m.Recommend("probeE", 3)
	if got[0].SKU != "E2" || got[0].Reason != "常与「红色陶瓷杯」一起购买" {
		t.Errorf("zh: %+v", got[0])
	}
}

func TestRecommendUnknownCustomerFallsBackToPopularity(t *testing.T) {
	m, err := Train(shop(t), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if m.Known("nobody") || !m.Known("probeA") {
		t.Fatal("Known is wrong")
	}
	got, err := m.Recommend("nobody", 3)
	if err != nil {
		t.Fatal(err)
	}
	// G2 is bought by 40 guests, the most of any available item.
	if got[0].SKU != "G2" || got[0].Reason != "popular right now" || got[0].Source != SourceTrending {
		t.Fatalf("fallback: %+v", got)
	}
	if _, err := m.Recommend(" ", 3); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("empty id: %v", err)
	}
	if _, err := m.Recommend("probeA", 0); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("k=0: %v", err)
	}
}

func TestTrainDeterministic(t *testing.T) {
	d := shop(t)
	o := testOptions()
	o.Tune = true
	o.ValidationDays = 30
	a, err := Train(d, o)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Train(d, o)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.als.x, b.als.x) || !slices.Equal(a.als.y, b.als.y) {
		t.Fatal("ALS factors differ between runs with the same seed")
	}
	for _, c := range []string{"probeA", "probeB", "c07", "nobody"} {
		x, _ := a.Recommend(c, 5)
		y, _ := b.Recommend(c, 5)
		if !reflect.DeepEqual(x, y) {
			t.Fatalf("%s: %v vs %v", c, x, y)
		}
	}
	all, err := a.RecommendMany(context.Background(), []string{"probeA", "nobody"}, 5)
	if err != nil {
		t.Fatal(err)
	}
	one, _ := a.Recommend("probeA", 5)
	if !reflect.DeepEqual(all[0].Items, one) || all[1].Known {
		t.Fatalf("RecommendMany disagrees with Recommend: %+v", all)
	}
}

func TestALSLearnsCoPurchase(t *testing.T) {
	o := testOptions()
	o.Blend = map[string]float64{SourceALS: 1}
	m, err := Train(shop(t), o)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := m.Recommend("probeB", 1)
	if got[0].SKU != "B2" || got[0].Reason != "customers like you also bought" || got[0].Source != SourceALS {
		t.Fatalf("ALS alone for probeB: %+v", got)
	}
}

func TestContentWorksForNewItemsAndChinese(t *testing.T) {
	b := NewBuilder()
	b.AddProducts([]catalog.Product{
		{SKU: "P1", Title: "红色陶瓷杯 咖啡", Active: true},
		{SKU: "P2", Title: "蓝色陶瓷杯 咖啡", Active: true}, // never bought: new item
		{SKU: "P3", Title: "Garden hose", Active: true},
		{SKU: "P4", Title: "Garden rake", Active: true},
		{SKU: "P5", Title: "黑色陶瓷碗", Active: true},
	})
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	b.AddEvent(event.Event{CustomerID: "u1", Type: event.Purchase, SKU: "P1", OccurredAt: t0})
	b.AddEvent(event.Event{CustomerID: "u2", Type: event.Purchase, SKU: "P3", OccurredAt: t0})
	b.AddEvent(event.Event{CustomerID: "u3", Type: event.Purchase, SKU: "P4", OccurredAt: t0})
	o := testOptions()
	o.Blend = map[string]float64{SourceContent: 1}
	m, err := Train(b.Data(), o)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := m.Recommend("u1", 2)
	if got[0].SKU != "P2" || got[0].Reason != "similar to 红色陶瓷杯 咖啡, which you bought" {
		t.Fatalf("content for u1: %+v", got)
	}
	got, _ = m.Recommend("u2", 1)
	if got[0].SKU != "P4" {
		t.Fatalf("content for u2: %+v", got)
	}
}

func TestEvaluateSynthetic(t *testing.T) {
	// Teachers buy both items of a pair before the cutoff; students buy the
	// first before and the second after it. Item-to-item must find every
	// student's item at rank 1; popularity (the pair bought most) cannot.
	b := NewBuilder()
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	cut := t0.AddDate(0, 0, 50)
	add := func(c, sku string, at time.Time) {
		b.AddEvent(event.Event{CustomerID: c, Type: event.Purchase, SKU: sku, OccurredAt: at})
	}
	for p := 0; p < 4; p++ {
		for c := 0; c <= p*3+2; c++ { // pair p has 3p+3 teachers: popularity differs
			id := fmt.Sprintf("t%d-%d", p, c)
			add(id, fmt.Sprintf("P%dA", p), t0.AddDate(0, 0, c))
			add(id, fmt.Sprintf("P%dB", p), t0.AddDate(0, 0, c))
		}
		for c := 0; c < 3; c++ {
			id := fmt.Sprintf("s%d-%d", p, c)
			add(id, fmt.Sprintf("P%dA", p), t0.AddDate(0, 0, 40))
			add(id, fmt.Sprintf("P%dB", p), cut.AddDate(0, 0, 5))
		}
	}
	// Two guest purchases make P3B (14) beat P2A (12) but not P3A (15).
	for g := 0; g < 2; g++ {
		b.AddEvent(event.Event{Type: event.Purchase, SKU: "P3B", OccurredAt: t0.AddDate(0, 0, 30)})
	}
	o := testOptions()
	o.Tune = false
	o.PopularityHalfLife = 0 // plain counts, to reason about by hand
	rep, err := Evaluate(context.Background(), b.Data(), EvalOptions{Cutoff: cut, K: 1, Train: o})
	if err != nil {
		t.Fatal(err)
	}
	if rep.TestUsers != 12 || rep.RelevantItems != 12 || rep.CandidateItems != 8 {
		t.Fatalf("test users %d, relevant %d, candidates %d", rep.TestUsers, rep.RelevantItems, rep.CandidateItems)
	}
	var names []string
	res := map[string]Result{}
	for _, r := range rep.Results {
		names = append(names, r.Recommender)
		res[r.Recommender] = r
	}
	if want := []string{SourcePopularity, SourceTrending, SourceCosine, SourceItemKNN, SourceALS, SourceContent, SourceUserKNN, SourceHybrid}; !slices.Equal(names, want) {
		t.Fatalf("recommenders %v", names)
	}
	if m := res[SourceItemKNN].Metrics; m.HR != 1 || m.NDCG != 1 || m.MAP != 1 || m.Precision != 1 || m.Recall != 1 {
		t.Fatalf("item_knn %+v", m)
	}
	// Popularity ranks P3A first for everyone but pair 3's students, who
	// bought it and get P3B: they (3 of 12) are the only hits.
	pop := res[SourcePopularity]
	if pop.Metrics.HR != 0.25 || pop.NDCGRatio != 1 || pop.Metrics.Coverage != 2.0/8 {
		t.Fatalf("popularity %+v", pop)
	}
	if r := res[SourceItemKNN].NDCGRatio; math.Abs(r-4) > 1e-9 {
		t.Fatalf("item_knn ratio %g, want 4", r)
	}
	if !strings.Contains(rep.Protocol, "full ranking") {
		t.Fatal("protocol missing")
	}
}

func TestEvaluateErrors(t *testing.T) {
	d := shop(t)
	_, err := Evaluate(context.Background(), d, EvalOptions{Cutoff: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), Train: testOptions()})
	if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "outside the data") {
		t.Fatalf("late cutoff: %v", err)
	}
	// Only new customers buy after day 75: no test users.
	_, err = Evaluate(context.Background(), d, EvalOptions{Cutoff: time.Date(2024, 3, 16, 0, 0, 0, 0, time.UTC), Train: testOptions()})
	if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "bought anything new") {
		t.Fatalf("no test users: %v", err)
	}
}

func TestBuildTestSetProtocol(t *testing.T) {
	b := NewBuilder()
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	add := func(c, sku string, day int) {
		b.AddEvent(event.Event{CustomerID: c, Type: event.Purchase, SKU: sku, OccurredAt: t0.AddDate(0, 0, day)})
	}
	add("old", "X", 0)
	add("old", "X", 20) // repeat purchase: not relevant
	add("old", "Y", 20) // new item: relevant
	add("old", "Y", 21) // twice: counted once
	add("new", "Z", 20) // customer unseen before the cutoff: not a test user
	b.AddEvent(event.Event{Type: event.Purchase, SKU: "W", OccurredAt: t0.AddDate(0, 0, 20)})
	d := b.Data()
	cut := t0.AddDate(0, 0, 10)
	ts := newTrainSet(d.Before(cut), DefaultWeights())
	tst := buildTestSet(ts, d.Between(cut, time.Time{}), nil)
	if len(tst.users) != 1 || d.Customers[tst.users[0]] != "old" || len(tst.relevant[0]) != 1 || d.Items[tst.relevant[0][0]] != "Y" {
		t.Fatalf("test set %+v", tst)
	}
	if tst.pairs != 2 || tst.repeats != 1 {
		t.Fatalf("%d pairs, %d repeats; want 2 and 1", tst.pairs, tst.repeats)
	}
	// A repeatable (consumable) item bought again is relevant, as
	// Recommend may show it again.
	rep := make([]bool, d.NumItems())
	rep[0] = true // X
	tst = buildTestSet(ts, d.Between(cut, time.Time{}), rep)
	if len(tst.relevant) != 1 || len(tst.relevant[0]) != 2 {
		t.Fatalf("with X consumable: %+v", tst)
	}
	k := known(ts)
	if !k[0] || k[1] {
		t.Fatalf("candidates %v: only X is known before the cutoff", k)
	}
}

func itemSKUs(items []Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.SKU
	}
	return out
}

func TestUserKNNFindsNeighboursPurchases(t *testing.T) {
	m, err := Train(shop(t), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	d := m.Data()
	u, _ := d.CustomerIndex("probeB")
	out := make([]float32, d.NumItems())
	m.user.score(u, out, m.newScratch())
	b1, _ := d.ItemIndex("B1")
	out[b1] = float32(math.Inf(-1)) // already bought
	top := topK(out, 1, nil)
	if d.Items[top[0]] != "B2" {
		t.Fatalf("user_knn top for probeB = %s, want B2 (every B1 buyer also bought B2)", d.Items[top[0]])
	}
}

func TestConsumableStarMakesEveryItemRepeatable(t *testing.T) {
	o := testOptions()
	o.Consumable = []string{"*"}
	o.DiversityCap = 0
	m, err := Train(shop(t), o)
	if err != nil {
		t.Fatal(err)
	}
	got, err := m.Recommend("probeA", m.Data().NumItems())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(itemSKUs(got), "A1") {
		t.Fatalf("A1, bought by probeA, is left out although every item is repeatable: %v", itemSKUs(got))
	}
}

func TestTopNeighboursMatchesFullSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, size := range []int{0, 1, 5, 50, 500} {
		for _, n := range []int{1, 3, 50, 1000} {
			c := make([]neighbour, size)
			for i := range c {
				// few distinct values, so ties are common
				c[i] = neighbour{int32(i), float32(rng.IntN(20))}
			}
			rng.Shuffle(len(c), func(i, j int) { c[i], c[j] = c[j], c[i] })
			want := slices.Clone(c)
			slices.SortFunc(want, func(a, b neighbour) int {
				if a.sim != b.sim {
					if a.sim > b.sim {
						return -1
					}
					return 1
				}
				return int(a.item - b.item)
			})
			want = want[:min(n, len(want))]
			slices.SortFunc(want, func(a, b neighbour) int { return int(a.item - b.item) })
			if got := topNeighbours(slices.Clone(c), n); !slices.Equal(got, want) {
				t.Fatalf("size %d, n %d:\ngot  %v\nwant %v", size, n, got, want)
			}
		}
	}
}
