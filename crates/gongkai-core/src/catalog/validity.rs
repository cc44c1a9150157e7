//! 有效性 of 规章 and 行政规范性文件: 有效, 失效 or 废止, with 实施日期 and 废止日期, and the history of
//! every change (who, when, why). Table 二 第二十条第（一）项 is computed from it.

use super::error::CatalogError;
use super::signer::Signer;
use time::{Date, OffsetDateTime};

/// The two kinds table 二 counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NormativeKind {
    /// 规章
    Rule,
    /// 行政规范性文件
    NormativeDoc,
}

impl NormativeKind {
    pub const ALL: [NormativeKind; 2] = [NormativeKind::Rule, NormativeKind::NormativeDoc];

    pub fn key(self) -> &'static str {
        match self {
            NormativeKind::Rule => "rules",
            NormativeKind::NormativeDoc => "normative_docs",
        }
    }

    pub fn from_key(key: &str) -> Option<NormativeKind> {
        match key {
            "rules" | "rule" | "规章" => Some(NormativeKind::Rule),
            "normative_docs" | "normative_doc" | "行政规范性文件" => {
                Some(NormativeKind::NormativeDoc)
            }
            _ => None,
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            NormativeKind::Rule => "规章",
            NormativeKind::NormativeDoc => "行政规范性文件",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValidityStatus {
    /// 有效
    Valid,
    /// 失效 (expired, e.g. at the end of its term)
    Expired,
    /// 废止 (repealed)
    Repealed,
}

impl ValidityStatus {
    pub fn key(self) -> &'static str {
        match self {
            ValidityStatus::Valid => "valid",
            ValidityStatus::Expired => "expired",
            ValidityStatus::Repealed => "repealed",
        }
    }

    pub fn from_key(key: &str) -> Option<ValidityStatus> {
        match key {
            "valid" | "有效" => Some(ValidityStatus::Valid),
            "expired" | "失效" => Some(ValidityStatus::Expired),
            "repealed" | "废止" => Some(ValidityStatus::Repealed),
            _ => None,
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            ValidityStatus::Valid => "有效",
            ValidityStatus::Expired => "失效",
            ValidityStatus::Repealed => "废止",
        }
    }
}

/// The validity as stated at one time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validity {
    pub status: ValidityStatus,
    /// 实施日期
    pub effective_on: Option<Date>,
    /// 废止日期 (or the date it expired): the first day it is no longer in force.
    pub ends_on: Option<Date>,
}

impl Validity {
    pub fn new(
        status: ValidityStatus,
        effective_on: Option<Date>,
        ends_on: Option<Date>,
    ) -> Result<Validity, CatalogError> {
        if let (Some(effective), Some(repealed)) = (effective_on, ends_on)
            && repealed < effective
        {
            return Err(CatalogError::RepealBeforeEffective {
                effective,
                repealed,
            });
        }
        if status != ValidityStatus::Valid && ends_on.is_none() {
            return Err(CatalogError::ValidityIncomplete {
                status: status.zh(),
                what: if status == ValidityStatus::Repealed {
                    "废止日期"
                } else {
                    "失效日期"
                },
            });
        }
        Ok(Validity {
            status,
            effective_on,
            ends_on,
        })
    }

    /// In force on `day`: in effect from 实施日期 (or always, without one) until 废止日期.
    pub fn in_force_on(&self, day: Date) -> bool {
        self.effective_on.is_none_or(|e| e <= day) && self.ends_on.is_none_or(|x| day < x)
    }
}

/// One recorded change of validity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidityChange {
    pub validity: Validity,
    /// Who recorded it (their id, and the display name at the time).
    pub by: Signer,
    pub at: OffsetDateTime,
    pub reason: Option<String>,
}

/// A 规章 or 行政规范性文件: its kind and its validity history (never empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normative {
    pub kind: NormativeKind,
    history: Vec<ValidityChange>,
}

impl Normative {
    pub fn new(kind: NormativeKind, first: ValidityChange) -> Normative {
        Normative {
            kind,
            history: vec![first],
        }
    }

    /// Rebuilds from stored history (oldest first).
    pub fn from_history(
        kind: NormativeKind,
        history: Vec<ValidityChange>,
    ) -> Result<Normative, CatalogError> {
        if history.is_empty() {
            return Err(CatalogError::Missing { field: "validity" });
        }
        Ok(Normative { kind, history })
    }

    pub fn current(&self) -> &Validity {
        &self
            .history
            .last()
            .expect("history is never empty")
            .validity
    }

    pub fn history(&self) -> &[ValidityChange] {
        &self.history
    }

    /// Records a change; a repeal needs a reason. Refused changes leave the history unchanged.
    pub fn change(&mut self, change: ValidityChange) -> Result<(), CatalogError> {
        if change.validity.status != ValidityStatus::Valid
            && change.reason.as_deref().is_none_or(|r| r.trim().is_empty())
        {
            return Err(CatalogError::ValidityReason {
                status: change.validity.status.zh(),
            });
        }
        self.history.push(change);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn repeal_before_effective_is_refused() {
        let err = Validity::new(
            ValidityStatus::Repealed,
            Some(date!(2021 - 05 - 01)),
            Some(date!(2021 - 04 - 30)),
        )
        .expect_err("refused");
        assert_eq!(err.zh(), "废止日期（2021-04-30）早于实施日期（2021-05-01）");
        assert!(
            Validity::new(
                ValidityStatus::Repealed,
                Some(date!(2021 - 05 - 01)),
                Some(date!(2021 - 05 - 01))
            )
            .is_ok()
        );
    }

    #[test]
    fn repealed_needs_a_date() {
        assert!(matches!(
            Validity::new(ValidityStatus::Repealed, Some(date!(2021 - 05 - 01)), None),
            Err(CatalogError::ValidityIncomplete { .. })
        ));
    }

    #[test]
    fn in_force_between_effective_and_end() {
        let v = Validity::new(
            ValidityStatus::Repealed,
            Some(date!(2020 - 01 - 01)),
            Some(date!(2021 - 07 - 01)),
        )
        .expect("valid");
        assert!(!v.in_force_on(date!(2019 - 12 - 31)));
        assert!(v.in_force_on(date!(2020 - 01 - 01)));
        assert!(v.in_force_on(date!(2021 - 06 - 30)));
        assert!(!v.in_force_on(date!(2021 - 07 - 01)));
    }

    #[test]
    fn history_keeps_every_change() {
        let t = datetime!(2021-01-01 0:00 UTC);
        let first = ValidityChange {
            validity: Validity::new(ValidityStatus::Valid, Some(date!(2020 - 01 - 01)), None)
                .expect("valid"),
            by: crate::catalog::item::tests::who("张"),
            at: t,
            reason: None,
        };
        let mut n = Normative::new(NormativeKind::NormativeDoc, first);
        let repeal = Validity::new(
            ValidityStatus::Repealed,
            Some(date!(2020 - 01 - 01)),
            Some(date!(2021 - 07 - 01)),
        )
        .expect("valid");
        assert!(
            n.change(ValidityChange {
                validity: repeal,
                by: crate::catalog::item::tests::who("李"),
                at: t,
                reason: None
            })
            .is_err()
        );
        assert_eq!(n.history().len(), 1);
        n.change(ValidityChange {
            validity: repeal,
            by: crate::catalog::item::tests::who("李"),
            at: t,
            reason: Some("已被新文件替代".into()),
        })
        .expect("with a reason");
        assert_eq!(n.history().len(), 2);
        assert_eq!(n.current().status, ValidityStatus::Repealed);
    }
}
