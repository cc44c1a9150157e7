//! `/staff/online`: the online applications awaiting confirmation of receipt (Art. 31), each
//! with a form to confirm it on a day, a form to reject it with a reason the applicant reads
//! (docs/online-applications.md#confirmation-of-receipt-art-31) and a button that re-issues its
//! 查询码 (`staff::query_code`). A region's supervisor sees the list without the forms.

use super::Staff;
use super::common::{fields, render, today};
use crate::page::Page;
use crate::{WebError, WebState};
use askama::Template;
use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongkai_app::application::online::{self, SubmissionView};
use gongkai_app::error::{ErrorKind, Localized};
use gongkai_core::application::Applicant;
use gongkai_core::calendar::{iso, parse_iso_date};
use gongkai_core::user::Role;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/staff/online", get(list))
        .route("/staff/online/{number}/confirm", post(confirm))
        .route("/staff/online/{number}/reject", post(reject))
}

struct Row {
    number: String,
    agency: String,
    submitted: String,
    applicant: String,
    description: String,
    /// The form of this row that failed, and why.
    error: Option<String>,
    on: String,
    reason: String,
    /// Whether the user may confirm, reject or re-issue (the use cases decide again).
    can_write: bool,
}

#[derive(Template)]
#[template(path = "staff/online.html")]
struct OnlinePage {
    page: Page,
    nav: crate::staff::nav::StaffNav,
    csrf: String,
    rows: Vec<Row>,
    today: String,
}

struct Failure {
    number: String,
    message: String,
    on: String,
    reason: String,
}

async fn page(
    s: &WebState,
    staff: &Staff,
    headers: &HeaderMap,
    failure: Option<Failure>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let subs: Vec<SubmissionView> = online::pending(&s.app, staff.actor(), None).await?;
    let today = iso(today(s));
    let mut writable = Vec::with_capacity(subs.len());
    for v in &subs {
        writable.push(
            gongkai_app::access::require_write(
                &s.app,
                staff.actor(),
                v.agency_id.get(),
                &v.number,
                (Role::Entry, "confirm online applications", "确认网上申请"),
            )
            .await
            .is_ok(),
        );
    }
    let rows = subs
        .into_iter()
        .zip(writable)
        .map(|(v, can_write)| {
            let failed = failure.as_ref().filter(|f| f.number == v.number);
            Row {
                can_write,
                applicant: match &v.applicant {
                    Applicant::Person(p) => p.name.clone(),
                    Applicant::Organisation(o) => o.name.clone(),
                },
                submitted: online::beijing_time(v.submitted_at),
                description: v.request.description.clone(),
                error: failed.map(|f| f.message.clone()),
                on: failed.map_or(today.clone(), |f| f.on.clone()),
                reason: failed.map_or(String::new(), |f| f.reason.clone()),
                number: v.number,
                agency: v.agency,
            }
        })
        .collect();
    let p = OnlinePage {
        nav: crate::staff::nav::StaffNav::new(
            staff,
            crate::staff::nav::Section::Online,
            "/staff/online",
        )?,
        page: Page::new("网上申请待确认", "/staff/online", headers)
            .crumb("工作台", "/staff")
            .crumb("网上申请待确认", "/staff/online"),
        csrf: staff.csrf_token()?,
        rows,
        today,
    };
    render(status, &p)
}

async fn list(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    page(&s, &staff, &headers, None, StatusCode::OK).await
}

async fn decide(
    s: WebState,
    staff: Staff,
    headers: HeaderMap,
    number: String,
    body: Result<axum::Form<Vec<(String, String)>>, FormRejection>,
    confirm: bool,
) -> Result<Response, WebError> {
    let f = fields(body)?;
    staff.check_csrf(&headers, f.get(crate::csrf::FIELD))?;
    let today = today(&s);
    let on_text = f.get("on").trim().to_string();
    let reason = f.get("reason").to_string();
    let fail = |message: String| Failure {
        number: number.clone(),
        message,
        on: on_text.clone(),
        reason: reason.clone(),
    };
    let Some(on) = parse_iso_date(&on_text) else {
        let failure = fail("请填写日期，格式如2024-05-06".into());
        return page(
            &s,
            &staff,
            &headers,
            Some(failure),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let done = if confirm {
        online::confirm_online(&s.app, staff.actor(), &number, on, today)
            .await
            .map(|c| format!("/staff/cases/{}", c.number))
    } else {
        online::reject_online(&s.app, staff.actor(), &number, &reason, on, today)
            .await
            .map(|_| "/staff/online".to_string())
    };
    match done {
        Ok(to) => Ok(Redirect::to(&to).into_response()),
        Err(e) if matches!(e.kind(), ErrorKind::Invalid | ErrorKind::Refused) => {
            let status = if e.kind() == ErrorKind::Invalid {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::CONFLICT
            };
            page(&s, &staff, &headers, Some(fail(e.zh())), status).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn confirm(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Path(number): Path<String>,
    body: Result<axum::Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, WebError> {
    decide(s, staff, headers, number, body, true).await
}

async fn reject(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Path(number): Path<String>,
    body: Result<axum::Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, WebError> {
    decide(s, staff, headers, number, body, false).await
}
