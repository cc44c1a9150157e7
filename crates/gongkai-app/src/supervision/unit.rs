//! One unit's report for a year as its supervisor sees it: the current document with its rule
//! results, where it came from, every import, and the reviews (docs/supervision.md).

use super::review::{ReviewView, reviews_of};
use super::rollup::UnitEntry;
use super::{Origin, UnitState, supervised_unit};
use crate::App;
use crate::error::{AppError, Result};
use gongkai_core::report::AnnualReport;
use gongkai_core::report::json::from_str;
use gongkai_core::user::Actor;
use gongkai_store::repo::supervision as repo;
use serde::Serialize;
use time::OffsetDateTime;

/// An import of the unit's report, without its document.
#[derive(Debug, Clone, Serialize)]
pub struct ImportView {
    pub file: String,
    pub kind: String,
    pub sha256: String,
    pub actor: String,
    pub at: OffsetDateTime,
}

/// Everything the unit's page shows.
#[derive(Debug, Clone)]
pub struct UnitReport {
    pub agency_id: i64,
    pub agency: String,
    pub year: i32,
    pub state: UnitState,
    pub origin: Option<Origin>,
    /// Why the report is not counted in the sums, when it is not.
    pub excluded_reason: Option<String>,
    /// The current document, when there is one.
    pub report: Option<AnnualReport>,
    pub imports: Vec<ImportView>,
    pub reviews: Vec<ReviewView>,
}

/// Unit `agency`'s report for `year`, refused as not found outside the supervisor's region.
pub async fn unit_report(app: &App, actor: &Actor, agency: &str, year: i32) -> Result<UnitReport> {
    let unit = supervised_unit(
        app,
        actor,
        agency,
        ("read a unit's report", "查阅下级单位年度报告"),
    )
    .await?;
    let row = repo::unit_report(&app.db, unit.id, year).await?;
    let report = match &row {
        Some(r) => {
            let doc = repo::source_document(&app.db, &r.origin, r.source_id)
                .await?
                .ok_or_else(|| {
                    AppError::not_found("unit report", format!("{} {year}", unit.name))
                })?;
            Some(from_str(&doc).map_err(|e| {
                AppError::Store(gongkai_store::StoreError::Inconsistent(format!(
                    "the stored report of {} for {year} does not read: {e}",
                    unit.name
                )))
            })?)
        }
        None => None,
    };
    let imports = repo::imports(&app.db, unit.id, year)
        .await?
        .into_iter()
        .map(|i| ImportView {
            file: i.file_name,
            kind: i.kind,
            sha256: i.sha256,
            actor: i.actor,
            at: i.imported_at,
        })
        .collect();
    Ok(UnitReport {
        agency_id: unit.id,
        agency: unit.name,
        year,
        state: row
            .as_ref()
            .map_or(UnitState::Missing, |r| UnitState::from_review(&r.review)),
        origin: row.as_ref().and_then(|r| Origin::from_key(&r.origin)),
        excluded_reason: row.as_ref().and_then(|r| r.excluded_reason.clone()),
        report,
        imports,
        reviews: reviews_of(app, unit.id, year).await?,
    })
}

impl UnitReport {
    /// Whether the supervisor may accept or return it now (there is a report).
    pub fn reviewable(&self) -> bool {
        self.report.is_some()
    }
}

/// Counts of the units by state, for the dashboard's summary line.
#[derive(Debug, Clone, Default, Serialize)]
pub struct StateCounts {
    pub units: usize,
    pub missing: usize,
    pub pending: usize,
    pub accepted: usize,
    pub returned: usize,
    /// Units with a report not counted in the sums.
    pub excluded: usize,
    /// Units whose figures look wrong against the year before.
    pub anomalous: usize,
}

impl StateCounts {
    pub fn of(units: &[UnitEntry]) -> StateCounts {
        let mut c = StateCounts {
            units: units.len(),
            ..StateCounts::default()
        };
        for u in units {
            match u.state {
                UnitState::Missing => c.missing += 1,
                UnitState::Pending => c.pending += 1,
                UnitState::Accepted => c.accepted += 1,
                UnitState::Returned => c.returned += 1,
            }
            if u.origin.is_some() && !u.included {
                c.excluded += 1;
            }
            if !u.anomalies.is_empty() {
                c.anomalous += 1;
            }
        }
        c
    }
}
