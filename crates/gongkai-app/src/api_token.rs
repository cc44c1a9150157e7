//! Tokens for the JSON API (docs/api.md): another system acts as one gongkai user through
//! `Authorization: Bearer gk_…`, with that user's roles and scope and nothing more. An
//! administrator issues a token for a user they manage; it is shown once, every token ends
//! (at most a year), and it can be revoked at once. Only a hash is stored.

use crate::App;
use crate::error::{AppError, Result};
use crate::user::{UserView, managed};
use gongkai_core::user::Actor;
use gongkai_store::repo::api_token::{self as repo, ApiToken, NewToken};
use gongkai_store::repo::user as users;
use serde::Serialize;
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

/// What every token starts with (so a leaked one is recognisable in logs and code scanners).
pub const PREFIX: &str = "gk_";
/// A token's life when none is asked for, and the longest.
pub const DEFAULT_DAYS: u32 = 90;
pub const MAX_DAYS: u32 = 366;
/// How often a token's last use is written (not on every call).
const TOUCH_EVERY: Duration = Duration::minutes(1);

/// A token as listed: never the token itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenView {
    pub id: i64,
    /// The user the token acts as.
    pub user: String,
    pub label: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_used_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
}

/// A token just issued: `token` is shown this once.
#[derive(Debug, Clone, Serialize)]
pub struct Issued {
    pub token: String,
    #[serde(flatten)]
    pub view: TokenView,
}

fn view(t: ApiToken, user: &str) -> TokenView {
    TokenView {
        id: t.id,
        user: user.to_string(),
        label: t.label,
        created_at: t.created_at,
        expires_at: t.expires_at,
        last_used_at: t.last_used_at,
        revoked_at: t.revoked_at,
    }
}

/// What the database keeps of a token.
fn token_hash(token: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"gongkai-api-token\0");
    h.update(token.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `token` has the form of one [`issue`] makes (nothing else is looked up).
fn well_formed(token: &str) -> bool {
    token
        .strip_prefix(PREFIX)
        .is_some_and(|t| t.len() == 64 && t.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

/// Issues a token for the user named `user`, labelled with what it is for, ending after `days`
/// (default [`DEFAULT_DAYS`], at most [`MAX_DAYS`]). Only an administrator who manages that
/// user may (`user::managed`); a disabled user gets none.
pub async fn issue(
    app: &App,
    actor: &Actor,
    user: &str,
    label: &str,
    days: Option<u32>,
    now: OffsetDateTime,
) -> Result<Issued> {
    let target: UserView = managed(app, actor, user).await?;
    if !target.active {
        return Err(AppError::refused(
            format!("user {} is disabled", target.name),
            format!("用户{}已停用，不能签发令牌", target.display_name),
        ));
    }
    let label = label.trim();
    if label.is_empty() || label.chars().count() > 100 || label.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "a token's label is 1 to 100 characters without control characters",
            "令牌用途应为1至100个字符，不得含控制字符",
        ));
    }
    let days = days.unwrap_or(DEFAULT_DAYS);
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(AppError::invalid(
            format!("a token lasts 1 to {MAX_DAYS} days"),
            format!("令牌有效期应为1至{MAX_DAYS}天"),
        ));
    }
    let token = format!("{PREFIX}{}", crate::auth::random_hex()?);
    let mut tx = app.db.begin().await?;
    let stored = repo::insert(
        &mut tx,
        &NewToken {
            token_hash: &token_hash(&token),
            user_id: target.id,
            label,
            created_by: actor.id,
            created_at: now,
            expires_at: now + Duration::days(i64::from(days)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(Issued {
        token,
        view: view(stored, &target.name),
    })
}

/// The tokens of the users `actor` manages (an administrator's view), newest first.
pub async fn list(app: &App, actor: &Actor) -> Result<Vec<TokenView>> {
    let people = crate::user::list_for(app, actor).await?;
    let mut out = Vec::new();
    for t in repo::list(&app.db, None).await? {
        if let Some(u) = people.iter().find(|u| u.id == t.user_id) {
            let name = u.name.clone();
            out.push(view(t, &name));
        }
    }
    Ok(out)
}

/// Revokes token `id` at `now`: from then on it is refused. An administrator revokes the
/// tokens of the users they manage (another's is not found).
pub async fn revoke(app: &App, actor: &Actor, id: i64, now: OffsetDateTime) -> Result<TokenView> {
    let not_found = || AppError::not_found("API token", id);
    let t = repo::find(&app.db, id).await?.ok_or_else(not_found)?;
    let owner = users::find(&app.db, t.user_id).await?;
    let owner = managed(app, actor, &owner.actor.name)
        .await
        .map_err(|e| match e.kind() {
            crate::error::ErrorKind::NotFound => not_found(),
            _ => e,
        })?;
    let mut tx = app.db.begin().await?;
    repo::revoke(&mut tx, id, now).await?;
    tx.commit().await?;
    let t = repo::find(&app.db, id).await?.ok_or_else(not_found)?;
    Ok(view(t, &owner.name))
}

/// The user a token acts as at `now`, recording its use; `None` for anything else (malformed,
/// unknown, revoked, expired, or its user disabled) — one answer for all, so a caller learns
/// nothing about which.
pub async fn authenticate(app: &App, token: &str, now: OffsetDateTime) -> Result<Option<Actor>> {
    if !well_formed(token) {
        return Ok(None);
    }
    let Some(t) = repo::find_by_hash(&app.db, &token_hash(token)).await? else {
        return Ok(None);
    };
    if t.revoked_at.is_some() || now >= t.expires_at {
        return Ok(None);
    }
    let user = users::find(&app.db, t.user_id).await?;
    if !user.active {
        return Ok(None);
    }
    if t.last_used_at.is_none_or(|at| now - at >= TOUCH_EVERY) {
        let mut tx = app.db.begin().await?;
        repo::touch(&mut tx, t.id, now).await?;
        tx.commit().await?;
    }
    Ok(Some(user.actor))
}
