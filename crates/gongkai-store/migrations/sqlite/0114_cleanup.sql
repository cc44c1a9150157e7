-- Periodic review of published information (定期清理, docs/cleanup.md): a campaign lists the
-- agency's published items due for review on its day, with the reasons; each entry records the
-- one decision taken on it (keep, mark 失效/废止, withdraw), who took it and when. The change
-- itself is made on the item (its validity history, its workflow steps) in the same transaction.
-- Dates are YYYY-MM-DD, times UTC.
CREATE TABLE cleanup_campaign (
    id                   INTEGER PRIMARY KEY,
    agency_id            INTEGER NOT NULL REFERENCES agency (id),
    title                TEXT NOT NULL CHECK (length(title) > 0),
    as_of                TEXT NOT NULL,
    max_age_years        INTEGER NOT NULL CHECK (max_age_years BETWEEN 1 AND 50),
    normative_term_years INTEGER NOT NULL CHECK (normative_term_years BETWEEN 1 AND 50),
    created_by           INTEGER NOT NULL REFERENCES app_user (id),
    created_actor        TEXT NOT NULL,
    created_at           TEXT NOT NULL
);
CREATE INDEX cleanup_campaign_agency ON cleanup_campaign (agency_id, id);

CREATE TABLE cleanup_entry (
    campaign_id   INTEGER NOT NULL REFERENCES cleanup_campaign (id),
    item_id       INTEGER NOT NULL REFERENCES catalog_item (id),
    -- JSON array of the reasons it was listed.
    reasons       TEXT NOT NULL,
    decision      TEXT CHECK (decision IS NULL OR decision IN ('keep', 'expire', 'repeal', 'withdraw')),
    -- The day a 失效 or 废止 takes effect.
    effective_on  TEXT,
    note          TEXT,
    decided_by    INTEGER REFERENCES app_user (id),
    decided_actor TEXT,
    decided_at    TEXT,
    PRIMARY KEY (campaign_id, item_id),
    CHECK ((decision IS NULL) = (decided_at IS NULL))
);
CREATE INDEX cleanup_entry_item ON cleanup_entry (item_id);
