package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/campaign/campaignbench"
)

func (a *app) benchSendCmd() *cobra.Command {
	var (
		n, workers, conns int
		asJSON            bool
		profile           string
	)
	cmd := &cobra.Command{
		Use:   "send",
		Short: "Send N campaign messages end to end to a local SMTP sink, against a raw go-mail loop",
		Long: `Writes N customers with e-mail consent to a scratch database (a new schema
of the --db PostgreSQL database, or a temporary SQLite file), launches one
email campaign to them and lets real chorus worker processes deliver it
(queue → contact policy → render → SMTP → recorded state) to a local SMTP
sink. It prints messages per second, the workers' CPU seconds per 1,000
messages and their peak RSS, and, in the same run, the rate of a raw
go-mail loop to the same sink with the same number of connections.`,
		Example: `  chorus bench send --n 20000
  chorus bench send --n 100000 --json
  chorus bench send --n 20000 --workers 2 --db postgres://postgres@127.0.0.1:5432/test?sslmode=disable`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			bin, err := os.Executable()
			if err != nil {
				return apperr.Wrap(err, apperr.Internal, "find the chorus executable")
			}
			rep, err := campaignbench.Run(cmd.Context(), campaignbench.Options{N: n, DSN: a.cfg.DB, Workers: workers, Connections: conns, Binary: bin, ProfileDir: profile,
				Progress: func(format string, args ...any) { fmt.Fprintf(a.stderr, "bench send: "+format+"\n", args...) }})
			if err != nil {
				return err
			}
			return a.render(asJSON, rep)
		},
	}
	cmd.Flags().IntVar(&n, "n", 20000, "recipients")
	cmd.Flags().IntVar(&workers, "workers", 1, "worker processes")
	cmd.Flags().IntVar(&conns, "connections", 4, "SMTP connections per worker (and of the raw loop)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&profile, "profile", "", "write each worker's CPU, allocation, block and mutex profiles (pprof) and execution trace to this folder")
	return cmd
}
