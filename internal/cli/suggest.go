package cli

import (
	"strings"

	"github.com/spf13/cobra"
)

// Suggest is the command line to suggest for the command at path under
// root: line when every --flag in it is one the command accepts (so a
// suggestion never outlives a renamed flag), else the command's first
// example, else its --help. ok is false when root has no such command
// (an area not in this build).
func Suggest(root *cobra.Command, path []string, line string) (out string, ok bool) {
	c, rest, err := root.Find(path)
	if err != nil || len(rest) > 0 || c == root || len(path) == 0 || c.Name() != path[len(path)-1] {
		return "", false
	}
	if line == "" || !FlagsExist(root, c, line) {
		line = FirstExample(c)
	}
	return line, true
}

// FlagsExist reports whether every --flag in line is one c (or root)
// accepts.
func FlagsExist(root, c *cobra.Command, line string) bool {
	for _, f := range strings.Fields(line) {
		name, ok := strings.CutPrefix(f, "--")
		if !ok {
			continue
		}
		name, _, _ = strings.Cut(name, "=")
		if c.Flags().Lookup(name) == nil && c.InheritedFlags().Lookup(name) == nil && root.PersistentFlags().Lookup(name) == nil {
			return false
		}
	}
	return true
}

// FirstExample is the first line of c's Example that runs the program,
// or c's --help.
func FirstExample(c *cobra.Command) string {
	prog := c.Root().Name() + " "
	for _, l := range strings.Split(c.Example, "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, prog) {
			return l
		}
	}
	return c.CommandPath() + " --help"
}
