//! The annual report computed from the data: one function per part, each filling its part of
//! an [`AnnualReport`] with cells whose source is the list of records counted. Table 三 comes
//! from the cases, table 四 from the remedy cases (`crate::remedy::fill_table4`), section 一 and
//! table 二 from the catalogue (`crate::catalog::fill_report`), the narrative from what staff
//! stored or the drafts (`narrative::fill`). The workflow, versions and exports are the
//! submodules'.
//!
//! Table 三 is counted by `gongkai_core::report::table3_count` (docs/rules/annual-report.md):
//! the store groups the cases of the year by column, intake and outcome, the core places
//! each group in its cells, so T3-1, T3-2 and T3-3 hold by construction.

use crate::App;
use crate::error::{AppError, Result};
use gongkai_core::report::table3_count::{self, CaseGroup, CountError, Intake};
use gongkai_core::report::{AnnualReport, Cell, CellRef, OtherShape, T3Col, T3Row, Table3};
use gongkai_store::Db;
use gongkai_store::repo::agency as agency_repo;
use gongkai_store::repo::application::{self as repo, Scope, T3Group};
use std::collections::HashMap;

pub mod desk;
pub mod export;
pub mod narrative;
mod view;
pub mod workflow;
pub use view::CheckView;

/// `[report]` in `gongkai.toml`: when the dashboard starts reminding of the annual report's
/// deadline (31 January for departments, 31 March for a government's own report, 条例 Art. 49).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSettings {
    /// Days before the deadline the reminder shows (1–366).
    #[serde(default = "default_remind_days")]
    pub remind_days: u32,
}

impl Default for ReportSettings {
    fn default() -> ReportSettings {
        ReportSettings {
            remind_days: default_remind_days(),
        }
    }
}

fn default_remind_days() -> u32 {
    45
}

/// The report of one agency for one year, with every part computable from the data.
pub async fn compute(app: &App, agency: &str, year: i32) -> Result<AnnualReport> {
    let agency = agency_repo::find_agency_by_key(&app.db, agency).await?;
    let mut report = AnnualReport::new(agency.name.clone(), year);
    fill_table3(&app.db, Scope::Agency(agency.id), year, &mut report).await?;
    crate::remedy::fill_table4(&app.db, Scope::Agency(agency.id), year, &mut report).await?;
    // Section 一 and table 二 from the catalogue (docs/rules/catalogue.md).
    crate::catalog::fill_report(
        app,
        gongkai_core::ids::AgencyId::new(agency.id),
        year,
        &mut report,
    )
    .await?;
    narrative::fill(app, agency.id, year, &mut report).await?;
    Ok(report)
}

/// The roll-up of the region named by its path (`山东省/淄博市`, or a name only one region
/// has) for one year, from the data.
pub async fn compute_region_path(app: &App, path: &str, year: i32) -> Result<AnnualReport> {
    let region = crate::supervision::find_region(app, path).await?;
    compute_region(app, region.id, year).await
}

/// A region's report for one year computed from the data of its agencies on gongkai, published
/// or not (docs/supervision.md: the roll-up of the units' reports is `supervision::rollup`):
/// table 三 from their cases and table 四 from their remedy cases, counted over the region at
/// once; table 二 the sum of each agency's table 二 from its catalogue — a cell one agency has
/// not entered leaves the sum blank, never guessed.
pub async fn compute_region(app: &App, region_id: i64, year: i32) -> Result<AnnualReport> {
    let region = agency_repo::find_region(&app.db, region_id).await?;
    let mut report = AnnualReport::new(region.name.clone(), year);
    fill_table3(&app.db, Scope::Region(region_id), year, &mut report).await?;
    crate::remedy::fill_table4(&app.db, Scope::Region(region_id), year, &mut report).await?;
    let table2: Vec<CellRef> = report
        .cell_refs()
        .into_iter()
        .filter(|c| matches!(c, CellRef::T2(_)))
        .collect();
    let mut first = true;
    for a in agency_repo::agencies_in_region(&app.db, region_id).await? {
        // A unit known only by its published reports has no catalogue here.
        if a.org_code.is_none() {
            continue;
        }
        let mut part = AnnualReport::new(a.name.clone(), year);
        crate::catalog::fill_report(app, gongkai_core::ids::AgencyId::new(a.id), year, &mut part)
            .await?;
        for &at in &table2 {
            let v = &part.cell(at).value;
            let sum = if first {
                v.clone()
            } else {
                report.cell(at).value.plus(v)
            };
            report.set(at, Cell::new(sum));
        }
        first = false;
    }
    Ok(report)
}

/// Fills table 三 from the cases in scope: the store groups the cases, the core counts them.
pub async fn fill_table3(
    db: &Db,
    scope: Scope,
    year: i32,
    report: &mut AnnualReport,
) -> Result<()> {
    let groups = repo::t3_groups(db, scope, year).await?;
    report.table3 = table3_from_groups(&groups, report.table3.shape)?;
    Ok(())
}

/// Table 三 from the store's groups: their keys read as typed columns and outcomes, then
/// counted by [`table3_count::count`] (each cell with the 申请编号 it counts). A key that is
/// not one of table 三 is a damaged or newer database.
pub fn table3_from_groups(groups: &[T3Group], shape: OtherShape) -> Result<Table3> {
    let mut outcomes: HashMap<&str, T3Row> = HashMap::new();
    let mut typed = Vec::with_capacity(groups.len());
    for g in groups {
        let column = T3Col::from_key(&g.applicant_kind)
            .filter(|c| *c != T3Col::Total)
            .ok_or_else(|| corrupt(g, format!("unknown applicant kind {}", g.applicant_kind)))?;
        let outcome = match g.outcome.as_deref() {
            None => None,
            Some(key) => Some(match outcomes.get(key) {
                Some(row) => *row,
                None => {
                    let row = T3Row::from_key(key)
                        .filter(|r| table3_count::is_case_outcome(*r))
                        .ok_or_else(|| corrupt(g, format!("unknown outcome {key}")))?;
                    outcomes.insert(key, row);
                    row
                }
            }),
        };
        typed.push(CaseGroup {
            column,
            intake: if g.received_in_year {
                Intake::NewReceived
            } else {
                Intake::CarriedOver
            },
            outcome,
            numbers: &g.numbers,
        });
    }
    table3_count::count(&typed, shape).map_err(|e| {
        let number = match &e {
            CountError::NotAColumn { number, .. } | CountError::NotAnOutcome { number, .. } => {
                number.clone()
            }
        };
        AppError::Corrupt {
            number,
            seq: 0,
            message: e.to_string(),
        }
    })
}

fn corrupt(f: &T3Group, message: String) -> AppError {
    AppError::Corrupt {
        number: f.numbers.first().cloned().unwrap_or_default(),
        seq: 0,
        message,
    }
}
