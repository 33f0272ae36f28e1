package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/store"
)

func (a *app) migrateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Create or upgrade the database schema",
		Long:  "Applies the embedded, numbered migrations not yet applied. Every command that opens the database also migrates it, so this is only needed to prepare a database ahead of time.",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(cmd.Context(), func(s store.Store) error {
				fmt.Fprintf(a.stdout, "database %s (%s) is up to date\n", redactDSN(a.cfg.DB), s.Engine())
				return nil
			})
		},
	}
}
