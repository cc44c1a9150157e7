//! Item attachments: checked metadata and content, stored with their SHA-256.

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::{on_db, on_tx};
use gongkai_core::catalog::Attachment;
use gongkai_core::ids::ItemId;
use time::OffsetDateTime;

/// The columns of [`AttachmentRow`], on a `catalog_attachment` aliased `a`.
pub(super) const ATTACHMENT_COLS: &str =
    "a.id, a.item_id, a.name, a.extension, a.media_type, a.size, a.sha256";

/// An attachment as listed (without its content).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAttachment {
    pub id: i64,
    pub item: ItemId,
    pub name: String,
    pub extension: String,
    pub media_type: String,
    pub size: u64,
    /// SHA-256 of the content, lower-case hex.
    pub sha256: String,
}

#[derive(sqlx::FromRow)]
pub(super) struct AttachmentRow {
    id: i64,
    pub(super) item_id: i64,
    name: String,
    extension: String,
    media_type: String,
    size: i64,
    sha256: String,
}

impl From<AttachmentRow> for StoredAttachment {
    fn from(r: AttachmentRow) -> StoredAttachment {
        StoredAttachment {
            id: r.id,
            item: ItemId::new(r.item_id),
            name: r.name,
            extension: r.extension,
            media_type: r.media_type,
            size: u64::try_from(r.size).unwrap_or(0),
            sha256: r.sha256,
        }
    }
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
    item: ItemId,
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
        .bind(item.get())
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

/// An item's attachments (oldest first), without their content.
pub async fn list_attachments(db: &Db, item: ItemId) -> Result<Vec<StoredAttachment>> {
    let rows: Vec<AttachmentRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {ATTACHMENT_COLS} FROM catalog_attachment a WHERE a.item_id = $1 ORDER BY a.id"
        )))
        .bind(item.get())
        .fetch_all(p)
        .await?
    });
    Ok(rows.into_iter().map(StoredAttachment::from).collect())
}

/// An attachment with its content.
pub async fn attachment_content(
    db: &Db,
    attachment_id: i64,
) -> Result<(StoredAttachment, Vec<u8>)> {
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
    Ok((row.into(), content))
}
