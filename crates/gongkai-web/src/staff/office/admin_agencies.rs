//! `/staff/admin/agencies` (系统管理员): the agencies with their regions, adding an agency (its
//! region path created as needed) or a region alone. Adding is for an administrator of the
//! whole installation; one of an agency sees the list only.

use super::{Result, back, page, render, render_invalid};
use crate::WebState;
use crate::staff::Staff;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use gongkai_app::error::{ErrorKind, Localized};
use gongkai_app::{AppError, agency};
use gongkai_core::user::Role;
use serde::Deserialize;

pub struct AgencyRow {
    pub id: String,
    pub name: String,
    pub org_code: String,
    pub region: String,
}

#[derive(Template)]
#[template(path = "staff/admin/agencies.html")]
struct AgenciesPage {
    page: crate::page::Page,
    nav: crate::staff::nav::StaffNav,
    csrf: String,
    rows: Vec<AgencyRow>,
    regions: Vec<String>,
    can_add: bool,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Notice {
    ok: String,
}

async fn agencies_page(
    s: &WebState,
    staff: &Staff,
    headers: &HeaderMap,
    notice: Option<String>,
    error: Option<String>,
) -> Result<AgenciesPage> {
    let actor = staff.actor();
    let mut rows = Vec::new();
    for a in agency::list(&s.app).await? {
        if gongkai_app::catalog::scope::in_scope(&s.app.db, actor, a.agency.id).await? {
            rows.push(AgencyRow {
                id: a.agency.id.to_string(),
                name: a.agency.name,
                org_code: a.agency.org_code.unwrap_or_default(),
                region: a.region_path.join("/"),
            });
        }
    }
    let installation = actor.agency.is_none() && actor.region.is_none();
    let regions = if installation {
        agency::regions(&s.app)
            .await?
            .into_iter()
            .map(|r| r.path.join("/"))
            .collect()
    } else {
        Vec::new()
    };
    Ok(AgenciesPage {
        nav: crate::staff::nav::StaffNav::new(
            staff,
            crate::staff::nav::Section::Admin,
            "/staff/admin/agencies",
        )?,
        page: page("机关和地区", "/staff/admin/agencies", headers, None),
        csrf: staff.csrf_token()?,
        rows,
        regions,
        can_add: installation,
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
    staff.require(Role::Admin, "manage agencies", "管理机关和地区")?;
    let notice = match q.ok.as_str() {
        "agency" => Some("已添加机关。".to_string()),
        "region" => Some("已添加地区。".to_string()),
        _ => None,
    };
    render(&agencies_page(&s, &staff, &headers, notice, None).await?)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AddForm {
    csrf_token: String,
    region: String,
    name: String,
    org_code: String,
}

/// Adds an agency, or — with no name and no code — only the region path.
pub async fn add(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Form(f): Form<AddForm>,
) -> Result<Response> {
    staff.check_csrf(&headers, &f.csrf_token)?;
    staff.require(Role::Admin, "manage agencies", "管理机关和地区")?;
    let only_region = f.name.trim().is_empty() && f.org_code.trim().is_empty();
    let done = if only_region {
        agency::add_region(&s.app, staff.actor(), &f.region)
            .await
            .map(|_| "region")
    } else {
        // Without a code: a unit known only by its published reports (docs/supervision.md).
        let code = Some(f.org_code.trim()).filter(|c| !c.is_empty());
        agency::add_agency(&s.app, staff.actor(), &f.region, &f.name, code)
            .await
            .map(|_| "agency")
    };
    match done {
        Ok(what) => Ok(back(&format!("/staff/admin/agencies?ok={what}"))),
        Err(e) => refused(&s, &staff, &headers, e).await,
    }
}

async fn refused(
    s: &WebState,
    staff: &Staff,
    headers: &HeaderMap,
    e: AppError,
) -> Result<Response> {
    match e.kind() {
        ErrorKind::Invalid | ErrorKind::Conflict | ErrorKind::Refused => {
            render_invalid(&agencies_page(s, staff, headers, None, Some(e.zh())).await?)
        }
        _ => Err(e.into()),
    }
}
