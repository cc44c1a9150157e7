-- Personal data at rest (docs/personal-data.md). The applicant's ID number, phone, e-mail and
-- address are sealed (AES-256-GCM) by the application with a key kept outside the database;
-- the database only stores, per key, a check value, so a data directory opened with the wrong
-- key file is refused instead of writing data that no key can read.
CREATE TABLE secret_key_check (
    key_id      BIGINT PRIMARY KEY,
    check_value TEXT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL
);

-- A blind index (keyed hash) of the applicant's normalised ID number: a clerk finds a case by
-- the full number without the database holding it in clear.
ALTER TABLE application ADD COLUMN id_index TEXT;
CREATE INDEX application_id_index ON application (id_index);

-- A decided online submission still never changes, except that its sealed applicant may be
-- re-sealed under a new key (`gongkai key rotate`).
CREATE OR REPLACE FUNCTION gongkai_online_submission_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'pending'
       AND (to_jsonb(NEW) - 'applicant') IS DISTINCT FROM (to_jsonb(OLD) - 'applicant') THEN
        RAISE EXCEPTION 'a confirmed or rejected online submission does not change';
    END IF;
    RETURN NEW;
END;
$$;
