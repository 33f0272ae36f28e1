package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
	clikit "github.com/chorusmkt/chorus/internal/cli"
	"github.com/chorusmkt/chorus/internal/segment"
)

// segmentCmd is `chorus segment …`: saved expression segments.
func (a *app) segmentCmd() *cobra.Command {
	o := &struct {
		JSON bool `flag:"json"`
	}{}
	return a.command("", cmdSpec{Use: "segment", Persistent: o, Subs: []*cobra.Command{
		a.segmentCreateCmd(&o.JSON),
		a.segmentListCmd(&o.JSON),
		a.segmentShowCmd(&o.JSON),
		a.segmentCountCmd(&o.JSON),
		a.segmentExportCmd(&o.JSON),
		a.segmentExportsCmd(&o.JSON),
		a.segmentRefreshCmd(&o.JSON),
		a.segmentDeleteCmd(&o.JSON),
		a.segmentFieldsCmd(&o.JSON),
	}})
}

// warnSource prints what the record source could not compute.
func (a *app) warnSource(src *segment.InsightSource) {
	for _, w := range src.Warnings() {
		fmt.Fprintln(a.stderr, "warning:", w)
	}
}

// renderPreview renders out, a result with the preview p of an
// expression: a compile error as compileFailure does, else the warnings
// of the record source and of p on stderr, then out.
func (a *app) renderPreview(asJSON bool, ap *chorusapp.App, out textWriter, p segment.Preview, err error) error {
	if err != nil {
		return a.compileFailure(asJSON, err)
	}
	a.warnSource(ap.Records)
	p.WriteWarnings(a.stderr)
	return a.render(asJSON, out)
}

// compileFailure prints a compile error as JSON on stdout when asked, so
// that scripts get the position and known fields, and returns err for the
// exit status and the message on stderr.
func (a *app) compileFailure(asJSON bool, err error) error {
	var ce *segment.CompileError
	if asJSON && errors.As(err, &ce) {
		_ = a.printJSON(map[string]any{"error": string(apperr.KindOf(err)), "compile_error": ce})
	}
	return err
}

func (a *app) segmentCreateCmd(asJSON *bool) *cobra.Command {
	o := &struct {
		segment.SaveRequest
		Expr string `flag:"expr"`
	}{SaveRequest: segment.SaveRequest{Sample: 10}}
	var r segment.SaveRequest
	return a.command("segment", cmdSpec{Use: "create NAME --expr EXPRESSION", Args: cobra.ExactArgs(1), Opts: o,
		Check: func(cmd *cobra.Command, args []string) (err error) {
			if r = o.SaveRequest; !cmd.Flags().Changed("expr") {
				return apperr.New(apperr.Invalid, "segment create %s: --expr is required, e.g. --expr 'rfm.segment == \"champions\" && consent.email'", args[0])
			}
			if r.Name, err = args[0], segment.ValidateName(args[0]); err == nil {
				r.Expression, err = segment.ReadExpression(o.Expr)
			}
			return err
		},
		Run: a.appRun(func(ctx context.Context, ap *chorusapp.App, _ []string) error {
			out, err := ap.Segments.Save(ctx, r)
			return a.renderPreview(*asJSON, ap, out, out.Preview, err)
		})})
}

func (a *app) segmentListCmd(asJSON *bool) *cobra.Command {
	return a.command("segment", cmdSpec{Use: "list", Args: cobra.NoArgs, Run: renderRun(a, asJSON, func(ctx context.Context, ap *chorusapp.App, _ []string) (segment.List, error) {
		segs, err := ap.Store.ListSegments(ctx)
		return segment.List(orEmpty(segs)), err
	})})
}

func (a *app) segmentShowCmd(asJSON *bool) *cobra.Command {
	o := &struct {
		Members int `flag:"members"`
	}{Members: 10}
	return a.command("segment", cmdSpec{Use: "show NAME", Args: cobra.ExactArgs(1), Opts: o, Run: renderRun(a, asJSON, func(ctx context.Context, ap *chorusapp.App, args []string) (segment.Detail, error) {
		return ap.Segments.Detail(ctx, args[0], o.Members)
	})})
}

func (a *app) segmentCountCmd(asJSON *bool) *cobra.Command {
	o := &struct {
		Expr string `flag:"expr"`
	}{}
	var expression string
	return a.command("segment", cmdSpec{Use: "count NAME | --expr EXPRESSION", Args: cobra.MaximumNArgs(1), Opts: o,
		Check: func(cmd *cobra.Command, args []string) (err error) {
			if (len(args) == 1) == cmd.Flags().Changed("expr") {
				return apperr.New(apperr.Invalid, "segment count: give either a segment NAME or --expr EXPRESSION")
			}
			expression, err = segment.ReadExpression(o.Expr)
			return err
		},
		Run: a.appRun(func(ctx context.Context, ap *chorusapp.App, args []string) error {
			out, err := ap.Segments.CountFor(ctx, strings.Join(args, ""), expression)
			return a.renderPreview(*asJSON, ap, out, out.Preview, err)
		})})
}

func (a *app) segmentExportCmd(asJSON *bool) *cobra.Command {
	o := &struct {
		segment.ExportOptions
		Out string `flag:"out"`
	}{ExportOptions: segment.ExportOptions{Format: "csv"}}
	return a.command("segment", cmdSpec{Use: "export NAME", Args: cobra.ExactArgs(1), Opts: o,
		Check: func(*cobra.Command, []string) error {
			if err := o.Check(); err != nil || o.Out != "" || !*asJSON {
				return err
			}
			return apperr.New(apperr.Invalid, "segment export: --json prints a summary and needs --out FILE for the members")
		},
		Run: a.appRun(func(ctx context.Context, ap *chorusapp.App, args []string) error {
			opts := o.ExportOptions
			opts.Actor = cmp.Or(opts.Actor, clikit.LoginName())
			return a.runExport(ctx, ap, args[0], o.Out, opts, *asJSON)
		})})
}

func (a *app) segmentExportsCmd(asJSON *bool) *cobra.Command {
	o := &struct {
		Limit int `flag:"limit"`
	}{Limit: 50}
	return a.command("segment", cmdSpec{Use: "exports", Args: cobra.NoArgs, Opts: o, Run: renderRun(a, asJSON, func(ctx context.Context, ap *chorusapp.App, _ []string) (segment.Exports, error) {
		log, err := ap.Store.ContactExports(ctx, o.Limit)
		return segment.Exports(log), err
	})})
}

func (a *app) segmentRefreshCmd(asJSON *bool) *cobra.Command {
	o := &struct {
		Customers []string `flag:"customers"`
	}{}
	return a.command("segment", cmdSpec{Use: "refresh [NAME]", Args: cobra.MaximumNArgs(1), Opts: o,
		Check: func(_ *cobra.Command, args []string) error {
			return segment.CheckRefresh(strings.Join(args, ""), o.Customers)
		},
		Run: a.appRun(func(ctx context.Context, ap *chorusapp.App, args []string) error {
			out, err := ap.Segments.RefreshFor(ctx, strings.Join(args, ""), o.Customers)
			if err != nil {
				return err
			}
			a.warnSource(ap.Records)
			return a.render(*asJSON, out)
		})})
}

func (a *app) segmentDeleteCmd(asJSON *bool) *cobra.Command {
	return a.command("segment", cmdSpec{Use: "delete NAME", Args: cobra.ExactArgs(1), Run: renderRun(a, asJSON, func(ctx context.Context, ap *chorusapp.App, args []string) (segment.Deleted, error) {
		return segment.Deleted{Name: args[0]}, ap.Store.DeleteSegment(ctx, args[0])
	})})
}

func (a *app) segmentFieldsCmd(asJSON *bool) *cobra.Command {
	return a.command("segment", cmdSpec{Use: "fields", Args: cobra.NoArgs, Run: func(*cobra.Command, []string) error {
		return a.render(*asJSON, segment.FieldList(segment.Fields()))
	}})
}

// runExport writes segment name's members to outPath (stdout when "") with
// opts; a contact export is recorded in the audit log even when the export
// then failed (contacts may have left).
func (a *app) runExport(ctx context.Context, ap *chorusapp.App, name, outPath string, opts segment.ExportOptions, asJSON bool) (err error) {
	ex, err := ap.ExportSegment(ctx, name, a.stdout, outPath, opts)
	defer func() {
		if e := ex.ContactExport; e != nil {
			err = errors.Join(err, ap.AuditExport(auth.WithActor(ctx, a.actor()), *e))
			if !asJSON {
				fmt.Fprintf(a.stderr, "contact export logged (#%d by %s): %d rows, %d members held back by consent or suppression\n",
					e.ID, e.Actor, e.Rows, e.Withheld)
			}
		}
	}()
	if err != nil {
		return a.compileFailure(asJSON, err)
	}
	a.warnSource(ap.Records) // stderr: stdout may hold the members
	switch {
	case outPath == "":
		return nil
	case asJSON:
		return a.printJSON(ex)
	}
	fmt.Fprintf(a.stderr, "wrote %d members of %s to %s\n", ex.Members, name, outPath)
	return nil
}
