//! The report's narrative (docs/rules/annual-report.md#narrative): the sections staff write,
//! and the first drafts generated from the data — the introduction, section 一 from the
//! catalogue (`catalog::stats`), a template for 五, and section 六 from the fee events
//! (国办函〔2020〕109号: notices issued, amounts notified and collected).

use super::model::{AnnualReport, Sections};
use super::{T3Col, T3Row};
use crate::application::{Event, EventKind, effective_events};
use rust_decimal::Decimal;

/// A section whose text is kept per agency and year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    /// The paragraph before 一 (what the report covers, where to read it, whom to ask).
    Intro,
    /// 一、总体情况
    Overview,
    /// 五、存在的主要问题及改进情况
    Problems,
    /// 六、其他需要报告的事项
    Other,
}

impl Section {
    pub const ALL: [Section; 4] = [
        Section::Intro,
        Section::Overview,
        Section::Problems,
        Section::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Section::Intro => "intro",
            Section::Overview => "overview",
            Section::Problems => "problems",
            Section::Other => "other",
        }
    }

    /// The key, or the section's number (`一`, `五`, `六`, `1`, `5`, `6`).
    pub fn parse(s: &str) -> Option<Section> {
        let s = s.trim();
        Section::ALL.into_iter().find(|x| x.key() == s).or(match s {
            "引言" | "0" => Some(Section::Intro),
            "一" | "1" => Some(Section::Overview),
            "五" | "5" => Some(Section::Problems),
            "六" | "6" => Some(Section::Other),
            _ => None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Section::Intro => "引言",
            Section::Overview => "一、总体情况",
            Section::Problems => "五、存在的主要问题及改进情况",
            Section::Other => "六、其他需要报告的事项",
        }
    }

    pub fn get(self, s: &Sections) -> Option<&String> {
        match self {
            Section::Intro => s.intro.as_ref(),
            Section::Overview => s.overview.as_ref(),
            Section::Problems => s.problems.as_ref(),
            Section::Other => s.other.as_ref(),
        }
    }

    pub fn slot(self, s: &mut Sections) -> &mut Option<String> {
        match self {
            Section::Intro => &mut s.intro,
            Section::Overview => &mut s.overview,
            Section::Problems => &mut s.problems,
            Section::Other => &mut s.other,
        }
    }
}

/// The longest text a section may hold (characters): far beyond any published report's
/// section, small enough that an accident is refused rather than stored.
pub const MAX_SECTION_CHARS: usize = 50_000;

/// The fee events of a year (docs/rules/fees.md#the-fee-in-the-annual-report).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeeYear {
    /// 收费通知 issued in the year.
    pub notices: u64,
    /// The amounts those notices asked for, in yuan.
    pub notified_yuan: u64,
    /// Fees paid in the year, in yuan (the amount of the notice each payment answers).
    pub collected_yuan: u64,
    /// The 申请编号 whose events were counted.
    pub records: Vec<String>,
}

impl FeeYear {
    /// Tallies the effective logs (corrections applied) of applications, each with its 申请编号.
    /// A log that its own corrections make unreadable is skipped by the caller's validation
    /// long before (the state machine refuses such a log), so here it simply counts nothing.
    pub fn tally<'a>(logs: impl IntoIterator<Item = (&'a str, &'a [Event])>, year: i32) -> FeeYear {
        let mut out = FeeYear::default();
        for (number, log) in logs {
            let Ok(events) = effective_events(log) else {
                continue;
            };
            let mut notice: Option<u64> = None;
            let mut counted = false;
            for (_, e) in &events {
                match &e.kind {
                    EventKind::FeeNoticeIssued { amount_yuan, .. } => {
                        notice = Some(*amount_yuan);
                        if e.on.year() == year {
                            out.notices += 1;
                            out.notified_yuan += amount_yuan;
                            counted = true;
                        }
                    }
                    EventKind::FeePaid if e.on.year() == year => {
                        out.collected_yuan += notice.unwrap_or(0);
                        counted = true;
                    }
                    _ => {}
                }
            }
            if counted {
                out.records.push(number.to_string());
            }
        }
        out
    }

    /// Section 六's sentence on fees.
    pub fn sentence(&self, year: i32, applications: Option<u64>) -> String {
        if self.notices == 0 && self.collected_yuan == 0 {
            return match applications {
                Some(0) => format!(
                    "{year}年度，本机关未收到政府信息公开申请，不存在办理政府信息公开申请过程中收取信息处理费的情况。"
                ),
                _ => format!(
                    "{year}年度，本机关办理政府信息公开申请未发出收费通知，未收取信息处理费。"
                ),
            };
        }
        format!(
            "{year}年度，本机关依据《政府信息公开信息处理费管理办法》发出收费通知{}件，通知收取信息处理费{}元，实际收取{}元。",
            self.notices, self.notified_yuan, self.collected_yuan
        )
    }
}

/// Sets the report's fee figures (`fee_notices_issued`, `fees_collected_yuan`).
pub fn set_fee_figures(report: &mut AnnualReport, fees: &FeeYear) {
    report
        .figures
        .counts
        .insert("fee_notices_issued".into(), fees.notices);
    report.figures.amounts.insert(
        "fees_collected_yuan".into(),
        Decimal::from(fees.collected_yuan),
    );
}

/// The introduction's draft: what the report covers and its period (the sentence every
/// report of the national format opens with).
pub fn intro_draft(agency: &str, year: i32) -> String {
    format!(
        "本报告按照《中华人民共和国政府信息公开条例》要求编制，全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项等六个部分。本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。如对本报告有疑问，请与{agency}联系。"
    )
}

/// Section 一's paragraph on applications, from table 三 (`（二）依申请公开情况。…`).
pub fn applications_paragraph(report: &AnnualReport) -> Option<String> {
    let count = |row| report.table3.get(row, T3Col::Total).value.number();
    let year = report.year;
    let new = count(T3Row::NewReceived)?;
    let carried = count(T3Row::CarriedOver)?;
    let done = count(T3Row::TotalProcessed)?;
    let forward = count(T3Row::CarriedForward)?;
    Some(if new.is_zero() && carried.is_zero() {
        format!("（二）依申请公开情况。{year}年度未收到政府信息公开申请。")
    } else {
        format!(
            "（二）依申请公开情况。{year}年度新收政府信息公开申请{new}件，上年结转{carried}件，办结{done}件，结转下年度继续办理{forward}件。"
        )
    })
}

/// Section 五's template: the headings an agency fills in.
pub fn problems_draft(year: i32) -> String {
    format!(
        "{year}年，本机关政府信息公开工作存在的主要问题：（请填写）。\n{next}年将重点做好以下工作：一是（请填写）；二是（请填写）；三是（请填写）。",
        next = year + 1
    )
}

/// Section 六's draft: the fee sentence and the places for what else is due.
pub fn other_draft(
    year: i32,
    fees: &FeeYear,
    applications: Option<u64>,
    proposals: Option<String>,
) -> String {
    format!(
        "1. {}\n2. {}",
        fees.sentence(year, applications),
        proposals.unwrap_or_else(
            || "人大代表建议和政协委员提案办理情况：（请填写，无则写“无”）。".into()
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fee::FeeBasis;
    use time::macros::date;

    fn notice(on: time::Date, amount: u64) -> Event {
        Event {
            on,
            kind: EventKind::FeeNoticeIssued {
                amount_yuan: amount,
                basis: FeeBasis::PerVolume { pages: 40 },
                service: Default::default(),
            },
        }
    }

    fn paid(on: time::Date) -> Event {
        Event {
            on,
            kind: EventKind::FeePaid,
        }
    }

    #[test]
    fn fees_are_counted_in_the_year_each_event_happened() {
        let a = [
            notice(date!(2021 - 12 - 20), 100),
            paid(date!(2022 - 01 - 05)),
        ];
        let b = [notice(date!(2022 - 03 - 01), 200)];
        let logs = [("A", &a[..]), ("B", &b[..])];
        let y21 = FeeYear::tally(logs, 2021);
        assert_eq!(
            (y21.notices, y21.notified_yuan, y21.collected_yuan),
            (1, 100, 0)
        );
        assert_eq!(y21.records, ["A"]);
        let y22 = FeeYear::tally(logs, 2022);
        assert_eq!(
            (y22.notices, y22.notified_yuan, y22.collected_yuan),
            (1, 200, 100)
        );
        assert_eq!(y22.records, ["A", "B"]);
        assert!(
            y22.sentence(2022, Some(3))
                .contains("发出收费通知1件，通知收取信息处理费200元，实际收取100元")
        );
    }

    #[test]
    fn a_year_without_fees_says_so() {
        let none = FeeYear::tally([], 2021);
        assert_eq!(none, FeeYear::default());
        assert!(
            none.sentence(2021, Some(0))
                .contains("未收到政府信息公开申请")
        );
        assert!(none.sentence(2021, Some(4)).contains("未收取信息处理费"));
    }

    #[test]
    fn sections_parse_by_key_and_number() {
        assert_eq!(Section::parse("六"), Some(Section::Other));
        assert_eq!(Section::parse("overview"), Some(Section::Overview));
        assert_eq!(Section::parse("二"), None);
    }
}
