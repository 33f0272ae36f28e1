package support_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/compliance/pii"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/llm/llmtest"
	"github.com/chorusmkt/chorus/internal/llm/provider"
	"github.com/chorusmkt/chorus/internal/support"
)

// modelStack is the production model stack (limiter, retry, breaker,
// cache, request log, PII redaction, accounting) over the fake server.
func modelStack(t *testing.T, srv *llmtest.Server) *provider.Stack {
	t.Helper()
	cfg := config.LLM{Provider: "openai", BaseURL: srv.BaseURL(), Model: "fake-gpt", APIKey: "sk-test", MaxAttempts: 4}
	st, err := provider.New(ctx, cfg, nil, provider.WithRedactor(pii.Wrap(config.PII{MaxRetries: 1})),
		provider.WithRetry(llm.RetryPolicy{MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close(ctx) })
	return st
}

// toolResult returns the JSON of the i-th tool result in req.
func toolResult(req *llmtest.ChatRequest, i int) map[string]any {
	rs := req.ToolResults()
	var out map[string]any
	if i < len(rs) {
		_ = json.Unmarshal([]byte(rs[i]), &out)
	}
	return out
}

// The model calls search_products, then get_product, then answers with
// an invented price: the guard catches it, asks once for a repair, and
// the repaired answer (the catalog price) is what the customer gets.
func TestModelToolsAndRepair(t *testing.T) {
	st := demoShop(t)
	var lastPrompt string
	script := llmtest.Script{
		{Calls: []llmtest.ScriptedCall{{Name: support.ToolSearchProducts, Arguments: `{"query":"camera bag"}`}}},
		{Calls: []llmtest.ScriptedCall{{Name: support.ToolGetProduct, Arguments: `{"sku":"US-PHOTO-BAG01"}`}}},
		{Answer: func(req *llmtest.ChatRequest) string {
			lastPrompt = req.Prompt()
			if strings.Contains(req.Prompt(), "not supported by the tool results") {
				p := toolResult(req, 1)["product"].(map[string]any)
				return "The Everyday Camera Bag costs " + p["price"].(string) + " and is " + p["availability"].(string) + ". " + p["cite"].(string)
			}
			return "Great news: the Everyday Camera Bag is only $19 today! [product:US-PHOTO-BAG01]"
		}},
	}
	srv := llmtest.Start(t, llmtest.Config{Tools: script.Tools, Answer: script.Answer,
		// a 429 on the second request: retries stay transparent to tool calling
		FaultFunc: func(n int64, _ *llmtest.ChatRequest) llmtest.Fault {
			if n == 2 {
				return llmtest.RateLimited
			}
			return llmtest.None
		}, RetryAfter: time.Millisecond})
	a := assistant(t, st, support.Options{Model: modelStack(t, srv)})
	r, err := a.Answer(ctx, support.Request{Text: "How much is the Everyday Camera Bag?", Channel: "test"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.Answer, "$19") || !strings.Contains(r.Answer, "$59") || !has(r.Citations, "[product:US-PHOTO-BAG01]") || r.Handoff {
		t.Fatalf("answer %q citations %v handoff %v", r.Answer, r.Citations, r.Handoff)
	}
	if len(r.ToolCalls) != 2 || r.ToolCalls[0].Name != support.ToolSearchProducts || r.ToolCalls[1].Name != support.ToolGetProduct {
		t.Fatalf("tool calls %+v", r.ToolCalls)
	}
	if !slicesContains(r.Flags, "repair") || !strings.Contains(lastPrompt, "$19") {
		t.Fatalf("flags %v; the repair prompt should quote the invented price: %q", r.Flags, lastPrompt)
	}
	if r.Usage.TotalTokens == 0 || !strings.HasPrefix(r.Model, "openai/") {
		t.Fatalf("usage %+v model %s", r.Usage, r.Model)
	}
	if srv.Faults()[llmtest.RateLimited] != 1 {
		t.Fatalf("faults %v", srv.Faults())
	}
}

// A model that keeps inventing a price is replaced by a person.
func TestModelInventedPriceHandsOff(t *testing.T) {
	st := demoShop(t)
	script := llmtest.Script{
		{Calls: []llmtest.ScriptedCall{{Name: support.ToolGetProduct, Arguments: `{"sku":"CN-PHOTO-BAG01"}`}}},
		{Answer: func(*llmtest.ChatRequest) string {
			return "时尚相机包今天特价¥99，库存充足！[product:CN-PHOTO-BAG01]"
		}},
	}
	srv := llmtest.Start(t, llmtest.Config{Tools: script.Tools, Answer: script.Answer})
	a := assistant(t, st, support.Options{Model: modelStack(t, srv)})
	r, err := a.Answer(ctx, support.Request{Text: "时尚相机包多少钱？", Channel: "test"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Handoff || r.HandoffReason != support.ReasonUngrounded || strings.Contains(r.Answer, "99") || r.HandoffID == 0 {
		t.Fatalf("answer %q handoff %v (%s)", r.Answer, r.Handoff, r.HandoffReason)
	}
}

// Order details through get_order_status: the e-mail reaches the model as
// a placeholder, the tool gets the real value back, and the answer shows
// the order. A citation of a source no tool returned is dropped.
func TestModelOrderThroughRedaction(t *testing.T) {
	st := demoShop(t)
	id, cust, email, _, _ := orderOf(t, st, "en")
	var sawEmail, sawToken bool
	script := llmtest.Script{
		{Calls: nil},
	}
	_ = script
	srv := llmtest.Start(t, llmtest.Config{
		Tools: func(req *llmtest.ChatRequest) []llmtest.ScriptedCall {
			p := req.Prompt()
			sawEmail = sawEmail || strings.Contains(p, email)
			if len(req.ToolResults()) > 0 {
				return nil
			}
			// copy the placeholder the prompt carries, as a model would
			tok := p[strings.Index(p, "⟦"):]
			tok = tok[:strings.Index(tok, "⟧")+len("⟧")]
			sawToken = true
			return []llmtest.ScriptedCall{{Name: support.ToolGetOrderStatus, Arguments: `{"order_id":"` + id + `","email":"` + tok + `"}`}}
		},
		Answer: func(req *llmtest.ChatRequest) string {
			res := toolResult(req, 0)
			return res["summary"].(string) + " " + res["cite"].(string) + " See also [policy:made-up]."
		}})
	a := assistant(t, st, support.Options{Model: modelStack(t, srv)})
	r, err := a.Answer(ctx, support.Request{Text: "Where is my order " + id + "? My email is " + email, Channel: "test"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sawEmail || !sawToken {
		t.Fatalf("the model saw the e-mail: %v (token %v)", sawEmail, sawToken)
	}
	if !has(r.Citations, "[order:"+id+"]") || has(r.Citations, "[policy:made-up]") || strings.Contains(r.Answer, "made-up") || r.Intent != support.IntentOrder {
		t.Fatalf("answer %q citations %v intent %s", r.Answer, r.Citations, r.Intent)
	}
	ms, err := st.ConversationMessages(ctx, r.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		for _, tc := range m.ToolCalls {
			if strings.Contains(tc.Arguments, email) || strings.Contains(tc.Result, email) {
				t.Fatalf("stored tool call holds the e-mail: %+v", tc)
			}
		}
	}
	_ = cust
}

// A model that is down: the offline composer answers.
func TestModelUnavailableFallsBack(t *testing.T) {
	st := demoShop(t)
	srv := llmtest.Start(t, llmtest.Config{FaultFunc: func(int64, *llmtest.ChatRequest) llmtest.Fault { return llmtest.Unavailable }})
	a := assistant(t, st, support.Options{Model: modelStack(t, srv)})
	r, err := a.Answer(ctx, support.Request{Text: "七天无理由退货怎么申请？", Channel: "test"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slicesContains(r.Flags, "model_unavailable") || !has(r.Citations, "[policy:returns-7day]") {
		t.Fatalf("answer %q flags %v", r.Answer, r.Flags)
	}
}

func slicesContains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
