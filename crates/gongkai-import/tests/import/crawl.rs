//! Crawled portal text with run-together numbers (docs/reliability.md BI-IM-14): every cell
//! is either read as printed or reported unreadable — never a wrong value — on the corpus's
//! crawl files, on crawl-style flattenings of every HTML report of the corpus, of the seed
//! text and of the PDF text of 008 and 009, and on random reports rendered by gongkai-report
//! and flattened the same way — consistent ones, and ones with a wrong 总计 or a blank cell.
//! All-zero tables are read completely.

use crate::corpus::cells;
use gongkai_core::report::json::{from_str, to_json};
use gongkai_core::report::{AnnualReport, Cell, CellRef, T3Col, T3Row, T4Col, Value};
use gongkai_import::{Imported, Options, import_bytes};
use gongkai_report::DocFormat;
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::Value as Json;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/corpus")
}

fn read(file: &str) -> String {
    std::fs::read_to_string(corpus().join(file)).expect("corpus file")
}

/// Whitespace runs as one space, trimmed.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An HTML page as a crawler saves its text: the title on a line of its own, then every text
/// node of the body trimmed and joined without separators (table cells run together).
fn crawl_html(html: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let mut title = String::new();
    let mut body = String::new();
    for node in doc.tree.root().descendants() {
        let Some(text) = node.value().as_text() else {
            continue;
        };
        let skip = node.ancestors().any(|a| {
            a.value()
                .as_element()
                .is_some_and(|e| matches!(e.name(), "script" | "style" | "noscript" | "template"))
        });
        if skip {
            continue;
        }
        let in_title = node
            .ancestors()
            .any(|a| a.value().as_element().is_some_and(|e| e.name() == "title"));
        if in_title {
            title.push_str(&squash(text));
        } else {
            body.push_str(&squash(text));
        }
    }
    format!("标题: {title}\n==================== 正文 ====================\n{body}\n")
}

/// A text report flattened the same way: the title (the page's, or the first line), then
/// every line with its whitespace (tabs, layout spaces) removed, joined without separators.
fn crawl_text(text: &str, title: Option<&str>) -> String {
    let title = title.unwrap_or_else(|| {
        text.lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("")
    });
    let body: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    format!("标题: {}\n{body}\n", squash(title).replace(' ', ""))
}

/// A value in comparison form (as tools/compare_report.py compares).
fn norm(v: Option<&Json>) -> String {
    match v {
        None | Some(Json::Null) => "null".into(),
        Some(Json::Number(n)) => Decimal::from_str(&n.to_string())
            .map(|d| d.normalize().to_string())
            .unwrap_or_else(|_| n.to_string()),
        Some(Json::String(s)) => Decimal::from_str(s.trim())
            .map(|d| d.normalize().to_string())
            .unwrap_or_else(|_| s.trim().to_string()),
        Some(other) => other.to_string(),
    }
}

/// How an import did against what is printed.
#[derive(Debug, Default)]
struct Score {
    cells: usize,
    /// Equal to the expected value.
    right: usize,
    /// Reported unreadable.
    unreadable: usize,
    /// Neither: a value that is not what is printed.
    wrong: Vec<String>,
}

impl Score {
    fn line(&self, name: &str) -> String {
        format!(
            "{name}: {} cells, {} read right ({:.1}%), {} unreadable, {} wrong",
            self.cells,
            self.right,
            100.0 * self.right as f64 / self.cells.max(1) as f64,
            self.unreadable,
            self.wrong.len()
        )
    }
}

fn score(imported: &Imported, expected: &Json) -> Score {
    let actual = to_json(&imported.report, None);
    let unreadable: HashSet<String> = imported
        .unreadable
        .iter()
        .filter_map(|u| u.cell().map(|c| c.path()))
        .collect();
    let got: std::collections::HashMap<String, Json> = cells(&actual).into_iter().collect();
    let mut s = Score::default();
    for (path, want) in cells(expected) {
        s.cells += 1;
        if unreadable.contains(&path) {
            s.unreadable += 1;
        } else if norm(Some(&want)) == norm(got.get(&path)) {
            s.right += 1;
        } else {
            s.wrong.push(format!(
                "{path}: printed {want}, read {}",
                got.get(&path).unwrap_or(&Json::Null)
            ));
        }
    }
    for field in ["agency", "year"] {
        if expected.get(field) != actual.get(field) {
            s.wrong.push(format!(
                "{field}: expected {:?}, got {:?}",
                expected.get(field),
                actual.get(field)
            ));
        }
    }
    s
}

fn import_crawl(text: &str) -> Imported {
    import_bytes(text.as_bytes(), Some("txt"), &Options::default()).expect("imported")
}

fn check(name: &str, text: &str, expected: &Json) -> Score {
    let imported = import_crawl(text);
    let s = score(&imported, expected);
    println!("{}", s.line(name));
    for u in &imported.unreadable {
        println!("  {name}: {}", u.message());
    }
    // Every cell read carries the printed run it was cut from, with its line.
    for at in imported.report.cell_refs() {
        let cell = imported.report.cell(at);
        if cell.value.is_blank() {
            continue;
        }
        let Some(gongkai_core::report::Source::Imported(place)) = &cell.source else {
            panic!("{name}: {at} has no evidence");
        };
        let run = place.text.as_deref().unwrap_or("");
        assert!(place.line.is_some(), "{name}: {at} has no line");
        assert!(
            text.contains(run),
            "{name}: {at}: 「{run}」 is not in the text"
        );
    }
    s
}

#[test]
fn bi_im_14_corpus_crawls_have_no_wrong_cell() {
    let mut failures = Vec::new();
    for id in ["119", "109", "115"] {
        let text = read(&format!("dev/{id}-crawl.txt"));
        let expected: Json =
            serde_json::from_str(&read(&format!("dev/{id}-crawl.expected.json"))).expect("json");
        let s = check(&format!("{id}-crawl"), &text, &expected);
        failures.extend(s.wrong.iter().map(|w| format!("{id}-crawl {w}")));
        assert!(s.right > 0, "{id}-crawl: nothing read");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn bi_im_14_the_crawl_of_119_is_read_where_the_totals_leave_one_reading() {
    let text = read("dev/119-crawl.txt");
    let imported = import_crawl(&text);
    let r = &imported.report;
    let count = |at: CellRef| r.cell(at).value.clone();
    // 580000058: 58|0|0|0|0|0|58, the only cut whose 总计 is the sum of the six columns.
    assert_eq!(
        count(CellRef::T3(T3Row::NewReceived, T3Col::NaturalPerson)),
        Value::Count(58)
    );
    assert_eq!(
        count(CellRef::T3(T3Row::NewReceived, T3Col::Total)),
        Value::Count(58)
    );
    // 1.属于国家秘密40000042.其他法律…: the 「2.」 belongs to the next label.
    assert_eq!(
        count(CellRef::T3(T3Row::DeniedStateSecret, T3Col::Total)),
        Value::Count(4)
    );
    // Evidence: the line and the printed run.
    let cell = r.cell(CellRef::T3(T3Row::NewReceived, T3Col::Total));
    let Some(gongkai_core::report::Source::Imported(place)) = &cell.source else {
        panic!("no evidence");
    };
    assert_eq!(place.text.as_deref(), Some("580000058"));
    assert_eq!(place.line, Some(3));
    // 行政规范性文件3123: 3|1|23, 31|2|3, 3|12|3 — table 二 has no total to choose.
    let unread: Vec<String> = imported
        .unreadable
        .iter()
        .filter(|u| {
            u.cell()
                .is_some_and(|c| c.path().starts_with("table2.art20_1.normative_docs"))
        })
        .map(|u| u.message())
        .collect();
    assert_eq!(unread.len(), 3, "{unread:?}");
    assert!(unread[0].contains("3|1|23"), "{}", unread[0]);
}

#[test]
fn bi_im_14_a_report_whose_totals_disagree_trusts_no_total() {
    // 109 prints a 总计 column that disagrees with its rows: 「1000000」 is 1|0|0|0|0|0|0 as
    // printed, but could as well be 10|0|0|0|0|0 with a blank total; it stays unreadable.
    let imported = import_crawl(&read("dev/109-crawl.txt"));
    let unread: HashSet<String> = imported
        .unreadable
        .iter()
        .filter_map(|u| u.cell().map(|c| c.path()))
        .collect();
    assert!(unread.contains("table3.new_received.natural_person"));
    // Zero-only runs of the right length are certain whatever the totals say.
    assert_eq!(
        imported
            .report
            .cell(CellRef::T3(T3Row::CarriedOver, T3Col::Total))
            .value,
        Value::Count(0)
    );
}

/// The crawl-style variants of the corpus: every HTML report and the seed text.
#[test]
fn bi_im_14_crawled_variants_of_the_corpus_have_no_wrong_cell() {
    let mut failures = Vec::new();
    let mut lines = Vec::new();
    for id in ["101", "107", "109", "115", "119"] {
        let text = crawl_html(&read(&format!("dev/{id}.html")));
        let expected: Json =
            serde_json::from_str(&read(&format!("dev/{id}.expected.json"))).expect("json");
        let s = check(&format!("{id}.html crawled"), &text, &expected);
        lines.push(s.line(&format!("{id}.html crawled")));
        failures.extend(s.wrong.iter().map(|w| format!("{id}.html crawled {w}")));
    }
    // PDF text (`pdftotext -layout`) with its layout spaces and line ends removed.
    for id in ["008", "009"] {
        // The title as the reader finds it in the unflattened text (a crawler keeps the
        // page's title; PDF text wraps it over lines).
        let original = read(&format!("dev/{id}.txt"));
        let title = import_bytes(original.as_bytes(), Some("txt"), &Options::default())
            .expect("imported")
            .report
            .title;
        let text = crawl_text(&original, title.as_deref());
        let expected: Json =
            serde_json::from_str(&read(&format!("dev/{id}.expected.json"))).expect("json");
        let name = format!("{id}.txt crawled");
        let s = check(&name, &text, &expected);
        lines.push(s.line(&name));
        failures.extend(s.wrong.iter().map(|w| format!("{name} {w}")));
    }
    let seed = "seed/zibo-zhangdian-jiguan-shiwu-2021";
    let text = crawl_text(&read(&format!("{seed}.txt")), None);
    let expected: Json =
        serde_json::from_str(&read(&format!("{seed}.expected.json"))).expect("json");
    let s = check("seed crawled", &text, &expected);
    lines.push(s.line("seed crawled"));
    failures.extend(s.wrong.iter().map(|w| format!("seed crawled {w}")));
    println!("{}", lines.join("\n"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A count drawn as real reports print them: mostly 0, sometimes small, now and then large.
fn count() -> impl Strategy<Value = u64> {
    prop_oneof![6 => Just(0u64), 3 => 1u64..10, 2 => 10u64..200, 1 => 200u64..5000]
}

/// A consistent report: the seed's text with random cells that meet every rule of tables
/// 三 and 四 (T3-1, T3-2, T3-3, T4-1…3).
fn consistent(
    zero: bool,
    t2: Vec<u64>,
    outcomes: Vec<u64>,
    carried: Vec<u64>,
    forward: Vec<u64>,
    t4: Vec<u64>,
) -> AnnualReport {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/seed-2021.json");
    let mut r = from_str(&std::fs::read_to_string(root).expect("seed")).expect("seed document");
    let v = |x: u64| if zero { 0 } else { x };
    let t2_keys: Vec<_> = r
        .cell_refs()
        .into_iter()
        .filter_map(|c| match c {
            CellRef::T2(k) => Some(k),
            _ => None,
        })
        .collect();
    for (i, k) in t2_keys.into_iter().enumerate() {
        let n = v(t2[i % t2.len()]);
        let value = if k.is_amount() {
            Value::Amount(Decimal::from(n))
        } else {
            Value::Count(n)
        };
        r.set(CellRef::T2(k), Cell::new(value));
    }
    let rows: Vec<T3Row> = T3Row::rows(r.table3.shape).to_vec();
    let outcome_rows: Vec<T3Row> = rows.iter().copied().filter(|r| r.is_outcome()).collect();
    for (ci, &col) in T3Col::PARTS.iter().enumerate() {
        let mut processed = 0;
        for (ri, &row) in outcome_rows.iter().enumerate() {
            let n = v(outcomes[(ri * 6 + ci) % outcomes.len()]);
            processed += n;
            r.set(CellRef::T3(row, col), Cell::count(n));
        }
        let f = v(forward[ci]);
        let c = v(carried[ci]).min(processed + f);
        r.set(
            CellRef::T3(T3Row::TotalProcessed, col),
            Cell::count(processed),
        );
        r.set(CellRef::T3(T3Row::CarriedForward, col), Cell::count(f));
        r.set(CellRef::T3(T3Row::CarriedOver, col), Cell::count(c));
        r.set(
            CellRef::T3(T3Row::NewReceived, col),
            Cell::count(processed + f - c),
        );
    }
    for &row in &rows {
        let total = T3Col::PARTS
            .iter()
            .map(|&c| match r.cell(CellRef::T3(row, c)).value {
                Value::Count(n) => n,
                _ => 0,
            })
            .sum();
        r.set(CellRef::T3(row, T3Col::Total), Cell::count(total));
    }
    let mut i = 0;
    let mut sum = 0;
    for col in T4Col::all() {
        if col.outcome.key() == "total" {
            r.set(CellRef::T4(col), Cell::count(sum));
            sum = 0;
        } else {
            let n = v(t4[i % t4.len()]);
            i += 1;
            sum += n;
            r.set(CellRef::T4(col), Cell::count(n));
        }
    }
    r
}

/// Breaks a consistent report the ways real ones are broken: a 总计 that is not the sum of
/// its row (`1`), or a cell left blank (`2`); in table 四, a wrong cell (`3`) or a blank (`4`).
fn spoil(r: &mut AnnualReport, defect: u8, which: usize) {
    let rows: Vec<T3Row> = T3Row::rows(r.table3.shape).to_vec();
    let row = rows[which % rows.len()];
    match defect {
        1 => {
            let at = CellRef::T3(row, T3Col::Total);
            if let Value::Count(n) = r.cell(at).value {
                r.set(at, Cell::count(n + 1 + (which % 7) as u64));
            }
        }
        2 => {
            let col = T3Col::ALL[(which / 31) % T3Col::ALL.len()];
            r.set(CellRef::T3(row, col), Cell::new(Value::Blank));
        }
        3 | 4 => {
            let cols: Vec<T4Col> = T4Col::all().collect();
            let col = cols[which % cols.len()];
            let at = CellRef::T4(col);
            if defect == 4 {
                r.set(at, Cell::new(Value::Blank));
            } else if let Value::Count(n) = r.cell(at).value {
                r.set(at, Cell::count(n + 1 + (which % 5) as u64));
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn t_prop_crawled_reports_that_break_their_rules_have_no_wrong_cell(
        t2 in prop::collection::vec(count(), 12),
        outcomes in prop::collection::vec(count(), 126),
        carried in prop::collection::vec(count(), 6),
        forward in prop::collection::vec(count(), 6),
        t4 in prop::collection::vec(count(), 12),
        defect in 1u8..5,
        which in any::<usize>(),
    ) {
        let mut report = consistent(false, t2, outcomes, carried, forward, t4);
        spoil(&mut report, defect, which);
        let html = gongkai_report::render(&report, DocFormat::Html, None);
        let text = crawl_html(&html);
        let imported = import_crawl(&text);
        let s = score(&imported, &to_json(&report, None));
        println!("{}", s.line(&format!("spoiled ({defect})")));
        prop_assert!(s.wrong.is_empty(), "{}\n{}", s.wrong.join("\n"), text);
    }

    #[test]
    fn t_prop_crawled_consistent_reports_have_no_wrong_cell(
        zero in prop::bool::weighted(0.2),
        t2 in prop::collection::vec(count(), 12),
        outcomes in prop::collection::vec(count(), 126),
        carried in prop::collection::vec(count(), 6),
        forward in prop::collection::vec(count(), 6),
        t4 in prop::collection::vec(count(), 12),
    ) {
        let report = consistent(zero, t2, outcomes, carried, forward, t4);
        let html = gongkai_report::render(&report, DocFormat::Html, None);
        let text = crawl_html(&html);
        let imported = import_crawl(&text);
        let s = score(&imported, &to_json(&report, None));
        println!("{}", s.line(if zero { "all-zero" } else { "consistent" }));
        prop_assert!(s.wrong.is_empty(), "{}\n{}", s.wrong.join("\n"), text);
        if zero {
            prop_assert_eq!(s.right, s.cells, "all-zero tables are read completely: {:?}",
                imported.unreadable.iter().map(|u| u.message()).collect::<Vec<_>>());
        }
    }
}
