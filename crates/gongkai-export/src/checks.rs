//! Rule results (勾稽关系, docs/rules/annual-report.md#consistency-rules-勾稽关系) as lines of a
//! document: every result for the XLSX sheet, the failing and unassessable ones for DOCX/PDF;
//! and what the reader of an imported report could not read (its `source.unreadable`).

use gongkai_core::report::rules::{Lang, Severity, Status};
use gongkai_core::report::{AnnualReport, CellRef, Finding};

/// The heading of the list in DOCX and PDF (the HTML rendering uses the same words).
pub const HEADING: &str = "勾稽关系检查";

/// One rule result in Chinese.
pub struct Line {
    pub rule: String,
    pub status: &'static str,
    pub severity: &'static str,
    pub message: String,
    /// The cells the result names, in Chinese, with their JSON paths.
    pub cells: String,
}

fn status_zh(s: Status) -> &'static str {
    match s {
        Status::Pass => "通过",
        Status::Fail => "未通过",
        Status::Unassessable => "无法判断",
        Status::NotApplicable => "不适用",
    }
}

fn severity_zh(s: Severity) -> &'static str {
    match s {
        Severity::Error => "错误",
        Severity::Warning => "提示",
    }
}

/// Whether a result belongs in a published document's list (the HTML lists the same).
pub fn is_problem(f: &Finding) -> bool {
    matches!(f.status, Status::Fail | Status::Unassessable)
}

fn cells_zh(f: &Finding) -> String {
    let cells: Vec<CellRef> = if f.problem_cells.is_empty() {
        f.cells.clone()
    } else {
        f.problem_cells.iter().map(|(c, _)| *c).collect()
    };
    cells
        .iter()
        .map(|c| format!("{}（{}）", c.label_zh(f.layout), c.path()))
        .collect::<Vec<_>>()
        .join("；")
}

pub fn line(f: &Finding) -> Line {
    Line {
        rule: f.rule.id.clone(),
        status: status_zh(f.status),
        severity: severity_zh(f.rule.severity),
        message: f.message(Lang::Zh),
        cells: cells_zh(f),
    }
}

/// The failing and unassessable results as `ID 说明` lines, for DOCX and PDF.
pub fn problems(checks: Option<&[Finding]>) -> Vec<String> {
    checks
        .unwrap_or(&[])
        .iter()
        .filter(|f| is_problem(f))
        .map(|f| {
            let l = line(f);
            format!("{}（{}，{}）{}", l.rule, l.status, l.severity, l.message)
        })
        .collect()
}

/// The lists printed after the tables in DOCX and PDF, each under its heading, empty lists
/// left out: the rule results that need attention, then what the reader could not read (so a
/// reader of the file tells an unread cell, marked 「？」 in the tables, from a printed blank).
pub fn notes(
    report: &AnnualReport,
    checks: Option<&[Finding]>,
) -> Vec<(&'static str, Vec<String>)> {
    let gaps: Vec<String> = report.gaps.iter().map(|g| g.message.clone()).collect();
    [
        (HEADING, problems(checks)),
        (gongkai_report::UNREADABLE_HEADING, gaps),
    ]
    .into_iter()
    .filter(|(_, lines)| !lines.is_empty())
    .collect()
}
