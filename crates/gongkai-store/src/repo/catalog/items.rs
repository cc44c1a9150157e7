//! Catalogue items: loading them (row, steps, validity, attachments) and writing their content
//! and stage, guarded by the stage they were loaded in.

use super::attachments::{ATTACHMENT_COLS, AttachmentRow};
use super::history::{
    STEP_COLS, StepRow, VALIDITY_COLS, ValidityRow, append_history, normative, replay,
};
use super::invalid;
use crate::db::{Db, Exec, Tx};
use crate::error::{Result, StoreError};
use crate::{on_db, on_tx};
use gongkai_core::catalog::{CatalogItem, DocNumber, ItemContent, RichText, Stage, Subject};
use gongkai_core::ids::{AgencyId, ItemId};
use std::collections::HashMap;
use time::{Date, OffsetDateTime};

const ITEM_COLS: &str = "i.id, i.agency_id, i.title, i.publisher, i.formed_on, i.changed_on, \
    i.doc_number, i.subject, i.column_name, i.genre, i.summary, i.body_html, i.keywords, \
    i.normative_kind, i.interprets_id, i.drafter, i.drafter_id, i.stage, i.index_number, i.published_at";

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
    // The drafter is the first step's user; these columns serve queries and history.
    #[allow(dead_code)]
    drafter: String,
    #[allow(dead_code)]
    drafter_id: Option<i64>,
    stage: String,
    index_number: Option<String>,
    #[allow(dead_code)]
    published_at: Option<OffsetDateTime>,
}

fn assemble(
    row: ItemRow,
    steps: Vec<StepRow>,
    validity: Vec<ValidityRow>,
    attachments: Vec<AttachmentRow>,
) -> Result<CatalogItem> {
    let workflow = replay(row.id, steps)?;
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
        Some(k) => Some(normative(k, validity)?),
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
        id: ItemId::new(row.id),
        agency: AgencyId::new(row.agency_id),
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
            interprets: row.interprets_id.map(ItemId::new),
        },
        normative,
        attachments: attachments
            .into_iter()
            .map(AttachmentRow::into_attachment)
            .collect(),
        workflow,
        index_number: row.index_number,
    })
}

/// Filters for [`list_items`].
#[derive(Debug, Clone, Default)]
pub struct ItemFilter {
    pub stage: Option<Stage>,
    pub column: Option<String>,
}

/// Which items [`load`] reads: a condition on `catalog_item i` with the key as `$1`.
enum Scope {
    Item(ItemId),
    Agency(AgencyId),
}

impl Scope {
    fn sql(&self) -> (&'static str, i64) {
        match self {
            Scope::Item(id) => ("i.id = $1", id.get()),
            Scope::Agency(id) => ("i.agency_id = $1", id.get()),
        }
    }
}

/// Loads the items of `scope` passing `filter` (oldest first), each with its steps, validity
/// history and attachment list.
async fn load(ex: Exec<'_>, scope: Scope, filter: &ItemFilter) -> Result<Vec<CatalogItem>> {
    let (cond, key) = scope.sql();
    let stage = filter.stage.map(|s| s.key());
    let column = filter.column.as_deref();
    let items_sql = format!(
        "SELECT {ITEM_COLS} FROM catalog_item i WHERE {cond} \
         AND ($2 IS NULL OR i.stage = $2) AND ($3 IS NULL OR i.column_name = $3) ORDER BY i.id"
    );
    // The history of every item in scope; rows of items the filter dropped are ignored.
    let steps_sql = format!(
        "SELECT {STEP_COLS} FROM catalog_step s JOIN catalog_item i ON i.id = s.item_id \
         WHERE {cond} ORDER BY s.item_id, s.seq"
    );
    let validity_sql = format!(
        "SELECT {VALIDITY_COLS} FROM catalog_validity v JOIN catalog_item i ON i.id = v.item_id \
         WHERE {cond} ORDER BY v.item_id, v.seq"
    );
    let attachments_sql = format!(
        "SELECT {ATTACHMENT_COLS} FROM catalog_attachment a JOIN catalog_item i \
         ON i.id = a.item_id WHERE {cond} ORDER BY a.item_id, a.id"
    );
    let (rows, steps, validity, attachments): (
        Vec<ItemRow>,
        Vec<StepRow>,
        Vec<ValidityRow>,
        Vec<AttachmentRow>,
    ) = with_conn!(ex, |c| {
        let rows = sqlx::query_as(sqlx::AssertSqlSafe(items_sql.clone()))
            .bind(key)
            .bind(stage)
            .bind(column)
            .fetch_all(&mut *c)
            .await?;
        let steps = sqlx::query_as(sqlx::AssertSqlSafe(steps_sql.clone()))
            .bind(key)
            .fetch_all(&mut *c)
            .await?;
        let validity = sqlx::query_as(sqlx::AssertSqlSafe(validity_sql.clone()))
            .bind(key)
            .fetch_all(&mut *c)
            .await?;
        let attachments = sqlx::query_as(sqlx::AssertSqlSafe(attachments_sql.clone()))
            .bind(key)
            .fetch_all(&mut *c)
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

fn group<T>(rows: Vec<T>, key: impl Fn(&T) -> i64) -> HashMap<i64, Vec<T>> {
    let mut out: HashMap<i64, Vec<T>> = HashMap::new();
    for r in rows {
        out.entry(key(&r)).or_default().push(r);
    }
    out
}

/// Loads one item with its steps, validity history and attachment list.
pub async fn find_item<'a>(ex: impl Into<Exec<'a>>, id: ItemId) -> Result<CatalogItem> {
    load(ex.into(), Scope::Item(id), &ItemFilter::default())
        .await?
        .pop()
        .ok_or_else(|| StoreError::not_found("catalogue item", id))
}

/// Lists an agency's items (oldest first), each fully loaded.
pub async fn list_items(
    db: &Db,
    agency: AgencyId,
    filter: &ItemFilter,
) -> Result<Vec<CatalogItem>> {
    load(db.into(), Scope::Agency(agency), filter).await
}

/// The current 有效性 of a 规章 or 行政规范性文件, kept on the row for the public lists.
fn validity_key(item: &CatalogItem) -> Option<&'static str> {
    item.normative.as_ref().map(|n| n.current().status.key())
}

fn keywords_json(item: &CatalogItem) -> String {
    serde_json::to_string(&item.content.keywords).unwrap_or_else(|_| "[]".into())
}

/// Binds an item's editable content, in the column order title, publisher, formed_on,
/// changed_on, doc_number, subject, column_name, genre, summary, body_html, keywords.
macro_rules! bind_content {
    ($query:expr, $item:expr) => {{
        let item: &CatalogItem = $item;
        let c = &item.content;
        $query
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
    }};
}

/// Inserts a new item of its agency (its 拟稿 step and first validity included; its own `id`,
/// not yet assigned, is ignored) and returns the id it was given.
pub async fn insert_item(tx: &mut Tx, item: &CatalogItem) -> Result<ItemId> {
    let now = OffsetDateTime::now_utc();
    let drafter = item.workflow.drafter();
    let id: i64 = on_tx!(tx, |conn| {
        let q = sqlx::query_scalar(
            "INSERT INTO catalog_item (agency_id, title, publisher, formed_on, changed_on, \
             doc_number, subject, column_name, genre, summary, body_html, keywords, \
             normative_kind, interprets_id, drafter, drafter_id, stage, index_number, \
             published_at, published_on, validity, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
             $17, $18, $19, $20, $21, $22, $22) RETURNING id",
        )
        .bind(item.agency.get());
        bind_content!(q, item)
            .bind(item.normative.as_ref().map(|n| n.kind.key()))
            .bind(item.content.interprets.map(ItemId::get))
            .bind(drafter.name.as_str())
            .bind(drafter.id.get())
            .bind(item.stage().key())
            .bind(item.index_number.as_deref())
            .bind(item.workflow.published_at())
            .bind(item.published_on())
            .bind(validity_key(item))
            .bind(now)
            .fetch_one(conn)
            .await?
    });
    append_history(tx, id, item, 0, 0, now).await?;
    Ok(ItemId::new(id))
}

/// Writes the item's current content and stage, and appends the steps and validity changes it
/// gained since it was loaded in `loaded_stage`. Fails with a conflict when the stored item is
/// no longer in that stage (someone else moved it meanwhile).
pub async fn save_item(tx: &mut Tx, item: &CatalogItem, loaded_stage: Stage) -> Result<()> {
    let id = item.id.get();
    let now = OffsetDateTime::now_utc();
    let updated = on_tx!(tx, |conn| {
        let q = sqlx::query(
            "UPDATE catalog_item SET title = $1, publisher = $2, formed_on = $3, \
             changed_on = $4, doc_number = $5, subject = $6, column_name = $7, genre = $8, \
             summary = $9, body_html = $10, keywords = $11, stage = $12, index_number = $13, \
             published_at = $14, published_on = $15, validity = $16, updated_at = $17 \
             WHERE id = $18 AND stage = $19",
        );
        bind_content!(q, item)
            .bind(item.stage().key())
            .bind(item.index_number.as_deref())
            .bind(item.workflow.published_at())
            .bind(item.published_on())
            .bind(validity_key(item))
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

/// The items that interpret `policy` (its 政策解读).
pub async fn interpretations_of(db: &Db, policy: ItemId) -> Result<Vec<ItemId>> {
    let ids: Vec<i64> = on_db!(db, |p| {
        sqlx::query_scalar("SELECT id FROM catalog_item WHERE interprets_id = $1 ORDER BY id")
            .bind(policy.get())
            .fetch_all(p)
            .await?
    });
    Ok(ids.into_iter().map(ItemId::new).collect())
}

/// Every (policy, 政策解读) pair of an agency's catalogue, interpretations oldest first.
pub async fn interpretation_links(db: &Db, agency: AgencyId) -> Result<Vec<(ItemId, ItemId)>> {
    let pairs: Vec<(i64, i64)> = on_db!(db, |p| {
        sqlx::query_as(
            "SELECT interprets_id, id FROM catalog_item \
             WHERE agency_id = $1 AND interprets_id IS NOT NULL ORDER BY id",
        )
        .bind(agency.get())
        .fetch_all(p)
        .await?
    });
    Ok(pairs
        .into_iter()
        .map(|(policy, item)| (ItemId::new(policy), ItemId::new(item)))
        .collect())
}

/// An item whose row changed: enough for a derived index to decide what to do with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedItem {
    pub id: ItemId,
    pub stage: Stage,
    pub updated_at: OffsetDateTime,
}

/// The items whose row changed at or after `since` (every item when `None`), oldest change
/// first: what the search index follows.
pub async fn changed_since(db: &Db, since: Option<OffsetDateTime>) -> Result<Vec<ChangedItem>> {
    let rows: Vec<(i64, String, OffsetDateTime)> = on_db!(db, |p| {
        sqlx::query_as(
            "SELECT id, stage, updated_at FROM catalog_item \
             WHERE ($1 IS NULL OR updated_at >= $1) ORDER BY updated_at, id",
        )
        .bind(since)
        .fetch_all(p)
        .await?
    });
    rows.into_iter()
        .map(|(id, stage, updated_at)| {
            Ok(ChangedItem {
                id: ItemId::new(id),
                stage: Stage::from_key(&stage)
                    .ok_or_else(|| invalid(format!("item {id}: unknown stage {stage}")))?,
                updated_at,
            })
        })
        .collect()
}
