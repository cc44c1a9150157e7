//! Periodic review campaigns (定期清理, migration 0114, docs/cleanup.md): what a campaign reads
//! of the published catalogue, its entries and their decisions.

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::{on_db, on_tx};
use time::{Date, OffsetDateTime};

/// A published item as the review reads it: no body, the current validity of a normative one.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReviewedItem {
    pub id: i64,
    pub title: String,
    pub index_number: String,
    pub column_name: String,
    pub formed_on: Date,
    pub published_on: Date,
    pub normative_kind: Option<String>,
    pub v_status: Option<String>,
    pub v_effective_on: Option<Date>,
    pub v_ends_on: Option<Date>,
}

/// The agency's published items, oldest first.
pub async fn published_items(db: &Db, agency_id: i64) -> Result<Vec<ReviewedItem>> {
    let rows: Vec<ReviewedItem> = on_db!(db, |p| {
        sqlx::query_as(
            "SELECT i.id, i.title, i.index_number, i.column_name, i.formed_on, i.published_on, \
             i.normative_kind, v.status AS v_status, v.effective_on AS v_effective_on, \
             v.ends_on AS v_ends_on \
             FROM catalog_item i LEFT JOIN catalog_validity v ON v.item_id = i.id \
             AND v.seq = (SELECT MAX(w.seq) FROM catalog_validity w WHERE w.item_id = i.id) \
             WHERE i.agency_id = $1 AND i.stage = 'published' ORDER BY i.published_at, i.id",
        )
        .bind(agency_id)
        .fetch_all(p)
        .await?
    });
    Ok(rows)
}

/// Bodies of the agency's published items that may link to other items (`/items/` in them).
pub async fn bodies_with_item_links(db: &Db, agency_id: i64) -> Result<Vec<(i64, String)>> {
    let rows: Vec<(i64, String)> = on_db!(db, |p| {
        sqlx::query_as(
            "SELECT id, body_html FROM catalog_item WHERE agency_id = $1 AND stage = 'published' \
             AND body_html LIKE '%/items/%' ORDER BY id",
        )
        .bind(agency_id)
        .fetch_all(p)
        .await?
    });
    Ok(rows)
}

/// The stage of item `id`, if it exists.
pub async fn item_stage(db: &Db, id: i64) -> Result<Option<String>> {
    let stage: Option<String> = on_db!(db, |p| {
        sqlx::query_scalar("SELECT stage FROM catalog_item WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await?
    });
    Ok(stage)
}

/// An attachment of a published item, as recorded at upload.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RecordedAttachment {
    pub id: i64,
    pub item_id: i64,
    pub name: String,
    pub size: i64,
    pub sha256: String,
}

/// The attachments of the agency's published items, without their content.
pub async fn published_attachments(db: &Db, agency_id: i64) -> Result<Vec<RecordedAttachment>> {
    let rows: Vec<RecordedAttachment> = on_db!(db, |p| {
        sqlx::query_as(
            "SELECT a.id, a.item_id, a.name, a.size, a.sha256 FROM catalog_attachment a \
             JOIN catalog_item i ON i.id = a.item_id \
             WHERE i.agency_id = $1 AND i.stage = 'published' ORDER BY a.id",
        )
        .bind(agency_id)
        .fetch_all(p)
        .await?
    });
    Ok(rows)
}

/// The stored content of attachment `id` (one at a time: attachments may be large).
pub async fn attachment_bytes(db: &Db, id: i64) -> Result<Vec<u8>> {
    let content: Option<Vec<u8>> = on_db!(db, |p| {
        sqlx::query_scalar("SELECT content FROM catalog_attachment WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await?
    });
    content.ok_or_else(|| StoreError::not_found("attachment", id))
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CampaignRow {
    pub id: i64,
    pub agency_id: i64,
    pub title: String,
    pub as_of: Date,
    pub max_age_years: i32,
    pub normative_term_years: i32,
    pub created_actor: String,
    pub created_at: OffsetDateTime,
}

const CAMPAIGN_COLS: &str = "id, agency_id, title, as_of, max_age_years, normative_term_years, \
    created_actor, created_at";

/// A campaign to start.
#[derive(Debug, Clone)]
pub struct NewCampaign<'a> {
    pub agency_id: i64,
    pub title: &'a str,
    pub as_of: Date,
    pub max_age_years: i32,
    pub normative_term_years: i32,
    pub user_id: i64,
    pub actor: &'a str,
    pub at: OffsetDateTime,
}

/// Starts a campaign with its entries (item id, reasons as JSON).
pub async fn insert(tx: &mut Tx, new: &NewCampaign<'_>, entries: &[(i64, String)]) -> Result<i64> {
    let id: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar(
            "INSERT INTO cleanup_campaign (agency_id, title, as_of, max_age_years, \
             normative_term_years, created_by, created_actor, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(new.agency_id)
        .bind(new.title)
        .bind(new.as_of)
        .bind(new.max_age_years)
        .bind(new.normative_term_years)
        .bind(new.user_id)
        .bind(new.actor)
        .bind(new.at)
        .fetch_one(&mut *c)
        .await?
    });
    for (item, reasons) in entries {
        on_tx!(tx, |c| {
            sqlx::query(
                "INSERT INTO cleanup_entry (campaign_id, item_id, reasons) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(item)
            .bind(reasons)
            .execute(c)
            .await?;
        });
    }
    Ok(id)
}

pub async fn find(db: &Db, id: i64) -> Result<CampaignRow> {
    let row: Option<CampaignRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {CAMPAIGN_COLS} FROM cleanup_campaign WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(p)
        .await?
    });
    row.ok_or_else(|| StoreError::not_found("cleanup campaign", id))
}

/// A campaign with the decisions of its entries (`None` for an entry not yet decided).
pub type CampaignDecisions = (CampaignRow, Vec<Option<String>>);

/// The agency's campaigns, newest first, each with its entries' decisions.
pub async fn list(db: &Db, agency_id: i64) -> Result<Vec<CampaignDecisions>> {
    let campaigns: Vec<CampaignRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {CAMPAIGN_COLS} FROM cleanup_campaign WHERE agency_id = $1 ORDER BY id DESC"
        )))
        .bind(agency_id)
        .fetch_all(p)
        .await?
    });
    let decisions: Vec<(i64, Option<String>)> = on_db!(db, |p| {
        sqlx::query_as(
            "SELECT e.campaign_id, e.decision FROM cleanup_entry e \
             JOIN cleanup_campaign c ON c.id = e.campaign_id WHERE c.agency_id = $1",
        )
        .bind(agency_id)
        .fetch_all(p)
        .await?
    });
    Ok(campaigns
        .into_iter()
        .map(|c| {
            let mine = decisions
                .iter()
                .filter(|(id, _)| *id == c.id)
                .map(|(_, d)| d.clone())
                .collect();
            (c, mine)
        })
        .collect())
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EntryRow {
    pub campaign_id: i64,
    pub item_id: i64,
    pub title: String,
    pub index_number: Option<String>,
    pub column_name: String,
    pub stage: String,
    pub normative_kind: Option<String>,
    pub reasons: String,
    pub decision: Option<String>,
    pub effective_on: Option<Date>,
    pub note: Option<String>,
    pub decided_actor: Option<String>,
    pub decided_at: Option<OffsetDateTime>,
}

const ENTRY_SELECT: &str = "SELECT e.campaign_id, e.item_id, i.title, i.index_number, \
    i.column_name, i.stage, i.normative_kind, e.reasons, e.decision, e.effective_on, e.note, \
    e.decided_actor, e.decided_at FROM cleanup_entry e JOIN catalog_item i ON i.id = e.item_id";

/// A campaign's entries, in the order of the items' publication.
pub async fn entries(db: &Db, campaign_id: i64) -> Result<Vec<EntryRow>> {
    let rows: Vec<EntryRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{ENTRY_SELECT} WHERE e.campaign_id = $1 ORDER BY i.published_at, i.id"
        )))
        .bind(campaign_id)
        .fetch_all(p)
        .await?
    });
    Ok(rows)
}

/// One entry, if the item is listed in the campaign.
pub async fn entry(db: &Db, campaign_id: i64, item_id: i64) -> Result<Option<EntryRow>> {
    let row: Option<EntryRow> = on_db!(db, |p| {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{ENTRY_SELECT} WHERE e.campaign_id = $1 AND e.item_id = $2"
        )))
        .bind(campaign_id)
        .bind(item_id)
        .fetch_optional(p)
        .await?
    });
    Ok(row)
}

/// A decision to record.
#[derive(Debug, Clone)]
pub struct NewDecision<'a> {
    pub decision: &'a str,
    pub effective_on: Option<Date>,
    pub note: Option<&'a str>,
    pub user_id: i64,
    pub actor: &'a str,
    pub at: OffsetDateTime,
}

/// Records the decision on an entry not yet decided; `false` when it already was.
pub async fn decide(
    tx: &mut Tx,
    campaign_id: i64,
    item_id: i64,
    d: &NewDecision<'_>,
) -> Result<bool> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE cleanup_entry SET decision = $1, effective_on = $2, note = $3, \
             decided_by = $4, decided_actor = $5, decided_at = $6 \
             WHERE campaign_id = $7 AND item_id = $8 AND decision IS NULL",
        )
        .bind(d.decision)
        .bind(d.effective_on)
        .bind(d.note)
        .bind(d.user_id)
        .bind(d.actor)
        .bind(d.at)
        .bind(campaign_id)
        .bind(item_id)
        .execute(c)
        .await?
        .rows_affected()
    });
    Ok(n == 1)
}
