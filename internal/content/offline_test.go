package content_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/llm/offline"
)

// With the built-in offline writer, every item of a demo-like campaign —
// every channel, both languages, several cohorts — fits its channel's
// budgets and carries its required elements, without a repair round —
// also when every body carries the visible AI-generated label, whose room
// the writer is asked to leave.
func TestOfflineCampaignPassesEveryChannel(t *testing.T) {
	t.Run("unlabelled", func(t *testing.T) { testOfflineCampaign(t, nil) })
	t.Run("labelled", func(t *testing.T) { testOfflineCampaign(t, suffixLabeler{}) })
}

// suffixLabeler appends the label as compliance/policy does by default.
type suffixLabeler struct{}

func (suffixLabeler) Label(text, _, lang string) string {
	if lang == content.Zh {
		return text + "（AI生成）"
	}
	return text + " (AI-generated)"
}

func testOfflineCampaign(t *testing.T, lb content.Labeler) {
	tees := catalogOf(2)
	for i := range tees {
		tees[i].Language = content.En
		tees[i].Description = "Soft organic cotton tee"
		tees[i].SellingPoints = []string{"breathable organic cotton", "keeps its shape wash after wash"}
	}
	in := audience(60, "vip", []catalog.Product{linen, tees[0], tees[1]})
	d := deps(t, offline.New(), in)
	d.MaxRepairs = 0
	d.Labeler = lb
	p, err := d.Prepare(context.Background(), content.CampaignRequest{Brief: bilingualBrief(), Segment: "vip",
		Channels: content.Channels(), Depth: content.DepthCohort, Variants: 2})
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
	byChannel := map[string]int{}
	for _, it := range items {
		byChannel[it.Channel+"/"+it.Language]++
		if !it.AIGenerated {
			t.Errorf("%s: offline writer output stored without ai_generated", it.ID)
		}
		if lb != nil {
			spec, _ := content.SpecFor(it.Channel)
			if body := it.Copy.Field(spec.LabelField()); !strings.Contains(body, "AI生成") && !strings.Contains(body, "AI-generated") {
				t.Errorf("%s %s: %s lacks the label: %q", it.Channel, it.Language, spec.LabelField(), body)
			}
		}
		for _, v := range it.Violations {
			t.Errorf("%s %s %s: %s\n%+v", it.Channel, it.Language, it.UnitKey, v, it.Copy)
		}
	}
	if len(byChannel) != 2*len(content.Channels()) {
		t.Fatalf("items by channel/language = %v", byChannel)
	}
	t.Logf("%d items, %d units, %d calls, %d duplicates dropped, by channel: %v", len(items), s.Generated, s.ModelCalls, s.Duplicates, byChannel)
}
