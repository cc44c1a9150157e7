-- Remedy cases (行政复议, 行政诉讼) against an agency's disclosure work, the data source of table 四
-- of the annual report (docs/rules/annual-report.md#table-四-remedy-cases). A case is counted in
-- the report of the year it was filed, in the column of the decision made by 31 December of
-- that year, else 尚未审结. The readable number (复议-2024-0001, 诉讼-2024-0001) is unique in the
-- database; its year is the year of filing. Dates are YYYY-MM-DD, times UTC.
CREATE TABLE remedy_counter (
    prefix TEXT NOT NULL CHECK (prefix IN ('复议', '诉讼')),
    year   INTEGER NOT NULL,
    last   INTEGER NOT NULL,
    PRIMARY KEY (prefix, year)
);

CREATE TABLE remedy_case (
    id              INTEGER PRIMARY KEY,
    agency_id       INTEGER NOT NULL REFERENCES agency (id),
    number          TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL CHECK (kind IN ('review', 'litigation.direct', 'litigation.after_review')),
    -- The application it concerns (申请编号); none for e.g. a complaint about proactive disclosure.
    application_id  INTEGER REFERENCES application (id),
    subject         TEXT CHECK (subject IS NULL OR length(subject) > 0),
    -- For 复议后起诉: the review case it follows, when recorded.
    after_review_id INTEGER REFERENCES remedy_case (id),
    body            TEXT NOT NULL CHECK (length(body) > 0),   -- 复议机关 or 人民法院
    case_number     TEXT,                                     -- 案号 / 文号
    filed_on        TEXT NOT NULL,
    decided_on      TEXT,
    outcome         TEXT CHECK (outcome IS NULL OR outcome IN ('upheld', 'corrected', 'other')),
    -- 行政复议法 (2023) Art. 23 ¶1(4): a direct suit against 不予公开 filed from 2024 that the
    -- court nevertheless accepted, recorded as such.
    court_accepted_direct INTEGER NOT NULL DEFAULT 0 CHECK (court_accepted_direct IN (0, 1)),
    override_note   TEXT,
    note            TEXT,
    created_by      INTEGER NOT NULL REFERENCES app_user (id),
    created_at      TEXT NOT NULL,
    updated_by      INTEGER NOT NULL REFERENCES app_user (id),
    updated_at      TEXT NOT NULL,
    CHECK ((outcome IS NULL) = (decided_on IS NULL)),
    CHECK (decided_on IS NULL OR decided_on >= filed_on),
    CHECK (application_id IS NOT NULL OR subject IS NOT NULL),
    CHECK (after_review_id IS NULL OR kind = 'litigation.after_review'),
    CHECK (court_accepted_direct = 0 OR kind = 'litigation.direct')
);
CREATE INDEX remedy_case_agency_filed ON remedy_case (agency_id, filed_on);
CREATE INDEX remedy_case_application ON remedy_case (application_id);

-- What happened to a case: filed, decided, corrected (who, when, what, why). A correction of
-- a decision keeps the decision it replaces here. Append-only.
CREATE TABLE remedy_change (
    id          INTEGER PRIMARY KEY,
    remedy_id   INTEGER NOT NULL REFERENCES remedy_case (id),
    seq         INTEGER NOT NULL,
    what        TEXT NOT NULL CHECK (what IN ('filed', 'decided', 'corrected')),
    decided_on  TEXT,
    outcome     TEXT CHECK (outcome IS NULL OR outcome IN ('upheld', 'corrected', 'other')),
    reason      TEXT,
    user_id     INTEGER NOT NULL REFERENCES app_user (id),
    actor       TEXT NOT NULL,                  -- the user's display name at the time
    at          TEXT NOT NULL,
    UNIQUE (remedy_id, seq),
    CHECK (what <> 'corrected' OR reason IS NOT NULL)
);

CREATE TRIGGER remedy_change_no_update BEFORE UPDATE ON remedy_change
BEGIN
    SELECT RAISE(ABORT, 'remedy_change is append-only');
END;
CREATE TRIGGER remedy_change_no_delete BEFORE DELETE ON remedy_change
BEGIN
    SELECT RAISE(ABORT, 'remedy_change is append-only');
END;
CREATE TRIGGER remedy_case_no_delete BEFORE DELETE ON remedy_case
BEGIN
    SELECT RAISE(ABORT, 'remedy cases are never deleted');
END;
