package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/demo"
)

// demoSegments saves the demo segments (once; a re-run refreshes them)
// and prints their sizes.
func demoSegments(ctx context.Context, ap *chorusapp.App, _ *demo.Report, out io.Writer) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SEGMENT\tCUSTOMERS\tEXPRESSION")
	for _, d := range demo.Segments {
		_, p, err := ap.Segments.Create(ctx, d.Name, d.Expression, d.Description, 0)
		if apperr.Is(err, apperr.Conflict) {
			if _, err = ap.Segments.Refresh(ctx, d.Name); err == nil {
				_, p, err = ap.Segments.Count(ctx, d.Name)
			}
		}
		if err != nil {
			return fmt.Errorf("segment %s: %w", d.Name, err)
		}
		fmt.Fprintf(tw, "%s\t%s of %s\t%s\n", d.Name, demo.GroupDigits(p.Count), demo.GroupDigits(p.Total), d.Expression)
	}
	return tw.Flush()
}

// demoCampaign generates the demo 双11 campaign for the demo segments with
// the configured model (the offline writer unless one is set) and writes
// its previews to the content output folder (./chorus-content).
func (a *app) demoCampaign(ctx context.Context, ap *chorusapp.App, _ *demo.Report, out io.Writer) error {
	var names []string
	for _, d := range demo.Segments {
		names = append(names, d.Name)
	}
	d, err := ap.Studio(ctx)
	if err != nil {
		return err
	}
	ds, err := content.DemoCampaign(ctx, d, a.cfg.Content.OutputDir, names)
	if err != nil {
		return err
	}
	return ds.WriteText(out)
}
