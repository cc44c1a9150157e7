//! Work records in the back office (docs/work-records.md): the agency's meetings, trainings,
//! plans and rules of a year, the form to record one, removal with a reason, and the section 一
//! paragraph the annual report will carry. Role and scope checks are the use cases'
//! (`gongkai_app::work`).

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
use gongkai_app::work::{self, WorkInput, WorkView};
use gongkai_core::calendar::{iso, parse_iso_date};
use gongkai_core::work::{WorkKind, WorkRecord, WorkYear};
use serde::Deserialize;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/staff/work", get(list).post(add))
        .route("/staff/work/{id}/remove", post(remove))
}

#[derive(Deserialize, Default)]
struct ListQuery {
    agency: Option<String>,
    year: Option<String>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/work.html")]
struct WorkPage {
    page: Page,
    nav: StaffNav,
    csrf: String,
    /// The agencies the user may choose (more than one: the choice is shown).
    agencies: Vec<Opt>,
    agency_id: String,
    agency_name: String,
    year: i32,
    records: Vec<WorkView>,
    /// Section 一's paragraph as the report will carry it.
    paragraph: Option<String>,
    kinds: Vec<Opt>,
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
    let records = if agency_name.is_empty() {
        Vec::new()
    } else {
        work::list(&s.app, staff.actor(), &agency_name, Some(year), true).await?
    };
    let counted: Vec<WorkRecord> = records
        .iter()
        .filter(|r| r.removed.is_none())
        .filter_map(|r| {
            Some(WorkRecord {
                kind: WorkKind::parse(r.kind)?,
                on: r.on,
                title: r.title.clone(),
            })
        })
        .collect();
    let here = format!("/staff/work?agency={agency_id}&year={year}");
    let p = WorkPage {
        nav: StaffNav::new(staff, Section::Reports, "/staff/work")?,
        page: Page::new(format!("{year}年政务公开工作记录"), &here, headers)
            .crumb("工作台", "/staff")
            .crumb("年度报告", "/staff/reports")
            .crumb("工作记录", &here),
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
        paragraph: WorkYear::tally(&counted, year).paragraph(),
        records,
        kinds: opts(
            WorkKind::ALL.iter().map(|k| (k.key(), k.label())),
            v.get("kind"),
        ),
        v,
        errors,
        done,
        today: iso(today(s)),
    };
    render(status, &p)
}

async fn list(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let year = year_param(q.year.as_deref())?;
    let done = match q.done.as_deref() {
        Some("added") => Some("已登记。"),
        Some("removed") => Some("已删除，该记录不再计入年度报告。"),
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

/// The form's fields as the use case's input, or what is wrong with them.
fn parse_new(f: &FormFields, agency: String) -> Result<WorkInput, Vec<String>> {
    let mut errors = Vec::new();
    let kind = WorkKind::parse(f.get("kind"));
    if kind.is_none() {
        errors.push("请选择记录类别".to_string());
    }
    let on = parse_iso_date(f.get("on"));
    if on.is_none() {
        errors.push("请填写日期（年-月-日）".to_string());
    }
    let participants = match f.get("participants").trim() {
        "" => None,
        p => match p.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(format!("参加人数“{p}”不是整数"));
                None
            }
        },
    };
    match (kind, on) {
        (Some(kind), Some(on)) if errors.is_empty() => Ok(WorkInput {
            agency,
            kind,
            on,
            title: f.get("title").to_string(),
            participants,
            note: Some(f.get("note").to_string()),
        }),
        _ => Err(errors),
    }
}

/// `POST /staff/work`: records one and returns to the year's list.
async fn add(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    form: Result<axum::Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, WebError> {
    let f = fields(form)?;
    staff.check_csrf(&headers, f.get(crate::csrf::FIELD))?;
    work::may_write(staff.actor())?;
    let chosen = f.get("agency").trim().to_string();
    let agency = agency_choices(&s, &staff)
        .await?
        .into_iter()
        .find(|(id, _)| *id == chosen)
        .map(|(_, name)| name)
        .ok_or_else(WebError::not_found)?;
    let year = parse_iso_date(f.get("on")).map(|d| d.year());
    let fail = |f: FormFields, errors: Vec<String>, status: StatusCode| {
        let (s, staff, headers, chosen) = (&s, &staff, &headers, &chosen);
        async move { page(s, staff, headers, chosen, year, f, errors, None, status).await }
    };
    let input = match parse_new(&f, agency) {
        Ok(i) => i,
        Err(errors) => return fail(f, errors, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let on = input.on;
    match work::add(&s.app, staff.actor(), input, today(&s), s.clock.now()).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/staff/work?agency={chosen}&year={}&done=added",
            on.year()
        ))
        .into_response()),
        Err(e) if e.kind() == ErrorKind::Invalid => {
            fail(f, vec![e.zh()], StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /staff/work/{id}/remove`: removes a record with its reason.
async fn remove(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<axum::Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, WebError> {
    let f = fields(form)?;
    staff.check_csrf(&headers, f.get(crate::csrf::FIELD))?;
    work::may_write(staff.actor())?;
    let id: i64 = id.parse().map_err(|_| WebError::not_found())?;
    match work::remove(&s.app, staff.actor(), id, f.get("reason"), s.clock.now()).await {
        Ok(r) => Ok(Redirect::to(&format!(
            "/staff/work?agency={}&year={}&done=removed",
            r.agency_id,
            r.on.year()
        ))
        .into_response()),
        Err(e) if e.kind() == ErrorKind::Invalid => {
            let chosen = f.get("agency").trim().to_string();
            let year = year_param(Some(f.get("year")))?;
            page(
                &s,
                &staff,
                &headers,
                &chosen,
                year,
                FormFields::default(),
                vec![e.zh()],
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
