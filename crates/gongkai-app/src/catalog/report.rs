//! What the annual report takes from the catalogue (docs/rules/catalogue.md): section 一's
//! counts and sentence, table 二 第二十条第（一）项 computed from the 规章 / 行政规范性文件 and
//! their validity, and the other rows of table 二 from staff entries.

use super::check_agency;
use super::config;
use crate::App;
use crate::error::{AppError, Result};
use gongkai_core::catalog::{ProactiveCounts, stats};
use gongkai_core::ids::{AgencyId, ItemId};
use gongkai_core::report::{AnnualReport, Layout, Source, T2Key};
use gongkai_store::StoreError;
use gongkai_store::repo::catalog::{self as repo, ItemFilter};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// Fills what the catalogue contributes to an agency's report for `year`: `proactive` (section
/// 一's counts), a draft of section 一's first paragraph when there is none, table 二
/// 第二十条第（一）项 computed with the ids counted, and the other rows of table 二 from staff
/// entries (who, when, note). Cells nobody entered stay blank.
pub async fn fill_report(
    app: &App,
    agency: AgencyId,
    year: i32,
    report: &mut AnnualReport,
) -> Result<()> {
    let cfg = config::load(&app.db, agency).await?;
    let items = repo::list_items(&app.db, agency, &ItemFilter::default()).await?;
    let counts = stats::proactive_counts(&items, &cfg.columns, year);
    report.proactive = Some(counts.to_proactive());
    if report.sections.overview.is_none() {
        report.sections.overview = Some(counts.overview(&report.agency));
    }
    if report.layout == Layout::Y2021 {
        for (key, cell) in stats::art20_1(&items, year) {
            report.table2.set(key, cell);
        }
    }
    for e in repo::table2_entries(&app.db, agency, year).await? {
        let Some(key) = T2Key::find(report.layout, &e.sub, &e.row_key, &e.col) else {
            continue;
        };
        let value = stats::parse_entry(key, &e.value).map_err(|m| {
            AppError::Store(StoreError::Inconsistent(format!(
                "stored table 二 entry {}: {m}",
                e.id
            )))
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

/// Section 一's counts for an agency's year (`catalog stats`, the API).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatsView {
    /// The agency's name.
    pub agency: String,
    pub agency_id: AgencyId,
    pub year: i32,
    /// Items published in the year.
    pub total: u64,
    /// Every configured column (栏目) in order, with its count (zeros included).
    #[serde(serialize_with = "counts_map")]
    pub by_category: Vec<(String, u64)>,
    /// `共公开政务信息85条。其中政策文件1条、…。`
    pub sentence: String,
    /// The items counted in each column, in the order of `by_category`.
    #[serde(serialize_with = "ids_map")]
    pub items: Vec<(String, Vec<ItemId>)>,
}

fn counts_map<S: Serializer>(v: &[(String, u64)], s: S) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(v.len()))?;
    for (k, n) in v {
        m.serialize_entry(k, n)?;
    }
    m.end()
}

fn ids_map<S: Serializer>(v: &[(String, Vec<ItemId>)], s: S) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(v.len()))?;
    for (k, ids) in v {
        m.serialize_entry(k, ids)?;
    }
    m.end()
}

impl StatsView {
    fn new(agency: String, agency_id: AgencyId, counts: ProactiveCounts) -> StatsView {
        StatsView {
            agency,
            agency_id,
            year: counts.year,
            total: counts.total(),
            by_category: counts
                .by_column
                .iter()
                .map(|(c, ids)| (c.clone(), ids.len() as u64))
                .collect(),
            sentence: counts.sentence(),
            items: counts.by_column,
        }
    }
}

/// Section 一's counts and sentence for an agency's year.
pub async fn proactive(app: &App, agency: AgencyId, year: i32) -> Result<StatsView> {
    let found = check_agency(&app.db, agency).await?;
    let cfg = config::load(&app.db, agency).await?;
    let items = repo::list_items(&app.db, agency, &ItemFilter::default()).await?;
    let counts = stats::proactive_counts(&items, &cfg.columns, year);
    Ok(StatsView::new(found.name, agency, counts))
}

/// Whether a cell's value came from the catalogue (for displays that explain a number).
pub fn is_computed_source(source: Option<&Source>) -> bool {
    matches!(source, Some(Source::Computed { .. }))
}
