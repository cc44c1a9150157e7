//! The agency's catalogue settings: the defaults of `data/taxonomies/` with the agency's own
//! JSON applied. Only a 系统管理员 changes them.

use super::access::require_any;
use crate::App;
use crate::error::Result;
use gongkai_core::catalog::{CatalogConfig, Signer};
use gongkai_core::ids::AgencyId;
use gongkai_core::user::{Actor, Role};
use gongkai_store::Db;
use gongkai_store::repo::agency as agency_repo;
use gongkai_store::repo::catalog as repo;
use serde::Serialize;

/// The settings as shown by `catalog config` and served by the API.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfigView {
    /// 栏目, in the order section 一 lists them.
    pub columns: Vec<String>,
    /// The column of 政策解读.
    pub interpretation_column: String,
    /// 体裁.
    pub genres: Vec<String>,
    /// 主题分类.
    pub subjects: Vec<SubjectView>,
    /// The 索引号 pattern, e.g. `{org_code}/{year}-{seq:05}`.
    pub index_pattern: String,
    /// Art. 26: publish within this many working days of forming or changing.
    pub timeliness_working_days: u32,
    pub attachments: AttachmentLimitsView,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubjectView {
    pub label: String,
    pub children: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachmentLimitsView {
    pub max_bytes: u64,
    pub max_count: usize,
    /// Allowed extensions, lower case, without the dot.
    pub extensions: Vec<String>,
}

impl From<&CatalogConfig> for ConfigView {
    fn from(cfg: &CatalogConfig) -> ConfigView {
        ConfigView {
            columns: cfg.columns.clone(),
            interpretation_column: cfg.interpretation_column.clone(),
            genres: cfg.genres.clone(),
            subjects: cfg
                .subjects
                .categories
                .iter()
                .map(|c| SubjectView {
                    label: c.label.clone(),
                    children: c.children.clone(),
                })
                .collect(),
            index_pattern: cfg.index_pattern.text().to_string(),
            timeliness_working_days: cfg.timeliness_working_days,
            attachments: AttachmentLimitsView {
                max_bytes: cfg.attachments.max_bytes,
                max_count: cfg.attachments.max_count,
                extensions: cfg.attachments.extensions.clone(),
            },
        }
    }
}

/// The agency's catalogue configuration (the domain value the other use cases apply).
pub(crate) async fn load(db: &Db, agency: AgencyId) -> Result<CatalogConfig> {
    let base = CatalogConfig::default();
    match repo::settings(db, agency).await? {
        Some(json) => Ok(base.overridden(&json)?),
        None => Ok(base),
    }
}

/// The agency's catalogue settings.
pub async fn config(app: &App, agency: AgencyId) -> Result<ConfigView> {
    Ok(ConfigView::from(&load(&app.db, agency).await?))
}

/// Replaces the agency's catalogue settings with `json` (keys not given keep their defaults),
/// checked before they are stored; only a 系统管理员 may.
pub async fn set_config(
    app: &App,
    actor: &Actor,
    agency: AgencyId,
    json: &str,
) -> Result<ConfigView> {
    require_any(
        actor,
        &[Role::Admin],
        "change the catalogue settings",
        "修改目录设置",
    )?;
    agency_repo::find_agency(&app.db, agency.get()).await?;
    super::scope::check_agency(&app.db, actor, agency).await?;
    let cfg = CatalogConfig::default().overridden(json)?;
    let mut tx = app.db.begin().await?;
    repo::put_settings(&mut tx, agency, json, &Signer::from(actor)).await?;
    tx.commit().await?;
    Ok(ConfigView::from(&cfg))
}

/// Replaces the agency's 栏目 (in order) and its 索引号 pattern, keeping every other stored
/// setting; checked as [`set_config`] checks (a 系统管理员 within scope; an unknown placeholder, a
/// pattern without exactly one `{seq}` or an empty column list is refused in Chinese).
pub async fn set_columns_and_pattern(
    app: &App,
    actor: &Actor,
    agency: AgencyId,
    columns: &[String],
    index_pattern: &str,
) -> Result<ConfigView> {
    let mut json = match repo::settings(&app.db, agency).await? {
        Some(text) => serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&text)
            .map_err(|e| crate::error::AppError::internal("stored catalogue settings", e))?,
        None => serde_json::Map::new(),
    };
    let columns: Vec<String> = columns
        .iter()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    check_columns(&load(&app.db, agency).await?, &columns)?;
    json.insert("columns".into(), serde_json::json!(columns));
    json.insert(
        "index_pattern".into(),
        serde_json::json!(index_pattern.trim()),
    );
    let text = serde_json::Value::Object(json).to_string();
    set_config(app, actor, agency, &text).await
}

/// The checks of a column list that the domain also makes, with Chinese messages for a form.
fn check_columns(current: &CatalogConfig, columns: &[String]) -> Result<()> {
    use crate::error::AppError;
    if columns.is_empty() {
        return Err(AppError::invalid(
            "at least one column (栏目) is needed",
            "请至少填写一个栏目",
        ));
    }
    for (i, c) in columns.iter().enumerate() {
        if c.chars().count() > 50 {
            return Err(AppError::invalid(
                format!("column {c:?} is longer than 50 characters"),
                format!("栏目“{c}”超过50个字"),
            ));
        }
        if columns[..i].contains(c) {
            return Err(AppError::invalid(
                format!("column {c:?} is listed twice"),
                format!("栏目“{c}”重复"),
            ));
        }
    }
    let interpretation = &current.interpretation_column;
    if !interpretation.is_empty() && !columns.contains(interpretation) {
        return Err(AppError::invalid(
            format!("the interpretation column {interpretation:?} must stay"),
            format!("须保留政策解读栏目“{interpretation}”"),
        ));
    }
    Ok(())
}
