-- Table 三 reads, per agency, the cases received by the end of a year: a covering index
-- answers that with an index-only scan.
CREATE INDEX application_table3 ON application (agency_id, received_on)
    INCLUDE (closed_on, applicant_kind, outcome, number);
DROP INDEX application_agency_received;
