package content

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/catalog"
)

func BenchmarkCountSMS(b *testing.B) {
	text := "【Lumen & Co】小明，你常买的亚麻衬衫双11全场8折，2026-11-11截止，戳 lumen.cn/s 回T退订"
	for b.Loop() {
		CountSMS(text)
	}
}

// BenchmarkValidate is the per-message cost of every Go-side check
// (budgets, required elements, language, grounding against a 500-product
// catalog), which runs after each model answer.
func BenchmarkValidate(b *testing.B) {
	spec, _ := SpecFor(Email)
	p := catalog.Product{SKU: "S", Title: "亚麻衬衫", Price: 299}
	var others []catalog.Product
	for i := range 500 {
		others = append(others, catalog.Product{SKU: itoa(i), Title: "商品标题编号" + itoa(i)})
	}
	br := Brief{Name: "d", Goal: "g", Offer: Offer{Text: "全场8折", Factor: 0.8, Deadline: "2026-11-11"}}
	t := Target{Spec: spec, Lang: Zh, Product: &p, Brief: br, Voice: DefaultVoice("Lumen"), Slots: []string{SlotFirstName},
		Grounding: Grounding{Products: []catalog.Product{p}, Brief: br, Others: others}}
	c := Copy{Subject: "{{first_name}}，亚麻衬衫全场8折", Preheader: "2026-11-11截止，先到先得", CTA: "立即选购",
		BodyText: "{{first_name}}你好：\n你关注的亚麻衬衫现在全场8折，到手¥239.2，2026-11-11截止。\n数量有限，喜欢就别犹豫。"}
	if vs := t.Validate(c); len(vs) != 0 {
		b.Fatal(vs)
	}
	for b.Loop() {
		t.Validate(c)
	}
}
