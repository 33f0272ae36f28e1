package lexicon

import "testing"

func TestBoughtWithPointIsAClaimOfItsOwn(t *testing.T) {
	for _, c := range []struct{ other, lang, want string }{
		{"Glass Star Frosted T-Light Holder", "en", "Often bought with the Glass Star Frosted T-Light Holder"},
		{"心形烛台", "zh", "常与心形烛台一起购买"},
		{"  ", "en", ""},
	} {
		got := BoughtWithPoint(c.other, c.lang)
		if got != c.want {
			t.Errorf("BoughtWithPoint(%q, %s) = %q, want %q", c.other, c.lang, got, c.want)
		}
		if got == "" {
			continue
		}
		if p := ClassifyPoint(got, c.lang); p.Kind != Claim || p.Verb3 {
			t.Errorf("%q classified %v (verb3 %v), want a claim that stands as a sentence", got, p.Kind, p.Verb3)
		}
	}
}

func TestNeutralMention(t *testing.T) {
	for title, want := range map[string]bool{
		"WHITE METAL LANTERN":            true,
		"PAPER CHAIN KIT 50'S CHRISTMAS": false, // an occasion
		"HOT WATER BOTTLE WINTER":        false, // a season
	} {
		if got := NeutralMention(title); got != want {
			t.Errorf("NeutralMention(%q) = %v, want %v", title, got, want)
		}
	}
}
