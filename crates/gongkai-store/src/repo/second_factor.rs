//! The staff's second factor (`staff_totp`) and sign-ins waiting for its code
//! (`sign_in_challenge`), docs/security.md#second-factor. Secrets arrive sealed: this module
//! never sees one in the clear.

use crate::db::{Db, Tx};
use crate::error::Result;
use crate::repo::session::to_second;
use crate::{on_db, on_tx};
use gongkai_core::ids::UserId;
use time::OffsetDateTime;

/// An enrolled user's TOTP secret, sealed, and the last step a code was accepted for.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Enrolled {
    pub secret: String,
    pub enrolled_at: OffsetDateTime,
    pub last_step: i64,
}

/// The user's enrolled second factor, if any.
pub async fn find(db: &Db, user: UserId) -> Result<Option<Enrolled>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as("SELECT secret, enrolled_at, last_step FROM staff_totp WHERE user_id = $1")
            .bind(user.get())
            .fetch_optional(p)
            .await?
    }))
}

/// Enrols (or re-enrols) a user with a sealed secret; the code of `step` has been used.
pub async fn enrol(
    tx: &mut Tx,
    user: UserId,
    sealed: &str,
    at: OffsetDateTime,
    step: i64,
) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO staff_totp (user_id, secret, enrolled_at, last_step) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id) DO UPDATE SET secret = $2, enrolled_at = $3, last_step = $4",
        )
        .bind(user.get())
        .bind(sealed)
        .bind(to_second(at))
        .bind(step)
        .execute(c)
        .await?;
    });
    Ok(())
}

/// Records that the code of `step` was used, unless that step (or a later one) was already:
/// whether this use is the first (RFC 6238 §5.2: a code is accepted once).
pub async fn use_step(tx: &mut Tx, user: UserId, step: i64) -> Result<bool> {
    let done = on_tx!(tx, |c| {
        sqlx::query("UPDATE staff_totp SET last_step = $2 WHERE user_id = $1 AND last_step < $2")
            .bind(user.get())
            .bind(step)
            .execute(c)
            .await?
            .rows_affected()
    });
    Ok(done > 0)
}

/// Removes a user's second factor; whether there was one.
pub async fn remove(tx: &mut Tx, user: UserId) -> Result<bool> {
    let done = on_tx!(tx, |c| {
        sqlx::query("DELETE FROM staff_totp WHERE user_id = $1")
            .bind(user.get())
            .execute(c)
            .await?
            .rows_affected()
    });
    Ok(done > 0)
}

/// The enrolled secrets (user, sealed secret), for re-sealing under a new key.
pub async fn all_secrets(tx: &mut Tx) -> Result<Vec<(i64, String)>> {
    Ok(on_tx!(tx, |c| {
        sqlx::query_as("SELECT user_id, secret FROM staff_totp ORDER BY user_id")
            .fetch_all(c)
            .await?
    }))
}

/// Replaces a user's sealed secret by the same secret sealed under another key.
pub async fn reseal(tx: &mut Tx, user: i64, sealed: &str) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query("UPDATE staff_totp SET secret = $2 WHERE user_id = $1")
            .bind(user)
            .bind(sealed)
            .execute(c)
            .await?;
    });
    Ok(())
}

/// A sign-in that passed the password and waits for the code.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Challenge {
    pub token_hash: String,
    pub user_id: i64,
    pub client: String,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    /// The sealed secret offered for enrolment, when the user has none yet.
    pub enrol_secret: Option<String>,
    pub failures: i32,
}

const COLS: &str = "token_hash, user_id, client, created_at, expires_at, enrol_secret, failures";

/// Stores a new challenge.
pub async fn insert_challenge(tx: &mut Tx, c: &Challenge) -> Result<()> {
    on_tx!(tx, |conn| {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO sign_in_challenge ({COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        )))
        .bind(&c.token_hash)
        .bind(c.user_id)
        .bind(&c.client)
        .bind(to_second(c.created_at))
        .bind(to_second(c.expires_at))
        .bind(&c.enrol_secret)
        .bind(c.failures)
        .execute(conn)
        .await?;
    });
    Ok(())
}

/// The challenge of a ticket's hash, ended or not.
pub async fn find_challenge(db: &Db, token_hash: &str) -> Result<Option<Challenge>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM sign_in_challenge WHERE token_hash = $1"
        )))
        .bind(token_hash)
        .fetch_optional(p)
        .await?
    }))
}

/// Counts a wrong code; the failures now counted.
pub async fn fail_challenge(tx: &mut Tx, token_hash: &str) -> Result<i32> {
    let n: Option<i32> = on_tx!(tx, |c| {
        sqlx::query_scalar(
            "UPDATE sign_in_challenge SET failures = failures + 1 WHERE token_hash = $1 \
             RETURNING failures",
        )
        .bind(token_hash)
        .fetch_optional(c)
        .await?
    });
    Ok(n.unwrap_or(i32::MAX))
}

/// Ends a challenge (used, or failed too often), and every challenge past its time.
pub async fn end_challenge(tx: &mut Tx, token_hash: &str, now: OffsetDateTime) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query("DELETE FROM sign_in_challenge WHERE token_hash = $1 OR expires_at <= $2")
            .bind(token_hash)
            .bind(to_second(now))
            .execute(c)
            .await?;
    });
    Ok(())
}

/// Ends every challenge of a user (a new password, a removed second factor, a disabled
/// account).
pub async fn end_challenges_of(tx: &mut Tx, user: UserId) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query("DELETE FROM sign_in_challenge WHERE user_id = $1")
            .bind(user.get())
            .execute(c)
            .await?;
    });
    Ok(())
}
