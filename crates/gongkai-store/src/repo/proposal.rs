//! 建议提案 assigned to an agency (migration 0113, docs/proposals.md).

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::{on_db, on_tx};
use time::{Date, OffsetDateTime};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProposalRow {
    pub id: i64,
    pub agency_id: i64,
    pub kind: String,
    pub number: String,
    pub proposer: String,
    pub subject: String,
    pub handling: String,
    pub assigned_on: Date,
    pub due_on: Date,
    pub replied_on: Option<Date>,
    pub result: Option<String>,
    pub reply: Option<String>,
    pub reply_item_id: Option<i64>,
    pub created_actor: String,
    pub created_at: OffsetDateTime,
    pub replied_actor: Option<String>,
}

const COLS: &str = "id, agency_id, kind, number, proposer, subject, handling, assigned_on, \
    due_on, replied_on, result, reply, reply_item_id, created_actor, created_at, replied_actor";

/// A proposal to add.
#[derive(Debug, Clone)]
pub struct NewProposal<'a> {
    pub agency_id: i64,
    pub kind: &'a str,
    pub number: &'a str,
    pub proposer: &'a str,
    pub subject: &'a str,
    pub handling: &'a str,
    pub assigned_on: Date,
    pub due_on: Date,
    pub user_id: i64,
    pub actor: &'a str,
    pub at: OffsetDateTime,
}

/// Adds a proposal; the same number twice for one agency is a [`StoreError::Conflict`].
pub async fn insert(tx: &mut Tx, new: &NewProposal<'_>) -> Result<ProposalRow> {
    let row: ProposalRow = on_tx!(tx, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "INSERT INTO proposal (agency_id, kind, number, proposer, subject, handling, \
             assigned_on, due_on, created_by, created_actor, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING {COLS}"
        )))
        .bind(new.agency_id)
        .bind(new.kind)
        .bind(new.number)
        .bind(new.proposer)
        .bind(new.subject)
        .bind(new.handling)
        .bind(new.assigned_on)
        .bind(new.due_on)
        .bind(new.user_id)
        .bind(new.actor)
        .bind(new.at)
        .fetch_one(c)
        .await?
    });
    Ok(row)
}

/// The reply to record.
#[derive(Debug, Clone)]
pub struct Reply<'a> {
    pub replied_on: Date,
    pub result: &'a str,
    pub reply: Option<&'a str>,
    pub reply_item_id: Option<i64>,
    pub user_id: i64,
    pub actor: &'a str,
}

/// Records the reply of a proposal not yet answered; `false` when it already was.
pub async fn set_reply(tx: &mut Tx, id: i64, r: &Reply<'_>) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE proposal SET replied_on = $1, result = $2, reply = $3, reply_item_id = $4, \
             replied_by = $5, replied_actor = $6 WHERE id = $7 AND replied_on IS NULL",
        )
        .bind(r.replied_on)
        .bind(r.result)
        .bind(r.reply)
        .bind(r.reply_item_id)
        .bind(r.user_id)
        .bind(r.actor)
        .bind(id)
        .execute(c)
        .await?
        .rows_affected()
    });
    Ok(n == 1)
}

/// The agency's proposals assigned in `year` (every year when `None`), by day and number.
pub async fn list(db: &Db, agency_id: i64, year: Option<i32>) -> Result<Vec<ProposalRow>> {
    let (first, last) = match year {
        Some(y) => {
            let (f, l) = super::application::year_bounds(y)?;
            (Some(f), Some(l))
        }
        None => (None, None),
    };
    let rows: Vec<ProposalRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM proposal WHERE agency_id = $1 \
             AND ($2 IS NULL OR assigned_on >= $2) AND ($3 IS NULL OR assigned_on <= $3) \
             ORDER BY assigned_on, id"
        )))
        .bind(agency_id)
        .bind(first)
        .bind(last)
        .fetch_all(p)
        .await?
    });
    Ok(rows)
}

pub async fn find(db: &Db, id: i64) -> Result<ProposalRow> {
    let row: Option<ProposalRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM proposal WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(p)
        .await?
    });
    row.ok_or_else(|| StoreError::NotFound {
        what: "proposal",
        key: id.to_string(),
    })
}
