package main

import (
	"github.com/spf13/cobra"
)

// jsonFlag adds --json (usage "print JSON" when usage is "") to cmd and
// returns cmd.
func jsonFlag(cmd *cobra.Command, asJSON *bool, usage ...string) *cobra.Command {
	u := "print JSON"
	if len(usage) > 0 {
		u = usage[0]
	}
	cmd.Flags().BoolVar(asJSON, "json", false, u)
	return cmd
}

// renderNext renders v, then for a person the next command to run.
func (a *app) renderNext(asJSON bool, v textWriter, next string) error {
	if err := a.render(asJSON, v); err != nil || asJSON {
		return err
	}
	_, err := a.stdout.Write([]byte("next: " + next + "\n"))
	return err
}

// orEmpty is s, or an empty list rather than null in JSON.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
