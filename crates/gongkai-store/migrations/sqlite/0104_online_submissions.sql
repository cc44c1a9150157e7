-- Online applications (网络) as citizens submitted them, before the agency confirms receipt
-- (条例 Art. 31: an application made through an internet channel counts as received on the day
-- both parties confirm; docs/online-applications.md). A submission is stored the moment it is
-- made, with its 申请编号 drawn from application_counter like every application; confirming it
-- creates the application under the same number and the same 查询码 digest. A submission is
-- never deleted, and once confirmed or rejected it no longer changes.
CREATE TABLE online_submission (
    id              INTEGER PRIMARY KEY,
    agency_id       INTEGER NOT NULL REFERENCES agency (id),
    number          TEXT NOT NULL UNIQUE,          -- 申请编号
    query_code_hash TEXT NOT NULL,                 -- SHA-256 of the 查询码; the code is never stored
    idempotency_key TEXT NOT NULL UNIQUE,          -- the form's hidden key: a resubmission is no new case
    fingerprint     TEXT NOT NULL,                 -- SHA-256 of what was submitted (same key, other content: refused)
    applicant_kind  TEXT NOT NULL CHECK (applicant_kind IN ('natural_person', 'legal.commercial',
                        'legal.research', 'legal.social_welfare', 'legal.legal_service', 'legal.other')),
    applicant       TEXT NOT NULL,                 -- JSON, as application.applicant
    request         TEXT NOT NULL,                 -- JSON: the request, 获取方式 and 提供方式
    submitted_at    TEXT NOT NULL,                 -- server clock (UTC)
    submitted_on    TEXT NOT NULL,                 -- the day in China: the arrival (Art. 31)
    status          TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'rejected')),
    decided_on      TEXT,                          -- the day it was confirmed or rejected
    decided_by      INTEGER REFERENCES app_user (id),
    reject_reason   TEXT,                          -- shown to the applicant
    application_id  INTEGER UNIQUE REFERENCES application (id),
    CHECK ((status = 'pending') = (decided_on IS NULL)),
    CHECK ((status = 'pending') = (decided_by IS NULL)),
    CHECK ((status = 'confirmed') = (application_id IS NOT NULL)),
    CHECK ((status = 'rejected') = (reject_reason IS NOT NULL)),
    CHECK (decided_on IS NULL OR decided_on >= submitted_on)
);
CREATE INDEX online_submission_status ON online_submission (status, agency_id, submitted_at);

CREATE TRIGGER online_submission_no_delete BEFORE DELETE ON online_submission
BEGIN
    SELECT RAISE(ABORT, 'online submissions are never deleted');
END;
CREATE TRIGGER online_submission_decided_is_final BEFORE UPDATE ON online_submission
WHEN OLD.status <> 'pending'
BEGIN
    SELECT RAISE(ABORT, 'a confirmed or rejected online submission does not change');
END;
