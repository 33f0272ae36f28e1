package content_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/llm/offline"
	"github.com/chorusmkt/chorus/internal/shop"
)

// Copy is signed with the shop's name when no brand voice is stored, and
// never with the name of the software; an SMS of a shop without a name
// says what is missing.
func TestCopyIsSignedByTheShop(t *testing.T) {
	mug := catalog.Product{SKU: "85123A", Title: "White hanging heart T-light holder", Category: "Home > Candles", Price: 2.55, Currency: "GBP",
		Language: content.En, SellingPoints: []string{"hangs anywhere", "warm candle light"}, Active: true}
	persona := llm.PersonaFacts{Interests: []string{"home"}}
	for _, tc := range []struct {
		name, shopName, want string
	}{
		{"the shop's name", "Gift Co", "Gift Co"},
		{"no name", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := deps(t, offline.New(), audience(1, "x", []catalog.Product{mug}))
			d.Shop = shop.Settings{Name: tc.shopName, Language: shop.En}
			for _, ch := range []string{content.Email, content.SMS} {
				out, err := d.Single(context.Background(), content.SingleRequest{Channel: ch, Product: mug, Persona: persona, Brief: content.DefaultBrief(content.En)})
				if err != nil {
					t.Fatal(err)
				}
				it := out.Items[0]
				text := it.Copy.BodyText + it.Copy.Text + it.Copy.Subject
				if strings.Contains(text, "Chorus") {
					t.Errorf("%s signed with the software's name:\n%s", ch, text)
				}
				if it.Language != content.En {
					t.Errorf("%s in %s, want the shop's en", ch, it.Language)
				}
				switch {
				case tc.want != "" && !strings.Contains(text, tc.want):
					t.Errorf("%s does not carry %q:\n%s", ch, tc.want, text)
				case tc.want == "" && ch == content.SMS:
					found := false
					for _, v := range it.Violations {
						found = found || strings.Contains(v.Message, "chorus shop set name")
					}
					if !found {
						t.Errorf("an SMS without a sender is not flagged: %+v", it.Violations)
					}
				}
			}
		})
	}
}
