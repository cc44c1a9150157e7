//! The agency's 政府信息公开指南 and 制度 texts: `GET /staff/catalog/documents` lists the
//! current version of each, `GET /staff/catalog/documents/edit` opens one (or a new one) in
//! the editor, `POST /staff/catalog/documents` stores a new version (the body sanitised; 录入).

use super::catalog_items::{AgencyChoice, agency_or_choices};
use super::{Result, back, beijing, page, render, render_invalid};
use crate::staff::Staff;
use crate::{WebError, WebState};
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use gongkai_app::catalog::{self, DocumentInput, DocumentKind};
use gongkai_app::error::{ErrorKind, Localized};
use serde::Deserialize;

pub struct DocRow {
    pub kind: &'static str,
    pub kind_key: &'static str,
    pub title: String,
    /// The title percent-encoded for the edit link.
    pub title_q: String,
    pub version: i64,
    pub by: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "staff/catalog/documents.html")]
struct DocsPage {
    page: crate::page::Page,
    nav: crate::staff::nav::StaffNav,
    agency: Option<AgencyChoice>,
    choices: Vec<AgencyChoice>,
    rows: Vec<DocRow>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DocQuery {
    agency: String,
    kind: String,
    title: String,
}

pub async fn list(
    State(s): State<WebState>,
    staff: Staff,
    Query(q): Query<DocQuery>,
    headers: HeaderMap,
) -> Result<Response> {
    let (agency, choices) = agency_or_choices(&s, &staff, &q.agency).await?;
    let mut rows = Vec::new();
    if let Some(a) = &agency {
        for d in catalog::documents(&s.app, a.id, None).await? {
            rows.push(DocRow {
                kind: d.kind.zh(),
                kind_key: d.kind.key(),
                title_q: crate::page::encode(&d.title),
                title: d.title,
                version: d.version,
                by: d.updated_by,
                at: beijing(d.created_at),
            });
        }
    }
    render(&DocsPage {
        nav: crate::staff::nav::StaffNav::new(
            &staff,
            crate::staff::nav::Section::Documents,
            "/staff/catalog/documents",
        )?,
        page: page("指南和制度", "/staff/catalog/documents", &headers, None),
        agency,
        choices,
        rows,
    })
}

#[derive(Template)]
#[template(path = "staff/catalog/document_edit.html")]
struct DocEditPage {
    page: crate::page::Page,
    nav: crate::staff::nav::StaffNav,
    csrf: String,
    agency: AgencyChoice,
    kind: String,
    title: String,
    body_html: String,
    error: Option<String>,
}

pub async fn edit(
    State(s): State<WebState>,
    staff: Staff,
    Query(q): Query<DocQuery>,
    headers: HeaderMap,
) -> Result<Response> {
    let (agency, _) = agency_or_choices(&s, &staff, &q.agency).await?;
    let Some(agency) = agency else {
        return Ok(back("/staff/catalog/documents"));
    };
    let kind = DocumentKind::from_key(q.kind.trim()).unwrap_or(DocumentKind::Guide);
    let current = catalog::documents(&s.app, agency.id, Some(kind))
        .await?
        .into_iter()
        .find(|d| d.title == q.title.trim());
    render(&DocEditPage {
        nav: crate::staff::nav::StaffNav::new(
            &staff,
            crate::staff::nav::Section::Documents,
            "/staff/catalog/documents",
        )?,
        page: page(
            "编辑指南和制度",
            "/staff/catalog/documents/edit",
            &headers,
            Some(("指南和制度", "/staff/catalog/documents")),
        ),
        csrf: staff.csrf_token()?,
        kind: kind.key().to_string(),
        title: current
            .as_ref()
            .map(|d| d.title.clone())
            .unwrap_or_default(),
        body_html: current.map(|d| d.body_html).unwrap_or_default(),
        agency,
        error: None,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DocForm {
    csrf_token: String,
    agency: String,
    kind: String,
    title: String,
    body_html: String,
}

pub async fn save(
    State(s): State<WebState>,
    staff: Staff,
    headers: HeaderMap,
    Form(f): Form<DocForm>,
) -> Result<Response> {
    staff.check_csrf(&headers, &f.csrf_token)?;
    let (agency, _) = agency_or_choices(&s, &staff, &f.agency).await?;
    let Some(agency) = agency else {
        return Ok(back("/staff/catalog/documents"));
    };
    let kind = DocumentKind::from_key(f.kind.trim())
        .ok_or_else(|| WebError::bad_request("文件类别应为指南或制度"))?;
    let input = DocumentInput {
        kind,
        title: f.title.clone(),
        body_html: f.body_html.clone(),
    };
    match catalog::put_document(&s.app, staff.actor(), agency.id, &input).await {
        Ok(_) => Ok(back(&format!(
            "/staff/catalog/documents?agency={}",
            agency.id
        ))),
        Err(e) if e.kind() == ErrorKind::Invalid => render_invalid(&DocEditPage {
            nav: crate::staff::nav::StaffNav::new(
                &staff,
                crate::staff::nav::Section::Documents,
                "/staff/catalog/documents",
            )?,
            page: page(
                "编辑指南和制度",
                "/staff/catalog/documents/edit",
                &headers,
                Some(("指南和制度", "/staff/catalog/documents")),
            ),
            csrf: staff.csrf_token()?,
            kind: kind.key().to_string(),
            title: f.title,
            body_html: f.body_html,
            agency,
            error: Some(e.zh()),
        }),
        Err(e) => Err(e.into()),
    }
}
