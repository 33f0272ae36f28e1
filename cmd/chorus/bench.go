package main

import "github.com/spf13/cobra"

// benchCmd groups the end-to-end benchmarks; each area adds a subcommand.
func (a *app) benchCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure end-to-end performance and print figures",
	}
	cmd.AddCommand(
		a.benchSegmentCmd(),
		a.benchDemoCmd(),
		a.benchInsightCmd(),
		a.benchRecommendCmd(),
		a.benchLLMCmd(),
		a.benchImportCmd(),
		a.benchCheckCmd(),
		a.benchPolicyCmd(),
		a.benchSupportCmd(),
		a.benchExperimentCmd(),
		a.benchSendCmd(),
		a.benchTrackCmd(),
		a.benchConsoleCmd(),
		a.benchAPICmd(),
	)
	return cmd
}
