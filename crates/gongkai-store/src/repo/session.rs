//! Staff sessions (`staff_session`) and failed sign-ins (`sign_in_failure`), docs/security.md.
//!
//! A session is found by the SHA-256 of the token its cookie carries; the token itself is never
//! stored. Every time is stored in UTC to the second ([`to_second`]), so SQLite's text
//! timestamps compare in the same order as the instants they name.

use crate::db::{Db, Tx};
use crate::error::Result;
use crate::{on_db, on_tx};
use gongkai_core::ids::UserId;
use time::{Duration, OffsetDateTime, UtcOffset};

/// `t` in UTC without its fraction of a second: the form every time of this module is stored
/// and compared in.
pub fn to_second(t: OffsetDateTime) -> OffsetDateTime {
    let utc = t.to_offset(UtcOffset::UTC);
    utc - Duration::nanoseconds(i64::from(utc.nanosecond()))
}

/// A session as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The SHA-256 of the cookie's token, lowercase hex.
    pub token_hash: String,
    pub user_id: UserId,
    /// The secret the session's anti-forgery tokens are made from (64 hex digits).
    pub csrf_secret: String,
    pub client: String,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    /// The absolute limit.
    pub expires_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    token_hash: String,
    user_id: i64,
    csrf_secret: String,
    client: String,
    created_at: OffsetDateTime,
    last_seen_at: OffsetDateTime,
    expires_at: OffsetDateTime,
}

impl From<SessionRow> for Session {
    fn from(r: SessionRow) -> Session {
        Session {
            token_hash: r.token_hash,
            user_id: UserId::new(r.user_id),
            csrf_secret: r.csrf_secret,
            client: r.client,
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
            expires_at: r.expires_at,
        }
    }
}

const COLS: &str = "token_hash, user_id, csrf_secret, client, created_at, last_seen_at, expires_at";

/// Stores a new session (its times are stored to the second).
pub async fn insert(tx: &mut Tx, s: &Session) -> Result<Session> {
    let row: SessionRow = on_tx!(tx, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "INSERT INTO staff_session ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {COLS}"
        )))
        .bind(&s.token_hash)
        .bind(s.user_id.get())
        .bind(&s.csrf_secret)
        .bind(&s.client)
        .bind(to_second(s.created_at))
        .bind(to_second(s.last_seen_at))
        .bind(to_second(s.expires_at))
        .fetch_one(c)
        .await?
    });
    Ok(row.into())
}

/// The session whose token has this hash, expired or not.
pub async fn find(db: &Db, token_hash: &str) -> Result<Option<Session>> {
    let row: Option<SessionRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM staff_session WHERE token_hash = $1"
        )))
        .bind(token_hash)
        .fetch_optional(p)
        .await?
    });
    Ok(row.map(Session::from))
}

/// Records that the session was used at `at` (never moves `last_seen_at` back).
pub async fn touch(tx: &mut Tx, token_hash: &str, at: OffsetDateTime) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE staff_session SET last_seen_at = $2 WHERE token_hash = $1 AND last_seen_at < $2",
        )
        .bind(token_hash)
        .bind(to_second(at))
        .execute(c)
        .await?;
    });
    Ok(())
}

/// Ends one session; whether it existed.
pub async fn delete(tx: &mut Tx, token_hash: &str) -> Result<bool> {
    let done = on_tx!(tx, |c| {
        sqlx::query("DELETE FROM staff_session WHERE token_hash = $1")
            .bind(token_hash)
            .execute(c)
            .await?
            .rows_affected()
    });
    Ok(done > 0)
}

/// Ends every session of a user (a new password, a disabled account); how many there were.
pub async fn delete_for_user(tx: &mut Tx, user: UserId) -> Result<u64> {
    Ok(on_tx!(tx, |c| {
        sqlx::query("DELETE FROM staff_session WHERE user_id = $1")
            .bind(user.get())
            .execute(c)
            .await?
            .rows_affected()
    }))
}

/// Deletes the sessions past their absolute limit at `now` or unused since `idle_since`; how
/// many.
pub async fn delete_expired(
    tx: &mut Tx,
    now: OffsetDateTime,
    idle_since: OffsetDateTime,
) -> Result<u64> {
    Ok(on_tx!(tx, |c| {
        sqlx::query("DELETE FROM staff_session WHERE expires_at <= $1 OR last_seen_at <= $2")
            .bind(to_second(now))
            .bind(to_second(idle_since))
            .execute(c)
            .await?
            .rows_affected()
    }))
}

/// The sessions of a user, newest first.
pub async fn list_for_user(db: &Db, user: UserId) -> Result<Vec<Session>> {
    let rows: Vec<SessionRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM staff_session WHERE user_id = $1 ORDER BY created_at DESC, token_hash"
        )))
        .bind(user.get())
        .fetch_all(p)
        .await?
    });
    Ok(rows.into_iter().map(Session::from).collect())
}

/// A failed sign-in as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The user name as typed (trimmed), whether or not such a user exists.
    pub name: String,
    pub client: String,
    pub at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct FailureRow {
    name: String,
    client: String,
    created_at: OffsetDateTime,
}

/// Records a failed sign-in.
pub async fn record_failure(
    tx: &mut Tx,
    name: &str,
    client: &str,
    at: OffsetDateTime,
) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query("INSERT INTO sign_in_failure (name, client, created_at) VALUES ($1, $2, $3)")
            .bind(name)
            .bind(client)
            .bind(to_second(at))
            .execute(c)
            .await?;
    });
    Ok(())
}

/// The failed sign-ins since `since` for the name `name` (from any client) or from the client
/// `client` (for any name), oldest first, at most `limit`.
pub async fn failures(
    db: &Db,
    name: &str,
    client: &str,
    since: OffsetDateTime,
    limit: i64,
) -> Result<Vec<Failure>> {
    let rows: Vec<FailureRow> = on_db!(db, |p| {
        sqlx::query_as(
            "SELECT name, client, created_at FROM ( \
                 SELECT id, name, client, created_at FROM sign_in_failure \
                 WHERE (name = $1 OR client = $2) AND created_at >= $3 \
                 ORDER BY created_at DESC, id DESC LIMIT $4 \
             ) recent ORDER BY created_at, id",
        )
        .bind(name)
        .bind(client)
        .bind(to_second(since))
        .bind(limit)
        .fetch_all(p)
        .await?
    });
    Ok(rows
        .into_iter()
        .map(|r| Failure {
            name: r.name,
            client: r.client,
            at: r.created_at,
        })
        .collect())
}

/// Forgets the failures of `name` from `client` (after a successful sign-in).
pub async fn clear_failures(tx: &mut Tx, name: &str, client: &str) -> Result<u64> {
    Ok(on_tx!(tx, |c| {
        sqlx::query("DELETE FROM sign_in_failure WHERE name = $1 AND client = $2")
            .bind(name)
            .bind(client)
            .execute(c)
            .await?
            .rows_affected()
    }))
}

/// Deletes the failures older than `before`, which no lockout counts any more; how many.
pub async fn prune_failures(tx: &mut Tx, before: OffsetDateTime) -> Result<u64> {
    Ok(on_tx!(tx, |c| {
        sqlx::query("DELETE FROM sign_in_failure WHERE created_at < $1")
            .bind(to_second(before))
            .execute(c)
            .await?
            .rows_affected()
    }))
}
