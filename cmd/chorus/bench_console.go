package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/web/webbench"
)

func (a *app) benchConsoleCmd() *cobra.Command {
	var o webbench.Options
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "console",
		Short: "Render every console list and profile page through the real server and report p95 per page",
		Long: `Builds a demo shop of --customers (once: the SQLite file --db, by default in
the temporary directory, is reused by later runs), signs an admin in, and
renders each console page --n times through the server's handler (session,
the page's services, the template), after one warm-up render. It reports
p50, p95 and max per page and the ratio of each p95 to the login page's, a
template with no data, measured in the same run. Target: every list and
profile page's p95 under 100 ms on 100,000 customers.`,
		Example: `  chorus bench console
  chorus bench console --customers 20000 --n 100 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			rep, err := webbench.Run(cmd.Context(), o, func(s string) { fmt.Fprintf(a.stderr, "bench console: %s\n", s) })
			if err != nil {
				return err
			}
			return a.render(asJSON, rep)
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.Customers, "customers", 100_000, "customers of the demo shop")
	f.Int64Var(&o.Seed, "seed", 1, "demo generator seed")
	f.StringVar(&o.DB, "db", "", "SQLite file of the shop, built once and reused (default: in the temporary directory)")
	f.IntVar(&o.N, "n", 50, "timed renders per page")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
