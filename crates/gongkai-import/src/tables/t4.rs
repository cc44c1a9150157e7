//! Table 四 (行政复议、行政诉讼): one row of 15 numbers under a three-level header. The
//! numbers are the value rows after the heading, read in order until 15 are found.

use super::{Reading, fit, near};
use crate::rows::{RawCell, Row};
use gongkai_core::report::{CellRef, T4Col};
use std::collections::BTreeMap;
use std::ops::Range;

const WIDTH: usize = 15;

pub fn read(rows: &[Row], range: Range<usize>) -> BTreeMap<CellRef, Reading> {
    let cols: Vec<T4Col> = T4Col::all().collect();
    let mut out = BTreeMap::new();
    let mut cells: Vec<RawCell> = Vec::new();
    let mut last_place = None;
    let mut delimited = true;
    for i in range.clone() {
        let row = &rows[i];
        if row.values.is_empty() {
            continue;
        }
        // A value row: no label, or a short caption beside at least five numbers.
        let printed = row.printed_values();
        if !(row.labels.is_empty() || printed >= 5) {
            continue;
        }
        if printed == 0 && !row.delimited {
            continue;
        }
        delimited &= row.delimited;
        last_place = Some(row.place.clone());
        let v = if row.values.len() > WIDTH {
            fit(&row.values, WIDTH)
        } else {
            row.values.clone()
        };
        cells.extend(v);
        if cells.len() >= WIDTH {
            break;
        }
    }
    let cells = fit(&cells, WIDTH);
    if cells.len() == WIDTH || (delimited && !cells.is_empty() && cells.len() < WIDTH) {
        let n = cells.len();
        for (col, c) in cols.iter().zip(cells) {
            out.insert(CellRef::T4(*col), Reading::Read(c));
        }
        for col in &cols[n.min(WIDTH)..] {
            out.insert(
                CellRef::T4(*col),
                Reading::Missing {
                    near: last_place.clone(),
                    why: "the row has no cell for this column".into(),
                },
            );
        }
        return out;
    }
    let why = if cells.is_empty() {
        "no row of numbers found in table 四".to_string()
    } else {
        format!(
            "{} values where the table has {WIDTH} columns; cannot tell which are blank",
            cells.len()
        )
    };
    for col in cols {
        out.insert(
            CellRef::T4(col),
            Reading::Missing {
                near: last_place.clone().or_else(|| near(rows, &range)),
                why: why.clone(),
            },
        );
    }
    out
}
