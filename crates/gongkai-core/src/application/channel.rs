//! How the application arrived (申请渠道) and which day counts as its receipt (收到申请之日,
//! Art. 31, refined by 国办公开办函〔2015〕207号; docs/rules/deadlines.md), and how the applicant
//! wants the information (获取方式).

use crate::calendar::iso;
use serde::{Deserialize, Serialize};
use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 当面: the day it is handed in.
    InPerson,
    /// 邮寄 (mail that is signed for): the day the agency signs for it.
    Mail,
    /// 平信 (ordinary letter, no signature): the day the disclosure office confirms with the
    /// applicant.
    OrdinaryLetter,
    /// 网络 (online form): the day both parties confirm.
    Online,
    /// 传真: the day both parties confirm.
    Fax,
    /// 电子邮件 (the published mailbox): the day the mail system receives it (207号). **[U]**
    /// whether this survives Art. 31(三); a confirmation date, when recorded, is not used.
    Email,
}

/// What the office recorded about the arrival.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptFacts {
    /// Handed in / signed for / arrived in the office / arrived in the mailbox or on the system.
    #[serde(with = "super::iso_date")]
    pub arrived_on: Date,
    /// The day the office confirmed with the applicant (平信) or both parties confirmed
    /// (网络, 传真).
    #[serde(
        default,
        with = "super::iso_date_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub confirmed_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    /// The channel needs a confirmation that has not happened: the clock has not started.
    #[error(
        "an application by {channel} counts as received on the day of confirmation, which is not recorded yet"
    )]
    NotConfirmed { channel: &'static str },
    #[error("confirmation {confirmed} is before arrival {arrived}")]
    ConfirmedBeforeArrival { arrived: String, confirmed: String },
}

impl ReceiptError {
    /// The message in Chinese.
    pub fn zh(&self) -> String {
        match self {
            ReceiptError::NotConfirmed { channel } => {
                format!("以{channel}方式提交的申请以确认之日为收到申请之日，尚未登记确认日期")
            }
            ReceiptError::ConfirmedBeforeArrival { arrived, confirmed } => {
                format!("确认日期{confirmed}早于到达日期{arrived}")
            }
        }
    }
}

impl Channel {
    pub const ALL: [Channel; 6] = [
        Channel::InPerson,
        Channel::Mail,
        Channel::OrdinaryLetter,
        Channel::Online,
        Channel::Fax,
        Channel::Email,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Channel::InPerson => "in_person",
            Channel::Mail => "mail",
            Channel::OrdinaryLetter => "ordinary_letter",
            Channel::Online => "online",
            Channel::Fax => "fax",
            Channel::Email => "email",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::InPerson => "当面",
            Channel::Mail => "邮寄",
            Channel::OrdinaryLetter => "平信",
            Channel::Online => "网络",
            Channel::Fax => "传真",
            Channel::Email => "电子邮件",
        }
    }

    /// Accepts the key or the Chinese label.
    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL
            .into_iter()
            .find(|c| c.key() == s || c.label() == s)
    }

    /// Whether the receipt date is a confirmation date rather than the arrival date.
    pub fn needs_confirmation(self) -> bool {
        matches!(
            self,
            Channel::OrdinaryLetter | Channel::Online | Channel::Fax
        )
    }

    /// The rule, in Chinese, for workings and letters.
    pub fn receipt_rule_zh(self) -> &'static str {
        match self {
            Channel::InPerson => "当面提交的，以提交之日为收到申请之日",
            Channel::Mail => "以邮寄方式提交的，以行政机关签收之日为收到申请之日",
            Channel::OrdinaryLetter => {
                "以平常信函等无需签收的邮寄方式提交的，以政府信息公开工作机构与申请人确认之日为收到申请之日"
            }
            Channel::Online | Channel::Fax => {
                "通过互联网渠道或者政府信息公开工作机构的传真提交的，以双方确认之日为收到申请之日"
            }
            Channel::Email => "通过公布的电子邮箱提交的，以电子邮件系统收到之日为收到申请之日",
        }
    }

    /// The receipt date (Art. 31) from what was recorded.
    pub fn receipt_date(self, facts: ReceiptFacts) -> Result<Date, ReceiptError> {
        if let Some(c) = facts.confirmed_on
            && c < facts.arrived_on
        {
            return Err(ReceiptError::ConfirmedBeforeArrival {
                arrived: iso(facts.arrived_on),
                confirmed: iso(c),
            });
        }
        if self.needs_confirmation() {
            facts.confirmed_on.ok_or(ReceiptError::NotConfirmed {
                channel: self.label(),
            })
        } else {
            Ok(facts.arrived_on)
        }
    }
}

/// How the applicant wants to obtain the information (获取信息的方式, Art. 29(三)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// 自行领取/当场阅读、抄录
    Collect,
    /// 邮寄
    Post,
    /// 快递
    Express,
    /// 电子邮件
    Email,
    /// 传真
    Fax,
}

impl Delivery {
    pub const ALL: [Delivery; 5] = [
        Delivery::Collect,
        Delivery::Post,
        Delivery::Express,
        Delivery::Email,
        Delivery::Fax,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Delivery::Collect => "collect",
            Delivery::Post => "post",
            Delivery::Express => "express",
            Delivery::Email => "email",
            Delivery::Fax => "fax",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Delivery::Collect => "自行领取/当场阅读、抄录",
            Delivery::Post => "邮寄",
            Delivery::Express => "快递",
            Delivery::Email => "电子邮件",
            Delivery::Fax => "传真",
        }
    }

    /// Accepts the key or the Chinese label.
    pub fn parse(s: &str) -> Option<Delivery> {
        Delivery::ALL
            .into_iter()
            .find(|d| d.key() == s || d.label() == s)
    }
}
