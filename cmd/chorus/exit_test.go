package main

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// TestExitCodes: every error kind has its row, and an error of that kind,
// however wrapped, ends the process with it.
func TestExitCodes(t *testing.T) {
	want := map[apperr.Kind]int{
		apperr.Invalid: 64, apperr.NotFound: 64, apperr.Conflict: 64, apperr.Forbidden: 64,
		apperr.Unavailable: 69, apperr.Unauthenticated: 64, apperr.TooMany: 69, apperr.TooLarge: 64,
		apperr.Internal: 70,
	}
	if len(exitCodes) != len(apperr.Kinds()) {
		t.Errorf("exitCodes has %d rows for %d kinds", len(exitCodes), len(apperr.Kinds()))
	}
	for _, k := range apperr.Kinds() {
		t.Run(string(k), func(t *testing.T) {
			code, ok := exitCodes[k]
			if !ok {
				t.Fatalf("no exit status for kind %s", k)
			}
			if code != want[k] {
				t.Errorf("exit status %d, want %d", code, want[k])
			}
			err := apperr.New(k, "something about %s", k)
			wrapped := fmt.Errorf("outer: %w", err)
			apperr.Wrapf(&wrapped, "Store.Method(%q)", "x")
			for _, e := range []error{err, wrapped} {
				if got := status(t, e); got != want[k] {
					t.Errorf("status(%v) = %d, want %d", e, got, want[k])
				}
			}
		})
	}
	if got := status(t, fmt.Errorf("plain")); got != 70 {
		t.Errorf("an error without a kind: %d, want 70", got)
	}
	if got := status(t, fmt.Errorf("stopped: %w", context.Canceled)); got != 130 {
		t.Errorf("interrupted: %d, want 130", got)
	}
	if got := status(t, exitStatus(2)); got != 2 {
		t.Errorf("exitStatus(2): %d", got)
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

// TestExitCodeTableMatchesREADME: the README's table of exit statuses
// names each kind in the row of its status, and has a row for every status
// the CLI uses.
func TestExitCodeTableMatchesREADME(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(b), "\n### Exit status\n")
	if !ok {
		t.Fatal("README has no \"### Exit status\" section")
	}
	rows := map[int]string{}
	row := regexp.MustCompile("(?m)^\\| *([0-9, ]+?) *\\|(.*)\\|$")
	for _, m := range row.FindAllStringSubmatch(table, -1) {
		for _, f := range strings.Split(m[1], ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil {
				t.Fatalf("row %q", m[0])
			}
			rows[n] = m[2]
		}
	}
	for _, code := range []int{exitOK, 1, 2, exitUsage, exitUnavailable, exitInternal, exitInterrupted} {
		if _, ok := rows[code]; !ok {
			t.Errorf("README's exit status table has no row for %d", code)
		}
	}
	for kind, code := range exitCodes {
		for c, text := range rows {
			has := strings.Contains(text, "`"+string(kind)+"`")
			if has != (c == code) {
				t.Errorf("README row %d: mentions kind %s = %v, but the kind exits %d", c, kind, has, code)
			}
		}
	}
	if !strings.Contains(rows[exitUsage], "unknown command") {
		t.Errorf("README row 64 should say that usage errors (an unknown command or flag) exit 64: %q", rows[exitUsage])
	}
}
