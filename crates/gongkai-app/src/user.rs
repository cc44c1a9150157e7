//! Users and the actor of every state-changing use case. A use case records the acting user's
//! id; rules that compare people (no approving one's own draft) compare ids.
//!
//! Who acts: a front end names the user (the CLI's `--as NAME`, the web's session); the CLI
//! falls back on the data directory's local operator (`[cli] operator` in `gongkai.toml`,
//! created by `gongkai init`). A name that is no active user is refused, never invented.

use crate::App;
use crate::error::{AppError, Result};
use gongkai_core::ids::{AgencyId, RegionId, UserId};
use gongkai_core::user::{Actor, Breach, Role, separation_breach};
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

/// Refuses anyone but a 安全管理员: users, roles, passwords of others, second factors and
/// API tokens are theirs alone (三权分立, docs/security.md#separation).
pub(crate) fn require_security(actor: &Actor) -> Result<()> {
    if actor.has(Role::Security) {
        return Ok(());
    }
    Err(AppError::forbidden(
        format!(
            "{} is not the security administrator (安全管理员), who alone manages users and roles",
            actor.name
        ),
        format!("{}不是安全管理员，无权管理用户和角色", actor.display_name),
    ))
}

/// Refuses roles that break the separation of the three administrators under the
/// installation's profile (RELIABILITY DB-MC-1).
fn check_separation(app: &App, roles: &[Role]) -> Result<()> {
    match separation_breach(roles, app.settings.auth.admins_stand_alone()) {
        Some(b) => Err(AppError::invalid(b.en(), b.zh())),
        None => Ok(()),
    }
}

/// The active users whose roles break the separation under the installation's profile, with
/// the reason: `gongkai serve` refuses to start while there are any (DB-MC-1 at startup).
pub async fn separation_breaches(app: &App) -> Result<Vec<(String, Breach)>> {
    let strict = app.settings.auth.admins_stand_alone();
    Ok(repo::list(&app.db)
        .await?
        .into_iter()
        .filter(|u| u.active)
        .filter_map(|u| separation_breach(&u.actor.roles, strict).map(|b| (u.actor.name, b)))
        .collect())
}

/// Adds a user; only a 安全管理员 may. One of one agency adds users of that agency only
/// (docs/back-office.md), and no one gets two administrators' roles.
pub async fn add(app: &App, actor: &Actor, input: NewUserInput) -> Result<UserView> {
    require_security(actor)?;
    check_separation(app, &input.roles)?;
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
    require_security(actor)?;
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
    require_security(actor)?;
    let user = find_named(app, name).await?;
    if !manages(actor, &user) {
        return Err(AppError::not_found("user", name.trim()));
    }
    Ok(user.into())
}

/// The roles of a data directory's first user, its local operator: every office role and
/// 系统管理员 (not 监督, a regional role). Allowed in the level-2 profile only.
pub const OPERATOR_ROLES: [Role; 5] = [
    Role::Entry,
    Role::Review,
    Role::Secrecy,
    Role::Head,
    Role::Admin,
];

/// The user names `gongkai init` gives the 安全管理员 and the 审计管理员.
pub const SECURITY_NAME: &str = "security";
pub const AUDIT_NAME: &str = "auditor";

/// Creates the first users (`gongkai init`, tests): the local operator with
/// [`OPERATOR_ROLES`], the 安全管理员 `security` and the 审计管理员 `auditor`, the three
/// administrators of 三权分立 in three accounts. Refused once any user exists, so it cannot be
/// used to gain rights. Returns the operator.
pub async fn first_admin(app: &App, name: &str, display_name: Option<&str>) -> Result<Actor> {
    if !repo::list(&app.db).await?.is_empty() {
        return Err(AppError::refused(
            "users exist already: the security administrator adds more with `gongkai user add`",
            "已有用户，请由安全管理员用 gongkai user add 添加",
        ));
    }
    let user = |name: &str, display: Option<&str>, roles: Vec<Role>| NewUserInput {
        name: name.to_string(),
        display_name: display.map(str::to_string),
        roles,
        agency: None,
        region: None,
    };
    let view = insert(app, user(name, display_name, OPERATOR_ROLES.to_vec())).await?;
    for (name, display, role) in [
        (SECURITY_NAME, "安全管理员", Role::Security),
        (AUDIT_NAME, "审计管理员", Role::Audit),
    ] {
        insert(app, user(name, Some(display), vec![role])).await?;
    }
    Ok(repo::find(&app.db, view.id).await?.actor)
}

/// The 安全管理员 `gongkai init` made (tests, the demo).
pub async fn first_security(app: &App) -> Result<Actor> {
    actor(app, Some(SECURITY_NAME)).await
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
    require_security(actor)?;
    let user = find_named(app, name).await?;
    if !manages(actor, &user) {
        return Err(AppError::not_found("user", name.trim()));
    }
    if user.actor.id == actor.id {
        return Err(AppError::refused(
            "an administrator cannot disable themself",
            "安全管理员不能停用自己",
        ));
    }
    let mut tx = app.db.begin().await?;
    let user = repo::disable(&mut tx, user.actor.id).await?;
    gongkai_store::repo::session::delete_for_user(&mut tx, user.actor.id).await?;
    gongkai_store::repo::second_factor::end_challenges_of(&mut tx, user.actor.id).await?;
    tx.commit().await?;
    Ok(user.into())
}

/// Gives the user named `name` these roles instead of theirs; only a 安全管理员 may, never
/// for themself (none grants itself another's power), and never two administrators' roles in
/// one account. The user's sessions end, so the new roles apply at once.
pub async fn set_roles(app: &App, actor: &Actor, name: &str, roles: Vec<Role>) -> Result<UserView> {
    require_security(actor)?;
    let user = find_named(app, name).await?;
    if !manages(actor, &user) {
        return Err(AppError::not_found("user", name.trim()));
    }
    if user.actor.id == actor.id {
        return Err(AppError::refused(
            "an administrator cannot change their own roles",
            "安全管理员不能修改自己的角色",
        ));
    }
    if roles.is_empty() {
        return Err(AppError::invalid(
            "give at least one role (disable the user instead)",
            "请至少选择一个角色（如不再使用，请停用该用户）",
        ));
    }
    if actor.agency.is_some()
        && roles
            .iter()
            .any(|r| r.administers() || *r == Role::Supervise)
    {
        return Err(AppError::forbidden(
            format!(
                "{} administers one agency and gives its users an office's roles only",
                actor.name
            ),
            format!("{}只能为本机关用户分配业务角色", actor.display_name),
        ));
    }
    check_separation(app, &roles)?;
    let mut tx = app.db.begin().await?;
    let user = repo::set_roles(&mut tx, user.actor.id, &roles).await?;
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

/// The actor for a command that needs `role`: the name given, else the local operator when
/// they hold it, else the data directory's local 安全管理员 or 审计管理员 (`[cli] security`,
/// `[cli] audit` in gongkai.toml). The command line trusts the shell it runs in: whoever may
/// run it on the data directory holds its key too (docs/security.md#separation).
pub async fn actor_for(app: &App, name: Option<&str>, role: Role) -> Result<Actor> {
    if name.map(str::trim).is_some_and(|n| !n.is_empty()) {
        return actor(app, name).await;
    }
    let operator = actor(app, None).await;
    if let Ok(op) = &operator
        && op.has(role)
    {
        return operator;
    }
    let local = match role {
        Role::Security => app.settings.cli.security.as_deref(),
        Role::Audit => app.settings.cli.audit.as_deref(),
        _ => None,
    };
    match local {
        Some(n) => actor(app, Some(n)).await,
        None => operator,
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
