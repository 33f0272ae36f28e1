package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// TestHelpGolden pins, for every command of the tree, what `--help` prints
// and what it does not show: aliases, hidden state, and every flag (hidden
// ones included) with its type, default, usage and annotations. Moving
// help text or flag declarations around must leave it byte-identical.
func TestHelpGolden(t *testing.T) {
	var b strings.Builder
	root := newApp(strings.NewReader(""), io.Discard, io.Discard).root()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		describe(t, &b, c)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	golden(t, "help.golden", b.String())
}

// describe writes c's `--help` output and what the help leaves out.
func describe(t *testing.T, w io.Writer, c *cobra.Command) {
	t.Helper()
	path := strings.Fields(c.CommandPath())[1:]
	fmt.Fprintf(w, "==== %s\n", c.CommandPath())
	fmt.Fprintf(w, "use: %q aliases: %q hidden: %v runnable: %v\n", c.Use, c.Aliases, c.Hidden, c.Runnable())
	var flags []string
	c.LocalFlags().VisitAll(func(f *pflag.Flag) {
		var ann []string
		for k, v := range f.Annotations {
			ann = append(ann, k+"="+strings.Join(v, ","))
		}
		sort.Strings(ann)
		flags = append(flags, fmt.Sprintf("flag --%s -%s %s default=%q hidden=%v ann=%q usage=%q",
			f.Name, f.Shorthand, f.Value.Type(), f.DefValue, f.Hidden, ann, f.Usage))
	})
	sort.Strings(flags)
	for _, f := range flags {
		fmt.Fprintln(w, f)
	}
	var out, errOut bytes.Buffer
	root := newApp(strings.NewReader(""), &out, &errOut).root()
	root.SetArgs(append(path, "--help"))
	if err := root.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("%s --help: %v\n%s", c.CommandPath(), err, errOut.String())
	}
	fmt.Fprintf(w, "---- help\n%s", out.String())
}
