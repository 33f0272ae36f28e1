package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/progress"
)

func (a *app) generateCmd() *cobra.Command {
	var g chorusapp.GenerateArgs
	var planOnly, asJSON bool
	flags := map[string]any{"segment": &g.Segment, "channels": &g.Channels, "brief": &g.BriefFile, "depth": &g.Depth,
		"variants": &g.Variants, "top-k": &g.TopK, "voice": &g.Voice, "plan": &planOnly, "json": &asJSON,
		"customer": &g.Customer, "product": &g.SKU, "channel": &g.Channel, "profile": &g.Profile,
		"product-file": &g.ProductFile, "language": &g.Lang}
	return a.command("", cmdSpec{Use: "generate", Args: cobra.NoArgs, Flags: flags,
		// the channels are content's; the help file says the same
		// (TestHelpComplete compares them)
		Usage: map[string]string{"channels": "comma-separated channels: " + strings.Join(content.Channels(), ",")},
		Run: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if g.Single() {
				return a.generateOne(ctx, g, asJSON)
			}
			req, err := g.Campaign()
			if err != nil {
				return err
			}
			return a.withApp(ctx, func(ap *chorusapp.App) error { return a.runCampaign(ctx, ap, req, planOnly, asJSON) })
		}})
}

// runCampaign prepares a campaign, prints its plan and, unless planOnly,
// runs it with a progress bar and prints what it did.
func (a *app) runCampaign(ctx context.Context, ap *chorusapp.App, req content.CampaignRequest, planOnly, asJSON bool) error {
	g, err := ap.PrepareCampaign(ctx, req)
	if err != nil {
		return err
	}
	if planOnly {
		return a.render(asJSON, g.Planned())
	}
	if !asJSON {
		fmt.Fprint(a.stdout, g.Plan.String())
	}
	var bar progress.Reporter
	s, runErr := g.Write(ctx, func(n, total int) {
		if bar == nil {
			bar = a.progress("generate", int64(total), "units")
		}
		bar.Add(int64(n))
	})
	if bar != nil {
		bar.Done()
	}
	if err := a.render(asJSON, s); err != nil {
		return err
	}
	return runErr
}

// generateOne writes one message for one reader and one product: a
// stored customer (saved for review) or an inline persona (no store).
func (a *app) generateOne(ctx context.Context, g chorusapp.GenerateArgs, asJSON bool) error {
	fc, fp, err := g.Message()
	if err != nil {
		return err
	}
	var w content.Written
	if fp != nil {
		w, err = chorusapp.WriteForPersona(ctx, a.cfg, *fp)
	} else {
		err = a.withApp(ctx, func(ap *chorusapp.App) (err error) { w, err = ap.WriteFor(ctx, *fc); return err })
	}
	if err != nil || asJSON {
		return renderResult[content.WrittenReport](a, true)(w.Report(), err)
	}
	return w.WriteText(a.stdout, a.stderr)
}
