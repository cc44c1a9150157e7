//! Every cell of every report in `testdata/corpus/dev/` and the seed equals its
//! `*.expected.json` (docs/ARCHITECTURE.md, "Testing"), with agency, year and layout; and every
//! cell read carries its place in the file.

use gongkai_core::report::json::to_json;
use gongkai_import::{Options, import_path};
use rust_decimal::Decimal;
use serde_json::Value as Json;
use std::path::{Path, PathBuf};
use std::str::FromStr;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/corpus")
}

/// A value in the comparison form of tools/compare_report.py.
fn norm(v: Option<&Json>) -> String {
    match v {
        None | Some(Json::Null) => "null".into(),
        Some(Json::Number(n)) => Decimal::from_str(&n.to_string())
            .map(|d| d.normalize().to_string())
            .unwrap_or_else(|_| n.to_string()),
        Some(Json::String(s)) => {
            let s = s.trim();
            if ["/", "—", "－", "-", "无", "不适用"].contains(&s) {
                "/".into()
            } else {
                Decimal::from_str(s)
                    .map(|d| d.normalize().to_string())
                    .unwrap_or_else(|_| s.to_string())
            }
        }
        Some(other) => other.to_string(),
    }
}

pub(crate) fn flatten(prefix: &str, v: &Json, out: &mut Vec<(String, Json)>) {
    match v {
        Json::Object(m) => {
            for (k, x) in m {
                flatten(&format!("{prefix}.{k}"), x, out);
            }
        }
        other => out.push((prefix.to_string(), other.clone())),
    }
}

/// Every cell of tables 二/三/四 of a document, by its dotted key.
pub(crate) fn cells(doc: &Json) -> Vec<(String, Json)> {
    let mut out = Vec::new();
    for t in ["table2", "table3", "table4"] {
        if let Some(v) = doc.get(t) {
            flatten(t, v, &mut out);
        }
    }
    out
}

/// The agency as the file prints it may be the short name the expected file gives in
/// brackets: `上海市科学技术委员会（市科委）` is printed `上海市科委`.
fn agency_matches(expected: &str, actual: &str) -> bool {
    if expected == actual {
        return true;
    }
    let Some((full, short)) = expected.strip_suffix('）').and_then(|e| e.split_once('（')) else {
        return false;
    };
    !short.is_empty()
        && actual.ends_with(short)
        && full.starts_with(actual.strip_suffix(short).unwrap_or(actual))
}

fn check(file: &str, expected: &str) {
    let path = corpus().join(file);
    let imported =
        import_path(&path, &Options::default()).unwrap_or_else(|e| panic!("{file}: {e}"));
    let actual = to_json(&imported.report, None);
    let exp: Json = serde_json::from_str(
        &std::fs::read_to_string(corpus().join(expected)).expect("expected file"),
    )
    .expect("expected JSON");
    let mut bad = Vec::new();
    let act_cells: std::collections::HashMap<String, Json> = cells(&actual).into_iter().collect();
    let exp_cells = cells(&exp);
    for (k, v) in &exp_cells {
        let got = act_cells.get(k);
        if norm(Some(v)) != norm(got) {
            bad.push(format!(
                "{k}: expected {v}, got {}",
                got.unwrap_or(&Json::Null)
            ));
        }
    }
    for field in ["year", "layout"] {
        if exp.get(field) != actual.get(field) {
            bad.push(format!(
                "{field}: expected {:?}, got {:?}",
                exp.get(field),
                actual.get(field)
            ));
        }
    }
    let (ea, aa) = (
        exp["agency"].as_str().unwrap_or(""),
        actual["agency"].as_str().unwrap_or(""),
    );
    if !agency_matches(ea, aa) {
        bad.push(format!("agency: expected {ea}, got {aa}"));
    }
    if let Some(total) = exp.pointer("/proactive/total")
        && actual.pointer("/proactive/total") != Some(total)
    {
        bad.push(format!(
            "proactive.total: expected {total}, got {:?}",
            actual.pointer("/proactive/total")
        ));
    }
    // Evidence: every printed value has a source place with the printed text.
    let sources = &actual["source"]["cells"];
    for (k, v) in cells(&actual) {
        if !v.is_null() && sources.get(&k).is_none() {
            bad.push(format!("{k}: value without source"));
        }
    }
    assert!(
        bad.is_empty(),
        "{file}: {} of {} cells wrong:\n{}\nunreadable:\n{}",
        bad.len(),
        exp_cells.len(),
        bad.join("\n"),
        imported
            .unreadable
            .iter()
            .map(|u| u.message())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn seed_text() {
    check(
        "seed/zibo-zhangdian-jiguan-shiwu-2021.txt",
        "seed/zibo-zhangdian-jiguan-shiwu-2021.expected.json",
    );
}

#[test]
fn dev_008_pdf_text() {
    check("dev/008.txt", "dev/008.expected.json");
}

#[test]
fn dev_008_pdf() {
    check("dev/008.pdf", "dev/008.expected.json");
}

#[test]
fn dev_009_pdf_text() {
    check("dev/009.txt", "dev/009.expected.json");
}

#[test]
fn dev_009_pdf() {
    check("dev/009.pdf", "dev/009.expected.json");
}

#[test]
fn dev_011_broken_markdown() {
    check("dev/011.md", "dev/011.expected.json");
}

#[test]
fn dev_014_html_in_javascript() {
    check("dev/014.txt", "dev/014.expected.json");
}

#[test]
fn dev_101_portal_html() {
    check("dev/101.html", "dev/101.expected.json");
}

#[test]
fn dev_101_docx() {
    check("dev/101.docx", "dev/101.expected.json");
}

#[test]
fn dev_107_portal_html() {
    check("dev/107.html", "dev/107.expected.json");
}

#[test]
fn dev_109_portal_html() {
    check("dev/109.html", "dev/109.expected.json");
}

#[test]
fn dev_115_portal_html() {
    check("dev/115.html", "dev/115.expected.json");
}

#[test]
fn dev_119_portal_html() {
    check("dev/119.html", "dev/119.expected.json");
}

/// BI-IM-6: a report whose totals disagree is imported as printed, with the failing rules
/// naming the cells (109 prints a 总计 column that disagrees with its rows).
#[test]
fn bi_im_6_inconsistent_totals_are_imported_with_findings() {
    use gongkai_core::report::{CellRef, Status, T3Col, T3Row, Value, check};
    let imported =
        import_path(&corpus().join("dev/109.html"), &Options::default()).expect("imports");
    let r = &imported.report;
    assert_eq!(
        r.cell(CellRef::T3(T3Row::Granted, T3Col::Total)).value,
        Value::Count(6),
        "the printed total is kept, not corrected"
    );
    let findings = check(r, None);
    let failed: Vec<&str> = findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .map(|f| f.rule.id.as_str())
        .collect();
    assert!(
        failed.contains(&"T3-2") && failed.contains(&"T3-3"),
        "{failed:?}"
    );
}

/// The narrative sections are read too, and end before a portal's page furniture.
#[test]
fn sections_are_read_without_page_furniture() {
    let seed = import_path(
        &corpus().join("seed/zibo-zhangdian-jiguan-shiwu-2021.txt"),
        &Options::default(),
    )
    .expect("imports");
    let s = &seed.report.sections;
    assert!(
        s.overview
            .as_deref()
            .is_some_and(|t| t.starts_with("2021 年，淄博市张店区"))
    );
    assert!(
        s.problems
            .as_deref()
            .is_some_and(|t| t.contains("进一步健全体制机制"))
    );
    assert!(
        s.other
            .as_deref()
            .is_some_and(|t| t.contains("人大代表建议 0 件"))
    );
    let portal = import_path(&corpus().join("dev/101.html"), &Options::default()).expect("imports");
    assert_eq!(
        portal.report.sections.other.as_deref(),
        Some("2025年度本机关未收取信息处理费。")
    );
}
