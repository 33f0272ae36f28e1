package auth_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// clock is a test's settable time.
type clock struct{ t time.Time }

func (c *clock) now() time.Time            { return c.t }
func (c *clock) add(d time.Duration)       { c.t = c.t.Add(d) }
func newClock() *clock                     { return &clock{t: time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)} }
func cheap() auth.Argon2                   { return auth.Argon2{Time: 1, Memory: 64, Threads: 1} }
func cliCtx() context.Context              { return auth.WithActor(context.Background(), "cli:ops") }
func ip(s string) netip.Addr               { return netip.MustParseAddr(s) }
func isKind(err error, k apperr.Kind) bool { return apperr.Is(err, k) }

// newService is a service over a fresh SQLite store with a test clock.
func newService(t *testing.T) (*auth.Service, auth.Store, *clock) {
	t.Helper()
	st := storetest.OpenSQLite(t)
	c := newClock()
	return auth.New(st, auth.Options{Now: c.now, Argon2: cheap()}), st, c
}

func TestTokenLifeCycle(t *testing.T) {
	s, st, c := newService(t)
	ctx := cliCtx()
	secret, tok, err := s.CreateToken(ctx, "", auth.ScopeRead)
	if err != nil {
		t.Fatal(err)
	}
	raw, ok := strings.CutPrefix(secret, auth.TokenPrefix)
	if b, err := base64.RawURLEncoding.DecodeString(raw); !ok || err != nil || len(b) != 32 {
		t.Fatalf("secret %q: want %s + base64url of 32 bytes", secret, auth.TokenPrefix)
	}
	if tok.Name != "read" || tok.Scope != auth.ScopeRead || tok.ID == 0 {
		t.Fatalf("token = %+v", tok)
	}
	p, err := s.VerifyToken(ctx, secret)
	if err != nil || p.Kind != auth.KindToken || p.Scope != auth.ScopeRead || p.ID != tok.ID || !p.Can(auth.Read) || p.Can(auth.WriteData) {
		t.Fatalf("VerifyToken = %+v, %v", p, err)
	}
	for _, bad := range []string{"", "chorus_nope", secret + "x", strings.TrimPrefix(secret, auth.TokenPrefix)} {
		if _, err := s.VerifyToken(ctx, bad); !isKind(err, apperr.Unauthenticated) {
			t.Errorf("VerifyToken(%q): %v, want Unauthenticated", bad, err)
		}
	}
	lastUse := func() time.Time {
		ts, err := s.ListTokens(ctx)
		if err != nil || len(ts) != 1 {
			t.Fatalf("ListTokens = %+v, %v", ts, err)
		}
		return ts[0].LastUsed
	}
	first := c.t
	if !lastUse().Equal(first) {
		t.Fatalf("last use %v, want %v", lastUse(), first)
	}
	c.add(30 * time.Second) // within the throttle: not written
	if _, err := s.VerifyToken(ctx, secret); err != nil {
		t.Fatal(err)
	}
	if !lastUse().Equal(first) {
		t.Fatalf("last use moved to %v within a minute", lastUse())
	}
	c.add(31 * time.Second)
	if _, err := s.VerifyToken(ctx, secret); err != nil {
		t.Fatal(err)
	}
	if !lastUse().Equal(c.t) {
		t.Fatalf("last use %v after a minute, want %v", lastUse(), c.t)
	}
	if err := s.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VerifyToken(ctx, secret); !isKind(err, apperr.Unauthenticated) {
		t.Fatalf("revoked token: %v, want Unauthenticated", err)
	}
	if err := s.RevokeToken(ctx, 424242); !isKind(err, apperr.NotFound) {
		t.Fatalf("RevokeToken(unknown): %v", err)
	}
	if _, _, err := s.CreateToken(ctx, "x", "admin"); !isKind(err, apperr.Invalid) || !strings.Contains(err.Error(), "read, write or send") {
		t.Fatalf("bad scope: %v", err)
	}
	es, err := st.ListAudit(ctx, auth.AuditFilter{Limit: 10})
	if err != nil || len(es) != 2 || es[0].Action != "token.revoke" || es[1].Action != "token.create" || es[0].Actor != "cli:ops" {
		t.Fatalf("audit = %+v, %v", es, err)
	}
	for _, e := range es {
		if strings.Contains(e.Detail+e.Target, raw) {
			t.Fatalf("the audit log holds the secret: %+v", e)
		}
	}
}

func TestUsersAndSessions(t *testing.T) {
	s, _, c := newService(t)
	ctx := cliCtx()
	if _, err := s.CreateUser(ctx, "Ann", auth.Marketer, "short", "en"); !isKind(err, apperr.Invalid) || !strings.Contains(err.Error(), "at least 10") {
		t.Fatalf("short password: %v", err)
	}
	// ten runes, thirty bytes: long enough
	u, err := s.CreateUser(ctx, " Ann ", auth.Marketer, "密码密码密码密码密码", "zh")
	if err != nil || u.Name != "ann" || u.Lang != "zh" {
		t.Fatalf("CreateUser = %+v, %v", u, err)
	}
	if _, err := s.CreateUser(ctx, "ann", auth.Admin, "0123456789", ""); !isKind(err, apperr.Conflict) {
		t.Fatalf("taken name: %v", err)
	}
	for _, bad := range []struct{ name, role, lang string }{{"a b", "admin", ""}, {"bob", "root", ""}, {"bob", "admin", "fr"}} {
		if _, err := s.CreateUser(ctx, bad.name, auth.Role(bad.role), "0123456789", bad.lang); !isKind(err, apperr.Invalid) {
			t.Errorf("CreateUser(%+v): %v, want Invalid", bad, err)
		}
	}
	client := ip("192.0.2.7")
	if _, err := s.Login(ctx, "ann", "wrong password", client); !isKind(err, apperr.Unauthenticated) {
		t.Fatalf("wrong password: %v", err)
	}
	_, errUnknown := s.Login(ctx, "nobody", "wrong password", client)
	_, errWrong := s.Login(ctx, "ann", "wrong password", client)
	if errUnknown == nil || errWrong == nil || errUnknown.Error() != errWrong.Error() {
		t.Fatalf("unknown name %v and wrong password %v must read the same", errUnknown, errWrong)
	}
	sess, err := s.Login(ctx, "ANN", "密码密码密码密码密码", client)
	if err != nil || sess.Secret == "" || sess.CSRF == "" || sess.Principal.Role != auth.Marketer || sess.Principal.Lang != "zh" {
		t.Fatalf("Login = %+v, %v", sess, err)
	}
	if !sess.Expires.Equal(c.t.Add(auth.DefaultSessionIdle)) {
		t.Fatalf("expires %v, want idle expiry", sess.Expires)
	}
	if !s.CheckCSRF(sess, sess.CSRF) || s.CheckCSRF(sess, "") || s.CheckCSRF(sess, sess.CSRF[1:]) || s.CheckCSRF(auth.Session{}, "") {
		t.Fatal("CheckCSRF accepts a wrong token or refuses the right one")
	}
	// used every 11 hours, the idle expiry slides
	for i := 0; i < 3; i++ {
		c.add(11 * time.Hour)
		got, err := s.SessionBySecret(ctx, sess.Secret)
		if err != nil || got.Principal.Name != "ann" || !got.Expires.Equal(c.t.Add(auth.DefaultSessionIdle)) || got.CSRF != sess.CSRF {
			t.Fatalf("after %dh: %+v, %v", 11*(i+1), got, err)
		}
	}
	if err := s.SetRole(ctx, "ann", auth.Reviewer); err != nil {
		t.Fatal(err)
	}
	if got, err := s.SessionBySecret(ctx, sess.Secret); err != nil || got.Principal.Role != auth.Reviewer || got.Principal.Can(auth.Launch) {
		t.Fatalf("role change not seen by the session: %+v, %v", got, err)
	}
	c.add(12 * time.Hour) // idle for 12h: ended
	if _, err := s.SessionBySecret(ctx, sess.Secret); !isKind(err, apperr.Unauthenticated) {
		t.Fatalf("idle session: %v, want Unauthenticated", err)
	}
	// the absolute expiry holds even when used all the time
	sess, _ = s.Login(ctx, "ann", "密码密码密码密码密码", client)
	start := c.t
	for c.t.Sub(start) < auth.DefaultSessionMax-time.Hour {
		c.add(10 * time.Hour)
		if _, err := s.SessionBySecret(ctx, sess.Secret); err != nil && c.t.Sub(start) < auth.DefaultSessionMax {
			t.Fatalf("at %v: %v", c.t.Sub(start), err)
		}
	}
	c.t = start.Add(auth.DefaultSessionMax)
	if _, err := s.SessionBySecret(ctx, sess.Secret); !isKind(err, apperr.Unauthenticated) {
		t.Fatalf("after 7 days: %v, want Unauthenticated", err)
	}
	sess, _ = s.Login(ctx, "ann", "密码密码密码密码密码", client)
	if err := s.Logout(ctx, sess.Secret); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionBySecret(ctx, sess.Secret); !isKind(err, apperr.Unauthenticated) {
		t.Fatalf("after Logout: %v", err)
	}
	sess, _ = s.Login(ctx, "ann", "密码密码密码密码密码", client)
	if err := s.SetPassword(ctx, "ann", "a new password"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionBySecret(ctx, sess.Secret); !isKind(err, apperr.Unauthenticated) {
		t.Fatalf("session after a password change: %v, want ended", err)
	}
	if _, err := s.Login(ctx, "ann", "密码密码密码密码密码", client); !isKind(err, apperr.Unauthenticated) {
		t.Fatalf("old password: %v", err)
	}
	sess, err = s.Login(ctx, "ann", "a new password", client)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DisableUser(ctx, "ann"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionBySecret(ctx, sess.Secret); !isKind(err, apperr.Unauthenticated) {
		t.Fatalf("session of a disabled user: %v", err)
	}
	if _, err := s.Login(ctx, "ann", "a new password", ip("198.51.100.1")); !isKind(err, apperr.Unauthenticated) {
		t.Fatalf("disabled user signs in: %v", err)
	}
	us, err := s.ListUsers(ctx)
	if err != nil || len(us) != 1 || !us[0].Disabled || us[0].Role != auth.Reviewer {
		t.Fatalf("ListUsers = %+v, %v", us, err)
	}
	if err := s.SetRole(ctx, "nobody", auth.Admin); !isKind(err, apperr.NotFound) {
		t.Fatalf("SetRole(unknown): %v", err)
	}
}

func TestLoginLimiter(t *testing.T) {
	s, _, c := newService(t)
	ctx := cliCtx()
	if _, err := s.CreateUser(ctx, "ann", auth.Admin, "correct horse", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, "bob", auth.Admin, "battery staple", ""); err != nil {
		t.Fatal(err)
	}
	a := ip("192.0.2.1")
	for i := 0; i < auth.DefaultLoginFailures; i++ {
		c.add(time.Minute)
		if _, err := s.Login(ctx, "ann", "guess", ip(fmt.Sprintf("192.0.2.%d", 10+i))); !isKind(err, apperr.Unauthenticated) {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	first := c.t.Add(-4 * time.Minute) // the first of the five failures
	// the name is blocked, from any address and even with the right password
	_, err := s.Login(ctx, "ann", "correct horse", a)
	if !isKind(err, apperr.TooMany) || !strings.Contains(err.Error(), "try again in 11 minutes") ||
		!strings.Contains(err.Error(), first.Add(auth.DefaultLoginWindow).Format("15:04")) {
		t.Fatalf("sixth attempt: %v, want TooMany with the time to retry", err)
	}
	if _, err := s.Login(ctx, "bob", "battery staple", a); err != nil {
		t.Fatalf("another name from a fresh address: %v", err)
	}
	c.t = first.Add(auth.DefaultLoginWindow) // the first failure leaves the window
	if _, err := s.Login(ctx, "ann", "correct horse", a); err != nil {
		t.Fatalf("after the window: %v", err)
	}
	// success cleared the name's failures: five more are allowed
	for i := 0; i < auth.DefaultLoginFailures-1; i++ {
		if _, err := s.Login(ctx, "ann", "guess", ip("2001:db8::1")); !isKind(err, apperr.Unauthenticated) {
			t.Fatalf("after success, failure %d: %v", i+1, err)
		}
	}
	// the address is limited too: one /64 spraying many names
	for i, name := range []string{"carol", "dave", "erin", "frank", "grace", "heidi"} {
		_, err := s.Login(ctx, name, "guess", ip(fmt.Sprintf("2001:db8::%x", 0xa+i)))
		if want := apperr.Unauthenticated; i >= 1 {
			want = apperr.TooMany // 4 failures above + 1 here = 5 from this /64
			if !isKind(err, want) {
				t.Fatalf("%s from the same /64: %v, want %s", name, err, want)
			}
		} else if !isKind(err, want) {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if _, err := s.Login(ctx, "bob", "battery staple", ip("2001:db8:0:1::1")); err != nil {
		t.Fatalf("the next /64 is not blocked: %v", err)
	}
}

func TestAuditRecord(t *testing.T) {
	s, _, c := newService(t)
	ctx := cliCtx()
	if err := s.Record(ctx, auth.Entry{Action: "campaign.launch", Target: "campaign 3"}); err != nil {
		t.Fatal(err)
	}
	web := auth.WithSession(context.Background(), auth.Session{Principal: auth.Principal{Kind: auth.KindUser, Name: "ann", Role: auth.Admin}})
	c.add(time.Second)
	if err := s.Record(web, auth.Entry{Action: "settings.change", Target: "shop.name", Detail: strings.Repeat("长", 2*auth.MaxAuditDetail)}); err != nil {
		t.Fatal(err)
	}
	if err := s.Record(ctx, auth.Entry{}); !isKind(err, apperr.Invalid) {
		t.Fatalf("entry without action: %v", err)
	}
	es, err := s.Audit(ctx, auth.AuditFilter{})
	if err != nil || len(es) != 2 || es[0].Actor != "user:ann" || es[1].Actor != "cli:ops" || !es[0].At.Equal(c.t) {
		t.Fatalf("Audit = %+v, %v", es, err)
	}
	if n := len([]rune(es[0].Detail)); n != auth.MaxAuditDetail {
		t.Fatalf("detail of %d runes, want cut to %d", n, auth.MaxAuditDetail)
	}
	if es, _ := s.Audit(ctx, auth.AuditFilter{Action: "campaign.launch"}); len(es) != 1 || es[0].Target != "campaign 3" {
		t.Fatalf("by action = %+v", es)
	}
	if _, err := s.Audit(ctx, auth.AuditFilter{Limit: -1}); !isKind(err, apperr.Invalid) {
		t.Fatalf("negative limit: %v", err)
	}
	if got := auth.Actor(context.Background()); got != "system" {
		t.Fatalf("Actor of a bare context = %q", got)
	}
}

// TestParseTokenID takes a positive number and refuses the rest as
// Invalid, naming what it was given.
func TestParseTokenID(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
	}{{"1", 1}, {"42", 42}, {"0", 0}, {"-3", 0}, {"#2", 0}, {"abc", 0}, {"", 0}} {
		id, err := auth.ParseTokenID(c.in)
		if c.want > 0 {
			if err != nil || id != c.want {
				t.Errorf("ParseTokenID(%q) = %d, %v; want %d", c.in, id, err, c.want)
			}
			continue
		}
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), fmt.Sprintf("%q", c.in)) {
			t.Errorf("ParseTokenID(%q) error %v; want Invalid naming the input", c.in, err)
		}
	}
}
