//! The agency's 政府信息公开指南 and 制度 documents, versioned per title.

use super::invalid;
use crate::db::{Db, Tx};
use crate::error::Result;
use crate::{on_db, on_tx};
use gongkai_core::catalog::{DocumentKind, Signer};
use gongkai_core::ids::{AgencyId, UserId};
use time::OffsetDateTime;

/// One version of an agency document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyDocument {
    pub id: i64,
    pub kind: DocumentKind,
    pub title: String,
    pub version: i64,
    pub body_html: String,
    /// The display name of who stored this version, at the time.
    pub updated_by: String,
    /// Who stored it (filled for earlier versions by migration 0101).
    pub updated_by_id: Option<UserId>,
    pub created_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct DocumentRow {
    id: i64,
    kind: String,
    title: String,
    version: i64,
    body_html: String,
    updated_by: String,
    updated_by_id: Option<i64>,
    created_at: OffsetDateTime,
}

impl TryFrom<DocumentRow> for AgencyDocument {
    type Error = crate::error::StoreError;

    fn try_from(r: DocumentRow) -> Result<AgencyDocument> {
        Ok(AgencyDocument {
            kind: DocumentKind::from_key(&r.kind)
                .ok_or_else(|| invalid(format!("document {}: kind {}", r.id, r.kind)))?,
            id: r.id,
            title: r.title,
            version: r.version,
            body_html: r.body_html,
            updated_by: r.updated_by,
            updated_by_id: r.updated_by_id.map(UserId::new),
            created_at: r.created_at,
        })
    }
}

/// Stores a new version of an agency document (the body already sanitised); returns it.
pub async fn put_document(
    tx: &mut Tx,
    agency: AgencyId,
    kind: DocumentKind,
    title: &str,
    body_html: &str,
    by: &Signer,
) -> Result<AgencyDocument> {
    let now = OffsetDateTime::now_utc();
    let row: DocumentRow = on_tx!(tx, |conn| {
        sqlx::query_as(
            "INSERT INTO agency_document (agency_id, kind, title, version, body_html, updated_by, \
             updated_by_id, created_at) VALUES ($1, $2, $3, \
             (SELECT coalesce(max(version), 0) + 1 FROM agency_document \
              WHERE agency_id = $1 AND kind = $2 AND title = $3), $4, $5, $6, $7) \
             RETURNING id, kind, title, version, body_html, updated_by, updated_by_id, created_at",
        )
        .bind(agency.get())
        .bind(kind.key())
        .bind(title)
        .bind(body_html)
        .bind(by.name.as_str())
        .bind(by.id.get())
        .bind(now)
        .fetch_one(conn)
        .await?
    });
    row.try_into()
}

/// The current version of each document of an agency (of one kind, or all).
pub async fn documents(
    db: &Db,
    agency: AgencyId,
    kind: Option<DocumentKind>,
) -> Result<Vec<AgencyDocument>> {
    let rows: Vec<DocumentRow> = on_db!(db, |p| {
        sqlx::query_as(
            "SELECT d.id, d.kind, d.title, d.version, d.body_html, d.updated_by, \
             d.updated_by_id, d.created_at \
             FROM agency_document d WHERE d.agency_id = $1 AND ($2 IS NULL OR d.kind = $2) \
             AND d.version = (SELECT max(x.version) FROM agency_document x \
               WHERE x.agency_id = d.agency_id AND x.kind = d.kind AND x.title = d.title) \
             ORDER BY d.kind, d.id",
        )
        .bind(agency.get())
        .bind(kind.map(|k| k.key()))
        .fetch_all(p)
        .await?
    });
    rows.into_iter().map(AgencyDocument::try_from).collect()
}
