//! `/staff/audit-log` (审计管理员): the audit log, newest first, searchable by user, action,
//! object or client, with the chain's verification at the top (docs/audit-log.md). Reading it
//! is itself recorded (the web's audit middleware records every request to this page).

use super::{Result, page, render};
use crate::WebState;
use crate::staff::Staff;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use gongkai_app::application::online::beijing_time;
use gongkai_app::audit_log::{self, EntryView, LogPage, Verified};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "staff/admin/audit_log.html")]
struct AuditLogPage {
    page: crate::page::Page,
    nav: crate::staff::nav::StaffNav,
    log: LogPage,
    search: String,
    verified: Verified,
    prev_href: Option<String>,
    next_href: Option<String>,
}

impl AuditLogPage {
    fn when(&self, e: &EntryView) -> String {
        beijing_time(e.at)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LogQuery {
    q: String,
    page: Option<u32>,
}

fn href(q: &str, page: u32) -> String {
    format!("/staff/audit-log?q={}&page={page}", crate::page::encode(q))
}

pub async fn show(
    State(s): State<WebState>,
    staff: Staff,
    Query(q): Query<LogQuery>,
    headers: HeaderMap,
) -> Result<Response> {
    let log = audit_log::page(&s.app, staff.actor(), Some(&q.q), q.page.unwrap_or(1)).await?;
    let verified = audit_log::verify(&s.app).await?;
    render(&AuditLogPage {
        nav: crate::staff::nav::StaffNav::new(
            &staff,
            crate::staff::nav::Section::Admin,
            "/staff/audit-log",
        )?,
        page: page(
            "审计日志",
            "/staff/audit-log",
            &headers,
            Some(("系统管理", "/staff/audit-log")),
        ),
        prev_href: (log.page > 1).then(|| href(&q.q, log.page - 1)),
        next_href: (log.page < log.pages).then(|| href(&q.q, log.page + 1)),
        search: q.q,
        log,
        verified,
    })
}
