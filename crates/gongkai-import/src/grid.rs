//! A table grid with merged cells expanded (HTML rowspan/colspan, DOCX gridSpan/vMerge), as
//! rows: a merged label carries down into the rows it spans, as a group label; a merged
//! number is not repeated into the rows below it; a column-span copy is no cell.

use crate::error::ImportError;
use crate::limits::Budget;
use crate::number::is_value_token;
use crate::rows::{RawCell, Row};
use gongkai_core::report::cell::Place;

#[derive(Debug, Clone)]
pub enum Slot {
    /// The cell starts here.
    Origin(String),
    /// Covered by the cell to the left.
    ColSpan,
    /// Covered by the cell above: its text and its (row, column).
    RowSpan(String, usize, usize),
}

/// The grid's rows, each counted against the file's limits (the grid's text was counted as it
/// was expanded).
pub fn to_rows(
    grid: Vec<Vec<Option<Slot>>>,
    table_no: u32,
    budget: &mut Budget<'_>,
) -> Result<Vec<Row>, ImportError> {
    grid.into_iter()
        .enumerate()
        .map(|(r, slots)| {
            let mut cells = Vec::new();
            for (c, slot) in slots.into_iter().enumerate() {
                let place = |text: &str, row: usize, col: usize| Place {
                    table: Some(table_no),
                    row: u32::try_from(row + 1).ok(),
                    column: u32::try_from(col + 1).ok(),
                    text: Some(text.to_string()),
                    ..Place::default()
                };
                match slot {
                    Some(Slot::Origin(t)) => cells.push(RawCell {
                        place: place(&t, r, c),
                        text: t,
                        x: None,
                    }),
                    Some(Slot::RowSpan(t, or, oc)) => {
                        let t = if is_value_token(&t) { String::new() } else { t };
                        cells.push(RawCell {
                            place: place(&t, or, oc),
                            text: t,
                            x: None,
                        });
                    }
                    Some(Slot::ColSpan) => {}
                    None => cells.push(RawCell {
                        place: place("", r, c),
                        text: String::new(),
                        x: None,
                    }),
                }
            }
            budget.row(cells.len(), 0, || format!("table {table_no} row {}", r + 1))?;
            Ok(Row::from_cells(
                cells,
                Place {
                    table: Some(table_no),
                    row: u32::try_from(r + 1).ok(),
                    ..Place::default()
                },
            ))
        })
        .collect()
}
