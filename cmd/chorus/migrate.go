package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/store"
)

func (a *app) migrateCmd() *cobra.Command {
	return a.command("", cmdSpec{Use: "migrate", Args: cobra.NoArgs, Run: func(cmd *cobra.Command, args []string) error {
		return a.withStore(cmd.Context(), func(s store.Store) error {
			fmt.Fprintf(a.stdout, "database %s (%s) is up to date\n", redactDSN(a.cfg.DB), s.Engine())
			return nil
		})
	}})
}
