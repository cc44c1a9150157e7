//! What the database keeps about the keys that seal personal data (migration 0117,
//! docs/personal-data.md): a check value per key, and the sealed columns a key rotation
//! rewrites. The keys themselves are never stored here.

use crate::db::{Db, Tx};
use crate::error::Result;
use crate::{on_db, on_tx};
use time::OffsetDateTime;

/// The check values recorded so far, by key number.
pub async fn checks(db: &Db) -> Result<Vec<(i64, String)>> {
    let rows: Vec<(i64, String)> = on_db!(db, |pool| {
        sqlx::query_as("SELECT key_id, check_value FROM secret_key_check ORDER BY key_id")
            .fetch_all(pool)
            .await?
    });
    Ok(rows)
}

/// Records the check value of a key first used with this database.
pub async fn record_check(db: &Db, key_id: i64, check: &str, at: OffsetDateTime) -> Result<()> {
    on_db!(db, |pool| {
        sqlx::query(
            "INSERT INTO secret_key_check (key_id, check_value, recorded_at) VALUES ($1, $2, $3) \
             ON CONFLICT (key_id) DO NOTHING",
        )
        .bind(key_id)
        .bind(check)
        .bind(at)
        .execute(pool)
        .await?
        .rows_affected()
    });
    Ok(())
}

/// Which table a sealed applicant lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    Application,
    OnlineSubmission,
}

/// Every stored applicant (id and JSON) of one table, for re-sealing.
pub async fn applicants(tx: &mut Tx, holder: Holder) -> Result<Vec<(i64, String)>> {
    let sql = match holder {
        Holder::Application => "SELECT id, applicant FROM application ORDER BY id",
        Holder::OnlineSubmission => "SELECT id, applicant FROM online_submission ORDER BY id",
    };
    let rows: Vec<(i64, String)> = on_tx!(tx, |c| sqlx::query_as(sql).fetch_all(c).await?);
    Ok(rows)
}

/// Rewrites one stored applicant (and, for an application, its ID-number index).
pub async fn reseal(
    tx: &mut Tx,
    holder: Holder,
    id: i64,
    applicant: &str,
    id_index: Option<&str>,
) -> Result<()> {
    match holder {
        Holder::Application => on_tx!(tx, |c| {
            sqlx::query("UPDATE application SET applicant = $1, id_index = $2 WHERE id = $3")
                .bind(applicant)
                .bind(id_index)
                .bind(id)
                .execute(c)
                .await?
                .rows_affected()
        }),
        Holder::OnlineSubmission => on_tx!(tx, |c| {
            sqlx::query("UPDATE online_submission SET applicant = $1 WHERE id = $2")
                .bind(applicant)
                .bind(id)
                .execute(c)
                .await?
                .rows_affected()
        }),
    };
    Ok(())
}
