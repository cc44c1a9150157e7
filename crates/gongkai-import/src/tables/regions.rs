//! Where each table stands: the section headings and captions of the format, matched by
//! their ideographs in short rows (a long paragraph that lists every section title, as the
//! introduction does, is not a heading).

use crate::label::{compact, contains, key};
use crate::rows::Row;
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regions {
    /// Rows before table 二: the narrative of section 一.
    pub narrative: Range<usize>,
    pub t2: Range<usize>,
    pub t3: Range<usize>,
    pub t4: Range<usize>,
}

/// A heading or caption: a row without values that is the phrase, give or take `slack`
/// ideographs, and starts with it or with a section number. A hard-wrapped paragraph line
/// that happens to quote the phrase is longer than that.
pub(crate) fn heading(row: &Row, k: &[char], phrase: &str, slack: usize) -> bool {
    if row.printed_values() > 0 || !contains(k, phrase) {
        return false;
    }
    let plen = phrase.chars().count();
    if k.len() > plen + slack {
        return false;
    }
    let starts = k.starts_with(&phrase.chars().collect::<Vec<_>>());
    starts || numbered(&compact(&row.label_text()))
}

/// Starts with a section number: `四、`, `(三)`, `3.`.
pub(crate) fn numbered(t: &str) -> bool {
    let mut chars = t.chars().peekable();
    let bracket = chars.peek() == Some(&'(');
    if bracket {
        chars.next();
    }
    let mut n = 0;
    while chars
        .peek()
        .is_some_and(|c| "一二三四五六七八九十".contains(*c) || c.is_ascii_digit())
    {
        chars.next();
        n += 1;
    }
    n > 0
        && match chars.next() {
            Some(')') => bracket,
            Some('、' | '.' | ',') => !bracket,
            _ => false,
        }
}

fn find(rows: &[Row], from: usize, pred: impl Fn(&Row, &[char]) -> bool) -> Option<usize> {
    (from..rows.len()).find(|&i| {
        let k = key(&rows[i].label_text());
        k.len() <= 400 && pred(&rows[i], &k)
    })
}

impl Regions {
    pub fn find(rows: &[Row]) -> Regions {
        let n = rows.len();
        let t2 = find(rows, 0, |r, k| {
            heading(r, k, "主动公开政府信息情况", 2) || heading(r, k, "第二十条第", 2)
        });
        let t3_from = t2.map(|i| i + 1).unwrap_or(0);
        let t3 = find(rows, t3_from, |r, k| {
            heading(r, k, "收到和处理政府信息公开申请", 3)
                || (contains(k, "勾稽关系") && k.len() <= 120)
                || (r.printed_values() >= 3 && contains(k, "本年新收"))
        });
        let t4_from = t3.or(t2).map(|i| i + 1).unwrap_or(0);
        let t4 = find(rows, t4_from, |r, k| {
            r.printed_values() == 0
                && contains(k, "行政复议")
                && contains(k, "行政诉讼")
                && k.len() <= 18
        });
        let end_from = t4.map(|i| i + 1).unwrap_or(n);
        let end = find(rows, end_from, |r, k| {
            heading(r, k, "存在的主要问题", 16)
                || heading(r, k, "主要问题及改进", 16)
                || heading(r, k, "其他需要报告", 6)
        })
        .unwrap_or(n);
        let t3_start = t3.unwrap_or(t3_from);
        let t2_start = t2.unwrap_or(0);
        let t2_end = t3.or(t4).unwrap_or(n).max(t2_start);
        let t3_end = t4.unwrap_or(end).max(t3_start);
        let t4_range = match t4 {
            Some(i) => i..end.max(i),
            None => end..end,
        };
        Regions {
            narrative: 0..t2.unwrap_or(t3_start.min(t2_end)),
            t2: t2_start..t2_end,
            t3: t3_start..t3_end,
            t4: t4_range,
        }
    }
}
