-- Who does the agency's disclosure work and how its sections are assessed (docs/organisation.md):
-- appointments to the 政务公开工作领导小组 (组长, 副组长, 成员), the leader in charge (分管领导)
-- and the staff responsible, each with the period served; assessment rounds (考核) with one
-- result per section (科室), the finding and the day it was put right. Section 一 of the annual
-- report is written from them. Dates are YYYY-MM-DD, times UTC.
CREATE TABLE appointment (
    id            INTEGER PRIMARY KEY,
    agency_id     INTEGER NOT NULL REFERENCES agency (id),
    duty          TEXT NOT NULL CHECK (duty IN ('leader', 'deputy', 'member', 'in_charge', 'officer')),
    name          TEXT NOT NULL CHECK (length(name) > 0),
    post          TEXT NOT NULL,
    section       TEXT,
    from_on       TEXT NOT NULL,
    until_on      TEXT,
    created_by    INTEGER NOT NULL REFERENCES app_user (id),
    created_actor TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    ended_by      INTEGER REFERENCES app_user (id),
    ended_actor   TEXT,
    CHECK (until_on IS NULL OR until_on >= from_on)
);
CREATE INDEX appointment_agency ON appointment (agency_id, from_on);

CREATE TABLE assessment_round (
    id            INTEGER PRIMARY KEY,
    agency_id     INTEGER NOT NULL REFERENCES agency (id),
    held_on       TEXT NOT NULL,
    title         TEXT NOT NULL CHECK (length(title) > 0),
    created_by    INTEGER NOT NULL REFERENCES app_user (id),
    created_actor TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX assessment_round_agency ON assessment_round (agency_id, held_on);

CREATE TABLE assessment_result (
    id             INTEGER PRIMARY KEY,
    round_id       INTEGER NOT NULL REFERENCES assessment_round (id),
    section        TEXT NOT NULL CHECK (length(section) > 0),
    score          INTEGER CHECK (score IS NULL OR score BETWEEN 0 AND 100),
    finding        TEXT,
    rectified_on   TEXT,
    rectified_by   INTEGER REFERENCES app_user (id),
    rectified_actor TEXT,
    UNIQUE (round_id, section),
    CHECK (rectified_on IS NULL OR finding IS NOT NULL)
);
