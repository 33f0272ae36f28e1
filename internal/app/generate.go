package app

import (
	"context"
	"io"

	"github.com/chorusmkt/chorus/internal/compliance/adlaw"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/content"
)

// CampaignDefaults fills what req leaves out from the content settings:
// the depth, the variants and the cohort's top K. The CLI and the API both
// prepare through it, so a request without them means the same on both.
func (a *App) CampaignDefaults(req content.CampaignRequest) content.CampaignRequest {
	if req.Depth == "" {
		req.Depth = a.Config.Content.Depth
	}
	if req.Variants <= 0 {
		req.Variants = a.Config.Content.Variants
	}
	if req.TopK <= 0 {
		req.TopK = a.Config.Content.CohortTopK
	}
	return req
}

// Generation is a campaign prepared for generation: its run and plan
// (no model call made yet), and Write writes it.
type Generation struct {
	*content.Prepared
	studio content.Deps
	store  content.Store
}

// Planned is a prepared run as `chorus generate --plan` prints it: the
// plan, and in JSON the run's id beside it.
type Planned struct {
	Plan content.Plan `json:"plan"`
	Run  string       `json:"run"`
}

// Planned is g's plan and run id.
func (g *Generation) Planned() Planned { return Planned{Plan: g.Plan, Run: g.Run.ID} }

// WriteText writes the plan for a person.
func (p Planned) WriteText(w io.Writer) error {
	_, err := io.WriteString(w, p.Plan.String())
	return err
}

// PrepareCampaign plans req (CampaignDefaults applied) in the studio.
func (a *App) PrepareCampaign(ctx context.Context, req content.CampaignRequest) (*Generation, error) {
	d, err := a.Studio(ctx)
	if err != nil {
		return nil, err
	}
	p, err := d.Prepare(ctx, a.CampaignDefaults(req))
	if err != nil {
		return nil, err
	}
	return &Generation{Prepared: p, studio: d, store: a.Store}, nil
}

// Write writes every unit of the plan, calling progress (units done, of
// total) when set, and measures the run's coverage. The summary holds
// what was written even when err reports that the run stopped.
func (g *Generation) Write(ctx context.Context, progress func(n, total int)) (content.Summary, error) {
	d := g.studio
	d.Progress = progress
	s, err := d.Execute(ctx, g.Prepared)
	if cov, cerr := content.Measure(context.WithoutCancel(ctx), g.store, g.Prepared); cerr == nil {
		s.Coverage = &cov
	}
	return s, err
}

// WriteFor writes one message for a stored customer (saved for review),
// with content.variants when r gives no number of variants.
func (a *App) WriteFor(ctx context.Context, r content.ForCustomer) (content.Written, error) {
	d, err := a.Studio(ctx)
	if err != nil {
		return content.Written{}, err
	}
	if r.Variants <= 0 {
		r.Variants = a.Config.Content.Variants
	}
	return d.WriteFor(ctx, r)
}

// WriteForPersona writes one message for a reader who is not stored (an
// inline persona and a product file) through PersonaStudio, nothing saved,
// with content.variants when r gives no number of variants. It returns
// the error of writing, else that of closing the model stack.
func WriteForPersona(ctx context.Context, cfg config.Config, r content.ForPersona) (w content.Written, err error) {
	d, closeModel, err := PersonaStudio(ctx, cfg)
	if err != nil {
		return w, err
	}
	defer func() {
		if cerr := closeModel(context.WithoutCancel(ctx)); err == nil {
			err = cerr
		}
	}()
	if r.Variants <= 0 {
		r.Variants = cfg.Content.Variants
	}
	return d.WriteForPersona(ctx, r)
}

// PersonaStudio is the studio for a reader who is not stored (an inline
// persona and a product file): the configured model without a store, the
// prompts and the ad-law checker, nothing saved. The caller closes the
// model stack with close.
func PersonaStudio(ctx context.Context, cfg config.Config) (d content.Deps, close func(context.Context) error, err error) {
	stack, err := ModelStack(ctx, cfg, nil)
	if err != nil {
		return d, nil, err
	}
	ps, err := content.LoadPrompts(cfg.Content.PromptDir)
	if err != nil {
		_ = stack.Close(ctx)
		return d, nil, err
	}
	d = content.Deps{Model: stack, Prompts: ps, MaxRepairs: cfg.Content.MaxRepairs}
	if ck, err := adlaw.FromConfig(cfg.Compliance.AdLaw); err == nil {
		d.Checker = AdLawChecker{C: ck}
	}
	return d, stack.Close, nil
}
