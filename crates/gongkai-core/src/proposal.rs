//! 建议提案 (docs/proposals.md): NPC deputies' suggestions (人大代表建议) and CPPCC members'
//! proposals (政协委员提案) assigned to the agency, with their numbers, handling and results.
//! Section 六 of the annual report counts those the agency took on in the year, with their
//! results, and the report's `figures` carry `npc_suggestions` and `cppcc_proposals`.

use crate::report::AnnualReport;
use time::Date;

/// Whose it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProposalKind {
    /// 人大代表建议.
    NpcSuggestion,
    /// 政协委员提案.
    CppccProposal,
}

impl ProposalKind {
    pub const ALL: [ProposalKind; 2] = [ProposalKind::NpcSuggestion, ProposalKind::CppccProposal];

    pub fn key(self) -> &'static str {
        match self {
            ProposalKind::NpcSuggestion => "npc",
            ProposalKind::CppccProposal => "cppcc",
        }
    }

    pub fn parse(s: &str) -> Option<ProposalKind> {
        ProposalKind::ALL.into_iter().find(|k| k.key() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            ProposalKind::NpcSuggestion => "人大代表建议",
            ProposalKind::CppccProposal => "政协委员提案",
        }
    }

    /// The word the number ends with: 建议 or 提案.
    fn noun(self) -> &'static str {
        match self {
            ProposalKind::NpcSuggestion => "建议",
            ProposalKind::CppccProposal => "提案",
        }
    }
}

/// Whether the agency leads (主办) or helps (协办).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Handling {
    Lead,
    CoHandling,
}

impl Handling {
    pub const ALL: [Handling; 2] = [Handling::Lead, Handling::CoHandling];

    pub fn key(self) -> &'static str {
        match self {
            Handling::Lead => "lead",
            Handling::CoHandling => "co",
        }
    }

    pub fn parse(s: &str) -> Option<Handling> {
        Handling::ALL.into_iter().find(|k| k.key() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Handling::Lead => "主办",
            Handling::CoHandling => "协办",
        }
    }
}

/// The result of the handling, in the categories the replies report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProposalResult {
    /// 已解决或采纳.
    Solved,
    /// 已列入计划拟解决.
    Planned,
    /// 留作参考.
    Reference,
    /// 因条件限制等原因暂不能解决，已作说明.
    Explained,
}

impl ProposalResult {
    pub const ALL: [ProposalResult; 4] = [
        ProposalResult::Solved,
        ProposalResult::Planned,
        ProposalResult::Reference,
        ProposalResult::Explained,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ProposalResult::Solved => "solved",
            ProposalResult::Planned => "planned",
            ProposalResult::Reference => "reference",
            ProposalResult::Explained => "explained",
        }
    }

    pub fn parse(s: &str) -> Option<ProposalResult> {
        ProposalResult::ALL
            .into_iter()
            .find(|k| k.key() == s.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            ProposalResult::Solved => "已解决或采纳",
            ProposalResult::Planned => "已列入计划拟解决",
            ProposalResult::Reference => "留作参考",
            ProposalResult::Explained => "因条件限制暂不能解决，已作说明",
        }
    }
}

/// The organs written between the term and the sitting (`十八届人大五次会议`,
/// `第十二届委员会第五次会议`), longest first.
const ORGANS: [&str; 6] = [
    "人民代表大会",
    "政协委员会",
    "委员会",
    "常委会",
    "人大",
    "政协",
];

const NUMERALS: &str = "〇零一二三四五六七八九十百";

/// Where the numeral `s` ends with begins (Chinese numerals or digits); `None` without one.
fn numeral_start(s: &str) -> Option<usize> {
    s.char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || NUMERALS.contains(*c))
        .last()
        .map(|(i, _)| i)
}

/// A proposal number as written on the 交办 form: the body and session, then the serial,
/// e.g. `淄博市张店区政协十二届五次会议第104号` (`十二届五次会议第104号` without the body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalNumber {
    /// What precedes the term (`淄博市张店区政协`), possibly empty.
    pub body: String,
    /// `十二届五次会议`, as written (`十八届人大五次会议`).
    pub session: String,
    pub serial: u32,
}

impl ProposalNumber {
    /// Reads `[body][第]N届[organ][第]M次会议第K号[建议|提案]`; the term and sitting in Chinese
    /// numerals or digits, the serial in digits (leading zeros are dropped).
    pub fn parse(s: &str, kind: ProposalKind) -> Result<ProposalNumber, String> {
        let bad = || {
            format!(
                "“{s}”不是{}编号的格式：应写作“……届……次会议第……号”，如“淄博市张店区政协十二届五次会议第104号”",
                kind.label()
            )
        };
        let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        let t = t.strip_suffix(kind.noun()).unwrap_or(&t);
        let rest = t.strip_suffix('号').ok_or_else(bad)?;
        let at = rest.rfind("第").ok_or_else(bad)?;
        let digits = &rest[at + "第".len()..];
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) || digits.len() > 6 {
            return Err(bad());
        }
        let serial: u32 = digits.parse().map_err(|_| bad())?;
        let head = rest[..at].strip_suffix("次会议").ok_or_else(bad)?;
        // The sitting: a numeral, maybe after 第; before it maybe the organ (人大, 政协,
        // 委员会 …); then the term: a numeral and 届, maybe after 第; the body is the rest.
        let sitting_at = numeral_start(head).ok_or_else(bad)?;
        let mut before = head[..sitting_at]
            .strip_suffix('第')
            .unwrap_or(&head[..sitting_at]);
        for organ in ORGANS {
            if let Some(b) = before.strip_suffix(organ) {
                before = b;
                break;
            }
        }
        let before = before.strip_suffix('届').ok_or_else(bad)?;
        let term_at = numeral_start(before).ok_or_else(bad)?;
        let body = before[..term_at]
            .strip_suffix('第')
            .unwrap_or(&before[..term_at]);
        Ok(ProposalNumber {
            body: body.to_string(),
            session: format!("{}次会议", &head[body.len()..]),
            serial,
        })
    }

    /// As printed: `淄博市张店区政协十二届五次会议第104号`.
    pub fn text(&self) -> String {
        format!("{}{}第{}号", self.body, self.session, self.serial)
    }
}

/// One proposal as the report sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub kind: ProposalKind,
    pub number: String,
    /// The day it was assigned (交办) to the agency.
    pub assigned_on: Date,
    pub result: Option<ProposalResult>,
}

/// The proposals the agency took on in one year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProposalYear {
    pub year: i32,
    /// Numbers of the NPC suggestions, then of the CPPCC proposals, assigned in the year.
    pub npc: Vec<String>,
    pub cppcc: Vec<String>,
    /// Results of those answered, by category, in the order of [`ProposalResult::ALL`].
    pub results: Vec<(ProposalResult, u64)>,
    /// Assigned in the year and not yet answered.
    pub pending: u64,
}

impl ProposalYear {
    pub fn tally(proposals: &[Proposal], year: i32) -> ProposalYear {
        let mut y = ProposalYear {
            year,
            ..ProposalYear::default()
        };
        let mut results = std::collections::BTreeMap::new();
        for p in proposals.iter().filter(|p| p.assigned_on.year() == year) {
            match p.kind {
                ProposalKind::NpcSuggestion => y.npc.push(p.number.clone()),
                ProposalKind::CppccProposal => y.cppcc.push(p.number.clone()),
            }
            match p.result {
                Some(r) => *results.entry(r).or_insert(0u64) += 1,
                None => y.pending += 1,
            }
        }
        y.results = results.into_iter().collect();
        y
    }

    /// Whether any proposal was taken on in the year.
    pub fn any(&self) -> bool {
        !self.npc.is_empty() || !self.cppcc.is_empty()
    }

    /// `figures.npc_suggestions` and `figures.cppcc_proposals`, when the agency recorded any
    /// for the year (else the report states nothing).
    pub fn set_figures(&self, report: &mut AnnualReport) {
        if !self.any() {
            return;
        }
        report
            .figures
            .counts
            .insert("npc_suggestions".into(), self.npc.len() as u64);
        report
            .figures
            .counts
            .insert("cppcc_proposals".into(), self.cppcc.len() as u64);
    }

    /// Section 六's sentence, in the wording of the published reports ("2021年我单位共承办政协
    /// 委员会提案1件(…第104号提案)，人大代表建议0件，办理结果为：已列入计划拟解决1件。").
    pub fn sentence(&self) -> Option<String> {
        if !self.any() {
            return None;
        }
        let list = |numbers: &[String], noun: &str| {
            if numbers.is_empty() {
                String::new()
            } else {
                let quoted: Vec<String> = numbers.iter().map(|n| format!("{n}{noun}")).collect();
                format!("（{}）", quoted.join("、"))
            }
        };
        let mut s = format!(
            "{}年度人大代表建议和政协委员提案办理情况。{}年共承办人大代表建议{}件{}、政协委员提案{}件{}",
            self.year,
            self.year,
            self.npc.len(),
            list(&self.npc, "建议"),
            self.cppcc.len(),
            list(&self.cppcc, "提案"),
        );
        let mut parts: Vec<String> = self
            .results
            .iter()
            .map(|(r, n)| format!("{}{n}件", r.label()))
            .collect();
        if self.pending > 0 {
            parts.push(format!("正在办理{}件", self.pending));
        }
        s.push_str(&format!("，办理结果为：{}。", parts.join("，")));
        Some(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn numbers_are_read_with_their_body_session_and_serial() {
        let n = ProposalNumber::parse(
            "淄博市张店区政协十二届五次会议第104号",
            ProposalKind::CppccProposal,
        )
        .expect("number");
        assert_eq!(
            (n.body.as_str(), n.session.as_str(), n.serial),
            ("淄博市张店区政协", "十二届五次会议", 104)
        );
        assert_eq!(n.text(), "淄博市张店区政协十二届五次会议第104号");
        let n = ProposalNumber::parse(
            "区十八届人大五次会议第0031号建议",
            ProposalKind::NpcSuggestion,
        )
        .expect("the organ between term and sitting");
        assert_eq!(
            (n.body.as_str(), n.session.as_str(), n.serial),
            ("区", "十八届人大五次会议", 31)
        );
        let n = ProposalNumber::parse(
            "政协第十二届委员会第五次会议第104号",
            ProposalKind::CppccProposal,
        )
        .expect("第 before term and sitting");
        assert_eq!(
            (n.body.as_str(), n.session.as_str()),
            ("政协", "第十二届委员会第五次会议")
        );
        let n = ProposalNumber::parse("区十八届五次会议 第0031号建议", ProposalKind::NpcSuggestion)
            .expect("number");
        assert_eq!((n.body.as_str(), n.serial), ("区", 31));
        for bad in [
            "104号",
            "十二届五次会议104号",
            "十二届五次会议第号",
            "第104号提案",
            "十二届五次会议第一〇四号",
            "",
            "五次会议第3号",
            "十二届甲乙五次会议第3号",
        ] {
            let e = ProposalNumber::parse(bad, ProposalKind::CppccProposal).expect_err(bad);
            assert!(e.contains("应写作"), "{e}");
        }
    }

    #[test]
    fn the_year_reads_as_the_seed_does() {
        let p = |kind, on, result| Proposal {
            kind,
            number: "淄博市张店区政协十二届五次会议第104号".into(),
            assigned_on: on,
            result,
        };
        let y = ProposalYear::tally(
            &[
                p(
                    ProposalKind::CppccProposal,
                    date!(2021 - 03 - 15),
                    Some(ProposalResult::Planned),
                ),
                p(
                    ProposalKind::CppccProposal,
                    date!(2020 - 03 - 15),
                    Some(ProposalResult::Solved),
                ),
            ],
            2021,
        );
        assert_eq!(
            y.sentence().as_deref(),
            Some(
                "2021年度人大代表建议和政协委员提案办理情况。2021年共承办人大代表建议0件、政协委员提案1件（淄博市张店区政协十二届五次会议第104号提案），办理结果为：已列入计划拟解决1件。"
            )
        );
        let mut report = AnnualReport::new("某局", 2021);
        y.set_figures(&mut report);
        assert_eq!(report.figures.counts["cppcc_proposals"], 1);
        assert_eq!(report.figures.counts["npc_suggestions"], 0);
        assert_eq!(ProposalYear::tally(&[], 2021).sentence(), None);
    }
}
