//! Users (`app_user`): who may act, with which roles, for which agency or region. Users are
//! disabled, never deleted, so every recorded action keeps its author.

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::{on_db, on_tx};
use gongkai_core::ids::{AgencyId, RegionId, UserId};
use gongkai_core::user::{Actor, Role};
use time::OffsetDateTime;

/// A user as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub actor: Actor,
    pub active: bool,
    /// Whether a password is set (only then can the user sign in on the web).
    pub has_password: bool,
    pub created_at: OffsetDateTime,
    pub disabled_at: Option<OffsetDateTime>,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    name: String,
    display_name: String,
    agency_id: Option<i64>,
    region_id: Option<i64>,
    roles: String,
    active: bool,
    has_password: bool,
    created_at: OffsetDateTime,
    disabled_at: Option<OffsetDateTime>,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;

    fn try_from(r: UserRow) -> Result<User> {
        let roles = Role::parse_list(&r.roles)
            .map_err(|e| StoreError::Inconsistent(format!("user {}: {e}", r.name)))?;
        Ok(User {
            actor: Actor {
                id: UserId::new(r.id),
                name: r.name,
                display_name: r.display_name,
                roles,
                agency: r.agency_id.map(AgencyId::new),
                region: r.region_id.map(RegionId::new),
            },
            active: r.active,
            has_password: r.has_password,
            created_at: r.created_at,
            disabled_at: r.disabled_at,
        })
    }
}

/// A user to add.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub name: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub agency: Option<AgencyId>,
    pub region: Option<RegionId>,
}

const COLS: &str = "id, name, display_name, agency_id, region_id, roles, active, \
    (password_hash IS NOT NULL) AS has_password, created_at, disabled_at";

pub async fn insert(tx: &mut Tx, new: &NewUser) -> Result<User> {
    let (name, display) = (new.name.trim(), new.display_name.trim());
    if name.is_empty() || display.is_empty() {
        return Err(StoreError::invalid(
            "a user needs a name and a display name",
            "用户须有用户名和显示名称",
        ));
    }
    let row: UserRow = on_tx!(tx, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "INSERT INTO app_user (name, display_name, agency_id, region_id, roles, active, created_at) \
             VALUES ($1, $2, $3, $4, $5, TRUE, $6) RETURNING {COLS}"
        )))
        .bind(name)
        .bind(display)
        .bind(new.agency.map(AgencyId::get))
        .bind(new.region.map(RegionId::get))
        .bind(Role::join(&new.roles))
        .bind(OffsetDateTime::now_utc())
        .fetch_one(c)
        .await
        .map_err(|e| {
            StoreError::from(e).on_conflict(|| format!("a user named {name} already exists"))
        })?
    });
    row.try_into()
}

pub async fn find_by_name(db: &Db, name: &str) -> Result<Option<User>> {
    let row: Option<UserRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM app_user WHERE name = $1"
        )))
        .bind(name.trim())
        .fetch_optional(p)
        .await?
    });
    row.map(User::try_from).transpose()
}

pub async fn find(db: &Db, id: UserId) -> Result<User> {
    let row: Option<UserRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM app_user WHERE id = $1"
        )))
        .bind(id.get())
        .fetch_optional(p)
        .await?
    });
    row.ok_or_else(|| StoreError::not_found("user", id))?
        .try_into()
}

pub async fn list(db: &Db) -> Result<Vec<User>> {
    let rows: Vec<UserRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM app_user ORDER BY id"
        )))
        .fetch_all(p)
        .await?
    });
    rows.into_iter().map(User::try_from).collect()
}

/// Disables a user (idempotent); returns the user as now stored.
pub async fn disable(tx: &mut Tx, id: UserId) -> Result<User> {
    let row: Option<UserRow> = on_tx!(tx, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "UPDATE app_user SET active = FALSE, disabled_at = COALESCE(disabled_at, $2) \
             WHERE id = $1 RETURNING {COLS}"
        )))
        .bind(id.get())
        .bind(OffsetDateTime::now_utc())
        .fetch_optional(c)
        .await?
    });
    row.ok_or_else(|| StoreError::not_found("user", id))?
        .try_into()
}

/// A user with the password hash sign-in checks (docs/security.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub user: User,
    /// The Argon2id PHC string, or `None` when no password was ever set.
    pub password_hash: Option<String>,
    pub password_changed_at: Option<OffsetDateTime>,
}

#[derive(sqlx::FromRow)]
struct CredentialsRow {
    #[sqlx(flatten)]
    user: UserRow,
    password_hash: Option<String>,
    password_changed_at: Option<OffsetDateTime>,
}

impl TryFrom<CredentialsRow> for Credentials {
    type Error = StoreError;

    fn try_from(r: CredentialsRow) -> Result<Credentials> {
        Ok(Credentials {
            user: r.user.try_into()?,
            password_hash: r.password_hash,
            password_changed_at: r.password_changed_at,
        })
    }
}

/// The user with sign-in name `name` (exactly, after trimming) and their password hash.
pub async fn credentials_by_name(db: &Db, name: &str) -> Result<Option<Credentials>> {
    let row: Option<CredentialsRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS}, password_hash, password_changed_at FROM app_user WHERE name = $1"
        )))
        .bind(name.trim())
        .fetch_optional(p)
        .await?
    });
    row.map(Credentials::try_from).transpose()
}

/// Stores a user's new password hash (an Argon2id PHC string), changed at `at`.
pub async fn set_password_hash(
    tx: &mut Tx,
    id: UserId,
    phc: &str,
    at: OffsetDateTime,
) -> Result<()> {
    if !phc.starts_with("$argon2id$") {
        return Err(StoreError::invalid(
            "a password hash must be an Argon2id PHC string",
            "密码散列须为 Argon2id PHC 字符串",
        ));
    }
    let done = on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE app_user SET password_hash = $2, password_changed_at = $3 WHERE id = $1",
        )
        .bind(id.get())
        .bind(phc)
        .bind(crate::repo::session::to_second(at))
        .execute(c)
        .await?
        .rows_affected()
    });
    if done == 0 {
        return Err(StoreError::not_found("user", id));
    }
    Ok(())
}

/// Replaces a hash by the same password's hash with newer parameters, unless the password was
/// changed meanwhile (the stored hash is no longer `old`); whether it was replaced.
pub async fn upgrade_password_hash(tx: &mut Tx, id: UserId, old: &str, new: &str) -> Result<bool> {
    let done = on_tx!(tx, |c| {
        sqlx::query("UPDATE app_user SET password_hash = $3 WHERE id = $1 AND password_hash = $2")
            .bind(id.get())
            .bind(old)
            .bind(new)
            .execute(c)
            .await?
            .rows_affected()
    });
    Ok(done > 0)
}

/// Replaces a user's roles; returns the user as now stored.
pub async fn set_roles(tx: &mut Tx, id: UserId, roles: &[Role]) -> Result<User> {
    let row: Option<UserRow> = on_tx!(tx, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "UPDATE app_user SET roles = $2 WHERE id = $1 RETURNING {COLS}"
        )))
        .bind(id.get())
        .bind(Role::join(roles))
        .fetch_optional(c)
        .await?
    });
    row.ok_or_else(|| StoreError::not_found("user", id))?
        .try_into()
}
