package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"strings"
	"time"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/segment"
	"github.com/chorusmkt/chorus/internal/segment/segmentbench"
	"github.com/chorusmkt/chorus/internal/store"
)

// segmentCmd is `chorus segment …`: saved expression segments.
func (a *app) segmentCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "segment",
		Short: "Define, count and export customer segments by expression",
		Long: `A segment is a named boolean expression over each customer's profile and
computed metrics, for example

  rfm.segment in ["at_risk","cant_loose"] && affinity["camera"] > 0.3 && consent.email && clv > 200

Expressions use the expr language (https://expr-lang.org): == != < <= > >=,
&& || !, in, matches, ?? and functions such as any() and len().
` + "`chorus segment fields`" + ` lists every field. A saved segment stores its
members; writers of new events update them incrementally for the customers
they touch (as ` + "`chorus segment refresh --customers ID,…`" + ` does), and
` + "`chorus segment refresh`" + ` rebuilds them from all data.`,
	}
	cmd.PersistentFlags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.AddCommand(
		a.segmentCreateCmd(&asJSON),
		a.segmentListCmd(&asJSON),
		a.segmentShowCmd(&asJSON),
		a.segmentCountCmd(&asJSON),
		a.segmentExportCmd(&asJSON),
		a.segmentExportsCmd(&asJSON),
		a.segmentRefreshCmd(&asJSON),
		a.segmentDeleteCmd(&asJSON),
		a.segmentFieldsCmd(&asJSON),
	)
	return cmd
}

// warnSource prints what the record source could not compute.
func (a *app) warnSource(src *segment.InsightSource) {
	for _, w := range src.Warnings() {
		fmt.Fprintln(a.stderr, "warning:", w)
	}
}

// compileFailure prints a compile error as JSON on stdout when asked, so
// that scripts get the position and known fields, and returns err for the
// exit status and the message on stderr.
func (a *app) compileFailure(asJSON bool, err error) error {
	var ce *segment.CompileError
	if asJSON && errors.As(err, &ce) {
		_ = a.printJSON(map[string]any{"error": string(apperr.KindOf(err)), "compile_error": ce})
	}
	return err
}

func (a *app) segmentCreateCmd(asJSON *bool) *cobra.Command {
	var expression, description string
	var dryRun, replace bool
	var sample int
	cmd := &cobra.Command{
		Use:   "create NAME --expr EXPRESSION",
		Short: "Save a segment (shows the count and first matches first)",
		Long: `Compiles the expression, evaluates it over every customer, prints how many
match and the first matches, and saves the segment with its membership.
With --dry-run nothing is saved. An existing name needs --replace, which
increments the segment's version and keeps "since" for customers who stay.`,
		Example: `  chorus segment create lapsing_camera --expr 'rfm.segment in ["at_risk","cant_loose"] && affinity["camera"] > 0.3 && consent.email && clv > 200'
  chorus segment create zh_vip --expr '"vip" in tags && language == "zh"' --dry-run`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			name := args[0]
			if !cmd.Flags().Changed("expr") {
				return apperr.New(apperr.Invalid, "segment create %s: --expr is required, e.g. --expr 'rfm.segment == \"champions\" && consent.email'", name)
			}
			if err := segment.ValidateName(name); err != nil {
				return err
			}
			if expression, err = segment.ReadExpression(expression); err != nil {
				return err
			}
			ctx := cmd.Context()
			return a.withApp(ctx, func(ap *chorusapp.App) error {
				out, err := ap.Segments.Save(ctx, segment.SaveRequest{Name: name, Expression: expression, Description: description,
					Sample: sample, DryRun: dryRun, Replace: replace})
				if err != nil {
					return a.compileFailure(*asJSON, err)
				}
				a.warnSource(ap.Records)
				out.Preview.WriteWarnings(a.stderr)
				if *asJSON {
					return a.printJSON(out)
				}
				return out.WriteText(a.stdout, name)
			})
		},
	}
	cmd.Flags().StringVar(&expression, "expr", "", "boolean expression over customer fields (see `chorus segment fields`); @FILE reads it from a file")
	cmd.Flags().StringVar(&description, "description", "", "what the segment is for")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "count and show matches without saving")
	cmd.Flags().BoolVar(&replace, "replace", false, "replace the expression of an existing segment")
	cmd.Flags().IntVar(&sample, "sample", 10, "number of first matches to show")
	return cmd
}

func (a *app) segmentListCmd(asJSON *bool) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List saved segments with their member counts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(cmd.Context(), func(st store.Store) error {
				segs, err := st.ListSegments(cmd.Context())
				if err != nil {
					return err
				}
				if *asJSON {
					if segs == nil {
						segs = []segment.Segment{}
					}
					return a.printJSON(segs)
				}
				return segment.WriteList(a.stdout, segs)
			})
		},
	}
}

func (a *app) segmentShowCmd(asJSON *bool) *cobra.Command {
	var limit int
	cmd := &cobra.Command{
		Use:   "show NAME",
		Short: "Show a segment's expression, version and first members",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return a.withApp(ctx, func(ap *chorusapp.App) error {
				s, err := ap.Store.GetSegment(ctx, args[0])
				if err != nil {
					return err
				}
				members, err := ap.Segments.FirstMembers(ctx, s.Name, limit)
				if err != nil {
					return err
				}
				return a.render(*asJSON, segment.Detail{Segment: s, FirstMembers: members})
			})
		},
	}
	cmd.Flags().IntVar(&limit, "members", 10, "number of members to list")
	return cmd
}

func (a *app) segmentCountCmd(asJSON *bool) *cobra.Command {
	var expression string
	cmd := &cobra.Command{
		Use:   "count NAME | --expr EXPRESSION",
		Short: "Count customers of a saved segment, or matching an expression",
		Long: `With NAME: prints the stored member count and the count the expression
gives on current data (they differ when the data changed without an
incremental update; chorus segment refresh NAME reconciles them).
With --expr: a dry-run count of an unsaved expression.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			hasExpr := cmd.Flags().Changed("expr")
			if (len(args) == 1) == hasExpr {
				return apperr.New(apperr.Invalid, "segment count: give either a segment NAME or --expr EXPRESSION")
			}
			expression, err := segment.ReadExpression(expression)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			return a.withApp(ctx, func(ap *chorusapp.App) error {
				var out segment.Counted
				var err error
				if hasExpr {
					out, err = ap.Segments.CountExpression(ctx, expression)
				} else {
					out, err = ap.Segments.CountSaved(ctx, args[0])
				}
				if err != nil {
					return a.compileFailure(*asJSON, err)
				}
				a.warnSource(ap.Records)
				out.Preview.WriteWarnings(a.stderr)
				return a.render(*asJSON, out)
			})
		},
	}
	cmd.Flags().StringVar(&expression, "expr", "", "count an unsaved expression instead; @FILE reads it from a file")
	return cmd
}

func (a *app) segmentExportCmd(asJSON *bool) *cobra.Command {
	var format, outPath, purpose, actor string
	var fields []string
	var includeContact, ignoreConsent bool
	cmd := &cobra.Command{
		Use:   "export NAME",
		Short: "Write a segment's members as CSV or JSON Lines",
		Long: `Writes customer_id and since for every member, ordered by customer id, then
one column per --fields expression evaluated on the member's current record
(e.g. --fields 'rfm.segment,clv,affinity["camera"]').

Contact fields (name, email, phone, address) leave Chorus only with
--include-contact. Consent and suppression then apply: a member is written
when a requested channel may reach her for marketing (email for email, sms
for phone, either for name and address alone), and the value of a channel
that may not is left empty; --ignore-consent (for a purpose that needs no
marketing consent, stated with --purpose) writes every member. Every
contact export is logged: who (--actor, default the login name), when,
which fields, how many rows and how many members were held back;
` + "`chorus segment exports`" + ` lists the log.`,
		Example: `  chorus segment export vip --fields 'rfm.segment,clv' --out vip.csv
  chorus segment export vip --fields email,name --include-contact --out vip-contacts.csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if ignoreConsent && (!includeContact || strings.TrimSpace(purpose) == "") {
				return apperr.New(apperr.Invalid, "--ignore-consent needs --include-contact and a --purpose saying why no marketing consent is needed")
			}
			if outPath == "" && *asJSON {
				return apperr.New(apperr.Invalid, "segment export: --json prints a summary and needs --out FILE for the members")
			}
			opts := segment.ExportOptions{Format: format, Fields: fields, IncludeContact: includeContact, IgnoreConsent: ignoreConsent,
				Actor: cmp.Or(actor, loginName()), Purpose: purpose}
			return a.withApp(ctx, func(ap *chorusapp.App) error { return a.runExport(ctx, ap, args[0], outPath, opts, *asJSON) })
		},
	}
	cmd.Flags().StringVar(&format, "format", "csv", "csv or jsonl")
	cmd.Flags().StringVar(&outPath, "out", "", "file to write (default stdout)")
	cmd.Flags().StringSliceVar(&fields, "fields", nil, "extra columns: expressions over the customer record, comma-separated")
	cmd.Flags().BoolVar(&includeContact, "include-contact", false, "allow the contact fields name, email, phone, address (logged; consent and suppression apply)")
	cmd.Flags().BoolVar(&ignoreConsent, "ignore-consent", false, "with --include-contact and --purpose: write every member's contact fields")
	cmd.Flags().StringVar(&purpose, "purpose", "", "why the contact list is exported (logged)")
	cmd.Flags().StringVar(&actor, "actor", "", "who exports (logged; default the login name)")
	return cmd
}

// loginName is the user running the command, for logs.
func loginName() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return cmp.Or(os.Getenv("USER"), "unknown")
}

func (a *app) segmentExportsCmd(asJSON *bool) *cobra.Command {
	var limit int
	cmd := &cobra.Command{
		Use:   "exports",
		Short: "List the log of contact exports (who, when, which fields, how many)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withStore(cmd.Context(), func(st store.Store) error {
				log, err := st.ContactExports(cmd.Context(), limit)
				if err != nil {
					return err
				}
				if *asJSON {
					return a.printJSON(log)
				}
				return segment.WriteExports(a.stdout, log)
			})
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 50, "newest entries to show (0: all)")
	return cmd
}

func (a *app) segmentRefreshCmd(asJSON *bool) *cobra.Command {
	var customers []string
	cmd := &cobra.Command{
		Use:   "refresh [NAME]",
		Short: "Rebuild the membership of one segment, or of all, from current data",
		Long: `Without --customers: re-evaluates the segment (or every segment) for all
customers and applies who joined and who left, keeping "since" for those who
stay. With --customers: re-evaluates every saved segment for just those
customers, as the importer does after new events arrive, and applies the
diffs in one transaction.`,
		Example: `  chorus segment refresh
  chorus segment refresh lapsing_camera
  chorus segment refresh --customers 12347,12348`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(customers) > 0 && len(args) > 0 {
				return apperr.New(apperr.Invalid, "segment refresh: --customers re-evaluates every segment; leave out NAME")
			}
			ctx := cmd.Context()
			return a.withApp(ctx, func(ap *chorusapp.App) error {
				eng, src := ap.Segments, ap.Records
				start := time.Now()
				var changes segment.Changes
				var err error
				if len(customers) > 0 {
					changes, err = eng.OnCustomers(ctx, customers)
				} else {
					name := ""
					if len(args) == 1 {
						name = args[0]
					}
					changes, err = eng.Refresh(ctx, name)
				}
				if err != nil {
					return err
				}
				a.warnSource(src)
				if *asJSON {
					if changes == nil {
						changes = segment.Changes{}
					}
					return a.printJSON(changes)
				}
				return changes.WriteText(a.stdout, len(customers), time.Since(start))
			})
		},
	}
	cmd.Flags().StringSliceVar(&customers, "customers", nil, "re-evaluate only these customer ids (comma-separated)")
	return cmd
}

func (a *app) segmentDeleteCmd(asJSON *bool) *cobra.Command {
	return &cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a segment and its membership",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(cmd.Context(), func(st store.Store) error {
				if err := st.DeleteSegment(cmd.Context(), args[0]); err != nil {
					return err
				}
				if *asJSON {
					return a.printJSON(map[string]any{"deleted": args[0]})
				}
				fmt.Fprintf(a.stdout, "deleted segment %s\n", args[0])
				return nil
			})
		},
	}
}

func (a *app) segmentFieldsCmd(asJSON *bool) *cobra.Command {
	return &cobra.Command{
		Use:   "fields",
		Short: "List the fields an expression can use",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fs := segment.Fields()
			if *asJSON {
				return a.printJSON(fs)
			}
			return segment.WriteFields(a.stdout, fs)
		},
	}
}

// benchSegmentCmd is `chorus bench segment`: evaluation speed over
// synthetic customers, end to end from compile to the list of matches.
func (a *app) benchSegmentCmd() *cobra.Command {
	var n, workers, runs int
	var seed uint64
	var expression string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "segment",
		Short: "Evaluate a segment expression over 1,000,000 synthetic customers",
		Long: `Generates N deterministic synthetic customer records (same N and seed, same
records), compiles the expression once and evaluates it over all of them
RUNS times on WORKERS goroutines, then prints the fastest and median run,
ns per record, and whether the fastest meets the 2 s target for 10^6.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := segmentbench.Measure(cmd.Context(), segmentbench.Options{N: n, Seed: seed, Workers: workers, Runs: runs, Expression: expression})
			if err != nil {
				return a.compileFailure(asJSON, err)
			}
			return a.render(asJSON, r)
		},
	}
	cmd.Flags().IntVar(&n, "n", 1_000_000, "number of synthetic customers")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "generator seed")
	cmd.Flags().IntVar(&workers, "workers", 0, "goroutines (default GOMAXPROCS)")
	cmd.Flags().IntVar(&runs, "runs", 5, "evaluations to time")
	cmd.Flags().StringVar(&expression, "expr", `rfm.segment in ["at_risk","cant_loose"] && affinity["camera"] > 0.3 && consent.email && clv > 200`, "expression to evaluate")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// runExport writes segment name's members to outPath (stdout when "") with
// opts, logging a contact export.
func (a *app) runExport(ctx context.Context, ap *chorusapp.App, name, outPath string, opts segment.ExportOptions, asJSON bool) (err error) {
	var logged segment.ContactExport
	opts.Contact, opts.Log, opts.Summary = ap.Contacts(), ap.Store, &logged
	defer func() {
		err = a.auditExport(ctx, err, ap.Store, logged)
		if logged.ID != 0 && !asJSON {
			fmt.Fprintf(a.stderr, "contact export logged (#%d by %s): %d rows, %d members held back by consent or suppression\n",
				logged.ID, logged.Actor, logged.Rows, logged.Withheld)
		}
	}()
	if outPath == "" {
		if _, err := ap.Segments.Export(ctx, name, a.stdout, opts); err != nil {
			return a.compileFailure(asJSON, err)
		}
		a.warnSource(ap.Records) // stderr: stdout holds the members
		return nil
	}
	n, err := ap.Segments.ExportFile(ctx, name, outPath, opts)
	if err != nil {
		return a.compileFailure(asJSON, err)
	}
	a.warnSource(ap.Records)
	if asJSON {
		out := map[string]any{"segment": name, "members": n, "format": strings.ToLower(opts.Format), "out": outPath}
		if logged.ID != 0 {
			out["contact_export"] = logged
		}
		return a.printJSON(out)
	}
	fmt.Fprintf(a.stderr, "wrote %d members of %s to %s\n", n, name, outPath)
	return nil
}
