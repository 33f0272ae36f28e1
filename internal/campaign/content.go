package campaign

import (
	"context"

	"github.com/chorusmkt/chorus/internal/content"
)

// PrepareContent plans the content run a launch of campaign name would
// write (the same run id, so that copy written and reviewed before the
// launch is the copy the launch sends), making no model call. Errors:
// NotFound for an unknown campaign, Invalid for a bad brief, and the
// studio's.
func (s *Service) PrepareContent(ctx context.Context, name string) (Campaign, *content.Prepared, error) {
	c, err := s.Get(ctx, name)
	if err != nil {
		return c, nil, err
	}
	b, err := s.brief(c)
	if err != nil {
		return c, nil, err
	}
	p, err := s.Studio.Prepare(ctx, s.request(c, b, c.Depth))
	return c, p, err
}

// WriteContent writes the content run of campaign name ahead of its
// launch (resuming units written before) and leaves the items for review:
// nothing is approved here, whatever the campaign's approval.
func (s *Service) WriteContent(ctx context.Context, name string) (content.Summary, error) {
	_, p, err := s.PrepareContent(ctx, name)
	if err != nil {
		return content.Summary{}, err
	}
	return s.Studio.Execute(ctx, p)
}
