package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/importer"
	"github.com/chorusmkt/chorus/internal/progress"
)

// importHelp is the long help of `chorus import`.
const importHelp = `Imports a file without losing a row: every row is stored, recognised as
already stored (re-importing changes nothing), or written to the reject report
with its line number, the reason and the raw row. The counts always add up:
read = imported + updated + skipped duplicates + rejected.

Formats: csv and jsonl (picked by extension; .gz is read transparently),
online-retail (the UCI Online Retail file: customers, products and
purchase/refund events from one file) and shopify-customers (Shopify's
customer export, marketing consent columns become consent ledger entries).

Columns are matched by heading (id, email, phone, name, sku, title, price,
type, occurred_at, … and common aliases); --map COLUMN=FIELD names others,
--map COLUMN=attrs.KEY keeps a column in a customer's attributes, and
--map COLUMN=- drops it. Timestamps without a zone are read in --tz.
--delimiter picks the separator (, ; | tab, or whitespace for files such
as CDNOW's, whose columns are separated by runs of spaces); --no-header
names the columns 1, 2, … (--map 1=customer_id); --set FIELD=VALUE gives a
field to every row that lacks it (--set type=purchase).

A date whose day and month could be swapped (03/04/2024) is rejected unless
--day-first, --month-first or --date-format (DD/MM/YYYY, %m/%d/%Y, or a Go
layout) says how to read it. A purchase with a negative quantity or amount
is stored as a refund (a return). Amounts may carry their currency (¥12,
£3.50, 12 GBP); it fills an empty currency column. Events of customers the
store does not know create minimal customer records. The first import that
stores something infers the missing shop settings (chorus shop).

When an import stores or changes anything, saved segments are refreshed
(a line on stderr says who joined and left).`

// importFlags are the flags of `chorus import`.
type importFlags struct {
	importer.Args
	rejects string
	asJSON  bool
}

func (a *app) importCmd() *cobra.Command {
	var g importFlags
	cmd := &cobra.Command{
		Use:   "import customers|products|events FILE",
		Short: "Import customers, products or events from CSV, JSONL or a known export",
		Long:  importHelp,
		Example: `  chorus import events online_retail.csv.gz --format online-retail
  chorus import customers customers_export.csv --format shopify-customers --rejects rejects.csv
  chorus import customers members.csv --encoding gbk --tz Asia/Shanghai --map 会员号=id
  chorus import events events.jsonl.gz --json
  chorus import events CDNOW_master.txt --delimiter whitespace --set type=purchase \
      --map date=occurred_at --map number_of_cds=quantity --map dollar_value=amount --set currency=USD`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
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
		},
	}
	g.bind(cmd)
	return cmd
}

// bind declares the flags on f.
func (g *importFlags) bind(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&g.Format, "format", "", "input format: "+strings.Join(importer.Formats(), ", ")+" (default: by extension)")
	f.StringArrayVar(&g.Map, "map", nil, "map a column to a field: COLUMN=FIELD, COLUMN=attrs.KEY or COLUMN=- (repeatable)")
	f.StringVar(&g.rejects, "rejects", "", "write rejected rows (line, reason, raw row) to this CSV file")
	f.StringVar(&g.TZ, "tz", "", "time zone of timestamps written without one, e.g. Asia/Shanghai (default UTC)")
	f.StringVar(&g.Encoding, "encoding", "", "input character set: "+strings.Join(importer.EncodingNames(), ", ")+" (default utf-8)")
	f.StringVar(&g.Delimiter, "delimiter", "", "field separator: , ; | tab or whitespace (default: sniffed from the first line)")
	f.BoolVar(&g.NoHeader, "no-header", false, "the first line is data; columns are named 1, 2, … for --map")
	f.StringArrayVar(&g.Set, "set", nil, "give every row that lacks it a field: FIELD=VALUE (repeatable), e.g. --set type=purchase")
	f.BoolVar(&g.DayFirst, "day-first", false, "read 01/02/2024 as 1 February")
	f.BoolVar(&g.MonthFirst, "month-first", false, "read 01/02/2024 as 2 January")
	f.StringVar(&g.DateFormat, "date-format", "", "the one layout of the file's dates: DD/MM/YYYY hh:mm, %d/%m/%Y or a Go layout")
	f.BoolVar(&g.asJSON, "json", false, "print the summary as JSON")
}

// printImport prints what an import did: JSON, or its text.
func (a *app) printImport(sum importer.Summary, rejects string, asJSON bool) error {
	if asJSON {
		return a.printJSON(sum)
	}
	return sum.WriteText(a.stdout, rejects)
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
