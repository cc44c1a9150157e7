//! `GET /staff`: the dashboard (工作台) — who is signed in and their session, cases due
//! within N working days (`?days=N`, default 5) and overdue, online applications awaiting
//! confirmation, catalogue items awaiting 保密审查 or 审核, and the annual report's deadline
//! (docs/back-office.md#the-dashboard).

use super::common::{render, today};
use super::{Staff, beijing};
use crate::page::Page;
use crate::{WebError, WebState};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use gongkai_app::application::{self, DashboardView};
use gongkai_app::auth::{self, ProfileView};
use serde::Deserialize;

/// Working days ahead the dashboard looks by default.
pub const DEFAULT_DUE_DAYS: u32 = 5;

pub fn routes() -> Router<WebState> {
    Router::new().route("/staff", get(show))
}

#[derive(Template)]
#[template(path = "staff/dashboard.html")]
struct DashboardPage {
    page: Page,
    nav: crate::staff::nav::StaffNav,
    me: ProfileView,
    signed_in_at: String,
    idle_minutes: u32,
    expires_at: String,
    d: DashboardView,
}

#[derive(Deserialize)]
pub struct DashQuery {
    days: Option<String>,
}

async fn show(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Query(q): Query<DashQuery>,
) -> Result<Response, WebError> {
    let days = match q.days.as_deref().map(str::trim) {
        None | Some("") => DEFAULT_DUE_DAYS,
        Some(d) => d
            .parse::<u32>()
            .map_err(|_| WebError::bad_request("“即将到期”的工作日数应为整数"))?,
    };
    let me = auth::profile(&s.app, staff.actor()).await?;
    let d = application::dashboard(&s.app, staff.actor(), days, today(&s)).await?;
    let page = DashboardPage {
        nav: crate::staff::nav::StaffNav::new(
            &staff,
            crate::staff::nav::Section::Dashboard,
            "/staff",
        )?,
        page: Page::new("工作台", "/staff", &headers).crumb("工作台", "/staff"),
        signed_in_at: beijing(staff.session.created_at),
        idle_minutes: s.app.settings.auth.idle_minutes,
        expires_at: beijing(staff.session.expires_at),
        me,
        d,
    };
    render(StatusCode::OK, &page)
}
