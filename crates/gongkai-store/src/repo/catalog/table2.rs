//! Table 二 cells entered by staff (those the catalogue cannot compute); each entry is kept,
//! the latest per cell counts.

use crate::db::{Db, Tx};
use crate::error::Result;
use crate::{on_db, on_tx};
use gongkai_core::report::T2Key;
use time::OffsetDateTime;

/// A table 二 cell entered by staff.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Table2Entry {
    pub id: i64,
    pub sub: String,
    pub row_key: String,
    pub col: String,
    /// A count, an amount in 万元, or `/`.
    pub value: String,
    pub entered_by: String,
    pub entered_at: OffsetDateTime,
    pub note: Option<String>,
}

pub async fn insert_table2_entry(
    tx: &mut Tx,
    agency_id: i64,
    year: i32,
    key: T2Key,
    value: &str,
    by: &str,
    note: Option<&str>,
) -> Result<i64> {
    let now = OffsetDateTime::now_utc();
    let id: i64 = on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO table2_entry (agency_id, year, sub, row_key, col, value, entered_by, \
             entered_at, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8) \
             RETURNING id",
        )
        .bind(agency_id)
        .bind(i64::from(year))
        .bind(key.sub)
        .bind(key.row)
        .bind(key.col)
        .bind(value)
        .bind(by)
        .bind(now)
        .bind(note)
        .fetch_one(conn)
        .await?
    });
    Ok(id)
}

/// The latest entry of each table 二 cell of an agency's year.
pub async fn table2_entries(db: &Db, agency_id: i64, year: i32) -> Result<Vec<Table2Entry>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "SELECT e.id, e.sub, e.row_key, e.col, e.value, e.entered_by, e.entered_at, e.note \
             FROM table2_entry e WHERE e.agency_id = $1 AND e.year = $2 AND e.id = ( \
               SELECT max(x.id) FROM table2_entry x WHERE x.agency_id = e.agency_id \
               AND x.year = e.year AND x.sub = e.sub AND x.row_key = e.row_key AND x.col = e.col) \
             ORDER BY e.id",
        )
        .bind(agency_id)
        .bind(i64::from(year))
        .fetch_all(p)
        .await?
    }))
}
