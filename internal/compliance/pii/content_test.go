package pii_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/compliance/pii"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/llm/llmtest"
)

// TestContentPipelineEndToEnd drives the content studio (one SMS for one
// customer) through the real provider stack with the redactor against the
// fake OpenAI server. The product description was imported from a
// marketplace listing and quotes a buyer's review with her name, phone
// and address — the kind of data that slips into prompts. The studio's
// CallContext says whose message it is, as cmd/chorus wires it.
func TestContentPipelineEndToEnd(t *testing.T) {
	buyer := customers[0] // 王芳, quoted in the listing
	product := catalog.Product{SKU: "LIN-01", Title: "亚麻衬衫", Brand: "Lumen", Price: 299, Currency: "CNY", Language: "zh", Active: true,
		Description:   "100%亚麻，透气。买家" + buyer.rec.Name + "（" + buyer.rec.Phone + "，" + buyer.rec.Address + "）评价：很好穿",
		SellingPoints: []string{"水洗不易皱"}}
	brief := content.Brief{Name: "double11", Goal: "双11唤醒老客复购", Language: content.Zh, Sender: "【Lumen】",
		Offer: content.Offer{Text: "全场8折", Discount: "8折", Deadline: "2026-11-11"}}
	if err := brief.Check(); err != nil {
		t.Fatal(err)
	}
	byID := map[string]pii.Record{"c1": customers[0].rec, "c2": customers[1].rec, "c3": customers[2].rec}
	callContext := func(ctx context.Context, j content.Job) context.Context {
		k := pii.Known{Recipient: byID[j.Customer]}
		for id, r := range byID {
			if id != j.Customer {
				k.Others = append(k.Others, r)
			}
		}
		return pii.WithKnown(ctx, k)
	}
	nameTok := regexp.MustCompile(`⟦NAME_\d+⟧`)
	phoneTok := regexp.MustCompile(`⟦PHONE_\d+⟧`)
	// the model greets the buyer from the review and gives her number:
	// fine in her own message, a leak in anyone else's
	answer := func(_ int, r *llmtest.ChatRequest) string {
		p := r.Prompt()
		b, _ := json.Marshal(map[string]string{"text": "【Lumen】" + nameTok.FindString(p) + "您好，亚麻衬衫双11全场8折，11月11日截止。顾问已记下" + phoneTok.FindString(p) + "。回T退订"})
		return string(b)
	}
	ps, err := content.LoadPrompts("")
	if err != nil {
		t.Fatal(err)
	}
	run := func(t *testing.T, customerID string) (content.Outcome, *wire, error) {
		s, _, w, _ := stack(t, config.PII{MaxRetries: 1}, answer)
		d := content.Deps{Model: s, Prompts: ps, MaxRepairs: 0, CallContext: callContext}
		out, err := d.Single(context.Background(), content.SingleRequest{Channel: content.SMS, Lang: content.Zh, Product: product,
			Brief: brief, CustomerID: customerID})
		if len(w.bodies) == 0 {
			t.Fatal("no request reached the server")
		}
		for _, b := range w.bodies {
			assertClean(t, "request body", b)
			if !strings.Contains(b, "⟦NAME_1⟧") || !strings.Contains(b, "⟦ADDRESS_1⟧") {
				t.Errorf("request lacks the tokens: %s", b)
			}
		}
		return out, w, err
	}
	t.Run("her own message", func(t *testing.T) {
		out, _, err := run(t, "c1")
		if err != nil {
			t.Fatal(err)
		}
		text := out.Items[0].Copy.Text
		if !strings.Contains(text, buyer.rec.Name+"您好") || !strings.Contains(text, buyer.rec.Phone) || strings.Contains(text, "⟦") {
			t.Fatalf("copy = %q", text)
		}
	})
	t.Run("someone else's message", func(t *testing.T) {
		_, _, err := run(t, "c2")
		if !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("err = %v, want Forbidden", err)
		}
		assertClean(t, "error", err.Error())
	})
}
