package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/insight"
)

func (a *app) profileCmd() *cobra.Command {
	o := &struct {
		AsOf string `flag:"as-of"`
		JSON bool   `flag:"json"`
		Recs int    `flag:"recs"`
	}{Recs: 5}
	var opts insight.Options
	return a.command("", cmdSpec{Use: "profile CUSTOMER", Args: cobra.ExactArgs(1), Opts: o,
		Check: func(*cobra.Command, []string) (err error) {
			if opts, err = a.insightOptions(o.AsOf, ""); err == nil && o.Recs < 0 {
				return apperr.New(apperr.Invalid, "--recs %d: want 0 or more", o.Recs)
			}
			return err
		},
		Run: renderRun(a, &o.JSON, func(ctx context.Context, ap *chorusapp.App, args []string) (insight.Profile, error) {
			p, notes, err := ap.ExplainProfile(ctx, args[0], opts, o.Recs)
			if err != nil {
				return p, err
			}
			for _, n := range notes {
				fmt.Fprintf(a.stderr, "note: %s\n", n)
			}
			return p, nil
		})})
}
