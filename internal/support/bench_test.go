package support_test

import (
	"testing"

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
	ix, err := support.NewIndex()
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Sync(ctx, st); err != nil {
		b.Fatal(err)
	}
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
