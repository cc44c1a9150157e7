//! 建议提案 in the back office (docs/proposals.md): the agency's suggestions and proposals of a
//! year with their replies, the form to record one, the reply form of each not yet answered,
//! and the section 六 sentence the annual report will carry. Role and scope checks are the use
//! cases' (`gongkai_app::proposal`).

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
use gongkai_app::proposal::{self, ProposalInput, ProposalView, ReplyInput};
use gongkai_core::calendar::{iso, parse_iso_date};
use gongkai_core::proposal::{Handling, ProposalKind, ProposalResult};
use serde::Deserialize;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/staff/proposals", get(list).post(add))
        .route("/staff/proposals/{id}/reply", post(reply))
}

#[derive(Deserialize, Default)]
struct ListQuery {
    agency: Option<String>,
    year: Option<String>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/proposals.html")]
struct ProposalsPage {
    page: Page,
    nav: StaffNav,
    csrf: String,
    agencies: Vec<Opt>,
    agency_id: String,
    agency_name: String,
    year: i32,
    proposals: Vec<ProposalView>,
    sentence: Option<String>,
    kinds: Vec<Opt>,
    handlings: Vec<Opt>,
    results: Vec<Opt>,
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
    let (proposals, sentence) = if agency_name.is_empty() {
        (Vec::new(), None)
    } else {
        let all = proposal::list(&s.app, staff.actor(), &agency_name, Some(year)).await?;
        let id: i64 = agency_id.parse().unwrap_or_default();
        (all, proposal::year_of(&s.app, id, year).await?.sentence())
    };
    let here = format!("/staff/proposals?agency={agency_id}&year={year}");
    let p = ProposalsPage {
        nav: StaffNav::new(staff, Section::Reports, "/staff/proposals")?,
        page: Page::new(format!("{year}年建议提案办理"), &here, headers)
            .crumb("工作台", "/staff")
            .crumb("年度报告", "/staff/reports")
            .crumb("建议提案", &here),
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
        proposals,
        sentence,
        kinds: opts(
            ProposalKind::ALL.iter().map(|k| (k.key(), k.label())),
            v.get("kind"),
        ),
        handlings: opts(
            Handling::ALL.iter().map(|k| (k.key(), k.label())),
            v.get("handling"),
        ),
        results: opts(ProposalResult::ALL.iter().map(|k| (k.key(), k.label())), ""),
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
        Some("replied") => Some("已登记答复。"),
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
fn parse_new(f: &FormFields, agency: String) -> Result<ProposalInput, Vec<String>> {
    let mut errors = Vec::new();
    let kind = ProposalKind::parse(f.get("kind"));
    if kind.is_none() {
        errors.push("请选择人大代表建议或政协委员提案".to_string());
    }
    let handling = Handling::parse(f.get("handling"));
    if handling.is_none() {
        errors.push("请选择主办或协办".to_string());
    }
    let assigned_on = parse_iso_date(f.get("assigned_on"));
    if assigned_on.is_none() {
        errors.push("请填写交办日期（年-月-日）".to_string());
    }
    let due_on = match f.get("due_on").trim() {
        "" => None,
        d => {
            let parsed = parse_iso_date(d);
            if parsed.is_none() {
                errors.push(format!("办理期限“{d}”不是日期（年-月-日）"));
            }
            parsed
        }
    };
    match (kind, handling, assigned_on) {
        (Some(kind), Some(handling), Some(assigned_on)) if errors.is_empty() => Ok(ProposalInput {
            agency,
            kind,
            number: f.get("number").to_string(),
            proposer: f.get("proposer").to_string(),
            subject: f.get("subject").to_string(),
            handling,
            assigned_on,
            due_on,
        }),
        _ => Err(errors),
    }
}

/// `POST /staff/proposals`: records one and returns to its year's list.
async fn add(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    form: Result<axum::Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, WebError> {
    let f = fields(form)?;
    staff.check_csrf(&headers, f.get(crate::csrf::FIELD))?;
    proposal::may_write(staff.actor())?;
    let chosen = f.get("agency").trim().to_string();
    let agency = agency_choices(&s, &staff)
        .await?
        .into_iter()
        .find(|(id, _)| *id == chosen)
        .map(|(_, name)| name)
        .ok_or_else(WebError::not_found)?;
    let year = parse_iso_date(f.get("assigned_on")).map(|d| d.year());
    let input = match parse_new(&f, agency) {
        Ok(i) => i,
        Err(errors) => {
            return page(
                &s,
                &staff,
                &headers,
                &chosen,
                year,
                f,
                errors,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let y = input.assigned_on.year();
    match proposal::add(&s.app, staff.actor(), input, today(&s), s.clock.now()).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/staff/proposals?agency={chosen}&year={y}&done=added"
        ))
        .into_response()),
        Err(e) if matches!(e.kind(), ErrorKind::Invalid | ErrorKind::Conflict) => {
            let status = StatusCode::from_u16(e.kind().http_status())
                .unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            page(
                &s,
                &staff,
                &headers,
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

/// `POST /staff/proposals/{id}/reply`: records the reply.
async fn reply(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<axum::Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, WebError> {
    let f = fields(form)?;
    staff.check_csrf(&headers, f.get(crate::csrf::FIELD))?;
    proposal::may_write(staff.actor())?;
    let id: i64 = id.parse().map_err(|_| WebError::not_found())?;
    let chosen = f.get("agency").trim().to_string();
    let year = year_param(Some(f.get("year")))?;
    let mut errors = Vec::new();
    let on = parse_iso_date(f.get("on"));
    if on.is_none() {
        errors.push("请填写答复日期（年-月-日）".to_string());
    }
    let result = ProposalResult::parse(f.get("result"));
    if result.is_none() {
        errors.push("请选择办理结果".to_string());
    }
    let item = match f.get("item").trim() {
        "" => None,
        i => match i.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push(format!("目录信息编号“{i}”不是数字"));
                None
            }
        },
    };
    let fail = |errors: Vec<String>, status| {
        let (s, staff, headers, chosen) = (&s, &staff, &headers, &chosen);
        async move {
            page(
                s,
                staff,
                headers,
                chosen,
                year,
                FormFields::default(),
                errors,
                None,
                status,
            )
            .await
        }
    };
    let (Some(on), Some(result), true) = (on, result, errors.is_empty()) else {
        return fail(errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let input = ReplyInput {
        on,
        result,
        reply: Some(f.get("reply").to_string()),
        item,
    };
    match proposal::reply(&s.app, staff.actor(), id, input, today(&s)).await {
        Ok(p) => Ok(Redirect::to(&format!(
            "/staff/proposals?agency={}&year={}&done=replied",
            p.agency_id,
            &p.assigned_on[..4]
        ))
        .into_response()),
        Err(e) if matches!(e.kind(), ErrorKind::Invalid | ErrorKind::Conflict) => {
            let status = StatusCode::from_u16(e.kind().http_status())
                .unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            fail(vec![e.zh()], status).await
        }
        Err(e) => Err(e.into()),
    }
}
