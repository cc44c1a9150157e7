//! 组织领导与考核 in the back office (docs/organisation.md): the agency's appointments to the
//! disclosure work with the form to add one and to record a departure, and the year's
//! assessment rounds with their findings, the form to record a round and to record a finding
//! put right; the sentences section 一 will carry. Role and scope checks are the use cases'
//! (`gongkai_app::organisation`).

use super::Staff;
use super::common::{Opt, agency_choices, fields, opts, render, today, year_param};
use super::nav::{Section, StaffNav};
use crate::page::Page;
use crate::{WebError, WebState};
use askama::Template;
use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongkai_app::application::FormFields;
use gongkai_app::error::{ErrorKind, Localized};
use gongkai_app::organisation::{self, AppointmentInput, AppointmentView, RoundInput, RoundView};
use gongkai_core::calendar::{iso, parse_iso_date};
use gongkai_core::organisation::Duty;
use serde::Deserialize;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/staff/organisation", get(show))
        .route("/staff/organisation/appointments", post(appoint))
        .route("/staff/organisation/appointments/{id}/end", post(end))
        .route("/staff/organisation/assessments", post(assess))
        .route("/staff/organisation/results/{id}/rectify", post(rectify))
}

#[derive(Deserialize, Default)]
struct ShowQuery {
    agency: Option<String>,
    year: Option<String>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/organisation.html")]
struct OrganisationPage {
    page: Page,
    nav: StaffNav,
    csrf: String,
    agencies: Vec<Opt>,
    agency_id: String,
    agency_name: String,
    year: i32,
    appointments: Vec<AppointmentView>,
    rounds: Vec<RoundView>,
    organisation_sentence: Option<String>,
    assessment_sentence: Option<String>,
    duties: Vec<Opt>,
    v: FormFields,
    errors: Vec<String>,
    done: Option<&'static str>,
    today: String,
}

#[allow(clippy::too_many_arguments)]
async fn page(
    s: &WebState,
    staff: &Staff,
    headers: &HeaderMap,
    chosen: &str,
    year: Option<i32>,
    v: FormFields,
    errors: Vec<String>,
    done: Option<&'static str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let visible = agency_choices(s, staff).await?;
    let own = staff.actor().agency.map(|a| a.get().to_string());
    let (agency_id, agency_name) = visible
        .iter()
        .find(|(id, _)| id == chosen)
        .or_else(|| visible.iter().find(|(id, _)| Some(id) == own.as_ref()))
        .or_else(|| visible.first())
        .cloned()
        .unwrap_or_default();
    let year = year.unwrap_or(today(s).year());
    let (appointments, rounds, organisation_sentence, assessment_sentence) =
        if agency_name.is_empty() {
            (Vec::new(), Vec::new(), None, None)
        } else {
            let actor = staff.actor();
            let id: i64 = agency_id.parse().unwrap_or_default();
            let y = organisation::year_of(&s.app, id, year).await?;
            (
                organisation::appointments(&s.app, actor, &agency_name).await?,
                organisation::rounds(&s.app, actor, &agency_name, year).await?,
                y.organisation.clone(),
                y.assessment_sentence(),
            )
        };
    let here = format!("/staff/organisation?agency={agency_id}&year={year}");
    let p = OrganisationPage {
        nav: StaffNav::new(staff, Section::Reports, "/staff/organisation")?,
        page: Page::new(format!("{year}年组织领导与考核"), &here, headers)
            .crumb("工作台", "/staff")
            .crumb("年度报告", "/staff/reports")
            .crumb("组织领导与考核", &here),
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
        appointments,
        rounds,
        organisation_sentence,
        assessment_sentence,
        duties: opts(
            Duty::ALL.iter().map(|d| (d.key(), d.label())),
            v.get("duty"),
        ),
        v,
        errors,
        done,
        today: iso(today(s)),
    };
    render(status, &p)
}

async fn show(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Query(q): Query<ShowQuery>,
) -> Result<Response, WebError> {
    let year = year_param(q.year.as_deref())?;
    let done = match q.done.as_deref() {
        Some("appointed") => Some("已登记任职。"),
        Some("ended") => Some("已登记离任。"),
        Some("assessed") => Some("已登记考核。"),
        Some("rectified") => Some("已登记整改。"),
        _ => None,
    };
    let chosen = q.agency.unwrap_or_default();
    page(
        &s,
        &staff,
        &headers,
        &chosen,
        year,
        FormFields::default(),
        Vec::new(),
        done,
        StatusCode::OK,
    )
    .await
}

/// The agency a form names, among those the user sees (its name), else not found.
async fn chosen_agency(s: &WebState, staff: &Staff, f: &FormFields) -> Result<String, WebError> {
    let chosen = f.get("agency").trim().to_string();
    agency_choices(s, staff)
        .await?
        .into_iter()
        .find(|(id, _)| *id == chosen)
        .map(|(_, name)| name)
        .ok_or_else(WebError::not_found)
}

fn date_field(
    f: &FormFields,
    key: &str,
    zh: &str,
    required: bool,
    errors: &mut Vec<String>,
) -> Option<time::Date> {
    match f.get(key).trim() {
        "" if required => {
            errors.push(format!("请填写{zh}（年-月-日）"));
            None
        }
        "" => None,
        d => {
            let parsed = parse_iso_date(d);
            if parsed.is_none() {
                errors.push(format!("{zh}“{d}”不是日期（年-月-日）"));
            }
            parsed
        }
    }
}

/// After a change: back to the year's page; a refusal the user can fix re-renders the page with
/// the message (and what was typed).
#[allow(clippy::too_many_arguments)]
async fn finish<T>(
    s: &WebState,
    staff: &Staff,
    headers: &HeaderMap,
    f: FormFields,
    year: Option<i32>,
    result: gongkai_app::error::Result<T>,
    done: &str,
    year_of: impl FnOnce(&T) -> i32,
) -> Result<Response, WebError> {
    let chosen = f.get("agency").trim().to_string();
    match result {
        Ok(t) => Ok(Redirect::to(&format!(
            "/staff/organisation?agency={chosen}&year={}&done={done}",
            year_of(&t)
        ))
        .into_response()),
        Err(e) if matches!(e.kind(), ErrorKind::Invalid | ErrorKind::Conflict) => {
            let status = StatusCode::from_u16(e.kind().http_status())
                .unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            page(
                s,
                staff,
                headers,
                &chosen,
                year,
                f,
                vec![e.zh()],
                None,
                status,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn refuse(
    s: &WebState,
    staff: &Staff,
    headers: &HeaderMap,
    f: FormFields,
    year: Option<i32>,
    errors: Vec<String>,
) -> Result<Response, WebError> {
    let chosen = f.get("agency").trim().to_string();
    page(
        s,
        staff,
        headers,
        &chosen,
        year,
        f,
        errors,
        None,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

type PostForm = Result<axum::Form<Vec<(String, String)>>, FormRejection>;

/// `POST /staff/organisation/appointments`.
async fn appoint(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    form: PostForm,
) -> Result<Response, WebError> {
    let f = fields(form)?;
    staff.check_csrf(&headers, f.get(crate::csrf::FIELD))?;
    organisation::may_write(staff.actor())?;
    let agency = chosen_agency(&s, &staff, &f).await?;
    let mut errors = Vec::new();
    let duty = Duty::parse(f.get("duty"));
    if duty.is_none() {
        errors.push("请选择职责".to_string());
    }
    let from = date_field(&f, "from", "任职日期", true, &mut errors);
    let until = date_field(&f, "until", "离任日期", false, &mut errors);
    let year = from.map(|d| d.year());
    let (Some(duty), Some(from), true) = (duty, from, errors.is_empty()) else {
        return refuse(&s, &staff, &headers, f, year, errors).await;
    };
    let input = AppointmentInput {
        agency,
        duty,
        name: f.get("name").to_string(),
        post: f.get("post").to_string(),
        section: Some(f.get("section").to_string()),
        from,
        until,
    };
    let r = organisation::appoint(&s.app, staff.actor(), &input, today(&s), s.clock.now()).await;
    finish(&s, &staff, &headers, f, year, r, "appointed", |_| {
        from.year()
    })
    .await
}

/// `POST /staff/organisation/appointments/{id}/end`.
async fn end(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: PostForm,
) -> Result<Response, WebError> {
    let f = fields(form)?;
    staff.check_csrf(&headers, f.get(crate::csrf::FIELD))?;
    organisation::may_write(staff.actor())?;
    let id: i64 = id.parse().map_err(|_| WebError::not_found())?;
    let year = year_param(Some(f.get("year")))?;
    let mut errors = Vec::new();
    let chosen = FormFields(vec![("agency".into(), f.get("agency").to_string())]);
    let Some(until) = date_field(&f, "until", "离任日期", true, &mut errors) else {
        return refuse(&s, &staff, &headers, chosen, year, errors).await;
    };
    let r = organisation::end(&s.app, staff.actor(), id, until, today(&s), s.clock.now()).await;
    finish(&s, &staff, &headers, chosen, year, r, "ended", |_| {
        year.unwrap_or(until.year())
    })
    .await
}

/// `POST /staff/organisation/assessments`.
async fn assess(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    form: PostForm,
) -> Result<Response, WebError> {
    let f = fields(form)?;
    staff.check_csrf(&headers, f.get(crate::csrf::FIELD))?;
    organisation::may_write(staff.actor())?;
    let agency = chosen_agency(&s, &staff, &f).await?;
    let mut errors = Vec::new();
    let on = date_field(&f, "held_on", "考核日期", true, &mut errors);
    let year = on.map(|d| d.year());
    let (Some(on), true) = (on, errors.is_empty()) else {
        return refuse(&s, &staff, &headers, f, year, errors).await;
    };
    let input = RoundInput {
        agency,
        on,
        title: f.get("title").to_string(),
        results: f.get("results").to_string(),
    };
    let r = organisation::add_round(&s.app, staff.actor(), &input, today(&s), s.clock.now()).await;
    finish(&s, &staff, &headers, f, year, r, "assessed", |_| on.year()).await
}

/// `POST /staff/organisation/results/{id}/rectify`.
async fn rectify(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: PostForm,
) -> Result<Response, WebError> {
    let f = fields(form)?;
    staff.check_csrf(&headers, f.get(crate::csrf::FIELD))?;
    organisation::may_write(staff.actor())?;
    let id: i64 = id.parse().map_err(|_| WebError::not_found())?;
    let year = year_param(Some(f.get("year")))?;
    let mut errors = Vec::new();
    let chosen = FormFields(vec![("agency".into(), f.get("agency").to_string())]);
    let Some(on) = date_field(&f, "on", "整改日期", true, &mut errors) else {
        return refuse(&s, &staff, &headers, chosen, year, errors).await;
    };
    let r = organisation::rectify(&s.app, staff.actor(), id, on, today(&s), s.clock.now()).await;
    finish(&s, &staff, &headers, chosen, year, r, "rectified", |_| {
        year.unwrap_or(on.year())
    })
    .await
}
