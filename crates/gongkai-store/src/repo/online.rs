//! Online submissions (网上申请) waiting for the agency to confirm receipt (条例 Art. 31;
//! docs/online-applications.md). A submission is stored as it arrives, under a 申请编号 from
//! the applications' counter ([`super::application::next_number`]) and a unique idempotency
//! key; confirming it creates the application row under the same number, rejecting it keeps a
//! reason for the applicant. A decided submission never changes (a trigger refuses it).

use crate::db::{Db, Exec, Tx};
use crate::error::{Result, StoreError};
use crate::{on_db, on_exec, on_tx};
use time::{Date, OffsetDateTime};

/// What is stored when a citizen submits the online form.
#[derive(Debug, Clone)]
pub struct NewSubmission {
    pub agency_id: i64,
    /// 申请编号 from `application::next_number`, in the same transaction.
    pub number: String,
    /// SHA-256 (hex) of the 查询码, bound to the number; the code itself is never stored.
    pub query_code_hash: String,
    /// The form's hidden key: the same key again is the same submission.
    pub idempotency_key: String,
    /// SHA-256 (hex) of what was submitted.
    pub fingerprint: String,
    /// The table 三 column key of the applicant.
    pub applicant_kind: String,
    /// The applicant as JSON (the domain's `Applicant`).
    pub applicant: String,
    /// The request as JSON.
    pub request: String,
    pub submitted_at: OffsetDateTime,
    /// The day in China it arrived.
    pub submitted_on: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SubmissionRow {
    pub id: i64,
    pub agency_id: i64,
    pub number: String,
    pub query_code_hash: String,
    pub idempotency_key: String,
    pub fingerprint: String,
    pub applicant_kind: String,
    pub applicant: String,
    pub request: String,
    pub submitted_at: OffsetDateTime,
    pub submitted_on: Date,
    /// `pending`, `confirmed` or `rejected`.
    pub status: String,
    pub decided_on: Option<Date>,
    pub decided_by: Option<i64>,
    pub reject_reason: Option<String>,
    pub application_id: Option<i64>,
}

const COLS: &str = "id, agency_id, number, query_code_hash, idempotency_key, fingerprint, \
    applicant_kind, applicant, request, submitted_at, submitted_on, status, decided_on, \
    decided_by, reject_reason, application_id";

/// Stores a new submission, or returns `None` without writing when a submission with the same
/// idempotency key exists (also one committed meanwhile by a concurrent request: on
/// PostgreSQL the insert waits for it). The caller then rolls back, so the number it drew is
/// not spent.
pub async fn insert(tx: &mut Tx, new: &NewSubmission) -> Result<Option<SubmissionRow>> {
    let row: Option<SubmissionRow> = on_tx!(tx, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "INSERT INTO online_submission (agency_id, number, query_code_hash, idempotency_key, \
             fingerprint, applicant_kind, applicant, request, submitted_at, submitted_on, status) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending') \
             ON CONFLICT (idempotency_key) DO NOTHING RETURNING {COLS}"
        )))
        .bind(new.agency_id)
        .bind(&new.number)
        .bind(&new.query_code_hash)
        .bind(&new.idempotency_key)
        .bind(&new.fingerprint)
        .bind(&new.applicant_kind)
        .bind(&new.applicant)
        .bind(&new.request)
        .bind(new.submitted_at)
        .bind(new.submitted_on)
        .fetch_optional(c)
        .await?
    });
    Ok(row)
}

/// The submission made with an idempotency key.
pub async fn find_by_key<'a>(ex: impl Into<Exec<'a>>, key: &str) -> Result<Option<SubmissionRow>> {
    let row: Option<SubmissionRow> = on_exec!(ex.into(), |e| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM online_submission WHERE idempotency_key = $1"
        )))
        .bind(key)
        .fetch_optional(e)
        .await?
    });
    Ok(row)
}

/// The submission with a 申请编号, if there is one.
pub async fn find_by_number<'a>(
    ex: impl Into<Exec<'a>>,
    number: &str,
) -> Result<Option<SubmissionRow>> {
    let row: Option<SubmissionRow> = on_exec!(ex.into(), |e| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM online_submission WHERE number = $1"
        )))
        .bind(number.trim())
        .fetch_optional(e)
        .await?
    });
    Ok(row)
}

/// Reads a submission inside a write transaction, locking its row on PostgreSQL so two clerks
/// cannot decide it at once (SQLite's `BEGIN IMMEDIATE` already serialises writers).
pub async fn lock_by_number(tx: &mut Tx, number: &str) -> Result<SubmissionRow> {
    let row: Option<SubmissionRow> = match tx {
        Tx::Sqlite(t) => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {COLS} FROM online_submission WHERE number = $1"
            )))
            .bind(number.trim())
            .fetch_optional(&mut **t)
            .await?
        }
        Tx::Postgres(t) => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {COLS} FROM online_submission WHERE number = $1 FOR UPDATE"
            )))
            .bind(number.trim())
            .fetch_optional(&mut **t)
            .await?
        }
    };
    row.ok_or_else(|| StoreError::not_found("online submission", number.trim()))
}

/// How a pending submission was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Confirmed: the application row created under the same number.
    Confirmed { application_id: i64 },
    /// Not an application (spam, a complaint, a letter for another office …), with the reason
    /// shown to the applicant.
    Rejected { reason: String },
}

/// Records the decision on a pending submission. A submission that is no longer pending is
/// refused here and by the database.
pub async fn decide(
    tx: &mut Tx,
    id: i64,
    decision: &Decision,
    on: Date,
    by: i64,
) -> Result<SubmissionRow> {
    let (status, application_id, reason) = match decision {
        Decision::Confirmed { application_id } => ("confirmed", Some(*application_id), None),
        Decision::Rejected { reason } => ("rejected", None, Some(reason.as_str())),
    };
    let row: Option<SubmissionRow> = on_tx!(tx, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "UPDATE online_submission SET status = $1, decided_on = $2, decided_by = $3, \
             application_id = $4, reject_reason = $5 WHERE id = $6 AND status = 'pending' \
             RETURNING {COLS}"
        )))
        .bind(status)
        .bind(on)
        .bind(by)
        .bind(application_id)
        .bind(reason)
        .bind(id)
        .fetch_optional(c)
        .await?
    });
    row.ok_or_else(|| {
        StoreError::invalid(
            format!("online submission {id} is no longer pending"),
            "该网上申请已经处理",
        )
    })
}

/// Which submissions to list.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub agency_id: Option<i64>,
    /// `pending`, `confirmed` or `rejected`; all when `None`.
    pub status: Option<String>,
}

/// Submissions, oldest first (the order in which they are to be confirmed).
pub async fn list(db: &Db, filter: &ListFilter) -> Result<Vec<SubmissionRow>> {
    let rows: Vec<SubmissionRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM online_submission \
             WHERE ($1 IS NULL OR agency_id = $1) AND ($2 IS NULL OR status = $2) \
             ORDER BY submitted_at, id"
        )))
        .bind(filter.agency_id)
        .bind(filter.status.as_deref())
        .fetch_all(p)
        .await?
    });
    Ok(rows)
}
