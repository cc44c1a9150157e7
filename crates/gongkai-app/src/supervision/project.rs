//! A unit's current report as rows: its rule results, the figures the dashboards rank by, and
//! every cell with its state (docs/supervision.md#the-projection). Rebuilt whenever the
//! report's source changes (an import, a publication) or it is reviewed.

use super::{Origin, UnitState};
use crate::error::{AppError, Result};
use gongkai_core::report::json::from_str;
use gongkai_core::report::{
    AnnualReport, CellRef, Finding, Layout, Severity, Status, T3Col, T3Row, Value, check,
};
use gongkai_store::Tx;
use gongkai_store::repo::supervision::{self as repo, UnitCell, UnitReportRow};
use rust_decimal::Decimal;
use time::OffsetDateTime;

/// Amounts (万元) are stored as whole 元: 万元 × 10000.
const AMOUNT_SCALE: u32 = 4;

/// Rebuilds the projection of a unit's report for `year` from its current source, through
/// `tx` (nothing when the unit has no report for the year).
pub(crate) async fn refresh(tx: &mut Tx, agency_id: i64, year: i32) -> Result<()> {
    let Some((origin, source_id, document, sha256, at)) =
        repo::current_source(tx, agency_id, year).await?
    else {
        return Ok(());
    };
    let report = from_str(&document).map_err(|e| {
        AppError::Store(gongkai_store::StoreError::Inconsistent(format!(
            "the stored report of agency {agency_id} for {year} does not read: {e}"
        )))
    })?;
    let reviews = repo::reviews_tx(tx, agency_id, year).await?;
    // The last review of this very document; a changed document is pending again.
    let review =
        reviews
            .iter()
            .rev()
            .find(|r| r.sha256 == sha256)
            .map_or(UnitState::Pending, |r| match r.action.as_str() {
                "accept" => UnitState::Accepted,
                _ => UnitState::Returned,
            });
    let origin = Origin::from_key(&origin).unwrap_or(Origin::Imported);
    let source = Source {
        agency_id,
        year,
        origin,
        source_id,
        sha256,
        received_at: at,
        review,
    };
    let (row, cells) = projection(&source, &report);
    repo::put_unit_report(tx, &row, &cells).await?;
    Ok(())
}

/// What the projection records about the report's source.
pub struct Source {
    pub agency_id: i64,
    pub year: i32,
    pub origin: Origin,
    pub source_id: i64,
    pub sha256: String,
    pub received_at: OffsetDateTime,
    pub review: UnitState,
}

/// The report's row and cells. A report is included in the region's sums unless it fails an
/// error-severity rule or is in another layout than the year's (its cells could not be added
/// to the others'); the reason is kept.
pub fn projection(src: &Source, report: &AnnualReport) -> (UnitReportRow, Vec<UnitCell>) {
    let findings = check(report, None);
    let ids = |pick: &dyn Fn(&Finding) -> bool| {
        let mut ids: Vec<String> = findings
            .iter()
            .filter(|f| pick(f))
            .map(|f| f.rule.id.to_string())
            .collect();
        ids.dedup();
        ids
    };
    let failed = ids(&|f| f.is_error_failure());
    let unread = ids(&|f| f.is_unread());
    let warnings = ids(&|f| f.status == Status::Fail && f.rule.severity == Severity::Warning);
    let expected = Layout::for_year(src.year);
    let excluded = if report.layout != expected {
        Some(format!(
            "采用{}年版格式，与{}年度汇总所用的{}年版格式不同，未计入汇总",
            report.layout.key(),
            src.year,
            expected.key()
        ))
    } else if !failed.is_empty() {
        Some(format!("未通过规则 {}，未计入汇总", failed.join("、")))
    } else {
        None
    };
    let total = |row: T3Row| match report.table3.get(row, T3Col::Total).value {
        Value::Count(n) => i64::try_from(n).ok(),
        _ => None,
    };
    let row = UnitReportRow {
        agency_id: src.agency_id,
        year: src.year,
        origin: src.origin.key().into(),
        source_id: src.source_id,
        sha256: src.sha256.clone(),
        layout: report.layout.key().into(),
        received_at: src.received_at,
        review: match src.review {
            UnitState::Accepted => "accepted",
            UnitState::Returned => "returned",
            UnitState::Pending | UnitState::Missing => "pending",
        }
        .into(),
        included: excluded.is_none(),
        excluded_reason: excluded,
        failed_rules: failed.join(" "),
        unread_rules: unread.join(" "),
        warnings: warnings.join(" "),
        cells_unread: report
            .gaps
            .iter()
            .filter(|g| g.of.field().is_none())
            .count() as i32,
        received: total(T3Row::NewReceived),
        granted: total(T3Row::Granted),
        concluded: total(T3Row::TotalProcessed),
        carried_over: total(T3Row::CarriedOver),
        carried_forward: total(T3Row::CarriedForward),
    };
    let cells = report
        .cell_refs()
        .into_iter()
        .map(|at| cell_row(report, at))
        .collect();
    (row, cells)
}

fn cell_row(report: &AnnualReport, at: CellRef) -> UnitCell {
    let (state, value) = if report.is_unread(at) {
        ("unread", None)
    } else {
        match &report.cell(at).value {
            Value::Count(n) => match i64::try_from(*n) {
                Ok(n) => ("value", Some(n)),
                Err(_) => ("invalid", None),
            },
            Value::Negative(n) => match i64::try_from(n.get()) {
                Ok(n) => ("value", Some(-n)),
                Err(_) => ("invalid", None),
            },
            Value::Amount(d) => match amount_units(*d) {
                Some(v) => ("value", Some(v)),
                None => ("invalid", None),
            },
            Value::NotApplicable => ("na", None),
            Value::Blank => ("blank", None),
            Value::Invalid(_) => ("invalid", None),
        }
    };
    UnitCell {
        cell: at.path(),
        state,
        value,
    }
}

/// An amount in 万元 as whole 元, when it has no finer part.
fn amount_units(d: Decimal) -> Option<i64> {
    let scaled = d.checked_mul(Decimal::from(10_i64.pow(AMOUNT_SCALE)))?;
    if !scaled.fract().is_zero() {
        return None;
    }
    i64::try_from(scaled).ok()
}

/// The amount in 万元 of a sum of whole 元.
pub fn amount_of(units: i64) -> Decimal {
    Decimal::new(units, AMOUNT_SCALE).normalize()
}
