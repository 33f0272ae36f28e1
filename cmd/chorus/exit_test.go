package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
	clikit "github.com/chorusmkt/chorus/internal/cli"
)

// TestExitCodes: an error of each kind ends the process with its status
// (clikit's table), however wrapped; a verdict prints nothing more.
func TestExitCodes(t *testing.T) {
	for _, k := range apperr.Kinds() {
		wrapped := fmt.Errorf("outer: %w", apperr.New(k, "something about %s", k))
		var stderr bytes.Buffer
		if got := exitCode(wrapped, newApp(nil, &bytes.Buffer{}, &stderr)); got != int(clikit.KindCode(k)) || !strings.Contains(stderr.String(), "something about") {
			t.Errorf("%s: exit status %d, want %d; stderr %q", k, got, clikit.KindCode(k), stderr.String())
		}
	}
	var stderr bytes.Buffer
	if got := exitCode(exitStatus(2), newApp(nil, &bytes.Buffer{}, &stderr)); got != 2 || stderr.Len() != 0 {
		t.Errorf("exitStatus(2): %d, stderr %q", got, stderr.String())
	}
}

// TestUsageErrors: every kind of command-line mistake exits 64 with a
// message and without printing help on stdout.
func TestUsageErrors(t *testing.T) {
	db := t.TempDir() + "/chorus.db"
	for _, tt := range []struct {
		name string
		args []string
		want string // in the message
	}{
		{"unknown command", []string{"bogus"}, `unknown command "bogus" for "chorus"`},
		{"unknown command, suggestion", []string{"segmnt"}, "segment"},
		{"unknown subcommand", []string{"segment", "bogus"}, `unknown command "bogus" for "chorus segment"`},
		{"unknown subcommand of a nested group", []string{"content", "voice", "list"}, `unknown command "list" for "chorus content voice"`},
		{"unknown flag", []string{"rfm", "--bogus"}, "unknown flag: --bogus"},
		{"unknown shorthand", []string{"rfm", "-x"}, "unknown shorthand flag: 'x'"},
		{"bad flag value", []string{"demo", "--customers", "many"}, `invalid argument "many"`},
		{"missing required flag", []string{"recommend", "eval"}, `required flag(s) "cutoff" not set`},
		{"missing required flags", []string{"content", "review", "edit", "ci_1"}, `required flag(s) "field", "value" not set`},
		{"missing argument", []string{"profile"}, "accepts 1 arg(s), received 0"},
		{"extra argument", []string{"segment", "show", "a", "b"}, "accepts 1 arg(s), received 2"},
		{"argument to a command that takes none", []string{"rfm", "extra"}, `unknown command "extra" for "chorus rfm"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := run(t, db, tt.args...)
			if got := status(t, err); got != 64 {
				t.Errorf("exit status %d (%v), want 64", got, err)
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("message %q lacks %q", err, tt.want)
			}
			if out != "" {
				t.Errorf("printed on stdout:\n%s", out)
			}
		})
	}
}

func TestGroupWithoutSubcommandPrintsHelp(t *testing.T) {
	out, _, err := run(t, t.TempDir()+"/chorus.db", "segment")
	if err != nil || !strings.Contains(out, "Available Commands") {
		t.Errorf("chorus segment: %v\n%s", err, out)
	}
}

func TestVersionFlag(t *testing.T) {
	out, _, err := run(t, t.TempDir()+"/chorus.db", "--version")
	if err != nil || !strings.HasPrefix(out, "chorus "+version+" (go") {
		t.Fatalf("--version: %v %q", err, out)
	}
	cmd, _, err := run(t, t.TempDir()+"/chorus.db", "version")
	if err != nil || cmd != out {
		t.Errorf("version prints %q, --version %q", cmd, out)
	}
}

// TestExitCodesByCommand runs commands that fail with each kind a command
// line can reach and checks the status the process would end with.
func TestExitCodesByCommand(t *testing.T) {
	db := t.TempDir() + "/chorus.db"
	if _, _, err := run(t, db, "segment", "create", "all", "--expr", "true"); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		args []string
		kind apperr.Kind
		code int
	}{
		{"invalid", []string{"demo", "--end", "tomorrow"}, apperr.Invalid, 64},
		{"not found", []string{"segment", "show", "nope"}, apperr.NotFound, 64},
		{"conflict", []string{"segment", "create", "all", "--expr", "true"}, apperr.Conflict, 64},
		{"unavailable", []string{"--db", "postgres://nobody@127.0.0.1:1/x?sslmode=disable&connect_timeout=2", "migrate"}, apperr.Unavailable, 69},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := run(t, db, tt.args...)
			if k := apperr.KindOf(err); k != tt.kind {
				t.Errorf("kind %s (%v), want %s", k, err, tt.kind)
			}
			if got := status(t, err); got != tt.code {
				t.Errorf("exit status %d, want %d", got, tt.code)
			}
		})
	}
}
