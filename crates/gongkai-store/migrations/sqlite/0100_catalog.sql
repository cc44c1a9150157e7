-- The catalogue (政府信息公开目录): items, their workflow steps, validity history of normative
-- documents, attachments, the 索引号 sequences, staff entries of table 二, and the agency's
-- 指南 / 制度 documents. Items and steps are never deleted: a published item is withdrawn.

CREATE TABLE catalog_settings (
    agency_id     INTEGER PRIMARY KEY REFERENCES agency (id),
    settings_json TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

CREATE TABLE catalog_item (
    id             INTEGER PRIMARY KEY,
    agency_id      INTEGER NOT NULL REFERENCES agency (id),
    title          TEXT NOT NULL CHECK (length(title) > 0),
    publisher      TEXT NOT NULL CHECK (length(publisher) > 0),
    formed_on      TEXT NOT NULL,
    changed_on     TEXT,
    doc_number     TEXT,
    subject        TEXT,
    column_name    TEXT NOT NULL,
    genre          TEXT,
    summary        TEXT NOT NULL,
    body_html      TEXT NOT NULL,
    keywords       TEXT NOT NULL,
    normative_kind TEXT CHECK (normative_kind IN ('rules', 'normative_docs')),
    interprets_id  INTEGER REFERENCES catalog_item (id),
    drafter        TEXT NOT NULL,
    stage          TEXT NOT NULL CHECK (stage IN ('draft', 'secrecy_review', 'review', 'approved', 'published', 'withdrawn')),
    index_number   TEXT,
    published_at   TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    CHECK ((stage IN ('published', 'withdrawn')) = (index_number IS NOT NULL AND published_at IS NOT NULL))
);
-- 索引号 is unique per agency and stays on a withdrawn item, so it is never issued again.
CREATE UNIQUE INDEX catalog_item_index_number ON catalog_item (agency_id, index_number);
CREATE INDEX catalog_item_agency_stage ON catalog_item (agency_id, stage);
CREATE INDEX catalog_item_interprets ON catalog_item (interprets_id);

CREATE TABLE catalog_step (
    item_id    INTEGER NOT NULL REFERENCES catalog_item (id),
    seq        INTEGER NOT NULL,
    action     TEXT NOT NULL,
    from_stage TEXT,
    to_stage   TEXT NOT NULL,
    actor      TEXT NOT NULL,
    at         TEXT NOT NULL,
    note       TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (item_id, seq)
);

CREATE TABLE catalog_validity (
    item_id      INTEGER NOT NULL REFERENCES catalog_item (id),
    seq          INTEGER NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('valid', 'expired', 'repealed')),
    effective_on TEXT,
    ends_on      TEXT,
    actor        TEXT NOT NULL,
    at           TEXT NOT NULL,
    reason       TEXT,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (item_id, seq),
    CHECK (ends_on IS NULL OR effective_on IS NULL OR ends_on >= effective_on)
);

CREATE TABLE catalog_attachment (
    id         INTEGER PRIMARY KEY,
    item_id    INTEGER NOT NULL REFERENCES catalog_item (id),
    name       TEXT NOT NULL,
    extension  TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size       INTEGER NOT NULL CHECK (size > 0),
    sha256     TEXT NOT NULL,
    content    BLOB NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX catalog_attachment_item ON catalog_attachment (item_id);

-- One row per agency and numbering scope (the 索引号 pattern without its running number), bumped
-- in the publishing transaction: two writers can never draw the same number.
CREATE TABLE catalog_index_sequence (
    agency_id  INTEGER NOT NULL REFERENCES agency (id),
    scope      TEXT NOT NULL,
    last_seq   INTEGER NOT NULL CHECK (last_seq > 0),
    updated_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (agency_id, scope)
);

-- Table 二 cells entered by staff (all but 第二十条第（一）项, which is computed). Append-only:
-- the latest entry per cell counts, earlier ones are its history.
CREATE TABLE table2_entry (
    id         INTEGER PRIMARY KEY,
    agency_id  INTEGER NOT NULL REFERENCES agency (id),
    year       INTEGER NOT NULL,
    sub        TEXT NOT NULL,
    row_key    TEXT NOT NULL,
    col        TEXT NOT NULL,
    value      TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at TEXT NOT NULL,
    note       TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX table2_entry_cell ON table2_entry (agency_id, year, sub, row_key, col, id);

-- The agency's 政府信息公开指南 (guide) and 制度 (rules) texts, versioned: the latest version of a
-- (kind, title) is the current one.
CREATE TABLE agency_document (
    id         INTEGER PRIMARY KEY,
    agency_id  INTEGER NOT NULL REFERENCES agency (id),
    kind       TEXT NOT NULL CHECK (kind IN ('guide', 'rules')),
    title      TEXT NOT NULL CHECK (length(title) > 0),
    version    INTEGER NOT NULL CHECK (version > 0),
    body_html  TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (agency_id, kind, title, version)
);
