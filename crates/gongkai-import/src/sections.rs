//! The narrative sections (一、总体情况, 五、存在的主要问题及改进情况, 六、其他需要报告的事项)
//! as text, so an imported report reads as a report. Informational: no rule reads them.
//! A section ends at the next section heading, a table, or the page furniture of a portal
//! (copyright, ICP number, print/close links).

use crate::label::{compact, contains, key};
use crate::rows::Row;
use crate::tables::Regions;
use crate::tables::regions::{heading, numbered};
use gongkai_core::report::Sections;

/// Most rows a section runs to; a longer run is not report text.
const MAX_ROWS: usize = 60;

/// Words of a portal's footer and toolbars, never of a report.
const FURNITURE: [&str; 19] = [
    "版权所有",
    "主办单位",
    "承办单位",
    "ICP",
    "网站标识码",
    "公网安备",
    "联系我们",
    "扫一扫",
    "打印本页",
    "关闭窗口",
    "相关链接",
    "分享到",
    "字体",
    "网站地图",
    "附件下载",
    "上一篇",
    "下一篇",
    "返回顶部",
    "【打印",
];

pub fn sections(rows: &[Row], regions: &Regions, wrapped: bool) -> Sections {
    let find = |from: usize, to: usize, phrase: &str, slack: usize| {
        (from..to.min(rows.len())).find(|&i| {
            let k = key(&rows[i].label_text());
            k.len() <= 40 && heading(&rows[i], &k, phrase, slack)
        })
    };
    let t2 = regions.t2.start;
    let overview = find(0, t2, "总体情况", 2).map(|h| text(rows, h + 1, t2, wrapped));
    let after = regions.t4.end.max(regions.t3.end);
    let other_at = find(after, rows.len(), "其他需要报告", 6);
    let problems = find(after, other_at.unwrap_or(rows.len()), "存在的主要问题", 16)
        .or_else(|| find(after, other_at.unwrap_or(rows.len()), "主要问题及改进", 16))
        .map(|h| text(rows, h + 1, other_at.unwrap_or(rows.len()), wrapped));
    let other = other_at.map(|h| text(rows, h + 1, rows.len(), wrapped));
    Sections {
        intro: None,
        overview: overview.filter(|s| !s.is_empty()),
        problems: problems.filter(|s| !s.is_empty()),
        other: other.filter(|s| !s.is_empty()),
    }
}

/// The paragraphs of rows `from..to`, stopping at a table, a section heading or page
/// furniture. Hard-wrapped text (`wrapped`) is rejoined: a new paragraph starts after a
/// full stop or colon, or at a numbered item.
fn text(rows: &[Row], from: usize, to: usize, wrapped: bool) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    for row in rows.iter().take(to.min(from + MAX_ROWS)).skip(from) {
        if row.delimited {
            break;
        }
        let t = row.text();
        let c = compact(&t);
        let k = key(&t);
        if FURNITURE.iter().any(|f| c.contains(f)) {
            break;
        }
        // The next numbered section (七、…) ends this one; sub-items (（一）, 1.) do not.
        if k.len() <= 20 && section_number(&c) {
            break;
        }
        if contains(&k, "政府信息公开工作年度报告") && k.len() <= 40 {
            break;
        }
        let t = t.trim().to_string();
        let start_new = !wrapped
            || paragraphs.is_empty()
            || numbered(&c)
            || paragraphs
                .last()
                .is_some_and(|p| p.ends_with(['。', '：', ':', '；', '！', '？']));
        if start_new {
            paragraphs.push(t);
        } else if let Some(last) = paragraphs.last_mut() {
            last.push_str(&t);
        }
    }
    paragraphs.join("\n")
}

/// `七、` — a top-level section number (not `（一）` or `1.`).
fn section_number(c: &str) -> bool {
    let mut chars = c.chars();
    let mut n = 0;
    for ch in chars.by_ref() {
        if "一二三四五六七八九十".contains(ch) {
            n += 1;
        } else {
            return n > 0 && ch == '、';
        }
    }
    false
}
