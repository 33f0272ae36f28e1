package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

func (a *app) versionCmd() *cobra.Command {
	o := &struct {
		JSON bool `flag:"json"`
	}{}
	return a.command("", cmdSpec{Use: "version", Args: cobra.NoArgs, Opts: o, Run: func(cmd *cobra.Command, args []string) error {
		if o.JSON {
			return a.printJSON(versionInfo())
		}
		versionLine(a.stdout)
		return nil
	}})
}

// versionInfo is the version, the Go release, the platform and, when the
// build recorded it, the commit.
func versionInfo() map[string]string {
	v := map[string]string{"version": version, "go": runtime.Version(), "os": runtime.GOOS, "arch": runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				v["commit"] = s.Value
			}
		}
	}
	return v
}

// versionLine is what `chorus version` and `chorus --version` print.
func versionLine(w io.Writer) {
	v := versionInfo()
	fmt.Fprintf(w, "chorus %s (%s %s/%s)\n", v["version"], v["go"], v["os"], v["arch"])
}

// versionTemplate is `chorus --version`'s output, the same line as
// `chorus version` prints.
func versionTemplate() string {
	var b strings.Builder
	versionLine(&b)
	return b.String()
}
