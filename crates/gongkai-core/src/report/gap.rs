//! What the reader of a source file left open (docs/report-json.md, "source"): cells, the
//! agency or the year it could not find or read, and where it found the agency's name.
//!
//! A cell listed here is *unread*: the rules say they cannot assess it because the reader did
//! not read it, which is not the report's fault — unlike a cell the report printed blank, which
//! T3-4/T4-4 fail.

use super::cell::Place;
use super::keys::CellRef;

/// What a gap is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GapOf {
    /// The agency's name (the document's `agency` is then null).
    Agency,
    /// The report year.
    Year,
    /// A cell of the tables.
    Cell(CellRef),
}

impl GapOf {
    /// The JSON `field` of an identity gap (`agency`, `year`); `None` for a cell.
    pub fn field(self) -> Option<&'static str> {
        match self {
            GapOf::Agency => Some("agency"),
            GapOf::Year => Some("year"),
            GapOf::Cell(_) => None,
        }
    }
}

/// One thing a reader could not find or read, with where it looked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub of: GapOf,
    /// What it is, in the format's words (`机关名称`, `表四 行政复议 / 结果维持`).
    pub label: String,
    /// Why it could not be read, and where the reader looked, in one line.
    pub message: String,
    /// Where the reader looked, or where the unreadable text stands.
    pub near: Option<Place>,
}

/// Where a reader found the agency's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyEvidence {
    /// Which part of the file: `title`, `text` (the body), `docx-properties`
    /// (`docProps/core.xml`), `html-title` (`<title>` or a title `<meta>`).
    pub from: String,
    /// The place in the file and the text the name was read from.
    pub place: Place,
}

/// The placeholder printed for an agency the reader could not identify.
pub const UNKNOWN_AGENCY: &str = "（未识别机关名称）";

/// The placeholder printed for a report year the reader could not find.
pub const UNKNOWN_YEAR: &str = "（未识别年度）";

/// The model's `year` when the reader could not find it (JSON `"year": null`).
pub const YEAR_UNKNOWN: i32 = 0;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::json::{from_json, to_json};
    use crate::report::keys::{Layout, T4Col};
    use crate::report::{AnnualReport, Cell, Status, check};
    use serde_json::json;

    fn t4_of(report: &AnnualReport) -> Vec<CellRef> {
        let _ = report;
        T4Col::all().map(CellRef::T4).collect()
    }

    /// A report with tables 三 filled and table 四 left blank.
    fn without_table4() -> AnnualReport {
        let mut r = AnnualReport::new("测试局", 2023);
        r.table3.fill_zero();
        r
    }

    fn unread(at: CellRef) -> Gap {
        Gap {
            of: GapOf::Cell(at),
            label: "表四".into(),
            message: "no value found".into(),
            near: None,
        }
    }

    fn statuses<'a>(
        findings: &'a [crate::report::Finding],
        id: &str,
    ) -> Vec<&'a crate::report::Finding> {
        findings.iter().filter(|f| f.rule.id == id).collect()
    }

    #[test]
    fn printed_blanks_fail_the_domain_rule_but_unread_cells_are_unassessable() {
        let printed = without_table4();
        let findings = check(&printed, None);
        let t44 = statuses(&findings, "T4-4");
        assert_eq!(
            t44[0].status,
            Status::Fail,
            "{}",
            t44[0].message(super::super::rules::Lang::Zh)
        );
        assert!(t44[0].unread.is_empty());

        let mut read = without_table4();
        read.gaps = t4_of(&read).into_iter().map(unread).collect();
        let findings = check(&read, None);
        let t44 = statuses(&findings, "T4-4");
        assert_eq!(t44[0].status, Status::Unassessable);
        assert_eq!(t44[0].unread.len(), 15);
        assert!(t44[0].is_unread() && !t44[0].is_error_failure());
        let zh = t44[0].message(super::super::rules::Lang::Zh);
        assert!(zh.contains("未读取"), "{zh}");
        let t41 = statuses(&findings, "T4-1");
        assert_eq!(t41[0].status, Status::Unassessable);
        assert_eq!(t41[0].unread.len(), 5);
        assert_eq!(
            t41[0].to_json()["unread_cells"].as_array().map(Vec::len),
            Some(5)
        );
        // T3-4 still passes: table 三 was read.
        assert_eq!(statuses(&findings, "T3-4")[0].status, Status::Pass);
    }

    #[test]
    fn a_printed_blank_beside_unread_cells_still_fails() {
        let mut r = without_table4();
        let cells = t4_of(&r);
        for &c in &cells[1..] {
            r.set(c, Cell::count(0));
        }
        r.gaps = vec![unread(cells[2])];
        // cells[0] is blank as printed (not in the gaps): T4-4 fails on it.
        let findings = check(&r, None);
        let t44 = statuses(&findings, "T4-4");
        assert_eq!(t44[0].status, Status::Fail);
        assert_eq!(t44[0].problem_cells.len(), 1);
        assert_eq!(t44[0].problem_cells[0].0, cells[0]);
    }

    #[test]
    fn gaps_and_an_unknown_agency_survive_a_round_trip() {
        let mut r = without_table4();
        r.agency = String::new();
        r.gaps = vec![
            Gap {
                of: GapOf::Agency,
                label: "机关名称".into(),
                message: "机关名称: no agency name found".into(),
                near: None,
            },
            unread(CellRef::T4(T4Col::all().next().expect("a column"))),
        ];
        r.gaps[1].near = Some(Place {
            line: Some(12),
            ..Place::default()
        });
        let doc = to_json(&r, None);
        assert_eq!(doc["agency"], serde_json::Value::Null);
        assert_eq!(doc["source"]["unreadable"][0]["field"], "agency");
        assert_eq!(doc["source"]["unreadable"][1]["near"]["line"], 12);
        let back = from_json(&doc).expect("read back");
        assert_eq!(back.gaps, r.gaps);
        assert_eq!(back.agency, "");
        assert!(back.title().starts_with(UNKNOWN_AGENCY), "{}", back.title());
        assert_eq!(back.agency_display(), UNKNOWN_AGENCY);
    }

    #[test]
    fn a_missing_agency_needs_its_gap() {
        let base = json!({"agency": null, "year": 2023});
        assert!(from_json(&base).is_err());
        assert!(from_json(&json!({"agency": "", "year": 2023})).is_err());
        // The form written before `field` existed: an empty name and a `cell: null` entry.
        let old = json!({"agency": "", "year": 2023, "source": {"unreadable": [
            {"cell": null, "label": "机关名称", "message": "no agency name found in the title"}]}});
        let r = from_json(&old).expect("accepted");
        assert_eq!(r.gaps[0].of, GapOf::Agency);
        let year_only = json!({"agency": null, "year": 2023, "source": {"unreadable": [
            {"cell": null, "field": "year", "label": "年度", "message": "?"}]}});
        assert!(from_json(&year_only).is_err());
        let bad_cell = json!({"agency": "x", "year": 2023, "source": {"unreadable": [
            {"cell": "table4.nope", "label": "?", "message": "?"}]}});
        assert!(from_json(&bad_cell).is_err());
    }

    /// A year the reader could not find: `"year": null` with its gap, read back as unknown,
    /// printed as 「（未识别年度）」; a null or missing year without the gap is refused.
    #[test]
    fn a_missing_year_is_a_gap_and_round_trips() {
        let mut r = without_table4();
        r.year = YEAR_UNKNOWN;
        r.layout = Layout::Y2021;
        r.gaps = vec![Gap {
            of: GapOf::Year,
            label: "年度".into(),
            message: "年度: no report year in the title or the text".into(),
            near: None,
        }];
        let doc = to_json(&r, None);
        assert_eq!(doc["year"], serde_json::Value::Null);
        assert_eq!(doc["layout"], "2021");
        assert_eq!(doc["source"]["unreadable"][0]["field"], "year");
        let back = from_json(&doc).expect("read back");
        assert_eq!(back.known_year(), None);
        assert_eq!(back.layout, Layout::Y2021);
        assert_eq!(
            back.title(),
            format!("测试局{UNKNOWN_YEAR}政府信息公开工作年度报告")
        );
        assert_eq!(to_json(&back, None), doc);
        assert!(from_json(&json!({"agency": "测试局", "year": null})).is_err());
        assert!(from_json(&json!({"agency": "测试局"})).is_err());
        let known = from_json(&json!({"agency": "测试局", "year": 2023})).expect("read");
        assert_eq!(known.known_year(), Some(2023));
        assert_eq!(known.year_display(), "2023年");
    }

    #[test]
    fn agency_evidence_round_trips() {
        let mut r = without_table4();
        r.agency_evidence = Some(AgencyEvidence {
            from: "text".into(),
            place: Place {
                line: Some(3),
                text: Some("某某局（以下简称“我局”）".into()),
                ..Place::default()
            },
        });
        let doc = to_json(&r, None);
        assert_eq!(doc["source"]["agency"]["from"], "text");
        assert_eq!(
            from_json(&doc).expect("read").agency_evidence,
            r.agency_evidence
        );
    }
}
