-- no-transaction
-- Supervision and roll-up (docs/supervision.md; 条例 Art. 49–50).
--
-- agency.org_code becomes optional: a unit known only by its published reports may be added
-- without one (a unit that uses gongkai keeps its code; the application layer requires it
-- there). SQLite cannot drop NOT NULL in place, so the table is rebuilt with foreign keys off
-- (the documented twelve-step procedure), inside one transaction.
--
-- unit_import: each report imported for a unit and year (append-only), as the interchange
-- JSON the importer wrote, with the file it came from.
-- unit_review: the supervisor's decisions (accept, or return with reasons), append-only; each
-- names the document it judged by its SHA-256, so a later document is pending again.
-- unit_report: the unit's current report for the year — the latest published version for a
-- gongkai unit, else the latest import — with what the dashboards need; rebuilt from the two
-- sources whenever one changes.
-- unit_cell: that report's cells, one row each, for the aggregate and its drill-down.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE agency_new (
    id         INTEGER PRIMARY KEY,
    region_id  INTEGER NOT NULL REFERENCES region (id),
    name       TEXT NOT NULL CHECK (length(name) > 0),
    org_code   TEXT UNIQUE CHECK (org_code IS NULL OR length(org_code) > 0),
    created_at TEXT NOT NULL,
    UNIQUE (region_id, name)
);
INSERT INTO agency_new (id, region_id, name, org_code, created_at)
    SELECT id, region_id, name, org_code, created_at FROM agency;
DROP TABLE agency;
ALTER TABLE agency_new RENAME TO agency;
CREATE INDEX agency_name ON agency (name);
CREATE INDEX agency_region ON agency (region_id);

CREATE TABLE unit_import (
    id          INTEGER PRIMARY KEY,
    agency_id   INTEGER NOT NULL REFERENCES agency (id),
    year        INTEGER NOT NULL,
    file_name   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    document    TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    imported_by INTEGER NOT NULL REFERENCES app_user (id),
    actor       TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
CREATE INDEX unit_import_unit ON unit_import (agency_id, year);

CREATE TABLE unit_review (
    id        INTEGER PRIMARY KEY,
    agency_id INTEGER NOT NULL REFERENCES agency (id),
    year      INTEGER NOT NULL,
    seq       INTEGER NOT NULL CHECK (seq >= 1),
    action    TEXT NOT NULL CHECK (action IN ('accept', 'return')),
    sha256    TEXT NOT NULL,                  -- the document judged
    reasons   TEXT,                           -- JSON [{"cell", "rule", "text"}], for a return
    user_id   INTEGER NOT NULL REFERENCES app_user (id),
    actor     TEXT NOT NULL,
    at        TEXT NOT NULL,
    UNIQUE (agency_id, year, seq),
    CHECK ((action = 'return') = (reasons IS NOT NULL))
);

CREATE TABLE unit_report (
    agency_id       INTEGER NOT NULL REFERENCES agency (id),
    year            INTEGER NOT NULL,
    origin          TEXT NOT NULL CHECK (origin IN ('gongkai', 'imported')),
    source_id       INTEGER NOT NULL,          -- report_version.id or unit_import.id
    sha256          TEXT NOT NULL,
    layout          TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    review          TEXT NOT NULL CHECK (review IN ('pending', 'accepted', 'returned')),
    included        INTEGER NOT NULL,          -- counted in the region's sums
    excluded_reason TEXT,
    failed_rules    TEXT NOT NULL,             -- error rules failed, space-separated
    unread_rules    TEXT NOT NULL,
    warnings        TEXT NOT NULL,
    cells_unread    INTEGER NOT NULL,
    received        INTEGER,                   -- 本年新收 total
    granted         INTEGER,                   -- 予以公开 total
    concluded       INTEGER,                   -- 办理结果总计 (applications answered)
    carried_over    INTEGER,                   -- 上年结转 total
    carried_forward INTEGER,                   -- 结转下年度继续办理 total
    PRIMARY KEY (agency_id, year),
    CHECK (included IN (0, 1))
);
CREATE INDEX unit_report_year ON unit_report (year, agency_id);

CREATE TABLE unit_cell (
    agency_id INTEGER NOT NULL,
    year      INTEGER NOT NULL,
    cell      TEXT NOT NULL,                   -- the JSON path
    state     TEXT NOT NULL CHECK (state IN ('value', 'blank', 'na', 'unread', 'invalid')),
    value     INTEGER,                         -- a count, or an amount in 元 (万元 × 10000)
    PRIMARY KEY (year, cell, agency_id),
    FOREIGN KEY (agency_id, year) REFERENCES unit_report (agency_id, year) ON DELETE CASCADE
) WITHOUT ROWID;                               -- clustered by year and cell: a sum scans in order
CREATE INDEX unit_cell_unit ON unit_cell (agency_id, year);

CREATE TRIGGER unit_import_no_update BEFORE UPDATE ON unit_import
BEGIN
    SELECT RAISE(ABORT, 'unit_import is append-only');
END;
CREATE TRIGGER unit_import_no_delete BEFORE DELETE ON unit_import
BEGIN
    SELECT RAISE(ABORT, 'unit_import is append-only');
END;
CREATE TRIGGER unit_review_no_update BEFORE UPDATE ON unit_review
BEGIN
    SELECT RAISE(ABORT, 'unit_review is append-only');
END;
CREATE TRIGGER unit_review_no_delete BEFORE DELETE ON unit_review
BEGIN
    SELECT RAISE(ABORT, 'unit_review is append-only');
END;
COMMIT;
PRAGMA foreign_keys = ON;
