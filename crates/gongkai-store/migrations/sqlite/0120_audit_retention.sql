-- The audit log's retention (docs/audit-log.md#retention; RELIABILITY DB-MC-4, at least one
-- year): entries older than [audit] retention_days may be purged from the start of the log.
-- The anchor keeps the number and hash of the last purged entry, so the verifier starts
-- there; its own keyed hash (mac, under the data directory's key) stops anyone without the key
-- from moving it to hide deleted entries. seq 0 and an empty mac: nothing was ever purged.
CREATE TABLE audit_anchor (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    seq       BIGINT NOT NULL,
    hash      TEXT NOT NULL,
    purged_at TEXT,
    mac       TEXT NOT NULL
);
INSERT INTO audit_anchor (id, seq, hash, purged_at, mac) VALUES (1, 0, '', NULL, '');
