//! Finding tables 二/三/四 in a row sequence by layout rules: headings and captions mark the
//! regions, official labels (compared by [`crate::label`]) and the fixed row order of the
//! national format place each row, and every cell keeps the place it was read from.

mod order;
pub(crate) mod regions;
mod t2;
mod t3;
mod t4;

use crate::rows::{RawCell, Row};
use gongkai_core::report::cell::Place;
use gongkai_core::report::{CellRef, Layout, OtherShape};
use std::collections::BTreeMap;

pub use regions::Regions;

/// How one cell of the layout was read.
#[derive(Debug, Clone)]
pub enum Reading {
    /// The printed cell (possibly empty: a blank cell of a delimited table).
    Read(RawCell),
    /// No cell could be found or placed; `near` is where the importer looked.
    Missing { near: Option<Place>, why: String },
}

/// What the recognisers found.
#[derive(Debug, Clone)]
pub struct Tables {
    pub layout: Layout,
    pub shape: OtherShape,
    pub cells: BTreeMap<CellRef, Reading>,
    pub regions: Regions,
}

/// Finds the three tables. `year` breaks a tie between the layouts.
pub fn recognise(rows: &[Row], year: Option<i32>) -> Tables {
    let regions = Regions::find(rows);
    let layout_hint = t2::layout_evidence(&rows[regions.t2.clone()]);
    let expected = layout_hint.or(year.map(Layout::for_year));
    let (shape, t3_cells) = t3::read(rows, regions.t3.clone(), expected == Some(Layout::Y2019));
    let layout = expected.unwrap_or(if shape == OtherShape::Single {
        Layout::Y2019
    } else {
        Layout::Y2021
    });
    let mut cells = t3_cells;
    cells.extend(t2::read(rows, regions.t2.clone(), layout));
    cells.extend(t4::read(rows, regions.t4.clone()));
    Tables {
        layout,
        shape,
        cells,
        regions,
    }
}

/// The place to name when nothing was found in a range of rows: its first row that has a
/// place (HTML prose has none; its tables do).
fn near(rows: &[Row], range: &std::ops::Range<usize>) -> Option<Place> {
    let known = |r: &&Row| r.place.line.is_some() || r.place.table.is_some();
    rows.get(range.clone())
        .and_then(|rs| rs.iter().find(known))
        .or_else(|| rows.iter().find(known))
        .map(|r| Place {
            text: None,
            column: None,
            ..r.place.clone()
        })
}

/// Fits a row's cells to `width` columns: surplus empty cells at the ends are dropped
/// (trailing tabs, pipes, blank padding columns).
fn fit(values: &[RawCell], width: usize) -> Vec<RawCell> {
    let blank = |c: &RawCell| c.text.trim().is_empty();
    let mut end = values.len();
    while end > width && blank(&values[end - 1]) {
        end -= 1;
    }
    let mut start = 0;
    while end - start > width && blank(&values[start]) {
        start += 1;
    }
    values[start..end].to_vec()
}

/// Describes a place for messages: `line 212`, `page 3 line 40`, `table 2 row 5`.
pub fn describe(place: &Place) -> String {
    let mut parts = Vec::new();
    if let Some(t) = place.table {
        parts.push(format!("table {t}"));
    }
    if let Some(p) = place.page {
        parts.push(format!("page {p}"));
    }
    if let Some(l) = place.line {
        parts.push(format!("line {l}"));
    }
    if let Some(r) = place.row {
        parts.push(format!("row {r}"));
    }
    if let Some(c) = place.column {
        parts.push(format!("column {c}"));
    }
    parts.join(" ")
}

/// Assigns `values` to `width` columns, or says why it cannot without guessing. Layout text
/// with fewer tokens than columns is aligned by character position against `centers` when
/// known.
fn place_values(
    row: &Row,
    width: usize,
    centers: Option<&[f64]>,
) -> Result<Vec<Option<RawCell>>, String> {
    let v = fit(&row.values, width);
    if v.len() == width {
        return Ok(v.into_iter().map(Some).collect());
    }
    if v.len() > width {
        return Err(format!(
            "{} values where the table has {width} columns",
            v.len()
        ));
    }
    if row.delimited {
        let mut out: Vec<Option<RawCell>> = v.into_iter().map(Some).collect();
        out.resize(width, None);
        return Ok(out);
    }
    if let Some(centers) = centers
        && let Some(aligned) = align(&v, centers)
    {
        return Ok(aligned);
    }
    Err(format!(
        "{} values where the table has {width} columns; cannot tell which are blank",
        v.len()
    ))
}

/// Places layout-text tokens in the column whose centre is nearest, if that is unambiguous.
fn align(values: &[RawCell], centers: &[f64]) -> Option<Vec<Option<RawCell>>> {
    let gap = centers
        .windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .fold(f64::INFINITY, f64::min);
    if !gap.is_finite() || gap < 2.0 {
        return None;
    }
    let mut out: Vec<Option<RawCell>> = vec![None; centers.len()];
    let mut last: Option<usize> = None;
    for v in values {
        let x = v.x? as f64;
        let (col, dist) = centers
            .iter()
            .enumerate()
            .map(|(i, c)| (i, (x - c).abs()))
            .min_by(|a, b| a.1.total_cmp(&b.1))?;
        if dist > gap * 0.4 || last.is_some_and(|l| col <= l) {
            return None;
        }
        out[col] = Some(v.clone());
        last = Some(col);
    }
    Some(out)
}

/// Column centres from the rows that print every column.
fn centers(rows: &[&Row], width: usize) -> Option<Vec<f64>> {
    let full: Vec<Vec<RawCell>> = rows
        .iter()
        .filter(|r| !r.delimited)
        .map(|r| fit(&r.values, width))
        .filter(|v| v.len() == width && v.iter().all(|c| c.x.is_some()))
        .collect();
    if full.len() < 2 {
        return None;
    }
    let mut out = Vec::with_capacity(width);
    for c in 0..width {
        let mut xs: Vec<f64> = full
            .iter()
            .filter_map(|v| v[c].x.map(|x| x as f64))
            .collect();
        xs.sort_by(f64::total_cmp);
        out.push(xs[xs.len() / 2]);
    }
    Some(out)
}
