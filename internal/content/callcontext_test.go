package content_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/llm"
)

type scopeKey struct{}

// scopeRecorder notes, per request, the scope its context carries.
type scopeRecorder struct {
	*hintWriter
	mu    sync.Mutex
	scope map[string]string // request item → scope
}

func (r *scopeRecorder) Generate(ctx context.Context, req llm.Request) (llm.Result, error) {
	s, _ := ctx.Value(scopeKey{}).(string)
	r.mu.Lock()
	r.scope[req.Item] = s
	r.mu.Unlock()
	return r.hintWriter.Generate(ctx, req)
}

// CallContext scopes every model call of a job to that job: at individual
// depth each call carries its own customer (this is how the PII
// redactor learns whose record a message is about).
func TestCallContextScopesEachJobsCalls(t *testing.T) {
	m := &scopeRecorder{hintWriter: &hintWriter{}, scope: map[string]string{}}
	d := deps(t, m, audience(6, "vip", catalogOf(3)))
	d.CallContext = func(ctx context.Context, j content.Job) context.Context {
		return context.WithValue(ctx, scopeKey{}, "customer:"+j.Customer)
	}
	p, err := d.Prepare(context.Background(), content.CampaignRequest{Brief: bilingualBrief(), Segment: "vip", Channels: []string{"sms"},
		Depth: content.DepthIndividual, Variants: 1})
	if err != nil {
		t.Fatal(err)
	}
	jobs := p.Jobs()
	if _, err := d.Execute(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	if len(m.scope) < len(jobs) {
		t.Fatalf("%d calls for %d jobs", len(m.scope), len(jobs))
	}
	for _, j := range jobs {
		if j.Customer == "" {
			t.Fatalf("individual job %s without a customer", j.Key)
		}
		found := false
		for item, s := range m.scope {
			if item == j.Key || strings.HasPrefix(item, j.Key+"#") {
				found = true
				if s != "customer:"+j.Customer {
					t.Errorf("call %s ran with scope %q, want customer:%s", item, s, j.Customer)
				}
			}
		}
		if !found {
			t.Errorf("no call for job %s", j.Key)
		}
	}
}
