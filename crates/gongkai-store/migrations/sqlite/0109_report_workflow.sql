-- The annual report's narrative, workflow and published versions
-- (docs/rules/annual-report.md#workflow; 条例 Art. 49–50).
--
-- report_narrative: the text of a section (intro, overview = 一, problems = 五, other = 六) an
-- agency's staff wrote for a year; a section without a row is the draft generated from the data.
-- report_step: the workflow's log (submit, return, approve, publish, correct), append-only; the
-- submitted document is frozen with the submission, and that is what is approved and published.
-- report_version: each publication, immutable: the interchange JSON exactly as published, its
-- SHA-256, and the reason of a correction.
CREATE TABLE report_narrative (
    agency_id  INTEGER NOT NULL REFERENCES agency (id),
    year       INTEGER NOT NULL,
    section    TEXT NOT NULL CHECK (section IN ('intro', 'overview', 'problems', 'other')),
    body       TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES app_user (id),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (agency_id, year, section)
);

CREATE TABLE report_step (
    id        INTEGER PRIMARY KEY,
    agency_id INTEGER NOT NULL REFERENCES agency (id),
    year      INTEGER NOT NULL,
    seq       INTEGER NOT NULL,
    action    TEXT NOT NULL CHECK (action IN ('submit', 'return', 'approve', 'publish', 'correct')),
    user_id   INTEGER NOT NULL REFERENCES app_user (id),
    actor     TEXT NOT NULL,                  -- the user's display name at the time
    at        TEXT NOT NULL,
    reason    TEXT,
    document  TEXT,                           -- the submitted report (submit only)
    UNIQUE (agency_id, year, seq)
);

CREATE TABLE report_version (
    id           INTEGER PRIMARY KEY,
    agency_id    INTEGER NOT NULL REFERENCES agency (id),
    year         INTEGER NOT NULL,
    version      INTEGER NOT NULL CHECK (version >= 1),
    document     TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    reason       TEXT,                        -- why this version corrects the previous one
    published_by INTEGER NOT NULL REFERENCES app_user (id),
    actor        TEXT NOT NULL,
    published_at TEXT NOT NULL,
    UNIQUE (agency_id, year, version),
    CHECK ((version = 1) = (reason IS NULL))
);

CREATE TRIGGER report_step_no_update BEFORE UPDATE ON report_step
BEGIN
    SELECT RAISE(ABORT, 'report_step is append-only');
END;
CREATE TRIGGER report_step_no_delete BEFORE DELETE ON report_step
BEGIN
    SELECT RAISE(ABORT, 'report_step is append-only');
END;
CREATE TRIGGER report_version_no_update BEFORE UPDATE ON report_version
BEGIN
    SELECT RAISE(ABORT, 'a published report version is immutable');
END;
CREATE TRIGGER report_version_no_delete BEFORE DELETE ON report_version
BEGIN
    SELECT RAISE(ABORT, 'a published report version is immutable');
END;
