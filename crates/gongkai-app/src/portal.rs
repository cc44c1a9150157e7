//! The public side (政府信息公开 column): what a citizen may read, and nothing else. Drafts and
//! items under review never leave this module; a withdrawn item is said to be withdrawn.
//! Everything here is read-only and needs no actor.

use crate::App;
use crate::agency::{AgencyInRegion, AgencyView};
use crate::catalog::documents::DocumentView;
use crate::error::{AppError, Result};
use gongkai_core::catalog::{CatalogItem, DocumentKind, Stage, ValidityStatus};
use gongkai_core::ids::{AgencyId, ItemId};
use gongkai_store::repo::agency as agency_repo;
use gongkai_store::repo::catalog::{self as repo, ItemFilter};
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

/// Which published items to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicFilter {
    pub column: Option<String>,
    /// The top level of the 主题分类, or the full `top\sub`.
    pub subject: Option<String>,
    pub year: Option<i32>,
    pub genre: Option<String>,
    pub validity: Option<ValidityStatus>,
    /// 1-based.
    pub page: usize,
    pub per_page: usize,
}

/// A page of a list, with the counts that narrow it (each over the whole agency's catalogue).
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
}

/// A page past the last one does not exist.
fn bad_page(page: usize, pages: usize) -> AppError {
    AppError::not_found("page", format!("{page} (of {pages})"))
}

fn summary(item: &CatalogItem) -> Option<ItemSummary> {
    let published_on = item.published_on()?;
    let c = &item.content;
    Some(ItemSummary {
        id: item.id,
        agency: item.agency,
        title: c.title.clone(),
        index_number: item.index_number.clone(),
        doc_number: c.doc_number.as_ref().map(|d| d.as_str().to_string()),
        column: c.column.clone(),
        subject: c.subject.as_ref().map(|s| s.to_string()),
        genre: c.genre.clone(),
        validity: item.normative.as_ref().map(|n| n.current().status.zh()),
        formed_on: c.formed_on,
        published_on,
    })
}

/// Every agency with its region path.
pub async fn agencies(app: &App) -> Result<Vec<AgencyInRegion>> {
    crate::agency::list(app).await
}

pub async fn agency(app: &App, id: AgencyId) -> Result<AgencyView> {
    Ok(agency_repo::find_agency(&app.db, id.get()).await?.into())
}

/// The agency's published items, newest first.
async fn published_items(app: &App, agency: AgencyId) -> Result<Vec<CatalogItem>> {
    let mut items = repo::list_items(
        &app.db,
        agency,
        &ItemFilter {
            stage: Some(Stage::Published),
            column: None,
        },
    )
    .await?;
    items.sort_by_key(|i| std::cmp::Reverse((i.workflow.published_at(), i.id)));
    Ok(items)
}

fn counted<K: Ord>(keys: impl Iterator<Item = K>) -> Vec<(K, usize)> {
    let mut m: BTreeMap<K, usize> = BTreeMap::new();
    for k in keys {
        *m.entry(k).or_default() += 1;
    }
    m.into_iter().collect()
}

/// A page of the agency's 法定主动公开内容, newest first.
pub async fn published(app: &App, agency: AgencyId, f: &PublicFilter) -> Result<Listing> {
    let per_page = f.per_page.clamp(1, MAX_PER_PAGE);
    let page = f.page.max(1);
    let all: Vec<ItemSummary> = published_items(app, agency)
        .await?
        .iter()
        .filter_map(summary)
        .collect();
    let matches = |s: &ItemSummary| {
        f.column.as_ref().is_none_or(|c| &s.column == c)
            && f.subject.as_ref().is_none_or(|want| {
                s.subject
                    .as_ref()
                    .is_some_and(|have| have == want || have.split('\\').next() == Some(want))
            })
            && f.year.is_none_or(|y| s.published_on.year() == y)
            && f.genre.as_ref().is_none_or(|g| s.genre.as_ref() == Some(g))
            && f.validity.is_none_or(|v| s.validity == Some(v.zh()))
    };
    let columns = counted(all.iter().map(|s| s.column.clone()));
    let subjects = counted(all.iter().filter_map(|s| {
        s.subject
            .as_ref()
            .map(|x| x.split('\\').next().unwrap_or(x).to_string())
    }));
    let mut years = counted(all.iter().map(|s| s.published_on.year()));
    years.reverse();
    let genres = counted(all.iter().filter_map(|s| s.genre.clone()));
    let chosen: Vec<ItemSummary> = all.into_iter().filter(|s| matches(s)).collect();
    let total = chosen.len();
    let pages = total.div_ceil(per_page).max(1);
    if page > pages {
        return Err(bad_page(page, pages));
    }
    let items = chosen
        .into_iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .collect();
    Ok(Listing {
        items,
        total,
        page,
        pages,
        per_page,
        columns,
        subjects,
        years,
        genres,
    })
}

/// The newest published items of every agency (the region's home page).
pub async fn latest(app: &App, n: usize) -> Result<Vec<(ItemSummary, String)>> {
    let mut out: Vec<(ItemSummary, String)> = Vec::new();
    for a in agency_repo::list_agencies(&app.db).await? {
        for item in published_items(app, AgencyId::new(a.id))
            .await?
            .iter()
            .take(n)
        {
            if let Some(s) = summary(item) {
                out.push((s, a.name.clone()));
            }
        }
    }
    out.sort_by_key(|(s, _)| std::cmp::Reverse((s.published_on, s.id)));
    out.truncate(n);
    Ok(out)
}

/// One item, if the public may see it. A draft or an item under review is "not found".
pub async fn item(app: &App, id: ItemId) -> Result<ItemPage> {
    let not_found = || AppError::not_found("catalogue item", id);
    let item = match repo::find_item(&app.db, id).await {
        Ok(i) => i,
        Err(gongkai_store::StoreError::NotFound { .. }) => return Err(not_found()),
        Err(e) => return Err(e.into()),
    };
    match item.stage() {
        Stage::Published => {}
        Stage::Withdrawn => {
            let on = item
                .workflow
                .last_step(gongkai_core::catalog::Action::Withdraw)
                .map(|s| gongkai_core::calendar::date_in_china(s.at))
                .unwrap_or(item.content.formed_on);
            return Ok(ItemPage::Withdrawn {
                title: item.content.title.clone(),
                agency: item.agency,
                on,
            });
        }
        _ => return Err(not_found()),
    }
    let Some(summary) = summary(&item) else {
        return Err(not_found());
    };
    let published_at = item.workflow.published_at().ok_or_else(not_found)?;
    let agency = agency_repo::find_agency(&app.db, item.agency.get()).await?;
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
    let title_of = |i: &CatalogItem| (i.id, i.content.title.clone());
    let mut interpretations = Vec::new();
    for (policy, interpretation) in repo::interpretation_links(&app.db, item.agency).await? {
        if policy == id
            && let Ok(i) = repo::find_item(&app.db, interpretation).await
            && i.stage() == Stage::Published
        {
            interpretations.push(title_of(&i));
        }
    }
    let interprets = match item.content.interprets {
        Some(p) => match repo::find_item(&app.db, p).await {
            Ok(i) if i.stage() == Stage::Published => Some(title_of(&i)),
            _ => None,
        },
        None => None,
    };
    let c = &item.content;
    Ok(ItemPage::Published(Box::new(PublicItem {
        summary,
        agency_name: agency.name,
        publisher: c.publisher.clone(),
        keywords: c.keywords.clone(),
        summary_text: c.summary.clone(),
        body_html: c.body.as_html().to_string(),
        attachments,
        interprets,
        interpretations,
        published_at,
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

/// The years for which the agency's annual report can be shown: every year before `today`'s
/// in which it published an item (the report is due by 31 January of the next year).
pub async fn report_years(app: &App, agency: AgencyId, today: Date) -> Result<Vec<i32>> {
    let mut years: Vec<i32> = published_items(app, agency)
        .await?
        .iter()
        .filter_map(|i| i.published_on().map(|d| d.year()))
        .filter(|y| *y < today.year())
        .collect();
    years.sort_unstable();
    years.dedup();
    years.reverse();
    Ok(years)
}

/// The agency's annual report for `year`, computed from its data.
pub async fn report(
    app: &App,
    agency: AgencyId,
    year: i32,
    today: Date,
) -> Result<gongkai_core::report::AnnualReport> {
    if !report_years(app, agency, today).await?.contains(&year) {
        return Err(AppError::not_found("annual report", year));
    }
    let a = agency_repo::find_agency(&app.db, agency.get()).await?;
    crate::report::compute(app, &a.org_code, year).await
}
