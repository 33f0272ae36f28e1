package main

import (
	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
)

func (a *app) policyPruneCmd() *cobra.Command {
	var before string
	var dryRun, asJSON bool
	cmd := &cobra.Command{
		Use:   "prune",
		Short: "Delete sends older than the retention from the sends log the caps count, and old skips",
		Long: `The frequency caps count the sends log; a send older than the longest cap
window counts for nothing. prune deletes the sends before the cutoff (by
default now minus compliance.contact.send_retention: the longest cap window
plus 30 days) and the skips older than compliance.contact.skip_retention
(180 days), printing how many (with --dry-run: how many it would). --before
sets the cutoff; one inside the longest cap window is refused. Sending
prunes as it goes, so this is for a first clean-up, a shorter cutoff, or a
process that never sends.`,
		Example: `  chorus policy prune --dry-run
  chorus policy prune
  chorus policy prune --before 2026-09-01 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return a.withApp(ctx, func(ap *chorusapp.App) error {
				r, err := ap.Gate.PruneLogs(ctx, before, dryRun)
				if err != nil {
					return err
				}
				return a.render(asJSON, r)
			})
		},
	}
	cmd.Flags().StringVar(&before, "before", "", `cutoff: RFC 3339, "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" in UTC (default now minus the retention)`)
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "count what would be deleted, delete nothing")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
