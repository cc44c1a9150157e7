-- Users of gongkai and their roles. Every state-changing action records the id of the user who
-- took it; the free-text name columns of earlier versions stay as the name shown at the time.
-- Roles are comma-separated keys: entry (录入), review (审核), secrecy (保密审查), head (负责人),
-- admin (管理员), supervise (监督).
CREATE TABLE app_user (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    display_name TEXT NOT NULL CHECK (length(trim(display_name)) > 0),
    agency_id    INTEGER REFERENCES agency (id),
    region_id    INTEGER REFERENCES region (id),
    roles        TEXT NOT NULL,
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at   TEXT NOT NULL,
    disabled_at  TEXT,
    CHECK ((active = 1) = (disabled_at IS NULL))
);

-- Names recorded before users existed become users (one per distinct name, with the staff
-- roles everybody had then; an administrator reviews them with `gongkai user list`).
INSERT INTO app_user (name, display_name, roles, created_at)
SELECT n, n, 'entry,review,secrecy,head', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
FROM (
    SELECT trim(actor) AS n FROM application_event WHERE actor IS NOT NULL
    UNION SELECT trim(actor) FROM catalog_step
    UNION SELECT trim(actor) FROM catalog_validity
    UNION SELECT trim(entered_by) FROM table2_entry
    UNION SELECT trim(updated_by) FROM catalog_settings
    UNION SELECT trim(updated_by) FROM agency_document
    UNION SELECT trim(drafter) FROM catalog_item
)
WHERE n <> ''
ORDER BY n;

ALTER TABLE application_event ADD COLUMN actor_id INTEGER REFERENCES app_user (id);
ALTER TABLE catalog_step ADD COLUMN actor_id INTEGER REFERENCES app_user (id);
ALTER TABLE catalog_validity ADD COLUMN actor_id INTEGER REFERENCES app_user (id);
ALTER TABLE table2_entry ADD COLUMN entered_by_id INTEGER REFERENCES app_user (id);
ALTER TABLE catalog_settings ADD COLUMN updated_by_id INTEGER REFERENCES app_user (id);
ALTER TABLE agency_document ADD COLUMN updated_by_id INTEGER REFERENCES app_user (id);
ALTER TABLE catalog_item ADD COLUMN drafter_id INTEGER REFERENCES app_user (id);

-- The event log is append-only; this one migration fills the new column under a lifted guard.
DROP TRIGGER application_event_no_update;
UPDATE application_event SET actor_id = (SELECT id FROM app_user WHERE name = trim(application_event.actor))
WHERE actor IS NOT NULL;
CREATE TRIGGER application_event_no_update BEFORE UPDATE ON application_event
BEGIN
    SELECT RAISE(ABORT, 'application_event is append-only: record a correction instead');
END;

UPDATE catalog_step SET actor_id = (SELECT id FROM app_user WHERE name = trim(catalog_step.actor));
UPDATE catalog_validity SET actor_id = (SELECT id FROM app_user WHERE name = trim(catalog_validity.actor));
UPDATE table2_entry SET entered_by_id = (SELECT id FROM app_user WHERE name = trim(table2_entry.entered_by));
UPDATE catalog_settings SET updated_by_id = (SELECT id FROM app_user WHERE name = trim(catalog_settings.updated_by));
UPDATE agency_document SET updated_by_id = (SELECT id FROM app_user WHERE name = trim(agency_document.updated_by));
UPDATE catalog_item SET drafter_id = (SELECT id FROM app_user WHERE name = trim(catalog_item.drafter));

CREATE INDEX app_user_agency ON app_user (agency_id);
