package httpapi_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/experiment"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// BenchmarkStudioPages serves the review queue, a campaign's page and its
// report through the whole server (session, CSRF, role, template) over
// HTTP on loopback, and in the same run the service calls each page makes
// alone; page/service is the cost of the web layer.
//
//	go test -run XXX -bench StudioPages -benchtime 200x ./internal/httpapi
func BenchmarkStudioPages(b *testing.B) {
	r := newStudioRig(b, false)
	r.segment("everyone")
	r.draft("d11", "everyone", campaign.ApprovalAuto)
	ctx := context.Background()
	if _, err := r.svc.Launch(ctx, "d11"); err != nil {
		b.Fatal(err)
	}
	c := r.login("analyst")
	pages := []struct {
		name, path string
		service    func() error
	}{
		{"review", "/studio/review?status=approved", func() error {
			_, err := r.app.Store.ListItems(ctx, content.ItemFilter{Status: content.StatusApproved, Limit: 200})
			return err
		}},
		{"campaign", "/campaigns/d11", func() error { _, err := r.svc.Status(ctx, "d11"); return err }},
		{"report", "/reports/d11", func() error {
			cfg := r.app.Config
			_, err := tracking.Reporter{Store: r.st}.Report(ctx, "d11", tracking.ReportOptions{
				Rule: tracking.RuleFromConfig(cfg.Tracking.Attribution), Experiment: experiment.OptionsFromConfig(cfg.Experiment)})
			return err
		}},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			start := time.Now()
			for range b.N {
				if err := p.service(); err != nil {
					b.Fatal(err)
				}
			}
			service := time.Since(start)
			b.ResetTimer()
			start = time.Now()
			for range b.N {
				resp, err := c.http.Get(r.url + p.path)
				if err != nil {
					b.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("%s: %d", p.path, resp.StatusCode)
				}
			}
			page := time.Since(start)
			b.ReportMetric(float64(service.Microseconds())/float64(b.N), "service-µs/op")
			b.ReportMetric(float64(page)/float64(service), "page/service")
		})
	}
}
