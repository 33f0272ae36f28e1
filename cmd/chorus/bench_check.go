package main

import (
	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/compliance/adlaw"
	"github.com/chorusmkt/chorus/internal/compliance/adlaw/adlawbench"
)

func (a *app) benchCheckCmd() *cobra.Command {
	var n, runs int
	var seed uint64
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Time the advertising-law checker on one core: messages/s and per-message latency",
		Long: `Generates --n synthetic marketing messages of about 100 runes (half Chinese,
half English, about a third carrying a listed term, some with evasions such
as 最 佳 or ＮＯ．１), then checks them one at a time on one goroutine with
GOMAXPROCS=1, --runs times. Prints the best run's throughput and its
per-message latency percentiles; the target is 50,000 messages/s.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ck, err := adlaw.FromConfig(a.cfg.Compliance.AdLaw)
			if err != nil {
				return err
			}
			r, err := adlawbench.Measure(cmd.Context(), ck, n, runs, seed)
			if err != nil {
				return err
			}
			return a.render(asJSON, r)
		},
	}
	cmd.Flags().IntVar(&n, "n", 10000, "messages to generate and check")
	cmd.Flags().IntVar(&runs, "runs", 3, "times to check all messages; the fastest run is reported")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "seed of the message generator")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
