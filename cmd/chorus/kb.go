package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/support"
)

// kbCmd is `chorus kb …`: the customer-service knowledge base.
func (a *app) kbCmd() *cobra.Command {
	return a.command("", cmdSpec{Use: "kb", Subs: []*cobra.Command{a.kbImportCmd(), a.kbListCmd(), a.kbDeleteCmd(), a.kbSearchCmd()}})
}

func (a *app) kbImportCmd() *cobra.Command {
	var po support.ParseOptions
	var asJSON bool
	return a.command("kb", cmdSpec{Use: "import FILE...", Args: cobra.MinimumNArgs(1),
		Flags: map[string]any{"format": &po.Format, "language": &po.Language, "kind": &po.Kind, "json": &asJSON},
		Run: func(cmd *cobra.Command, args []string) error {
			return renderApp(cmd.Context(), a, asJSON, func(ap *chorusapp.App) (support.ImportReports, error) {
				return ap.ImportKB(cmd.Context(), args, po)
			})
		}})
}

func (a *app) kbListCmd() *cobra.Command {
	o := &struct {
		Language string `flag:"language"`
		JSON     bool   `flag:"json"`
	}{}
	return a.command("kb", cmdSpec{Use: "list", Args: cobra.NoArgs, Opts: o, Run: func(cmd *cobra.Command, _ []string) error {
		return renderApp(cmd.Context(), a, o.JSON, func(ap *chorusapp.App) (support.Docs, error) { return ap.KBDocs(cmd.Context(), o.Language) })
	}})
}

func (a *app) kbDeleteCmd() *cobra.Command {
	return a.command("kb", cmdSpec{Use: "delete ID", Args: cobra.ExactArgs(1), Run: func(cmd *cobra.Command, args []string) error {
		return a.withApp(cmd.Context(), func(ap *chorusapp.App) error {
			n, err := ap.DeleteKB(cmd.Context(), args[0])
			if err == nil {
				fmt.Fprintf(a.stdout, "deleted %s (%d language(s))\n", args[0], n)
			}
			return err
		})
	}})
}

func (a *app) kbSearchCmd() *cobra.Command {
	o := &struct {
		Language string `flag:"language"`
		K        int    `flag:"k"`
		JSON     bool   `flag:"json"`
	}{K: 5}
	return a.command("kb", cmdSpec{Use: "search QUERY", Args: cobra.MinimumNArgs(1), Opts: o, Run: func(cmd *cobra.Command, args []string) error {
		return renderApp(cmd.Context(), a, o.JSON, func(ap *chorusapp.App) (support.Passages, error) {
			return ap.SearchKB(cmd.Context(), strings.Join(args, " "), support.SearchOptions{Language: o.Language, K: o.K})
		})
	}})
}
