//! Table 二 cells entered by staff (those the catalogue cannot compute); each entry is kept,
//! the latest per cell counts.

use crate::db::{Db, Tx};
use crate::error::Result;
use crate::{on_db, on_tx};
use gongkai_core::catalog::Signer;
use gongkai_core::ids::{AgencyId, UserId};
use gongkai_core::report::T2Key;
use time::OffsetDateTime;

/// A table 二 cell entered by staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table2Entry {
    pub id: i64,
    pub sub: String,
    pub row_key: String,
    pub col: String,
    /// A count, an amount in 万元, or `/`.
    pub value: String,
    /// The display name of who entered it, at the time.
    pub entered_by: String,
    /// Who entered it (filled for earlier entries by migration 0101).
    pub entered_by_id: Option<UserId>,
    pub entered_at: OffsetDateTime,
    pub note: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Table2Row {
    id: i64,
    sub: String,
    row_key: String,
    col: String,
    value: String,
    entered_by: String,
    entered_by_id: Option<i64>,
    entered_at: OffsetDateTime,
    note: Option<String>,
}

impl From<Table2Row> for Table2Entry {
    fn from(r: Table2Row) -> Table2Entry {
        Table2Entry {
            id: r.id,
            sub: r.sub,
            row_key: r.row_key,
            col: r.col,
            value: r.value,
            entered_by: r.entered_by,
            entered_by_id: r.entered_by_id.map(UserId::new),
            entered_at: r.entered_at,
            note: r.note,
        }
    }
}

/// The columns of a [`Table2Row`] (unqualified: an insert returns them too).
const COLS: &str = "id, sub, row_key, col, value, entered_by, entered_by_id, entered_at, note";

/// Records a staff entry of a cell (the value already checked); returns it as stored.
pub async fn insert_table2_entry(
    tx: &mut Tx,
    agency: AgencyId,
    year: i32,
    key: T2Key,
    value: &str,
    by: &Signer,
    note: Option<&str>,
) -> Result<Table2Entry> {
    let now = OffsetDateTime::now_utc();
    let row: Table2Row = on_tx!(tx, |conn| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "INSERT INTO table2_entry (agency_id, year, sub, row_key, col, value, entered_by, \
             entered_by_id, entered_at, note, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9) RETURNING {COLS}"
        )))
        .bind(agency.get())
        .bind(i64::from(year))
        .bind(key.sub)
        .bind(key.row)
        .bind(key.col)
        .bind(value)
        .bind(by.name.as_str())
        .bind(by.id.get())
        .bind(now)
        .bind(note)
        .fetch_one(conn)
        .await?
    });
    Ok(row.into())
}

/// The latest entry of each table 二 cell of an agency's year.
pub async fn table2_entries(db: &Db, agency: AgencyId, year: i32) -> Result<Vec<Table2Entry>> {
    let rows: Vec<Table2Row> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM table2_entry e WHERE e.agency_id = $1 AND e.year = $2 AND e.id = ( \
               SELECT max(x.id) FROM table2_entry x WHERE x.agency_id = e.agency_id \
               AND x.year = e.year AND x.sub = e.sub AND x.row_key = e.row_key AND x.col = e.col) \
             ORDER BY e.id"
        )))
        .bind(agency.get())
        .bind(i64::from(year))
        .fetch_all(p)
        .await?
    });
    Ok(rows.into_iter().map(Table2Entry::from).collect())
}
