//! Table 二 (主动公开政府信息情况): sub-tables of 第二十条, one row per kind of information.
//! Rows are found by their official label; the layout (2021 or 2019) by the column headings.

use super::{Reading, near, place_values};
use crate::label::{contains, key, similarity};
use crate::rows::Row;
use gongkai_core::report::format::spec;
use gongkai_core::report::{CellRef, Layout, T2Key};
use std::collections::BTreeMap;
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
    let candidates: Vec<(usize, Vec<char>)> = range
        .clone()
        .filter(|&i| !rows[i].values.is_empty() && !rows[i].labels.is_empty())
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
            match place_values(row, keys.len(), None) {
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
