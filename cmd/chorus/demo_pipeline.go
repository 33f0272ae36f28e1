package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/demo"
	"github.com/chorusmkt/chorus/internal/store"
)

// demoSegment is one saved segment the demo creates, so that the campaign
// step and `chorus segment list` have something real to work on.
type demoSegment struct {
	name, expression, description string
}

// demoSegments are written against the demo shop's bilingual categories
// (摄影 and Photography are the same line in the two markets).
var demoSegments = []demoSegment{
	{"vip", `rfm.segment in ["champions", "loyal_customers"]`,
		"best customers 高价值客户: champions and loyal customers"},
	{"win_back", `rfm.segment in ["at_risk", "cant_loose", "about_to_sleep"] && (consent.email || consent.sms)`,
		"slipping customers we may still contact 流失预警且可触达"},
	{"photo_lovers", `affinity["摄影"] > 0.3 || affinity["Photography"] > 0.3`,
		"customers whose purchases lean to photography 摄影爱好者"},
}

// demoSegmentStep saves the demo segments (once; a re-run refreshes them)
// and prints their sizes.
func (a *app) demoSegmentStep() demoStep {
	return demoStep{name: "segments 人群", run: func(ctx context.Context, st store.Store, _ *demo.Report, out io.Writer) error {
		eng, _ := a.segmentEngine(st)
		tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "SEGMENT\tCUSTOMERS\tEXPRESSION")
		for _, d := range demoSegments {
			_, p, err := eng.Create(ctx, d.name, d.expression, d.description, 0)
			if apperr.Is(err, apperr.Conflict) {
				if _, err = eng.Refresh(ctx, d.name); err == nil {
					_, p, err = eng.Count(ctx, d.name)
				}
			}
			if err != nil {
				return fmt.Errorf("segment %s: %w", d.name, err)
			}
			fmt.Fprintf(tw, "%s\t%s of %s\t%s\n", d.name, groupDigits(p.Count), groupDigits(p.Total), d.expression)
		}
		return tw.Flush()
	}}
}

// demoCampaignStep generates the demo 双11 campaign for the demo segments
// with the configured model (the offline writer unless one is set) and
// writes its previews to the content output folder (./chorus-content).
func (a *app) demoCampaignStep() demoStep {
	return demoStep{name: "campaign 营销活动", run: func(ctx context.Context, st store.Store, _ *demo.Report, out io.Writer) error {
		var names []string
		for _, d := range demoSegments {
			names = append(names, d.name)
		}
		ds, err := a.demoContent(ctx, st, a.cfg.Content.OutputDir, names)
		if err != nil {
			return err
		}
		printDemoContent(out, ds)
		return nil
	}}
}
