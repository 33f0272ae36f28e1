package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/support"
)

// kbCmd is `chorus kb …`: the customer-service knowledge base.
func (a *app) kbCmd() *cobra.Command {
	var po support.ParseOptions
	var asJSON bool
	imp := a.command("kb", cmdSpec{Use: "import FILE...", Args: cobra.MinimumNArgs(1),
		Flags: map[string]any{"format": &po.Format, "language": &po.Language, "kind": &po.Kind, "json": &asJSON},
		Run: renderRun(a, &asJSON, func(ctx context.Context, ap *chorusapp.App, args []string) (support.ImportReports, error) {
			return ap.ImportKB(ctx, args, po)
		})})
	del := a.command("kb", cmdSpec{Use: "delete ID", Args: cobra.ExactArgs(1), Run: a.lineRun(func(ctx context.Context, ap *chorusapp.App, args []string) (string, error) {
		n, err := ap.DeleteKB(ctx, args[0])
		return fmt.Sprintf("deleted %s (%d language(s))", args[0], n), err
	})})
	return a.command("", cmdSpec{Use: "kb", Subs: []*cobra.Command{imp, a.kbListCmd(), del, a.kbSearchCmd()}})
}

func (a *app) kbListCmd() *cobra.Command {
	o := &struct {
		Language string `flag:"language"`
		JSON     bool   `flag:"json"`
	}{}
	return a.command("kb", cmdSpec{Use: "list", Args: cobra.NoArgs, Opts: o,
		Run: renderRun(a, &o.JSON, func(ctx context.Context, ap *chorusapp.App, _ []string) (support.Docs, error) {
			return ap.KBDocs(ctx, o.Language)
		})})
}

func (a *app) kbSearchCmd() *cobra.Command {
	o := &struct {
		Language string `flag:"language"`
		K        int    `flag:"k"`
		JSON     bool   `flag:"json"`
	}{K: 5}
	return a.command("kb", cmdSpec{Use: "search QUERY", Args: cobra.MinimumNArgs(1), Opts: o,
		Run: renderRun(a, &o.JSON, func(ctx context.Context, ap *chorusapp.App, args []string) (support.Passages, error) {
			return ap.SearchKB(ctx, strings.Join(args, " "), support.SearchOptions{Language: o.Language, K: o.K})
		})})
}
