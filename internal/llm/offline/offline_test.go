package offline_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/chorusmkt/chorus/internal/content/lexicon"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/llm/offline"
)

// seedHints is the product's seed example: a 25-year-old female designer
// who likes fashion, travel and photography, and a waterproof, shockproof,
// light camera bag for travel and outdoor use.
func seedHints(channel string) *llm.Hints {
	return &llm.Hints{Channel: channel, Language: "zh",
		Product: &llm.ProductFacts{Title: "时尚相机包", Category: "相机包", Description: "适合旅行和户外的防水、防震、轻便相机包",
			SellingPoints: []string{"防水", "防震", "轻便"}},
		Persona: &llm.PersonaFacts{Age: 25, AgeBand: "25-29", Gender: "female", Occupation: "设计师", Interests: []string{"时尚", "旅行", "摄影"}}}
}

func countIn(text string, words []string) int {
	n := 0
	for _, w := range words {
		if strings.Contains(text, w) {
			n++
		}
	}
	return n
}

func TestSeedExample(t *testing.T) {
	for _, ch := range []string{"ad", "xiaohongshu", "moments", "weibo", "email", "product"} {
		t.Run(ch, func(t *testing.T) {
			res, err := offline.New().Generate(context.Background(), llm.Request{Hints: seedHints(ch), N: 3})
			if err != nil {
				t.Fatal(err)
			}
			if res.Provider != "offline" || len(res.Choices) != 3 {
				t.Fatalf("provider %q, %d choices", res.Provider, len(res.Choices))
			}
			seen := map[string]bool{}
			for i, c := range res.Choices {
				text := c.Text
				if !strings.Contains(text, "时尚相机包") {
					t.Errorf("variant %d does not name the product:\n%s", i, text)
				}
				if n := countIn(text, []string{"防水", "防震", "轻便"}); n < 2 {
					t.Errorf("variant %d names %d selling points:\n%s", i, n, text)
				}
				// the product title contains 时尚: an interest must be named elsewhere
				rest := strings.ReplaceAll(text, "时尚相机包", "")
				if ch != "product" && countIn(rest, []string{"时尚", "旅行", "摄影"}) < 1 { // a product page is not a personal message
					t.Errorf("variant %d names none of her interests:\n%s", i, text)
				}
				if strings.Contains(text, "{") && !strings.Contains(text, "{{") {
					t.Errorf("variant %d has an unfilled placeholder:\n%s", i, text)
				}
				if seen[text] {
					t.Errorf("variant %d repeats an earlier one", i)
				}
				seen[text] = true
			}
		})
	}
}

func TestDeterministicForSeed(t *testing.T) {
	w := offline.New()
	seed := int64(42)
	req := llm.Request{Hints: seedHints("ad"), N: 2, Seed: &seed}
	a, _ := w.Generate(context.Background(), req)
	b, _ := w.Generate(context.Background(), req)
	if a.Text() != b.Text() || a.Choices[1].Text != b.Choices[1].Text {
		t.Fatal("same seed, different text")
	}
	other := int64(7)
	req.Seed = &other
	c, _ := w.Generate(context.Background(), req)
	if c.Text() == a.Text() {
		t.Fatal("different seeds gave the same text")
	}
}

func schemaFor(fields ...string) json.RawMessage {
	props := map[string]any{}
	for _, f := range fields {
		if f == "hashtags" {
			props[f] = map[string]any{"type": "array", "items": map[string]any{"type": "string"}}
		} else {
			props[f] = map[string]any{"type": "string", "minLength": 1}
		}
	}
	b, _ := json.Marshal(map[string]any{"type": "object", "properties": props, "required": fields, "additionalProperties": false})
	return b
}

func TestFieldsAndLimits(t *testing.T) {
	cases := []struct {
		channel, lang string
		fields        []string
		limits        map[string]int
	}{
		{"ad", "zh", []string{"headline", "description", "cta"}, map[string]int{"headline": 15, "description": 60, "cta": 6}},
		{"xiaohongshu", "zh", []string{"title", "body", "hashtags"}, map[string]int{"title": 20, "body": 300}},
		{"email", "en", []string{"subject", "preheader", "body_text"}, map[string]int{"subject": 60, "preheader": 90, "body_text": 700}},
		{"sms", "zh", []string{"text"}, map[string]int{"text": 70}},
		{"sms", "en", []string{"text"}, map[string]int{"text": 160}},
		{"push", "en", []string{"title", "body"}, map[string]int{"title": 30, "body": 80}},
		{"support", "zh", []string{"answer"}, nil},
		{"instagram", "en", []string{"caption", "hashtags"}, map[string]int{"caption": 200}},
	}
	for _, tc := range cases {
		t.Run(tc.channel+"/"+tc.lang, func(t *testing.T) {
			h := seedHints(tc.channel)
			h.Language, h.Fields, h.Limits = tc.lang, tc.fields, tc.limits
			h.Brief = &llm.BriefFacts{Offer: "全场8折", Deadline: "12月12日", Sender: "【Lumen】", OptOut: "回T退订", MustSay: []string{"顺丰包邮"}}
			if tc.lang == "en" {
				h.Product = &llm.ProductFacts{Title: "Trail Camera Bag", Brand: "Lumen", SellingPoints: []string{"waterproof", "shockproof", "lightweight"}}
				h.Persona = &llm.PersonaFacts{Occupation: "designer", Interests: []string{"fashion", "travel", "photography"}}
				h.Brief = &llm.BriefFacts{Offer: "20% off", Deadline: "Dec 12", Sender: "[Lumen]", OptOut: "Reply STOP to opt out", MustSay: []string{"Free shipping"}}
			}
			res, err := offline.New().Generate(context.Background(), llm.Request{Hints: h, Schema: schemaFor(tc.fields...), N: 3})
			if err != nil {
				t.Fatal(err)
			}
			for i, c := range res.Choices {
				var obj map[string]any
				if err := json.Unmarshal(c.JSON, &obj); err != nil {
					t.Fatal(err)
				}
				keys := make([]string, 0, len(obj))
				for k := range obj {
					keys = append(keys, k)
				}
				slices.Sort(keys)
				want := slices.Clone(tc.fields)
				slices.Sort(want)
				if !slices.Equal(keys, want) {
					t.Fatalf("variant %d keys %v, want %v", i, keys, want)
				}
				for k, lim := range tc.limits {
					if s, _ := obj[k].(string); lim > 0 && utf8.RuneCountInString(s) > lim {
						t.Errorf("variant %d %s has %d runes > %d: %q", i, k, utf8.RuneCountInString(s), lim, s)
					}
				}
				switch tc.channel {
				case "sms":
					s := obj["text"].(string)
					sender, optout := "【Lumen】", "回T退订"
					if tc.lang == "en" {
						sender, optout = "[Lumen]", "Reply STOP to opt out"
					}
					if !strings.HasPrefix(s, sender) || !strings.HasSuffix(s, optout) {
						t.Errorf("sms %q lacks sender or opt-out", s)
					}
				case "email":
					if !strings.Contains(obj["body_text"].(string), "{{unsubscribe_url}}") || !strings.Contains(obj["body_text"].(string), "Free shipping") {
						t.Errorf("email body lacks unsubscribe link or must-say: %q", obj["body_text"])
					}
				case "xiaohongshu":
					if tags, _ := obj["hashtags"].([]any); len(tags) < 2 {
						t.Errorf("hashtags %v", obj["hashtags"])
					}
				}
			}
		})
	}
}

func TestBudgetsByShorterSentences(t *testing.T) {
	h := seedHints("ad")
	h.Language = "en"
	h.Product = &llm.ProductFacts{Title: "Trail Camera Bag", SellingPoints: []string{"waterproof", "shockproof", "lightweight"}}
	h.Persona = &llm.PersonaFacts{Interests: []string{"travel"}}
	h.Fields = []string{"description"}
	for _, lim := range []int{40, 70, 110, 150} {
		h.Limits = map[string]int{"description": lim}
		res, err := offline.New().Generate(context.Background(), llm.Request{Hints: h, Schema: schemaFor("description")})
		if err != nil {
			t.Fatal(err)
		}
		var obj struct{ Description string }
		_ = json.Unmarshal(res.JSON(), &obj)
		d := obj.Description
		if utf8.RuneCountInString(d) > lim || d == "" {
			t.Fatalf("limit %d: %q", lim, d)
		}
		// a shorter construction, never a cut: whole sentences only
		if r, _ := utf8.DecodeLastRuneInString(d); !strings.ContainsRune(".!?", r) || strings.Contains(d, "…") {
			t.Errorf("limit %d: %q is not made of whole sentences", lim, d)
		}
	}
}

func TestTabooRespected(t *testing.T) {
	h := seedHints("ad")
	h.Voice = &llm.VoiceFacts{Taboo: []string{"不慌", "就选"}}
	res, err := offline.New().Generate(context.Background(), llm.Request{Hints: h, N: 5})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Choices {
		if strings.Contains(c.Text, "不慌") || strings.Contains(c.Text, "就选") {
			t.Fatalf("taboo word in %q", c.Text)
		}
	}
}

func TestStream(t *testing.T) {
	var parts []string
	res, err := offline.New().Stream(context.Background(), llm.Request{Hints: seedHints("moments")}, func(s string) error { parts = append(parts, s); return nil })
	if err != nil || strings.Join(parts, "") != res.Text() || len(parts) < 3 {
		t.Fatalf("%v %q", err, parts)
	}
}

func TestUnknownField(t *testing.T) {
	h := seedHints("ad")
	h.Fields = []string{"slogan"}
	if _, err := offline.New().Generate(context.Background(), llm.Request{Hints: h, Schema: schemaFor("slogan")}); err == nil || !strings.Contains(err.Error(), "slogan") {
		t.Fatalf("err = %v", err)
	}
}

// The offline writer composes Xiaohongshu copy for the seed example with
// no network and no API key; its output is deterministic for a seed.
func ExampleWriter_Generate() {
	seed := int64(1)
	res, err := offline.New().Generate(context.Background(), llm.Request{
		Seed: &seed,
		Hints: &llm.Hints{Channel: "sms", Language: "zh", Fields: []string{"text"}, Limits: map[string]int{"text": 70},
			Product: &llm.ProductFacts{Title: "时尚相机包", SellingPoints: []string{"防水", "防震", "轻便"}},
			Persona: &llm.PersonaFacts{Age: 25, Occupation: "设计师", Interests: []string{"时尚", "旅行", "摄影"}},
			Brief:   &llm.BriefFacts{Offer: "全场8折", Deadline: "2026-12-12", Sender: "【Lumen】", OptOut: "回T退订"}},
		Schema: json.RawMessage(`{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}`),
	})
	if err != nil {
		panic(err)
	}
	var sms struct{ Text string }
	_ = json.Unmarshal(res.JSON(), &sms)
	fmt.Println(res.Provider)
	fmt.Println(sms.Text)
	fmt.Println(utf8.RuneCountInString(sms.Text) <= 70)
	// Output:
	// offline
	// 【Lumen】说到旅行，这一只一定要看看。时尚相机包，防水、防震。全场8折，12月12日截止。回T退订
	// true
}

func BenchmarkGenerateXiaohongshu(b *testing.B) {
	w := offline.New()
	req := llm.Request{Hints: seedHints("xiaohongshu"), N: 3}
	for b.Loop() {
		if _, err := w.Generate(context.Background(), req); err != nil {
			b.Fatal(err)
		}
	}
}

// English selling points are noun phrases as often as adjectives
// ("Amino-acid surfactants", "Never tight"): no template may use a noun
// phrase as what the product "is" (an adjective may: "is never tight"),
// and inside a sentence they read in lower case, names from the title
// excepted.
func TestEnglishSellingPointsReadInSentences(t *testing.T) {
	sps := []string{"Amino-acid surfactants", "Never tight", "pH balanced", "Lumen-grade formula"}
	for _, ch := range []string{"ad", "xiaohongshu", "email", "sms", "push", "product", "support"} {
		res, err := offline.New().Generate(context.Background(), llm.Request{N: 4, Hints: &llm.Hints{Channel: ch, Language: "en",
			Product: &llm.ProductFacts{Title: "Lumen Gentle Amino Cleanser (150 ml)", Brand: "Lumen & Co", Category: "Beauty", SellingPoints: sps,
				Description: "A gentle daily cleanser. Made in Kyoto with amino acids."},
			Persona: &llm.PersonaFacts{Interests: []string{"skincare", "travel"}}}})
		if err != nil {
			t.Fatalf("%s: %v", ch, err)
		}
		for i, c := range res.Choices {
			text := c.Text + string(c.JSON)
			low := strings.ToLower(text)
			for _, sp := range []string{"Amino-acid surfactants", "Lumen-grade formula"} {
				l := strings.ToLower(sp)
				for _, bad := range []string{"it's " + l, " is " + l, " are " + l} {
					if strings.Contains(low, bad) {
						t.Errorf("%s variant %d says %q:\n%s", ch, i, bad, text)
					}
				}
			}
			for _, mid := range []string{", Never tight", ": Never tight", "and Never tight", ": Amino-acid", ", Amino-acid", "and Amino-acid"} {
				if strings.Contains(text, mid) {
					t.Errorf("%s variant %d keeps title case inside a sentence (%q):\n%s", ch, i, mid, text)
				}
			}
			if strings.Contains(text, "lumen-grade") || strings.Contains(text, "PH balanced") {
				t.Errorf("%s variant %d lower-cased the brand name:\n%s", ch, i, text)
			}
			for _, tag := range strings.Fields(text) {
				if tag = strings.TrimRight(tag, "\",]"); strings.HasPrefix(tag, "#") && strings.ContainsAny(tag[1:], "()&-'#") {
					t.Errorf("%s variant %d has a hashtag a platform would cut short: %q", ch, i, tag)
				}
			}
			if strings.Contains(low, " gear") || strings.Contains(low, " kit") {
				t.Errorf("%s variant %d calls a cleanser gear:\n%s", ch, i, text)
			}
		}
	}
}

func generateJSON(t *testing.T, h *llm.Hints, n int) []map[string]any {
	t.Helper()
	res, err := offline.New().Generate(context.Background(), llm.Request{Hints: h, Schema: schemaFor(h.Fields...), N: n})
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, c := range res.Choices {
		var m map[string]any
		if err := json.Unmarshal(c.JSON, &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// The SMS opt-out is the brief's, copied verbatim: the writer has none of
// its own (content owns the default), so a custom one is never doubled
// or replaced.
func TestSMSOptOutIsTheBriefs(t *testing.T) {
	for _, tc := range []struct{ lang, sender, optOut string }{
		{"zh", "【Lumen】", "拒收请回复R"},
		{"en", "[Lumen]", "Text STOP to 60060 to unsubscribe"},
		{"zh", "【Lumen】", ""},
	} {
		h := seedHints("sms")
		h.Language, h.Fields, h.Limits = tc.lang, []string{"text"}, map[string]int{"text": 134}
		h.Brief = &llm.BriefFacts{Offer: "全场8折", Deadline: "2026-11-11", Sender: tc.sender, OptOut: tc.optOut}
		if tc.lang == "en" {
			h.Product = &llm.ProductFacts{Title: "Trail Camera Bag", SellingPoints: []string{"waterproof", "lightweight"}}
			h.Brief.Offer = "20% off"
		}
		for i, m := range generateJSON(t, h, 4) {
			text := m["text"].(string)
			if !strings.HasPrefix(text, tc.sender) {
				t.Errorf("%s variant %d does not open with the sender: %q", tc.lang, i, text)
			}
			switch {
			case tc.optOut != "" && !strings.HasSuffix(text, tc.optOut):
				t.Errorf("%s variant %d does not end with the brief's opt-out %q: %q", tc.lang, i, tc.optOut, text)
			case tc.optOut == "" && (strings.Contains(text, "回T退订") || strings.Contains(text, "STOP")):
				t.Errorf("the writer added an opt-out of its own: %q", text)
			}
		}
	}
}

// A hook names only an interest the product serves; with none, it hooks
// on something else (the occasion here) or on nothing.
func TestHooksNeverForceAnInterest(t *testing.T) {
	h := &llm.Hints{Channel: "xiaohongshu", Language: "zh", Fields: []string{"title", "body", "hashtags"},
		Product: &llm.ProductFacts{Title: "氨基酸洁面乳", Category: "美妆 > 护肤", SellingPoints: []string{"氨基酸表活", "温和不紧绷", "弱酸性"}},
		Persona: &llm.PersonaFacts{Interests: []string{"健身", "户外"}},
		Brief:   &llm.BriefFacts{Offer: "全场8折", Deadline: "2026-11-11", Occasion: "double11"}}
	for i, m := range generateJSON(t, h, 6) {
		js, _ := json.Marshal(m)
		if strings.Contains(string(js), "健身") || strings.Contains(string(js), "户外") {
			t.Errorf("variant %d names an interest a cleanser does not serve: %s", i, js)
		}
	}
	h.Persona.Interests = []string{"健身", "护肤"}
	served := 0
	for _, m := range generateJSON(t, h, 6) {
		if strings.Contains(m["body"].(string), "护肤") {
			served++
		}
	}
	if served == 0 {
		t.Error("no variant hooks on the interest the cleanser does serve")
	}
}

// Measure words follow the product (这条盖毯, 这双鞋), dates are written
// in words, and no budget is met by cutting a sentence.
func TestMeasureWordsDatesAndNoCuts(t *testing.T) {
	h := &llm.Hints{Channel: "email", Language: "zh", Fields: []string{"subject", "preheader", "body_text", "cta"},
		Product: &llm.ProductFacts{Title: "华夫格盖毯", Category: "家居 > 布艺", SellingPoints: []string{"纯棉", "柔软透气", "可机洗"}},
		Brief:   &llm.BriefFacts{Offer: "全场8折", Deadline: "2026-11-11"}}
	for _, m := range generateJSON(t, h, 8) {
		js, _ := json.Marshal(m)
		for _, bad := range []string{"这只华夫格盖毯", "这件华夫格盖毯", "2026-11-11", "…", "久穿不闷"} {
			if strings.Contains(string(js), bad) {
				t.Errorf("%q in %s", bad, js)
			}
		}
		if !strings.Contains(string(js), "11月11日") {
			t.Errorf("no natural date in %s", js)
		}
	}
	for _, lim := range []int{30, 45, 60, 90, 140} {
		h := &llm.Hints{Channel: "ad", Language: "en", Fields: []string{"description"}, Limits: map[string]int{"description": lim},
			Product: &llm.ProductFacts{Title: "Gentle Amino Cleanser", SellingPoints: []string{"Amino-acid surfactants", "Never tight", "pH balanced"}},
			Brief:   &llm.BriefFacts{Offer: "20% off everything", Deadline: "2026-11-11"}}
		for _, m := range generateJSON(t, h, 4) {
			d := m["description"].(string)
			if strings.Contains(d, "…") || strings.Contains(d, "...") {
				t.Errorf("limit %d: cut with an ellipsis: %q", lim, d)
			}
			if r, _ := utf8.DecodeLastRuneInString(d); !strings.ContainsRune(".!?", r) {
				t.Errorf("limit %d: %q does not end a sentence", lim, d)
			}
			if strings.Contains(d, "2026") {
				t.Errorf("limit %d: machine date in %q", lim, d)
			}
		}
	}
}

// An ALL-CAPS catalog title is written in title case, the brand signs the
// email once, and the product's full name appears at most twice.
func TestCatalogTitlesAndSignature(t *testing.T) {
	h := &llm.Hints{Channel: "email", Language: "en", Fields: []string{"subject", "preheader", "body_text", "cta"},
		Product: &llm.ProductFacts{Title: "RED HANGING HEART T-LIGHT HOLDER", Price: 2.95, Currency: "GBP", URL: "https://gift.example/p/21733",
			SellingPoints: []string{"Red heart design", "Ready to hang", "Holds a candle or a tea light"}},
		Brief: &llm.BriefFacts{Offer: "10% off your next order", Deadline: "2011-12-20", Occasion: "christmas"},
		Voice: &llm.VoiceFacts{Brand: "Gift Co"}, Slots: []string{"{{first_name}}"}}
	for i, m := range generateJSON(t, h, 6) {
		body := m["body_text"].(string)
		if strings.Contains(body, "RED HANGING") || strings.Contains(m["subject"].(string), "RED HANGING") {
			t.Errorf("variant %d keeps the catalog's capitals: %q", i, body)
		}
		if n := strings.Count(body, "Red Hanging Heart T-Light Holder"); n < 1 || n > 2 {
			t.Errorf("variant %d names the product %d times:\n%s", i, n, body)
		}
		if n := strings.Count(body, "Gift Co"); n != 1 || strings.Contains(body, "Chorus") {
			t.Errorf("variant %d: brand %d times (or Chorus):\n%s", i, n, body)
		}
		if !strings.Contains(body, "December 20") {
			t.Errorf("variant %d has no natural date:\n%s", i, body)
		}
	}
}

// In a repair round the writer takes the feedback: a term the repair
// request quotes as not allowed (an advertising-law finding) is left out,
// selling point and all, instead of the same answer coming back.
func TestRepairFeedbackAvoidsForbiddenTerms(t *testing.T) {
	h := &llm.Hints{Channel: "ad", Language: "zh", Fields: []string{"headline", "description", "cta"},
		Product: &llm.ProductFacts{Title: "每日坚果（30包）", Category: "美食 > 零食", SellingPoints: []string{"无添加糖", "独立小包", "六种坚果果干"}},
		Brief:   &llm.BriefFacts{Offer: "全场8折", Deadline: "2026-11-11"}}
	first, err := offline.New().Generate(context.Background(), llm.Request{Hints: h, Schema: schemaFor(h.Fields...)})
	if err != nil {
		t.Fatal(err)
	}
	repair := llm.Request{Hints: h, Schema: schemaFor(h.Fields...), Messages: []llm.Message{
		{Role: llm.RoleUser, Content: "写一条广告"},
		{Role: llm.RoleAssistant, Content: first.Text()},
		{Role: llm.RoleUser, Content: "上一版文案没有通过检查：\n- compliance: \"无添加\" is not allowed in advertising (…)\n其余内容尽量保持不变。"},
	}}
	for range 3 {
		res, err := offline.New().Generate(context.Background(), repair)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(res.Text(), "无添加") {
			t.Fatalf("the repaired answer keeps the forbidden term: %s", res.Text())
		}
		if !strings.Contains(res.Text(), "每日坚果") {
			t.Fatalf("the repaired answer lost the product: %s", res.Text())
		}
	}
}

// An SMS budget is in carrier units: the brackets of [Lumen & Co] and a
// € cost two GSM-7 septets each, so the writer counts them so.
func TestSMSBudgetInUnits(t *testing.T) {
	for _, limit := range []int{120, 160, 200} {
		h := &llm.Hints{Channel: "sms", Language: "en", Fields: []string{"text"}, Limits: map[string]int{"text": limit},
			Product: &llm.ProductFacts{Title: "Everyday Camera Bag", URL: "https://shop.example.com/en/p/bag",
				SellingPoints: []string{"Water-resistant", "Lightweight", "Large capacity"}},
			Brief: &llm.BriefFacts{Offer: "€10 off [members]", Deadline: "2026-11-11", Sender: "[Lumen & Co]", OptOut: "Reply STOP to opt out"}}
		for _, m := range generateJSON(t, h, 6) {
			text := m["text"].(string)
			if enc, n := lexicon.SMSLength(text); n > limit {
				t.Errorf("limit %d: %d %s units: %q", limit, n, enc, text)
			}
		}
	}
}
