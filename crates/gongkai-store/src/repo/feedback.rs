//! 公众评议 from the portal and its moderation history (migration 0115, docs/feedback.md).
//! Times are stored in UTC to the second (`session::to_second`), so SQLite's text timestamps
//! compare as the instants they name.

use super::session::to_second;
use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::{on_db, on_tx};
use time::OffsetDateTime;

/// A submission as stored (without the client's hash and the text key, which only the
/// screening reads).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FeedbackRow {
    pub id: i64,
    pub agency_id: i64,
    pub item_id: Option<i64>,
    pub column_name: String,
    pub rating: String,
    pub comment: String,
    pub nickname: Option<String>,
    pub contact: Option<String>,
    pub received_at: OffsetDateTime,
    pub state: String,
    pub answer: Option<String>,
    pub moderated_actor: Option<String>,
    pub moderated_at: Option<OffsetDateTime>,
    /// The item's title, for feedback on an item.
    pub item_title: Option<String>,
}

const COLS: &str = "id, agency_id, item_id, column_name, rating, comment, nickname, contact, \
    received_at, state, answer, moderated_actor, moderated_at, \
    (SELECT c.title FROM catalog_item c WHERE c.id = feedback.item_id) AS item_title";

/// One decision of the history.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EventRow {
    pub id: i64,
    pub feedback_id: i64,
    pub action: String,
    pub note: Option<String>,
    pub actor: String,
    pub at: OffsetDateTime,
}

/// A submission to store.
#[derive(Debug, Clone)]
pub struct NewFeedbackRow<'a> {
    pub agency_id: i64,
    pub item_id: Option<i64>,
    pub column_name: &'a str,
    pub rating: &'a str,
    pub comment: &'a str,
    pub nickname: Option<&'a str>,
    pub contact: Option<&'a str>,
    pub client_hash: &'a str,
    pub text_key: &'a str,
    pub short: bool,
    pub at: OffsetDateTime,
}

/// Serialises submissions for the rest of the transaction, so the count of a client's recent
/// submissions and the duplicate check see every earlier one (SQLite's `BEGIN IMMEDIATE`
/// already does; on PostgreSQL a transaction-scoped advisory lock).
pub async fn lock_submissions(tx: &mut Tx) -> Result<()> {
    /// The advisory lock's key: "gongkai feedback" in a 64-bit number of its own.
    const KEY: i64 = 0x676b_6662_0115;
    if let Tx::Postgres(t) = tx {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(KEY)
            .execute(&mut **t)
            .await?;
    }
    Ok(())
}

/// How many submissions the client sent since `since`.
pub async fn count_from_client(
    tx: &mut Tx,
    client_hash: &str,
    since: OffsetDateTime,
) -> Result<i64> {
    let n: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM feedback WHERE client_hash = $1 AND received_at >= $2",
        )
        .bind(client_hash)
        .bind(to_second(since))
        .fetch_one(c)
        .await?
    });
    Ok(n)
}

/// Whether the same text arrived since `since` — from anyone, or from `client_hash` only when
/// it is given (a short comment).
pub async fn duplicate_since(
    tx: &mut Tx,
    text_key: &str,
    client_hash: Option<&str>,
    since: OffsetDateTime,
) -> Result<bool> {
    let found: Option<i64> = on_tx!(tx, |c| {
        sqlx::query_scalar(
            "SELECT id FROM feedback WHERE text_key = $1 AND received_at >= $2 \
             AND ($3 IS NULL OR client_hash = $3) LIMIT 1",
        )
        .bind(text_key)
        .bind(to_second(since))
        .bind(client_hash)
        .fetch_optional(c)
        .await?
    });
    Ok(found.is_some())
}

/// Stores a submission; its id.
pub async fn insert(tx: &mut Tx, new: &NewFeedbackRow<'_>) -> Result<i64> {
    let id: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO feedback (agency_id, item_id, column_name, rating, comment, nickname, \
             contact, client_hash, text_key, short, received_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(new.agency_id)
        .bind(new.item_id)
        .bind(new.column_name)
        .bind(new.rating)
        .bind(new.comment)
        .bind(new.nickname)
        .bind(new.contact)
        .bind(new.client_hash)
        .bind(new.text_key)
        .bind(new.short)
        .bind(to_second(new.at))
        .fetch_one(c)
        .await?
    });
    Ok(id)
}

/// A decision to record.
#[derive(Debug, Clone)]
pub struct Decision<'a> {
    pub action: &'a str,
    /// The state it leads to.
    pub state: &'a str,
    /// The answer kept on the submission (the last one given stays when the decision has none).
    pub answer: Option<&'a str>,
    /// The text of the history entry (the answer, or the reason for setting it aside).
    pub note: Option<&'a str>,
    pub user_id: i64,
    pub actor: &'a str,
    pub at: OffsetDateTime,
}

/// Applies a decision to submission `id` if it is still in `from` (else `false`: someone
/// decided meanwhile), and appends it to the history.
pub async fn decide(tx: &mut Tx, id: i64, from: &str, d: &Decision<'_>) -> Result<bool> {
    let at = to_second(d.at);
    let n = on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE feedback SET state = $1, answer = COALESCE($2, answer), moderated_by = $3, \
             moderated_actor = $4, moderated_at = $5 WHERE id = $6 AND state = $7",
        )
        .bind(d.state)
        .bind(d.answer)
        .bind(d.user_id)
        .bind(d.actor)
        .bind(at)
        .bind(id)
        .bind(from)
        .execute(&mut *c)
        .await?
        .rows_affected()
    });
    if n != 1 {
        return Ok(false);
    }
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO feedback_event (feedback_id, action, note, user_id, actor, at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(d.action)
        .bind(d.note)
        .bind(d.user_id)
        .bind(d.actor)
        .bind(at)
        .execute(c)
        .await?;
    });
    Ok(true)
}

pub async fn find(db: &Db, id: i64) -> Result<FeedbackRow> {
    let row: Option<FeedbackRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM feedback WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(p)
        .await?
    });
    row.ok_or_else(|| StoreError::NotFound {
        what: "feedback",
        key: id.to_string(),
    })
}

/// The decisions on submission `id`, oldest first.
pub async fn events(db: &Db, id: i64) -> Result<Vec<EventRow>> {
    let rows: Vec<EventRow> = on_db!(db, |p| {
        sqlx::query_as(
            "SELECT id, feedback_id, action, note, actor, at FROM feedback_event \
             WHERE feedback_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(p)
        .await?
    });
    Ok(rows)
}

/// The decisions on the agency's submissions received in `[from, to)`, oldest first.
pub async fn events_of(
    db: &Db,
    agency_id: i64,
    (from, to): (OffsetDateTime, OffsetDateTime),
) -> Result<Vec<EventRow>> {
    let rows: Vec<EventRow> = on_db!(db, |p| {
        sqlx::query_as(
            "SELECT e.id, e.feedback_id, e.action, e.note, e.actor, e.at FROM feedback_event e \
             JOIN feedback f ON f.id = e.feedback_id WHERE f.agency_id = $1 \
             AND f.received_at >= $2 AND f.received_at < $3 ORDER BY e.id",
        )
        .bind(agency_id)
        .bind(to_second(from))
        .bind(to_second(to))
        .fetch_all(p)
        .await?
    });
    Ok(rows)
}

/// The agency's submissions received in `[from, to)`, in `state` when given, oldest first.
pub async fn list(
    db: &Db,
    agency_id: i64,
    state: Option<&str>,
    (from, to): (OffsetDateTime, OffsetDateTime),
) -> Result<Vec<FeedbackRow>> {
    let rows: Vec<FeedbackRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM feedback WHERE agency_id = $1 AND ($2 IS NULL OR state = $2) \
             AND received_at >= $3 AND received_at < $4 ORDER BY received_at, id"
        )))
        .bind(agency_id)
        .bind(state)
        .bind(to_second(from))
        .bind(to_second(to))
        .fetch_all(p)
        .await?
    });
    Ok(rows)
}

/// The public page submissions were given on: an item's, or a column's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum On<'a> {
    Item(i64),
    /// Feedback on the column itself (not on one of its items).
    Column {
        agency_id: i64,
        column: &'a str,
    },
}

impl On<'_> {
    /// The condition on `feedback`, with `$1` (and `$2`) bound by [`On::bind`].
    fn condition(self) -> &'static str {
        match self {
            On::Item(_) => "item_id = $1",
            On::Column { .. } => "agency_id = $1 AND item_id IS NULL AND column_name = $2",
        }
    }
}

/// Binds what [`On::condition`] names.
macro_rules! bind_on {
    ($q:expr, $on:expr) => {
        match $on {
            On::Item(id) => $q.bind(id),
            On::Column { agency_id, column } => $q.bind(agency_id).bind(column),
        }
    };
}

/// What the public sees on a page: the submissions answered publicly, newest answer first.
pub async fn published(db: &Db, on: On<'_>) -> Result<Vec<FeedbackRow>> {
    let sql = format!(
        "SELECT {COLS} FROM feedback WHERE {} AND state = 'published' \
         ORDER BY moderated_at DESC, id DESC",
        on.condition()
    );
    let rows: Vec<FeedbackRow> = on_db!(db, |p| {
        bind_on!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), on)
            .fetch_all(p)
            .await?
    });
    Ok(rows)
}

/// The time of the last decision on any submission of a page: what it shows changes with it.
pub async fn last_decision(db: &Db, on: On<'_>) -> Result<Option<OffsetDateTime>> {
    let sql = format!(
        "SELECT MAX(moderated_at) FROM feedback WHERE {}",
        on.condition()
    );
    let at: Option<OffsetDateTime> = on_db!(db, |p| {
        bind_on!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)), on)
            .fetch_one(p)
            .await?
    });
    Ok(at)
}
