//! The agency's 政府信息公开指南 and 制度 texts: each put stores a new version (the body
//! sanitised), the latest version of a title is the current one.

use super::access::require_any;
use super::check_agency;
use crate::App;
use crate::error::{AppError, Result};
use gongkai_catalog::HtmlSanitizer;
use gongkai_core::catalog::{DocumentKind, Signer};
use gongkai_core::ids::{AgencyId, UserId};
use gongkai_core::user::{Actor, Role};
use gongkai_store::repo::catalog::{self as repo, AgencyDocument};
use serde::{Serialize, Serializer};
use time::OffsetDateTime;

/// A version of a document to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentInput {
    pub kind: DocumentKind,
    pub title: String,
    /// The body as HTML (sanitised before it is stored).
    pub body_html: String,
}

/// A version of an agency document as shown and served.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentView {
    pub id: i64,
    /// `guide` (指南) or `rules` (制度).
    #[serde(serialize_with = "kind_key")]
    pub kind: DocumentKind,
    pub title: String,
    pub version: i64,
    /// The display name of who stored this version, at the time.
    pub updated_by: String,
    pub updated_by_id: Option<UserId>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub body_html: String,
}

fn kind_key<S: Serializer>(k: &DocumentKind, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(k.key())
}

impl From<AgencyDocument> for DocumentView {
    fn from(d: AgencyDocument) -> DocumentView {
        DocumentView {
            id: d.id,
            kind: d.kind,
            title: d.title,
            version: d.version,
            updated_by: d.updated_by,
            updated_by_id: d.updated_by_id,
            created_at: d.created_at,
            body_html: d.body_html,
        }
    }
}

/// Stores a new version of the agency's 指南 or a 制度 text (录入).
pub async fn put_document(
    app: &App,
    actor: &Actor,
    agency: AgencyId,
    input: &DocumentInput,
) -> Result<DocumentView> {
    require_any(
        actor,
        &[Role::Entry],
        "edit the guide and rules texts",
        "编辑公开指南和制度",
    )?;
    let title = input.title.trim();
    if title.is_empty() {
        return Err(AppError::invalid(
            "a document needs a title",
            "文件须有标题",
        ));
    }
    check_agency(&app.db, agency).await?;
    super::scope::check_agency(&app.db, actor, agency).await?;
    let body = HtmlSanitizer::default()
        .try_clean(&input.body_html)
        .map_err(|e| AppError::invalid(e.to_string(), e.zh()))?;
    let mut tx = app.db.begin().await?;
    let doc = repo::put_document(
        &mut tx,
        agency,
        input.kind,
        title,
        &body,
        &Signer::from(actor),
    )
    .await?;
    tx.commit().await?;
    Ok(doc.into())
}

/// The current version of each of the agency's documents (of one kind, or all).
pub async fn documents(
    app: &App,
    agency: AgencyId,
    kind: Option<DocumentKind>,
) -> Result<Vec<DocumentView>> {
    Ok(repo::documents(&app.db, agency, kind)
        .await?
        .into_iter()
        .map(DocumentView::from)
        .collect())
}
