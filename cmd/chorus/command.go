package main

import (
	"bufio"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"reflect"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// helpFiles holds every command's short, long and example text and its
// flags' usages, keyed by command path (help/README.md gives the format):
// the Go code declares what a command does, the text what it says.
//
//go:embed help/*.txt
var helpFiles embed.FS

// helpEntry is what one command says about itself.
type helpEntry struct {
	short, long, example string
	flags                map[string]string // flag name → usage
}

// helpText is every command's help, by path without "chorus"
// ("segment create"; "" for the root).
type helpText map[string]*helpEntry

// loadHelp parses the embedded help files. They are part of the binary,
// so a malformed one is a programming error that TestHelpComplete finds.
func loadHelp() helpText {
	h := helpText{}
	files, err := fs.Glob(helpFiles, "help/*.txt")
	if err != nil {
		panic(err)
	}
	for _, name := range files {
		b, err := helpFiles.ReadFile(name)
		if err != nil {
			panic(err)
		}
		if err := h.parse(string(b)); err != nil {
			panic(fmt.Sprintf("%s: %v", name, err))
		}
	}
	return h
}

// parse reads entries: a line "## chorus PATH" starts one; "short: …" and
// "flag NAME: …" are one line each; "long:" and "example:" take the
// following lines indented by two spaces (an empty line is kept as one).
func (h helpText) parse(text string) error {
	var e *helpEntry
	var block *string
	var lines []string
	flush := func() {
		if block != nil {
			for len(lines) > 0 && lines[len(lines)-1] == "" {
				lines = lines[:len(lines)-1]
			}
			*block = strings.Join(lines, "\n")
		}
		block, lines = nil, nil
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if block != nil && (line == "" || strings.HasPrefix(line, "  ")) {
			lines = append(lines, strings.TrimPrefix(line, "  "))
			continue
		}
		flush()
		key, val, _ := strings.Cut(line, ":")
		switch {
		case line == "" || strings.HasPrefix(line, "#!"):
		case strings.HasPrefix(line, "## "):
			path := strings.TrimSpace(strings.TrimPrefix(line[3:]+" ", "chorus "))
			if h[path] != nil {
				return fmt.Errorf("line %d: %q twice", n, path)
			}
			e = &helpEntry{flags: map[string]string{}}
			h[path] = e
		case e == nil:
			return fmt.Errorf("line %d: text before the first ## PATH", n)
		case key == "short":
			e.short = strings.TrimPrefix(val, " ")
		case key == "long" && val == "":
			block = &e.long
		case key == "example" && val == "":
			block = &e.example
		case strings.HasPrefix(key, "flag "):
			e.flags[strings.TrimPrefix(key, "flag ")] = strings.TrimPrefix(val, " ")
		default:
			return fmt.Errorf("line %d: %q is none of short:, long:, example:, flag NAME:", n, line)
		}
	}
	flush()
	return sc.Err()
}

// entry is the help of path; a command without one gets an empty entry,
// which TestHelpComplete reports.
func (h helpText) entry(path string) *helpEntry {
	if e := h[path]; e != nil {
		return e
	}
	return &helpEntry{flags: map[string]string{}}
}

// cmdSpec declares one command: its name and argument syntax (Use), its
// argument rule, its options and what it runs. Help comes from the help
// files by the command's path.
type cmdSpec struct {
	use  string
	args cobra.PositionalArgs
	// opts, when set, points to a struct whose fields tagged `flag:"NAME"`
	// become the command's flags, their current values the defaults.
	opts any
	// persistent, like opts, are flags the subcommands inherit.
	persistent any
	// flags binds flags to variables another package declares (a
	// benchmark's Options): name (or "NAME,hidden") → pointer, its current
	// value the default.
	flags map[string]any
	run   func(cmd *cobra.Command, args []string) error
	subs  []*cobra.Command
}

// command builds the cobra command of s under parent path (words after
// "chorus", "" for a top-level command).
func (a *app) command(parent string, s cmdSpec) *cobra.Command {
	name, _, _ := strings.Cut(s.use, " ")
	path := strings.TrimSpace(parent + " " + name)
	e := a.help.entry(path)
	cmd := &cobra.Command{Use: s.use, Short: e.short, Long: e.long, Example: e.example, Args: s.args, RunE: s.run}
	if s.opts != nil {
		bindFlags(cmd.Flags(), s.opts, e)
	}
	if s.persistent != nil {
		bindFlags(cmd.PersistentFlags(), s.persistent, e)
	}
	for tag, p := range s.flags {
		bindFlag(cmd.Flags(), tag, p, e)
	}
	cmd.AddCommand(s.subs...)
	return cmd
}

// bindFlags declares a flag for every field of *opts tagged `flag:"NAME"`
// (see bindFlag).
func bindFlags(f *pflag.FlagSet, opts any, e *helpEntry) {
	v := reflect.ValueOf(opts).Elem()
	for i := range v.NumField() {
		if tag, ok := v.Type().Field(i).Tag.Lookup("flag"); ok {
			bindFlag(f, tag, v.Field(i).Addr().Interface(), e)
		}
	}
}

// bindFlag declares the flag tag names ("NAME", "NAME,hidden",
// "NAME,required", or for a []string "NAME,array": repeatable, commas
// kept) over the variable *p, with *p as its default and its usage from e.
func bindFlag(f *pflag.FlagSet, tag string, p any, e *helpEntry) {
	name, mode, _ := strings.Cut(tag, ",")
	usage := e.flags[name]
	switch p := p.(type) {
	case *string:
		f.StringVar(p, name, *p, usage)
	case *bool:
		f.BoolVar(p, name, *p, usage)
	case *int:
		f.IntVar(p, name, *p, usage)
	case *int64:
		f.Int64Var(p, name, *p, usage)
	case *uint64:
		f.Uint64Var(p, name, *p, usage)
	case *float64:
		f.Float64Var(p, name, *p, usage)
	case *time.Duration:
		f.DurationVar(p, name, *p, usage)
	case *[]string:
		if mode == "array" { // repeatable, commas kept
			f.StringArrayVar(p, name, *p, usage)
		} else {
			f.StringSliceVar(p, name, *p, usage)
		}
	case *[]float64:
		f.Float64SliceVar(p, name, *p, usage)
	default:
		panic(fmt.Sprintf("flag %s: no flag for a variable of type %T", name, p))
	}
	switch mode {
	case "hidden":
		_ = f.MarkHidden(name)
	case "required":
		_ = cobra.MarkFlagRequired(f, name)
	}
}

// renderFunc prints v as JSON with asJSON, else writes it for a person
// with text: the tail of a command whose report is not a textWriter.
func (a *app) renderFunc(asJSON bool, v any, text func(io.Writer) error) error {
	if asJSON {
		return a.printJSON(v)
	}
	return text(a.stdout)
}
