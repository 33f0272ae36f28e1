package demo_test

import (
	"context"
	"net/netip"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/demo"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

func TestEnsureAdmin(t *testing.T) {
	ctx := context.Background()
	st := storetest.OpenSQLite(t)
	svc := auth.New(st, auth.Options{Argon2: auth.Argon2{Time: 1, Memory: 64, Threads: 1}})
	first, err := demo.EnsureAdmin(ctx, svc)
	if err != nil || !first.Created || first.Name != "demo" || len(first.Password) < auth.MinPassword {
		t.Fatalf("first run = %+v, %v", first, err)
	}
	sess, err := svc.Login(ctx, "demo", first.Password, netip.Addr{})
	if err != nil || sess.Principal.Role != auth.Admin {
		t.Fatalf("sign in with the printed password: %+v, %v", sess, err)
	}
	if err := svc.SetRole(ctx, "demo", auth.Analyst); err != nil {
		t.Fatal(err)
	}
	again, err := demo.EnsureAdmin(ctx, svc)
	if err != nil || again.Created || again.Password == first.Password {
		t.Fatalf("second run = %+v, %v; want the password reset", again, err)
	}
	if _, err := svc.Login(ctx, "demo", first.Password, netip.Addr{}); !apperr.Is(err, apperr.Unauthenticated) {
		t.Fatalf("the old password still works: %v", err)
	}
	if sess, err := svc.Login(ctx, "demo", again.Password, netip.Addr{}); err != nil || sess.Principal.Role != auth.Admin {
		t.Fatalf("after the reset: %+v, %v; want an admin", sess, err)
	}
	if us, _ := svc.ListUsers(ctx); len(us) != 1 {
		t.Fatalf("users after two runs: %+v", us)
	}
	// a database with real users is no demo database
	if _, err := svc.CreateUser(ctx, "ann", auth.Admin, "0123456789", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.EnsureAdmin(ctx, svc); !apperr.Is(err, apperr.Conflict) {
		t.Fatalf("with another user: %v, want Conflict", err)
	}
}
