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
use gongkai_store::repo::application::{self as repo, Scope, T3Group};
use std::collections::HashMap;

/// The report of one agency for one year, with every part computable from the data.
pub async fn compute(app: &App, agency: &str, year: i32) -> Result<AnnualReport> {
    let agency = agency_repo::find_agency_by_key(&app.db, agency).await?;
    let mut report = AnnualReport::new(agency.name.clone(), year);
    fill_table3(&app.db, Scope::Agency(agency.id), year, &mut report).await?;
    // Section 一 and table 二 from the catalogue (issue 5).
    crate::catalog::fill_report(&app.db, agency.id, year, &mut report).await?;
    Ok(report)
}

/// The roll-up of the region named by its path (`山东省/淄博市`) for one year.
pub async fn compute_region_path(app: &App, path: &str, year: i32) -> Result<AnnualReport> {
    let mut region: Option<agency_repo::Region> = None;
    for name in path
        .split(['/', '／'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let parent = region.as_ref().map(|r| r.id);
        region = Some(
            agency_repo::find_child_region(&app.db, parent, name)
                .await?
                .ok_or_else(|| AppError::invalid(format!("no region {name} in {path}")))?,
        );
    }
    let region =
        region.ok_or_else(|| AppError::invalid("the region is a path such as 山东省/淄博市"))?;
    compute_region(&app.db, region.id, year).await
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
    let groups = repo::t3_groups(db, scope, year).await?;
    report.table3 = table3_from_groups(&groups, report.table3.shape)?;
    Ok(())
}

/// The pure counting step: each group of cases is placed in its cells, then every cell of
/// the shape is written with its count and the 申请编号 of its cases (a cell no case falls in is 0:
/// the data says there were none).
pub fn table3_from_groups(groups: &[T3Group], shape: OtherShape) -> Result<Table3> {
    let rows = T3Row::rows(shape);
    let row_index = |row: T3Row| rows.iter().position(|r| *r == row);
    let fixed = |row: T3Row| row_index(row).expect("the fixed rows are in every shape");
    let (new_received, carried_over) = (fixed(T3Row::NewReceived), fixed(T3Row::CarriedOver));
    let (processed, forward) = (fixed(T3Row::TotalProcessed), fixed(T3Row::CarriedForward));
    // Outcome key → row index of this shape, looked up once per distinct key.
    let mut outcome_rows: HashMap<&str, usize> = HashMap::new();
    const COLS: usize = 7;
    let total = T3Col::ALL.len() - 1;
    let mut cells: Vec<Vec<&str>> = vec![Vec::new(); rows.len() * COLS];
    for f in groups {
        let col = T3Col::PARTS
            .iter()
            .position(|c| c.key() == f.applicant_kind)
            .ok_or_else(|| corrupt(f, format!("unknown applicant kind {}", f.applicant_kind)))?;
        let first = if f.received_in_year {
            new_received
        } else {
            carried_over
        };
        let (second, third) = match &f.outcome {
            Some(key) => {
                let row = match outcome_rows.get(key.as_str()) {
                    Some(r) => *r,
                    None => {
                        let row = T3Row::from_key(key)
                            .filter(|r| r.is_outcome() && *r != T3Row::Other)
                            .and_then(|r| row_index(fold_other(r, shape)))
                            .ok_or_else(|| corrupt(f, format!("unknown outcome {key}")))?;
                        outcome_rows.insert(key, row);
                        row
                    }
                };
                (row, Some(processed))
            }
            None => (forward, None),
        };
        for row in [Some(first), Some(second), third].into_iter().flatten() {
            for cell in [row * COLS + col, row * COLS + total] {
                cells[cell].extend(f.numbers.iter().map(String::as_str));
            }
        }
    }
    let mut table = Table3::new(shape);
    for (r, &row) in rows.iter().enumerate() {
        for (c, col) in T3Col::ALL.into_iter().enumerate() {
            let records: Vec<String> = std::mem::take(&mut cells[r * COLS + c])
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

fn corrupt(f: &T3Group, message: String) -> AppError {
    AppError::Corrupt {
        number: f.numbers.first().cloned().unwrap_or_default(),
        seq: 0,
        message,
    }
}
