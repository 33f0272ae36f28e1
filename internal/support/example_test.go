package support_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/support"
)

// An assistant over a store with one product and one policy, answering a
// Chinese and an English question with the offline provider.
func ExampleAssistant_Answer() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	st, err := store.Open(ctx, filepath.Join(dir, "shop.db"))
	if err != nil {
		panic(err)
	}
	defer st.Close()
	_, _, _, _ = st.UpsertProducts(ctx, []catalog.Product{{SKU: "CN-BAG", Title: "时尚相机包", Description: "防水防震的相机包。",
		Price: 399, Currency: "CNY", SellingPoints: []string{"防水", "轻便"}, Stock: 120, Active: true, Language: "zh"}})
	_, _ = support.Import(ctx, st, strings.NewReader("## Returns {#returns}\nUnused items can be returned within 30 days of delivery.\n"),
		support.ParseOptions{Format: support.FormatMarkdown, Language: "en"})

	ix, _ := support.NewIndex()
	defer ix.Close()
	a := support.New(st, ix, support.Options{})
	for _, q := range []string{"时尚相机包多少钱？", "Can I return an unused item?"} {
		r, err := a.Answer(ctx, support.Request{Text: q}, func(e support.Event) error {
			return nil // an HTTP handler writes each event as a server-sent event here
		})
		if err != nil {
			panic(err)
		}
		fmt.Println(r.Intent, r.Citations, r.Handoff)
		fmt.Println(r.Answer)
	}
	// Output:
	// product_question [[product:CN-BAG]] false
	// 时尚相机包 售价 ¥399，目前有货。卖点：防水、轻便。防水防震的相机包。 [product:CN-BAG]
	// policy [[policy:returns]] false
	// About Returns: Unused items can be returned within 30 days of delivery. [policy:returns]
}
