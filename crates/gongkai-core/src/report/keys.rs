//! The fixed keys of tables 二/三/四 (docs/rules/annual-report.md). Keys are stable identifiers
//! used in the interchange JSON; labels always come from [`super::format::spec`].

use super::format::spec;
use std::fmt;

/// The layout of the national format a report follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layout {
    /// 国办公开办函〔2021〕30号, report years 2021 onward.
    Y2021,
    /// 国办公开办函〔2019〕60号, report years 2019–2020.
    Y2019,
}

impl Layout {
    pub fn key(self) -> &'static str {
        match self {
            Layout::Y2021 => "2021",
            Layout::Y2019 => "2019",
        }
    }

    pub fn from_key(key: &str) -> Option<Layout> {
        match key {
            "2021" => Some(Layout::Y2021),
            "2019" => Some(Layout::Y2019),
            _ => None,
        }
    }

    /// The layout an agency should use for a report year.
    pub fn for_year(year: i32) -> Layout {
        if year <= 2020 {
            Layout::Y2019
        } else {
            Layout::Y2021
        }
    }
}

/// How table 三 prints （六）其他处理: split into three rows (2021) or as one row (2019, and
/// the hybrid of later reports that kept the old table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OtherShape {
    Split,
    Single,
}

/// A column of table 三 (申请人情况).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum T3Col {
    NaturalPerson,
    Commercial,
    Research,
    SocialWelfare,
    LegalService,
    OtherOrg,
    Total,
}

impl T3Col {
    pub const ALL: [T3Col; 7] = [
        T3Col::NaturalPerson,
        T3Col::Commercial,
        T3Col::Research,
        T3Col::SocialWelfare,
        T3Col::LegalService,
        T3Col::OtherOrg,
        T3Col::Total,
    ];
    /// The six applicant columns whose sum is the total.
    pub const PARTS: [T3Col; 6] = [
        T3Col::NaturalPerson,
        T3Col::Commercial,
        T3Col::Research,
        T3Col::SocialWelfare,
        T3Col::LegalService,
        T3Col::OtherOrg,
    ];

    pub fn key(self) -> &'static str {
        match self {
            T3Col::NaturalPerson => "natural_person",
            T3Col::Commercial => "legal.commercial",
            T3Col::Research => "legal.research",
            T3Col::SocialWelfare => "legal.social_welfare",
            T3Col::LegalService => "legal.legal_service",
            T3Col::OtherOrg => "legal.other",
            T3Col::Total => "total",
        }
    }

    pub fn from_key(key: &str) -> Option<T3Col> {
        T3Col::ALL.into_iter().find(|c| c.key() == key)
    }

    pub fn label(self) -> &'static str {
        let key = self.key();
        spec()
            .table3
            .columns
            .iter()
            .find(|c| c.key == key)
            .map(|c| c.label.as_str())
            .unwrap_or(key)
    }
}

/// A row of table 三. `Other` is the single （六）其他处理 row of the 2019 layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum T3Row {
    NewReceived,
    CarriedOver,
    Granted,
    Partial,
    DeniedStateSecret,
    DeniedLawProhibited,
    DeniedSecurityStability,
    DeniedThirdParty,
    DeniedInternalAffairs,
    DeniedProcessInfo,
    DeniedEnforcementFile,
    DeniedAdminQuery,
    UnableNotHeld,
    UnableNeedsCreation,
    UnableStillUnclear,
    NotProcessedPetition,
    NotProcessedRepeat,
    NotProcessedPublication,
    NotProcessedMassRepeat,
    NotProcessedConfirmReissue,
    OtherNoCorrection,
    OtherFeeUnpaid,
    OtherOther,
    Other,
    TotalProcessed,
    CarriedForward,
}

const T3_ROW_KEYS: [(T3Row, &str); 26] = [
    (T3Row::NewReceived, "new_received"),
    (T3Row::CarriedOver, "carried_over"),
    (T3Row::Granted, "granted"),
    (T3Row::Partial, "partial"),
    (T3Row::DeniedStateSecret, "denied.state_secret"),
    (T3Row::DeniedLawProhibited, "denied.law_prohibited"),
    (T3Row::DeniedSecurityStability, "denied.security_stability"),
    (T3Row::DeniedThirdParty, "denied.third_party"),
    (T3Row::DeniedInternalAffairs, "denied.internal_affairs"),
    (T3Row::DeniedProcessInfo, "denied.process_info"),
    (T3Row::DeniedEnforcementFile, "denied.enforcement_file"),
    (T3Row::DeniedAdminQuery, "denied.admin_query"),
    (T3Row::UnableNotHeld, "unable.not_held"),
    (T3Row::UnableNeedsCreation, "unable.needs_creation"),
    (T3Row::UnableStillUnclear, "unable.still_unclear"),
    (T3Row::NotProcessedPetition, "not_processed.petition"),
    (T3Row::NotProcessedRepeat, "not_processed.repeat"),
    (T3Row::NotProcessedPublication, "not_processed.publication"),
    (T3Row::NotProcessedMassRepeat, "not_processed.mass_repeat"),
    (
        T3Row::NotProcessedConfirmReissue,
        "not_processed.confirm_reissue",
    ),
    (T3Row::OtherNoCorrection, "other.no_correction"),
    (T3Row::OtherFeeUnpaid, "other.fee_unpaid"),
    (T3Row::OtherOther, "other.other"),
    (T3Row::Other, "other"),
    (T3Row::TotalProcessed, "total_processed"),
    (T3Row::CarriedForward, "carried_forward"),
];

const ROWS_SPLIT: [T3Row; 25] = [
    T3Row::NewReceived,
    T3Row::CarriedOver,
    T3Row::Granted,
    T3Row::Partial,
    T3Row::DeniedStateSecret,
    T3Row::DeniedLawProhibited,
    T3Row::DeniedSecurityStability,
    T3Row::DeniedThirdParty,
    T3Row::DeniedInternalAffairs,
    T3Row::DeniedProcessInfo,
    T3Row::DeniedEnforcementFile,
    T3Row::DeniedAdminQuery,
    T3Row::UnableNotHeld,
    T3Row::UnableNeedsCreation,
    T3Row::UnableStillUnclear,
    T3Row::NotProcessedPetition,
    T3Row::NotProcessedRepeat,
    T3Row::NotProcessedPublication,
    T3Row::NotProcessedMassRepeat,
    T3Row::NotProcessedConfirmReissue,
    T3Row::OtherNoCorrection,
    T3Row::OtherFeeUnpaid,
    T3Row::OtherOther,
    T3Row::TotalProcessed,
    T3Row::CarriedForward,
];

const ROWS_SINGLE: [T3Row; 23] = [
    T3Row::NewReceived,
    T3Row::CarriedOver,
    T3Row::Granted,
    T3Row::Partial,
    T3Row::DeniedStateSecret,
    T3Row::DeniedLawProhibited,
    T3Row::DeniedSecurityStability,
    T3Row::DeniedThirdParty,
    T3Row::DeniedInternalAffairs,
    T3Row::DeniedProcessInfo,
    T3Row::DeniedEnforcementFile,
    T3Row::DeniedAdminQuery,
    T3Row::UnableNotHeld,
    T3Row::UnableNeedsCreation,
    T3Row::UnableStillUnclear,
    T3Row::NotProcessedPetition,
    T3Row::NotProcessedRepeat,
    T3Row::NotProcessedPublication,
    T3Row::NotProcessedMassRepeat,
    T3Row::NotProcessedConfirmReissue,
    T3Row::Other,
    T3Row::TotalProcessed,
    T3Row::CarriedForward,
];

impl T3Row {
    /// The rows printed for a shape, in the order of the national format.
    pub fn rows(shape: OtherShape) -> &'static [T3Row] {
        match shape {
            OtherShape::Split => &ROWS_SPLIT,
            OtherShape::Single => &ROWS_SINGLE,
        }
    }

    /// Every row key known to any layout.
    pub fn all() -> impl Iterator<Item = T3Row> {
        T3_ROW_KEYS.iter().map(|(r, _)| *r)
    }

    pub fn key(self) -> &'static str {
        T3_ROW_KEYS
            .iter()
            .find(|(r, _)| *r == self)
            .map(|(_, k)| *k)
            .unwrap_or("")
    }

    pub fn from_key(key: &str) -> Option<T3Row> {
        T3_ROW_KEYS.iter().find(|(_, k)| *k == key).map(|(r, _)| *r)
    }

    /// One of the leaf outcome rows 3–23 (the rows （七）总计 adds up).
    pub fn is_outcome(self) -> bool {
        !matches!(
            self,
            T3Row::NewReceived | T3Row::CarriedOver | T3Row::TotalProcessed | T3Row::CarriedForward
        )
    }

    /// The official label, e.g. `1.属于国家秘密`.
    pub fn label(self) -> &'static str {
        spec()
            .t3_row(self.key())
            .map(|r| r.label.as_str())
            .unwrap_or("")
    }

    /// The group labels above the row, outermost first (`三、本年度办理结果`, `（三）不予公开`).
    pub fn groups(self) -> &'static [String] {
        spec()
            .t3_row(self.key())
            .map(|r| r.group.as_slice())
            .unwrap_or(&[])
    }

    /// The label with its groups, for messages: `（三）不予公开 1.属于国家秘密`.
    pub fn full_label(self) -> String {
        let groups = self.groups();
        let mut parts: Vec<&str> = groups.iter().skip(1).map(String::as_str).collect();
        parts.push(self.label());
        parts.join(" ")
    }
}

/// A column of table 四.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct T4Col {
    pub group: T4Group,
    pub outcome: T4Outcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum T4Group {
    Review,
    LitigationDirect,
    LitigationAfterReview,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum T4Outcome {
    Upheld,
    Corrected,
    Other,
    Pending,
    Total,
}

impl T4Group {
    pub const ALL: [T4Group; 3] = [
        T4Group::Review,
        T4Group::LitigationDirect,
        T4Group::LitigationAfterReview,
    ];

    pub fn key(self) -> &'static str {
        match self {
            T4Group::Review => "review",
            T4Group::LitigationDirect => "litigation.direct",
            T4Group::LitigationAfterReview => "litigation.after_review",
        }
    }

    pub fn label(self) -> &'static str {
        let key = self.key();
        spec()
            .table4
            .column_groups
            .iter()
            .find(|g| g.key == key)
            .map(|g| g.label.as_str())
            .unwrap_or(key)
    }
}

impl T4Outcome {
    pub const ALL: [T4Outcome; 5] = [
        T4Outcome::Upheld,
        T4Outcome::Corrected,
        T4Outcome::Other,
        T4Outcome::Pending,
        T4Outcome::Total,
    ];

    pub fn key(self) -> &'static str {
        match self {
            T4Outcome::Upheld => "upheld",
            T4Outcome::Corrected => "corrected",
            T4Outcome::Other => "other",
            T4Outcome::Pending => "pending",
            T4Outcome::Total => "total",
        }
    }
}

impl T4Col {
    /// The 15 columns in printed order.
    pub fn all() -> impl Iterator<Item = T4Col> {
        T4Group::ALL.into_iter().flat_map(|group| {
            T4Outcome::ALL
                .into_iter()
                .map(move |outcome| T4Col { group, outcome })
        })
    }

    pub fn key(self) -> String {
        format!("{}.{}", self.group.key(), self.outcome.key())
    }

    pub fn from_key(key: &str) -> Option<T4Col> {
        T4Col::all().find(|c| c.key() == key)
    }

    pub fn label(self) -> &'static str {
        let key = self.key();
        spec()
            .table4
            .columns
            .iter()
            .find(|c| c.key == key)
            .map(|c| c.label.as_str())
            .unwrap_or("")
    }
}

/// A cell of table 二: sub-table, row and column keys of the report's layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct T2Key {
    pub sub: &'static str,
    pub row: &'static str,
    pub col: &'static str,
}

impl T2Key {
    /// Every cell of table 二 in a layout, in printed order.
    pub fn all(layout: Layout) -> Vec<T2Key> {
        let t2 = spec().table2_for(layout == Layout::Y2019);
        let mut out = Vec::new();
        for sub in &t2.subtables {
            for row in &sub.rows {
                for col in &sub.columns {
                    out.push(T2Key {
                        sub: &sub.key,
                        row: &row.key,
                        col: &col.key,
                    });
                }
            }
        }
        out
    }

    /// Finds the key of a layout by its strings.
    pub fn find(layout: Layout, sub: &str, row: &str, col: &str) -> Option<T2Key> {
        T2Key::all(layout)
            .into_iter()
            .find(|k| k.sub == sub && k.row == row && k.col == col)
    }

    /// Amounts in 万元 rather than counts (第二十条第（八）项 of the 2021 layout).
    pub fn is_amount(self) -> bool {
        self.col == "fee_amount" || self.col == "procurement_amount"
    }

    /// Signed counts: the 2019 layout's 本年增/减 (`change`), where a decrease is printed as a
    /// negative number (`-8`). Every other cell of the report is non-negative.
    pub fn is_signed(self) -> bool {
        self.col == "change"
    }

    pub fn labels(self, layout: Layout) -> (&'static str, &'static str, &'static str) {
        let t2 = spec().table2_for(layout == Layout::Y2019);
        let Some(sub) = t2.subtable(self.sub) else {
            return ("", "", "");
        };
        let row = sub
            .rows
            .iter()
            .find(|r| r.key == self.row)
            .map(|r| r.label.as_str())
            .unwrap_or("");
        let col = sub
            .columns
            .iter()
            .find(|c| c.key == self.col)
            .map(|c| c.label.as_str())
            .unwrap_or("");
        (sub.caption.as_str(), row, col)
    }
}

/// A reference to one cell of a report, for rule results and evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CellRef {
    T2(T2Key),
    T3(T3Row, T3Col),
    T4(T4Col),
}

impl CellRef {
    /// The JSON path of the cell in the interchange format, e.g. `table3.granted.total`.
    pub fn path(&self) -> String {
        match self {
            CellRef::T2(k) => format!("table2.{}.{}.{}", k.sub, k.row, k.col),
            CellRef::T3(r, c) => format!("table3.{}.{}", r.key(), c.key()),
            CellRef::T4(c) => format!("table4.{}", c.key()),
        }
    }

    /// A Chinese description of the cell, e.g. `表三 （三）不予公开 1.属于国家秘密 / 商业企业`.
    pub fn label_zh(&self, layout: Layout) -> String {
        match self {
            CellRef::T2(k) => {
                let (cap, row, col) = k.labels(layout);
                format!("表二 {cap} {row} / {col}")
            }
            CellRef::T3(r, c) => format!("表三 {} / {}", r.full_label(), c.label()),
            CellRef::T4(c) => {
                let parent = if c.group == T4Group::Review {
                    ""
                } else {
                    "行政诉讼 "
                };
                format!("表四 {parent}{} / {}", c.group.label(), c.label())
            }
        }
    }
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_key_has_an_official_label() {
        for row in T3Row::all() {
            assert!(!row.label().is_empty(), "{} has no label", row.key());
            assert_eq!(T3Row::from_key(row.key()), Some(row));
        }
        assert_eq!(
            T3Row::DeniedSecurityStability.label(),
            "3.危及“三安全一稳定”"
        );
        assert_eq!(T3Row::Other.label(), "（六）其他处理");
    }

    #[test]
    fn spec_rows_and_enum_agree() {
        let spec_keys: Vec<&str> = spec().table3.rows.iter().map(|r| r.key.as_str()).collect();
        let enum_keys: Vec<&str> = T3Row::rows(OtherShape::Split)
            .iter()
            .map(|r| r.key())
            .collect();
        assert_eq!(spec_keys, enum_keys);
        let spec_cols: Vec<&str> = spec()
            .table3
            .columns
            .iter()
            .map(|c| c.key.as_str())
            .collect();
        let enum_cols: Vec<&str> = T3Col::ALL.iter().map(|c| c.key()).collect();
        assert_eq!(spec_cols, enum_cols);
        let t4: Vec<String> = spec()
            .table4
            .columns
            .iter()
            .map(|c| c.key.clone())
            .collect();
        assert_eq!(t4, T4Col::all().map(|c| c.key()).collect::<Vec<_>>());
    }

    #[test]
    fn table2_layouts() {
        assert_eq!(T2Key::all(Layout::Y2021).len(), 6 + 1 + 2 + 1);
        assert_eq!(T2Key::all(Layout::Y2019).len(), 6 + 6 + 6 + 2 + 2);
        let k =
            T2Key::find(Layout::Y2021, "art20_8", "admin_fees", "fee_amount").expect("fee cell");
        assert!(k.is_amount());
        assert_eq!(k.labels(Layout::Y2021).2, "本年收费金额（单位：万元）");
    }
}
