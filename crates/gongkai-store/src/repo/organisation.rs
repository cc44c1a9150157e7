//! Appointments to the disclosure work and assessment rounds (migration 0116,
//! docs/organisation.md).

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::{on_db, on_tx};
use time::{Date, OffsetDateTime};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AppointmentRow {
    pub id: i64,
    pub agency_id: i64,
    pub duty: String,
    pub name: String,
    pub post: String,
    pub section: Option<String>,
    pub from_on: Date,
    pub until_on: Option<Date>,
    pub created_actor: String,
    pub ended_actor: Option<String>,
}

const APPOINTMENT_COLS: &str =
    "id, agency_id, duty, name, post, section, from_on, until_on, created_actor, ended_actor";

/// Who records a change, and when.
#[derive(Debug, Clone, Copy)]
pub struct By<'a> {
    pub user_id: i64,
    pub actor: &'a str,
    pub at: OffsetDateTime,
}

#[derive(Debug, Clone)]
pub struct NewAppointment<'a> {
    pub agency_id: i64,
    pub duty: &'a str,
    pub name: &'a str,
    pub post: &'a str,
    pub section: Option<&'a str>,
    pub from_on: Date,
    pub until_on: Option<Date>,
}

pub async fn insert_appointment(
    tx: &mut Tx,
    new: &NewAppointment<'_>,
    by: By<'_>,
) -> Result<AppointmentRow> {
    let row: AppointmentRow = on_tx!(tx, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "INSERT INTO appointment (agency_id, duty, name, post, section, from_on, until_on, \
             created_by, created_actor, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING {APPOINTMENT_COLS}"
        )))
        .bind(new.agency_id)
        .bind(new.duty)
        .bind(new.name)
        .bind(new.post)
        .bind(new.section)
        .bind(new.from_on)
        .bind(new.until_on)
        .bind(by.user_id)
        .bind(by.actor)
        .bind(by.at)
        .fetch_one(c)
        .await?
    });
    Ok(row)
}

/// Ends an appointment still running on `until`; `false` when it had already ended.
pub async fn end_appointment(tx: &mut Tx, id: i64, until: Date, by: By<'_>) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE appointment SET until_on = $1, ended_by = $2, ended_actor = $3 \
             WHERE id = $4 AND until_on IS NULL",
        )
        .bind(until)
        .bind(by.user_id)
        .bind(by.actor)
        .bind(id)
        .execute(c)
        .await?
        .rows_affected()
    });
    Ok(n == 1)
}

pub async fn find_appointment(db: &Db, id: i64) -> Result<AppointmentRow> {
    let row: Option<AppointmentRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {APPOINTMENT_COLS} FROM appointment WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(p)
        .await?
    });
    row.ok_or_else(|| StoreError::not_found("appointment", id))
}

/// The agency's appointments, by start day.
pub async fn appointments(db: &Db, agency_id: i64) -> Result<Vec<AppointmentRow>> {
    let rows: Vec<AppointmentRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {APPOINTMENT_COLS} FROM appointment WHERE agency_id = $1 ORDER BY from_on, id"
        )))
        .bind(agency_id)
        .fetch_all(p)
        .await?
    });
    Ok(rows)
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RoundRow {
    pub id: i64,
    pub agency_id: i64,
    pub held_on: Date,
    pub title: String,
    pub created_actor: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ResultRow {
    pub id: i64,
    pub round_id: i64,
    pub section: String,
    pub score: Option<i32>,
    pub finding: Option<String>,
    pub rectified_on: Option<Date>,
    pub rectified_actor: Option<String>,
}

/// A section's result to record.
#[derive(Debug, Clone)]
pub struct NewResult<'a> {
    pub section: &'a str,
    pub score: Option<i32>,
    pub finding: Option<&'a str>,
}

/// Records a round with its results; the same section twice in a round is a
/// [`StoreError::Conflict`].
pub async fn insert_round(
    tx: &mut Tx,
    agency_id: i64,
    held_on: Date,
    title: &str,
    results: &[NewResult<'_>],
    by: By<'_>,
) -> Result<i64> {
    let id: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO assessment_round (agency_id, held_on, title, created_by, created_actor, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(agency_id)
        .bind(held_on)
        .bind(title)
        .bind(by.user_id)
        .bind(by.actor)
        .bind(by.at)
        .fetch_one(c)
        .await?
    });
    for r in results {
        on_tx!(tx, |c| {
            sqlx::query(
                "INSERT INTO assessment_result (round_id, section, score, finding) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(r.section)
            .bind(r.score)
            .bind(r.finding)
            .execute(c)
            .await?;
        });
    }
    Ok(id)
}

/// The agency's rounds held in `year` (every year when `None`), by day, with their results.
pub async fn rounds(
    db: &Db,
    agency_id: i64,
    year: Option<i32>,
) -> Result<Vec<(RoundRow, Vec<ResultRow>)>> {
    let (first, last) = match year {
        Some(y) => {
            let (f, l) = super::application::year_bounds(y)?;
            (Some(f), Some(l))
        }
        None => (None, None),
    };
    let rounds: Vec<RoundRow> = on_db!(db, |p| {
        sqlx::query_as(
            "SELECT id, agency_id, held_on, title, created_actor FROM assessment_round \
             WHERE agency_id = $1 AND ($2 IS NULL OR held_on >= $2) \
             AND ($3 IS NULL OR held_on <= $3) ORDER BY held_on, id",
        )
        .bind(agency_id)
        .bind(first)
        .bind(last)
        .fetch_all(p)
        .await?
    });
    let results: Vec<ResultRow> = on_db!(db, |p| {
        sqlx::query_as(
            "SELECT r.id, r.round_id, r.section, r.score, r.finding, r.rectified_on, \
             r.rectified_actor FROM assessment_result r \
             JOIN assessment_round a ON a.id = r.round_id WHERE a.agency_id = $1 ORDER BY r.id",
        )
        .bind(agency_id)
        .fetch_all(p)
        .await?
    });
    Ok(rounds
        .into_iter()
        .map(|round| {
            let mine = results
                .iter()
                .filter(|r| r.round_id == round.id)
                .cloned()
                .collect();
            (round, mine)
        })
        .collect())
}

/// A result's columns, then its round's agency and day.
type LocatedResult = (
    i64,
    i64,
    String,
    Option<i32>,
    Option<String>,
    Option<Date>,
    Option<String>,
    i64,
    Date,
);

/// A result with its round's agency and day.
pub async fn find_result(db: &Db, id: i64) -> Result<(ResultRow, i64, Date)> {
    let row: Option<LocatedResult> = on_db!(db, |p| {
        sqlx::query_as(
            "SELECT r.id, r.round_id, r.section, r.score, r.finding, r.rectified_on, \
                 r.rectified_actor, a.agency_id, a.held_on FROM assessment_result r \
                 JOIN assessment_round a ON a.id = r.round_id WHERE r.id = $1",
        )
        .bind(id)
        .fetch_optional(p)
        .await?
    });
    let (id, round_id, section, score, finding, rectified_on, rectified_actor, agency, held_on) =
        row.ok_or_else(|| StoreError::not_found("assessment result", id))?;
    Ok((
        ResultRow {
            id,
            round_id,
            section,
            score,
            finding,
            rectified_on,
            rectified_actor,
        },
        agency,
        held_on,
    ))
}

/// Records that a finding was put right; `false` when it already was (or had no finding).
pub async fn rectify(tx: &mut Tx, id: i64, on: Date, by: By<'_>) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE assessment_result SET rectified_on = $1, rectified_by = $2, \
             rectified_actor = $3 WHERE id = $4 AND finding IS NOT NULL AND rectified_on IS NULL",
        )
        .bind(on)
        .bind(by.user_id)
        .bind(by.actor)
        .bind(id)
        .execute(c)
        .await?
        .rows_affected()
    });
    Ok(n == 1)
}
