package lexicon_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/content/lexicon"
	"github.com/chorusmkt/chorus/internal/demo"
)

func TestDescribeKinds(t *testing.T) {
	cases := []struct {
		title, category string
		kind, noun      string
		plural          bool
		measure         string // a measure word that must fit ("" to skip)
		wrong           string // one that must not
	}{
		{"华夫格盖毯", "家居 > 布艺", "throw", "盖毯", false, "条", "只"},
		{"云南小粒咖啡豆 454g", "美食 > 咖啡", "coffee_beans", "咖啡豆", false, "袋", "只"},
		{"百搭小白鞋", "时尚 > 鞋履", "shoes", "鞋", false, "双", "件"},
		{"偏光太阳镜", "时尚 > 配饰", "sunglasses", "太阳镜", false, "副", "只"},
		{"羊毛针织开衫", "时尚 > 服装", "top", "衣服", false, "件", "条"},
		{"旅行收纳袋六件套", "旅行 > 收纳", "organiser", "收纳包", false, "套", "双"},
		{"碳素登山杖（一对）", "户外 > 徒步", "trekking_poles", "登山杖", false, "副", "件"},
		{"婴儿腰凳背带", "母婴 > 出行", "baby_carrier", "背带", false, "款", "双"},
		{"挂耳咖啡（20包）", "美食 > 咖啡", "drip_coffee", "挂耳咖啡", false, "盒", "只"},
		{"RED HANGING HEART T-LIGHT HOLDER", "", "candle_holder", "T-light holder", false, "", ""},
		{"GINGHAM HEART  DOORSTOP RED", "", "doorstop", "doorstop", false, "", ""},
		{"HOT WATER BOTTLE TEA AND SYMPATHY", "", "hot_water_bottle", "hot water bottle", false, "", ""},
		{"60 CAKE CASES VINTAGE CHRISTMAS", "", "bakeware", "cake cases", true, "", ""},
		{"JUMBO BAG VINTAGE LEAF", "", "bag", "jumbo bag", false, "", ""},
		{"LUNCH BAG RED VINTAGE DOILY", "", "lunch_bag", "lunch bag", false, "", ""},
		{"HAND WARMER OWL DESIGN", "", "hand_warmer", "hand warmer", false, "", ""},
		{"MINI LIGHTS WOODLAND MUSHROOMS", "", "fairy_lights", "mini lights", true, "", ""},
		{"WHITE WICKER STAR", "", "decoration", "star", false, "", ""},
		{"TRADITIONAL PICK UP STICKS GAME", "", "toy", "pick up sticks game", false, "", ""},
		{"Drip Coffee Bags (20)", "Food & Drink > Coffee", "drip_coffee", "coffee bags", true, "", ""},
		{"Packing Cubes (Set of 6)", "Travel > Organisers", "organiser", "packing cubes", true, "", ""},
		{"Resistance Band Set", "Fitness > Training", "resistance_bands", "resistance band set", false, "", ""},
		{"Classic White Sneakers", "Fashion > Shoes", "shoes", "sneakers", true, "", ""},
		{"Polarised Sunglasses", "Fashion > Accessories", "sunglasses", "sunglasses", true, "", ""},
		{"Braided USB-C Cables (2-pack)", "Tech > Accessories", "cable", "cables", true, "", ""},
		{"Waffle Knit Throw", "Home > Textiles", "throw", "throw", false, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.title, func(t *testing.T) {
			p := lexicon.Describe(tc.title, tc.category, nil)
			if p.Kind.Key != tc.kind || p.Noun != tc.noun || p.Plural != tc.plural {
				t.Errorf("kind %s noun %q plural %v; want %s %q %v", p.Kind.Key, p.Noun, p.Plural, tc.kind, tc.noun, tc.plural)
			}
			if tc.measure != "" && !p.MeasureFits(tc.measure) {
				t.Errorf("%s does not fit (measures %v)", tc.measure, p.Measures)
			}
			if tc.wrong != "" && p.MeasureFits(tc.wrong) {
				t.Errorf("%s fits (measures %v)", tc.wrong, p.Measures)
			}
		})
	}
	if p := lexicon.Describe("华夫格盖毯", "", []string{"量词:张"}); !slices.Equal(p.Measures, []string{"张"}) {
		t.Errorf("a tag overrides the measure words: %v", p.Measures)
	}
}

// Every product of the demo catalog is recognised and serves the interest
// its catalog line is for, in both languages: the category ↔ interest map
// agrees with the shop the demo customers' interests were drawn for.
func TestDemoCatalogKindsServeTheirInterest(t *testing.T) {
	shop, err := demo.Generate(demo.Options{Customers: demo.MinCustomers})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range shop.Products {
		info := lexicon.Describe(p.Title, p.Category, p.Tags)
		if info.Kind.Key == "general" {
			t.Errorf("%s %q: no kind", p.SKU, p.Title)
		}
		if !info.Serves(p.TopCategory()) {
			t.Errorf("%s %q (%s, kind %s) does not serve %q: %v", p.SKU, p.Title, p.Category, info.Kind.Key, p.TopCategory(), info.Interests)
		}
		if info.Noun == "" {
			t.Errorf("%s %q: no noun", p.SKU, p.Title)
		}
	}
	for _, in := range demo.Interests() {
		for _, w := range []string{in.ZH, in.EN} {
			if lexicon.InterestOf(w) == "" {
				t.Errorf("interest %q is not in the vocabulary", w)
			}
		}
	}
}

func TestInterestsServed(t *testing.T) {
	cleanser := lexicon.Describe("氨基酸洁面乳", "美妆 > 护肤", nil)
	for _, bad := range []string{"健身", "fitness", "旅行"} {
		if cleanser.Serves(bad) {
			t.Errorf("a cleanser serves %s", bad)
		}
	}
	for _, ok := range []string{"美妆", "beauty", "护肤", "skincare"} {
		if !cleanser.Serves(ok) {
			t.Errorf("a cleanser does not serve %s (%v)", ok, cleanser.Interests)
		}
	}
	chair := lexicon.Describe("折叠月亮椅", "户外 > 露营", nil)
	if chair.Serves("健身") || !chair.Serves("户外") || !chair.Serves("露营") {
		t.Errorf("camp chair interests %v", chair.Interests)
	}
}

func TestClassifyPoint(t *testing.T) {
	cases := []struct {
		text string
		want lexicon.PointKind
	}{
		{"防水", lexicon.Adjective}, {"轻便", lexicon.Adjective}, {"温和不紧绷", lexicon.Adjective},
		{"头层牛皮", lexicon.Noun}, {"氨基酸表活", lexicon.Noun}, {"可调隔板", lexicon.Noun}, {"静音万向轮", lexicon.Noun},
		{"可放16寸笔记本", lexicon.Claim}, {"可带上飞机", lexicon.Claim}, {"三分钟速搭", lexicon.Claim}, {"长度可调", lexicon.Claim}, {"承重8kg", lexicon.Claim},
		{"128GB", lexicon.Spec}, {"5片装", lexicon.Spec}, {"六件套", lexicon.Spec}, {"可可味", lexicon.Noun},
		{"Water-resistant", lexicon.Adjective}, {"Never tight", lexicon.Adjective}, {"pH balanced", lexicon.Adjective}, {"Machine washable", lexicon.Adjective},
		{"Suitable for sensitive skin", lexicon.Adjective}, {"Roasted this week", lexicon.Adjective},
		{"Amino-acid surfactants", lexicon.Noun}, {"Full-grain leather", lexicon.Noun}, {"Shock-absorbing dividers", lexicon.Noun}, {"Carry pouch", lexicon.Noun},
		{"Fits a 16-inch laptop", lexicon.Claim}, {"Packs small", lexicon.Claim}, {"Just add hot water", lexicon.Claim}, {"For office and travel", lexicon.Claim},
		{"Pack of 5", lexicon.Spec}, {"Only 1.2 kg", lexicon.Spec}, {"128 GB", lexicon.Spec}, {"Ready to hang", lexicon.Adjective},
	}
	for _, tc := range cases {
		lang := "en"
		if strings.ContainsFunc(tc.text, func(r rune) bool { return r > 0x2E80 }) {
			lang = "zh"
		}
		if got := lexicon.ClassifyPoint(tc.text, lang); got.Kind != tc.want {
			t.Errorf("%q: %s, want %s", tc.text, got.Kind, tc.want)
		}
	}
	if p := lexicon.ClassifyPoint("Fits a 16-inch laptop", "en"); !p.Verb3 {
		t.Error("Fits … is led by a third-person verb")
	}
	if got := lexicon.ThirdToPlural("Takes weight off your knees"); got != "Take weight off your knees" {
		t.Errorf("ThirdToPlural: %q", got)
	}
}

func TestDisplayTitle(t *testing.T) {
	for in, want := range map[string]string{
		"RED HANGING HEART T-LIGHT HOLDER":  "Red Hanging Heart T-Light Holder",
		"GINGHAM HEART  DOORSTOP RED":       "Gingham Heart Doorstop Red",
		"PAPER CHAIN KIT 50'S CHRISTMAS":    "Paper Chain Kit 50's Christmas",
		"SET OF 3 CAKE TINS PANTRY DESIGN":  "Set of 3 Cake Tins Pantry Design",
		"SET/6 RED SPOTTY PAPER CUPS":       "Set/6 Red Spotty Paper Cups",
		"UNION JACK FLAG LED LIGHTS":        "Union Jack Flag LED Lights",
		"HOT WATER BOTTLE TEA AND SYMPATHY": "Hot Water Bottle Tea and Sympathy",
		"Everyday Camera Bag":               "Everyday Camera Bag",
		"时尚相机包":                             "时尚相机包",
	} {
		if got := lexicon.DisplayTitle(in); got != want {
			t.Errorf("DisplayTitle(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDatesAndOccasions(t *testing.T) {
	if got := lexicon.DateWords("2026-11-11", "zh", false); got != "11月11日" {
		t.Error(got)
	}
	if got := lexicon.DateWords("2011-12-20", "en", false); got != "December 20" {
		t.Error(got)
	}
	if got := lexicon.DateWords("2011-12-20", "en", true); got != "Dec 20" {
		t.Error(got)
	}
	for text, want := range map[string][]string{
		"全场8折，2026-11-11结束":          {"2026-11-11"},
		"ends 20/12/2011, see 11/11": {"20/12/2011", "11/11"},
		"11月11日截止，50% off, 3-5 days": nil,
	} {
		var got []string
		for _, s := range lexicon.MachineDates(text) {
			got = append(got, s.Text)
		}
		slices.Sort(got)
		w := slices.Clone(want)
		slices.Sort(w)
		if !slices.Equal(got, w) {
			t.Errorf("MachineDates(%q) = %v, want %v", text, got, want)
		}
	}
	if lexicon.OccasionIn("双11前唤醒老客") != "double11" || lexicon.OccasionIn("Bring our best customers back for the Christmas range") != "christmas" {
		t.Error("OccasionIn")
	}
	if lexicon.ThemeOf("CHRISTMAS HANGING STAR WITH BELL") != "christmas" || lexicon.ThemeOf("JUMBO BAG VINTAGE LEAF") != "" {
		t.Error("ThemeOf")
	}
	var keys []string
	for _, m := range lexicon.InterestMentions("爱健身的你. Love home? Perfect for home offices, and for food lovers.") {
		keys = append(keys, m.Key)
	}
	if !slices.Equal(keys, []string{"fitness", "home", "food"}) {
		t.Errorf("InterestMentions: %v", keys)
	}
}

func TestDerivePoints(t *testing.T) {
	info := lexicon.Describe("RED HANGING HEART T-LIGHT HOLDER", "", nil)
	got := lexicon.DerivePoints("RED HANGING HEART T-LIGHT HOLDER", info, "en")
	want := []string{"Holds a candle or a tea light", "Red heart design", "Ready to hang"}
	if !slices.Equal(got, want) {
		t.Errorf("DerivePoints = %q, want %q", got, want)
	}
	info = lexicon.Describe("60 CAKE CASES VINTAGE CHRISTMAS", "", nil)
	got = lexicon.DerivePoints("60 CAKE CASES VINTAGE CHRISTMAS", info, "en")
	if !slices.Contains(got, "Pack of 60") || !slices.Contains(got, "Made for Christmas") || !slices.Contains(got, "Vintage look") {
		t.Errorf("DerivePoints = %q", got)
	}
}
