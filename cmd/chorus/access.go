package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/segment"
	"github.com/chorusmkt/chorus/internal/store"
)

// Access: API tokens, console users and the audit log (issue 15).

// actor is who runs the command, for the audit log: "cli:" + the login name.
func (a *app) actor() string { return "cli:" + loginName() }

// withAuth runs fn with the access service over the configured store,
// acting as the command's user.
func (a *app) withAuth(ctx context.Context, fn func(context.Context, *auth.Service) error) error {
	return a.withApp(ctx, func(ap *chorusapp.App) error { return fn(auth.WithActor(ctx, a.actor()), ap.Auth) })
}

// audit records what a command did in the audit log, as the command's
// user; st nil opens the configured store for it. The change is already
// made, so a failure says so.
func (a *app) audit(ctx context.Context, st auth.Store, action, target, detail string) error {
	rec := func(st auth.Store) error {
		err := auth.New(st, auth.Options{}).Record(auth.WithActor(ctx, a.actor()), auth.Entry{Action: action, Target: target, Detail: detail})
		return apperr.Wrap(err, apperr.KindOf(err), "%s of %s is done, but the audit log could not record it", action, target)
	}
	if st != nil {
		return rec(st)
	}
	return a.withStore(ctx, func(st store.Store) error { return rec(st) })
}

// audited is err when the command failed, else the error of recording
// its action: one line after the call that did it.
func (a *app) audited(ctx context.Context, err error, st auth.Store, action, target, detail string) error {
	if err != nil {
		return err
	}
	return a.audit(ctx, st, action, target, detail)
}

// auditExport records a contact export (one segment.ContactExport logged)
// whether or not the command then failed: contacts may have left.
func (a *app) auditExport(ctx context.Context, err error, st auth.Store, e segment.ContactExport) error {
	if e.ID == 0 {
		return err
	}
	detail := fmt.Sprintf("contact export #%d: %d rows, fields %s", e.ID, e.Rows, strings.Join(e.Fields, ","))
	return errors.Join(err, a.audit(ctx, st, "segment.export", "segment "+e.Segment, detail))
}

func (a *app) tokenCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Create, list and revoke API tokens (Authorization: Bearer TOKEN)",
		Long: `API tokens authorise calls to /v1/ with "Authorization: Bearer TOKEN". A token
has one scope, and each scope includes the ones before it:
  read   GET routes
  write  upserts, event ingest, segments, generate, review
  send   launch, pause and resume campaigns
A token is 32 random bytes shown once at creation; Chorus keeps only its
SHA-256. 令牌只在创建时显示一次。`,
	}
	cmd.AddCommand(a.tokenCreateCmd(), a.tokenListCmd(), a.tokenRevokeCmd())
	return cmd
}

func (a *app) tokenCreateCmd() *cobra.Command {
	var scope, name string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "create --scope read|write|send",
		Short: "Create an API token and print it once",
		Example: `  chorus token create --scope read --json
  chorus token create --scope write --name shop-backend`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sc, err := auth.ParseScope(scope)
			if err != nil {
				return err
			}
			return a.withAuth(cmd.Context(), func(ctx context.Context, svc *auth.Service) error {
				secret, t, err := svc.CreateToken(ctx, name, sc)
				if err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(auth.Issued{ID: t.ID, Name: t.Name, Scope: t.Scope, Secret: secret})
				}
				fmt.Fprintf(a.stderr, "token %d (%s, scope %s): shown this once only, store it now (Chorus keeps only its hash)\n令牌只显示这一次，请立即保存。\n", t.ID, t.Name, t.Scope)
				fmt.Fprintln(a.stdout, secret)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&scope, "scope", "", "read, write or send (required)")
	cmd.Flags().StringVar(&name, "name", "", "a label for the token (default: the scope)")
	cmd.Flags().BoolVar(&asJSON, "json", false, `print {"token": …, "id": …, "scope": …, "name": …}`)
	_ = cmd.MarkFlagRequired("scope")
	return cmd
}

func (a *app) tokenListCmd() *cobra.Command {
	var asJSON bool
	return jsonFlag(&cobra.Command{
		Use:   "list",
		Short: "List API tokens with their last use (never their secrets)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withAuth(cmd.Context(), func(ctx context.Context, svc *auth.Service) error {
				ts, err := svc.ListTokens(ctx)
				if err != nil {
					return err
				}
				return a.render(asJSON, auth.Tokens(orEmpty(ts)))
			})
		},
	}, &asJSON)
}

func (a *app) tokenRevokeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke an API token at once (see chorus token list for its ID)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
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
		},
	}
}

func (a *app) userCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Manage console users and their roles",
		Long: `Console users sign in at / of chorus serve. Roles, least privilege first:
  analyst   reads everything, changes nothing
  reviewer  approves or rejects copy
  marketer  segments, generate, launch, export, suppressions
  admin     everything, users, tokens and settings
Passwords (at least 10 characters) are read from standard input and stored
as argon2id hashes. 密码从标准输入读取，至少 10 个字符。`,
	}
	cmd.AddCommand(a.userCreateCmd(), a.userListCmd(), a.userSetPasswordCmd(), a.userSetRoleCmd(), a.userDisableCmd())
	return cmd
}

func (a *app) userCreateCmd() *cobra.Command {
	var role, lang string
	var fromStdin bool
	cmd := &cobra.Command{
		Use:     "create NAME --role admin|marketer|reviewer|analyst --password-stdin",
		Short:   "Create a console user",
		Example: `  printf '%s\n' "$PASSWORD" | chorus user create ann --role marketer --password-stdin --lang zh`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := auth.ParseRole(role)
			if err != nil {
				return err
			}
			pw, err := a.readPassword(fromStdin)
			if err != nil {
				return err
			}
			return a.withAuth(cmd.Context(), func(ctx context.Context, svc *auth.Service) error {
				u, err := svc.CreateUser(ctx, args[0], r, pw, lang)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "user %s created (role %s, language %s)\n", u.Name, u.Role, u.Lang)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&role, "role", "", "admin, marketer, reviewer or analyst (required)")
	cmd.Flags().StringVar(&lang, "lang", "en", "console language: zh or en")
	cmd.Flags().BoolVar(&fromStdin, "password-stdin", false, "read the password from the first line of standard input")
	_ = cmd.MarkFlagRequired("role")
	return cmd
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
	var asJSON bool
	return jsonFlag(&cobra.Command{
		Use:   "list",
		Short: "List console users",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withAuth(cmd.Context(), func(ctx context.Context, svc *auth.Service) error {
				us, err := svc.ListUsers(ctx)
				if err != nil {
					return err
				}
				return a.render(asJSON, auth.Users(orEmpty(us)))
			})
		},
	}, &asJSON)
}

func (a *app) userSetPasswordCmd() *cobra.Command {
	var fromStdin bool
	cmd := &cobra.Command{
		Use:   "set-password NAME --password-stdin",
		Short: "Replace a user's password (her sessions end)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pw, err := a.readPassword(fromStdin)
			if err != nil {
				return err
			}
			return a.userChange(cmd.Context(), "password changed; signed out everywhere", args[0], func(ctx context.Context, svc *auth.Service) error {
				return svc.SetPassword(ctx, args[0], pw)
			})
		},
	}
	cmd.Flags().BoolVar(&fromStdin, "password-stdin", false, "read the password from the first line of standard input")
	return cmd
}

func (a *app) userSetRoleCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "set-role NAME admin|marketer|reviewer|analyst",
		Short: "Change a user's role (at once, in her open sessions too)",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := auth.ParseRole(args[1])
			if err != nil {
				return err
			}
			return a.userChange(cmd.Context(), "role is now "+string(r), args[0], func(ctx context.Context, svc *auth.Service) error {
				return svc.SetRole(ctx, args[0], r)
			})
		},
	}
}

func (a *app) userDisableCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "disable NAME",
		Short: "Stop a user from signing in and end her sessions",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.userChange(cmd.Context(), "disabled; signed out everywhere", args[0], func(ctx context.Context, svc *auth.Service) error {
				return svc.DisableUser(ctx, args[0])
			})
		},
	}
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
	var f auth.AuditFilter
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Show the audit log: who launched, approved, exported or changed a setting or access",
		Example: `  chorus audit --limit 20
  chorus audit --action campaign.launch --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withAuth(cmd.Context(), func(ctx context.Context, svc *auth.Service) error {
				es, err := svc.Audit(ctx, f)
				if err != nil {
					return err
				}
				return a.render(asJSON, auth.Entries(orEmpty(es)))
			})
		},
	}
	cmd.Flags().IntVar(&f.Limit, "limit", 50, fmt.Sprintf("newest entries to show (at most %d)", auth.MaxAuditLimit))
	cmd.Flags().StringVar(&f.Action, "action", "", "only this action, e.g. campaign.launch, content.approve, segment.export, settings.change, token.create")
	cmd.Flags().StringVar(&f.Actor, "actor", "", "only this actor, e.g. user:ann or cli:root")
	return jsonFlag(cmd, &asJSON)
}
