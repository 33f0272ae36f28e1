package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/importer"
	"github.com/chorusmkt/chorus/internal/progress"
)

func (a *app) importCmd() *cobra.Command {
	var g importer.Args
	var rejects string
	var asJSON bool
	var opts importer.Options
	var ask chorusapp.Prompt
	var rep progress.Reporter
	flags := map[string]any{"format": &g.Format, "map,array": &g.Map, "rejects": &rejects, "tz": &g.TZ, "encoding": &g.Encoding,
		"delimiter": &g.Delimiter, "no-header": &g.NoHeader, "set,array": &g.Set, "day-first": &g.DayFirst, "month-first": &g.MonthFirst,
		"date-format": &g.DateFormat, "json": &asJSON}
	return a.command("", cmdSpec{Use: "import customers|products|events FILE", Args: cobra.ExactArgs(2), Flags: flags,
		// the lists of formats and encodings are the importer's; the help
		// file says the same (TestHelpComplete compares them)
		Usage: map[string]string{
			"format":   "input format: " + strings.Join(importer.Formats(), ", ") + " (default: by extension)",
			"encoding": "input character set: " + strings.Join(importer.EncodingNames(), ", ") + " (default utf-8)",
		},
		Check: func(_ *cobra.Command, args []string) (err error) {
			if opts, err = g.Options(args[0], args[1]); err != nil {
				return err
			}
			if ask, rep = a.prompt(), a.progress("import "+opts.Entity, fileSize(opts.Path), "bytes"); asJSON {
				ask, rep = nil, progress.Nop{}
			}
			opts.Progress = rep
			return nil
		},
		Run: a.appRun(func(ctx context.Context, ap *chorusapp.App, _ []string) error {
			res, err := ap.ImportFile(ctx, opts, rejects)
			rep.Done()
			if err != nil {
				return err
			}
			if err := a.render(asJSON, res.Summary); err != nil {
				return err
			}
			return ap.ReportImport(ctx, res, a.stderr, ask)
		})})
}

// fileSize is the size of the file at path, -1 when it cannot be read.
func fileSize(path string) int64 {
	if st, err := os.Stat(path); err == nil {
		return st.Size()
	}
	return -1
}

// prompt asks on stderr and reads a line from stdin when stdin is a
// terminal; elsewhere nobody answers.
func (a *app) prompt() chorusapp.Prompt {
	return func(q string) (string, bool) {
		f, ok := a.stdin.(*os.File)
		if !ok || !term.IsTerminal(int(f.Fd())) {
			return "", false
		}
		fmt.Fprint(a.stderr, q)
		line, _ := bufio.NewReader(f).ReadString('\n')
		return strings.TrimSpace(line), true
	}
}
