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

// TestHelpComplete checks the help files against the tree: every command
// has an entry with a short text, every flag a usage, and nothing in the
// files is left over from a command or flag that is gone.
func TestHelpComplete(t *testing.T) {
	a := newApp(strings.NewReader(""), io.Discard, io.Discard)
	root := a.root()
	seen := map[string]bool{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		path := strings.Join(strings.Fields(c.CommandPath())[1:], " ")
		seen[path] = true
		e, ok := a.help[path]
		switch {
		case !ok:
			t.Errorf("%s: no entry ## %s in help/*.txt", c.CommandPath(), c.CommandPath())
		case e.Short == "":
			t.Errorf("%s: no short: text", c.CommandPath())
		case e.Short != c.Short || e.Long != c.Long || e.Example != c.Example:
			t.Errorf("%s: the command's help is not the help file's", c.CommandPath())
		}
		flags := map[string]bool{}
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			flags[f.Name] = true
			if ok && (f.Usage == "" || e.Flags[f.Name] != f.Usage) {
				t.Errorf("%s --%s: usage %q, the help file has %q", c.CommandPath(), f.Name, f.Usage, e.Flags[f.Name])
			}
		})
		if ok {
			for name := range e.Flags {
				if !flags[name] {
					t.Errorf("%s: the help file has a usage of --%s, which the command does not have", c.CommandPath(), name)
				}
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	for path := range a.help {
		if !seen[path] {
			t.Errorf("help file entry ## chorus %s has no command", path)
		}
	}
}
