package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/importer"
	"github.com/chorusmkt/chorus/internal/progress"
	"github.com/chorusmkt/chorus/internal/store"
)

func (a *app) importCmd() *cobra.Command {
	var (
		format, rejects, tz, encoding, delim, dateFormat string
		maps, sets                                       []string
		asJSON, noHeader, dayFirst, monthFirst           bool
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
(a line on stderr says who joined and left).`,
		Example: `  chorus import events online_retail.csv.gz --format online-retail
  chorus import customers customers_export.csv --format shopify-customers --rejects rejects.csv
  chorus import customers members.csv --encoding gbk --tz Asia/Shanghai --map 会员号=id
  chorus import events events.jsonl.gz --json
  chorus import events CDNOW_master.txt --delimiter whitespace --set type=purchase \
      --map date=occurred_at --map number_of_cds=quantity --map dollar_value=amount --set currency=USD`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			entity, path := args[0], args[1]
			opts := importer.Options{Entity: entity, Path: path, Format: format, Encoding: encoding, Delimiter: delim,
				NoHeader: noHeader, DayFirst: dayFirst, MonthFirst: monthFirst, DateFormat: dateFormat}
			if len(sets) > 0 {
				opts.Set = map[string]string{}
				for _, s := range sets {
					field, val, ok := strings.Cut(s, "=")
					if !ok || strings.TrimSpace(field) == "" {
						return apperr.New(apperr.Invalid, "--set %q: write FIELD=VALUE", s)
					}
					opts.Set[strings.TrimSpace(field)] = strings.TrimSpace(val)
				}
			}
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

			return a.withStore(cmd.Context(), func(s store.Store) error {
				sum, err := importer.Run(cmd.Context(), s, opts)
				rep.Done()
				if err != nil && sum.Truncated && sum.Imported+sum.Updated > 0 {
					// What was read before the file ended is stored: keep
					// the segments and the shop in step with it.
					if _, serr := a.updateSegments(cmd.Context(), s, nil); serr != nil {
						fmt.Fprintln(a.stderr, "warning: refreshing saved segments failed (run chorus segment refresh):", serr)
					}
					_ = a.inferShop(cmd.Context(), s, path, true)
				}
				if err != nil {
					return err
				}
				if err := a.printImportSummary(sum, rejects, asJSON); err != nil {
					return err
				}
				if sum.Imported+sum.Updated > 0 {
					if err := a.inferShop(cmd.Context(), s, path, asJSON); err != nil {
						return fmt.Errorf("the import is stored, but inferring the shop settings failed (run chorus shop infer): %w", err)
					}
				}
				// Saved segments depend on customers, consents and events; the
				// importer does not say whom it touched, so they are rebuilt.
				if sum.Imported+sum.Updated+sum.ConsentsAdded > 0 {
					if _, err := a.updateSegments(cmd.Context(), s, nil); err != nil {
						return fmt.Errorf("the import is stored, but refreshing saved segments failed (run `chorus segment refresh`): %w", err)
					}
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
	f.StringVar(&delim, "delimiter", "", "field separator: , ; | tab or whitespace (default: sniffed from the first line)")
	f.BoolVar(&noHeader, "no-header", false, "the first line is data; columns are named 1, 2, … for --map")
	f.StringArrayVar(&sets, "set", nil, "give every row that lacks it a field: FIELD=VALUE (repeatable), e.g. --set type=purchase")
	f.BoolVar(&dayFirst, "day-first", false, "read 01/02/2024 as 1 February")
	f.BoolVar(&monthFirst, "month-first", false, "read 01/02/2024 as 2 January")
	f.StringVar(&dateFormat, "date-format", "", "the one layout of the file's dates: DD/MM/YYYY hh:mm, %d/%m/%Y or a Go layout")
	f.BoolVar(&asJSON, "json", false, "print the summary as JSON")
	return cmd
}

// printImportSummary prints what an import did: JSON, or the balance line
// and the per-entity counts.
func (a *app) printImportSummary(sum importer.Summary, rejects string, asJSON bool) error {
	if asJSON {
		return a.printJSON(sum)
	}
	fmt.Fprintln(a.stdout, sum)
	for _, c := range []struct {
		name string
		c    *importer.Counts
	}{{"customers", sum.Customers}, {"products", sum.Products}, {"events", sum.Events}} {
		if c.c != nil {
			fmt.Fprintf(a.stdout, "  %-9s inserted %d, updated %d, unchanged %d\n", c.name, c.c.Inserted, c.c.Updated, c.c.Unchanged)
		}
	}
	if sum.CustomersFromEvents > 0 {
		fmt.Fprintf(a.stdout, "  customers created from events: %d\n", sum.CustomersFromEvents)
	}
	if sum.NegativeAsRefund > 0 {
		fmt.Fprintf(a.stdout, "  purchases with a negative quantity or amount stored as refunds: %d\n", sum.NegativeAsRefund)
	}
	if sum.ConsentsAdded > 0 {
		fmt.Fprintf(a.stdout, "  consent ledger entries added: %d\n", sum.ConsentsAdded)
	}
	if len(sum.IgnoredColumns) > 0 {
		fmt.Fprintf(a.stdout, "  ignored columns (map them with --map COLUMN=FIELD): %s\n", strings.Join(sum.IgnoredColumns, ", "))
	}
	if sum.Rejected > 0 {
		where := "pass --rejects FILE to see them"
		if rejects != "" {
			where = "see " + rejects
		}
		fmt.Fprintf(a.stdout, "  %d rows rejected (%s): %s\n", sum.Rejected, where, reasonList(sum.RejectReasons))
	}
	return nil
}

// reasonList renders reject counts as "wrong column count 2, bad date 1",
// most frequent first.
func reasonList(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
