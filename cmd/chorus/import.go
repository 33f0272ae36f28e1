package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/importer"
	"github.com/chorusmkt/chorus/internal/progress"
)

func (a *app) importCmd() *cobra.Command {
	var (
		format, rejects, tz, encoding string
		maps                          []string
		asJSON                        bool
	)
	cmd := &cobra.Command{
		Use:   "import customers|products|events FILE",
		Short: "Import customers, products or events from CSV, JSONL or a known export",
		Long: `Imports a file without losing a row: every row is stored, recognised as
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

When an import stores or changes anything, saved segments are refreshed
(a line on stderr says who joined and left).`,
		Example: `  chorus import events online_retail.csv.gz --format online-retail
  chorus import customers customers_export.csv --format shopify-customers --rejects rejects.csv
  chorus import customers members.csv --encoding gbk --tz Asia/Shanghai --map 会员号=id
  chorus import events events.jsonl.gz --json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			entity, path := args[0], args[1]
			opts := importer.Options{Entity: entity, Path: path, Format: format, Encoding: encoding}
			if tz != "" {
				loc, err := time.LoadLocation(tz)
				if err != nil {
					return apperr.Wrap(err, apperr.Invalid, "--tz %q is not an IANA time zone such as Asia/Shanghai", tz)
				}
				opts.TZ = loc
			}
			if len(maps) > 0 {
				opts.Map = map[string]string{}
				for _, m := range maps {
					col, field, ok := strings.Cut(m, "=")
					if !ok || strings.TrimSpace(col) == "" || strings.TrimSpace(field) == "" {
						return apperr.New(apperr.Invalid, "--map %q: write COLUMN=FIELD", m)
					}
					opts.Map[strings.TrimSpace(col)] = strings.TrimSpace(field)
				}
			}
			if rejects != "" {
				f, err := os.Create(rejects)
				if err != nil {
					return apperr.Wrap(err, apperr.Invalid, "cannot create reject report %s", rejects)
				}
				defer f.Close()
				opts.Rejects = f
			}
			var size int64 = -1
			if st, err := os.Stat(path); err == nil {
				size = st.Size()
			}
			var rep progress.Reporter = progress.Nop{}
			if !asJSON {
				rep = a.progress("import "+entity, size, "bytes")
			}
			opts.Progress = rep

			return a.withApp(cmd.Context(), func(ap *chorusapp.App) error {
				res, err := ap.Import(cmd.Context(), opts)
				rep.Done()
				if err != nil {
					return err
				}
				if err := a.printImport(res.Summary, rejects, asJSON); err != nil {
					return err
				}
				if res.SegmentsErr != nil {
					return fmt.Errorf("the import is stored, but refreshing saved segments failed (run `chorus segment refresh`): %w", res.SegmentsErr)
				}
				if res.Saved > 0 {
					printSegmentChanges(a.stderr, res.Saved, res.Segments)
				}
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "", "input format: "+strings.Join(importer.Formats(), ", ")+" (default: by extension)")
	f.StringArrayVar(&maps, "map", nil, "map a column to a field: COLUMN=FIELD, COLUMN=attrs.KEY or COLUMN=- (repeatable)")
	f.StringVar(&rejects, "rejects", "", "write rejected rows (line, reason, raw row) to this CSV file")
	f.StringVar(&tz, "tz", "", "time zone of timestamps written without one, e.g. Asia/Shanghai (default UTC)")
	f.StringVar(&encoding, "encoding", "", "input character set: "+strings.Join(importer.EncodingNames(), ", ")+" (default utf-8)")
	f.BoolVar(&asJSON, "json", false, "print the summary as JSON")
	return cmd
}

// printImport prints what an import did: JSON, or its text.
func (a *app) printImport(sum importer.Summary, rejects string, asJSON bool) error {
	if asJSON {
		return a.printJSON(sum)
	}
	return sum.WriteText(a.stdout, rejects)
}
