package pii_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/compliance/pii"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/llm/llmtest"
	"github.com/chorusmkt/chorus/internal/llm/provider"
)

// customer is a record with everything a support prompt might quote.
type customer struct {
	rec pii.Record
	id  string // resident ID (found by pattern, not a record field)
}

var customers = []customer{
	{pii.Record{Name: "王芳", Phone: "138 0013 8000", Email: "wang.fang@example.com", Address: "北京市朝阳区建国路88号SOHO现代城5号楼1单元1203室"}, "110101199003077578"},
	{pii.Record{Name: "李娜", Phone: "+86 139-1234-5678", Email: "lina88@qq.com", Address: "上海市浦东新区张江路123弄45号602室"}, "31011519851120234X"},
	{pii.Record{Name: "Emily Chen", Phone: "(021)87654321", Email: "emily.chen@gmail.com", Address: "221B Baker Street, London"}, "440305200012310018"},
}

// supportPrompt quotes every customer's record, the recipient first.
func supportPrompt() []llm.Message {
	var b strings.Builder
	b.WriteString("客户资料：\n")
	for i, c := range customers {
		r := c.rec
		b.WriteString(string(rune('1'+i)) + ". 姓名：" + r.Name + "，手机 " + r.Phone + "，邮箱 " + r.Email + "，身份证 " + c.id + "，地址 " + r.Address + "\n")
	}
	b.WriteString("请给第1位客户写一条回访短信，称呼她的名字，确认她的手机、邮箱和收货地址。客服热线 400-820-8820。")
	return []llm.Message{
		{Role: llm.RoleSystem, Content: "You write short, friendly customer-care messages."},
		{Role: llm.RoleUser, Content: b.String()},
	}
}

func known() pii.Known {
	k := pii.Known{Recipient: customers[0].rec}
	for _, c := range customers[1:] {
		k.Others = append(k.Others, c.rec)
	}
	return k
}

// wire records every request body as it leaves the client.
type wire struct {
	mu     sync.Mutex
	bodies []string
}

func (w *wire) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
		w.mu.Lock()
		w.bodies = append(w.bodies, string(b))
		w.mu.Unlock()
	}
	return http.DefaultTransport.RoundTrip(r)
}

var reTok = regexp.MustCompile(`⟦[A-Z]+_\d+⟧`)

// line1Tokens are the tokens on the recipient's line of the prompt.
func line1Tokens(r *llmtest.ChatRequest) []string {
	for _, l := range strings.Split(r.Prompt(), "\n") {
		if strings.HasPrefix(l, "1. ") {
			return reTok.FindAllString(l, -1)
		}
	}
	return nil
}

// stack builds the real provider stack with the redactor in front, over
// an in-memory store, against a fake whose answers answer scripts.
func stack(t *testing.T, cfg config.PII, answer func(n int, r *llmtest.ChatRequest) string) (*provider.Stack, *llmtest.Server, *wire, llm.Store) {
	t.Helper()
	var mu sync.Mutex
	n := 0
	srv := llmtest.Start(t, llmtest.Config{APIKey: "sk-test", Answer: func(r *llmtest.ChatRequest) string {
		mu.Lock()
		n++
		i := n
		mu.Unlock()
		return answer(i, r)
	}})
	w := &wire{}
	st := llm.NewMemoryStore()
	s, err := provider.New(context.Background(), config.LLM{Provider: "openai", BaseURL: srv.BaseURL(), APIKey: "sk-test", Model: "fake-gpt",
		Timeout: config.Duration(10 * time.Second), MaxAttempts: 1}, st,
		provider.WithRedactor(pii.Wrap(cfg)), provider.WithHTTPClient(&http.Client{Transport: w}), provider.WithRun("pii-test"))
	if err != nil {
		t.Fatal(err)
	}
	return s, srv, w, st
}

// values are every personal value of every customer, as written.
func values() []string {
	var out []string
	for _, c := range customers {
		out = append(out, c.rec.Name, c.rec.Phone, c.rec.Email, c.rec.Address, c.id)
		out = append(out, strings.ReplaceAll(c.rec.Phone, " ", ""), strings.ReplaceAll(strings.ReplaceAll(c.rec.Phone, " ", ""), "-", ""))
	}
	return out
}

func assertClean(t *testing.T, where, s string) {
	t.Helper()
	for _, v := range values() {
		if strings.Contains(s, v) {
			t.Errorf("%s contains %q", where, v)
		}
	}
}

// The recipient's tokens echoed by the model come back as her values; no
// name, phone, email, ID or address of any customer is ever on the wire or
// in the request log, while the allow-listed hotline is.
func TestRedactorKeepsPIIOffTheWireAndRestoresTheRecipients(t *testing.T) {
	s, srv, w, st := stack(t, config.PII{MaxRetries: 2, AllowValues: []string{"400-820-8820"}}, func(_ int, r *llmtest.ChatRequest) string {
		toks := line1Tokens(r)
		// name, phone, email, (skip the ID), address
		return toks[0] + "您好！确认您的手机 " + toks[1] + "、邮箱 " + toks[2] + "，礼品寄往 " + toks[4] + "。如有疑问请拨 400-820-8820。"
	})
	ctx := pii.WithKnown(context.Background(), known())
	res, err := s.Generate(ctx, llm.Request{Messages: supportPrompt(), Item: "care-1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	r0 := customers[0].rec
	want := r0.Name + "您好！确认您的手机 " + r0.Phone + "、邮箱 " + r0.Email + "，礼品寄往 " + r0.Address + "。如有疑问请拨 400-820-8820。"
	if res.Text() != want {
		t.Fatalf("restored answer\n got %q\nwant %q", res.Text(), want)
	}
	if srv.Requests() != 1 || len(w.bodies) != 1 {
		t.Fatalf("requests = %d, bodies %d", srv.Requests(), len(w.bodies))
	}
	for i, b := range w.bodies {
		assertClean(t, "request body", b)
		for _, tok := range []string{"⟦NAME_1⟧", "⟦PHONE_1⟧", "⟦EMAIL_1⟧", "⟦ID_1⟧", "⟦ADDRESS_1⟧", "⟦NAME_3⟧", "⟦ADDRESS_3⟧"} {
			if !strings.Contains(b, tok) {
				t.Errorf("body %d lacks %s", i, tok)
			}
		}
		if !strings.Contains(b, "400-820-8820") || !strings.Contains(b, "copy it exactly as written") {
			t.Errorf("body %d lacks the allowed hotline or the token instruction", i)
		}
	}
	logs, err := st.ListLLMLog(context.Background(), llm.LogFilter{Run: "pii-test"})
	if err != nil || len(logs) != 1 {
		t.Fatalf("log: %v, %d entries", err, len(logs))
	}
	assertClean(t, "logged request", string(logs[0].Request))
	assertClean(t, "logged response", string(logs[0].Response))
	if !strings.Contains(string(logs[0].Request), "⟦NAME_1⟧") || !strings.Contains(string(logs[0].Response), "⟦ADDRESS_1⟧") {
		t.Errorf("log lacks the tokens: %s / %s", logs[0].Request, logs[0].Response)
	}
}

// An answer with a token that was never issued, or one the model rewrote,
// is asked for again with a note; after MaxRetries it fails as Invalid.
func TestBrokenTokensAreRetried(t *testing.T) {
	for _, bad := range []string{"⟦PHONE_9⟧", "[NAME_1]", "⟦NAME_1"} {
		t.Run(bad, func(t *testing.T) {
			var second string
			s, srv, _, _ := stack(t, config.PII{MaxRetries: 2}, func(n int, r *llmtest.ChatRequest) string {
				if n == 1 {
					return "您好 " + bad
				}
				second = r.Messages[0].Text()
				return line1Tokens(r)[0] + "您好"
			})
			res, err := s.Generate(pii.WithKnown(context.Background(), known()), llm.Request{Messages: supportPrompt()})
			if err != nil {
				t.Fatal(err)
			}
			if res.Text() != "王芳您好" || srv.Requests() != 2 || res.Attempts != 2 {
				t.Fatalf("text %q after %d requests (attempts %d)", res.Text(), srv.Requests(), res.Attempts)
			}
			if !strings.Contains(second, "Attempt 2") || !strings.Contains(second, "⟦NAME_1⟧") {
				t.Fatalf("retry system prompt = %q", second)
			}
		})
	}
	s, srv, _, _ := stack(t, config.PII{MaxRetries: 1}, func(int, *llmtest.ChatRequest) string { return "您好 ⟦PHONE_9⟧" })
	_, err := s.Generate(context.Background(), llm.Request{Messages: supportPrompt()})
	if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "unknown token ⟦PHONE_9⟧") || srv.Requests() != 2 {
		t.Fatalf("err = %v after %d requests", err, srv.Requests())
	}
}

// Another customer's data in the answer — echoed from a token or written
// out — is blocked: Forbidden, naming the type and never the value.
func TestOtherCustomersPIIIsBlocked(t *testing.T) {
	cases := []struct {
		name   string
		answer func(r *llmtest.ChatRequest) string
		noun   string
	}{
		{"echoed phone token", func(r *llmtest.ChatRequest) string { return "请联系 ⟦PHONE_2⟧" }, "phone number"},
		{"name written out", func(r *llmtest.ChatRequest) string { return line1Tokens(r)[0] + "您好，李娜也买了这款" }, "name"},
		{"unrelated email", func(r *llmtest.ChatRequest) string { return "回复到 someone.else@example.org" }, "email address"},
		{"echoed ID of the recipient", func(r *llmtest.ChatRequest) string { return "您的证件 " + line1Tokens(r)[3] }, "resident ID number"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, _, _, _ := stack(t, config.PII{}, func(_ int, r *llmtest.ChatRequest) string { return c.answer(r) })
			res, err := s.Generate(pii.WithKnown(context.Background(), known()), llm.Request{Messages: supportPrompt()})
			if !apperr.Is(err, apperr.Forbidden) || !strings.Contains(err.Error(), c.noun) {
				t.Fatalf("err = %v", err)
			}
			assertClean(t, "error", err.Error())
			if len(res.Choices) != 0 {
				t.Fatalf("blocked answer returned: %+v", res.Choices)
			}
		})
	}
}

// Streaming callers get the checked, restored answer.
func TestStreamRestores(t *testing.T) {
	s, _, w, _ := stack(t, config.PII{}, func(_ int, r *llmtest.ChatRequest) string { return line1Tokens(r)[0] + "，您的快递已发出" })
	var got strings.Builder
	res, err := s.Stream(pii.WithKnown(context.Background(), known()), llm.Request{Messages: supportPrompt()}, func(d string) error {
		got.WriteString(d)
		return nil
	})
	if err != nil || got.String() != "王芳，您的快递已发出" || res.Text() != got.String() {
		t.Fatalf("stream: %v %q %q", err, got.String(), res.Text())
	}
	assertClean(t, "stream request", strings.Join(w.bodies, "\n"))
}

// A name that is no known record but stands in a name's place (收件人：,
// Dear …,) is kept off the wire like a known one; in the answer, a name
// found only by such a cue is the model's own writing and does not block
// it (known records' names still do, see TestOtherCustomersPIIIsBlocked).
func TestContextNames(t *testing.T) {
	s, _, w, _ := stack(t, config.PII{}, func(int, *llmtest.ChatRequest) string {
		return "Hello Spring! 亲爱的陈静，春季新品到了。Dear Olivia, enjoy 10% off."
	})
	msgs := []llm.Message{{Role: llm.RoleUser, Content: "给这位客户写一句问候。收件人：陈静；Recipient: Olivia Bennett"}}
	res, err := s.Generate(context.Background(), llm.Request{Messages: msgs})
	if err != nil {
		t.Fatalf("an answer with names the model wrote was blocked: %v", err)
	}
	if !strings.Contains(res.Text(), "Dear Olivia") {
		t.Fatalf("answer = %q", res.Text())
	}
	if len(w.bodies) != 1 || strings.Contains(w.bodies[0], "陈静") || strings.Contains(w.bodies[0], "Olivia Bennett") ||
		!strings.Contains(w.bodies[0], "收件人：⟦NAME_1⟧") || !strings.Contains(w.bodies[0], "Recipient: ⟦NAME_2⟧") {
		t.Fatalf("request body = %s", w.bodies)
	}
}
