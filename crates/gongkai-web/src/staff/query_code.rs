//! Re-issuing a 查询码 (docs/online-applications.md#re-issuing-a-查询码): `POST
//! /staff/cases/{number}/query-code` from the case page and `POST
//! /staff/online/{number}/query-code` from the list of online applications awaiting
//! confirmation. The use case checks the role and the scope, replaces the code's digest and
//! records who did it; the answer is the page with the new code, shown this once — never
//! redirected to, so the code is in no URL, and like every back-office page sent with
//! `Cache-Control: no-store`.

use super::Staff;
use super::common::{fields, render};
use super::nav::{Section, StaffNav};
use crate::page::Page;
use crate::{WebError, WebState};
use askama::Template;
use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::post;
use gongkai_app::application::reissue_query_code;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/staff/cases/{number}/query-code", post(from_case))
        .route("/staff/online/{number}/query-code", post(from_online))
}

#[derive(Template)]
#[template(path = "staff/query_code.html")]
struct ReissuedPage {
    page: Page,
    nav: StaffNav,
    number: String,
    code: String,
    agency: String,
    at: String,
    actor: String,
    awaiting_confirmation: bool,
    back: String,
    back_label: &'static str,
}

async fn reissue(
    s: WebState,
    staff: Staff,
    headers: HeaderMap,
    number: String,
    body: Result<axum::Form<Vec<(String, String)>>, FormRejection>,
    section: Section,
) -> Result<Response, WebError> {
    let f = fields(body)?;
    staff.check_csrf(&headers, f.get(crate::csrf::FIELD))?;
    let done = reissue_query_code(&s.app, staff.actor(), &number, s.clock.now()).await?;
    // Where the number lives now: the online list while it awaits confirmation, else its case.
    let (list, list_label, back, back_label) = if done.awaiting_confirmation {
        (
            "/staff/online",
            "网上申请待确认",
            "/staff/online".to_string(),
            "返回网上申请待确认列表",
        )
    } else {
        (
            "/staff/cases",
            "依申请公开",
            format!("/staff/cases/{}", done.number),
            "返回申请办理页面",
        )
    };
    let path = match section {
        Section::Online => "/staff/online".to_string(),
        _ => format!("/staff/cases/{}", done.number),
    };
    let page = ReissuedPage {
        nav: StaffNav::new(&staff, section, &path)?,
        page: Page::new("查询码已重新发放", &path, &headers)
            .crumb("工作台", "/staff")
            .crumb(list_label, list)
            .crumb(done.number.clone(), back.clone()),
        number: done.number,
        code: done.query_code,
        agency: done.agency.name,
        at: super::beijing(done.at),
        actor: staff.actor().display_name.clone(),
        awaiting_confirmation: done.awaiting_confirmation,
        back,
        back_label,
    };
    render(StatusCode::OK, &page)
}

async fn from_case(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Path(number): Path<String>,
    body: Result<axum::Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, WebError> {
    reissue(s, staff, headers, number, body, Section::Cases).await
}

async fn from_online(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Path(number): Path<String>,
    body: Result<axum::Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, WebError> {
    reissue(s, staff, headers, number, body, Section::Online).await
}
