package auth

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// The text forms of the access lists, as `chorus token|user|audit` print
// them (times in UTC).

// Tokens are API tokens as listed.
type Tokens []Token

// Users are console users as listed.
type Users []User

// Entries are audit log lines, newest first.
type Entries []Entry

// Issued is a token just created: its secret, shown this once, and what
// it is.
type Issued struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Scope  Scope  `json:"scope"`
	Secret string `json:"token"`
}

// when is t for a table, or none when t is zero.
func when(t time.Time, none string) string {
	if t.IsZero() {
		return none
	}
	return t.UTC().Format("2006-01-02 15:04")
}

// WriteText writes one row per token, never its secret.
func (ts Tokens) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSCOPE\tCREATED (UTC)\tLAST USED (UTC)\tREVOKED (UTC)")
	for _, t := range ts {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Scope, when(t.CreatedAt, ""), when(t.LastUsed, "never"), when(t.RevokedAt, "-"))
	}
	return tw.Flush()
}

// WriteText writes one row per user.
func (us Users) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tLANG\tCREATED (UTC)\tSTATE")
	for _, u := range us {
		state := "active"
		if u.Disabled {
			state = "disabled"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Name, u.Role, u.Lang, when(u.CreatedAt, ""), state)
	}
	return tw.Flush()
}

// WriteText writes one row per entry.
func (es Entries) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tWHEN (UTC)\tWHO\tACTION\tTARGET\tDETAIL")
	for _, e := range es {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", e.ID, when(e.At, ""), e.Actor, e.Action, e.Target, e.Detail)
	}
	return tw.Flush()
}
