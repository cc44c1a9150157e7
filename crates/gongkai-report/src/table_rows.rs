//! Tables 二/三/四 as rows of tab-separated cells, for the plain-text and Markdown renderers
//! (which cannot merge cells: a row carries its group labels in front of its own).

use gongkai_core::report::format::spec;
use gongkai_core::report::keys::T4Group;
use gongkai_core::report::{AnnualReport, Layout, T2Key, T3Col, T4Col};

pub fn table2_rows(report: &AnnualReport) -> Vec<String> {
    let t2 = spec().table2_for(report.layout == Layout::Y2019);
    let mut out = Vec::new();
    for sub in &t2.subtables {
        out.push(sub.caption.clone());
        let mut header = vec![t2.label_column.clone()];
        header.extend(sub.columns.iter().map(|c| c.label.clone()));
        out.push(header.join("\t"));
        for row in &sub.rows {
            let mut cells = vec![row.label.clone()];
            for col in &sub.columns {
                let key = T2Key {
                    sub: &sub.key,
                    row: &row.key,
                    col: &col.key,
                };
                cells.push(report.table2.get(key).value.to_string());
            }
            out.push(cells.join("\t"));
        }
    }
    out
}

/// The header row of table 三 with one label per column.
pub fn table3_header() -> Vec<String> {
    let t3 = &spec().table3;
    let mut header = vec![t3.corner_note.clone()];
    header.extend(T3Col::ALL.iter().map(|c| c.label().to_string()));
    header
}

pub fn table3_rows(report: &AnnualReport) -> Vec<String> {
    let mut out = vec![table3_header().join("\t")];
    for &row in report.table3.rows() {
        let mut cells = vec![row.full_label()];
        cells.extend(
            T3Col::ALL
                .iter()
                .map(|&c| report.table3.get(row, c).value.to_string()),
        );
        out.push(cells.join("\t"));
    }
    out
}

/// Table 四's column labels with their groups, e.g. `行政诉讼 未经复议直接起诉 结果维持`.
pub fn table4_header() -> Vec<String> {
    T4Col::all()
        .map(|c| {
            let parent = if c.group == T4Group::Review {
                String::new()
            } else {
                "行政诉讼 ".to_string()
            };
            format!("{parent}{} {}", c.group.label(), c.label())
        })
        .collect()
}

pub fn table4_rows(report: &AnnualReport) -> Vec<String> {
    let values: Vec<String> = T4Col::all()
        .map(|c| report.table4.get(c).value.to_string())
        .collect();
    vec![table4_header().join("\t"), values.join("\t")]
}
