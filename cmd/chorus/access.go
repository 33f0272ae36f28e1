package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
	clikit "github.com/chorusmkt/chorus/internal/cli"
	"github.com/chorusmkt/chorus/internal/store"
)

// Access: API tokens, console users and the audit log (issue 15).

// actor is who runs the command, for the audit log: "cli:" + the login name.
func (a *app) actor() string { return "cli:" + clikit.LoginName() }

// authRun is the Run of an access command that makes one change (see
// lineRun): fn gets the access service over the configured store, acting
// as the command's user.
func (a *app) authRun(fn func(context.Context, *auth.Service, []string) (string, error)) func(*cobra.Command, []string) error {
	return a.lineRun(func(ctx context.Context, ap *chorusapp.App, args []string) (string, error) {
		return fn(auth.WithActor(ctx, a.actor()), ap.Auth, args)
	})
}

// audited is err when the command failed, else the error of recording
// what it did in the audit log, as the command's user (one line after the
// call that did it); st nil opens the configured store for it. The change
// is already made, so a failure says so.
func (a *app) audited(ctx context.Context, err error, st auth.Store, action, target, detail string) error {
	if err != nil {
		return err
	}
	rec := func(st auth.Store) error {
		return auth.New(st, auth.Options{}).RecordDone(auth.WithActor(ctx, a.actor()), auth.Entry{Action: action, Target: target, Detail: detail})
	}
	if st != nil {
		return rec(st)
	}
	return a.withStore(ctx, func(st store.Store) error { return rec(st) })
}

func (a *app) tokenCmd() *cobra.Command {
	list := callCmd(a, "token", "list", cobra.NoArgs, func(ctx context.Context, ap *chorusapp.App, _ []string) (auth.Tokens, error) {
		return ap.Auth.ListTokens(ctx)
	})
	return a.command("", cmdSpec{Use: "token", Subs: []*cobra.Command{a.tokenCreateCmd(), list, a.tokenRevokeCmd()}})
}

func (a *app) tokenCreateCmd() *cobra.Command {
	o := &struct {
		Scope string `flag:"scope,required"`
		Name  string `flag:"name"`
		JSON  bool   `flag:"json"`
	}{}
	var sc auth.Scope
	return a.command("token", cmdSpec{Use: "create --scope read|write|send", Args: cobra.NoArgs, Opts: o,
		Check: func(*cobra.Command, []string) (err error) { sc, err = auth.ParseScope(o.Scope); return err },
		Run: a.appRun(func(ctx context.Context, ap *chorusapp.App, _ []string) error {
			secret, t, err := ap.Auth.CreateToken(auth.WithActor(ctx, a.actor()), o.Name, sc)
			if err != nil || o.JSON {
				return renderResult[auth.Issued](a, true)(auth.Issued{ID: t.ID, Name: t.Name, Scope: t.Scope, Secret: secret}, err)
			}
			fmt.Fprintf(a.stderr, "token %d (%s, scope %s): shown this once only, store it now (Chorus keeps only its hash)\n令牌只显示这一次，请立即保存。\n", t.ID, t.Name, t.Scope)
			fmt.Fprintln(a.stdout, secret)
			return nil
		})})
}

func (a *app) tokenRevokeCmd() *cobra.Command {
	var id int64
	return a.command("token", cmdSpec{Use: "revoke ID", Args: cobra.ExactArgs(1),
		Check: func(_ *cobra.Command, args []string) (err error) { id, err = auth.ParseTokenID(args[0]); return err },
		Run: a.authRun(func(ctx context.Context, svc *auth.Service, _ []string) (string, error) {
			return fmt.Sprintf("token %d revoked", id), svc.RevokeToken(ctx, id)
		})})
}

func (a *app) userCmd() *cobra.Command {
	list := callCmd(a, "user", "list", cobra.NoArgs, func(ctx context.Context, ap *chorusapp.App, _ []string) (auth.Users, error) {
		return ap.Auth.ListUsers(ctx)
	})
	return a.command("", cmdSpec{Use: "user", Subs: []*cobra.Command{
		a.userCreateCmd(), list, a.userSetPasswordCmd(), a.userSetRoleCmd(), a.userDisableCmd(),
	}})
}

// passwordOpt is the --password-stdin option of the commands that set one.
type passwordOpt struct {
	FromStdin bool `flag:"password-stdin"`
}

func (a *app) userCreateCmd() *cobra.Command {
	o := &struct {
		Role      string `flag:"role,required"`
		Lang      string `flag:"lang"`
		FromStdin bool   `flag:"password-stdin"`
	}{Lang: "en"}
	var r auth.Role
	var pw string
	return a.command("user", cmdSpec{Use: "create NAME --role admin|marketer|reviewer|analyst --password-stdin", Args: cobra.ExactArgs(1), Opts: o,
		Check: func(*cobra.Command, []string) (err error) {
			if r, err = auth.ParseRole(o.Role); err == nil {
				pw, err = a.readPassword(o.FromStdin)
			}
			return err
		},
		Run: a.authRun(func(ctx context.Context, svc *auth.Service, args []string) (string, error) {
			u, err := svc.CreateUser(ctx, args[0], r, pw, o.Lang)
			return fmt.Sprintf("user %s created (role %s, language %s)", u.Name, u.Role, u.Lang), err
		})})
}

// readPassword is the first line of standard input. Passwords never come
// from arguments, which other users of the machine can read.
func (a *app) readPassword(fromStdin bool) (string, error) {
	if !fromStdin {
		return "", apperr.New(apperr.Invalid, "give the password on standard input with --password-stdin (never as an argument)")
	}
	return auth.ReadPassword(a.stdin)
}

func (a *app) userSetPasswordCmd() *cobra.Command {
	o, pw := &passwordOpt{}, ""
	return a.userChangeCmd(cmdSpec{Use: "set-password NAME --password-stdin", Args: cobra.ExactArgs(1), Opts: o,
		Check: func(*cobra.Command, []string) (err error) { pw, err = a.readPassword(o.FromStdin); return err },
	}, func(ctx context.Context, svc *auth.Service, args []string) (string, error) {
		return "password changed; signed out everywhere", svc.SetPassword(ctx, args[0], pw)
	})
}

func (a *app) userSetRoleCmd() *cobra.Command {
	var r auth.Role
	return a.userChangeCmd(cmdSpec{Use: "set-role NAME admin|marketer|reviewer|analyst", Args: cobra.ExactArgs(2),
		Check: func(_ *cobra.Command, args []string) (err error) { r, err = auth.ParseRole(args[1]); return err },
	}, func(ctx context.Context, svc *auth.Service, args []string) (string, error) {
		return "role is now " + string(r), svc.SetRole(ctx, args[0], r)
	})
}

func (a *app) userDisableCmd() *cobra.Command {
	return a.userChangeCmd(cmdSpec{Use: "disable NAME", Args: cobra.ExactArgs(1)}, func(ctx context.Context, svc *auth.Service, args []string) (string, error) {
		return "disabled; signed out everywhere", svc.DisableUser(ctx, args[0])
	})
}

// userChangeCmd is the user command s (after its check) that changes user
// NAME, its first argument, with change, and says what change did.
func (a *app) userChangeCmd(s cmdSpec, change func(context.Context, *auth.Service, []string) (string, error)) *cobra.Command {
	s.Run = a.authRun(func(ctx context.Context, svc *auth.Service, args []string) (string, error) {
		done, err := change(ctx, svc, args)
		n, _ := auth.NormalizeUserName(args[0])
		return fmt.Sprintf("user %s: %s", n, done), err
	})
	return a.command("user", s)
}

func (a *app) auditCmd() *cobra.Command {
	f := auth.AuditFilter{Limit: 50}
	var asJSON bool
	return a.command("", cmdSpec{Use: "audit", Args: cobra.NoArgs,
		Flags: map[string]any{"limit": &f.Limit, "action": &f.Action, "actor": &f.Actor, "json": &asJSON},
		Usage: map[string]string{"limit": fmt.Sprintf("newest entries to show (at most %d)", auth.MaxAuditLimit)},
		Run: renderRun(a, &asJSON, func(ctx context.Context, ap *chorusapp.App, _ []string) (auth.Entries, error) {
			return ap.Auth.Audit(ctx, f)
		})})
}
