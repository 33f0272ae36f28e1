package app

import (
	"context"

	"github.com/chorusmkt/chorus/internal/importer"
	"github.com/chorusmkt/chorus/internal/segment"
)

// Imported is what Import did: the importer's summary and how the saved
// segments followed it.
type Imported struct {
	Summary importer.Summary
	// Segments is the membership that changed; Saved the saved segments
	// re-evaluated (0: none exist, nothing was evaluated).
	Segments segment.Changes
	Saved    int
	// SegmentsErr is set when the import is stored but the segments could
	// not follow it (`chorus segment refresh` catches them up).
	SegmentsErr error
}

// Import runs an import into the store and, when it stored or changed
// anything, lets the saved segments follow the customers it touched
// (segment.Engine.AfterWrite). The import's own error is returned; a
// failure of the segments after a stored import is in SegmentsErr.
func (a *App) Import(ctx context.Context, opts importer.Options) (Imported, error) {
	sum, err := importer.Run(ctx, a.Store, opts)
	out := Imported{Summary: sum}
	if err != nil {
		return out, err
	}
	if sum.Imported+sum.Updated+sum.ConsentsAdded == 0 {
		return out, nil
	}
	if err := a.CatchUp(ctx); err != nil {
		out.SegmentsErr = err
		return out, nil
	}
	out.Segments, out.Saved, out.SegmentsErr = a.Segments.AfterWrite(ctx, sum.Touched)
	return out, nil
}
