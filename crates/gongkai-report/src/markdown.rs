//! Markdown (GFM tables). Cells that failing rules involve are marked with `⚠`.

use crate::paragraphs::{Block, outline};
use crate::table_rows::{table2_rows, table3_rows, table4_rows};
use crate::{Annotations, UNREADABLE_HEADING};
use gongkai_core::report::rules::Status;
use gongkai_core::report::{AnnualReport, Finding};

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

/// Turns tab-separated rows into a GFM table; the first row is the header.
fn gfm(rows: &[String]) -> String {
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row.split('\t').map(md_escape).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
        if i == 0 {
            out.push_str(&format!("|{}\n", " --- |".repeat(cells.len())));
        }
    }
    out
}

pub fn render(report: &AnnualReport, notes: &Annotations<'_>) -> String {
    let checks = notes.checks;
    let mut out = String::new();
    for block in outline(report) {
        match block {
            Block::Title(t) => out.push_str(&format!("# {}\n\n", md_escape(&t))),
            Block::Heading(h) => out.push_str(&format!("## {}\n\n", md_escape(&h))),
            Block::Paragraph(p) => out.push_str(&format!("{}\n\n", md_escape(p))),
            Block::Table2 => {
                // Each sub-table of table 二 is its own small table under its caption.
                let rows = table2_rows(report);
                let mut chunk: Vec<String> = Vec::new();
                for row in rows {
                    if !row.contains('\t') {
                        if !chunk.is_empty() {
                            out.push_str(&gfm(&chunk));
                            out.push('\n');
                            chunk.clear();
                        }
                        out.push_str(&format!("**{}**\n\n", md_escape(&row)));
                    } else {
                        chunk.push(row);
                    }
                }
                out.push_str(&gfm(&chunk));
                out.push('\n');
            }
            Block::Table3 => {
                out.push_str(&gfm(&table3_rows(report)));
                out.push('\n');
            }
            Block::Table4 => {
                out.push_str(&gfm(&table4_rows(report)));
                out.push('\n');
            }
        }
    }
    let problems: Vec<&Finding> = checks
        .unwrap_or(&[])
        .iter()
        .filter(|f| matches!(f.status, Status::Fail | Status::Unassessable))
        .collect();
    if !problems.is_empty() {
        out.push_str("## 勾稽关系检查\n\n");
        for f in problems {
            let mark = if f.status == Status::Fail {
                "⚠ 不通过"
            } else {
                "？ 无法判断"
            };
            out.push_str(&format!(
                "- {mark} **{}** {}\n",
                f.rule.id,
                md_escape(&f.message(gongkai_core::report::rules::Lang::Zh))
            ));
        }
        out.push('\n');
    }
    if !notes.unreadable.is_empty() {
        out.push_str(&format!("## {UNREADABLE_HEADING}\n\n"));
        for u in notes.unreadable {
            out.push_str(&format!("- {}\n", u.message));
        }
        out.push('\n');
    }
    out
}
