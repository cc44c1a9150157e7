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
use gongkai_store::repo::agency::Region;
use gongkai_store::repo::application::{self as application_repo, Timeliness};
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

/// One place of a league table.
#[derive(Debug, Clone, Serialize)]
pub struct Place {
    pub agency_id: i64,
    pub agency: String,
    /// What it is ranked by, as shown (`128`, `62.5%`).
    pub figure: String,
}

/// The league tables of the dashboard: from the units' reports for the year, and for the units
/// on gongkai from their case data.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Leagues {
    /// Most applications received (本年新收), the ten largest.
    pub received: Vec<Place>,
    /// The lowest shares 予以公开 of the applications answered, among units that answered at
    /// least [`LEAGUE_MIN_ANSWERED`]: where refusals are worth a look.
    pub lowest_granted: Vec<Place>,
    /// The highest shares of replies after the due date among the cases concluded in the year
    /// (units on gongkai with at least [`LEAGUE_MIN_ANSWERED`] whose due date is known), from
    /// the case records, not the reports.
    pub late: Vec<Place>,
}

/// Units with fewer answered applications are left out of the share's table.
pub const LEAGUE_MIN_ANSWERED: i64 = 10;
const LEAGUE_SIZE: usize = 10;

/// The dashboard's league tables for `units` of `region` in `year`.
pub async fn leagues(
    app: &App,
    region: &Region,
    year: i32,
    units: &[UnitEntry],
) -> Result<Leagues> {
    let timeliness = application_repo::timeliness(&app.db, region.id, year).await?;
    Ok(Leagues::of(units, &timeliness))
}

impl Leagues {
    pub fn of(units: &[UnitEntry], timeliness: &[Timeliness]) -> Leagues {
        let mut received: Vec<(&UnitEntry, i64)> = units
            .iter()
            .filter_map(|u| Some((u, u.received?)))
            .filter(|(_, n)| *n > 0)
            .collect();
        received.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.agency_id.cmp(&b.0.agency_id)));
        let mut shares: Vec<(&UnitEntry, f64)> = units
            .iter()
            .filter_map(|u| {
                let answered = u.received? + u.carried_over? - u.carried_forward?;
                let granted = u.granted?;
                (answered >= LEAGUE_MIN_ANSWERED).then(|| (u, granted as f64 / answered as f64))
            })
            .collect();
        shares.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.agency_id.cmp(&b.0.agency_id)));
        let mut late: Vec<(&UnitEntry, &Timeliness, f64)> = timeliness
            .iter()
            .filter(|t| t.late > 0 && t.concluded - t.unknown >= LEAGUE_MIN_ANSWERED)
            .filter_map(|t| {
                let u = units.iter().find(|u| u.agency_id == t.agency_id)?;
                Some((u, t, t.late as f64 / (t.concluded - t.unknown) as f64))
            })
            .collect();
        late.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.agency_id.cmp(&b.0.agency_id)));
        let place = |u: &UnitEntry, figure: String| Place {
            agency_id: u.agency_id,
            agency: u.agency.clone(),
            figure,
        };
        Leagues {
            received: received
                .into_iter()
                .take(LEAGUE_SIZE)
                .map(|(u, n)| place(u, n.to_string()))
                .collect(),
            lowest_granted: shares
                .into_iter()
                .take(LEAGUE_SIZE)
                .map(|(u, s)| place(u, format!("{:.1}%", s * 100.0)))
                .collect(),
            late: late
                .into_iter()
                .take(LEAGUE_SIZE)
                .map(|(u, t, s)| {
                    let known = t.concluded - t.unknown;
                    let unknown = match t.unknown {
                        0 => String::new(),
                        n => format!("，另{n}件到期日不明"),
                    };
                    place(
                        u,
                        format!("{:.1}%（{}/{known}{unknown}）", s * 100.0, t.late),
                    )
                })
                .collect(),
        }
    }
}
