package content_test

import (
	"context"
	"encoding/csv"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/content/lexicon"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/insight"
	"github.com/chorusmkt/chorus/internal/llm/offline"
)

// datasetCoPurchases is content.CoPurchases over an insight dataset, as
// the app wires it.
type datasetCoPurchases struct{ ds *insight.Dataset }

func (c datasetCoPurchases) BoughtWith(_ context.Context, skus []string, n int) (map[string][]string, error) {
	return c.ds.BoughtWith(skus, n, 2), nil
}

// retailSlice reads the real Online Retail slice (ALL-CAPS titles, no
// descriptions) into its catalog and an insight dataset of its orders.
func retailSlice(t *testing.T) ([]catalog.Product, *insight.Dataset) {
	t.Helper()
	f, err := os.Open("../importer/testdata/real/online_retail_slice.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	b := insight.NewBuilder()
	seen := map[string]bool{}
	var ps []catalog.Product
	for i, r := range rows[1:] {
		qty, _ := strconv.ParseFloat(r[3], 64)
		price, _ := strconv.ParseFloat(r[5], 64)
		at, err := time.Parse(time.DateTime, r[4])
		if err != nil || r[6] == "" || price <= 0 {
			continue
		}
		if !seen[r[1]] {
			seen[r[1]] = true
			ps = append(ps, catalog.Product{SKU: r[1], Title: strings.TrimSpace(r[2]), Price: price, Currency: "GBP", Language: content.En, Active: true})
		}
		typ := event.Purchase
		if strings.HasPrefix(r[0], "C") {
			typ = event.Refund
		}
		b.AddEvent(event.Event{CustomerID: r[6], Type: typ, SKU: r[1], Quantity: qty, Amount: qty * price, OrderID: r[0], OccurredAt: at, Ordinal: i})
	}
	b.AddProducts(ps)
	return ps, b.Dataset()
}

// On a real catalog without descriptions, the offline writer says what a
// product is often bought with (from the orders), in both languages, and
// the copy passes validation and the linter; a product with a
// description gets no such point.
func TestOfflineWriterSaysWhatAProductIsBoughtWith(t *testing.T) {
	ps, ds := retailSlice(t)
	with := ds.BoughtWith([]string{"85123A", "71053"}, 1, 2)
	if len(with["85123A"]) == 0 || len(with["71053"]) == 0 {
		t.Fatalf("the slice's repeated baskets give no co-purchase: %v", with)
	}
	// the campaign's products: two with co-purchases, one with a description
	var campaign []catalog.Product
	for _, p := range ps {
		switch p.SKU {
		case "85123A", "71053":
			campaign = append(campaign, p)
		case "84406B":
			p.Description = "A coat hanger with cupid hearts"
			campaign = append(campaign, p)
		}
	}
	for i := range ps {
		if ps[i].SKU == "84406B" {
			ps[i].Description = "A coat hanger with cupid hearts"
		}
	}
	in := audience(40, "uk", campaign)
	in.products = ps // the whole catalog, so another product named is caught
	d := deps(t, offline.New(), in)
	d.CoPurchases = datasetCoPurchases{ds}
	b := bilingualBrief()
	b.Sender = "[Gift Co]"
	p, err := d.Prepare(context.Background(), content.CampaignRequest{Brief: b, Segment: "uk",
		Channels: []string{content.Email, content.SMS, content.Push}, Depth: content.DepthCohort})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Execute(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	items, err := d.Store.ListItems(context.Background(), content.ItemFilter{RunID: p.Run.ID})
	if err != nil {
		t.Fatal(err)
	}
	said := map[string]int{}
	for _, it := range items {
		for _, v := range it.Violations {
			t.Errorf("%s %s %s: %s\n%+v", it.Channel, it.Language, it.SKU, v, it.Copy)
		}
		tg, ok := p.TargetOf(it)
		if !ok {
			t.Fatalf("%s: no target", it.ID)
		}
		for _, f := range tg.Lint(it.Copy) {
			t.Errorf("%s %s %s: lint %s: %s", it.Channel, it.Language, it.SKU, f.Code, f.Reason)
		}
		text := strings.ToLower(it.Copy.Field("body_text") + it.Copy.Field("text") + it.Copy.Field("body") + it.Copy.Field("title"))
		if it.SKU == "84406B" {
			if strings.Contains(text, "bought with") || strings.Contains(text, "一起购买") {
				t.Errorf("%s: a product with a description got a co-purchase point: %q", it.Channel, text)
			}
			continue
		}
		other := strings.ToLower(lexicon.DisplayTitle(with[it.SKU][0]))
		if strings.Contains(text, "often bought with the "+other) || strings.Contains(text, "常与"+other+"一起购买") {
			said[it.Language]++
			if testing.Verbose() {
				t.Logf("%s %s: %s", it.Channel, it.Language, text)
			}
		}
	}
	if said[content.En] == 0 || said[content.Zh] == 0 {
		t.Errorf("items saying what the product is bought with, by language: %v (want both en and zh)", said)
	}
	t.Logf("%d items; co-purchase said in %v", len(items), said)
}
