package content_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/demo"
	"github.com/chorusmkt/chorus/internal/insight"
	"github.com/chorusmkt/chorus/internal/llm/offline"
	"github.com/chorusmkt/chorus/internal/recommend"
	"github.com/chorusmkt/chorus/internal/segment"
	"github.com/chorusmkt/chorus/internal/shop"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// The demo campaign's brief on the demo shop's catalog and customers
// (both languages, every demo channel, cohort depth), written by the
// offline writer: nothing flagged, no lint finding of any code, and no
// sentence skeleton in more than 15% of a channel's messages.
func TestOfflineDemoCampaignLintsClean(t *testing.T) {
	ctx := context.Background()
	st := storetest.OpenSQLite(t)
	if _, err := demo.Build(ctx, st, demo.Options{Customers: 600, End: demo.DefaultEnd()}); err != nil {
		t.Fatal(err)
	}
	// the services the application wires for the studio (internal/app)
	cfg := config.Default()
	profiles := insight.NewService(st, insight.OptionsFromConfig(cfg.Insight))
	records := segment.NewInsightSource(st, insight.OptionsFromConfig(cfg.Insight))
	records.Data = profiles.Dataset
	sh, err := shop.Load(ctx, st, shop.Configured{})
	if err != nil {
		t.Fatal(err)
	}
	ps, err := content.LoadPrompts("")
	if err != nil {
		t.Fatal(err)
	}
	d := content.Deps{Model: offline.New(), Store: st, Catalog: st, Customers: st, Shop: sh.Settings,
		Profiles: profiles, Recommend: recommend.NewService(st, recommend.FromConfig(cfg.Recommend)), Audience: segment.NewEngine(st, records),
		Prompts: ps, MaxRepairs: 0, Concurrency: 2, Labeler: suffixLabeler{}}
	v, err := content.DemoVoice()
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Store.PutVoice(ctx, v); err != nil {
		t.Fatal(err)
	}
	b, err := content.DemoBrief()
	if err != nil {
		t.Fatal(err)
	}
	p, err := d.Prepare(ctx, content.CampaignRequest{Brief: b, Segment: "all", Channels: content.DemoChannels, Depth: content.DepthCohort, Variants: 1})
	if err != nil {
		t.Fatal(err)
	}
	s, err := d.Execute(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	items, err := d.Store.ListItems(ctx, content.ItemFilter{RunID: p.Run.ID})
	if err != nil {
		t.Fatal(err)
	}
	rep := content.LintItems(items, p.TargetOf)
	t.Logf("%d items (%d flagged), lint %v, max skeleton share %.3f", s.Items, s.Flagged, rep.ByCode, rep.MaxSkeletonShare)
	for _, it := range items {
		for _, v := range it.Violations {
			t.Errorf("%s %s %s: %s\n%s", it.Channel, it.Language, it.UnitKey, v, copyText(it))
		}
	}
	if rep.Findings > 0 {
		for _, w := range rep.Worst {
			t.Errorf("%s %s: %+v", w.Unit, w.Channel, w.Findings)
		}
	}
	for _, sk := range rep.Skeletons {
		t.Logf("%-12s %4d messages, top skeleton %4.1f%%: %s", sk.Channel, sk.Messages, 100*sk.Share, sk.Skeleton)
		if sk.Share > content.SkeletonLimit {
			t.Errorf("%s: the skeleton %q is in %d of %d messages (%.1f%% > 15%%)", sk.Channel, sk.Skeleton, sk.Count, sk.Messages, 100*sk.Share)
		}
	}
	if os.Getenv("CHORUS_SHOW_COPY") != "" {
		for _, it := range items {
			t.Logf("── %s %s %s\n%s", it.Channel, it.Language, it.UnitKey, copyText(it))
		}
	}
}

func copyText(it content.Item) string {
	spec, _ := content.SpecFor(it.Channel)
	var b strings.Builder
	for _, f := range spec.Fields {
		v := it.Copy.Field(f.Name)
		b.WriteString(f.Name + ": " + v + "\n")
	}
	return b.String()
}
