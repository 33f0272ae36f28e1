package support_test

import (
	"fmt"
	"testing"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/store/storetest"
	"github.com/chorusmkt/chorus/internal/support"
)

// BenchmarkAnswerOffline answers the shipped evaluation set's questions
// (without their earlier turns) with the offline provider on the demo
// shop, conversations kept in memory. BenchmarkSearch is the baseline of
// the same run: the retrieval alone for the same questions.
func BenchmarkAnswerOffline(b *testing.B) {
	st := demoShop(b)
	cases := support.DemoEvalSet()
	a := assistant(b, st, support.Options{Recorder: support.NewMemoryRecorder()})
	// warm the index
	if _, err := a.Answer(ctx, support.Request{Text: "hello", Channel: "bench"}, nil); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	n := 0
	for b.Loop() {
		c := cases[n%len(cases)]
		n++
		if _, err := a.Answer(ctx, support.Request{Text: c.Question, Language: c.Language, Channel: "bench"}, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "answers/s")
}

func BenchmarkSearch(b *testing.B) {
	st := demoShop(b)
	cases := support.DemoEvalSet()
	ix := syncedIndex(b, st)
	b.ResetTimer()
	n := 0
	for b.Loop() {
		c := cases[n%len(cases)]
		n++
		if _, err := ix.Search(ctx, c.Question, support.SearchOptions{Language: support.DetectLanguage(c.Question), K: 5}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "searches/s")
}

// BenchmarkIndexBuild times building the index of the demo catalog and
// knowledge base from the store (what every process does at start).
func BenchmarkIndexBuild(b *testing.B) {
	st := demoShop(b)
	for b.Loop() {
		ix, err := support.NewIndex()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ix.Sync(ctx, st); err != nil {
			b.Fatal(err)
		}
		ix.Close()
	}
}

// BenchmarkIndexBuild10k builds the index of a catalog of 10,000
// products (synthetic titles and descriptions in both languages).
func BenchmarkIndexBuild10k(b *testing.B) {
	st := storetest.OpenSQLite(b)
	ps := make([]catalog.Product, 10000)
	for i := range ps {
		if i%2 == 0 {
			ps[i] = catalog.Product{SKU: fmt.Sprintf("CN-%05d", i), Title: fmt.Sprintf("防水相机包 %d 号", i), Description: "轻便耐用，适合旅行和户外拍摄，可放一机两镜。",
				SellingPoints: []string{"防水", "轻便"}, Price: float64(100 + i%500), Currency: "CNY", Active: true, Stock: i % 50, Language: "zh"}
		} else {
			ps[i] = catalog.Product{SKU: fmt.Sprintf("US-%05d", i), Title: fmt.Sprintf("Trail Backpack %d", i), Description: "A light, water-resistant backpack for day hikes and commutes.",
				SellingPoints: []string{"Water-resistant", "Light"}, Price: float64(20 + i%100), Currency: "USD", Active: true, Stock: i % 50, Language: "en"}
		}
	}
	if _, _, _, err := st.UpsertProducts(ctx, ps); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		ix, err := support.NewIndex()
		if err != nil {
			b.Fatal(err)
		}
		if n, err := ix.Sync(ctx, st); err != nil || n != len(ps) {
			b.Fatal(n, err)
		}
		ix.Close()
	}
}
