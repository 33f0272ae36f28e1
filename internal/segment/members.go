package segment

import (
	"context"
	"slices"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// All is the audience of every customer.
const All = "all"

// Members resolves an audience name to customer ids, in id order, for the
// studio and the campaign planner: a saved segment's stored members; else
// "all" (every customer) or the customers tagged name or whose
// attrs.segment is name. An unknown name is NotFound; an audience without
// members is Invalid (there is no one to write for).
func (e *Engine) Members(ctx context.Context, name string) ([]string, error) {
	var ids []string
	err := e.store.ScanSegmentMembers(ctx, name, func(m Member) error {
		ids = append(ids, m.CustomerID)
		return nil
	})
	switch {
	case err == nil && len(ids) == 0:
		return nil, apperr.New(apperr.Invalid, "segment %q has no members; check it with 'chorus segment count %s'", name, name)
	case err == nil:
		return ids, nil
	case !apperr.Is(err, apperr.NotFound):
		return nil, err
	}
	recs, err := e.src.Records(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		if name == All || slices.Contains(r.Tags, name) || r.Attrs["segment"] == name {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return nil, apperr.New(apperr.NotFound, "no saved segment, customer tag or attrs.segment is called %q (\"all\" means every customer; see chorus segment list)", name)
	}
	slices.Sort(ids)
	return ids, nil
}

// AfterWrite keeps saved segments current after a writer outside the
// engine changed customers, consents or events (an import, the campaign
// worker): it re-evaluates every saved segment for the customers in ids
// and applies who joined and left (OnCustomers), or rebuilds every segment
// when ids is nil (the writer does not know whom it touched, or a change
// such as a product's category may move anyone). saved is the number of
// saved segments; with none it costs one query.
func (e *Engine) AfterWrite(ctx context.Context, ids []string) (changes Changes, saved int, err error) {
	segs, err := e.store.ListSegments(ctx)
	if err != nil || len(segs) == 0 {
		return nil, 0, err
	}
	if ids == nil {
		changes, err = e.Refresh(ctx, "")
	} else {
		changes, err = e.OnCustomers(ctx, ids)
	}
	return changes, len(segs), err
}

// Follow brings the saved segments up to date with the writes the store
// marked (Store.PendingSegmentCustomers): it re-evaluates every saved
// segment for just the marked customers and applies who joined and left
// together with clearing their marks, in one transaction; a mark for
// everyone (a product changed) rebuilds every segment. The marks are
// written in the writes' own transactions, so an import's segment update
// is not lost if the process stops after the import: the next Follow (the
// next import, chorus segment refresh) does it. saved is the number of
// saved segments; with none it costs two queries.
func (e *Engine) Follow(ctx context.Context) (changes Changes, saved int, err error) {
	segs, err := e.store.ListSegments(ctx)
	if err != nil {
		return nil, 0, err
	}
	pending, err := e.store.PendingSegmentCustomers(ctx)
	if err != nil || len(pending) == 0 || len(segs) == 0 {
		return nil, len(segs), err
	}
	ids := make([]string, 0, len(pending))
	all := false
	for _, p := range pending {
		if p.CustomerID == Everyone {
			all = true
		} else {
			ids = append(ids, p.CustomerID)
		}
	}
	if all {
		// each segment's rebuild commits on its own; the marks go after
		// them all, so a stop midway rebuilds again
		if changes, err = e.refresh(ctx, ""); err != nil {
			return changes, len(segs), err
		}
		return changes, len(segs), e.store.FollowSegmentChanges(ctx, nil, e.now(), pending)
	}
	changes, err = e.onCustomersApply(ctx, ids, func(ctx context.Context, chs Changes) error {
		return e.store.FollowSegmentChanges(ctx, chs, e.now(), pending)
	})
	return changes, len(segs), err
}

// SaveRequest is a segment to save (or, with DryRun, only to count).
//
// The tags name the flags of `chorus segment create` (NAME and --expr are
// read apart: the expression may come from a file).
type SaveRequest struct {
	Name, Expression string
	Description      string `flag:"description"`
	Sample           int    `flag:"sample"`  // first matches to return
	DryRun           bool   `flag:"dry-run"` // count and show, save nothing
	Replace          bool   `flag:"replace"` // replace the expression of an existing segment
}

// Saved is what Save did (the JSON of `chorus segment create --json`).
type Saved struct {
	DryRun  bool     `json:"dry_run"`
	Preview Preview  `json:"preview"`
	Segment *Segment `json:"segment,omitempty"`
	Change  *Change  `json:"change,omitempty"`
	name    string   // the requested name, which a dry run saves nowhere
}

// Save previews r's expression and, unless r.DryRun, creates the segment
// (Create: a name that exists is a Conflict) or with r.Replace replaces
// an existing one's expression (Replace).
func (e *Engine) Save(ctx context.Context, r SaveRequest) (Saved, error) {
	out := Saved{DryRun: r.DryRun, name: r.Name}
	var err error
	switch {
	case r.DryRun:
		out.Preview, err = e.Preview(ctx, r.Expression, r.Sample)
	case r.Replace:
		var s Segment
		var ch Change
		s, ch, out.Preview, err = e.Replace(ctx, r.Name, r.Expression, r.Description, r.Sample)
		out.Segment, out.Change = &s, &ch
	default:
		var s Segment
		s, out.Preview, err = e.Create(ctx, r.Name, r.Expression, r.Description, r.Sample)
		out.Segment = &s
	}
	return out, err
}
