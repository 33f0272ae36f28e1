package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/progress"
)

// generateFlags are the flags of `chorus generate`: a campaign's, and a
// single message's (singleArgs).
type generateFlags struct {
	singleArgs
	segment, channels, depth string
	topK                     int
	planOnly                 bool
}

func (a *app) generateCmd() *cobra.Command {
	var g generateFlags
	flags := map[string]any{"segment": &g.segment, "channels": &g.channels, "brief": &g.briefFile, "depth": &g.depth,
		"variants": &g.variants, "top-k": &g.topK, "voice": &g.voice, "plan": &g.planOnly, "json": &g.asJSON,
		"customer": &g.customer, "product": &g.sku, "channel": &g.channel, "profile": &g.profile,
		"product-file": &g.productFile, "language": &g.lang}
	cmd := a.command("", cmdSpec{Use: "generate", Args: cobra.NoArgs, Flags: flags,
		Run: func(cmd *cobra.Command, args []string) error { return a.runGenerate(cmd.Context(), g) }})
	// the channels are content's; the help file says the same
	// (TestHelpComplete compares them)
	cmd.Flags().Lookup("channels").Usage = "comma-separated channels: " + strings.Join(content.Channels(), ",")
	return cmd
}

// runGenerate writes one message (--channel) or a campaign (--segment).
func (a *app) runGenerate(ctx context.Context, g generateFlags) error {
	if g.channel != "" {
		return a.generateOne(ctx, g.singleArgs)
	}
	if g.segment == "" && g.briefFile == "" {
		return apperr.New(apperr.Invalid, "give --segment with --brief (campaign) or --channel with --customer/--profile (single message)")
	}
	if g.briefFile == "" {
		return apperr.New(apperr.Invalid, "--brief FILE is required in campaign mode")
	}
	b, err := content.LoadBrief(g.briefFile)
	if err != nil {
		return err
	}
	req := content.CampaignRequest{Brief: b, Segment: g.segment, Depth: g.depth, Variants: g.variants, Voice: g.voice, TopK: g.topK}
	if g.channels != "" {
		if req.Channels, err = content.ParseChannels(g.channels); err != nil {
			return err
		}
	}
	return a.withApp(ctx, func(ap *chorusapp.App) error { return a.runCampaign(ctx, ap, req, g.planOnly, g.asJSON) })
}

// runCampaign prepares a campaign, prints its plan and, unless planOnly,
// runs it with a progress bar and prints what it did.
func (a *app) runCampaign(ctx context.Context, ap *chorusapp.App, req content.CampaignRequest, planOnly, asJSON bool) error {
	g, err := ap.PrepareCampaign(ctx, req)
	if err != nil {
		return err
	}
	if planOnly && asJSON {
		return a.printJSON(map[string]any{"run": g.Run.ID, "plan": g.Plan})
	}
	if !asJSON {
		fmt.Fprint(a.stdout, g.Plan.String())
	}
	if planOnly {
		return nil
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

type singleArgs struct {
	customer, sku, channel, profile, productFile, briefFile, lang, voice string
	variants                                                             int
	asJSON                                                               bool
}

// generateOne writes one message for one reader and one product: a
// stored customer (saved for review) or an inline persona.
func (a *app) generateOne(ctx context.Context, s singleArgs) error {
	if s.customer == "" && s.profile == "" {
		return apperr.New(apperr.Invalid, "--channel needs --customer ID or --profile 'age=…,interests=…'")
	}
	if s.customer != "" && s.profile != "" {
		return apperr.New(apperr.Invalid, "give --customer or --profile, not both")
	}
	if _, err := content.SpecFor(s.channel); err != nil {
		return err
	}
	var b *content.Brief
	if s.briefFile != "" {
		lb, err := content.LoadBrief(s.briefFile)
		if err != nil {
			return err
		}
		b = &lb
	}
	if s.profile != "" {
		return a.generateForPersona(ctx, s, b)
	}
	return a.withApp(ctx, func(ap *chorusapp.App) error {
		w, err := ap.WriteFor(ctx, content.ForCustomer{CustomerID: s.customer, Channel: s.channel, SKU: s.sku, Lang: s.lang,
			Brief: b, Voice: s.voice, Variants: s.variants})
		if err != nil {
			return err
		}
		return a.printWritten(s, w)
	})
}

// generateForPersona is generateOne for an inline --profile and a
// --product-file: no store, nothing saved.
func (a *app) generateForPersona(ctx context.Context, s singleArgs, b *content.Brief) error {
	persona, plang, err := content.ParseProfile(s.profile)
	if err != nil {
		return err
	}
	if s.productFile == "" {
		return apperr.New(apperr.Invalid, "--profile needs --product-file FILE (a product without a stored catalog)")
	}
	product, err := content.LoadProduct(s.productFile)
	if err != nil {
		return err
	}
	w, err := chorusapp.WriteForPersona(ctx, a.cfg, content.ForPersona{Channel: s.channel, Persona: persona, PersonaLang: plang, Product: product,
		Lang: s.lang, Brief: b, Variants: s.variants})
	if err != nil {
		return err
	}
	return a.printWritten(s, w)
}

// printWritten prints a single message's items (or JSON).
func (a *app) printWritten(s singleArgs, w content.Written) error {
	req, out := w.Request, w.Outcome
	if s.asJSON {
		return a.printJSON(map[string]any{"channel": s.channel, "language": req.Lang, "product": productBrief(req.Product),
			"persona": req.Persona, "items": out.Items, "model_calls": out.Calls, "tokens": out.Usage, "duplicates_dropped": out.Duplicates})
	}
	return w.WriteText(a.stdout, a.stderr)
}

func productBrief(p catalog.Product) map[string]any {
	return map[string]any{"sku": p.SKU, "title": p.Title, "price": p.Price, "currency": p.Currency}
}
