package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/llm/llmtest"
)

var (
	supportShopOnce sync.Once
	supportShopDB   string
	supportShopErr  error
)

// supportShop is a demo shop of 20 customers with its knowledge base
// (chorus demo imports it), copied for each test.
func supportShop(t *testing.T) string {
	t.Helper()
	supportShopOnce.Do(func() {
		dir, err := os.MkdirTemp("", "chorus-support")
		if err != nil {
			supportShopErr = err
			return
		}
		supportShopDB = filepath.Join(dir, "shop.db")
		c := cli{db: supportShopDB, env: map[string]string{"CHORUS_CONTENT_OUTPUT_DIR": dir}}
		_, errOut, err := c.run(t, "demo", "--customers", "20")
		if err != nil {
			supportShopErr = errors.New(err.Error() + "\n" + errOut)
		}
	})
	if supportShopErr != nil {
		t.Fatal(supportShopErr)
	}
	b, err := os.ReadFile(supportShopDB)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "shop.db")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAskContract(t *testing.T) {
	db := supportShop(t)
	out, _, err := run(t, db, "ask", "时尚相机包多少钱？", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Answer    string `json:"answer"`
		Citations []struct {
			Kind string `json:"kind"`
			ID   string `json:"id"`
		} `json:"citations"`
		Handoff *bool  `json:"handoff"`
		Intent  string `json:"intent"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if !strings.Contains(r.Answer, "¥399") || len(r.Citations) != 1 || r.Citations[0].Kind != "product" || r.Citations[0].ID != "CN-PHOTO-BAG01" ||
		r.Handoff == nil || *r.Handoff || r.Intent != "product_question" {
		t.Fatalf("ask --json = %s", out)
	}
	out, _, err = run(t, db, "ask", "I want to talk to a human", "--json", "--language", "en")
	if err != nil || !strings.Contains(out, `"handoff": true`) || !strings.Contains(out, `"intent": "human_request"`) {
		t.Fatalf("hand-off: %v %s", err, out)
	}
	// the queue has it; a person takes, replies and closes it
	out, _, err = run(t, db, "support", "queue", "list", "--json")
	var hs []struct {
		ID     int64  `json:"id"`
		Status string `json:"status"`
		Reason string `json:"reason"`
	}
	if err != nil || json.Unmarshal([]byte(out), &hs) != nil || len(hs) != 1 || hs[0].Reason != "asked" {
		t.Fatalf("queue list: %v %s", err, out)
	}
	id := jsonNum(hs[0].ID)
	if _, _, err := run(t, db, "support", "queue", "take", id, "--as", "lin"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, db, "support", "queue", "take", id, "--as", "ann"); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("a second person taking a taken hand-off: %v, want a conflict", err)
	}
	if _, _, err := run(t, db, "support", "queue", "reply", id, "--as", "lin", "Hello, call me at +86 138 0013 8000"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, db, "support", "queue", "reply", id, "--as", "lin", "   "); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("an empty reply: %v, want invalid", err)
	}
	if _, _, err := run(t, db, "support", "queue", "close", id, "--as", "ann"); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("another person closing lin's hand-off: %v, want a conflict (the Inbox's rule)", err)
	}
	if out, _, _ := run(t, db, "support", "queue", "list", "--json"); !strings.Contains(out, `"conversation_status": "handoff"`) {
		t.Fatalf("the open list names the conversation's state (Inbox.List): %s", out)
	}
	if _, _, err := run(t, db, "support", "queue", "list", "--status", "gone"); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("an unknown status: %v, want invalid", err)
	}
	if _, _, err := run(t, db, "support", "queue", "close", id, "--resolution", "answered"); err != nil {
		t.Fatal(err)
	}
	out, _, _ = run(t, db, "support", "queue", "list", "--status", "closed", "--json")
	if !strings.Contains(out, `"status": "closed"`) {
		t.Fatalf("closed list: %s", out)
	}
	// the rated answer shows in the figures
	out, _, err = run(t, db, "ask", "Do you offer free shipping?", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var a struct {
		MessageID int64 `json:"message_id"`
	}
	_ = json.Unmarshal([]byte(out), &a)
	if _, _, err := run(t, db, "support", "feedback", jsonNum(a.MessageID), "--thumb", "up", "--csat", "5"); err != nil {
		t.Fatal(err)
	}
	out, _, err = run(t, db, "support", "figures", "--json")
	if err != nil || !strings.Contains(out, `"csat": 5`) || !strings.Contains(out, `"conversations": 3`) || !strings.Contains(out, `"handoff_rate": 0.333`) {
		t.Fatalf("figures: %v %s", err, out)
	}
}

func jsonNum(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestAskErrors(t *testing.T) {
	db := supportShop(t)
	a := newApp(nil, &strings.Builder{}, &strings.Builder{})
	for _, args := range [][]string{
		{"ask", "hi", "--customer", "nobody"},
		{"ask", "hi", "--language", "fr"},
		{"ask", " "},
		{"support", "feedback", "x"},
		{"support", "queue", "take", "abc"},
	} {
		_, _, err := run(t, db, args...)
		if code := exitCode(err, a); code != 64 {
			t.Errorf("%v: exit %d (%v), want 64", args, code, err)
		}
	}
	_, _, err := run(t, db, "support", "queue", "close", "999")
	if code := exitCode(err, a); code != 64 {
		t.Errorf("closing an unknown hand-off: exit %d, want 64 (not found)", code)
	}
}

func TestKBImportAndEval(t *testing.T) {
	db := supportShop(t)
	dir := t.TempDir()
	f := filepath.Join(dir, "extra.csv")
	if err := os.WriteFile(f, []byte("id,language,question,answer\ngift-card,en,Do you sell gift cards?,\"Yes, gift cards of $25, $50 and $100.\"\nbad,en,No answer,\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, err := run(t, db, "kb", "import", f)
	if err != nil || !strings.Contains(out, "read 2 = imported 1 + updated 0 + unchanged 0 + rejected 1") || !strings.Contains(out, "line 3") {
		t.Fatalf("kb import: %v %s", err, out)
	}
	out, _, _ = run(t, db, "kb", "search", "gift cards", "--language", "en")
	if !strings.Contains(out, "[policy:gift-card]") {
		t.Fatalf("kb search: %s", out)
	}
	out, _, err = run(t, db, "ask", "Do you sell gift cards?", "--json")
	if err != nil || !strings.Contains(out, "$50") || !strings.Contains(out, `"id": "gift-card"`) {
		t.Fatalf("ask after import: %v %s", err, out)
	}
	cases := filepath.Join(dir, "cases.jsonl")
	if err := os.WriteFile(cases, []byte(`{"question":"Do you sell gift cards?","expect_facts":["$25"],"expect_citations":[{"kind":"policy","id":"gift-card"}],"expect_handoff":false}
{"question":"转人工","expect_facts":[],"expect_citations":[],"expect_handoff":true}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, err = run(t, db, "support", "eval", cases, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Cases            int                `json:"cases"`
		Accuracy         float64            `json:"accuracy"`
		Groundedness     float64            `json:"groundedness"`
		HandoffRecall    float64            `json:"handoff_recall"`
		HandoffPrecision float64            `json:"handoff_precision"`
		Recall           map[string]float64 `json:"retrieval_recall_at_5"`
		Latency          struct {
			P95 float64 `json:"p95"`
		} `json:"latency_ms"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Cases != 2 || rep.Accuracy != 1 || rep.Groundedness != 1 || rep.HandoffRecall != 1 || rep.Recall["en"] != 1 {
		t.Fatalf("eval: %v %s", err, out)
	}
	// the evaluation queued nothing in the shop
	out, _, _ = run(t, db, "support", "queue", "list", "--json")
	if strings.TrimSpace(out) != "[]" {
		t.Fatalf("evaluation hand-offs in the queue: %s", out)
	}
	if _, _, err := run(t, db, "support", "eval", filepath.Join(dir, "missing.jsonl")); exitCode(err, newApp(nil, &strings.Builder{}, &strings.Builder{})) != 64 {
		t.Fatalf("missing file: %v", err)
	}
	// a failed case is counted, and listed (in text and in JSON) only with --failures
	failing := filepath.Join(dir, "failing.jsonl")
	if err := os.WriteFile(failing, []byte(`{"question":"Do you sell gift cards?","expect_facts":["$999"],"expect_citations":[],"expect_handoff":false}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		flags        []string
		want, absent string
	}{
		{nil, "1 case(s) failed; --failures lists them", "✗"},
		{[]string{"--failures"}, "✗ ", "--failures lists them"},
		{[]string{"--json"}, `"cases": 1`, `"failures"`},
		{[]string{"--json", "--failures"}, `"failures": [`, "✗"},
	} {
		out, _, err := run(t, db, append([]string{"support", "eval", failing}, c.flags...)...)
		if err != nil || !strings.Contains(out, c.want) || strings.Contains(out, c.absent) {
			t.Errorf("eval %v: %v\n%s\nwant %q, not %q", c.flags, err, out, c.want, c.absent)
		}
	}
}

func TestSupportChat(t *testing.T) {
	db := supportShop(t)
	c := cli{db: db, stdin: "七天无理由退货怎么申请？\n/good\n/csat 4\n转人工\n/quit\n"}
	out, errOut, err := c.run(t, "support", "chat")
	if err != nil {
		t.Fatalf("%v %s", err, errOut)
	}
	for _, want := range []string{"7天", "(thanks, recorded)", "handed off to a person"} {
		if !strings.Contains(out, want) {
			t.Errorf("chat output lacks %q:\n%s", want, out)
		}
	}
}

// A person's reply from the queue reaches the customer in the chat.
func TestSupportChatShowsAgentReply(t *testing.T) {
	db := supportShop(t)
	pr, pw := io.Pipe()
	var out syncBuffer
	a := newApp(pr, &out, io.Discard)
	a.env = func(string) (string, bool) { return "", false }
	root := a.root()
	root.SetArgs([]string{"--db", db, "support", "chat"})
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(context.Background()) }()
	if _, err := io.WriteString(pw, "转人工\n"); err != nil {
		t.Fatal(err)
	}
	// the hand-off is queued once the answer is printed
	out.waitFor("handed off")
	if _, _, err := run(t, db, "support", "queue", "reply", "1", "--as", "lin", "您好，我是客服小林"); err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(pw, "\n/quit\n"); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "[lin] 您好，我是客服小林") {
		t.Fatalf("the agent's reply is not shown:\n%s", out.String())
	}
}

// syncBuffer is a buffer safe for one writer and readers, which can wait
// for a text to be written.
type syncBuffer struct {
	mu   sync.Mutex
	cond *sync.Cond
	b    strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cond != nil {
		defer s.cond.Broadcast()
	}
	return s.b.Write(p)
}

func (s *syncBuffer) waitFor(text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cond == nil {
		s.cond = sync.NewCond(&s.mu)
	}
	for !strings.Contains(s.b.String(), text) {
		s.cond.Wait()
	}
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// With a model configured, chorus ask answers through tool calling.
func TestAskWithModel(t *testing.T) {
	db := supportShop(t)
	script := llmtest.Script{
		{Calls: []llmtest.ScriptedCall{{Name: "get_policy", Arguments: `{"query":"free shipping"}`}}},
		{Answer: func(req *llmtest.ChatRequest) string {
			var res struct {
				Policies []struct{ Cite, Text string } `json:"policies"`
			}
			_ = json.Unmarshal([]byte(req.ToolResults()[0]), &res)
			return res.Policies[0].Text + " " + res.Policies[0].Cite
		}},
	}
	srv := llmtest.Start(t, llmtest.Config{Tools: script.Tools, Answer: script.Answer})
	c := cli{db: db, env: map[string]string{"CHORUS_LLM_PROVIDER": "openai", "CHORUS_LLM_BASE_URL": srv.BaseURL(),
		"CHORUS_LLM_MODEL": "fake-gpt", "CHORUS_LLM_API_KEY": "sk-test"}}
	out, errOut, err := c.run(t, "ask", "Do you offer free shipping?", "--json")
	if err != nil {
		t.Fatalf("%v %s", err, errOut)
	}
	if !strings.Contains(out, `"model": "openai/fake-gpt"`) || !strings.Contains(out, `"id": "shipping"`) || !strings.Contains(out, "$49") {
		t.Fatalf("ask with a model: %s", out)
	}
	if srv.Requests() != 2 {
		t.Fatalf("%d model requests, want 2 (tool round, answer)", srv.Requests())
	}
}
