//! The catalogue (issue 5): items with their workflow steps and validity history, attachments,
//! the 索引号 sequences, staff entries of table 二, catalogue settings, and the agency's 指南 and
//! 制度 documents.
//!
//! The store keeps what the domain decided: an item is loaded by replaying its steps through
//! `gongkai_core::catalog::Workflow`, and saved by appending the steps it gained, guarded by
//! the stage it was loaded in (so two writers cannot both move the same item).

use crate::db::{Db, Exec, Tx};
use crate::error::{Result, StoreError};
use crate::{on_db, on_tx};
use gongkai_core::catalog::{
    Attachment, CatalogItem, DocNumber, ItemContent, Normative, NormativeKind, RichText, Stage,
    Step, Subject, Validity, ValidityChange, ValidityStatus, Workflow,
};
use gongkai_core::report::T2Key;
use time::{Date, OffsetDateTime};

/// Runs `$body` with `$c` bound to a `&mut` connection: a pooled one for `Exec::Db`, the
/// transaction's for `Exec::Tx`, so a body can run several queries on either.
macro_rules! with_conn {
    ($ex:expr, |$c:ident| $body:expr) => {
        match $ex {
            Exec::Db(Db::Sqlite(p)) => {
                let mut conn = p.acquire().await?;
                let $c = &mut *conn;
                $body
            }
            Exec::Db(Db::Postgres(p)) => {
                let mut conn = p.acquire().await?;
                let $c = &mut *conn;
                $body
            }
            Exec::Tx(Tx::Sqlite(t)) => {
                let $c = &mut **t;
                $body
            }
            Exec::Tx(Tx::Postgres(t)) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}

const ITEM_COLS: &str = "id, agency_id, title, publisher, formed_on, changed_on, doc_number, \
    subject, column_name, genre, summary, body_html, keywords, normative_kind, interprets_id, \
    drafter, stage, index_number, published_at";

#[derive(sqlx::FromRow)]
struct ItemRow {
    id: i64,
    agency_id: i64,
    title: String,
    publisher: String,
    formed_on: Date,
    changed_on: Option<Date>,
    doc_number: Option<String>,
    subject: Option<String>,
    column_name: String,
    genre: Option<String>,
    summary: String,
    body_html: String,
    keywords: String,
    normative_kind: Option<String>,
    interprets_id: Option<i64>,
    #[allow(dead_code)]
    drafter: String,
    stage: String,
    index_number: Option<String>,
    #[allow(dead_code)]
    published_at: Option<OffsetDateTime>,
}

#[derive(sqlx::FromRow)]
struct StepRow {
    item_id: i64,
    action: String,
    to_stage: String,
    actor: String,
    at: OffsetDateTime,
    note: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ValidityRow {
    item_id: i64,
    status: String,
    effective_on: Option<Date>,
    ends_on: Option<Date>,
    actor: String,
    at: OffsetDateTime,
    reason: Option<String>,
}

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

fn invalid(what: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(format!("stored catalogue data is inconsistent: {what}"))
}

fn item_id(item: &CatalogItem) -> Result<i64> {
    item.id.parse().map_err(|_| {
        StoreError::Invalid(format!("catalogue item id {:?} is not a number", item.id))
    })
}

fn assemble(
    row: ItemRow,
    steps: Vec<StepRow>,
    validity: Vec<ValidityRow>,
    attachments: Vec<AttachmentRow>,
) -> Result<CatalogItem> {
    let mut replayed = Vec::with_capacity(steps.len());
    let mut from = None;
    for s in steps {
        let action = gongkai_core::catalog::Action::from_key(&s.action)
            .ok_or_else(|| invalid(format!("action {}", s.action)))?;
        let to =
            Stage::from_key(&s.to_stage).ok_or_else(|| invalid(format!("stage {}", s.to_stage)))?;
        replayed.push(Step {
            action,
            from,
            to,
            by: s.actor,
            at: s.at,
            note: s.note,
        });
        from = Some(to);
    }
    let workflow =
        Workflow::replay(replayed).map_err(|e| invalid(format!("item {}: {e}", row.id)))?;
    if workflow.stage().key() != row.stage {
        return Err(invalid(format!(
            "item {} is {} but its steps end in {}",
            row.id,
            row.stage,
            workflow.stage()
        )));
    }
    let normative = match row.normative_kind.as_deref() {
        None => None,
        Some(k) => {
            let kind = NormativeKind::from_key(k).ok_or_else(|| invalid(format!("kind {k}")))?;
            let history = validity
                .into_iter()
                .map(|v| {
                    let status = ValidityStatus::from_key(&v.status)
                        .ok_or_else(|| invalid(format!("validity {}", v.status)))?;
                    Ok(ValidityChange {
                        validity: Validity::new(status, v.effective_on, v.ends_on)
                            .map_err(|e| invalid(e.to_string()))?,
                        by: v.actor,
                        at: v.at,
                        reason: v.reason,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Some(Normative::from_history(kind, history).map_err(|e| invalid(e.to_string()))?)
        }
    };
    let subject = row.subject.map(|s| match s.split_once('\\') {
        Some((a, b)) => Subject {
            top: a.to_string(),
            sub: Some(b.to_string()),
        },
        None => Subject { top: s, sub: None },
    });
    let keywords: Vec<String> =
        serde_json::from_str(&row.keywords).map_err(|e| invalid(format!("keywords: {e}")))?;
    Ok(CatalogItem {
        id: row.id.to_string(),
        agency: row.agency_id.to_string(),
        content: ItemContent {
            title: row.title,
            publisher: row.publisher,
            formed_on: row.formed_on,
            changed_on: row.changed_on,
            doc_number: row.doc_number.as_deref().and_then(DocNumber::from_stored),
            subject,
            column: row.column_name,
            genre: row.genre,
            summary: row.summary,
            body: RichText::from_stored(row.body_html),
            keywords,
            interprets: row.interprets_id.map(|i| i.to_string()),
        },
        normative,
        attachments: attachments
            .into_iter()
            .map(|a| Attachment {
                media_type: media_type_static(&a.media_type),
                name: a.name,
                extension: a.extension,
                size: a.size as u64,
            })
            .collect(),
        workflow,
        index_number: row.index_number,
    })
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

/// Filters for [`list_items`].
#[derive(Debug, Clone, Default)]
pub struct ItemFilter {
    pub stage: Option<Stage>,
    pub column: Option<String>,
}

/// Loads one item with its steps, validity history and attachment list.
pub async fn find_item<'a>(ex: impl Into<Exec<'a>>, id: i64) -> Result<CatalogItem> {
    let ex = ex.into();
    with_conn!(ex, |c| {
        let row: Option<ItemRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {ITEM_COLS} FROM catalog_item WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&mut *c)
        .await?;
        let row = row.ok_or_else(|| StoreError::not_found("catalogue item", id))?;
        let steps: Vec<StepRow> = sqlx::query_as(
            "SELECT item_id, action, to_stage, actor, at, note FROM catalog_step \
             WHERE item_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&mut *c)
        .await?;
        let validity: Vec<ValidityRow> = sqlx::query_as(
            "SELECT item_id, status, effective_on, ends_on, actor, at, reason \
             FROM catalog_validity WHERE item_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&mut *c)
        .await?;
        let attachments: Vec<AttachmentRow> = sqlx::query_as(
            "SELECT id, item_id, name, extension, media_type, size, sha256 \
             FROM catalog_attachment WHERE item_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&mut *c)
        .await?;
        assemble(row, steps, validity, attachments)
    })
}

/// Lists an agency's items (oldest first), each fully loaded.
pub async fn list_items(db: &Db, agency_id: i64, filter: &ItemFilter) -> Result<Vec<CatalogItem>> {
    let stage = filter.stage.map(|s| s.key());
    let column = filter.column.as_deref();
    let (rows, steps, validity, attachments): (
        Vec<ItemRow>,
        Vec<StepRow>,
        Vec<ValidityRow>,
        Vec<AttachmentRow>,
    ) = on_db!(db, |p| {
        let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {ITEM_COLS} FROM catalog_item WHERE agency_id = $1 \
             AND ($2 IS NULL OR stage = $2) AND ($3 IS NULL OR column_name = $3) ORDER BY id"
        )))
        .bind(agency_id)
        .bind(stage)
        .bind(column)
        .fetch_all(p)
        .await?;
        let steps = sqlx::query_as(
            "SELECT s.item_id, s.action, s.to_stage, s.actor, s.at, s.note FROM catalog_step s \
             JOIN catalog_item i ON i.id = s.item_id WHERE i.agency_id = $1 \
             ORDER BY s.item_id, s.seq",
        )
        .bind(agency_id)
        .fetch_all(p)
        .await?;
        let validity = sqlx::query_as(
            "SELECT v.item_id, v.status, v.effective_on, v.ends_on, v.actor, v.at, v.reason \
             FROM catalog_validity v JOIN catalog_item i ON i.id = v.item_id \
             WHERE i.agency_id = $1 ORDER BY v.item_id, v.seq",
        )
        .bind(agency_id)
        .fetch_all(p)
        .await?;
        let attachments = sqlx::query_as(
            "SELECT a.id, a.item_id, a.name, a.extension, a.media_type, a.size, a.sha256 \
             FROM catalog_attachment a JOIN catalog_item i ON i.id = a.item_id \
             WHERE i.agency_id = $1 ORDER BY a.item_id, a.id",
        )
        .bind(agency_id)
        .fetch_all(p)
        .await?;
        (rows, steps, validity, attachments)
    });
    let mut steps = group(steps, |s| s.item_id);
    let mut validity = group(validity, |v| v.item_id);
    let mut attachments = group(attachments, |a| a.item_id);
    rows.into_iter()
        .map(|r| {
            let id = r.id;
            assemble(
                r,
                steps.remove(&id).unwrap_or_default(),
                validity.remove(&id).unwrap_or_default(),
                attachments.remove(&id).unwrap_or_default(),
            )
        })
        .collect()
}

fn group<T>(rows: Vec<T>, key: impl Fn(&T) -> i64) -> std::collections::HashMap<i64, Vec<T>> {
    let mut out: std::collections::HashMap<i64, Vec<T>> = std::collections::HashMap::new();
    for r in rows {
        out.entry(key(&r)).or_default().push(r);
    }
    out
}

fn keywords_json(item: &CatalogItem) -> String {
    serde_json::to_string(&item.content.keywords).unwrap_or_else(|_| "[]".into())
}

/// Inserts a new item (its 拟稿 step and first validity included) and returns its id.
pub async fn insert_item(tx: &mut Tx, agency_id: i64, item: &CatalogItem) -> Result<i64> {
    let now = OffsetDateTime::now_utc();
    let interprets: Option<i64> = match &item.content.interprets {
        Some(s) => Some(
            s.parse()
                .map_err(|_| StoreError::Invalid(format!("item id {s:?} is not a number")))?,
        ),
        None => None,
    };
    let c = &item.content;
    let id: i64 = on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO catalog_item (agency_id, title, publisher, formed_on, changed_on, \
             doc_number, subject, column_name, genre, summary, body_html, keywords, \
             normative_kind, interprets_id, drafter, stage, index_number, published_at, \
             created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
             $17, $18, $19, $19) RETURNING id",
        )
        .bind(agency_id)
        .bind(&c.title)
        .bind(&c.publisher)
        .bind(c.formed_on)
        .bind(c.changed_on)
        .bind(c.doc_number.as_ref().map(|d| d.as_str().to_string()))
        .bind(c.subject.as_ref().map(|s| s.to_string()))
        .bind(&c.column)
        .bind(c.genre.as_deref())
        .bind(&c.summary)
        .bind(c.body.as_html())
        .bind(keywords_json(item))
        .bind(item.normative.as_ref().map(|n| n.kind.key()))
        .bind(interprets)
        .bind(item.workflow.drafter())
        .bind(item.stage().key())
        .bind(item.index_number.as_deref())
        .bind(item.workflow.published_at())
        .bind(now)
        .fetch_one(conn)
        .await?
    });
    append_history(tx, id, item, 0, 0, now).await?;
    Ok(id)
}

/// Writes the item's current content and stage, and appends the steps and validity changes it
/// gained since it was loaded in `loaded_stage`. Fails with a conflict when the stored item is
/// no longer in that stage (someone else moved it meanwhile).
pub async fn save_item(tx: &mut Tx, item: &CatalogItem, loaded_stage: Stage) -> Result<()> {
    let id = item_id(item)?;
    let now = OffsetDateTime::now_utc();
    let c = &item.content;
    let updated = on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE catalog_item SET title = $1, publisher = $2, formed_on = $3, \
             changed_on = $4, doc_number = $5, subject = $6, column_name = $7, genre = $8, \
             summary = $9, body_html = $10, keywords = $11, stage = $12, index_number = $13, \
             published_at = $14, updated_at = $15 WHERE id = $16 AND stage = $17",
        )
        .bind(&c.title)
        .bind(&c.publisher)
        .bind(c.formed_on)
        .bind(c.changed_on)
        .bind(c.doc_number.as_ref().map(|d| d.as_str().to_string()))
        .bind(c.subject.as_ref().map(|s| s.to_string()))
        .bind(&c.column)
        .bind(c.genre.as_deref())
        .bind(&c.summary)
        .bind(c.body.as_html())
        .bind(keywords_json(item))
        .bind(item.stage().key())
        .bind(item.index_number.as_deref())
        .bind(item.workflow.published_at())
        .bind(now)
        .bind(id)
        .bind(loaded_stage.key())
        .execute(conn)
        .await
        .map_err(|e| {
            StoreError::from(e).on_conflict(|| {
                format!(
                    "索引号 {} is already taken in this agency",
                    item.index_number.as_deref().unwrap_or("")
                )
            })
        })?
        .rows_affected()
    });
    if updated != 1 {
        return Err(StoreError::Conflict(format!(
            "catalogue item {id} is no longer {loaded_stage}: it was changed meanwhile"
        )));
    }
    let (steps, validity): (i64, i64) = on_tx!(tx, |conn| {
        sqlx::query_as(
            "SELECT (SELECT count(*) FROM catalog_step WHERE item_id = $1), \
             (SELECT count(*) FROM catalog_validity WHERE item_id = $1)",
        )
        .bind(id)
        .fetch_one(conn)
        .await?
    });
    append_history(tx, id, item, steps as usize, validity as usize, now).await
}

async fn append_history(
    tx: &mut Tx,
    id: i64,
    item: &CatalogItem,
    stored_steps: usize,
    stored_validity: usize,
    now: OffsetDateTime,
) -> Result<()> {
    for (seq, s) in item.workflow.steps().iter().enumerate().skip(stored_steps) {
        on_tx!(tx, |conn| {
            sqlx::query(
                "INSERT INTO catalog_step (item_id, seq, action, from_stage, to_stage, actor, \
                 at, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(id)
            .bind(seq as i64 + 1)
            .bind(s.action.key())
            .bind(s.from.map(|f| f.key()))
            .bind(s.to.key())
            .bind(&s.by)
            .bind(s.at)
            .bind(s.note.as_deref())
            .bind(now)
            .execute(conn)
            .await?;
        });
    }
    let history = item.normative.as_ref().map(|n| n.history()).unwrap_or(&[]);
    for (seq, v) in history.iter().enumerate().skip(stored_validity) {
        on_tx!(tx, |conn| {
            sqlx::query(
                "INSERT INTO catalog_validity (item_id, seq, status, effective_on, ends_on, \
                 actor, at, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(id)
            .bind(seq as i64 + 1)
            .bind(v.validity.status.key())
            .bind(v.validity.effective_on)
            .bind(v.validity.ends_on)
            .bind(&v.by)
            .bind(v.at)
            .bind(v.reason.as_deref())
            .bind(now)
            .execute(conn)
            .await?;
        });
    }
    Ok(())
}

/// Draws the next running number of `scope` for the agency, in the caller's transaction. The
/// upsert takes the sequence row's lock until the transaction ends, so concurrent publishers
/// queue on it and each gets a different number; a rolled-back publication gives its number
/// back, a committed one keeps it for ever.
pub async fn next_index_seq(tx: &mut Tx, agency_id: i64, scope: &str) -> Result<u64> {
    let now = OffsetDateTime::now_utc();
    let n: i64 = on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO catalog_index_sequence (agency_id, scope, last_seq, updated_at, created_at) \
             VALUES ($1, $2, 1, $3, $3) \
             ON CONFLICT (agency_id, scope) DO UPDATE \
             SET last_seq = catalog_index_sequence.last_seq + 1, updated_at = excluded.updated_at \
             RETURNING last_seq",
        )
        .bind(agency_id)
        .bind(scope)
        .bind(now)
        .fetch_one(conn)
        .await?
    });
    u64::try_from(n).map_err(|_| invalid("negative sequence"))
}

/// Whether an agency already issued `index_number` (to any item, withdrawn ones included).
pub async fn index_number_taken(tx: &mut Tx, agency_id: i64, index_number: &str) -> Result<bool> {
    let n: i64 = on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "SELECT count(*) FROM catalog_item WHERE agency_id = $1 AND index_number = $2",
        )
        .bind(agency_id)
        .bind(index_number)
        .fetch_one(conn)
        .await?
    });
    Ok(n > 0)
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
        sqlx::query_as(
            "SELECT id, item_id, name, extension, media_type, size, sha256 \
             FROM catalog_attachment WHERE item_id = $1 ORDER BY id",
        )
        .bind(item_id)
        .fetch_all(p)
        .await?
    }))
}

pub async fn attachment_content(db: &Db, attachment_id: i64) -> Result<(AttachmentRow, Vec<u8>)> {
    let row: Option<AttachmentRow> = on_db!(db, |p| {
        sqlx::query_as(
            "SELECT id, item_id, name, extension, media_type, size, sha256 \
             FROM catalog_attachment WHERE id = $1",
        )
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

/// The ids of the items that interpret `policy_id` (its 政策解读).
pub async fn interpretations_of(db: &Db, policy_id: i64) -> Result<Vec<i64>> {
    Ok(on_db!(db, |p| {
        sqlx::query_scalar("SELECT id FROM catalog_item WHERE interprets_id = $1 ORDER BY id")
            .bind(policy_id)
            .fetch_all(p)
            .await?
    }))
}

// --- settings -------------------------------------------------------------------------------

/// The agency's catalogue settings (JSON overriding the defaults), if it has any.
pub async fn settings(db: &Db, agency_id: i64) -> Result<Option<String>> {
    Ok(on_db!(db, |p| {
        sqlx::query_scalar("SELECT settings_json FROM catalog_settings WHERE agency_id = $1")
            .bind(agency_id)
            .fetch_optional(p)
            .await?
    }))
}

pub async fn put_settings(tx: &mut Tx, agency_id: i64, json: &str, by: &str) -> Result<()> {
    let now = OffsetDateTime::now_utc();
    on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO catalog_settings (agency_id, settings_json, updated_by, updated_at, created_at) \
             VALUES ($1, $2, $3, $4, $4) ON CONFLICT (agency_id) DO UPDATE \
             SET settings_json = excluded.settings_json, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at",
        )
        .bind(agency_id)
        .bind(json)
        .bind(by)
        .bind(now)
        .execute(conn)
        .await?;
    });
    Ok(())
}

// --- table 二 entries -------------------------------------------------------------------------

/// A table 二 cell entered by staff.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Table2Entry {
    pub id: i64,
    pub sub: String,
    pub row_key: String,
    pub col: String,
    /// A count, an amount in 万元, or `/`.
    pub value: String,
    pub entered_by: String,
    pub entered_at: OffsetDateTime,
    pub note: Option<String>,
}

pub async fn insert_table2_entry(
    tx: &mut Tx,
    agency_id: i64,
    year: i32,
    key: T2Key,
    value: &str,
    by: &str,
    note: Option<&str>,
) -> Result<i64> {
    let now = OffsetDateTime::now_utc();
    let id: i64 = on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO table2_entry (agency_id, year, sub, row_key, col, value, entered_by, \
             entered_at, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8) \
             RETURNING id",
        )
        .bind(agency_id)
        .bind(i64::from(year))
        .bind(key.sub)
        .bind(key.row)
        .bind(key.col)
        .bind(value)
        .bind(by)
        .bind(now)
        .bind(note)
        .fetch_one(conn)
        .await?
    });
    Ok(id)
}

/// The latest entry of each table 二 cell of an agency's year.
pub async fn table2_entries(db: &Db, agency_id: i64, year: i32) -> Result<Vec<Table2Entry>> {
    Ok(on_db!(db, |p| {
        sqlx::query_as(
            "SELECT e.id, e.sub, e.row_key, e.col, e.value, e.entered_by, e.entered_at, e.note \
             FROM table2_entry e WHERE e.agency_id = $1 AND e.year = $2 AND e.id = ( \
               SELECT max(x.id) FROM table2_entry x WHERE x.agency_id = e.agency_id \
               AND x.year = e.year AND x.sub = e.sub AND x.row_key = e.row_key AND x.col = e.col) \
             ORDER BY e.id",
        )
        .bind(agency_id)
        .bind(i64::from(year))
        .fetch_all(p)
        .await?
    }))
}

// --- 指南 and 制度 ------------------------------------------------------------------------------

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
