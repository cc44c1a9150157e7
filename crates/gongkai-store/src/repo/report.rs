//! The annual report's narrative, workflow log and published versions (migration 0109;
//! docs/rules/annual-report.md#workflow). Steps and versions are append-only: the database
//! refuses UPDATE and DELETE on them.

use crate::db::{Db, Tx};
use crate::error::Result;
use crate::{on_db, on_tx};
use time::OffsetDateTime;

/// A section's text as staff wrote it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NarrativeRow {
    pub section: String,
    pub body: String,
    pub updated_by: i64,
    pub updated_at: OffsetDateTime,
}

/// The sections staff wrote for an agency's year.
pub async fn narrative(db: &Db, agency_id: i64, year: i32) -> Result<Vec<NarrativeRow>> {
    let rows: Vec<NarrativeRow> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT section, body, updated_by, updated_at FROM report_narrative \
             WHERE agency_id = $1 AND year = $2 ORDER BY section",
        )
        .bind(agency_id)
        .bind(year)
        .fetch_all(pool)
        .await?
    });
    Ok(rows)
}

/// Stores a section's text (`None` clears it, so the generated draft shows again).
pub async fn set_narrative(
    tx: &mut Tx,
    agency_id: i64,
    year: i32,
    section: &str,
    body: Option<&str>,
    by: i64,
    at: OffsetDateTime,
) -> Result<()> {
    on_tx!(tx, |c| {
        match body {
            Some(body) => {
                sqlx::query(
                    "INSERT INTO report_narrative (agency_id, year, section, body, updated_by, \
                     updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (agency_id, year, section) DO UPDATE SET body = excluded.body, \
                     updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                )
                .bind(agency_id)
                .bind(year)
                .bind(section)
                .bind(body)
                .bind(by)
                .bind(at)
                .execute(c)
                .await?;
            }
            None => {
                sqlx::query(
                    "DELETE FROM report_narrative WHERE agency_id = $1 AND year = $2 \
                     AND section = $3",
                )
                .bind(agency_id)
                .bind(year)
                .bind(section)
                .execute(c)
                .await?;
            }
        }
    });
    Ok(())
}

/// One recorded workflow step.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StepRow {
    pub seq: i32,
    pub action: String,
    pub user_id: i64,
    pub actor: String,
    pub at: OffsetDateTime,
    pub reason: Option<String>,
}

/// The steps of an agency's report for a year, in order. Reads through the transaction when
/// given one, so a step is checked against the log it will extend.
pub async fn steps(tx: &mut Tx, agency_id: i64, year: i32) -> Result<Vec<StepRow>> {
    let rows: Vec<StepRow> = on_tx!(tx, |c| {
        sqlx::query_as(STEPS)
            .bind(agency_id)
            .bind(year)
            .fetch_all(c)
            .await?
    });
    Ok(rows)
}

/// The same, read outside a transaction.
pub async fn steps_of(db: &Db, agency_id: i64, year: i32) -> Result<Vec<StepRow>> {
    let rows: Vec<StepRow> = on_db!(db, |pool| {
        sqlx::query_as(STEPS)
            .bind(agency_id)
            .bind(year)
            .fetch_all(pool)
            .await?
    });
    Ok(rows)
}

const STEPS: &str = "SELECT seq, action, user_id, actor, at, reason FROM report_step \
                     WHERE agency_id = $1 AND year = $2 ORDER BY seq";

/// A step to record. `seq` is the next in the log (the unique key refuses a concurrent one).
#[derive(Debug, Clone)]
pub struct NewStep<'a> {
    pub agency_id: i64,
    pub year: i32,
    pub seq: i32,
    pub action: &'a str,
    pub user_id: i64,
    pub actor: &'a str,
    pub at: OffsetDateTime,
    pub reason: Option<&'a str>,
    pub document: Option<&'a str>,
}

pub async fn add_step(tx: &mut Tx, s: &NewStep<'_>) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO report_step (agency_id, year, seq, action, user_id, actor, at, reason, \
             document) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(s.agency_id)
        .bind(s.year)
        .bind(s.seq)
        .bind(s.action)
        .bind(s.user_id)
        .bind(s.actor)
        .bind(s.at)
        .bind(s.reason)
        .bind(s.document)
        .execute(c)
        .await?;
    });
    Ok(())
}

/// The document frozen by the last submission (what is approved and published).
pub async fn submitted_document(tx: &mut Tx, agency_id: i64, year: i32) -> Result<Option<String>> {
    let doc: Option<Option<String>> = on_tx!(tx, |c| {
        sqlx::query_scalar(
            "SELECT document FROM report_step WHERE agency_id = $1 AND year = $2 \
             AND action = 'submit' ORDER BY seq DESC LIMIT 1",
        )
        .bind(agency_id)
        .bind(year)
        .fetch_optional(c)
        .await?
    });
    Ok(doc.flatten())
}

/// A published version, without its document.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct VersionRow {
    pub version: i32,
    pub sha256: String,
    pub reason: Option<String>,
    pub published_by: i64,
    pub actor: String,
    pub published_at: OffsetDateTime,
}

/// The published versions of an agency's report for a year, oldest first.
pub async fn versions(db: &Db, agency_id: i64, year: i32) -> Result<Vec<VersionRow>> {
    let rows: Vec<VersionRow> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT version, sha256, reason, published_by, actor, published_at \
             FROM report_version WHERE agency_id = $1 AND year = $2 ORDER BY version",
        )
        .bind(agency_id)
        .bind(year)
        .fetch_all(pool)
        .await?
    });
    Ok(rows)
}

/// The years an agency has published a report for, newest first, with the current version.
pub async fn published_years(db: &Db, agency_id: i64) -> Result<Vec<(i32, i32)>> {
    let rows: Vec<(i32, i32)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT year, MAX(version) FROM report_version WHERE agency_id = $1 \
             GROUP BY year ORDER BY year DESC",
        )
        .bind(agency_id)
        .fetch_all(pool)
        .await?
    });
    Ok(rows)
}

/// The document of a version (`None`: the newest) exactly as published, with its number.
pub async fn version_document(
    db: &Db,
    agency_id: i64,
    year: i32,
    version: Option<i32>,
) -> Result<Option<(i32, String)>> {
    let row: Option<(i32, String)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT version, document FROM report_version WHERE agency_id = $1 AND year = $2 \
             AND ($3 IS NULL OR version = $3) ORDER BY version DESC LIMIT 1",
        )
        .bind(agency_id)
        .bind(year)
        .bind(version)
        .fetch_optional(pool)
        .await?
    });
    Ok(row)
}

/// A version to record.
#[derive(Debug, Clone)]
pub struct NewVersion<'a> {
    pub agency_id: i64,
    pub year: i32,
    pub version: i32,
    pub document: &'a str,
    pub sha256: &'a str,
    pub reason: Option<&'a str>,
    pub published_by: i64,
    pub actor: &'a str,
    pub at: OffsetDateTime,
}

pub async fn add_version(tx: &mut Tx, v: &NewVersion<'_>) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO report_version (agency_id, year, version, document, sha256, reason, \
             published_by, actor, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(v.agency_id)
        .bind(v.year)
        .bind(v.version)
        .bind(v.document)
        .bind(v.sha256)
        .bind(v.reason)
        .bind(v.published_by)
        .bind(v.actor)
        .bind(v.at)
        .execute(c)
        .await?;
    });
    Ok(())
}

/// The logs of the agency's applications that hold a fee notice or a correction (which may
/// replace one), as (申请编号, event JSON) in log order: what section 六's fee figures count.
pub async fn fee_logs(db: &Db, agency_id: i64) -> Result<Vec<(String, String)>> {
    let rows: Vec<(String, String)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT a.number, e.payload FROM application a \
             JOIN application_event e ON e.application_id = a.id \
             WHERE a.agency_id = $1 AND EXISTS (SELECT 1 FROM application_event f \
             WHERE f.application_id = a.id AND f.kind IN ('fee_notice_issued', 'correction')) \
             ORDER BY a.id, e.seq",
        )
        .bind(agency_id)
        .fetch_all(pool)
        .await?
    });
    Ok(rows)
}

/// The last step of every agency's report for a year (the state follows from it alone), as
/// (agency id, action).
pub async fn last_steps(db: &Db, year: i32) -> Result<Vec<(i64, String)>> {
    let rows: Vec<(i64, String)> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT s.agency_id, s.action FROM report_step s WHERE s.year = $1 AND s.seq = \
             (SELECT MAX(t.seq) FROM report_step t WHERE t.agency_id = s.agency_id \
             AND t.year = s.year)",
        )
        .bind(year)
        .fetch_all(pool)
        .await?
    });
    Ok(rows)
}
