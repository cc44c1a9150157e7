//! The report as an XLSX workbook: a sheet 「基本信息」 (title, agency, year, layout and the
//! narrative sections), one sheet per table with the format's merged headers, and 「规则检查」
//! with every rule result when checks are given. Counts are integer numbers, amounts in 万元
//! numbers with a decimal format, not applicable the text `/`, blank an empty cell.
//!
//! Column widths are computed here: rust_xlsxwriter's `autofit` counts a Chinese character as
//! half its width (docs/export.md).

use crate::ExportError;
use crate::checks;
use crate::grid::{self, Grid, Role};
use gongkai_core::report::{AnnualReport, Finding, GapOf, Layout, Value};
use gongkai_report::paragraphs::section_heading;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    ColNum, Format, FormatAlign, FormatBorder, RowNum, Workbook, Worksheet, XlsxError,
};

/// The sheets, in order.
pub const SHEET_INFO: &str = "基本信息";
pub const SHEET_T2: &str = "二、主动公开";
pub const SHEET_T3: &str = "三、依申请公开";
pub const SHEET_T4: &str = "四、复议诉讼";
pub const SHEET_CHECKS: &str = "规则检查";
/// What the reader of an imported report could not read (only when it left something).
pub const SHEET_UNREAD: &str = "无法读取的单元格";

/// The font of every cell: 宋体 with the GB2312 charset (134), the usual spreadsheet font.
const FONT: &str = "宋体";
const GB2312_CHARSET: u8 = 134;
/// Row height of one line of 11 pt text, in points.
const LINE_HEIGHT: f64 = 15.0;

fn xlsx_err(e: XlsxError) -> ExportError {
    ExportError::Xlsx(e.to_string())
}

struct Formats {
    heading: Format,
    header: Format,
    vertical: Format,
    label: Format,
    text: Format,
    count: Format,
    amount: Format,
    wrap: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new()
            .set_font_name(FONT)
            .set_font_charset(GB2312_CHARSET)
            .set_font_size(11);
        let cell = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        let centred = cell.clone().set_align(FormatAlign::Center);
        Formats {
            heading: base.clone().set_bold().set_font_size(14),
            header: centred.clone().set_bold(),
            vertical: centred.clone().set_bold().set_rotation(270),
            label: cell.clone().set_align(FormatAlign::Left),
            text: centred.clone(),
            count: centred.clone().set_num_format("0"),
            amount: centred.set_num_format("0.00##"),
            wrap: base
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_align(FormatAlign::Left),
        }
    }
}

/// The width of a text in Excel's column units: a CJK or full-width character counts 2.1, any
/// other 1.1.
fn text_units(text: &str) -> f64 {
    text.chars()
        .map(|c| if (c as u32) < 0x2E80 { 1.1 } else { 2.1 })
        .sum()
}

/// Column widths: the widest single-column text of each column (long labels wrap at 30
/// units), a narrow column for the vertical group label.
fn column_widths(grid: &Grid) -> Vec<f64> {
    let mut widths = vec![8.0_f64; grid.columns()];
    for s in grid.spans.iter().filter(|s| s.cols == 1) {
        let w = match s.role {
            Role::VerticalGroup => 5.0,
            _ => text_units(&s.text).min(30.0) + 2.0,
        };
        widths[s.col] = widths[s.col].max(w);
    }
    widths
}

/// The height a row needs for its wrapped one-row texts (Excel does not grow rows for merged
/// cells on its own).
fn row_lines(grid: &Grid, widths: &[f64], row: usize) -> f64 {
    grid.spans
        .iter()
        .filter(|s| s.row == row && s.rows == 1)
        .map(|s| {
            let room: f64 = widths[s.col..s.col + s.cols].iter().sum::<f64>() - 1.0;
            (text_units(&s.text) / room.max(1.0)).ceil()
        })
        .fold(1.0, f64::max)
}

fn write_value(
    ws: &mut Worksheet,
    at: (RowNum, ColNum),
    value: &Value,
    f: &Formats,
) -> Result<(), XlsxError> {
    let (row, col) = at;
    match value {
        Value::Count(n) => ws.write_number_with_format(row, col, *n as f64, &f.count)?,
        Value::Negative(m) => ws.write_number_with_format(row, col, -(m.get() as f64), &f.count)?,
        Value::Amount(d) => {
            ws.write_number_with_format(row, col, d.to_f64().unwrap_or_default(), &f.amount)?
        }
        Value::NotApplicable => ws.write_string_with_format(row, col, "/", &f.text)?,
        Value::Blank => ws.write_blank(row, col, &f.text)?,
        Value::Invalid(s) => ws.write_string_with_format(row, col, s, &f.text)?,
    };
    Ok(())
}

/// One table on its own sheet: the section heading in row 1, the grid from row 2.
fn table_sheet(
    ws: &mut Worksheet,
    report: &AnnualReport,
    heading: &str,
    grid: &Grid,
    f: &Formats,
) -> Result<(), XlsxError> {
    const TOP: usize = 1;
    let widths = column_widths(grid);
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as ColNum, *w)?;
    }
    ws.write_string_with_format(0, 0, heading, &f.heading)?;
    ws.set_row_height(0, 24)?;
    for y in 0..grid.rows {
        let lines = row_lines(grid, &widths, y);
        if lines > 1.0 {
            ws.set_row_height((TOP + y) as RowNum, lines * LINE_HEIGHT)?;
        }
    }
    for s in &grid.spans {
        let (row, col) = ((TOP + s.row) as RowNum, s.col as ColNum);
        let format = match s.role {
            Role::Caption | Role::Header => &f.header,
            Role::VerticalGroup => &f.vertical,
            Role::Label | Role::Group => &f.label,
            Role::Value(_) => &f.text,
        };
        if s.rows > 1 || s.cols > 1 {
            let last = (
                (TOP + s.row + s.rows - 1) as RowNum,
                (s.col + s.cols - 1) as ColNum,
            );
            let text = match s.role {
                Role::Value(_) => "",
                _ => s.text.as_str(),
            };
            ws.merge_range(row, col, last.0, last.1, text, format)?;
        } else if !matches!(s.role, Role::Value(_)) {
            ws.write_string_with_format(row, col, &s.text, format)?;
        }
        // A value is written over the first cell of its range with its own type.
        if let Role::Value(at) = s.role {
            match &report.cell(at).value {
                Value::Blank if report.is_unread(at) => {
                    ws.write_string_with_format(row, col, grid::UNREAD_MARK, &f.text)?;
                }
                value => write_value(ws, (row, col), value, f)?,
            }
        }
    }
    if grid.header_rows > 0 {
        let last = (TOP + grid.header_rows - 1) as RowNum;
        ws.set_repeat_rows(TOP as RowNum, last)?;
        ws.set_freeze_panes(last + 1, 0)?;
    }
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

fn info_sheet(ws: &mut Worksheet, report: &AnnualReport, f: &Formats) -> Result<(), XlsxError> {
    ws.set_column_width(0, 30)?;
    ws.set_column_width(1, 90)?;
    let layout = match report.layout {
        Layout::Y2021 => "2021（国办公开办函〔2021〕30号）",
        Layout::Y2019 => "2019（国办公开办函〔2019〕60号）",
    };
    let year = report.known_year().map_or_else(
        || gongkai_core::report::UNKNOWN_YEAR.to_string(),
        |y| y.to_string(),
    );
    let s = &report.sections;
    let mut rows: Vec<(String, &str)> = vec![
        ("标题".into(), ""),
        ("机关".into(), report.agency_display()),
        ("年度".into(), year.as_str()),
        ("格式".into(), layout),
        ("前言".into(), s.intro.as_deref().unwrap_or("")),
        (
            section_heading(report.layout, "overview"),
            s.overview.as_deref().unwrap_or(""),
        ),
        (
            section_heading(report.layout, "problems"),
            s.problems.as_deref().unwrap_or(""),
        ),
        (
            section_heading(report.layout, "other"),
            s.other.as_deref().unwrap_or(""),
        ),
    ];
    let title = report.title();
    rows[0].1 = &title;
    for (i, (label, text)) in rows.iter().enumerate() {
        let r = i as RowNum;
        ws.write_string_with_format(r, 0, label, &f.wrap)?;
        ws.write_string_with_format(r, 1, *text, &f.wrap)?;
        // 90 units hold about 42 Chinese characters; a newline starts a line too.
        let lines: f64 = text
            .split('\n')
            .map(|p| (text_units(p) / 88.0).ceil().max(1.0))
            .sum();
        if lines > 1.0 {
            ws.set_row_height(r, lines * LINE_HEIGHT)?;
        }
    }
    Ok(())
}

fn checks_sheet(ws: &mut Worksheet, checks: &[Finding], f: &Formats) -> Result<(), XlsxError> {
    let header = ["规则", "结果", "严重程度", "说明", "涉及单元格"];
    let widths = [10.0, 10.0, 10.0, 80.0, 60.0];
    for (c, (h, w)) in header.iter().zip(widths).enumerate() {
        ws.set_column_width(c as ColNum, w)?;
        ws.write_string_with_format(0, c as ColNum, *h, &f.header)?;
    }
    for (i, finding) in checks.iter().enumerate() {
        let r = (i + 1) as RowNum;
        let line = checks::line(finding);
        let cells = [
            line.rule.as_str(),
            line.status,
            line.severity,
            line.message.as_str(),
            line.cells.as_str(),
        ];
        for (c, text) in cells.iter().enumerate() {
            ws.write_string_with_format(r, c as ColNum, *text, &f.label)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, checks.len() as RowNum, (header.len() - 1) as ColNum)?;
    Ok(())
}

/// The reader's gaps: what (the cell's label, or 机关名称/年度), its JSON path, and why.
fn unread_sheet(ws: &mut Worksheet, report: &AnnualReport, f: &Formats) -> Result<(), XlsxError> {
    let header = ["项目", "单元格", "说明"];
    let widths = [50.0, 45.0, 90.0];
    for (c, (h, w)) in header.iter().zip(widths).enumerate() {
        ws.set_column_width(c as ColNum, w)?;
        ws.write_string_with_format(0, c as ColNum, *h, &f.header)?;
    }
    for (i, gap) in report.gaps.iter().enumerate() {
        let r = (i + 1) as RowNum;
        let path = match gap.of {
            GapOf::Cell(at) => at.path(),
            other => other.field().unwrap_or_default().to_string(),
        };
        for (c, text) in [gap.label.as_str(), &path, &gap.message].iter().enumerate() {
            ws.write_string_with_format(r, c as ColNum, *text, &f.label)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn build(report: &AnnualReport, checks: Option<&[Finding]>) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    info_sheet(wb.add_worksheet().set_name(SHEET_INFO)?, report, &f)?;
    let tables = [
        (SHEET_T2, "proactive", grid::table2(report)),
        (SHEET_T3, "applications", grid::table3(report)),
        (SHEET_T4, "review_litigation", grid::table4(report)),
    ];
    for (name, key, grid) in &tables {
        let heading = section_heading(report.layout, key);
        table_sheet(
            wb.add_worksheet().set_name(*name)?,
            report,
            &heading,
            grid,
            &f,
        )?;
    }
    if let Some(checks) = checks {
        checks_sheet(wb.add_worksheet().set_name(SHEET_CHECKS)?, checks, &f)?;
    }
    if !report.gaps.is_empty() {
        unread_sheet(wb.add_worksheet().set_name(SHEET_UNREAD)?, report, &f)?;
    }
    wb.save_to_buffer()
}

/// Writes the report as an XLSX workbook.
pub fn write(report: &AnnualReport, checks: Option<&[Finding]>) -> Result<Vec<u8>, ExportError> {
    build(report, checks).map_err(xlsx_err)
}
