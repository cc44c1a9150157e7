//! `/staff/admin/users` (安全管理员): the users a security administrator manages (everyone, or
//! their agency's), adding one with roles and an agency or region scope, changing a user's
//! roles, disabling one, setting a password and removing a lost second factor (each ends that
//! user's sessions, docs/security.md). The three administrators' roles stay in separate
//! accounts (docs/security.md#separation).

use super::{Result, back, page, render, render_invalid};
use crate::staff::Staff;
use crate::{WebError, WebState};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use gongkai_app::error::{ErrorKind, Localized};
use gongkai_app::{AppError, agency, auth, catalog::scope, user};
use gongkai_core::ids::RegionId;
use gongkai_core::user::Role;
use serde::Deserialize;

pub struct UserRow {
    pub name: String,
    pub name_q: String,
    pub display_name: String,
    pub roles: String,
    pub scope: String,
    pub active: bool,
    pub password_set: bool,
    /// Whether a second factor is enrolled.
    pub second_factor: bool,
    /// The user's role keys, to tick the roles form.
    pub role_keys: Vec<&'static str>,
    pub me: bool,
}

#[derive(Template)]
#[template(path = "staff/admin/users.html")]
struct UsersPage {
    page: crate::page::Page,
    nav: crate::staff::nav::StaffNav,
    csrf: String,
    rows: Vec<UserRow>,
    roles: Vec<(&'static str, &'static str)>,
    agencies: Vec<(String, String)>,
    regions: Vec<(String, String)>,
    installation: bool,
    /// The level-3 profile (the system administrator stands alone too).
    level3: bool,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Notice {
    ok: String,
}

fn require_admin(staff: &Staff) -> Result<()> {
    staff.require(Role::Security, "manage users", "管理用户")
}

async fn users_page(
    s: &WebState,
    staff: &Staff,
    headers: &HeaderMap,
    notice: Option<String>,
    error: Option<String>,
) -> Result<UsersPage> {
    let actor = staff.actor();
    let agencies_all = agency::list(&s.app).await?;
    let mut agencies = Vec::new();
    let mut names = std::collections::HashMap::new();
    for a in agencies_all {
        names.insert(a.agency.id, a.agency.name.clone());
        // Only units on gongkai (with a code) have users of their own.
        if let Some(code) = &a.agency.org_code
            && scope::in_scope(&s.app.db, actor, a.agency.id).await?
        {
            agencies.push((code.clone(), a.agency.name.clone()));
        }
    }
    let regions: Vec<(String, String)> = agency::regions(&s.app)
        .await?
        .into_iter()
        .map(|r| (r.id.to_string(), r.path.join("/")))
        .collect();
    let region_names: std::collections::HashMap<String, String> = regions.iter().cloned().collect();
    let mut enrolled = std::collections::HashSet::new();
    let listed = user::list_for(&s.app, actor).await?;
    for u in &listed {
        if gongkai_app::second_factor::enrolled_at(&s.app, u.id)
            .await?
            .is_some()
        {
            enrolled.insert(u.id);
        }
    }
    let rows = listed
        .into_iter()
        .map(|u| UserRow {
            second_factor: enrolled.contains(&u.id),
            role_keys: u.roles.clone(),
            name_q: crate::page::encode(&u.name),
            me: u.id == actor.id,
            scope: match (u.agency, u.region) {
                (Some(a), _) => names.get(&a).cloned().unwrap_or_default(),
                (None, Some(r)) => region_names
                    .get(&r.to_string())
                    .map(|p| format!("{p}（地区）"))
                    .unwrap_or_default(),
                (None, None) => "全部机关".into(),
            },
            name: u.name,
            display_name: u.display_name,
            roles: u.roles_zh.join("、"),
            active: u.active,
            password_set: u.password_set,
        })
        .collect();
    Ok(UsersPage {
        nav: crate::staff::nav::StaffNav::new(
            staff,
            crate::staff::nav::Section::Admin,
            "/staff/admin/users",
        )?,
        page: page("用户和角色", "/staff/admin/users", headers, None),
        csrf: staff.csrf_token()?,
        rows,
        roles: Role::ALL.iter().map(|r| (r.key(), r.label())).collect(),
        agencies,
        regions,
        installation: actor.agency.is_none() && actor.region.is_none(),
        level3: s.app.settings.auth.admins_stand_alone(),
        notice,
        error,
    })
}

pub async fn list(
    State(s): State<WebState>,
    staff: Staff,
    Query(q): Query<Notice>,
    headers: HeaderMap,
) -> Result<Response> {
    require_admin(&staff)?;
    let notice = match q.ok.as_str() {
        "added" => Some("已添加用户。请为其设置密码后再登录。".to_string()),
        "disabled" => Some("已停用该用户，其登录已全部结束。".to_string()),
        "password" => Some("已设置密码，该用户原有登录已全部结束。".to_string()),
        "roles" => Some("已修改角色，该用户原有登录已全部结束。".to_string()),
        "second-factor" => Some("已解除该用户的动态验证码绑定，其下次登录时重新绑定。".to_string()),
        _ => None,
    };
    render(&users_page(&s, &staff, &headers, notice, None).await?)
}

/// Back to the list with notice `ok` when the change was made, else [`refused`].
async fn answered<T>(
    s: &WebState,
    staff: &Staff,
    headers: &HeaderMap,
    done: gongkai_app::error::Result<T>,
    ok: &str,
) -> Result<Response> {
    match done {
        Ok(_) => Ok(back(&format!("/staff/admin/users?ok={ok}"))),
        Err(e) => refused(s, staff, headers, e).await,
    }
}

/// A refusal the administrator can act on: the page again with it (422 or the refusal's own
/// status for 403).
async fn refused(
    s: &WebState,
    staff: &Staff,
    headers: &HeaderMap,
    e: AppError,
) -> Result<Response> {
    match e.kind() {
        ErrorKind::Invalid | ErrorKind::Conflict | ErrorKind::Refused => {
            render_invalid(&users_page(s, staff, headers, None, Some(e.zh())).await?)
        }
        _ => Err(e.into()),
    }
}

/// The roles ticked in a form posted as pairs (checkboxes arrive as repeated `role` fields).
fn ticked_roles(pairs: &[(String, String)]) -> Result<Vec<Role>> {
    let mut roles = Vec::new();
    for (_, v) in pairs.iter().filter(|(n, _)| n == "role") {
        let r = Role::parse(v).ok_or_else(|| WebError::bad_request("未知的角色"))?;
        if !roles.contains(&r) {
            roles.push(r);
        }
    }
    roles.sort();
    Ok(roles)
}

/// The value of field `k` in a form posted as pairs.
fn field(pairs: &[(String, String)], k: &str) -> String {
    pairs
        .iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default()
}

/// `POST /staff/admin/users/{name}/roles`: gives a user other roles.
pub async fn roles(
    State(s): State<WebState>,
    staff: Staff,
    Path(name): Path<String>,
    headers: HeaderMap,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response> {
    staff.check_csrf(&headers, &field(&pairs, "csrf_token"))?;
    require_admin(&staff)?;
    let roles = ticked_roles(&pairs)?;
    let done = user::set_roles(&s.app, staff.actor(), &name, roles).await;
    answered(&s, &staff, &headers, done, "roles").await
}

/// `POST /staff/admin/users/{name}/second-factor/reset`: removes a lost second factor.
pub async fn reset_second_factor(
    State(s): State<WebState>,
    staff: Staff,
    Path(name): Path<String>,
    headers: HeaderMap,
    axum::Form(f): axum::Form<CsrfOnly>,
) -> Result<Response> {
    staff.check_csrf(&headers, &f.csrf_token)?;
    require_admin(&staff)?;
    let done = gongkai_app::second_factor::reset(&s.app, staff.actor(), &name).await;
    answered(&s, &staff, &headers, done, "second-factor").await
}

/// The add form: checkboxes arrive as repeated `role` fields, so it is read as pairs.
pub async fn add(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response> {
    let field = |k: &str| field(&pairs, k);
    staff.check_csrf(&headers, &field("csrf_token"))?;
    require_admin(&staff)?;
    let roles = ticked_roles(&pairs)?;
    let name = field("name");
    if name.is_empty() {
        return refused(
            &s,
            &staff,
            &headers,
            AppError::invalid("a user needs a name", "请填写用户名"),
        )
        .await;
    }
    let region = match field("region").as_str() {
        "" => None,
        r => Some(
            r.parse::<RegionId>()
                .map_err(|_| WebError::bad_request("地区有误"))?,
        ),
    };
    let input = user::NewUserInput {
        name,
        display_name: Some(field("display_name")).filter(|d| !d.is_empty()),
        roles,
        agency: Some(field("agency")).filter(|a| !a.is_empty()),
        region,
    };
    let done = user::add(&s.app, staff.actor(), input).await;
    answered(&s, &staff, &headers, done, "added").await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CsrfOnly {
    csrf_token: String,
}

pub async fn disable(
    State(s): State<WebState>,
    staff: Staff,
    Path(name): Path<String>,
    headers: HeaderMap,
    axum::Form(f): axum::Form<CsrfOnly>,
) -> Result<Response> {
    staff.check_csrf(&headers, &f.csrf_token)?;
    require_admin(&staff)?;
    let done = user::disable(&s.app, staff.actor(), &name).await;
    answered(&s, &staff, &headers, done, "disabled").await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    csrf_token: String,
    password: String,
    confirm: String,
}

pub async fn password(
    State(s): State<WebState>,
    staff: Staff,
    Path(name): Path<String>,
    headers: HeaderMap,
    axum::Form(f): axum::Form<PasswordForm>,
) -> Result<Response> {
    staff.check_csrf(&headers, &f.csrf_token)?;
    require_admin(&staff)?;
    user::managed(&s.app, staff.actor(), &name).await?;
    if f.password != f.confirm {
        let e = AppError::invalid("the two passwords differ", "两次输入的密码不一致");
        return refused(&s, &staff, &headers, e).await;
    }
    let done = auth::set_password(&s.app, staff.actor(), &name, &f.password, s.clock.now()).await;
    answered(&s, &staff, &headers, done, "password").await
}
