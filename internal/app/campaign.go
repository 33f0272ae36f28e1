package app

import (
	"context"

	"github.com/chorusmkt/chorus/internal/content"
)

// CampaignStudio is the content studio as a long-running process's
// campaign service uses it (campaign.Studio): each call wires the studio
// afresh (App.Studio), so that the shop's settings and the prompts
// changed while the server runs are the ones used, and the model stack is
// built only when copy is first written.
func (a *App) CampaignStudio() StudioFunc { return StudioFunc(a.Studio) }

// StudioFunc adapts a function returning the studio to campaign.Studio.
type StudioFunc func(ctx context.Context) (content.Deps, error)

// Prepare is content.Deps.Prepare on the studio f returns.
func (f StudioFunc) Prepare(ctx context.Context, req content.CampaignRequest) (*content.Prepared, error) {
	d, err := f(ctx)
	if err != nil {
		return nil, err
	}
	return d.Prepare(ctx, req)
}

// Execute is content.Deps.Execute on the studio f returns.
func (f StudioFunc) Execute(ctx context.Context, p *content.Prepared) (content.Summary, error) {
	d, err := f(ctx)
	if err != nil {
		return content.Summary{}, err
	}
	return d.Execute(ctx, p)
}

// Review is content.Deps.Review on the studio f returns.
func (f StudioFunc) Review(ctx context.Context, id, to, actor, note string) (content.Item, error) {
	d, err := f(ctx)
	if err != nil {
		return content.Item{}, err
	}
	return d.Review(ctx, id, to, actor, note)
}

// Edit is content.Deps.Edit on the studio f returns.
func (f StudioFunc) Edit(ctx context.Context, id, field, value, actor, note string) (content.Item, []content.Violation, error) {
	d, err := f(ctx)
	if err != nil {
		return content.Item{}, nil, err
	}
	return d.Edit(ctx, id, field, value, actor, note)
}
