package support

import "testing"

// Without a shared SKU stem the counterpart is the product that shares
// clearly the most figures and Latin words; a tie is no counterpart.
func TestCounterpartByFiguresAndWords(t *testing.T) {
	ix := &Index{docs: map[string]Passage{}}
	add := func(sku, lang, title, text string) Passage {
		p := Passage{Kind: CiteProduct, ID: sku, SKU: sku, Language: lang, Title: title, Text: text}
		ix.docs[docKey(CiteProduct, sku, lang)] = p
		return p
	}
	en := add("PB1", En, "Voltra 20,000 mAh Power Bank", "Voltra\n65 W fast charge")
	add("ZH-A", Zh, "Voltra 20000mAh快充移动电源", "Voltra\n65W快充")
	add("ZH-B", Zh, "Voltra 氮化镓充电器 65W", "Voltra\n三口")
	add("ZH-C", Zh, "露营灯", "三档调光")
	c, ok := ix.counterpart(en, Zh)
	if !ok || c.ID != "ZH-A" {
		t.Fatalf("counterpart = %v, %v; want ZH-A", c.ID, ok)
	}
	tie := add("PB2", En, "Voltra charger", "Voltra")
	if c, ok := ix.counterpart(tie, Zh); ok {
		t.Fatalf("a tie gave %v", c.ID)
	}
}
