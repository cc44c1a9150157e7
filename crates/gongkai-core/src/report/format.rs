//! The national format as data: sections, table captions, row and column keys and their
//! official labels, loaded from `data/formats/national-report.json` (described in
//! docs/rules/annual-report.md). Templates and renderers read labels from here, never retype them.

use serde::Deserialize;
use std::sync::LazyLock;

const NATIONAL_REPORT_JSON: &str = include_str!("../../../../data/formats/national-report.json");

static SPEC: LazyLock<FormatSpec> = LazyLock::new(|| {
    // The file is compiled in and covered by tests, so a parse failure is a build defect.
    serde_json::from_str(NATIONAL_REPORT_JSON).expect("data/formats/national-report.json is valid")
});

/// The national annual-report format (2021 and 2019 layouts).
pub fn spec() -> &'static FormatSpec {
    &SPEC
}

#[derive(Debug, Deserialize)]
pub struct FormatSpec {
    pub sections: Vec<KeyLabel>,
    pub table2: Table2Spec,
    pub table2_legacy_2019: Table2Spec,
    pub table3: Table3Spec,
    pub table4: Table4Spec,
}

#[derive(Debug, Clone, Deserialize)]
pub struct KeyLabel {
    pub key: String,
    pub label: String,
}

#[derive(Debug, Deserialize)]
pub struct Table2Spec {
    pub label_column: String,
    pub subtables: Vec<SubtableSpec>,
}

#[derive(Debug, Deserialize)]
pub struct SubtableSpec {
    pub key: String,
    pub caption: String,
    #[serde(default)]
    pub unit: Option<String>,
    pub columns: Vec<KeyLabel>,
    pub rows: Vec<KeyLabel>,
}

#[derive(Debug, Deserialize)]
pub struct Table3Spec {
    pub corner_note: String,
    pub column_group: String,
    pub columns: Vec<T3ColumnSpec>,
    pub rows: Vec<T3RowSpec>,
    pub legacy_2019_rows: LegacyRows,
}

#[derive(Debug, Deserialize)]
pub struct T3ColumnSpec {
    pub key: String,
    pub label: String,
    #[serde(default)]
    pub group: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct T3RowSpec {
    pub key: String,
    pub label: String,
    #[serde(default)]
    pub group: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct LegacyRows {
    pub replace: Vec<String>,
    pub with: T3RowSpec,
}

#[derive(Debug, Deserialize)]
pub struct Table4Spec {
    pub column_groups: Vec<T4GroupSpec>,
    pub columns: Vec<KeyLabel>,
}

#[derive(Debug, Deserialize)]
pub struct T4GroupSpec {
    pub key: String,
    pub label: String,
    #[serde(default)]
    pub parent: Option<String>,
}

impl FormatSpec {
    /// The label of section `key` (`overview`, `proactive`, …) as printed in the 2021 format.
    pub fn section_label(&self, key: &str) -> &str {
        self.sections
            .iter()
            .find(|s| s.key == key)
            .map(|s| s.label.as_str())
            .unwrap_or("")
    }

    pub fn table2_for(&self, legacy_2019: bool) -> &Table2Spec {
        if legacy_2019 {
            &self.table2_legacy_2019
        } else {
            &self.table2
        }
    }

    /// Every table 三 row spec, the legacy single （六）其他处理 row included.
    pub fn t3_row(&self, key: &str) -> Option<&T3RowSpec> {
        self.table3.rows.iter().find(|r| r.key == key).or_else(|| {
            (self.table3.legacy_2019_rows.with.key == key)
                .then_some(&self.table3.legacy_2019_rows.with)
        })
    }
}

impl Table2Spec {
    pub fn subtable(&self, key: &str) -> Option<&SubtableSpec> {
        self.subtables.iter().find(|s| s.key == key)
    }
}
