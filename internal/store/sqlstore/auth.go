package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
)

// Tokens, users, sessions, failed sign-ins and the audit log (migration
// 0060); see auth.Store for the contract.

var _ auth.Store = (*Store)(nil)

const tokenCols = `id, name, scope, created_at, last_used, revoked_at`

func scanToken(sc interface{ Scan(...any) error }) (auth.Token, error) {
	var t auth.Token
	var created, used, revoked int64
	err := sc.Scan(&t.ID, &t.Name, &t.Scope, &created, &used, &revoked)
	t.CreatedAt, t.LastUsed, t.RevokedAt = FromMicros(created), FromMicros(used), FromMicros(revoked)
	return t, err
}

// insertAccessAudit appends e to audit_log inside tx.
func insertAccessAudit(ctx context.Context, tx *sql.Tx, e auth.Entry) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO audit_log (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		Micros(e.At), e.Actor, e.Action, e.Target, e.Detail).Scan(&id)
	return id, err
}

// InsertToken stores t and its audit entry in one transaction.
func (s *Store) InsertToken(ctx context.Context, t auth.Token, secretHash string, e auth.Entry) (_ auth.Token, err error) {
	defer s.wrap(&err, "Store.InsertToken")
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO auth_tokens (name, scope, secret_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			t.Name, string(t.Scope), secretHash, Micros(t.CreatedAt)).Scan(&t.ID); err != nil {
			return err
		}
		e.Target = "token " + strconv.FormatInt(t.ID, 10)
		_, err := insertAccessAudit(ctx, tx, e)
		return err
	})
	return t, err
}

// ListTokens is every token, oldest first.
func (s *Store) ListTokens(ctx context.Context) (out []auth.Token, err error) {
	defer s.wrap(&err, "Store.ListTokens")
	rows, err := s.db.QueryContext(ctx, `SELECT `+tokenCols+` FROM auth_tokens ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// TokenByHash is the token of a secret's hash.
func (s *Store) TokenByHash(ctx context.Context, secretHash string) (_ auth.Token, err error) {
	defer s.wrap(&err, "Store.TokenByHash")
	t, err := scanToken(s.db.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM auth_tokens WHERE secret_hash = $1`, secretHash))
	if errors.Is(err, sql.ErrNoRows) {
		return t, apperr.New(apperr.NotFound, "no such token")
	}
	return t, err
}

// TouchToken records the token's last use.
func (s *Store) TouchToken(ctx context.Context, id int64, at time.Time) (err error) {
	defer s.wrap(&err, "Store.TouchToken(%d)", id)
	_, err = s.db.ExecContext(ctx, `UPDATE auth_tokens SET last_used = $1 WHERE id = $2 AND last_used < $1`, Micros(at), id)
	return err
}

// RevokeToken marks the token revoked (keeping an earlier time) and
// stores e, in one transaction.
func (s *Store) RevokeToken(ctx context.Context, id int64, at time.Time, e auth.Entry) (t auth.Token, err error) {
	defer s.wrap(&err, "Store.RevokeToken(%d)", id)
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		t, err = scanToken(tx.QueryRowContext(ctx, `UPDATE auth_tokens SET revoked_at = CASE WHEN revoked_at = 0 THEN $1 ELSE revoked_at END
			WHERE id = $2 RETURNING `+tokenCols, Micros(at), id))
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "no token has id %d (see chorus token list)", id)
		}
		if err != nil {
			return err
		}
		_, err = insertAccessAudit(ctx, tx, e)
		return err
	})
	return t, err
}

const userCols = `id, name, role, lang, created_at, disabled`

func scanUser(sc interface{ Scan(...any) error }, extra ...any) (auth.User, error) {
	var u auth.User
	var created int64
	err := sc.Scan(append([]any{&u.ID, &u.Name, &u.Role, &u.Lang, &created, &u.Disabled}, extra...)...)
	u.CreatedAt = FromMicros(created)
	return u, err
}

// InsertUser stores u and its audit entry; a taken name is Conflict.
func (s *Store) InsertUser(ctx context.Context, u auth.User, passwordHash string, e auth.Entry) (_ auth.User, err error) {
	defer s.wrap(&err, "Store.InsertUser(%q)", u.Name)
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO auth_users (name, role, lang, password_hash, created_at, disabled) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (name) DO NOTHING RETURNING id`, u.Name, string(u.Role), u.Lang, passwordHash, Micros(u.CreatedAt), u.Disabled).Scan(&u.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.Conflict, "a user named %q exists (change her with chorus user set-password or set-role)", u.Name)
		}
		if err != nil {
			return err
		}
		_, err = insertAccessAudit(ctx, tx, e)
		return err
	})
	return u, err
}

// ListUsers is every user in name order.
func (s *Store) ListUsers(ctx context.Context) (out []auth.User, err error) {
	defer s.wrap(&err, "Store.ListUsers")
	rows, err := s.db.QueryContext(ctx, `SELECT `+userCols+` FROM auth_users ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func noUser(name string) error {
	return apperr.New(apperr.NotFound, "no user is named %q (see chorus user list)", name)
}

// UserByName is the user and her password hash.
func (s *Store) UserByName(ctx context.Context, name string) (u auth.User, hash string, err error) {
	defer s.wrap(&err, "Store.UserByName(%q)", name)
	u, err = scanUser(s.db.QueryRowContext(ctx, `SELECT `+userCols+`, password_hash FROM auth_users WHERE name = $1`, name), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return u, "", noUser(name)
	}
	return u, hash, err
}

// changeUser runs set (an UPDATE of auth_users … WHERE name = $1) on the
// user, ends her sessions when endSessions, and stores e.
func (s *Store) changeUser(ctx context.Context, name string, endSessions bool, e auth.Entry, set string, args ...any) error {
	return s.Tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, set+` RETURNING id`, append([]any{name}, args...)...).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return noUser(name)
		}
		if err != nil {
			return err
		}
		if endSessions {
			if _, err := tx.ExecContext(ctx, `DELETE FROM auth_sessions WHERE user_id = $1`, id); err != nil {
				return err
			}
		}
		_, err = insertAccessAudit(ctx, tx, e)
		return err
	})
}

// SetUserPassword replaces the hash and ends the user's sessions.
func (s *Store) SetUserPassword(ctx context.Context, name, passwordHash string, e auth.Entry) (err error) {
	defer s.wrap(&err, "Store.SetUserPassword(%q)", name)
	return s.changeUser(ctx, name, true, e, `UPDATE auth_users SET password_hash = $2 WHERE name = $1`, passwordHash)
}

// SetUserRole changes the user's role.
func (s *Store) SetUserRole(ctx context.Context, name string, r auth.Role, e auth.Entry) (err error) {
	defer s.wrap(&err, "Store.SetUserRole(%q)", name)
	return s.changeUser(ctx, name, false, e, `UPDATE auth_users SET role = $2 WHERE name = $1`, string(r))
}

// DisableUser disables the user and ends her sessions.
func (s *Store) DisableUser(ctx context.Context, name string, e auth.Entry) (err error) {
	defer s.wrap(&err, "Store.DisableUser(%q)", name)
	return s.changeUser(ctx, name, true, e, `UPDATE auth_users SET disabled = $2 WHERE name = $1`, true)
}

// InsertSession stores a session.
func (s *Store) InsertSession(ctx context.Context, ss auth.StoredSession) (err error) {
	defer s.wrap(&err, "Store.InsertSession")
	_, err = s.db.ExecContext(ctx, `INSERT INTO auth_sessions (secret_hash, user_id, csrf, created_at, idle_expires, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		ss.SecretHash, ss.UserID, ss.CSRF, Micros(ss.CreatedAt), Micros(ss.IdleExpires), Micros(ss.Expires))
	return err
}

// SessionByHash is the session and its user.
func (s *Store) SessionByHash(ctx context.Context, secretHash string) (ss auth.StoredSession, u auth.User, err error) {
	defer s.wrap(&err, "Store.SessionByHash")
	var created, idle, expires, userCreated int64
	err = s.db.QueryRowContext(ctx, `SELECT s.secret_hash, s.user_id, s.csrf, s.created_at, s.idle_expires, s.expires_at,
			u.id, u.name, u.role, u.lang, u.created_at, u.disabled
		FROM auth_sessions s JOIN auth_users u ON u.id = s.user_id WHERE s.secret_hash = $1`, secretHash).Scan(
		&ss.SecretHash, &ss.UserID, &ss.CSRF, &created, &idle, &expires, &u.ID, &u.Name, &u.Role, &u.Lang, &userCreated, &u.Disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return ss, u, apperr.New(apperr.NotFound, "no such session")
	}
	ss.CreatedAt, ss.IdleExpires, ss.Expires = FromMicros(created), FromMicros(idle), FromMicros(expires)
	u.CreatedAt = FromMicros(userCreated)
	return ss, u, err
}

// ExtendSession moves the idle expiry.
func (s *Store) ExtendSession(ctx context.Context, secretHash string, idle time.Time) (err error) {
	defer s.wrap(&err, "Store.ExtendSession")
	_, err = s.db.ExecContext(ctx, `UPDATE auth_sessions SET idle_expires = $1 WHERE secret_hash = $2`, Micros(idle), secretHash)
	return err
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, secretHash string) (err error) {
	defer s.wrap(&err, "Store.DeleteSession")
	_, err = s.db.ExecContext(ctx, `DELETE FROM auth_sessions WHERE secret_hash = $1`, secretHash)
	return err
}

// DeleteExpiredSessions ends the expired sessions.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (err error) {
	defer s.wrap(&err, "Store.DeleteExpiredSessions")
	_, err = s.db.ExecContext(ctx, `DELETE FROM auth_sessions WHERE idle_expires <= $1 OR expires_at <= $1`, Micros(now))
	return err
}

// AddLoginFailure records one failure under each key.
func (s *Store) AddLoginFailure(ctx context.Context, keys []string, at time.Time) (err error) {
	defer s.wrap(&err, "Store.AddLoginFailure")
	if len(keys) == 0 {
		return nil
	}
	args := make([]any, 0, 2*len(keys))
	for _, k := range keys {
		args = append(args, k, Micros(at))
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO auth_login_failures (key_hash, failed_at) VALUES `+placeholders(len(keys), 2), args...)
	return err
}

// LoginFailures are the key's failure times after since, oldest first.
func (s *Store) LoginFailures(ctx context.Context, key string, since time.Time, limit int) (out []time.Time, err error) {
	defer s.wrap(&err, "Store.LoginFailures")
	rows, err := s.db.QueryContext(ctx, `SELECT failed_at FROM auth_login_failures WHERE key_hash = $1 AND failed_at > $2 ORDER BY failed_at LIMIT $3`,
		key, Micros(since), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var at int64
		if err := rows.Scan(&at); err != nil {
			return nil, err
		}
		out = append(out, FromMicros(at))
	}
	return out, rows.Err()
}

// ClearLoginFailures forgets the key's failures.
func (s *Store) ClearLoginFailures(ctx context.Context, key string) (err error) {
	defer s.wrap(&err, "Store.ClearLoginFailures")
	_, err = s.db.ExecContext(ctx, `DELETE FROM auth_login_failures WHERE key_hash = $1`, key)
	return err
}

// PruneLoginFailures forgets old failures.
func (s *Store) PruneLoginFailures(ctx context.Context, before time.Time) (err error) {
	defer s.wrap(&err, "Store.PruneLoginFailures")
	_, err = s.db.ExecContext(ctx, `DELETE FROM auth_login_failures WHERE failed_at <= $1`, Micros(before))
	return err
}

// InsertAudit appends an entry.
func (s *Store) InsertAudit(ctx context.Context, e auth.Entry) (_ auth.Entry, err error) {
	defer s.wrap(&err, "Store.InsertAudit")
	err = s.Tx(ctx, func(tx *sql.Tx) error {
		e.ID, err = insertAccessAudit(ctx, tx, e)
		return err
	})
	return e, err
}

// ListAudit is the entries f selects, newest first.
func (s *Store) ListAudit(ctx context.Context, f auth.AuditFilter) (out []auth.Entry, err error) {
	defer s.wrap(&err, "Store.ListAudit")
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.Replace(cond, "?", "$"+strconv.Itoa(len(args)), 1))
	}
	if f.Action != "" {
		add("action = ?", f.Action)
	}
	if f.Actor != "" {
		add("actor = ?", f.Actor)
	}
	if f.BeforeID > 0 {
		add("id < ?", f.BeforeID)
	}
	q := `SELECT id, at, actor, action, target, detail FROM audit_log`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, " AND ")
	}
	args = append(args, f.Limit)
	q += ` ORDER BY id DESC LIMIT $` + strconv.Itoa(len(args))
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var e auth.Entry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Target, &e.Detail); err != nil {
			return nil, err
		}
		e.At = FromMicros(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
