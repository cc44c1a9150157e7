//! 定期清理 in the back office (docs/cleanup.md): the agency's review campaigns with what each
//! changed and the form to start one; a campaign's page lists the items due with their reasons
//! and a decision form for each not yet decided. Role and scope checks are the use cases'
//! (`gongkai_app::cleanup`).

use super::Staff;
use super::common::{Opt, agency_choices, fields, opts, render};
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
use gongkai_app::cleanup::{self, CampaignInput, CampaignSummary, CampaignView, DecisionInput};
use gongkai_app::error::{ErrorKind, Localized};
use gongkai_core::calendar::{iso, parse_iso_date};
use gongkai_core::cleanup::{Decision, ReviewRules};
use serde::Deserialize;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/staff/cleanup", get(list).post(start))
        .route("/staff/cleanup/{id}", get(campaign))
        .route("/staff/cleanup/{id}/items/{item}", post(decide))
}

#[derive(Deserialize, Default)]
struct ListQuery {
    agency: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/cleanup.html")]
struct CampaignsPage {
    page: Page,
    nav: StaffNav,
    csrf: String,
    agencies: Vec<Opt>,
    agency_id: String,
    agency_name: String,
    campaigns: Vec<CampaignSummary>,
    v: FormFields,
    errors: Vec<String>,
}

async fn campaigns_page(
    s: &WebState,
    staff: &Staff,
    headers: &HeaderMap,
    chosen: &str,
    v: FormFields,
    errors: Vec<String>,
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
    let campaigns = if agency_name.is_empty() {
        Vec::new()
    } else {
        cleanup::list(&s.app, staff.actor(), &agency_name).await?
    };
    let here = format!("/staff/cleanup?agency={agency_id}");
    let mut v = v;
    for (k, d) in [
        ("older_than", ReviewRules::default().max_age_years),
        (
            "normative_term",
            ReviewRules::default().normative_term_years,
        ),
    ] {
        if v.get(k).is_empty() {
            v.0.push((k.to_string(), d.to_string()));
        }
    }
    let p = CampaignsPage {
        nav: StaffNav::new(staff, Section::Catalog, "/staff/cleanup")?,
        page: Page::new("定期清理", &here, headers)
            .crumb("工作台", "/staff")
            .crumb("目录管理", "/staff/catalog/items")
            .crumb("定期清理", &here),
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
        campaigns,
        v,
        errors,
    };
    render(status, &p)
}

async fn list(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let chosen = q.agency.unwrap_or_default();
    campaigns_page(
        &s,
        &staff,
        &headers,
        &chosen,
        FormFields::default(),
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// A number of years from the form, 1 to 50.
fn years(f: &FormFields, key: &str, zh: &str, errors: &mut Vec<String>) -> u8 {
    match f.get(key).trim().parse::<u8>() {
        Ok(n) if (1..=gongkai_core::cleanup::MAX_YEARS).contains(&n) => n,
        _ => {
            errors.push(format!(
                "{zh}应为1至{}之间的整数",
                gongkai_core::cleanup::MAX_YEARS
            ));
            0
        }
    }
}

/// `POST /staff/cleanup`: starts a campaign and opens it.
async fn start(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    form: Result<axum::Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, WebError> {
    let f = fields(form)?;
    staff.check_csrf(&headers, f.get(crate::csrf::FIELD))?;
    cleanup::may_review(staff.actor())?;
    let chosen = f.get("agency").trim().to_string();
    let agency = agency_choices(&s, &staff)
        .await?
        .into_iter()
        .find(|(id, _)| *id == chosen)
        .map(|(_, name)| name)
        .ok_or_else(WebError::not_found)?;
    let mut errors = Vec::new();
    let rules = ReviewRules {
        max_age_years: years(&f, "older_than", "信息发布年限", &mut errors),
        normative_term_years: years(&f, "normative_term", "规范性文件评估年限", &mut errors),
    };
    let fail =
        |errors, status| campaigns_page(&s, &staff, &headers, &chosen, f.clone(), errors, status);
    if !errors.is_empty() {
        return fail(errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let input = CampaignInput {
        agency,
        title: Some(f.get("title").to_string()),
        rules,
    };
    match cleanup::start(&s.app, staff.actor(), &input, s.today(), s.clock.now()).await {
        Ok(c) => Ok(
            Redirect::to(&format!("/staff/cleanup/{}?done=started", c.summary.id)).into_response(),
        ),
        Err(e) if matches!(e.kind(), ErrorKind::Invalid | ErrorKind::Conflict) => {
            fail(vec![e.zh()], StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct CampaignQuery {
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/cleanup_campaign.html")]
struct CampaignPage {
    page: Page,
    nav: StaffNav,
    csrf: String,
    c: CampaignView,
    decisions: Vec<Opt>,
    errors: Vec<String>,
    /// The item whose form failed, reopened with the message.
    failed_item: i64,
    done: Option<&'static str>,
    today: String,
}

#[allow(clippy::too_many_arguments)]
async fn campaign_page(
    s: &WebState,
    staff: &Staff,
    headers: &HeaderMap,
    id: i64,
    errors: Vec<String>,
    failed_item: i64,
    done: Option<&'static str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let c = cleanup::show(&s.app, staff.actor(), id).await?;
    let here = format!("/staff/cleanup/{id}");
    let list = format!("/staff/cleanup?agency={}", c.summary.agency_id);
    let p = CampaignPage {
        nav: StaffNav::new(staff, Section::Catalog, "/staff/cleanup")?,
        page: Page::new(c.summary.title.clone(), &here, headers)
            .crumb("工作台", "/staff")
            .crumb("目录管理", "/staff/catalog/items")
            .crumb("定期清理", &list)
            .crumb(&c.summary.title, &here),
        csrf: staff.csrf_token()?,
        decisions: opts(Decision::ALL.iter().map(|d| (d.key(), d.label())), ""),
        c,
        errors,
        failed_item,
        done,
        today: iso(s.today()),
    };
    render(status, &p)
}

fn id_param(raw: &str) -> Result<i64, WebError> {
    raw.parse().map_err(|_| WebError::not_found())
}

async fn campaign(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<CampaignQuery>,
) -> Result<Response, WebError> {
    let done = match q.done.as_deref() {
        Some("started") => Some("已开始清理，下列信息需要逐条处理。"),
        Some("decided") => Some("已处理。"),
        _ => None,
    };
    campaign_page(
        &s,
        &staff,
        &headers,
        id_param(&id)?,
        Vec::new(),
        0,
        done,
        StatusCode::OK,
    )
    .await
}

/// `POST /staff/cleanup/{id}/items/{item}`: records the decision on one item.
async fn decide(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Path((id, item)): Path<(String, String)>,
    form: Result<axum::Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, WebError> {
    let f = fields(form)?;
    staff.check_csrf(&headers, f.get(crate::csrf::FIELD))?;
    let (id, item) = (id_param(&id)?, id_param(&item)?);
    let mut errors = Vec::new();
    let decision = Decision::parse(f.get("decision"));
    if decision.is_none() {
        errors.push("请选择处理方式".to_string());
    }
    let on = match f.get("on").trim() {
        "" => None,
        d => {
            let parsed = parse_iso_date(d);
            if parsed.is_none() {
                errors.push(format!("日期“{d}”不是日期（年-月-日）"));
            }
            parsed
        }
    };
    let fail = |errors, status| campaign_page(&s, &staff, &headers, id, errors, item, None, status);
    let (Some(decision), true) = (decision, errors.is_empty()) else {
        return fail(errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let input = DecisionInput {
        decision,
        on,
        reason: Some(f.get("reason").to_string()),
    };
    match cleanup::decide(&s.app, staff.actor(), id, item, &input, s.clock.now()).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/staff/cleanup/{id}?done=decided#item-{item}")).into_response(),
        ),
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::Invalid | ErrorKind::Conflict | ErrorKind::Refused
            ) =>
        {
            let status = StatusCode::from_u16(e.kind().http_status())
                .unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            fail(vec![e.zh()], status).await
        }
        Err(e) => Err(e.into()),
    }
}
