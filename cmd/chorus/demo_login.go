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

// printDemoServe tells how to open the console on the demo shop, with the
// demo admin's password (shown this once).
func (a *app) printDemoServe(rep demo.Report) {
	if rep.Console == nil {
		return
	}
	const addr = "127.0.0.1:8080"
	serve := "chorus serve --addr " + addr
	if a.dbFlag != "" {
		serve += " --db " + a.dbFlag
	}
	if a.cfg.Tracking.Secret == "" {
		serve = "CHORUS_TRACKING_SECRET=$(openssl rand -base64 32) " + serve
	}
	l := rep.Console
	fmt.Fprintf(a.stdout, "\nNext: %s\n  then open http://%s/ and sign in as %s / %s\n", serve, addr, l.Name, l.Password)
	fmt.Fprintf(a.stdout, "下一步：启动 chorus serve，打开 http://%s/ ，以 %s / %s 登录。\n", addr, l.Name, l.Password)
	fmt.Fprintln(a.stdout, "(the password is shown only now; chorus demo again sets a new one · 密码只显示这一次，再次运行 chorus demo 会重置)")
}
