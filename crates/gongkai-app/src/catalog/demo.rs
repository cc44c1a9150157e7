//! The demo data of the catalogue: the seed agency (淄博市张店区机关事务服务中心) with its 2021
//! catalogue — 85 items in the 13 columns whose counts are the seed report's section 一 — each
//! taken through the real workflow (拟稿 → 保密审查 → 审核 → 发布) at its historical dates, its
//! table 二 entries (no licences, penalties, coercive measures or fees in 2021), and its 指南
//! and 制度 texts.

use super::{CatalogAppError, Result, act, create_item, enter_table2, publish, put_document};
use gongkai_core::catalog::{Action, ItemInput};
use gongkai_store::Db;
use gongkai_store::repo::agency::{self, NewAgency};
use gongkai_store::repo::catalog::{self as repo, DocumentKind, ItemFilter};
use serde::Deserialize;
use std::collections::HashMap;
use time::format_description::well_known::Rfc3339;
use time::{Date, Duration, OffsetDateTime};

const CATALOG_JSON: &str = include_str!("../../../../data/demo/zhangdian-2021-catalog.json");
const DOCUMENTS_JSON: &str = include_str!("../../../../data/demo/zhangdian-documents.json");

/// The demo agency's organisation code (fictional: the demo never claims a real one).
pub const DEMO_ORG_CODE: &str = "DEMO370303JGSW";
pub const DEMO_AGENCY: &str = "淄博市张店区机关事务服务中心";

/// The people of the demo workflow (fictional).
const DRAFTER: &str = "王明";
const SECRECY: &str = "李华";
const REVIEWER: &str = "赵强";

#[derive(Deserialize)]
struct DemoCatalog {
    agency: String,
    region: Vec<String>,
    year: i32,
    items: Vec<DemoItem>,
}

#[derive(Deserialize)]
struct DemoItem {
    key: String,
    column: String,
    title: String,
    publisher: String,
    formed_on: String,
    published_at: String,
    genre: Option<String>,
    subject: Option<String>,
    summary: String,
    keywords: String,
    body_html: String,
    doc_number: Option<String>,
    interprets: Option<String>,
}

#[derive(Deserialize)]
struct DemoDocuments {
    documents: Vec<DemoDocument>,
}

#[derive(Deserialize)]
struct DemoDocument {
    kind: String,
    title: String,
    body_html: String,
}

/// What the loader did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub agency_id: i64,
    pub items: usize,
    pub documents: usize,
}

impl std::fmt::Display for DemoSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "agency {} with {} catalogue items and {} documents",
            self.agency_id, self.items, self.documents
        )
    }
}

fn bad(what: impl std::fmt::Display) -> CatalogAppError {
    CatalogAppError::Invalid(format!("demo data: {what}"))
}

/// Finds or creates the demo agency (in its region) and returns its id.
pub async fn demo_agency(db: &Db) -> Result<i64> {
    let data: DemoCatalog = serde_json::from_str(CATALOG_JSON).map_err(bad)?;
    if let Ok(a) = agency::find_agency_by_key(db, &data.agency).await {
        return Ok(a.id);
    }
    let path: Vec<&str> = data.region.iter().map(String::as_str).collect();
    let region = agency::ensure_region_path(db, &path).await?;
    let mut tx = db.begin().await?;
    let a = agency::insert_agency(
        &mut tx,
        &NewAgency {
            region_id: region.id,
            name: data.agency.clone(),
            org_code: DEMO_ORG_CODE.into(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(a.id)
}

/// Loads the demo catalogue into the demo agency. Loading twice is refused (the catalogue is
/// not empty), so the counts stay those of the seed.
pub async fn load_demo(db: &Db) -> Result<DemoSummary> {
    let data: DemoCatalog = serde_json::from_str(CATALOG_JSON).map_err(bad)?;
    let agency_id = demo_agency(db).await?;
    if !repo::list_items(db, agency_id, &ItemFilter::default())
        .await?
        .is_empty()
    {
        return Err(CatalogAppError::Invalid(format!(
            "{} already has catalogue items: the demo catalogue is loaded only into an empty one",
            data.agency
        )));
    }
    let mut ids: HashMap<String, i64> = HashMap::new();
    for it in &data.items {
        let formed_on = Date::parse(
            &it.formed_on,
            &time::macros::format_description!("[year]-[month]-[day]"),
        )
        .map_err(|e| bad(format!("{}: formed_on: {e}", it.key)))?;
        let published_at = OffsetDateTime::parse(&it.published_at, &Rfc3339)
            .map_err(|e| bad(format!("{}: published_at: {e}", it.key)))?;
        let interprets = match &it.interprets {
            Some(k) => Some(
                ids.get(k)
                    .ok_or_else(|| bad(format!("{} interprets unknown {k}", it.key)))?
                    .to_string(),
            ),
            None => None,
        };
        let input = ItemInput {
            title: it.title.clone(),
            publisher: it.publisher.clone(),
            formed_on: Some(formed_on),
            changed_on: None,
            doc_number: it.doc_number.clone(),
            subject: it.subject.clone(),
            column: it.column.clone(),
            genre: it.genre.clone(),
            summary: it.summary.clone(),
            body_html: it.body_html.clone(),
            keywords: vec![it.keywords.clone()],
            normative: None,
            interprets,
        };
        let drafted_at = published_at - Duration::hours(3);
        let item = create_item(db, agency_id, &input, DRAFTER, drafted_at).await?;
        let id: i64 = item.id.parse().map_err(bad)?;
        act(
            db,
            id,
            Action::Submit,
            DRAFTER,
            published_at - Duration::hours(2),
            None,
        )
        .await?;
        act(
            db,
            id,
            Action::ClearSecrecy,
            SECRECY,
            published_at - Duration::minutes(90),
            Some("经审查，不涉及国家秘密、工作秘密，不涉及商业秘密和个人隐私，同意公开"),
        )
        .await?;
        act(
            db,
            id,
            Action::Approve,
            REVIEWER,
            published_at - Duration::hours(1),
            Some("同意发布"),
        )
        .await?;
        publish(db, id, DRAFTER, published_at).await?;
        ids.insert(it.key.clone(), id);
    }
    // Table 二 rows that staff enter: the agency had none of these in 2021.
    let note = "据本机关2021年度行政许可、行政处罚、行政强制和行政事业性收费台账填报：本年度均无";
    for cell in [
        "art20_5.admin_license.decisions",
        "art20_6.admin_penalty.decisions",
        "art20_6.admin_coercion.decisions",
        "art20_8.admin_fees.fee_amount",
    ] {
        enter_table2(db, agency_id, data.year, cell, "0", DRAFTER, Some(note)).await?;
    }
    let docs: DemoDocuments = serde_json::from_str(DOCUMENTS_JSON).map_err(bad)?;
    for d in &docs.documents {
        let kind =
            DocumentKind::from_key(&d.kind).ok_or_else(|| bad(format!("kind {}", d.kind)))?;
        put_document(db, agency_id, kind, &d.title, &d.body_html, DRAFTER).await?;
    }
    Ok(DemoSummary {
        agency_id,
        items: ids.len(),
        documents: docs.documents.len(),
    })
}
