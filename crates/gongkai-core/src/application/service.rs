//! Service of the agency's letters (送达): the other party's period — the applicant's to
//! supplement, to pay or to state reasons, the consulted party's to answer (Art. 32) — runs
//! from the day that party received the letter, not from the day it was sent. A letter handed
//! over or sent electronically arrives the day it is sent; one sent by post or courier arrives
//! when the return receipt (回执) says, which is recorded on the letter or later.

use serde::{Deserialize, Serialize};
use time::Date;

/// How a letter was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServedBy {
    /// 直接送达: handed over (the default, and what every letter recorded before this field
    /// existed is taken to be).
    #[default]
    InPerson,
    /// 邮寄送达
    Post,
    /// 快递
    Express,
    /// 电子邮件
    Email,
    /// 传真
    Fax,
    /// 网上平台 (the online application system's message)
    Online,
}

impl ServedBy {
    pub const ALL: [ServedBy; 6] = [
        ServedBy::InPerson,
        ServedBy::Post,
        ServedBy::Express,
        ServedBy::Email,
        ServedBy::Fax,
        ServedBy::Online,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ServedBy::InPerson => "in_person",
            ServedBy::Post => "post",
            ServedBy::Express => "express",
            ServedBy::Email => "email",
            ServedBy::Fax => "fax",
            ServedBy::Online => "online",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ServedBy::InPerson => "直接送达",
            ServedBy::Post => "邮寄",
            ServedBy::Express => "快递",
            ServedBy::Email => "电子邮件",
            ServedBy::Fax => "传真",
            ServedBy::Online => "网上平台",
        }
    }

    /// Accepts the key, the label, or the key with `-` for `_`.
    pub fn parse(s: &str) -> Option<ServedBy> {
        let s = s.trim().replace('-', "_");
        ServedBy::ALL
            .into_iter()
            .find(|m| m.key() == s || m.label() == s)
    }

    /// Whether a letter sent this way is received the day it is sent.
    pub fn arrives_same_day(self) -> bool {
        !matches!(self, ServedBy::Post | ServedBy::Express)
    }
}

/// How a letter went out and, when known, the day the other party received it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Service {
    #[serde(default)]
    pub by: ServedBy,
    #[serde(
        default,
        with = "super::iso_date_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub received_on: Option<Date>,
}

impl Service {
    pub fn is_default(&self) -> bool {
        *self == Service::default()
    }
}

/// A letter of the case as the state machine keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Served {
    /// The 1-based position of the event that sent it (what `letter_received` names).
    pub seq: u32,
    pub sent_on: Date,
    pub by: ServedBy,
    /// Recorded with the letter or by a later `letter_received` event.
    pub received_on: Option<Date>,
}

impl Served {
    pub fn new(seq: u32, sent_on: Date, service: Service) -> Served {
        Served {
            seq,
            sent_on,
            by: service.by,
            received_on: service.received_on,
        }
    }

    /// The day the other party's period counts from: the recorded receipt, or the day sent
    /// when the letter arrives the same day; `None` while a posted letter's receipt is unknown.
    pub fn received(&self) -> Option<Date> {
        self.received_on
            .or(self.by.arrives_same_day().then_some(self.sent_on))
    }
}
