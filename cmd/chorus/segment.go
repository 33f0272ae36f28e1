package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/insight"
	"github.com/chorusmkt/chorus/internal/segment"
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

// segmentEngine wires an engine over st to the insight metrics of st.
func (a *app) segmentEngine(st store.Store) (*segment.Engine, *segment.InsightSource) {
	src := segment.NewInsightSource(st, insight.OptionsFromConfig(a.cfg.Insight))
	return segment.NewEngine(st, src), src
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
			if expression, err = readExpr(expression); err != nil {
				return err
			}
			ctx := cmd.Context()
			return a.withStore(ctx, func(st store.Store) error {
				eng, src := a.segmentEngine(st)
				var out struct {
					DryRun  bool             `json:"dry_run"`
					Preview segment.Preview  `json:"preview"`
					Segment *segment.Segment `json:"segment,omitempty"`
					Change  *segment.Change  `json:"change,omitempty"`
				}
				out.DryRun = dryRun
				var err error
				switch {
				case dryRun:
					out.Preview, err = eng.Preview(ctx, expression, sample)
				case replace:
					var s segment.Segment
					var ch segment.Change
					s, ch, out.Preview, err = eng.Replace(ctx, name, expression, description, sample)
					out.Segment, out.Change = &s, &ch
				default:
					var s segment.Segment
					s, out.Preview, err = eng.Create(ctx, name, expression, description, sample)
					out.Segment = &s
				}
				if err != nil {
					return a.compileFailure(*asJSON, err)
				}
				a.warnSource(src)
				a.warnPreview(out.Preview)
				if *asJSON {
					return a.printJSON(out)
				}
				a.printPreview(name, out.Preview)
				switch {
				case dryRun:
					fmt.Fprintf(a.stdout, "dry run: segment %s not saved\n", name)
				case replace:
					fmt.Fprintf(a.stdout, "replaced segment %s: version %d, %d members (%d joined, %d left)\n",
						name, out.Segment.Version, out.Segment.Members, len(out.Change.Joined), len(out.Change.Left))
				default:
					fmt.Fprintf(a.stdout, "saved segment %s: version %d, %d members\n", name, out.Segment.Version, out.Segment.Members)
				}
				return nil
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

// readExpr returns s, or the content of the file s names as "@FILE" (long
// expressions read better over several lines, and errors then point at
// the line).
func readExpr(s string) (string, error) {
	path, ok := strings.CutPrefix(s, "@")
	if !ok {
		return s, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", apperr.Wrap(err, apperr.Invalid, "--expr @%s: cannot read the expression file", path)
	}
	return string(b), nil
}

// warnPreview prints likely mistakes (a map key nobody has) and how many
// customers the expression could not be evaluated for, so that a typo or a
// nil attrs key never silently empties a segment.
func (a *app) warnPreview(p segment.Preview) {
	for _, w := range p.Warnings {
		fmt.Fprintln(a.stderr, "warning:", w)
	}
	if p.Errors == 0 || p.FirstError == nil {
		return
	}
	fmt.Fprintf(a.stderr, "warning: the expression failed for %d of %d customers, who therefore do not match; first: %s\n"+
		"  (a missing attrs key is nil: give it a default, e.g. (attrs[\"points\"] ?? 0) > 100)\n",
		p.Errors, p.Total, p.FirstError)
}

func (a *app) printPreview(name string, p segment.Preview) {
	share := 0.0
	if p.Total > 0 {
		share = 100 * float64(p.Count) / float64(p.Total)
	}
	fmt.Fprintf(a.stdout, "segment %s: %d of %d customers match (%.1f%%); records computed in %s, evaluated in %s\n",
		name, p.Count, p.Total, share, p.RecordsElapsed.Round(time.Millisecond), p.Elapsed.Round(time.Microsecond))
	if len(p.Sample) == 0 {
		return
	}
	fmt.Fprintf(a.stdout, "first %d:\n", len(p.Sample))
	tw := tabwriter.NewWriter(a.stdout, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "  CUSTOMER\tRFM SEGMENT\tLIFECYCLE\tORDERS\tREVENUE\tCLV\tDAYS SINCE\tCONSENT")
	for _, r := range p.Sample {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%d\t%.2f\t%.2f\t%d\t%s\n", r.ID, dash(r.RFM.Segment), dash(r.Lifecycle),
			r.Orders, r.Revenue, r.CLV, r.DaysSinceLastPurchase, consentList(r.Consent))
	}
	tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func consentList(c segment.Consent) string {
	var out []string
	for _, x := range []struct {
		ok   bool
		name string
	}{{c.Email, "email"}, {c.SMS, "sms"}, {c.Push, "push"}, {c.WeChat, "wechat"}} {
		if x.ok {
			out = append(out, x.name)
		}
	}
	if len(out) == 0 {
		return "-"
	}
	return strings.Join(out, ",")
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
				if len(segs) == 0 {
					fmt.Fprintln(a.stdout, "no segments yet: create one with chorus segment create NAME --expr '…'")
					return nil
				}
				tw := tabwriter.NewWriter(a.stdout, 2, 8, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tVERSION\tMEMBERS\tUPDATED\tEXPRESSION")
				for _, s := range segs {
					fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\n", s.Name, s.Version, s.Members, s.UpdatedAt.Format(time.DateTime), oneLine(s.Expression, 80))
				}
				return tw.Flush()
			})
		},
	}
}

// oneLine is s with its white space folded to single spaces, cut to n
// runes.
func oneLine(s string, n int) string { return truncate(strings.Join(strings.Fields(s), " "), n) }

func (a *app) segmentShowCmd(asJSON *bool) *cobra.Command {
	var limit int
	cmd := &cobra.Command{
		Use:   "show NAME",
		Short: "Show a segment's expression, version and first members",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return a.withStore(ctx, func(st store.Store) error {
				s, err := st.GetSegment(ctx, args[0])
				if err != nil {
					return err
				}
				members := []segment.Member{}
				if limit > 0 {
					errEnough := errors.New("enough")
					err = st.ScanSegmentMembers(ctx, s.Name, func(m segment.Member) error {
						if len(members) >= limit {
							return errEnough
						}
						members = append(members, m)
						return nil
					})
					if err != nil && !errors.Is(err, errEnough) {
						return err
					}
				}
				if *asJSON {
					return a.printJSON(struct {
						segment.Segment
						FirstMembers []segment.Member `json:"first_members"`
					}{s, members})
				}
				fmt.Fprintf(a.stdout, "segment:     %s\nexpression:  %s\n", s.Name, s.Expression)
				if s.Description != "" {
					fmt.Fprintf(a.stdout, "description: %s\n", s.Description)
				}
				fmt.Fprintf(a.stdout, "version:     %d\nmembers:     %d\ncreated:     %s\nupdated:     %s\n",
					s.Version, s.Members, s.CreatedAt.Format(time.RFC3339), s.UpdatedAt.Format(time.RFC3339))
				if !s.RefreshedAt.IsZero() {
					fmt.Fprintf(a.stdout, "rebuilt:     %s\n", s.RefreshedAt.Format(time.RFC3339))
				}
				if len(members) > 0 {
					fmt.Fprintf(a.stdout, "first %d members (customer, since):\n", len(members))
					for _, m := range members {
						fmt.Fprintf(a.stdout, "  %s\t%s\n", m.CustomerID, m.Since.Format(time.RFC3339))
					}
				}
				return nil
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
			expression, err := readExpr(expression)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			return a.withStore(ctx, func(st store.Store) error {
				eng, src := a.segmentEngine(st)
				out := struct {
					Segment string `json:"segment,omitempty"`
					Version int    `json:"version,omitempty"`
					Stored  *int   `json:"stored,omitempty"`
					segment.Preview
				}{}
				var err error
				if hasExpr {
					out.Preview, err = eng.Preview(ctx, expression, 0)
				} else {
					var s segment.Segment
					s, out.Preview, err = eng.Count(ctx, args[0])
					out.Segment, out.Version, out.Stored = s.Name, s.Version, &s.Members
				}
				if err != nil {
					return a.compileFailure(*asJSON, err)
				}
				a.warnSource(src)
				a.warnPreview(out.Preview)
				if *asJSON {
					return a.printJSON(out)
				}
				if out.Stored != nil {
					fmt.Fprintf(a.stdout, "segment %s (version %d): %d stored members; %d of %d customers match now\n",
						out.Segment, out.Version, *out.Stored, out.Count, out.Total)
					return nil
				}
				fmt.Fprintf(a.stdout, "%d of %d customers match\n", out.Count, out.Total)
				return nil
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
			return a.withGate(ctx, func(st store.Store, g *policy.Gate) error {
				eng, src := a.segmentEngine(st)
				if outPath == "" && *asJSON {
					return apperr.New(apperr.Invalid, "segment export: --json prints a summary and needs --out FILE for the members")
				}
				var logged segment.ContactExport
				opts := segment.ExportOptions{Format: format, Fields: fields, IncludeContact: includeContact, IgnoreConsent: ignoreConsent,
					Contact: contactSource{st, g}, Log: st, Actor: cmp.Or(actor, loginName()), Purpose: purpose, Summary: &logged}
				defer func() {
					if logged.ID != 0 && !*asJSON {
						fmt.Fprintf(a.stderr, "contact export logged (#%d by %s): %d rows, %d members held back by consent or suppression\n",
							logged.ID, logged.Actor, logged.Rows, logged.Withheld)
					}
				}()
				if outPath == "" {
					if _, err := eng.Export(ctx, args[0], a.stdout, opts); err != nil {
						return a.compileFailure(*asJSON, err)
					}
					a.warnSource(src) // stderr: stdout holds the members
					return nil
				}
				n, err := exportFile(ctx, eng, args[0], outPath, opts)
				if err != nil {
					return a.compileFailure(*asJSON, err)
				}
				a.warnSource(src)
				if *asJSON {
					out := map[string]any{"segment": args[0], "members": n, "format": strings.ToLower(format), "out": outPath}
					if logged.ID != 0 {
						out["contact_export"] = logged
					}
					return a.printJSON(out)
				}
				fmt.Fprintf(a.stderr, "wrote %d members of %s to %s\n", n, args[0], outPath)
				return nil
			})
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

// contactSource gives a contact export the customer records and the
// contact policy's reachability.
type contactSource struct {
	st store.Store
	g  *policy.Gate
}

func (c contactSource) GetCustomer(ctx context.Context, id string) (customer.Customer, error) {
	return c.st.GetCustomer(ctx, id)
}

func (c contactSource) Reachable(ctx context.Context, id, channel string) (bool, error) {
	return c.g.Reachable(ctx, id, channel)
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
				tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tWHEN (UTC)\tWHO\tSEGMENT\tFIELDS\tROWS\tHELD BACK\tPURPOSE")
				for _, e := range log {
					p := e.Purpose
					if e.IgnoredConsent {
						p = "consent ignored: " + p
					}
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%d\t%s\n", e.ID, e.At.Format("2006-01-02 15:04"), e.Actor, e.Segment,
						strings.Join(e.Fields, ","), e.Rows, e.Withheld, p)
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 50, "newest entries to show (0: all)")
	return cmd
}

// exportFile writes to a temporary file beside path and renames it, so a
// failed export never leaves a half-written file under the requested name.
func exportFile(ctx context.Context, eng *segment.Engine, name, path string, opts segment.ExportOptions) (int, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return 0, apperr.Wrap(err, apperr.Invalid, "export: cannot write beside %s", path)
	}
	defer os.Remove(f.Name())
	n, err := eng.Export(ctx, name, f, opts)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return 0, apperr.Wrap(err, apperr.Invalid, "export: write %s", path)
	}
	return n, nil
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
			return a.withStore(ctx, func(st store.Store) error {
				eng, src := a.segmentEngine(st)
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
				if len(changes) == 0 {
					if len(customers) > 0 {
						fmt.Fprintf(a.stdout, "no segment membership changed for %d customer(s)\n", len(customers))
					} else {
						fmt.Fprintln(a.stdout, "no segments to refresh")
					}
					return nil
				}
				tw := tabwriter.NewWriter(a.stdout, 2, 8, 2, ' ', 0)
				fmt.Fprintln(tw, "SEGMENT\tVERSION\tJOINED\tLEFT")
				for _, c := range changes {
					fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", c.Segment, c.Version, idSummary(c.Joined), idSummary(c.Left))
				}
				tw.Flush()
				fmt.Fprintf(a.stdout, "updated %d segment(s) in %s\n", len(changes), time.Since(start).Round(time.Millisecond))
				return nil
			})
		},
	}
	cmd.Flags().StringSliceVar(&customers, "customers", nil, "re-evaluate only these customer ids (comma-separated)")
	return cmd
}

// idSummary prints a count, and the ids themselves when there are few.
func idSummary(ids []string) string {
	switch {
	case len(ids) == 0:
		return "0"
	case len(ids) <= 5:
		return fmt.Sprintf("%d (%s)", len(ids), strings.Join(ids, ", "))
	}
	return fmt.Sprint(len(ids))
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
			tw := tabwriter.NewWriter(a.stdout, 2, 8, 2, ' ', 0)
			fmt.Fprintln(tw, "FIELD\tTYPE\tMEANING")
			for _, f := range fs {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Path, f.Type, f.Doc)
			}
			return tw.Flush()
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
			if n <= 0 || runs <= 0 {
				return apperr.New(apperr.Invalid, "bench segment: --n and --runs must be positive")
			}
			ctx := cmd.Context()
			if workers <= 0 {
				workers = runtime.GOMAXPROCS(0)
			}
			genStart := time.Now()
			recs := segment.Synthetic(n, seed)
			gen := time.Since(genStart)
			compileStart := time.Now()
			prog, err := segment.Compile(expression)
			if err != nil {
				return a.compileFailure(asJSON, err)
			}
			compile := time.Since(compileStart)
			var times []time.Duration
			var res segment.Result
			for range runs {
				start := time.Now()
				if res, err = prog.Filter(ctx, recs, workers); err != nil {
					return err
				}
				times = append(times, time.Since(start))
			}
			slices.Sort(times)
			best, median := times[0], times[len(times)/2]
			// The target is 2 s per million customers.
			target := time.Duration(float64(2*time.Second) * float64(n) / 1e6)
			out := map[string]any{
				"customers": n, "seed": seed, "workers": workers, "runs": runs, "expression": prog.Source,
				"matches": res.Count, "errors": res.Errors,
				"generate_seconds": gen.Seconds(), "compile_seconds": compile.Seconds(),
				"best_seconds": best.Seconds(), "median_seconds": median.Seconds(),
				"ns_per_record":  float64(best.Nanoseconds()) / float64(n),
				"target_seconds": target.Seconds(), "meets_target": best <= target,
			}
			if asJSON {
				return a.printJSON(out)
			}
			w := a.stdout
			fmt.Fprintf(w, "segment evaluation: %d synthetic customers (seed %d), %d workers, %d runs\n", n, seed, workers, runs)
			fmt.Fprintf(w, "expression:  %s\n", prog.Source)
			fmt.Fprintf(w, "matches:     %d (%.2f%%)\n", res.Count, 100*float64(res.Count)/float64(n))
			fmt.Fprintf(w, "generate:    %s\ncompile:     %s\n", gen.Round(time.Millisecond), compile.Round(time.Microsecond))
			fmt.Fprintf(w, "evaluate:    best %.3f s, median %.3f s (%.0f ns/record)\n", best.Seconds(), median.Seconds(),
				float64(best.Nanoseconds())/float64(n))
			verdict := "meets"
			if best > target {
				verdict = "MISSES"
			}
			fmt.Fprintf(w, "target:      %.3f s for %d customers: %s\n", target.Seconds(), n, verdict)
			return nil
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

// updateSegments keeps saved segments current after other commands write
// data (`chorus import`, the campaign worker): it re-evaluates every saved
// segment for the customers in ids, or rebuilds all segments when ids is
// nil (the writer does not know whom it touched), and prints one summary
// line on stderr. With no saved segment it costs one query.
func (a *app) updateSegments(ctx context.Context, st store.Store, ids []string) (segment.Changes, error) {
	segs, err := st.ListSegments(ctx)
	if err != nil || len(segs) == 0 {
		return nil, err
	}
	eng, _ := a.segmentEngine(st)
	var changes segment.Changes
	if ids == nil {
		changes, err = eng.Refresh(ctx, "")
	} else {
		changes, err = eng.OnCustomers(ctx, ids)
	}
	if err != nil {
		return changes, err
	}
	joined, left := 0, 0
	for _, c := range changes {
		joined, left = joined+len(c.Joined), left+len(c.Left)
	}
	fmt.Fprintf(a.stderr, "segments: %d saved, %d joined, %d left\n", len(segs), joined, left)
	return changes, nil
}
