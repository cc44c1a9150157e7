//! The 21 leaf outcomes of table 三 (docs/rules/outcomes.md, rows 3–23). A decision records exactly
//! one; 区分处理 counts as 部分公开 (T3-5).

use crate::report::T3Row;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Outcome {
    #[serde(rename = "granted")]
    Granted,
    #[serde(rename = "partial")]
    Partial,
    #[serde(rename = "denied.state_secret")]
    DeniedStateSecret,
    #[serde(rename = "denied.law_prohibited")]
    DeniedLawProhibited,
    #[serde(rename = "denied.security_stability")]
    DeniedSecurityStability,
    #[serde(rename = "denied.third_party")]
    DeniedThirdParty,
    #[serde(rename = "denied.internal_affairs")]
    DeniedInternalAffairs,
    #[serde(rename = "denied.process_info")]
    DeniedProcessInfo,
    #[serde(rename = "denied.enforcement_file")]
    DeniedEnforcementFile,
    #[serde(rename = "denied.admin_query")]
    DeniedAdminQuery,
    #[serde(rename = "unable.not_held")]
    UnableNotHeld,
    #[serde(rename = "unable.needs_creation")]
    UnableNeedsCreation,
    #[serde(rename = "unable.still_unclear")]
    UnableStillUnclear,
    #[serde(rename = "not_processed.petition")]
    NotProcessedPetition,
    #[serde(rename = "not_processed.repeat")]
    NotProcessedRepeat,
    #[serde(rename = "not_processed.publication")]
    NotProcessedPublication,
    #[serde(rename = "not_processed.mass_repeat")]
    NotProcessedMassRepeat,
    #[serde(rename = "not_processed.confirm_reissue")]
    NotProcessedConfirmReissue,
    #[serde(rename = "other.no_correction")]
    OtherNoCorrection,
    #[serde(rename = "other.fee_unpaid")]
    OtherFeeUnpaid,
    #[serde(rename = "other.other")]
    OtherOther,
}

impl Outcome {
    pub const ALL: [Outcome; 21] = [
        Outcome::Granted,
        Outcome::Partial,
        Outcome::DeniedStateSecret,
        Outcome::DeniedLawProhibited,
        Outcome::DeniedSecurityStability,
        Outcome::DeniedThirdParty,
        Outcome::DeniedInternalAffairs,
        Outcome::DeniedProcessInfo,
        Outcome::DeniedEnforcementFile,
        Outcome::DeniedAdminQuery,
        Outcome::UnableNotHeld,
        Outcome::UnableNeedsCreation,
        Outcome::UnableStillUnclear,
        Outcome::NotProcessedPetition,
        Outcome::NotProcessedRepeat,
        Outcome::NotProcessedPublication,
        Outcome::NotProcessedMassRepeat,
        Outcome::NotProcessedConfirmReissue,
        Outcome::OtherNoCorrection,
        Outcome::OtherFeeUnpaid,
        Outcome::OtherOther,
    ];

    /// The table 三 row this outcome is counted in (2021 layout; the report model folds the
    /// three 其他处理 rows into one for the 2019 layout).
    pub fn t3_row(self) -> T3Row {
        match self {
            Outcome::Granted => T3Row::Granted,
            Outcome::Partial => T3Row::Partial,
            Outcome::DeniedStateSecret => T3Row::DeniedStateSecret,
            Outcome::DeniedLawProhibited => T3Row::DeniedLawProhibited,
            Outcome::DeniedSecurityStability => T3Row::DeniedSecurityStability,
            Outcome::DeniedThirdParty => T3Row::DeniedThirdParty,
            Outcome::DeniedInternalAffairs => T3Row::DeniedInternalAffairs,
            Outcome::DeniedProcessInfo => T3Row::DeniedProcessInfo,
            Outcome::DeniedEnforcementFile => T3Row::DeniedEnforcementFile,
            Outcome::DeniedAdminQuery => T3Row::DeniedAdminQuery,
            Outcome::UnableNotHeld => T3Row::UnableNotHeld,
            Outcome::UnableNeedsCreation => T3Row::UnableNeedsCreation,
            Outcome::UnableStillUnclear => T3Row::UnableStillUnclear,
            Outcome::NotProcessedPetition => T3Row::NotProcessedPetition,
            Outcome::NotProcessedRepeat => T3Row::NotProcessedRepeat,
            Outcome::NotProcessedPublication => T3Row::NotProcessedPublication,
            Outcome::NotProcessedMassRepeat => T3Row::NotProcessedMassRepeat,
            Outcome::NotProcessedConfirmReissue => T3Row::NotProcessedConfirmReissue,
            Outcome::OtherNoCorrection => T3Row::OtherNoCorrection,
            Outcome::OtherFeeUnpaid => T3Row::OtherFeeUnpaid,
            Outcome::OtherOther => T3Row::OtherOther,
        }
    }

    /// The inverse of [`Outcome::t3_row`]; `None` for rows that are not leaf outcomes.
    pub fn from_t3_row(row: T3Row) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.t3_row() == row)
    }

    /// The stable key, equal to the table 三 row key (`denied.third_party`, …).
    pub fn key(self) -> &'static str {
        self.t3_row().key()
    }

    pub fn from_key(key: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.key() == key)
    }

    /// The printed label of the table 三 row (`4.保护第三方合法权益`, …).
    pub fn label(self) -> &'static str {
        self.t3_row().label()
    }

    /// The group the row sits in (`（三）不予公开`, …); `None` for 予以公开 and 部分公开.
    pub fn group_label(self) -> Option<&'static str> {
        let key = self.key();
        let group = key.split_once('.')?.0;
        Some(match group {
            "denied" => "（三）不予公开",
            "unable" => "（四）无法提供",
            "not_processed" => "（五）不予处理",
            _ => "（六）其他处理",
        })
    }
}
