package main

import (
	"embed"

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

// cmdSpec is the command table's entry (see clikit.Spec).
type cmdSpec = clikit.Spec

// command builds the cobra command of s under parent path (words after
// "chorus", "" for a top-level command), its help from the help files.
func (a *app) command(parent string, s cmdSpec) *cobra.Command {
	return a.help.Command(parent, s)
}
