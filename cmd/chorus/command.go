package main

import (
	"embed"
	"io"

	"github.com/spf13/cobra"

	clikit "github.com/chorusmkt/chorus/internal/cli"
)

// helpFiles holds every command's short, long and example text and its
// flags' usages, keyed by command path (help/README.md gives the format):
// the Go code declares what a command does, the text what it says.
//
//go:embed help/*.txt
var helpFiles embed.FS

// loadHelp parses the embedded help files. They are part of the binary,
// so a malformed one is a programming error that TestHelpComplete finds.
func loadHelp() clikit.Help {
	h, err := clikit.LoadHelp(helpFiles, "help/*.txt")
	if err != nil {
		panic(err)
	}
	return h
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
// "chorus", "" for a top-level command), its help from the help files.
func (a *app) command(parent string, s cmdSpec) *cobra.Command {
	return a.help.Command(parent, clikit.Spec{Use: s.use, Args: s.args, Opts: s.opts, Persistent: s.persistent,
		Flags: s.flags, Run: s.run, Subs: s.subs})
}

// renderFunc prints v as JSON with asJSON, else writes it for a person
// with text: the tail of a command whose report is not a textWriter.
func (a *app) renderFunc(asJSON bool, v any, text func(io.Writer) error) error {
	if asJSON {
		return a.printJSON(v)
	}
	return text(a.stdout)
}
