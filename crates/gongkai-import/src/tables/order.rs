//! Placement certainty for tables printed one cell per line (PDF text without layout,
//! `pdftotext -raw`, tools that write cells in reading order). Such text gives the values in
//! an order the file does not state: row by row, column by column, block by block. A value is
//! placed only when exactly one placement fits what is printed: the fixed order of the
//! format's rows and columns, and — where the order is otherwise open — the table's own
//! totals (docs/import.md, "Placement certainty"). A placement that is only certain by
//! trusting totals that disagree with their parts is no placement: the cells are unreadable,
//! with what was seen and the candidate readings.

use super::Reading;
use crate::number::parse_value;
use crate::rows::{RawCell, Row};
use gongkai_core::report::Value;

/// Whether a row's values stand one per line, apart from its label: a label line followed by
/// lines of one value each, or a run of lone values. Values on the label's line (layout
/// text) and delimited cells (tabs, pipes, grids) have a certain column.
pub(crate) fn stacked(row: &Row) -> bool {
    if row.delimited || row.values.is_empty() {
        return false;
    }
    let lines: Vec<Option<u32>> = row.values.iter().map(|v| v.place.line).collect();
    if lines.iter().any(Option::is_none) {
        return false;
    }
    if row.labels.is_empty() {
        return lines.len() == 1 || lines[0] != lines[1];
    }
    // The label's own line: a row split from a longer run takes its first value's place.
    let label_line = row.labels.last().and_then(|l| l.place.line);
    label_line.is_some() && lines[0] != label_line
}

/// A printed count, for checking totals.
pub(crate) fn count(cell: &RawCell) -> Option<u64> {
    match parse_value(&cell.text, false) {
        Value::Count(n) => Some(n),
        _ => None,
    }
}

/// One cell over every reading that fits: read when they all give it the same printed text,
/// else unreadable with the candidate readings listed (`settled_by` says what the readings
/// were checked against, e.g. "the printed totals").
pub(crate) fn agreed(picks: &[&RawCell], settled_by: &str) -> Reading {
    let first = picks[0];
    if picks.iter().all(|p| p.text == first.text) {
        return Reading::Read(first.clone());
    }
    let mut seen: Vec<&str> = Vec::new();
    for p in picks {
        if !seen.contains(&p.text.as_str()) {
            seen.push(&p.text);
        }
    }
    let candidates = seen
        .iter()
        .map(|t| format!("「{t}」"))
        .collect::<Vec<_>>()
        .join(" or ");
    Reading::Missing {
        near: Some(first.place.clone()),
        why: format!(
            "values printed one per line in an order {settled_by} do not settle: candidate readings {candidates}"
        ),
    }
}

/// Most distinct placements considered; more means the order is far from settled.
const MAX_PLACEMENTS: usize = 512;
/// Most search steps.
const MAX_STEPS: usize = 200_000;

/// The readings of a block of `rows` rows of `width` columns printed one value per line, in an
/// order made of consecutive blocks of rows, each printed row by row or column by column.
/// `row_ok` checks one row (its printed total); the placements returned are the distinct
/// ones where every row passes, as indices into the values (row-major: `r * width + c`).
/// `None` when there are too many to consider.
pub(crate) fn block_readings(
    values: &[RawCell],
    rows: usize,
    width: usize,
    row_ok: &dyn Fn(&[&RawCell]) -> bool,
) -> Option<Vec<Vec<usize>>> {
    if values.len() != rows * width || rows == 0 {
        return Some(Vec::new());
    }
    // The placement of block [a, b) column by column: cell (r, c) is value a·w + c·k + r.
    let col_major = |a: usize, b: usize| -> Vec<usize> {
        let k = b - a;
        let mut out = Vec::with_capacity(k * width);
        for r in 0..k {
            for c in 0..width {
                out.push(a * width + c * k + r);
            }
        }
        out
    };
    let row_valid: Vec<bool> = (0..rows)
        .map(|r| {
            let cells: Vec<&RawCell> = values[r * width..(r + 1) * width].iter().collect();
            row_ok(&cells)
        })
        .collect();
    // Blocks that read differently column by column than row by row, and pass.
    let mut col_blocks: Vec<Vec<(usize, Vec<usize>)>> = vec![Vec::new(); rows];
    for a in 0..rows {
        for b in a + 2..=rows {
            let idx = col_major(a, b);
            let differs = idx
                .iter()
                .enumerate()
                .any(|(i, &j)| values[a * width + i].text != values[j].text);
            if !differs {
                continue;
            }
            let ok = idx.chunks(width).all(|row| {
                let cells: Vec<&RawCell> = row.iter().map(|&j| &values[j]).collect();
                row_ok(&cells)
            });
            if ok {
                col_blocks[a].push((b, idx));
            }
        }
    }
    // done[i]: rows i.. can be read.
    let mut done = vec![false; rows + 1];
    done[rows] = true;
    for i in (0..rows).rev() {
        done[i] = (row_valid[i] && done[i + 1]) || col_blocks[i].iter().any(|(b, _)| done[*b]);
    }
    if !done[0] {
        return Some(Vec::new());
    }
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut steps = 0usize;
    let mut cur: Vec<usize> = Vec::with_capacity(rows * width);
    #[allow(clippy::too_many_arguments)]
    fn walk(
        i: usize,
        rows: usize,
        width: usize,
        row_valid: &[bool],
        col_blocks: &[Vec<(usize, Vec<usize>)>],
        done: &[bool],
        cur: &mut Vec<usize>,
        out: &mut Vec<Vec<usize>>,
        steps: &mut usize,
    ) -> bool {
        *steps += 1;
        if *steps > MAX_STEPS || out.len() > MAX_PLACEMENTS {
            return false;
        }
        if i == rows {
            out.push(cur.clone());
            return true;
        }
        let len = cur.len();
        if row_valid[i] && done[i + 1] {
            cur.extend(i * width..(i + 1) * width);
            if !walk(
                i + 1,
                rows,
                width,
                row_valid,
                col_blocks,
                done,
                cur,
                out,
                steps,
            ) {
                return false;
            }
            cur.truncate(len);
        }
        for (b, idx) in &col_blocks[i] {
            if !done[*b] {
                continue;
            }
            cur.extend(idx.iter().copied());
            if !walk(
                *b, rows, width, row_valid, col_blocks, done, cur, out, steps,
            ) {
                return false;
            }
            cur.truncate(len);
        }
        true
    }
    if !walk(
        0,
        rows,
        width,
        &row_valid,
        &col_blocks,
        &done,
        &mut cur,
        &mut out,
        &mut steps,
    ) {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_core::report::cell::Place;

    fn cells(v: &[u64]) -> Vec<RawCell> {
        v.iter()
            .enumerate()
            .map(|(i, n)| RawCell {
                text: n.to_string(),
                place: Place {
                    line: Some(i as u32 + 1),
                    ..Place::default()
                },
                x: None,
            })
            .collect()
    }

    fn total_ok(r: &[&RawCell]) -> bool {
        let n: Option<Vec<u64>> = r.iter().map(|c| count(c)).collect();
        n.is_some_and(|n| n[..n.len() - 1].iter().sum::<u64>() == n[n.len() - 1])
    }

    #[test]
    fn row_totals_settle_the_order() {
        // Two rows of three (a, b, total), printed column by column.
        let v = cells(&[1, 4, 2, 5, 3, 9]);
        let r = block_readings(&v, 2, 3, &total_ok).expect("few");
        assert_eq!(r, vec![vec![0, 2, 4, 1, 3, 5]]);
        // Row by row.
        let v = cells(&[1, 2, 3, 4, 5, 9]);
        assert_eq!(
            block_readings(&v, 2, 3, &total_ok).expect("few"),
            vec![vec![0, 1, 2, 3, 4, 5]]
        );
    }

    #[test]
    fn totals_that_fit_no_order_give_nothing() {
        let v = cells(&[1, 4, 2, 5, 3, 0]);
        assert!(block_readings(&v, 2, 3, &total_ok).expect("few").is_empty());
    }
}
