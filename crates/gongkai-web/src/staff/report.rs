//! The annual report in the back office (docs/back-office.md#the-annual-report): the list of
//! the agencies' reports for a year with where each stands, and the page of one report — its
//! state, the rules that block submission, the sections to edit while it is a draft, the
//! workflow's forms (提交审核, 退回修改, 审核通过, 发布, 更正), the draft's downloads and the
//! published versions. Every check is the use case's (`gongkai_app::report`).

use super::Staff;
use super::common::{fields, render, today};
use super::nav::{Section, StaffNav};
use crate::page::Page;
use crate::reports::{DOWNLOADS, file_response, render_file};
use crate::{WebError, WebState};
use askama::Template;
use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use gongkai_app::application::{AgencyReport, report_states};
use gongkai_app::report::desk::{Desk, desk};
use gongkai_app::report::export::Format;
use gongkai_app::report::{narrative, workflow};
use gongkai_core::ids::AgencyId;
use gongkai_core::report::workflow::Action;
use serde::Deserialize;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/staff/reports", get(list))
        .route("/staff/reports/{agency}/{year}", get(show))
        .route(
            "/staff/reports/{agency}/{year}/narrative",
            post(save_section),
        )
        .route("/staff/reports/{agency}/{year}/step", post(take_step))
        .route("/staff/reports/{agency}/{year}/draft/{format}", get(draft))
}

#[derive(Template)]
#[template(path = "staff/reports.html")]
struct ListPage {
    page: Page,
    nav: StaffNav,
    year: i32,
    years: Vec<i32>,
    agencies: Vec<AgencyReport>,
}

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<String>,
}

async fn list(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Query(q): Query<YearQuery>,
) -> Result<Response, WebError> {
    let last = today(&s).year() - 1;
    let year = match q.year.as_deref().map(str::trim) {
        None | Some("") => last,
        Some(y) => y
            .parse::<i32>()
            .ok()
            .filter(|y| (2008..=last + 1).contains(y))
            .ok_or_else(|| WebError::bad_request(format!("年份“{y}”有误")))?,
    };
    let agencies = report_states(&s.app, staff.actor(), year).await?;
    render(
        StatusCode::OK,
        &ListPage {
            nav: StaffNav::new(&staff, Section::Reports, "/staff/reports")?,
            page: Page::new("年度报告", "/staff/reports", &headers)
                .crumb("工作台", "/staff")
                .crumb("年度报告", "/staff/reports"),
            years: (2019..=last + 1).rev().collect(),
            year,
            agencies,
        },
    )
}

/// A section's edit form as shown: its text, and the error of a refused save.
pub struct SectionForm {
    pub key: &'static str,
    pub label: &'static str,
    pub text: String,
    pub stored: bool,
    pub updated_at: Option<String>,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/report.html")]
struct ReportPage {
    page: Page,
    nav: StaffNav,
    csrf: String,
    agency_id: i64,
    year: i32,
    d: Desk,
    sections: Vec<SectionForm>,
    /// The steps offered, with whether each needs a reason.
    steps: Vec<(&'static str, &'static str, bool)>,
    done: Option<&'static str>,
    error: Option<String>,
    downloads: [(&'static str, &'static str); 5],
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

/// The agency's key for the use cases, from the id in the path (404 when there is none).
async fn agency_key(s: &WebState, id: &str) -> Result<String, WebError> {
    let id: i64 = id.parse().map_err(|_| WebError::not_found())?;
    Ok(gongkai_app::portal::agency(&s.app, AgencyId::new(id))
        .await?
        .key()
        .to_string())
}

fn year_of(year: &str) -> Result<i32, WebError> {
    year.parse().map_err(|_| WebError::not_found())
}

async fn show(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Path((id, year)): Path<(String, String)>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let done = q.done.as_deref().and_then(done_message);
    page(&s, &staff, &headers, &id, &year, done, None, None).await
}

fn done_message(key: &str) -> Option<&'static str> {
    Some(match key {
        "saved" => "已保存。",
        "cleared" => "已恢复为自动生成的草稿。",
        "submit" => "已提交审核。",
        "return" => "已退回修改。",
        "approve" => "已审核通过。",
        "publish" => "已发布，门户网站“政府信息公开年报”栏目即时显示。",
        "correct" => "已开始更正：修改后重新提交审核，发布时生成新版本。",
        _ => return None,
    })
}

/// Renders the page; `failed` keeps what was typed into a section whose save was refused.
#[allow(clippy::too_many_arguments)]
async fn page(
    s: &WebState,
    staff: &Staff,
    headers: &HeaderMap,
    id: &str,
    year: &str,
    done: Option<&'static str>,
    error: Option<(StatusCode, String)>,
    failed: Option<(String, String, String)>,
) -> Result<Response, WebError> {
    let key = agency_key(s, id).await?;
    let year = year_of(year)?;
    let d = desk(&s.app, staff.actor(), &key, year).await?;
    let sections = d
        .sections
        .iter()
        .map(|sec| {
            let mine = failed.as_ref().filter(|(k, _, _)| k == sec.key);
            SectionForm {
                key: sec.key,
                label: sec.label,
                text: mine.map_or_else(|| sec.text.clone(), |(_, text, _)| text.clone()),
                stored: sec.stored,
                updated_at: sec.updated_at.clone(),
                error: mine.map(|(_, _, e)| e.clone()),
            }
        })
        .collect();
    let steps = d
        .workflow
        .actions
        .iter()
        .filter_map(|k| Action::from_key(k))
        .map(|a| (a.key(), a.label(), a.needs_reason()))
        .collect();
    let path = format!("/staff/reports/{id}/{year}");
    let title = format!("{}{}年度报告", d.workflow.agency, year);
    let (status, error) = match error {
        Some((status, e)) => (status, Some(e)),
        None => (StatusCode::OK, None),
    };
    render(
        status,
        &ReportPage {
            nav: StaffNav::new(staff, Section::Reports, "/staff/reports")?,
            page: Page::new(title.clone(), &path, headers)
                .crumb("工作台", "/staff")
                .crumb("年度报告", "/staff/reports")
                .crumb(title, &path),
            csrf: staff.csrf_token()?,
            agency_id: d.workflow.agency_id,
            year,
            sections,
            steps,
            done,
            error,
            downloads: DOWNLOADS,
            d,
        },
    )
}

fn see_page(id: &str, year: &str, done: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(
            header::LOCATION,
            format!("/staff/reports/{id}/{year}?done={done}"),
        )],
    )
        .into_response()
}

/// The Chinese message of a refused use case, with its status.
fn refusal(e: gongkai_app::AppError) -> Result<(StatusCode, String), WebError> {
    let w = WebError::from(e);
    if w.status.is_server_error() || w.status == StatusCode::NOT_FOUND {
        return Err(w);
    }
    Ok((w.status, w.message))
}

async fn save_section(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Path((id, year)): Path<(String, String)>,
    body: Result<axum::Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, WebError> {
    let f = fields(body)?;
    staff.check_csrf(&headers, f.get(crate::csrf::FIELD))?;
    let key = agency_key(&s, &id).await?;
    let y = year_of(&year)?;
    let section = f.get("section").to_string();
    let clear = f.get("do") == "clear";
    let text = f.get("body").to_string();
    let result = narrative::set(
        &s.app,
        staff.actor(),
        &key,
        y,
        &section,
        (!clear).then_some(text.as_str()),
        s.clock.now(),
    )
    .await;
    match result {
        Ok(()) => Ok(see_page(
            &id,
            &year,
            if clear { "cleared" } else { "saved" },
        )),
        Err(e) => {
            let (status, message) = refusal(e)?;
            let failed = Some((section, text, message.clone()));
            page(
                &s,
                &staff,
                &headers,
                &id,
                &year,
                None,
                Some((status, message)),
                failed,
            )
            .await
        }
    }
}

async fn take_step(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Path((id, year)): Path<(String, String)>,
    body: Result<axum::Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, WebError> {
    let f = fields(body)?;
    staff.check_csrf(&headers, f.get(crate::csrf::FIELD))?;
    let key = agency_key(&s, &id).await?;
    let y = year_of(&year)?;
    let action =
        Action::from_key(f.get("action")).ok_or_else(|| WebError::bad_request("未知的办理步骤"))?;
    let reason = f.get("reason");
    let result = workflow::act(
        &s.app,
        staff.actor(),
        &key,
        y,
        action,
        workflow::StepInput {
            reason: Some(reason),
        },
        s.clock.now(),
    )
    .await;
    match result {
        Ok(_) => Ok(see_page(&id, &year, action.key())),
        Err(e) => {
            let (status, message) = refusal(e)?;
            page(
                &s,
                &staff,
                &headers,
                &id,
                &year,
                None,
                Some((status, message)),
                None,
            )
            .await
        }
    }
}

/// The report as computed now, in any format (the A4 page opens in the browser).
async fn draft(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Path((id, year, format)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let key = agency_key(&s, &id).await?;
    let y = year_of(&year)?;
    let format = Format::from_key(&format).ok_or_else(WebError::not_found)?;
    let d = desk(&s.app, staff.actor(), &key, y).await?;
    if format.extension() == "html" {
        return preview(&staff, &headers, y, d);
    }
    let bytes = render_file(&s, d.report.clone(), format).await?;
    Ok(file_response(
        bytes.into(),
        &d.report,
        None,
        format,
        &headers,
    ))
}

#[derive(Template)]
#[template(path = "staff/report_preview.html")]
struct PreviewPage {
    page: Page,
    nav: StaffNav,
    agency_id: i64,
    year: i32,
    state_label: &'static str,
    article: String,
}

/// The report as the data stands now, read in the back office with the failing cells marked.
fn preview(staff: &Staff, headers: &HeaderMap, year: i32, d: Desk) -> Result<Response, WebError> {
    let id = d.workflow.agency_id;
    let path = format!("/staff/reports/{id}/{year}");
    let checks = gongkai_core::report::check(&d.report, None);
    render(
        StatusCode::OK,
        &PreviewPage {
            nav: StaffNav::new(staff, Section::Reports, &format!("{path}/draft/html"))?,
            page: Page::new("年度报告预览", &format!("{path}/draft/html"), headers)
                .crumb("工作台", "/staff")
                .crumb("年度报告", "/staff/reports")
                .crumb(d.workflow.agency.clone(), path.clone())
                .crumb("预览", format!("{path}/draft/html")),
            agency_id: id,
            year,
            state_label: d.workflow.state_label,
            article: gongkai_report::html_article(&d.report, Some(&checks)),
        },
    )
}
