package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// TestExitStatus: every error kind has its row, and an error of that
// kind, however wrapped, ends the process with it.
func TestExitStatus(t *testing.T) {
	want := map[apperr.Kind]Code{
		apperr.Invalid: 64, apperr.NotFound: 64, apperr.Conflict: 64, apperr.Forbidden: 64,
		apperr.Unavailable: 69, apperr.Unauthenticated: 64, apperr.TooMany: 69, apperr.TooLarge: 64,
		apperr.Internal: 70,
	}
	if len(codes) != len(apperr.Kinds()) {
		t.Errorf("codes has %d rows for %d kinds", len(codes), len(apperr.Kinds()))
	}
	for _, k := range apperr.Kinds() {
		t.Run(string(k), func(t *testing.T) {
			if code, ok := codes[k]; !ok || code != want[k] || KindCode(k) != want[k] {
				t.Fatalf("kind %s: exit status %d (row %v), want %d", k, code, ok, want[k])
			}
			err := apperr.New(k, "something about %s", k)
			wrapped := fmt.Errorf("outer: %w", err)
			apperr.Wrapf(&wrapped, "Store.Method(%q)", "x")
			for _, e := range []error{err, wrapped} {
				if got := ExitStatus(e); got != want[k] {
					t.Errorf("ExitStatus(%v) = %d, want %d", e, got, want[k])
				}
			}
		})
	}
	for _, tt := range []struct {
		name string
		err  error
		want Code
	}{
		{"nil", nil, OK},
		{"an error without a kind", errors.New("plain"), Internal},
		{"interrupted", fmt.Errorf("stopped: %w", context.Canceled), Interrupted},
		{"a cancellation with a kind", apperr.Wrap(context.Canceled, apperr.Unavailable, "model"), Unavailable},
		{"a verdict", Code(2), 2},
		{"a wrapped verdict", fmt.Errorf("check: %w", Code(1)), 1},
	} {
		if got := ExitStatus(tt.err); got != tt.want {
			t.Errorf("%s: ExitStatus(%v) = %d, want %d", tt.name, tt.err, got, tt.want)
		}
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
	rows := map[Code]string{}
	row := regexp.MustCompile("(?m)^\\| *([0-9, ]+?) *\\|(.*)\\|$")
	for _, m := range row.FindAllStringSubmatch(table, -1) {
		for _, f := range strings.Split(m[1], ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil {
				t.Fatalf("row %q", m[0])
			}
			rows[Code(n)] = m[2]
		}
	}
	for _, code := range []Code{OK, 1, 2, Usage, Unavailable, Internal, Interrupted} {
		if _, ok := rows[code]; !ok {
			t.Errorf("README's exit status table has no row for %d", code)
		}
	}
	for kind, code := range codes {
		for c, text := range rows {
			has := strings.Contains(text, "`"+string(kind)+"`")
			if has != (c == code) {
				t.Errorf("README row %d: mentions kind %s = %v, but the kind exits %d", c, kind, has, code)
			}
		}
	}
	if !strings.Contains(rows[Usage], "unknown command") {
		t.Errorf("README row 64 should say that usage errors (an unknown command or flag) exit 64: %q", rows[Usage])
	}
}
