//! Re-issuing a 查询码 (migration 0107; docs/online-applications.md#re-issuing-a-查询码): the new
//! code's digest replaces the old one on the application, or on the online submission while it
//! awaits confirmation, and the act is recorded (which 申请编号, who, when) in an append-only
//! table. The code itself is never stored.

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::{on_db, on_tx};
use time::OffsetDateTime;

/// Replaces the 查询码 digest of application `application_id`.
pub async fn set_application_code(tx: &mut Tx, application_id: i64, hash: &str) -> Result<()> {
    let n = on_tx!(tx, |c| {
        sqlx::query("UPDATE application SET query_code_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(application_id)
            .execute(c)
            .await?
            .rows_affected()
    });
    if n == 1 {
        Ok(())
    } else {
        Err(StoreError::not_found("application", application_id))
    }
}

/// Replaces the 查询码 digest of online submission `submission_id`, which must still await
/// confirmation (a decided submission never changes; the database refuses it too).
pub async fn set_submission_code(tx: &mut Tx, submission_id: i64, hash: &str) -> Result<()> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE online_submission SET query_code_hash = $1 \
             WHERE id = $2 AND status = 'pending'",
        )
        .bind(hash)
        .bind(submission_id)
        .execute(c)
        .await?
        .rows_affected()
    });
    if n == 1 {
        Ok(())
    } else {
        Err(StoreError::invalid(
            format!("online submission {submission_id} is no longer pending"),
            "该网上申请已经处理",
        ))
    }
}

/// What is recorded when a 查询码 is re-issued: of an application or of a pending online
/// submission (exactly one of the two).
#[derive(Debug, Clone)]
pub struct NewReissue<'a> {
    pub number: &'a str,
    pub agency_id: i64,
    pub application_id: Option<i64>,
    pub submission_id: Option<i64>,
    pub user_id: i64,
    /// The user's display name at the time.
    pub actor: &'a str,
    pub at: OffsetDateTime,
}

pub async fn record_reissue(tx: &mut Tx, r: &NewReissue<'_>) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO query_code_reissue (number, agency_id, application_id, submission_id, \
             user_id, actor, reissued_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(r.number)
        .bind(r.agency_id)
        .bind(r.application_id)
        .bind(r.submission_id)
        .bind(r.user_id)
        .bind(r.actor)
        .bind(r.at)
        .execute(c)
        .await?;
    });
    Ok(())
}

/// One recorded re-issue.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReissueRow {
    pub number: String,
    pub user_id: i64,
    /// The display name at the time.
    pub actor: String,
    /// Whether the submission was still awaiting confirmation.
    pub submission_id: Option<i64>,
    pub reissued_at: OffsetDateTime,
}

/// The re-issues of the 查询码 of 申请编号 `number` (before and after its confirmation), oldest
/// first.
pub async fn reissues(db: &Db, number: &str) -> Result<Vec<ReissueRow>> {
    let rows: Vec<ReissueRow> = on_db!(db, |pool| {
        sqlx::query_as(
            "SELECT number, user_id, actor, submission_id, reissued_at FROM query_code_reissue \
             WHERE number = $1 ORDER BY reissued_at, id",
        )
        .bind(number.trim())
        .fetch_all(pool)
        .await?
    });
    Ok(rows)
}
