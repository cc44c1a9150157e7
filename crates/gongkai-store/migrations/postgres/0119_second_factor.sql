-- The staff's second factor (docs/security.md#second-factor, RELIABILITY DB-IA-4): a TOTP
-- secret (RFC 6238) per enrolled user, and the sign-ins that passed the password and wait for
-- the code.

-- The secret is sealed with the data directory's key (enc:a1:…), never stored in the clear.
-- last_step is the last 30-second step a code was accepted for: a code is used once.
CREATE TABLE staff_totp (
    user_id     BIGINT PRIMARY KEY REFERENCES app_user (id),
    secret      TEXT NOT NULL CHECK (secret LIKE 'enc:%'),
    enrolled_at TIMESTAMPTZ NOT NULL,
    last_step   BIGINT NOT NULL DEFAULT 0
);

-- A sign-in between the password and the code. The browser holds a random ticket; only its
-- SHA-256 is stored. enrol_secret is the sealed secret offered to a user who must enrol
-- first (level 3 profile). A few wrong codes end the ticket.
CREATE TABLE sign_in_challenge (
    token_hash   TEXT PRIMARY KEY CHECK (length(token_hash) = 64),
    user_id      BIGINT NOT NULL REFERENCES app_user (id),
    client       TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    enrol_secret TEXT CHECK (enrol_secret LIKE 'enc:%'),
    failures     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sign_in_challenge_expires ON sign_in_challenge (expires_at);
