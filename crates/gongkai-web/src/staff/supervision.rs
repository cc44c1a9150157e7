//! Supervision in the back office (docs/supervision.md): the region's units and where each
//! report stands (`/staff/supervision`), the aggregate with every cell drilling down to the
//! units (`…/rollup`, `…/cell`), one unit's report with its reviews and the accept/return
//! forms (`…/units/{id}/{year}`), and importing a unit's published report (`…/import`). Every
//! check is the use case's (`gongkai_app::supervision`).

use super::Staff;
use super::common::{render, today};
use super::nav::{Section, StaffNav};
use crate::page::{Page, encode};
use crate::{WebError, WebState};
use askama::Template;
use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use gongkai_app::error::{ErrorKind, Localized};
use gongkai_app::supervision::intake::{self, UnitFile};
use gongkai_app::supervision::records::{CellOrigin, UnitCell, unit_cell};
use gongkai_app::supervision::review::{self, Decision, Reason};
use gongkai_app::supervision::rollup::{self, Drill, UnitEntry};
use gongkai_app::supervision::unit::{Leagues, StateCounts, UnitReport, leagues, unit_report};
use gongkai_app::supervision::{UnitState, regions_in_reach, supervised_region_id};
use serde::Deserialize;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/staff/supervision", get(dashboard))
        .route("/staff/supervision/rollup", get(rollup_page))
        .route("/staff/supervision/cell", get(cell_page))
        .route("/staff/supervision/rollup/{format}", get(rollup_file))
        .route("/staff/supervision/export/{format}", get(units_file))
        .route("/staff/supervision/units/{agency}/{year}", get(unit_page))
        .route(
            "/staff/supervision/units/{agency}/{year}/cell",
            get(unit_cell_page),
        )
        .route(
            "/staff/supervision/units/{agency}/{year}/review",
            post(review_post),
        )
        .route(
            "/staff/supervision/import",
            post(import_post).layer(super::office::catalog_attach::body_limit()),
        )
}

/// Units listed per page of the dashboard.
const PER_PAGE: usize = 100;

#[derive(Deserialize)]
pub struct RegionQuery {
    region: Option<String>,
    year: Option<String>,
    state: Option<String>,
    page: Option<String>,
    cell: Option<String>,
    done: Option<String>,
}

/// The region (its id in the query, else the user's own) and the year (else last year).
async fn region_year(
    s: &WebState,
    staff: &Staff,
    q: &RegionQuery,
) -> Result<(gongkai_app::supervision::Region, i32), WebError> {
    let id = match q.region.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(v) => Some(v.parse::<i64>().map_err(|_| WebError::not_found())?),
    };
    let region = supervised_region_id(&s.app, staff.actor(), id).await?;
    Ok((region, year_of(s, q.year.as_deref())?))
}

fn year_of(s: &WebState, year: Option<&str>) -> Result<i32, WebError> {
    let last = today(s).year() - 1;
    match year.map(str::trim) {
        None | Some("") => Ok(last),
        Some(y) => y
            .parse::<i32>()
            .ok()
            .filter(|y| (2008..=last + 1).contains(y))
            .ok_or_else(|| WebError::bad_request(format!("年份“{y}”有误"))),
    }
}

/// One unit's row on the dashboard.
pub struct UnitRow {
    pub u: UnitEntry,
    /// 予以公开 as a share of 办理结果 (本年新收 + 上年结转 − 结转下年度), when known.
    pub granted_share: String,
}

#[derive(Template)]
#[template(path = "staff/supervision.html")]
struct DashboardPage {
    page: Page,
    nav: StaffNav,
    csrf: String,
    region_id: i64,
    path: String,
    year: i32,
    years: Vec<i32>,
    regions: Vec<(i64, String, bool)>,
    counts: StateCounts,
    state: String,
    states: Vec<(&'static str, &'static str, bool)>,
    rows: Vec<UnitRow>,
    pages: Vec<(usize, bool)>,
    done: Option<&'static str>,
    leagues: Leagues,
    /// The units by state as an inline SVG bar chart.
    chart: String,
}

async fn dashboard(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Query(q): Query<RegionQuery>,
) -> Result<Response, WebError> {
    let (region, year) = region_year(&s, &staff, &q).await?;
    let (path, units) = rollup::units_of(&s.app, &region, year).await?;
    let counts = StateCounts::of(&units);
    let leagues = leagues(&s.app, &region, year, &units).await?;
    let chart = bar_chart(
        "各单位报送状态",
        &[
            (UnitState::Missing.label(), counts.missing),
            (UnitState::Pending.label(), counts.pending),
            (UnitState::Accepted.label(), counts.accepted),
            (UnitState::Returned.label(), counts.returned),
            ("未计入汇总", counts.excluded),
        ],
    );
    let state = q.state.clone().unwrap_or_default();
    let wanted = |u: &UnitEntry| match state.as_str() {
        "" => true,
        "excluded" => u.origin.is_some() && !u.included,
        "anomalous" => !u.anomalies.is_empty(),
        key => u.state.key() == key,
    };
    let listed: Vec<UnitEntry> = units.into_iter().filter(|u| wanted(u)).collect();
    let pages = listed.len().div_ceil(PER_PAGE).max(1);
    let page_no = q
        .page
        .as_deref()
        .and_then(|p| p.parse::<usize>().ok())
        .filter(|p| (1..=pages).contains(p))
        .unwrap_or(1);
    let rows = listed
        .into_iter()
        .skip((page_no - 1) * PER_PAGE)
        .take(PER_PAGE)
        .map(|u| UnitRow {
            granted_share: share(u.granted, u.received, u.carried_over, u.carried_forward),
            u,
        })
        .collect();
    let regions = regions_in_reach(&s.app, staff.actor())
        .await?
        .into_iter()
        .map(|(id, p)| (id, p, id == region.id))
        .collect();
    let states = [
        ("", "全部"),
        ("missing", UnitState::Missing.label()),
        ("pending", UnitState::Pending.label()),
        ("accepted", UnitState::Accepted.label()),
        ("returned", UnitState::Returned.label()),
        ("excluded", "未计入汇总"),
        ("anomalous", "跨年度异常"),
    ]
    .into_iter()
    .map(|(k, l)| (k, l, k == state))
    .collect();
    let last = today(&s).year() - 1;
    render(
        StatusCode::OK,
        &DashboardPage {
            nav: StaffNav::new(&staff, Section::Supervision, "/staff/supervision")?,
            page: Page::new(
                format!("{path} {year}年度 年报汇总"),
                "/staff/supervision",
                &headers,
            )
            .crumb("工作台", "/staff")
            .crumb("监督汇总", "/staff/supervision"),
            csrf: staff.csrf_token()?,
            region_id: region.id,
            path,
            year,
            years: (2019..=last + 1).rev().collect(),
            regions,
            counts,
            state,
            states,
            rows,
            pages: (1..=pages).map(|p| (p, p == page_no)).collect(),
            done: q.done.as_deref().and_then(done_message),
            leagues,
            chart,
        },
    )
}

/// A horizontal bar chart as inline SVG: one bar a row, its label and count beside it. Drawn
/// with attributes only (no `style`), so the page's CSP holds; `title` names it for readers.
fn bar_chart(title: &str, bars: &[(&str, usize)]) -> String {
    const ROW: usize = 28;
    const LABEL: usize = 96;
    const WIDTH: usize = 360;
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let height = ROW * bars.len() + 8;
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" aria-labelledby=\"chart-title\" width=\"{}\" height=\"{height}\" viewBox=\"0 0 {} {height}\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"chart-title\">{}</title>",
        LABEL + WIDTH + 64,
        LABEL + WIDTH + 64,
        askama::filters::escape(title, askama::filters::Html)
            .map(|e| e.to_string())
            .unwrap_or_default()
    );
    for (i, (label, n)) in bars.iter().enumerate() {
        let y = i * ROW + 4;
        let w = n * WIDTH / max;
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"14\" fill=\"#333\">{label}</text><rect x=\"{LABEL}\" y=\"{y}\" width=\"{w}\" height=\"20\" fill=\"#b22222\"/><text x=\"{}\" y=\"{}\" font-size=\"14\" fill=\"#333\">{n}</text>",
            LABEL - 8,
            y + 15,
            LABEL + w + 6,
            y + 15
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// `予以公开 / 办理结果总计` as a percentage, e.g. `62.5%`; `—` when unknown or zero.
fn share(
    granted: Option<i64>,
    received: Option<i64>,
    over: Option<i64>,
    fwd: Option<i64>,
) -> String {
    match (granted, received, over, fwd) {
        (Some(g), Some(r), Some(o), Some(f)) if r + o - f > 0 => {
            format!("{:.1}%", g as f64 * 100.0 / (r + o - f) as f64)
        }
        _ => "—".into(),
    }
}

fn done_message(key: &str) -> Option<&'static str> {
    Some(match key {
        "imported" => "已导入。",
        "accept" => "已接收。",
        "return" => "已退回，理由已记录。",
        _ => return None,
    })
}

#[derive(Template)]
#[template(path = "staff/supervision_rollup.html")]
struct RollupPage {
    page: Page,
    nav: StaffNav,
    region_id: i64,
    path: String,
    year: i32,
    counts: StateCounts,
    article: String,
    downloads: [(&'static str, &'static str); 5],
}

async fn rollup_page(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Query(q): Query<RegionQuery>,
) -> Result<Response, WebError> {
    let (region, year) = region_year(&s, &staff, &q).await?;
    let region_id = region.id;
    let r = rollup::rollup_of(&s.app, region, year).await?;
    let checks = gongkai_core::report::check(&r.report, None);
    let prefix = format!("/staff/supervision/cell?region={region_id}&year={year}&cell=");
    let unreadable: Vec<gongkai_report::UnreadableCell> = r
        .report
        .gaps
        .iter()
        .map(|g| gongkai_report::UnreadableCell {
            cell: match g.of {
                gongkai_core::report::GapOf::Cell(c) => Some(c),
                _ => None,
            },
            message: g.message.clone(),
        })
        .collect();
    let article = gongkai_report::html_article_annotated(
        &r.report,
        &gongkai_report::Annotations {
            checks: Some(&checks),
            unreadable: &unreadable,
            cell_href: Some(&prefix),
        },
    );
    let here = format!("/staff/supervision/rollup?region={region_id}&year={year}");
    render(
        StatusCode::OK,
        &RollupPage {
            nav: StaffNav::new(&staff, Section::Supervision, "/staff/supervision")?,
            page: Page::new(format!("{} {year}年度 汇总表", r.path), &here, &headers)
                .crumb("工作台", "/staff")
                .crumb(
                    "监督汇总",
                    format!("/staff/supervision?region={region_id}&year={year}"),
                )
                .crumb("汇总表", &here),
            region_id,
            counts: StateCounts::of(&r.units),
            path: r.path,
            year,
            article,
            downloads: crate::reports::DOWNLOADS,
        },
    )
}

#[derive(Template)]
#[template(path = "staff/supervision_cell.html")]
struct CellPage {
    page: Page,
    nav: StaffNav,
    region_id: i64,
    year: i32,
    d: Drill,
}

async fn cell_page(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Query(q): Query<RegionQuery>,
) -> Result<Response, WebError> {
    let (region, year) = region_year(&s, &staff, &q).await?;
    let cell = q.cell.clone().unwrap_or_default();
    let path = rollup::units_of(&s.app, &region, year).await?.0;
    let d = rollup::drill(&s.app, staff.actor(), &path, year, &cell).await?;
    let here = format!(
        "/staff/supervision/cell?region={}&year={year}&cell={}",
        region.id,
        encode(&cell)
    );
    let back = format!("/staff/supervision/rollup?region={}&year={year}", region.id);
    render(
        StatusCode::OK,
        &CellPage {
            nav: StaffNav::new(&staff, Section::Supervision, "/staff/supervision")?,
            page: Page::new(format!("{} — {}", d.label, path), &here, &headers)
                .crumb("工作台", "/staff")
                .crumb(
                    "监督汇总",
                    format!("/staff/supervision?region={}&year={year}", region.id),
                )
                .crumb("汇总表", &back)
                .crumb(d.label.clone(), &here),
            region_id: region.id,
            year,
            d,
        },
    )
}

#[derive(Template)]
#[template(path = "staff/supervision_unit.html")]
struct UnitPage {
    page: Page,
    nav: StaffNav,
    csrf: String,
    u: UnitReport,
    article: Option<String>,
    done: Option<&'static str>,
    error: Option<String>,
    reasons: String,
}

fn parse_year(year: &str) -> Result<i32, WebError> {
    year.parse().map_err(|_| WebError::not_found())
}

/// The unit's key for the use cases, from the id in the path (404 when there is none).
async fn unit_key(s: &WebState, id: &str) -> Result<String, WebError> {
    let id: i64 = id.parse().map_err(|_| WebError::not_found())?;
    gongkai_app::supervision::unit_key(&s.app, id)
        .await
        .map_err(|_| WebError::not_found())
}

async fn unit_page(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Path((id, year)): Path<(String, String)>,
    Query(q): Query<RegionQuery>,
) -> Result<Response, WebError> {
    let done = q.done.as_deref().and_then(done_message);
    show_unit(&s, &staff, &headers, &id, &year, done, None, String::new()).await
}

#[allow(clippy::too_many_arguments)]
async fn show_unit(
    s: &WebState,
    staff: &Staff,
    headers: &HeaderMap,
    id: &str,
    year: &str,
    done: Option<&'static str>,
    error: Option<(StatusCode, String)>,
    reasons: String,
) -> Result<Response, WebError> {
    let key = unit_key(s, id).await?;
    let y = parse_year(year)?;
    let u = unit_report(&s.app, staff.actor(), &key, y).await?;
    // Every cell links to where its figure came from (records, entry, place in the file).
    let prefix = format!("/staff/supervision/units/{id}/{y}/cell?cell=");
    let article = u.report.as_ref().map(|r| {
        let checks = gongkai_core::report::check(r, None);
        gongkai_report::html_article_annotated(
            r,
            &gongkai_report::Annotations {
                checks: Some(&checks),
                unreadable: &[],
                cell_href: Some(&prefix),
            },
        )
    });
    let here = format!("/staff/supervision/units/{id}/{y}");
    let title = format!("{}{}年度报告", u.agency, y);
    let (status, error) = match error {
        Some((st, e)) => (st, Some(e)),
        None => (StatusCode::OK, None),
    };
    render(
        status,
        &UnitPage {
            nav: StaffNav::new(staff, Section::Supervision, "/staff/supervision")?,
            page: Page::new(title.clone(), &here, headers)
                .crumb("工作台", "/staff")
                .crumb("监督汇总", format!("/staff/supervision?year={y}"))
                .crumb(title, &here),
            csrf: staff.csrf_token()?,
            u,
            article,
            done,
            error,
            reasons,
        },
    )
}

#[derive(Template)]
#[template(path = "staff/supervision_unit_cell.html")]
struct UnitCellPage {
    page: Page,
    nav: StaffNav,
    c: UnitCell,
}

/// One cell of a unit's report traced to its records (docs/supervision.md#drill-down).
async fn unit_cell_page(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Path((id, year)): Path<(String, String)>,
    Query(q): Query<RegionQuery>,
) -> Result<Response, WebError> {
    let key = unit_key(&s, &id).await?;
    let y = parse_year(&year)?;
    let cell = q.cell.clone().unwrap_or_default();
    let c = unit_cell(&s.app, staff.actor(), &key, y, &cell).await?;
    let report = format!("/staff/supervision/units/{id}/{y}");
    let here = format!("{report}/cell?cell={}", encode(&cell));
    let title = format!("{}{}年度报告", c.agency, y);
    render(
        StatusCode::OK,
        &UnitCellPage {
            nav: StaffNav::new(&staff, Section::Supervision, "/staff/supervision")?,
            page: Page::new(format!("{} — {}", c.label, c.agency), &here, &headers)
                .crumb("工作台", "/staff")
                .crumb("监督汇总", format!("/staff/supervision?year={y}"))
                .crumb(title, &report)
                .crumb(c.label.clone(), &here),
            c,
        },
    )
}

async fn review_post(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Path((id, year)): Path<(String, String)>,
    body: Result<axum::Form<Vec<(String, String)>>, FormRejection>,
) -> Result<Response, WebError> {
    gongkai_app::supervision::require_supervisor(
        staff.actor(),
        "review a unit's report",
        "审核下级单位年度报告",
    )?;
    let f = super::common::fields(body)?;
    staff.check_csrf(&headers, f.get(crate::csrf::FIELD))?;
    let key = unit_key(&s, &id).await?;
    let y = parse_year(&year)?;
    let decision = match f.get("decision") {
        "accept" => Decision::Accept,
        "return" => Decision::Return,
        _ => return Err(WebError::bad_request("未知的审核决定")),
    };
    let typed = f.get("reasons").to_string();
    let reasons: Vec<Reason> = typed
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(Reason::parse)
        .collect();
    match review::review(
        &s.app,
        staff.actor(),
        &key,
        y,
        decision,
        &reasons,
        s.clock.now(),
    )
    .await
    {
        Ok(_) => Ok(see(&format!(
            "/staff/supervision/units/{id}/{y}?done={}",
            if decision == Decision::Accept {
                "accept"
            } else {
                "return"
            }
        ))),
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::Invalid | ErrorKind::Conflict | ErrorKind::Refused
            ) =>
        {
            let zh = e.zh();
            let status = WebError::from(e).status;
            show_unit(
                &s,
                &staff,
                &headers,
                &id,
                &year,
                None,
                Some((status, zh)),
                typed,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The region's own report generated from the aggregate, as a file (`docx`, `pdf`, `xlsx`,
/// `json`, `html`).
async fn rollup_file(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Path(format): Path<String>,
    Query(q): Query<RegionQuery>,
) -> Result<Response, WebError> {
    let (region, year) = region_year(&s, &staff, &q).await?;
    let format =
        gongkai_app::report::export::Format::from_key(&format).ok_or_else(WebError::not_found)?;
    let r = rollup::rollup_of(&s.app, region, year).await?;
    let bytes = crate::reports::render_file(&s, r.report.clone(), format).await?;
    Ok(crate::reports::file_response(
        bytes.into(),
        &r.report,
        None,
        format,
        &headers,
    ))
}

/// Every unit's cells for the year as one table: `csv`, `xlsx` or `json`.
async fn units_file(
    State(s): State<WebState>,
    staff: Staff,
    Path(format): Path<String>,
    Query(q): Query<RegionQuery>,
) -> Result<Response, WebError> {
    let (region, year) = region_year(&s, &staff, &q).await?;
    let table = gongkai_app::supervision::export::units_table(&s.app, &region, year).await?;
    let (bytes, media, ext) = match format.as_str() {
        "csv" => (table.csv().into_bytes(), "text/csv; charset=utf-8", "csv"),
        "xlsx" => (
            table.xlsx("各单位数据")?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        "json" => (table.json().into_bytes(), "application/json", "json"),
        _ => return Err(WebError::not_found()),
    };
    let name = format!("{}{year}年度各单位年报数据.{ext}", region.name);
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, media.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"units-{year}.{ext}\"; filename*=UTF-8''{}",
                    encode(&name)
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}

fn see(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response()
}

/// The longest text field of the import form.
const MAX_TEXT: usize = 4096;

/// `POST /staff/supervision/import` (`multipart/form-data`): the CSRF token first, then the
/// unit, the year (optional) and the file, read up to the importer's size limit.
async fn import_post(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, WebError> {
    gongkai_app::supervision::require_supervisor(
        staff.actor(),
        "import a unit's report",
        "导入下级单位年度报告",
    )?;
    let unreadable = || WebError::bad_request("上传的表单无法读取，请重新选择文件后提交");
    let mut form = form.map_err(|_| unreadable())?;
    let options = gongkai_app::import::Options::default();
    let max = usize::try_from(options.max_size).unwrap_or(usize::MAX - 1);
    let (mut checked, mut unit, mut year, mut file) = (false, String::new(), String::new(), None);
    let mut parts = 0;
    while let Some(mut field) =
        super::office::catalog_attach::next_part(&mut form, &mut parts).await?
    {
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "csrf_token" => {
                let token =
                    super::office::catalog_attach::read_capped(&mut field, MAX_TEXT).await?;
                staff.check_csrf(&headers, &String::from_utf8_lossy(&token))?;
                checked = true;
            }
            "file" if checked => {
                let file_name = field
                    .file_name()
                    .unwrap_or("")
                    .rsplit(['/', '\\'])
                    .next()
                    .unwrap_or("")
                    .to_string();
                let bytes = super::office::catalog_attach::read_capped(&mut field, max).await?;
                if bytes.len() > max {
                    return Err(refused(format!(
                        "文件超过{}MB的上限",
                        options.max_size / 1024 / 1024
                    )));
                }
                file = Some((file_name, bytes));
            }
            "file" => break,
            other => {
                let v = super::office::catalog_attach::read_capped(&mut field, MAX_TEXT).await?;
                let v = String::from_utf8_lossy(&v).trim().to_string();
                match other {
                    "agency" => unit = v,
                    "year" => year = v,
                    _ => {}
                }
            }
        }
    }
    if !checked {
        staff.check_csrf(&headers, "")?;
    }
    let Some((name, bytes)) = file.filter(|(n, b)| !n.is_empty() && !b.is_empty()) else {
        return Err(refused("请选择要导入的年报文件".into()));
    };
    let year = match year.as_str() {
        "" => None,
        y => Some(
            y.parse::<i32>()
                .map_err(|_| refused(format!("年份“{y}”有误")))?,
        ),
    };
    let stored = intake::import_unit_report(
        &s.app,
        staff.actor(),
        &unit,
        UnitFile {
            name: &name,
            bytes: &bytes,
            year,
        },
        &options,
        s.clock.now(),
    )
    .await;
    match stored {
        Ok(v) => Ok(see(&format!(
            "/staff/supervision/units/{}/{}?done=imported",
            v.agency_id, v.year
        ))),
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::Invalid | ErrorKind::Refused | ErrorKind::NotFound
            ) =>
        {
            Err(refused(e.zh()))
        }
        Err(e) => Err(e.into()),
    }
}

fn refused(message: String) -> WebError {
    WebError::new(StatusCode::UNPROCESSABLE_ENTITY, "年报未能导入", message)
}
