//! Table 三 (收到和处理政府信息公开申请情况): 25 rows (23 with the single （六）其他处理 row)
//! in a fixed order. Data rows are aligned to that order by dynamic programming: a row whose
//! own label names an official row anchors it; rows whose label was lost (broken Markdown,
//! wrapped PDF text) are placed by order between anchors, and only where the count of rows
//! between two anchors leaves no choice. Anything else is reported, never guessed. Values
//! printed one per line (PDF text without layout) are placed only where their order is
//! certain by the labels or settled by the printed totals ([`place_stacked`]).

use super::order::{agreed, block_readings, count, stacked};
use super::{Reading, centers, near, place_values};
use crate::label::{contains, key, similarity};
use crate::rows::{RawCell, Row};
use gongkai_core::report::{CellRef, OtherShape, T3Col, T3Row};
use std::collections::BTreeMap;
use std::ops::Range;

/// A label similarity below this is noise.
const NOISE: f64 = 0.2;
/// An own label at least this similar anchors its row.
const ANCHOR: f64 = 0.5;
/// Context text (label fragments printed above a row) placed by itself.
const CONTEXT_SURE: f64 = 0.6;
const SKIP_ROW: f64 = -0.5;

struct DataRow {
    index: usize,
    own: Vec<f64>,
    ctx: Vec<f64>,
}

impl DataRow {
    fn own_best(&self) -> (usize, f64) {
        best(&self.own)
    }
}

fn best(v: &[f64]) -> (usize, f64) {
    v.iter()
        .copied()
        .enumerate()
        .fold((0, 0.0), |acc, (i, s)| if s > acc.1 { (i, s) } else { acc })
}

fn is_data_row(row: &Row, row_keys: &[Vec<char>]) -> bool {
    let printed = row.printed_values();
    if printed >= 3 {
        return true;
    }
    if row.delimited && row.values.len() >= 5 {
        if printed >= 1 {
            return true;
        }
        let own = key(row.own_label());
        return row_keys.iter().any(|k| similarity(&own, k) >= ANCHOR);
    }
    false
}

/// Reads table 三. `prefer_single` breaks a tie between the two shapes.
pub fn read(
    rows: &[Row],
    range: Range<usize>,
    prefer_single: bool,
) -> (OtherShape, BTreeMap<CellRef, Reading>) {
    // Rows are copied only when a run of values must be split into rows (a region may be
    // the whole file: BI-IM-10).
    let local: Vec<Row>;
    let region = &rows[range];
    let rows: &[Row] = if region.iter().any(is_run) {
        local = region.iter().flat_map(split_run).collect();
        &local
    } else {
        region
    };
    let range = 0..rows.len();
    let mut best_result: Option<(f64, OtherShape, BTreeMap<CellRef, Reading>)> = None;
    let shapes = if prefer_single {
        [OtherShape::Single, OtherShape::Split]
    } else {
        [OtherShape::Split, OtherShape::Single]
    };
    let cands = candidates(rows, range.clone());
    // Values printed one per line are placed by the count of rows, so the shape must come
    // from the printed labels when they show it.
    let printed_shape = if rows.iter().any(stacked) {
        shape_by_labels(rows)
    } else {
        None
    };
    for shape in shapes {
        if printed_shape.is_some_and(|s| s != shape) {
            continue;
        }
        let (score, cells) = read_shape(rows, range.clone(), shape, &cands);
        if best_result
            .as_ref()
            .is_none_or(|(s, _, _)| score > *s + 1e-9)
        {
            best_result = Some((score, shape, cells));
        }
    }
    match best_result {
        Some((_, shape, cells)) => (shape, cells),
        None => (OtherShape::Split, BTreeMap::new()),
    }
}

/// The shape the row labels show: the split rows of （六） printed (their labels may wrap
/// over several lines), or only the single row.
fn shape_by_labels(rows: &[Row]) -> Option<OtherShape> {
    let [overdue, fee, other] = labels_contain(rows, ["逾期不补正", "收费通知", "其他处理"]);
    if overdue || fee {
        Some(OtherShape::Split)
    } else if other {
        Some(OtherShape::Single)
    } else {
        None
    }
}

/// Whether the labels of `rows`, joined, contain each phrase (its ideographs in one piece,
/// as [`contains`] on their [`key`]). The text is keyed a window at a time, the window's
/// tail carried over, so that a long region takes no more memory than a short one
/// (BI-IM-10); a phrase wrapped over rows is found as in the joined text.
fn labels_contain<const N: usize>(rows: &[Row], phrases: [&str; N]) -> [bool; N] {
    /// Text keyed at once, and the text carried into the next window (longer than any
    /// phrase and any numbering).
    const WINDOW: usize = 4096;
    const TAIL: usize = 64;
    let mut found = [false; N];
    let mut text = String::new();
    let check = |text: &str, found: &mut [bool; N]| {
        let k = key(text);
        for (f, p) in found.iter_mut().zip(phrases) {
            *f = *f || contains(&k, p);
        }
    };
    for row in rows {
        for cell in &row.labels {
            text.push_str(&cell.text);
            if text.len() > WINDOW {
                check(&text, &mut found);
                let cut = (text.len() - TAIL..text.len())
                    .find(|&i| text.is_char_boundary(i))
                    .unwrap_or(text.len());
                text.drain(..cut);
            }
        }
    }
    check(&text, &mut found);
    found
}

/// Most data rows considered: a table 三 has 23–25, a file with thousands is not one table.
const MAX_DATA_ROWS: usize = 1_000;

/// A data row with its label similarity to every row the format knows ([`T3Row::all`]).
struct Candidate {
    index: usize,
    own: Vec<f64>,
    ctx: Vec<f64>,
}

fn denoise(s: f64) -> f64 {
    if s < NOISE { 0.0 } else { s }
}

/// The data rows of the region, each with the label evidence above and on it.
fn candidates(rows: &[Row], range: Range<usize>) -> Vec<Candidate> {
    let all_keys: Vec<Vec<char>> = T3Row::all().map(|r| key(r.label())).collect();
    let mut data = Vec::new();
    let mut context = String::new();
    for i in range {
        let row = &rows[i];
        if !is_data_row(row, &all_keys) {
            let t = row.label_text();
            if key(&t).len() <= 40 {
                context.push_str(&t);
                // Only the fragments just above a row matter; keep the tail bounded.
                if context.len() > 600 {
                    let cut = context.len() - 300;
                    let cut = (cut..context.len())
                        .find(|&i| context.is_char_boundary(i))
                        .unwrap_or(context.len());
                    context.drain(..cut);
                }
            } else {
                context.clear();
            }
            continue;
        }
        let own = key(row.own_label());
        let mut ctx_text = std::mem::take(&mut context);
        ctx_text.push_str(&row.label_text());
        let ctx = key(&ctx_text);
        let ctx: Vec<char> = ctx[ctx.len().saturating_sub(60)..].to_vec();
        data.push(Candidate {
            index: i,
            own: all_keys
                .iter()
                .map(|k| denoise(similarity(&own, k)))
                .collect(),
            ctx: all_keys
                .iter()
                .map(|k| denoise(similarity(&ctx, k)))
                .collect(),
        });
        if data.len() >= MAX_DATA_ROWS {
            break;
        }
    }
    data
}

fn read_shape(
    rows: &[Row],
    range: Range<usize>,
    shape: OtherShape,
    cands: &[Candidate],
) -> (f64, BTreeMap<CellRef, Reading>) {
    let expected: &[T3Row] = T3Row::rows(shape);
    let all: Vec<T3Row> = T3Row::all().collect();
    let at: Vec<usize> = expected
        .iter()
        .map(|r| all.iter().position(|a| a == r).unwrap_or(0))
        .collect();
    let data: Vec<DataRow> = cands
        .iter()
        .map(|c| DataRow {
            index: c.index,
            own: at.iter().map(|&k| c.own[k]).collect(),
            ctx: at.iter().map(|&k| c.ctx[k]).collect(),
        })
        .collect();
    let (score, matched) = align(&data, expected.len());
    let assigned = resolve_gaps(&data, &matched, expected.len());
    let stacked_order = rows[range.clone()].iter().any(stacked) && !labelled_rows(rows, expected);

    // Cells.
    let data_rows: Vec<&Row> = data.iter().map(|d| &rows[d.index]).collect();
    let first_data = data.first().map_or(range.end, |d| d.index);
    let header = header_columns(&rows[range.start..first_data]);
    // A table whose header prints no 总计 column has six columns, in the format's order.
    let cols: &[T3Col] = if header.is_none() && prints_no_total(&rows[range.start..first_data]) {
        &T3Col::PARTS
    } else {
        &T3Col::ALL
    };
    let centers = centers(&data_rows, cols.len());
    let mut out = BTreeMap::new();
    for (j, &t3row) in expected.iter().enumerate() {
        match &assigned[j] {
            Assigned::Row(d) => {
                let row = &rows[data[*d].index];
                let placed = match header.as_ref().and_then(|h| by_header(row, h)) {
                    Some(cells) => Ok(cells),
                    None => place_values(row, cols.len(), centers.as_deref()),
                };
                match placed {
                    Ok(cells) => {
                        if cols.len() < T3Col::ALL.len() {
                            out.insert(
                                CellRef::T3(t3row, T3Col::Total),
                                Reading::Missing {
                                    near: Some(row.place.clone()),
                                    why: "the table prints no 总计 column".into(),
                                },
                            );
                        }
                        for (col, c) in cols.iter().copied().zip(cells) {
                            let reading = match c {
                                Some(c) => Reading::Read(c),
                                None => Reading::Missing {
                                    near: Some(row.place.clone()),
                                    why: "no value printed in this column".into(),
                                },
                            };
                            out.insert(CellRef::T3(t3row, col), reading);
                        }
                    }
                    Err(why) => {
                        for col in T3Col::ALL {
                            out.insert(
                                CellRef::T3(t3row, col),
                                Reading::Missing {
                                    near: Some(row.place.clone()),
                                    why: why.clone(),
                                },
                            );
                        }
                    }
                }
            }
            Assigned::None(why) => {
                for col in T3Col::ALL {
                    out.insert(
                        CellRef::T3(t3row, col),
                        Reading::Missing {
                            near: near(rows, &range),
                            why: why.clone(),
                        },
                    );
                }
            }
        }
    }
    if stacked_order {
        let fixed: Vec<bool> = assigned
            .iter()
            .map(|a| matches!(a, Assigned::Row(d) if !stacked(&rows[data[*d].index])))
            .collect();
        let near = near(rows, &range);
        let fits = place_stacked(rows, range, expected, &fixed, near, &mut out);
        // The shape whose rows take exactly the values printed is the one printed.
        return (if fits { score + 1e6 } else { score }, out);
    }
    (score, out)
}

/// Whether every row printed one value per line is certain without totals: each is a row
/// label of the format followed by at most one value per column, in the format's order. A
/// run of values after a heading, several rows' values after one label, or labels out of
/// order mean the values may be printed column by column or in blocks.
fn labelled_rows(rows: &[Row], expected: &[T3Row]) -> bool {
    let keys: Vec<Vec<char>> = expected.iter().map(|r| key(r.label())).collect();
    let mut last: Option<usize> = None;
    for row in rows.iter().filter(|r| stacked(r)) {
        // Fewer values than columns after a label: that row is unreadable, not reordered.
        if row.values.len() > T3Col::ALL.len() || row.labels.is_empty() {
            return false;
        }
        let own = key(row.own_label());
        let sims: Vec<f64> = keys.iter().map(|k| similarity(&own, k)).collect();
        let (j, s) = best(&sims);
        if s < ANCHOR || last.is_some_and(|l| j <= l) {
            return false;
        }
        last = Some(j);
    }
    true
}

/// Places the values printed one per line whose order is open (docs/import.md, "Placement
/// certainty"): the rows not read from their own line (`fixed`: layout text, a grid) take
/// the values in one of the orders [`block_readings`] considers, and a cell is read only when every order
/// consistent with the printed totals — each row's 总计, and per column （七）总计 and the
/// corner rule 一+二 = 三+四 — gives it the same value.
fn place_stacked(
    rows: &[Row],
    range: Range<usize>,
    expected: &[T3Row],
    fixed: &[bool],
    near: Option<gongkai_core::report::cell::Place>,
    out: &mut BTreeMap<CellRef, Reading>,
) -> bool {
    let width = T3Col::ALL.len();
    let open: Vec<usize> = (0..expected.len()).filter(|&j| !fixed[j]).collect();
    let values: Vec<RawCell> = rows[range]
        .iter()
        .filter(|r| stacked(r))
        .flat_map(|r| r.values.iter().cloned())
        .collect();
    let seen = |values: &[RawCell]| -> String {
        let texts: Vec<&str> = values.iter().take(12).map(|v| v.text.as_str()).collect();
        let more = if values.len() > 12 { " …" } else { "" };
        format!("{}{more}", texts.join(" "))
    };
    let missing = |why: String, out: &mut BTreeMap<CellRef, Reading>| {
        for &j in &open {
            for col in T3Col::ALL {
                out.insert(
                    CellRef::T3(expected[j], col),
                    Reading::Missing {
                        near: near.clone(),
                        why: why.clone(),
                    },
                );
            }
        }
    };
    if open.is_empty() {
        return values.is_empty();
    }
    if values.len() != open.len() * width {
        missing(
            format!(
                "{} values printed one per line ({}) for {} rows of {width} columns; cannot tell which row or column each belongs to",
                values.len(),
                seen(&values),
                open.len()
            ),
            out,
        );
        return false;
    }
    let row_ok = |cells: &[&RawCell]| -> bool {
        let n: Option<Vec<u64>> = cells.iter().map(|c| count(c)).collect();
        n.is_some_and(|n| n[..width - 1].iter().sum::<u64>() == n[width - 1])
    };
    let Some(readings) = block_readings(&values, open.len(), width, &row_ok) else {
        missing(
            format!(
                "values printed one per line ({}) in an order with too many readings",
                seen(&values)
            ),
            out,
        );
        return true;
    };
    // The cell of (expected row j, column c) under a reading.
    let slot: Vec<Option<usize>> = {
        let mut v = vec![None; expected.len()];
        for (i, &j) in open.iter().enumerate() {
            v[j] = Some(i);
        }
        v
    };
    let cell_count = |reading: &[usize], j: usize, c: usize| -> Option<u64> {
        match slot[j] {
            Some(i) => count(&values[reading[i * width + c]]),
            None => match out.get(&CellRef::T3(expected[j], T3Col::ALL[c])) {
                Some(Reading::Read(cell)) => count(cell),
                _ => None,
            },
        }
    };
    let pos = |r: T3Row| expected.iter().position(|&e| e == r);
    let outcome_rows: Vec<usize> = (0..expected.len())
        .filter(|&j| expected[j].is_outcome())
        .collect();
    let consistent = |reading: &[usize]| -> bool {
        for c in 0..width {
            if let Some(t) = pos(T3Row::TotalProcessed) {
                let parts: Option<u64> = outcome_rows
                    .iter()
                    .map(|&j| cell_count(reading, j, c))
                    .sum();
                if let (Some(p), Some(t)) = (parts, cell_count(reading, t, c))
                    && p != t
                {
                    return false;
                }
            }
            let get = |r: T3Row| pos(r).and_then(|j| cell_count(reading, j, c));
            if let (Some(a), Some(b), Some(p), Some(f)) = (
                get(T3Row::NewReceived),
                get(T3Row::CarriedOver),
                get(T3Row::TotalProcessed),
                get(T3Row::CarriedForward),
            ) && a + b != p + f
            {
                return false;
            }
        }
        true
    };
    let fits: Vec<&Vec<usize>> = readings.iter().filter(|r| consistent(r)).collect();
    if fits.is_empty() {
        missing(
            format!(
                "values printed one per line ({}) in an order the table does not settle: no reading agrees with the printed totals, so none is trusted",
                seen(&values)
            ),
            out,
        );
        return true;
    }
    for (i, &j) in open.iter().enumerate() {
        for (c, col) in T3Col::ALL.into_iter().enumerate() {
            let picks: Vec<&RawCell> = fits.iter().map(|r| &values[r[i * width + c]]).collect();
            let reading = agreed(&picks, "the printed totals");
            out.insert(CellRef::T3(expected[j], col), reading);
        }
    }
    true
}

/// Score of placing data row `d` at expected row `j`: its own label counts for and against,
/// the label fragments above it only for.
fn score(d: &DataRow, j: usize) -> f64 {
    let (_, own_best) = d.own_best();
    1.0 + 3.0 * d.own[j] - 3.0 * (own_best - d.own[j]) + d.ctx[j]
}

/// Monotone alignment of data rows to expected rows; returns the total score and, per data
/// row, the expected row it takes.
fn align(data: &[DataRow], m: usize) -> (f64, Vec<Option<usize>>) {
    let n = data.len();
    // dp[i][j]: best score for the first i data rows and first j expected rows.
    let mut dp = vec![vec![f64::NEG_INFINITY; m + 1]; n + 1];
    let mut from = vec![vec![0u8; m + 1]; n + 1];
    dp[0][0] = 0.0;
    for i in 0..=n {
        for j in 0..=m {
            let cur = dp[i][j];
            if cur == f64::NEG_INFINITY {
                continue;
            }
            if i < n && cur + SKIP_ROW > dp[i + 1][j] {
                dp[i + 1][j] = cur + SKIP_ROW;
                from[i + 1][j] = 1;
            }
            if j < m && cur > dp[i][j + 1] {
                dp[i][j + 1] = cur;
                from[i][j + 1] = 2;
            }
            if i < n && j < m {
                let s = cur + score(&data[i], j);
                if s > dp[i + 1][j + 1] {
                    dp[i + 1][j + 1] = s;
                    from[i + 1][j + 1] = 3;
                }
            }
        }
    }
    let mut matched = vec![None; n];
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        match from[i][j] {
            1 => i -= 1,
            2 => j -= 1,
            3 => {
                matched[i - 1] = Some(j - 1);
                i -= 1;
                j -= 1;
            }
            _ => break,
        }
    }
    (dp[n][m], matched)
}

enum Assigned {
    Row(usize),
    None(String),
}

/// Keeps the alignment where it is certain: rows anchored by their own label, rows whose
/// label fragments name them, and unlabelled rows in a gap between anchors that holds exactly
/// as many rows as the format has there. Other gaps are reported.
fn resolve_gaps(data: &[DataRow], matched: &[Option<usize>], m: usize) -> Vec<Assigned> {
    let mut out: Vec<Assigned> = (0..m)
        .map(|_| Assigned::None("no row found for it".to_string()))
        .collect();
    let anchored = |d: usize| -> Option<usize> {
        let j = matched[d]?;
        let (_, b) = data[d].own_best();
        (data[d].own[j] >= ANCHOR && data[d].own[j] >= b - 0.05).then_some(j)
    };
    // Anchors in order, with sentinels at both ends.
    let mut anchors: Vec<(isize, isize)> = vec![(-1, -1)];
    for d in 0..data.len() {
        if let Some(j) = anchored(d)
            && anchors.last().is_some_and(|&(_, lj)| (j as isize) > lj)
        {
            anchors.push((d as isize, j as isize));
        }
    }
    anchors.push((data.len() as isize, m as isize));
    for w in anchors.windows(2) {
        let (d0, j0) = w[0];
        let (d1, j1) = w[1];
        if d0 >= 0 && (d0 as usize) < data.len() {
            out[j0 as usize] = Assigned::Row(d0 as usize);
        }
        let rows_between: Vec<usize> = ((d0 + 1) as usize..d1 as usize).collect();
        let slots: Vec<usize> = ((j0 + 1) as usize..j1 as usize).collect();
        if rows_between.len() == slots.len() {
            for (d, j) in rows_between.into_iter().zip(slots) {
                out[j] = Assigned::Row(d);
            }
            continue;
        }
        // Not determined by count: keep rows whose label fragments clearly name their slot.
        let mut placed = std::collections::BTreeSet::new();
        for &d in &rows_between {
            if let Some(j) = matched[d] {
                let (bj, b) = best(&data[d].ctx);
                let (oj, ob) = data[d].own_best();
                let sure = (ob >= ANCHOR && oj == j) || (b >= CONTEXT_SURE && bj == j);
                if sure && slots.contains(&j) {
                    out[j] = Assigned::Row(d);
                    placed.insert(j);
                }
            }
        }
        let unplaced = rows_between.len() - placed.len();
        for &j in &slots {
            if !placed.contains(&j) {
                out[j] = Assigned::None(if unplaced == 0 {
                    "no row found for it".to_string()
                } else {
                    format!(
                        "{unplaced} row(s) without a readable label here; cannot tell which is which"
                    )
                });
            }
        }
    }
    out
}

/// Whether the header above the data names the applicant columns but no 总计 (or 合计)
/// column: then the rows print six values, not seven.
fn prints_no_total(header_rows: &[Row]) -> bool {
    let [a, b, c, d, total, sum] = labels_contain(
        header_rows,
        [
            "自然人",
            "商业企业",
            "科研机构",
            "法律服务机构",
            "总计",
            "合计",
        ],
    );
    a && b && c && d && !total && !sum
}

/// The grid column of each applicant column, from the header rows above the data, when the
/// header names all seven in distinct columns (docs/reliability.md BI-IM-3: mapped by
/// their printed heading, so a table that orders them differently is still read right).
fn header_columns(header_rows: &[Row]) -> Option<[u32; 7]> {
    let names: [(T3Col, &str); 7] = [
        (T3Col::NaturalPerson, "自然人"),
        (T3Col::Commercial, "商业企业"),
        (T3Col::Research, "科研机构"),
        (T3Col::SocialWelfare, "社会公益组织"),
        (T3Col::LegalService, "法律服务机构"),
        (T3Col::OtherOrg, "其他"),
        (T3Col::Total, "总计"),
    ];
    let mut found: [Option<u32>; 7] = [None; 7];
    for row in header_rows {
        if !row.delimited || row.printed_values() > 0 {
            continue;
        }
        for cell in row.labels.iter().chain(&row.values) {
            let k = key(&cell.text);
            for (i, (_, name)) in names.iter().enumerate() {
                if k.iter().copied().eq(name.chars()) && found[i].is_none() {
                    found[i] = cell.place.column;
                }
            }
        }
    }
    let cols: Vec<u32> = found.iter().copied().collect::<Option<Vec<u32>>>()?;
    let mut distinct = cols.clone();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() != 7 {
        return None;
    }
    let mut out = [0u32; 7];
    out.copy_from_slice(&cols);
    Some(out)
}

/// The row's cells by the header's columns, when every value stands under one of them.
fn by_header(row: &Row, header: &[u32; 7]) -> Option<Vec<Option<crate::rows::RawCell>>> {
    if !row.delimited {
        return None;
    }
    let mut out: Vec<Option<crate::rows::RawCell>> = vec![None; 7];
    for v in &row.values {
        let col = v.place.column?;
        match header.iter().position(|&h| h == col) {
            Some(i) => out[i] = Some(v.clone()),
            // A printed value outside every column: not for the header to place.
            None if !v.text.trim().is_empty() => return None,
            None => {}
        }
    }
    out.iter().all(Option::is_some).then_some(out)
}

/// A line of text holding several rows' numbers (labels printed elsewhere, as in PDF text
/// without layout): 7·k values become k rows, the first with the label, the others without,
/// to be placed by the alignment only where their count leaves no choice.
/// Whether [`split_run`] splits the row.
fn is_run(row: &Row) -> bool {
    let width = T3Col::ALL.len();
    let n = row.values.len();
    !(row.delimited || n <= width || !n.is_multiple_of(width))
}

fn split_run(row: &Row) -> Vec<Row> {
    let width = T3Col::ALL.len();
    if !is_run(row) {
        return vec![row.clone()];
    }
    row.values
        .chunks(width)
        .enumerate()
        .map(|(i, chunk)| Row {
            labels: if i == 0 {
                row.labels.clone()
            } else {
                Vec::new()
            },
            values: chunk.to_vec(),
            delimited: false,
            place: chunk[0].place.clone(),
        })
        .collect()
}
