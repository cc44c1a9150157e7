//! The report's identity and section 一's figures: title, agency and year from the title
//! (`{agency}{year}年政府信息公开工作年度报告`, also `{year}年{agency}…`, wrapped over lines),
//! the count of proactively published items from the narrative.

use crate::label::compact;

/// Text without whitespace, full-width digits as ASCII, everything else as printed (an
/// agency name keeps its own brackets).
fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{200B}'..='\u{200D}' | '\u{FEFF}'))
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}
use crate::rows::Row;
use gongkai_core::report::cell::Place;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Identity {
    pub title: Option<String>,
    pub agency: Option<String>,
    pub year: Option<i32>,
    /// Where the agency's name was read: `title`, `text` or `metadata` (the title hint), and
    /// the place with the text it stood in.
    pub agency_from: Option<(&'static str, Place)>,
}

/// Where a title candidate came from.
#[derive(Debug, Clone)]
enum Origin {
    /// The file's metadata (HTML `<title>`, DOCX document properties).
    Hint,
    /// A title row of the body.
    Row(Place),
}

const TITLE_END: [&str; 4] = [
    "政府信息公开工作年度报告",
    "政务公开工作年度报告",
    "信息公开年度报告",
    "年度报告",
];

/// Rows to look at for the title, from the start.
const TITLE_ROWS: usize = 80;

pub fn identity(rows: &[Row], title_hint: Option<&str>) -> Identity {
    let mut id = Identity::default();
    let mut candidates: Vec<(String, Origin)> = Vec::new();
    for i in 0..rows.len().min(TITLE_ROWS) {
        let t = squeeze(&rows[i].label_text());
        if t.chars().count() > 80 || !t.contains("年度报告") || !rows[i].values.is_empty() {
            continue;
        }
        // The title may be wrapped: join up to two short rows above it.
        let mut joined = t.clone();
        for back in 1..=2 {
            if i < back {
                break;
            }
            let prev = squeeze(&rows[i - back].label_text());
            if prev.is_empty() || prev.chars().count() > 30 || prev.contains("年度报告") {
                break;
            }
            if parse_title(&joined).agency.is_some() && parse_title(&joined).year.is_some() {
                break;
            }
            joined = format!("{prev}{joined}");
        }
        candidates.push((joined, Origin::Row(rows[i].place.clone())));
        if candidates.len() >= 3 {
            break;
        }
    }
    if let Some(hint) = title_hint {
        for part in hint.split(['_', '|', '｜']) {
            let c = squeeze(part);
            if c.contains("年度报告") {
                candidates.insert(0, (c, Origin::Hint));
            }
        }
    }
    for (c, origin) in &candidates {
        let mut p = parse_title(c);
        let sentence = p.agency.as_ref().is_some_and(|a| a.contains(CLAUSE_MARKS));
        // A sentence that names the report (`根据…，现将{agency}2021年…年度报告公布如下`) is
        // not a title: only the name at its end counts, and only if it reads as one.
        p.agency = p.agency.and_then(|a| {
            if a.contains(CLAUSE_MARKS) {
                Some(sentence_tail(&a)).filter(|n| is_agency_name(n))
            } else {
                Some(a)
            }
        });
        if p.year.is_some() || p.agency.is_some() {
            id.title
                .get_or_insert_with(|| p.title.clone().unwrap_or_default());
            if id.agency.is_none() && p.agency.is_some() {
                id.agency = p.agency;
                id.agency_from = Some(match origin {
                    Origin::Hint => (
                        "metadata",
                        Place {
                            text: Some(c.clone()),
                            ..Place::default()
                        },
                    ),
                    Origin::Row(place) => (
                        if sentence { "text" } else { "title" },
                        Place {
                            text: Some(c.clone()),
                            ..place.clone()
                        },
                    ),
                });
            }
            if id.year.is_none() {
                id.year = p.year;
            }
        }
        if id.agency.is_some() && id.year.is_some() {
            break;
        }
    }
    if id.year.is_none() {
        id.year = statistics_year(rows);
    }
    if id.agency.is_none()
        && let Some((name, place)) = agency_from_text(rows)
    {
        id.agency = Some(name);
        id.agency_from = Some(("text", place));
    }
    id
}

/// Rows of the body searched for the agency's name: the introduction, and the contact
/// paragraph wherever it stands.
const BODY_ROWS: usize = 400;

/// Without a title (a report body pasted alone), the agency the body names, with the place
/// of the row it starts in and the sentence: `{agency}（以下简称“我局”）`, `本报告由{agency}根据…`,
/// Lines shorter than this (characters) and without [`SENTENCE_PUNCT`] are headings.
const HEADING_CHARS: usize = 25;
const SENTENCE_PUNCT: [char; 8] = ['，', '。', '；', '：', ',', ';', ':', '、'];

/// `{agency}{year}年政府信息公开工作年度报告` in the opening sentence, `请与{agency}联系`.
fn agency_from_text(rows: &[Row]) -> Option<(String, Place)> {
    // The prose rows joined (a sentence may be wrapped over lines), with where each starts.
    let mut text = String::new();
    let mut starts: Vec<(usize, usize)> = Vec::new();
    for (i, r) in rows.iter().enumerate().take(BODY_ROWS) {
        if !r.values.is_empty() {
            continue;
        }
        starts.push((text.len(), i));
        let line = squeeze(&r.text());
        text.push_str(&line);
        // A short line without punctuation is a heading, not part of a wrapped sentence: the
        // sentence after it starts afresh (「政府信息公开工作情况」 is not part of a name).
        if line.chars().count() < HEADING_CHARS && !line.contains(SENTENCE_PUNCT) {
            text.push('。');
        }
    }
    let found = |at: usize, name: String| -> Option<(String, Place)> {
        let n = name.chars().count();
        if !(3..=40).contains(&n) || name.contains(['，', '。', '；', ',', '：', ':']) {
            return None;
        }
        let row = starts
            .iter()
            .take_while(|(s, _)| *s <= at)
            .last()
            .map(|(_, i)| *i)?;
        let sentence_start = text[..at]
            .rfind(['。', '；'])
            .map_or(0, |i| i + '。'.len_utf8());
        let sentence_end = text[at..]
            .find('。')
            .map_or(text.len(), |i| at + i + '。'.len_utf8());
        let sentence: String = text[sentence_start..sentence_end]
            .chars()
            .take(120)
            .collect();
        Some((
            name,
            Place {
                text: Some(sentence),
                ..rows[row].place.clone()
            },
        ))
    };
    // `{agency}（以下简称“我局”）`: the name back to the clause's start.
    for marker in ["（以下简称", "(以下简称"] {
        let mut from = 0;
        while let Some(pos) = text[from..].find(marker).map(|p| p + from) {
            from = pos + marker.len();
            let head = &text[..pos];
            let clause = head
                .rfind(['，', '。', '；', '、', '：', ',', ':', '”', '》'])
                .map_or(0, |i| {
                    i + head[i..].chars().next().map_or(1, char::len_utf8)
                });
            let name = strip_year(&clean_agency(&head[clause..]));
            if is_agency_name(&name)
                && let Some(hit) = found(clause, name)
            {
                return Some(hit);
            }
        }
    }
    // `strict`: the phrase is common, so the name must read as a body's name.
    for (open, closes, strict) in [
        ("本报告由", &["根据", "依据", "按照", "编制"][..], false),
        ("本年度报告由", &["根据", "依据", "按照", "编制"][..], false),
        ("请与", &["联系"][..], false),
        ("请联系", &["。", "，", "（", "("][..], true),
        ("由", &["编制", "制作", "负责编写"][..], true),
    ] {
        let mut from = 0;
        while let Some(start) = text[from..].find(open).map(|i| i + from + open.len()) {
            from = start;
            let rest = &text[start..];
            let end = closes.iter().filter_map(|c| rest.find(c)).min();
            if let Some(end) = end {
                let name = clean_agency(&rest[..end]);
                if (is_agency_name(&name) || (!strict && is_plain_name(&name)))
                    && let Some(hit) = found(start, name)
                {
                    return Some(hit);
                }
            }
        }
    }
    // The opening sentence naming the report: `…现将{agency}2021年政府信息公开工作年度报告…`.
    let mut from = 0;
    while let Some(pos) = text[from..].find("年度报告").map(|p| p + from) {
        from = pos + "年度报告".len();
        let head = &text[..pos];
        let clause = head
            .rfind(['，', '。', '；', '：', ',', ':', '“', '《'])
            .map_or(0, |i| {
                i + head[i..].chars().next().map_or(1, char::len_utf8)
            });
        let p = parse_title(&sentence_tail(&text[clause..from]));
        if p.year.is_some()
            && let Some(name) = p.agency.filter(|n| is_agency_name(n))
            && let Some(hit) = found(clause, name)
        {
            return Some(hit);
        }
    }
    None
}

/// Clause punctuation: a name never holds it.
const CLAUSE_MARKS: [char; 10] = ['，', '。', '；', '：', ',', ':', '“', '《', '》', '、'];

/// The end of a sentence after its last clause mark, without the verb that introduces a
/// report's name (`现将`, `发布` …).
fn sentence_tail(s: &str) -> String {
    let start = s
        .rfind(CLAUSE_MARKS)
        .map_or(0, |i| i + s[i..].chars().next().map_or(1, char::len_utf8));
    let mut t = &s[start..];
    for lead in [
        "现将",
        "现发布",
        "现公布",
        "特发布",
        "发布",
        "公布",
        "本报告为",
        "本报告是",
    ] {
        if let Some(rest) = t.strip_prefix(lead) {
            t = rest;
        }
    }
    t.to_string()
}

/// `2023年，` or `2023年度` before a name.
fn strip_year(s: &str) -> String {
    let t = s.trim_start_matches(|c: char| c.is_ascii_digit());
    if t.len() < s.len() {
        let t = t
            .strip_prefix("年度")
            .or_else(|| t.strip_prefix('年'))
            .unwrap_or(t);
        return t.trim_start_matches(['，', ',']).to_string();
    }
    s.to_string()
}

/// A name as the introduction's fixed phrases give it (`本报告由…编制`, `请与…联系`): no
/// clause break, not a pronoun such as 我局.
fn is_plain_name(name: &str) -> bool {
    (3..=30).contains(&name.chars().count())
        && !name.contains(['，', '。', '；', ','])
        && !PRONOUNS.contains(&name)
}

const PRONOUNS: [&str; 8] = [
    "我局",
    "本局",
    "本机关",
    "我委",
    "我办",
    "本单位",
    "我单位",
    "我们",
];

/// The last characters of the names of Chinese government bodies (机关, 机构, 单位).
const AGENCY_ENDINGS: [&str; 24] = [
    "局",
    "委员会",
    "委",
    "政府",
    "办公室",
    "办公厅",
    "办",
    "中心",
    "厅",
    "院",
    "所",
    "部",
    "署",
    "管委会",
    "管理委员会",
    "事务所",
    "处",
    "站",
    "队",
    "馆",
    "街道",
    "镇",
    "乡",
    "公司",
];

/// A name found in the body or the metadata is kept only when it reads as a body's name:
/// 3–40 characters, no clause break, no digits, ending as government bodies' names end.
pub fn is_agency_name(name: &str) -> bool {
    let n = name.chars().count();
    (3..=40).contains(&n)
        && !name.contains(['，', '。', '；', ',', '：', ':', '“', '”', '（', '('])
        && !name.chars().any(|c| c.is_ascii_digit())
        && !PRONOUNS.contains(&name)
        && AGENCY_ENDINGS.iter().any(|e| name.ends_with(e))
}

/// Reads `{agency}{year}年(度)?…年度报告` or `{year}年(度)?{agency}…年度报告`.
pub fn parse_title(t: &str) -> Identity {
    // Markdown heading and emphasis marks, and a converter's "正文" (body) line.
    let t = t.trim_start_matches(['#', '*', '>', '_', ' ']);
    let t = t.trim_start_matches("正文");
    let Some(end) = TITLE_END.iter().find_map(|e| t.find(e)) else {
        return Identity::default();
    };
    let head = &t[..end];
    let chars: Vec<char> = head.chars().collect();
    // Years in the head: (char index, year, index after 年 or 年度).
    let mut years = Vec::new();
    let mut i = 0;
    while i + 4 < chars.len() + 1 {
        if i + 4 <= chars.len()
            && chars[i..i + 4].iter().all(|c| c.is_ascii_digit())
            && (i == 0 || !chars[i - 1].is_ascii_digit())
            && chars.get(i + 4) == Some(&'年')
        {
            let y: String = chars[i..i + 4].iter().collect();
            let mut after = i + 5;
            if chars.get(after) == Some(&'度') {
                after += 1;
            }
            if let Ok(y) = y.parse::<i32>()
                && (1990..=2100).contains(&y)
            {
                years.push((i, y, after));
            }
            i += 4;
        } else {
            i += 1;
        }
    }
    let mut out = Identity {
        title: Some(
            t[..end].to_string()
                + TITLE_END
                    .iter()
                    .find(|e| t[end..].starts_with(**e))
                    .copied()
                    .unwrap_or(""),
        ),
        ..Identity::default()
    };
    let Some(&(at, year, after)) = years.first() else {
        let agency = clean_agency(head);
        out.agency = (!agency.is_empty()).then_some(agency);
        return out;
    };
    out.year = Some(year);
    let before: String = chars[..at].iter().collect();
    let after: String = chars[after..].iter().collect();
    let agency = if clean_agency(&before).chars().count() >= 2 {
        clean_agency(&before)
    } else {
        clean_agency(&after)
    };
    out.agency = (agency.chars().count() >= 2).then_some(agency);
    out
}

fn clean_agency(s: &str) -> String {
    let s = s.trim_matches(|c: char| c.is_whitespace() || "：:，,。“”\"《》".contains(c));
    let s = s.strip_suffix("关于").unwrap_or(s);
    s.to_string()
}

/// `统计期限自 2024 年 1 月 1 日` and the like: the year the statistics cover.
fn statistics_year(rows: &[Row]) -> Option<i32> {
    let mut counts: std::collections::BTreeMap<i32, usize> = Default::default();
    for row in rows.iter().take(400) {
        let t = compact(&row.label_text());
        let chars: Vec<char> = t.chars().collect();
        for i in 0..chars.len().saturating_sub(4) {
            if chars[i..i + 4].iter().all(|c| c.is_ascii_digit())
                && (i == 0 || !chars[i - 1].is_ascii_digit())
                && chars[i + 4] == '年'
            {
                let y: String = chars[i..i + 4].iter().collect();
                if let Ok(y) = y.parse::<i32>()
                    && (1990..=2100).contains(&y)
                {
                    let tail: String = chars[i + 5..].iter().take(5).collect();
                    let weight = if tail.starts_with("1月1日") { 10 } else { 1 };
                    *counts.entry(y).or_default() += weight;
                }
            }
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(y, n)| (n, y))
        .map(|(y, _)| y)
}

/// Section 一's count of proactively published items, and counts by category when the
/// report lists them (`其中政策文件 1 条、机构职能 1 条…`).
pub fn proactive(narrative: &[Row]) -> Option<(u64, Vec<(String, u64)>)> {
    let text: String = narrative
        .iter()
        .map(|r| compact(&r.text()))
        .collect::<Vec<_>>()
        .concat();
    let chars: Vec<char> = text.chars().collect();
    let needle: Vec<char> = "主动公开".chars().collect();
    let mut from = 0;
    while let Some(pos) = find_from(&chars, &needle, from) {
        let window_end = (pos + 300).min(chars.len());
        if let Some((n, end)) = first_count(&chars[pos..window_end]) {
            let cats = categories(&chars[pos + end..]);
            return Some((n, cats));
        }
        from = pos + needle.len();
    }
    None
}

fn find_from(hay: &[char], needle: &[char], from: usize) -> Option<usize> {
    (from..hay.len().saturating_sub(needle.len() - 1)).find(|&i| hay[i..].starts_with(needle))
}

fn is_unit(c: char) -> bool {
    matches!(c, '条' | '件' | '次' | '个')
}

/// `公开|发布 … 信息 N (余)? 条|件|次`: the verb, at most 12 characters naming the information
/// (without a clause break or a digit), then the number. Returns the count and where its unit
/// ends.
fn first_count(w: &[char]) -> Option<(u64, usize)> {
    for i in 0..w.len().saturating_sub(1) {
        let verb = (w[i] == '公' && w[i + 1] == '开') || (w[i] == '发' && w[i + 1] == '布');
        if !verb {
            continue;
        }
        let mut j = i + 2;
        let start = j;
        while j < w.len() && j - start <= 12 && !w[j].is_ascii_digit() && !"。；，,;".contains(w[j])
        {
            j += 1;
        }
        if j >= w.len() || !w[j].is_ascii_digit() || j == start {
            continue;
        }
        let object: String = w[start..j].iter().collect();
        if !object.ends_with("信息") {
            continue;
        }
        let digits_start = j;
        while j < w.len() && w[j].is_ascii_digit() {
            j += 1;
        }
        let n: u64 = w[digits_start..j].iter().collect::<String>().parse().ok()?;
        if j < w.len() && w[j] == '余' {
            j += 1;
        }
        if j < w.len() && is_unit(w[j]) {
            return Some((n, j + 1));
        }
    }
    None
}

/// `（条）。其中政策文件1条、机构职能1条、…。`: every item must read, else none are kept.
fn categories(rest: &[char]) -> Vec<(String, u64)> {
    let s: String = rest.iter().take(400).collect();
    let s = s.trim_start_matches(['(', '（', ')', '）', '条', '件']);
    let s = s.trim_start_matches(['。', '，', ',', '；']);
    let Some(list) = s.strip_prefix("其中") else {
        return Vec::new();
    };
    let list = list.trim_start_matches(['：', ':']);
    let end = list.find('。').unwrap_or(list.len());
    let mut out = Vec::new();
    for item in list[..end].split(['、', '，', ',', '；']) {
        let item = item.trim();
        let digits_at = item.find(|c: char| c.is_ascii_digit());
        let Some(d) = digits_at else {
            return Vec::new();
        };
        let name = &item[..d];
        let rest = &item[d..];
        let num_end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = &rest[num_end..];
        let Ok(n) = rest[..num_end].parse::<u64>() else {
            return Vec::new();
        };
        if name.is_empty()
            || name.chars().any(|c| c.is_ascii_digit())
            || !["条", "件", "个", "次"].contains(&unit)
        {
            return Vec::new();
        }
        out.push((name.to_string(), n));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_in_both_orders() {
        let a = parse_title("淄博市张店区机关事务服务中心2021年政府信息公开工作年度报告");
        assert_eq!(a.agency.as_deref(), Some("淄博市张店区机关事务服务中心"));
        assert_eq!(a.year, Some(2021));
        let b = parse_title("2019年上海市人民政府办公厅政府信息公开工作年度报告");
        assert_eq!(b.agency.as_deref(), Some("上海市人民政府办公厅"));
        assert_eq!(b.year, Some(2019));
        let c = parse_title("平潭综合实验区管委会办公室2025年度政府信息公开工作年度报告");
        assert_eq!(c.agency.as_deref(), Some("平潭综合实验区管委会办公室"));
        assert_eq!(c.year, Some(2025));
    }

    fn prose(lines: &[&str]) -> Vec<Row> {
        lines
            .iter()
            .enumerate()
            .map(|(i, t)| Row {
                labels: vec![crate::rows::RawCell {
                    text: (*t).into(),
                    place: Default::default(),
                    x: None,
                }],
                place: Place {
                    line: Some(i as u32 + 1),
                    ..Place::default()
                },
                ..Row::default()
            })
            .collect()
    }

    #[test]
    fn agencies_named_in_the_body_with_their_sentence() {
        let (name, place) = agency_from_text(&prose(&[
            "一、总体情况",
            "2023年，某某市市场监督管理局（以下简称",
            "“我局”）坚持以习近平新时代中国特色社会主义思想为指导。",
        ]))
        .expect("found");
        assert_eq!(name, "某某市市场监督管理局");
        assert_eq!(place.line, Some(2));
        assert!(place.text.is_some_and(|t| t.contains("以下简称")));
        for (text, want) in [
            (
                "如对本报告有疑问，请与某某区人民政府办公室联系。",
                "某某区人民政府办公室",
            ),
            (
                "根据条例，现将某某县交通运输局2021年度政府信息公开工作年度报告公布如下：",
                "某某县交通运输局",
            ),
            (
                "本报告是根据《条例》要求，由某某市财政局编制。",
                "某某市财政局",
            ),
        ] {
            let found = agency_from_text(&prose(&[text])).map(|f| f.0);
            assert_eq!(found.as_deref(), Some(want), "{text}");
        }
        for text in [
            "如对本报告有疑问，请与我局联系。",
            "我局（以下简称“本局”）认真贯彻。",
            "本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。",
        ] {
            assert_eq!(agency_from_text(&prose(&[text])), None, "{text}");
        }
    }

    #[test]
    fn names_of_bodies_and_not_of_people() {
        assert!(is_agency_name("某某市市场监督管理局"));
        assert!(is_agency_name("某某区人民政府"));
        assert!(!is_agency_name("张三"));
        assert!(!is_agency_name("Administrator"));
        assert!(!is_agency_name("2023年某局"));
        assert!(!is_agency_name("我局"));
        assert_eq!(sentence_tail("根据要求，现将某某局"), "某某局");
    }

    #[test]
    fn proactive_total_and_categories() {
        let row = |t: &str| Row {
            labels: vec![crate::rows::RawCell {
                text: t.into(),
                place: Default::default(),
                x: None,
            }],
            ..Row::default()
        };
        let p = proactive(&[row(
            "（一）主动公开情况。2021 年共公开政务信息 85 次（条）。其中政策文件 1 条、会议公开 13 条。",
        )]);
        assert_eq!(
            p,
            Some((85, vec![("政策文件".into(), 1), ("会议公开".into(), 13)]))
        );
        assert_eq!(
            proactive(&[row("主动公开规章13件，行政规范性文件60件")]),
            None
        );
        assert_eq!(
            proactive(&[row("主动公开各类政"), row("府信息 5500 余条，全年")]).map(|p| p.0),
            Some(5500)
        );
    }
}
