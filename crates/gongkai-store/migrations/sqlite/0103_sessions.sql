-- Staff sign-in on the web (docs/security.md): a password per user, sessions, and the failed
-- attempts the lockout counts.

-- The Argon2id hash of the user's password as a PHC string (`$argon2id$v=19$m=…`), which keeps
-- its parameters so they can be raised on the next sign-in. A user without one cannot sign in
-- on the web (the command line acts through --as or the local operator).
ALTER TABLE app_user ADD COLUMN password_hash TEXT CHECK (password_hash LIKE '$argon2id$%');
ALTER TABLE app_user ADD COLUMN password_changed_at TEXT;

-- A signed-in browser. The cookie carries a random token; only its SHA-256 is stored, so a
-- copy of the database cannot be used to sign in. Times are UTC to the second.
CREATE TABLE staff_session (
    token_hash   TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    user_id      INTEGER NOT NULL REFERENCES app_user (id),
    -- The session's secret for its forms' anti-forgery tokens (docs/security.md#csrf).
    csrf_secret  TEXT NOT NULL CHECK (length(csrf_secret) = 64),
    -- The client address at sign-in (the peer, or a trusted proxy's X-Forwarded-For).
    client       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    -- The absolute limit: created_at plus [auth] absolute_hours at sign-in.
    expires_at   TEXT NOT NULL
);
CREATE INDEX staff_session_user ON staff_session (user_id);
CREATE INDEX staff_session_expires ON staff_session (expires_at);

-- A failed sign-in: by the name typed (known or not, so a lockout says nothing about whether
-- a user exists) and the client it came from. Working state of the lockout, pruned once older
-- than its window; not the audit log.
CREATE TABLE sign_in_failure (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    client     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX sign_in_failure_name ON sign_in_failure (name, created_at);
CREATE INDEX sign_in_failure_client ON sign_in_failure (client, created_at);
