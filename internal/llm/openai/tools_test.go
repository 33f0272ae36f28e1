package openai_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/llm/llmtest"
)

var weatherTool = llm.Tool{Name: "get_product", Description: "Look a product up.",
	Parameters: json.RawMessage(`{"type":"object","properties":{"sku":{"type":"string"}},"required":["sku"]}`)}

// A tool round trip over the real protocol: the tools go out in the
// request, the tool calls come back (as JSON and as SSE deltas), and the
// tool's result goes back as a tool message answering the call's id.
func TestToolCalling(t *testing.T) {
	var seen []*llmtest.ChatRequest
	script := llmtest.Script{
		{Calls: []llmtest.ScriptedCall{{Name: "get_product", Arguments: `{"sku":"US-PHOTO-BAG01"}`}, {Name: "get_product", Arguments: `{"sku":"US-PHOTO-BAG03"}`}}},
		{Answer: func(req *llmtest.ChatRequest) string {
			return "Both are in stock: " + req.ToolResults()[0] + " " + req.ToolResults()[1]
		}},
	}
	srv := llmtest.Start(t, llmtest.Config{APIKey: "sk-test", Tools: func(req *llmtest.ChatRequest) []llmtest.ScriptedCall {
		seen = append(seen, req)
		return script.Tools(req)
	}, Answer: script.Answer})
	p := newProvider(t, srv)
	ctx := context.Background()
	for _, stream := range []bool{false, true} {
		req := llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: "Are the bags in stock?"}}, Tools: []llm.Tool{weatherTool}, ToolChoice: llm.ToolChoiceAuto}
		var res llm.Result
		var err error
		if stream {
			res, err = p.Stream(ctx, req, func(string) error { return nil })
		} else {
			res, err = p.Generate(ctx, req)
		}
		if err != nil {
			t.Fatal(err)
		}
		calls := res.ToolCalls()
		if len(calls) != 2 || calls[0].Name != "get_product" || calls[1].Arguments != `{"sku":"US-PHOTO-BAG03"}` || calls[0].ID == "" || calls[0].ID == calls[1].ID {
			t.Fatalf("stream %v: calls %+v", stream, calls)
		}
		if res.Choices[0].FinishReason != "tool_calls" {
			t.Fatalf("finish %q", res.Choices[0].FinishReason)
		}
		req.Messages = append(req.Messages, llm.Message{Role: llm.RoleAssistant, ToolCalls: calls},
			llm.Message{Role: llm.RoleTool, ToolCallID: calls[0].ID, Content: `{"stock":20}`},
			llm.Message{Role: llm.RoleTool, ToolCallID: calls[1].ID, Content: `{"stock":161}`})
		res, err = p.Generate(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if res.Text() != `Both are in stock: {"stock":20} {"stock":161}` || len(res.ToolCalls()) != 0 {
			t.Fatalf("answer %q calls %v", res.Text(), res.ToolCalls())
		}
	}
	last := seen[len(seen)-1]
	if names := last.ToolNames(); len(names) != 1 || names[0] != "get_product" || string(last.ToolChoice) != `"auto"` {
		t.Fatalf("tools sent %v choice %s", names, last.ToolChoice)
	}
	var asst *llmtest.ChatMessage
	for i := range last.Messages {
		if last.Messages[i].Role == "assistant" {
			asst = &last.Messages[i]
		}
	}
	if asst == nil || len(asst.ToolCalls) != 2 || last.Messages[2].ToolCallID != asst.ToolCalls[0].ID {
		t.Fatalf("the tool round did not go back as sent: %+v", last.Messages)
	}
}

// Tools are part of the cache key: the same messages with other tools are
// another request.
func TestCacheKeyHasTools(t *testing.T) {
	req := llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: "hi"}}}
	a := llm.CacheKey("openai", "m", req)
	req.Tools = []llm.Tool{weatherTool}
	if b := llm.CacheKey("openai", "m", req); a == b {
		t.Fatal("tools do not change the cache key")
	}
}
