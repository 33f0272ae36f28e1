package app

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
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

// ImportFile is Import of the file opts.Path, its rejected rows written
// as a report to the file rejects ("": none). A reject report that cannot
// be created is Invalid. The summary names the report (RejectsFile).
func (a *App) ImportFile(ctx context.Context, opts importer.Options, rejects string) (Imported, error) {
	if rejects != "" {
		f, err := os.Create(rejects)
		if err != nil {
			return Imported{}, apperr.Wrap(err, apperr.Invalid, "cannot create reject report %s", rejects)
		}
		defer f.Close()
		opts.Rejects = f
	}
	res, err := a.Import(ctx, opts)
	res.Summary.RejectsFile = rejects
	return res, err
}

// Prompt asks a person question and returns the line they typed; ok is
// false when nobody can answer (not a terminal).
type Prompt func(question string) (line string, ok bool)

// ReportImport tells on w how the shop and the saved segments followed the
// stored import res. With ask (nil: no person reads w, e.g. JSON output)
// it lists the shop settings inferred and, when the shop still has no name
// to sign copy with, asks for one and stores it, or says how to set it.
// A step that failed after the import was stored is returned with the
// command that catches it up.
func (a *App) ReportImport(ctx context.Context, res Imported, w io.Writer, ask Prompt) error {
	if res.ShopErr != nil {
		return fmt.Errorf("the import is stored, but inferring the shop settings failed (run chorus shop infer): %w", res.ShopErr)
	}
	if res.Summary.Imported+res.Summary.Updated > 0 && ask != nil {
		if err := a.askShopName(ctx, res.ShopInferred, w, ask); err != nil {
			return err
		}
	}
	if res.SegmentsErr != nil {
		return fmt.Errorf("the import is stored, but refreshing saved segments failed (run `chorus segment refresh`): %w", res.SegmentsErr)
	}
	if res.Saved > 0 {
		res.Segments.WriteSummary(w, res.Saved)
	}
	return nil
}

// askShopName says which shop settings an import inferred and, when the
// shop has no name, asks for one.
func (a *App) askShopName(ctx context.Context, written []shop.Setting, w io.Writer, ask Prompt) error {
	shop.WriteInferred(w, written)
	r, err := a.Shop(ctx)
	if err != nil || r.Name != "" {
		return err
	}
	if name, ok := ask("Shop name, to sign copy and SMS with (Enter to skip): "); ok && name != "" {
		if _, err := shop.Set(ctx, a.Store, shop.KeyName, name, time.Now()); err != nil {
			return apperr.Wrap(err, apperr.KindOf(err), "shop name")
		}
		return nil
	}
	fmt.Fprintln(w, `the shop has no name yet: copy is signed with it (chorus shop set name "…")`)
	return nil
}

// SetShop stores the shop setting key (shop.Set normalises and checks
// it), records the change in the audit log as ctx's principal or actor,
// and returns the setting stored and the shop's effective settings after
// it (the gate follows). The audit entry failing after the change is
// stored says so, with the error's kind.
func (a *App) SetShop(ctx context.Context, key, value string) (shop.Setting, shop.Resolved, error) {
	s, err := shop.Set(ctx, a.Store, key, value, time.Now())
	if err != nil {
		return s, shop.Resolved{}, err
	}
	if err := a.Auth.Record(ctx, auth.Entry{Action: "settings.change", Target: "shop." + s.Key, Detail: "value " + s.Value}); err != nil {
		return s, shop.Resolved{}, apperr.Wrap(err, apperr.KindOf(err), "settings.change of shop.%s is done, but the audit log could not record it", s.Key)
	}
	r, err := a.Shop(ctx)
	return s, r, err
}

// InferShop stores the shop settings the stored data give that neither
// the configuration nor the store holds (shop.InferMissing) and returns
// them and the shop's effective settings after it.
func (a *App) InferShop(ctx context.Context) ([]shop.Setting, shop.Resolved, error) {
	written, err := a.inferShop(ctx, "the stored data")
	if err != nil {
		return nil, shop.Resolved{}, err
	}
	r, err := a.Shop(ctx)
	return written, r, err
}
