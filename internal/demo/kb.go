package demo

import (
	"embed"
	"io/fs"
)

//go:embed kb/*.md kb/*.csv kb/*.jsonl
var kbFiles embed.FS

// KnowledgeBase returns the demo shop's customer-service knowledge base:
// policies and FAQ in Chinese and English (shipping, returns, 七天无理由退货,
// refunds, exchanges, warranty, sizing, payment, 发票, price protection)
// as Markdown and CSV, and product reviews as JSONL. Two FAQ entries and
// two reviews carry instructions aimed at the assistant ("ignore your
// instructions…"), as user-written text sometimes does: they show that
// the assistant quotes such text and never obeys it.
func KnowledgeBase() fs.FS {
	sub, err := fs.Sub(kbFiles, "kb")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory
	}
	return sub
}
