//! What an agency can configure about its catalogue: its columns (栏目), the national subject
//! list (主题分类), genres (体裁), the 索引号 pattern and the attachment limits. The defaults are
//! the data files under `data/taxonomies/`, compiled in; an agency's own JSON overrides them.

use super::attachment::AttachmentPolicy;
use super::error::CatalogError;
use super::index_number::IndexPattern;
use serde::Deserialize;
use std::sync::OnceLock;

const SUBJECTS_JSON: &str = include_str!("../../../../data/taxonomies/subjects.json");
const DEFAULTS_JSON: &str = include_str!("../../../../data/taxonomies/catalog-defaults.json");

/// The subject list: top-level categories, each with an optional second level.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SubjectList {
    pub categories: Vec<SubjectCategory>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SubjectCategory {
    pub label: String,
    #[serde(default)]
    pub children: Vec<String>,
}

impl SubjectList {
    pub fn from_json(text: &str) -> Result<SubjectList, CatalogError> {
        let list: SubjectList = serde_json::from_str(text)
            .map_err(|e| CatalogError::Config(format!("subject list: {e}")))?;
        if list.categories.is_empty() {
            return Err(CatalogError::Config("subject list is empty".into()));
        }
        Ok(list)
    }

    /// Reads `综合政务\政务公开` or `综合政务`: the first level must be in the list, the second (if
    /// given) among its children.
    pub fn parse(&self, text: &str) -> Result<Subject, CatalogError> {
        let text = text.trim();
        let (top, sub) = match text.split_once(['\\', '/', '＼']) {
            Some((a, b)) => (a.trim(), Some(b.trim())),
            None => (text, None),
        };
        let Some(cat) = self.categories.iter().find(|c| c.label == top) else {
            return Err(CatalogError::UnknownSubject(text.to_string()));
        };
        if let Some(sub) = sub
            && !cat.children.iter().any(|c| c == sub)
        {
            return Err(CatalogError::UnknownSubject(text.to_string()));
        }
        Ok(Subject {
            top: top.to_string(),
            sub: sub.map(str::to_string),
        })
    }
}

/// A 主题分类 value, printed `综合政务\政务公开`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub top: String,
    pub sub: Option<String>,
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.sub {
            Some(s) => write!(f, "{}\\{}", self.top, s),
            None => f.write_str(&self.top),
        }
    }
}

/// The catalogue settings of one agency.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogConfig {
    /// The agency's own columns (栏目), in the order section 一 lists them.
    pub columns: Vec<String>,
    /// The column whose items interpret a policy (政策解读).
    pub interpretation_column: String,
    pub genres: Vec<String>,
    pub subjects: SubjectList,
    pub index_pattern: IndexPattern,
    /// Art. 26: publish within this many working days of forming or changing.
    pub timeliness_working_days: u32,
    pub attachments: AttachmentPolicy,
}

#[derive(Deserialize)]
struct RawConfig {
    columns: Option<Vec<String>>,
    interpretation_column: Option<String>,
    genres: Option<Vec<String>>,
    index_pattern: Option<String>,
    timeliness_working_days: Option<u32>,
    attachments: Option<RawAttachments>,
}

#[derive(Deserialize)]
struct RawAttachments {
    max_bytes: Option<u64>,
    max_count: Option<usize>,
    extensions: Option<Vec<String>>,
}

impl Default for CatalogConfig {
    fn default() -> CatalogConfig {
        static DEFAULT: OnceLock<CatalogConfig> = OnceLock::new();
        DEFAULT
            .get_or_init(|| {
                let subjects =
                    SubjectList::from_json(SUBJECTS_JSON).expect("built-in subject list is valid");
                let base = CatalogConfig {
                    columns: Vec::new(),
                    interpretation_column: String::new(),
                    genres: Vec::new(),
                    subjects,
                    index_pattern: IndexPattern::parse("{org_code}/{year}-{seq:05}")
                        .expect("built-in pattern is valid"),
                    timeliness_working_days: 20,
                    attachments: AttachmentPolicy::default(),
                };
                base.overridden(DEFAULTS_JSON)
                    .expect("built-in catalogue defaults are valid")
            })
            .clone()
    }
}

impl CatalogConfig {
    /// This configuration with the keys present in `json` replaced (an agency's settings file).
    pub fn overridden(&self, json: &str) -> Result<CatalogConfig, CatalogError> {
        let raw: RawConfig = serde_json::from_str(json)
            .map_err(|e| CatalogError::Config(format!("catalogue settings: {e}")))?;
        let mut out = self.clone();
        if let Some(c) = raw.columns {
            out.columns = c;
        }
        if let Some(c) = raw.interpretation_column {
            out.interpretation_column = c;
        }
        if let Some(g) = raw.genres {
            out.genres = g;
        }
        if let Some(p) = raw.index_pattern {
            out.index_pattern = IndexPattern::parse(&p)?;
        }
        if let Some(n) = raw.timeliness_working_days {
            out.timeliness_working_days = n;
        }
        if let Some(a) = raw.attachments {
            if let Some(n) = a.max_bytes {
                out.attachments.max_bytes = n;
            }
            if let Some(n) = a.max_count {
                out.attachments.max_count = n;
            }
            if let Some(e) = a.extensions {
                out.attachments.extensions = e.into_iter().map(|x| x.to_lowercase()).collect();
            }
        }
        out.check()?;
        Ok(out)
    }

    /// Replaces the subject list (a deployment's own edition of the national list).
    pub fn with_subjects(mut self, subjects: SubjectList) -> CatalogConfig {
        self.subjects = subjects;
        self
    }

    fn check(&self) -> Result<(), CatalogError> {
        if self.columns.is_empty() {
            return Err(CatalogError::Config("no columns (栏目) configured".into()));
        }
        let mut seen = std::collections::BTreeSet::new();
        for c in &self.columns {
            if c.trim().is_empty() || !seen.insert(c.as_str()) {
                return Err(CatalogError::Config(format!(
                    "column names must be non-empty and distinct: {c:?}"
                )));
            }
        }
        if !self.interpretation_column.is_empty()
            && !self.columns.contains(&self.interpretation_column)
        {
            return Err(CatalogError::Config(format!(
                "interpretation column {:?} is not one of the columns",
                self.interpretation_column
            )));
        }
        Ok(())
    }

    pub fn has_column(&self, column: &str) -> bool {
        self.columns.iter().any(|c| c == column)
    }

    pub fn has_genre(&self, genre: &str) -> bool {
        self.genres.iter().any(|g| g == genre)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_seed_columns() {
        let c = CatalogConfig::default();
        assert_eq!(c.columns.len(), 13);
        assert_eq!(c.columns[0], "政策文件");
        assert_eq!(c.columns[12], "政务公开保障机制");
        assert_eq!(c.interpretation_column, "政策解读");
        assert_eq!(c.index_pattern.text(), "{org_code}/{year}-{seq:05}");
        assert!(c.has_genre("通知"));
    }

    #[test]
    fn subjects_parse_two_levels() {
        let c = CatalogConfig::default();
        let s = c.subjects.parse("综合政务\\政务公开").expect("known");
        assert_eq!(s.to_string(), "综合政务\\政务公开");
        assert_eq!(c.subjects.parse("卫生、体育").expect("top").sub, None);
        assert!(c.subjects.parse("综合政务\\不存在").is_err());
        assert!(c.subjects.parse("火星事务").is_err());
    }

    #[test]
    fn override_replaces_only_given_keys() {
        let c = CatalogConfig::default()
            .overridden(r#"{"columns": ["通知公告", "政策解读"], "index_pattern": "{org_code}-{year}-{seq:04}"}"#)
            .expect("valid");
        assert_eq!(c.columns, vec!["通知公告", "政策解读"]);
        assert_eq!(c.genres, CatalogConfig::default().genres);
        assert!(
            CatalogConfig::default()
                .overridden(r#"{"columns": []}"#)
                .is_err()
        );
        assert!(
            CatalogConfig::default()
                .overridden(r#"{"columns": ["a", "a"]}"#)
                .is_err()
        );
        assert!(
            CatalogConfig::default()
                .overridden(r#"{"index_pattern": "{org_code}/{year}"}"#)
                .is_err()
        );
    }
}
