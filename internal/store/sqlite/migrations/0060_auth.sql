-- Who may do what (issue 15): API tokens, console users, their sessions,
-- failed sign-ins for the login limiter, and the audit log. Secrets are
-- never stored: a token's and a session's SHA-256 (hex), a password's
-- argon2id PHC string. A login failure is kept as the SHA-256 of its key
-- ("name:…" or "addr:…"), so the table holds no user name or address in
-- the clear. Times are Unix microseconds; 0 means never.
CREATE TABLE auth_tokens (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    scope       TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    last_used   INTEGER NOT NULL DEFAULT 0,
    revoked_at  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE auth_users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL,
    lang          TEXT NOT NULL DEFAULT 'en',
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE auth_sessions (
    secret_hash  TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES auth_users (id) ON DELETE CASCADE,
    csrf         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    idle_expires INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX auth_sessions_user ON auth_sessions (user_id);

CREATE TABLE auth_login_failures (
    key_hash  TEXT NOT NULL,
    failed_at INTEGER NOT NULL
);
CREATE INDEX auth_login_failures_key ON auth_login_failures (key_hash, failed_at);
CREATE INDEX auth_login_failures_at ON auth_login_failures (failed_at);

CREATE TABLE audit_log (
    id     INTEGER PRIMARY KEY,
    at     INTEGER NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_action ON audit_log (action, id);
