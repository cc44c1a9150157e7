-- The agency's disclosure work recorded as it happens (docs/work-records.md): meetings and
-- trainings, and the documents that govern the work. Section 一 of the annual report and its
-- `figures` are computed from the records of the year. A record is never deleted: removing it
-- keeps who removed it, when and why, and the report stops counting it. Dates are YYYY-MM-DD,
-- times UTC.
CREATE TABLE work_record (
    id             INTEGER PRIMARY KEY,
    agency_id      INTEGER NOT NULL REFERENCES agency (id),
    kind           TEXT NOT NULL CHECK (kind IN ('superior_meeting', 'promotion_meeting', 'training',
                                                 'rule', 'implementation_plan', 'training_plan')),
    held_on        TEXT NOT NULL,          -- the day held, or the document issued
    title          TEXT NOT NULL CHECK (length(title) > 0),
    participants   INTEGER CHECK (participants IS NULL OR participants > 0),
    note           TEXT,
    created_by     INTEGER NOT NULL REFERENCES app_user (id),
    created_actor  TEXT NOT NULL,          -- the user's display name at the time
    created_at     TEXT NOT NULL,
    removed_by     INTEGER REFERENCES app_user (id),
    removed_actor  TEXT,
    removed_at     TEXT,
    removed_reason TEXT,
    CHECK ((removed_at IS NULL) = (removed_reason IS NULL))
);
CREATE INDEX work_record_agency_held ON work_record (agency_id, held_on);
