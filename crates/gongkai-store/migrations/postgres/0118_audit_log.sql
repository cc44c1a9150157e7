-- The audit log (docs/audit-log.md; 等保 DB-AU-1..3): who did what, when, from where, with
-- what outcome. Entries are numbered without gaps and chained: each carries the previous
-- entry's hash and its own keyed hash (HMAC under a key kept outside the database), so an
-- edited, deleted or reordered entry is found by `gongkai audit-log verify`. The table is
-- append-only; `audit_head` holds the last number and hash, so losing the newest entries shows
-- too, and its row lock serialises writers.
CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    actor_id    BIGINT,
    actor       TEXT NOT NULL,
    client      TEXT NOT NULL,
    action      TEXT NOT NULL,
    object      TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('success', 'refused', 'error')),
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);

CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION gongkai_refuse_change('the audit log is append-only');
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION gongkai_refuse_change('the audit log is append-only');
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION gongkai_refuse_change('the audit log is append-only');
