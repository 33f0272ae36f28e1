package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Options shape a Service; zero fields take the defaults.
type Options struct {
	// Now is the clock (tests inject one); nil is time.Now.
	Now func() time.Time
	// SessionIdle ends a session not used for this long (12h).
	SessionIdle time.Duration
	// SessionMax ends a session this long after sign-in, used or not (7 days).
	SessionMax time.Duration
	// LoginFailures failed sign-ins within LoginWindow, for one user name
	// or from one client address, block further attempts (5 in 15 minutes).
	LoginFailures int
	LoginWindow   time.Duration
	// TokenTouch is how stale a token's recorded last use may get: a
	// token used again sooner is not written again (1 minute).
	TokenTouch time.Duration
	// Argon2 are the parameters of new password hashes (DefaultArgon2).
	Argon2 Argon2
}

// The defaults of Options.
const (
	DefaultSessionIdle   = 12 * time.Hour
	DefaultSessionMax    = 7 * 24 * time.Hour
	DefaultLoginFailures = 5
	DefaultLoginWindow   = 15 * time.Minute
	DefaultTokenTouch    = time.Minute
)

// TokenPrefix starts every API token, so that a leaked one is easy to
// recognise (secret scanners, logs).
const TokenPrefix = "chorus_"

// Service issues and checks tokens, passwords and sessions, limits
// sign-in attempts and keeps the audit log. It is safe for concurrent use.
//
// Errors: bad input is apperr.Invalid with a message naming what to
// change; a wrong, unknown, expired or revoked credential is
// apperr.Unauthenticated; too many failed sign-ins is apperr.TooMany with
// the time to retry; an unknown user or token is apperr.NotFound.
//
// Every change of access (a token created or revoked, a user created,
// her password, role or state changed) is written to the audit log in the
// same transaction, with the actor of ctx (Actor).
type Service struct {
	st   Store
	opts Options

	dummyOnce sync.Once
	dummy     string // a hash checked for unknown names, so they cost the same
}

// New returns a Service over st.
func New(st Store, opts Options) *Service {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&opts.SessionIdle, DefaultSessionIdle)
	def(&opts.SessionMax, DefaultSessionMax)
	def(&opts.LoginWindow, DefaultLoginWindow)
	def(&opts.TokenTouch, DefaultTokenTouch)
	if opts.LoginFailures <= 0 {
		opts.LoginFailures = DefaultLoginFailures
	}
	if opts.Argon2 == (Argon2{}) {
		opts.Argon2 = DefaultArgon2
	}
	return &Service{st: st, opts: opts}
}

func (s *Service) now() time.Time { return s.opts.Now().UTC() }

// randomSecret is 32 bytes from crypto/rand in unpadded base64url.
func randomSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", apperr.Wrap(err, apperr.Internal, "read random bytes")
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// hashSecret is the SHA-256 of a secret in hex: what the store keeps.
// A fast hash is enough for 256-bit random secrets, which no one can guess.
func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// entry is an audit entry of ctx's actor at the service's time.
func (s *Service) entry(ctx context.Context, action, target, detail string) Entry {
	return Entry{At: s.now(), Actor: Actor(ctx), Action: action, Target: target, Detail: detail}
}

// ParseScope is the scope named by v, or an Invalid error listing them.
func ParseScope(v string) (Scope, error) {
	for _, sc := range Scopes {
		if string(sc) == strings.ToLower(strings.TrimSpace(v)) {
			return sc, nil
		}
	}
	return "", apperr.New(apperr.Invalid, "unknown scope %q: use read, write or send", v)
}

// ParseRole is the role named by v, or an Invalid error listing them.
func ParseRole(v string) (Role, error) {
	for _, r := range Roles {
		if string(r) == strings.ToLower(strings.TrimSpace(v)) {
			return r, nil
		}
	}
	return "", apperr.New(apperr.Invalid, "unknown role %q: use admin, marketer, reviewer or analyst", v)
}

// ParseTokenID is the token id written v, or an Invalid error: an id is
// a positive number.
func ParseTokenID(v string) (int64, error) {
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.Invalid, "a token ID is a positive number (see chorus token list), not %q", v)
	}
	return id, nil
}

// MaxTokenName bounds a token's label, in runes.
const MaxTokenName = 64

// CreateToken issues an API token of scope named name (empty: the scope's
// name) and returns its secret, which is shown once and never stored.
func (s *Service) CreateToken(ctx context.Context, name string, scope Scope) (secret string, t Token, err error) {
	defer apperr.Wrapf(&err, "Service.CreateToken")
	if scope, err = ParseScope(string(scope)); err != nil {
		return "", Token{}, err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = string(scope)
	}
	if n := utf8.RuneCountInString(name); n > MaxTokenName || !utf8.ValidString(name) || strings.ContainsFunc(name, unicode.IsControl) {
		return "", Token{}, apperr.New(apperr.Invalid, "a token name is at most %d printable characters", MaxTokenName)
	}
	raw, err := randomSecret()
	if err != nil {
		return "", Token{}, err
	}
	secret = TokenPrefix + raw
	t = Token{Name: name, Scope: scope, CreatedAt: s.now()}
	t, err = s.st.InsertToken(ctx, t, hashSecret(secret), s.entry(ctx, "token.create", "", "scope "+string(scope)+", name "+name))
	if err != nil {
		return "", Token{}, err
	}
	return secret, t, nil
}

// ListTokens is every token, revoked ones too, oldest first (none is an
// empty list, which JSON writes as [], not null).
func (s *Service) ListTokens(ctx context.Context) (Tokens, error) {
	ts, err := s.st.ListTokens(ctx)
	return orEmpty(ts), err
}

// RevokeToken revokes token id at once; revoking it again is harmless.
// An unknown id is NotFound.
func (s *Service) RevokeToken(ctx context.Context, id int64) (err error) {
	defer apperr.Wrapf(&err, "Service.RevokeToken(%d)", id)
	_, err = s.st.RevokeToken(ctx, id, s.now(), s.entry(ctx, "token.revoke", "token "+strconv.FormatInt(id, 10), ""))
	return err
}

var errBadToken = apperr.New(apperr.Unauthenticated, "the API token is unknown or revoked")

// VerifyToken is the principal of an API token's secret; an unknown or
// revoked one is Unauthenticated. It records the token's last use, at
// most once per Options.TokenTouch.
func (s *Service) VerifyToken(ctx context.Context, secret string) (Principal, error) {
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 128 {
		return Principal{}, errBadToken
	}
	t, err := s.st.TokenByHash(ctx, hashSecret(secret))
	if apperr.Is(err, apperr.NotFound) || err == nil && !t.RevokedAt.IsZero() {
		return Principal{}, errBadToken
	}
	if err != nil {
		return Principal{}, err
	}
	if now := s.now(); now.Sub(t.LastUsed) >= s.opts.TokenTouch {
		if err := s.st.TouchToken(ctx, t.ID, now); err != nil {
			return Principal{}, err
		}
	}
	return Principal{Kind: KindToken, ID: t.ID, Name: t.Name, Scope: t.Scope}, nil
}

// MaxUserName bounds a user name, in runes.
const MaxUserName = 64

// NormalizeUserName is name as stored (trimmed, lower case), or an
// Invalid error saying what a name may hold.
func NormalizeUserName(name string) (string, error) {
	name = strings.ToLower(strings.TrimSpace(name))
	ok := name != "" && utf8.ValidString(name) && utf8.RuneCountInString(name) <= MaxUserName
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("._-@", r) {
			ok = false
		}
	}
	if !ok {
		return "", apperr.New(apperr.Invalid, "a user name is 1 to %d letters, digits or . _ - @ (no spaces)", MaxUserName)
	}
	return name, nil
}

// ParseLang is a console language: "zh" or "en"; empty is "en".
func ParseLang(lang string) (string, error) {
	switch l := strings.ToLower(strings.TrimSpace(lang)); l {
	case "":
		return "en", nil
	case "zh", "en":
		return l, nil
	}
	return "", apperr.New(apperr.Invalid, "unknown language %q: use zh or en", lang)
}

// CreateUser adds a console user; a taken name is Conflict.
func (s *Service) CreateUser(ctx context.Context, name string, role Role, password, lang string) (u User, err error) {
	defer apperr.Wrapf(&err, "Service.CreateUser")
	if u.Name, err = NormalizeUserName(name); err != nil {
		return User{}, err
	}
	if u.Role, err = ParseRole(string(role)); err != nil {
		return User{}, err
	}
	if u.Lang, err = ParseLang(lang); err != nil {
		return User{}, err
	}
	hash, err := s.newHash(password)
	if err != nil {
		return User{}, err
	}
	u.CreatedAt = s.now()
	return s.st.InsertUser(ctx, u, hash, s.entry(ctx, "user.create", "user "+u.Name, "role "+string(u.Role)))
}

func (s *Service) newHash(password string) (string, error) {
	if err := checkPassword(password); err != nil {
		return "", err
	}
	return hashPassword(password, s.opts.Argon2)
}

// ListUsers is every user in name order (none is an empty list).
func (s *Service) ListUsers(ctx context.Context) (Users, error) {
	us, err := s.st.ListUsers(ctx)
	return orEmpty(us), err
}

// orEmpty is s, or an empty list rather than null in JSON.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// SetPassword replaces the user's password and signs her out everywhere.
func (s *Service) SetPassword(ctx context.Context, name, password string) (err error) {
	defer apperr.Wrapf(&err, "Service.SetPassword")
	if name, err = NormalizeUserName(name); err != nil {
		return err
	}
	hash, err := s.newHash(password)
	if err != nil {
		return err
	}
	return s.st.SetUserPassword(ctx, name, hash, s.entry(ctx, "user.password", "user "+name, ""))
}

// SetRole changes the user's role; her sessions have it at once.
func (s *Service) SetRole(ctx context.Context, name string, role Role) (err error) {
	defer apperr.Wrapf(&err, "Service.SetRole")
	if name, err = NormalizeUserName(name); err != nil {
		return err
	}
	if role, err = ParseRole(string(role)); err != nil {
		return err
	}
	return s.st.SetUserRole(ctx, name, role, s.entry(ctx, "user.role", "user "+name, "role "+string(role)))
}

// DisableUser stops the user from signing in and ends her sessions.
func (s *Service) DisableUser(ctx context.Context, name string) (err error) {
	defer apperr.Wrapf(&err, "Service.DisableUser")
	if name, err = NormalizeUserName(name); err != nil {
		return err
	}
	return s.st.DisableUser(ctx, name, s.entry(ctx, "user.disable", "user "+name, ""))
}

// dummyHash is a hash of a random password with the service's
// parameters: checked against the given password when the name is
// unknown or disabled, so that such a sign-in takes as long as a wrong
// password and does not tell which names exist.
func (s *Service) dummyHash() string {
	s.dummyOnce.Do(func() {
		pw, err := randomSecret()
		if err == nil {
			s.dummy, err = hashPassword(pw, s.opts.Argon2)
		}
		if err != nil {
			s.dummy = ""
		}
	})
	return s.dummy
}

// CheckCSRF reports, in constant time, whether token is sess's CSRF token.
func (s *Service) CheckCSRF(sess Session, token string) bool {
	return sess.CSRF != "" && subtle.ConstantTimeCompare([]byte(sess.CSRF), []byte(token)) == 1
}

// Actor names who acts in ctx for the audit log: the signed-in principal
// ("user:NAME", "token:NAME"), else what WithActor set (the CLI's
// "cli:OS-USER"), else "system".
func Actor(ctx context.Context) string {
	if p, ok := PrincipalFrom(ctx); ok {
		return ActorOf(p)
	}
	if a, ok := ctx.Value(actorKey{}).(string); ok && a != "" {
		return a
	}
	return "system"
}

// ActorOf is p's name in the audit log.
func ActorOf(p Principal) string {
	return fmt.Sprintf("%s:%s", p.Kind, p.Name)
}

type actorKey struct{}

// WithActor returns ctx whose actor (for a caller with no principal, such
// as the CLI) is actor, e.g. "cli:alice".
func WithActor(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// RandomPassword is a new password of 80 random bits in 16 lower-case
// letters and digits (base32), easy to type from a terminal.
func RandomPassword() (string, error) {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		return "", apperr.Wrap(err, apperr.Internal, "read random bytes")
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)), nil
}

// UserByName is the user of that name; NotFound when there is none.
func (s *Service) UserByName(ctx context.Context, name string) (User, error) {
	name, err := NormalizeUserName(name)
	if err != nil {
		return User{}, err
	}
	u, _, err := s.st.UserByName(ctx, name)
	return u, err
}
