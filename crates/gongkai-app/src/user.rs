//! Users and the actor of every state-changing use case. A use case records the acting user's
//! id; rules that compare people (no approving one's own draft) compare ids.
//!
//! Who acts: a front end names the user (the CLI's `--as NAME`, the web's session); the CLI
//! falls back on the data directory's local operator (`[cli] operator` in `gongkai.toml`,
//! created by `gongkai init`). A name that is no active user is refused, never invented.

use crate::App;
use crate::error::{AppError, Result};
use gongkai_core::ids::{AgencyId, RegionId, UserId};
use gongkai_core::user::{Actor, Role};
use gongkai_store::repo::user::{self as repo, NewUser, User};
use serde::Serialize;
use time::OffsetDateTime;

/// A user as shown by `gongkai user list` and the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserView {
    pub id: UserId,
    pub name: String,
    pub display_name: String,
    /// Role keys.
    pub roles: Vec<&'static str>,
    /// Role labels, in the same order.
    pub roles_zh: Vec<&'static str>,
    pub agency: Option<AgencyId>,
    pub region: Option<RegionId>,
    pub active: bool,
    /// Whether a password is set: only then can the user sign in on the web
    /// (`gongkai user passwd`).
    pub password_set: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub disabled_at: Option<OffsetDateTime>,
}

impl From<User> for UserView {
    fn from(u: User) -> UserView {
        UserView {
            id: u.actor.id,
            roles: u.actor.roles.iter().map(|r| r.key()).collect(),
            roles_zh: u.actor.roles.iter().map(|r| r.label()).collect(),
            name: u.actor.name,
            display_name: u.actor.display_name,
            agency: u.actor.agency,
            region: u.actor.region,
            active: u.active,
            password_set: u.has_password,
            created_at: u.created_at,
            disabled_at: u.disabled_at,
        }
    }
}

/// A user to add.
#[derive(Debug, Clone)]
pub struct NewUserInput {
    pub name: String,
    /// Defaults to the name.
    pub display_name: Option<String>,
    pub roles: Vec<Role>,
    /// The agency's name or organisation code.
    pub agency: Option<String>,
    pub region: Option<RegionId>,
}

fn require_admin(actor: &Actor) -> Result<()> {
    if actor.has(Role::Admin) {
        return Ok(());
    }
    Err(AppError::forbidden(
        format!("{} is not an administrator (管理员)", actor.name),
        format!("{}不是管理员，无权管理用户", actor.display_name),
    ))
}

/// Adds a user; only an administrator may. An administrator of one agency adds users of that
/// agency only (docs/back-office.md).
pub async fn add(app: &App, actor: &Actor, input: NewUserInput) -> Result<UserView> {
    require_admin(actor)?;
    if let Some(own) = actor.agency {
        let asked = match &input.agency {
            Some(key) => Some(AgencyId::new(
                gongkai_store::repo::agency::find_agency_by_key(&app.db, key)
                    .await?
                    .id,
            )),
            None => None,
        };
        if asked != Some(own) || input.region.is_some() {
            return Err(AppError::forbidden(
                format!(
                    "{} administers one agency and adds users of that agency only",
                    actor.name
                ),
                format!("{}只能为本机关添加用户", actor.display_name),
            ));
        }
    }
    insert(app, input).await
}

/// Whether `user` is within the scope of the administrator `actor`: everyone for an
/// administrator of the whole installation, the users of their agency for one of an agency.
fn manages(actor: &Actor, user: &User) -> bool {
    match actor.agency {
        Some(own) => user.actor.agency == Some(own),
        None => true,
    }
}

/// The users an administrator manages (everyone, or their agency's); only an administrator
/// may list them here.
pub async fn list_for(app: &App, actor: &Actor) -> Result<Vec<UserView>> {
    require_admin(actor)?;
    Ok(repo::list(&app.db)
        .await?
        .into_iter()
        .filter(|u| manages(actor, u))
        .map(UserView::from)
        .collect())
}

/// The user named `name` when `actor` is an administrator who manages them; someone out of
/// their scope is not found.
pub async fn managed(app: &App, actor: &Actor, name: &str) -> Result<UserView> {
    require_admin(actor)?;
    let user = find_named(app, name).await?;
    if !manages(actor, &user) {
        return Err(AppError::not_found("user", name.trim()));
    }
    Ok(user.into())
}

/// The roles of a data directory's first user, its local operator: every staff role and
/// 管理员 (not 监督, a regional role).
pub const OPERATOR_ROLES: [Role; 5] = [
    Role::Entry,
    Role::Review,
    Role::Secrecy,
    Role::Head,
    Role::Admin,
];

/// Creates the first user, an administrator with [`OPERATOR_ROLES`] (`gongkai init`, tests);
/// refused once any user exists, so it cannot be used to gain rights.
pub async fn first_admin(app: &App, name: &str, display_name: Option<&str>) -> Result<Actor> {
    if !repo::list(&app.db).await?.is_empty() {
        return Err(AppError::refused(
            "users exist already: an administrator adds more with `gongkai user add`",
            "已有用户，请由管理员用 gongkai user add 添加",
        ));
    }
    let view = insert(
        app,
        NewUserInput {
            name: name.to_string(),
            display_name: display_name.map(str::to_string),
            roles: OPERATOR_ROLES.to_vec(),
            agency: None,
            region: None,
        },
    )
    .await?;
    Ok(repo::find(&app.db, view.id).await?.actor)
}

/// Adds a user without an actor.
async fn insert(app: &App, input: NewUserInput) -> Result<UserView> {
    let agency = match &input.agency {
        Some(key) => Some(AgencyId::new(
            gongkai_store::repo::agency::find_agency_by_key(&app.db, key)
                .await?
                .id,
        )),
        None => None,
    };
    let name = input.name.trim().to_string();
    let display_name = input
        .display_name
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .unwrap_or(&name)
        .to_string();
    let mut tx = app.db.begin().await?;
    let user = repo::insert(
        &mut tx,
        &NewUser {
            name,
            display_name,
            roles: input.roles,
            agency,
            region: input.region,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(user.into())
}

pub async fn list(app: &App) -> Result<Vec<UserView>> {
    Ok(repo::list(&app.db)
        .await?
        .into_iter()
        .map(UserView::from)
        .collect())
}

/// Disables the user named `name`; only an administrator may, and not themself. Their
/// sessions end at once (ASVS 7.4.2).
pub async fn disable(app: &App, actor: &Actor, name: &str) -> Result<UserView> {
    require_admin(actor)?;
    let user = find_named(app, name).await?;
    if !manages(actor, &user) {
        return Err(AppError::not_found("user", name.trim()));
    }
    if user.actor.id == actor.id {
        return Err(AppError::refused(
            "an administrator cannot disable themself",
            "管理员不能停用自己",
        ));
    }
    let mut tx = app.db.begin().await?;
    let user = repo::disable(&mut tx, user.actor.id).await?;
    gongkai_store::repo::session::delete_for_user(&mut tx, user.actor.id).await?;
    tx.commit().await?;
    Ok(user.into())
}

/// The user with sign-in name `name`, or else the one active user whose display name it is.
pub(crate) async fn find_named(app: &App, name: &str) -> Result<User> {
    if let Some(u) = repo::find_by_name(&app.db, name).await? {
        return Ok(u);
    }
    let same: Vec<User> = repo::list(&app.db)
        .await?
        .into_iter()
        .filter(|u| u.active && u.actor.display_name == name.trim())
        .collect();
    match same.len() {
        1 => Ok(same.into_iter().next().expect("one")),
        0 => Err(AppError::invalid(
            format!(
                "no user is named {}: add one with `gongkai user add --data DIR --name NAME --roles …`",
                name.trim()
            ),
            format!(
                "没有名为“{}”的用户，请先用 gongkai user add 添加",
                name.trim()
            ),
        )),
        n => Err(AppError::invalid(
            format!(
                "{n} users are called {}: name one by its user name ({})",
                name.trim(),
                same.iter()
                    .map(|u| u.actor.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            format!("有{n}名用户显示名称为“{}”，请使用用户名", name.trim()),
        )),
    }
}

/// The actor for a front end's name (`--as NAME`), or the data directory's local operator
/// when none is given. A disabled user cannot act.
pub async fn actor(app: &App, name: Option<&str>) -> Result<Actor> {
    let name = match name.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => n.to_string(),
        None => app.settings.cli.operator.clone().ok_or_else(|| {
            AppError::invalid(
                "say who acts: --as NAME (this data directory has no local operator in gongkai.toml)",
                "请用 --as 指明操作人（本数据目录未设置本地操作员）",
            )
        })?,
    };
    let user = find_named(app, &name).await?;
    if !user.active {
        return Err(AppError::forbidden(
            format!("user {} is disabled", user.actor.name),
            format!("用户{}已停用", user.actor.display_name),
        ));
    }
    Ok(user.actor)
}
