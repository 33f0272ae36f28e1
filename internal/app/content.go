package app

import (
	"context"
	"io"

	"github.com/chorusmkt/chorus/internal/content"
)

// The content review queue and the studio's settings, as the CLI's
// chorus content and the API's /v1/content routes use them.

// Items are generated items as the review queue lists them; as JSON a
// list, never null.
type Items []content.Item

// WriteText writes one line per item, or "no items".
func (is Items) WriteText(w io.Writer) error { return content.WriteItems(w, is) }

// ListItems lists the generated items f selects, newest first.
func (a *App) ListItems(ctx context.Context, f content.ItemFilter) (Items, error) {
	items, err := a.Store.ListItems(ctx, f)
	if items == nil {
		items = []content.Item{}
	}
	return items, err
}

// ItemDetail is an item with its audit trail (never nil). Errors:
// NotFound for an unknown item.
func (a *App) ItemDetail(ctx context.Context, id string) (content.Detail, error) {
	it, err := a.Store.GetItem(ctx, id)
	if err != nil {
		return content.Detail{}, err
	}
	trail, err := a.Store.AuditTrail(ctx, it.ID)
	if trail == nil {
		trail = []content.Audit{}
	}
	return content.Detail{Item: it, Audit: trail}, err
}

// DecideItem moves item id to status to (approved, rejected) in the
// studio's review, as actor with note: a flagged item needs a note to be
// approved (Invalid).
func (a *App) DecideItem(ctx context.Context, id, to, actor, note string) (content.Item, error) {
	d, err := a.Reviewer(ctx)
	if err != nil {
		return content.Item{}, err
	}
	return d.Review(ctx, id, to, actor, note)
}

// EditItem changes one field of item id as actor and checks it again: the
// item and what its checks still find (never nil).
func (a *App) EditItem(ctx context.Context, id, field, value, actor, note string) (content.Item, []content.Violation, error) {
	d, err := a.Reviewer(ctx)
	if err != nil {
		return content.Item{}, nil, err
	}
	it, vs, err := d.Edit(ctx, id, field, value, actor, note)
	if vs == nil {
		vs = []content.Violation{}
	}
	return it, vs, err
}

// LintContent lints the stored copy of run ("": every run) the way a
// marketer reads it; details keeps each finding, else only the counts.
func (a *App) LintContent(ctx context.Context, run string, details bool) (content.LintReport, error) {
	d, err := a.Reviewer(ctx)
	if err != nil {
		return content.LintReport{}, err
	}
	rep, err := d.LintStored(ctx, run)
	if !details {
		rep.Details = nil
	}
	return rep, err
}

// SetVoice loads the brand voice in the file at path and stores it under
// its name.
func (a *App) SetVoice(ctx context.Context, path string) (content.Voice, error) {
	v, err := content.LoadVoice(path)
	if err != nil {
		return v, err
	}
	return v, a.Store.PutVoice(ctx, v)
}

// CheckBrief checks brief b against its audience, segment (else the
// brief's), on channels (else the brief's, else SMS) by planning it with
// one variant: the plan says what a run would write, spending nothing.
func (a *App) CheckBrief(ctx context.Context, b content.Brief, segment string, channels []string) (*Generation, error) {
	if len(channels) == 0 && len(b.Channels) == 0 {
		channels = []string{content.SMS}
	}
	return a.PrepareCampaign(ctx, content.CampaignRequest{Brief: b, Segment: segment, Channels: channels, Variants: 1})
}
