package main

import (
	"encoding/json"

	"github.com/spf13/cobra"

	clikit "github.com/chorusmkt/chorus/internal/cli"
	"github.com/chorusmkt/chorus/internal/insight"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// campaignReportCmd is `chorus campaign report`.
func (a *app) campaignReportCmd() *cobra.Command {
	var q tracking.ReportQuery
	var asJSON bool
	flags := map[string]any{"by": &q.By, "window": &q.Window, "view-through": clikit.Optional(&q.ViewThrough, false), "view-window": &q.ViewWindow,
		"sequential": &q.Sequential, "tuning": &q.Tuning, "json": &asJSON}
	return a.command("campaign", cmdSpec{Use: "report NAME", Args: cobra.ExactArgs(1), Flags: flags, Run: func(cmd *cobra.Command, args []string) error {
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
	}})
}
