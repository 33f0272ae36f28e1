package app

import (
	"context"
	"time"

	"github.com/chorusmkt/chorus/internal/importer"
	"github.com/chorusmkt/chorus/internal/segment"
	"github.com/chorusmkt/chorus/internal/shop"
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
	// ShopInferred are the shop settings the import's data gave that were
	// missing (chorus shop); ShopErr says why inferring failed.
	ShopInferred []shop.Setting
	ShopErr      error
}

// Import runs an import into the store and, when it stored or changed
// anything, lets the saved segments follow the customers it touched: the
// store marks them in the import's own transactions, and the segment
// engine re-evaluates just them (segment.Engine.Follow). The import's own error is returned; a
// failure of the segments after a stored import is in SegmentsErr.
//
// An import that stored something infers the shop settings still missing
// (shop.InferMissing). A file that ends early keeps what was read before
// it ended: the segments and the shop follow that too, and the import's
// error is returned.
func (a *App) Import(ctx context.Context, opts importer.Options) (Imported, error) {
	sum, err := importer.Run(ctx, a.Store, opts)
	out := Imported{Summary: sum}
	if err != nil && !(sum.Truncated && sum.Imported+sum.Updated > 0) {
		return out, err
	}
	if sum.Imported+sum.Updated > 0 {
		out.ShopInferred, out.ShopErr = a.inferShop(ctx, "import "+opts.Path)
	}
	if sum.Imported+sum.Updated+sum.ConsentsAdded == 0 {
		return out, err
	}
	if cerr := a.CatchUp(ctx); cerr != nil {
		out.SegmentsErr = cerr
		return out, err
	}
	out.Segments, out.Saved, out.SegmentsErr = a.Segments.Follow(ctx)
	return out, err
}

// inferShop stores the shop settings the data give that are missing.
func (a *App) inferShop(ctx context.Context, what string) ([]shop.Setting, error) {
	cfg, err := shop.FromConfig(a.Config.Shop)
	if err != nil {
		return nil, err
	}
	written, err := shop.InferMissing(ctx, a.Store, cfg, what, time.Now())
	if err == nil && len(written) > 0 {
		_, err = a.Shop(ctx) // the gate follows
	}
	return written, err
}
