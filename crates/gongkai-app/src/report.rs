//! The annual report computed from the data: one function per part, each filling its part of
//! an [`AnnualReport`] with cells whose source is the list of records counted. Parts that
//! have no data source yet (table 四) stay blank; section 一 and table 二 come from the
//! catalogue (`crate::catalog::fill_report`).
//!
//! Table 三 follows REGULATION.md §1.8: 本年新收 = received in the year; 上年结转 = received
//! before and not concluded before 1 January; 办理结果 = concluded (答复) in the year, by
//! outcome; 结转下年 = received by 31 December and not concluded by then. Every case of the
//! year is in exactly one of 新收/结转 and in exactly one of 办理结果/结转下年, so T3-1, T3-2
//! and T3-3 hold by construction.

use crate::App;
use crate::error::{AppError, Result};
use gongkai_core::report::{AnnualReport, Cell, OtherShape, Source, T3Col, T3Row, Table3};
use gongkai_store::Db;
use gongkai_store::repo::agency as agency_repo;
use gongkai_store::repo::application::{self as repo, Scope, T3Fact};
use std::collections::BTreeMap;

/// The report of one agency for one year, with every part computable from the data.
pub async fn compute(app: &App, agency: &str, year: i32) -> Result<AnnualReport> {
    let agency = agency_repo::find_agency_by_key(&app.db, agency).await?;
    let mut report = AnnualReport::new(agency.name.clone(), year);
    fill_table3(&app.db, Scope::Agency(agency.id), year, &mut report).await?;
    // Section 一 and table 二 from the catalogue (issue 5).
    crate::catalog::fill_report(&app.db, agency.id, year, &mut report).await?;
    Ok(report)
}

/// The roll-up of a region (every agency below it) for one year.
pub async fn compute_region(db: &Db, region_id: i64, year: i32) -> Result<AnnualReport> {
    let region = agency_repo::find_region(db, region_id).await?;
    let mut report = AnnualReport::new(region.name.clone(), year);
    fill_table3(db, Scope::Region(region_id), year, &mut report).await?;
    Ok(report)
}

/// Fills table 三 from the cases in scope.
pub async fn fill_table3(
    db: &Db,
    scope: Scope,
    year: i32,
    report: &mut AnnualReport,
) -> Result<()> {
    let facts = repo::t3_facts(db, scope, year).await?;
    report.table3 = table3_from_facts(&facts, year, report.table3.shape)?;
    Ok(())
}

/// The pure counting step: each case is placed in its cells, then every cell of the shape
/// is written with its count and the 申请编号 of its cases (blank cells become 0: the data
/// says there were none).
pub fn table3_from_facts(facts: &[T3Fact], year: i32, shape: OtherShape) -> Result<Table3> {
    let mut cells: BTreeMap<(T3Row, T3Col), Vec<&str>> = BTreeMap::new();
    for f in facts {
        let col = T3Col::from_key(&f.applicant_kind)
            .filter(|c| *c != T3Col::Total)
            .ok_or_else(|| corrupt(f, format!("unknown applicant kind {}", f.applicant_kind)))?;
        let mut rows: [Option<T3Row>; 3] = [None; 3];
        if f.received_on.year() > year {
            continue;
        }
        rows[0] = Some(if f.received_on.year() == year {
            T3Row::NewReceived
        } else {
            T3Row::CarriedOver
        });
        match (&f.outcome, f.closed_on) {
            (Some(outcome), Some(on)) if on.year() == year => {
                let row = T3Row::from_key(outcome)
                    .filter(|r| r.is_outcome() && *r != T3Row::Other)
                    .ok_or_else(|| corrupt(f, format!("unknown outcome {outcome}")))?;
                rows[1] = Some(fold_other(row, shape));
                rows[2] = Some(T3Row::TotalProcessed);
            }
            (_, Some(on)) if on.year() < year => continue,
            _ => rows[1] = Some(T3Row::CarriedForward),
        }
        for row in rows.into_iter().flatten() {
            cells.entry((row, col)).or_default().push(&f.number);
            cells
                .entry((row, T3Col::Total))
                .or_default()
                .push(&f.number);
        }
    }
    let mut table = Table3::new(shape);
    for &row in T3Row::rows(shape) {
        for col in T3Col::ALL {
            let records: Vec<String> = cells
                .remove(&(row, col))
                .unwrap_or_default()
                .into_iter()
                .map(str::to_string)
                .collect();
            table.set(
                row,
                col,
                Cell::count(records.len() as u64).with_source(Source::Computed { records }),
            );
        }
    }
    Ok(table)
}

/// In the 2019 layout the three （六） rows are one row.
fn fold_other(row: T3Row, shape: OtherShape) -> T3Row {
    match (shape, row) {
        (
            OtherShape::Single,
            T3Row::OtherNoCorrection | T3Row::OtherFeeUnpaid | T3Row::OtherOther,
        ) => T3Row::Other,
        _ => row,
    }
}

fn corrupt(f: &T3Fact, message: String) -> AppError {
    AppError::Corrupt {
        number: f.number.clone(),
        seq: 0,
        message,
    }
}
