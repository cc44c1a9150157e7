//! The agency's 政府信息公开指南 and 制度 documents, versioned per title.

use crate::db::{Db, Tx};
use crate::error::Result;
use crate::{on_db, on_tx};
use time::OffsetDateTime;

/// The kinds of agency document: 政府信息公开指南 and 政府信息公开制度.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Guide,
    Rules,
}

impl DocumentKind {
    pub fn key(self) -> &'static str {
        match self {
            DocumentKind::Guide => "guide",
            DocumentKind::Rules => "rules",
        }
    }

    pub fn from_key(key: &str) -> Option<DocumentKind> {
        match key {
            "guide" | "指南" => Some(DocumentKind::Guide),
            "rules" | "制度" => Some(DocumentKind::Rules),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AgencyDocument {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub version: i64,
    pub body_html: String,
    pub updated_by: String,
    pub created_at: OffsetDateTime,
}

/// Stores a new version of an agency document (the body already sanitised); returns it.
pub async fn put_document(
    tx: &mut Tx,
    agency_id: i64,
    kind: DocumentKind,
    title: &str,
    body_html: &str,
    by: &str,
) -> Result<AgencyDocument> {
    let now = OffsetDateTime::now_utc();
    let doc: AgencyDocument = on_tx!(tx, |conn| {
        sqlx::query_as(
            "INSERT INTO agency_document (agency_id, kind, title, version, body_html, updated_by, \
             created_at) VALUES ($1, $2, $3, \
             (SELECT coalesce(max(version), 0) + 1 FROM agency_document \
              WHERE agency_id = $1 AND kind = $2 AND title = $3), $4, $5, $6) \
             RETURNING id, kind, title, version, body_html, updated_by, created_at",
        )
        .bind(agency_id)
        .bind(kind.key())
        .bind(title)
        .bind(body_html)
        .bind(by)
        .bind(now)
        .fetch_one(conn)
        .await?
    });
    Ok(doc)
}

/// The current version of each document of an agency (of one kind, or all).
pub async fn documents(
    db: &Db,
    agency_id: i64,
    kind: Option<DocumentKind>,
) -> Result<Vec<AgencyDocument>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "SELECT d.id, d.kind, d.title, d.version, d.body_html, d.updated_by, d.created_at \
             FROM agency_document d WHERE d.agency_id = $1 AND ($2 IS NULL OR d.kind = $2) \
             AND d.version = (SELECT max(x.version) FROM agency_document x \
               WHERE x.agency_id = d.agency_id AND x.kind = d.kind AND x.title = d.title) \
             ORDER BY d.kind, d.id",
        )
        .bind(agency_id)
        .bind(kind.map(|k| k.key()))
        .fetch_all(p)
        .await?
    }))
}
