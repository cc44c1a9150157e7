-- The audit log (docs/audit-log.md; 等保 DB-AU-1..3): who did what, when, from where, with
-- what outcome. Entries are numbered without gaps and chained: each carries the previous
-- entry's hash and its own keyed hash (HMAC under a key kept outside the database), so an
-- edited, deleted or reordered entry is found by `gongkai audit-log verify`. The table is
-- append-only; `audit_head` holds the last number and hash, so losing the newest entries shows
-- too, and serialises writers.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,          -- UTC, RFC 3339
    actor_id    INTEGER,                -- app_user.id; NULL for anonymous callers and the system
    actor       TEXT NOT NULL,          -- the display name at the time, 'anonymous' or 'system'
    client      TEXT NOT NULL,          -- client address, or 'cli'
    action      TEXT NOT NULL,          -- e.g. 'POST /staff/cases/{number}/events/{form}'
    object      TEXT NOT NULL,          -- e.g. '2026-000001', or ''
    outcome     TEXT NOT NULL CHECK (outcome IN ('success', 'refused', 'error')),
    detail      TEXT NOT NULL,          -- status code or exit code and a short reason; never personal data
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);

CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   INTEGER NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
