package content_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/demo"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/llm/offline"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// shopStore serves a generated shop to content.Fallback, in memory.
type shopStore struct{ shop *demo.Shop }

func (s shopStore) ListCustomers(_ context.Context, fn func(customer.Customer) error) error {
	for _, c := range s.shop.Customers {
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

func (s shopStore) ScanEvents(_ context.Context, f event.Filter, fn func(event.Event) error) error {
	for _, e := range s.shop.Events {
		if len(f.Types) > 0 && !strings.Contains(strings.Join(f.Types, ","), e.Type) {
			continue
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

func (s shopStore) ListProducts(context.Context) ([]catalog.Product, error) {
	return s.shop.Products, nil
}

func (s shopStore) GetProduct(_ context.Context, sku string) (catalog.Product, error) {
	for _, p := range s.shop.Products {
		if p.SKU == sku {
			return p, nil
		}
	}
	return catalog.Product{}, os.ErrNotExist
}

// The demo campaign's brief on the demo shop's catalog and customers
// (both languages, every demo channel, cohort depth), written by the
// offline writer: nothing flagged, no lint finding of any code, and no
// sentence skeleton in more than 15% of a channel's messages.
func TestOfflineDemoCampaignLintsClean(t *testing.T) {
	shop, err := demo.Generate(demo.Options{Customers: 600})
	if err != nil {
		t.Fatal(err)
	}
	st := shopStore{shop}
	fb := &content.Fallback{Store: st, Now: func() time.Time { return demo.DefaultEnd() }}
	ps, err := content.LoadPrompts("")
	if err != nil {
		t.Fatal(err)
	}
	d := content.Deps{Model: offline.New(), Store: storetest.OpenSQLite(t), Catalog: st, Profiles: fb, Recommend: fb, Audience: fb,
		Prompts: ps, MaxRepairs: 0, Concurrency: 2, Labeler: suffixLabeler{}}
	v, err := content.DemoVoice()
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Store.PutVoice(context.Background(), v); err != nil {
		t.Fatal(err)
	}
	b, err := content.DemoBrief()
	if err != nil {
		t.Fatal(err)
	}
	p, err := d.Prepare(context.Background(), content.CampaignRequest{Brief: b, Segment: "all", Channels: content.DemoChannels, Depth: content.DepthCohort, Variants: 1})
	if err != nil {
		t.Fatal(err)
	}
	s, err := d.Execute(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	items, err := d.Store.ListItems(context.Background(), content.ItemFilter{RunID: p.Run.ID})
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
