//! Remedy cases (行政复议, 行政诉讼) in the back office, the records table 四 of the annual
//! report counts (docs/rules/annual-report.md#table-四-remedy-cases): the list by year, the
//! form to add one (the application chosen from the agency's cases by 申请编号), and a page per
//! case with its decision form and history. Role and scope checks are the use cases'
//! (`gongkai_app::remedy`); a number holds Chinese characters, so it is percent-encoded in
//! every address.

use super::Staff;
use super::common::{Opt, fields, opts, render, today};
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
use gongkai_app::AppError;
use gongkai_app::application::FormFields;
use gongkai_app::error::{ErrorKind, Localized};
use gongkai_app::remedy::{self, DecisionInput, RemedyFilter, RemedyInput, RemedyView};
use gongkai_core::calendar::{iso, parse_iso_date};
use gongkai_core::remedy::{RemedyKind, RemedyOutcome};
use serde::Deserialize;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/staff/remedies", get(list))
        .route("/staff/remedies/new", get(new_form).post(add))
        .route("/staff/remedies/{remedy}", get(show))
        .route("/staff/remedies/{remedy}/decide", post(decide))
}

/// The address of a case's page.
fn href(number: &str) -> String {
    format!("/staff/remedies/{}", encode(number))
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The list's filters.
#[derive(Deserialize, Default)]
struct ListQuery {
    /// Filed in this year.
    year: Option<String>,
    /// `1`: only cases not yet decided.
    pending: Option<String>,
}

/// One row of the list.
struct Row {
    href: String,
    number: String,
    kind: &'static str,
    concerns: String,
    application_href: Option<String>,
    body: String,
    filed_on: String,
    status: &'static str,
    decided_on: String,
    agency: String,
    override_mark: bool,
}

#[derive(Template)]
#[template(path = "staff/remedy_list.html")]
struct ListPage {
    page: Page,
    nav: StaffNav,
    rows: Vec<Row>,
    year: String,
    pending: bool,
    can_add: bool,
}

fn row(c: &RemedyView) -> Row {
    let (concerns, application_href) = match (&c.application, &c.subject) {
        (Some(n), _) => (format!("申请编号{n}"), Some(format!("/staff/cases/{n}"))),
        (None, Some(s)) => (s.clone(), None),
        (None, None) => (String::new(), None),
    };
    Row {
        href: href(&c.number),
        number: c.number.clone(),
        kind: c.kind_label,
        concerns,
        application_href,
        body: c.body.clone(),
        filed_on: iso(c.filed_on),
        status: c.outcome_label,
        decided_on: c.decided_on.map(iso).unwrap_or_default(),
        agency: c.agency.clone(),
        override_mark: c.court_accepted_direct,
    }
}

async fn list(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let year = nonempty(&q.year)
        .map(|y| {
            y.parse::<i32>()
                .ok()
                .filter(|y| (2008..=9999).contains(y))
                .ok_or_else(|| WebError::bad_request("年份有误"))
        })
        .transpose()?;
    let pending = nonempty(&q.pending).is_some_and(|p| p == "1");
    let cases = remedy::list(
        &s.app,
        staff.actor(),
        &RemedyFilter {
            agency: None,
            year,
            pending_only: pending,
        },
    )
    .await?;
    let page = ListPage {
        nav: StaffNav::new(&staff, Section::Cases, "/staff/remedies")?,
        page: Page::new("行政复议和行政诉讼", "/staff/remedies", &headers)
            .crumb("工作台", "/staff")
            .crumb("行政复议和行政诉讼", "/staff/remedies"),
        rows: cases.iter().map(row).collect(),
        year: year.map(|y| y.to_string()).unwrap_or_default(),
        pending,
        can_add: remedy::may_write(staff.actor()).is_ok(),
    };
    render(StatusCode::OK, &page)
}

/// The form's query: which agency's applications to offer.
#[derive(Deserialize, Default)]
struct NewQuery {
    agency: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/remedy_new.html")]
struct NewPage {
    page: Page,
    nav: StaffNav,
    csrf: String,
    v: FormFields,
    errors: Vec<String>,
    /// The agencies the user may choose (more than one: the choice is shown).
    agencies: Vec<Opt>,
    /// The chosen agency's id and name.
    agency_id: String,
    agency_name: String,
    kinds: Vec<Opt>,
    applications: Vec<Opt>,
    reviews: Vec<Opt>,
    today: String,
}

/// The agencies `staff` may record remedy cases for: (id, name).
async fn agencies(s: &WebState, staff: &Staff) -> Result<Vec<(String, String)>, WebError> {
    let mut out = Vec::new();
    for a in gongkai_app::agency::list(&s.app).await? {
        if gongkai_app::access::sees_agency(&s.app, staff.actor(), a.agency.id.get()).await? {
            out.push((a.agency.id.get().to_string(), a.agency.name.clone()));
        }
    }
    Ok(out)
}

async fn new_page(
    s: &WebState,
    staff: &Staff,
    headers: &HeaderMap,
    chosen: &str,
    v: FormFields,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    remedy::may_write(staff.actor())?;
    let visible = agencies(s, staff).await?;
    let own = staff.actor().agency.map(|a| a.get().to_string());
    let (agency_id, agency_name) = visible
        .iter()
        .find(|(id, _)| id == chosen)
        .or_else(|| visible.iter().find(|(id, _)| Some(id) == own.as_ref()))
        .or_else(|| visible.first())
        .cloned()
        .unwrap_or_default();
    let (applications, reviews) = if agency_name.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        let apps = remedy::application_choices(&s.app, staff.actor(), &agency_name).await?;
        let reviews = remedy::list(
            &s.app,
            staff.actor(),
            &RemedyFilter {
                agency: Some(agency_name.clone()),
                ..RemedyFilter::default()
            },
        )
        .await?;
        let mut a = vec![(
            String::new(),
            "（不涉及依申请公开，请填写案由）".to_string(),
        )];
        a.extend(apps.into_iter().map(|c| {
            let label = match c.outcome_label {
                Some(o) => format!("{}（{}收到，{o}）", c.number, iso(c.received_on)),
                None => format!("{}（{}收到，尚未答复）", c.number, iso(c.received_on)),
            };
            (c.number, label)
        }));
        let mut r = vec![(String::new(), "（无）".to_string())];
        r.extend(
            reviews
                .into_iter()
                .filter(|c| c.kind == RemedyKind::Review)
                .map(|c| {
                    let label = format!(
                        "{}（{}申请，{}）",
                        c.number,
                        iso(c.filed_on),
                        c.outcome_label
                    );
                    (c.number, label)
                }),
        );
        (a, r)
    };
    let page = NewPage {
        nav: StaffNav::new(staff, Section::Cases, "/staff/remedies/new")?,
        page: Page::new("登记行政复议、行政诉讼案件", "/staff/remedies/new", headers)
            .crumb("工作台", "/staff")
            .crumb("行政复议和行政诉讼", "/staff/remedies")
            .crumb("登记案件", "/staff/remedies/new"),
        csrf: staff.csrf_token()?,
        agencies: if visible.len() > 1 {
            opts(
                visible.iter().map(|(a, b)| (a.as_str(), b.as_str())),
                &agency_id,
            )
        } else {
            Vec::new()
        },
        kinds: opts(
            RemedyKind::ALL.iter().map(|k| (k.key(), k.label())),
            v.get("kind"),
        ),
        applications: opts(
            applications.iter().map(|(a, b)| (a.as_str(), b.as_str())),
            v.get("application"),
        ),
        reviews: opts(
            reviews.iter().map(|(a, b)| (a.as_str(), b.as_str())),
            v.get("after_review"),
        ),
        agency_id,
        agency_name,
        today: iso(today(s)),
        v,
        errors,
    };
    render(status, &page)
}

async fn new_form(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Query(q): Query<NewQuery>,
) -> Result<Response, WebError> {
    let chosen = nonempty(&q.agency).unwrap_or("").to_string();
    new_page(
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

fn text(f: &FormFields, name: &str) -> Option<String> {
    let v = f.get(name).trim();
    (!v.is_empty()).then(|| v.to_string())
}

/// The form's fields as the use case's input, or what is wrong with them.
fn parse_new(f: &FormFields, agency: String) -> Result<RemedyInput, Vec<String>> {
    let mut errors = Vec::new();
    let kind = RemedyKind::parse(f.get("kind"));
    if kind.is_none() {
        errors.push("请选择案件类型（行政复议、未经复议直接起诉或复议后起诉）".to_string());
    }
    let filed_on = parse_iso_date(f.get("filed_on"));
    if filed_on.is_none() {
        errors.push("请填写申请复议或起诉的日期（年-月-日）".to_string());
    }
    match (kind, filed_on) {
        (Some(kind), Some(filed_on)) if errors.is_empty() => Ok(RemedyInput {
            agency,
            kind,
            application: text(f, "application"),
            subject: text(f, "subject"),
            after_review: text(f, "after_review"),
            body: f.get("body").to_string(),
            filed_on,
            case_number: text(f, "case_number"),
            note: text(f, "note"),
            court_accepted_direct: f.get("court_accepted_direct") == "1",
            override_note: text(f, "override_note"),
        }),
        _ => Err(errors),
    }
}

/// `POST /staff/remedies/new`: adds the case and opens its page.
async fn add(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    form: Result<axum::Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, WebError> {
    let f = fields(form)?;
    staff.check_csrf(&headers, f.get(crate::csrf::FIELD))?;
    remedy::may_write(staff.actor())?;
    let chosen = f.get("agency").trim().to_string();
    let agency = agencies(&s, &staff)
        .await?
        .into_iter()
        .find(|(id, _)| *id == chosen)
        .map(|(_, name)| name)
        .ok_or_else(WebError::not_found)?;
    let input = match parse_new(&f, agency) {
        Ok(i) => i,
        Err(errors) => {
            return new_page(
                &s,
                &staff,
                &headers,
                &chosen,
                f,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match remedy::add(&s.app, staff.actor(), input, today(&s)).await {
        Ok(c) => Ok(Redirect::to(&format!("{}?added=1", href(&c.number))).into_response()),
        Err(e) if matches!(e.kind(), ErrorKind::Invalid | ErrorKind::Refused) => {
            let status = status_of(&e);
            new_page(&s, &staff, &headers, &chosen, f, vec![e.zh()], status).await
        }
        Err(e) => Err(e.into()),
    }
}

fn status_of(e: &AppError) -> StatusCode {
    StatusCode::from_u16(e.kind().http_status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY)
}

/// One entry of the history, for the page.
struct HistoryRow {
    seq: i64,
    what: &'static str,
    decision: String,
    reason: String,
    actor: String,
    at: String,
}

#[derive(Template)]
#[template(path = "staff/remedy.html")]
struct CasePage {
    page: Page,
    nav: StaffNav,
    csrf: String,
    c: RemedyView,
    href: String,
    after_review_href: Option<String>,
    filed_on: String,
    decided_on: String,
    history: Vec<HistoryRow>,
    can_write: bool,
    done: Option<&'static str>,
    error: Option<String>,
    outcomes: Vec<Opt>,
    on: String,
    reason: String,
    today: String,
}

#[derive(Deserialize, Default)]
struct ShowQuery {
    added: Option<String>,
    decided: Option<String>,
}

async fn case_page(
    s: &WebState,
    staff: &Staff,
    headers: &HeaderMap,
    c: RemedyView,
    done: Option<&'static str>,
    form: (Option<String>, &FormFields),
    status: StatusCode,
) -> Result<Response, WebError> {
    let path = href(&c.number);
    let (error, v) = form;
    let history = c
        .history
        .iter()
        .map(|h| HistoryRow {
            seq: h.seq,
            what: h.what_label,
            decision: match (h.decided_on, h.outcome_label) {
                (Some(on), Some(label)) => format!("{} {label}", iso(on)),
                _ => String::new(),
            },
            reason: h.reason.clone().unwrap_or_default(),
            actor: h.actor.clone(),
            at: super::beijing(h.at),
        })
        .collect();
    let page = CasePage {
        nav: StaffNav::new(staff, Section::Cases, "/staff/remedies")?,
        page: Page::new(format!("{} {}", c.kind_label, c.number), &path, headers)
            .crumb("工作台", "/staff")
            .crumb("行政复议和行政诉讼", "/staff/remedies")
            .crumb(c.number.clone(), path.clone()),
        csrf: staff.csrf_token()?,
        after_review_href: c.after_review.as_deref().map(href),
        filed_on: iso(c.filed_on),
        decided_on: c.decided_on.map(iso).unwrap_or_default(),
        history,
        can_write: remedy::may_write(staff.actor()).is_ok(),
        done,
        error,
        outcomes: opts(
            RemedyOutcome::ALL.iter().map(|o| (o.key(), o.label())),
            v.get("outcome"),
        ),
        on: v.get("on").to_string(),
        reason: v.get("reason").to_string(),
        today: iso(today(s)),
        href: path,
        c,
    };
    render(status, &page)
}

async fn show(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Path(number): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, WebError> {
    let c = remedy::show(&s.app, staff.actor(), &number).await?;
    let done = if q.decided.is_some() {
        Some("审结结果已登记。")
    } else if q.added.is_some() {
        Some("案件已登记。")
    } else {
        None
    };
    let none = FormFields::default();
    case_page(&s, &staff, &headers, c, done, (None, &none), StatusCode::OK).await
}

/// `POST /staff/remedies/{remedy}/decide`: records the decision (a correction of a recorded
/// one needs its reason) and opens the case's page.
async fn decide(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Path(number): Path<String>,
    form: Result<axum::Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, WebError> {
    let f = fields(form)?;
    staff.check_csrf(&headers, f.get(crate::csrf::FIELD))?;
    remedy::may_write(staff.actor())?;
    let on = parse_iso_date(f.get("on"));
    let outcome = RemedyOutcome::parse(f.get("outcome"));
    let parsed = match (on, outcome) {
        (Some(on), Some(outcome)) => Ok(DecisionInput {
            on,
            outcome,
            reason: text(&f, "reason"),
        }),
        (None, _) => Err("请填写审结日期（年-月-日）"),
        (_, None) => Err("请选择审结结果（结果维持、结果纠正或其他结果）"),
    };
    let result = match parsed {
        Ok(input) => remedy::decide(&s.app, staff.actor(), &number, input, today(&s)).await,
        Err(message) => {
            // The case must exist and be visible before its form is shown again.
            let c = remedy::show(&s.app, staff.actor(), &number).await?;
            return case_page(
                &s,
                &staff,
                &headers,
                c,
                None,
                (Some(message.to_string()), &f),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match result {
        Ok(c) => Ok(Redirect::to(&format!("{}?decided=1", href(&c.number))).into_response()),
        Err(e) if matches!(e.kind(), ErrorKind::Invalid | ErrorKind::Refused) => {
            let c = remedy::show(&s.app, staff.actor(), &number).await?;
            let status = status_of(&e);
            case_page(&s, &staff, &headers, c, None, (Some(e.zh()), &f), status).await
        }
        Err(e) => Err(e.into()),
    }
}
