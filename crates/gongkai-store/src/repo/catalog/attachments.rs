//! Item attachments: checked metadata and content, stored with their SHA-256.

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::{on_db, on_tx};
use gongkai_core::catalog::Attachment;
use time::OffsetDateTime;

/// The columns of [`AttachmentRow`], on a `catalog_attachment` aliased `a`.
pub(super) const ATTACHMENT_COLS: &str =
    "a.id, a.item_id, a.name, a.extension, a.media_type, a.size, a.sha256";

/// An attachment as listed (without its content).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AttachmentRow {
    pub id: i64,
    pub item_id: i64,
    pub name: String,
    pub extension: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
}

impl AttachmentRow {
    /// The domain's view of the stored attachment.
    pub(super) fn into_attachment(self) -> Attachment {
        Attachment {
            media_type: media_type_static(&self.media_type),
            name: self.name,
            extension: self.extension,
            size: self.size as u64,
        }
    }
}

/// Media types are a closed set in core; map a stored one back to it.
fn media_type_static(s: &str) -> &'static str {
    const KNOWN: [&str; 10] = [
        "application/pdf",
        "application/ofd",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-works",
        "application/zip",
        "image/jpeg",
        "image/png",
    ];
    KNOWN
        .into_iter()
        .find(|k| *k == s)
        .unwrap_or("application/octet-stream")
}

/// Stores an attachment's content with its checked metadata and SHA-256 (hex); returns its id.
pub async fn insert_attachment(
    tx: &mut Tx,
    item_id: i64,
    meta: &Attachment,
    content: &[u8],
    sha256_hex: &str,
) -> Result<i64> {
    let now = OffsetDateTime::now_utc();
    let id: i64 = on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO catalog_attachment (item_id, name, extension, media_type, size, sha256, \
             content, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(item_id)
        .bind(&meta.name)
        .bind(&meta.extension)
        .bind(meta.media_type)
        .bind(meta.size as i64)
        .bind(sha256_hex)
        .bind(content)
        .bind(now)
        .fetch_one(conn)
        .await?
    });
    Ok(id)
}

pub async fn list_attachments(db: &Db, item_id: i64) -> Result<Vec<AttachmentRow>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {ATTACHMENT_COLS} FROM catalog_attachment a WHERE a.item_id = $1 ORDER BY a.id"
        )))
        .bind(item_id)
        .fetch_all(p)
        .await?
    }))
}

pub async fn attachment_content(db: &Db, attachment_id: i64) -> Result<(AttachmentRow, Vec<u8>)> {
    let row: Option<AttachmentRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {ATTACHMENT_COLS} FROM catalog_attachment a WHERE a.id = $1"
        )))
        .bind(attachment_id)
        .fetch_optional(p)
        .await?
    });
    let row = row.ok_or_else(|| StoreError::not_found("attachment", attachment_id))?;
    let content: Vec<u8> = on_db!(db, |p| {
        sqlx::query_scalar("SELECT content FROM catalog_attachment WHERE id = $1")
            .bind(attachment_id)
            .fetch_one(p)
            .await?
    });
    Ok((row, content))
}
