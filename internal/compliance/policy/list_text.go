package policy

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// SuppressionLister is the store's suppression list, newest first.
type SuppressionLister interface {
	ListSuppressions(ctx context.Context, fn func(Suppression) error) error
}

// Suppressions are suppression list entries, newest first.
type Suppressions []Suppression

// ListSuppressions is the suppression list of st, only kind's entries
// when kind is set; never nil.
func ListSuppressions(ctx context.Context, st SuppressionLister, kind string) (Suppressions, error) {
	out := Suppressions{}
	err := st.ListSuppressions(ctx, func(sp Suppression) error {
		if kind == "" || sp.Kind == kind {
			out = append(out, sp)
		}
		return nil
	})
	return out, err
}

// WriteText writes one row per entry, then how many there are.
func (ss Suppressions) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KIND\tVALUE\tREASON\tSCOPE\tSINCE\tNOTE")
	for _, sp := range ss {
		scope := "all"
		if sp.MarketingOnly {
			scope = "marketing"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", sp.Kind, sp.Value, sp.Reason, scope, sp.At.Format(time.RFC3339), sp.Note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d suppressed\n", len(ss))
	return err
}

// ReadValues reads the values to suppress from the file at path, one per
// line, skipping blanks and # comments.
func ReadValues(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "--file")
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v := strings.TrimSpace(sc.Text()); v != "" && !strings.HasPrefix(v, "#") {
			out = append(out, v)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "--file %s", path)
	}
	return out, nil
}

// Skips are messages the gate skipped, as `chorus policy skips` lists them.
type Skips []Skip

// WriteText writes the skips and their counts by reason (WriteSkips).
func (ss Skips) WriteText(w io.Writer) error { return WriteSkips(w, ss) }
