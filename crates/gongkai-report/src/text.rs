//! Plain text, as a report reads when copied from a web page: paragraphs, and table rows with
//! tab-separated cells (the seed's shape).

use crate::paragraphs::{Block, outline};
use crate::table_rows::{table2_rows, table3_rows, table4_rows};
use crate::{UNREADABLE_HEADING, UnreadableCell};
use gongkai_core::report::AnnualReport;

pub fn render(report: &AnnualReport, unreadable: &[UnreadableCell]) -> String {
    let mut out = String::new();
    for block in outline(report) {
        let lines = match block {
            Block::Title(t) => vec![t],
            Block::Heading(h) => vec![h],
            Block::Paragraph(p) => vec![p.to_string()],
            Block::Table2 => table2_rows(report),
            Block::Table3 => table3_rows(report),
            Block::Table4 => table4_rows(report),
        };
        for line in lines {
            out.push_str(&line);
            out.push('\n');
        }
        out.push('\n');
    }
    if !unreadable.is_empty() {
        out.push_str(UNREADABLE_HEADING);
        out.push('\n');
        for u in unreadable {
            out.push_str(&u.message);
            out.push('\n');
        }
        out.push('\n');
    }
    out
}
