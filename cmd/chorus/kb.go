package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/store"
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
			ctx := cmd.Context()
			return a.withStore(ctx, func(st store.Store) error {
				reps, err := support.ImportFiles(ctx, st, args, po)
				return a.orRender(err, asJSON, support.ImportReports(reps))
			})
		}})
}

func (a *app) kbListCmd() *cobra.Command {
	o := &struct {
		Language string `flag:"language"`
		JSON     bool   `flag:"json"`
	}{}
	return a.command("kb", cmdSpec{Use: "list", Args: cobra.NoArgs, Opts: o, Run: func(cmd *cobra.Command, _ []string) error {
		return a.withStore(cmd.Context(), func(st store.Store) error {
			docs, err := st.ListKBDocs(cmd.Context(), time.Time{})
			return a.orRender(err, o.JSON, support.LiveDocs(docs, o.Language))
		})
	}})
}

func (a *app) kbDeleteCmd() *cobra.Command {
	return a.command("kb", cmdSpec{Use: "delete ID", Args: cobra.ExactArgs(1), Run: func(cmd *cobra.Command, args []string) error {
		return a.withStore(cmd.Context(), func(st store.Store) error {
			n, err := st.DeleteKBDoc(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "deleted %s (%d language(s))\n", args[0], n)
			return nil
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
		ctx := cmd.Context()
		return a.withStore(ctx, func(st store.Store) error {
			ix, err := support.NewIndex()
			if err != nil {
				return err
			}
			defer ix.Close()
			if _, err := ix.Sync(ctx, st); err != nil {
				return err
			}
			hits, err := ix.Search(ctx, strings.Join(args, " "), support.SearchOptions{Language: o.Language, K: o.K})
			return a.orRender(err, o.JSON, support.Passages(orEmpty(hits)))
		})
	}})
}
