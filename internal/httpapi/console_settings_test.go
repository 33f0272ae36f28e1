package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/llm/llmtest"
)

func TestConsoleSettings(t *testing.T) {
	fake := llmtest.Start(t, llmtest.Config{APIKey: "sk-console-test", Model: "fake-gpt"})
	c := newConsole(t, func(cfg *config.Config) {
		cfg.LLM.Provider = "openai"
		cfg.LLM.BaseURL = fake.BaseURL()
		cfg.LLM.APIKey = "sk-console-test"
		cfg.LLM.Model = "fake-gpt"
	})
	ctx := t.Context()
	if err := c.st.AddLLMUsage(ctx, []llm.UsageRecord{{Run: "r1", Campaign: "double11", Provider: "openai", Model: "fake-gpt", Calls: 12, PromptTokens: 3400, CompletionTokens: 900, CostUSD: 0.0123}}); err != nil {
		t.Fatal(err)
	}
	m := c.login("marketer")
	status, page, _ := m.get("/settings")
	if status != 200 || !strings.Contains(page, "fake-gpt") || !strings.Contains(page, "0.0123") || !strings.Contains(page, "double11") {
		t.Fatalf("settings: %d\n%s", status, page)
	}
	if strings.Contains(page, "sk-console-test") {
		t.Fatal("the settings page shows the API key")
	}
	if strings.Contains(page, `action="/settings/shop"`) {
		t.Fatal("a marketer is offered the shop's settings to change")
	}
	// Ping goes to the model (the fake speaks OpenAI's protocol).
	before := fake.Requests()
	resp := m.post("/settings/llm/ping", nil, map[string]string{"X-CSRF-Token": m.csrf, "HX-Request": "true"})
	got := body(t, resp)
	if resp.StatusCode != 200 || !strings.Contains(got, "fake-gpt answered in") || fake.Requests() == before {
		t.Fatalf("ping: %d (%d requests)\n%s", resp.StatusCode, fake.Requests()-before, got)
	}
	// A marketer cannot change the shop; an analyst cannot ping.
	if resp := m.post("/settings/shop", url.Values{"csrf": {m.csrf}, "key": {"name"}, "value": {"Gift Co"}}, nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("marketer changes the shop: %d", resp.StatusCode)
	}
	a := c.login("analyst")
	if resp := a.post("/settings/llm/ping", url.Values{"csrf": {a.csrf}}, nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("analyst pings: %d", resp.StatusCode)
	}
	// An admin changes it; the audit log has it.
	ad := c.login("admin")
	if resp := ad.post("/settings/shop", url.Values{"key": {"name"}, "value": {"Gift Co"}}, nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("a change without the token: %d", resp.StatusCode)
	}
	resp = ad.post("/settings/shop", url.Values{"csrf": {ad.csrf}, "key": {"name"}, "value": {evilName}}, nil)
	got = body(t, resp)
	if resp.StatusCode != 200 || !strings.Contains(got, "Saved shop.name") {
		t.Fatalf("admin sets the name: %d\n%s", resp.StatusCode, got)
	}
	inert(t, "the shop's settings", got)
	entries, err := c.auth.Audit(ctx, auth.AuditFilter{Action: "settings.change"})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Actor != "user:admin" || entries[0].Target != "shop.name" {
		t.Fatalf("audit: %+v", entries)
	}
	if resp := ad.post("/settings/shop", url.Values{"csrf": {ad.csrf}, "key": {"colour"}, "value": {"blue"}}, nil); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("an unknown setting: %d", resp.StatusCode)
	}
}
