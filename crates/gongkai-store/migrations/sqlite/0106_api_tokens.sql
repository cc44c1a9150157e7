-- Tokens for the JSON API (docs/api.md): another system (a province's application platform,
-- the 12345 hotline) acts as one user through `Authorization: Bearer gk_…`. The token is shown
-- once when issued; only its SHA-256 is stored, so a copy of the database cannot be used to
-- call the API. Times are UTC to the second.
CREATE TABLE api_token (
    id           INTEGER PRIMARY KEY,
    token_hash   TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    user_id      INTEGER NOT NULL REFERENCES app_user (id),
    -- What the token is for, as the administrator named it (省级依申请公开平台).
    label        TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
    created_by   INTEGER NOT NULL REFERENCES app_user (id),
    created_at   TEXT NOT NULL,
    -- Every token ends: issued for at most a year.
    expires_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_token_user ON api_token (user_id);
