package main

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestArgsGolden pins every command's argument rule: whether it accepts
// 0, 1, 2 and 3 arguments (checked without running the command).
func TestArgsGolden(t *testing.T) {
	var b strings.Builder
	root := newApp(strings.NewReader(""), io.Discard, io.Discard).root()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		fmt.Fprintf(&b, "%s:", c.CommandPath())
		for n := range 4 {
			ok := c.Args == nil || c.Args(c, strings.Fields(strings.Repeat("x ", n))) == nil
			fmt.Fprintf(&b, " %d=%v", n, ok)
		}
		b.WriteString("\n")
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	golden(t, "args.golden", b.String())
}
