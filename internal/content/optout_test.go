package content_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/llm/llmtest"
	"github.com/chorusmkt/chorus/internal/llm/offline"
	"github.com/chorusmkt/chorus/internal/llm/openai"
)

// customOptOut is a brief whose SMS opt-out is not the default 回T退订.
func customOptOut() content.Brief {
	b := double11()
	b.OptOut = "拒收请回复R"
	b.Offer.TextEn = "20% off everything"
	return b
}

// One owner for the opt-out: a brief with opt_out: 拒收请回复R gives SMS
// that pass on the first round, with the offline writer (which is handed
// the brief's opt-out, having none of its own) and with a model that
// follows the prompt (the fake OpenAI server reads the instruction the
// prompt gives it).
func TestCustomOptOutPassesFirstRound(t *testing.T) {
	optRe := regexp.MustCompile(`以“([^”]+)”结尾`)
	srv := llmtest.Start(t, llmtest.Config{Answer: func(r *llmtest.ChatRequest) string {
		p := r.Prompt()
		m := optRe.FindStringSubmatch(p)
		if m == nil {
			return smsJSON("【Lumen】亚麻衬衫全场8折。回T退订")
		}
		return smsJSON("【Lumen】亚麻衬衫双11全场8折，11月11日截止。" + m[1])
	}})
	fake := openaiModel(t, srv)
	for _, tc := range []struct {
		name  string
		model content.Model
	}{{"offline", offline.New()}, {"fake model", fake}} {
		t.Run(tc.name, func(t *testing.T) {
			before := srv.Requests()
			d := content.Deps{Model: tc.model, Prompts: prompts(t), MaxRepairs: 2}
			out, err := d.Single(context.Background(), content.SingleRequest{Channel: content.SMS, Lang: content.Zh, Product: linen,
				Brief: customOptOut(), Variants: 3})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range out.Items {
				if it.Status != content.StatusDraft || it.Rounds != 0 || len(it.Violations) > 0 {
					t.Errorf("%s: status %s after %d rounds: %v\n%s", tc.name, it.Status, it.Rounds, it.Violations, it.Copy.Text)
				}
				if !strings.HasSuffix(it.Copy.Text, "拒收请回复R") || strings.Contains(it.Copy.Text, "回T退订") {
					t.Errorf("%s: the SMS does not end with the brief's opt-out: %q", tc.name, it.Copy.Text)
				}
			}
			if tc.name == "fake model" && srv.Requests()-before != 1 {
				t.Errorf("the fake model was called %d times; one call, no repair", srv.Requests()-before)
			}
		})
	}
	// a whole cohort campaign with the offline writer: every SMS passes
	tee := catalog.Product{SKU: "TEE-01", Title: "Organic Cotton Tee", Brand: "Lumen", Price: 39, Currency: "USD", Category: "Fashion > Tees",
		Language: content.En, SellingPoints: []string{"Organic cotton", "Keeps its shape"}, Active: true, URL: "https://lumen.example/p/TEE-01"}
	in := audience(40, "vip", []catalog.Product{linen, tee})
	d := deps(t, offline.New(), in)
	d.MaxRepairs = 0
	p, err := d.Prepare(context.Background(), content.CampaignRequest{Brief: customOptOut(), Segment: "vip", Channels: []string{content.SMS}, Depth: content.DepthCohort, Variants: 2})
	if err != nil {
		t.Fatal(err)
	}
	s, err := d.Execute(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if s.Flagged != 0 || s.Items == 0 || s.RepairCalls != 0 {
		t.Errorf("campaign: %d items, %d flagged, %d repairs: %v", s.Items, s.Flagged, s.RepairCalls, s.FlaggedExamples)
	}
}

// A model's answer with a machine date and a hook the product does not
// serve goes back with the linter's reasons; the fix is accepted, and a
// model that keeps the mistake is flagged, never passed.
func TestLintFindingsAreRepairedOrFlagged(t *testing.T) {
	chair := catalog.Product{SKU: "CN-OUT-CHAIR", Title: "折叠月亮椅", Category: "户外 > 露营", Price: 199, Currency: "CNY", Brand: "Ridgeline",
		SellingPoints: []string{"铝合金骨架", "承重120kg", "收纳小巧"}}
	spec, _ := content.SpecFor(content.Push)
	b := double11()
	target := content.Target{Spec: spec, Lang: content.Zh, Product: &chair, Brief: b, Voice: content.DefaultVoice("Lumen"),
		Grounding: content.Grounding{Products: []catalog.Product{chair}, Brief: b}}
	bad := `{"title":"爱健身，就选折叠月亮椅","body":"折叠月亮椅全场8折，2026-11-11结束"}`
	good := `{"title":"露营就选折叠月亮椅","body":"折叠月亮椅承重120kg，全场8折，11月11日结束"}`

	srv, reqs, m := scripted(t, bad, good)
	out, err := generator(t, m, 2).Generate(context.Background(), content.Job{RunID: "r", Key: "k", Target: target, Variants: 1})
	if err != nil {
		t.Fatal(err)
	}
	if srv.Requests() != 2 {
		t.Fatalf("requests = %d, want a generation and one repair", srv.Requests())
	}
	repair := (*reqs)[1].Prompt()
	for _, want := range []string{`date: "2026-11-11" is a machine date; write 11月11日`, `interest: names the interest "健身", which 折叠月亮椅 does not serve`} {
		if !strings.Contains(repair, want) {
			t.Errorf("the repair prompt lacks %q:\n%s", want, repair)
		}
	}
	if it := out.Items[0]; it.Status != content.StatusDraft || it.Rounds != 1 {
		t.Errorf("after the fix: %s, %d rounds, %v", it.Status, it.Rounds, it.Violations)
	}

	_, _, stubborn := scripted(t, bad)
	out, err = generator(t, stubborn, 2).Generate(context.Background(), content.Job{RunID: "r", Key: "k2", Target: target, Variants: 1})
	if err != nil {
		t.Fatal(err)
	}
	it := out.Items[0]
	codes := map[string]bool{}
	for _, v := range it.Violations {
		codes[v.Code] = true
	}
	if it.Status != content.StatusFlagged || !codes[content.LintDate] || !codes[content.LintInterest] {
		t.Errorf("a model keeping the mistakes: %s, %v", it.Status, it.Violations)
	}
}

func openaiModel(t *testing.T, srv *llmtest.Server) content.Model {
	t.Helper()
	p, err := openai.New(openai.Config{BaseURL: srv.BaseURL(), Model: "fake-gpt"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func prompts(t *testing.T) *content.Prompts {
	t.Helper()
	ps, err := content.LoadPrompts("")
	if err != nil {
		t.Fatal(err)
	}
	return ps
}
