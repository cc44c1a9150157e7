//! Applications (依申请公开) and their append-only event log.
//!
//! The store does not interpret events: it keeps the domain's JSON (`payload`) with the few
//! columns it needs to index and count (`kind`, `occurred_on`, `corrects`), and a projection
//! on the application row (`status`, `outcome`, `closed_on`) that the caller recomputes from
//! the log and writes in the same transaction as the event.

use crate::db::{Db, Exec, Tx};
use crate::error::{Result, StoreError};
use crate::{on_db, on_exec, on_tx};
use time::{Date, Month, OffsetDateTime};

/// What is stored when an application is registered.
#[derive(Debug, Clone)]
pub struct NewApplication {
    pub agency_id: i64,
    /// 申请编号 from [`next_number`], in the same transaction.
    pub number: String,
    /// 收到申请之日 (Art. 31).
    pub received_on: Date,
    pub channel: String,
    /// The table 三 column key of the applicant (`natural_person`, `legal.commercial`, …).
    pub applicant_kind: String,
    /// The applicant as JSON (the domain's `Applicant`).
    pub applicant: String,
    /// What is asked for and how it is to be delivered, as JSON.
    pub request: String,
    pub status: String,
    /// The keyed hash of the 查询码, bound to the number; the code itself is never stored.
    pub query_code_hash: String,
    /// The blind index of the applicant's ID number (docs/personal-data.md), if any.
    pub id_index: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ApplicationRow {
    pub id: i64,
    pub agency_id: i64,
    /// 申请编号, unique in the database: `{year of receipt}-{sequence:06}`.
    pub number: String,
    pub query_code_hash: String,
    pub received_on: Date,
    pub channel: String,
    pub applicant_kind: String,
    pub applicant: String,
    pub request: String,
    pub status: String,
    pub outcome: Option<String>,
    pub closed_on: Option<Date>,
    /// The due date the reply was judged against, once concluded (when known).
    pub due_on: Option<Date>,
}

pub(crate) const APP_COLS: &str = "id, agency_id, number, query_code_hash, received_on, channel, \
    applicant_kind, applicant, request, status, outcome, closed_on, due_on";

/// One stored event.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredEvent {
    pub id: i64,
    pub application_id: i64,
    /// 1-based position in the application's log.
    pub seq: i64,
    pub kind: String,
    pub occurred_on: Date,
    /// The domain event as JSON.
    pub payload: String,
    /// The display name of the user who recorded it, at the time.
    pub actor: Option<String>,
    /// The user who recorded it (`None` for events recorded before users existed and never
    /// matched to one).
    pub actor_id: Option<i64>,
    /// Why, for a correction.
    pub reason: Option<String>,
    /// The event (by id) a correction replaces or retracts.
    pub corrects: Option<i64>,
    pub recorded_at: OffsetDateTime,
}

const EVENT_COLS: &str = "id, application_id, seq, kind, occurred_on, payload, actor, actor_id, reason, corrects, \
     recorded_at";

#[derive(Debug, Clone)]
pub struct NewEvent {
    pub kind: String,
    pub occurred_on: Date,
    pub payload: String,
    pub actor: Option<String>,
    pub actor_id: Option<i64>,
    pub reason: Option<String>,
    /// For a correction: the sequence number of the event it corrects.
    pub corrects_seq: Option<i64>,
}

/// The projection of the log kept on the application row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Projection {
    pub status: String,
    /// Table 三 row key of the final outcome, with the date of the reply (答复).
    pub closed: Option<(String, Date)>,
    /// The due date in force when the case was concluded (`None` while open, or not known).
    pub due_on: Option<Date>,
}

/// The next 申请编号 of a year of receipt: `{year}-{sequence:06}`, unique in the database
/// (the counter row is locked until the transaction ends, so numbers are never reused).
pub async fn next_number(tx: &mut Tx, received_on: Date) -> Result<String> {
    let year = i64::from(received_on.year());
    let seq: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO application_counter (year, last) VALUES ($1, 1) \
             ON CONFLICT (year) DO UPDATE SET last = application_counter.last + 1 \
             RETURNING last",
        )
        .bind(year)
        .fetch_one(c)
        .await?
    });
    Ok(format!("{year}-{seq:06}"))
}

/// Registers an application under the number from [`next_number`].
pub async fn insert(tx: &mut Tx, new: &NewApplication) -> Result<ApplicationRow> {
    let row: ApplicationRow = on_tx!(tx, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "INSERT INTO application (agency_id, number, query_code_hash, received_on, channel, \
             applicant_kind, applicant, request, status, created_at, id_index) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING {APP_COLS}"
        )))
        .bind(new.agency_id)
        .bind(&new.number)
        .bind(&new.query_code_hash)
        .bind(new.received_on)
        .bind(&new.channel)
        .bind(&new.applicant_kind)
        .bind(&new.applicant)
        .bind(&new.request)
        .bind(&new.status)
        .bind(OffsetDateTime::now_utc())
        .bind(&new.id_index)
        .fetch_one(c)
        .await?
    });
    Ok(row)
}

pub async fn find_by_number<'a>(ex: impl Into<Exec<'a>>, number: &str) -> Result<ApplicationRow> {
    let row: Option<ApplicationRow> = on_exec!(ex.into(), |e| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {APP_COLS} FROM application WHERE number = $1"
        )))
        .bind(number.trim())
        .fetch_optional(e)
        .await?
    });
    row.ok_or_else(|| StoreError::not_found("application", number.trim()))
}

/// Reads an application inside a write transaction, locking its row on PostgreSQL so two
/// writers cannot append to the same log from the same state (SQLite's `BEGIN IMMEDIATE`
/// already serialises writers).
pub async fn lock_by_number(tx: &mut Tx, number: &str) -> Result<ApplicationRow> {
    let row: Option<ApplicationRow> = match tx {
        Tx::Sqlite(t) => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {APP_COLS} FROM application WHERE number = $1"
            )))
            .bind(number.trim())
            .fetch_optional(&mut **t)
            .await?
        }
        Tx::Postgres(t) => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {APP_COLS} FROM application WHERE number = $1 FOR UPDATE"
            )))
            .bind(number.trim())
            .fetch_optional(&mut **t)
            .await?
        }
    };
    row.ok_or_else(|| StoreError::not_found("application", number.trim()))
}

/// The log of an application, in order.
pub async fn events<'a>(ex: impl Into<Exec<'a>>, application_id: i64) -> Result<Vec<StoredEvent>> {
    let rows: Vec<StoredEvent> = on_exec!(ex.into(), |e| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {EVENT_COLS} FROM application_event WHERE application_id = $1 ORDER BY seq"
        )))
        .bind(application_id)
        .fetch_all(e)
        .await?
    });
    Ok(rows)
}

/// Appends an event at the end of the log. Earlier events are never touched: the
/// database refuses UPDATE and DELETE on the log.
pub async fn append_event(
    tx: &mut Tx,
    application_id: i64,
    event: &NewEvent,
) -> Result<StoredEvent> {
    let next: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM application_event WHERE application_id = $1",
        )
        .bind(application_id)
        .fetch_one(c)
        .await?
    });
    let corrects: Option<i64> = match event.corrects_seq {
        None => None,
        Some(seq) => {
            let id: Option<i64> = on_tx!(tx, |c| {
                sqlx::query_scalar(
                    "SELECT id FROM application_event WHERE application_id = $1 AND seq = $2",
                )
                .bind(application_id)
                .bind(seq)
                .fetch_optional(c)
                .await?
            });
            Some(id.ok_or_else(|| StoreError::not_found("event to correct", seq))?)
        }
    };
    if corrects.is_some() && event.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        return Err(StoreError::invalid(
            "a correction needs a reason",
            "更正须说明理由",
        ));
    }
    let row: StoredEvent = on_tx!(tx, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "INSERT INTO application_event (application_id, seq, kind, occurred_on, payload, \
             actor, actor_id, reason, corrects, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             RETURNING {EVENT_COLS}"
        )))
        .bind(application_id)
        .bind(next)
        .bind(&event.kind)
        .bind(event.occurred_on)
        .bind(&event.payload)
        .bind(event.actor.as_deref())
        .bind(event.actor_id)
        .bind(event.reason.as_deref())
        .bind(corrects)
        .bind(OffsetDateTime::now_utc())
        .fetch_one(c)
        .await?
    });
    Ok(row)
}

/// Rewrites the projection columns from the log's current state.
pub async fn set_projection(tx: &mut Tx, application_id: i64, p: &Projection) -> Result<()> {
    let (outcome, closed_on) = match &p.closed {
        Some((o, d)) => (Some(o.as_str()), Some(*d)),
        None => (None, None),
    };
    on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE application SET status = $1, outcome = $2, closed_on = $3, due_on = $4 \
             WHERE id = $5",
        )
        .bind(&p.status)
        .bind(outcome)
        .bind(closed_on)
        .bind(p.due_on)
        .bind(application_id)
        .execute(c)
        .await?;
    });
    Ok(())
}

/// Which applications to list.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub agency_id: Option<i64>,
    /// Only cases without a final outcome.
    pub open_only: bool,
}

pub async fn list(db: &Db, filter: &ListFilter) -> Result<Vec<ApplicationRow>> {
    let rows: Vec<ApplicationRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {APP_COLS} FROM application \
             WHERE ($1 IS NULL OR agency_id = $1) AND ($2 = FALSE OR closed_on IS NULL) \
             ORDER BY received_on, id"
        )))
        .bind(filter.agency_id)
        .bind(filter.open_only)
        .fetch_all(p)
        .await?
    });
    Ok(rows)
}

/// A group of applications that fall in the same cells of table 三 for a year: same
/// applicant kind, received in the year or before, same outcome in the year (or none:
/// carried forward). Grouped in SQL so that a million cases cross the wire as a few hundred
/// rows; the 申请编号 of the group come sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct T3Group {
    pub applicant_kind: String,
    /// Received in the year (else carried over from an earlier year).
    pub received_in_year: bool,
    /// The outcome when concluded in the year (else carried forward).
    pub outcome: Option<String>,
    pub numbers: Vec<String>,
}

#[derive(sqlx::FromRow)]
struct T3GroupRow {
    applicant_kind: String,
    received_in_year: bool,
    outcome: Option<String>,
    numbers: String,
}

/// Whose applications a report counts.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    Agency(i64),
    /// Every agency of the region and of the regions below it.
    Region(i64),
}

/// The applications that matter for table 三 of `year`, grouped by the cells they fall in:
/// received by 31 December and not concluded before 1 January (docs/rules/annual-report.md).
pub async fn t3_groups(db: &Db, scope: Scope, year: i32) -> Result<Vec<T3Group>> {
    let (first, last) = year_bounds(year)?;
    // Only the aggregate that joins strings differs between the dialects.
    let concat = match db {
        Db::Sqlite(_) => "group_concat(a.number, ',' ORDER BY a.number)",
        Db::Postgres(_) => "string_agg(a.number, ',' ORDER BY a.number)",
    };
    let from = match scope {
        Scope::Agency(_) => "application a WHERE a.agency_id = $1 AND",
        Scope::Region(_) => {
            "agency g JOIN sub ON g.region_id = sub.id JOIN application a ON a.agency_id = g.id WHERE"
        }
    };
    let sql = format!(
        "WITH RECURSIVE sub(id) AS (SELECT id FROM region WHERE id = $1 \
         UNION ALL SELECT r.id FROM region r JOIN sub ON r.parent_id = sub.id) \
         SELECT a.applicant_kind, a.received_on >= $3 AS received_in_year, \
         CASE WHEN a.closed_on <= $2 THEN a.outcome END AS outcome, {concat} AS numbers \
         FROM {from} a.received_on <= $2 AND (a.closed_on IS NULL OR a.closed_on >= $3) \
         GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 NULLS FIRST"
    );
    let id = match scope {
        Scope::Agency(id) | Scope::Region(id) => id,
    };
    let rows: Vec<T3GroupRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(last)
            .bind(first)
            .fetch_all(p)
            .await?
    });
    Ok(rows
        .into_iter()
        .map(|r| T3Group {
            applicant_kind: r.applicant_kind,
            received_in_year: r.received_in_year,
            outcome: r.outcome,
            numbers: r.numbers.split(',').map(str::to_string).collect(),
        })
        .collect())
}

/// A case as the report's figures see it, without the applicant's personal data.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CaseLine {
    pub number: String,
    pub received_on: Date,
    pub applicant_kind: String,
    pub outcome: Option<String>,
    pub closed_on: Option<Date>,
    pub due_on: Option<Date>,
}

/// The cases of agency `agency_id` that table 三 of `year` counts (as [`t3_groups`]), by
/// number.
pub async fn year_cases(db: &Db, agency_id: i64, year: i32) -> Result<Vec<CaseLine>> {
    let (first, last) = year_bounds(year)?;
    let rows: Vec<CaseLine> = on_db!(db, |p| {
        sqlx::query_as(
            "SELECT number, received_on, applicant_kind, outcome, closed_on, due_on \
             FROM application WHERE agency_id = $1 AND received_on <= $2 \
             AND (closed_on IS NULL OR closed_on >= $3) ORDER BY number",
        )
        .bind(agency_id)
        .bind(last)
        .bind(first)
        .fetch_all(p)
        .await?
    });
    Ok(rows)
}

/// How one agency's replies of a year kept their due dates.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Timeliness {
    pub agency_id: i64,
    /// Cases concluded (答复) in the year.
    pub concluded: i64,
    /// Of those, answered after the due date in force.
    pub late: i64,
    /// Of those, whose due date is not known (see migration 0111).
    pub unknown: i64,
}

/// For every agency of region `region_id` and below with a case concluded in `year`: how many,
/// and how many late. One grouped scan of the year's concluded cases.
pub async fn timeliness(db: &Db, region_id: i64, year: i32) -> Result<Vec<Timeliness>> {
    let (first, last) = year_bounds(year)?;
    let rows: Vec<Timeliness> = on_db!(db, |p| {
        sqlx::query_as(
            "WITH RECURSIVE sub(id) AS (SELECT id FROM region WHERE id = $1 \
             UNION ALL SELECT r.id FROM region r JOIN sub ON r.parent_id = sub.id) \
             SELECT a.agency_id, COUNT(*) AS concluded, \
             COALESCE(SUM(CASE WHEN a.closed_on > a.due_on THEN 1 ELSE 0 END), 0) AS late, \
             COALESCE(SUM(CASE WHEN a.due_on IS NULL THEN 1 ELSE 0 END), 0) AS unknown \
             FROM agency g JOIN sub ON g.region_id = sub.id \
             JOIN application a ON a.agency_id = g.id \
             WHERE a.closed_on >= $2 AND a.closed_on <= $3 \
             GROUP BY a.agency_id ORDER BY a.agency_id",
        )
        .bind(region_id)
        .bind(first)
        .bind(last)
        .fetch_all(p)
        .await?
    });
    Ok(rows)
}

/// 1 January and 31 December of a year.
pub fn year_bounds(year: i32) -> Result<(Date, Date)> {
    let out_of_range = |_| {
        StoreError::invalid(
            format!("year {year} is out of range"),
            format!("年份{year}超出范围"),
        )
    };
    let first = Date::from_calendar_date(year, Month::January, 1).map_err(out_of_range)?;
    let last = Date::from_calendar_date(year, Month::December, 31).map_err(out_of_range)?;
    Ok((first, last))
}
