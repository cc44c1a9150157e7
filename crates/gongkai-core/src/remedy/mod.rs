//! Remedy cases (救济): 行政复议 and 行政诉讼 against an agency's disclosure work, the data source
//! of table 四 of the annual report (docs/rules/annual-report.md#table-四-remedy-cases).
//!
//! A case is one of three kinds — 行政复议, 行政诉讼 未经复议直接起诉, 行政诉讼 复议后起诉 — filed on
//! a day before a body (复议机关 or 人民法院), decided later with one of three outcomes (维持,
//! 纠正, 其他) or still pending (尚未审结). Nothing here is stored: the store keeps the cases and
//! their history, this module validates them ([`validate`], [`validate_decision`]) and counts
//! table 四 ([`count_table4`]).
//!
//! The 复议前置 rule: from 2024-01-01 an applicant whose request was answered with 不予公开 must
//! apply for 行政复议 before suing (《中华人民共和国行政复议法》 (2023) Art. 23 ¶1(4), in force
//! 2024-01-01 by Art. 90), see [`review_required_first`].

mod table4;

pub use table4::{Table4Case, count_table4};

use crate::application::Outcome;
use crate::calendar::iso;
use crate::report::keys::{T4Group, T4Outcome};
use serde::{Deserialize, Serialize};
use std::fmt;
use time::Date;

/// The most characters of a body's name, a case number or a subject.
pub const MAX_NAME_CHARS: usize = 200;
/// The most characters of a note, an override note or a correction's reason.
pub const MAX_NOTE_CHARS: usize = 2000;

/// The kind of a remedy case: the group of table 四 it is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RemedyKind {
    /// 行政复议.
    #[serde(rename = "review")]
    Review,
    /// 行政诉讼 — 未经复议直接起诉.
    #[serde(rename = "litigation.direct")]
    LitigationDirect,
    /// 行政诉讼 — 复议后起诉.
    #[serde(rename = "litigation.after_review")]
    LitigationAfterReview,
}

impl RemedyKind {
    pub const ALL: [RemedyKind; 3] = [
        RemedyKind::Review,
        RemedyKind::LitigationDirect,
        RemedyKind::LitigationAfterReview,
    ];

    /// The stored key, equal to the key of the table 四 group.
    pub fn key(self) -> &'static str {
        self.t4_group().key()
    }

    /// The form of the key on the command line (`review`, `litigation-direct`,
    /// `litigation-after-review`).
    pub fn arg(self) -> &'static str {
        match self {
            RemedyKind::Review => "review",
            RemedyKind::LitigationDirect => "litigation-direct",
            RemedyKind::LitigationAfterReview => "litigation-after-review",
        }
    }

    /// By the stored key, the command-line form (with `-` or `_`) or the Chinese label.
    pub fn parse(s: &str) -> Option<RemedyKind> {
        let s = s.trim();
        let folded = s.replace(['-', '_'], ".");
        RemedyKind::ALL.into_iter().find(|k| {
            k.key() == s
                || k.key() == folded
                || k.arg() == s
                || k.arg().replace('-', ".") == folded
                || k.label() == s
                || k.short_label() == s
        })
    }

    pub fn t4_group(self) -> T4Group {
        match self {
            RemedyKind::Review => T4Group::Review,
            RemedyKind::LitigationDirect => T4Group::LitigationDirect,
            RemedyKind::LitigationAfterReview => T4Group::LitigationAfterReview,
        }
    }

    /// `行政复议`, `行政诉讼（未经复议直接起诉）`, `行政诉讼（复议后起诉）`.
    pub fn label(self) -> &'static str {
        match self {
            RemedyKind::Review => "行政复议",
            RemedyKind::LitigationDirect => "行政诉讼（未经复议直接起诉）",
            RemedyKind::LitigationAfterReview => "行政诉讼（复议后起诉）",
        }
    }

    /// The column group's printed label in table 四 (`行政复议`, `未经复议直接起诉`, `复议后起诉`).
    pub fn short_label(self) -> &'static str {
        match self {
            RemedyKind::Review => "行政复议",
            RemedyKind::LitigationDirect => "未经复议直接起诉",
            RemedyKind::LitigationAfterReview => "复议后起诉",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            RemedyKind::Review => "administrative review",
            RemedyKind::LitigationDirect => "administrative litigation without prior review",
            RemedyKind::LitigationAfterReview => "administrative litigation after review",
        }
    }

    /// Who handles it: `复议机关` or `人民法院`.
    pub fn body_label(self) -> &'static str {
        match self {
            RemedyKind::Review => "复议机关",
            _ => "人民法院",
        }
    }

    /// Whether a court handles it.
    pub fn is_litigation(self) -> bool {
        self != RemedyKind::Review
    }

    /// The prefix of the readable number (`复议-2024-0001`, `诉讼-2024-0001`).
    pub fn number_prefix(self) -> &'static str {
        match self {
            RemedyKind::Review => "复议",
            _ => "诉讼",
        }
    }
}

impl fmt::Display for RemedyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// How a remedy case was decided (a case without a decision is 尚未审结).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemedyOutcome {
    /// 结果维持: the agency's act was upheld (复议维持, 驳回诉讼请求 …).
    Upheld,
    /// 结果纠正: the act was corrected (撤销, 变更, 确认违法, 责令履行 …).
    Corrected,
    /// 其他结果: ended otherwise (撤回, 驳回复议申请/起诉, 调解 …).
    Other,
}

impl RemedyOutcome {
    pub const ALL: [RemedyOutcome; 3] = [
        RemedyOutcome::Upheld,
        RemedyOutcome::Corrected,
        RemedyOutcome::Other,
    ];

    /// The stored key, equal to the table 四 outcome key.
    pub fn key(self) -> &'static str {
        self.t4_outcome().key()
    }

    pub fn parse(s: &str) -> Option<RemedyOutcome> {
        let s = s.trim();
        RemedyOutcome::ALL
            .into_iter()
            .find(|o| o.key() == s || o.label() == s || o.short_label() == s)
    }

    pub fn t4_outcome(self) -> T4Outcome {
        match self {
            RemedyOutcome::Upheld => T4Outcome::Upheld,
            RemedyOutcome::Corrected => T4Outcome::Corrected,
            RemedyOutcome::Other => T4Outcome::Other,
        }
    }

    /// The column's printed label: `结果维持`, `结果纠正`, `其他结果`.
    pub fn label(self) -> &'static str {
        match self {
            RemedyOutcome::Upheld => "结果维持",
            RemedyOutcome::Corrected => "结果纠正",
            RemedyOutcome::Other => "其他结果",
        }
    }

    /// `维持`, `纠正`, `其他`.
    pub fn short_label(self) -> &'static str {
        match self {
            RemedyOutcome::Upheld => "维持",
            RemedyOutcome::Corrected => "纠正",
            RemedyOutcome::Other => "其他",
        }
    }
}

/// The label of a case's state: its outcome's, or `尚未审结`.
pub fn outcome_label(outcome: Option<RemedyOutcome>) -> &'static str {
    outcome.map_or("尚未审结", RemedyOutcome::label)
}

/// The day from which 行政复议法 (2023) Art. 23 ¶1(4) applies (Art. 90: in force 2024-01-01).
pub const REVIEW_FIRST_FROM: Date = time::macros::date!(2024 - 01 - 01);

/// Whether a suit filed on `filed_on` over an application answered `outcome` on `answered_on`
/// must have gone to 行政复议 first: an answer of 不予公开 (the `denied.*` outcomes of table 三)
/// before a suit filed on or after [`REVIEW_FIRST_FROM`] (《行政复议法》 (2023) Art. 23 ¶1(4)).
/// A suit filed before the answer is not a suit against the answer.
pub fn review_required_first(filed_on: Date, outcome: Outcome, answered_on: Date) -> bool {
    filed_on >= REVIEW_FIRST_FROM && answered_on <= filed_on && is_refusal_to_disclose(outcome)
}

/// 不予公开: the outcomes under （三） of table 三 (docs/rules/outcomes.md).
pub fn is_refusal_to_disclose(outcome: Outcome) -> bool {
    outcome.key().starts_with("denied.")
}

/// The application a remedy case concerns, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationFacts {
    /// 申请编号.
    pub number: String,
    pub received_on: Date,
    /// The final outcome and the day of the reply, when answered.
    pub answered: Option<(Outcome, Date)>,
}

/// The 行政复议 case a 复议后起诉 follows, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewFacts {
    pub number: String,
    pub kind: RemedyKind,
    pub filed_on: Date,
    /// The 申请编号 of its application, if any.
    pub application: Option<String>,
}

/// A new remedy case as entered, with the records it names already looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRemedy {
    pub kind: RemedyKind,
    pub filed_on: Date,
    /// 复议机关 or 人民法院.
    pub body: String,
    /// 案号 or 文号, if known.
    pub case_number: Option<String>,
    /// The application it concerns, if any.
    pub application: Option<ApplicationFacts>,
    /// What it is about, required without an application (e.g. a complaint about proactive
    /// disclosure).
    pub subject: Option<String>,
    /// For 复议后起诉: the review case it follows, if recorded.
    pub after_review: Option<ReviewFacts>,
    /// The court accepted a direct suit the 复议前置 rule would refuse; recorded with the case.
    pub court_accepted_direct: bool,
    /// Why the override, e.g. the court's 受理通知书.
    pub override_note: Option<String>,
    pub note: Option<String>,
}

/// A remedy case that passed [`validate`]: texts trimmed, empty optional texts dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRemedy {
    pub kind: RemedyKind,
    pub filed_on: Date,
    pub body: String,
    pub case_number: Option<String>,
    /// 申请编号 (taken from the review it follows when not given).
    pub application: Option<String>,
    pub subject: Option<String>,
    pub after_review: Option<String>,
    pub court_accepted_direct: bool,
    pub override_note: Option<String>,
    pub note: Option<String>,
}

/// Why a remedy case or a decision is refused, in English and Chinese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RemedyError {
    /// A required text is empty.
    #[error("{what} is required")]
    Required {
        what: &'static str,
        zh: &'static str,
    },
    /// A text over its length.
    #[error("{what} is longer than {max} characters")]
    TooLong {
        what: &'static str,
        zh: &'static str,
        max: usize,
    },
    /// Neither an application nor a subject.
    #[error(
        "name the application (申请编号) the case concerns, or describe its subject when it concerns none"
    )]
    SubjectRequired,
    #[error("the filing date {0} is in the future")]
    FiledInFuture(String),
    #[error(
        "the case was filed on {filed} but application {number} was only received on {received}"
    )]
    FiledBeforeApplication {
        number: String,
        filed: String,
        received: String,
    },
    /// Only a 复议后起诉 follows a review.
    #[error("only litigation after review (复议后起诉) names the review case it follows")]
    AfterReviewNotAllowed,
    #[error("{number} is not an administrative review case (行政复议)")]
    NotAReview { number: String },
    #[error("the suit was filed on {filed}, before review case {number} was filed on {review}")]
    BeforeReview {
        number: String,
        filed: String,
        review: String,
    },
    #[error("review case {number} concerns application {review_application}, not {application}")]
    OtherApplication {
        number: String,
        review_application: String,
        application: String,
    },
    /// The 复议前置 rule (行政复议法 (2023) Art. 23 ¶1(4)).
    #[error(
        "application {number} was refused disclosure (不予公开, {outcome}): since 2024-01-01 the applicant must apply for administrative review before suing (行政复议法 2023 Art. 23(4)). Record the suit as litigation after review linked to the review case, or, if the court did accept the direct suit, pass the override (--court-accepted-direct), which is recorded with the case"
    )]
    ReviewFirst { number: String, outcome: String },
    /// The override where the rule does not refuse.
    #[error(
        "the court-accepted-direct override only applies to a direct suit filed from 2024-01-01 against a refusal to disclose (不予公开)"
    )]
    OverrideNotApplicable,
    #[error("the decision date {on} is before the filing date {filed}")]
    DecidedBeforeFiled { on: String, filed: String },
    #[error("the decision date {0} is in the future")]
    DecidedInFuture(String),
    /// A decided case is changed only by a correction with its reason.
    #[error(
        "case {number} is already decided ({outcome} on {on}): a new decision corrects it and needs a reason"
    )]
    CorrectionNeedsReason {
        number: String,
        outcome: String,
        on: String,
    },
    #[error("case {number} is already decided that way ({outcome} on {on})")]
    Unchanged {
        number: String,
        outcome: String,
        on: String,
    },
}

impl RemedyError {
    /// The message in Chinese.
    pub fn zh(&self) -> String {
        match self {
            RemedyError::Required { zh, .. } => format!("请填写{zh}"),
            RemedyError::TooLong { zh, max, .. } => format!("{zh}不能超过{max}个字"),
            RemedyError::SubjectRequired => {
                "请填写所涉申请的申请编号；不涉及依申请公开的（如对主动公开提出的复议或诉讼），请填写案由".into()
            }
            RemedyError::FiledInFuture(d) => format!("立案（申请）日期{d}尚未到来"),
            RemedyError::FiledBeforeApplication {
                number,
                filed,
                received,
            } => format!("申请{number}于{received}收到，救济案件不能早于该日（{filed}）"),
            RemedyError::AfterReviewNotAllowed => {
                "只有“复议后起诉”的行政诉讼才需要填写所经的行政复议案件".into()
            }
            RemedyError::NotAReview { number } => format!("{number}不是行政复议案件"),
            RemedyError::BeforeReview {
                number,
                filed,
                review,
            } => format!("起诉日期{filed}早于行政复议案件{number}的申请日期{review}"),
            RemedyError::OtherApplication {
                number,
                review_application,
                application,
            } => format!(
                "行政复议案件{number}所涉申请为{review_application}，不是{application}"
            ),
            RemedyError::ReviewFirst { number, outcome } => format!(
                "申请{number}的答复为不予公开（{outcome}）。自2024年1月1日起，对不予公开不服的，应当先申请行政复议，对复议决定不服的再提起行政诉讼（《中华人民共和国行政复议法》第二十三条第一款第（四）项）。请先登记行政复议，并将本诉讼登记为“复议后起诉”、关联该复议案件；如人民法院确已直接受理，请注明“法院已直接受理”（--court-accepted-direct），该情况将记入案件"
            ),
            RemedyError::OverrideNotApplicable => {
                "“法院已直接受理”仅适用于2024年1月1日以后对不予公开答复未经复议直接起诉的案件".into()
            }
            RemedyError::DecidedBeforeFiled { on, filed } => {
                format!("审结日期{on}早于立案（申请）日期{filed}")
            }
            RemedyError::DecidedInFuture(d) => format!("审结日期{d}尚未到来"),
            RemedyError::CorrectionNeedsReason {
                number,
                outcome,
                on,
            } => format!(
                "案件{number}已于{on}审结（{outcome}），再次登记审结结果属于更正，须说明理由"
            ),
            RemedyError::Unchanged {
                number,
                outcome,
                on,
            } => format!("案件{number}已于{on}审结（{outcome}），结果未变"),
        }
    }
}

fn text(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn bounded(
    value: Option<String>,
    what: &'static str,
    zh: &'static str,
    max: usize,
) -> Result<Option<String>, RemedyError> {
    match value {
        Some(v) if v.chars().count() > max => Err(RemedyError::TooLong { what, zh, max }),
        v => Ok(v),
    }
}

/// Checks a new remedy case against the records it names and the law on `today`.
pub fn validate(new: &NewRemedy, today: Date) -> Result<ValidRemedy, RemedyError> {
    let body = text(&Some(new.body.clone())).ok_or(RemedyError::Required {
        what: "the body handling the case (复议机关 or 人民法院)",
        zh: if new.kind.is_litigation() {
            "受理的人民法院"
        } else {
            "复议机关"
        },
    })?;
    let body = bounded(Some(body), "the body", "机关名称", MAX_NAME_CHARS)?.unwrap_or_default();
    let case_number = bounded(
        text(&new.case_number),
        "the case number",
        "案号（文号）",
        MAX_NAME_CHARS,
    )?;
    let subject = bounded(text(&new.subject), "the subject", "案由", MAX_NAME_CHARS)?;
    let note = bounded(text(&new.note), "the note", "备注", MAX_NOTE_CHARS)?;
    let override_note = bounded(
        text(&new.override_note),
        "the override note",
        "直接受理说明",
        MAX_NOTE_CHARS,
    )?;
    if new.filed_on > today {
        return Err(RemedyError::FiledInFuture(iso(new.filed_on)));
    }
    let mut application = new.application.as_ref().map(|a| a.number.clone());
    if let Some(a) = &new.application
        && new.filed_on < a.received_on
    {
        return Err(RemedyError::FiledBeforeApplication {
            number: a.number.clone(),
            filed: iso(new.filed_on),
            received: iso(a.received_on),
        });
    }
    let after_review = match &new.after_review {
        None => None,
        Some(_) if new.kind != RemedyKind::LitigationAfterReview => {
            return Err(RemedyError::AfterReviewNotAllowed);
        }
        Some(r) => {
            if r.kind != RemedyKind::Review {
                return Err(RemedyError::NotAReview {
                    number: r.number.clone(),
                });
            }
            if new.filed_on < r.filed_on {
                return Err(RemedyError::BeforeReview {
                    number: r.number.clone(),
                    filed: iso(new.filed_on),
                    review: iso(r.filed_on),
                });
            }
            match (&application, &r.application) {
                (Some(mine), Some(theirs)) if mine != theirs => {
                    return Err(RemedyError::OtherApplication {
                        number: r.number.clone(),
                        review_application: theirs.clone(),
                        application: mine.clone(),
                    });
                }
                // The suit follows the review: it concerns the review's application.
                (None, Some(theirs)) => application = Some(theirs.clone()),
                _ => {}
            }
            Some(r.number.clone())
        }
    };
    if application.is_none() && subject.is_none() {
        return Err(RemedyError::SubjectRequired);
    }
    let refused_directly = match (&new.application, new.kind) {
        (Some(a), RemedyKind::LitigationDirect) => a
            .answered
            .filter(|(outcome, on)| review_required_first(new.filed_on, *outcome, *on))
            .map(|(outcome, _)| (a.number.clone(), outcome)),
        _ => None,
    };
    match (refused_directly, new.court_accepted_direct) {
        (Some((number, outcome)), false) => {
            return Err(RemedyError::ReviewFirst {
                number,
                outcome: format!("{} {}", outcome.key(), outcome.label()),
            });
        }
        (None, true) => return Err(RemedyError::OverrideNotApplicable),
        _ => {}
    }
    Ok(ValidRemedy {
        kind: new.kind,
        filed_on: new.filed_on,
        body,
        case_number,
        application,
        subject,
        after_review,
        court_accepted_direct: new.court_accepted_direct,
        override_note: if new.court_accepted_direct {
            override_note
        } else {
            None
        },
        note,
    })
}

/// A decision: its day and outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    pub on: Date,
    pub outcome: RemedyOutcome,
}

/// Whether a decision is a first decision or the correction of a recorded one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionChange {
    /// 审结: the first decision.
    Decided,
    /// 更正: replaces the recorded decision, which the history keeps.
    Corrected { previous: Decision },
}

impl DecisionChange {
    pub fn key(self) -> &'static str {
        match self {
            DecisionChange::Decided => "decided",
            DecisionChange::Corrected { .. } => "corrected",
        }
    }
}

/// Checks a decision of case `number` filed on `filed_on` whose recorded decision is
/// `current`: not before the filing, not in the future; a decided case changes only by a
/// correction with a reason (and a correction must change something).
pub fn validate_decision(
    number: &str,
    filed_on: Date,
    current: Option<Decision>,
    new: Decision,
    reason: Option<&str>,
    today: Date,
) -> Result<DecisionChange, RemedyError> {
    if new.on < filed_on {
        return Err(RemedyError::DecidedBeforeFiled {
            on: iso(new.on),
            filed: iso(filed_on),
        });
    }
    if new.on > today {
        return Err(RemedyError::DecidedInFuture(iso(new.on)));
    }
    if let Some(r) = reason
        && r.chars().count() > MAX_NOTE_CHARS
    {
        return Err(RemedyError::TooLong {
            what: "the reason",
            zh: "理由",
            max: MAX_NOTE_CHARS,
        });
    }
    let Some(previous) = current else {
        return Ok(DecisionChange::Decided);
    };
    let recorded = || {
        (
            number.to_string(),
            previous.outcome.label().to_string(),
            iso(previous.on),
        )
    };
    if previous == new {
        let (number, outcome, on) = recorded();
        return Err(RemedyError::Unchanged {
            number,
            outcome,
            on,
        });
    }
    if reason.is_none_or(|r| r.trim().is_empty()) {
        let (number, outcome, on) = recorded();
        return Err(RemedyError::CorrectionNeedsReason {
            number,
            outcome,
            on,
        });
    }
    Ok(DecisionChange::Corrected { previous })
}

#[cfg(test)]
mod tests;
