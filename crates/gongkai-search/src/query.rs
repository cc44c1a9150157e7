//! A citizen's query (docs/search.md#queries): checked, cut into groups — quoted phrases and runs
//! of words — and built into a tantivy query programmatically. No query-parser syntax is exposed:
//! `+ - : * ( ) [ ] ^ ~ " AND OR` are ordinary characters here.

use gongkai_core::ids::AgencyId;
use serde::{Deserialize, Serialize};
use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};

use crate::analysis::{fold, query_chars, query_words};
use crate::codes::query_keys;
use crate::schema::Fields;

/// At most this many characters of query text, after trimming.
pub const MAX_QUERY_CHARS: usize = 100;
/// At most this many hits per page.
pub const MAX_PER_PAGE: usize = 100;
/// Results beyond this rank are not served (page × per_page).
pub const MAX_RESULT_WINDOW: usize = 10_000;

/// Score of an exact 文号/索引号 match: above any word match.
const EXACT_SCORE: f32 = 10_000.0;
/// Weights of the fields in word matching.
const TITLE_BOOST: f32 = 3.0;
const BODY_BOOST: f32 = 1.0;
const META_BOOST: f32 = 0.5;

/// What a citizen asked for: the text typed into the box, the facets chosen and the page.
/// Missing fields deserialise to the defaults (no facet, page 1 of 10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchQuery {
    pub text: String,
    pub agency: Option<AgencyId>,
    /// 栏目.
    pub column: Option<String>,
    /// 主题分类.
    pub subject: Option<String>,
    /// Year of publication.
    pub year: Option<i32>,
    /// 1-based.
    pub page: usize,
    pub per_page: usize,
}

impl SearchQuery {
    /// The first page of 10 hits for `text`, without facets chosen.
    pub fn new(text: impl Into<String>) -> SearchQuery {
        SearchQuery {
            text: text.into(),
            ..SearchQuery::default()
        }
    }
}

impl Default for SearchQuery {
    fn default() -> SearchQuery {
        SearchQuery {
            text: String::new(),
            agency: None,
            column: None,
            subject: None,
            year: None,
            page: 1,
            per_page: 10,
        }
    }
}

/// A query the index will not run; the web answers 400 with `zh()`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("the query is empty")]
    Empty,
    #[error("the query has {chars} characters; at most {max} are allowed")]
    TooLong { chars: usize, max: usize },
    #[error("page {page} of {per_page} hits is out of range (1 to {max_per_page} hits a page, the first {max_window} results)", max_per_page = MAX_PER_PAGE, max_window = MAX_RESULT_WINDOW)]
    BadPage { page: usize, per_page: usize },
}

impl QueryError {
    /// The message shown to the citizen.
    pub fn zh(&self) -> String {
        match self {
            QueryError::Empty => "请输入要搜索的内容。".to_string(),
            QueryError::TooLong { chars, max } => {
                format!("搜索内容过长（{chars}个字），请缩短到{max}个字以内。")
            }
            QueryError::BadPage { .. } => format!(
                "页码超出范围：每页最多{MAX_PER_PAGE}条，只能查看前{MAX_RESULT_WINDOW}条结果。"
            ),
        }
    }
}

/// A group of the query: every group must match (in the strict pass).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Group {
    /// Unquoted text between separators: its jieba words, and the text itself as a substring.
    Words { text: String, words: Vec<String> },
    /// Quoted text: an exact substring (punctuation and spaces inside are ignored).
    Phrase(String),
}

/// The checked and analysed query.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    groups: Vec<Group>,
    /// Exact keys (文号/索引号) the text may name.
    keys: Vec<String>,
    /// Every string to highlight in titles and snippets (folded), longest first.
    pub(crate) needles: Vec<String>,
    pub(crate) offset: usize,
    pub(crate) limit: usize,
}

const QUOTES: [(char, char); 5] = [
    ('"', '"'),
    ('“', '”'),
    ('「', '」'),
    ('『', '』'),
    ('\'', '\''),
];

impl Plan {
    pub(crate) fn new(q: &SearchQuery) -> Result<Plan, QueryError> {
        let text = q.text.trim();
        if text.is_empty() {
            return Err(QueryError::Empty);
        }
        let chars = text.chars().count();
        if chars > MAX_QUERY_CHARS {
            return Err(QueryError::TooLong {
                chars,
                max: MAX_QUERY_CHARS,
            });
        }
        let bad_page = QueryError::BadPage {
            page: q.page,
            per_page: q.per_page,
        };
        if q.page == 0 || q.per_page == 0 || q.per_page > MAX_PER_PAGE {
            return Err(bad_page);
        }
        let offset = (q.page - 1)
            .checked_mul(q.per_page)
            .filter(|o| {
                o.checked_add(q.per_page)
                    .is_some_and(|end| end <= MAX_RESULT_WINDOW)
            })
            .ok_or(bad_page)?;

        let folded = fold(text);
        let mut groups = Vec::new();
        for (piece, quoted) in split_quotes(&folded) {
            if quoted {
                if !query_chars(&piece).is_empty() {
                    groups.push(Group::Phrase(piece));
                }
                continue;
            }
            for run in piece.split(|c: char| !c.is_alphanumeric()) {
                if run.is_empty() {
                    continue;
                }
                let words = query_words(run);
                let group = Group::Words {
                    text: run.to_string(),
                    words,
                };
                if !groups.contains(&group) {
                    groups.push(group);
                }
            }
        }
        let mut needles: Vec<String> = Vec::new();
        for group in &groups {
            // Single characters cut out of a longer text (年 of 2021年) are not highlighted.
            let strings: Vec<&String> = match group {
                Group::Words { text, words } => std::iter::once(text)
                    .chain(words.iter().filter(|w| w.chars().count() > 1))
                    .collect(),
                Group::Phrase(text) => vec![text],
            };
            for s in strings {
                let s = s.trim();
                if !s.is_empty() && !needles.iter().any(|n| n == s) {
                    needles.push(s.to_string());
                }
            }
        }
        needles.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
        Ok(Plan {
            groups,
            keys: query_keys(text),
            needles,
            offset,
            limit: q.per_page,
        })
    }

    /// True when nothing in the text can match (only punctuation).
    pub(crate) fn is_void(&self) -> bool {
        self.groups.is_empty() && self.keys.is_empty()
    }

    /// True when the relaxed pass may find what the strict one did not.
    pub(crate) fn can_relax(&self) -> bool {
        self.groups.len() > 1
            || self
                .groups
                .iter()
                .any(|g| matches!(g, Group::Words { words, .. } if words.len() > 1))
    }

    /// The query: exact keys, or every group (strict) / any group or word (relaxed); then the
    /// chosen facets as filters.
    pub(crate) fn query(&self, f: &Fields, q: &SearchQuery, relaxed: bool) -> Box<dyn Query> {
        let mut main: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for key in &self.keys {
            let term = TermQuery::new(
                Term::from_field_text(f.exact, key),
                IndexRecordOption::Basic,
            );
            main.push((
                Occur::Should,
                Box::new(ConstScoreQuery::new(Box::new(term), EXACT_SCORE)),
            ));
        }
        if relaxed {
            for group in &self.groups {
                main.extend(group_clauses(f, group, true));
            }
        } else if !self.groups.is_empty() {
            let all: Vec<(Occur, Box<dyn Query>)> = self
                .groups
                .iter()
                .map(|g| -> (Occur, Box<dyn Query>) {
                    (
                        Occur::Must,
                        Box::new(BooleanQuery::new(group_clauses(f, g, false))),
                    )
                })
                .collect();
            main.push((Occur::Should, Box::new(BooleanQuery::new(all))));
        }

        let mut top: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, Box::new(BooleanQuery::new(main)))];
        let mut filter = |term: Term| {
            let query = TermQuery::new(term, IndexRecordOption::Basic);
            top.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(query), 0.0)),
            ));
        };
        if let Some(agency) = q.agency {
            filter(Term::from_field_i64(f.agency, agency.get()));
        }
        if let Some(column) = &q.column {
            filter(Term::from_field_text(f.column, column));
        }
        if let Some(subject) = &q.subject {
            filter(Term::from_field_text(f.subject, subject));
        }
        if let Some(year) = q.year {
            filter(Term::from_field_i64(f.year, i64::from(year)));
        }
        Box::new(BooleanQuery::new(top))
    }
}

/// The alternatives by which one group matches (each a `Should`): the words in title, body and
/// metadata — all of them (strict) or each one (relaxed) — and the text as a substring of each.
fn group_clauses(f: &Fields, group: &Group, relaxed: bool) -> Vec<(Occur, Box<dyn Query>)> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let text = match group {
        Group::Words { text, words } => {
            let per_word: Vec<Box<dyn Query>> = words
                .iter()
                .map(|w| -> Box<dyn Query> {
                    Box::new(BooleanQuery::new(vec![
                        word(f.title_words, w, TITLE_BOOST),
                        word(f.body_words, w, BODY_BOOST),
                        word(f.meta_words, w, META_BOOST),
                    ]))
                })
                .collect();
            if relaxed || per_word.len() == 1 {
                clauses.extend(per_word.into_iter().map(|q| (Occur::Should, q)));
            } else if !per_word.is_empty() {
                let all = per_word.into_iter().map(|q| (Occur::Must, q)).collect();
                clauses.push((Occur::Should, Box::new(BooleanQuery::new(all))));
            }
            text
        }
        Group::Phrase(text) => text,
    };
    let terms = query_chars(text);
    for (field, boost) in [
        (f.title_chars, TITLE_BOOST),
        (f.body_chars, BODY_BOOST),
        (f.meta_chars, META_BOOST),
    ] {
        if let Some(q) = substring(field, &terms) {
            clauses.push((Occur::Should, Box::new(BoostQuery::new(q, boost))));
        }
    }
    clauses
}

fn word(field: Field, word: &str, boost: f32) -> (Occur, Box<dyn Query>) {
    let q = TermQuery::new(
        Term::from_field_text(field, word),
        IndexRecordOption::WithFreqs,
    );
    (Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost)))
}

/// The character terms as one term or a phrase: a substring match.
fn substring(field: Field, terms: &[(usize, String)]) -> Option<Box<dyn Query>> {
    match terms {
        [] => None,
        [(_, one)] => Some(Box::new(TermQuery::new(
            Term::from_field_text(field, one),
            IndexRecordOption::WithFreqs,
        ))),
        _ => Some(Box::new(PhraseQuery::new_with_offset(
            terms
                .iter()
                .map(|(p, t)| (*p, Term::from_field_text(field, t)))
                .collect(),
        ))),
    }
}

/// Splits text into (piece, quoted) at matching quote pairs; an unmatched quote is an ordinary
/// character (and so a separator).
fn split_quotes(text: &str) -> Vec<(String, bool)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut i = 0;
    while i < chars.len() {
        let close = QUOTES
            .iter()
            .find(|(open, _)| *open == chars[i])
            .and_then(|(_, close)| chars[i + 1..].iter().position(|c| c == close));
        match close {
            Some(len) => {
                if !plain.is_empty() {
                    out.push((std::mem::take(&mut plain), false));
                }
                out.push((chars[i + 1..i + 1 + len].iter().collect(), true));
                i += len + 2;
            }
            None => {
                plain.push(chars[i]);
                i += 1;
            }
        }
    }
    if !plain.is_empty() {
        out.push((plain, false));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(text: &str) -> Result<Plan, QueryError> {
        Plan::new(&SearchQuery::new(text))
    }

    #[test]
    fn length_is_bounded_after_trimming() {
        assert_eq!(plan("   ").err(), Some(QueryError::Empty));
        let long = "公".repeat(MAX_QUERY_CHARS + 1);
        assert_eq!(
            plan(&long).err(),
            Some(QueryError::TooLong {
                chars: MAX_QUERY_CHARS + 1,
                max: MAX_QUERY_CHARS
            })
        );
        let padded = format!("  {}  ", "公".repeat(MAX_QUERY_CHARS));
        assert!(plan(&padded).is_ok());
        assert!(
            QueryError::TooLong {
                chars: 101,
                max: 100
            }
            .zh()
            .contains("100")
        );
    }

    #[test]
    fn pages_are_bounded() {
        let mut q = SearchQuery::new("节能");
        for (page, per_page, ok) in [
            (0, 10, false),
            (1, 0, false),
            (1, 101, false),
            (1, 100, true),
            (1000, 10, true),
            (1001, 10, false),
            (usize::MAX, 10, false),
            (usize::MAX / 10, 10, false),
            (usize::MAX / 100, 100, false),
        ] {
            q.page = page;
            q.per_page = per_page;
            assert_eq!(Plan::new(&q).is_ok(), ok, "{page} {per_page}");
        }
    }

    #[test]
    fn quotes_make_phrases_and_unmatched_quotes_are_text() {
        assert_eq!(
            split_quotes("节能 \"宣传 周\" “学雷锋”"),
            [
                ("节能 ".to_string(), false),
                ("宣传 周".to_string(), true),
                (" ".to_string(), false),
                ("学雷锋".to_string(), true)
            ]
        );
        assert_eq!(split_quotes("\"节能"), [("\"节能".to_string(), false)]);
        let p = plan("“学雷锋” 志愿").expect("plan");
        assert_eq!(p.groups.len(), 2);
        assert!(matches!(&p.groups[0], Group::Phrase(t) if t == "学雷锋"));
    }

    #[test]
    fn syntax_characters_are_separators() {
        let p = plan("title:节能 AND (公务用车^2) -办公 [2021 TO 2022] *~ \\").expect("plan");
        let texts: Vec<&str> = p
            .groups
            .iter()
            .map(|g| match g {
                Group::Words { text, .. } | Group::Phrase(text) => text.as_str(),
            })
            .collect();
        assert_eq!(
            texts,
            [
                "title",
                "节能",
                "and",
                "公务用车",
                "2",
                "办公",
                "2021",
                "to",
                "2022"
            ]
        );
        assert!(plan("《》“”+-").expect("plan").is_void());
    }
}
