-- 公众评议 from the portal (docs/feedback.md): a rating and a comment on a published item or on
-- one of an agency's columns (栏目), screened before it is stored, then moderated: answered
-- publicly (shown with its answer), answered privately, or set aside as spam. Every decision is
-- kept in `feedback_event`. The client's address is kept only as a SHA-256 (`client_hash`), to
-- count a client's submissions; `text_key` is the SHA-256 of the comment's folded text, to
-- refuse the same text twice. Section 一(五) of the annual report counts the year's feedback.
-- Times are UTC, to the second.
CREATE TABLE feedback (
    id              INTEGER PRIMARY KEY,
    agency_id       INTEGER NOT NULL REFERENCES agency (id),
    -- The item, or NULL for feedback on the column itself.
    item_id         INTEGER REFERENCES catalog_item (id),
    -- The column (the item's, when it was given).
    column_name     TEXT NOT NULL CHECK (length(column_name) > 0),
    rating          TEXT NOT NULL CHECK (rating IN ('satisfied', 'basic', 'dissatisfied')),
    comment         TEXT NOT NULL CHECK (length(comment) > 0),
    nickname        TEXT,
    contact         TEXT,
    client_hash     TEXT NOT NULL,
    text_key        TEXT NOT NULL,
    -- A short comment is a duplicate only from the same client.
    short           INTEGER NOT NULL CHECK (short IN (0, 1)),
    received_at     TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'published', 'private', 'rejected')),
    answer          TEXT,
    moderated_by    INTEGER REFERENCES app_user (id),
    moderated_actor TEXT,
    moderated_at    TEXT,
    CHECK (state <> 'published' OR answer IS NOT NULL),
    CHECK ((state = 'pending') = (moderated_at IS NULL))
);
CREATE INDEX feedback_agency_received ON feedback (agency_id, received_at);
CREATE INDEX feedback_client_received ON feedback (client_hash, received_at);
CREATE INDEX feedback_text_received ON feedback (text_key, received_at);
CREATE INDEX feedback_item_state ON feedback (item_id, state);

CREATE TABLE feedback_event (
    id          INTEGER PRIMARY KEY,
    feedback_id INTEGER NOT NULL REFERENCES feedback (id),
    action      TEXT NOT NULL CHECK (action IN ('publish', 'private', 'reject')),
    -- The answer, or the reason for setting it aside.
    note        TEXT,
    user_id     INTEGER NOT NULL REFERENCES app_user (id),
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL
);
CREATE INDEX feedback_event_feedback ON feedback_event (feedback_id, id);
