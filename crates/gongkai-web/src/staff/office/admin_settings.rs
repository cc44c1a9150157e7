//! `/staff/admin/settings` (系统管理员): an agency's 栏目 (one a line, in the order section 一 of
//! the annual report lists them) and its 索引号 pattern, checked before they are stored, with
//! what is wrong said in Chinese.

use super::catalog_items::{AgencyChoice, agency_or_choices};
use super::{Result, back, page, render, render_invalid};
use crate::WebState;
use crate::staff::Staff;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use gongkai_app::catalog::{self, config::set_columns_and_pattern};
use gongkai_app::error::{ErrorKind, Localized};
use gongkai_core::user::Role;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "staff/admin/settings.html")]
struct SettingsPage {
    page: crate::page::Page,
    nav: crate::staff::nav::StaffNav,
    csrf: String,
    agency: Option<AgencyChoice>,
    choices: Vec<AgencyChoice>,
    columns: String,
    index_pattern: String,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SettingsQuery {
    agency: String,
    ok: String,
}

pub async fn show(
    State(s): State<WebState>,
    staff: Staff,
    Query(q): Query<SettingsQuery>,
    headers: HeaderMap,
) -> Result<Response> {
    staff.require(Role::Admin, "change the catalogue settings", "修改目录设置")?;
    let (agency, choices) = agency_or_choices(&s, &staff, &q.agency).await?;
    let (columns, index_pattern) = match &agency {
        Some(a) => {
            let cfg = catalog::config(&s.app, a.id).await?;
            (cfg.columns.join("\n"), cfg.index_pattern)
        }
        None => Default::default(),
    };
    render(&SettingsPage {
        nav: crate::staff::nav::StaffNav::new(
            &staff,
            crate::staff::nav::Section::Admin,
            "/staff/admin/settings",
        )?,
        page: page("栏目和索引号", "/staff/admin/settings", &headers, None),
        csrf: staff.csrf_token()?,
        agency,
        choices,
        columns,
        index_pattern,
        notice: (q.ok == "saved").then(|| "已保存。".to_string()),
        error: None,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SettingsForm {
    csrf_token: String,
    agency: String,
    columns: String,
    index_pattern: String,
}

pub async fn save(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Form(f): Form<SettingsForm>,
) -> Result<Response> {
    staff.check_csrf(&headers, &f.csrf_token)?;
    staff.require(Role::Admin, "change the catalogue settings", "修改目录设置")?;
    let (agency, choices) = agency_or_choices(&s, &staff, &f.agency).await?;
    let Some(a) = agency else {
        return Ok(back("/staff/admin/settings"));
    };
    let columns: Vec<String> = f.columns.lines().map(str::to_string).collect();
    match set_columns_and_pattern(&s.app, staff.actor(), a.id, &columns, &f.index_pattern).await {
        Ok(_) => Ok(back(&format!(
            "/staff/admin/settings?agency={}&ok=saved",
            a.id
        ))),
        Err(e) if matches!(e.kind(), ErrorKind::Invalid | ErrorKind::Refused) => {
            render_invalid(&SettingsPage {
                nav: crate::staff::nav::StaffNav::new(
                    &staff,
                    crate::staff::nav::Section::Admin,
                    "/staff/admin/settings",
                )?,
                page: page("栏目和索引号", "/staff/admin/settings", &headers, None),
                csrf: staff.csrf_token()?,
                agency: Some(a),
                choices,
                columns: f.columns,
                index_pattern: f.index_pattern,
                notice: None,
                error: Some(e.zh()),
            })
        }
        Err(e) => Err(e.into()),
    }
}
