//! Views of reports for the front ends: what `report check --format json` prints.

use gongkai_core::report::{AnnualReport, Finding};
use serde::Serialize;
use serde_json::Value as Json;

/// The rule results of one report file: `{"file", "agency", "year", "passed", "checks"}`;
/// `passed` is false when an error-severity rule failed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckView {
    pub file: String,
    /// The agency's name; `null` when the reader of the source file could not identify it.
    pub agency: Option<String>,
    /// The report year; `null` when the reader of the source file could not find it.
    pub year: Option<i32>,
    /// No error-severity rule failed.
    pub passed: bool,
    /// How many error-severity rule instances failed.
    pub failed: usize,
    /// How many rule instances cannot be assessed because the reader of the source file did
    /// not read their cells (not the report's fault).
    pub unread: usize,
    /// The cells the reader did not read (the document's `source.unreadable`).
    pub unread_cells: Vec<String>,
    /// Every rule instance (docs/report-json.md, "checks").
    pub checks: Vec<Json>,
}

impl CheckView {
    pub fn new(file: impl Into<String>, report: &AnnualReport, findings: &[Finding]) -> CheckView {
        CheckView {
            file: file.into(),
            agency: (!report.agency.trim().is_empty()).then(|| report.agency.clone()),
            year: report.known_year(),
            passed: !findings.iter().any(Finding::is_error_failure),
            failed: findings.iter().filter(|f| f.is_error_failure()).count(),
            unread: findings.iter().filter(|f| f.is_unread()).count(),
            unread_cells: report
                .gaps
                .iter()
                .filter_map(|g| match g.of {
                    gongkai_core::report::GapOf::Cell(c) => Some(c.path()),
                    _ => None,
                })
                .collect(),
            checks: findings.iter().map(Finding::to_json).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_core::report::check;

    #[test]
    fn the_view_of_a_failing_report() {
        let mut report = AnnualReport::new("某局", 2021);
        report.table3.fill_zero();
        report.table3.set(
            gongkai_core::report::T3Row::NewReceived,
            gongkai_core::report::T3Col::Total,
            gongkai_core::report::Cell::count(1),
        );
        let findings = check(&report, None);
        let v = serde_json::to_value(CheckView::new("r.json", &report, &findings)).expect("json");
        assert_eq!(v["file"], "r.json");
        assert_eq!(v["agency"], "某局");
        assert_eq!(v["year"], 2021);
        assert_eq!(v["passed"], false);
        assert!(v["checks"].as_array().is_some_and(|c| {
            c.iter()
                .any(|f| f["rule"] == "T3-1" && f["status"] == "fail")
        }));
    }
}
