//! The list of cases with its filters and search, the case page, showing the full identity
//! (recorded), the letters, and registering an application that came on paper, by post, by
//! fax or by e-mail (docs/back-office.md).

use super::Staff;
use super::case_page::{Pick, Shown, case_page};
use super::common::{Opt, fields, opts, render, today};
use crate::page::Page;
use crate::{WebError, WebState};
use askama::Template;
use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongkai_app::AppError;
use gongkai_app::application::online::issued_letters;
use gongkai_app::application::{
    self, CaseFilter, CaseListView, DueFilter, FormFields, parse_registration_form,
};
use gongkai_core::application::{
    ApplicantType, Channel, Delivery, FormErrors, IdType, Medium, Outcome, Phase,
};
use gongkai_letters::LetterKind;
use serde::Deserialize;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/staff/cases", get(list))
        .route("/staff/cases/new", get(new_form).post(register))
        .route("/staff/cases/{number}", get(show))
        .route("/staff/cases/{number}/reveal", post(reveal))
        .route("/staff/cases/{number}/letters/{file}", get(letter))
}

/// The list's filters, as the page's form and the API's query string give them.
#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// 办理状态 key (`open`, `closed` …).
    status: Option<String>,
    /// `soon` (due within `days` working days) or `overdue`.
    due: Option<String>,
    /// Working days ahead for `due=soon` (default 5).
    days: Option<String>,
    /// An outcome key (`partial`) or group (`denied`, `unable`, `not_processed`, `other`).
    outcome: Option<String>,
    /// 申请方式 key (`in_person`, `mail`, `online` …).
    channel: Option<String>,
    /// Received in this year.
    year: Option<String>,
    /// Part of the 申请编号 or of the applicant's name, ID number or credit code.
    q: Option<String>,
    /// 1-based page.
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/cases.html")]
struct ListPage {
    page: Page,
    nav: crate::staff::nav::StaffNav,
    list: CaseListView,
    statuses: Vec<Opt>,
    dues: Vec<Opt>,
    days: String,
    outcomes: Vec<Opt>,
    channels: Vec<Opt>,
    year: String,
    q: String,
    /// The query without `page`, for the pager's links.
    base: String,
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

pub(crate) fn parse_filter(q: &ListQuery) -> Result<CaseFilter, WebError> {
    let bad = |m: &str| WebError::bad_request(m.to_string());
    let number = |s: Option<&str>, what: &str| -> Result<Option<u32>, WebError> {
        s.map(|v| {
            v.parse::<u32>()
                .map_err(|_| bad(&format!("{what}应为正整数")))
        })
        .transpose()
    };
    let days = number(nonempty(&q.days), "工作日数")?.unwrap_or(5);
    Ok(CaseFilter {
        status: nonempty(&q.status)
            .map(|s| Phase::from_key(s).ok_or_else(|| bad("办理状态有误")))
            .transpose()?,
        due: match nonempty(&q.due) {
            None => None,
            Some("soon") => Some(DueFilter::Soon(days)),
            Some("overdue") => Some(DueFilter::Overdue),
            Some(_) => return Err(bad("期限筛选有误")),
        },
        outcome: nonempty(&q.outcome).map(str::to_string),
        channel: nonempty(&q.channel)
            .map(|s| Channel::parse(s).ok_or_else(|| bad("申请方式有误")))
            .transpose()?,
        year: nonempty(&q.year)
            .map(|y| {
                y.parse::<i32>()
                    .ok()
                    .filter(|y| (2008..=9999).contains(y))
                    .ok_or_else(|| bad("年份有误"))
            })
            .transpose()?,
        search: nonempty(&q.q).map(|s| s.chars().take(100).collect()),
        page: number(nonempty(&q.page), "页码")?.unwrap_or(1).max(1),
    })
}

fn outcome_opts(current: &str) -> Vec<Opt> {
    let mut items: Vec<(String, String)> = vec![(String::new(), "全部".into())];
    for (g, l) in [
        ("denied", "（三）不予公开（全部）"),
        ("unable", "（四）无法提供（全部）"),
        ("not_processed", "（五）不予处理（全部）"),
        ("other", "（六）其他处理（全部）"),
    ] {
        items.push((g.into(), l.into()));
    }
    for o in Outcome::ALL {
        items.push((
            o.key().into(),
            format!("{}{}", o.group_label().unwrap_or(""), o.label()),
        ));
    }
    opts(items.iter().map(|(a, b)| (a.as_str(), b.as_str())), current)
}

async fn list(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let filter = parse_filter(&q)?;
    let list = application::list_cases(&s.app, staff.actor(), &filter, today(&s)).await?;
    let get = |v: &Option<String>| nonempty(v).unwrap_or("").to_string();
    let base: Vec<String> = [
        ("status", &q.status),
        ("due", &q.due),
        ("days", &q.days),
        ("outcome", &q.outcome),
        ("channel", &q.channel),
        ("year", &q.year),
        ("q", &q.q),
    ]
    .iter()
    .filter_map(|(k, v)| nonempty(v).map(|v| format!("{k}={}", crate::page::encode(v))))
    .collect();
    let mut statuses = vec![("", "全部")];
    statuses.extend(Phase::ALL.iter().map(|p| (p.key(), p.label())));
    let mut channels = vec![("", "全部")];
    channels.extend(Channel::ALL.iter().map(|c| (c.key(), c.label())));
    let page = ListPage {
        nav: crate::staff::nav::StaffNav::new(
            &staff,
            crate::staff::nav::Section::Cases,
            "/staff/cases",
        )?,
        page: Page::new("依申请公开", "/staff/cases", &headers)
            .crumb("工作台", "/staff")
            .crumb("依申请公开", "/staff/cases"),
        statuses: opts(statuses, &get(&q.status)),
        dues: opts(
            [("", "全部"), ("soon", "即将到期"), ("overdue", "已超期")],
            &get(&q.due),
        ),
        days: nonempty(&q.days).unwrap_or("5").to_string(),
        outcomes: outcome_opts(&get(&q.outcome)),
        channels: opts(channels, &get(&q.channel)),
        year: get(&q.year),
        q: get(&q.q),
        base: base.join("&"),
        list,
    };
    render(StatusCode::OK, &page)
}

/// The case page's query: the correction's first step (docs/back-office.md#corrections).
#[derive(Deserialize, Default)]
struct CaseQuery {
    /// The number of the event to correct.
    correct: Option<String>,
    /// `retract`, a form's key, or empty for the event's own kind.
    #[serde(rename = "as")]
    with: Option<String>,
    /// `1`: back to the first step with this choice.
    change: Option<String>,
}

async fn show(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Path(number): Path<String>,
    Query(q): Query<CaseQuery>,
) -> Result<Response, WebError> {
    let today = today(&s);
    let case = application::show_as(&s.app, staff.actor(), &number, today).await?;
    let pick = q.correct.map(|target| Pick {
        target,
        with: q.with.unwrap_or_default(),
        change: q.change.is_some_and(|c| c == "1"),
    });
    let shown = Shown {
        revealed: false,
        failed: None,
        pick,
        done: None,
        today,
        headers: &headers,
    };
    case_page(&s, &staff, &case, shown, StatusCode::OK).await
}

/// `POST /staff/cases/{number}/reveal`: the case page with the full ID and phone numbers;
/// the access is recorded first.
async fn reveal(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Path(number): Path<String>,
    form: Result<axum::Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, WebError> {
    let f = fields(form)?;
    staff.check_csrf(&headers, f.get(crate::csrf::FIELD))?;
    let today = today(&s);
    let case =
        application::reveal_identity(&s.app, staff.actor(), &number, s.clock.now(), today).await?;
    let shown = Shown {
        revealed: true,
        failed: None,
        pick: None,
        done: None,
        today,
        headers: &headers,
    };
    case_page(&s, &staff, &case, shown, StatusCode::OK).await
}

/// `GET /staff/cases/{number}/letters/{kind}.{html|docx}`: a letter the case has issued.
async fn letter(
    State(s): State<WebState>,
    staff: Staff,
    Path((number, file)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let (kind, format) = file.rsplit_once('.').ok_or_else(WebError::not_found)?;
    let kind = LetterKind::parse(kind).ok_or_else(WebError::not_found)?;
    if !matches!(format, "html" | "docx") {
        return Err(WebError::not_found());
    }
    let today = today(&s);
    let case = application::show_as(&s.app, staff.actor(), &number, today).await?;
    if !issued_letters(&case, today).contains(&kind) {
        return Err(WebError::not_found());
    }
    let letter =
        gongkai_letters::compose(kind, &gongkai_app::letters::letter_data(&case, kind, today))
            .map_err(|e| WebError::from(AppError::from(e)))?;
    let (bytes, ctype) = if format == "html" {
        (
            gongkai_letters::to_html(&letter).into_bytes(),
            "text/html; charset=utf-8",
        )
    } else {
        (
            gongkai_letters::to_docx(&letter).map_err(|e| {
                WebError::from(AppError::internal("cannot write the DOCX letter", e))
            })?,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    };
    let name = format!("{}-{}.{format}", case.number, kind.key());
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

#[derive(Template)]
#[template(path = "staff/case_new.html")]
struct NewPage {
    page: Page,
    nav: crate::staff::nav::StaffNav,
    csrf: String,
    v: FormFields,
    errors: FormErrors,
    channels: Vec<Opt>,
    applicant_types: Vec<Opt>,
    id_types: Vec<Opt>,
    deliveries: Vec<Opt>,
    media: Vec<(Opt, bool)>,
    agencies: Vec<Opt>,
    today: String,
}

async fn new_page(
    s: &WebState,
    staff: &Staff,
    headers: &HeaderMap,
    v: FormFields,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, WebError> {
    crate::staff::nav::Section::Register.check(staff.actor())?;
    let agencies = gongkai_app::agency::list(&s.app).await?;
    let mut visible = Vec::new();
    for a in agencies {
        if gongkai_app::access::sees_agency(&s.app, staff.actor(), a.agency.id.get()).await? {
            visible.push((a.agency.id.get().to_string(), a.agency.name.clone()));
        }
    }
    let ticked = v.all("media");
    let page = NewPage {
        nav: crate::staff::nav::StaffNav::new(
            staff,
            crate::staff::nav::Section::Register,
            "/staff/cases/new",
        )?,
        page: Page::new("登记申请", "/staff/cases/new", headers)
            .crumb("工作台", "/staff")
            .crumb("依申请公开", "/staff/cases")
            .crumb("登记申请", "/staff/cases/new"),
        csrf: staff.csrf_token()?,
        channels: opts(
            Channel::ALL
                .iter()
                .filter(|c| **c != Channel::Online)
                .map(|c| (c.key(), c.label())),
            v.get("channel"),
        ),
        applicant_types: opts(
            ApplicantType::ALL.iter().map(|t| (t.key(), t.label())),
            v.get("applicant_type"),
        ),
        id_types: opts(
            IdType::ALL.iter().map(|t| (t.key(), t.label())),
            v.get("id_type"),
        ),
        deliveries: opts(
            Delivery::ALL.iter().map(|d| (d.key(), d.label())),
            v.get("delivery"),
        ),
        media: Medium::ALL
            .iter()
            .map(|m| {
                let on = ticked.iter().any(|t| t == m.key());
                (
                    Opt {
                        value: m.key().into(),
                        label: m.label().into(),
                        selected: on,
                    },
                    on,
                )
            })
            .collect(),
        agencies: opts(
            visible.iter().map(|(a, b)| (a.as_str(), b.as_str())),
            v.get("agency"),
        ),
        today: gongkai_core::calendar::iso(today(s)),
        v,
        errors,
    };
    render(status, &page)
}

async fn new_form(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    new_page(
        &s,
        &staff,
        &headers,
        FormFields::default(),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// `POST /staff/cases/new`: registers the application and opens its page.
async fn register(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    form: Result<axum::Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, WebError> {
    let f = fields(form)?;
    staff.check_csrf(&headers, f.get(crate::csrf::FIELD))?;
    let today = today(&s);
    let agency = f.get("agency").trim().to_string();
    let agency_key = match agency.parse::<i64>() {
        Ok(id) => match gongkai_app::agency::list(&s.app)
            .await?
            .into_iter()
            .find(|a| a.agency.id.get() == id)
        {
            Some(a) => a.agency.name,
            None => agency.clone(),
        },
        Err(_) => agency.clone(),
    };
    let parsed = match parse_registration_form(&f, &agency_key, today) {
        Ok(p) => p,
        Err(errors) => {
            return new_page(
                &s,
                &staff,
                &headers,
                f,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match application::register_with_provision(
        &s.app,
        staff.actor(),
        parsed.registration,
        Some(parsed.provision),
        today,
    )
    .await
    {
        Ok(r) => {
            Ok(Redirect::to(&format!("/staff/cases/{}?registered=1", r.number)).into_response())
        }
        Err(e) if matches!(e.kind(), gongkai_app::error::ErrorKind::Invalid) => {
            use gongkai_app::error::Localized;
            let errors = FormErrors(vec![gongkai_core::application::FieldError {
                field: "arrived_on",
                message: e.zh(),
            }]);
            new_page(
                &s,
                &staff,
                &headers,
                f,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
