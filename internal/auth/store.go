package auth

import (
	"context"
	"time"
)

// Store keeps tokens, users, sessions, failed sign-ins and the audit log.
// It is declared here, where it is used; store/sqlstore implements it on
// both engines and store/storetest (RunAuth) proves they agree.
//
// Secrets never reach it: a token's or a session's secret arrives as its
// SHA-256 in hex, a password as its argon2id PHC string, a limiter key as
// its SHA-256. Lookups of something missing return an apperr.NotFound
// error. A method that changes access takes the audit entry that records
// the change and writes both in one transaction.
type Store interface {
	// InsertToken stores t (ID ignored) and e, whose Target it sets to
	// "token ID", and returns t with its ID.
	InsertToken(ctx context.Context, t Token, secretHash string, e Entry) (Token, error)
	// ListTokens is every token, revoked ones too, oldest first.
	ListTokens(ctx context.Context) ([]Token, error)
	// TokenByHash is the token whose secret has that hash, revoked or not.
	TokenByHash(ctx context.Context, secretHash string) (Token, error)
	// TouchToken sets the token's last use to at.
	TouchToken(ctx context.Context, id int64, at time.Time) error
	// RevokeToken marks token id revoked at at (a token revoked before
	// keeps its first time) and stores e; NotFound for an unknown id.
	RevokeToken(ctx context.Context, id int64, at time.Time, e Entry) (Token, error)

	// InsertUser stores u (ID ignored) with its password hash, and e; a
	// taken name is an apperr.Conflict error.
	InsertUser(ctx context.Context, u User, passwordHash string, e Entry) (User, error)
	// ListUsers is every user in name order.
	ListUsers(ctx context.Context) ([]User, error)
	// UserByName is the user of that (folded) name and her password hash.
	UserByName(ctx context.Context, name string) (User, string, error)
	// SetUserPassword replaces the user's password hash, ends all her
	// sessions and stores e.
	SetUserPassword(ctx context.Context, name, passwordHash string, e Entry) error
	// SetUserRole changes the user's role and stores e.
	SetUserRole(ctx context.Context, name string, r Role, e Entry) error
	// DisableUser marks the user disabled, ends all her sessions and
	// stores e.
	DisableUser(ctx context.Context, name string, e Entry) error

	// InsertSession stores a new session.
	InsertSession(ctx context.Context, s StoredSession) error
	// SessionByHash is the session of that secret hash and its user.
	SessionByHash(ctx context.Context, secretHash string) (StoredSession, User, error)
	// ExtendSession moves the session's idle expiry to idle.
	ExtendSession(ctx context.Context, secretHash string, idle time.Time) error
	// DeleteSession ends a session; ending a missing one is no error.
	DeleteSession(ctx context.Context, secretHash string) error
	// DeleteExpiredSessions ends the sessions whose idle or absolute
	// expiry is at or before now.
	DeleteExpiredSessions(ctx context.Context, now time.Time) error

	// AddLoginFailure records a failed sign-in at at under each key.
	AddLoginFailure(ctx context.Context, keys []string, at time.Time) error
	// LoginFailures are the times of the key's failures after since,
	// oldest first, at most limit of them.
	LoginFailures(ctx context.Context, key string, since time.Time, limit int) ([]time.Time, error)
	// ClearLoginFailures forgets the key's failures.
	ClearLoginFailures(ctx context.Context, key string) error
	// PruneLoginFailures forgets failures at or before before.
	PruneLoginFailures(ctx context.Context, before time.Time) error

	// InsertAudit appends e (ID ignored) and returns it with its ID.
	InsertAudit(ctx context.Context, e Entry) (Entry, error)
	// ListAudit is the entries f selects, newest first.
	ListAudit(ctx context.Context, f AuditFilter) ([]Entry, error)
}

// StoredSession is a session as the store keeps it: the SHA-256 of its
// secret, never the secret.
type StoredSession struct {
	SecretHash  string
	UserID      int64
	CSRF        string
	CreatedAt   time.Time
	IdleExpires time.Time // slides forward with use, never past Expires
	Expires     time.Time // the absolute end
}

// AuditFilter selects audit entries. The zero filter is the latest
// DefaultAuditLimit entries.
type AuditFilter struct {
	Limit    int    // at most this many (0: DefaultAuditLimit; at most MaxAuditLimit)
	Action   string // only this action, e.g. "campaign.launch"
	Actor    string // only this actor, e.g. "user:alice"
	BeforeID int64  // only entries older than this one (keyset paging)
}

// Limits of an audit listing.
const (
	DefaultAuditLimit = 100
	MaxAuditLimit     = 1000
)
