//! DOCX read back from its XML: each table's cells by grid position, with their merges.

use crate::common::{distinct_2019, distinct_2021, findings, seed, special_cells, with_gaps};
use gongkai_core::report::format::spec;
use gongkai_core::report::keys::{T4Group, T4Outcome};
use gongkai_core::report::{AnnualReport, CellRef, Layout, T2Key, T3Col, T4Col};
use gongkai_export::{ExportFormat, Fonts, export};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::io::Read;

/// A `w:tc` placed on the grid.
#[derive(Debug, Clone)]
struct WordCell {
    /// The first grid column it covers.
    col: usize,
    span: usize,
    /// `Some("restart")` or `Some("continue")` for a vertical merge.
    vmerge: Option<String>,
    text: String,
}

#[derive(Debug, Default)]
struct WordRow {
    header: bool,
    cells: Vec<WordCell>,
}

#[derive(Debug, Default)]
struct WordDoc {
    tables: Vec<Vec<WordRow>>,
    /// The text of each paragraph outside tables.
    paragraphs: Vec<String>,
    /// `w:eastAsia` of every run with text, `None` where a run has none.
    run_fonts: Vec<Option<String>>,
    body_xml: String,
}

fn val(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.value.to_string())
}

fn document_xml(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("word/document.xml")
        .read_to_string(&mut xml)
        .expect("UTF-8");
    xml
}

fn parse(bytes: &[u8]) -> WordDoc {
    let xml = document_xml(bytes);
    let mut doc = WordDoc {
        body_xml: xml.clone(),
        ..WordDoc::default()
    };
    let mut reader = Reader::from_str(&xml);
    let mut depth_tbl = 0;
    let mut row: Option<WordRow> = None;
    let mut cell: Option<WordCell> = None;
    let mut next_col = 0;
    let mut para = String::new();
    let mut in_t = false;
    let mut run: Option<(Option<String>, bool)> = None;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "w:tbl" => {
                    depth_tbl += 1;
                    doc.tables.push(Vec::new());
                }
                "w:tr" => {
                    row = Some(WordRow::default());
                    next_col = 0;
                }
                "w:tblHeader" => {
                    if let Some(r) = row.as_mut() {
                        r.header = true;
                    }
                }
                "w:tc" => {
                    cell = Some(WordCell {
                        col: next_col,
                        span: 1,
                        vmerge: None,
                        text: String::new(),
                    })
                }
                "w:gridSpan" => {
                    if let Some(c) = cell.as_mut() {
                        c.span = val(&e, "w:val").and_then(|v| v.parse().ok()).unwrap_or(1);
                    }
                }
                "w:vMerge" => {
                    if let Some(c) = cell.as_mut() {
                        c.vmerge = Some(val(&e, "w:val").unwrap_or_else(|| "continue".into()));
                    }
                }
                "w:r" => run = Some((None, false)),
                "w:rFonts" => {
                    if let Some(r) = run.as_mut() {
                        r.0 = val(&e, "w:eastAsia");
                    }
                }
                "w:t" => {
                    in_t = true;
                    if let Some(r) = run.as_mut() {
                        r.1 = true;
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_t => {
                let text = t.xml10_content();
                match cell.as_mut() {
                    Some(c) => c.text.push_str(&text),
                    None => para.push_str(&text),
                }
            }
            Event::GeneralRef(r) if in_t => {
                let c = match r.as_ref() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    _ => '\'',
                };
                match cell.as_mut() {
                    Some(x) => x.text.push(c),
                    None => para.push(c),
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "w:t" => in_t = false,
                "w:r" => {
                    if let Some((font, true)) = run.take() {
                        doc.run_fonts.push(font);
                    }
                }
                "w:p" if depth_tbl == 0 => doc.paragraphs.push(std::mem::take(&mut para)),
                "w:tc" => {
                    if let (Some(c), Some(r)) = (cell.take(), row.as_mut()) {
                        next_col = c.col + c.span;
                        r.cells.push(c);
                    }
                }
                "w:tr" => {
                    if let (Some(r), Some(t)) = (row.take(), doc.tables.last_mut()) {
                        t.push(r);
                    }
                }
                "w:tbl" => depth_tbl -= 1,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    doc
}

/// The cell of `row` starting at grid column `col`.
fn at(row: &WordRow, col: usize) -> &WordCell {
    row.cells
        .iter()
        .find(|c| c.col == col)
        .unwrap_or_else(|| panic!("no cell starts at column {col} in {row:?}"))
}

fn value_text(r: &AnnualReport, at: CellRef) -> String {
    r.cell(at).value.to_string()
}

fn check_table2(r: &AnnualReport, table: &[WordRow]) {
    let t2 = spec().table2_for(r.layout == Layout::Y2019);
    let width = t2
        .subtables
        .iter()
        .map(|s| s.columns.len())
        .max()
        .unwrap_or(1);
    let mut y = 0;
    for sub in &t2.subtables {
        let caption = &table[y].cells;
        assert_eq!(caption.len(), 1, "caption row of {}", sub.caption);
        assert_eq!(
            (caption[0].span, caption[0].text.as_str()),
            (width + 1, sub.caption.as_str())
        );
        let header = &table[y + 1];
        assert_eq!(at(header, 0).text, t2.label_column);
        for (i, col) in sub.columns.iter().enumerate() {
            assert_eq!(at(header, 1 + i).text, col.label);
        }
        for (j, line) in sub.rows.iter().enumerate() {
            let row = &table[y + 2 + j];
            assert_eq!(at(row, 0).text, line.label);
            for (i, col) in sub.columns.iter().enumerate() {
                let key = T2Key {
                    sub: &sub.key,
                    row: &line.key,
                    col: &col.key,
                };
                let cell = at(row, 1 + i);
                assert_eq!(cell.text, value_text(r, CellRef::T2(key)), "{key:?}");
                let last = i + 1 == sub.columns.len();
                assert_eq!(
                    cell.span,
                    if last {
                        width + 1 - sub.columns.len()
                    } else {
                        1
                    }
                );
            }
        }
        y += 2 + sub.rows.len();
    }
    assert_eq!(y, table.len());
    assert!(
        table.iter().all(|row| !row.header),
        "table 二 has no repeated header"
    );
}

fn check_table3(r: &AnnualReport, table: &[WordRow]) {
    let t3 = &spec().table3;
    assert_eq!(table.len(), 3 + r.table3.rows().len());
    // The header: corner note 3×3, 申请人情况 over seven columns, then the columns.
    let corner = at(&table[0], 0);
    assert_eq!(
        (corner.span, corner.vmerge.as_deref()),
        (3, Some("restart"))
    );
    assert_eq!(corner.text, t3.corner_note);
    assert_eq!(
        (at(&table[0], 3).span, at(&table[0], 3).text.as_str()),
        (7, t3.column_group.as_str())
    );
    for y in [1, 2] {
        let c = at(&table[y], 0);
        assert_eq!(
            (c.span, c.vmerge.as_deref(), c.text.as_str()),
            (3, Some("continue"), "")
        );
    }
    let natural = at(&table[1], 3);
    assert_eq!(
        (natural.text.as_str(), natural.vmerge.as_deref()),
        ("自然人", Some("restart"))
    );
    let orgs = at(&table[1], 4);
    assert_eq!((orgs.text.as_str(), orgs.span), ("法人或其他组织", 5));
    assert_eq!(at(&table[1], 9).text, T3Col::Total.label());
    assert_eq!(at(&table[2], 3).vmerge.as_deref(), Some("continue"));
    assert_eq!(at(&table[2], 9).vmerge.as_deref(), Some("continue"));
    for (i, col) in T3Col::PARTS[1..].iter().enumerate() {
        assert_eq!(at(&table[2], 4 + i).text, col.label());
    }
    assert!(
        table[..3].iter().all(|row| row.header),
        "header rows repeat"
    );
    let rows = r.table3.rows();
    for (i, &line) in rows.iter().enumerate() {
        let row = &table[3 + i];
        assert!(!row.header);
        let groups = line.groups();
        for (level, group) in groups.iter().enumerate() {
            let c = at(row, level);
            let first = i == 0 || rows[i - 1].groups().get(level) != Some(group);
            if first {
                assert_eq!(
                    c.vmerge.as_deref(),
                    Some("restart"),
                    "{group} starts at {line:?}"
                );
                assert_eq!(c.text, *group);
            } else {
                assert_eq!(
                    (c.vmerge.as_deref(), c.text.as_str()),
                    (Some("continue"), "")
                );
            }
        }
        let label = at(row, groups.len());
        assert_eq!(
            (label.text.as_str(), label.span),
            (line.label(), 3 - groups.len())
        );
        for (j, col) in T3Col::ALL.into_iter().enumerate() {
            assert_eq!(
                at(row, 3 + j).text,
                value_text(r, CellRef::T3(line, col)),
                "{line:?} {col:?}"
            );
        }
    }
}

fn check_table4(r: &AnnualReport, table: &[WordRow]) {
    assert_eq!(table.len(), 4);
    assert_eq!(
        (at(&table[0], 0).text.as_str(), at(&table[0], 0).span),
        ("行政复议", 5)
    );
    assert_eq!(
        (at(&table[0], 5).text.as_str(), at(&table[0], 5).span),
        ("行政诉讼", 10)
    );
    for (o, outcome) in T4Outcome::ALL.into_iter().enumerate() {
        let c = at(&table[1], o);
        let label = T4Col {
            group: T4Group::Review,
            outcome,
        }
        .label();
        assert_eq!(
            (c.text.as_str(), c.vmerge.as_deref()),
            (label, Some("restart"))
        );
        assert_eq!(at(&table[2], o).vmerge.as_deref(), Some("continue"));
    }
    assert_eq!(at(&table[1], 5).text, "未经复议直接起诉");
    assert_eq!(at(&table[1], 10).text, "复议后起诉");
    for (x, col) in T4Col::all().enumerate() {
        if x >= 5 {
            assert_eq!(at(&table[2], x).text, col.label());
        }
        assert_eq!(at(&table[3], x).text, value_text(r, CellRef::T4(col)));
    }
    assert!(table[..3].iter().all(|row| row.header) && !table[3].header);
}

fn export_docx(r: &AnnualReport) -> WordDoc {
    let bytes = export(r, ExportFormat::Docx, None, &Fonts::default()).expect("DOCX written");
    parse(&bytes)
}

fn check_report(r: &AnnualReport) {
    let doc = export_docx(r);
    assert_eq!(doc.tables.len(), 3);
    check_table2(r, &doc.tables[0]);
    check_table3(r, &doc.tables[1]);
    check_table4(r, &doc.tables[2]);
    assert_eq!(doc.paragraphs.first(), Some(&r.title()));
    let s = &r.sections;
    for text in [&s.intro, &s.overview, &s.problems, &s.other]
        .into_iter()
        .flatten()
    {
        for p in text.split('\n').map(str::trim).filter(|p| !p.is_empty()) {
            assert!(
                doc.paragraphs.iter().any(|q| q == p),
                "paragraph {p:?} missing"
            );
        }
    }
    for key in [
        "overview",
        "proactive",
        "applications",
        "review_litigation",
        "problems",
        "other",
    ] {
        let h = gongkai_report::paragraphs::section_heading(r.layout, key);
        assert!(doc.paragraphs.contains(&h), "heading {h}");
    }
    // Every run names its East Asian font; the three 公文 fonts are used.
    assert!(
        doc.run_fonts.iter().all(Option::is_some),
        "a run without w:eastAsia"
    );
    for font in ["方正小标宋简体", "黑体", "仿宋_GB2312"] {
        assert!(
            doc.run_fonts.iter().any(|f| f.as_deref() == Some(font)),
            "{font}"
        );
    }
    assert!(
        doc.body_xml.contains("w:w=\"11906\" w:h=\"16838\""),
        "A4 page"
    );
    assert!(
        doc.body_xml.contains("w:firstLine=\"640\""),
        "two-character indent"
    );
}

#[test]
fn docx_seed_report_tables_and_text_read_back() {
    check_report(&seed());
}

#[test]
fn docx_distinct_values_sit_in_their_cells() {
    check_report(&distinct_2021());
}

#[test]
fn docx_2019_layout_with_not_applicable_blank_and_invalid_cells() {
    let r = distinct_2019();
    check_report(&r);
    let doc = export_docx(&r);
    let [na, blank, invalid] = special_cells(&r);
    assert_eq!(value_text(&r, na), "/");
    assert_eq!(value_text(&r, blank), "");
    assert_eq!(value_text(&r, invalid), "约3");
    // 2019: five sub-tables in table 二, （六）其他处理 as one row in table 三.
    assert_eq!(spec().table2_for(true).subtables.len(), 5);
    assert_eq!(doc.tables[1].len(), 3 + 23);
    assert!(
        doc.paragraphs
            .iter()
            .any(|p| p == "五、政府信息公开工作存在的主要问题及改进情况")
    );
}

#[test]
fn docx_lists_failing_rules_when_checks_are_given() {
    let r = distinct_2021();
    let checks = findings(&r);
    let bytes = export(&r, ExportFormat::Docx, Some(&checks), &Fonts::default()).expect("DOCX");
    let doc = parse(&bytes);
    assert!(doc.paragraphs.iter().any(|p| p == "勾稽关系检查"));
    assert!(
        doc.paragraphs.iter().any(|p| p.starts_with("T3-1（未通过")),
        "{:?}",
        doc.paragraphs
    );
    let plain = export_docx(&r);
    assert!(!plain.paragraphs.iter().any(|p| p == "勾稽关系检查"));
}

#[test]
fn docx_font_table_names_substitutes() {
    let bytes = export(&seed(), ExportFormat::Docx, None, &Fonts::default()).expect("DOCX");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut xml = String::new();
    zip.by_name("word/fontTable.xml")
        .expect("font table")
        .read_to_string(&mut xml)
        .expect("UTF-8");
    assert!(
        xml.contains(r#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋" />"#),
        "{xml}"
    );
    assert!(xml.contains(r#"<w:font w:name="方正小标宋简体"><w:altName w:val="宋体" />"#));
}

/// An imported report's gaps: the unread cell shows 「？」, not a blank, and every gap is
/// listed under 无法读取的单元格 with the placeholders for the agency and the year.
#[test]
fn docx_marks_and_lists_what_the_reader_could_not_read() {
    let (r, _) = with_gaps();
    let doc = export_docx(&r);
    assert_eq!(at(&doc.tables[2][3], 0).text, "？");
    let list = doc
        .paragraphs
        .iter()
        .position(|p| p == "无法读取的单元格")
        .expect("the list's heading");
    for g in &r.gaps {
        assert!(doc.paragraphs[list..].contains(&g.message), "{}", g.message);
    }
    assert_eq!(
        doc.paragraphs[0],
        "（未识别机关名称）（未识别年度）政府信息公开工作年度报告"
    );
    assert!(
        !export_docx(&seed())
            .paragraphs
            .iter()
            .any(|p| p == "无法读取的单元格")
    );
}
