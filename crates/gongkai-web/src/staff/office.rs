//! The catalogue back office (`/staff/catalog/…`) and the administrators' pages
//! (`/staff/admin/…`), docs/back-office.md. Handlers parse the form, call `gongkai-app` — which
//! checks the user's roles and agency scope, so the CLI and the API share the rule — and
//! render; an item of an agency out of the user's scope is 404, a page the user's roles do not
//! allow is 403. Every POST checks the form's CSRF token (the same-origin check runs before, in
//! `staff::routes`). No JavaScript: every action is a small form.

mod admin_agencies;
mod admin_audit_log;
mod admin_settings;
mod admin_users;
pub(crate) mod catalog_attach;
mod catalog_docs;
pub(crate) mod catalog_edit;
mod catalog_items;
mod catalog_review;

use crate::page::Page;
use crate::{WebError, WebState};
use askama::Template;
use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongkai_core::calendar::BEIJING;
use time::{Date, OffsetDateTime};

pub fn routes() -> Router<WebState> {
    Router::new()
        .route(
            "/staff/catalog/items",
            get(catalog_items::list).post(catalog_edit::create),
        )
        .route("/staff/catalog/items/new", get(catalog_edit::new))
        .route("/staff/catalog/items/{id}", get(catalog_items::show))
        .route(
            "/staff/catalog/items/{id}/edit",
            get(catalog_edit::edit).post(catalog_edit::save),
        )
        .route("/staff/catalog/items/{id}/act", post(catalog_review::act))
        .route(
            "/staff/catalog/items/{id}/validity",
            post(catalog_review::validity),
        )
        .route(
            "/staff/catalog/items/{id}/attachments",
            post(catalog_attach::upload).layer(catalog_attach::body_limit()),
        )
        .route(
            "/staff/catalog/items/{id}/form",
            get(catalog_review::form_html),
        )
        .route(
            "/staff/catalog/items/{id}/form.docx",
            get(catalog_review::form_docx),
        )
        .route("/staff/catalog/review", get(catalog_review::queue))
        .route(
            "/staff/catalog/documents",
            get(catalog_docs::list).post(catalog_docs::save),
        )
        .route("/staff/catalog/documents/edit", get(catalog_docs::edit))
        .route(
            "/staff/admin/users",
            get(admin_users::list).post(admin_users::add),
        )
        .route(
            "/staff/admin/users/{name}/disable",
            post(admin_users::disable),
        )
        .route(
            "/staff/admin/users/{name}/password",
            post(admin_users::password),
        )
        .route("/staff/admin/users/{name}/roles", post(admin_users::roles))
        .route(
            "/staff/admin/users/{name}/second-factor/reset",
            post(admin_users::reset_second_factor),
        )
        .route(
            "/staff/admin/agencies",
            get(admin_agencies::list).post(admin_agencies::add),
        )
        .route(
            "/staff/admin/settings",
            get(admin_settings::show).post(admin_settings::save),
        )
        .route("/staff/audit-log", get(admin_audit_log::show))
}

type Result<T> = std::result::Result<T, WebError>;

fn render(t: &impl Template) -> Result<Response> {
    crate::portal::render(t)
}

/// A page re-rendered with what was wrong with the form (422).
fn render_invalid(t: &impl Template) -> Result<Response> {
    let mut r = render(t)?;
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(r)
}

/// A back-office page: 工作台 › `section` › `title`.
fn page(title: &str, path: &str, headers: &HeaderMap, section: Option<(&str, &str)>) -> Page {
    let mut p = Page::new(title, path, headers).crumb("工作台", "/staff");
    if let Some((label, href)) = section {
        p = p.crumb(label, href);
    }
    p.crumb(title, path)
}

/// 303 to `to` after a POST.
fn back(to: &str) -> Response {
    Redirect::to(to).into_response()
}

fn parse_id<T: std::str::FromStr>(s: &str) -> Result<T> {
    s.parse().map_err(|_| WebError::not_found())
}

/// An optional `YYYY-MM-DD` date field; the error names the field in Chinese.
fn date(label: &str, s: &str) -> std::result::Result<Option<Date>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, format)
        .map(Some)
        .map_err(|_| format!("{label}“{s}”不是有效日期，请按“2024-05-06”的格式填写"))
}

/// `2024-05-06 09:00` in Beijing time.
fn beijing(t: OffsetDateTime) -> String {
    let t = t.to_offset(BEIJING);
    format!(
        "{}-{:02}-{:02} {:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

/// `YYYY-MM-DD`, or empty.
fn iso(d: Option<Date>) -> String {
    d.map(gongkai_core::calendar::iso).unwrap_or_default()
}

/// `12.3 KB` for a size in bytes.
fn size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / 1024.0 / 1024.0)
    } else {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    }
}
