package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
)

// RunAuth is the conformance suite of tokens, users, sessions, failed
// sign-ins and the audit log (auth.Store).
func RunAuth(t *testing.T, open func(*testing.T) auth.Store) {
	ctx := context.Background()
	at := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	entry := func(action string) auth.Entry {
		return auth.Entry{At: at, Actor: "cli:ops", Action: action, Target: "x", Detail: "细节"}
	}

	t.Run("Tokens", func(t *testing.T) {
		s := open(t)
		tok, err := s.InsertToken(ctx, auth.Token{Name: "商店后台", Scope: auth.ScopeWrite, CreatedAt: at}, "h1", entry("token.create"))
		if err != nil || tok.ID == 0 {
			t.Fatalf("InsertToken = %+v, %v", tok, err)
		}
		if _, err := s.InsertToken(ctx, auth.Token{Name: "b", Scope: auth.ScopeRead, CreatedAt: at}, "h2", entry("token.create")); err != nil {
			t.Fatal(err)
		}
		got, err := s.TokenByHash(ctx, "h1")
		if err != nil || got.ID != tok.ID || got.Name != "商店后台" || got.Scope != auth.ScopeWrite || !got.CreatedAt.Equal(at) ||
			!got.LastUsed.IsZero() || !got.RevokedAt.IsZero() {
			t.Fatalf("TokenByHash = %+v, %v", got, err)
		}
		if _, err := s.TokenByHash(ctx, "nope"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("TokenByHash(unknown): %v, want NotFound", err)
		}
		if err := s.TouchToken(ctx, tok.ID, at.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.TouchToken(ctx, tok.ID, at.Add(time.Minute)); err != nil { // older: kept
			t.Fatal(err)
		}
		r, err := s.RevokeToken(ctx, tok.ID, at.Add(2*time.Hour), entry("token.revoke"))
		if err != nil || !r.RevokedAt.Equal(at.Add(2*time.Hour)) {
			t.Fatalf("RevokeToken = %+v, %v", r, err)
		}
		r, err = s.RevokeToken(ctx, tok.ID, at.Add(3*time.Hour), entry("token.revoke"))
		if err != nil || !r.RevokedAt.Equal(at.Add(2*time.Hour)) {
			t.Fatalf("second RevokeToken = %+v, %v; want the first time kept", r, err)
		}
		if _, err := s.RevokeToken(ctx, 9999, at, entry("token.revoke")); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("RevokeToken(unknown): %v, want NotFound", err)
		}
		list, err := s.ListTokens(ctx)
		if err != nil || len(list) != 2 || list[0].ID != tok.ID || !list[0].LastUsed.Equal(at.Add(time.Hour)) || list[1].Name != "b" {
			t.Fatalf("ListTokens = %+v, %v", list, err)
		}
		es, err := s.ListAudit(ctx, auth.AuditFilter{Limit: 10})
		if err != nil || len(es) != 4 || es[0].Action != "token.revoke" ||
			es[3].Action != "token.create" || es[3].Target != fmt.Sprintf("token %d", tok.ID) || es[3].Actor != "cli:ops" || es[3].Detail != "细节" {
			t.Fatalf("audit of token changes = %+v, %v; want 2 creates and 2 revokes, newest first", es, err)
		}
	})

	t.Run("Users", func(t *testing.T) {
		s := open(t)
		u, err := s.InsertUser(ctx, auth.User{Name: "李雷", Role: auth.Marketer, Lang: "zh", CreatedAt: at}, "phc1", entry("user.create"))
		if err != nil || u.ID == 0 {
			t.Fatalf("InsertUser = %+v, %v", u, err)
		}
		if _, err := s.InsertUser(ctx, auth.User{Name: "李雷", Role: auth.Admin, Lang: "en", CreatedAt: at}, "phc2", entry("user.create")); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("InsertUser(taken name): %v, want Conflict", err)
		}
		if _, err := s.InsertUser(ctx, auth.User{Name: "ann", Role: auth.Analyst, Lang: "en", CreatedAt: at}, "phc3", entry("user.create")); err != nil {
			t.Fatal(err)
		}
		got, hash, err := s.UserByName(ctx, "李雷")
		if err != nil || hash != "phc1" || got.ID != u.ID || got.Role != auth.Marketer || got.Lang != "zh" || got.Disabled || !got.CreatedAt.Equal(at) {
			t.Fatalf("UserByName = %+v %q, %v", got, hash, err)
		}
		if _, _, err := s.UserByName(ctx, "nobody"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("UserByName(unknown): %v, want NotFound", err)
		}
		sess := auth.StoredSession{SecretHash: "s1", UserID: u.ID, CSRF: "c1", CreatedAt: at, IdleExpires: at.Add(time.Hour), Expires: at.Add(24 * time.Hour)}
		if err := s.InsertSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		if err := s.SetUserRole(ctx, "李雷", auth.Reviewer, entry("user.role")); err != nil {
			t.Fatal(err)
		}
		if _, su, err := s.SessionByHash(ctx, "s1"); err != nil || su.Role != auth.Reviewer {
			t.Fatalf("session after SetUserRole: %+v, %v; want it kept with the new role", su, err)
		}
		if err := s.SetUserPassword(ctx, "李雷", "phc9", entry("user.password")); err != nil {
			t.Fatal(err)
		}
		if _, hash, _ := s.UserByName(ctx, "李雷"); hash != "phc9" {
			t.Fatalf("hash after SetUserPassword = %q", hash)
		}
		if _, _, err := s.SessionByHash(ctx, "s1"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("session after SetUserPassword: %v, want ended", err)
		}
		if err := s.InsertSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
		if err := s.DisableUser(ctx, "李雷", entry("user.disable")); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.SessionByHash(ctx, "s1"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("session after DisableUser: %v, want ended", err)
		}
		for _, err := range []error{
			s.SetUserRole(ctx, "nobody", auth.Admin, entry("user.role")),
			s.SetUserPassword(ctx, "nobody", "x", entry("user.password")),
			s.DisableUser(ctx, "nobody", entry("user.disable")),
		} {
			if !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("change of an unknown user: %v, want NotFound", err)
			}
		}
		list, err := s.ListUsers(ctx)
		if err != nil || len(list) != 2 || list[0].Name != "ann" || !list[1].Disabled || list[1].Role != auth.Reviewer {
			t.Fatalf("ListUsers = %+v, %v", list, err)
		}
		es, err := s.ListAudit(ctx, auth.AuditFilter{Limit: 100})
		if err != nil || len(es) != 5 {
			t.Fatalf("audit of user changes = %d entries, %v; want 5 (2 creates, role, password, disable)", len(es), err)
		}
	})

	t.Run("Sessions", func(t *testing.T) {
		s := open(t)
		u, err := s.InsertUser(ctx, auth.User{Name: "ann", Role: auth.Admin, Lang: "en", CreatedAt: at}, "phc", entry("user.create"))
		if err != nil {
			t.Fatal(err)
		}
		a := auth.StoredSession{SecretHash: "a", UserID: u.ID, CSRF: "ca", CreatedAt: at, IdleExpires: at.Add(time.Hour), Expires: at.Add(48 * time.Hour)}
		b := auth.StoredSession{SecretHash: "b", UserID: u.ID, CSRF: "cb", CreatedAt: at, IdleExpires: at.Add(3 * time.Hour), Expires: at.Add(48 * time.Hour)}
		for _, ss := range []auth.StoredSession{a, b} {
			if err := s.InsertSession(ctx, ss); err != nil {
				t.Fatal(err)
			}
		}
		got, su, err := s.SessionByHash(ctx, "a")
		if err != nil || got != a || su.Name != "ann" || su.ID != u.ID || !su.CreatedAt.Equal(at) || su.Role != auth.Admin {
			t.Fatalf("SessionByHash = %+v %+v, %v; want %+v", got, su, err, a)
		}
		if err := s.ExtendSession(ctx, "a", at.Add(5*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteExpiredSessions(ctx, at.Add(4*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if got, _, err := s.SessionByHash(ctx, "a"); err != nil || !got.IdleExpires.Equal(at.Add(5*time.Hour)) {
			t.Fatalf("extended session = %+v, %v", got, err)
		}
		if _, _, err := s.SessionByHash(ctx, "b"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("idle-expired session: %v, want deleted", err)
		}
		if err := s.DeleteSession(ctx, "a"); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteSession(ctx, "a"); err != nil {
			t.Fatalf("deleting an ended session: %v", err)
		}
		if _, _, err := s.SessionByHash(ctx, "a"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("after DeleteSession: %v, want NotFound", err)
		}
	})

	t.Run("LoginFailures", func(t *testing.T) {
		s := open(t)
		for i := 0; i < 3; i++ {
			if err := s.AddLoginFailure(ctx, []string{"n", "a"}, at.Add(time.Duration(i)*time.Minute)); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.AddLoginFailure(ctx, []string{"a"}, at.Add(10*time.Minute)); err != nil {
			t.Fatal(err)
		}
		ts, err := s.LoginFailures(ctx, "a", at, 10)
		if err != nil || len(ts) != 3 || !ts[0].Equal(at.Add(time.Minute)) || !ts[2].Equal(at.Add(10*time.Minute)) {
			t.Fatalf("LoginFailures(after the first) = %v, %v", ts, err)
		}
		if ts, _ := s.LoginFailures(ctx, "a", at.Add(-time.Second), 2); len(ts) != 2 || !ts[0].Equal(at) {
			t.Fatalf("LoginFailures(limit 2) = %v", ts)
		}
		if err := s.ClearLoginFailures(ctx, "n"); err != nil {
			t.Fatal(err)
		}
		if ts, _ := s.LoginFailures(ctx, "n", time.Time{}, 10); len(ts) != 0 {
			t.Fatalf("after ClearLoginFailures: %v", ts)
		}
		if err := s.PruneLoginFailures(ctx, at.Add(2*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if ts, _ := s.LoginFailures(ctx, "a", time.Time{}, 10); len(ts) != 1 || !ts[0].Equal(at.Add(10*time.Minute)) {
			t.Fatalf("after PruneLoginFailures: %v", ts)
		}
	})

	t.Run("Audit", func(t *testing.T) {
		s := open(t)
		for i, a := range []string{"campaign.launch", "content.approve", "campaign.launch", "settings.change"} {
			e, err := s.InsertAudit(ctx, auth.Entry{At: at.Add(time.Duration(i) * time.Second), Actor: []string{"user:ann", "cli:root"}[i%2], Action: a, Target: "campaign 春节", Detail: "d"})
			if err != nil || e.ID == 0 {
				t.Fatalf("InsertAudit = %+v, %v", e, err)
			}
		}
		all, err := s.ListAudit(ctx, auth.AuditFilter{Limit: 10})
		if err != nil || len(all) != 4 || all[0].Action != "settings.change" || !all[3].At.Equal(at) || all[3].Target != "campaign 春节" {
			t.Fatalf("ListAudit = %+v, %v", all, err)
		}
		l, _ := s.ListAudit(ctx, auth.AuditFilter{Limit: 10, Action: "campaign.launch"})
		if len(l) != 2 || l[0].ID <= l[1].ID {
			t.Fatalf("by action = %+v", l)
		}
		l, _ = s.ListAudit(ctx, auth.AuditFilter{Limit: 10, Actor: "cli:root", Action: "content.approve"})
		if len(l) != 1 || l[0].Actor != "cli:root" {
			t.Fatalf("by actor and action = %+v", l)
		}
		l, _ = s.ListAudit(ctx, auth.AuditFilter{Limit: 2, BeforeID: all[0].ID})
		if len(l) != 2 || l[0].ID != all[1].ID || l[1].ID != all[2].ID {
			t.Fatalf("page before %d = %+v", all[0].ID, l)
		}
	})
}
