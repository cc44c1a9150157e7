-- 建议提案 assigned to an agency (docs/proposals.md): NPC deputies' suggestions and CPPCC
-- members' proposals, with the number as written on the 交办 form, the handling (主办/协办),
-- the reply and its result. Section 六 of the annual report counts those assigned in the year.
-- The number is unique per agency and kind. Dates are YYYY-MM-DD, times UTC.
CREATE TABLE proposal (
    id            INTEGER PRIMARY KEY,
    agency_id     INTEGER NOT NULL REFERENCES agency (id),
    kind          TEXT NOT NULL CHECK (kind IN ('npc', 'cppcc')),
    number        TEXT NOT NULL CHECK (length(number) > 0),
    proposer      TEXT NOT NULL CHECK (length(proposer) > 0),
    subject       TEXT NOT NULL CHECK (length(subject) > 0),
    handling      TEXT NOT NULL CHECK (handling IN ('lead', 'co')),
    assigned_on   TEXT NOT NULL,
    due_on        TEXT NOT NULL,
    replied_on    TEXT,
    result        TEXT CHECK (result IS NULL OR result IN ('solved', 'planned', 'reference', 'explained')),
    reply         TEXT,
    -- The reply as published in the catalogue (the 建议提案 column).
    reply_item_id INTEGER REFERENCES catalog_item (id),
    created_by    INTEGER NOT NULL REFERENCES app_user (id),
    created_actor TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    replied_by    INTEGER REFERENCES app_user (id),
    replied_actor TEXT,
    UNIQUE (agency_id, kind, number),
    CHECK (due_on >= assigned_on),
    CHECK ((replied_on IS NULL) = (result IS NULL)),
    CHECK (replied_on IS NULL OR replied_on >= assigned_on)
);
CREATE INDEX proposal_agency_assigned ON proposal (agency_id, assigned_on);
