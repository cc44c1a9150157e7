//! What can happen to an application after it is received: the append-only event log. A
//! mistake is fixed by a [`EventKind::Correction`] that names the event it replaces (or
//! retracts) and why; nothing is edited in place.

use super::{Delivery, Outcome, Service};
use crate::fee::FeeBasis;
use serde::{Deserialize, Serialize};
use time::Date;

/// One entry of the log. Its sequence number is its 1-based position in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The legal day it happened (letters sent, answers received, decisions signed).
    #[serde(with = "super::iso_date")]
    pub on: Date,
    #[serde(flatten)]
    pub kind: EventKind,
}

/// Who is consulted (征求意见) — the time is not counted (Art. 32–34).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsultKind {
    /// 第三方 (Art. 32): answers within 15 working days; a reasoned objection → 不予公开.
    ThirdParty,
    /// 共同制作机关 or another organ (Art. 33–34): 15 working days, silence = consent.
    CoMaker,
}

impl ConsultKind {
    pub const ALL: [ConsultKind; 2] = [ConsultKind::ThirdParty, ConsultKind::CoMaker];

    pub fn label(self) -> &'static str {
        match self {
            ConsultKind::ThirdParty => "第三方",
            ConsultKind::CoMaker => "共同制作机关",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            ConsultKind::ThirdParty => "third_party",
            ConsultKind::CoMaker => "co_maker",
        }
    }

    pub fn parse(s: &str) -> Option<ConsultKind> {
        ConsultKind::ALL
            .into_iter()
            .find(|k| k.key() == s || k.label() == s)
    }
}

/// How a consultation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsultAnswer {
    /// 同意公开
    Consented,
    /// 不同意公开 (with reasons)
    Objected,
    /// 逾期未提出意见 — recorded when the 15 working days have passed.
    NoAnswer,
}

impl ConsultAnswer {
    pub const ALL: [ConsultAnswer; 3] = [
        ConsultAnswer::Consented,
        ConsultAnswer::Objected,
        ConsultAnswer::NoAnswer,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ConsultAnswer::Consented => "同意公开",
            ConsultAnswer::Objected => "不同意公开",
            ConsultAnswer::NoAnswer => "逾期未提出意见",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            ConsultAnswer::Consented => "consented",
            ConsultAnswer::Objected => "objected",
            ConsultAnswer::NoAnswer => "no_answer",
        }
    }

    pub fn parse(s: &str) -> Option<ConsultAnswer> {
        ConsultAnswer::ALL
            .into_iter()
            .find(|a| a.key() == s || a.label() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// 补正告知 sent (Art. 30): once, complete, with a period for the applicant that runs from
    /// the applicant's receipt of the notice.
    SupplementRequested {
        items: Vec<String>,
        period_working_days: u32,
        /// How the letter went out; the period runs from its receipt.
        #[serde(default, skip_serializing_if = "Service::is_default")]
        service: Service,
    },
    /// The supplemented application arrived: the 20 working days start again from this day.
    SupplementReceived,
    /// The period passed without a supplement: the application is deemed abandoned
    /// (other.no_correction).
    SupplementNotReceived,
    /// 延期答复 approved by the head of the disclosure office (Art. 33): at most once, ≤ 20.
    ExtensionApproved {
        working_days: u32,
        approver: String,
    },
    /// 征求意见书 sent: the clock stops from the next day.
    ConsultationOpened {
        kind: ConsultKind,
        party: String,
        /// How the letter went out; the period runs from its receipt.
        #[serde(default, skip_serializing_if = "Service::is_default")]
        service: Service,
    },
    /// The consultation ended (answer received, or 15 working days of silence): the clock
    /// runs again from the next day.
    ConsultationAnswered {
        kind: ConsultKind,
        party: String,
        answer: ConsultAnswer,
    },
    /// 收费通知 sent; the amount must equal the 109号 calculator for the basis.
    FeeNoticeIssued {
        amount_yuan: u64,
        basis: FeeBasis,
        /// How the letter went out; the period runs from its receipt.
        #[serde(default, skip_serializing_if = "Service::is_default")]
        service: Service,
    },
    FeePaid,
    /// Not paid by the deadline: the application is no longer processed (other.fee_unpaid).
    FeeUnpaid,
    /// The other party received letter number `target` (a 补正, consultation, fee or reasons
    /// letter) on `received_on`, as its return receipt says; its period counts from that day.
    LetterReceived {
        target: u32,
        #[serde(with = "super::iso_date")]
        received_on: Date,
    },
    /// Art. 35: the number or frequency of the applicant's requests clearly exceeds a
    /// reasonable range, so the agency asks for reasons (说明理由告知书). The clock stops until
    /// the reasons arrive or the applicant's period has passed.
    ReasonsRequested {
        period_working_days: u32,
        /// How the letter went out; the period runs from its receipt.
        #[serde(default, skip_serializing_if = "Service::is_default")]
        service: Service,
    },
    /// The applicant's reasons arrived: the clock runs again from the next day.
    ReasonsReceived,
    /// The applicant's period passed without reasons.
    ReasonsNotReceived,
    /// Art. 35: the reasons are reasonable but the reply cannot be given within Art. 33's limits,
    /// so the agency sets a reasonable reply period: `working_days` counted like the Art. 33
    /// period (from the receipt, excluded periods skipped).
    ReplyPeriodSet {
        working_days: u32,
    },
    /// The decision (答复): exactly one leaf outcome of table 三, with its legal basis.
    Decided {
        outcome: Outcome,
        legal_basis: String,
    },
    /// The applicant withdrew; counted as other.other **[U]**.
    Withdrawn {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// The reply reached the applicant.
    ReplyDelivered {
        method: Delivery,
    },
    /// Replaces event number `target` (1-based) with `replacement`, or retracts it when
    /// `replacement` is `None`.
    Correction {
        target: u32,
        reason: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        replacement: Option<Box<Event>>,
    },
}

impl EventKind {
    /// The stable key (the serde tag).
    pub fn key(&self) -> &'static str {
        match self {
            EventKind::SupplementRequested { .. } => "supplement_requested",
            EventKind::SupplementReceived => "supplement_received",
            EventKind::SupplementNotReceived => "supplement_not_received",
            EventKind::ExtensionApproved { .. } => "extension_approved",
            EventKind::ConsultationOpened { .. } => "consultation_opened",
            EventKind::ConsultationAnswered { .. } => "consultation_answered",
            EventKind::FeeNoticeIssued { .. } => "fee_notice_issued",
            EventKind::FeePaid => "fee_paid",
            EventKind::FeeUnpaid => "fee_unpaid",
            EventKind::LetterReceived { .. } => "letter_received",
            EventKind::ReasonsRequested { .. } => "reasons_requested",
            EventKind::ReasonsReceived => "reasons_received",
            EventKind::ReasonsNotReceived => "reasons_not_received",
            EventKind::ReplyPeriodSet { .. } => "reply_period_set",
            EventKind::Decided { .. } => "decided",
            EventKind::Withdrawn { .. } => "withdrawn",
            EventKind::ReplyDelivered { .. } => "reply_delivered",
            EventKind::Correction { .. } => "correction",
        }
    }

    /// The other party's receipt of a letter this event records, if any.
    pub fn receipt_date(&self) -> Option<Date> {
        match self {
            EventKind::SupplementRequested { service, .. }
            | EventKind::ConsultationOpened { service, .. }
            | EventKind::FeeNoticeIssued { service, .. }
            | EventKind::ReasonsRequested { service, .. } => service.received_on,
            EventKind::LetterReceived { received_on, .. } => Some(*received_on),
            _ => None,
        }
    }

    /// A short Chinese name for lists and letters.
    pub fn label(&self) -> &'static str {
        match self {
            EventKind::SupplementRequested { .. } => "告知补正",
            EventKind::SupplementReceived => "收到补正",
            EventKind::SupplementNotReceived => "逾期未补正",
            EventKind::ExtensionApproved { .. } => "延期答复",
            EventKind::ConsultationOpened { .. } => "征求意见",
            EventKind::ConsultationAnswered { .. } => "收到意见",
            EventKind::FeeNoticeIssued { .. } => "发出收费通知",
            EventKind::FeePaid => "缴纳费用",
            EventKind::FeeUnpaid => "逾期未缴费",
            EventKind::LetterReceived { .. } => "文书送达",
            EventKind::ReasonsRequested { .. } => "要求说明理由",
            EventKind::ReasonsReceived => "收到理由说明",
            EventKind::ReasonsNotReceived => "逾期未说明理由",
            EventKind::ReplyPeriodSet { .. } => "确定延迟答复期限",
            EventKind::Decided { .. } => "作出答复",
            EventKind::Withdrawn { .. } => "撤回申请",
            EventKind::ReplyDelivered { .. } => "送达答复",
            EventKind::Correction { .. } => "更正",
        }
    }
}
