-- Personal data at rest (docs/personal-data.md). The applicant's ID number, phone, e-mail and
-- address are sealed (AES-256-GCM) by the application with a key kept outside the database;
-- the database only stores, per key, a check value, so a data directory opened with the wrong
-- key file is refused instead of writing data that no key can read.
CREATE TABLE secret_key_check (
    key_id      INTEGER PRIMARY KEY,
    check_value TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

-- A blind index (keyed hash) of the applicant's normalised ID number: a clerk finds a case by
-- the full number without the database holding it in clear.
ALTER TABLE application ADD COLUMN id_index TEXT;
CREATE INDEX application_id_index ON application (id_index);

-- A decided online submission still never changes, except that its sealed applicant may be
-- re-sealed under a new key (`gongkai key rotate`).
DROP TRIGGER online_submission_decided_is_final;
CREATE TRIGGER online_submission_decided_is_final BEFORE UPDATE ON online_submission
WHEN OLD.status <> 'pending' AND (
    NEW.id IS NOT OLD.id OR NEW.agency_id IS NOT OLD.agency_id OR NEW.number IS NOT OLD.number
    OR NEW.query_code_hash IS NOT OLD.query_code_hash
    OR NEW.idempotency_key IS NOT OLD.idempotency_key OR NEW.fingerprint IS NOT OLD.fingerprint
    OR NEW.applicant_kind IS NOT OLD.applicant_kind OR NEW.request IS NOT OLD.request
    OR NEW.submitted_at IS NOT OLD.submitted_at OR NEW.submitted_on IS NOT OLD.submitted_on
    OR NEW.status IS NOT OLD.status OR NEW.decided_on IS NOT OLD.decided_on
    OR NEW.decided_by IS NOT OLD.decided_by OR NEW.reject_reason IS NOT OLD.reject_reason
    OR NEW.application_id IS NOT OLD.application_id)
BEGIN
    SELECT RAISE(ABORT, 'a confirmed or rejected online submission does not change');
END;
