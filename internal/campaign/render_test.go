package campaign

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/content"
)

// The email layout made once per item is filled per recipient to the
// same bytes content.Render makes for her alone, escaping included.
func TestRenderItemMatchesRender(t *testing.T) {
	spec, err := content.SpecFor(content.Email)
	if err != nil {
		t.Fatal(err)
	}
	prod := catalog.Product{SKU: "S1", Title: "Tea & <Cups>", URL: "https://shop.example.com/p/s1", Price: 99, Currency: "CNY",
		ImageURL: "https://img.example.com/s1.png"}
	items := []content.Item{
		{ID: "en", Channel: content.Email, Language: content.En, UpdatedAt: time.Unix(1, 0), Copy: content.Copy{
			Subject: "{{first_name}}, 20% off + more", Preheader: "Hi {{first_name}}", CTA: "Shop {{product}}",
			BodyText: "Hello {{first_name}},\nour sale is on.\nWe picked {{product}} for you, {{first_name}}."}},
		{ID: "zh", Channel: content.Email, Language: content.Zh, UpdatedAt: time.Unix(1, 0), Copy: content.Copy{
			Subject: "{{first_name}}，全场8折", Preheader: "本周日截止", CTA: "去看看",
			BodyText: "{{first_name}}，你好：\n全场8折。\n为你挑了{{product}}。"}},
	}
	names := []string{"Ann", "", "<script>", "<i>x</i>", "<script>alert(1)</script>", "O'Br\"+&", "Alexandrina-Maximiliana", "娜娜", "欧阳娜娜", "欧阳娜娜娜",
		"A\nB", "{{product}}", "there", "您", "\x00x", "a\uE000b", "  Bo  "}
	cc := &campaignContent{}
	for round := range 2 { // the second round is served from the cache
		for _, it := range items {
			tg := content.Target{Spec: spec, Lang: it.Language, Voice: content.DefaultVoice(""),
				Brief: content.Brief{LandingURL: "https://shop.example.com/sale"}, Product: &prod}
			for _, n := range names {
				rc := content.Recipient{CustomerID: "C-" + n, Language: it.Language, Product: prod, FirstName: n}
				want := content.Render(it, rc, tg)
				got := cc.renderItem(it, rc, tg)
				if got.HTML != want.HTML || !reflect.DeepEqual(got.Copy, want.Copy) || got.CustomerID != want.CustomerID || got.ItemID != want.ItemID {
					t.Fatalf("round %d, item %s, name %q: cached layout differs\n got %q\nwant %q\n got copy %+v\nwant copy %+v",
						round, it.ID, n, got.HTML, want.HTML, got.Copy, want.Copy)
				}
			}
		}
	}
	if n := len(cc.layouts.m); n == 0 || n > 4 {
		t.Errorf("layouts cached: %d, want one per item and name use (≤ 4)", n)
	}
	rc := content.Recipient{CustomerID: "X", Language: content.En, Product: prod, FirstName: "<script>"}
	h := cc.renderItem(items[0], rc, content.Target{Spec: spec, Lang: content.En, Product: &prod}).HTML
	if strings.Contains(h, "<script>") || !strings.Contains(h, "&lt;script&gt;") {
		t.Errorf("a name with markup must be escaped in the HTML: %s", h)
	}
	if strings.Contains(h, nameSlot) {
		t.Errorf("the name slot leaked into the HTML: %q", h)
	}
}

// Different items, languages, products and update times never share a
// layout.
func TestRenderItemKeys(t *testing.T) {
	spec, _ := content.SpecFor(content.Email)
	cc := &campaignContent{}
	it := content.Item{ID: "i", Channel: content.Email, Language: content.En, UpdatedAt: time.Unix(1, 0),
		Copy: content.Copy{Subject: "S", BodyText: "Hi {{first_name}}, see {{product}}", CTA: "Go"}}
	p1 := catalog.Product{SKU: "A", Title: "Alpha"}
	p2 := catalog.Product{SKU: "B", Title: "Beta"}
	tg := content.Target{Spec: spec, Lang: content.En}
	a := cc.renderItem(it, content.Recipient{FirstName: "Ann", Product: p1}, tg)
	b := cc.renderItem(it, content.Recipient{FirstName: "Ann", Product: p2}, tg)
	it2 := it
	it2.UpdatedAt = time.Unix(2, 0)
	it2.Copy.BodyText = "Changed {{first_name}}"
	c := cc.renderItem(it2, content.Recipient{FirstName: "Ann", Product: p1}, tg)
	if !strings.Contains(a.HTML, "Alpha") || !strings.Contains(b.HTML, "Beta") || !strings.Contains(c.HTML, "Changed Ann") {
		t.Errorf("layouts mixed up:\n%s\n%s\n%s", a.HTML, b.HTML, c.HTML)
	}
}

// BenchmarkRenderEmail compares laying an email out per recipient
// (content.Render) with filling the layout made once (renderItem).
func BenchmarkRenderEmail(b *testing.B) {
	spec, _ := content.SpecFor(content.Email)
	prod := catalog.Product{SKU: "S1", Title: "Tea cups", URL: "https://shop.example.com/p/s1", Price: 99, Currency: "CNY"}
	it := content.Item{ID: "en", Channel: content.Email, Language: content.En, Copy: content.Copy{Subject: "{{first_name}}, 20% off",
		Preheader: "Until Sunday", CTA: "Shop now", BodyText: "Hello {{first_name}},\nour sale is on: 20% off everything until Sunday.\nWe picked {{product}} for you."}}
	tg := content.Target{Spec: spec, Lang: content.En, Voice: content.DefaultVoice(""), Product: &prod,
		Brief: content.Brief{LandingURL: "https://shop.example.com/sale"}}
	rc := content.Recipient{CustomerID: "C1", Language: content.En, Product: prod, FirstName: "Ann"}
	b.Run("per-recipient", func(b *testing.B) {
		for b.Loop() {
			_ = content.Render(it, rc, tg)
		}
	})
	b.Run("layout-once", func(b *testing.B) {
		cc := &campaignContent{}
		for b.Loop() {
			_ = cc.renderItem(it, rc, tg)
		}
	})
}
