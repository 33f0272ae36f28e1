package adlaw

import (
	"strings"
	"testing"
	"testing/fstest"
)

// want is one expected finding: the term and the exact original text it
// must slice.
type want struct {
	term, matched string
	start         int
}

func TestCheckFindings(t *testing.T) {
	c := defaultChecker(t)
	tests := []struct {
		name    string
		text    string
		opts    Options
		verdict Verdict
		want    []want
	}{
		{"empty text", "", Options{}, Pass, nil},
		{"plain clean", "纯棉面料，亲肤透气。", Options{Lang: "zh"}, Pass, nil},
		{"bare term", "这是最佳选择", Options{Lang: "zh"}, Block, []want{{"最佳", "最佳", len("这是")}}},
		{"full-width NO.1", "全新ＮＯ．１品牌", Options{Lang: "zh"}, Block, []want{{"No.1", "ＮＯ．１", len("全新")}}},
		{"full-width NO.1 in English", "Ｔｈｅ ＮＯ．１ pick", Options{Lang: "en"}, Review, []want{{"no.1", "ＮＯ．１", len("Ｔｈｅ ")}}},
		{"space between Han", "这是最 佳选择", Options{Lang: "zh"}, Block, []want{{"最佳", "最 佳", len("这是")}}},
		{"ideographic space", "最　佳", Options{Lang: "zh"}, Block, []want{{"最佳", "最　佳", 0}}},
		{"zero-width space", "这是最\u200b佳选择", Options{Lang: "zh"}, Block, []want{{"最佳", "最\u200b佳", len("这是")}}},
		{"inserted symbol", "最*佳拍档", Options{Lang: "zh"}, Block, []want{{"最佳", "最*佳", 0}}},
		{"several gaps", "销 量-第·一", Options{Lang: "zh"}, Block, []want{{"销量第一", "销 量-第·一", 0}}},
		{"gap between Han and digit", "销量第 1 名", Options{Lang: "zh"}, Block, []want{{"第1", "第 1", len("销量")}}},
		{"gap between digit and Han", "好评率 100%", Options{Lang: "zh"}, Review, []want{{"好评率100%", "好评率 100%", 0}}},
		{"spaced numbers are clean", "满 300 减 50，第 1 步领券", Options{Lang: "zh"}, Pass, nil},
		{"digits stay apart from each other", "Top 1 2 3", Options{Lang: "zh"}, Block, []want{{"Top 1", "Top 1", 0}}},
		{"punctuation splits clauses", "我们的目标是最，佳处是细节", Options{Lang: "zh"}, Pass, nil},
		{"gap at the edge is not part of the match", " 国家级 ", Options{Lang: "zh"}, Block, []want{{"国家级", "国家级", 1}}},
		{"leftmost-longest at one start", "全网最低价，手慢无", Options{Lang: "zh"}, Block,
			[]want{{"全网最低价", "全网最低价", 0}, {"手慢无", "手慢无", len("全网最低价，")}}},
		{"leftmost wins an overlap", "销量第一品牌", Options{Lang: "zh"}, Block, []want{{"销量第一", "销量第一", 0}}},
		{"allow-list: 最近", "最近上新：秋冬开衫", Options{Lang: "zh"}, Pass, nil},
		{"allow-list: 第一次", "第一次购买立减20元", Options{Lang: "zh"}, Pass, nil},
		{"allow-list: 第一步", "第一步：洁面", Options{Lang: "zh"}, Pass, nil},
		{"allow-list: 最后一天", "活动最后一天", Options{Lang: "zh"}, Pass, nil},
		{"allow-list: 首次购买", "首次购买享包邮", Options{Lang: "zh"}, Pass, nil},
		{"allow-list: 国家标准", "执行国家标准GB 2760", Options{Lang: "zh"}, Pass, nil},
		{"allow form covers a term after another allow form", "第一件原价，第二件半价", Options{Lang: "zh"}, Pass, nil},
		{"bare term next to an allow form", "第一次购买，销量第一", Options{Lang: "zh"}, Block, []want{{"销量第一", "销量第一", len("第一次购买，")}}},
		{"spaced allow form", "最 近 上 新", Options{Lang: "zh"}, Pass, nil},
		{"best before", "Best before: see lid", Options{Lang: "en"}, Pass, nil},
		{"English case folding", "This balm CURES cold sores", Options{Lang: "en"}, Block, []want{{"cures", "CURES", len("This balm ")}}},
		{"English inside a word", "Secure checkout; procure in bulk", Options{Lang: "en"}, Pass, nil},
		{"English suffix", "Cured ham", Options{Lang: "en"}, Pass, nil},
		{"#1 alone", "The #1 pick", Options{Lang: "en"}, Review, []want{{"#1", "#1", len("The ")}}},
		{"#1 longest", "Our #1 selling serum", Options{Lang: "en"}, Review, []want{{"#1 selling", "#1 selling", len("Our ")}}},
		{"#10 is not #1", "House blend #10 is back", Options{Lang: "en"}, Pass, nil},
		{"typographic apostrophe", "America’s #1 rated mattress", Options{Lang: "en"}, Review, []want{{"america's #1", "America’s #1", 0}}},
		{"non-breaking hyphen", "Best\u2011selling earbuds", Options{Lang: "en"}, Review, []want{{"best-selling", "Best\u2011selling", 0}}},
		{"combining mark between Han", "最\u0301佳", Options{Lang: "zh"}, Block, []want{{"最佳", "最\u0301佳", 0}}},
		{"emoji with variation selector between Han", "最\u2764\ufe0f佳", Options{Lang: "zh"}, Block, []want{{"最佳", "最\u2764\ufe0f佳", 0}}},
		{"English whitespace runs", "Clinically  proven", Options{Lang: "en"}, Review, []want{{"clinically proven", "Clinically  proven", 0}}},
		{"English zero-width", "Guaranteed\u200b results", Options{Lang: "en"}, Review, []want{{"guaranteed results", "Guaranteed\u200b results", 0}}},
		{"language filter", "顶级 and cures", Options{Lang: "en"}, Block, []want{{"cures", "cures", len("顶级 and ")}}},
		{"language tag with region", "顶级 and cures", Options{Lang: "en-US"}, Block, []want{{"cures", "cures", len("顶级 and ")}}},
		{"language tag with script", "顶级 and cures", Options{Lang: "zh_Hans"}, Block, []want{{"顶级", "顶级", 0}}},
		{"unknown language gets both", "顶级 and cures", Options{Lang: "fr"}, Block, []want{{"顶级", "顶级", 0}, {"cures", "cures", len("顶级 and ")}}},
		{"both languages", "顶级 and cures", Options{}, Block, []want{{"顶级", "顶级", 0}, {"cures", "cures", len("顶级 and ")}}},
		{"review only", "原价199元", Options{Lang: "zh"}, Review, []want{{"原价", "原价", 0}}},
		{"block outranks review", "原价199元，国家级工艺", Options{Lang: "zh"}, Block,
			[]want{{"原价", "原价", 0}, {"国家级", "国家级", len("原价199元，")}}},
		{"block before review", "国家级工艺，原价199元", Options{Lang: "zh"}, Block,
			[]want{{"国家级", "国家级", 0}, {"原价", "原价", len("国家级工艺，")}}},
		{"traditional folded by default", "國家級工藝", Options{Lang: "zh"}, Block, []want{{"国家级", "國家級", 0}}},
		{"traditional allow form", "萬能充數據線", Options{Lang: "zh"}, Pass, nil},
		{"gated category passes", "美白精华", Options{Lang: "zh", Category: "cosmetics_special"}, Pass, nil},
		{"ungated category reviews", "美白精华", Options{Lang: "zh", Category: "apparel"}, Review, []want{{"美白", "美白", 0}}},
		{"no category reviews", "美白精华", Options{Lang: "zh"}, Review, []want{{"美白", "美白", 0}}},
		{"gate is per lexicon category", "美白，国家级", Options{Lang: "zh", Category: "cosmetics_special"}, Block,
			[]want{{"国家级", "国家级", len("美白，")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := c.Check(tt.text, tt.opts)
			if rep.Verdict != tt.verdict {
				t.Errorf("verdict %s, want %s (%s)", rep.Verdict, tt.verdict, describe(rep))
			}
			if rep.LexiconVersion == "" {
				t.Error("report carries no lexicon version")
			}
			if len(rep.Findings) != len(tt.want) {
				t.Fatalf("%d findings, want %d: %s", len(rep.Findings), len(tt.want), describe(rep))
			}
			for i, f := range rep.Findings {
				w := tt.want[i]
				if f.Term != w.term || f.MatchedText != w.matched || f.Start != w.start || f.End != w.start+len(w.matched) {
					t.Errorf("finding %d = %q %q [%d,%d), want %q %q [%d,%d)", i, f.Term, f.MatchedText, f.Start, f.End,
						w.term, w.matched, w.start, w.start+len(w.matched))
				}
				if tt.text[f.Start:f.End] != f.MatchedText {
					t.Errorf("finding %d: text[%d:%d] = %q, matched_text %q", i, f.Start, f.End, tt.text[f.Start:f.End], f.MatchedText)
				}
				if f.Category == "" || f.LawRef == "" || f.Suggestion == "" || (f.Severity != SeverityBlock && f.Severity != SeverityReview) {
					t.Errorf("finding %d lacks lexicon data: %+v", i, f)
				}
			}
		})
	}
}

func TestCategoryGateReportsPermitted(t *testing.T) {
	c := defaultChecker(t)
	rep := c.Check("国妆特字的美白精华，淡化色斑", Options{Lang: "zh", Category: "cosmetics_special"})
	if rep.Verdict != Pass || len(rep.Findings) != 0 {
		t.Fatalf("verdict %s with findings %s, want pass", rep.Verdict, describe(rep))
	}
	if len(rep.Permitted) == 0 || rep.Permitted[0].Term != "美白" || rep.Permitted[0].Category != "efficacy" {
		t.Fatalf("permitted = %+v, want 美白 (efficacy)", rep.Permitted)
	}
	// A drug may make medical claims; a cosmetic may not.
	if got := c.Check("用于治疗轻度疼痛", Options{Lang: "zh", Category: "drug"}).Verdict; got != Pass {
		t.Errorf("drug: %s, want pass", got)
	}
	if got := c.Check("用于治疗轻度疼痛", Options{Lang: "zh", Category: "cosmetics_special"}).Verdict; got != Block {
		t.Errorf("cosmetic: %s, want block", got)
	}
}

func TestSettings(t *testing.T) {
	lx, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	build := func(s Settings) *Checker {
		t.Helper()
		c, err := New(lx, s)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}

	// Traditional folding is an option.
	plain := build(Settings{})
	if got := plain.Check("國家級工藝", Options{Lang: "zh"}).Verdict; got != Pass {
		t.Errorf("without trad→simp: %s, want pass", got)
	}
	if got := plain.Check("国家级工艺", Options{Lang: "zh"}).Verdict; got != Block {
		t.Errorf("simplified without trad→simp: %s, want block", got)
	}
	if got := build(Settings{TradToSimp: true}).Check("國家級工藝", Options{Lang: "zh"}).Verdict; got != Block {
		t.Errorf("with trad→simp: %s, want block", got)
	}

	// A configured allow form (a registered brand) wins over the term it
	// contains, only where it occurs.
	brand := build(Settings{Allow: []string{"最牛奶业"}})
	if rep := brand.Check("最牛奶业鲜牛奶，今天也最牛", Options{Lang: "zh"}); rep.Verdict != Block || len(rep.Findings) != 1 ||
		rep.Findings[0].MatchedText != "最牛" || rep.Findings[0].Start != len("最牛奶业鲜牛奶，今天也") {
		t.Errorf("brand allow form: %s", describe(rep))
	}
	if got := plain.Check("最牛奶业鲜牛奶", Options{Lang: "zh"}).Verdict; got != Block {
		t.Errorf("without the brand allow form: %s, want block", got)
	}

	// Gates come from settings.
	gated := build(Settings{Gates: map[string][]string{"efficacy": {"skincare"}}})
	if got := gated.Check("美白精华", Options{Lang: "zh", Category: "skincare"}).Verdict; got != Pass {
		t.Errorf("custom gate: %s, want pass", got)
	}
	if got := gated.Check("美白精华", Options{Lang: "zh", Category: "cosmetics_special"}).Verdict; got != Review {
		t.Errorf("category outside the custom gate: %s, want review", got)
	}
}

// TestWholeWord uses a tiny lexicon so the English boundary rule is seen in
// isolation: "best" is a listed term there (it is puffery, so not in ours).
func TestWholeWord(t *testing.T) {
	lx := Lexicon{Version: "test", Entries: []Entry{
		{Term: "best", Lang: "en", Category: "ranking", Severity: SeverityReview, LawRef: "test", Suggestion: "good"},
		{Term: "#1", Lang: "en", Category: "ranking", Severity: SeverityReview, LawRef: "test", Suggestion: "drop it"},
		{Term: "最佳", Lang: "zh", Category: "absolute", Severity: SeverityBlock, LawRef: "test", Suggestion: "出色"},
	}}
	c, err := New(lx, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		text  string
		start int // -1: no finding
	}{
		{"bestow a gift", -1},
		{"the bestseller", -1},
		{"our best.", 4},
		{"BEST", 0},
		{"best-in-class", 0},
		{"Ｂｅｓｔ", 0},
		{"second-best", len("second-")},
		{"rebest", -1},
		{"best1", -1},
		{"#1", 0},
		{"a#1 b", 1},
		{"#12", -1},
		{"#1!", 0},
		{"中文best中文", len("中文")},
		{"最佳best", 0},
	} {
		rep := c.Check(tt.text, Options{})
		switch {
		case tt.start < 0 && len(rep.Findings) != 0:
			t.Errorf("%q: %s, want no finding", tt.text, describe(rep))
		case tt.start >= 0 && (len(rep.Findings) == 0 || rep.Findings[0].Start != tt.start):
			t.Errorf("%q: %s, want a finding at %d", tt.text, describe(rep), tt.start)
		}
	}
}

func TestLexicon(t *testing.T) {
	lx, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	if lx.Version == "" {
		t.Fatal("lexicon has no version")
	}
	count := map[string]int{}
	cats := map[string]map[string]bool{"zh": {}, "en": {}}
	seen := map[string]bool{}
	for _, e := range lx.Entries {
		count[e.Lang]++
		if cats[e.Lang] == nil {
			t.Errorf("%q: lang %q is neither zh nor en", e.Term, e.Lang)
			continue
		}
		cats[e.Lang][e.Category] = true
		if e.Explanation == "" || e.Suggestion == "" {
			t.Errorf("%q: explanation and suggestion are required", e.Term)
		}
		if key := e.Lang + "\x00" + e.Term; seen[key] {
			t.Errorf("%q (%s) is listed twice", e.Term, e.Lang)
		} else {
			seen[key] = true
		}
	}
	t.Logf("lexicon %s: %d zh entries, %d en entries, %d allow forms", lx.Version, count["zh"], count["en"], len(lx.Allow))
	if count["zh"] < 300 || count["en"] < 80 {
		t.Errorf("lexicon has %d zh and %d en entries; want at least 300 and 80", count["zh"], count["en"])
	}
	for _, cat := range []string{"absolute", "authority", "medical", "efficacy", "finance", "education", "urgency", "disparagement", "fake_discount"} {
		if !cats["zh"][cat] {
			t.Errorf("zh lexicon has no %s entries", cat)
		}
	}
	for _, cat := range []string{"ranking", "health", "guarantee", "finance", "education"} {
		if !cats["en"][cat] {
			t.Errorf("en lexicon has no %s entries", cat)
		}
	}
	// English puffery is not listed (FTC: vague praise is not a claim).
	c := defaultChecker(t)
	for _, s := range []string{"The best coffee in town", "Amazing comfort", "Our most comfortable sneaker", "Delicious and perfect for picnics"} {
		if rep := c.Check(s, Options{Lang: "en"}); rep.Verdict != Pass {
			t.Errorf("puffery %q: %s, want pass", s, describe(rep))
		}
	}
}

func TestLoadLexiconErrors(t *testing.T) {
	const head = "# version: 1\nterm\tlang\tcategory\tseverity\tlaw_ref\texplanation\tsuggestion\n"
	const allow = "# version: 1\nterm\tlang\tnote\n最近\tzh\ttime\n"
	ok := head + "最佳\tzh\tabsolute\tblock\tAd Law art. 9\twhy\t出色\n"
	tests := []struct {
		name, zh, en, allow, want string
	}{
		{"valid", ok, head, allow, ""},
		{"version mismatch", ok, strings.Replace(head, "version: 1", "version: 2", 1), allow, "version"},
		{"bad severity", head + "最佳\tzh\tabsolute\tmaybe\tart. 9\twhy\t出色\n", head, allow, "severity"},
		{"missing column", head + "最佳\tzh\tabsolute\tblock\tart. 9\twhy\n", head, allow, "7 columns"},
		{"missing law_ref", head + "最佳\tzh\tabsolute\tblock\t\twhy\t出色\n", head, allow, "law_ref"},
		{"no header row", "# version: 1\n最佳\tzh\tabsolute\tblock\tart. 9\twhy\t出色\n", head, allow, "columns"},
		{"no version", strings.Replace(ok, "# version: 1\n", "", 1), strings.Replace(head, "# version: 1\n", "", 1),
			strings.Replace(allow, "# version: 1\n", "", 1), "version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"lx/zh.tsv":    {Data: []byte(tt.zh)},
				"lx/en.tsv":    {Data: []byte(tt.en)},
				"lx/allow.tsv": {Data: []byte(tt.allow)},
			}
			lx, err := LoadLexicon(fsys, "lx")
			if tt.want == "" {
				if err != nil || len(lx.Entries) != 1 || len(lx.Allow) != 1 {
					t.Fatalf("LoadLexicon = %+v, %v", lx, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one mentioning %q", err, tt.want)
			}
		})
	}
}

func TestConcurrentCheck(t *testing.T) {
	c := defaultChecker(t)
	texts := []string{"这是最 佳选择", "The #1 pick", "第一次购买立减", "國家級工藝"}
	want := make([]Report, len(texts))
	for i, s := range texts {
		want[i] = c.Check(s, Options{})
	}
	done := make(chan bool)
	for g := 0; g < 8; g++ {
		go func() {
			ok := true
			for k := 0; k < 200; k++ {
				i := k % len(texts)
				rep := c.Check(texts[i], Options{})
				if rep.Verdict != want[i].Verdict || len(rep.Findings) != len(want[i].Findings) {
					ok = false
				}
			}
			done <- ok
		}()
	}
	for g := 0; g < 8; g++ {
		if !<-done {
			t.Error("concurrent checks disagree with sequential ones")
		}
	}
}
