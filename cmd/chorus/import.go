package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/importer"
	"github.com/chorusmkt/chorus/internal/progress"
)

// importFlags are the flags of `chorus import`.
type importFlags struct {
	importer.Args
	rejects string
	asJSON  bool
}

func (a *app) importCmd() *cobra.Command {
	var g importFlags
	flags := map[string]any{"format": &g.Format, "map,array": &g.Map, "rejects": &g.rejects, "tz": &g.TZ, "encoding": &g.Encoding,
		"delimiter": &g.Delimiter, "no-header": &g.NoHeader, "set,array": &g.Set, "day-first": &g.DayFirst, "month-first": &g.MonthFirst,
		"date-format": &g.DateFormat, "json": &g.asJSON}
	cmd := a.command("", cmdSpec{Use: "import customers|products|events FILE", Args: cobra.ExactArgs(2), Flags: flags,
		Run: func(cmd *cobra.Command, args []string) error {
			opts, err := g.Options(args[0], args[1])
			if err != nil {
				return err
			}
			if g.rejects != "" {
				f, err := os.Create(g.rejects)
				if err != nil {
					return apperr.Wrap(err, apperr.Invalid, "cannot create reject report %s", g.rejects)
				}
				defer f.Close()
				opts.Rejects = f
			}
			var size int64 = -1
			if st, err := os.Stat(opts.Path); err == nil {
				size = st.Size()
			}
			var rep progress.Reporter = progress.Nop{}
			if !g.asJSON {
				rep = a.progress("import "+opts.Entity, size, "bytes")
			}
			opts.Progress = rep
			return a.withApp(cmd.Context(), func(ap *chorusapp.App) error {
				return a.runImport(cmd.Context(), ap, opts, opts.Path, g.rejects, g.asJSON, rep)
			})
		}})
	// the lists of formats and encodings are the importer's; the help
	// file says the same (TestHelpComplete compares them)
	cmd.Flags().Lookup("format").Usage = "input format: " + strings.Join(importer.Formats(), ", ") + " (default: by extension)"
	cmd.Flags().Lookup("encoding").Usage = "input character set: " + strings.Join(importer.EncodingNames(), ", ") + " (default utf-8)"
	return cmd
}

// printImport prints what an import did: JSON, or its text.
func (a *app) printImport(sum importer.Summary, rejects string, asJSON bool) error {
	return a.renderFunc(asJSON, sum, func(w io.Writer) error { return sum.WriteText(w, rejects) })
}

// runImport imports through the application, prints what it did and how
// the shop and the saved segments followed.
func (a *app) runImport(ctx context.Context, ap *chorusapp.App, opts importer.Options, path, rejects string, asJSON bool, rep progress.Reporter) error {
	res, err := ap.Import(ctx, opts)
	rep.Done()
	if err != nil {
		return err
	}
	if err := a.printImport(res.Summary, rejects, asJSON); err != nil {
		return err
	}
	if res.ShopErr != nil {
		return fmt.Errorf("the import is stored, but inferring the shop settings failed (run chorus shop infer): %w", res.ShopErr)
	}
	if res.Summary.Imported+res.Summary.Updated > 0 && !asJSON {
		if err := a.askShopName(ctx, ap, res.ShopInferred); err != nil {
			return err
		}
	}
	if res.SegmentsErr != nil {
		return fmt.Errorf("the import is stored, but refreshing saved segments failed (run `chorus segment refresh`): %w", res.SegmentsErr)
	}
	if res.Saved > 0 {
		res.Segments.WriteSummary(a.stderr, res.Saved)
	}
	return nil
}
