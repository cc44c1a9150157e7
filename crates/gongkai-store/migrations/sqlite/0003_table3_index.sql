-- Table 三 reads, per agency, the cases received by the end of a year: a covering index
-- answers that from the index alone (no table lookups at random places).
CREATE INDEX application_table3 ON application (agency_id, received_on, closed_on, applicant_kind, outcome, number);
DROP INDEX application_agency_received;
