//! Work records of an agency's disclosure work (migration 0112, docs/work-records.md).

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::{on_db, on_tx};
use time::{Date, OffsetDateTime};

/// A record as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct WorkRow {
    pub id: i64,
    pub agency_id: i64,
    pub kind: String,
    pub held_on: Date,
    pub title: String,
    pub participants: Option<i64>,
    pub note: Option<String>,
    pub created_by: i64,
    pub created_actor: String,
    pub created_at: OffsetDateTime,
    pub removed_actor: Option<String>,
    pub removed_at: Option<OffsetDateTime>,
    pub removed_reason: Option<String>,
}

const COLS: &str = "id, agency_id, kind, held_on, title, participants, note, created_by, \
    created_actor, created_at, removed_actor, removed_at, removed_reason";

/// A record to add.
#[derive(Debug, Clone)]
pub struct NewWork<'a> {
    pub agency_id: i64,
    pub kind: &'a str,
    pub held_on: Date,
    pub title: &'a str,
    pub participants: Option<i64>,
    pub note: Option<&'a str>,
    pub user_id: i64,
    pub actor: &'a str,
    pub at: OffsetDateTime,
}

pub async fn insert(tx: &mut Tx, new: &NewWork<'_>) -> Result<WorkRow> {
    let row: WorkRow = on_tx!(tx, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "INSERT INTO work_record (agency_id, kind, held_on, title, participants, note, \
             created_by, created_actor, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             RETURNING {COLS}"
        )))
        .bind(new.agency_id)
        .bind(new.kind)
        .bind(new.held_on)
        .bind(new.title)
        .bind(new.participants)
        .bind(new.note)
        .bind(new.user_id)
        .bind(new.actor)
        .bind(new.at)
        .fetch_one(c)
        .await?
    });
    Ok(row)
}

/// The agency's records held in `year` (every year when `None`), removed ones included when
/// asked, in date order.
pub async fn list(
    db: &Db,
    agency_id: i64,
    year: Option<i32>,
    with_removed: bool,
) -> Result<Vec<WorkRow>> {
    let (first, last) = match year {
        Some(y) => {
            let (f, l) = super::application::year_bounds(y)?;
            (Some(f), Some(l))
        }
        None => (None, None),
    };
    let rows: Vec<WorkRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM work_record WHERE agency_id = $1 \
             AND ($2 IS NULL OR held_on >= $2) AND ($3 IS NULL OR held_on <= $3) \
             AND ($4 OR removed_at IS NULL) ORDER BY held_on, id"
        )))
        .bind(agency_id)
        .bind(first)
        .bind(last)
        .bind(with_removed)
        .fetch_all(p)
        .await?
    });
    Ok(rows)
}

pub async fn find(db: &Db, id: i64) -> Result<WorkRow> {
    let row: Option<WorkRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM work_record WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(p)
        .await?
    });
    row.ok_or_else(|| StoreError::NotFound {
        what: "work record",
        key: id.to_string(),
    })
}

/// Marks a record removed (who, when, why); a record already removed is left as it is and
/// `false` returned.
pub async fn remove(
    tx: &mut Tx,
    id: i64,
    user_id: i64,
    actor: &str,
    reason: &str,
    at: OffsetDateTime,
) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE work_record SET removed_by = $1, removed_actor = $2, removed_at = $3, \
             removed_reason = $4 WHERE id = $5 AND removed_at IS NULL",
        )
        .bind(user_id)
        .bind(actor)
        .bind(at)
        .bind(reason)
        .bind(id)
        .execute(c)
        .await?
        .rows_affected()
    });
    Ok(n == 1)
}
