-- Applications (依申请公开) and their append-only event log (DESIGN.md §3 decision 4).
-- The columns after `request` are a projection of the event log, rewritten in the same
-- transaction as each event, so table 三 is a GROUP BY rather than a replay.
CREATE TABLE application_counter (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);

CREATE TABLE application (
    id              INTEGER PRIMARY KEY,
    agency_id       INTEGER NOT NULL REFERENCES agency (id),
    number          TEXT NOT NULL UNIQUE,          -- 申请编号
    query_code_hash TEXT NOT NULL,                 -- SHA-256 of the 查询码; the code is never stored
    received_on     TEXT NOT NULL,                 -- 收到申请之日 (Art. 31), first receipt
    channel         TEXT NOT NULL,
    applicant_kind  TEXT NOT NULL CHECK (applicant_kind IN ('natural_person', 'legal.commercial',
                        'legal.research', 'legal.social_welfare', 'legal.legal_service', 'legal.other')),
    applicant       TEXT NOT NULL,                 -- JSON
    request         TEXT NOT NULL,                 -- JSON
    status          TEXT NOT NULL,
    outcome         TEXT,                          -- table 三 row key of the final outcome
    closed_on       TEXT,                          -- date of the final reply (答复) or closure
    created_at      TEXT NOT NULL,
    CHECK ((outcome IS NULL) = (closed_on IS NULL)),
    CHECK (closed_on IS NULL OR closed_on >= received_on)
);
CREATE INDEX application_agency_received ON application (agency_id, received_on);
CREATE INDEX application_agency_closed ON application (agency_id, closed_on);

CREATE TABLE application_event (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES application (id),
    seq            INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    occurred_on    TEXT NOT NULL,
    payload        TEXT NOT NULL,                  -- JSON of the domain event
    actor          TEXT,
    reason         TEXT,                           -- why, for corrections
    corrects       INTEGER REFERENCES application_event (id),
    recorded_at    TEXT NOT NULL,
    UNIQUE (application_id, seq),
    CHECK (corrects IS NULL OR reason IS NOT NULL)
);

-- The log is append-only: a correction is a new event with a reason.
CREATE TRIGGER application_event_no_update BEFORE UPDATE ON application_event
BEGIN
    SELECT RAISE(ABORT, 'application_event is append-only: record a correction instead');
END;
CREATE TRIGGER application_event_no_delete BEFORE DELETE ON application_event
BEGIN
    SELECT RAISE(ABORT, 'application_event is append-only: record a correction instead');
END;
CREATE TRIGGER application_no_delete BEFORE DELETE ON application
BEGIN
    SELECT RAISE(ABORT, 'applications are never deleted');
END;
