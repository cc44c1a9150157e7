//! Periodic review of published information (定期清理, docs/cleanup.md): which published items a
//! review campaign lists and why, the decisions it records on each, and what changed. 条例
//! Art. 10 and Art. 20 make the agency keep its 法定主动公开内容 current — in particular the
//! 有效性 of its 规章 and 行政规范性文件, which table 二 第二十条第（一）项 counts.

use crate::calendar::iso;
use crate::catalog::{Validity, ValidityStatus};
use serde::{Deserialize, Serialize};
use time::Date;

/// What makes an item due for review; configurable per campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewRules {
    /// Items (other than 规章 and 行政规范性文件) published at least this many years ago.
    pub max_age_years: u8,
    /// 规章 and 行政规范性文件 in force at least this many years since 实施日期 (or 成文日期):
    /// the usual term of a 行政规范性文件 is at most five years, after which it is assessed.
    pub normative_term_years: u8,
}

impl Default for ReviewRules {
    fn default() -> ReviewRules {
        ReviewRules {
            max_age_years: 3,
            normative_term_years: 5,
        }
    }
}

/// The longest age a campaign may set.
pub const MAX_YEARS: u8 = 50;

/// What the review looks at of one published item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFacts {
    pub published_on: Date,
    pub formed_on: Date,
    pub column: String,
    /// The current 有效性 of a 规章 or 行政规范性文件; `None` for other items.
    pub validity: Option<Validity>,
    /// Attachments whose stored content no longer matches the size and SHA-256 recorded when
    /// they were uploaded.
    pub damaged_attachments: Vec<String>,
    /// Links in the body to items of this catalogue that are withdrawn or do not exist.
    pub dead_links: Vec<String>,
}

/// Why an item is listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// Marked 有效 although its 有效期 ended.
    TermEnded {
        ends_on: Date,
    },
    /// In force for the normative term: assess whether it still is.
    TermReached {
        since: Date,
        years: u8,
    },
    /// Published long ago: still current?
    Aged {
        published_on: Date,
        years: u8,
    },
    AttachmentDamaged {
        name: String,
    },
    DeadLink {
        target: String,
    },
    /// Its column is no longer one of the agency's columns (renamed or removed).
    ColumnGone {
        column: String,
    },
}

impl Reason {
    /// The stable key (filters, CSV).
    pub fn key(&self) -> &'static str {
        match self {
            Reason::TermEnded { .. } => "term_ended",
            Reason::TermReached { .. } => "term_reached",
            Reason::Aged { .. } => "aged",
            Reason::AttachmentDamaged { .. } => "attachment_damaged",
            Reason::DeadLink { .. } => "dead_link",
            Reason::ColumnGone { .. } => "column_gone",
        }
    }

    /// What staff read.
    pub fn zh(&self) -> String {
        match self {
            Reason::TermEnded { ends_on } => {
                format!("有效期已于{}届满，仍标注为有效", iso(*ends_on))
            }
            Reason::TermReached { since, years } => {
                format!("自{}起施行已满{years}年，需评估是否继续有效", iso(*since))
            }
            Reason::Aged {
                published_on,
                years,
            } => {
                format!("发布于{}，已超过{years}年", iso(*published_on))
            }
            Reason::AttachmentDamaged { name } => format!("附件“{name}”已损坏（内容与上传时不符）"),
            Reason::DeadLink { target } => format!("正文链接{target}指向已撤回或不存在的信息"),
            Reason::ColumnGone { column } => format!("所属栏目“{column}”已更名或撤销"),
        }
    }
}

/// The same day `years` later (28 February for 29 February in a common year).
fn years_after(d: Date, years: u8) -> Date {
    let y = d.year() + i32::from(years);
    Date::from_calendar_date(y, d.month(), d.day())
        .or_else(|_| Date::from_calendar_date(y, d.month(), 28))
        .unwrap_or(Date::MAX)
}

/// Why an item is due for review on `today` under `rules`, given the agency's current
/// `columns`; empty when it is not.
pub fn reasons(
    item: &ItemFacts,
    rules: ReviewRules,
    columns: &[String],
    today: Date,
) -> Vec<Reason> {
    let mut out = Vec::new();
    match item.validity {
        Some(v) if v.status == ValidityStatus::Valid => match v.ends_on {
            Some(ends_on) if ends_on <= today => out.push(Reason::TermEnded { ends_on }),
            _ => {
                let since = v.effective_on.unwrap_or(item.formed_on);
                if years_after(since, rules.normative_term_years) <= today {
                    out.push(Reason::TermReached {
                        since,
                        years: rules.normative_term_years,
                    });
                }
            }
        },
        // 失效 and 废止 documents stay published as they are: nothing to decide.
        Some(_) => {}
        None => {
            if years_after(item.published_on, rules.max_age_years) <= today {
                out.push(Reason::Aged {
                    published_on: item.published_on,
                    years: rules.max_age_years,
                });
            }
        }
    }
    out.extend(
        item.damaged_attachments
            .iter()
            .map(|name| Reason::AttachmentDamaged { name: name.clone() }),
    );
    out.extend(item.dead_links.iter().map(|target| Reason::DeadLink {
        target: target.clone(),
    }));
    if !columns.is_empty() && !columns.contains(&item.column) {
        out.push(Reason::ColumnGone {
            column: item.column.clone(),
        });
    }
    out
}

/// The targets of links in a body (sanitised HTML) to items of this catalogue: `/items/ID`,
/// with or without a host, as written.
pub fn item_links(body_html: &str) -> Vec<(String, i64)> {
    let mut out: Vec<(String, i64)> = Vec::new();
    let mut rest = body_html;
    while let Some(at) = rest.find("href=") {
        rest = &rest[at + 5..];
        let quote = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => q,
            _ => continue,
        };
        let Some(end) = rest[1..].find(quote) else {
            break;
        };
        let href = &rest[1..1 + end];
        rest = &rest[1 + end..];
        let path = match href.find("://") {
            Some(p) => href[p + 3..].find('/').map_or("", |s| &href[p + 3 + s..]),
            None => href,
        };
        let Some(tail) = path.strip_prefix("/items/") else {
            continue;
        };
        let digits: String = tail.chars().take_while(char::is_ascii_digit).collect();
        let after = &tail[digits.len()..];
        if !(after.is_empty() || after.starts_with(['/', '?', '#'])) {
            continue;
        }
        if let Ok(id) = digits.parse::<i64>()
            && !out.iter().any(|(h, _)| h == href)
        {
            out.push((href.to_string(), id));
        }
    }
    out
}

/// What a review decides on one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Decision {
    /// Still current: kept as it is.
    Keep,
    /// Marked 失效 from a day.
    Expire,
    /// Marked 废止 from a day.
    Repeal,
    /// Taken down from the portal (its 索引号 is never reused).
    Withdraw,
}

impl Decision {
    pub const ALL: [Decision; 4] = [
        Decision::Keep,
        Decision::Expire,
        Decision::Repeal,
        Decision::Withdraw,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Decision::Keep => "keep",
            Decision::Expire => "expire",
            Decision::Repeal => "repeal",
            Decision::Withdraw => "withdraw",
        }
    }

    pub fn parse(s: &str) -> Option<Decision> {
        let s = s.trim();
        Decision::ALL
            .into_iter()
            .find(|d| d.key() == s || d.label() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Decision::Keep => "保留",
            Decision::Expire => "标注失效",
            Decision::Repeal => "标注废止",
            Decision::Withdraw => "撤回",
        }
    }

    /// The 有效性 it sets, for a decision that changes it.
    pub fn validity_status(self) -> Option<ValidityStatus> {
        match self {
            Decision::Expire => Some(ValidityStatus::Expired),
            Decision::Repeal => Some(ValidityStatus::Repealed),
            Decision::Keep | Decision::Withdraw => None,
        }
    }
}

/// Why a decision is refused, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionError {
    pub en: String,
    pub zh: String,
}

fn refuse(en: impl Into<String>, zh: impl Into<String>) -> DecisionError {
    DecisionError {
        en: en.into(),
        zh: zh.into(),
    }
}

/// Checks a decision on an item before anything is written: 失效 and 废止 only for 规章 and
/// 行政规范性文件, with the day it takes effect; a reason for everything but keeping.
pub fn check_decision(
    decision: Decision,
    normative: bool,
    on: Option<Date>,
    reason: Option<&str>,
) -> Result<(), DecisionError> {
    if decision.validity_status().is_some() {
        if !normative {
            return Err(refuse(
                "only 规章 and 行政规范性文件 have a validity to mark",
                format!("只有规章和行政规范性文件可以{}", decision.label()),
            ));
        }
        if on.is_none() {
            return Err(refuse(
                "the day it ceased to be in force is required",
                format!("{}需填写失效或废止日期", decision.label()),
            ));
        }
    }
    if decision != Decision::Keep && reason.is_none_or(|r| r.trim().is_empty()) {
        return Err(refuse(
            format!("a reason is required to {}", decision.key()),
            format!("{}需填写理由", decision.label()),
        ));
    }
    Ok(())
}

/// What a campaign changed so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub listed: u64,
    pub kept: u64,
    pub expired: u64,
    pub repealed: u64,
    pub withdrawn: u64,
    pub pending: u64,
}

impl Tally {
    /// Counts the decisions of a campaign's entries (`None`: not yet decided).
    pub fn of(decisions: impl IntoIterator<Item = Option<Decision>>) -> Tally {
        let mut t = Tally::default();
        for d in decisions {
            t.listed += 1;
            match d {
                None => t.pending += 1,
                Some(Decision::Keep) => t.kept += 1,
                Some(Decision::Expire) => t.expired += 1,
                Some(Decision::Repeal) => t.repealed += 1,
                Some(Decision::Withdraw) => t.withdrawn += 1,
            }
        }
        t
    }

    /// One sentence: 「清理信息N条，保留N条，标注失效N条，标注废止N条，撤回N条，待处理N条」
    /// (zero counts left out, except the listed total).
    pub fn sentence(&self) -> String {
        let mut s = format!("清理信息{}条", self.listed);
        for (label, n) in [
            ("保留", self.kept),
            ("标注失效", self.expired),
            ("标注废止", self.repealed),
            ("撤回", self.withdrawn),
            ("待处理", self.pending),
        ] {
            if n > 0 {
                s.push_str(&format!("，{label}{n}条"));
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 06);

    fn facts(published_on: Date) -> ItemFacts {
        ItemFacts {
            published_on,
            formed_on: published_on,
            column: "通知公告".into(),
            validity: None,
            damaged_attachments: vec![],
            dead_links: vec![],
        }
    }

    fn cols() -> Vec<String> {
        vec!["通知公告".into(), "政策文件".into()]
    }

    #[test]
    fn recent_items_are_not_listed_and_old_ones_are() {
        let rules = ReviewRules::default();
        assert!(reasons(&facts(date!(2024 - 01 - 01)), rules, &cols(), TODAY).is_empty());
        let old = reasons(&facts(date!(2023 - 12 - 06)), rules, &cols(), TODAY);
        assert_eq!(
            old,
            vec![Reason::Aged {
                published_on: date!(2023 - 12 - 06),
                years: 3
            }]
        );
        assert_eq!(old[0].zh(), "发布于2023-12-06，已超过3年");
        // The day before the anniversary is not yet due.
        assert!(reasons(&facts(date!(2023 - 12 - 07)), rules, &cols(), TODAY).is_empty());
    }

    #[test]
    fn normative_documents_are_judged_by_their_term_not_their_age() {
        let rules = ReviewRules::default();
        let mut f = facts(date!(2018 - 03 - 01));
        f.validity = Some(
            Validity::new(ValidityStatus::Valid, Some(date!(2022 - 01 - 01)), None).expect("ok"),
        );
        assert!(reasons(&f, rules, &cols(), TODAY).is_empty(), "in its term");
        f.validity = Some(
            Validity::new(ValidityStatus::Valid, Some(date!(2021 - 12 - 06)), None).expect("ok"),
        );
        assert_eq!(
            reasons(&f, rules, &cols(), TODAY),
            vec![Reason::TermReached {
                since: date!(2021 - 12 - 06),
                years: 5
            }]
        );
        // A 有效期 that ended while it is still marked 有效.
        f.validity = Some(
            Validity::new(
                ValidityStatus::Valid,
                Some(date!(2025 - 01 - 01)),
                Some(date!(2026 - 06 - 30)),
            )
            .expect("ok"),
        );
        let r = reasons(&f, rules, &cols(), TODAY);
        assert_eq!(
            r,
            vec![Reason::TermEnded {
                ends_on: date!(2026 - 06 - 30)
            }]
        );
        assert_eq!(r[0].zh(), "有效期已于2026-06-30届满，仍标注为有效");
        // Already 废止: nothing to decide.
        f.validity = Some(
            Validity::new(ValidityStatus::Repealed, None, Some(date!(2019 - 01 - 01))).expect("ok"),
        );
        assert!(reasons(&f, rules, &cols(), TODAY).is_empty());
    }

    #[test]
    fn damaged_attachments_dead_links_and_gone_columns_are_listed_whatever_the_age() {
        let mut f = facts(date!(2026 - 11 - 01));
        f.damaged_attachments = vec!["附件1.pdf".into()];
        f.dead_links = vec!["/items/9".into()];
        f.column = "旧栏目".into();
        let keys: Vec<&str> = reasons(&f, ReviewRules::default(), &cols(), TODAY)
            .iter()
            .map(Reason::key)
            .collect();
        assert_eq!(keys, ["attachment_damaged", "dead_link", "column_gone"]);
    }

    #[test]
    fn reasons_round_trip_through_json() {
        let r = vec![
            Reason::TermEnded {
                ends_on: date!(2026 - 06 - 30),
            },
            Reason::ColumnGone {
                column: "旧栏目".into(),
            },
        ];
        let json = serde_json::to_string(&r).expect("ok");
        assert_eq!(serde_json::from_str::<Vec<Reason>>(&json).expect("ok"), r);
    }

    #[test]
    fn links_to_items_are_found_with_or_without_a_host() {
        let body = r#"<p><a href="/items/12">见</a> <a href='https://gk.example.cn/items/7?x=1'>又</a>
            <a href="/items/12">重复</a> <a href="/items/abc">不是</a> <a href="/items/5x">也不是</a>
            <a href="https://other.example/page">外部</a></p>"#;
        assert_eq!(
            item_links(body),
            vec![
                ("/items/12".to_string(), 12),
                ("https://gk.example.cn/items/7?x=1".to_string(), 7)
            ]
        );
    }

    #[test]
    fn decisions_need_what_they_change() {
        use Decision::*;
        assert!(check_decision(Keep, false, None, None).is_ok());
        let e = check_decision(Expire, false, Some(TODAY), Some("过期")).expect_err("refused");
        assert_eq!(e.zh, "只有规章和行政规范性文件可以标注失效");
        let e = check_decision(Repeal, true, None, Some("已废止")).expect_err("refused");
        assert_eq!(e.zh, "标注废止需填写失效或废止日期");
        let e = check_decision(Withdraw, false, None, Some("  ")).expect_err("refused");
        assert_eq!(e.zh, "撤回需填写理由");
        assert!(check_decision(Repeal, true, Some(TODAY), Some("上位法修订")).is_ok());
        assert_eq!(Decision::parse("标注失效"), Some(Expire));
        assert_eq!(Decision::parse("withdraw"), Some(Withdraw));
    }

    #[test]
    fn the_tally_says_what_changed() {
        use Decision::*;
        let t = Tally::of([Some(Keep), Some(Repeal), None, Some(Keep), Some(Withdraw)]);
        assert_eq!(
            (t.listed, t.kept, t.repealed, t.withdrawn, t.pending),
            (5, 2, 1, 1, 1)
        );
        assert_eq!(
            t.sentence(),
            "清理信息5条，保留2条，标注废止1条，撤回1条，待处理1条"
        );
    }
}
