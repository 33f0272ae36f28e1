package auth

import (
	"context"
	"net/netip"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// The login limiter counts failed sign-ins per user name and per client
// address in the store (auth_login_failures), not in memory: the count
// survives a restart (which would otherwise reset an attacker's budget)
// and is shared by every `chorus serve` process on one PostgreSQL. A
// failure costs one small insert; the keys are hashed, so the table holds
// no name or address in the clear.

var errBadLogin = apperr.New(apperr.Unauthenticated, "wrong user name or password (用户名或密码错误)")

// limiterKeys are the limiter's keys of a sign-in: the folded name and
// the client's address (an IPv6 client by its /64, which one host
// usually holds whole). An invalid address (no network peer) has no key.
func limiterKeys(name string, client netip.Addr) []string {
	keys := []string{hashSecret("name:" + name)}
	if client.IsValid() {
		client = client.Unmap()
		if client.Is6() {
			client = netip.PrefixFrom(client, 64).Masked().Addr()
		}
		keys = append(keys, hashSecret("addr:"+client.String()))
	}
	return keys
}

// Login signs name in with password from client and returns the new
// session. A wrong name or password is Unauthenticated (the same error,
// after the same work, for both); too many recent failures for the name
// or the address is TooMany, saying when to retry.
func (s *Service) Login(ctx context.Context, name, password string, client netip.Addr) (sess Session, err error) {
	defer apperr.Wrapf(&err, "Service.Login")
	folded, nerr := NormalizeUserName(name)
	if nerr != nil {
		folded = "" // checked like an unknown name: same error, same time
	}
	keys := limiterKeys(folded, client)
	now := s.now()
	if err := s.limited(ctx, keys, now); err != nil {
		return Session{}, err
	}
	u, ok, err := s.checkPassword(ctx, folded, password)
	if err != nil {
		return Session{}, err
	}
	if !ok {
		if err := s.st.PruneLoginFailures(ctx, now.Add(-s.opts.LoginWindow)); err != nil {
			return Session{}, err
		}
		if err := s.st.AddLoginFailure(ctx, keys, now); err != nil {
			return Session{}, err
		}
		return Session{}, errBadLogin
	}
	if err := s.st.ClearLoginFailures(ctx, keys[0]); err != nil {
		return Session{}, err
	}
	return s.newSession(ctx, u, now)
}

// limited is TooMany when a key has LoginFailures failures in the window.
func (s *Service) limited(ctx context.Context, keys []string, now time.Time) error {
	max := s.opts.LoginFailures
	for _, k := range keys {
		ts, err := s.st.LoginFailures(ctx, k, now.Add(-s.opts.LoginWindow), max*4)
		if err != nil {
			return err
		}
		if len(ts) < max {
			continue
		}
		// the attempt after the oldest failures that keep the count at the
		// limit have left the window
		retry := ts[len(ts)-max].Add(s.opts.LoginWindow)
		wait := retry.Sub(now).Round(time.Minute)
		if wait < time.Minute {
			wait = time.Minute
		}
		return apperr.New(apperr.TooMany, "too many failed sign-ins: try again in %d minutes, at %s UTC (登录失败次数过多，请 %d 分钟后再试)",
			int(wait/time.Minute), retry.Format("15:04"), int(wait/time.Minute))
	}
	return nil
}

// checkPassword looks name up and checks password against her hash, or
// against a dummy hash when there is no such enabled user.
func (s *Service) checkPassword(ctx context.Context, name, password string) (User, bool, error) {
	var u User
	hash := ""
	if name != "" {
		var err error
		u, hash, err = s.st.UserByName(ctx, name)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return User{}, false, err
		}
	}
	real := hash != "" && !u.Disabled
	if !real {
		hash = s.dummyHash()
	}
	if len(password) > 4*MaxPassword {
		password = password[:4*MaxPassword]
	}
	ok, err := verifyPassword(password, hash)
	if err != nil {
		return User{}, false, apperr.Wrap(err, apperr.Internal, "check the password")
	}
	return u, ok && real, nil
}

// newSession stores a fresh session of u.
func (s *Service) newSession(ctx context.Context, u User, now time.Time) (Session, error) {
	secret, err := randomSecret()
	if err != nil {
		return Session{}, err
	}
	csrf, err := randomSecret()
	if err != nil {
		return Session{}, err
	}
	if err := s.st.DeleteExpiredSessions(ctx, now); err != nil {
		return Session{}, err
	}
	st := StoredSession{SecretHash: hashSecret(secret), UserID: u.ID, CSRF: csrf, CreatedAt: now,
		IdleExpires: now.Add(s.opts.SessionIdle), Expires: now.Add(s.opts.SessionMax)}
	if st.IdleExpires.After(st.Expires) {
		st.IdleExpires = st.Expires
	}
	if err := s.st.InsertSession(ctx, st); err != nil {
		return Session{}, err
	}
	return Session{Secret: secret, CSRF: csrf, Principal: userPrincipal(u), Expires: st.IdleExpires}, nil
}

func userPrincipal(u User) Principal {
	return Principal{Kind: KindUser, ID: u.ID, Name: u.Name, Role: u.Role, Lang: u.Lang}
}

var errNoSession = apperr.New(apperr.Unauthenticated, "the session has ended: sign in again (会话已结束，请重新登录)")

// extendAfter is how far the idle expiry must move before it is written
// again: a console page's several requests cost one write, not several.
const extendAfter = time.Minute

// SessionBySecret is the live session of a cookie's secret, with its
// user's current role and language; an unknown or expired session, or
// one of a disabled user, is Unauthenticated. Each use moves the idle
// expiry forward (never past the absolute one).
func (s *Service) SessionBySecret(ctx context.Context, secret string) (Session, error) {
	if secret == "" || len(secret) > 128 {
		return Session{}, errNoSession
	}
	h := hashSecret(secret)
	st, u, err := s.st.SessionByHash(ctx, h)
	if apperr.Is(err, apperr.NotFound) {
		return Session{}, errNoSession
	}
	if err != nil {
		return Session{}, err
	}
	now := s.now()
	if !now.Before(st.IdleExpires) || !now.Before(st.Expires) || u.Disabled {
		if err := s.st.DeleteSession(ctx, h); err != nil {
			return Session{}, err
		}
		return Session{}, errNoSession
	}
	idle := now.Add(s.opts.SessionIdle)
	if idle.After(st.Expires) {
		idle = st.Expires
	}
	if idle.Sub(st.IdleExpires) >= extendAfter {
		if err := s.st.ExtendSession(ctx, h, idle); err != nil {
			return Session{}, err
		}
		st.IdleExpires = idle
	}
	return Session{Secret: secret, CSRF: st.CSRF, Principal: userPrincipal(u), Expires: st.IdleExpires}, nil
}

// Logout ends the session of secret; ending an ended one is no error.
func (s *Service) Logout(ctx context.Context, secret string) error {
	if secret == "" {
		return nil
	}
	return s.st.DeleteSession(ctx, hashSecret(secret))
}
