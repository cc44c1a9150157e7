//! The public side (政府信息公开 column): what a citizen may read, and nothing else. Drafts and
//! items under review never leave this module; a withdrawn item is said to be withdrawn.
//! Everything here is read-only and needs no actor.

use crate::App;
use crate::agency::{AgencyInRegion, AgencyView};
use crate::catalog::documents::DocumentView;
use crate::error::{AppError, Result};
use gongkai_core::catalog::{DocumentKind, ValidityStatus};
use gongkai_core::ids::{AgencyId, ItemId, RegionId};
use gongkai_store::repo::agency as agency_repo;
use gongkai_store::repo::catalog::{self as repo, PublicQuery, PublicRow, PublicScope};
use serde::Serialize;
use std::collections::BTreeMap;
use time::{Date, OffsetDateTime};

/// The most items a list page shows.
pub const MAX_PER_PAGE: usize = 100;

/// One line of a list of published items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemSummary {
    pub id: ItemId,
    pub agency: AgencyId,
    pub title: String,
    pub index_number: Option<String>,
    pub doc_number: Option<String>,
    pub column: String,
    pub subject: Option<String>,
    pub genre: Option<String>,
    /// 有效 / 失效 / 废止 for 规章 and 行政规范性文件.
    pub validity: Option<&'static str>,
    pub formed_on: Date,
    pub published_on: Date,
}

impl ItemSummary {
    /// 失效 or 废止 when the item is a 规章 or 行政规范性文件 no longer in force.
    pub fn not_in_force(&self) -> Option<&'static str> {
        self.validity.filter(|v| *v != ValidityStatus::Valid.zh())
    }
}

/// An item's metadata block and body, as portals print them (索引号, 信息名称, 发布机构, 成文日期,
/// 发布日期, 文号, 主题分类, 体裁, 有效性, 关键词).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicItem {
    #[serde(flatten)]
    pub summary: ItemSummary,
    pub agency_name: String,
    pub publisher: String,
    pub keywords: Vec<String>,
    pub summary_text: String,
    /// Sanitised when it was stored.
    pub body_html: String,
    pub attachments: Vec<PublicAttachment>,
    /// For a 政策解读: the policy it interprets.
    pub interprets: Option<(ItemId, String)>,
    /// For a policy: its 政策解读.
    pub interpretations: Vec<(ItemId, String)>,
    #[serde(with = "time::serde::rfc3339")]
    pub published_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicAttachment {
    pub id: i64,
    pub name: String,
    pub media_type: String,
    pub size: u64,
}

/// An item as the public may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemPage {
    Published(Box<PublicItem>),
    /// Withdrawn (撤回) on this day; its URL answers that it is gone.
    Withdrawn {
        title: String,
        agency: AgencyId,
        on: Date,
    },
}

/// Whose 政府信息公开 column: one agency's, or a region's (every agency in it and below).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Agency(AgencyId),
    Region(RegionId),
}

impl Column {
    fn scope(self) -> PublicScope {
        match self {
            Column::Agency(a) => PublicScope::Agency(a),
            Column::Region(r) => PublicScope::Region(r),
        }
    }
}

/// Which published items to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicFilter {
    pub column: Option<String>,
    /// The top level of the 主题分类, or the full `top\sub`.
    pub subject: Option<String>,
    pub year: Option<i32>,
    pub genre: Option<String>,
    pub validity: Option<ValidityStatus>,
    /// In a region's column: one of its agencies.
    pub agency: Option<AgencyId>,
    /// 1-based.
    pub page: usize,
    pub per_page: usize,
}

/// A page of a list, with the counts that narrow it (each over the whole column).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listing {
    pub items: Vec<ItemSummary>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    pub per_page: usize,
    pub columns: Vec<(String, usize)>,
    pub subjects: Vec<(String, usize)>,
    pub years: Vec<(i32, usize)>,
    pub genres: Vec<(String, usize)>,
    /// In a region's column: the agencies with published items, with their names.
    pub agencies: Vec<(AgencyId, String, usize)>,
}

/// A page past the last one does not exist.
fn bad_page(page: usize, pages: usize) -> AppError {
    AppError::not_found("page", format!("{page} (of {pages})"))
}

impl From<PublicRow> for ItemSummary {
    fn from(r: PublicRow) -> ItemSummary {
        ItemSummary {
            id: r.id,
            agency: r.agency,
            title: r.title,
            index_number: r.index_number,
            doc_number: r.doc_number,
            column: r.column,
            subject: r.subject,
            genre: r.genre,
            validity: r.validity.map(ValidityStatus::zh),
            formed_on: r.formed_on,
            published_on: r.published_on,
        }
    }
}

/// Every agency with its region path.
pub async fn agencies(app: &App) -> Result<Vec<AgencyInRegion>> {
    crate::agency::list(app).await
}

/// How many catalogue items changed at or after `since` (all when `None`), and the watermark
/// for the next look: what a portal without a search index follows to know its cached pages
/// are stale.
pub async fn changes_since(
    app: &App,
    since: Option<OffsetDateTime>,
) -> Result<crate::search::Synced> {
    let changed = repo::changed_since(&app.db, since).await?;
    Ok(crate::search::Synced {
        since: changed.last().map(|c| c.updated_at).or(since),
        changed: changed.len(),
    })
}

/// Every agency's name, by id (one query).
pub async fn agency_names(app: &App) -> Result<std::collections::HashMap<AgencyId, String>> {
    Ok(agency_repo::list_agencies(&app.db)
        .await?
        .into_iter()
        .map(|a| (AgencyId::new(a.id), a.name))
        .collect())
}

pub async fn agency(app: &App, id: AgencyId) -> Result<AgencyView> {
    Ok(agency_repo::find_agency(&app.db, id.get()).await?.into())
}

fn count(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// Counts keyed by the top level of the 主题分类.
fn top_subjects(subjects: Vec<(String, u64)>) -> Vec<(String, usize)> {
    let mut m: BTreeMap<String, usize> = BTreeMap::new();
    for (s, n) in subjects {
        let top = s.split('\\').next().unwrap_or(&s).to_string();
        *m.entry(top).or_default() += count(n);
    }
    m.into_iter().collect()
}

/// Counts by year (newest first) from counts by day.
fn years_of(days: &[(Date, u64)]) -> Vec<(i32, usize)> {
    let mut m: BTreeMap<i32, usize> = BTreeMap::new();
    for (d, n) in days {
        *m.entry(d.year()).or_default() += count(*n);
    }
    m.into_iter().rev().collect()
}

/// A page of the column's 法定主动公开内容, newest first.
pub async fn published(app: &App, column: Column, f: &PublicFilter) -> Result<Listing> {
    let per_page = f.per_page.clamp(1, MAX_PER_PAGE);
    let page = f.page.max(1);
    let scope = column.scope();
    let query = PublicQuery {
        column: f.column.clone(),
        subject: f.subject.clone(),
        year: f.year,
        genre: f.genre.clone(),
        validity: f.validity,
        agency: f.agency,
        limit: u32::try_from(per_page).unwrap_or(u32::MAX),
        offset: u64::try_from((page - 1).saturating_mul(per_page)).unwrap_or(u64::MAX),
    };
    let (rows, total) = repo::published_page(&app.db, scope, &query).await?;
    let total = count(total);
    let pages = total.div_ceil(per_page).max(1);
    if page > pages {
        return Err(bad_page(page, pages));
    }
    let facets = repo::published_facets(&app.db, scope).await?;
    let agencies = match column {
        Column::Agency(_) => Vec::new(),
        Column::Region(_) => {
            let names = agency_names(app).await?;
            facets
                .agencies
                .into_iter()
                .map(|(id, n)| {
                    let name = names.get(&id).cloned().unwrap_or_else(|| id.to_string());
                    (id, name, count(n))
                })
                .collect()
        }
    };
    let counted = |v: Vec<(String, u64)>| v.into_iter().map(|(k, n)| (k, count(n))).collect();
    Ok(Listing {
        items: rows.into_iter().map(ItemSummary::from).collect(),
        total,
        page,
        pages,
        per_page,
        columns: counted(facets.columns),
        subjects: top_subjects(facets.subjects),
        years: years_of(&facets.days),
        genres: counted(facets.genres),
        agencies,
    })
}

/// The newest published items of every agency (the home page), with their agencies' names.
pub async fn latest(app: &App, n: usize) -> Result<Vec<(ItemSummary, String)>> {
    let query = PublicQuery {
        limit: u32::try_from(n.min(MAX_PER_PAGE)).unwrap_or(1),
        ..PublicQuery::default()
    };
    let (rows, _) = repo::published_page(&app.db, PublicScope::All, &query).await?;
    let mut names: BTreeMap<AgencyId, String> = BTreeMap::new();
    let mut out = Vec::new();
    for r in rows {
        let name = match names.get(&r.agency) {
            Some(n) => n.clone(),
            None => {
                let n = agency_repo::find_agency(&app.db, r.agency.get())
                    .await?
                    .name;
                names.insert(r.agency, n.clone());
                n
            }
        };
        out.push((ItemSummary::from(r), name));
    }
    Ok(out)
}

/// A region as its column shows it: where it sits, what lies below, its agencies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionView {
    pub id: RegionId,
    pub name: String,
    /// 省级 / 市级 / 县级 / 乡级.
    pub level: &'static str,
    /// From the top region down to this one's parent.
    pub ancestors: Vec<(RegionId, String)>,
    pub children: Vec<(RegionId, String)>,
    /// Every agency of the region and the regions below, with the path below this region
    /// (empty for the region's own agencies).
    pub agencies: Vec<(AgencyView, String)>,
}

pub async fn region(app: &App, id: RegionId) -> Result<RegionView> {
    let r = match agency_repo::find_region(&app.db, id.get()).await {
        Ok(r) => r,
        Err(gongkai_store::StoreError::NotFound { .. }) => {
            return Err(AppError::not_found("region", id));
        }
        Err(e) => return Err(e.into()),
    };
    let mut ancestors: Vec<(RegionId, String)> = agency_repo::region_path(&app.db, r.id)
        .await?
        .into_iter()
        .map(|a| (RegionId::new(a.id), a.name))
        .collect();
    ancestors.pop();
    let children = agency_repo::list_regions(&app.db)
        .await?
        .into_iter()
        .filter(|c| c.parent_id == Some(r.id))
        .map(|c| (RegionId::new(c.id), c.name))
        .collect();
    let below = agency_repo::region_and_descendants(&app.db, r.id).await?;
    let depth = ancestors.len() + 1;
    let mut agencies = Vec::new();
    for a in agency_repo::list_agencies(&app.db).await? {
        if below.contains(&a.region_id) {
            let path = agency_repo::region_path(&app.db, a.region_id).await?;
            let under: Vec<String> = path.into_iter().skip(depth).map(|r| r.name).collect();
            agencies.push((AgencyView::from(a), under.join(" / ")));
        }
    }
    agencies.sort_by(|a, b| (&a.1, a.0.id).cmp(&(&b.1, b.0.id)));
    Ok(RegionView {
        id,
        name: r.name,
        level: r.level.label(),
        ancestors,
        children,
        agencies,
    })
}

/// The top regions (those with no parent), for the home page.
pub async fn top_regions(app: &App) -> Result<Vec<(RegionId, String)>> {
    Ok(agency_repo::list_regions(&app.db)
        .await?
        .into_iter()
        .filter(|r| r.parent_id.is_none())
        .map(|r| (RegionId::new(r.id), r.name))
        .collect())
}

/// One item, if the public may see it. A draft or an item under review is "not found".
pub async fn item(app: &App, id: ItemId) -> Result<ItemPage> {
    let not_found = || AppError::not_found("catalogue item", id);
    // One query for the page's item; the rare withdrawn item loads its history for the day.
    let Some(row) = repo::public_item(&app.db, id).await? else {
        return Err(not_found());
    };
    if row.withdrawn {
        let item = repo::find_item(&app.db, id).await?;
        let on = item
            .workflow
            .last_step(gongkai_core::catalog::Action::Withdraw)
            .map(|s| gongkai_core::calendar::date_in_china(s.at))
            .unwrap_or(item.content.formed_on);
        return Ok(ItemPage::Withdrawn {
            title: item.content.title,
            agency: item.agency,
            on,
        });
    }
    let attachments = repo::list_attachments(&app.db, id)
        .await?
        .into_iter()
        .map(|a| PublicAttachment {
            id: a.id,
            name: a.name,
            media_type: a.media_type,
            size: a.size,
        })
        .collect();
    let interpretations = repo::published_interpretations(&app.db, id).await?;
    let keywords: Vec<String> = serde_json::from_str(&row.keywords).map_err(|e| {
        AppError::internal(format!("catalogue item {id}: keywords are not JSON"), e)
    })?;
    Ok(ItemPage::Published(Box::new(PublicItem {
        summary: ItemSummary::from(row.line),
        agency_name: row.agency_name,
        publisher: row.publisher,
        keywords,
        summary_text: row.summary,
        body_html: row.body_html,
        attachments,
        interprets: row.interprets,
        interpretations,
        published_at: row.published_at,
    })))
}

/// An attachment of a published item: its name, content type and bytes.
pub async fn attachment(
    app: &App,
    item: ItemId,
    attachment: i64,
) -> Result<(PublicAttachment, Vec<u8>)> {
    let not_found = || AppError::not_found("attachment", attachment);
    match self::item(app, item).await? {
        ItemPage::Published(_) => {}
        ItemPage::Withdrawn { .. } => return Err(not_found()),
    }
    let (a, bytes) = match repo::attachment_content(&app.db, attachment).await {
        Ok(x) => x,
        Err(gongkai_store::StoreError::NotFound { .. }) => return Err(not_found()),
        Err(e) => return Err(e.into()),
    };
    if a.item != item {
        return Err(not_found());
    }
    Ok((
        PublicAttachment {
            id: a.id,
            name: a.name,
            media_type: a.media_type,
            size: a.size,
        },
        bytes,
    ))
}

/// The agency's 指南 or 制度 texts (current versions).
pub async fn documents(
    app: &App,
    agency: AgencyId,
    kind: DocumentKind,
) -> Result<Vec<DocumentView>> {
    crate::catalog::documents::documents(app, agency, Some(kind)).await
}

/// A year's published annual report as the portal lists it: the current version and every
/// earlier one (docs/rules/annual-report.md#workflow).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedReport {
    pub year: i32,
    /// Oldest first; the last is the current version.
    pub versions: Vec<crate::report::workflow::VersionView>,
}

impl PublishedReport {
    pub fn current(&self) -> i32 {
        self.versions.last().map_or(0, |v| v.version)
    }
}

/// The agency's published annual reports, newest year first. Only what was published through
/// the workflow is public; a report still being written is not.
pub async fn published_reports(app: &App, agency: AgencyId) -> Result<Vec<PublishedReport>> {
    let mut out = Vec::new();
    for (year, _) in crate::report::workflow::published_years(app, agency.get()).await? {
        out.push(PublishedReport {
            year,
            versions: crate::report::workflow::versions(app, agency.get(), year).await?,
        });
    }
    Ok(out)
}

/// The published versions of the agency's report for a year, oldest first.
pub async fn report_versions(
    app: &App,
    agency: AgencyId,
    year: i32,
) -> Result<Vec<crate::report::workflow::VersionView>> {
    crate::report::workflow::versions(app, agency.get(), year).await
}

/// A published version of the agency's report (`None`: the current one): its number and the
/// document exactly as published.
pub async fn published_report(
    app: &App,
    agency: AgencyId,
    year: i32,
    version: Option<i32>,
) -> Result<(i32, String)> {
    crate::report::workflow::version_document(app, agency.get(), year, version).await
}
