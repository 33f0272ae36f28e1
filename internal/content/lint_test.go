package content_test

import (
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/content"
)

var (
	throwZh = catalog.Product{SKU: "CN-HOME-THROW", Title: "华夫格盖毯", Category: "家居 > 布艺", Price: 259, Currency: "CNY",
		SellingPoints: []string{"纯棉", "柔软透气", "可机洗"}, URL: "https://shop.example.com/zh/p/home-throw"}
	chairZh = catalog.Product{SKU: "CN-OUT-CHAIR", Title: "折叠月亮椅", Category: "户外 > 露营", Price: 199, Currency: "CNY",
		SellingPoints: []string{"铝合金骨架", "承重120kg", "收纳小巧"}}
	cleanserEn = catalog.Product{SKU: "EN-BEAUTY-CLEANSER", Title: "Gentle Amino Cleanser", Category: "Beauty > Skincare", Price: 18, Currency: "USD",
		SellingPoints: []string{"Amino-acid surfactants", "Never tight", "pH balanced"}, URL: "https://shop.example.com/en/p/beauty-cleanser"}
	sneakersEn = catalog.Product{SKU: "EN-FASH-SNEAKER", Title: "Classic White Sneakers", Category: "Fashion > Shoes", Price: 89, Currency: "USD"}
	holderOR   = catalog.Product{SKU: "21733", Title: "RED HANGING HEART T-LIGHT HOLDER", Price: 2.95, Currency: "GBP"}
	starOR     = catalog.Product{SKU: "21810", Title: "CHRISTMAS HANGING STAR WITH BELL", Price: 0.39, Currency: "GBP"}
	bottleOR   = catalog.Product{SKU: "23355", Title: "HOT WATER BOTTLE KEEP CALM", Price: 4.95, Currency: "GBP"}
)

func lintTarget(channel, lang string, p catalog.Product) content.Target {
	spec, _ := content.SpecFor(channel)
	b := double11()
	if lang == content.En {
		b.Language = content.En
		b.Offer.TextEn = "20% off everything"
	}
	t := content.Target{Spec: spec, Lang: lang, Product: &p, Brief: b, Voice: content.DefaultVoice("Lumen"),
		Sender: b.SenderFor(lang, "Lumen"), OptOut: b.OptOutFor(lang), Grounding: content.Grounding{Products: []catalog.Product{p}, Brief: b}}
	if spec.Personal {
		t.Slots = []string{content.SlotFirstName}
	}
	return t
}

// Each lint code on a hand-made bad item, with the words it is about;
// and the same item written well, which passes.
func TestLintFindsEachCode(t *testing.T) {
	cases := []struct {
		name    string
		target  content.Target
		bad     content.Copy
		code    string
		span    string // the finding's text contains this
		good    content.Copy
		message string // the reason contains this
	}{
		{"ellipsis", lintTarget(content.Ad, content.En, cleanserEn),
			content.Copy{Headline: "Gentle Amino Cleanser", Description: "With the Gentle Amino… Order now for 20% off everything.", CTA: "Shop now"},
			content.LintEllipsis, "…",
			content.Copy{Headline: "Gentle Amino Cleanser", Description: "The Gentle Amino Cleanser, now 20% off everything.", CTA: "Shop now"}, "cut off"},
		{"iso date", lintTarget(content.Push, content.Zh, throwZh),
			content.Copy{Title: "华夫格盖毯", Body: "华夫格盖毯全场8折，2026-11-11结束"},
			content.LintDate, "2026-11-11",
			content.Copy{Title: "华夫格盖毯", Body: "华夫格盖毯全场8折，11月11日结束"}, "11月11日"},
		{"numeric date en", lintTarget(content.Push, content.En, cleanserEn),
			content.Copy{Title: "Gentle Amino Cleanser", Body: "20% off everything on the Gentle Amino Cleanser until 11/11."},
			content.LintDate, "11/11",
			content.Copy{Title: "Gentle Amino Cleanser", Body: "20% off everything on the Gentle Amino Cleanser until Nov 11."}, "month in words"},
		{"measure word", lintTarget(content.Push, content.Zh, throwZh),
			content.Copy{Title: "华夫格盖毯", Body: "这只华夫格盖毯，纯棉柔软，全场8折"},
			content.LintMeasureWord, "这只华夫格盖毯",
			content.Copy{Title: "华夫格盖毯", Body: "这条华夫格盖毯，纯棉柔软，全场8折"}, "条"},
		{"measure word on the kind noun", lintTarget(content.Push, content.Zh, throwZh),
			content.Copy{Title: "华夫格盖毯", Body: "华夫格盖毯全场8折，这只盖毯很软"},
			content.LintMeasureWord, "这只盖毯",
			content.Copy{Title: "华夫格盖毯", Body: "华夫格盖毯全场8折，这条盖毯很软"}, "条"},
		{"interest", lintTarget(content.Ad, content.Zh, chairZh),
			content.Copy{Headline: "爱健身，就选折叠月亮椅", Description: "折叠月亮椅，铝合金骨架，全场8折。", CTA: "去看看"},
			content.LintInterest, "健身",
			content.Copy{Headline: "露营就选折叠月亮椅", Description: "折叠月亮椅，铝合金骨架，全场8折。", CTA: "去看看"}, "does not serve"},
		{"interest in a hashtag", lintTarget(content.Xiaohongshu, content.En, cleanserEn),
			content.Copy{Title: "Gentle Amino Cleanser", Body: "The Gentle Amino Cleanser: amino-acid surfactants and a pH-balanced formula for a calm, clean feel, now 20% off everything.", Hashtags: []string{"GentleAminoCleanser", "Fitness", "Skincare"}},
			content.LintInterest, "Fitness",
			content.Copy{Title: "Gentle Amino Cleanser", Body: "The Gentle Amino Cleanser: amino-acid surfactants and a pH-balanced formula for a calm, clean feel, now 20% off everything.", Hashtags: []string{"GentleAminoCleanser", "Skincare", "Lumen"}}, "does not serve"},
		{"occasion", lintTarget(content.Push, content.En, starOR),
			content.Copy{Title: "Christmas Hanging Star with Bell", Body: "An Easter treat: the Christmas Hanging Star with Bell, 20% off everything."},
			content.LintOccasion, "Easter",
			content.Copy{Title: "Christmas Hanging Star with Bell", Body: "For the tree: the Christmas Hanging Star with Bell, 20% off everything."}, "made for Christmas"},
		{"season", lintTarget(content.Push, content.En, bottleOR),
			content.Copy{Title: "Hot Water Bottle Keep Calm", Body: "Summer evenings call for the Hot Water Bottle Keep Calm, 20% off everything."},
			content.LintOccasion, "Summer",
			content.Copy{Title: "Hot Water Bottle Keep Calm", Body: "Cold evenings call for the Hot Water Bottle Keep Calm, 20% off everything."}, "autumn and winter"},
		{"product repeat", lintTarget(content.Email, content.En, cleanserEn),
			content.Copy{Subject: "Gentle Amino Cleanser", Preheader: "20% off everything", CTA: "Shop now",
				BodyText: "Hi {{first_name}},\n\nThe Gentle Amino Cleanser is here. The Gentle Amino Cleanser is gentle. Try the Gentle Amino Cleanser today.\n\n{{unsubscribe_url}}"},
			content.LintProductRepeat, "Gentle Amino Cleanser",
			content.Copy{Subject: "Gentle Amino Cleanser", Preheader: "20% off everything", CTA: "Shop now",
				BodyText: "Hi {{first_name}},\n\nThe Gentle Amino Cleanser is here, and it is gentle. Try it today: 20% off everything.\n\n{{unsubscribe_url}}"}, "3 times"},
		{"repeated sentence", lintTarget(content.Email, content.En, cleanserEn),
			content.Copy{Subject: "Gentle Amino Cleanser", Preheader: "Everyday use feels easier, and the details matter.", CTA: "Shop now",
				BodyText: "Hi {{first_name}},\n\nEveryday use feels easier, and the details matter. The Gentle Amino Cleanser is 20% off everything.\n\n{{unsubscribe_url}}"},
			content.LintRepeatedSentence, "Everyday use feels easier",
			content.Copy{Subject: "Gentle Amino Cleanser", Preheader: "Everyday use feels easier, and the details matter.", CTA: "Shop now",
				BodyText: "Hi {{first_name}},\n\nThe Gentle Amino Cleanser is 20% off everything.\n\n{{unsubscribe_url}}"}, "repeats"},
		{"glued link and opt-out", lintTarget(content.SMS, content.Zh, throwZh),
			content.Copy{Text: "【Lumen】华夫格盖毯全场8折，11月11日截止。查看详情：https://shop.example.com/zh/p/home-throw回T退订"},
			content.LintGlued, "回",
			content.Copy{Text: "【Lumen】华夫格盖毯全场8折，11月11日截止。查看详情：https://shop.example.com/zh/p/home-throw 回T退订"}, "runs into"},
		{"agreement", lintTarget(content.Push, content.En, cleanserEn),
			content.Copy{Title: "Gentle Amino Cleanser", Body: "With the Gentle Amino Cleanser, amino-acid surfactants meets never tight."},
			content.LintAgreement, "surfactants meets",
			content.Copy{Title: "Gentle Amino Cleanser", Body: "The Gentle Amino Cleanser: amino-acid surfactants, and never tight."}, "does not agree"},
		{"agreement with a plural name", lintTarget(content.Push, content.En, sneakersEn),
			content.Copy{Title: "Classic White Sneakers", Body: "The Classic White Sneakers is 20% off everything."},
			content.LintAgreement, "Classic White Sneakers is",
			content.Copy{Title: "Classic White Sneakers", Body: "The Classic White Sneakers are 20% off everything."}, "plural"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := tc.target.Lint(tc.bad)
			found := false
			for _, f := range fs {
				if f.Code == tc.code && strings.Contains(f.Span.Text, tc.span) {
					found = true
					if !strings.Contains(f.Reason, tc.message) {
						t.Errorf("reason %q lacks %q", f.Reason, tc.message)
					}
					// the span points at the text it quotes
					field := []rune(tc.bad.Field(f.Field))
					if f.Field != "hashtags" && string(field[f.Span.Start:f.Span.End]) != f.Span.Text {
						t.Errorf("span %d-%d is %q, not %q", f.Span.Start, f.Span.End, string(field[f.Span.Start:f.Span.End]), f.Span.Text)
					}
				}
			}
			if !found {
				t.Errorf("no %s finding on %q; got %+v", tc.code, tc.span, fs)
			}
			if fs := tc.target.Lint(tc.good); len(fs) > 0 {
				t.Errorf("the good copy has findings: %+v", fs)
			}
			// findings are violations the repair loop sends back
			vs := tc.target.Validate(tc.bad)
			hit := false
			for _, v := range vs {
				if v.Rule == "lint" && v.Code == tc.code {
					hit = true
				}
			}
			if !hit {
				t.Errorf("Validate does not report the %s finding: %v", tc.code, vs)
			}
		})
	}
}

// A product named inside another product's name is not "another product":
// RED HANGING HEART T-LIGHT HOLDER contains HEART T-LIGHT HOLDER.
func TestGroundingOthersInsideTheOwnName(t *testing.T) {
	other := catalog.Product{SKU: "21730", Title: "HEART T-LIGHT HOLDER"}
	tote := catalog.Product{SKU: "20712", Title: "JUMBO BAG WOODLAND ANIMALS"}
	g := content.Grounding{Products: []catalog.Product{holderOR}, Brief: double11(), Others: []catalog.Product{holderOR, other, tote}}
	if vs := g.Check("Meet the Red Hanging Heart T-Light Holder: a heart T-light holder to hang.", content.En); len(vs) > 0 {
		t.Errorf("false flags: %v", vs)
	}
	if vs := g.Check("Pair the Red Hanging Heart T-Light Holder with the Jumbo Bag Woodland Animals.", content.En); len(vs) != 1 {
		t.Errorf("another product named: %v", vs)
	}
	g.Mentions = []string{"Jumbo Bag Woodland Animals"}
	if vs := g.Check("Goes with the Jumbo Bag Woodland Animals you bought.", content.En); len(vs) > 0 {
		t.Errorf("a purchase the copy may mention is flagged: %v", vs)
	}
}
