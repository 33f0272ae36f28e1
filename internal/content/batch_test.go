package content_test

import (
	"context"
	"encoding/json"
	"github.com/chorusmkt/chorus/internal/shop"
	"strings"
	"sync"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/llm/llmtest"
	"github.com/chorusmkt/chorus/internal/llm/openai"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

func deps(t *testing.T, m content.Model, in *fakeInputs) content.Deps {
	t.Helper()
	ps, err := content.LoadPrompts("")
	if err != nil {
		t.Fatal(err)
	}
	return content.Deps{Model: m, Store: storetest.OpenSQLite(t), Catalog: in, Profiles: in, Recommend: in, Audience: in,
		Prompts: ps, MaxRepairs: 2, Concurrency: 2, Shop: shop.Settings{Name: "Lumen", Language: content.Zh}}
}

// validAnswer writes copy that passes every check for the request's
// channel, reading the product and language from the prompt: the fake
// server sees only what a real provider would.
func validAnswer(r *llmtest.ChatRequest) string {
	var schema struct {
		Required []string `json:"required"`
	}
	_ = json.Unmarshal(r.ResponseFormat.JSONSchema.Schema, &schema)
	p := r.Messages[1].Text()
	title := "Lumen Tee " + p[strings.Index(p, "Lumen Tee ")+10:][:3]
	zh := strings.Contains(p, "商品：")
	m := map[string]any{}
	for _, f := range schema.Required {
		switch {
		case f == "text" && zh:
			m[f] = "【Lumen】{{first_name}}，" + title + "双11全场8折，11月11日截止。回T退订"
		case f == "text":
			m[f] = "[Lumen] {{first_name}}, " + title + " is 20% off until Nov 11. Reply STOP to opt out"
		case f == "subject" && zh:
			m[f] = "{{first_name}}，" + title + "全场8折"
		case f == "subject":
			m[f] = "{{first_name}}, " + title + " is 20% off"
		case f == "preheader" && zh:
			m[f] = "双11限时优惠，先到先得"
		case f == "preheader":
			m[f] = "Ends November 11, while stocks last"
		case f == "body_text" && zh:
			m[f] = "{{first_name}}你好：\n你关注的" + title + "现在全场8折，11月11日截止。\n数量有限，喜欢就别犹豫。"
		case f == "body_text":
			m[f] = "Hi {{first_name}},\nThe " + title + " you liked is 20% off until November 11.\nStocks are limited."
		case f == "cta" && zh:
			m[f] = "立即选购"
		case f == "cta":
			m[f] = "Shop now"
		}
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func bilingualBrief() content.Brief {
	b := double11()
	b.Offer.TextEn = "20% off"
	return b
}

// Cancelling mid-batch and running again makes exactly one request per
// unit in total: finished units are never generated twice.
func TestInterruptedBatchResumesWithoutDuplicateCalls(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var once sync.Once
	var mu sync.Mutex
	n := 0
	srv := llmtest.Start(t, llmtest.Config{Answer: func(r *llmtest.ChatRequest) string {
		mu.Lock()
		n++
		if n == 5 {
			once.Do(cancel) // Ctrl-C while the 5th request is in flight
		}
		mu.Unlock()
		return validAnswer(r)
	}})
	m, err := openai.New(openai.Config{BaseURL: srv.BaseURL(), Model: "fake-gpt"})
	if err != nil {
		t.Fatal(err)
	}
	in := audience(12, "vip", catalogOf(4))
	d := deps(t, m, in)
	req := content.CampaignRequest{Brief: bilingualBrief(), Segment: "vip", Channels: []string{"sms", "email"}, Depth: content.DepthIndividual, Variants: 1}
	p, err := d.Prepare(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	units := len(p.Jobs())
	if units != 24 {
		t.Fatalf("units = %d, want 24", units)
	}
	s1, err := d.Execute(ctx, p)
	if !s1.Interrupted || !apperr.Is(err, apperr.Unavailable) {
		t.Fatalf("first run: interrupted=%v err=%v", s1.Interrupted, err)
	}
	if s1.Generated == 0 || s1.Generated >= units {
		t.Fatalf("first run generated %d of %d units; the test needs a partial run", s1.Generated, units)
	}
	if int64(s1.Generated) != srv.Requests() {
		t.Fatalf("first run: %d requests for %d saved units: an answered request was lost", srv.Requests(), s1.Generated)
	}
	p2, err := d.Prepare(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if p2.Run.ID != p.Run.ID {
		t.Fatalf("re-run has run id %s, want %s", p2.Run.ID, p.Run.ID)
	}
	s2, err := d.Execute(context.Background(), p2)
	if err != nil {
		t.Fatal(err)
	}
	if s2.Resumed != s1.Generated || s2.Generated != units-s1.Generated {
		t.Fatalf("second run resumed %d and generated %d; first generated %d of %d", s2.Resumed, s2.Generated, s1.Generated, units)
	}
	items, err := d.Store.ListItems(context.Background(), content.ItemFilter{RunID: p.Run.ID})
	if err != nil {
		t.Fatal(err)
	}
	if srv.Requests() != int64(len(items)) || len(items) != units {
		t.Fatalf("requests = %d, items = %d, units = %d: want all equal (zero duplicate calls)", srv.Requests(), len(items), units)
	}
	for prompt, good := range srv.GoodAnswers() {
		if good != 1 {
			t.Fatalf("prompt answered %d times:\n%s", good, prompt)
		}
	}
	if s2.Totals[content.StatusDraft] != units {
		t.Fatalf("totals = %v, want %d drafts", s2.Totals, units)
	}
	// a third run finds nothing to do
	s3, err := d.Execute(context.Background(), p2)
	if err != nil || s3.ModelCalls != 0 || s3.Resumed != units {
		t.Fatalf("third run: calls %d, resumed %d, err %v", s3.ModelCalls, s3.Resumed, err)
	}
}

// For 10,000 customers the plan costs every depth before anything runs;
// cohort depth needs ≥20× fewer calls than individual, and after running
// it every rendered message names the customer's own recommended product.
func TestCohortDepthAt10kCustomers(t *testing.T) {
	products := catalogOf(30)
	in := audience(10000, "all", products)
	w := &hintWriter{}
	d := deps(t, w, in)
	d.Concurrency = 4
	channels := []string{"sms", "email", "push"}
	p, err := d.Prepare(context.Background(), content.CampaignRequest{Brief: bilingualBrief(), Segment: "all", Channels: channels, Depth: content.DepthCohort, Variants: 1})
	if err != nil {
		t.Fatal(err)
	}
	calls := map[string]int{}
	for _, c := range p.Plan.Depths {
		calls[c.Depth] = c.Calls
	}
	t.Logf("plan:\n%s", p.Plan)
	if calls[content.DepthIndividual] != 10000*len(channels) {
		t.Fatalf("individual calls = %d, want %d", calls[content.DepthIndividual], 10000*len(channels))
	}
	if calls[content.DepthCohort]*20 > calls[content.DepthIndividual] {
		t.Fatalf("cohort %d calls vs individual %d: less than 20× fewer", calls[content.DepthCohort], calls[content.DepthIndividual])
	}
	if w.calls != 0 {
		t.Fatalf("planning made %d model calls", w.calls)
	}
	s, err := d.Execute(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if s.ModelCalls != calls[content.DepthCohort] || w.calls != s.ModelCalls {
		t.Fatalf("executed %d calls (model saw %d), plan said %d", s.ModelCalls, w.calls, calls[content.DepthCohort])
	}
	if s.Flagged != 0 {
		t.Fatalf("flagged %d: %v", s.Flagged, s.FlaggedExamples)
	}
	cov, err := content.Measure(context.Background(), d.Store, p)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("cohort: %d calls for %d messages (%.1f× fewer than individual); %d/%d messages name the customer's own product",
		s.ModelCalls, cov.Messages, float64(calls[content.DepthIndividual])/float64(s.ModelCalls), cov.NamingOwnProduct, cov.Messages)
	if cov.Messages != 10000*len(channels) || cov.NamingOwnProduct != cov.Messages || cov.PersonalisedNamingOwn != cov.Messages || cov.OverBudget != 0 {
		t.Fatalf("coverage = %+v", cov)
	}
}
