//! Crawled portal text: a page saved as text with every table cell joined without
//! separators (`一、本年新收政府信息公开申请数量580000058二、上年结转…`,
//! `1.属于国家秘密40000042.其他法律…`). The cell boundaries are lost, so each row's run of
//! digits is cut into cells by the row's own structure — the official labels around it and
//! the numbering of the next label, the row's 总计, table 三's column totals, the group totals
//! of table 四 — and a reading is accepted only when it is the only one left. Every other cell
//! is reported unreadable with the readings that remain (docs/reliability.md BI-IM-14).

mod segment;

use crate::assemble::Imported;
use crate::decode::Kind;
use crate::error::ImportError;
use crate::label::key;
use crate::number::fold_char;
use crate::rows::{Document, RawCell, Row};
use crate::tables::{Reading, Regions, Tables};
use gongkai_core::report::cell::Place;
use gongkai_core::report::format::spec;
use gongkai_core::report::{CellRef, Layout, OtherShape, T2Key, T3Col, T3Row, T4Col};
use std::collections::BTreeMap;

/// Labels of table 三 that a crawl prints right before a row's digits.
const PROBES: [&str; 4] = [
    "本年新收政府信息公开申请数量",
    "上年结转政府信息公开申请数量",
    "结转下年度继续办理",
    "予以公开",
];
/// Digits run together after a probe label that mark a crawl (a row of seven cells with
/// separators never prints five digits in one piece unless a number is that long).
const PROBE_DIGITS: usize = 5;
/// Largest text read as a crawl (a portal page is some tens of kilobytes).
const MAX_BYTES: usize = 4 * 1024 * 1024;
/// Readings listed in a message.
const SHOW: usize = 6;
/// Readings kept per row of table 三 when its total cuts it.
const ROW_LIMIT: usize = 64;
/// Joint readings of table 三 tried before giving up on the column totals.
const JOINT_LIMIT: usize = 1 << 14;

/// Whether `text` is crawled page text with run-together numbers: at least two of table 三's
/// row labels are followed directly by a run of digits.
pub(crate) fn detect(text: &str) -> bool {
    if text.len() > MAX_BYTES {
        return false;
    }
    let folded: String = text.chars().filter_map(fold_char).collect();
    let mut hits = 0;
    for probe in PROBES {
        let mut rest = folded.as_str();
        while let Some(i) = rest.find(probe) {
            let after = &rest[i + probe.len()..];
            let after = after.trim_start_matches([')', '”', '"']);
            let digits = after.chars().take_while(char::is_ascii_digit).count();
            if digits >= PROBE_DIGITS {
                hits += 1;
                break;
            }
            rest = &rest[i + probe.len()..];
        }
    }
    hits >= 2
}

/// Reads crawled page text.
pub(crate) fn import(text: &str, kind: Kind) -> Result<Imported, ImportError> {
    let page = Page::new(text);
    let marks = page.marks();
    let (doc, regions) = page.document(text, &marks);
    crate::assemble::assemble_with(doc, kind, None, |_, year| {
        page.tables(&marks, regions, year)
    })
}

/// The page as folded characters, each with its line and column, and the stream of label
/// characters (ideographs and letters, numbering removed as [`crate::label::key`] does).
struct Page {
    chars: Vec<char>,
    line: Vec<u32>,
    col: Vec<u32>,
    stream: Vec<(char, usize)>,
}

/// A label found in the page.
#[derive(Debug, Clone)]
struct Found {
    /// The first character of the label's numbering, or of the label when it has none.
    start: usize,
    /// The first character of the label's key.
    key_start: usize,
    /// After the label (closing brackets and quotes included).
    end: usize,
}

/// What a found label is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum What {
    Section(usize),
    Caption,
    T2Row(usize, usize),
    T3Group,
    T3Row(T3Row),
}

#[derive(Debug, Clone)]
struct Mark {
    at: Found,
    /// The label's numbering as printed in the format (`2.`, `(三)`, `四、`), folded.
    prefix: String,
    what: What,
}

/// Where the labels stand: section headings and the labels of each table, in page order.
struct Marks {
    all: Vec<Mark>,
    layout: Option<Layout>,
    shape: OtherShape,
}

fn is_ideograph(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

fn is_numeral(c: char) -> bool {
    "一二三四五六七八九十".contains(c) || c.is_ascii_digit()
}

/// The folded label without whitespace.
fn compact(s: &str) -> Vec<char> {
    s.chars()
        .filter_map(fold_char)
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The numbering before a label's key: `2.`, `(三)`, `四、`, or nothing.
fn prefix(label: &str) -> String {
    let c = compact(label);
    let k = key(label);
    let Some(first) = k.first() else {
        return String::new();
    };
    for i in 0..c.len() {
        if c[i] == *first && key(&c[i..].iter().collect::<String>()) == k {
            return c[..i].iter().collect();
        }
    }
    String::new()
}

impl Page {
    fn new(text: &str) -> Page {
        let mut chars = Vec::with_capacity(text.len());
        let mut line = Vec::with_capacity(text.len());
        let mut col = Vec::with_capacity(text.len());
        for (i, l) in text.split('\n').enumerate() {
            let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
            let mut c_no = 0u32;
            for ch in l.trim_end_matches('\r').chars() {
                c_no = c_no.saturating_add(1);
                if let Some(f) = fold_char(ch) {
                    chars.push(f);
                    line.push(n);
                    col.push(c_no);
                }
            }
            chars.push('\n');
            line.push(n);
            col.push(c_no.saturating_add(1));
        }
        // The label stream, by the logic of `label::key` over the non-whitespace characters.
        let comp: Vec<usize> = (0..chars.len())
            .filter(|&i| !chars[i].is_whitespace())
            .collect();
        let c = |j: usize| chars[comp[j]];
        let mut stream = Vec::new();
        let mut i = 0;
        while i < comp.len() {
            if c(i) == '(' {
                let mut j = i + 1;
                while j < comp.len() && j - i <= 3 && is_numeral(c(j)) {
                    j += 1;
                }
                if j > i + 1 && j < comp.len() && c(j) == ')' {
                    i = j + 1;
                    continue;
                }
            }
            if is_numeral(c(i)) && (i == 0 || !is_ideograph(c(i - 1)) || is_numeral(c(i - 1))) {
                let mut j = i;
                while j < comp.len() && j - i < 3 && is_numeral(c(j)) {
                    j += 1;
                }
                if j < comp.len() && matches!(c(j), '、' | '.' | ',' | '．') {
                    i = j + 1;
                    continue;
                }
            }
            if is_ideograph(c(i)) || c(i).is_ascii_alphabetic() {
                stream.push((c(i), comp[i]));
            }
            i += 1;
        }
        Page {
            chars,
            line,
            col,
            stream,
        }
    }

    /// Finds `label` starting at or after character `from` and ending before `to`. With
    /// `numbered`, the label's own numbering must stand before it (a section heading, not
    /// the introduction's list of the sections); with `exact`, the printed label is the
    /// format's character for character (the captions 第二十条第（一）项 … differ only so).
    fn find(
        &self,
        label: &str,
        from: usize,
        to: usize,
        numbered: bool,
        exact: bool,
    ) -> Option<Found> {
        let k = key(label);
        if k.is_empty() {
            return None;
        }
        let pre: Vec<char> = prefix(label).chars().collect();
        let want: Vec<char> = compact(label);
        let s0 = self.stream.partition_point(|&(_, i)| i < from);
        'outer: for p in s0..self.stream.len() {
            if p + k.len() > self.stream.len() {
                break;
            }
            let first = self.stream[p].1;
            let last = self.stream[p + k.len() - 1].1;
            if last >= to {
                break;
            }
            for (j, kc) in k.iter().enumerate() {
                if self.stream[p + j].0 != *kc {
                    continue 'outer;
                }
            }
            let span = &self.chars[first..=last];
            if span.iter().any(|c| *c == '\n' || c.is_ascii_digit()) {
                continue;
            }
            // The numbering right before the key (whitespace aside).
            let mut b = first;
            let mut got = pre.len();
            while got > 0 && b > 0 {
                let ch = self.chars[b - 1];
                if ch.is_whitespace() && ch != '\n' {
                    b -= 1;
                    continue;
                }
                if ch != pre[got - 1] {
                    break;
                }
                got -= 1;
                b -= 1;
            }
            let has_prefix = got == 0;
            if numbered && !pre.is_empty() && !has_prefix {
                continue;
            }
            if exact {
                let printed: Vec<char> = span
                    .iter()
                    .copied()
                    .filter(|c| !c.is_whitespace())
                    .collect();
                if !want[pre.len().min(want.len())..].starts_with(&printed) {
                    continue;
                }
            }
            let mut end = last + 1;
            while end < self.chars.len()
                && matches!(self.chars[end], ')' | '”' | '"' | '’' | '」' | '』' | ']')
            {
                end += 1;
            }
            return Some(Found {
                start: if has_prefix { b } else { first },
                key_start: first,
                end,
            });
        }
        None
    }

    fn place(&self, at: usize, text: Option<String>) -> Place {
        let at = at.min(self.chars.len().saturating_sub(1));
        Place {
            line: self.line.get(at).copied(),
            column: self.col.get(at).copied(),
            text,
            ..Place::default()
        }
    }

    fn text(&self, from: usize, to: usize) -> String {
        self.chars[from.min(to)..to.min(self.chars.len())]
            .iter()
            .collect()
    }

    /// Every label of the report found in page order.
    fn marks(&self) -> Marks {
        let n = self.chars.len();
        let mut all: Vec<Mark> = Vec::new();
        let sections = &spec().sections;
        let section = |i: usize, from: usize, all: &mut Vec<Mark>| -> Option<Found> {
            let label = &sections[i].label;
            let variants: &[&str] = if sections[i].key == "problems" {
                // The 2019 wording, a common variant, and the words every variant shares.
                &[
                    "五、政府信息公开工作存在的主要问题及改进情况",
                    "五、存在的主要问题及改进措施",
                    "五、存在的主要问题",
                ]
            } else {
                &[]
            };
            let found = std::iter::once(label.as_str())
                .chain(variants.iter().copied())
                .find_map(|l| self.find(l, from, n, true, false))?;
            all.push(Mark {
                at: found.clone(),
                prefix: prefix(label),
                what: What::Section(i),
            });
            Some(found)
        };
        let overview = section(0, 0, &mut all);
        let t2 = section(1, overview.as_ref().map_or(0, |f| f.end), &mut all);
        let t3_from = t2.as_ref().or(overview.as_ref()).map_or(0, |f| f.end);
        let t3 = section(2, t3_from, &mut all);
        let t4 = section(3, t3.as_ref().map_or(t3_from, |f| f.end), &mut all);
        let after = t4.as_ref().or(t3.as_ref()).map_or(t3_from, |f| f.end);
        let problems = section(4, after, &mut all);
        section(5, problems.as_ref().map_or(after, |f| f.end), &mut all);

        // Table 二: captions and rows between its heading and table 三.
        let t2_from = t2.as_ref().map_or(0, |f| f.end);
        let t2_to = t3.as_ref().map_or(n, |f| f.start);
        let head = self.text(t2_from, t2_to);
        let hk = key(&head);
        let has = |p: &str| crate::label::contains(&hk, p);
        let layout = if has("本年制发件数") || has("本年处理决定数量") {
            Some(Layout::Y2021)
        } else if has("本年新制作数量") || has("上一年项目数量") {
            Some(Layout::Y2019)
        } else {
            None
        };
        if t2.is_some() {
            let mut cursor = t2_from;
            let t2spec = spec().table2_for(layout == Some(Layout::Y2019));
            for (si, sub) in t2spec.subtables.iter().enumerate() {
                let Some(cap) = self.find(&sub.caption, cursor, t2_to, false, true) else {
                    continue;
                };
                cursor = cap.end;
                all.push(Mark {
                    at: cap.clone(),
                    prefix: String::new(),
                    what: What::Caption,
                });
                let sub_end = t2spec
                    .subtables
                    .iter()
                    .skip(si + 1)
                    .find_map(|s| self.find(&s.caption, cursor, t2_to, false, true))
                    .map_or(t2_to, |f| f.start);
                let other = spec()
                    .table2_for(layout != Some(Layout::Y2019))
                    .subtable(&sub.key);
                for (ri, row) in sub.rows.iter().enumerate() {
                    // The other layout's label of the same row (规范性文件 / 行政规范性文件).
                    let alt = other
                        .and_then(|o| o.rows.iter().find(|r| r.key == row.key))
                        .map(|r| r.label.as_str());
                    let found = self
                        .find(&row.label, cursor, sub_end, false, false)
                        .or_else(|| alt.and_then(|a| self.find(a, cursor, sub_end, false, false)));
                    if let Some(f) = found {
                        cursor = f.end;
                        all.push(Mark {
                            at: f,
                            prefix: prefix(&row.label),
                            what: What::T2Row(si, ri),
                        });
                    }
                }
            }
        }

        // Table 三: groups and rows in the format's order, in either shape.
        let t3_from = t3.as_ref().map_or(t2_to.min(n), |f| f.end);
        let t3_to = t4.as_ref().map_or(n, |f| f.start);
        let mut best: Option<(usize, OtherShape, Vec<Mark>)> = None;
        for shape in [OtherShape::Split, OtherShape::Single] {
            let mut marks = Vec::new();
            let mut cursor = t3_from;
            let mut emitted: Vec<&str> = Vec::new();
            let mut rows_found = 0;
            for &row in T3Row::rows(shape) {
                for g in row.groups() {
                    if emitted.contains(&g.as_str()) {
                        continue;
                    }
                    emitted.push(g);
                    if let Some(f) = self.find(g, cursor, t3_to, true, false) {
                        cursor = f.end;
                        marks.push(Mark {
                            at: f,
                            prefix: prefix(g),
                            what: What::T3Group,
                        });
                    }
                }
                if let Some(f) = self.find(row.label(), cursor, t3_to, true, false) {
                    cursor = f.end;
                    rows_found += 1;
                    marks.push(Mark {
                        at: f,
                        prefix: prefix(row.label()),
                        what: What::T3Row(row),
                    });
                }
            }
            // The single row is printed in the split shape too, as a group label.
            let score = rows_found * 2 + usize::from(shape == OtherShape::Split);
            if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
                best = Some((score, shape, marks));
            }
        }
        let (shape, t3_marks) = best.map_or((OtherShape::Split, Vec::new()), |(_, s, m)| (s, m));
        all.extend(t3_marks);
        all.sort_by_key(|m| m.at.key_start);
        Marks { all, layout, shape }
    }

    /// The text between a label and the next one: the row's run, without the next label's
    /// numbering. `None` when there is no next label.
    fn run_after(&self, marks: &Marks, index: usize) -> Option<(usize, String)> {
        let this = &marks.all[index];
        let next = marks.all.get(index + 1)?;
        let mut to = next.at.key_start;
        let pre: Vec<char> = next.prefix.chars().collect();
        if !pre.is_empty() && next.at.start < next.at.key_start {
            to = next.at.start;
        }
        let mut from = this.at.end;
        while from < to && self.chars[from].is_whitespace() {
            from += 1;
        }
        while to > from && self.chars[to - 1].is_whitespace() {
            to -= 1;
        }
        Some((from, self.text(from, to)))
    }

    /// The rows of the document: prose cut at section headings and sentences, and one row
    /// per table heading, so that identity, narrative sections and regions read as usual.
    fn document(&self, text: &str, marks: &Marks) -> (Document, Regions) {
        let n = self.chars.len();
        let section = |i: usize| {
            marks
                .all
                .iter()
                .find(|m| m.what == What::Section(i))
                .map(|m| m.at.clone())
        };
        let heads: Vec<Option<Found>> = (0..6).map(section).collect();
        let table_from = heads[1]
            .as_ref()
            .or(heads[2].as_ref())
            .or(heads[3].as_ref())
            .map_or(n, |f| f.start);
        let table_to = heads[4]
            .as_ref()
            .or(heads[5].as_ref())
            .map(|f| f.start)
            .unwrap_or(n);
        let mut rows = Vec::new();
        let cuts: Vec<usize> = heads
            .iter()
            .flatten()
            .flat_map(|f| [f.start, f.end])
            .collect();
        self.prose(0, table_from, &cuts, &mut rows);
        let mut at = [rows.len(); 4];
        for (k, h) in heads.iter().enumerate().take(4).skip(1) {
            at[k] = rows.len();
            if let Some(f) = h {
                rows.push(self.row(f.start, f.end));
            }
        }
        at[0] = at[1];
        let post = rows.len();
        self.prose(table_to.max(table_from), n, &cuts, &mut rows);
        let regions = Regions {
            narrative: 0..at[1],
            t2: at[1]..at[2],
            t3: at[2]..at[3],
            t4: at[3]..post,
        };
        let title_hint = text
            .lines()
            .next()
            .and_then(|l| {
                let l = l.trim();
                l.strip_prefix("标题:").or_else(|| l.strip_prefix("标题："))
            })
            .map(|t| t.trim().to_string());
        (Document { rows, title_hint }, regions)
    }

    fn row(&self, from: usize, to: usize) -> Row {
        let text = self.text(from, to).trim().to_string();
        let place = self.place(from, None);
        Row {
            labels: vec![RawCell {
                text,
                place: place.clone(),
                x: None,
            }],
            values: Vec::new(),
            delimited: false,
            place,
        }
    }

    /// Prose from `from` to `to` as rows: cut at line ends, headings and full stops.
    fn prose(&self, from: usize, to: usize, cuts: &[usize], rows: &mut Vec<Row>) {
        let mut start = from;
        for i in from..to {
            let c = self.chars[i];
            let cut_before = cuts.contains(&i) && i > start;
            if cut_before {
                self.push_prose(start, i, rows);
                start = i;
            }
            if c == '\n' || c == '。' {
                self.push_prose(start, i + 1, rows);
                start = i + 1;
            }
        }
        self.push_prose(start, to, rows);
    }

    fn push_prose(&self, from: usize, to: usize, rows: &mut Vec<Row>) {
        if to > from && !self.text(from, to).trim().is_empty() {
            rows.push(self.row(from, to));
        }
    }

    /// The three tables read from their runs.
    fn tables(&self, marks: &Marks, regions: Regions, year: Option<i32>) -> Tables {
        let layout = marks
            .layout
            .or(year.map(Layout::for_year))
            .unwrap_or(Layout::Y2021);
        let mut cells = BTreeMap::new();
        self.table2(marks, layout, &mut cells);
        self.table3(marks, &mut cells);
        self.table4(marks, &mut cells);
        Tables {
            layout,
            shape: marks.shape,
            cells,
            regions,
        }
    }

    fn near(&self, marks: &Marks, what: impl Fn(What) -> bool) -> Option<Place> {
        marks
            .all
            .iter()
            .find(|m| what(m.what))
            .map(|m| self.place(m.at.start, None))
    }

    /// A read cell: its digits, the line and column where they stand, the printed run.
    fn cell(&self, run_at: usize, offset: usize, digits: String, run: &str) -> Reading {
        let at = self.place(run_at + offset, Some(run.to_string()));
        Reading::Read(RawCell {
            text: digits,
            place: at,
            x: None,
        })
    }

    fn table2(&self, marks: &Marks, layout: Layout, out: &mut BTreeMap<CellRef, Reading>) {
        let t2 = spec().table2_for(layout == Layout::Y2019);
        let keys = T2Key::all(layout);
        let fallback = self.near(marks, |w| w == What::Section(1));
        for (si, sub) in t2.subtables.iter().enumerate() {
            for (ri, row) in sub.rows.iter().enumerate() {
                let cols: Vec<T2Key> = keys
                    .iter()
                    .copied()
                    .filter(|k| k.sub == sub.key && k.row == row.key)
                    .collect();
                let index = marks.all.iter().position(|m| m.what == What::T2Row(si, ri));
                let Some(index) = index else {
                    for k in cols {
                        out.insert(
                            CellRef::T2(k),
                            Reading::Missing {
                                near: fallback.clone(),
                                why: format!("row 「{}」 not found in the crawled text", row.label),
                            },
                        );
                    }
                    continue;
                };
                let Some((at, run)) = self.run_after(marks, index) else {
                    continue;
                };
                let amount = cols.first().is_some_and(|k| k.is_amount());
                let refs: Vec<CellRef> = cols.iter().copied().map(CellRef::T2).collect();
                if cols.len() == 1 {
                    let reading = match one_cell(&run, amount) {
                        Some(v) => self.cell(at, 0, v, &run),
                        None => Reading::Missing {
                            near: Some(self.place(at, Some(run.clone()))),
                            why: format!("run-together digits: 「{run}」 is not one printed value"),
                        },
                    };
                    out.insert(refs[0], reading);
                } else {
                    put_row(self, out, &refs, at, &run, cut_plain(&run, cols.len()));
                }
            }
        }
    }

    fn table3(&self, marks: &Marks, out: &mut BTreeMap<CellRef, Reading>) {
        let rows = T3Row::rows(marks.shape);
        let fallback = self.near(marks, |w| w == What::Section(2));
        let mut runs: Vec<Option<(usize, String)>> = Vec::new();
        let mut why: Vec<Option<String>> = Vec::new();
        for &row in rows {
            let index = marks.all.iter().position(|m| m.what == What::T3Row(row));
            let run = index.and_then(|i| self.run_after(marks, i));
            why.push(match (&index, &run) {
                (None, _) => Some(format!("row 「{}」 not found in the crawled text", row.label())),
                (Some(_), None) => Some("nothing follows the row's label".into()),
                (Some(_), Some((_, r))) if r.is_empty() || !r.chars().all(|c| c.is_ascii_digit()) => {
                    Some(format!("「{r}」 is not a run of digits"))
                }
                (Some(_), Some((_, r))) if r.len() < T3Col::ALL.len() => Some(format!(
                    "「{r}」 has fewer digits than the row has cells: a cell is blank and the run does not say which"
                )),
                _ => None,
            });
            runs.push(run);
        }
        let digits: Vec<Option<&[u8]>> = runs
            .iter()
            .zip(&why)
            .map(|(r, w)| match (r, w) {
                (Some((_, r)), None) => Some(r.as_bytes()),
                _ => None,
            })
            .collect();
        let solved = solve_t3(rows, &digits);
        for (i, &row) in rows.iter().enumerate() {
            let refs: Vec<CellRef> = T3Col::ALL.iter().map(|&c| CellRef::T3(row, c)).collect();
            let Some((at, run)) = &runs[i] else {
                for r in refs {
                    out.insert(
                        r,
                        Reading::Missing {
                            near: fallback.clone(),
                            why: why[i].clone().unwrap_or_default(),
                        },
                    );
                }
                continue;
            };
            let readings = match &why[i] {
                Some(w) => Err(w.clone()),
                None => solved[i].clone(),
            };
            put_row(self, out, &refs, *at, run, readings);
        }
    }

    fn table4(&self, marks: &Marks, out: &mut BTreeMap<CellRef, Reading>) {
        let refs: Vec<CellRef> = T4Col::all().map(CellRef::T4).collect();
        let index = marks.all.iter().position(|m| m.what == What::Section(3));
        let fallback = self.near(marks, |w| w == What::Section(3));
        let Some(index) = index else {
            for r in refs {
                out.insert(
                    r,
                    Reading::Missing {
                        near: fallback.clone(),
                        why: "table 四 not found in the crawled text".into(),
                    },
                );
            }
            return;
        };
        // The header (no digits), then the one row of 15 cells, then the next heading.
        let from = marks.all[index].at.end;
        let to = marks
            .all
            .get(index + 1)
            .map_or(self.chars.len(), |m| m.at.start);
        let first = (from..to)
            .find(|&i| self.chars[i].is_ascii_digit())
            .unwrap_or(to);
        let mut end = first;
        while end < to && self.chars[end].is_ascii_digit() {
            end += 1;
        }
        let head = self.text(from, first);
        let run = self.text(first, end);
        let run_at = first;
        // What follows must end the table: the next heading, a line end, or `五、`/`六、`.
        let after: String = self.chars[end..self.chars.len().min(end + 2)]
            .iter()
            .collect();
        let ends = end == to
            || self.chars[end] == '\n'
            || ["五、", "六、", "五.", "六."].contains(&after.as_str());
        let text = self.text(from, to.min(end + 20));
        let readings = if run.is_empty() || !ends || head.chars().count() > 400 {
            Err(format!(
                "no run of digits that ends table 四 after its header (「{text}」)"
            ))
        } else if run.len() < refs.len() {
            Err(format!(
                "「{run}」 has fewer digits than table 四 has cells: a cell is blank and the run does not say which"
            ))
        } else {
            match segment::cuts(run.as_bytes(), refs.len(), 5, ROW_LIMIT) {
                Ok(found) if !found.is_empty() => t4_agree(&run, refs.len(), &found),
                Ok(_) => match segment::certain(run.as_bytes(), refs.len()) {
                    Some(cells) => Ok((cells.into_iter().map(Some).collect(), String::new())),
                    None => Err(format!(
                        "「{run}」: no cut where each group's 总计 is the sum of its four outcomes, and more than one without"
                    )),
                },
                Err(_) => Err(format!("「{run}」 has too many readings")),
            }
        };
        put_row(self, out, &refs, run_at, &run, readings);
    }
}

/// A single printed cell: a whole number without a leading zero, an amount for amount
/// cells, or a not-applicable marker.
fn one_cell(run: &str, amount: bool) -> Option<String> {
    if run == "/" {
        return Some(run.to_string());
    }
    let (int, frac) = match run.split_once('.') {
        Some((i, f)) if amount => (i, Some(f)),
        Some(_) => return None,
        None => (run, None),
    };
    let int_ok = !int.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && (int.len() == 1 || !int.starts_with('0'));
    let frac_ok = frac.is_none_or(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()));
    (int_ok && frac_ok && int.len() <= 15).then(|| run.to_string())
}

/// A row's reading: each cell's value where it is certain, and what remains for the others.
type RowReading = Result<(Vec<Option<u64>>, String), String>;

/// A row without totals (table 二): read only when the run has a single reading, even
/// allowing blank cells.
fn cut_plain(run: &str, n: usize) -> RowReading {
    if run.is_empty() || !run.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("「{run}」 is not a run of digits"));
    }
    if let Some(cells) = segment::certain(run.as_bytes(), n) {
        return Ok((cells.into_iter().map(Some).collect(), String::new()));
    }
    if run.len() < n {
        return Err(format!(
            "「{run}」 has fewer digits than the row has cells: a cell is blank and the run does not say which"
        ));
    }
    Err(match segment::cuts(run.as_bytes(), n, 0, SHOW) {
        Ok(found) if found.len() == 1 => {
            // One cut into every cell, but others if a cell was left blank.
            let blank = (1..n).rev().find_map(|k| {
                segment::cuts(run.as_bytes(), k, 0, 1)
                    .ok()
                    .and_then(|f| f.into_iter().next())
            });
            format!(
                "「{run}」 is {} only if no cell is blank ({} with a blank cell), and the row has no total to choose",
                segment::show(&found[0]),
                blank.map_or_else(|| "another reading".into(), |b| segment::show(&b) + "|"),
            )
        }
        Ok(found) => format!(
            "「{run}」 can be cut {} ways ({}) and the row has no total to choose",
            found.len(),
            list(&found)
        ),
        Err(_) => format!(
            "「{run}」 can be cut more than {SHOW} ways ({}, …) and the row has no total to choose",
            list(&segment::cuts(run.as_bytes(), n, 0, usize::MAX).unwrap_or_default())
        ),
    })
}

fn list(found: &[Vec<u64>]) -> String {
    let mut s = found
        .iter()
        .take(SHOW)
        .map(|c| segment::show(c))
        .collect::<Vec<_>>()
        .join(", ");
    if found.len() > SHOW {
        s.push_str(", …");
    }
    s
}

/// The cells all readings agree on; the others stay `None`, with the readings listed.
fn agree(found: &[Vec<u64>], run: &str) -> RowReading {
    let Some(first) = found.first() else {
        return Err(format!("「{run}」 has no reading"));
    };
    let cells: Vec<Option<u64>> = (0..first.len())
        .map(|i| found.iter().all(|f| f[i] == first[i]).then_some(first[i]))
        .collect();
    let why = format!(
        "「{run}」 has {} readings that agree with the totals ({})",
        found.len(),
        list(found)
    );
    if cells.iter().all(Option::is_none) {
        return Err(why);
    }
    Ok((cells, why))
}

/// Table 四 has no column totals to check a cut against: a cell is read only where every cut
/// whose group totals add up, and every cut that would leave one cell blank (a blank 总计, or
/// a blank outcome no larger than its 总计 allows), give it the same value. `2|5|2|1|10` adds
/// up, but so does `|2|5|2|110` with a blank 维持.
fn t4_agree(run: &str, n: usize, found: &[Vec<u64>]) -> RowReading {
    let mut all: Vec<Vec<Option<u64>>> = found
        .iter()
        .map(|c| c.iter().copied().map(Some).collect())
        .collect();
    let mut blank_example = None;
    for b in 0..n {
        match segment::cuts_with_blank(run.as_bytes(), n, 5, b, ROW_LIMIT) {
            Ok(v) => {
                if blank_example.is_none() {
                    blank_example = v.first().map(|r| segment::show_blank(r));
                }
                all.extend(v);
            }
            Err(_) => {
                return Err(format!(
                    "「{run}」 has too many readings if a cell was left blank"
                ));
            }
        }
    }
    let first = &all[0];
    let cells: Vec<Option<u64>> = (0..n)
        .map(|i| first[i].filter(|v| all.iter().all(|r| r[i] == Some(*v))))
        .collect();
    let why = match blank_example {
        Some(b) => format!(
            "「{run}」 reads {} where the group totals add up, and also {b} if a cell was left blank",
            list(found)
        ),
        None => format!(
            "「{run}」 has {} readings that add up ({})",
            found.len(),
            list(found)
        ),
    };
    if cells.iter().all(Option::is_none) {
        return Err(why);
    }
    Ok((cells, why))
}

/// Table 三: each row cut so that its 总计 is the sum of its six columns; then the column
/// totals (T3-1: new + carried over = processed + carried forward; T3-2: processed = the
/// sum of the outcome rows) over every combination of the rows' readings. When some row has
/// no reading that adds up, the report's own totals are wrong somewhere and no total is
/// trusted: only runs with a single reading even allowing blank cells are read.
fn solve_t3(rows: &[T3Row], digits: &[Option<&[u8]>]) -> Vec<RowReading> {
    let n = T3Col::ALL.len();
    let mut domains: Vec<Option<Vec<Vec<u64>>>> = Vec::with_capacity(rows.len());
    let mut broken: Option<usize> = None;
    for (i, d) in digits.iter().enumerate() {
        domains.push(match d {
            None => None,
            Some(d) => match segment::cuts(d, n, n, ROW_LIMIT) {
                Ok(v) => {
                    if v.is_empty() {
                        broken.get_or_insert(i);
                    }
                    Some(v)
                }
                Err(_) => None,
            },
        });
    }
    let used = if broken.is_none() {
        joint(rows, &domains)
    } else {
        None
    };
    let distrust = match broken {
        Some(b) => format!(
            "no cut of row 「{}」 has a 总计 equal to the sum of its columns, so the printed totals are not used",
            rows[b].label()
        ),
        None => "the rows' readings do not agree with the column totals, so the printed totals are not used".into(),
    };
    (0..rows.len())
        .map(|i| {
            let Some(d) = digits[i] else {
                return Err(String::new());
            };
            let run = String::from_utf8_lossy(d).into_owned();
            if let (Some(used), Some(dom)) = (&used, &domains[i]) {
                let kept: Vec<Vec<u64>> = dom
                    .iter()
                    .zip(&used[i])
                    .filter(|(_, u)| **u)
                    .map(|(c, _)| c.clone())
                    .collect();
                return agree(&kept, &run);
            }
            if let Some(cells) = segment::certain(d, n) {
                return Ok((cells.into_iter().map(Some).collect(), String::new()));
            }
            Err(match &domains[i] {
                None => format!("「{run}」 has too many readings"),
                Some(dom) if used.is_none() && broken.is_some() => {
                    if dom.is_empty() {
                        format!("「{run}」: {distrust}; more than one cut without them")
                    } else {
                        format!("「{run}」: {distrust}; readings that add up: {}", list(dom))
                    }
                }
                Some(dom) => format!("「{run}」: {distrust}; readings that add up: {}", list(dom)),
            })
        })
        .collect()
}

/// For each row and each of its readings, whether some combination of readings of all rows
/// meets the column totals; `None` when no combination does (or there are too many to try).
fn joint(rows: &[T3Row], domains: &[Option<Vec<Vec<u64>>>]) -> Option<Vec<Vec<bool>>> {
    let at = |r: T3Row| rows.iter().position(|&x| x == r);
    let mut constraints: Vec<Vec<(usize, i128)>> = Vec::new();
    let mut t32: Vec<(usize, i128)> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is_outcome())
        .map(|(i, _)| (i, 1))
        .collect();
    if let Some(p) = at(T3Row::TotalProcessed) {
        t32.push((p, -1));
        constraints.push(t32);
    }
    if let (Some(a), Some(b), Some(c), Some(d)) = (
        at(T3Row::NewReceived),
        at(T3Row::CarriedOver),
        at(T3Row::TotalProcessed),
        at(T3Row::CarriedForward),
    ) {
        constraints.push(vec![(a, 1), (b, 1), (c, -1), (d, -1)]);
    }
    // A constraint over a row that could not be cut says nothing.
    constraints.retain(|c| c.iter().all(|&(r, _)| domains[r].is_some()));
    let mut used: Vec<Vec<bool>> = domains
        .iter()
        .map(|d| vec![true; d.as_ref().map_or(0, Vec::len)])
        .collect();
    let mut vars: Vec<usize> = (0..rows.len())
        .filter(|&r| constraints.iter().any(|c| c.iter().any(|&(x, _)| x == r)))
        .collect();
    vars.sort_unstable();
    vars.dedup();
    let mut product: usize = 1;
    for &v in &vars {
        product = product.saturating_mul(domains[v].as_ref().map_or(1, Vec::len));
        used[v].iter_mut().for_each(|u| *u = false);
    }
    if product > JOINT_LIMIT {
        return None;
    }
    let mut var_of = vec![None; rows.len()];
    for (p, &v) in vars.iter().enumerate() {
        var_of[v] = Some(p);
    }
    let mut choice = vec![0usize; vars.len()];
    let mut any = false;
    for _ in 0..product {
        let value = |r: usize, col: usize| -> i128 {
            let k = var_of[r].map_or(0, |p| choice[p]);
            domains[r]
                .as_ref()
                .and_then(|d| d.get(k))
                .map_or(0, |cells| i128::from(cells[col]))
        };
        let ok = constraints.iter().all(|c| {
            (0..T3Col::ALL.len())
                .all(|col| c.iter().map(|&(r, k)| k * value(r, col)).sum::<i128>() == 0)
        });
        if ok {
            any = true;
            for (p, &v) in vars.iter().enumerate() {
                used[v][choice[p]] = true;
            }
        }
        // The next combination.
        for (p, &v) in vars.iter().enumerate() {
            choice[p] += 1;
            if choice[p] < domains[v].as_ref().map_or(1, Vec::len) {
                break;
            }
            choice[p] = 0;
        }
    }
    any.then_some(used)
}

/// The offset of each certain cell in the run: known from the start while every cell before
/// is known, and from the end while every cell after is.
fn offsets(cells: &[Option<u64>], run_len: usize) -> Vec<Option<(usize, u64)>> {
    let len = |v: u64| v.to_string().len();
    let mut out: Vec<Option<(usize, u64)>> = cells.iter().map(|c| c.map(|v| (0, v))).collect();
    let mut at = 0;
    let mut forward = 0;
    for c in cells {
        let Some(v) = c else { break };
        out[forward] = Some((at, *v));
        at += len(*v);
        forward += 1;
    }
    let mut end = run_len;
    for i in (forward..cells.len()).rev() {
        let Some(v) = cells[i] else { break };
        end = end.saturating_sub(len(v));
        out[i] = Some((end, v));
    }
    out
}

/// Writes a row's readings: each certain cell with its place, the others with the reason.
fn put_row(
    page: &Page,
    out: &mut BTreeMap<CellRef, Reading>,
    refs: &[CellRef],
    run_at: usize,
    run: &str,
    readings: RowReading,
) {
    let near = Some(page.place(run_at, Some(run.to_string())));
    match readings {
        Ok((cells, why)) if cells.len() == refs.len() => {
            for (r, c) in refs.iter().zip(offsets(&cells, run.len())) {
                let reading = match c {
                    Some((offset, v)) => page.cell(run_at, offset, v.to_string(), run),
                    None => Reading::Missing {
                        near: near.clone(),
                        why: format!("run-together digits: {why}"),
                    },
                };
                out.insert(*r, reading);
            }
        }
        Ok(_) => {
            for r in refs {
                out.insert(
                    *r,
                    Reading::Missing {
                        near: near.clone(),
                        why: format!("run-together digits: 「{run}」 does not fit the row"),
                    },
                );
            }
        }
        Err(why) => {
            for r in refs {
                out.insert(
                    *r,
                    Reading::Missing {
                        near: near.clone(),
                        why: format!("run-together digits: {why}"),
                    },
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crawls_are_told_from_text_with_separators() {
        let crawl = "一、本年新收政府信息公开申请数量580000058二、上年结转政府信息公开申请数量0000000三、本年度办理结果";
        assert!(detect(crawl));
        let layout = "一、本年新收政府信息公开申请数量 58 0 0 0 0 0 58\n二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0\n";
        assert!(!detect(layout));
        let tabs = "一、本年新收政府信息公开申请数量\t58\t0\t0\t0\t0\t0\t58\n二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\n";
        assert!(!detect(tabs));
    }

    #[test]
    fn a_label_number_after_a_run_belongs_to_the_next_label() {
        let page =
            Page::new("（三）不予公开1.属于国家秘密40000042.其他法律行政法规禁止公开0000000");
        let a = page
            .find("1.属于国家秘密", 0, usize::MAX, true, false)
            .expect("first");
        let b = page
            .find("2.其他法律行政法规禁止公开", a.end, usize::MAX, true, false)
            .expect("second");
        let marks = Marks {
            all: vec![
                Mark {
                    at: a,
                    prefix: "1.".into(),
                    what: What::T3Group,
                },
                Mark {
                    at: b,
                    prefix: "2.".into(),
                    what: What::T3Group,
                },
            ],
            layout: None,
            shape: OtherShape::Split,
        };
        assert_eq!(
            page.run_after(&marks, 0).map(|r| r.1),
            Some("4000004".into())
        );
    }

    #[test]
    fn section_headings_need_their_number() {
        let page =
            Page::new("包括总体情况、主动公开政府信息情况等。二、主动公开政府信息情况第二十条");
        let f = page
            .find("二、主动公开政府信息情况", 0, usize::MAX, true, false)
            .expect("heading");
        assert_eq!(page.text(f.start, f.end), "二、主动公开政府信息情况");
    }
}
