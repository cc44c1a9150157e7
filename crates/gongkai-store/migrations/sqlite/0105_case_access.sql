-- The back office's record of who saw an applicant's full identity (docs/back-office.md): lists
-- show ID and phone numbers masked; a clerk who asks a case page for the full values is
-- recorded here, with the user and the time, before the page is shown. Append-only.
CREATE TABLE application_access (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES application (id),
    user_id        INTEGER NOT NULL REFERENCES app_user (id),
    actor          TEXT NOT NULL,                  -- the user's display name at the time
    what           TEXT NOT NULL CHECK (what IN ('identity')),
    accessed_at    TEXT NOT NULL
);
CREATE INDEX application_access_application ON application_access (application_id, accessed_at);

CREATE TRIGGER application_access_no_update BEFORE UPDATE ON application_access
BEGIN
    SELECT RAISE(ABORT, 'application_access is append-only');
END;
CREATE TRIGGER application_access_no_delete BEFORE DELETE ON application_access
BEGIN
    SELECT RAISE(ABORT, 'application_access is append-only');
END;
