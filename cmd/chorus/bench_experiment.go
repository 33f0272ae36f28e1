package main

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/chorusmkt/chorus/internal/experiment/experimentbench"
)

func (a *app) benchExperimentCmd() *cobra.Command {
	var o experimentbench.Options
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "experiment",
		Short: "Check the experiment statistics on simulated campaigns with known truth",
		Long: `Simulates --sims A/A and as many A/B tests (the variant at --rate × (1 +
--lift)), --recipients per arm over --looks steps, buyers spending lognormal
amounts, and --bandit-sims Thompson-sampling runs. It reports, each with its
Monte Carlo 95% interval: the A/A false-positive rate at --alpha (one look,
naive peeking, sequential; target <= 5.5%), the coverage of the 95%
intervals (Wilson, Newcombe, lift, Welch, a 90/10 holdout: 94% to 96%; the
sequential interval at every look: >= 95%), the power and how often the
rule sends the better variant, the bandit's regret against a uniform split,
and the coverage of Welch's and the bootstrap interval on heavy-tailed
revenue. Simulations are seeded (--seed): the same options give the same
figures.`,
		Example: `  chorus bench experiment
  chorus bench experiment --sims 2000 --json
  chorus bench experiment --rate 0.02 --lift 0.1 --recipients 50000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			p := a.progress("simulations", o.Runs(), "runs")
			rep, err := experimentbench.Run(cmd.Context(), o, p)
			if err != nil {
				return err
			}
			return a.render(asJSON, rep)
		},
	}
	bindExperimentBench(cmd.Flags(), &o, &asJSON)
	return cmd
}

// bindExperimentBench defines the flags of `chorus bench experiment`.
func bindExperimentBench(f *pflag.FlagSet, o *experimentbench.Options, asJSON *bool) {
	f.IntVar(&o.Sims, "sims", 10000, "simulated A/A tests, and as many A/B tests")
	f.Int64Var(&o.Recipients, "recipients", 10000, "recipients per arm at the last look")
	f.IntVar(&o.Looks, "looks", 20, "looks of the peeking and sequential tests")
	f.Float64Var(&o.Rate, "rate", 0.05, "true conversion rate of the control")
	f.Float64Var(&o.Lift, "lift", 0.20, "true relative lift of the variant in the A/B tests")
	f.Float64Var(&o.Alpha, "alpha", 0.05, "significance level")
	f.IntVar(&o.BanditSims, "bandit-sims", 200, "Thompson-sampling runs")
	f.IntVar(&o.BanditRecipients, "bandit-recipients", 20000, "recipients per bandit run")
	f.IntVar(&o.BanditBatch, "bandit-batch", 500, "recipients between posterior updates (conversions arrive late)")
	f.Float64SliceVar(&o.BanditRates, "bandit-rates", []float64{0.04, 0.05, 0.06}, "true rates of the bandit's arms")
	f.IntVar(&o.HeavySims, "heavy-sims", 1000, "runs of the heavy-tailed revenue check")
	f.Uint64Var(&o.Seed, "seed", 1, "random seed")
	f.BoolVar(asJSON, "json", false, "print JSON")
}
