//! Remedy cases (行政复议, 行政诉讼; migration 0108, docs/rules/annual-report.md#table-四-remedy-cases):
//! the case rows with their current decision, and an append-only history of what happened to
//! each (filed, decided, corrected — who, when, what, why). The store does not judge: the
//! domain (`gongkai_core::remedy`) validates before the caller writes, in one transaction.

use super::application::{Scope, year_bounds};
use super::case_list::Visible;
use crate::db::{Db, Exec, Tx};
use crate::error::{Result, StoreError};
use crate::{on_db, on_exec, on_tx};
use time::{Date, OffsetDateTime};

/// What is stored when a case is added.
#[derive(Debug, Clone)]
pub struct NewRemedy<'a> {
    pub agency_id: i64,
    /// From [`next_number`], in the same transaction.
    pub number: &'a str,
    /// `review`, `litigation.direct` or `litigation.after_review`.
    pub kind: &'a str,
    pub application_id: Option<i64>,
    pub subject: Option<&'a str>,
    pub after_review_id: Option<i64>,
    pub body: &'a str,
    pub case_number: Option<&'a str>,
    pub filed_on: Date,
    pub court_accepted_direct: bool,
    pub override_note: Option<&'a str>,
    pub note: Option<&'a str>,
    pub user_id: i64,
    pub at: OffsetDateTime,
}

/// A stored case, with the numbers of the records it names.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RemedyRow {
    pub id: i64,
    pub agency_id: i64,
    pub agency_name: String,
    pub number: String,
    pub kind: String,
    pub application_id: Option<i64>,
    /// 申请编号 of the application.
    pub application_number: Option<String>,
    pub subject: Option<String>,
    pub after_review_id: Option<i64>,
    /// The number of the review case it follows.
    pub after_review_number: Option<String>,
    pub body: String,
    pub case_number: Option<String>,
    pub filed_on: Date,
    pub decided_on: Option<Date>,
    pub outcome: Option<String>,
    pub court_accepted_direct: bool,
    pub override_note: Option<String>,
    pub note: Option<String>,
    pub created_by: i64,
    pub created_at: OffsetDateTime,
    pub updated_by: i64,
    pub updated_at: OffsetDateTime,
}

const SELECT: &str = "SELECT c.id, c.agency_id, g.name AS agency_name, c.number, c.kind, \
    c.application_id, a.number AS application_number, c.subject, c.after_review_id, \
    r.number AS after_review_number, c.body, c.case_number, c.filed_on, c.decided_on, c.outcome, \
    c.court_accepted_direct, c.override_note, c.note, c.created_by, c.created_at, c.updated_by, \
    c.updated_at \
    FROM remedy_case c JOIN agency g ON g.id = c.agency_id \
    LEFT JOIN application a ON a.id = c.application_id \
    LEFT JOIN remedy_case r ON r.id = c.after_review_id";

/// One entry of a case's history.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ChangeRow {
    /// 1-based position in the case's history.
    pub seq: i64,
    /// `filed`, `decided` or `corrected`.
    pub what: String,
    /// The decision recorded by this entry (none for `filed`).
    pub decided_on: Option<Date>,
    pub outcome: Option<String>,
    pub reason: Option<String>,
    pub user_id: i64,
    /// The user's display name at the time.
    pub actor: String,
    pub at: OffsetDateTime,
}

/// What a history entry records.
#[derive(Debug, Clone)]
pub struct NewChange<'a> {
    pub what: &'a str,
    pub decided_on: Option<Date>,
    pub outcome: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub user_id: i64,
    pub actor: &'a str,
    pub at: OffsetDateTime,
}

/// The next readable number for `prefix` (`复议`, `诉讼`) in the year of filing:
/// `{prefix}-{year}-{sequence:04}`, unique in the database (the counter row is locked until the
/// transaction ends, so numbers are never reused).
pub async fn next_number(tx: &mut Tx, prefix: &str, filed_on: Date) -> Result<String> {
    let year = i64::from(filed_on.year());
    let seq: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO remedy_counter (prefix, year, last) VALUES ($1, $2, 1) \
             ON CONFLICT (prefix, year) DO UPDATE SET last = remedy_counter.last + 1 \
             RETURNING last",
        )
        .bind(prefix)
        .bind(year)
        .fetch_one(c)
        .await?
    });
    Ok(format!("{prefix}-{year}-{seq:04}"))
}

/// Adds a case and the first entry of its history (`filed`).
pub async fn insert(tx: &mut Tx, new: &NewRemedy<'_>, actor: &str) -> Result<i64> {
    let id: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO remedy_case (agency_id, number, kind, application_id, subject, \
             after_review_id, body, case_number, filed_on, court_accepted_direct, override_note, \
             note, created_by, created_at, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $13, $14) \
             RETURNING id",
        )
        .bind(new.agency_id)
        .bind(new.number)
        .bind(new.kind)
        .bind(new.application_id)
        .bind(new.subject)
        .bind(new.after_review_id)
        .bind(new.body)
        .bind(new.case_number)
        .bind(new.filed_on)
        .bind(new.court_accepted_direct)
        .bind(new.override_note)
        .bind(new.note)
        .bind(new.user_id)
        .bind(new.at)
        .fetch_one(c)
        .await?
    });
    append_change(
        tx,
        id,
        &NewChange {
            what: "filed",
            decided_on: None,
            outcome: None,
            reason: None,
            user_id: new.user_id,
            actor,
            at: new.at,
        },
    )
    .await?;
    Ok(id)
}

pub async fn find_by_number<'a>(ex: impl Into<Exec<'a>>, number: &str) -> Result<RemedyRow> {
    let row: Option<RemedyRow> = on_exec!(ex.into(), |e| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE c.number = $1")))
            .bind(number.trim())
            .fetch_optional(e)
            .await?
    });
    row.ok_or_else(|| StoreError::not_found("remedy case", number.trim()))
}

/// Reads a case inside a write transaction, locking its row on PostgreSQL so two decisions
/// cannot both start from the same state (SQLite's `BEGIN IMMEDIATE` already serialises).
pub async fn lock_by_number(tx: &mut Tx, number: &str) -> Result<RemedyRow> {
    if let Tx::Postgres(t) = tx {
        sqlx::query("SELECT id FROM remedy_case WHERE number = $1 FOR UPDATE")
            .bind(number.trim())
            .fetch_optional(&mut **t)
            .await?;
    }
    find_by_number(tx, number).await
}

/// Records the decision of case `id` (the caller has appended its history entry).
pub async fn set_decision(
    tx: &mut Tx,
    id: i64,
    decided_on: Date,
    outcome: &str,
    user_id: i64,
    at: OffsetDateTime,
) -> Result<()> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE remedy_case SET decided_on = $1, outcome = $2, updated_by = $3, \
             updated_at = $4 WHERE id = $5",
        )
        .bind(decided_on)
        .bind(outcome)
        .bind(user_id)
        .bind(at)
        .bind(id)
        .execute(c)
        .await?
        .rows_affected()
    });
    if n == 1 {
        Ok(())
    } else {
        Err(StoreError::not_found("remedy case", id))
    }
}

/// Appends an entry at the end of a case's history. Earlier entries are never touched: the
/// database refuses UPDATE and DELETE on the history.
pub async fn append_change(tx: &mut Tx, remedy_id: i64, change: &NewChange<'_>) -> Result<()> {
    if change.what == "corrected" && change.reason.is_none_or(|r| r.trim().is_empty()) {
        return Err(StoreError::invalid(
            "a correction needs a reason",
            "更正须说明理由",
        ));
    }
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO remedy_change (remedy_id, seq, what, decided_on, outcome, reason, \
             user_id, actor, at) \
             SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5, $6, $7, $8 \
             FROM remedy_change WHERE remedy_id = $1",
        )
        .bind(remedy_id)
        .bind(change.what)
        .bind(change.decided_on)
        .bind(change.outcome)
        .bind(change.reason)
        .bind(change.user_id)
        .bind(change.actor)
        .bind(change.at)
        .execute(c)
        .await?;
    });
    Ok(())
}

/// The history of case `remedy_id`, oldest first.
pub async fn changes<'a>(ex: impl Into<Exec<'a>>, remedy_id: i64) -> Result<Vec<ChangeRow>> {
    let rows: Vec<ChangeRow> = on_exec!(ex.into(), |e| {
        sqlx::query_as(
            "SELECT seq, what, decided_on, outcome, reason, user_id, actor, at \
             FROM remedy_change WHERE remedy_id = $1 ORDER BY seq",
        )
        .bind(remedy_id)
        .fetch_all(e)
        .await?
    });
    Ok(rows)
}

/// Which cases to list.
#[derive(Debug, Clone, Copy)]
pub struct ListFilter {
    /// Whose cases: the user's scope, or one agency within it.
    pub visible: Visible,
    /// Filed in this year.
    pub year: Option<i32>,
    /// Only cases without a decision.
    pub pending_only: bool,
}

/// The cases of the scope, newest filing first.
pub async fn list(db: &Db, filter: &ListFilter) -> Result<Vec<RemedyRow>> {
    let (first, last) = match filter.year {
        Some(y) => {
            let (f, l) = year_bounds(y)?;
            (Some(f), Some(l))
        }
        None => (None, None),
    };
    let (with, scope) = scope_sql(filter.visible);
    let sql = format!(
        "{with}{SELECT} WHERE {scope} \
         AND ($2 IS NULL OR c.filed_on >= $2) AND ($3 IS NULL OR c.filed_on <= $3) \
         AND ($4 = FALSE OR c.decided_on IS NULL) \
         ORDER BY c.filed_on DESC, c.id DESC"
    );
    let id = match filter.visible {
        Visible::All | Visible::Nothing => 0,
        Visible::Agency(id) | Visible::Region(id) => id,
    };
    let rows: Vec<RemedyRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(first)
            .bind(last)
            .bind(filter.pending_only)
            .fetch_all(p)
            .await?
    });
    Ok(rows)
}

/// The `WITH` prefix and the condition on `c.agency_id` of a scope; the scope's id is `$1`
/// (unused, but bound, for [`Visible::All`]).
fn scope_sql(visible: Visible) -> (&'static str, &'static str) {
    const REGION: &str = "WITH RECURSIVE sub(id) AS (SELECT id FROM region WHERE id = $1 \
        UNION ALL SELECT r.id FROM region r JOIN sub ON r.parent_id = sub.id) ";
    match visible {
        Visible::All => ("", "$1 = $1"),
        Visible::Nothing => ("", "$1 <> $1"),
        Visible::Agency(_) => ("", "c.agency_id = $1"),
        Visible::Region(_) => (
            REGION,
            "c.agency_id IN (SELECT g2.id FROM agency g2 JOIN sub ON g2.region_id = sub.id)",
        ),
    }
}

/// One case as table 四 counts it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct T4Row {
    pub number: String,
    pub kind: String,
    pub filed_on: Date,
    pub decided_on: Option<Date>,
    pub outcome: Option<String>,
}

/// The cases table 四 of `year` counts: those of the scope filed in the year, by number.
pub async fn t4_rows(db: &Db, scope: Scope, year: i32) -> Result<Vec<T4Row>> {
    let (first, last) = year_bounds(year)?;
    let visible = match scope {
        Scope::Agency(id) => Visible::Agency(id),
        Scope::Region(id) => Visible::Region(id),
    };
    let (with, cond) = scope_sql(visible);
    let sql = format!(
        "{with}SELECT c.number, c.kind, c.filed_on, c.decided_on, c.outcome FROM remedy_case c \
         WHERE {cond} AND c.filed_on >= $2 AND c.filed_on <= $3 ORDER BY c.number"
    );
    let id = match scope {
        Scope::Agency(id) | Scope::Region(id) => id,
    };
    let rows: Vec<T4Row> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(first)
            .bind(last)
            .fetch_all(p)
            .await?
    });
    Ok(rows)
}
