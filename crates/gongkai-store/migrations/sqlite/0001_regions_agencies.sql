-- Regions (province → city → county → township) and the agencies in them.
CREATE TABLE region (
    id         INTEGER PRIMARY KEY,
    parent_id  INTEGER REFERENCES region (id),
    level      TEXT NOT NULL CHECK (level IN ('province', 'city', 'county', 'township')),
    name       TEXT NOT NULL CHECK (length(name) > 0),
    code       TEXT,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX region_parent_name ON region (parent_id, name) WHERE parent_id IS NOT NULL;
CREATE UNIQUE INDEX region_top_name ON region (name) WHERE parent_id IS NULL;

CREATE TABLE agency (
    id         INTEGER PRIMARY KEY,
    region_id  INTEGER NOT NULL REFERENCES region (id),
    name       TEXT NOT NULL CHECK (length(name) > 0),
    org_code   TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    UNIQUE (region_id, name)
);
CREATE INDEX agency_name ON agency (name);
CREATE INDEX agency_region ON agency (region_id);
