//! 公众评议 in the back office (docs/feedback.md#moderation): the agency's submissions of a
//! year, pending first by the filter, each with its history and the form to decide on it
//! (answer publicly, answer privately, set aside as spam), and the sentence section 一(五) of the
//! annual report will carry. Role and scope checks are the use cases'
//! (`gongkai_app::feedback`); the page itself is 录入's, as its navigation entry.

use super::Staff;
use super::common::{Opt, agency_choices, fields, opts, render, today, year_param};
use super::nav::{Section, StaffNav};
use crate::page::{Page, encode};
use crate::{WebError, WebState};
use askama::Template;
use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongkai_app::error::{ErrorKind, Localized};
use gongkai_app::feedback::{self, FeedbackView};
use gongkai_core::feedback::{Action, FeedbackYear, State as FeedbackState};
use serde::Deserialize;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/staff/feedback", get(list))
        .route("/staff/feedback/{id}/moderate", post(decide))
}

#[derive(Deserialize, Default)]
struct ListQuery {
    agency: Option<String>,
    year: Option<String>,
    state: Option<String>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/feedback.html")]
struct FeedbackPage {
    page: Page,
    nav: StaffNav,
    csrf: String,
    agencies: Vec<Opt>,
    agency_id: String,
    agency_name: String,
    year: i32,
    state: String,
    states: Vec<Opt>,
    actions: Vec<Opt>,
    entries: Vec<FeedbackView>,
    counts: FeedbackYear,
    sentence: String,
    errors: Vec<String>,
    done: Option<&'static str>,
}

impl FeedbackPage {
    /// The public page of an entry's target.
    fn public_href(&self, f: &FeedbackView) -> String {
        match f.item_id {
            Some(id) => format!("/items/{id}#feedback"),
            None => format!(
                "/agencies/{}/items?column={}#feedback",
                f.agency_id,
                encode(&f.column)
            ),
        }
    }
}

struct Shown {
    chosen: String,
    year: Option<i32>,
    state: Option<FeedbackState>,
}

async fn page(
    s: &WebState,
    staff: &Staff,
    headers: &HeaderMap,
    shown: Shown,
    errors: Vec<String>,
    done: Option<&'static str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    Section::Feedback.check(staff.actor())?;
    let visible = agency_choices(s, staff).await?;
    let own = staff.actor().agency.map(|a| a.get().to_string());
    let (agency_id, agency_name) = visible
        .iter()
        .find(|(id, _)| *id == shown.chosen)
        .or_else(|| visible.iter().find(|(id, _)| Some(id) == own.as_ref()))
        .or_else(|| visible.first())
        .cloned()
        .unwrap_or_default();
    let year = shown.year.unwrap_or(today(s).year());
    let (entries, counts) = if agency_name.is_empty() {
        (Vec::new(), FeedbackYear::default())
    } else {
        let id: i64 = agency_id.parse().unwrap_or_default();
        (
            feedback::list(&s.app, staff.actor(), &agency_name, year, shown.state).await?,
            feedback::year_of(&s.app, id, year).await?,
        )
    };
    let state = shown.state.map(FeedbackState::key).unwrap_or_default();
    let here = format!("/staff/feedback?agency={agency_id}&year={year}&state={state}");
    let p = FeedbackPage {
        nav: StaffNav::new(staff, Section::Feedback, "/staff/feedback")?,
        page: Page::new(format!("{year}年公众评议"), &here, headers)
            .crumb("工作台", "/staff")
            .crumb("公众评议", &here),
        csrf: staff.csrf_token()?,
        agencies: if visible.len() > 1 {
            opts(
                visible.iter().map(|(a, b)| (a.as_str(), b.as_str())),
                &agency_id,
            )
        } else {
            Vec::new()
        },
        agency_id,
        agency_name,
        year,
        states: opts(
            std::iter::once(("", "全部"))
                .chain(FeedbackState::ALL.iter().map(|x| (x.key(), x.label()))),
            state,
        ),
        state: state.to_string(),
        actions: opts(Action::ALL.iter().map(|a| (a.key(), a.label())), ""),
        entries,
        sentence: counts.sentence(),
        counts,
        errors,
        done,
    };
    render(status, &p)
}

fn state_param(s: Option<&str>) -> Result<Option<FeedbackState>, WebError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(k) => FeedbackState::parse(k)
            .map(Some)
            .ok_or_else(|| WebError::bad_request("状态有误")),
    }
}

async fn list(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let shown = Shown {
        chosen: q.agency.unwrap_or_default(),
        year: year_param(q.year.as_deref())?,
        state: state_param(q.state.as_deref())?,
    };
    let done = match q.done.as_deref() {
        Some("publish") => Some("已公开答复，评议和答复已显示在门户网站页面上。"),
        Some("private") => Some("已登记答复（不公开）。"),
        Some("reject") => Some("已作无效处理，该评议不计入年度报告。"),
        _ => None,
    };
    page(
        &s,
        &staff,
        &headers,
        shown,
        Vec::new(),
        done,
        StatusCode::OK,
    )
    .await
}

/// `POST /staff/feedback/{id}/moderate`: a decision, then back to the list it was taken from.
async fn decide(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<axum::Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, WebError> {
    let f = fields(form)?;
    staff.check_csrf(&headers, f.get(crate::csrf::FIELD))?;
    feedback::may_moderate(staff.actor())?;
    let id: i64 = id.parse().map_err(|_| WebError::not_found())?;
    let shown = Shown {
        chosen: f.get("agency").trim().to_string(),
        year: year_param(Some(f.get("year")))?,
        state: state_param(Some(f.get("state")))?,
    };
    let Some(action) = Action::parse(f.get("action")) else {
        return page(
            &s,
            &staff,
            &headers,
            shown,
            vec!["请选择处理方式：公开答复、答复（不公开）或作无效处理".into()],
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    match feedback::moderate(
        &s.app,
        staff.actor(),
        id,
        action,
        f.get("text"),
        s.clock.now(),
    )
    .await
    {
        Ok(v) => Ok(Redirect::to(&format!(
            "/staff/feedback?agency={}&year={}&state={}&done={}",
            v.agency_id,
            shown.year.unwrap_or(today(&s).year()),
            shown.state.map(FeedbackState::key).unwrap_or_default(),
            action.key()
        ))
        .into_response()),
        Err(e) if matches!(e.kind(), ErrorKind::Invalid | ErrorKind::Conflict) => {
            let status = StatusCode::from_u16(e.kind().http_status())
                .unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            page(&s, &staff, &headers, shown, vec![e.zh()], None, status).await
        }
        Err(e) => Err(e.into()),
    }
}
