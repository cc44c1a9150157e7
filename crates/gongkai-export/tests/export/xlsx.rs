//! XLSX read back with calamine: numbers as numbers, merged headers, the rule sheet.

use crate::common::{distinct_2019, distinct_2021, findings, seed, special_cells, with_gaps};
use calamine::{Data, Dimensions, Range, Reader, Xlsx, open_workbook_from_rs};
use gongkai_core::report::format::spec;
use gongkai_core::report::rules::Status;
use gongkai_core::report::{AnnualReport, CellRef, Layout, T2Key, T3Col, T4Col, Value};
use gongkai_export::{ExportFormat, Fonts, export};
use rust_decimal::prelude::ToPrimitive;
use std::io::Cursor;

const T2: &str = "二、主动公开";
const T3: &str = "三、依申请公开";
const T4: &str = "四、复议诉讼";
/// The tables start below the heading row.
const TOP: u32 = 1;

struct Book {
    xlsx: Xlsx<Cursor<Vec<u8>>>,
}

impl Book {
    fn open(r: &AnnualReport, checks: Option<&[gongkai_core::report::Finding]>) -> Book {
        let bytes = export(r, ExportFormat::Xlsx, checks, &Fonts::default()).expect("XLSX");
        let xlsx: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("calamine opens it");
        Book { xlsx }
    }

    fn sheet(&mut self, name: &str) -> Range<Data> {
        self.xlsx.worksheet_range(name).expect(name)
    }

    fn merges(&mut self, name: &str) -> Vec<Dimensions> {
        self.xlsx
            .merge_cells_by_sheet_name(name)
            .expect("merged cells")
    }
}

fn get(range: &Range<Data>, row: u32, col: u32) -> Data {
    range.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

/// The cell as the model says it must be stored.
fn expect_cell(range: &Range<Data>, row: u32, col: u32, value: &Value, what: &str) {
    let got = get(range, row, col);
    match value {
        Value::Count(n) => assert_eq!(got, Data::Float(*n as f64), "{what}"),
        Value::Negative(m) => assert_eq!(got, Data::Float(-(m.get() as f64)), "{what}"),
        Value::Amount(d) => assert_eq!(got, Data::Float(d.to_f64().expect("f64")), "{what}"),
        Value::NotApplicable => assert_eq!(got, Data::String("/".into()), "{what}"),
        Value::Blank => assert_eq!(got, Data::Empty, "{what}"),
        Value::Invalid(s) => assert_eq!(got, Data::String(s.clone()), "{what}"),
    }
}

fn text(range: &Range<Data>, row: u32, col: u32) -> String {
    match get(range, row, col) {
        Data::String(s) => s,
        other => panic!("({row}, {col}) is {other:?}, not text"),
    }
}

fn merged(merges: &[Dimensions], start: (u32, u32), end: (u32, u32)) -> bool {
    merges.iter().any(|d| d.start == start && d.end == end)
}

fn check_book(r: &AnnualReport) {
    let mut book = Book::open(r, None);
    assert_eq!(
        book.xlsx.sheet_names(),
        vec!["基本信息", T2, T3, T4],
        "no rule sheet without checks"
    );
    let info = book.sheet("基本信息");
    assert_eq!(text(&info, 0, 1), r.title());
    assert_eq!(text(&info, 1, 1), r.agency);
    // Table 二.
    let t2 = book.sheet(T2);
    let merges = book.merges(T2);
    let spec2 = spec().table2_for(r.layout == Layout::Y2019);
    let width = spec2
        .subtables
        .iter()
        .map(|s| s.columns.len())
        .max()
        .unwrap_or(1) as u32;
    let mut y = TOP;
    for sub in &spec2.subtables {
        assert_eq!(text(&t2, y, 0), sub.caption);
        assert!(
            merged(&merges, (y, 0), (y, width)),
            "caption {}",
            sub.caption
        );
        for (i, col) in sub.columns.iter().enumerate() {
            assert_eq!(text(&t2, y + 1, 1 + i as u32), col.label);
        }
        for (j, line) in sub.rows.iter().enumerate() {
            let row = y + 2 + j as u32;
            assert_eq!(text(&t2, row, 0), line.label);
            for (i, col) in sub.columns.iter().enumerate() {
                let key = T2Key {
                    sub: &sub.key,
                    row: &line.key,
                    col: &col.key,
                };
                expect_cell(
                    &t2,
                    row,
                    1 + i as u32,
                    &r.table2.get(key).value,
                    &format!("{key:?}"),
                );
            }
        }
        y += 2 + sub.rows.len() as u32;
    }
    // Table 三: header merges, then every value.
    let t3 = book.sheet(T3);
    let merges = book.merges(T3);
    assert!(merged(&merges, (TOP, 0), (TOP + 2, 2)), "corner note 3×3");
    assert!(
        merged(&merges, (TOP, 3), (TOP, 9)),
        "申请人情况 over seven columns"
    );
    assert!(
        merged(&merges, (TOP + 1, 3), (TOP + 2, 3)),
        "自然人 over two rows"
    );
    assert!(
        merged(&merges, (TOP + 1, 4), (TOP + 1, 8)),
        "法人或其他组织 over five columns"
    );
    assert!(
        merged(&merges, (TOP + 1, 9), (TOP + 2, 9)),
        "总计 over two rows"
    );
    assert_eq!(text(&t3, TOP, 3), spec().table3.column_group);
    assert_eq!(text(&t3, TOP + 1, 4), "法人或其他组织");
    let rows = r.table3.rows();
    let outcomes = rows.iter().filter(|l| !l.groups().is_empty()).count() as u32;
    let first = TOP + 3;
    assert_eq!(text(&t3, first + 2, 0), "三、本年度办理结果");
    assert!(
        merged(&merges, (first + 2, 0), (first + 1 + outcomes, 0)),
        "vertical group"
    );
    for (i, &line) in rows.iter().enumerate() {
        let row = first + i as u32;
        let depth = line.groups().len() as u32;
        assert_eq!(text(&t3, row, depth), line.label());
        for (j, col) in T3Col::ALL.into_iter().enumerate() {
            expect_cell(
                &t3,
                row,
                3 + j as u32,
                &r.table3.get(line, col).value,
                &format!("{line:?} {col:?}"),
            );
        }
    }
    // Table 四.
    let t4 = book.sheet(T4);
    let merges = book.merges(T4);
    assert!(merged(&merges, (TOP, 0), (TOP, 4)) && merged(&merges, (TOP, 5), (TOP, 14)));
    assert!(
        merged(&merges, (TOP + 1, 5), (TOP + 1, 9))
            && merged(&merges, (TOP + 1, 10), (TOP + 1, 14))
    );
    assert!(
        merged(&merges, (TOP + 1, 0), (TOP + 2, 0)),
        "结果维持 of 行政复议 over two rows"
    );
    for (x, col) in T4Col::all().enumerate() {
        expect_cell(&t4, TOP + 3, x as u32, &r.table4.get(col).value, &col.key());
    }
}

#[test]
fn xlsx_seed_report_reads_back() {
    check_book(&seed());
}

#[test]
fn xlsx_distinct_values_are_numbers_in_their_cells() {
    let r = distinct_2021();
    check_book(&r);
    // The amount of 第二十条第（八）项 is a number with a decimal format, not text.
    let mut book = Book::open(&r, None);
    let t2 = book.sheet(T2);
    let amount = r
        .cell_refs()
        .into_iter()
        .find(|c| matches!(c, CellRef::T2(k) if k.is_amount()))
        .expect("an amount cell");
    let Value::Amount(d) = r.cell(amount).value.clone() else {
        panic!("amount")
    };
    let found = t2
        .used_cells()
        .any(|(_, _, v)| *v == Data::Float(d.to_f64().expect("f64")));
    assert!(found, "{d} 万元 stored as a number");
}

#[test]
fn xlsx_2019_layout_with_not_applicable_blank_and_invalid() {
    let r = distinct_2019();
    check_book(&r);
    let [na, blank, _] = special_cells(&r);
    assert_eq!(r.cell(na).value, Value::NotApplicable);
    assert_eq!(r.cell(blank).value, Value::Blank);
}

#[test]
fn xlsx_signed_change_is_a_negative_number() {
    let mut r = AnnualReport::new("测试县人民政府办公室", 2020);
    let key = T2Key::find(Layout::Y2019, "art20_5", "admin_license", "change").expect("change");
    r.table2
        .set(key, gongkai_core::report::Cell::new(Value::signed(-18)));
    let mut book = Book::open(&r, None);
    let t2 = book.sheet(T2);
    let found: Vec<Data> = t2
        .used_cells()
        .map(|(_, _, v)| v.clone())
        .filter(|v| matches!(v, Data::Float(_) | Data::Int(_)))
        .collect();
    assert_eq!(found, vec![Data::Float(-18.0)], "-18 stored as a number");
    check_book(&r);
}

#[test]
fn xlsx_rule_sheet_lists_the_failing_rules() {
    let r = distinct_2021();
    let checks = findings(&r);
    let failing: Vec<&str> = checks
        .iter()
        .filter(|f| f.status == Status::Fail)
        .map(|f| f.rule.id.as_str())
        .collect();
    assert!(!failing.is_empty(), "distinct values break the sums");
    let mut book = Book::open(&r, Some(&checks));
    let sheet = book.sheet("规则检查");
    assert_eq!(text(&sheet, 0, 0), "规则");
    assert_eq!(sheet.height(), checks.len() + 1, "one row per result");
    for id in &failing {
        let listed = (1..sheet.height() as u32)
            .any(|row| text(&sheet, row, 0) == *id && text(&sheet, row, 1) == "未通过");
        assert!(listed, "{id} listed as 未通过");
    }
    // A passing report lists its rules as passed.
    let seed = seed();
    let seed_checks = findings(&seed);
    let mut book = Book::open(&seed, Some(&seed_checks));
    let sheet = book.sheet("规则检查");
    let passed = (1..sheet.height() as u32)
        .filter(|&row| text(&sheet, row, 1) == "通过")
        .count();
    assert!(passed > 0);
    assert!(text(&sheet, 1, 3).contains('：'), "message in Chinese");
}

/// An imported report's gaps: a sheet lists each with its path (or `agency`/`year`), the
/// unread cell holds 「？」 rather than a number or nothing, 基本信息 prints the placeholders.
#[test]
fn xlsx_lists_what_the_reader_could_not_read() {
    let (r, _) = with_gaps();
    let mut book = Book::open(&r, None);
    let sheet = book.sheet("无法读取的单元格");
    assert_eq!(sheet.height(), r.gaps.len() + 1);
    let paths: Vec<String> = (1..sheet.height() as u32)
        .map(|row| text(&sheet, row, 1))
        .collect();
    assert_eq!(paths, ["agency", "year", "table4.review.upheld"]);
    assert_eq!(text(&sheet, 3, 2), r.gaps[2].message);
    let info = book.sheet("基本信息");
    let info_rows: Vec<(String, String)> = (0..info.height() as u32)
        .map(|row| (text(&info, row, 0), text(&info, row, 1)))
        .collect();
    assert!(
        info_rows.contains(&("年度".into(), "（未识别年度）".into())),
        "{info_rows:?}"
    );
    assert!(
        info_rows.contains(&("机关".into(), "（未识别机关名称）".into())),
        "{info_rows:?}"
    );
    let t4 = book.sheet(T4);
    let marked = t4
        .cells()
        .filter(|(_, _, v)| **v == Data::String("？".into()))
        .count();
    assert_eq!(marked, 1, "only the unread cell is marked");
    assert!(
        Book::open(&seed(), None)
            .xlsx
            .worksheet_range("无法读取的单元格")
            .is_err()
    );
}
