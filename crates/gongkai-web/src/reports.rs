//! The annual reports on the portal (政府信息公开年报, docs/rules/annual-report.md#workflow):
//! each published year with its current version and earlier ones, the A4 page, and downloads
//! as DOCX, XLSX, PDF and the interchange JSON (exactly as published). Only published versions
//! are public; a version never changes, so its files are cached by its digest.
//! The back office downloads drafts through [`file_response`] too.

use crate::cache::Cached;
use crate::headers::{etag_of, not_modified};
use crate::page::{Page, encode};
use crate::portal::{agency_page, load_agency, render};
use crate::{WebError, WebState};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gongkai_app::agency::AgencyView;
use gongkai_app::portal::{self, PublishedReport};
use gongkai_app::report::export::{self, Format};
use gongkai_app::report::workflow::VersionView;
use gongkai_core::report::AnnualReport;
use serde::Deserialize;
use std::sync::Arc;

type Result<T> = std::result::Result<T, WebError>;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/agencies/{agency}/reports", get(list))
        .route("/agencies/{agency}/reports/{year}", get(page))
        .route("/agencies/{agency}/reports/{year}/{format}", get(download))
}

/// The download formats offered, with their labels.
pub const DOWNLOADS: [(&str, &str); 5] = [
    ("docx", "Word"),
    ("pdf", "PDF"),
    ("xlsx", "Excel"),
    ("json", "JSON"),
    ("csv", "CSV"),
];

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportList {
    page: Page,
    agency: AgencyView,
    section: String,
    reports: Vec<PublishedReport>,
    downloads: [(&'static str, &'static str); 5],
}

async fn list(
    State(s): State<WebState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    let agency = load_agency(&s, &id).await?;
    let reports = portal::published_reports(&s.app, agency.id).await?;
    let path = format!("/agencies/{}/reports", agency.id);
    render(&ReportList {
        page: agency_page(&agency, "政府信息公开年报", &path, &headers),
        section: "reports".into(),
        reports,
        downloads: DOWNLOADS,
        agency,
    })
}

/// `?v=N`: a version other than the current one.
#[derive(Deserialize)]
pub struct VersionQuery {
    v: Option<String>,
}

fn version_of(q: &VersionQuery) -> Result<Option<i32>> {
    match q.v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v
            .parse::<i32>()
            .ok()
            .filter(|n| *n >= 1)
            .map(Some)
            .ok_or_else(|| WebError::bad_request(format!("版本号“{v}”有误"))),
    }
}

fn year_of(year: &str) -> Result<i32> {
    year.parse()
        .map_err(|_| WebError::bad_request(format!("年份“{year}”有误")))
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    page: Page,
    agency: AgencyView,
    section: String,
    year: i32,
    version: i32,
    latest: i32,
    published_at: String,
    reason: Option<String>,
    versions: Vec<VersionView>,
    downloads: [(&'static str, &'static str); 5],
    article: String,
}

/// A published version read on the portal: the report inside the agency's column, with its
/// version, the downloads and the other versions.
async fn page(
    State(s): State<WebState>,
    Path((id, year)): Path<(String, String)>,
    Query(q): Query<VersionQuery>,
    headers: HeaderMap,
) -> Result<Response> {
    let agency = load_agency(&s, &id).await?;
    let year = year_of(&year)?;
    let version = version_of(&q)?;
    let (n, doc) = portal::published_report(&s.app, agency.id, year, version).await?;
    let versions = portal::report_versions(&s.app, agency.id, year).await?;
    let this = versions
        .iter()
        .find(|v| v.version == n)
        .cloned()
        .ok_or_else(WebError::not_found)?;
    let key = format!("report:{}:article", etag_of(doc.as_bytes()));
    let article = match s.pages.get(&key) {
        Some(c) => String::from_utf8_lossy(&c.html).into_owned(),
        None => {
            let generation = s.pages.generation();
            let article = gongkai_report::html_article(&read_back(&doc)?, None);
            s.pages.put(
                key,
                generation,
                Cached {
                    html: article.clone().into(),
                    etag: None,
                    modified: None,
                },
            );
            article
        }
    };
    let path = format!("/agencies/{}/reports/{year}", agency.id);
    let mut page = agency_page(
        &agency,
        &format!("{year}年政府信息公开工作年度报告"),
        &path,
        &headers,
    );
    page.crumbs.insert(
        page.crumbs.len() - 1,
        (
            "政府信息公开年报".into(),
            format!("/agencies/{}/reports", agency.id),
        ),
    );
    render(&ReportPage {
        page,
        section: "reports".into(),
        year,
        version: n,
        latest: versions.last().map_or(n, |v| v.version),
        published_at: this.published_at,
        reason: this.reason,
        versions,
        downloads: DOWNLOADS,
        article,
        agency,
    })
}

fn read_back(doc: &str) -> Result<AnnualReport> {
    gongkai_core::report::json::from_str(doc).map_err(|e| {
        WebError::from(gongkai_app::AppError::internal(
            "a published report does not read back",
            e,
        ))
    })
}

async fn download(
    State(s): State<WebState>,
    Path((id, year, format)): Path<(String, String, String)>,
    Query(q): Query<VersionQuery>,
    headers: HeaderMap,
) -> Result<Response> {
    let format = Format::from_key(&format).filter(|f| f.extension() != "html");
    published(&s, &id, &year, &q, format, &headers).await
}

/// A published version in `format`: the JSON exactly as stored, the others rendered from it.
async fn published(
    s: &WebState,
    id: &str,
    year: &str,
    q: &VersionQuery,
    format: Option<Format>,
    headers: &HeaderMap,
) -> Result<Response> {
    let agency = load_agency(s, id).await?;
    let year = year_of(year)?;
    let version = version_of(q)?;
    let format = format.ok_or_else(WebError::not_found)?;
    let (n, doc) = portal::published_report(&s.app, agency.id, year, version).await?;
    let report = read_back(&doc)?;
    let key = format!("report:{}:{}", etag_of(doc.as_bytes()), format.extension());
    let bytes = match s.pages.get(&key) {
        Some(c) => c.html.clone(),
        None => {
            let generation = s.pages.generation();
            let bytes: axum::body::Bytes =
                if format == Format::Text(gongkai_report::DocFormat::Json) {
                    doc.into_bytes().into()
                } else {
                    render_file(s, report.clone(), format).await?.into()
                };
            s.pages.put(
                key,
                generation,
                Cached {
                    html: bytes.clone(),
                    etag: None,
                    modified: None,
                },
            );
            bytes
        }
    };
    Ok(file_response(bytes, &report, Some(n), format, headers))
}

/// Renders off the async threads: a PDF is typeset, which takes a while.
pub(crate) async fn render_file(
    s: &WebState,
    report: AnnualReport,
    format: Format,
) -> Result<Vec<u8>> {
    let app = Arc::clone(&s.app);
    tokio::task::spawn_blocking(move || export::render_with(&app, &report, format))
        .await
        .map_err(|e| WebError::from(gongkai_app::AppError::internal("the export failed", e)))?
        .map_err(WebError::from)
}

/// A report file: its media type, an `ETag` from its bytes (304 when unchanged), and, except
/// for the page read in the browser, a download named after the report (RFC 6266: an ASCII
/// fallback and the UTF-8 name).
pub(crate) fn file_response(
    bytes: axum::body::Bytes,
    report: &AnnualReport,
    version: Option<i32>,
    format: Format,
    headers: &HeaderMap,
) -> Response {
    let etag = etag_of(&bytes);
    if not_modified(headers, &etag, None) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.media_type()),
    );
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if format.extension() != "html" {
        let name = export::file_name(report, version, format);
        let disposition = format!(
            "attachment; filename=\"report-{}.{}\"; filename*=UTF-8''{}",
            report.year,
            format.extension(),
            encode(&name).replace('/', "%2F")
        );
        if let Ok(v) = HeaderValue::from_str(&disposition) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
    }
    r
}
