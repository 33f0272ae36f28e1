package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
)

// policyPruneReport is the JSON of `chorus policy prune --json`.
type policyPruneReport struct {
	Cutoff time.Time `json:"cutoff"`
	// Default is true when the cutoff is now minus the retention (no --before).
	Default         bool  `json:"default_cutoff"`
	RetentionHours  int64 `json:"retention_hours"`
	LongestCapHours int64 `json:"longest_cap_window_hours"`
	DryRun          bool  `json:"dry_run"`
	Deleted         int64 `json:"deleted"`
	WouldDelete     int64 `json:"would_delete"`
	// The skips log (why messages were not sent) is pruned by its own
	// retention, compliance.contact.skip_retention.
	SkipsCutoff        time.Time `json:"skips_cutoff"`
	SkipRetentionHours int64     `json:"skip_retention_hours"`
	SkipsDeleted       int64     `json:"skips_deleted"`
	SkipsWouldDelete   int64     `json:"skips_would_delete"`
}

func (a *app) policyPruneCmd() *cobra.Command {
	var before string
	var dryRun, asJSON bool
	cmd := &cobra.Command{
		Use:   "prune",
		Short: "Delete sends older than the retention from the sends log the caps count, and old skips",
		Long: `The frequency caps count the sends log; a send older than the longest cap
window counts for nothing. prune deletes the sends made before the cutoff,
by default now minus compliance.contact.send_retention (default: the
longest cap window plus 30 days), and prints how many it deleted, or with
--dry-run how many it would. --before sets the cutoff (RFC 3339, or a UTC
date or "YYYY-MM-DD HH:MM"); a cutoff inside the longest cap window is
refused, since the caps still count those sends. It also deletes the
skips (why a message was not sent) decided before now minus
compliance.contact.skip_retention (default 180 days).

Sending prunes the log as it goes (after recorded sends, a bounded batch
at most every ten minutes), so this command is for a first clean-up, a
shorter cutoff, or a process that never sends.`,
		Example: `  chorus policy prune --dry-run
  chorus policy prune
  chorus policy prune --before 2026-09-01 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return a.withApp(ctx, func(ap *chorusapp.App) error {
				g := ap.Gate
				r := policyPruneReport{Cutoff: g.PruneCutoff().Truncate(time.Second), Default: before == "", DryRun: dryRun,
					RetentionHours: int64(g.Retention() / time.Hour), LongestCapHours: int64(g.LongestCapWindow() / time.Hour)}
				if before != "" {
					var err error
					if r.Cutoff, err = parseCutoff(before); err != nil {
						return err
					}
				}
				n, err := g.Prune(ctx, r.Cutoff, dryRun)
				if err != nil {
					return err
				}
				r.SkipsCutoff, r.SkipRetentionHours = g.SkipPruneCutoff().Truncate(time.Second), int64(g.SkipRetention()/time.Hour)
				k, err := g.PruneSkips(ctx, r.SkipsCutoff, dryRun)
				if err != nil {
					return err
				}
				if dryRun {
					r.WouldDelete, r.SkipsWouldDelete = n, k
				} else {
					r.Deleted, r.SkipsDeleted = n, k
				}
				if asJSON {
					return a.printJSON(r)
				}
				how := fmt.Sprintf("retention %s", span(g.Retention()))
				if !r.Default {
					how = "--before"
				}
				if dryRun {
					fmt.Fprintf(a.stdout, "would prune %d sends made before %s (%s); dry run: nothing deleted\n", n, r.Cutoff.UTC().Format(time.RFC3339), how)
				} else {
					fmt.Fprintf(a.stdout, "pruned %d sends made before %s (%s)\n", n, r.Cutoff.UTC().Format(time.RFC3339), how)
				}
				fmt.Fprintf(a.stdout, "  longest cap window %s: nothing after %s is deleted\n", span(g.LongestCapWindow()),
					time.Now().Add(-g.LongestCapWindow()).UTC().Format(time.RFC3339))
				verb := "pruned"
				if dryRun {
					verb = "would prune"
				}
				fmt.Fprintf(a.stdout, "%s %d skips decided before %s (skip retention %s)\n", verb, k, r.SkipsCutoff.UTC().Format(time.RFC3339), span(g.SkipRetention()))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&before, "before", "", `cutoff: RFC 3339, "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" in UTC (default now minus the retention)`)
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "count what would be deleted, delete nothing")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// parseCutoff reads --before: RFC 3339 with its offset, or a UTC date or
// date and time.
func parseCutoff(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02", "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, apperr.New(apperr.Invalid, `--before %q: want RFC 3339 (2026-09-01T00:00:00+08:00), "2026-09-01" or "2026-09-01 08:00" (UTC)`, s)
}

// span writes a duration in days when it is whole days, else as Go does.
func span(d time.Duration) string {
	if d > 0 && d%(24*time.Hour) == 0 {
		if d == 24*time.Hour {
			return "1 day"
		}
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	}
	return d.String()
}
