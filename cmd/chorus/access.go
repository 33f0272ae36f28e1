package main

import (
	"context"
	"fmt"
	"strconv"

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

// withAuth runs fn with the access service over the configured store,
// acting as the command's user.
func (a *app) withAuth(ctx context.Context, fn func(context.Context, *auth.Service) error) error {
	return a.withApp(ctx, func(ap *chorusapp.App) error { return fn(auth.WithActor(ctx, a.actor()), ap.Auth) })
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
	return a.command("", cmdSpec{Use: "token", Subs: []*cobra.Command{a.tokenCreateCmd(), a.tokenListCmd(), a.tokenRevokeCmd()}})
}

func (a *app) tokenCreateCmd() *cobra.Command {
	o := &struct {
		Scope string `flag:"scope,required"`
		Name  string `flag:"name"`
		JSON  bool   `flag:"json"`
	}{}
	return a.command("token", cmdSpec{Use: "create --scope read|write|send", Args: cobra.NoArgs, Opts: o, Run: func(cmd *cobra.Command, _ []string) error {
		sc, err := auth.ParseScope(o.Scope)
		if err != nil {
			return err
		}
		return a.withAuth(cmd.Context(), func(ctx context.Context, svc *auth.Service) error {
			secret, t, err := svc.CreateToken(ctx, o.Name, sc)
			if err != nil {
				return err
			}
			if o.JSON {
				return a.printJSON(auth.Issued{ID: t.ID, Name: t.Name, Scope: t.Scope, Secret: secret})
			}
			fmt.Fprintf(a.stderr, "token %d (%s, scope %s): shown this once only, store it now (Chorus keeps only its hash)\n令牌只显示这一次，请立即保存。\n", t.ID, t.Name, t.Scope)
			fmt.Fprintln(a.stdout, secret)
			return nil
		})
	}})
}

func (a *app) tokenListCmd() *cobra.Command {
	o := &jsonOpts{}
	return a.command("token", cmdSpec{Use: "list", Args: cobra.NoArgs, Opts: o, Run: renderRun(a, &o.JSON, func(ctx context.Context, ap *chorusapp.App, _ []string) (auth.Tokens, error) {
		ts, err := ap.Auth.ListTokens(ctx)
		return auth.Tokens(orEmpty(ts)), err
	})})
}

func (a *app) tokenRevokeCmd() *cobra.Command {
	return a.command("token", cmdSpec{Use: "revoke ID", Args: cobra.ExactArgs(1), Run: func(cmd *cobra.Command, args []string) error {
		id, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil || id <= 0 {
			return apperr.New(apperr.Invalid, "a token ID is a positive number (see chorus token list), not %q", args[0])
		}
		return a.withAuth(cmd.Context(), func(ctx context.Context, svc *auth.Service) error {
			if err := svc.RevokeToken(ctx, id); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "token %d revoked\n", id)
			return nil
		})
	}})
}

func (a *app) userCmd() *cobra.Command {
	return a.command("", cmdSpec{Use: "user", Subs: []*cobra.Command{
		a.userCreateCmd(), a.userListCmd(), a.userSetPasswordCmd(), a.userSetRoleCmd(), a.userDisableCmd(),
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
	return a.command("user", cmdSpec{Use: "create NAME --role admin|marketer|reviewer|analyst --password-stdin", Args: cobra.ExactArgs(1), Opts: o,
		Run: func(cmd *cobra.Command, args []string) error {
			r, err := auth.ParseRole(o.Role)
			if err != nil {
				return err
			}
			pw, err := a.readPassword(o.FromStdin)
			if err != nil {
				return err
			}
			return a.withAuth(cmd.Context(), func(ctx context.Context, svc *auth.Service) error {
				u, err := svc.CreateUser(ctx, args[0], r, pw, o.Lang)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "user %s created (role %s, language %s)\n", u.Name, u.Role, u.Lang)
				return nil
			})
		}})
}

// readPassword is the first line of standard input. Passwords never come
// from arguments, which other users of the machine can read.
func (a *app) readPassword(fromStdin bool) (string, error) {
	if !fromStdin {
		return "", apperr.New(apperr.Invalid, "give the password on standard input with --password-stdin (never as an argument)")
	}
	return auth.ReadPassword(a.stdin)
}

func (a *app) userListCmd() *cobra.Command {
	o := &jsonOpts{}
	return a.command("user", cmdSpec{Use: "list", Args: cobra.NoArgs, Opts: o, Run: renderRun(a, &o.JSON, func(ctx context.Context, ap *chorusapp.App, _ []string) (auth.Users, error) {
		us, err := ap.Auth.ListUsers(ctx)
		return auth.Users(orEmpty(us)), err
	})})
}

func (a *app) userSetPasswordCmd() *cobra.Command {
	o := &passwordOpt{}
	return a.command("user", cmdSpec{Use: "set-password NAME --password-stdin", Args: cobra.ExactArgs(1), Opts: o, Run: func(cmd *cobra.Command, args []string) error {
		pw, err := a.readPassword(o.FromStdin)
		if err != nil {
			return err
		}
		return a.userChange(cmd.Context(), "password changed; signed out everywhere", args[0], func(ctx context.Context, svc *auth.Service) error {
			return svc.SetPassword(ctx, args[0], pw)
		})
	}})
}

func (a *app) userSetRoleCmd() *cobra.Command {
	return a.command("user", cmdSpec{Use: "set-role NAME admin|marketer|reviewer|analyst", Args: cobra.ExactArgs(2), Run: func(cmd *cobra.Command, args []string) error {
		r, err := auth.ParseRole(args[1])
		if err != nil {
			return err
		}
		return a.userChange(cmd.Context(), "role is now "+string(r), args[0], func(ctx context.Context, svc *auth.Service) error {
			return svc.SetRole(ctx, args[0], r)
		})
	}})
}

func (a *app) userDisableCmd() *cobra.Command {
	return a.command("user", cmdSpec{Use: "disable NAME", Args: cobra.ExactArgs(1), Run: func(cmd *cobra.Command, args []string) error {
		return a.userChange(cmd.Context(), "disabled; signed out everywhere", args[0], func(ctx context.Context, svc *auth.Service) error {
			return svc.DisableUser(ctx, args[0])
		})
	}})
}

// userChange runs change and says what it did to user name.
func (a *app) userChange(ctx context.Context, done, name string, change func(context.Context, *auth.Service) error) error {
	return a.withAuth(ctx, func(ctx context.Context, svc *auth.Service) error {
		if err := change(ctx, svc); err != nil {
			return err
		}
		n, _ := auth.NormalizeUserName(name)
		fmt.Fprintf(a.stdout, "user %s: %s\n", n, done)
		return nil
	})
}

func (a *app) auditCmd() *cobra.Command {
	f := auth.AuditFilter{Limit: 50}
	var asJSON bool
	cmd := a.command("", cmdSpec{Use: "audit", Args: cobra.NoArgs,
		Flags: map[string]any{"limit": &f.Limit, "action": &f.Action, "actor": &f.Actor, "json": &asJSON},
		Run: renderRun(a, &asJSON, func(ctx context.Context, ap *chorusapp.App, _ []string) (auth.Entries, error) {
			es, err := ap.Auth.Audit(ctx, f)
			return auth.Entries(orEmpty(es)), err
		})})
	cmd.Flags().Lookup("limit").Usage = fmt.Sprintf("newest entries to show (at most %d)", auth.MaxAuditLimit)
	return cmd
}
