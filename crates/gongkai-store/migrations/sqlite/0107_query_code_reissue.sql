-- Re-issuing a 查询码 (docs/online-applications.md#re-issuing-a-查询码): an applicant who lost the
-- code asks the agency; a clerk has a new one generated, its digest replaces the old one in
-- application.query_code_hash (or, while the submission awaits confirmation,
-- online_submission.query_code_hash), so the old code stops working, and the act is recorded
-- here: which 申请编号, who and when. The code itself is never stored. Append-only.
CREATE TABLE query_code_reissue (
    id             INTEGER PRIMARY KEY,
    number         TEXT NOT NULL,                  -- 申请编号
    agency_id      INTEGER NOT NULL REFERENCES agency (id),
    application_id INTEGER REFERENCES application (id),
    submission_id  INTEGER REFERENCES online_submission (id),
    user_id        INTEGER NOT NULL REFERENCES app_user (id),
    actor          TEXT NOT NULL,                  -- the user's display name at the time
    reissued_at    TEXT NOT NULL,
    CHECK ((application_id IS NULL) <> (submission_id IS NULL))
);
CREATE INDEX query_code_reissue_number ON query_code_reissue (number, reissued_at);

CREATE TRIGGER query_code_reissue_no_update BEFORE UPDATE ON query_code_reissue
BEGIN
    SELECT RAISE(ABORT, 'query_code_reissue is append-only');
END;
CREATE TRIGGER query_code_reissue_no_delete BEFORE DELETE ON query_code_reissue
BEGIN
    SELECT RAISE(ABORT, 'query_code_reissue is append-only');
END;
