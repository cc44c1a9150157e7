//! Supervision (migration 0110; docs/supervision.md): units' imported reports and the
//! supervisor's reviews (both append-only), and the projection of each unit's current report
//! (`unit_report`, `unit_cell`) that the roll-up sums and the dashboards read.

use crate::db::{Db, Tx};
use crate::error::Result;
use crate::{on_db, on_tx};
use time::OffsetDateTime;

/// The region and every region below it, as a CTE named `sub(id)` bound to `$1`.
const SUB_REGIONS: &str = "WITH RECURSIVE sub(id) AS (SELECT id FROM region WHERE id = $1 \
                           UNION ALL SELECT r.id FROM region r JOIN sub ON r.parent_id = sub.id) ";

/// A report imported for a unit, to record.
#[derive(Debug, Clone)]
pub struct NewImport<'a> {
    pub agency_id: i64,
    pub year: i32,
    pub file_name: &'a str,
    pub kind: &'a str,
    pub document: &'a str,
    pub sha256: &'a str,
    pub imported_by: i64,
    pub actor: &'a str,
    pub at: OffsetDateTime,
}

pub async fn add_import(tx: &mut Tx, i: &NewImport<'_>) -> Result<i64> {
    let id: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO unit_import (agency_id, year, file_name, kind, document, sha256, \
             imported_by, actor, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             RETURNING id",
        )
        .bind(i.agency_id)
        .bind(i.year)
        .bind(i.file_name)
        .bind(i.kind)
        .bind(i.document)
        .bind(i.sha256)
        .bind(i.imported_by)
        .bind(i.actor)
        .bind(i.at)
        .fetch_one(c)
        .await?
    });
    Ok(id)
}

/// An imported report, without its document.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ImportRow {
    pub id: i64,
    pub year: i32,
    pub file_name: String,
    pub kind: String,
    pub sha256: String,
    pub actor: String,
    pub imported_at: OffsetDateTime,
}

/// The reports imported for a unit and year, oldest first.
pub async fn imports(db: &Db, agency_id: i64, year: i32) -> Result<Vec<ImportRow>> {
    let rows: Vec<ImportRow> = on_db!(db, |p| {
        sqlx::query_as(
            "SELECT id, year, file_name, kind, sha256, actor, imported_at FROM unit_import \
             WHERE agency_id = $1 AND year = $2 ORDER BY id",
        )
        .bind(agency_id)
        .bind(year)
        .fetch_all(p)
        .await?
    });
    Ok(rows)
}

/// The document of a source: a published version (`gongkai`) or an import (`imported`).
pub async fn source_document(db: &Db, origin: &str, source_id: i64) -> Result<Option<String>> {
    let sql = if origin == "gongkai" {
        "SELECT document FROM report_version WHERE id = $1"
    } else {
        "SELECT document FROM unit_import WHERE id = $1"
    };
    let doc: Option<String> = on_db!(db, |p| {
        sqlx::query_scalar(sql)
            .bind(source_id)
            .fetch_optional(p)
            .await?
    });
    Ok(doc)
}

/// The current source of a unit's report for a year, read through `tx`: the newest published
/// version when there is one (a unit on gongkai), else the newest import, as (origin, id,
/// document, sha256, when).
pub async fn current_source(
    tx: &mut Tx,
    agency_id: i64,
    year: i32,
) -> Result<Option<(String, i64, String, String, OffsetDateTime)>> {
    let row: Option<(String, i64, String, String, OffsetDateTime)> = on_tx!(tx, |c| {
        sqlx::query_as(
            "SELECT 'gongkai', id, document, sha256, published_at FROM report_version \
             WHERE agency_id = $1 AND year = $2 \
             UNION ALL SELECT 'imported', id, document, sha256, imported_at FROM unit_import \
             WHERE agency_id = $1 AND year = $2 \
             ORDER BY 1, 2 DESC LIMIT 1",
        )
        .bind(agency_id)
        .bind(year)
        .fetch_optional(c)
        .await?
    });
    Ok(row)
}

/// A review decision, to record. `seq` is the next in the unit's log for the year.
#[derive(Debug, Clone)]
pub struct NewReview<'a> {
    pub agency_id: i64,
    pub year: i32,
    pub seq: i32,
    pub action: &'a str,
    pub sha256: &'a str,
    pub reasons: Option<&'a str>,
    pub user_id: i64,
    pub actor: &'a str,
    pub at: OffsetDateTime,
}

pub async fn add_review(tx: &mut Tx, r: &NewReview<'_>) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO unit_review (agency_id, year, seq, action, sha256, reasons, user_id, \
             actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(r.agency_id)
        .bind(r.year)
        .bind(r.seq)
        .bind(r.action)
        .bind(r.sha256)
        .bind(r.reasons)
        .bind(r.user_id)
        .bind(r.actor)
        .bind(r.at)
        .execute(c)
        .await?;
    });
    Ok(())
}

/// One recorded review.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReviewRow {
    pub seq: i32,
    pub action: String,
    pub sha256: String,
    pub reasons: Option<String>,
    pub actor: String,
    pub at: OffsetDateTime,
}

const REVIEWS: &str = "SELECT seq, action, sha256, reasons, actor, at FROM unit_review \
                       WHERE agency_id = $1 AND year = $2 ORDER BY seq";

/// A unit's reviews for a year, oldest first, read through `tx` (to extend the log).
pub async fn reviews_tx(tx: &mut Tx, agency_id: i64, year: i32) -> Result<Vec<ReviewRow>> {
    let rows: Vec<ReviewRow> = on_tx!(tx, |c| {
        sqlx::query_as(REVIEWS)
            .bind(agency_id)
            .bind(year)
            .fetch_all(c)
            .await?
    });
    Ok(rows)
}

/// A unit's reviews for a year, oldest first.
pub async fn reviews(db: &Db, agency_id: i64, year: i32) -> Result<Vec<ReviewRow>> {
    let rows: Vec<ReviewRow> = on_db!(db, |p| {
        sqlx::query_as(REVIEWS)
            .bind(agency_id)
            .bind(year)
            .fetch_all(p)
            .await?
    });
    Ok(rows)
}

/// The projection of a unit's current report (`unit_report`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UnitReportRow {
    pub agency_id: i64,
    pub year: i32,
    pub origin: String,
    pub source_id: i64,
    pub sha256: String,
    pub layout: String,
    pub received_at: OffsetDateTime,
    /// `pending`, `accepted` or `returned`: the last review of this document, if any.
    pub review: String,
    pub included: bool,
    pub excluded_reason: Option<String>,
    pub failed_rules: String,
    pub unread_rules: String,
    pub warnings: String,
    pub cells_unread: i32,
    pub received: Option<i64>,
    pub granted: Option<i64>,
    pub concluded: Option<i64>,
    pub carried_over: Option<i64>,
    pub carried_forward: Option<i64>,
}

/// One cell of a unit's current report: its JSON path, state and value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitCell {
    pub cell: String,
    /// `value`, `blank`, `na`, `unread`, `invalid`.
    pub state: &'static str,
    /// A count, or an amount in 元 (万元 × 10000); only for `value`.
    pub value: Option<i64>,
}

/// Replaces a unit's projection for a year with `row` and its cells.
pub async fn put_unit_report(tx: &mut Tx, row: &UnitReportRow, cells: &[UnitCell]) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query("DELETE FROM unit_cell WHERE agency_id = $1 AND year = $2")
            .bind(row.agency_id)
            .bind(row.year)
            .execute(&mut *c)
            .await?;
        sqlx::query("DELETE FROM unit_report WHERE agency_id = $1 AND year = $2")
            .bind(row.agency_id)
            .bind(row.year)
            .execute(&mut *c)
            .await?;
        sqlx::query(
            "INSERT INTO unit_report (agency_id, year, origin, source_id, sha256, layout, \
             received_at, review, included, excluded_reason, failed_rules, unread_rules, \
             warnings, cells_unread, received, granted, concluded, carried_over, \
             carried_forward) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
             $14, $15, $16, $17, $18, $19)",
        )
        .bind(row.agency_id)
        .bind(row.year)
        .bind(&row.origin)
        .bind(row.source_id)
        .bind(&row.sha256)
        .bind(&row.layout)
        .bind(row.received_at)
        .bind(&row.review)
        .bind(row.included)
        .bind(&row.excluded_reason)
        .bind(&row.failed_rules)
        .bind(&row.unread_rules)
        .bind(&row.warnings)
        .bind(row.cells_unread)
        .bind(row.received)
        .bind(row.granted)
        .bind(row.concluded)
        .bind(row.carried_over)
        .bind(row.carried_forward)
        .execute(&mut *c)
        .await?;
        // Multi-row inserts, well under either database's limit of bound parameters.
        for chunk in cells.chunks(100) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO unit_cell (agency_id, year, cell, state, value) ",
            );
            q.push_values(chunk, |mut b, cell| {
                b.push_bind(row.agency_id)
                    .push_bind(row.year)
                    .push_bind(&cell.cell)
                    .push_bind(cell.state)
                    .push_bind(cell.value);
            });
            q.build().execute(&mut *c).await?;
        }
    });
    Ok(())
}

const UNIT_COLS: &str = "u.agency_id, u.year, u.origin, u.source_id, u.sha256, u.layout, \
                         u.received_at, u.review, u.included, u.excluded_reason, u.failed_rules, \
                         u.unread_rules, u.warnings, u.cells_unread, u.received, u.granted, \
                         u.concluded, u.carried_over, u.carried_forward";

/// A unit's projection for a year.
pub async fn unit_report(db: &Db, agency_id: i64, year: i32) -> Result<Option<UnitReportRow>> {
    let row: Option<UnitReportRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {UNIT_COLS} FROM unit_report u WHERE u.agency_id = $1 AND u.year = $2"
        )))
        .bind(agency_id)
        .bind(year)
        .fetch_optional(p)
        .await?
    });
    Ok(row)
}

/// The projections of every unit in the region (and below) for a year.
pub async fn unit_reports_in_region(
    db: &Db,
    region_id: i64,
    year: i32,
) -> Result<Vec<UnitReportRow>> {
    let rows: Vec<UnitReportRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{SUB_REGIONS}SELECT {UNIT_COLS} FROM unit_report u \
             JOIN agency a ON a.id = u.agency_id JOIN sub ON a.region_id = sub.id \
             WHERE u.year = $2 ORDER BY u.agency_id"
        )))
        .bind(region_id)
        .bind(year)
        .fetch_all(p)
        .await?
    });
    Ok(rows)
}

/// One cell of the region's aggregate: the sum over the included units that hold a value,
/// how many did, and how many included units left it unread or unreadable.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CellSum {
    pub cell: String,
    pub total: i64,
    /// Units that printed a value.
    pub counted: i64,
    /// Units whose cell was not read or not a number.
    pub unknown: i64,
    /// Units that left it blank, or printed it as not applicable.
    pub blank: i64,
    pub na: i64,
}

/// The region's aggregate for a year: one row per cell, over the included units (a cell that
/// no included unit holds has no row). The units are chosen first and the year's cells scanned
/// once in cell order, testing each against that set.
pub async fn cell_sums(db: &Db, region_id: i64, year: i32) -> Result<Vec<CellSum>> {
    let rows: Vec<CellSum> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{SUB_REGIONS}SELECT c.cell, \
             CAST(COALESCE(SUM(CASE WHEN c.state = 'value' THEN c.value END), 0) AS BIGINT) \
               AS total, \
             CAST(SUM(CASE WHEN c.state = 'value' THEN 1 ELSE 0 END) AS BIGINT) AS counted, \
             CAST(SUM(CASE WHEN c.state IN ('unread', 'invalid') THEN 1 ELSE 0 END) AS BIGINT) \
               AS unknown, \
             CAST(SUM(CASE WHEN c.state = 'blank' THEN 1 ELSE 0 END) AS BIGINT) AS blank, \
             CAST(SUM(CASE WHEN c.state = 'na' THEN 1 ELSE 0 END) AS BIGINT) AS na \
             FROM unit_cell c WHERE c.year = $2 AND c.agency_id IN \
             (SELECT u.agency_id FROM unit_report u JOIN agency a ON a.id = u.agency_id \
             JOIN sub ON a.region_id = sub.id WHERE u.year = $2 AND u.included) \
             GROUP BY c.cell"
        )))
        .bind(region_id)
        .bind(year)
        .fetch_all(p)
        .await?
    });
    Ok(rows)
}

/// One unit's entry in a cell's drill-down.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CellEntry {
    pub agency_id: i64,
    pub agency: String,
    pub origin: String,
    pub included: bool,
    pub state: String,
    pub value: Option<i64>,
}

/// Every unit's value of one cell in the region for a year, the largest first.
pub async fn cell_entries(
    db: &Db,
    region_id: i64,
    year: i32,
    cell: &str,
) -> Result<Vec<CellEntry>> {
    let rows: Vec<CellEntry> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{SUB_REGIONS}SELECT a.id AS agency_id, a.name AS agency, u.origin, u.included, \
             c.state, c.value FROM unit_cell c \
             JOIN unit_report u ON u.agency_id = c.agency_id AND u.year = c.year \
             JOIN agency a ON a.id = u.agency_id JOIN sub ON a.region_id = sub.id \
             WHERE c.year = $2 AND c.cell = $3 \
             ORDER BY u.included DESC, c.value DESC NULLS LAST, a.id"
        )))
        .bind(region_id)
        .bind(year)
        .bind(cell)
        .fetch_all(p)
        .await?
    });
    Ok(rows)
}

/// Every cell of every unit's current report in the region for a year, by unit.
pub async fn cells_in_region(
    db: &Db,
    region_id: i64,
    year: i32,
) -> Result<Vec<(i64, String, String, Option<i64>)>> {
    let rows: Vec<(i64, String, String, Option<i64>)> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{SUB_REGIONS}SELECT c.agency_id, c.cell, c.state, c.value FROM unit_cell c \
             JOIN agency a ON a.id = c.agency_id JOIN sub ON a.region_id = sub.id \
             WHERE c.year = $2 ORDER BY c.agency_id"
        )))
        .bind(region_id)
        .bind(year)
        .fetch_all(p)
        .await?
    });
    Ok(rows)
}
