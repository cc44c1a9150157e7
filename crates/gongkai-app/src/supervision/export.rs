//! Every unit's tables for a year as one table — a row per unit, a column per cell of the
//! year's layout — written as CSV or as an XLSX sheet (docs/supervision.md#export).

use super::Region;
use super::project::amount_of;
use super::rollup::{UnitEntry, units_of};
use crate::App;
use crate::error::{AppError, Result};
use gongkai_core::report::{AnnualReport, CellRef};
use gongkai_export::TableCell;
use gongkai_store::repo::supervision as repo;
use std::collections::HashMap;

/// The columns before the cells.
const UNIT_COLUMNS: [&str; 7] = [
    "单位",
    "组织机构代码",
    "所属地区",
    "来源",
    "状态",
    "计入汇总",
    "未计入原因",
];

/// The table: the header (labels, then each cell's label with its path), a row per unit.
pub struct UnitsTable {
    pub header: Vec<String>,
    pub rows: Vec<Vec<TableCell>>,
}

/// Every unit below `region` with its cells for `year` (a unit without a report has empty
/// cells; a cell the unit left unread reads 无法读取, one it printed as not applicable `/`).
pub async fn units_table(app: &App, region: &Region, year: i32) -> Result<UnitsTable> {
    let (_, units) = units_of(app, region, year).await?;
    let refs: Vec<CellRef> = AnnualReport::new("", year).cell_refs();
    let layout = AnnualReport::new("", year).layout;
    let column: HashMap<String, usize> = refs
        .iter()
        .enumerate()
        .map(|(i, c)| (c.path(), i))
        .collect();
    let mut cells: HashMap<i64, Vec<TableCell>> = HashMap::new();
    for (agency, path, state, value) in repo::cells_in_region(&app.db, region.id, year).await? {
        let Some(&i) = column.get(&path) else {
            continue; // a cell of another layout: the unit is not summed either
        };
        let row = cells
            .entry(agency)
            .or_insert_with(|| vec![TableCell::Empty; refs.len()]);
        row[i] = match (state.as_str(), value) {
            ("value", Some(v)) => match refs[i] {
                CellRef::T2(k) if k.is_amount() => TableCell::Number(amount_of(v).to_string()),
                _ => TableCell::Number(v.to_string()),
            },
            ("na", _) => TableCell::Text("/".into()),
            ("unread", _) => TableCell::Text("无法读取".into()),
            ("invalid", _) => TableCell::Text("无效".into()),
            _ => TableCell::Empty,
        };
    }
    let mut header: Vec<String> = UNIT_COLUMNS.iter().map(|s| s.to_string()).collect();
    header.extend(
        refs.iter()
            .map(|c| format!("{}（{}）", c.label_zh(layout), c.path())),
    );
    let rows = units
        .into_iter()
        .map(|u| {
            let mut row = unit_columns(&u);
            row.extend(
                cells
                    .remove(&u.agency_id)
                    .unwrap_or_else(|| vec![TableCell::Empty; refs.len()]),
            );
            row
        })
        .collect();
    Ok(UnitsTable { header, rows })
}

fn unit_columns(u: &UnitEntry) -> Vec<TableCell> {
    let text = |s: &str| TableCell::Text(s.to_string());
    vec![
        text(&u.agency),
        text(u.org_code.as_deref().unwrap_or("")),
        text(&u.region),
        text(u.origin.map_or("", |o| o.label())),
        text(u.state.label()),
        text(match (u.origin, u.included) {
            (None, _) => "",
            (_, true) => "是",
            (_, false) => "否",
        }),
        text(u.excluded_reason.as_deref().unwrap_or("")),
    ]
}

impl UnitsTable {
    /// As CSV (UTF-8 with a byte-order mark, so that spreadsheet programs read the Chinese).
    pub fn csv(&self) -> String {
        let mut out = String::from("\u{feff}");
        out.push_str(&crate::csv::line(&self.header));
        for row in &self.rows {
            let fields: Vec<&str> = row
                .iter()
                .map(|c| match c {
                    TableCell::Text(s) | TableCell::Number(s) => s.as_str(),
                    TableCell::Empty => "",
                })
                .collect();
            out.push_str(&crate::csv::line(&fields));
        }
        out
    }

    /// As JSON: `{"header": [...], "rows": [[...], ...]}`, numbers as numbers, empty cells
    /// `null`.
    pub fn json(&self) -> String {
        let rows: Vec<Vec<serde_json::Value>> = self
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|c| match c {
                        TableCell::Text(s) => serde_json::Value::from(s.as_str()),
                        TableCell::Number(s) => serde_json::from_str(s)
                            .unwrap_or_else(|_| serde_json::Value::from(s.as_str())),
                        TableCell::Empty => serde_json::Value::Null,
                    })
                    .collect()
            })
            .collect();
        serde_json::json!({"header": self.header, "rows": rows}).to_string()
    }

    /// As an XLSX workbook of one sheet, numbers as numbers.
    pub fn xlsx(&self, sheet: &str) -> Result<Vec<u8>> {
        gongkai_export::table_xlsx(sheet, &self.header, &self.rows)
            .map_err(|e| AppError::internal("cannot write the units' workbook", e))
    }
}
