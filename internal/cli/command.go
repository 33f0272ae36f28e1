package cli

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Spec declares one command: its name and argument syntax (Use), its
// argument rule, its options and what it runs. Help comes from Help by
// the command's path.
type Spec struct {
	Use  string
	Args cobra.PositionalArgs
	// Opts, when set, points to a struct whose fields tagged `flag:"NAME"`
	// become the command's flags, their current values the defaults.
	Opts any
	// Persistent, like Opts, are flags the subcommands inherit.
	Persistent any
	// Flags binds flags to variables another package declares (a
	// benchmark's Options): name (or "NAME,hidden") → pointer, its current
	// value the default.
	Flags map[string]any
	// Usage replaces the help file's usage of the flags it names with a
	// text built from a domain package's list (formats, states, ranges), so
	// that the list has one source; the help file says the same, which
	// the help tests compare. A name that is no flag is a programming
	// error: it panics. Long likewise replaces the long text.
	Usage map[string]string
	Long  string
	// Check, when set, runs before Run and Run only when it passes: a
	// command checks its flags and arguments before it opens anything.
	Check func(cmd *cobra.Command, args []string) error
	Run   func(cmd *cobra.Command, args []string) error
	Subs  []*cobra.Command
}

// Command builds the cobra command of s under parent path (words after
// the program's name, "" for a top-level command), its help from h.
func (h Help) Command(parent string, s Spec) *cobra.Command {
	name, _, _ := strings.Cut(s.Use, " ")
	path := strings.TrimSpace(parent + " " + name)
	e := h.Entry(path)
	cmd := &cobra.Command{Use: s.Use, Short: e.Short, Long: e.Long, Example: e.Example, Args: s.Args, RunE: s.Run}
	if check, run := s.Check, s.Run; check != nil {
		cmd.RunE = func(cmd *cobra.Command, args []string) error {
			if err := check(cmd, args); err != nil {
				return err
			}
			return run(cmd, args)
		}
	}
	if s.Opts != nil {
		BindFlags(cmd.Flags(), s.Opts, e)
	}
	if s.Persistent != nil {
		BindFlags(cmd.PersistentFlags(), s.Persistent, e)
	}
	for tag, p := range s.Flags {
		BindFlag(cmd.Flags(), tag, p, e)
	}
	for name, usage := range s.Usage {
		cmd.Flags().Lookup(name).Usage = usage
	}
	if s.Long != "" {
		cmd.Long = s.Long
	}
	cmd.AddCommand(s.Subs...)
	return cmd
}

// BindFlags declares a flag for every field of *opts tagged `flag:"NAME"`
// (see BindFlag), and of every struct it embeds untagged (a domain
// package's options next to the command's own, such as --json).
func BindFlags(f *pflag.FlagSet, opts any, e *Entry) {
	v := reflect.ValueOf(opts).Elem()
	for i := range v.NumField() {
		field := v.Type().Field(i)
		tag, ok := field.Tag.Lookup("flag")
		switch {
		case ok:
			BindFlag(f, tag, v.Field(i).Addr().Interface(), e)
		case field.Anonymous && field.Type.Kind() == reflect.Struct:
			BindFlags(f, v.Field(i).Addr().Interface(), e)
		}
	}
}

// BindFlag declares the flag tag names ("NAME", "NAME,hidden",
// "NAME,required", or for a []string "NAME,array": repeatable, commas
// kept) over the variable *p, with *p as its default and its usage from e;
// p may also be a flag value of its own (Optional). A variable of a type
// without a flag is a programming error: it panics.
func BindFlag(f *pflag.FlagSet, tag string, p any, e *Entry) {
	name, mode, _ := strings.Cut(tag, ",")
	usage := e.Flags[name]
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
	case pflag.Value:
		f.Var(p, name, usage)
		if p.Type() == "bool" { // --name alone is --name=true, as for BoolVar
			f.Lookup(name).NoOptDefVal = "true"
		}
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
