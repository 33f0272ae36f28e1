package main

import (
	"context"
	"fmt"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/demo"
)

// demoLogin gives the demo database its console admin (demo.EnsureAdmin)
// and keeps the sign-in in rep; it returns the failed step's name, if
// any. A database with console users of its own gets none, with a note.
func (a *app) demoLogin(ctx context.Context, ap *chorusapp.App, rep *demo.Report) []string {
	l, err := demo.EnsureAdmin(auth.WithActor(ctx, a.actor()), ap.Auth)
	if apperr.Is(err, apperr.Conflict) {
		fmt.Fprintf(a.stderr, "demo: note: %v\n", err)
		return nil
	}
	if err != nil {
		fmt.Fprintf(a.stderr, "demo: console login: %v\n", err)
		return []string{"console login"}
	}
	rep.Console = &l
	return nil
}
