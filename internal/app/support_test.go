package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/demo"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
	"github.com/chorusmkt/chorus/internal/support"
	"github.com/chorusmkt/chorus/internal/support/supportbench"
)

// The assistant is wired in one call: it answers from the store's
// knowledge base with citations, recommends through the application's
// recommender, and keeps an evaluation's conversations out of the store.
func TestSupportAssistant(t *testing.T) {
	ctx := context.Background()
	st := storetest.OpenSQLite(t)
	rep, err := demo.Build(ctx, st, demo.Options{Seed: 5, Customers: 40, End: demo.DefaultEnd()})
	if err != nil {
		t.Fatal(err)
	}
	a := supportApp(t, st)
	as, done, err := a.Support(ctx, support.NewMemoryRecorder())
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	r, err := as.Answer(ctx, support.Request{Text: "七天无理由退货怎么申请？", Channel: "test"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Citations) == 0 || r.Handoff || !as.Offline() {
		t.Errorf("reply %+v: cited, not handed off, offline", r)
	}
	r, err = as.Answer(ctx, support.Request{Text: "推荐一款适合旅行的包", CustomerID: rep.SeedPersonaID, Language: "zh", Channel: "test"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := a.Recommend.Recommend(ctx, rep.SeedPersonaID, 3)
	if err != nil {
		t.Fatal(err)
	}
	named := false
	for _, it := range want {
		named = named || strings.Contains(citations(r), "product:"+it.SKU)
	}
	if !named {
		t.Errorf("a recommendation reply %q %v names none of the recommender's %v", r.Answer, r.Citations, want)
	}
	if hs, err := st.ListHandoffs(ctx, support.HandoffFilter{}); err != nil || len(hs) != 0 {
		t.Errorf("an evaluation's turns reached the store: %v, %v", hs, err)
	}

	rpt, err := supportbench.Measure(ctx, as, st, "offline", support.DemoEvalSet()[:5], 1)
	if err != nil {
		t.Fatal(err)
	}
	if rpt.Passages == 0 || rpt.AnswersPerSec <= 0 || rpt.SearchesPerSec <= 0 || rpt.AnswerToSearch <= 0 {
		t.Errorf("bench report %+v", rpt)
	}
}

// supportApp is the application over st with the demo's knowledge base,
// closed when the test ends.
func supportApp(t *testing.T, st store.Store) *app.App {
	t.Helper()
	ctx := context.Background()
	if _, err := support.ImportFS(ctx, st, demo.KnowledgeBase()); err != nil {
		t.Fatal(err)
	}
	a, err := app.New(ctx, config.Default(), st, app.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close(context.WithoutCancel(ctx)) })
	return a
}

func citations(r support.Reply) string {
	var b strings.Builder
	for _, c := range r.Citations {
		b.WriteString(c.String())
	}
	return b.String()
}

// The CLI's feedback names only the answer's message; its comment is held
// to the inbox's length limit and stored redacted, as the widget's is.
func TestFeedbackRedacted(t *testing.T) {
	ctx := context.Background()
	st := storetest.OpenSQLite(t)
	a := supportApp(t, st)
	r, err := a.Ask(ctx, support.Request{Text: "七天无理由退货怎么申请？", Channel: "test"})
	if err != nil || r.MessageID == 0 {
		t.Fatalf("ask: %+v %v", r, err)
	}
	f := support.Feedback{MessageID: r.MessageID, Thumb: -1, Comment: "没用，打我电话 13800138000 或 wang@example.com"}
	if err := a.Feedback(ctx, f); err != nil {
		t.Fatal(err)
	}
	var got []string
	err = st.ScanSupport(ctx, time.Time{}, time.Now().Add(time.Hour), func(m support.Message, fb *support.Feedback, _ support.Conversation) error {
		if fb != nil {
			got = append(got, fb.Comment)
		}
		return nil
	})
	if err != nil || len(got) != 1 || strings.Contains(got[0], "13800138000") || strings.Contains(got[0], "wang@example.com") || !strings.Contains(got[0], "没用") {
		t.Errorf("stored comments %q (%v): one, redacted", got, err)
	}
	f.Comment = strings.Repeat("长", 4001)
	if err := a.Feedback(ctx, f); apperr.KindOf(err) != apperr.Invalid {
		t.Errorf("a comment over the limit: %v, want Invalid", err)
	}
}
