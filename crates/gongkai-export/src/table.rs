//! A plain table as an XLSX sheet: a bold, frozen header row with a filter, then the rows —
//! numbers written as numbers, text as text (the supervisor's export of every unit's cells).

use crate::ExportError;
use rust_xlsxwriter::{ColNum, Format, RowNum, Workbook, XlsxError};

/// One cell of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableCell {
    Text(String),
    /// A number as printed (`12`, `-18`, `0.25`); written as a number.
    Number(String),
    Empty,
}

/// The table as a workbook of one sheet named `sheet`.
pub fn table_xlsx(
    sheet: &str,
    header: &[String],
    rows: &[Vec<TableCell>],
) -> Result<Vec<u8>, ExportError> {
    build(sheet, header, rows).map_err(|e| ExportError::Xlsx(e.to_string()))
}

fn build(sheet: &str, header: &[String], rows: &[Vec<TableCell>]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name(sheet)?;
    let bold = Format::new().set_bold().set_text_wrap();
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as ColNum, h, &bold)?;
        ws.set_column_width(c as ColNum, if c == 0 { 36.0 } else { 14.0 })?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = (r + 1) as RowNum;
        for (c, cell) in row.iter().enumerate() {
            let c = c as ColNum;
            match cell {
                TableCell::Text(s) => {
                    ws.write_string(r, c, s)?;
                }
                TableCell::Number(s) => match s.parse::<f64>() {
                    Ok(n) => {
                        ws.write_number(r, c, n)?;
                    }
                    Err(_) => {
                        ws.write_string(r, c, s)?;
                    }
                },
                TableCell::Empty => {}
            }
        }
    }
    ws.set_freeze_panes(1, 1)?;
    if !header.is_empty() {
        ws.autofilter(0, 0, rows.len() as RowNum, (header.len() - 1) as ColNum)?;
    }
    wb.save_to_buffer()
}
