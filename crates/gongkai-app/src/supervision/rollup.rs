//! The region's aggregate (docs/supervision.md#the-aggregate): tables 二/三/四 summed over the
//! units below the region whose reports are included, every cell drilling down to each unit's
//! value, with each unit's origin, review state and rule results.

use super::{Origin, UnitState, project, supervised_region};
use crate::App;
use crate::error::Result;
use gongkai_core::report::json::to_json;
use gongkai_core::report::workflow::{Action, after};
use gongkai_core::report::{AnnualReport, Cell, CellRef, Gap, GapOf, Value, check};
use gongkai_core::user::Actor;
use gongkai_store::repo::agency::{self as agency_repo, Region};
use gongkai_store::repo::report as report_repo;
use gongkai_store::repo::supervision::{self as repo, CellEntry, CellSum, UnitReportRow};
use serde::Serialize;
use serde_json::{Value as Json, json};
use std::collections::HashMap;
use time::OffsetDateTime;

/// One unit of the region, with its report for the year if any.
#[derive(Debug, Clone, Serialize)]
pub struct UnitEntry {
    pub agency_id: i64,
    pub agency: String,
    pub org_code: Option<String>,
    /// The unit's region, province first.
    pub region: String,
    /// `null` when the unit has no report for the year.
    pub origin: Option<Origin>,
    pub state: UnitState,
    /// For a unit on gongkai: where its own report workflow stands (草稿 … 已发布).
    pub workflow: Option<&'static str>,
    pub layout: Option<String>,
    /// Counted in the region's sums.
    pub included: bool,
    pub excluded_reason: Option<String>,
    pub failed_rules: Vec<String>,
    pub unread_rules: Vec<String>,
    pub warnings: Vec<String>,
    pub cells_unread: i32,
    pub received: Option<i64>,
    pub granted: Option<i64>,
    pub carried_over: Option<i64>,
    pub carried_forward: Option<i64>,
    pub received_at: Option<OffsetDateTime>,
    /// What looks wrong against the unit's report for the year before (docs/supervision.md#
    /// cross-year-checks): 上年结转 not last year's 结转下年度 (T3-X), 本年新收 swinging
    /// beyond [`SWING_PERCENT`].
    pub anomalies: Vec<String>,
}

/// A change of 本年新收 from one year to the next beyond this share of last year's (and
/// [`SWING_MIN`] applications) is listed as an anomaly to look at.
pub const SWING_PERCENT: i64 = 50;
/// The smallest change listed (a unit going from 2 applications to 4 is not news).
pub const SWING_MIN: i64 = 10;

/// The cross-year anomalies of a unit's figures against the year before.
pub fn anomalies(this: &UnitReportRow, before: Option<&UnitReportRow>) -> Vec<String> {
    let Some(prev) = before else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let (Some(over), Some(fwd)) = (this.carried_over, prev.carried_forward)
        && over != fwd
    {
        out.push(format!(
            "T3-X：上年结转{over}件，上年度报告结转下年度继续办理{fwd}件"
        ));
    }
    if let (Some(now), Some(then)) = (this.received, prev.received) {
        let change = (now - then).abs();
        if change >= SWING_MIN && change * 100 > then * SWING_PERCENT {
            out.push(format!(
                "本年新收{now}件，上年{then}件，变化超过{SWING_PERCENT}%"
            ));
        }
    }
    out
}

/// The region's roll-up for a year.
#[derive(Debug, Clone)]
pub struct Rollup {
    pub region: Region,
    /// The region's path, province first (`山东省/淄博市`).
    pub path: String,
    pub year: i32,
    /// Tables 二/三/四 summed over the included units; a cell some included unit left
    /// unread is a gap of the aggregate, not a guess.
    pub report: AnnualReport,
    pub units: Vec<UnitEntry>,
}

impl Rollup {
    /// The aggregate in the interchange format, with its rule results and a `units` member.
    pub fn document(&self) -> Json {
        let findings = check(&self.report, None);
        let mut doc = to_json(&self.report, Some(&findings));
        if let Json::Object(root) = &mut doc {
            let reported = self.units.iter().filter(|u| u.origin.is_some()).count();
            let included = self.units.iter().filter(|u| u.included).count();
            root.insert(
                "rollup".into(),
                json!({"region": self.path, "units": self.units.len(),
                       "reported": reported, "included": included}),
            );
            root.insert("units".into(), json!(self.units));
        }
        doc
    }
}

/// The roll-up of region `name` (a path, or a name only one region has) for `year`.
pub async fn rollup(app: &App, actor: &Actor, name: &str, year: i32) -> Result<Rollup> {
    let region = supervised_region(app, actor, name).await?;
    rollup_of(app, region, year).await
}

/// The roll-up of a region already checked to be within the actor's reach.
pub async fn rollup_of(app: &App, region: Region, year: i32) -> Result<Rollup> {
    let (path, units) = units_of(app, &region, year).await?;
    let sums = repo::cell_sums(&app.db, region.id, year).await?;
    let report = aggregate(&region.name, year, &sums);
    Ok(Rollup {
        region,
        path,
        year,
        report,
        units,
    })
}

/// The region's path and its units with their state for the year, without the sums (what the
/// dashboard lists).
pub async fn units_of(app: &App, region: &Region, year: i32) -> Result<(String, Vec<UnitEntry>)> {
    let paths = region_paths(app).await?;
    let path = paths.get(&region.id).cloned().unwrap_or_default();
    Ok((path, units(app, region.id, year, &paths).await?))
}

/// Every region's path, province first, by id.
async fn region_paths(app: &App) -> Result<HashMap<i64, String>> {
    let regions = agency_repo::list_regions(&app.db).await?;
    Ok(crate::agency::region_paths(&regions)
        .into_iter()
        .map(|(id, names)| (id, names.join("/")))
        .collect())
}

/// The aggregate report from the cell sums: a value where some unit printed one and none left
/// the cell unread; a gap naming how many units left it unread; 不适用 where every unit said
/// so; blank where no included unit holds the cell.
pub fn aggregate(name: &str, year: i32, sums: &[CellSum]) -> AnnualReport {
    let mut report = AnnualReport::new(name, year);
    let by_path: HashMap<&str, &CellSum> = sums.iter().map(|s| (s.cell.as_str(), s)).collect();
    for at in report.cell_refs() {
        let Some(sum) = by_path.get(at.path().as_str()) else {
            continue;
        };
        if sum.unknown > 0 {
            report.gaps.push(Gap {
                of: GapOf::Cell(at),
                label: at.label_zh(report.layout),
                message: format!(
                    "{}: {} unit(s) left this cell unread or unreadable; the sum is not known",
                    at.label_zh(report.layout),
                    sum.unknown
                ),
                near: None,
            });
            continue;
        }
        let value = if sum.counted > 0 {
            value_of(at, sum.total)
        } else if sum.na > 0 && sum.blank == 0 {
            Value::NotApplicable
        } else {
            Value::Blank
        };
        report.set(at, Cell::new(value));
    }
    report
}

fn value_of(at: CellRef, total: i64) -> Value {
    match at {
        CellRef::T2(k) if k.is_amount() => Value::Amount(project::amount_of(total)),
        _ => Value::signed(total),
    }
}

/// Every unit below the region, with its projection for the year when it has one.
async fn units(
    app: &App,
    region_id: i64,
    year: i32,
    paths: &HashMap<i64, String>,
) -> Result<Vec<UnitEntry>> {
    let agencies = agency_repo::agencies_in_region(&app.db, region_id).await?;
    let mut rows: HashMap<i64, UnitReportRow> =
        repo::unit_reports_in_region(&app.db, region_id, year)
            .await?
            .into_iter()
            .map(|r| (r.agency_id, r))
            .collect();
    let before: HashMap<i64, UnitReportRow> =
        repo::unit_reports_in_region(&app.db, region_id, year - 1)
            .await?
            .into_iter()
            .map(|r| (r.agency_id, r))
            .collect();
    let workflow: HashMap<i64, String> = report_repo::last_steps(&app.db, year)
        .await?
        .into_iter()
        .collect();
    let split = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    Ok(agencies
        .into_iter()
        .map(|a| {
            let row = rows.remove(&a.id);
            let workflow = a.org_code.as_ref().map(|_| {
                workflow
                    .get(&a.id)
                    .and_then(|k| Action::from_key(k))
                    .map_or("草稿", |act| after(act).label())
            });
            UnitEntry {
                agency_id: a.id,
                region: paths.get(&a.region_id).cloned().unwrap_or_default(),
                org_code: a.org_code,
                agency: a.name,
                origin: row.as_ref().and_then(|r| Origin::from_key(&r.origin)),
                state: row
                    .as_ref()
                    .map_or(UnitState::Missing, |r| UnitState::from_review(&r.review)),
                workflow,
                layout: row.as_ref().map(|r| r.layout.clone()),
                included: row.as_ref().is_some_and(|r| r.included),
                excluded_reason: row.as_ref().and_then(|r| r.excluded_reason.clone()),
                failed_rules: row
                    .as_ref()
                    .map(|r| split(&r.failed_rules))
                    .unwrap_or_default(),
                unread_rules: row
                    .as_ref()
                    .map(|r| split(&r.unread_rules))
                    .unwrap_or_default(),
                warnings: row.as_ref().map(|r| split(&r.warnings)).unwrap_or_default(),
                cells_unread: row.as_ref().map_or(0, |r| r.cells_unread),
                received: row.as_ref().and_then(|r| r.received),
                granted: row.as_ref().and_then(|r| r.granted),
                carried_over: row.as_ref().and_then(|r| r.carried_over),
                carried_forward: row.as_ref().and_then(|r| r.carried_forward),
                received_at: row.as_ref().map(|r| r.received_at),
                anomalies: row
                    .as_ref()
                    .map(|r| anomalies(r, before.get(&r.agency_id)))
                    .unwrap_or_default(),
            }
        })
        .collect())
}

/// One cell of the aggregate drilled down: every unit's value.
#[derive(Debug, Clone, Serialize)]
pub struct Drill {
    pub cell: String,
    pub label: String,
    pub entries: Vec<DrillEntry>,
}

/// One unit's value of a cell.
#[derive(Debug, Clone, Serialize)]
pub struct DrillEntry {
    pub agency_id: i64,
    pub agency: String,
    pub origin: Option<Origin>,
    /// Counted in the region's sum.
    pub included: bool,
    /// `value`, `blank`, `na`, `unread`, `invalid`.
    pub state: String,
    /// The value as printed (a count, an amount in 万元).
    pub value: Option<String>,
}

impl DrillEntry {
    fn new(at: CellRef, e: CellEntry) -> DrillEntry {
        DrillEntry {
            agency_id: e.agency_id,
            agency: e.agency,
            origin: Origin::from_key(&e.origin),
            included: e.included,
            value: e.value.map(|v| value_of(at, v).to_string()),
            state: e.state,
        }
    }
}

/// Every unit's value of cell `path` in region `name` for `year`.
pub async fn drill(app: &App, actor: &Actor, name: &str, year: i32, path: &str) -> Result<Drill> {
    let region = supervised_region(app, actor, name).await?;
    let report = AnnualReport::new("", year);
    let at = report
        .cell_refs()
        .into_iter()
        .find(|c| c.path() == path)
        .ok_or_else(|| {
            crate::error::AppError::invalid(
                format!("{path} is not a cell of the {} layout", report.layout.key()),
                format!("“{path}”不是{}年版格式的单元格", report.layout.key()),
            )
        })?;
    let entries = repo::cell_entries(&app.db, region.id, year, path)
        .await?
        .into_iter()
        .map(|e| DrillEntry::new(at, e))
        .collect();
    Ok(Drill {
        cell: path.to_string(),
        label: at.label_zh(report.layout),
        entries,
    })
}
