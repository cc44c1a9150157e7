//! Reports for the tests: the seed report, every cell distinct, the 2019 layout.

use gongkai_core::report::json::from_str;
use gongkai_core::report::{AnnualReport, Cell, CellRef, Finding, Gap, GapOf, Value, check};
use rust_decimal::Decimal;

pub fn seed() -> AnnualReport {
    from_str(include_str!("../../../../examples/seed-2021.json")).expect("the seed report reads")
}

/// The value every cell gets in [`distinct`]: counts 101, 102, … in printed order; amounts
/// `1xx.25` 万元; the signed 本年增/减 cells of the 2019 layout negative, `-1xx`.
pub fn distinct_value(index: usize, at: CellRef) -> Value {
    let n = 101 + index as u64;
    match at {
        CellRef::T2(k) if k.is_amount() => Value::Amount(Decimal::new(n as i64 * 100 + 25, 2)),
        CellRef::T2(k) if k.is_signed() => Value::signed(-(n as i64)),
        _ => Value::Count(n),
    }
}

/// `report` with a different number in every cell, so that a misplaced cell shows.
pub fn distinct(mut report: AnnualReport) -> AnnualReport {
    for (i, at) in report.cell_refs().into_iter().enumerate() {
        report.set(at, Cell::new(distinct_value(i, at)));
    }
    report
}

fn with_sections(mut r: AnnualReport) -> AnnualReport {
    r.sections.intro = Some("本报告由测试机关编制。\n本报告电子版可在门户网站查阅。".into());
    r.sections.overview = Some("一年来，测试机关坚持“公开为原则，不公开为例外”。\n（一）主动公开情况。共公开政务信息85条。".into());
    r.sections.problems = Some("存在的问题：信息更新不够及时。\n改进措施：加强培训。".into());
    r.sections.other = Some("本年度未收取信息处理费。".into());
    r
}

/// The seed report's agency with distinct values everywhere (2021 layout).
pub fn distinct_2021() -> AnnualReport {
    with_sections(distinct(seed()))
}

/// A report for 2020 (2019 layout: table 二 with five sub-tables, （六）其他处理 as one row)
/// with distinct values, one not-applicable, one blank and one unreadable cell.
pub fn distinct_2019() -> AnnualReport {
    let mut r = with_sections(distinct(AnnualReport::new("测试县人民政府办公室", 2020)));
    let [na, blank, invalid] = special_cells(&r);
    r.set(na, Cell::new(Value::NotApplicable));
    r.set(blank, Cell::new(Value::Blank));
    r.set(invalid, Cell::new(Value::Invalid("约3".into())));
    r
}

/// The cells [`distinct_2019`] makes not applicable, blank and invalid: the first of table 二,
/// the last of table 三 and the fifth of table 四.
pub fn special_cells(r: &AnnualReport) -> [CellRef; 3] {
    let refs = r.cell_refs();
    let first_t2 = refs[0];
    let last_t3 = refs
        .iter()
        .rev()
        .find(|c| matches!(c, CellRef::T3(..)))
        .copied()
        .expect("table 三 has cells");
    let t4 = refs
        .iter()
        .filter(|c| matches!(c, CellRef::T4(_)))
        .nth(4)
        .copied()
        .expect("table 四 has 15 cells");
    [first_t2, last_t3, t4]
}

pub fn findings(r: &AnnualReport) -> Vec<Finding> {
    check(r, None)
}

/// A poppler tool's output; a missing tool fails the test with what to install.
pub fn run_tool(tool: &str, args: &[&std::ffi::OsStr]) -> String {
    let out = std::process::Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run {tool} ({e}): install the Debian package poppler-utils (scripts/setup.sh)")
        });
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// An imported report whose reader found neither the agency nor the year and could not read
/// the first cell of table 四 (left blank): the gaps a document must show.
pub fn with_gaps() -> (AnnualReport, CellRef) {
    let mut r = seed();
    let unread = CellRef::T4(gongkai_core::report::T4Col::all().next().expect("a column"));
    r.agency = String::new();
    r.title = None;
    r.year = gongkai_core::report::YEAR_UNKNOWN;
    r.set(unread, Cell::new(Value::Blank));
    let gap = |of, label: &str, message: &str| Gap {
        of,
        label: label.into(),
        message: message.into(),
        near: None,
    };
    r.gaps = vec![
        gap(GapOf::Agency, "机关名称", "机关名称: no agency name found"),
        gap(GapOf::Year, "年度", "年度: no report year found"),
        gap(
            GapOf::Cell(unread),
            "表四 行政复议 / 结果维持",
            "表四 行政复议 / 结果维持: no value found near line 212",
        ),
    ];
    (r, unread)
}
