//! Table 三 (收到和处理政府信息公开申请情况): 25 rows (23 with the single （六）其他处理 row)
//! in a fixed order. Data rows are aligned to that order by dynamic programming: a row whose
//! own label names an official row anchors it; rows whose label was lost (broken Markdown,
//! wrapped PDF text) are placed by order between anchors, and only where the count of rows
//! between two anchors leaves no choice. Anything else is reported, never guessed.

use super::{Reading, centers, near, place_values};
use crate::label::{key, similarity};
use crate::rows::Row;
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
    let local: Vec<Row> = rows[range].iter().flat_map(split_run).collect();
    let (rows, range) = (&local[..], 0..local.len());
    let mut best_result: Option<(f64, OtherShape, BTreeMap<CellRef, Reading>)> = None;
    let shapes = if prefer_single {
        [OtherShape::Single, OtherShape::Split]
    } else {
        [OtherShape::Split, OtherShape::Single]
    };
    let cands = candidates(rows, range.clone());
    for shape in shapes {
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

    // Cells.
    let data_rows: Vec<&Row> = data.iter().map(|d| &rows[d.index]).collect();
    let centers = centers(&data_rows, T3Col::ALL.len());
    let first_data = data.first().map_or(range.end, |d| d.index);
    let header = header_columns(&rows[range.start..first_data]);
    let mut out = BTreeMap::new();
    for (j, &t3row) in expected.iter().enumerate() {
        match &assigned[j] {
            Assigned::Row(d) => {
                let row = &rows[data[*d].index];
                let placed = match header.as_ref().and_then(|h| by_header(row, h)) {
                    Some(cells) => Ok(cells),
                    None => place_values(row, T3Col::ALL.len(), centers.as_deref()),
                };
                match placed {
                    Ok(cells) => {
                        for (col, c) in T3Col::ALL.into_iter().zip(cells) {
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
    (score, out)
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
fn split_run(row: &Row) -> Vec<Row> {
    let width = T3Col::ALL.len();
    let n = row.values.len();
    if row.delimited || n <= width || !n.is_multiple_of(width) {
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
