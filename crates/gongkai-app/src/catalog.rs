//! Catalogue use cases (docs/rules/catalogue.md): create and revise items, move them through
//! the publishing workflow, publish with a 索引号 drawn in the same transaction, keep validity
//! up to date, attachments, the approval form, staff entries of table 二, the agency's 指南 and
//! 制度, and what the annual report takes from the catalogue.
//!
//! Every use case takes the acting person and the time explicitly (`by`, `at`), so the CLI,
//! the web and the demo loader share one code path and tests need no clock.

pub mod demo;

use gongkai_catalog::{ApprovalForm, HtmlSanitizer};
use gongkai_core::calendar::Calendar;
use gongkai_core::catalog::item::BEIJING;
use gongkai_core::catalog::{
    Action, CatalogConfig, CatalogError, CatalogItem, ItemContent, ItemInput, Stage, Timeliness,
    Validity, ValidityStatus, stats,
};
use gongkai_core::report::{AnnualReport, Layout, Source, T2Key, Value};
use gongkai_store::repo::agency;
use gongkai_store::repo::catalog::{self as repo, DocumentKind, ItemFilter};
use gongkai_store::{Db, StoreError};
use time::{Date, OffsetDateTime};

/// Why a catalogue use case failed.
#[derive(Debug, thiserror::Error)]
pub enum CatalogAppError {
    /// The domain refused (out of turn, own draft, bad field …): show `zh()` to users.
    #[error("{0}")]
    Domain(#[from] CatalogError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Invalid(String),
    #[error("cannot produce the document: {0}")]
    Form(#[from] gongkai_catalog::FormError),
}

pub type Result<T, E = CatalogAppError> = std::result::Result<T, E>;

/// The agency's catalogue configuration: the defaults with its own settings applied.
pub async fn config(db: &Db, agency_id: i64) -> Result<CatalogConfig> {
    let base = CatalogConfig::default();
    match repo::settings(db, agency_id).await? {
        Some(json) => Ok(base.overridden(&json)?),
        None => Ok(base),
    }
}

/// Replaces the agency's catalogue settings (checked before they are stored).
pub async fn set_config(db: &Db, agency_id: i64, json: &str, by: &str) -> Result<CatalogConfig> {
    let cfg = CatalogConfig::default().overridden(json)?;
    let mut tx = db.begin().await?;
    repo::put_settings(&mut tx, agency_id, json, by).await?;
    tx.commit().await?;
    Ok(cfg)
}

fn id_of(item: &CatalogItem) -> Result<i64> {
    item.id
        .parse()
        .map_err(|_| CatalogAppError::Invalid(format!("item id {:?} is not a number", item.id)))
}

/// Checks that a 政策解读 points at an item of the same agency.
async fn check_link(db: &Db, agency_id: i64, content: &ItemContent) -> Result<()> {
    if let Some(target) = &content.interprets {
        let tid: i64 = target
            .parse()
            .map_err(|_| CatalogAppError::Invalid(format!("no catalogue item {target}")))?;
        let policy = repo::find_item(db, tid).await?;
        if policy.agency != agency_id.to_string() {
            return Err(CatalogAppError::Invalid(format!(
                "catalogue item {target} belongs to another agency"
            )));
        }
    }
    Ok(())
}

/// Creates a draft (拟稿) and returns it with its id.
pub async fn create_item(
    db: &Db,
    agency_id: i64,
    input: &ItemInput,
    by: &str,
    at: OffsetDateTime,
) -> Result<CatalogItem> {
    let cfg = config(db, agency_id).await?;
    let parsed = ItemContent::parse(input, &cfg, &HtmlSanitizer::default())?;
    check_link(db, agency_id, &parsed.0).await?;
    let kind = input.normative.as_ref().map(|n| n.kind);
    let mut item = CatalogItem::create(String::new(), agency_id.to_string(), parsed, kind, by, at)?;
    let mut tx = db.begin().await?;
    let id = repo::insert_item(&mut tx, agency_id, &item).await?;
    tx.commit().await?;
    item.id = id.to_string();
    Ok(item)
}

/// Loads an item inside a write transaction, lets `change` act on it, and saves what it
/// recorded; nothing is written when `change` refuses.
async fn change_item<F>(db: &Db, id: i64, change: F) -> Result<CatalogItem>
where
    F: FnOnce(&mut CatalogItem) -> Result<()>,
{
    let mut tx = db.begin().await?;
    let mut item = repo::find_item(&mut tx, id).await?;
    let loaded = item.stage();
    if let Err(e) = change(&mut item) {
        tx.rollback().await?;
        return Err(e);
    }
    repo::save_item(&mut tx, &item, loaded).await?;
    tx.commit().await?;
    Ok(item)
}

/// Replaces a draft's content (修改).
pub async fn revise_item(
    db: &Db,
    id: i64,
    input: &ItemInput,
    by: &str,
    at: OffsetDateTime,
    note: Option<&str>,
) -> Result<CatalogItem> {
    let current = repo::find_item(db, id).await?;
    let agency_id: i64 = current.agency.parse().unwrap_or_default();
    let cfg = config(db, agency_id).await?;
    let (content, _) = ItemContent::parse(input, &cfg, &HtmlSanitizer::default())?;
    check_link(db, agency_id, &content).await?;
    change_item(db, id, |item| {
        item.revise(content, by, at, note)?;
        Ok(())
    })
    .await
}

/// A workflow step other than publication: submit, clear_secrecy, approve, return, withdraw.
pub async fn act(
    db: &Db,
    id: i64,
    action: Action,
    by: &str,
    at: OffsetDateTime,
    note: Option<&str>,
) -> Result<CatalogItem> {
    if action == Action::Publish {
        return publish(db, id, by, at).await;
    }
    change_item(db, id, |item| {
        item.act(action, by, at, note)?;
        Ok(())
    })
    .await
}

/// Publishes an approved item: in one transaction, draws the next running number of the
/// agency's 索引号 scope, records the 发布 step and saves. The sequence row and the unique
/// index on (agency, 索引号) make a duplicate impossible even with concurrent publishers.
pub async fn publish(db: &Db, id: i64, by: &str, at: OffsetDateTime) -> Result<CatalogItem> {
    let mut tx = db.begin().await?;
    let mut item = repo::find_item(&mut tx, id).await?;
    if let Err(e) = item.check_publish(by, at) {
        tx.rollback().await?;
        return Err(e.into());
    }
    let agency_id: i64 = item
        .agency
        .parse()
        .map_err(|_| CatalogAppError::Invalid("bad agency id".into()))?;
    let agency = agency::find_agency(db, agency_id).await?;
    let cfg = config(db, agency_id).await?;
    let day = at.to_offset(BEIJING).date();
    let scope = cfg.index_pattern.scope(&agency.org_code, day);
    // A number already issued under an earlier pattern that renders the same is skipped, so
    // a change of pattern can never make publication fail on the unique index.
    let mut number = String::new();
    for _ in 0..1000 {
        let seq = repo::next_index_seq(&mut tx, agency_id, &scope).await?;
        number = cfg.index_pattern.render(&agency.org_code, day, seq);
        if !repo::index_number_taken(&mut tx, agency_id, &number).await? {
            break;
        }
    }
    item.publish(number, by, at)?;
    repo::save_item(&mut tx, &item, Stage::Approved).await?;
    tx.commit().await?;
    Ok(item)
}

/// Records a change of 有效性 (with 实施日期 / 废止日期) of a 规章 or 行政规范性文件.
#[allow(clippy::too_many_arguments)]
pub async fn change_validity(
    db: &Db,
    id: i64,
    status: ValidityStatus,
    effective_on: Option<Date>,
    ends_on: Option<Date>,
    by: &str,
    at: OffsetDateTime,
    reason: Option<&str>,
) -> Result<CatalogItem> {
    let validity = Validity::new(status, effective_on, ends_on)?;
    change_item(db, id, |item| {
        item.change_validity(validity, by, at, reason)?;
        Ok(())
    })
    .await
}

/// Adds an attachment to a draft after checking its type, size and content.
pub async fn attach(db: &Db, id: i64, name: &str, content: &[u8]) -> Result<CatalogItem> {
    let item = repo::find_item(db, id).await?;
    let agency_id = item.agency.parse().unwrap_or_default();
    let cfg = config(db, agency_id).await?;
    let meta = cfg.attachments.check(name, content)?;
    let mut tx = db.begin().await?;
    let mut item = repo::find_item(&mut tx, id).await?;
    if let Err(e) = item.attach(meta.clone(), cfg.attachments.max_count) {
        tx.rollback().await?;
        return Err(e.into());
    }
    repo::insert_attachment(
        &mut tx,
        id,
        &meta,
        content,
        &gongkai_catalog::sha256_hex(content),
    )
    .await?;
    tx.commit().await?;
    Ok(item)
}

/// An item with what a reviewer should see next to it.
#[derive(Debug, Clone)]
pub struct ItemView {
    pub item: CatalogItem,
    /// Art. 26 status (publication within 20 working days of forming or changing).
    pub timeliness: Timeliness,
    /// Things the reviewer should check, in Chinese.
    pub flags: Vec<String>,
    /// For a policy: the ids of its 政策解读.
    pub interpretations: Vec<i64>,
}

fn view(
    item: CatalogItem,
    cfg: &CatalogConfig,
    cal: &Calendar,
    today: Date,
    interpretations: Vec<i64>,
) -> ItemView {
    let timeliness =
        gongkai_core::catalog::timeliness(&item, cal, cfg.timeliness_working_days, today);
    let mut flags = Vec::new();
    if let Some(d) = &item.content.doc_number
        && d.flagged()
    {
        flags.push(format!(
            "文号“{d}”不符合“机关代字〔年份〕序号号”格式，请核对"
        ));
    }
    if timeliness.flagged() {
        flags.push(timeliness.zh());
    }
    // Personal information about to be (or already) published (docs/reliability.md PI-12).
    let c = &item.content;
    for text in [c.title.as_str(), c.summary.as_str(), c.body.as_html()] {
        flags.extend(
            gongkai_core::catalog::pii::scan(text)
                .iter()
                .map(|h| h.zh()),
        );
    }
    ItemView {
        item,
        timeliness,
        flags,
        interpretations,
    }
}

/// One item with its flags; `cal` is the data directory's calendar (Art. 26 timeliness).
pub async fn show(db: &Db, cal: &Calendar, id: i64, today: Date) -> Result<ItemView> {
    let item = repo::find_item(db, id).await?;
    let cfg = config(db, item.agency.parse().unwrap_or_default()).await?;
    let links = repo::interpretations_of(db, id).await?;
    Ok(view(item, &cfg, cal, today, links))
}

pub async fn list(
    db: &Db,
    cal: &Calendar,
    agency_id: i64,
    filter: &ItemFilter,
    today: Date,
) -> Result<Vec<ItemView>> {
    let cfg = config(db, agency_id).await?;
    let items = repo::list_items(db, agency_id, filter).await?;
    let mut links: std::collections::HashMap<String, Vec<i64>> = Default::default();
    for i in &items {
        if let Some(p) = &i.content.interprets {
            links.entry(p.clone()).or_default().push(id_of(i)?);
        }
    }
    Ok(items
        .into_iter()
        .map(|i| {
            let l = links.remove(&i.id).unwrap_or_default();
            view(i, &cfg, cal, today, l)
        })
        .collect())
}

/// The approval form of an item, from its recorded steps.
pub async fn approval_form(db: &Db, id: i64) -> Result<ApprovalForm> {
    let item = repo::find_item(db, id).await?;
    let agency = agency::find_agency(db, item.agency.parse().unwrap_or_default()).await?;
    Ok(ApprovalForm::from_item(&item, &agency.name))
}

/// Records a staff entry of table 二 (any cell but 第二十条第（一）项, which is computed).
pub async fn enter_table2(
    db: &Db,
    agency_id: i64,
    year: i32,
    cell: &str,
    value: &str,
    by: &str,
    note: Option<&str>,
) -> Result<()> {
    let layout = Layout::for_year(year);
    let parts: Vec<&str> = cell.trim_start_matches("table2.").split('.').collect();
    let key = match parts.as_slice() {
        [sub, row, col] => T2Key::find(layout, sub, row, col),
        _ => None,
    }
    .ok_or_else(|| {
        CatalogAppError::Invalid(format!(
            "{cell:?} is not a cell of table 二 in the {} layout (write sub.row.col, e.g. art20_5.admin_license.decisions)",
            layout.key()
        ))
    })?;
    if stats::is_computed(key) {
        return Err(CatalogAppError::Invalid(format!(
            "{cell} is computed from the catalogue (规章/行政规范性文件 and their validity), not entered"
        )));
    }
    if by.trim().is_empty() {
        return Err(CatalogAppError::Invalid(
            "who entered the value is required".into(),
        ));
    }
    let parsed = stats::parse_entry(key, value).map_err(CatalogAppError::Invalid)?;
    let mut tx = db.begin().await?;
    repo::insert_table2_entry(
        &mut tx,
        agency_id,
        year,
        key,
        &parsed.to_string_canonical(),
        by,
        note,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

trait Canonical {
    fn to_string_canonical(&self) -> String;
}

impl Canonical for Value {
    fn to_string_canonical(&self) -> String {
        match self {
            Value::NotApplicable => "/".into(),
            other => other.to_string(),
        }
    }
}

/// Fills what the catalogue contributes to an agency's report for `year`: `proactive` (section
/// 一's counts), table 二 第二十条第（一）项 computed with the ids counted, and the other rows
/// of table 二 from staff entries (who, when, note). Cells nobody entered stay blank.
pub async fn fill_report(
    db: &Db,
    agency_id: i64,
    year: i32,
    report: &mut AnnualReport,
) -> Result<()> {
    let cfg = config(db, agency_id).await?;
    let items = repo::list_items(db, agency_id, &ItemFilter::default()).await?;
    let counts = stats::proactive_counts(&items, &cfg.columns, year);
    report.proactive = Some(counts.to_proactive());
    // A draft of section 一's first paragraph, which staff then edit into the narrative.
    if report.sections.overview.is_none() {
        report.sections.overview = Some(format!(
            "（一）主动公开情况。{year}年1月1日至{year}年12月31日，{}{}",
            report.agency,
            counts.sentence()
        ));
    }
    if report.layout == Layout::Y2021 {
        for (key, cell) in stats::art20_1(&items, year) {
            report.table2.set(key, cell);
        }
    }
    for e in repo::table2_entries(db, agency_id, year).await? {
        let Some(key) = T2Key::find(report.layout, &e.sub, &e.row_key, &e.col) else {
            continue;
        };
        let value = stats::parse_entry(key, &e.value).map_err(|m| {
            CatalogAppError::Invalid(format!("stored table 二 entry {}: {m}", e.id))
        })?;
        let at = e
            .entered_at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        report.table2.set(
            key,
            stats::entered_cell(value, &e.entered_by, &at, e.note.as_deref()),
        );
    }
    Ok(())
}

/// Section 一's counts and sentence for an agency's year.
pub async fn proactive(db: &Db, agency_id: i64, year: i32) -> Result<stats::ProactiveCounts> {
    let cfg = config(db, agency_id).await?;
    let items = repo::list_items(db, agency_id, &ItemFilter::default()).await?;
    Ok(stats::proactive_counts(&items, &cfg.columns, year))
}

/// Stores a new version of the agency's 指南 or a 制度 text (sanitised).
pub async fn put_document(
    db: &Db,
    agency_id: i64,
    kind: DocumentKind,
    title: &str,
    body_html: &str,
    by: &str,
) -> Result<repo::AgencyDocument> {
    let title = title.trim();
    if title.is_empty() || by.trim().is_empty() {
        return Err(CatalogAppError::Invalid(
            "a document needs a title and an author".into(),
        ));
    }
    let body = HtmlSanitizer::default().clean(body_html);
    let mut tx = db.begin().await?;
    let doc = repo::put_document(&mut tx, agency_id, kind, title, &body, by).await?;
    tx.commit().await?;
    Ok(doc)
}

pub async fn documents(
    db: &Db,
    agency_id: i64,
    kind: Option<DocumentKind>,
) -> Result<Vec<repo::AgencyDocument>> {
    Ok(repo::documents(db, agency_id, kind).await?)
}

/// Whether a cell's value came from the catalogue (for displays that explain a number).
pub fn is_computed_source(source: Option<&Source>) -> bool {
    matches!(source, Some(Source::Computed { .. }))
}
