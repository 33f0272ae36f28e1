package content_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/llm/llmtest"
	"github.com/chorusmkt/chorus/internal/llm/openai"
)

// scripted starts the fake OpenAI server answering with answers[i] for the
// i-th request (the last one repeats) and records every request.
func scripted(t *testing.T, answers ...string) (*llmtest.Server, *[]*llmtest.ChatRequest, content.Model) {
	t.Helper()
	var mu sync.Mutex
	var reqs []*llmtest.ChatRequest
	srv := llmtest.Start(t, llmtest.Config{Answer: func(r *llmtest.ChatRequest) string {
		mu.Lock()
		defer mu.Unlock()
		reqs = append(reqs, r)
		return answers[min(len(reqs), len(answers))-1]
	}})
	p, err := openai.New(openai.Config{BaseURL: srv.BaseURL(), Model: "fake-gpt"})
	if err != nil {
		t.Fatal(err)
	}
	return srv, &reqs, p
}

func smsJSON(text string) string {
	b, _ := json.Marshal(map[string]string{"text": text})
	return string(b)
}

func smsTarget() content.Target {
	spec, _ := content.SpecFor(content.SMS)
	b := double11()
	p := linen
	return content.Target{Spec: spec, Lang: content.Zh, Product: &p, Brief: b, Voice: content.DefaultVoice("Lumen"),
		Sender: "【Lumen】", OptOut: "回T退订", Slots: []string{content.SlotFirstName},
		Grounding: content.Grounding{Products: []catalog.Product{p}, Brief: b}}
}

func generator(t *testing.T, m content.Model, repairs int) *content.Generator {
	t.Helper()
	ps, err := content.LoadPrompts("")
	if err != nil {
		t.Fatal(err)
	}
	return &content.Generator{Model: m, Prompts: ps, MaxRepairs: repairs}
}

// The first answer breaks four rules at once; the repair prompt must quote
// each, and the corrected answer is accepted as a draft.
func TestRepairLoopSendsExactReasonsAndAcceptsFix(t *testing.T) {
	bad := smsJSON("【Lumen】{{first_name}}，你心仪的亚麻衬衫限时5折，只要¥99！" + strings.Repeat("透气舒适好搭配，", 16) + "快来抢购吧")
	good := smsJSON("【Lumen】{{first_name}}，你心仪的亚麻衬衫双11全场8折，到手¥239.2，11月11日截止。回T退订")
	srv, reqs, m := scripted(t, bad, good)
	g := generator(t, m, 2)
	out, err := g.Generate(context.Background(), content.Job{RunID: "r", Key: "k", Target: smsTarget(), Variants: 1})
	if err != nil {
		t.Fatal(err)
	}
	if srv.Requests() != 2 || out.Calls != 2 {
		t.Fatalf("requests = %d, calls = %d; want 2 (one generation, one repair)", srv.Requests(), out.Calls)
	}
	repair := (*reqs)[1]
	// the repair request carries the conversation: the bad answer, then the reasons
	msgs := repair.Messages
	if len(msgs) != 4 || msgs[2].Role != "assistant" || !strings.Contains(msgs[2].Text(), "5折") {
		t.Fatalf("repair conversation = %+v", msgs)
	}
	prompt := repair.Prompt()
	for _, want := range []string{
		`the discount "5折" is invented: the brief's offer is 8折 (全场8折); state only that discount`,
		`the price "¥99" does not match the catalog: 亚麻衬衫 costs ¥299`,
		`text: the opt-out text "回T退订" is missing; end the text with it`,
		`UCS-2 units = 3 SMS segments; the budget is 2 segments (134 units) including the signature and the opt-out text`,
	} {
		if !strings.Contains(prompt, want) {
			t.Errorf("repair prompt lacks %q\n--- prompt ---\n%s", want, prompt)
		}
	}
	if len(out.Items) != 1 {
		t.Fatalf("items = %d", len(out.Items))
	}
	it := out.Items[0]
	if it.Status != content.StatusDraft || it.Rounds != 1 || len(it.Violations) != 0 {
		t.Fatalf("item = %+v", it)
	}
	if it.SMS == nil || it.SMS.Encoding != content.UCS2 || it.SMS.Segments != 1 {
		t.Fatalf("sms count = %+v", it.SMS)
	}
}

// A model that keeps inventing 5折 is asked MaxRepairs times, each time
// with the reason, and the item is flagged — never passed.
func TestRepairLoopFlagsWhatStaysWrong(t *testing.T) {
	srv, reqs, m := scripted(t,
		smsJSON("【Lumen】{{first_name}}，亚麻衬衫5折，11月11日截止。回T退订"),
		smsJSON("【Lumen】{{first_name}}，亚麻衬衫限时5折，11月11日截止。回T退订"),
		smsJSON("【Lumen】{{first_name}}，亚麻衬衫今天5折，11月11日截止。回T退订"))
	g := generator(t, m, 2)
	out, err := g.Generate(context.Background(), content.Job{RunID: "r", Key: "k", Target: smsTarget(), Variants: 1})
	if err != nil {
		t.Fatal(err)
	}
	if srv.Requests() != 3 {
		t.Fatalf("requests = %d, want 3 (1 + 2 repairs)", srv.Requests())
	}
	for i, r := range (*reqs)[1:] {
		if !strings.Contains(r.Prompt(), `the discount "5折" is invented`) {
			t.Errorf("repair %d does not quote the reason: %s", i+1, r.Prompt())
		}
	}
	it := out.Items[0]
	if it.Status != content.StatusFlagged || it.Rounds != 2 {
		t.Fatalf("status %s after %d rounds, want flagged after 2", it.Status, it.Rounds)
	}
	if len(it.Violations) != 1 || it.Violations[0].Rule != "grounding" {
		t.Fatalf("violations = %+v", it.Violations)
	}
}

// An English email whose subject is too long and whose price is not the
// catalog's is repaired field by field.
func TestRepairLoopEnglishEmail(t *testing.T) {
	spec, _ := content.SpecFor(content.Email)
	b := double11()
	b.Language, b.Offer.Text, b.Offer.Discount = content.En, "20% off everything", "20% off"
	if err := b.Check(); err != nil {
		t.Fatal(err)
	}
	p := catalog.Product{SKU: "TEE", Title: "Linen Tee", Price: 40, Currency: "USD"}
	tg := content.Target{Spec: spec, Lang: content.En, Product: &p, Brief: b, Voice: content.DefaultVoice("Lumen"),
		Slots: []string{content.SlotFirstName}, Grounding: content.Grounding{Products: []catalog.Product{p}, Brief: b}}
	mk := func(subject, body string) string {
		js, _ := json.Marshal(map[string]string{"subject": subject, "preheader": "Our softest linen, now lighter on your wallet",
			"body_text": body, "cta": "Shop the sale"})
		return string(js)
	}
	bad := mk("{{first_name}}, the Linen Tee you loved is finally back in every colour and it is 20% off", "Hi {{first_name}},\nThe Linen Tee is now only $25 with 20% off everything until Nov 11.\nSee you soon.")
	good := mk("{{first_name}}, your Linen Tee is 20% off", "Hi {{first_name}},\nThe Linen Tee is now $32 with 20% off everything until Nov 11.\nSee you soon.")
	_, reqs, m := scripted(t, bad, good)
	out, err := generator(t, m, 2).Generate(context.Background(), content.Job{RunID: "r", Key: "k", Target: tg, Variants: 1})
	if err != nil {
		t.Fatal(err)
	}
	prompt := (*reqs)[1].Prompt()
	for _, want := range []string{"subject: is 84 characters; the budget is 80 (shorten by 4)", `the price "$25" does not match the catalog: Linen Tee costs $40`} {
		if !strings.Contains(prompt, want) {
			t.Errorf("repair prompt lacks %q:\n%s", want, prompt)
		}
	}
	it := out.Items[0]
	if it.Status != content.StatusDraft {
		t.Fatalf("item = %+v", it)
	}
	if !strings.Contains(it.HTML, content.UnsubscribePlaceholder) || !strings.Contains(it.HTML, "Linen Tee") || !strings.Contains(it.HTML, "$40") {
		t.Fatalf("email HTML lacks unsubscribe placeholder or product block:\n%s", it.HTML)
	}
}

// A model that answers the reasons with the very same copy is not taking
// feedback; it is not asked again, and the item is flagged.
func TestRepairLoopStopsWhenTheModelRepeatsItself(t *testing.T) {
	srv, _, m := scripted(t, smsJSON("【Lumen】{{first_name}}，亚麻衬衫5折，11月11日截止。回T退订"))
	out, err := generator(t, m, 3).Generate(context.Background(), content.Job{RunID: "r", Key: "k", Target: smsTarget(), Variants: 1})
	if err != nil {
		t.Fatal(err)
	}
	if srv.Requests() != 2 || out.Items[0].Status != content.StatusFlagged {
		t.Fatalf("requests = %d, status = %s; want 2 requests and flagged", srv.Requests(), out.Items[0].Status)
	}
}
