//! Tokens of the JSON API (`api_token`, docs/api.md). A token is found by the SHA-256 of what
//! the caller sends; the token itself is never stored. Times are UTC to the second, as the
//! sessions' ([`super::session::to_second`]).

use super::session::to_second;
use crate::db::{Db, Tx};
use crate::error::Result;
use crate::{on_db, on_tx};
use gongkai_core::ids::UserId;
use time::OffsetDateTime;

/// A token as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: UserId,
    pub label: String,
    pub created_by: UserId,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub last_used_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    user_id: i64,
    label: String,
    created_by: i64,
    created_at: OffsetDateTime,
    expires_at: OffsetDateTime,
    last_used_at: Option<OffsetDateTime>,
    revoked_at: Option<OffsetDateTime>,
}

impl From<Row> for ApiToken {
    fn from(r: Row) -> ApiToken {
        ApiToken {
            id: r.id,
            user_id: UserId::new(r.user_id),
            label: r.label,
            created_by: UserId::new(r.created_by),
            created_at: r.created_at,
            expires_at: r.expires_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
        }
    }
}

const COLS: &str =
    "id, user_id, label, created_by, created_at, expires_at, last_used_at, revoked_at";

/// What a new token is stored with.
pub struct NewToken<'a> {
    pub token_hash: &'a str,
    pub user_id: UserId,
    pub label: &'a str,
    pub created_by: UserId,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

pub async fn insert(tx: &mut Tx, t: &NewToken<'_>) -> Result<ApiToken> {
    let row: Row = on_tx!(tx, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "INSERT INTO api_token (token_hash, user_id, label, created_by, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING {COLS}"
        )))
        .bind(t.token_hash)
        .bind(t.user_id.get())
        .bind(t.label)
        .bind(t.created_by.get())
        .bind(to_second(t.created_at))
        .bind(to_second(t.expires_at))
        .fetch_one(c)
        .await?
    });
    Ok(row.into())
}

/// The token with this hash, ended or not.
pub async fn find_by_hash(db: &Db, token_hash: &str) -> Result<Option<ApiToken>> {
    let row: Option<Row> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM api_token WHERE token_hash = $1"
        )))
        .bind(token_hash)
        .fetch_optional(p)
        .await?
    });
    Ok(row.map(ApiToken::from))
}

pub async fn find(db: &Db, id: i64) -> Result<Option<ApiToken>> {
    let row: Option<Row> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM api_token WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(p)
        .await?
    });
    Ok(row.map(ApiToken::from))
}

/// Every token, or one user's, newest first.
pub async fn list(db: &Db, user: Option<UserId>) -> Result<Vec<ApiToken>> {
    let rows: Vec<Row> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM api_token WHERE ($1 IS NULL OR user_id = $1) ORDER BY id DESC"
        )))
        .bind(user.map(UserId::get))
        .fetch_all(p)
        .await?
    });
    Ok(rows.into_iter().map(ApiToken::from).collect())
}

/// Records a use at `at` (never moves it back).
pub async fn touch(tx: &mut Tx, id: i64, at: OffsetDateTime) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE api_token SET last_used_at = $2 \
             WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)",
        )
        .bind(id)
        .bind(to_second(at))
        .execute(c)
        .await?;
    });
    Ok(())
}

/// Ends a token at `at`; whether it was live.
pub async fn revoke(tx: &mut Tx, id: i64, at: OffsetDateTime) -> Result<bool> {
    let done = on_tx!(tx, |c| {
        sqlx::query("UPDATE api_token SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL")
            .bind(id)
            .bind(to_second(at))
            .execute(c)
            .await?
            .rows_affected()
    });
    Ok(done > 0)
}
