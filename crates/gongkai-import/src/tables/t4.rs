//! Table 四 (行政复议、行政诉讼): one row of 15 numbers under a three-level header. The
//! numbers are the value rows after the heading, read in order until 15 are found.

use super::order::{agreed, count, stacked};
use super::{Reading, fit, near};
use crate::label::key;
use crate::rows::{RawCell, Row};
use gongkai_core::report::keys::{T4Group, T4Outcome};
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
    let mut one_per_line = false;
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
        one_per_line |= stacked(row);
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
    if one_per_line {
        return read_stacked(rows, range);
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

/// The group a row's label names, if it is one of the three group labels.
fn group_of(row: &Row) -> Option<T4Group> {
    let k = key(&row.label_text());
    T4Group::ALL.into_iter().find(|g| {
        let gk = key(g.label());
        k.len() <= gk.len() + 2 && k.ends_with(&gk)
    })
}

/// Table 四 printed one value per line (docs/import.md, "Placement certainty"). Each group
/// printed after its own label is certain by that label. Otherwise the fifteen values may
/// come group by group in any order or outcome by outcome: a cell is read only when every
/// such order that agrees with the printed group totals gives it the same value; when none
/// agrees, the totals are not trusted and the cells are unreadable.
fn read_stacked(rows: &[Row], range: Range<usize>) -> BTreeMap<CellRef, Reading> {
    let mut out = BTreeMap::new();
    let place = near(rows, &range);
    let mut values: Vec<RawCell> = Vec::new();
    let mut by_label: Vec<(T4Group, Vec<RawCell>)> = Vec::new();
    let mut labelled = true;
    let mut mixed = false;
    let mut current: Option<T4Group> = None;
    for row in &rows[range] {
        if let Some(g) = group_of(row) {
            current = Some(g);
        }
        if row.values.is_empty() {
            continue;
        }
        if !stacked(row) {
            // Values on a line of their own beside values one per line: no order is certain.
            labelled = false;
            mixed = true;
            break;
        }
        values.extend(row.values.iter().cloned());
        match current.take() {
            Some(g) if !by_label.iter().any(|(h, _)| *h == g) => {
                by_label.push((g, row.values.clone()));
            }
            _ => labelled = false,
        }
    }
    let outcomes = T4Outcome::ALL.len();
    let at = |g: T4Group, k: usize| {
        CellRef::T4(T4Col {
            group: g,
            outcome: T4Outcome::ALL[k],
        })
    };
    if labelled && by_label.len() == 3 && by_label.iter().all(|(_, v)| v.len() == outcomes) {
        for (g, v) in by_label {
            for (k, c) in v.into_iter().enumerate() {
                out.insert(at(g, k), Reading::Read(c));
            }
        }
        return out;
    }
    let missing = |why: String, out: &mut BTreeMap<CellRef, Reading>| {
        for col in T4Col::all() {
            out.insert(
                CellRef::T4(col),
                Reading::Missing {
                    near: place.clone(),
                    why: why.clone(),
                },
            );
        }
    };
    let seen = values
        .iter()
        .map(|v| v.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    if mixed {
        missing(
            format!(
                "values printed one per line ({seen}) beside a line of several values; cannot tell their order"
            ),
            &mut out,
        );
        return out;
    }
    if values.len() != WIDTH {
        missing(
            format!(
                "{} values printed one per line ({seen}) where the table has {WIDTH} columns; cannot tell which is which",
                values.len()
            ),
            &mut out,
        );
        return out;
    }
    // Readings: the groups in any order, each group's five values together or the groups
    // interleaved outcome by outcome. reading[g][k] is an index into `values`.
    let mut readings: Vec<[[usize; 5]; 3]> = Vec::new();
    for p in PERMUTATIONS {
        for interleaved in [false, true] {
            let mut r = [[0usize; 5]; 3];
            for (g, row) in r.iter_mut().enumerate() {
                for (k, cell) in row.iter_mut().enumerate() {
                    *cell = if interleaved {
                        k * 3 + p[g]
                    } else {
                        p[g] * outcomes + k
                    };
                }
            }
            readings.push(r);
        }
    }
    let fits: Vec<&[[usize; 5]; 3]> = readings
        .iter()
        .filter(|r| {
            r.iter().all(|g| {
                let n: Option<Vec<u64>> = g.iter().map(|&i| count(&values[i])).collect();
                n.is_some_and(|n| n[..4].iter().sum::<u64>() == n[4])
            })
        })
        .collect();
    if fits.is_empty() {
        missing(
            format!(
                "values printed one per line ({seen}) in an order the table does not settle: no reading agrees with the printed group totals, so none is trusted"
            ),
            &mut out,
        );
        return out;
    }
    for (gi, g) in T4Group::ALL.into_iter().enumerate() {
        for k in 0..outcomes {
            let picks: Vec<&RawCell> = fits.iter().map(|r| &values[r[gi][k]]).collect();
            let reading = agreed(&picks, "the printed group totals");
            out.insert(at(g, k), reading);
        }
    }
    out
}

/// The orders of three groups.
const PERMUTATIONS: [[usize; 3]; 6] = [
    [0, 1, 2],
    [0, 2, 1],
    [1, 0, 2],
    [1, 2, 0],
    [2, 0, 1],
    [2, 1, 0],
];
