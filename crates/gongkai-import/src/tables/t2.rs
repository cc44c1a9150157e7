//! Table 二 (主动公开政府信息情况): sub-tables of 第二十条, one row per kind of information.
//! Rows are found by their official label; the layout (2021 or 2019) by the column headings.

use super::order::stacked;
use super::{Reading, near, place_values};
use crate::label::{contains, key, similarity};
use crate::rows::Row;
use gongkai_core::report::format::spec;
use gongkai_core::report::{CellRef, Layout, T2Key};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

/// Column headings only one layout prints.
const ONLY_2019: [&str; 7] = [
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增减",
    "政府集中采购",
    "其他对外管理服务事项",
];
const ONLY_2021: [&str; 5] = [
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年处理决定数量",
    "本年收费金额",
];

/// The layout table 二's headings show, if they show one.
pub fn layout_evidence(rows: &[Row]) -> Option<Layout> {
    let mut y2019 = 0;
    let mut y2021 = 0;
    for row in rows {
        for cell in &row.labels {
            let k = key(&cell.text);
            if k.len() > 60 {
                continue;
            }
            y2019 += ONLY_2019.iter().filter(|p| contains(&k, p)).count();
            y2021 += ONLY_2021.iter().filter(|p| contains(&k, p)).count();
        }
    }
    match y2019.cmp(&y2021) {
        std::cmp::Ordering::Greater => Some(Layout::Y2019),
        std::cmp::Ordering::Less => Some(Layout::Y2021),
        std::cmp::Ordering::Equal => None,
    }
}

/// Lowest similarity for a row label to count as the official one.
const MATCH: f64 = 0.5;

pub fn read(rows: &[Row], range: Range<usize>, layout: Layout) -> BTreeMap<CellRef, Reading> {
    let t2 = spec().table2_for(layout == Layout::Y2019);
    let mut out = BTreeMap::new();
    let moved = stacked_rows(rows, range.clone(), layout);
    let candidates: Vec<(usize, Vec<char>)> = range
        .clone()
        .filter(|&i| {
            (!rows[i].values.is_empty() || moved.contains_key(&i)) && !rows[i].labels.is_empty()
        })
        .map(|i| (i, key(rows[i].own_label())))
        .filter(|(_, k)| !k.is_empty() && k.len() <= 40)
        .collect();
    for sub in &t2.subtables {
        for row_spec in &sub.rows {
            let want = key(&row_spec.label);
            // The best-matching row; the first one on a tie.
            let mut best: Option<(usize, f64)> = None;
            for (i, k) in &candidates {
                let s = similarity(k, &want);
                if s >= MATCH && best.is_none_or(|(_, b)| s > b + 1e-9) {
                    best = Some((*i, s));
                }
            }
            let keys: Vec<T2Key> = sub
                .columns
                .iter()
                .filter_map(|c| T2Key::find(layout, &sub.key, &row_spec.key, &c.key))
                .collect();
            let Some((i, _)) = best else {
                for k in keys {
                    out.insert(
                        CellRef::T2(k),
                        Reading::Missing {
                            near: near(rows, &range),
                            why: format!("no row「{}」found in table 二", row_spec.label),
                        },
                    );
                }
                continue;
            };
            let row = &rows[i];
            let placed = match moved.get(&i) {
                Some(Ok(moved)) => place_values(moved, keys.len(), None),
                Some(Err(why)) => Err(why.clone()),
                None => place_values(row, keys.len(), None),
            };
            match placed {
                Ok(cells) => {
                    for (k, c) in keys.into_iter().zip(cells) {
                        let reading = match c {
                            Some(c) => Reading::Read(c),
                            None => Reading::Missing {
                                near: Some(row.place.clone()),
                                why: "the row has no cell for this column".into(),
                            },
                        };
                        out.insert(CellRef::T2(k), reading);
                    }
                }
                Err(why) => {
                    for k in keys {
                        out.insert(
                            CellRef::T2(k),
                            Reading::Missing {
                                near: Some(row.place.clone()),
                                why: why.clone(),
                            },
                        );
                    }
                }
            }
        }
    }
    out
}

/// Rows of table 二 printed one value per line (docs/import.md, "Placement certainty"):
/// `pdftotext` without layout prints a row's values after its label, or before it when the
/// label wraps. Within each sub-table (from one 第二十条 caption to the next) the values go
/// with the label before them only if every run of values follows a row label, and with the
/// label after them only if every run is followed by one; the rows whose values move get
/// them here, and where both or neither reading fits, the rows printed one value per line
/// are unreadable.
fn stacked_rows(
    rows: &[Row],
    range: Range<usize>,
    layout: Layout,
) -> HashMap<usize, Result<Row, String>> {
    let t2 = spec().table2_for(layout == Layout::Y2019);
    let labels: Vec<Vec<char>> = t2
        .subtables
        .iter()
        .flat_map(|s| s.rows.iter().map(|r| key(&r.label)))
        .collect();
    let is_row_label = |row: &Row| {
        let k = key(row.own_label());
        !k.is_empty() && labels.iter().any(|l| similarity(&k, l) >= MATCH)
    };
    let caption = |row: &Row| contains(&key(&row.label_text()), "第二十条第");
    let mut out = HashMap::new();
    let idx: Vec<usize> = range.collect();
    for segment in idx.split(|&i| caption(&rows[i])) {
        let runs: Vec<usize> = (0..segment.len())
            .filter(|&p| stacked(&rows[segment[p]]))
            .collect();
        if runs.is_empty() {
            continue;
        }
        // A row label whose values stand on its own line keeps them (certain by layout).
        let open_label = |row: &Row| is_row_label(row) && (row.values.is_empty() || stacked(row));
        let after_label = runs.iter().all(|&p| is_row_label(&rows[segment[p]]));
        let before_label = runs
            .iter()
            .all(|&p| segment.get(p + 1).is_some_and(|&n| open_label(&rows[n])));
        if after_label && !before_label {
            continue;
        }
        let labelled: Vec<usize> = (0..segment.len())
            .filter(|&p| open_label(&rows[segment[p]]))
            .collect();
        if before_label && !after_label {
            for &p in &labelled {
                let row = &rows[segment[p]];
                let values = match p.checked_sub(1).map(|q| &rows[segment[q]]) {
                    Some(prev) if stacked(prev) => prev.values.clone(),
                    _ => Vec::new(),
                };
                out.insert(
                    segment[p],
                    Ok(Row {
                        labels: row.labels.clone(),
                        values,
                        delimited: false,
                        place: row.place.clone(),
                    }),
                );
            }
            continue;
        }
        let why = if after_label {
            "values printed one per line between row labels: they may belong to the label before or after them"
        } else {
            "values printed one per line apart from the row labels: cannot tell which row they belong to"
        };
        for &p in &labelled {
            out.insert(segment[p], Err(why.to_string()));
        }
    }
    out
}
