package main

import (
	"encoding/json"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/insight"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// campaignReportCmd is `chorus campaign report`.
func (a *app) campaignReportCmd() *cobra.Command {
	var q tracking.ReportQuery
	var viewThrough, asJSON bool
	cmd := &cobra.Command{
		Use:   "report NAME",
		Short: "What a campaign achieved: per variant, channel or segment, and against its holdout",
		Long: `Per variant (and per --by cell): recipients, messages delivered, people who
opened (human opens; a click counts; Apple MPP and scanner fetches are left
out) and clicked, CTR (clicks / delivered), CTOR (clicks / opens),
conversions (people with an order credited to the campaign: their last
human click within the attribution window, default 7d, before the order;
opens too with --view-through), CVR (conversions / recipients), revenue net
of refunds and per recipient, unsubscribes, bounces and complaints.

Against the holdout it compares every purchase in each person's
measurement window from the planned send, clicked or not: the lift in
conversion rate and revenue per recipient with a 95% interval and p-value.
With several variants it tests them against the first and decides. The
figures are fixed-horizon unless --sequential makes them always valid (a
running campaign may be looked at any time).`,
		Example: `  chorus campaign report double11
  chorus campaign report double11 --by variant,channel --json
  chorus campaign report double11 --by segment --sequential`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("view-through") {
				q.ViewThrough = &viewThrough
			}
			opt, err := q.Options(a.cfg)
			if err != nil {
				return err
			}
			return a.withStore(cmd.Context(), func(st store.Store) error {
				opt.Segments = insight.RFMSegmentNames(st, insight.OptionsFromConfig(a.cfg.Insight))
				rep, err := tracking.Reporter{Store: st}.Report(cmd.Context(), args[0], opt)
				if err != nil {
					return err
				}
				if asJSON { // HTML-escaped, as this report always was
					enc := json.NewEncoder(a.stdout)
					enc.SetIndent("", "  ")
					return enc.Encode(rep)
				}
				return rep.WriteText(a.stdout)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&q.By, "by", "", "split the cells by variant, channel and/or segment (comma-separated)")
	f.StringVar(&q.Window, "window", "", "attribution and measurement window (default tracking.attribution.window, 7d)")
	f.BoolVar(&viewThrough, "view-through", false, "also credit orders to the last human open (tracking.attribution.view_through)")
	f.StringVar(&q.ViewWindow, "view-window", "", "view-through window (default tracking.attribution.view_window, 1d); implies --view-through")
	f.BoolVar(&q.Sequential, "sequential", false, "always-valid p-values and intervals (safe to look at a running campaign)")
	f.IntVar(&q.Tuning, "tuning", 0, "sequential: the planned recipients of two arms, where the interval is narrowest")
	return jsonFlag(cmd, &asJSON, "print the report as JSON")
}
